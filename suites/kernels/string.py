"""Kernel string, the Python twin of string.ruff (suites/kernels/README.md): CPython
appends to a string with one reference in place (amortised), as Ruff must."""

from twin_protocol import main


def run():
    n = 200000
    s = ""
    for i in range(n):
        s = s + str(i)
    return len(s)


main(run)
