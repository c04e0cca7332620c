#!/usr/bin/env bash
# Checks what a person sees in a 100-column terminal at the end of `harness run`: runs it in
# a detached tmux session of 100 x 50 cells (a real terminal: the progress bar draws, long
# lines wrap), captures the screen when the run ends, and fails unless
#   - no line is wider than 100 columns (wrapped lines are joined back before measuring), and
#   - the headline (verification and the speedup per config) is within the last 40 lines,
#     i.e. on one 100 x 40 screen without scrolling.
# The captured screen is printed, and kept in RUN_OUT/screen.txt.
#
# Usage: scripts/check-terminal.sh [ARGS...]   ARGS go to `harness run` (default:
#        suites/smoke). Environment: HARNESS (default $CARGO_TARGET_DIR/release/harness or
#        target/release/harness), RUN_OUT (default: a temp dir, used as --out).
# Exit: 0 ok, 1 check failed, 2 usage or tools missing.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v tmux >/dev/null || { echo "check-terminal: tmux is required (apt-get install tmux)" >&2; exit 2; }
harness=${HARNESS:-${CARGO_TARGET_DIR:-target}/release/harness}
[[ -x "$harness" ]] || { echo "check-terminal: $harness not built (cargo build --release)" >&2; exit 2; }
harness=$(cd "$(dirname "$harness")" && pwd)/$(basename "$harness")
(($# > 0)) || set -- suites/smoke
out=${RUN_OUT:-$(mktemp -d)}
mkdir -p "$out"

session="check-terminal-$$"
trap 'tmux kill-session -t "$session" 2>/dev/null || true' EXIT
# The run, then a marker with its exit code; the shell then waits so the screen stays.
printf -v cmd '%q ' "$harness" run "$@" --out "$out"
tmux new-session -d -s "$session" -x 100 -y 50 \
    "cd $(printf %q "$PWD") && $cmd; echo \"check-terminal: exit=\$?\"; sleep 3600"
for _ in $(seq 1 1800); do
    if tmux capture-pane -p -t "$session" | grep -q '^check-terminal: exit='; then
        break
    fi
    sleep 0.5
done
# -J joins lines the terminal wrapped, so a too-long line shows as one line.
tmux capture-pane -p -J -t "$session" >"$out/screen.txt"
cat "$out/screen.txt"

python3 - "$out/screen.txt" <<'PY'
import sys

lines = open(sys.argv[1], encoding="utf-8").read().rstrip("\n").split("\n")
failures = []
marker = [l for l in lines if l.startswith("check-terminal: exit=")]
if not marker:
    failures.append("the run did not finish within 15 minutes")
elif marker[-1].split("=")[1] not in ("0", "1"):
    failures.append(f"harness run failed ({marker[-1]})")
lines = [l for l in lines if not l.startswith("check-terminal: exit=")]
for i, line in enumerate(lines, 1):
    if len(line) > 100:
        failures.append(f"line {i} is {len(line)} columns wide: {line[:60]}...")
screen = lines[-40:]
for needle, what in [("verified:", "the verification line"), ("speedup over", "the speedup headline")]:
    if not any(needle in l for l in screen):
        failures.append(f"{what} ('{needle}') is not on the last 40 lines")
for f in failures:
    print(f"check-terminal: FAIL: {f}", file=sys.stderr)
if not failures:
    print(f"check-terminal: OK: {len(lines)} lines, none over 100 columns; the headline is on the last 40")
sys.exit(1 if failures else 0)
PY
