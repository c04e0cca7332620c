//! `harness ab SUITE --a RUFF_A --b RUFF_B`: two builds of `ruff` measured in one run, the
//! wall-time gate for a change on a noisy machine (the instruction-count gate is
//! `scripts/ci-perf.sh`).
//!
//! Method: randomized multiple interleaved trials (Abedi & Brecht 2017, "Conducting
//! Repeatable Experiments in Highly Variable Cloud Computing Environments", ICPE): each trial
//! (one invocation index) runs every benchmark × config on both builds, one process each, in
//! an order shuffled by the run's seed; the trials follow one another. Drift and other load
//! therefore fall on A and B alike instead of on whichever build ran second, which is what a
//! baseline recorded earlier cannot offer. Per benchmark × config the result is B/A of the
//! medians with a hierarchical bootstrap CI ([`crate::analysis::intervals`]) and the verdict
//! rule of `harness compare` ([`crate::gate::compare::verdict`]); over all of them, the
//! geometric mean of B/A with its CI ([`judge`]).
//!
//! The run folder is a usual one (`-o/--out`, results.csv, summary.csv, run.json, report),
//! with configs named `a:CONFIG` and `b:CONFIG`, plus `ab.txt` and `ab.md` (the verdict).
//! Exit codes: 0 no regression, 1 a regression, 2 bad input or harness error.

pub mod judge;

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use rand::seq::SliceRandom;

use crate::cli::{ExecutorKind, RunArgs};
use crate::exec::ab::{AbExecutor, Side};
use crate::exec::subprocess::{SubprocessExecutor, DEFAULT_ITERATION_SYMBOL};
use crate::exec::Measure;
use crate::plan::{self, Plan};
use crate::runner;

/// Default wall-time threshold of `harness ab`: lower than `compare`'s 5% because the
/// interleaving removes the drift between two runs made at different times, which is what
/// `compare`'s threshold has to absorb (scripts/validate-gate.sh measures both error rates).
pub const AB_WALL_THRESHOLD: f64 = 0.03;

/// `harness ab`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  harness ab suites/jit --a base/ruff --b target/release/ruff
  harness ab suites/gate --a ruff --b ruff --pair sum_loop=sum_loop_plus10   (a planted change)

Exit codes: 0 no regression; 1 a regression (B slower than A beyond the threshold, CI above 0); 2 bad input or harness error.")]
pub struct AbArgs {
    /// Suite folders (each holding suite.toml).
    #[arg(required = true)]
    pub suites: Vec<PathBuf>,
    /// The `ruff` binary of build A (the reference).
    #[arg(long, value_name = "RUFF_A")]
    pub a: PathBuf,
    /// The `ruff` binary of build B (the change).
    #[arg(long, value_name = "RUFF_B")]
    pub b: PathBuf,
    /// Configs to run on both builds (default: the suite's).
    #[arg(short, long = "configs", value_name = "LIST")]
    pub configs: Vec<String>,
    /// Only benchmarks whose name contains NAME, or `tag:TAG`.
    #[arg(long = "bench", value_name = "NAME", value_delimiter = ',')]
    pub bench: Vec<String>,
    /// Trials: processes per benchmark × config × build, 1 to 1000000 (default: the
    /// suite's; at least 3 for a confidence interval).
    #[arg(short = 'n', long, value_parser = crate::manifest::parse_count)]
    pub invocations: Option<u32>,
    /// Iterations per process, 1 to 1000000 (default: the suite's).
    #[arg(short = 'i', long, value_parser = crate::manifest::parse_count)]
    pub iterations: Option<u32>,
    /// Seconds before an invocation is killed, > 0 and <= 86400.
    #[arg(long, value_name = "SECONDS", value_parser = crate::manifest::parse_timeout)]
    pub timeout: Option<f64>,
    /// Folder for run folders.
    #[arg(short, long, default_value = "reports")]
    pub out: PathBuf,
    /// Seed of the order of the trials and of the bootstrap (default: random, recorded).
    #[arg(long)]
    pub seed: Option<u64>,
    /// What to measure per iteration.
    #[arg(long, value_enum, default_value_t = Measure::Wall)]
    pub measure: Measure,
    /// Smallest change that counts, e.g. `5%` (default 3% for wall time, 0.5% for
    /// instructions).
    #[arg(long)]
    pub threshold: Option<String>,
    /// Run benchmark BASE on A and VARIANT on B and judge VARIANT as BASE (repeatable; only
    /// paired benchmarks then run): checks the gate against a planted change with one binary.
    /// BASE=BASE runs BASE on both sides.
    #[arg(long, value_name = "BASE=VARIANT")]
    pub pair: Vec<String>,
}

/// Runs `harness ab`; returns the exit code.
pub fn ab_command(args: &AbArgs) -> i32 {
    match ab(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            2
        }
    }
}

