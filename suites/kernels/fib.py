"""Kernel fib, the Python twin of fib.ruff (suites/kernels/README.md)."""

from twin_protocol import main


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


main(lambda: fib(28))
