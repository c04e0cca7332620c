#!/usr/bin/env bash
# Runs COUNT (default 500) generated programs of the differential test
# (ruff-jit/tests/differential.rs, generator in ruff-jit/tests/gen/) from a fresh seed drawn
# from the clock, so every CI run tries programs no earlier run tried; the fixed seeds
# 1..2001 run in `cargo test` as usual.
#
#   scripts/fuzz-fresh.sh [COUNT]
#
# The first seed and the command that replays the whole run are printed before it starts and
# again on failure; each failing program is listed with its own seed, its one-seed replay
# command and the path it was saved to. RUFF_FUZZ_SEED=N forces the first seed.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-500}
[[ "$count" =~ ^[0-9]+$ ]] || { echo "fuzz-fresh.sh: COUNT must be a whole number, got '$count'" >&2; exit 2; }
# Nanoseconds of the clock, kept to 12 digits so the seed is easy to copy.
seed=${RUFF_FUZZ_SEED:-$(( $(date +%s%N) % 1000000000000 ))}
replay="RUFF_FUZZ_SEED=$seed RUFF_FUZZ_COUNT=$count cargo test --release -p ruff-jit --test differential generated"
echo "fuzz-fresh.sh: fresh seeds $seed..$((seed + count)); replay: $replay"
if ! RUFF_FUZZ_SEED=$seed RUFF_FUZZ_COUNT=$count \
    cargo test --release -p ruff-jit --test differential generated_programs_agree_across_configs; then
    echo "fuzz-fresh.sh: FAILURE in fresh seeds $seed..$((seed + count)); each failing seed is" \
        "listed above with its own replay command; the whole run: $replay" >&2
    exit 1
fi
echo "fuzz-fresh.sh: $count fresh programs agree under every config (seeds $seed..$((seed + count)))"
