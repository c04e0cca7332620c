//! `harness history` over three synthetic runs (mock executor) of three commits: a slowdown
//! planted in the third commit's `fib` under `jit` is marked as a regression, nothing else
//! is, and bad input is refused with exit 2.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use clap::Parser;
use harness::cli::{Cli, Command as Sub};
use harness::exec::mock::MockExecutor;
use harness::exec::Request;
use harness::{plan, runner};

fn suite(dir: &Path) -> PathBuf {
    let s = dir.join("suite");
    std::fs::create_dir_all(&s).unwrap();
    let mut toml = String::from("[suite]\nname = \"t\"\ninvocations = 6\niterations = 8\n");
    for b in ["fib", "sieve"] {
        std::fs::write(s.join(format!("{b}.ruff")), "").unwrap();
        toml.push_str(&format!(
            "[[benchmark]]\nname = \"{b}\"\nfile = \"{b}.ruff\"\nresult = \"1\"\n"
        ));
    }
    std::fs::write(s.join("suite.toml"), toml).unwrap();
    s
}

/// A run of commit `commit` started at `started`, in which `fib` under `jit` takes
/// `fib_jit` times as long as in the first commit; +-1.5% noise per iteration and per
/// invocation, drawn afresh in every run.
fn run(dir: &Path, commit: &str, started: &str, fib_jit: f64, seed: u64) -> PathBuf {
    use rand::Rng;
    let suite = suite(dir);
    let (runs, ruff) = (dir.join("runs"), suite.join("suite.toml"));
    let argv = [
        "harness",
        "run",
        suite.to_str().unwrap(),
        "--out",
        runs.to_str().unwrap(),
        "--ruff",
        ruff.to_str().unwrap(),
        "--configs",
        "interp,jit",
        "--seed",
        &seed.to_string(),
    ];
    let Sub::Run(args) = Cli::parse_from(argv).command else {
        panic!("not a run")
    };
    let mut plan = plan::resolve(args).unwrap();
    plan.create_run_dir().unwrap();
    let mut rng = harness::stats::rng_for(seed, "noise");
    let mut per_invocation = (u32::MAX, 1.0);
    let mut mock = MockExecutor::new(move |req: &Request, iteration| {
        if iteration == 0 || per_invocation.0 != req.invocation {
            per_invocation = (req.invocation, 1.0 + rng.gen_range(-0.015..0.015));
        }
        let base = if req.config == "interp" { 2.0e6 } else { 1.0e6 };
        let planted = if req.benchmark.name == "fib" && req.config == "jit" {
            fib_jit
        } else {
            1.0
        };
        let noise = 1.0 + rng.gen_range(-0.015..0.015);
        (base * planted * per_invocation.1 * noise) as u64
    });
    runner::run(&plan, &mut mock, false).unwrap();
    let path = plan.run_dir.join("run.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    json["git"]["commit"] = commit.into();
    json["started_at"] = started.into();
    std::fs::write(&path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    plan.run_dir.clone()
}

fn harness(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_harness"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

fn history(dirs: &[&Path], out: &Path, cwd: &Path) -> Output {
    let mut argv: Vec<String> = vec!["history".into()];
    argv.extend(dirs.iter().map(|d| d.to_str().unwrap().to_string()));
    argv.extend(["--out".into(), out.to_str().unwrap().to_string()]);
    harness(&argv.iter().map(String::as_str).collect::<Vec<_>>(), cwd)
}

#[test]
fn a_planted_slowdown_is_marked_at_its_commit_and_nothing_else_is() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let first = run(d, "aaaa1111", "2026-01-01T10:00:00+00:00", 1.0, 1);
    let second = run(d, "bbbb2222", "2026-01-02T10:00:00+00:00", 1.0, 2);
    let third = run(d, "cccc3333", "2026-01-03T10:00:00+00:00", 1.2, 3);
    let out = d.join("history");
    // Given out of order: the history orders by time (these commits are not in git).
    let o = history(&[&third, &first, &second], &out, d);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout.contains("1 significant change(s)"), "{stdout}");

    let mut reader = csv::Reader::from_path(out.join("history.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let col = |r: &csv::StringRecord, name: &str| {
        r[headers.iter().position(|h| h == name).unwrap()].to_string()
    };
    assert_eq!(rows.len(), 3 * 2 * 2, "3 runs x 2 benchmarks x 2 configs");
    for r in &rows {
        let (order, commit) = (col(r, "order"), col(r, "commit"));
        let expected_commit = ["aaaa1111", "bbbb2222", "cccc3333"][order.parse::<usize>().unwrap()];
        assert_eq!(commit, expected_commit);
        let planted =
            commit == "cccc3333" && col(r, "benchmark") == "fib" && col(r, "config") == "jit";
        let verdict = col(r, "verdict");
        match order.as_str() {
            "0" => assert_eq!(verdict, "", "the first run has nothing to compare with"),
            _ if planted => {
                assert_eq!(verdict, "regression");
                let (lo, hi) = (col(r, "change_lo"), col(r, "change_hi"));
                let (lo, hi): (f64, f64) = (lo.parse().unwrap(), hi.parse().unwrap());
                assert!(lo <= 0.2 && 0.2 <= hi && lo > 0.05, "CI [{lo}, {hi}]");
                assert_eq!(col(r, "compared_with"), "1");
            }
            _ => assert_eq!(verdict, "no change", "{r:?}"),
        }
        let (m, lo, hi): (f64, f64, f64) = (
            col(r, "median").parse().unwrap(),
            col(r, "median_lo").parse().unwrap(),
            col(r, "median_hi").parse().unwrap(),
        );
        assert!(lo <= m && m <= hi);
    }
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        html.contains("t/fib</td><td>jit</td><td><code>bbbb222</code> → <code>cccc333</code>"),
        "{html}"
    );
    for i in 0..4 {
        for ext in ["png", "svg"] {
            assert!(out.join(format!("plots/trend-{i}.{ext}")).is_file());
        }
    }
}

#[test]
fn bad_input_is_refused_with_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let a = run(d, "aaaa1111", "2026-01-01T10:00:00+00:00", 1.0, 1);
    let b = run(d, "bbbb2222", "2026-01-02T10:00:00+00:00", 1.0, 2);
    let no_commit = run(d, "x", "2026-01-03T10:00:00+00:00", 1.0, 3);
    let path = no_commit.join("run.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    json["git"]["commit"] = serde_json::Value::Null;
    std::fs::write(&path, json.to_string()).unwrap();
    let corrupt = run(d, "dddd4444", "2026-01-04T10:00:00+00:00", 1.0, 4);
    let results = corrupt.join("results.csv");
    let text = std::fs::read_to_string(&results).unwrap();
    std::fs::write(&results, text.replacen(",ok,", ",fine,", 1)).unwrap();

    let out = d.join("history");
    let cases: Vec<(Vec<&Path>, &Path, &str)> = vec![
        (vec![&a, &no_commit], &out, "records no commit"),
        (vec![&a], &out, "at least 2 runs"),
        (vec![&a, &corrupt], &out, "[rule: row]"),
        (vec![&a, &b], &a, "is a run folder"),
    ];
    for (dirs, out, message) in cases {
        let o = history(&dirs, out, d);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{message}: {stderr}");
        assert!(stderr.contains(message), "expected `{message}` in {stderr}");
    }
    assert!(!out.exists(), "a refused history wrote its folder");
    assert!(
        !a.join("history.csv").exists(),
        "history wrote into a run folder"
    );
}
