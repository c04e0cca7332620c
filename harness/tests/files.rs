//! Benchmarks without a manifest, end to end with the stand-in `ruff`: `harness run FILE.ruff`
//! (expected output taken from the interp run and labelled so), the refusals that need a
//! manifest instead, and `harness init DIR` writing one that then runs.

#[path = "fake_ruff/mod.rs"]
mod fake_ruff;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn harness(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_harness"))
        .args(args)
        .current_dir(cwd)
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

/// `prog/NAME.ruff` for each (name, behaviour), and the fake ruff.
fn programs(dir: &Path, files: &[(&str, &str)]) -> PathBuf {
    let prog = dir.join("prog");
    std::fs::create_dir_all(&prog).unwrap();
    for (name, behaviour) in files {
        std::fs::write(prog.join(format!("{name}.ruff")), behaviour).unwrap();
    }
    fake_ruff::install(dir);
    prog
}

fn only_run(out: &Path) -> PathBuf {
    let mut runs: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(runs.len(), 1, "{runs:?}");
    runs.remove(0)
}

#[test]
fn programs_run_without_a_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    programs(d, &[("b", "ok"), ("c", "ok")]);
    let o = harness(
        &[
            "run",
            "prog/b.ruff",
            "prog/c.ruff",
            "--ruff",
            "ruff",
            "-n",
            "2",
            "-i",
            "3",
            "--out",
            "out",
        ],
        d,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("b: expected output taken from its interp run: Result: 42"),
        "{}",
        text(&o)
    );
    let run = only_run(&d.join("out"));
    let csv = std::fs::read_to_string(run.join("results.csv")).unwrap();
    // 2 programs x the default configs (interp, jit-spec) x 2 invocations x 3 iterations.
    assert_eq!(csv.lines().count(), 1 + 2 * 2 * 2 * 3, "{csv}");
    assert!(csv.contains(",files,b,jit-spec,"), "{csv}");
    assert!(csv.contains(",files,c,interp,"), "{csv}");
    let json = std::fs::read_to_string(run.join("run.json")).unwrap();
    assert!(
        json.contains("expected output taken from each program's interp run"),
        "labelled in run.json: {json}"
    );
}

#[test]
fn programs_that_cannot_give_an_expected_output_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    programs(d, &[("broken", "fail"), ("flaky", "wrong"), ("ok", "ok")]);
    for (file, needle) in [
        ("prog/broken.ruff", "the interp run failed (exit code 70"),
        ("prog/flaky.ruff", "iteration 0 printed"),
        ("prog/missing.ruff", "no such program"),
    ] {
        let o = harness(&["run", file, "--ruff", "ruff", "--out", "out"], d);
        assert_eq!(o.status.code(), Some(2), "{file}: {}", text(&o));
        assert!(text(&o).contains(needle), "{file}: {}", text(&o));
    }
    assert!(!d.join("out").exists(), "nothing written");
    // A folder of programs without a manifest: the two ways forward are named.
    let o = harness(&["run", "prog", "--ruff", "ruff"], d);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains("harness run prog/*.ruff") && text(&o).contains("harness init prog"),
        "{}",
        text(&o)
    );
}

#[test]
fn init_writes_a_manifest_that_runs_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    programs(d, &[("fib", "ok"), ("broken", "fail")]);
    let o = harness(&["init", "prog", "--ruff", "ruff"], d);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let manifest = std::fs::read_to_string(d.join("prog/suite.toml")).unwrap();
    assert!(manifest.contains("result = \"42\"  # from an interp run: check it"));
    assert!(manifest.contains("# Left out broken.ruff"), "{manifest}");
    let o = harness(&["init", "prog", "--ruff", "ruff"], d);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("never overwrites"));
    let o = harness(
        &["run", "prog", "--ruff", "ruff", "--quick", "--out", "out"],
        d,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let csv = std::fs::read_to_string(only_run(&d.join("out")).join("results.csv")).unwrap();
    assert!(csv.contains(",prog,fib,interp,") && csv.contains(",prog,fib,jit-spec,"));
}
