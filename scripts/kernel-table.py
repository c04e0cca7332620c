#!/usr/bin/env python3
"""Turns the hyperfine JSON files of scripts/bench-*.sh into one Markdown table.

Why a script: hyperfine reports one kernel at a time; the comparison we care about is the
whole set, as mean times per runtime, ratios between chosen runtimes, and geometric means of
both (the geometric mean is the right average of ratios: it does not depend on which side
is the numerator).

Usage: kernel-table.py DIR --columns "A,B,C" [--ratios "B/A,C/A"]
  DIR holds KERNEL.json files written by `hyperfine --export-json` with commands named
  (`-n`) after the runtimes in --columns.
"""

import argparse
import json
import math
import sys
from pathlib import Path


def geomean(xs):
    xs = [x for x in xs if x is not None and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def fmt_ms(seconds):
    return "-" if seconds is None else f"{seconds * 1000:.1f}"


def fmt_ratio(r):
    return "-" if r is None else f"{r:.2f}x"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir", type=Path)
    ap.add_argument("--columns", required=True)
    ap.add_argument("--ratios", default="")
    args = ap.parse_args()
    columns = [c.strip() for c in args.columns.split(",") if c.strip()]
    ratios = [tuple(p.strip() for p in r.split("/")) for r in args.ratios.split(",") if r.strip()]

    files = sorted(args.dir.glob("*.json"))
    if not files:
        sys.exit(f"no hyperfine JSON files in {args.dir}")
    rows = []
    for f in files:
        results = json.loads(f.read_text())["results"]
        means = {r["command"]: r["mean"] for r in results}
        rows.append((f.stem, means))

    header = ["kernel"] + [f"{c} (ms)" for c in columns] + [f"{a} / {b}" for a, b in ratios]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    per_col = {c: [] for c in columns}
    per_ratio = {r: [] for r in ratios}
    for name, means in rows:
        cells = [name]
        for c in columns:
            per_col[c].append(means.get(c))
            cells.append(fmt_ms(means.get(c)))
        for a, b in ratios:
            r = means[a] / means[b] if a in means and b in means else None
            per_ratio[(a, b)].append(r)
            cells.append(fmt_ratio(r))
        lines.append("| " + " | ".join(cells) + " |")
    cells = ["**geomean**"] + [fmt_ms(geomean(per_col[c])) for c in columns]
    cells += [fmt_ratio(geomean(per_ratio[r])) for r in ratios]
    lines.append("| " + " | ".join(cells) + " |")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
