"""Kernel intarith, the Python twin of intarith.ruff (suites/kernels/README.md)."""

from twin_protocol import main


def run():
    n = 2000000
    s = 0
    for i in range(n):
        t = i * 3 + 7
        s = s + t * 2 - i * 5
    return s


main(run)
