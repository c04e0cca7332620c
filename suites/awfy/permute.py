"""Are We Fast Yet: Permute, the Python twin of permute.ruff (same algorithm and size).

Source: the Are-We-Fast-Yet suite, https://github.com/smarr/are-we-fast-yet (Marr, Daloze,
Mössenböck, DLS 2016). Protocol: twin_protocol.py; suites/awfy/README.md.
"""

from twin_protocol import inner_benchmark_loop, main

INNER_ITERATIONS = 25


class Permute:
    def __init__(self):
        self.count = 0
        self.v = [0] * 6

    def permute(self, n):
        self.count += 1
        if n != 0:
            n1 = n - 1
            self.permute(n1)
            for i in range(n1, -1, -1):
                self.swap(n1, i)
                self.permute(n1)
                self.swap(n1, i)

    def swap(self, i, j):
        tmp = self.v[i]
        self.v[i] = self.v[j]
        self.v[j] = tmp


def benchmark():
    p = Permute()
    p.permute(6)
    return p.count


def verify_result(value):
    return value == 8660


main(lambda: inner_benchmark_loop(INNER_ITERATIONS, benchmark, verify_result))