fn ab(args: &AbArgs) -> Result<i32> {
    let threshold = match &args.threshold {
        Some(t) => crate::gate::parse_threshold(t)?,
        None if args.measure == Measure::Instructions => crate::gate::INSTRUCTIONS_THRESHOLD,
        None => crate::gate::WALL_THRESHOLD,
    };
    let pairs = crate::gate::parse_pairs(&args.pair)?;
    let a = plan::find_ruff(Some(&args.a)).context("--a")?;
    let b = plan::find_ruff(Some(&args.b)).context("--b")?;
    let mut bench = args.bench.clone();
    if !bench.is_empty() {
        // The variants of --pair must run even when --bench names only their bases.
        bench.extend(pairs.iter().flat_map(|(x, y)| [x.clone(), y.clone()]));
    }
    let threshold = if args.threshold.is_none() && args.measure == Measure::Wall {
        AB_WALL_THRESHOLD
    } else {
        threshold
    };
    let run_args = RunArgs {
        suites: args.suites.clone(),
        configs: args.configs.clone(),
        bench,
        invocations: args.invocations,
        iterations: args.iterations,
        until_stable: None,
        max_iterations: None,
        wide: false,
        quick: false,
        timeout: args.timeout,
        out: args.out.clone(),
        resume: None,
        seed: args.seed,
        ruff: Some(a.clone()),
        measure: args.measure,
        executor: ExecutorKind::Subprocess,
        reference: None,
        resamples: crate::stats::DEFAULT_RESAMPLES,
        iteration_symbol: DEFAULT_ITERATION_SYMBOL.to_string(),
        profile: false,
        perf_map: false,
        shard: None,
    };
    let mut plan = plan::resolve(run_args)?;
    into_sides(&mut plan, &pairs)?;
    let mut executor = AbExecutor {
        a: SubprocessExecutor::new(a.clone(), DEFAULT_ITERATION_SYMBOL.into())?,
        b: SubprocessExecutor::new(b.clone(), DEFAULT_ITERATION_SYMBOL.into())?,
    };
    plan.create_run_dir()?;
    eprintln!(
        "ab {}: {} invocations, A and B interleaved in random order, writing {}",
        plan.run_id,
        plan.tasks.len(),
        plan.run_dir.display()
    );
    let report = runner::run(&plan, &mut executor, true)?;
    record_builds(&plan, &a, &b)?;
    if let Err(e) = crate::report::generate(&plan.run_dir) {
        eprintln!("warning: report not written: {e:#}");
    }
    let verdict = judge::judge_run(&plan.run_dir, args.measure, threshold, &pairs)?;
    let text = verdict.terminal();
    print!("{text}");
    std::fs::write(plan.run_dir.join("ab.txt"), &text)?;
    std::fs::write(plan.run_dir.join("ab.md"), verdict.markdown(&a, &b))?;
    println!("results: {}", plan.run_dir.display());
    if !report.all_ok() {
        eprintln!(
            "warning: {} invocation(s) failed (see above); they are left out of the verdict",
            report.failures.len()
        );
    }
    Ok(i32::from(verdict.has_regression()))
}

/// Turns a plan of configs into one of `a:`/`b:` configs: every task once per side (with
/// `--pair BASE=VARIANT`, BASE on A only and VARIANT on B only), each trial's tasks in an
/// order shuffled by the seed.
pub fn into_sides(plan: &mut Plan, pairs: &[(String, String)]) -> Result<()> {
    for (base, variant) in pairs {
        for name in [base, variant] {
            let found = plan
                .suites
                .iter()
                .any(|s| s.benchmarks.iter().any(|b| &b.name == name));
            if !found {
                bail!("--pair {base}={variant}: no benchmark `{name}` in the suites");
            }
        }
    }
    let mut rng = crate::stats::rng_for(plan.seed, "ab-order");
    let mut tasks = Vec::new();
    let mut trial = Vec::new();
    let old = std::mem::take(&mut plan.tasks);
    for (i, task) in old.iter().enumerate() {
        let name = &plan.suites[task.suite].benchmarks[task.benchmark].name;
        let in_pair = pairs.iter().any(|(b, v)| b == name || v == name);
        for side in [Side::A, Side::B] {
            // With --pair, only the paired benchmarks run: BASE on A, VARIANT on B (both, for
            // BASE=BASE: an A/A pair).
            let skip = !pairs.is_empty()
                && (!in_pair
                    || match side {
                        Side::A => !pairs.iter().any(|(b, _)| b == name),
                        Side::B => !pairs.iter().any(|(_, v)| v == name),
                    });
            if !skip {
                trial.push(plan::Task {
                    config: side.config(&task.config),
                    ..task.clone()
                });
            }
        }
        let trial_ends = old
            .get(i + 1)
            .is_none_or(|next| next.invocation != task.invocation);
        if trial_ends {
            trial.shuffle(&mut rng);
            tasks.append(&mut trial);
        }
    }
    plan.tasks = tasks;
    plan.total_tasks = plan.tasks.len();
    plan.configs = plan
        .configs
        .iter()
        .flat_map(|c| [Side::A.config(c), Side::B.config(c)])
        .collect();
    plan.reference = Side::A.config(&plan.reference);
    Ok(())
}

/// Adds the two builds to `run.json` (`ab.a`, `ab.b`: path and `--version`).
fn record_builds(plan: &Plan, a: &std::path::Path, b: &std::path::Path) -> Result<()> {
    let mut info = crate::output::run_json::read(&plan.run_dir)?;
    let build = |p: &std::path::Path| {
        serde_json::json!({
            "ruff": p,
            "version": crate::output::run_json::command_output(&p.to_string_lossy(), &["--version"]),
        })
    };
    info["ab"] = serde_json::json!({
        "a": build(a),
        "b": build(b),
        "method": "randomized multiple interleaved trials (Abedi & Brecht, ICPE 2017)",
    });
    let path = plan.run_dir.join(crate::output::run_json::FILE);
    std::fs::write(&path, serde_json::to_string_pretty(&info)?)
        .with_context(|| format!("writing {}", path.display()))
}
