"""Kernel dict, the Python twin of dict.ruff (suites/kernels/README.md)."""

from twin_protocol import main


def run():
    n = 200000
    d = {}
    for i in range(n):
        d[(i * 7919) % 1000003] = i
    s = 0
    for i in range(n):
        s += d[(i * 7919) % 1000003]
    return s


main(run)
