//! Whole runs through the library with the mock executor: scheduling, verification,
//! rows, resume, statistics and the summary, all deterministic.

use std::path::{Path, PathBuf};

use clap::Parser;
use harness::cli::{Cli, Command, RunArgs};
use harness::exec::mock::{MockExecutor, MockFailure};
use harness::exec::{Executor, RawOutcome, Request};
use harness::output::results::{read_results, COLUMNS};
use harness::{plan, runner};

fn suite(dir: &Path) -> PathBuf {
    let s = dir.join("suite");
    std::fs::create_dir_all(&s).unwrap();
    for b in ["fib", "sieve"] {
        std::fs::write(s.join(format!("{b}.ruff")), "").unwrap();
    }
    std::fs::write(
        s.join("suite.toml"),
        r#"
        [suite]
        name = "t"
        invocations = 8
        iterations = 12
        [[benchmark]]
        name = "fib"
        file = "fib.ruff"
        result = "42"
        [[benchmark]]
        name = "sieve"
        file = "sieve.ruff"
        result = "7"
        "#,
    )
    .unwrap();
    s
}

fn args(dir: &Path, extra: &[&str]) -> RunArgs {
    let suite = suite(dir);
    let out = dir.join("reports");
    let ruff = suite.join("suite.toml"); // never run by the mock; only has to exist
    let mut argv: Vec<String> = [
        "harness",
        "run",
        suite.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    argv.extend(["--ruff".to_string(), ruff.to_str().unwrap().to_string()]);
    argv.extend(extra.iter().map(|s| s.to_string()));
    match Cli::parse_from(argv).command {
        Command::Run(args) => args,
        other => panic!("not a run: {other:?}"),
    }
}

/// interp is 10% slower than jit-spec in steady state; iteration 0 is slow (warm-up); seeded
/// uniform noise of +-1% per iteration and +-2% per invocation stands in for a real machine.
fn planted_times(req: &Request, iteration: u32) -> u64 {
    use rand::Rng;
    let base = if req.config == "interp" {
        1_100_000.0
    } else {
        1_000_000.0
    };
    let key = format!("{}/{}/{}", req.benchmark.name, req.config, req.invocation);
    let mut inv_rng = harness::stats::rng_for(1, &key);
    let per_invocation = 1.0 + inv_rng.gen_range(-0.02..0.02);
    let mut it_rng = harness::stats::rng_for(u64::from(iteration), &key);
    let noise = 1.0 + it_rng.gen_range(-0.01..0.01);
    let warm = if iteration == 0 { 3.0 } else { 1.0 };
    (base * per_invocation * noise * warm) as u64
}

#[test]
fn a_mock_run_writes_rows_summary_and_finds_the_planted_speedup() {
    let tmp = tempfile::tempdir().unwrap();
    let mut plan = plan::resolve(args(
        tmp.path(),
        &["--configs", "interp,jit-spec", "--seed", "7"],
    ))
    .unwrap();
    plan.create_run_dir().unwrap();
    let mut mock =
        MockExecutor::new(planted_times).fail("sieve", "jit-spec", 3, MockFailure::Crash);
    let report = runner::run(&plan, &mut mock, false).unwrap();

    // Interleaving: each round runs every benchmark under both configs before the next round.
    assert_eq!(mock.calls.len(), 2 * 2 * 8);
    for (i, chunk) in mock.calls.chunks(4).enumerate() {
        assert!(chunk.iter().all(|c| c.2 == i as u32), "{chunk:?}");
        assert_eq!(chunk.iter().filter(|c| c.1 == "interp").count(), 2);
    }

    let csv = std::fs::read_to_string(plan.run_dir.join("results.csv")).unwrap();
    assert_eq!(csv.lines().next().unwrap(), COLUMNS.join(","));
    let rows = read_results(&plan.run_dir.join("results.csv")).unwrap();
    assert_eq!(
        rows.len(),
        31 * 12 + 1,
        "31 ok invocations of 12 rows, 1 crash row"
    );
    assert!(rows.iter().any(|r| r.status == harness::exec::Status::Crash
        && r.benchmark == "sieve"
        && r.invocation == 3));

    let fib = report
        .analysis
        .summary
        .iter()
        .find(|s| s.benchmark == "fib" && s.config == "jit-spec")
        .unwrap();
    let (lo, hi) = (fib.speedup_lo.unwrap(), fib.speedup_hi.unwrap());
    assert!(
        lo <= 1.10 && 1.10 <= hi && lo > 1.0,
        "speedup CI [{lo}, {hi}]"
    );
    assert_eq!(fib.steady_class, "warmup");
    assert_eq!(fib.warmup_median, Some(1.0));
    let sieve = report
        .analysis
        .summary
        .iter()
        .find(|s| s.benchmark == "sieve" && s.config == "jit-spec")
        .unwrap();
    assert_eq!(
        (sieve.ok, sieve.failed, sieve.failures.as_str()),
        (7, 1, "crash=1")
    );
    assert!(!report.all_ok());

    for f in [
        "summary.csv",
        "invocations.csv",
        "run.json",
        "invocations.jsonl",
    ] {
        assert!(plan.run_dir.join(f).is_file(), "{f}");
    }
    let info: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(plan.run_dir.join("run.json")).unwrap())
            .unwrap();
    assert_eq!(info["state"], "finished");
    assert_eq!(info["method"]["analysis"]["seed"], 7);
    assert_eq!(info["status_counts"]["crash"], 1);
}

