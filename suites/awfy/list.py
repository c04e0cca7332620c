"""Are We Fast Yet: List, the Python twin of list.ruff (same algorithm and size).

Source: the Are-We-Fast-Yet suite, https://github.com/smarr/are-we-fast-yet (Marr, Daloze,
Mössenböck, DLS 2016). Protocol: twin_protocol.py; suites/awfy/README.md.
"""

from twin_protocol import inner_benchmark_loop, main

INNER_ITERATIONS = 45


class Element:
    def __init__(self, val):
        self.val = val
        self.next = None

    def length(self):
        if self.next is None:
            return 1
        return 1 + self.next.length()


def make_list(length):
    if length == 0:
        return None
    e = Element(length)
    e.next = make_list(length - 1)
    return e


def is_shorter_than(x, y):
    x_tail = x
    y_tail = y
    while y_tail is not None:
        if x_tail is None:
            return True
        x_tail = x_tail.next
        y_tail = y_tail.next
    return False


def tail(x, y, z):
    if is_shorter_than(y, x):
        return tail(tail(x.next, y, z), tail(y.next, z, x), tail(z.next, x, y))
    return z


def benchmark():
    return tail(make_list(15), make_list(10), make_list(6)).length()


def verify_result(value):
    return value == 10


main(lambda: inner_benchmark_loop(INNER_ITERATIONS, benchmark, verify_result))
