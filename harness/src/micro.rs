//! `harness micro`: the JIT micro-benchmarks as a run folder. The executor
//! ([`crate::exec::cargo_bench`]) runs `cargo bench -p ruff-jit` and reads criterion's or
//! gungraun's results into `results.csv` rows; this command writes them with `summary.csv`,
//! `run.json`, plots and `index.html` into `reports/<run-id>/`, like `harness run` does.

use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::analysis::{analyse, AnalysisOptions};
use crate::exec::cargo_bench::{read_rows, run_cargo_bench, target_dir, MicroTool};
use crate::output::results::ResultsWriter;
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
    /// Count instructions with gungraun (`jit_micro_instructions`) instead of timing with
    /// criterion; needs valgrind and `gungraun-runner` of the library's version.
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
    let tool = if args.instructions {
        MicroTool::Gungraun
    } else {
        MicroTool::Criterion
    };
    if !args.no_run {
        run_cargo_bench(tool, args.filter.as_deref())?;
    }
    let run_id = new_run_id();
    let target = target_dir();
    let rows = read_rows(tool, &target, &run_id, args.filter.as_deref())?;
    let dir = args.out.join(&run_id);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    ResultsWriter::create(&dir.join("results.csv"))?.append(&rows)?;
    let measure = tool.measure();
    let options = AnalysisOptions {
        measure,
        reference: "default".into(),
        seed: 1,
        resamples: DEFAULT_RESAMPLES,
        confidence: DEFAULT_CONFIDENCE,
    };
    summary::write(&dir, &analyse(&rows, &options))?;
    let note = match tool {
        MicroTool::Gungraun => "one invocation per benchmark with one iteration: gungraun runs each once under callgrind and the count (Ir) is exactly repeatable",
        MicroTool::Criterion => "one invocation per benchmark (criterion runs in one process); iterations are criterion samples (mean ns per iteration of each batch)",
    };
    let run_json = serde_json::json!({
        "schema_version": 1,
        "run_id": run_id,
        "kind": "micro-benchmarks",
        "tool": tool.name(),
        "source": target.join(tool.name()).display().to_string(),
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
    crate::report::generate(&dir)?;
    Ok(dir)
}
