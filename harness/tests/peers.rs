//! Peer configs end to end (`harness::peers`, `exec::twin`): twins beside the Ruff programs
//! run by stand-in interpreters found on a PATH the test controls, so a missing interpreter,
//! a missing twin, a twin printing a wrong result and a failing twin are all reproducible;
//! and one `native` twin compiled by the real `rustc`.

use std::collections::HashMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "fake_ruff/mod.rs"]
mod fake_ruff;

use harness::exec::Status;
use harness::output::results::read_results;

/// A stand-in interpreter speaking the twin protocol: `INTERP TWIN ITERATIONS RECORDS`. The
/// twin's content picks the behaviour: `ok` prints `Result: 42` and takes 500 ns per
/// iteration (the fake ruff takes 1000), `wrong` prints `Result: 41`, `fail` exits 3.
const FAKE_INTERPRETER: &str = r#"#!/bin/sh
mode=$(cat "$1"); n=$2; rec=$3
case $mode in
  fail) echo "twin: runtime error: boom" >&2; exit 3;;
  wrong) out="Result: 41";;
  *) out="Result: 42";;
esac
i=0
while [ $i -lt "$n" ]; do
  echo "$out"
  echo "{\"iteration\":$i,\"wall_ns\":$((500 + i % 2)),\"stdout_bytes\":11,\"clock\":\"fake\"}" >> "$rec"
  i=$((i+1))
done
"#;

fn executable(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// `dir/s`: one benchmark per (name, twins) with `Result: 42` expected, each twin file
/// holding its behaviour; the fake ruff at `dir/ruff`; and `dir/bin` holding the given fake
/// interpreters and `cat` (the only outside command the fakes use).
fn setup(dir: &Path, benchmarks: &[(&str, &[(&str, &str)])], interpreters: &[&str]) -> PathBuf {
    let suite = dir.join("s");
    std::fs::create_dir_all(&suite).unwrap();
    let mut toml = String::from("[suite]\nname = \"s\"\ninvocations = 3\niterations = 4\n");
    for (name, twins) in benchmarks {
        std::fs::write(suite.join(format!("{name}.ruff")), "ok").unwrap();
        for (ext, behaviour) in *twins {
            std::fs::write(suite.join(format!("{name}.{ext}")), behaviour).unwrap();
        }
        toml.push_str(&format!(
            "[[benchmark]]\nname = \"{name}\"\nfile = \"{name}.ruff\"\nresult = \"42\"\n"
        ));
    }
    std::fs::write(suite.join("suite.toml"), toml).unwrap();
    fake_ruff::install(dir);
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for name in interpreters {
        executable(&bin.join(name), FAKE_INTERPRETER);
    }
    let cat = ["/bin/cat", "/usr/bin/cat"]
        .into_iter()
        .find(|p| Path::new(p).is_file())
        .expect("cat");
    std::os::unix::fs::symlink(cat, bin.join("cat")).unwrap();
    suite
}

/// Runs the harness in `dir` with PATH = `dir/bin` only.
fn harness(dir: &Path, args: &[&str]) -> Output {
    harness_with_path(dir, args, dir.join("bin").into_os_string())
}

fn harness_with_path(dir: &Path, args: &[&str], path: std::ffi::OsString) -> Output {
    Command::new(env!("CARGO_BIN_EXE_harness"))
        .args(["run", "s", "--ruff", "ruff", "--seed", "5", "--out", "out"])
        .args(args)
        .current_dir(dir)
        .env("PATH", path)
        .output()
        .unwrap()
}

fn only_run(out: &Path) -> PathBuf {
    std::fs::read_dir(out)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// summary.csv as (benchmark, config) -> column -> value.
fn summary(run: &Path) -> HashMap<(String, String), HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(run.join("summary.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let row: HashMap<String, String> = headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect();
            ((row["benchmark"].clone(), row["config"].clone()), row)
        })
        .collect()
}

/// (benchmark, config) -> statuses of its invocations' rows.
fn statuses(run: &Path) -> HashMap<(String, String), Vec<Status>> {
    let mut out: HashMap<(String, String), Vec<Status>> = HashMap::new();
    for row in read_results(&run.join("results.csv")).unwrap() {
        out.entry((row.benchmark, row.config))
            .or_default()
            .push(row.status);
    }
    out
}

fn key(b: &str, c: &str) -> (String, String) {
    (b.to_string(), c.to_string())
}

#[test]
fn twins_run_as_configs_with_speedups_over_a_peer_reference() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    setup(
        d,
        &[
            ("a", &[("lua", "ok"), ("py", "ok")]),
            ("b", &[("py", "ok")]),
        ],
        &["lua5.4", "python3"],
    );
    let o = harness(
        d,
        &[
            "--configs",
            "interp,lua5.4,python3,node",
            "--reference",
            "lua5.4",
        ],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    // No node on PATH: the config is reported and skipped; b has no Lua twin: skipped too.
    assert!(
        err.contains("skipped: config node: `node` not found on PATH"),
        "{err}"
    );
    assert!(
        err.contains(
            "skipped: lua5.4 on 1 benchmark(s) without a twin (NAME.lua beside NAME.ruff): b"
        ),
        "{err}"
    );
    let run = only_run(&d.join("out"));
    let rows = statuses(&run);
    // 3 invocations x 4 iterations for every pair that runs, none for the skipped ones.
    for pair in [
        key("a", "interp"),
        key("a", "lua5.4"),
        key("a", "python3"),
        key("b", "interp"),
        key("b", "python3"),
    ] {
        let s = &rows[&pair];
        assert_eq!(s.len(), 12, "{pair:?}");
        assert!(s.iter().all(|s| *s == Status::Ok), "{pair:?}: {s:?}");
    }
    assert!(!rows.contains_key(&key("b", "lua5.4")));
    assert!(!rows.keys().any(|(_, c)| c == "node"));
    // The fake ruff takes twice as long as the fake twins: interp is 0.5x the Lua reference.
    let sum = summary(&run);
    let interp = &sum[&key("a", "interp")];
    assert_eq!(interp["reference"], "lua5.4");
    let speedup: f64 = interp["speedup"].parse().unwrap();
    assert!((speedup - 0.5).abs() < 0.01, "{speedup}");
    let python: f64 = sum[&key("a", "python3")]["speedup"].parse().unwrap();
    assert!((python - 1.0).abs() < 0.01, "{python}");
    // run.json names the interpreters it used and what it skipped.
    let info: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("run.json")).unwrap()).unwrap();
    let peers = &info["resolved"]["peers"];
    let lua = peers["found"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["config"] == "lua5.4")
        .unwrap();
    assert_eq!(lua["program"], d.join("bin/lua5.4").to_str().unwrap());
    assert_eq!(peers["skipped"].as_array().unwrap().len(), 2, "{peers}");
    assert!(info["executor"].as_str().unwrap().contains("lua5.4 = "));
}

