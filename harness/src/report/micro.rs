//! `harness micro`: runs the Rust micro-benchmarks of the JIT machinery (`ruff-jit/benches/`)
//! and folds their results into the format of a suite run — `results.csv`, `summary.csv`,
//! `run.json`, plots and `index.html` in `reports/<run-id>/` — so the report, baselines and
//! the gate work on them unchanged.
//!
//! Mapping: suite `micro`; a criterion id `GROUP/NAME/CONFIG` becomes benchmark `GROUP/NAME`
//! and config `CONFIG` (ids with two parts get config `default`). criterion's samples (each the
//! mean time per iteration over a batch of iterations, from `new/sample.json`) become the
//! iterations of one invocation: criterion runs everything in one process, so there is only
//! one invocation and no between-process variation to estimate — say so when judging them.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

use crate::analysis::{analyse, AnalysisOptions};
use crate::exec::Measure;
use crate::output::results::{ResultRow, ResultsWriter};
use crate::output::{new_run_id, summary};
use crate::stats::{DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES};

/// `harness micro`.
#[derive(Debug, clap::Args)]
pub struct MicroArgs {
    /// Only benchmarks whose id contains FILTER (passed to criterion).
    pub filter: Option<String>,
    /// Do not run `cargo bench`; ingest the results already in TARGET/criterion.
    #[arg(long)]
    pub no_run: bool,
    /// Folder for run folders.
    #[arg(long, default_value = "reports")]
    pub out: PathBuf,
}

/// criterion's `new/benchmark.json` (the fields used).
#[derive(Deserialize)]
struct BenchmarkId {
    full_id: String,
}

/// criterion's `new/sample.json`: per sample, the iterations run and their total time (ns).
#[derive(Deserialize)]
struct Sample {
    iters: Vec<f64>,
    times: Vec<f64>,
}

/// Runs `harness micro`; returns the exit code (0 ok, 2 error).
pub fn micro_command(args: &MicroArgs) -> i32 {
    match micro(args) {
        Ok(dir) => {
            println!("micro-benchmarks: {}", dir.join("index.html").display());
            0
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            2
        }
    }
}

fn micro(args: &MicroArgs) -> Result<PathBuf> {
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from);
    if !args.no_run {
        let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cmd.args(["bench", "-p", "ruff-jit", "--bench", "jit_micro", "--"]);
        if let Some(f) = &args.filter {
            cmd.arg(f);
        }
        let status = cmd
            .status()
            .context("running `cargo bench -p ruff-jit` (is cargo on PATH?)")?;
        if !status.success() {
            bail!("`cargo bench -p ruff-jit --bench jit_micro` failed ({status})");
        }
    }
    let run_id = new_run_id();
    let rows = criterion_rows(&target.join("criterion"), &run_id, args.filter.as_deref())?;
    let dir = args.out.join(&run_id);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    ResultsWriter::create(&dir.join("results.csv"))?.append(&rows)?;
    let options = AnalysisOptions {
        measure: Measure::Wall,
        reference: "default".into(),
        seed: 1,
        resamples: DEFAULT_RESAMPLES,
        confidence: DEFAULT_CONFIDENCE,
    };
    summary::write(&dir, &analyse(&rows, &options))?;
    let run_json = serde_json::json!({
        "schema_version": 1,
        "run_id": run_id,
        "kind": "micro-benchmarks",
        "tool": "criterion",
        "source": target.join("criterion").display().to_string(),
        "method": {
            "measure": "wall",
            "seed": options.seed,
            "resamples": options.resamples,
            "confidence": options.confidence,
            "note": "one invocation per benchmark (criterion runs in one process); iterations are criterion samples (mean ns per iteration of each batch)",
        },
    });
    std::fs::write(
        dir.join("run.json"),
        serde_json::to_string_pretty(&run_json)?,
    )?;
    super::generate(&dir)?;
    Ok(dir)
}

/// Reads every `*/new/{benchmark,sample}.json` under `root` into result rows.
pub fn criterion_rows(root: &Path, run_id: &str, filter: Option<&str>) -> Result<Vec<ResultRow>> {
    let mut found = Vec::new();
    collect_sample_dirs(root, &mut found)?;
    found.sort();
    let mut rows = Vec::new();
    for dir in found {
        let read = |name: &str| -> Result<String> {
            let p = dir.join(name);
            std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))
        };
        let id: BenchmarkId = serde_json::from_str(&read("benchmark.json")?)
            .with_context(|| format!("{}: not a criterion benchmark.json", dir.display()))?;
        if filter.is_some_and(|f| !id.full_id.contains(f)) {
            continue;
        }
        let sample: Sample = serde_json::from_str(&read("sample.json")?)
            .with_context(|| format!("{}: not a criterion sample.json", dir.display()))?;
        let parts: Vec<&str> = id.full_id.split('/').collect();
        let (benchmark, config) = match parts.len() {
            0..=2 => (id.full_id.clone(), "default".to_string()),
            n => (parts[..n - 1].join("/"), parts[n - 1].to_string()),
        };
        for (i, (iters, time)) in sample.iters.iter().zip(&sample.times).enumerate() {
            rows.push(ResultRow {
                run_id: run_id.to_string(),
                suite: "micro".into(),
                benchmark: benchmark.clone(),
                config: config.clone(),
                invocation: 0,
                iteration: i as u32,
                wall_ns: Some((time / iters.max(1.0)).round() as u64),
                status: "ok".into(),
                instructions: None,
                compile_ns: None,
                deopts: None,
                guard_failures: None,
                osr_entries: None,
                max_rss_kb: None,
            });
        }
    }
    if rows.is_empty() {
        bail!(
            "no criterion results under {} (run `cargo bench -p ruff-jit` first)",
            root.display()
        );
    }
    Ok(rows)
}

/// Directories `.../new/` that hold a `sample.json`.
fn collect_sample_dirs(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        if path.file_name().is_some_and(|n| n == "new") && path.join("sample.json").is_file() {
            out.push(path);
        } else if path
            .file_name()
            .is_none_or(|n| n != "base" && n != "change")
        {
            collect_sample_dirs(&path, out)?;
        }
    }
    Ok(())
}
