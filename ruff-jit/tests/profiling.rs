//! The `ruff` binary's profiling flags (issue 11, docs/PROFILING.md): `--perf-map` (the
//! perf map's lines, and `perf report` naming the Ruff function), `--events` (compile and
//! deopt events with the deopt's source line) and `--profile` (folded stacks whose samples
//! fall in the hot function).

use std::path::{Path, PathBuf};
use std::process::Command;

const FIB: &str = "func fib(n) {\n  if n < 2 { return n }\n  return fib(n - 1) + fib(n - 2)\n}\n\
                   func run() {\n  print(fib(30))\n}\nrun()\n";

/// `add` is compiled for Ints, then called with strings: its guard at line 2 fails.
const DEOPT: &str = "func add(a, b) {\n  return a + b\n}\nfunc run() {\n  s := 0\n  \
                     for i in range(3000) { s = add(s, i) }\n  t := \"\"\n  \
                     for i in range(50) { t = add(t, \"x\") }\n  print(s, len(t))\n}\nrun()\n";

/// Nearly all the time is in `hot` (a loop), called once from `run`.
const HOT: &str = "func warm(n) {\n  return n + 1\n}\nfunc hot(n) {\n  s := 0\n  \
                   for i in range(n) {\n    s = (s + i * 7) % 1000003\n  }\n  return s\n}\n\
                   func run() {\n  x := warm(1)\n  print(hot(6000000) + x)\n}\nrun()\n";

fn program(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn ruff() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ruff"))
}

