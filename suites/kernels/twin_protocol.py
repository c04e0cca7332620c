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
from pathlib import Path

# The iteration loop (argument handling, clock, records) is the one every suite's twins
# share, in suites/twins/.
sys.path.insert(1, str(Path(__file__).resolve().parent.parent / "twins"))
from twin_iterations import iterate  # noqa: E402


def _once(run):
    line = f"Result: {run()}\n".encode()
    sys.stdout.buffer.write(line)
    sys.stdout.buffer.flush()
    return len(line)


def main(run):
    iterate(lambda: _once(run))
