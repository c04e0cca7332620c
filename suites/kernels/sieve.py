"""Kernel sieve, the Python twin of sieve.ruff (suites/kernels/README.md)."""

from twin_protocol import main


def run():
    n = 300000
    flags = []
    for _ in range(n + 1):
        flags.append(True)
    count = 0
    for p in range(2, n + 1):
        if flags[p]:
            count += 1
            m = p * p
            while m <= n:
                flags[m] = False
                m += p
    return count


main(run)
