"""The iteration protocol of the Python twins in suites/awfy (README.md, "Twin protocol").

A twin defines `run()`, which does the benchmark's work once, checks it and reports the
checked value with `result(value)` (most use `inner_benchmark_loop` for that); its file ends
with `main(run)`. Invocation:

    python3 NAME.py                         one run(), like `ruff run NAME.ruff`
    python3 NAME.py ITERATIONS [RECORDS]    ITERATIONS runs in this process, like
                                            `ruff bench NAME.ruff --iterations ITERATIONS`

After each run it writes one JSON line to RECORDS (default: stderr), as `ruff bench` does:
{"iteration":I,"wall_ns":W,"stdout_bytes":B,"clock":"perf_counter_ns"}. The time is
time.perf_counter_ns() (a monotonic clock, nanosecond resolution) around the run() call.

The twins' folder is first on sys.path, so its json.py shadows the standard library's json
module: neither this module nor awfy_som may import it.
"""

import math
import sys
import time
from decimal import Decimal


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


def _usage(message):
    sys.stderr.write(f"{sys.argv[0]}: {message}\nusage: {sys.argv[0]} [ITERATIONS [RECORDS]]\n")
    sys.exit(2)


def main(run):
    args = sys.argv[1:]
    if not args:
        run()
        _stdout.flush()
        return
    if len(args) > 2:
        _usage("too many arguments")
    try:
        iterations = int(args[0])
    except ValueError:
        iterations = 0
    if iterations < 1:
        _usage(f"ITERATIONS must be a positive integer, got {args[0]!r}")
    try:
        records = open(args[1], "w", encoding="utf-8") if len(args) == 2 else sys.stderr
    except OSError as e:
        _usage(f"cannot write records: {e}")
    for i in range(iterations):
        before = _stdout.count
        start = time.perf_counter_ns()
        run()
        wall_ns = time.perf_counter_ns() - start
        _stdout.flush()
        records.write(
            f'{{"iteration":{i},"wall_ns":{wall_ns},"stdout_bytes":{_stdout.count - before},'
            f'"clock":"perf_counter_ns"}}\n'
        )
        records.flush()
