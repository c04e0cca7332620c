#!/usr/bin/env bash
# Checks what a person sees in a 100-column terminal during and after `harness run`: runs it
# in a detached tmux session of 100 x 50 cells (a real terminal: the progress bar draws, long
# lines wrap), captures the whole scrollback when the run ends, and fails unless
#   - no line is wider than 100 columns (wrapped lines are joined back before measuring), and
#   - the headline (the verification line and the speedup per config) is printed first, before
#     the table, and is on the first 100 x 40 screen of the output: the blank line closing it
#     is at most line 40 of the scrollback (which starts with the run's first line).
# The captured scrollback is printed, and kept in RUN_OUT/screen.txt.
#
# Usage: scripts/check-terminal.sh [ARGS...]   ARGS go to `harness run` (default:
#        suites/smoke), e.g. scripts/check-terminal.sh suites/smoke -n 3 -i 5. Environment:
#        HARNESS (default $CARGO_TARGET_DIR/release/harness or target/release/harness),
#        RUN_OUT (default: a temp dir, used as --out).
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
# -J joins lines the terminal wrapped, so a too-long line shows as one line; -S - starts at
# the top of the scrollback, so a headline scrolled off by a long table is still seen.
tmux capture-pane -p -J -S - -t "$session" >"$out/screen.txt"
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
start = next((i for i, l in enumerate(lines) if l.startswith("verified:")), None)
table = next((i for i, l in enumerate(lines) if l.startswith("benchmark ")), None)
if start is None:
    failures.append("the verification line ('verified:') is missing")
else:
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    block = lines[start:end]
    if not any(l.startswith("speedup over") for l in block):
        failures.append("the speedup headline ('speedup over') is not in the headline block")
    if end > 40:
        failures.append(f"the headline ends on line {end}: it is not on the first 40-line screen")
    if table is not None and table < start:
        failures.append("the table is printed before the headline")
for f in failures:
    print(f"check-terminal: FAIL: {f}", file=sys.stderr)
if not failures:
    print(f"check-terminal: OK: {len(lines)} lines, none over 100 columns; the headline comes "
          f"first, {len(block)} lines from line {start + 1}")
sys.exit(1 if failures else 0)
PY
