//! `harness history DIR...`: how each benchmark × config moved across commits, from saved
//! baselines and run folders (each tagged with its commit in `run.json`). Writes, into a
//! folder of its own (default `reports/history/`): `history.csv` (one row per run ×
//! benchmark × config: median, CI, change against the previous run and the gate's verdict),
//! a trend plot per benchmark × config (`plots/`), and `index.html` with the runs, the
//! significant changes and the plots. Everything is recomputed from the run files on each
//! call: the folder holds no state of its own and plain files only.
//!
//! Order: by commit date (`git show -s --format=%ct COMMIT`, when every commit is known to
//! the git repository of the working directory), else by the time each run started; runs of
//! one commit stay separate points, in start order.
//!
//! Every input is read through [`crate::report::data::load_run`] (the checks of
//! `harness compare`). Exit codes: 0 written; 2 bad input (a folder that is not a valid run,
//! a run without a commit, fewer than two runs, an output folder that is a run folder) or a
//! harness error.

pub mod page;
pub mod plot;
pub mod trend;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::gate::{parse_threshold, INSTRUCTIONS_THRESHOLD, WALL_THRESHOLD};
use crate::output::run_json::command_output;
use crate::report::data::{load_run, Measure};
use trend::Entry;

/// `harness history [DIR...]`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Exit codes: 0 written; 2 bad input (not a run folder, no commit in run.json, fewer than 2 runs) or a
harness error.")]
pub struct HistoryArgs {
    /// Run or baseline folders (default: every baseline under reports/baselines/).
    #[arg(value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Folder for history.csv, index.html and plots/ (rewritten on each call).
    #[arg(short, long, default_value = "reports/history")]
    pub out: PathBuf,
    /// The measure to follow.
    #[arg(long, value_enum, default_value = "wall")]
    pub measure: Measure,
    /// Smallest change marked significant, as in `harness compare` (default 5% for wall time,
    /// 0.5% for instructions).
    #[arg(long)]
    pub threshold: Option<String>,
}

/// Runs `harness history`; returns the exit code.
pub fn history_command(args: &HistoryArgs) -> i32 {
    match history(args) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e:#}");
            2
        }
    }
}

fn history(args: &HistoryArgs) -> Result<()> {
    let threshold = match &args.threshold {
        Some(t) => parse_threshold(t)?,
        None if args.measure == Measure::Instructions => INSTRUCTIONS_THRESHOLD,
        None => WALL_THRESHOLD,
    };
    let dirs = if args.dirs.is_empty() {
        baselines(Path::new(crate::gate::baseline::REPORTS_DIR))?
    } else {
        args.dirs.clone()
    };
    if args.out.join(crate::output::results::FILE).exists() {
        bail!(
            "--out {} holds a results.csv: it is a run folder, not a history folder",
            args.out.display()
        );
    }
    let entries = load_entries(&dirs)?;
    let trends = trend::trends(&entries, args.measure, threshold);
    if trends.is_empty() {
        bail!("the runs hold no benchmark × config with results");
    }
    let plots = args.out.join("plots");
    std::fs::create_dir_all(&plots).with_context(|| {
        format!(
            "--out {}: cannot create {}",
            args.out.display(),
            plots.display()
        )
    })?;
    page::write_csv(&args.out, &entries, &trends, args.measure)?;
    let figures = page::draw(&plots, &entries, &trends, args.measure)?;
    page::write_html(
        &args.out,
        &entries,
        &trends,
        &figures,
        args.measure,
        threshold,
    )?;
    let marked: usize = trends
        .values()
        .flatten()
        .filter(|p| p.change.is_some_and(|c| trend::significant(c.verdict)))
        .count();
    println!(
        "history of {} benchmark x config pair(s) over {} run(s): {marked} significant change(s)\nreport: {}",
        trends.len(),
        entries.len(),
        args.out.join("index.html").display()
    );
    Ok(())
}

/// Every folder under `reports/baselines/` holding a results.csv, by name.
fn baselines(reports: &Path) -> Result<Vec<PathBuf>> {
    let dir = reports.join("baselines");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| {
            format!(
                "cannot list {} (give run or baseline folders as arguments)",
                dir.display()
            )
        })?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join(crate::output::results::FILE).is_file())
        .collect();
    out.sort();
    Ok(out)
}

/// Reads and validates each folder, requires its commit, and orders them (module header).
fn load_entries(dirs: &[PathBuf]) -> Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for dir in dirs {
        let run = load_run(dir).with_context(|| format!("cannot read {}", dir.display()))?;
        let json = run.run_json.as_ref();
        let Some(commit) = json
            .and_then(|j| j.pointer("/git/commit"))
            .and_then(|c| c.as_str())
            .map(str::to_string)
        else {
            bail!(
                "{}: run.json records no commit (git.commit): a history places runs by commit",
                dir.display()
            );
        };
        if run.rows.is_empty() {
            bail!("{}: results.csv has no rows", dir.display());
        }
        let started_at = json
            .and_then(|j| j.get("started_at"))
            .and_then(|s| s.as_str())
            .unwrap_or_default()
            .to_string();
        entries.push(Entry {
            run,
            commit,
            started_at,
        });
    }
    if entries.len() < 2 {
        bail!(
            "a history needs at least 2 runs or baselines, got {}",
            entries.len()
        );
    }
    let dates: Option<Vec<i64>> = entries
        .iter()
        .map(|e| {
            command_output("git", &["show", "-s", "--format=%ct", &e.commit])
                .and_then(|t| t.trim().parse().ok())
        })
        .collect();
    match dates {
        Some(dates) => {
            let mut keyed: Vec<(i64, Entry)> = dates.into_iter().zip(entries).collect();
            keyed.sort_by(|a, b| (a.0, &a.1.started_at).cmp(&(b.0, &b.1.started_at)));
            Ok(keyed.into_iter().map(|(_, e)| e).collect())
        }
        None => {
            eprintln!(
                "note: not every commit is in this git repository: runs are ordered by the \
                 time they started"
            );
            entries.sort_by(|a, b| a.started_at.cmp(&b.started_at));
            Ok(entries)
        }
    }
}
