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
#   ab           : AB_TRIES (default 20) runs of `harness ab` (AB_INVOCATIONS, default 30,
#                  trials each, the same binary as A and B): A/A on sum_loop and fib_gate with
#                  a CPU hog (`yes`, pinned to the last CPU when taskset exists) running beside
#                  it (expect 0 false regressions), then on a quiet machine sum_loop_plus10 as B
#                  against sum_loop as A (expect 20/20 caught) and sum_loop_plus5 (expect at
#                  least 18/20).
# SECTIONS (default "compare instructions ab") picks sections. Prints every command it runs,
# the load (uptime) before each section, and a summary; exit 0 when every expectation held.
#   scripts/validate-gate.sh [OUT_DIR]
set -euo pipefail

cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
out=${1:-$(mktemp -d)}
mkdir -p "$out"
wall_runs=${WALL_RUNS:-11}
instr_runs=${INSTR_RUNS:-3}
ab_tries=${AB_TRIES:-20}
ab_invocations=${AB_INVOCATIONS:-30}
sections=" ${SECTIONS:-compare instructions ab} "
summary=()
cargo build --release --quiet -p ruff-jit -p harness
harness="$target/release/harness"
ruff="$target/release/ruff"
failures=0
busy_refusals=0

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
    if [[ $code == 2 ]] && grep -q "machine was busy" "$out/last-compare.txt"; then
        # No verdict on a busy machine: what compare must do (issue 16), not a failure.
        echo "  busy $label: exit 2, machine was busy (no verdict)"
        busy_refusals=$((busy_refusals + 1))
    elif [[ $code == "$expect" ]]; then
        echo "  ok   $label: exit $code ($verdicts)"
    else
        echo "  FAIL $label: exit $code, expected $expect"
        cat "$out/last-compare.txt"
        failures=$((failures + 1))
    fi
    cat "$out/last-compare.txt" >>"$out/compare.log"
}

if [[ $sections == *" compare "* ]]; then
echo "== wall time: $wall_runs runs, $((wall_runs - 1)) A/A pairs; load: $(uptime)"
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
summary+=("wall A/A false regressions:        $aa_false / $((wall_runs - 1)) comparisons")
summary+=("wall planted +10% flagged:         $planted_hits / $((wall_runs - 1))")
summary+=("compare refused on a busy machine: $busy_refusals comparisons")
fi

if [[ $sections == *" instructions "* ]]; then
echo "== instructions: $instr_runs runs under callgrind; load: $(uptime)"
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
summary+=("instructions A/A identical values: $identical / $((instr_runs - 1))")
summary+=("instructions planted +1% flagged:  $plus1_hits / $((instr_runs - 1))")
fi

# ab_try LABEL ARGS... : one `harness ab` run of suites/gate; prints its exit code.
ab_try() {
    local label=$1
    shift
    local dest="$out/ab-$label"
    mkdir -p "$dest"
    echo "+ harness ab suites/gate --a $ruff --b $ruff -n $ab_invocations $* -o $dest" >&2
    set +e
    "$harness" ab suites/gate --a "$ruff" --b "$ruff" -n "$ab_invocations" "$@" -o "$dest" \
        >"$dest.txt" 2>"$dest.err"
    local code=$?
    set -e
    grep -E "^gate/|geometric|^noise" "$dest.txt" | sed 's/^/    /' >&2
    echo "$code"
}

if [[ $sections == *" ab "* ]]; then
    echo "== harness ab: $ab_tries tries each, $ab_invocations trials per try"
    hog_cmd=(yes)
    command -v taskset >/dev/null && hog_cmd=(taskset -c "$(($(nproc) - 1))" yes)
    "${hog_cmd[@]}" >/dev/null &
    hog=$!
    sleep 1
    echo "-- A/A beside a CPU hog (${hog_cmd[*]} > /dev/null, pid $hog); load: $(uptime)"
    ab_false=0 ab_errors=0
    for i in $(seq 1 "$ab_tries"); do
        code=$(ab_try "aa-hog-$i" --seed "$i" --pair sum_loop=sum_loop --pair fib_gate=fib_gate)
        case $code in
            0) echo "  ok   A/A try $i: no regression" ;;
            1) echo "  FAIL A/A try $i: false regression"; ab_false=$((ab_false + 1)); failures=$((failures + 1)) ;;
            *) echo "  FAIL A/A try $i: exit $code"; ab_errors=$((ab_errors + 1)); failures=$((failures + 1)) ;;
        esac
    done
    kill "$hog"
    wait "$hog" 2>/dev/null || true
    summary+=("ab A/A beside a CPU hog:           $ab_false false regression(s) in $ab_tries tries ($ab_errors errors)")
    for planted in 10 5; do
        echo "-- planted +$planted% (sum_loop_plus$planted as B); load: $(uptime)"
        hits=0
        for i in $(seq 1 "$ab_tries"); do
            code=$(ab_try "plus$planted-$i" --seed "$i" --pair "sum_loop=sum_loop_plus$planted")
            if [[ $code == 1 ]]; then
                hits=$((hits + 1))
                echo "  ok   +$planted% try $i: caught"
            else
                echo "  miss +$planted% try $i: exit $code"
            fi
        done
        need=$ab_tries
        [[ $planted == 5 ]] && need=$(((ab_tries * 9 + 9) / 10))
        ((hits >= need)) || failures=$((failures + 1))
        summary+=("ab planted +$planted% caught:            $hits / $ab_tries (need $need)")
    done
fi

echo
echo "== summary (runs in $out; load now: $(uptime))"
for line in "${summary[@]}"; do echo "$line"; done
echo "failed expectations:               $failures"
((failures == 0))
