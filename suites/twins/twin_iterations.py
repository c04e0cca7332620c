"""The iteration loop shared by every suite's Python twins (suites/README.md, "Twins in other
languages"); each suite's twin_protocol.py defines what one run is and calls iterate().

    python3 NAME.py                         one run
    python3 NAME.py ITERATIONS [RECORDS]    ITERATIONS runs in this process

After each run one JSON line goes to RECORDS (default: stderr), as `ruff bench` writes it:
{"iteration":I,"wall_ns":W,"stdout_bytes":B,"clock":"perf_counter_ns"}. W is measured with
time.perf_counter_ns() (monotonic, nanosecond resolution). Bad arguments: a usage message
and exit status 2.

This module imports nothing a twin folder could shadow (suites/awfy has its own json.py).
"""

import sys
import time


def _usage(message):
    sys.stderr.write(f"{sys.argv[0]}: {message}\nusage: {sys.argv[0]} [ITERATIONS [RECORDS]]\n")
    sys.exit(2)


def iterate(once, finish=lambda: None):
    """Runs the twin per the command line. `once()` does one run and returns the bytes it
    wrote to stdout (it is what W times); `finish()` runs after it, untimed."""
    args = sys.argv[1:]
    if not args:
        once()
        finish()
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
        size = once()
        wall_ns = time.perf_counter_ns() - start
        finish()
        records.write(
            f'{{"iteration":{i},"wall_ns":{wall_ns},"stdout_bytes":{size},'
            f'"clock":"perf_counter_ns"}}\n'
        )
        records.flush()
