#!/usr/bin/env bash
# Compares Ruff's bytecode interpreter with other interpreters on the kernel set
# (scripts/kernels/README.md): `ruff run --config interp` vs CPython vs Lua 5.4.
# Checks every kernel prints the same checksum in every language first, then times them with
# hyperfine (JSON in reports/kernels/interp/) and prints a Markdown table of mean times,
# ratios and geometric means (also saved as reports/kernels/interp.md).
# Environment: KERNELS="fib loops" selects kernels, RUNS/WARMUP set hyperfine's counts.
set -euo pipefail
source "$(dirname "$0")/lib/kernels.sh"

ensure_packages hyperfine:hyperfine lua5.4:lua5.4 python3:python3
PYTHON=$(find_python)
build_ruff

RUNTIMES=("ruff interp" python3 lua5.4)
echo "checking checksums..." >&2
check_checksums "${RUNTIMES[@]}"
OUT=$ROOT/reports/kernels/interp
rm -rf "$OUT"
run_hyperfine "$OUT" "${RUNTIMES[@]}"

"$PYTHON" "$ROOT/scripts/kernel-table.py" "$OUT" \
    --columns "ruff interp,python3,lua5.4" \
    --ratios "python3/ruff interp,lua5.4/ruff interp" | tee "$ROOT/reports/kernels/interp.md"