#[test]
fn perf_map_names_every_compiled_function() {
    let dir = tempfile::tempdir().unwrap();
    let p = program(dir.path(), "fib.ruff", FIB);
    let child = ruff()
        .args(["run", p.to_str().unwrap(), "--perf-map"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "832040\n");
    let map_path = format!("/tmp/perf-{pid}.map");
    let map = std::fs::read_to_string(&map_path).expect("perf map written");
    let _ = std::fs::remove_file(&map_path);
    let lines: Vec<_> = map.lines().collect();
    // fib is self-recursive with an Int argument: its compile makes the boxed entry and the
    // typed entry its recursive calls use, each a symbol of its own.
    assert_eq!(lines.len(), 2, "fib and its typed entry: {map}");
    let names: Vec<&str> = lines
        .iter()
        .map(|line| {
            let mut parts = line.splitn(3, ' ');
            let start = u64::from_str_radix(parts.next().unwrap(), 16).expect("hex start");
            let size = u64::from_str_radix(parts.next().unwrap(), 16).expect("hex size");
            assert!(start > 0 && size > 16, "{map}");
            parts.next().unwrap()
        })
        .collect();
    assert_eq!(
        names,
        ["ruff:fib@fib.ruff:2", "ruff:fib@fib.ruff:2 [typed entry]"]
    );
}

#[test]
fn perf_map_marks_osr_compiles() {
    let dir = tempfile::tempdir().unwrap();
    let p = program(dir.path(), "deopt.ruff", DEOPT);
    let child = ruff()
        .args(["run", p.to_str().unwrap(), "--perf-map"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    assert!(child.wait_with_output().unwrap().status.success());
    let map_path = format!("/tmp/perf-{pid}.map");
    let map = std::fs::read_to_string(&map_path).expect("perf map written");
    let _ = std::fs::remove_file(&map_path);
    assert!(map.contains(" ruff:run@deopt.ruff:5 [osr]\n"), "{map}");
    assert!(map.contains(" ruff:add@deopt.ruff:2\n"), "{map}");
    assert!(
        map.contains(" ruff:add@deopt.ruff:2 [recompile]\n"),
        "{map}"
    );
}

/// `perf record -e cpu-clock` (a software event: no hardware counters needed) on a
/// jit-spec run: `perf report` must put most samples on the Ruff function's symbol.
#[test]
fn perf_report_names_the_ruff_function() {
    if Command::new("perf").arg("--version").output().is_err() {
        eprintln!("skipped: `perf` is not installed (Debian: linux-perf)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = program(dir.path(), "fib.ruff", &FIB.replace("fib(30)", "fib(33)"));
    let data = dir.path().join("perf.data");
    let rec = Command::new("perf")
        .args([
            "record",
            "-e",
            "cpu-clock",
            "-o",
            data.to_str().unwrap(),
            "--",
        ])
        .arg(env!("CARGO_BIN_EXE_ruff"))
        .args(["run", p.to_str().unwrap(), "--perf-map"])
        .output()
        .unwrap();
    assert!(
        rec.status.success(),
        "perf record failed: {}",
        String::from_utf8_lossy(&rec.stderr)
    );
    let report = Command::new("perf")
        .args([
            "report",
            "--stdio",
            "--sort",
            "sym",
            "-i",
            data.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&report.stdout);
    let share: f64 = text
        .lines()
        .find(|l| l.contains("ruff:fib@fib.ruff:2"))
        .and_then(|l| l.trim().split('%').next()?.trim().parse().ok())
        .unwrap_or_else(|| panic!("no Ruff symbol in the report:\n{text}"));
    assert!(share > 50.0, "fib has {share}% of the samples:\n{text}");
}

#[test]
fn events_name_the_deopt_line_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    let p = program(dir.path(), "deopt.ruff", DEOPT);
    let events = dir.path().join("ev.jsonl");
    let out = ruff()
        .args(["run", p.to_str().unwrap(), "--events"])
        .arg(&events)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "4498500 50\n");
    let text = std::fs::read_to_string(&events).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let has = |needle: &str| lines.iter().any(|l| l.contains(needle));
    assert!(
        has("\"event\":\"compile\",") && has("\"function\":\"add\",\"line\":2,\"reason\":\"call\""),
        "{text}"
    );
    assert!(has("\"event\":\"osr_entry\""), "{text}");
    assert!(
        has("\"event\":\"deopt\"")
            && has("\"function\":\"add\",\"pc\":0,\"line\":2,\"col\":12,\"reason\":\"type_guard\""),
        "{text}"
    );
    assert!(has("\"event\":\"recompile\""), "{text}");
    // Timestamps never go back.
    let times: Vec<u64> = lines
        .iter()
        .map(|l| {
            let at = l.find("\"t_ns\":").unwrap() + 7;
            l[at..].split(',').next().unwrap().parse().unwrap()
        })
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{text}");
}

/// The samples of each config: `hot` must be the innermost Ruff frame of >= 80% of them.
#[test]
fn profile_puts_the_samples_in_the_hot_function() {
    let dir = tempfile::tempdir().unwrap();
    let p = program(dir.path(), "hot.ruff", HOT);
    for config in ["interp", "jit-spec"] {
        let folded = dir.path().join(format!("{config}.folded"));
        let out = ruff()
            .args(["run", p.to_str().unwrap(), "--config", config])
            .args(["--profile-interval-us", "200", "--profile"])
            .arg(&folded)
            .output()
            .unwrap();
        assert!(out.status.success(), "{config}");
        let text = std::fs::read_to_string(&folded).unwrap();
        let (mut total, mut in_hot) = (0u64, 0u64);
        for line in text.lines() {
            let (stack, n) = line.rsplit_once(' ').expect("stack count");
            let n: u64 = n.parse().expect("count");
            total += n;
            let top = stack
                .split(';')
                .rfind(|f| !f.starts_with('['))
                .unwrap_or_default();
            if top.starts_with("hot:") || top == "hot [jit]" {
                assert!(stack.starts_with("<main>:15;run:13;hot"), "{stack}");
                in_hot += n;
            }
        }
        assert!(total >= 20, "{config}: only {total} samples:\n{text}");
        assert!(
            in_hot * 100 >= total * 80,
            "{config}: {in_hot} of {total} samples in hot:\n{text}"
        );
        if config == "jit-spec" {
            assert!(
                text.contains(" [jit]"),
                "compiled frames are marked:\n{text}"
            );
        }
    }
}
