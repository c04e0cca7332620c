#!/usr/bin/env bash
# Checks that a run's HTML report renders in a real browser (headless Chromium):
#   1. index.html exists and every <img src> names a file in the run folder (or a data: URI)
#      that decodes as a non-uniform PNG (scripts/png_check.py, standard library only);
#   2. Chromium loads a copy of the page with a probe script and reports that every image
#      loaded (naturalWidth > 0) and that the page has text;
#   3. Chromium takes a 1280x4000 screenshot (RUN_DIR/report-screenshot.png), which must not
#      be blank (a uniform image, or fewer than 5% of rows with any content).
# Usage: scripts/check-report.sh RUN_DIR      Exit: 0 ok, 1 check failed, 2 usage/tools.
set -euo pipefail

run_dir=${1:?usage: scripts/check-report.sh RUN_DIR}
here=$(cd "$(dirname "$0")" && pwd)
page="$run_dir/index.html"
[[ -f "$page" ]] || { echo "check-report: $page not found (run \`harness report $run_dir\`)" >&2; exit 1; }
chromium_bin=$(command -v chromium || command -v chromium-browser || true)
[[ -n "$chromium_bin" ]] || { echo "check-report: chromium not installed (apt-get install chromium)" >&2; exit 2; }
# pyenv's python3 shim costs ~0.2 s per start; use the real interpreter when there is one.
python=$(pyenv which python3 2>/dev/null || command -v python3)

abs_dir=$(cd "$run_dir" && pwd)
profile=$(mktemp -d)
trap 'rm -rf "$profile" "$abs_dir/.check-report.html"' EXIT
chrome() {
    "$chromium_bin" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" "$@" 2>/dev/null
}

# 1. Image sources exist and decode.
mapfile -t sources < <(grep -o '<img [^>]*src="[^"]*"' "$page" | sed 's/.*src="\([^"]*\)"/\1/')
if [[ ${#sources[@]} -eq 0 ]]; then
    echo "check-report: FAIL: $page has no <img>" >&2
    exit 1
fi
files=()
for src in "${sources[@]}"; do
    if [[ "$src" == data:image/png\;base64,* ]]; then
        tmp=$(mktemp --suffix=.png -p "$profile")
        printf '%s' "${src#data:image/png;base64,}" | base64 -d >"$tmp"
        files+=("$tmp")
    elif [[ -f "$run_dir/$src" ]]; then
        files+=("$run_dir/$src")
    else
        echo "check-report: FAIL: <img src=\"$src\"> does not exist in $run_dir" >&2
        exit 1
    fi
done
if ! "$python" "$here/png_check.py" "${files[@]}" >"$profile/png.log"; then
    grep FAIL "$profile/png.log" >&2
    exit 1
fi
echo "check-report: ${#sources[@]} images exist and decode"

# 2. Every image loads in the browser; the page has text.
probe='<script>window.addEventListener("load",function(){var b=[].filter.call(document.images,function(i){return !(i.complete&&i.naturalWidth>0)}).map(function(i){return i.getAttribute("src")});document.body.setAttribute("data-check","images="+document.images.length+";broken="+b.join(",")+";text="+document.body.innerText.length)});</script>'
sed "s#</body>#${probe//&/\\&}</body>#" "$page" >"$abs_dir/.check-report.html"
result=$(chrome --virtual-time-budget=10000 --dump-dom "file://$abs_dir/.check-report.html" |
    grep -o 'data-check="[^"]*"' || true)
echo "check-report: browser says ${result:-nothing}"
[[ "$result" =~ images=([0-9]+)\;broken=([^;]*)\;text=([0-9]+) ]] || {
    echo "check-report: FAIL: the page did not finish loading in Chromium" >&2
    exit 1
}
if [[ -n "${BASH_REMATCH[2]}" ]]; then
    echo "check-report: FAIL: images that did not load: ${BASH_REMATCH[2]}" >&2
    exit 1
fi
if ((BASH_REMATCH[3] < 200)); then
    echo "check-report: FAIL: the page has almost no text (${BASH_REMATCH[3]} characters)" >&2
    exit 1
fi

# 3. The screenshot is not blank.
shot="$abs_dir/report-screenshot.png"
rm -f "$shot"
chrome --screenshot="$shot" --window-size=1280,4000 "file://$abs_dir/index.html" >/dev/null
[[ -s "$shot" ]] || { echo "check-report: FAIL: Chromium wrote no screenshot" >&2; exit 1; }
MIN_BUSY=0.05 "$python" - "$shot" "$here" <<'PY'
import os, sys
sys.path.insert(0, sys.argv[2])
from png_check import decode
w, h, bpp, rows = decode(sys.argv[1])
# The background is the top-left pixel; the right 24 px are left out (a scrollbar there
# would make every row look busy).
first, cols = rows[0][:bpp], w - 24
busy = sum(1 for r in rows if r[: cols * bpp] != first * cols) / h
print(f"check-report: screenshot {w}x{h}, {busy:.0%} of rows have content")
sys.exit(0 if busy >= float(os.environ["MIN_BUSY"]) else 1)
PY
echo "check-report: OK: $shot"
