"""The twin protocol of the Python kernels (suites/README.md, "Twins in other languages").

A kernel defines `run()`, which does the work once and returns its integer checksum, and
ends with `main(run)`:

    python3 NAME.py                         one run(): prints `Result: CHECKSUM`
    python3 NAME.py ITERATIONS [RECORDS]    ITERATIONS runs, one JSON record each

Each record is {"iteration":I,"wall_ns":W,"stdout_bytes":B,"clock":"perf_counter_ns"}
(RECORDS, or stderr); W times run() and the printing of its Result line with
time.perf_counter_ns() (monotonic, nanosecond resolution).
"""

import sys
import time


def _once(run):
    line = f"Result: {run()}\n".encode()
    sys.stdout.buffer.write(line)
    sys.stdout.buffer.flush()
    return len(line)


def _usage(message):
    sys.stderr.write(f"{sys.argv[0]}: {message}\nusage: {sys.argv[0]} [ITERATIONS [RECORDS]]\n")
    sys.exit(2)


def main(run):
    args = sys.argv[1:]
    if not args:
        _once(run)
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
        start = time.perf_counter_ns()
        size = _once(run)
        wall_ns = time.perf_counter_ns() - start
        records.write(
            f'{{"iteration":{i},"wall_ns":{wall_ns},"stdout_bytes":{size},'
            f'"clock":"perf_counter_ns"}}\n'
        )
        records.flush()
