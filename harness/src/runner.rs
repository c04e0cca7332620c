//! Running a [`Plan`]: each task goes to the executor, is verified, and its rows are appended
//! to `results.csv` and marked done in `invocations.jsonl` before the next task starts. At the
//! end the whole `results.csv` (including rows from before a `--resume`) is analysed into
//! `summary.csv` and `invocations.csv`, and `run.json` is completed.
//!
//! A failing benchmark never stops the run: its status is recorded and the run goes on. Only
//! a harness failure (cannot spawn, cannot write) aborts, leaving every finished invocation
//! on disk for `--resume`.

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

use crate::analysis::{analyse, Analysis, AnalysisOptions};
use crate::exec::{verify, Executor, Request, Status};
use crate::interrupt;
use crate::noise::Probe;
use crate::output::log::{InvocationLog, LogWriter};
use crate::output::results::{self, ResultRow, ResultsWriter};
use crate::output::run_json::{self, GitInfo, Machine, RunInfo};
use crate::output::{log, summary};
use crate::plan::Plan;
use crate::stats::DEFAULT_CONFIDENCE;

/// What a finished run produced.
#[derive(Debug)]
pub struct RunReport {
    pub analysis: Analysis,
    /// What `harness run` prints first (also in `run.json`); `None` when interrupted.
    pub headline: Option<crate::headline::Headline>,
    pub options: AnalysisOptions,
    /// Invocations per status, this session and before a resume.
    pub status_counts: BTreeMap<Status, usize>,
    pub failures: Vec<String>,
    /// Set when SIGINT or SIGTERM stopped the run early (then `analysis` is empty).
    pub interrupted: Option<Interrupted>,
}

/// How far an interrupted run got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interrupted {
    pub signal: i32,
    /// Invocations finished and recorded (before a resume included).
    pub done: usize,
    /// Invocations of the whole run.
    pub total: usize,
}

impl RunReport {
    pub fn all_ok(&self) -> bool {
        self.status_counts.keys().all(|k| k.is_ok())
    }
}

/// The analysis options of a plan (recorded in `run.json` as `method`).
pub fn analysis_options(plan: &Plan) -> AnalysisOptions {
    AnalysisOptions {
        measure: plan.args.measure,
        reference: plan.reference.clone(),
        seed: plan.seed,
        resamples: plan.args.resamples,
        confidence: DEFAULT_CONFIDENCE,
    }
}

