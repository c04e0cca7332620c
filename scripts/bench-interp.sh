#!/usr/bin/env bash
# Compares Ruff's bytecode interpreter with CPython and Lua 5.4 on the kernel suite
# (suites/kernels/README.md) through the harness: every kernel's result checked under every
# config, steady-state medians with CIs and speedups over `interp`, in the table, summary.csv
# and the HTML report of the run folder. A missing interpreter is reported and skipped.
# Extra arguments go to `harness run` (e.g. --bench fib,loops, -n 3, --quick).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
cargo build --release -q -p ruff-jit -p harness
exec "${CARGO_TARGET_DIR:-$ROOT/target}/release/harness" run suites/kernels \
    --configs interp,python3,lua5.4 --reference interp "$@"
