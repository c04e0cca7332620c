#!/usr/bin/env bash
# Checks the harness's steady-state numbers against an external timer (issue 16): for each
# benchmark, the harness's median steady-state iteration time (summary.csv `median`) next to
# hyperfine's, where hyperfine times whole `ruff bench` processes of N1 and N2 iterations and
# the per-iteration time is (t(N2) - t(N1)) / (N2 - N1): start-up, parsing, iteration 0 and
# the warm-up are the same in both processes and cancel, so what is left is N2 - N1 steady
# iterations timed from outside the process. Prints a table with the difference in percent
# and a second table from the same processes timed from outside (scripts/same-process-timer.py);
# exits 1 when any of the second table differs by more than MAX_DIFF percent (default 3).
#
#   scripts/external-timer.sh [BENCHMARK...]     (default: five suites/jit benchmarks)
#
# Environment: CONFIG (default jit-spec), N1/N2 (default 10/40; N1 past the warm-up), ROUNDS (default 4: the two
# timers alternate, round by round), RUNS (hyperfine runs per count and round, default 10),
# INVOCATIONS (harness processes per round, default 3), OUT (default a temp dir).
# Timing on a busy machine is noisy for both timers: the load is printed with the table.
set -euo pipefail

cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
config=${CONFIG:-jit-spec}
n1=${N1:-10}
n2=${N2:-40}
runs=${RUNS:-10}
invocations=${INVOCATIONS:-3}
rounds=${ROUNDS:-4}
same_processes=${SAME_PROCESSES:-7}
same_fail=0
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
printf '%-22s %-10s %14s %14s %8s\n' benchmark config "harness (ms)" "hyperfine (ms)" "diff"
fail=0
for b in "${benchmarks[@]}"; do
    file="suites/jit/$b.ruff"
    # Rounds alternate the two timers, so a change of the machine's speed (this kind of VM
    # drifts by tens of percent over seconds) falls on both alike instead of on whichever
    # ran later; each timer's value is the median over the rounds.
    for round in $(seq 1 "$rounds"); do
        dest="$out/harness-$b-$round"
        "$harness" run suites/jit --bench "$b" --configs "$config" -n "$invocations" -i "$n2" \
            --seed "$round" --ruff "$ruff" -o "$dest" >"$dest.log" 2>&1
        hyperfine --style none --warmup 1 --runs "$runs" --export-json "$out/hf-$b-$round.json" \
            "$ruff bench $file --config $config --iterations $n1 --records /dev/null" \
            "$ruff bench $file --config $config --iterations $n2 --records /dev/null" >/dev/null
    done
    python3 - "$out" "$b" "$config" "$n1" "$n2" "$max_diff" "$rounds" <<'EOF' || fail=1
import csv, glob, json, statistics, sys
out, bench, config, n1, n2, max_diff, rounds = sys.argv[1:]
harness, external = [], []
for r in range(1, int(rounds) + 1):
    summary = glob.glob(f"{out}/harness-{bench}-{r}/*/summary.csv")[0]
    harness += [float(row["median"]) / 1e6 for row in csv.DictReader(open(summary))
                if row["benchmark"] == bench]
    results = json.load(open(f"{out}/hf-{bench}-{r}.json"))["results"]
    t1, t2 = (statistics.median(x["times"]) for x in results)
    external.append((t2 - t1) / (int(n2) - int(n1)) * 1e3)
harness_ms, per_iteration_ms = statistics.median(harness), statistics.median(external)
diff = (harness_ms / per_iteration_ms - 1) * 100
print(f"{bench:<22} {config:<10} {harness_ms:14.3f} {per_iteration_ms:14.3f} {diff:+7.2f}%")
sys.exit(0 if abs(diff) <= float(max_diff) else 1)
EOF
done
# The same processes, two clocks: the records' own wall_ns (what the harness analyses) against
# the arrival times of those records through a pipe, stamped by another process
# (scripts/same-process-timer.py). Process-to-process speed differences cancel here.
echo "same processes ($same_processes per benchmark), iterations $n1..$n2:"
printf '%-22s %-10s %14s %14s %8s\n' benchmark config "records (ms)" "outside (ms)" "diff"
for b in "${benchmarks[@]}"; do
    read -r inside outside < <(python3 scripts/same-process-timer.py "$ruff" "suites/jit/$b.ruff" \
        "$config" "$n1" "$n2" "$same_processes")
    python3 - "$b" "$config" "$inside" "$outside" "$max_diff" <<'EOF' || same_fail=1
import sys
bench, config, inside, outside, max_diff = sys.argv[1:]
diff = (float(inside) / float(outside) - 1) * 100
print(f"{bench:<22} {config:<10} {float(inside):14.3f} {float(outside):14.3f} {diff:+7.2f}%")
sys.exit(0 if abs(diff) <= float(max_diff) else 1)
EOF
done
echo "load after: $(uptime)"
echo "runs in $out"
# Exit 1 when the same-process clocks disagree: the hyperfine table compares different
# processes, whose speed differs by tens of percent on a noisy VM, and is shown for reference.
exit $same_fail
