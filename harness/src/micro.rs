//! `harness micro`: the JIT micro-benchmarks as a run folder. The executor
//! ([`crate::exec::cargo_bench`]) runs `cargo bench -p ruff-jit` and reads criterion's
//! results into `results.csv` rows; with `--instructions` it also runs the gungraun
//! (callgrind) twin of every benchmark and puts its instruction count beside the times: in
//! the `instructions` column of the rows, and in `micro.csv`, the side-by-side table with
//! criterion's own median estimate and interval ([`crate::report::micro`]). This command
//! writes them with `summary.csv`, `run.json`, plots and `index.html` into
//! `reports/<run-id>/`, like `harness run` does, and prints the table.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::analysis::{analyse, AnalysisOptions};
use crate::exec::cargo_bench::{
    collect_sample_dirs, read_rows, run_cargo_bench, split_id, target_dir, MicroTool,
};
use crate::output::results::{ResultRow, ResultsWriter};
use crate::output::{new_run_id, summary};
use crate::report::{self, micro::MicroRow};
use crate::stats::{DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES};

/// `harness micro`.
#[derive(Debug, clap::Args)]
pub struct MicroArgs {
    /// Only benchmarks whose id contains FILTER (passed to criterion).
    pub filter: Option<String>,
    /// Do not run `cargo bench`; ingest the results already in TARGET/criterion.
    #[arg(long)]
    pub no_run: bool,
    /// Also count instructions with gungraun (`jit_micro_instructions`, under callgrind) and
    /// show them beside the times; needs valgrind and `gungraun-runner` of the library's
    /// version.
    #[arg(long)]
    pub instructions: bool,
    /// Folder for run folders.
    #[arg(long, default_value = "reports")]
    pub out: PathBuf,
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
    let tools: &[MicroTool] = if args.instructions {
        &[MicroTool::Criterion, MicroTool::Gungraun]
    } else {
        &[MicroTool::Criterion]
    };
    if !args.no_run {
        for tool in tools {
            run_cargo_bench(*tool, args.filter.as_deref())?;
        }
    }
    let run_id = new_run_id();
    let target = target_dir();
    let filter = args.filter.as_deref();
    let mut rows = read_rows(MicroTool::Criterion, &target, &run_id, filter)?;
    let mut table = criterion_estimates(&target.join(MicroTool::Criterion.name()), filter)?;
    if args.instructions {
        let counts = read_rows(MicroTool::Gungraun, &target, &run_id, filter)?;
        attach_counts(&mut rows, &mut table, &counts);
    }
    let dir = args.out.join(&run_id);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    ResultsWriter::create(&dir.join("results.csv"))?.append(&rows)?;
    report::micro::write(&dir, &table)?;
    let measure = MicroTool::Criterion.measure();
    let options = AnalysisOptions {
        measure,
        reference: "default".into(),
        seed: 1,
        resamples: DEFAULT_RESAMPLES,
        confidence: DEFAULT_CONFIDENCE,
    };
    summary::write(&dir, &analyse(&rows, &options))?;
    let note = "one invocation per benchmark (criterion runs in one process); iterations are criterion samples (mean ns per iteration of each batch); instructions, when counted, are gungraun's callgrind count of one iteration (exactly repeatable)";
    let tool_names: Vec<&str> = tools.iter().map(|t| t.name()).collect();
    let run_json = serde_json::json!({
        "schema_version": 1,
        "run_id": run_id,
        "kind": "micro-benchmarks",
        "tool": tool_names.join(" + "),
        "source": target.display().to_string(),
        "method": {
            "measure": crate::report::data::measure_name(measure),
            "seed": options.seed,
            "resamples": options.resamples,
            "confidence": options.confidence,
            "note": note,
        },
    });
    std::fs::write(
        dir.join("run.json"),
        serde_json::to_string_pretty(&run_json)?,
    )?;
    report::generate(&dir)?;
    println!("{}", report::micro::terminal_table(&table));
    Ok(dir)
}

/// criterion's `new/estimates.json` (the fields used): point estimates and intervals in ns.
#[derive(serde::Deserialize)]
struct Estimates {
    mean: Estimate,
    median: Estimate,
}

#[derive(serde::Deserialize)]
struct Estimate {
    point_estimate: f64,
    confidence_interval: Interval,
}

#[derive(serde::Deserialize)]
struct Interval {
    lower_bound: f64,
    upper_bound: f64,
}

/// One table row per criterion benchmark: its own median estimate and interval (criterion's
/// bootstrap), mean and sample count, in the order of the rows.
pub fn criterion_estimates(root: &Path, filter: Option<&str>) -> Result<Vec<MicroRow>> {
    let mut dirs = Vec::new();
    collect_sample_dirs(root, &mut dirs)?;
    dirs.sort();
    let mut table = Vec::new();
    for dir in dirs {
        let read = |name: &str| -> Result<serde_json::Value> {
            let p = dir.join(name);
            let text =
                std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?;
            serde_json::from_str(&text).with_context(|| format!("{}: not JSON", p.display()))
        };
        let id = read("benchmark.json")?;
        let Some(full_id) = id.get("full_id").and_then(|v| v.as_str()) else {
            continue;
        };
        if filter.is_some_and(|f| !full_id.contains(f)) {
            continue;
        }
        let (benchmark, config) = split_id(full_id);
        let samples = read("sample.json")?
            .get("times")
            .and_then(|t| t.as_array())
            .map_or(0, Vec::len);
        let estimates: Option<Estimates> = dir
            .join("estimates.json")
            .exists()
            .then(|| read("estimates.json"))
            .transpose()?
            .map(serde_json::from_value)
            .transpose()
            .with_context(|| format!("{}: not a criterion estimates.json", dir.display()))?;
        table.push(MicroRow {
            benchmark,
            config,
            samples,
            median_ns: estimates.as_ref().map(|e| e.median.point_estimate),
            median_lo_ns: estimates
                .as_ref()
                .map(|e| e.median.confidence_interval.lower_bound),
            median_hi_ns: estimates
                .as_ref()
                .map(|e| e.median.confidence_interval.upper_bound),
            mean_ns: estimates.as_ref().map(|e| e.mean.point_estimate),
            instructions: None,
        });
    }
    Ok(table)
}

/// Puts gungraun's counts (rows with `instructions`) beside the times: on every criterion
/// row of the same benchmark × config, and in the table (benchmarks only gungraun measured
/// get a table row of their own).
pub fn attach_counts(rows: &mut [ResultRow], table: &mut Vec<MicroRow>, counts: &[ResultRow]) {
    let by_key: BTreeMap<(&str, &str), u64> = counts
        .iter()
        .filter_map(|c| Some(((c.benchmark.as_str(), c.config.as_str()), c.instructions?)))
        .collect();
    for row in rows.iter_mut() {
        row.instructions = by_key
            .get(&(row.benchmark.as_str(), row.config.as_str()))
            .copied();
    }
    for ((benchmark, config), n) in by_key {
        match table
            .iter_mut()
            .find(|t| t.benchmark == benchmark && t.config == config)
        {
            Some(t) => t.instructions = Some(n),
            None => table.push(MicroRow {
                benchmark: benchmark.to_string(),
                config: config.to_string(),
                instructions: Some(n),
                ..MicroRow::default()
            }),
        }
    }
}
