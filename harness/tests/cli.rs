//! The `harness` binary end to end: bad input (exit 2, nothing written), the subprocess
//! executor against a stand-in `ruff` script that can crash, hang, fail or lie, and — when
//! the real `ruff` binary has been built next to `harness` — one quick real run.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "fake_ruff/mod.rs"]
mod fake_ruff;
use fake_ruff::FAKE_RUFF;

fn harness(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_harness"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

/// A suite with one benchmark per behaviour, and the fake ruff.
fn setup(dir: &Path, behaviours: &[&str]) -> PathBuf {
    let suite = dir.join("s");
    std::fs::create_dir_all(&suite).unwrap();
    let mut toml = String::from("[suite]\nname = \"s\"\ninvocations = 1\niterations = 3\n");
    for b in behaviours {
        std::fs::write(suite.join(format!("{b}.ruff")), b).unwrap();
        toml.push_str(&format!(
            "[[benchmark]]\nname = \"{b}\"\nfile = \"{b}.ruff\"\nresult = \"42\"\n"
        ));
    }
    std::fs::write(suite.join("suite.toml"), toml).unwrap();
    let ruff = dir.join("ruff");
    std::fs::write(&ruff, FAKE_RUFF).unwrap();
    std::fs::set_permissions(&ruff, std::fs::Permissions::from_mode(0o755)).unwrap();
    suite
}

/// The run folder under `out`: these tests start one run per output folder.
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

#[test]
fn bad_input_exits_2_naming_the_problem_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    setup(d, &["ok"]);
    let cases: &[(&[&str], &str)] = &[
        (
            &["run", "s", "--ruff", "ruff", "--configs", "interp,turbo"],
            "unknown config 'turbo'",
        ),
        (
            &["run", "s", "--ruff", "ruff", "--configs", "jit:speed=2"],
            "unknown knob 'speed'",
        ),
        (&["run", "nowhere", "--ruff", "ruff"], "nowhere/suite.toml"),
        (
            &["run", "s", "--ruff", "ruff", "--bench", "zzz"],
            "--bench 'zzz'",
        ),
        (
            &["run", "s", "--ruff", "ruff", "--out", "ruff/sub"],
            "--out ruff/sub",
        ),
        // Numeric flags have the manifest's ranges, and say them (issue 14, item 6).
        (
            &["run", "s", "--ruff", "ruff", "--timeout", "1e20"],
            "<= 86400",
        ),
        (
            &["run", "s", "--ruff", "ruff", "--timeout", "0"],
            "<= 86400",
        ),
        (
            &["run", "s", "--ruff", "ruff", "--timeout", "nan"],
            "<= 86400",
        ),
        (
            &["run", "s", "--ruff", "ruff", "-n", "4294967295"],
            "from 1 to 1000000",
        ),
        (
            &["run", "s", "--ruff", "ruff", "-i", "0"],
            "from 1 to 1000000",
        ),
        (
            &["run", "s", "--ruff", "ruff", "-i", "1000001"],
            "from 1 to 1000000",
        ),
        (&["run", "s", "--ruff", "ruff", "-n", "-1"], "'-1'"),
        (
            &["run", "s", "--ruff", "ruff", "--max-iterations", "0"],
            "from 1 to 1000000",
        ),
        (
            &["run", "s", "--ruff", "ruff", "--until-stable", "0"],
            "1..=1000",
        ),
        (
            &[
                "run",
                "s",
                "--ruff",
                "ruff",
                "--resamples",
                "18446744073709551615",
            ],
            "from 1000 to 1000000",
        ),
        (
            &["run", "s", "--ruff", "ruff", "--resamples", "999"],
            "from 1000 to 1000000",
        ),
    ];
    for (args, needle) in cases {
        let o = harness(args, d);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
    }
    std::fs::write(
        d.join("s/suite.toml"),
        "[suite]\nname = \"s\"\ninvocatons = 2\n",
    )
    .unwrap();
    let o = harness(&["run", "s", "--ruff", "ruff"], d);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("s/suite.toml") && stderr(&o).contains("invocatons"),
        "{}",
        stderr(&o)
    );
    assert!(!d.join("reports").exists(), "no run folder for bad input");
}

#[test]
fn failures_are_recorded_with_their_status_and_the_run_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    setup(d, &["ok", "crash", "hang", "fail", "wrong"]);
    let o = harness(
        &[
            "run",
            "s",
            "--ruff",
            "ruff",
            "--configs",
            "interp",
            "--timeout",
            "0.5",
            "--out",
            "out",
        ],
        d,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let run = only_run(&d.join("out"));
    let log = std::fs::read_to_string(run.join("invocations.jsonl")).unwrap();
    for (bench, status) in [
        ("ok", "ok"),
        ("crash", "crash"),
        ("hang", "timeout"),
        ("fail", "error"),
        ("wrong", "wrong-output"),
    ] {
        let line = log
            .lines()
            .find(|l| l.contains(&format!("\"benchmark\":\"{bench}\"")))
            .unwrap();
        assert!(line.contains(&format!("\"status\":\"{status}\"")), "{line}");
    }
    let results = std::fs::read_to_string(run.join("results.csv")).unwrap();
    assert_eq!(results.lines().filter(|l| l.contains(",ok,")).count(), 3);
    let ok_row = results.lines().find(|l| l.contains(",ok,")).unwrap();
    assert!(
        ok_row.ends_with(|c: char| c.is_ascii_digit()),
        "max_rss_kb recorded: {ok_row}"
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("crash=1") && out.contains("timeout=1"),
        "{out}"
    );
}

/// The real `ruff`, built into the same target folder: `cargo test --workspace` builds it (it
/// is ruff-jit's binary); alone, run `cargo build -p ruff-jit` first (same profile).
#[test]
fn quick_run_with_the_real_ruff() {
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_harness"));
    let dir = exe.parent().unwrap();
    let Some(ruff) = [dir.join("ruff"), dir.join("../release/ruff")]
        .into_iter()
        .find(|p| p.is_file())
    else {
        panic!(
            "no ruff binary next to {}: run `cargo build -p ruff-jit` with the same profile, \
             or `cargo test --workspace`",
            exe.display()
        );
    };
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let suite = d.join("tiny");
    std::fs::create_dir_all(&suite).unwrap();
    std::fs::write(
        suite.join("fib.ruff"),
        "func fib(n) { if n < 2 { return n } return fib(n - 1) + fib(n - 2) }\n\
         func run() { print(\"Result:\", fib(15)) }\nrun()\n",
    )
    .unwrap();
    std::fs::write(
        suite.join("suite.toml"),
        "[suite]\nname = \"tiny\"\n[[benchmark]]\nname = \"fib\"\nfile = \"fib.ruff\"\nresult = \"610\"\n",
    )
    .unwrap();
    let o = harness(
        &[
            "run",
            "tiny",
            "--quick",
            "--ruff",
            ruff.to_str().unwrap(),
            "--out",
            "out",
        ],
        d,
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}\n{}",
        stderr(&o),
        String::from_utf8_lossy(&o.stdout)
    );
    let run = only_run(&d.join("out"));
    let summary = std::fs::read_to_string(run.join("summary.csv")).unwrap();
    assert_eq!(summary.lines().count(), 1 + 4, "{summary}");
}
