//! `harness ab` end to end against two stand-in `ruff` scripts whose iteration times are
//! planted: the same build twice (A/A) is no regression (exit 0), a build 20% slower is
//! (exit 1), and the run folder holds the interleaved invocations of both, the usual files
//! and the verdict.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A `ruff bench` stand-in whose iterations take BASE ns plus a jitter of at most 1.3% that
/// depends on its pid (so invocations differ) and the iteration.
fn fake_ruff(dir: &Path, name: &str, base: u64) -> PathBuf {
    let script = format!(
        r#"#!/bin/sh
file=$2; n=1; rec=/dev/stderr
shift 2
while [ $# -gt 0 ]; do
  case $1 in --iterations) n=$2; shift 2;; --records) rec=$2; shift 2;; *) shift;; esac
done
i=0
while [ $i -lt $n ]; do
  echo "Result: 42"
  w=$(( {base} + ($$ * 7 + i * 3) % 13 ))
  echo "{{\"iteration\":$i,\"wall_ns\":$w,\"stdout_bytes\":11}}" >> "$rec"
  i=$((i+1))
done
"#
    );
    let path = dir.join(name);
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn setup(dir: &Path) -> PathBuf {
    let suite = dir.join("s");
    std::fs::create_dir_all(&suite).unwrap();
    let mut toml = String::from(
        "[suite]\nname = \"s\"\ninvocations = 4\niterations = 5\nconfigs = [\"interp\", \"jit\"]\n",
    );
    for b in ["one", "two"] {
        std::fs::write(suite.join(format!("{b}.ruff")), "").unwrap();
        toml.push_str(&format!(
            "[[benchmark]]\nname = \"{b}\"\nfile = \"{b}.ruff\"\nresult = \"42\"\n"
        ));
    }
    std::fs::write(suite.join("suite.toml"), toml).unwrap();
    suite
}

fn ab(dir: &Path, a: &Path, b: &Path, out: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_harness"))
        .current_dir(dir)
        .args(["ab", "s", "--seed", "3", "-o", out, "--a"])
        .arg(a)
        .arg("--b")
        .arg(b)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn a_a_is_quiet_and_a_planted_slowdown_is_caught_from_one_interleaved_run() {
    let tmp = tempfile::tempdir().unwrap();
    setup(tmp.path());
    let a = fake_ruff(tmp.path(), "ruff-a", 1_000_000);
    let a2 = fake_ruff(tmp.path(), "ruff-a2", 1_000_000);
    let slow = fake_ruff(tmp.path(), "ruff-slow", 1_200_000);

    let o = ab(tmp.path(), &a, &a2, "aa");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("0 regression(s)"), "{}", text(&o));
    assert!(
        text(&o).contains("B/A geometric mean: 1.00"),
        "{}",
        text(&o)
    );

    let o = ab(tmp.path(), &a, &slow, "slow");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("4 regression(s)"), "{}", text(&o));
    assert!(text(&o).contains("B/A geometric mean: 1.2"), "{}", text(&o));

    // The usual run folder: both builds' invocations, interleaved, and the verdict files.
    let run = std::fs::read_dir(tmp.path().join("slow"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    for f in [
        "results.csv",
        "summary.csv",
        "run.json",
        "index.html",
        "ab.txt",
        "ab.md",
    ] {
        assert!(run.join(f).is_file(), "{f}");
    }
    let log = std::fs::read_to_string(run.join("invocations.jsonl")).unwrap();
    let sides: Vec<char> = log
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["config"].as_str().unwrap().chars().next().unwrap()
        })
        .collect();
    assert_eq!(sides.len(), 2 * 2 * 2 * 4);
    assert_eq!(sides.iter().filter(|&&c| c == 'a').count(), 16);
    // Randomized interleaving: neither side runs all its invocations first.
    assert!(sides[..16].contains(&'a') && sides[..16].contains(&'b'));
    let info: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("run.json")).unwrap()).unwrap();
    assert!(info["ab"]["b"]["ruff"]
        .as_str()
        .unwrap()
        .ends_with("ruff-slow"));
}

#[test]
fn bad_builds_are_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    setup(tmp.path());
    let a = fake_ruff(tmp.path(), "ruff-a", 1_000_000);
    let o = ab(tmp.path(), &a, Path::new("no-such-ruff"), "x");
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("--b"), "{}", text(&o));
}
