"""Are We Fast Yet: Sieve, the Python twin of sieve.ruff (same algorithm and size).

Source: the Are-We-Fast-Yet suite, https://github.com/smarr/are-we-fast-yet (Marr, Daloze,
Mössenböck, DLS 2016). Protocol: twin_protocol.py; suites/awfy/README.md.
"""

from twin_protocol import inner_benchmark_loop, main

INNER_ITERATIONS = 100


def sieve(flags, size):
    prime_count = 0
    for i in range(2, size + 1):
        if flags[i - 1]:
            prime_count += 1
            k = i + i
            while k <= size:
                flags[k - 1] = False
                k += i
    return prime_count


def benchmark():
    flags = [True] * 5000
    return sieve(flags, 5000)


def verify_result(value):
    return value == 669


main(lambda: inner_benchmark_loop(INNER_ITERATIONS, benchmark, verify_result))
