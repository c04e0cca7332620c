"""Are We Fast Yet: Queens, the Python twin of queens.ruff (same algorithm and size).

Source: the Are-We-Fast-Yet suite, https://github.com/smarr/are-we-fast-yet (Marr, Daloze,
Mössenböck, DLS 2016). Protocol: twin_protocol.py; suites/awfy/README.md.
"""

from twin_protocol import inner_benchmark_loop, main

INNER_ITERATIONS = 35


class Queens:
    def __init__(self):
        self.free_maxs = None
        self.free_rows = None
        self.free_mins = None
        self.queen_rows = None

    def queens(self):
        self.free_rows = [True] * 8
        self.free_maxs = [True] * 16
        self.free_mins = [True] * 16
        self.queen_rows = [-1] * 8
        return self.place_queen(0)

    def place_queen(self, c):
        for r in range(8):
            if self.get_row_column(r, c):
                self.queen_rows[r] = c
                self.set_row_column(r, c, False)
                if c == 7:
                    return True
                if self.place_queen(c + 1):
                    return True
                self.set_row_column(r, c, True)
        return False

    def get_row_column(self, r, c):
        return self.free_rows[r] and self.free_maxs[c + r] and self.free_mins[c - r + 7]

    def set_row_column(self, r, c, v):
        self.free_rows[r] = v
        self.free_maxs[c + r] = v
        self.free_mins[c - r + 7] = v


def benchmark():
    q = Queens()
    value = True
    for _ in range(10):
        value = value and q.queens()
    return value


def verify_result(value):
    return value


main(lambda: inner_benchmark_loop(INNER_ITERATIONS, benchmark, verify_result))
