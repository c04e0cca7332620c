"""Are We Fast Yet: Storage, the Python twin of storage.ruff (same algorithm and size).

Source: the Are-We-Fast-Yet suite, https://github.com/smarr/are-we-fast-yet (Marr, Daloze,
Mössenböck, DLS 2016). Protocol: twin_protocol.py; suites/awfy/README.md.
"""

from awfy_som import Random
from twin_protocol import inner_benchmark_loop, main

INNER_ITERATIONS = 12


class Storage:
    def __init__(self):
        self.count = 0

    def build_tree_depth(self, depth, random):
        self.count += 1
        if depth == 1:
            return [None] * (random.next() % 10 + 1)
        arr = [None] * 4
        for i in range(4):
            arr[i] = self.build_tree_depth(depth - 1, random)
        return arr


def benchmark():
    random = Random()
    s = Storage()
    s.build_tree_depth(7, random)
    return s.count


def verify_result(value):
    return value == 5461


main(lambda: inner_benchmark_loop(INNER_ITERATIONS, benchmark, verify_result))
