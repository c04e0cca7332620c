"""Kernel array, the Python twin of array.ruff (suites/kernels/README.md)."""

from twin_protocol import main


def run():
    n, rounds = 100000, 5
    total = 0
    for r in range(rounds):
        a = []
        for i in range(n):
            a.append(i + r)
        size = len(a)
        i = 0
        while i < size:
            total += a[i]
            i += 1
    return total


main(run)
