"""The iteration protocol of the Python twins in suites/awfy (README.md, "Twin protocol").

A twin defines `run()`, which does the benchmark's work once, checks it and reports the
checked value with `result(value)` (most use `inner_benchmark_loop` for that); its file ends
with `main(run)`. Invocation:

    python3 NAME.py                         one run(), like `ruff run NAME.ruff`
    python3 NAME.py ITERATIONS [RECORDS]    ITERATIONS runs in this process, like
                                            `ruff bench NAME.ruff --iterations ITERATIONS`

After each run it writes one JSON line to RECORDS (default: stderr), as `ruff bench` does
(see suites/twins/twin_iterations.py); the time is taken around the run() call.

The twins' folder is first on sys.path, so its json.py shadows the standard library's json
module: neither this module nor awfy_som may import it.
"""

import math
import sys
from decimal import Decimal
from pathlib import Path

# The iteration loop (argument handling, clock, records) is the one every suite's twins
# share, in suites/twins/.
sys.path.insert(1, str(Path(__file__).resolve().parent.parent / "twins"))
from twin_iterations import iterate  # noqa: E402


class _CountingStdout:
    """Stdout that counts the bytes written to it (the record's stdout_bytes)."""

    def __init__(self, target):
        self.target = target
        self.count = 0

    def write(self, text):
        self.count += len(text.encode("utf-8"))
        return self.target.write(text)

    def flush(self):
        self.target.flush()


_stdout = _CountingStdout(sys.stdout)


def show(value):
    """The value as Ruff's print shows it (ints, bools, floats without exponent or `.0`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        if value == int(value):
            negative_zero = value == 0 and math.copysign(1.0, value) < 0
            return ("-" if negative_zero else "") + str(int(value))
        return format(Decimal(repr(value)), "f")
    return str(value)


def result(*values):
    """Prints the run's `Result:` line (values separated by spaces, as Ruff's print does)."""
    _stdout.write("Result: " + " ".join(show(v) for v in values) + "\n")


def inner_benchmark_loop(inner_iterations, benchmark, verify_result):
    """The suite's Benchmark.innerBenchmarkLoop, for the benchmarks whose check does not
    depend on the size: runs benchmark() inner_iterations times, checks every result with
    verify_result(value) and reports the last one (or the first that fails the check)."""
    value = None
    for _ in range(inner_iterations):
        value = benchmark()
        if not verify_result(value):
            result("failed verification, got", value)
            return
    result(value)


def main(run):
    def once():
        before = _stdout.count
        run()
        return _stdout.count - before

    iterate(once, _stdout.flush)
