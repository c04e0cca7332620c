"""Kernel float, the Python twin of float.ruff (suites/kernels/README.md)."""

from twin_protocol import main


def run():
    n = 2000000
    x = 0.0
    for _ in range(n):
        x = x * 0.9999995 + 1.0
    return int(x * 1000.0)


main(run)
