#!/usr/bin/env bash
# Fuzzes the front end and the bytecode compiler (lexer, parser, compiler, error reports)
# for SECONDS (default 60).
#
#   scripts/fuzz.sh [SECONDS]
#
# With a nightly toolchain (`cargo +nightly`) it runs the coverage-guided libFuzzer target
# fuzz/fuzz_targets/frontend.rs, built with the instrumentation cargo-fuzz uses
# (SanitizerCoverage, AddressSanitizer with leak checking, debug assertions) but without
# needing cargo-fuzz installed. Without nightly, or with FUZZ_MODE=mutation, it runs the
# stable mutation fuzzer (ruff-core/tests/frontend_fuzz). Both start from every .ruff file of
# the repository (and ../shared/conformance when present).
#
# A panic, an abort, a leak, a malformed compile error or an input running over 10 s is a
# failure: the input is saved, its replay commands are printed, and the script exits 1.
#
# Environment: CARGO_TARGET_DIR (default target); FUZZ_MODE=libfuzzer|mutation (force one);
# FUZZ_OUT (corpus and crash artifacts; default $CARGO_TARGET_DIR/fuzz-work); FUZZ_JOBS
# (libFuzzer processes, default 1).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-60}
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "fuzz.sh: SECONDS must be a whole number, got '$seconds'" >&2; exit 2; }
target=${CARGO_TARGET_DIR:-target}
out=${FUZZ_OUT:-$target/fuzz-work}
jobs=${FUZZ_JOBS:-1}
mode=${FUZZ_MODE:-}
if [[ -z "$mode" ]]; then
    if cargo +nightly --version >/dev/null 2>&1; then mode=libfuzzer; else mode=mutation; fi
fi

if [[ "$mode" == mutation ]]; then
    echo "fuzz.sh: no nightly toolchain (or FUZZ_MODE=mutation): the stable mutation fuzzer, ${seconds} s"
    RUFF_FUZZ_ARTIFACTS="$out/artifacts" RUFF_FRONTEND_FUZZ_SECONDS="$seconds" \
        cargo test --release -p ruff-core --test frontend_fuzz
    exit $?
fi
[[ "$mode" == libfuzzer ]] || { echo "fuzz.sh: FUZZ_MODE must be libfuzzer or mutation" >&2; exit 2; }

# The flags cargo-fuzz 0.13 passes for `cargo fuzz build --debug-assertions` (coverage
# counters and comparison tracing for libFuzzer, AddressSanitizer), on a release build. The
# explicit --target keeps build scripts and proc macros uninstrumented.
triple=$(rustc +nightly -vV | sed -n 's/^host: //p')
flags="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4"
flags+=" -Cllvm-args=-sanitizer-coverage-inline-8bit-counters"
flags+=" -Cllvm-args=-sanitizer-coverage-pc-table -Cllvm-args=-sanitizer-coverage-trace-compares"
flags+=" -Cllvm-args=-sanitizer-coverage-stack-depth -Cllvm-args=-simplifycfg-branch-fold-threshold=0"
flags+=" --cfg fuzzing -Zsanitizer=address -Cdebug-assertions -Coverflow-checks -Ccodegen-units=1"
echo "fuzz.sh: building the libFuzzer target (nightly, $triple)"
if ! RUSTFLAGS="$flags" cargo +nightly build --quiet --release --manifest-path fuzz/Cargo.toml \
    --target "$triple" --target-dir "$target/fuzz-build" --bin frontend; then
    # No network for libfuzzer-sys, no C++ compiler, a broken nightly: fuzz anyway.
    echo "fuzz.sh: WARNING: the libFuzzer build failed; falling back to the mutation fuzzer" >&2
    FUZZ_MODE=mutation exec bash "$root/scripts/fuzz.sh" "$seconds"
fi
bin="$target/fuzz-build/$triple/release/frontend"

# The seeds are refreshed from the repository on every run; the corpus grows across runs.
# Artifacts of an earlier run were reported by that run.
mkdir -p "$out/corpus" "$out/seeds" "$out/artifacts"
rm -rf "$out/seeds" "$out/artifacts"
mkdir -p "$out/seeds" "$out/artifacts"
while IFS= read -r -d '' f; do
    name=${f#./}
    cp "$f" "$out/seeds/${name//\//_}"
done < <(find . ../shared/conformance -name '*.ruff' -not -path '*/target/*' -not -path './.git/*' -print0 2>/dev/null)

parallel=()
[[ "$jobs" -gt 1 ]] && parallel=(-fork="$jobs")
log="$out/libfuzzer.log"
echo "fuzz.sh: libFuzzer for ${seconds} s ($(ls "$out/seeds" | wc -l) seed files, corpus $out/corpus, log $log)"
status=0
"$bin" "$out/corpus" "$out/seeds" "${parallel[@]}" -dict=fuzz/ruff.dict -max_len=16384 \
    -timeout=10 -rss_limit_mb=4096 -max_total_time="$seconds" -print_final_stats=1 \
    -error_exitcode=1 -timeout_exitcode=1 -artifact_prefix="$out/artifacts/" \
    >"$log" 2>&1 || status=$?

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | awk '{s += $1} END {print s + 0}')
if [[ "$runs" == 0 ]]; then
    # Fork mode prints its totals in its progress lines instead.
    runs=$(grep -o '#[0-9]*' "$log" | tail -n 1 | tr -d '#' || true)
fi
echo "fuzz.sh: ${runs:-0} executions in ${seconds} s ($(( ${runs:-0} / (seconds > 0 ? seconds : 1) ))/s)"
if [[ "$status" -ne 0 ]]; then
    tail -n 40 "$log"
    echo "fuzz.sh: FAILURE (libFuzzer exit $status); inputs saved in $out/artifacts:"
    for a in "$out"/artifacts/*; do
        [[ -e "$a" ]] || continue
        echo "  $a"
        echo "    replay (libFuzzer): $bin $a"
        echo "    replay (stable):    cargo test --release -p ruff-core --test frontend_fuzz -- --replay $a"
    done
    exit 1
fi
echo "fuzz.sh: no failures"
