#!/usr/bin/env bash
# Checks that a run's HTML report renders in a real browser (headless Chromium), every section
# of it:
#   1. index.html exists and every <img src> names a file in the run folder (or a data: URI)
#      that decodes as a non-uniform PNG (scripts/png_check.py, standard library only);
#   2. Chromium loads a copy of the page with a probe script that reports, for every section
#      the page's <nav> links to, its position, size, text, tables, lists and images (each
#      image must load), and the page's own images and text;
#   3. each section is checked for its content (rules below: the summary has rows, the
#      environment a table and the folded run.json, the method a list, ...), and the nav must
#      name at least the sections every report has;
#   4. Chromium renders the whole page at 1/8 scale (RUN_DIR/report-screenshot.png, scaled by a
#      transform, so the full page decodes quickly) and every section's rows in that picture must show
#      content: a section that lays out but paints nothing fails.
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
trap 'rm -rf "$profile" "$abs_dir/.check-report.html" "$abs_dir/.check-report-zoom.html"' EXIT
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
# Embedded SVG documents (the Profiles section's flamegraphs) exist and are SVG.
mapfile -t objects < <(grep -o '<object [^>]*data="[^"]*"' "$page" | sed 's/.*data="\([^"]*\)"/\1/' || true)
for src in "${objects[@]}"; do
    if ! grep -q '<svg' "$run_dir/$src" 2>/dev/null; then
        echo "check-report: FAIL: <object data=\"$src\"> is not an SVG file in $run_dir" >&2
        exit 1
    fi
done
[[ ${#objects[@]} -eq 0 ]] || echo "check-report: ${#objects[@]} embedded SVG documents exist"

# 2. Every image loads in the browser; the page has text; every section the nav names is
#    measured (all in CSS pixels of a 1280-wide window).
probe='<script>window.addEventListener("load",function(){var b=[].filter.call(document.images,function(i){return !(i.complete&&i.naturalWidth>0)}).map(function(i){return i.getAttribute("src")});var s=[].map.call(document.querySelectorAll("nav a"),function(a){var id=a.getAttribute("href").slice(1),e=document.getElementById(id);if(!e)return id+" missing";var r=e.getBoundingClientRect(),im=e.querySelectorAll("img"),bad=[].filter.call(im,function(i){return !(i.complete&&i.naturalWidth>0)}).length;return [id,Math.round(r.top+window.scrollY),Math.round(r.height),e.innerText.length,im.length,bad,e.querySelectorAll("tr").length-e.querySelectorAll("details tr").length,e.querySelectorAll("li").length,e.querySelectorAll("details").length].join(" ")});document.body.setAttribute("data-check","images="+document.images.length+";broken="+b.join(",")+";text="+document.body.innerText.length+";height="+document.documentElement.scrollHeight+";sections="+s.join(","))});</script>'
sed "s#</body>#${probe//&/\\&}</body>#" "$page" >"$abs_dir/.check-report.html"
result=$(chrome --window-size=1280,1000 --virtual-time-budget=10000 --dump-dom "file://$abs_dir/.check-report.html" |
    grep -o 'data-check="[^"]*"' || true)
summary=${result#data-check=\"}
echo "check-report: browser says ${summary%%;sections=*}"
[[ "$result" =~ images=([0-9]+)\;broken=([^;]*)\;text=([0-9]+)\;height=([0-9]+)\;sections=([^\"]*) ]] || {
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
height=${BASH_REMATCH[4]}
sections=${BASH_REMATCH[5]}

# 3 and 4. The whole page at 1/8 scale: the layout stays that of a 1280-px window (the root
# element is 1280 px wide) and only the painting is scaled by a transform of the root, so a
# point at y in the probe's layout is at y/8 in the picture (CSS zoom would enlarge text to
# Chromium's minimum font size and move everything; its own scale factor stops at 1/2).
zoom=8
scale="<style>html{width:1280px;overflow:hidden;transform:scale($(awk "BEGIN{print 1/$zoom}"));transform-origin:0 0}</style>"
sed "s#</head>#$scale</head>#" "$page" >"$abs_dir/.check-report-zoom.html"
shot="$abs_dir/report-screenshot.png"
rm -f "$shot"
chrome --screenshot="$shot" --window-size=200,$((height / zoom + 40)) --virtual-time-budget=10000 \
    "file://$abs_dir/.check-report-zoom.html" >/dev/null
[[ -s "$shot" ]] || { echo "check-report: FAIL: Chromium wrote no screenshot" >&2; exit 1; }
"$python" - "$shot" "$here" "$zoom" "$sections" <<'PY'
import sys
sys.path.insert(0, sys.argv[2])
from png_check import decode

shot, zoom, spec = sys.argv[1], int(sys.argv[3]), sys.argv[4]
# Every report has these; a section the nav names beyond them is checked by the common rules.
REQUIRED = ["headline", "summary", "speedup", "jit", "benchmarks", "failures", "environment", "method"]
# Per section: the least it must hold, as (what, field, minimum); fields are those probed.
RULES = {
    "summary": [("table rows", "rows", 2)],
    "benchmarks": [("figures", "img", 1)],
    "environment": [("table rows", "rows", 8), ("folded run.json", "details", 1)],
    "method": [("list items", "li", 3)],
    # Present only when the run was made with --profile: a timeline per profile and the
    # hottest-function table.
    "profiles": [("timeline images", "img", 1), ("table rows", "rows", 2)],
}
FIELDS = ["top", "h", "text", "img", "broken", "rows", "li", "details"]
w, h, bpp, rows = decode(shot)
background = rows[0][:bpp]
failures, seen = [], []
for entry in spec.split(","):
    parts = entry.split(" ")
    name = parts[0]
    if len(parts) == 2 and parts[1] == "missing":
        failures.append(f"section #{name} is in the nav but not on the page")
        continue
    seen.append(name)
    s = dict(zip(FIELDS, map(int, parts[1:])))
    if s["h"] < 20 or s["text"] < 20:
        failures.append(f"#{name}: empty ({s['h']} px high, {s['text']} characters)")
    if s["broken"]:
        failures.append(f"#{name}: {s['broken']} image(s) did not load")
    for what, field, least in RULES.get(name, []):
        if s[field] < least:
            failures.append(f"#{name}: {s[field]} {what}, expected at least {least}")
    # Rows of the picture inside the section (minus its heading) must show content.
    lo, hi = (s["top"] + 40) // zoom, (s["top"] + s["h"]) // zoom
    band = rows[lo:hi]
    busy = sum(1 for r in band if r != background * w) / max(1, len(band))
    print(f"check-report: #{name}: {s['h']} px, {s['text']} characters, {s['img']} images, "
          f"{s['rows']} table rows; {busy:.0%} of its rendered rows have content")
    if band and busy < 0.2:
        failures.append(f"#{name}: renders almost blank ({busy:.0%} of rows have content)")
for name in REQUIRED:
    if name not in seen:
        failures.append(f"section #{name} missing from the nav")
for f in failures:
    print(f"check-report: FAIL: {f}", file=sys.stderr)
sys.exit(1 if failures else 0)
PY
echo "check-report: OK: every section renders ($shot)"
