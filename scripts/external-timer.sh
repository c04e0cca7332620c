#!/usr/bin/env bash
# Checks the harness's steady-state numbers against an external timer (issue 16): for each
# benchmark, the harness's median steady-state iteration time (summary.csv `median`) next to
# hyperfine's, where hyperfine times whole `ruff bench` processes of N1 and N2 iterations and
# the per-iteration time is (t(N2) - t(N1)) / (N2 - N1): start-up, parsing, iteration 0 and
# the warm-up are the same in both processes and cancel, so what is left is N2 - N1 steady
# iterations timed from outside the process. Prints a table with the difference in percent
# and exits 1 when any differs by more than MAX_DIFF percent (default 3).
#
#   scripts/external-timer.sh [BENCHMARK...]     (default: five suites/jit benchmarks)
#
# Environment: CONFIG (default jit-spec), N1/N2 (default 10/30), RUNS (hyperfine runs per
# count, default 10), INVOCATIONS (harness, default 10), OUT (default a temp dir).
# Timing on a busy machine is noisy for both timers: the load is printed with the table.
set -euo pipefail

cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
config=${CONFIG:-jit-spec}
n1=${N1:-10}
n2=${N2:-30}
runs=${RUNS:-10}
invocations=${INVOCATIONS:-10}
max_diff=${MAX_DIFF:-3}
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
command -v hyperfine >/dev/null || { echo "external-timer: hyperfine is required" >&2; exit 2; }
cargo build --release --quiet -p ruff-jit -p harness
harness="$target/release/harness"
ruff="$target/release/ruff"
benchmarks=("$@")
((${#benchmarks[@]})) || benchmarks=(fib_recursive loop_nested sieve_array nbody_float struct_methods)

echo "load before: $(uptime)"
# The harness: fixed N2 iterations, so both timers see the same processes.
for b in "${benchmarks[@]}"; do
    "$harness" run suites/jit --bench "$b" --configs "$config" -n "$invocations" -i "$n2" \
        --seed 1 --ruff "$ruff" -o "$out/harness-$b" >"$out/harness-$b.log" 2>&1
done

printf '%-22s %-10s %14s %14s %8s\n' benchmark config "harness (ms)" "hyperfine (ms)" "diff"
fail=0
for b in "${benchmarks[@]}"; do
    summary=$(ls -d "$out/harness-$b"/*/ | head -n 1)summary.csv
    harness_ns=$(python3 -c '
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    if r["benchmark"] == sys.argv[2]:
        print(r["median"])
' "$summary" "$b")
    file="suites/jit/$b.ruff"
    hyperfine --style none --warmup 1 --runs "$runs" --export-json "$out/hf-$b.json" \
        "$ruff bench $file --config $config --iterations $n1 --records /dev/null" \
        "$ruff bench $file --config $config --iterations $n2 --records /dev/null" >/dev/null
    python3 - "$out/hf-$b.json" "$harness_ns" "$b" "$config" "$n1" "$n2" "$max_diff" <<'EOF' || fail=1
import json, statistics, sys
path, harness_ns, bench, config, n1, n2, max_diff = sys.argv[1:]
results = json.load(open(path))["results"]
t1, t2 = (statistics.median(r["times"]) for r in results)
per_iteration_ms = (t2 - t1) / (int(n2) - int(n1)) * 1e3
harness_ms = float(harness_ns) / 1e6
diff = (harness_ms / per_iteration_ms - 1) * 100
print(f"{bench:<22} {config:<10} {harness_ms:14.3f} {per_iteration_ms:14.3f} {diff:+7.2f}%")
sys.exit(0 if abs(diff) <= float(max_diff) else 1)
EOF
done
echo "load after: $(uptime)"
echo "runs in $out"
exit $fail