/// Runs every task of `plan` on `executor`; the run folder must exist.
pub fn run(plan: &Plan, executor: &mut dyn Executor, show_progress: bool) -> Result<RunReport> {
    let dir = &plan.run_dir;
    let options = analysis_options(plan);
    let mut info = run_info(plan, executor, &options);
    info.write(dir)?;

    let results_path = dir.join(results::FILE);
    let mut writer = if plan.resumed {
        results::truncate_partial_line(&dir.join(log::FILE)).ok();
        ResultsWriter::rewrite(&results_path, &plan.previous_rows)?
    } else {
        ResultsWriter::create(&results_path)?
    };
    let mut log_writer = LogWriter::open(&dir.join(log::FILE))?;

    let bar = if show_progress {
        let bar = ProgressBar::new(plan.total_tasks as u64);
        bar.set_style(
            ProgressStyle::with_template(
                "{bar:30} {pos}/{len} invocations  {elapsed_precise} ETA {eta}  {msg}",
            )
            .expect("static template"),
        );
        bar.set_position((plan.total_tasks - plan.tasks.len()) as u64);
        bar.enable_steady_tick(Duration::from_millis(500));
        bar
    } else {
        ProgressBar::hidden()
    };

    let mut failures = Vec::new();
    let mut done = plan.total_tasks - plan.tasks.len();
    for task in &plan.tasks {
        if interrupt::requested().is_some() {
            break;
        }
        let suite = &plan.suites[task.suite];
        let benchmark = &suite.benchmarks[task.benchmark];
        bar.set_message(format!(
            "{} {} #{}",
            benchmark.name, task.config, task.invocation
        ));
        let request = Request {
            suite: &suite.name,
            benchmark,
            config: &task.config,
            invocation: task.invocation,
            iterations: task.iterations,
            until_stable: task.until_stable,
            timeout: task.timeout,
            measure: plan.args.measure,
        };
        let probe = executor.measures_machine().then(Probe::start);
        let raw = executor.execute(&request)?;
        let noise = probe.map(Probe::finish).unwrap_or_default();
        let outcome = verify::judge(&request, raw);
        // An invocation that did not complete because of the signal (its process was killed
        // by it, or by the executor on seeing it) is discarded: `--resume` runs it again.
        if interrupt::requested().is_some() && !outcome.status.is_ok() {
            break;
        }
        writer.append(&ResultRow::from_outcome(
            &plan.run_id,
            &request,
            &outcome,
            &noise,
        ))?;
        log_writer.append(&InvocationLog {
            suite: suite.name.clone(),
            benchmark: benchmark.name.clone(),
            config: task.config.clone(),
            invocation: task.invocation,
            status: outcome.status,
            iterations: outcome.iterations.len() as u32,
            elapsed_ns: outcome.elapsed_ns,
            max_rss_kb: outcome.max_rss_kb,
            message: outcome.message.clone(),
        })?;
        if !outcome.status.is_ok() {
            let line = format!(
                "{} {} #{}: {}: {}",
                benchmark.name, task.config, task.invocation, outcome.status, outcome.message
            );
            // Wrapped: an expected-versus-got message can be far wider than a terminal.
            let shown = crate::table::wrap(&line);
            if bar.is_hidden() {
                eprintln!("{shown}");
            } else {
                bar.println(&shown);
            }
            failures.push(line);
        }
        done += 1;
        bar.inc(1);
    }
    bar.finish_and_clear();
    drop(writer);
    drop(log_writer);

    if let Some(signal) = interrupt::requested() {
        info.state = "interrupted".into();
        info.machine.load_average_end = run_json::load_average();
        info.status_counts = status_counts(dir)?;
        info.write(dir)?;
        return Ok(RunReport {
            analysis: Analysis::default(),
            headline: None,
            options,
            status_counts: info.status_counts,
            failures,
            interrupted: Some(Interrupted {
                signal,
                done,
                total: plan.total_tasks,
            }),
        });
    }

    let rows = results::read_results(&results_path)?;
    let mut analysis = analyse(&rows, &options);
    sort_by_plan(&mut analysis, plan);
    summary::write(dir, &analysis)?;
    let status_counts = status_counts(dir)?;
    info.headline = Some(crate::headline::compute(
        &analysis.summary,
        &options.reference,
        options.confidence,
        options.seed,
        options.resamples,
    ));
    info.state = "finished".into();
    info.finished_at = Some(chrono::Utc::now().to_rfc3339());
    info.machine.load_average_end = run_json::load_average();
    info.status_counts = status_counts.clone();
    info.write(dir)?;
    Ok(RunReport {
        analysis,
        headline: info.headline.clone(),
        options,
        status_counts,
        failures,
        interrupted: None,
    })
}

/// Invocations per status in the run folder's log (this session and before a resume).
fn status_counts(dir: &std::path::Path) -> Result<BTreeMap<Status, usize>> {
    let mut counts = BTreeMap::new();
    for entry in log::read_log(&dir.join(log::FILE))? {
        *counts.entry(entry.status).or_insert(0) += 1;
    }
    Ok(counts)
}

/// Orders tables as the user wrote them: suites, benchmarks in manifest order, configs in
/// `--configs` order (the run itself used a shuffled order).
fn sort_by_plan(analysis: &mut Analysis, plan: &Plan) {
    let rank = |suite: &str, bench: &str, config: &str| {
        let si = plan
            .suites
            .iter()
            .position(|s| s.name == suite)
            .unwrap_or(usize::MAX);
        let bi = plan
            .suites
            .get(si)
            .and_then(|s| s.benchmarks.iter().position(|b| b.name == bench))
            .unwrap_or(usize::MAX);
        let ci = plan
            .configs
            .iter()
            .position(|c| c == config)
            .unwrap_or(usize::MAX);
        (si, bi, ci)
    };
    analysis
        .summary
        .sort_by_key(|r| rank(&r.suite, &r.benchmark, &r.config));
    analysis
        .invocations
        .sort_by_key(|r| (rank(&r.suite, &r.benchmark, &r.config), r.invocation));
}

