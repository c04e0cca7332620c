#!/usr/bin/env bash
# Measures whether the regression gate can be trusted, on suites/gate:
#   wall time    : WALL_RUNS (default 11) runs of the same build, WALL_INVOCATIONS (default 10)
#                  invocations per benchmark x config; each consecutive pair is an
#                  A/A comparison (expect 0 regressions at the default 5% threshold), and in
#                  each pair the run's sum_loop_plus10 (10% more work) is judged against the
#                  previous run's sum_loop (expect a regression every time);
#   instructions : INSTR_RUNS (default 3) runs under callgrind; A/A counts must be identical
#                  in their steady-state values, and sum_loop_plus1 (1% more work) must be
#                  flagged every time.
# Prints every command it runs and a summary; exit 0 when every expectation held.
#   scripts/validate-gate.sh [OUT_DIR]
set -euo pipefail

cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
out=${1:-$(mktemp -d)}
mkdir -p "$out"
wall_runs=${WALL_RUNS:-11}
instr_runs=${INSTR_RUNS:-3}
cargo build --release --quiet -p ruff-jit -p harness
harness="$target/release/harness"
ruff="$target/release/ruff"
failures=0

# Runs the gate suite into $out/$1 and prints the run folder.
run_suite() {
    local dest="$out/$1"
    shift
    mkdir -p "$dest"
    echo "+ harness run suites/gate $* --ruff $ruff --out $dest" >&2
    "$harness" run suites/gate "$@" --ruff "$ruff" --out "$dest" >"$dest.log" 2>&1 || {
        cat "$dest.log" >&2
        exit 2
    }
    ls -d "$dest"/*/ | head -n 1
}

# compare EXPECTED_EXIT LABEL ARGS... : runs harness compare, checks the exit code.
compare() {
    local expect=$1 label=$2
    shift 2
    echo "+ harness compare $*" >&2
    set +e
    "$harness" compare "$@" >"$out/last-compare.txt" 2>&1
    local code=$?
    set -e
    local verdicts
    verdicts=$(grep -E '^[0-9]+ regression' "$out/last-compare.txt" || true)
    if [[ $code == "$expect" ]]; then
        echo "  ok   $label: exit $code ($verdicts)"
    else
        echo "  FAIL $label: exit $code, expected $expect"
        cat "$out/last-compare.txt"
        failures=$((failures + 1))
    fi
    cat "$out/last-compare.txt" >>"$out/compare.log"
}

echo "== wall time: $wall_runs runs, $((wall_runs - 1)) A/A pairs"
wall=()
for i in $(seq 0 $((wall_runs - 1))); do
    wall+=("$(run_suite "wall-$i" --invocations "${WALL_INVOCATIONS:-10}" --seed "$((i + 1))")")
done
aa_false=0 planted_hits=0
for i in $(seq 1 $((wall_runs - 1))); do
    compare 0 "A/A wall pair $i" "${wall[$((i - 1))]}" "${wall[$i]}"
    grep -q " regression$" "$out/last-compare.txt" && aa_false=$((aa_false + 1))
    compare 1 "planted +10% wall pair $i" "${wall[$((i - 1))]}" "${wall[$i]}" --pair sum_loop=sum_loop_plus10
    grep -q " regression$" "$out/last-compare.txt" && planted_hits=$((planted_hits + 1))
done

echo "== instructions: $instr_runs runs under callgrind"
instr=()
for i in $(seq 0 $((instr_runs - 1))); do
    instr+=("$(run_suite "instr-$i" --measure instructions --invocations 1 --iterations 5 --seed "$((i + 1))")")
done
identical=0 plus1_hits=0
for i in $(seq 1 $((instr_runs - 1))); do
    # invocations.csv column 7 is the steady-state value the gate compares: it must agree
    # exactly. Raw rows that differ are counted: iterations that include a JIT compile move by
    # a few instructions with where the code lands in memory.
    values() { cut -d, -f1-4,7 "$1/invocations.csv" | sort; }
    rows() { cut -d, -f2-6,9 "$1/results.csv" | sort; }
    raw_diff=$( (diff <(rows "${instr[0]}") <(rows "${instr[$i]}") || true) | grep -c '^<' || true)
    total=$(($(wc -l <"${instr[0]}/results.csv") - 1))
    if diff <(values "${instr[0]}") <(values "${instr[$i]}") >/dev/null; then
        identical=$((identical + 1))
        echo "  ok   A/A instructions run $i: steady-state values identical to run 0 ($raw_diff of $total raw rows differ)"
    else
        echo "  FAIL A/A instructions run $i: steady-state values differ from run 0"
        (diff <(values "${instr[0]}") <(values "${instr[$i]}") || true) | head -5
        failures=$((failures + 1))
    fi
    compare 0 "A/A instructions run $i" "${instr[0]}" "${instr[$i]}" --measure instructions
    compare 1 "planted +1% instructions run $i" "${instr[0]}" "${instr[$i]}" --measure instructions --pair sum_loop=sum_loop_plus1
    grep -q " regression$" "$out/last-compare.txt" && plus1_hits=$((plus1_hits + 1))
done

echo
echo "== summary (runs in $out)"
echo "wall A/A false regressions:        $aa_false / $((wall_runs - 1)) comparisons"
echo "wall planted +10% flagged:         $planted_hits / $((wall_runs - 1))"
echo "instructions A/A identical values: $identical / $((instr_runs - 1))"
echo "instructions planted +1% flagged:  $plus1_hits / $((instr_runs - 1))"
echo "failed expectations:               $failures"
((failures == 0))