/// Fails (as a harness error) after `limit` invocations, like a run killed midway.
struct Dying {
    inner: MockExecutor,
    limit: usize,
}

impl Executor for Dying {
    fn describe(&self) -> String {
        "dying".into()
    }
    fn execute(&mut self, request: &Request) -> anyhow::Result<RawOutcome> {
        if self.inner.calls.len() == self.limit {
            anyhow::bail!("killed");
        }
        self.inner.execute(request)
    }
}

#[test]
fn resume_finishes_a_killed_run_without_duplicating_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let mut plan = plan::resolve(args(
        tmp.path(),
        &["--configs", "interp,jit", "-n", "3", "-i", "4"],
    ))
    .unwrap();
    plan.create_run_dir().unwrap();
    let mut dying = Dying {
        inner: MockExecutor::new(planted_times),
        limit: 5,
    };
    assert!(runner::run(&plan, &mut dying, false).is_err());
    plan.lock = None; // the killed process's lock dies with it
                      // A kill between writing rows and marking the invocation done leaves stray rows.
    let results = plan.run_dir.join("results.csv");
    let mut text = std::fs::read_to_string(&results).unwrap();
    text.push_str("x,t,fib,jit,2,0,5,ok,,,,,,,,,,,\nx,t,fib,ji");
    std::fs::write(&results, text).unwrap();

    let mut resume = args(tmp.path(), &[]);
    resume.resume = Some(plan.run_dir.clone());
    let resumed = plan::resolve(resume).unwrap();
    assert_eq!(resumed.tasks.len(), 2 * 2 * 3 - 5);
    assert_eq!(resumed.run_id, plan.run_id);
    assert_eq!(resumed.seed, plan.seed);
    let mut mock = MockExecutor::new(planted_times);
    let report = runner::run(&resumed, &mut mock, false).unwrap();
    assert_eq!(mock.calls.len(), 7);
    let rows = read_results(&results).unwrap();
    assert_eq!(rows.len(), 12 * 4);
    let mut keys: Vec<_> = rows
        .iter()
        .map(|r| (&r.benchmark, &r.config, r.invocation, r.iteration))
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 48, "no duplicated rows");
    assert!(report.all_ok());
    assert!(report.analysis.summary.iter().all(|s| s.ok == 3));
}

#[test]
fn wrong_output_is_a_status_not_a_number() {
    let tmp = tempfile::tempdir().unwrap();
    let mut plan = plan::resolve(args(
        tmp.path(),
        &["--configs", "jit", "-n", "2", "--bench", "fib"],
    ))
    .unwrap();
    plan.create_run_dir().unwrap();
    let mut mock = MockExecutor::new(planted_times).fail("fib", "jit", 1, MockFailure::WrongOutput);
    let report = runner::run(&plan, &mut mock, false).unwrap();
    let s = &report.analysis.summary[0];
    assert_eq!(
        (s.benchmark.as_str(), s.ok, s.failures.as_str()),
        ("fib", 1, "wrong-output=1")
    );
    assert!(report.failures[0].contains("iteration 11") && report.failures[0].contains("wrong"));
}

#[test]
fn of_two_concurrent_resumes_one_is_refused_and_no_row_is_lost() {
    let tmp = tempfile::tempdir().unwrap();
    let mut plan = plan::resolve(args(
        tmp.path(),
        &["--configs", "interp,jit", "-n", "3", "-i", "4"],
    ))
    .unwrap();
    plan.create_run_dir().unwrap();
    let mut dying = Dying {
        inner: MockExecutor::new(planted_times),
        limit: 5,
    };
    assert!(runner::run(&plan, &mut dying, false).is_err());
    plan.lock = None;

    let resume = || {
        let mut a = args(tmp.path(), &[]);
        a.resume = Some(plan.run_dir.clone());
        plan::resolve(a)
    };
    let first = resume().unwrap();
    // The second writer is refused while the first holds the folder, in this process...
    let err = format!("{:#}", resume().unwrap_err());
    assert!(
        err.contains(&format!("pid {}", std::process::id())),
        "{err}"
    );
    // ...and from another process, with exit 2 and the owner's pid.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_harness"))
        .current_dir(tmp.path())
        .args(["run", "--resume", plan.run_dir.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("pid {}", std::process::id())),
        "{stderr}"
    );

    let mut mock = MockExecutor::new(planted_times);
    runner::run(&first, &mut mock, false).unwrap();
    drop(first);
    let rows = read_results(&plan.run_dir.join("results.csv")).unwrap();
    assert_eq!(rows.len(), 12 * 4, "every invocation of the plan, once");
    // The folder is free again: a further resume finds nothing left to run.
    assert!(resume().unwrap().tasks.is_empty());
}