fn run_info(plan: &Plan, executor: &dyn Executor, options: &AnalysisOptions) -> RunInfo {
    let suites: Vec<serde_json::Value> = plan
        .suites
        .iter()
        .map(|s| {
            json!({
                "name": s.name,
                "description": s.description,
                "dir": s.dir,
                "benchmarks": s.benchmarks.iter().map(|b| json!({
                    "name": b.name, "file": b.path, "tags": b.tags,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    RunInfo {
        schema_version: run_json::SCHEMA_VERSION,
        run_id: plan.run_id.clone(),
        state: "running".into(),
        started_at: chrono::Utc::now().to_rfc3339(),
        finished_at: None,
        harness_version: env!("CARGO_PKG_VERSION").into(),
        git: GitInfo::probe(),
        rustc: run_json::rustc_version(),
        machine: Machine::probe(),
        executor: executor.describe(),
        suites: json!(suites),
        configs: plan.configs.clone(),
        reference: plan.reference.clone(),
        parameters: serde_json::to_value(&plan.args).unwrap_or_default(),
        resolved: json!({
            "measure": plan.args.measure,
            "tasks": plan.total_tasks,
            "resumed": plan.resumed,
            "ruff": plan.ruff,
            "peers": plan.peers,
            "ruff_version": plan.ruff.as_ref().and_then(|r| run_json::command_output(&r.to_string_lossy(), &["--version"])),
            "benchmarks": plan.suites.iter().zip(&plan.settings).flat_map(|(s, set)| {
                s.benchmarks.iter().zip(set).map(move |(b, set)| json!({
                    "suite": s.name, "benchmark": b.name, "settings": set,
                }))
            }).collect::<Vec<_>>(),
        }),
        method: json!({
            "analysis": options,
            "statistical_unit": "invocation (one process)",
            "changepoints": "PELT (Killick et al. 2012), normal mean-change cost scaled by a robust noise estimate, penalty 15 ln n (Barrett et al. 2017)",
            "invocation_value": "mean of the last segment",
            "spikes": "iterations >= 1 beyond Tukey's far-out fences (3 IQR) with both neighbours inside are left out of the analysis (listed in invocations.csv)",
            "periodic": "before segmentation: a tail of at least 3 whole cycles (period 2-8) and half the series whose per-phase means beat PELT's segmentation under the same penalised normal cost, with noise from lag-p differences (seasonal differencing, Box & Jenkins 1970), or first differences more than 4x noisier than lag-p differences; phase means must differ by more than 1%",
            "classification": "periodic as above; if the last segment is shorter than n/4 (last change at c): too-short (need ceil(c/3) iterations after it) when the segment before held that many, else no-steady-state; flat if every earlier segment mean is within 1% of the last; slowdown if an earlier segment is more than 1% faster; else warmup",
            "summary": "median, mean, CIs and speedups over invocations with a steady state (flat, warmup, slowdown, periodic); over last segments, labelled value_basis=last-segment, when none has one; warm-up length over warmup invocations only",
            "intervals": "hierarchical percentile bootstrap (invocations, then steady-state iterations within each; Kalibera & Jones 2012/2013), seeded ChaCha8 per statistic; none below 3 ok invocations in wall time",
            "speedup": "median(reference) / median(config), hierarchical bootstrap CI resampling both sides",
            "outliers": "Tukey fences (1.5 IQR) on invocation values; flagged, never dropped",
            "order": "per invocation index, per benchmark, configs in seeded shuffled order",
        }),
        status_counts: BTreeMap::new(),
        headline: None,
    }
}