#[test]
fn a_wrong_or_failing_twin_is_recorded_and_the_run_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    setup(
        d,
        &[
            ("a", &[("lua", "wrong"), ("py", "fail")]),
            ("b", &[("lua", "ok")]),
        ],
        &["lua5.4", "python3"],
    );
    let o = harness(d, &["--configs", "interp,lua5.4,python3"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "a lua5.4 #0: wrong-output: iteration 0: expected `Result: 42`, got `Result: 41`"
        ),
        "{err}"
    );
    assert!(
        err.contains("a python3 #0: error: exit code 3: twin: runtime error: boom"),
        "{err}"
    );
    let run = only_run(&d.join("out"));
    let rows = statuses(&run);
    assert!(rows[&key("a", "lua5.4")]
        .iter()
        .all(|s| *s == Status::WrongOutput));
    assert!(rows[&key("a", "python3")]
        .iter()
        .all(|s| *s == Status::Error));
    for pair in [key("a", "interp"), key("b", "interp"), key("b", "lua5.4")] {
        assert!(rows[&pair].iter().all(|s| *s == Status::Ok), "{pair:?}");
    }
    // Every planned invocation is in the log: 3 invocations x (2 + 2 + 1) pairs.
    let log = std::fs::read_to_string(run.join("invocations.jsonl")).unwrap();
    assert_eq!(log.lines().count(), 15);
    let sum = summary(&run);
    assert_eq!(sum[&key("a", "lua5.4")]["ok"], "0");
    assert_eq!(sum[&key("b", "lua5.4")]["ok"], "3");
}

#[test]
fn bad_peer_input_exits_2_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    setup(d, &[("a", &[("lua", "ok")])], &["lua5.4"]);
    let cases: &[(&[&str], &str)] = &[
        (&["--configs", "luajit:threshold=1"], "takes no knobs"),
        (&["--configs", "lua"], "unknown config 'lua'"),
        // Nothing left to run: node is missing, and `a` has no Python twin.
        (
            &["--configs", "node,python3"],
            "nothing to run: every benchmark x config pair is skipped",
        ),
        (
            &["--configs", "lua5.4", "--executor", "in-process"],
            "lua5.4",
        ),
    ];
    for (args, needle) in cases {
        let o = harness(d, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
        assert!(!d.join("out").exists(), "{args:?} wrote a run folder");
    }
}

/// A native twin speaking the protocol in a few lines of Rust.
const NATIVE_TWIN: &str = r#"
use std::io::Write;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: u32 = args[1].parse().unwrap();
    let mut records = std::fs::File::create(&args[2]).unwrap();
    for i in 0..n {
        let start = std::time::Instant::now();
        let line = format!("Result: {}\n", std::hint::black_box(40) + 2);
        std::io::stdout().write_all(line.as_bytes()).unwrap();
        std::io::stdout().flush().unwrap();
        let ns = start.elapsed().as_nanos();
        writeln!(records, "{{\"iteration\":{i},\"wall_ns\":{ns},\"stdout_bytes\":{}}}", line.len()).unwrap();
    }
}
"#;

#[test]
fn native_twins_are_compiled_once_into_the_run_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    setup(d, &[("a", &[]), ("broken", &[])], &[]);
    std::fs::write(d.join("s/a.rs"), NATIVE_TWIN).unwrap();
    std::fs::write(d.join("s/broken.rs"), "fn main() { undefined_name(); }").unwrap();
    // The real rustc and linker, from this test's PATH (cargo's toolchain).
    let path = std::env::join_paths(std::iter::once(d.join("bin")).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    let o = harness_with_path(d, &["--configs", "native"], path);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let run = only_run(&d.join("out"));
    assert!(run.join("native/s/a").is_file());
    let rows = statuses(&run);
    assert!(rows[&key("a", "native")].iter().all(|s| *s == Status::Ok));
    assert_eq!(rows[&key("broken", "native")].len(), 3);
    assert!(rows[&key("broken", "native")]
        .iter()
        .all(|s| *s == Status::Error));
    // The compile error is each invocation's message, and the run went on.
    assert!(err.contains("broken native #0: error: rustc -O"), "{err}");
    assert!(err.contains("broken native #2: error: rustc -O"), "{err}");
}
