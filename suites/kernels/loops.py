"""Kernel loops, the Python twin of loops.ruff (suites/kernels/README.md)."""

from twin_protocol import main


def run():
    n = 1500
    s = 0
    for i in range(n):
        for j in range(n):
            s = (s + i * j) % 1000003
    return s


main(run)
