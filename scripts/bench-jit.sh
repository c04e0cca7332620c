#!/usr/bin/env bash
# Compares Ruff's JIT with its interpreter, native Rust (the kernels' Rust twins, compiled
# with rustc -O into the run folder) and LuaJIT on the kernel suite (suites/kernels/README.md),
# plus `interp-prof` to show the cost of profiling, through the harness: results checked under
# every config, steady-state medians with CIs and speedups over `interp` (so `native`'s
# speedup is the ceiling of `jit-spec`'s: the speed-up code as fast as native Rust would get).
# Extra arguments go to `harness run` (e.g. --bench fib,loops, -n 3, --quick).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
cargo build --release -q -p ruff-jit -p harness
exec "${CARGO_TARGET_DIR:-$ROOT/target}/release/harness" run suites/kernels \
    --configs jit-spec,interp,native,luajit,interp-prof --reference interp "$@"
