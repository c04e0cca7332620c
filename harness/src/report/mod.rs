//! `harness report RUN_DIR`: plots (PNG and SVG, in `RUN_DIR/plots/`) and a self-contained
//! `RUN_DIR/index.html` made from the run's files only (ARCHITECTURE §1: a report never runs a
//! benchmark). `harness run` calls [`generate`] at its end; `harness report` re-makes the
//! report of any run, e.g. one copied from CI.
//!
//! "Self-contained" means the page needs nothing outside the run folder: the images are
//! referenced by relative paths into `plots/`, so the folder can be uploaded or zipped as one
//! artifact, and no script or web font is loaded.

pub mod data;
pub mod environment;
pub mod figures;
pub mod html;
pub mod micro;
pub mod profiles;
pub mod shards;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::analysis::recorded::analyse_run;
use data::{invocations, load_run, Measure};
use figures::{draw_all, Layout};

/// `harness report RUN_DIR`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The run directory (holding results.csv and run.json).
    pub run_dir: PathBuf,
}

/// Runs `harness report`; returns the exit code (0 ok, 2 error).
pub fn report_command(args: &ReportArgs) -> i32 {
    match generate(&args.run_dir) {
        Ok(()) => {
            println!("report: {}", args.run_dir.join("index.html").display());
            0
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            2
        }
    }
}

/// Writes `RUN_DIR/plots/*.{png,svg}` and `RUN_DIR/index.html` from the run's files.
pub fn generate(run_dir: &Path) -> Result<()> {
    let run = load_run(run_dir)?;
    let layout = layout(&run);
    let measure = measure_of(run.run_json.as_ref());
    let analysis = analyse_run(&run, measure, &layout.reference);
    let series = invocations(&run.rows, measure);
    let plots = run_dir.join("plots");
    // A micro-benchmark run has its own table and one plot per group (see `micro`).
    let micro_rows = micro::read(run_dir)?;
    let figures = match &micro_rows {
        Some(_) => {
            std::fs::create_dir_all(&plots)?;
            micro::group_figures(&series, &layout, &plots)
        }
        None => draw_all(&analysis, &series, &run.rows, &layout, &plots),
    }
    .context("drawing the plots")?;
    let mut page = html::page(&run, &analysis, &layout, &figures, micro_rows.as_deref());
    // Profiles (`harness run --profile`): a section of their own, before Failures.
    if let Some((nav, section)) = profiles::section(run_dir) {
        page = page
            .replacen(
                "<a href=\"#failures\">",
                &format!("{nav}<a href=\"#failures\">"),
                1,
            )
            .replacen(
                "<section id=\"failures\">",
                &format!("{section}\n<section id=\"failures\">"),
                1,
            );
    }
    let index = run_dir.join("index.html");
    std::fs::write(&index, page).with_context(|| format!("writing {}", index.display()))?;
    Ok(())
}

/// The measure the run was made for (`method.measure` or `resolved.measure` in run.json):
/// a callgrind run's wall times are inflated by the instrumentation and must not be shown.
fn measure_of(json: Option<&serde_json::Value>) -> Measure {
    let recorded = json.and_then(|j| {
        [j.get("method"), j.get("resolved")]
            .into_iter()
            .flatten()
            .find_map(|scope| scope.get("measure").and_then(|m| m.as_str()))
    });
    match recorded {
        Some("instructions") => Measure::Instructions,
        _ => Measure::Wall,
    }
}

/// Benchmarks and configs in order of first appearance, and the reference config.
fn layout(run: &data::RunData) -> Layout {
    let mut benchmarks: Vec<(String, String)> = Vec::new();
    let mut configs: Vec<String> = Vec::new();
    for row in &run.rows {
        let b = (row.suite.clone(), row.benchmark.clone());
        if !benchmarks.contains(&b) {
            benchmarks.push(b);
        }
        if !configs.contains(&row.config) {
            configs.push(row.config.clone());
        }
    }
    // Invocations run in a shuffled order, so first appearance is arbitrary: order as the run
    // was specified (run.json), so that tables and plots read the same from run to run.
    if let Some(json) = run.run_json.as_ref() {
        let rank =
            |list: &[String], x: &String| list.iter().position(|c| c == x).unwrap_or(usize::MAX);
        let wanted_configs: Vec<String> = strings(json.get("configs"));
        configs.sort_by_key(|c| rank(&wanted_configs, c));
        let wanted_benchmarks: Vec<String> = json
            .get("suites")
            .and_then(|s| s.as_array())
            .into_iter()
            .flatten()
            .flat_map(|suite| {
                let name = suite
                    .get("name")
                    .and_then(|n| n.as_str())
                    .unwrap_or("")
                    .to_string();
                let benches = suite
                    .get("benchmarks")
                    .and_then(|b| b.as_array())
                    .cloned()
                    .unwrap_or_default();
                benches
                    .into_iter()
                    .filter_map(move |b| Some(format!("{name}/{}", b.get("name")?.as_str()?)))
            })
            .collect();
        benchmarks.sort_by_key(|(s, b)| rank(&wanted_benchmarks, &format!("{s}/{b}")));
    }
    let reference = reference_of(run.run_json.as_ref())
        .filter(|r| configs.contains(r))
        .or_else(|| configs.iter().find(|c| *c == "interp").cloned())
        .or_else(|| configs.first().cloned())
        .unwrap_or_default();
    Layout {
        benchmarks,
        configs,
        reference,
    }
}

/// A JSON array of strings (anything else is skipped).
fn strings(v: Option<&serde_json::Value>) -> Vec<String> {
    v.and_then(|v| v.as_array())
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect()
}

/// The reference config named in `run.json`, wherever the runner put it: `reference`, or the
/// first suite's `reference`, at the top level or under `parameters`.
fn reference_of(json: Option<&serde_json::Value>) -> Option<String> {
    let json = json?;
    let scopes = [Some(json), json.get("parameters"), json.get("method")];
    for scope in scopes.into_iter().flatten() {
        if let Some(r) = scope.get("reference").and_then(|v| v.as_str()) {
            return Some(r.to_string());
        }
        let suites = scope.get("suites").and_then(|v| v.as_array());
        let first = suites.and_then(|s| s.first());
        if let Some(r) = first
            .and_then(|s| s.get("reference"))
            .and_then(|v| v.as_str())
        {
            return Some(r.to_string());
        }
    }
    None
}
