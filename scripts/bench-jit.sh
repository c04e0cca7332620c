#!/usr/bin/env bash
# Compares Ruff's JIT with its interpreter, native Rust and LuaJIT on the kernel set
# (scripts/kernels/README.md): `ruff run --config jit-spec` vs `--config interp` vs the Rust
# versions (release) vs luajit, plus `interp-prof` vs `interp` to show the cost of profiling.
# Checks the checksums agree first, times with hyperfine (JSON in reports/kernels/jit/) and
# prints a Markdown table (also saved as reports/kernels/jit.md). The `ruff interp / rust` column
# is the ceiling of `ruff interp / ruff jit-spec`: the speed-up over the interpreter that code as
# fast as native Rust would get.
# Environment: KERNELS="fib loops" selects kernels, RUNS/WARMUP set hyperfine's counts.
set -euo pipefail
source "$(dirname "$0")/lib/kernels.sh"

ensure_packages hyperfine:hyperfine luajit:luajit python3:python3
PYTHON=$(find_python)
build_ruff
build_rust_kernels

RUNTIMES=("ruff jit-spec" "ruff interp" rust luajit "ruff interp-prof")
echo "checking checksums..." >&2
check_checksums "${RUNTIMES[@]}"
OUT=$ROOT/reports/kernels/jit
rm -rf "$OUT"
run_hyperfine "$OUT" "${RUNTIMES[@]}"

"$PYTHON" "$ROOT/scripts/kernel-table.py" "$OUT" \
    --columns "ruff jit-spec,ruff interp,rust,luajit,ruff interp-prof" \
    --ratios "ruff interp/ruff jit-spec,ruff interp/rust,ruff jit-spec/rust,ruff jit-spec/luajit,ruff interp-prof/ruff interp" \
    | tee "$ROOT/reports/kernels/jit.md"
