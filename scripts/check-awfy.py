#!/usr/bin/env python3
"""Consistency and correctness checks of suites/awfy (the Are-We-Fast-Yet port).

Why: each benchmark exists three times (NAME.ruff and its twins NAME.lua, NAME.py), the
Ruff programs carry copies of the suite library (Ruff has no imports), and the twins speak
an iteration protocol that a harness executor will parse. This script checks that:

1. the copies of each shared Ruff block (`# --- begin som: X ---` ... `# --- end som: X ---`)
   are identical in every program that has one;
2. each program's size constants (INNER_ITERATIONS, FIND_LOOP_ITERATIONS) are the same in
   the .ruff, .lua and .py files and in suite.toml's `# inner_iterations = N` comment;
3. every twin, run under each interpreter (lua5.4 and luajit for .lua, python3 for .py) with
   the protocol's arguments `2 RECORDS`, prints exactly two lines `Result: <suite.toml
   result>` and writes two well-formed records (iteration 0 and 1, wall_ns > 0, stdout_bytes
   equal to the bytes of each Result line).

A missing interpreter is reported and skipped (exit 1 with --require-all). Exit 1 on any
failure. Usage: scripts/check-awfy.py [--require-all]
"""

import json
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

SUITE = Path(__file__).resolve().parent.parent / "suites" / "awfy"
INTERPRETERS = {".lua": ["lua5.4", "luajit"], ".py": ["python3"]}
SIZE_PATTERNS = {
    ".ruff": r"^const {name} := (\d+)$",
    ".lua": r"^local {name} = (\d+)$",
    ".py": r"^{name} = (\d+)$",
}


def shared_blocks(failures):
    """Check 1: every copy of a shared block is identical; answers how many blocks."""
    copies = {}
    block = re.compile(r"^# --- begin som: (\w+) .*?^# --- end som: \1 ---$", re.M | re.S)
    for path in sorted(SUITE.glob("*.ruff")):
        for m in block.finditer(path.read_text()):
            copies.setdefault(m.group(1), []).append((path.name, m.group(0)))
    for name, found in copies.items():
        first_file, first_text = found[0]
        for file, text in found[1:]:
            if text != first_text:
                failures.append(f"shared block {name}: {file} differs from {first_file}")
    return len(copies)


def manifest():
    """The benchmarks of suite.toml with their results and `# inner_iterations` comments."""
    text = (SUITE / "suite.toml").read_text()
    benchmarks = tomllib.loads(text)["benchmark"]
    comments = re.findall(r"^# inner_iterations = (\d+).*\n\[\[benchmark\]\]", text, re.M)
    if len(comments) != len(benchmarks):
        sys.exit(f"suite.toml: {len(comments)} inner_iterations comments for "
                 f"{len(benchmarks)} benchmarks")
    for bench, inner in zip(benchmarks, comments):
        bench["inner_iterations"] = int(inner)
    return benchmarks


def sizes(failures, bench):
    """Check 2: the size constants agree across the program, its twins and the manifest."""
    stem = SUITE / Path(bench["file"]).stem
    for name in ("INNER_ITERATIONS", "FIND_LOOP_ITERATIONS"):
        values = {}
        for ext, pattern in SIZE_PATTERNS.items():
            path = stem.with_suffix(ext)
            if path.exists():
                m = re.search(pattern.format(name=name), path.read_text(), re.M)
                if m:
                    values[path.name] = int(m.group(1))
        if name == "INNER_ITERATIONS":
            values["suite.toml"] = bench["inner_iterations"]
        if len(set(values.values())) > 1:
            failures.append(f"{bench['name']}: {name} differs: {values}")
        if name == "INNER_ITERATIONS" and len(values) < 2:
            failures.append(f"{bench['name']}: no INNER_ITERATIONS constant in {stem}.ruff")


def run_twin(interpreter, twin, expected, scratch):
    """Check 3 for one twin under one interpreter; answers a list of failures."""
    label = f"{twin.name} [{interpreter}]"
    records_path = Path(scratch) / f"{twin.stem}-{interpreter}.jsonl"
    try:
        done = subprocess.run([interpreter, str(twin), "2", str(records_path)],
                              capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        return [f"{label}: timed out"]
    if done.returncode != 0:
        return [f"{label}: exit code {done.returncode}: {done.stderr.strip()[:300]}"]
    line = f"Result: {expected}\n"
    if done.stdout != line * 2:
        return [f"{label}: stdout {done.stdout!r}, expected {line * 2!r}"]
    failures = []
    records = [json.loads(r) for r in records_path.read_text().splitlines() if r.strip()]
    if [r.get("iteration") for r in records] != [0, 1]:
        failures.append(f"{label}: records {records}")
    for r in records:
        if not (isinstance(r.get("wall_ns"), int) and r["wall_ns"] > 0):
            failures.append(f"{label}: bad wall_ns in {r}")
        if r.get("stdout_bytes") != len(line.encode()):
            failures.append(f"{label}: stdout_bytes {r.get('stdout_bytes')}, expected "
                            f"{len(line.encode())}")
    return failures


def main():
    require_all = "--require-all" in sys.argv[1:]
    failures = []
    blocks = shared_blocks(failures)
    benchmarks = manifest()
    jobs = []
    missing = set()
    for bench in benchmarks:
        sizes(failures, bench)
        for ext, interpreters in INTERPRETERS.items():
            twin = (SUITE / bench["file"]).with_suffix(ext)
            if not twin.exists():
                failures.append(f"{bench['name']}: no twin {twin.name}")
                continue
            for interpreter in interpreters:
                if shutil.which(interpreter) is None:
                    missing.add(interpreter)
                else:
                    jobs.append((interpreter, twin, bench["result"]))
    with tempfile.TemporaryDirectory() as scratch, ThreadPoolExecutor(2) as pool:
        for found in pool.map(lambda job: run_twin(*job, scratch), jobs):
            failures.extend(found)
    for interpreter in sorted(missing):
        print(f"skipped: {interpreter} is not installed")
        if require_all:
            failures.append(f"{interpreter} is not installed (--require-all)")
    print(f"{blocks} shared blocks, {len(benchmarks)} benchmarks, {len(jobs)} twin runs")
    for failure in failures:
        print(f"FAIL {failure}")
    print(f"{len(failures)} failure(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
