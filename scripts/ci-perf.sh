#!/usr/bin/env bash
# The CI performance gate: runs suites/gate under callgrind (instruction counts, exactly
# repeatable, so no noise to argue with) and compares against the committed baseline
# reports/baselines/ci-gate/. Fails (exit 1) on a regression, exit 2 on an error.
#
#   scripts/ci-perf.sh                    gate the current tree
#   scripts/ci-perf.sh --update-baseline  re-record reports/baselines/ci-gate/ (commit it)
#
# Environment: CARGO_TARGET_DIR (default target), PERF_OUT (default: a temp dir; the run
# folder with its report and gate.md is left there), PERF_THRESHOLD (default: the gate's
# instruction default, 0.5%). Needs valgrind. The release build is reused if up to date;
# the run itself takes well under 2 minutes on 2 cores.
set -euo pipefail

cd "$(dirname "$0")/.."
update=0
[[ "${1:-}" == "--update-baseline" ]] && update=1
target=${CARGO_TARGET_DIR:-target}
command -v valgrind >/dev/null || { echo "ci-perf: valgrind is required (apt-get install valgrind)" >&2; exit 2; }

cargo build --release --quiet -p ruff-jit -p harness
harness="$target/release/harness"
ruff="$target/release/ruff"

out=${PERF_OUT:-$(mktemp -d)}
mkdir -p "$out"
# One invocation is enough: counts do not vary between processes (scripts/validate-gate.sh
# checks that A/A differs by exactly zero). Five iterations give iteration 0 (parse, compile,
# first run) and four warm ones: enough for PELT to cut iteration 0 off (with three, two
# differences are too few for its noise estimate), so the steady state is the warm part,
# whose counts repeat exactly (the JIT compile in iteration 0 varies by a few instructions).
start=$(date +%s)
before=$(ls "$out")
"$harness" run suites/gate --measure instructions --invocations 1 --iterations 5 \
    --seed 1 --ruff "$ruff" --out "$out" >"$out/run.log" 2>&1 || {
    cat "$out/run.log" >&2
    echo "ci-perf: the benchmark run failed" >&2
    exit 2
}
run_dir=$(comm -13 <(echo "$before") <(ls "$out") | grep -v '\.log$' | head -n 1)
run_dir="$out/$run_dir"
echo "ci-perf: run $run_dir in $(($(date +%s) - start)) s"

if ((update)); then
    "$harness" baseline save ci-gate "$run_dir"
    exit 0
fi
args=(compare ci-gate "$run_dir" --measure instructions --markdown "$run_dir/gate.md")
[[ -n "${PERF_THRESHOLD:-}" ]] && args+=(--threshold "$PERF_THRESHOLD")
set +e
"$harness" "${args[@]}"
code=$?
set -e
case $code in
    0) echo "ci-perf: no regression" ;;
    1) echo "ci-perf: REGRESSION (see the table above; Markdown in $run_dir/gate.md)" ;;
    *) echo "ci-perf: gate error (exit $code)" ;;
esac
exit $code
