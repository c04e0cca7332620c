//! The `harness` binary: parses the command line and dispatches each subcommand to its
//! module. Exit codes: 0 success; 1 the run finished but some invocation failed or missed its
//! manifest's planted expectation (`expected_class`), or, for the gate, a regression; 2 bad input or a harness error, printed as `error: ...` with its
//! cause chain; 130 `harness run` stopped by SIGINT or SIGTERM (resumable, see `interrupt`).

use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;
use harness::cli::{Cli, Command, ExecutorKind, RunArgs};
use harness::exec::inprocess::InProcessExecutor;
use harness::exec::subprocess::SubprocessExecutor;
use harness::exec::Executor;
use harness::{plan, runner, table};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run(args),
        Command::Report(args) => Ok(ExitCode::from(harness::report::report_command(&args) as u8)),
        Command::Baseline(args) => Ok(ExitCode::from(harness::gate::baseline_command(&args) as u8)),
        Command::Compare(args) => Ok(ExitCode::from(harness::gate::compare_command(&args) as u8)),
        Command::Merge(args) => Ok(ExitCode::from(harness::merge::merge_command(&args) as u8)),
        Command::History(args) => Ok(ExitCode::from(
            harness::history::history_command(&args) as u8
        )),
        Command::Ab(args) => Ok(ExitCode::from(harness::ab::ab_command(&args) as u8)),
        Command::Micro(args) => Ok(ExitCode::from(harness::micro::micro_command(&args) as u8)),
        Command::Init(args) => Ok(ExitCode::from(harness::init::init_command(&args) as u8)),
        Command::Profile(args) => Ok(ExitCode::from(
            harness::profile::profile_command(&args) as u8
        )),
        Command::ValidateClassifier(args) => Ok(validate_classifier(&args)),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// `harness validate-classifier`: the planted-truth table of `stats::planted`.
fn validate_classifier(args: &harness::cli::ValidateClassifierArgs) -> ExitCode {
    use harness::stats::planted;
    let cells = planted::evaluate(args.trials as usize, args.seed);
    print!(
        "{}",
        planted::render(&cells, args.trials as usize, args.seed)
    );
    if planted::goals_met(&cells) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// `harness run --profile`: one profiled invocation per benchmark × config, after the
/// measured ones, into RUN_DIR/profiles/ (a failure is a warning: the measured run stands).
fn profile_all(plan: &plan::Plan) {
    let Some(ruff) = plan.ruff.as_deref() else {
        eprintln!("warning: --profile needs the subprocess executor; no profiles taken");
        return;
    };
    for (s, suite) in plan.suites.iter().enumerate() {
        for (b, bench) in suite.benchmarks.iter().enumerate() {
            let settings = plan.settings[s][b];
            for config in plan.configs.iter().filter(|c| !harness::peers::is_peer(c)) {
                let request = harness::profile::Request {
                    ruff,
                    suite,
                    bench,
                    config,
                    // An until-stable count is a cap: a profile needs only a few iterations.
                    iterations: match settings.until_stable {
                        None => settings.iterations,
                        Some(_) => settings.iterations.min(10),
                    },
                    interval_us: 1000,
                    native: false,
                };
                let dir = plan
                    .run_dir
                    .join("profiles")
                    .join(harness::profile::folder_name(
                        &suite.name,
                        &bench.name,
                        config,
                    ));
                match harness::profile::profile_benchmark(&request, &dir) {
                    Ok(_) => eprintln!("profile: {}", dir.display()),
                    Err(e) => eprintln!("warning: profile of {} under {config}: {e:#}", bench.name),
                }
            }
        }
    }
}

fn run(args: RunArgs) -> Result<ExitCode> {
    let mut plan = plan::resolve(args)?;
    let executor: Box<dyn Executor> = match plan.args.executor {
        ExecutorKind::Subprocess => Box::new(
            SubprocessExecutor::new(
                plan.ruff
                    .clone()
                    .expect("resolved for the subprocess executor"),
                plan.args.iteration_symbol.clone(),
            )?
            .with_perf_map(plan.args.perf_map),
        ),
        ExecutorKind::InProcess => Box::new(InProcessExecutor),
    };
    // Peer configs (lua5.4, ...) run twins beside Ruff's executor; skipped pairs never run.
    let mut executor =
        harness::exec::twin::with_twins(executor, &plan.configs, &plan.peers, &plan.run_dir)?;
    let skips = plan.peers.skip_lines();
    for line in &skips {
        eprintln!("{}", table::wrap(line));
    }
    if !plan.configs.contains(&plan.reference) {
        eprintln!(
            "warning: reference config '{}' is not among the configs run: no speedups (add it to --configs or set --reference)",
            plan.reference
        );
    }
    plan.create_run_dir()?;
    // Two lines, so a deep output folder does not push the counts past 100 columns.
    eprintln!(
        "run {}: {} invocations to run ({} benchmarks x {} configs{})\n  writing {}",
        plan.run_id,
        plan.tasks.len(),
        plan.suites
            .iter()
            .map(|s| s.benchmarks.len())
            .sum::<usize>(),
        plan.configs.len(),
        plan.args
            .shard
            .map_or(String::new(), |s| format!(", shard {s}")),
        plan.run_dir.display()
    );
    harness::interrupt::install();
    let report = runner::run(&plan, executor.as_mut(), true)?;
    if let Some(stop) = report.interrupted {
        eprintln!(
            "interrupted by {} after {} of {} invocations; resume with: harness run --resume {}",
            harness::interrupt::name(stop.signal),
            stop.done,
            stop.total,
            plan.run_dir.display()
        );
        return Ok(ExitCode::from(harness::interrupt::EXIT_CODE));
    }
    // The answer first, then the detail.
    if let Some(headline) = &report.headline {
        println!("{}", harness::headline::render(headline));
    }
    println!(
        "{}",
        table::render(
            &report.analysis.summary,
            report.options.confidence,
            plan.args.wide
        )
    );
    if plan.args.profile {
        profile_all(&plan);
    }
    // Plots and index.html from the files just written; a drawing problem must not turn a
    // finished run into a failed one, so it is a warning.
    match harness::report::generate(&plan.run_dir) {
        Ok(()) => eprintln!("report: {}", plan.run_dir.join("index.html").display()),
        Err(e) => eprintln!("warning: report not written: {e:#}"),
    }
    // Planted expectations of the manifests (suites/validation): a mismatch fails the run.
    let expected = harness::expect::check(&plan.suites, &report.analysis.invocations);
    if expected.pairs > 0 {
        for m in &expected.mismatches {
            println!("expectation not met: {m}");
        }
        println!(
            "expectations: {} benchmark x config pair(s) checked, {} invocation(s) missed",
            expected.pairs,
            expected.mismatches.len()
        );
    }
    let counts: Vec<String> = report
        .status_counts
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    for line in &skips {
        println!("{}", table::wrap(line));
    }
    println!(
        "invocations: {}   every column: --wide, or summary.csv\nresults: {}",
        counts.join(", "),
        plan.run_dir.display()
    );
    Ok(if report.all_ok() && expected.mismatches.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
