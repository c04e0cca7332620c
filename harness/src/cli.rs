//! The command line (clap). `Command` has one variant per subcommand; `main.rs` dispatches on
//! it, so a new subcommand is one variant here plus one match arm there (the `report`,
//! `compare` and `baseline` commands live in their own modules).
//!
//! These are the raw arguments; [`crate::plan`] validates them into a run plan before
//! anything is written (ripgrep's LowArgs/HiArgs split).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use serde::{Deserialize, Serialize};

use crate::exec::Measure;

#[derive(Debug, Parser)]
#[command(
    name = "harness",
    version,
    about = "Ruff Bench: measure Ruff's interpreter and JIT soundly"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run benchmark suites under configs; write reports/<run-id>/ and print a table.
    Run(RunArgs),
    /// Draw plots and write index.html for a run directory (reads files only).
    Report(crate::report::ReportArgs),
    /// Save a run as a named baseline under reports/baselines/.
    Baseline(crate::gate::BaselineArgs),
    /// Compare a run against a baseline: exit 0 no regression, 1 regression, 2 error.
    Compare(crate::gate::CompareArgs),
    /// Combine the shard folders of `run --shard K/N` into one run (statistics and report on
    /// the merged data): exit 0 merged, 1 some invocation failed, 2 refused.
    Merge(crate::merge::MergeArgs),
    /// Trend of every benchmark x config across commits from saved baselines and runs, with
    /// CIs and the significant changes marked (the test of `compare`), as CSV and HTML.
    History(crate::history::HistoryArgs),
    /// Measure two ruff builds interleaved in one run and judge B against A (wall-time gate).
    Ab(crate::ab::AbArgs),
    /// Run the JIT micro-benchmarks (cargo bench -p ruff-jit) and write them as a run folder.
    Micro(crate::micro::MicroArgs),
    /// Write a commented suite.toml for the Ruff programs in a folder.
    Init(crate::init::InitArgs),
    /// Profile one benchmark under one config: Ruff-level flamegraph, deopt sites, compiles
    /// and a tier timeline (docs/PROFILING.md).
    Profile(crate::profile::ProfileArgs),
    /// Run the steady-state classifier on planted synthetic series and print its hit rates
    /// per shape and noise model: exit 0 when the goals are met, 1 when not.
    ValidateClassifier(ValidateClassifierArgs),
}

/// Options of `harness validate-classifier` (the bench is `stats::planted`).
#[derive(Debug, clap::Args)]
pub struct ValidateClassifierArgs {
    /// Series per shape and noise model, 1 to 100000.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub trials: u32,
    /// Seed of the series (the table is a function of trials and seed).
    #[arg(long, default_value_t = 18)]
    pub seed: u64,
}

/// How invocations are executed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExecutorKind {
    /// A fresh `ruff bench` process per invocation (cold JIT state each time).
    Subprocess,
    /// Inside the harness process through ruff_core's engine (interpreter configs only).
    InProcess,
}

#[derive(Clone, Debug, Args, Serialize, Deserialize)]
#[command(after_help = "\
Configs: PRESET[:knob=v[,v...]...] separated by ',' or ';', or given with --configs several times.
  --configs interp,jit-spec               two configs
  --configs 'jit-spec:threshold=1,10,100' three configs (a knob sweep)
  --configs 'interp;jit:threshold=1,10:max-deopts=2,4'   1 + 2x2 configs
Presets: interp, interp-prof, jit, jit-spec, jit-spec-hoist. Knobs: threshold, osr-threshold, max-deopts.
Peers (a benchmark's twin in another language, no knobs): lua5.4, luajit, python3, node, native.

Exit codes: 0 all invocations ok; 1 some invocation failed (results still written); 2 bad input or harness error;
130 interrupted by SIGINT or SIGTERM (finished invocations kept: continue with --resume RUN_DIR).")]
pub struct RunArgs {
    /// Suite folders (each holding suite.toml), or Ruff programs (FILE.ruff: benchmarked
    /// without a manifest, expected output taken from an interp run).
    #[arg(default_value = "suites/jit")]
    pub suites: Vec<PathBuf>,

    /// Configs to run (default: the suite's; interp,jit-spec for programs given directly).
    #[arg(short, long = "configs", value_name = "LIST")]
    pub configs: Vec<String>,

    /// Only benchmarks whose name contains NAME, or `tag:TAG`; repeatable or comma-separated.
    #[arg(short, long = "bench", value_name = "NAME", value_delimiter = ',')]
    pub bench: Vec<String>,

    /// Processes per benchmark × config, 1 to 1000000 (overrides the manifest).
    #[arg(short = 'n', long, value_parser = crate::manifest::parse_count)]
    pub invocations: Option<u32>,

    /// Iterations per process, iteration 0 included, 1 to 1000000 (overrides the manifest).
    #[arg(short = 'i', long, value_parser = crate::manifest::parse_count)]
    pub iterations: Option<u32>,

    /// Print every column of the summary (wider than 100 columns) instead of the compact table.
    #[arg(long)]
    #[serde(default)] // absent from the run.json of runs made before the flag existed
    pub wide: bool,

    /// Iterate until the last K iterations are stable and compile-free (the default when
    /// neither -i nor the manifest fixes a count; K defaults to 5), 1 to 1000.
    #[arg(long, value_name = "K", conflicts_with = "iterations",
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub until_stable: Option<u32>,

    /// Cap on the iterations of until-stable processes, 1 to 1000000 (default: the
    /// manifest's `max_iterations`, else 100).
    #[arg(long, value_name = "N", value_parser = crate::manifest::parse_count)]
    pub max_iterations: Option<u32>,

    /// Smoke run: 1 invocation of 2 iterations each unless given explicitly.
    #[arg(long)]
    pub quick: bool,

    /// Seconds before an invocation is killed, > 0 and <= 86400 (overrides the manifest).
    #[arg(long, value_name = "SECONDS", value_parser = crate::manifest::parse_timeout)]
    pub timeout: Option<f64>,

    /// Folder for run folders.
    #[arg(short, long, default_value = "reports")]
    pub out: PathBuf,

    /// Continue an interrupted run in RUN_DIR with its recorded parameters (run it from the
    /// same folder: suite paths are as first given). Finished invocations are not rerun.
    #[arg(long, value_name = "RUN_DIR")]
    pub resume: Option<PathBuf>,

    /// Seed of the invocation order and of the bootstrap (default: random, recorded).
    #[arg(long)]
    pub seed: Option<u64>,

    /// The `ruff` binary (default: next to the harness executable, else on PATH).
    #[arg(long, value_name = "PATH")]
    pub ruff: Option<PathBuf>,

    /// What to measure per iteration.
    #[arg(long, value_enum, default_value_t = Measure::Wall)]
    pub measure: Measure,

    /// How to execute invocations.
    #[arg(long, value_enum, default_value_t = ExecutorKind::Subprocess)]
    pub executor: ExecutorKind,

    /// Config speedups are computed against (default: the suite's `reference`).
    #[arg(long)]
    pub reference: Option<String>,

    /// Bootstrap resamples per confidence interval, 1000 to 1000000.
    #[arg(long, default_value_t = crate::stats::DEFAULT_RESAMPLES, value_parser = parse_resamples)]
    pub resamples: usize,

    /// After the measured invocations, profile one more invocation per benchmark × config
    /// (`harness profile`: flamegraph, deopt sites, tier timeline) into RUN_DIR/profiles/;
    /// the report gets a Profiles section. Measured timings never have the profiler on.
    #[arg(long)]
    #[serde(default)]
    pub profile: bool,

    /// Have every `ruff bench` process write its perf map (/tmp/perf-PID.map), for running
    /// the harness under `perf record`.
    #[arg(long)]
    #[serde(default)]
    pub perf_map: bool,

    /// Run only shard K of N of the plan (a deterministic 1/N of its benchmark invocations,
    /// all configs of each); merge the N run folders with `harness merge`.
    #[arg(long, value_name = "K/N", value_parser = crate::shard::parse)]
    #[serde(default)] // absent from the run.json of runs made before the flag existed
    pub shard: Option<crate::shard::Shard>,

    /// Callgrind pattern of the function that runs one `ruff bench` iteration (instructions).
    #[arg(long, default_value = crate::exec::subprocess::DEFAULT_ITERATION_SYMBOL)]
    pub iteration_symbol: String,
}

/// The most bootstrap resamples `--resamples` takes: more would only cost time and memory
/// (each one is a pass over the sample), and a huge count would look like a hang.
const MAX_RESAMPLES: usize = 1_000_000;

fn parse_resamples(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if (1000..=MAX_RESAMPLES).contains(&n) => Ok(n),
        _ => Err(format!(
            "expected a whole number from 1000 to {MAX_RESAMPLES}, got '{text}'"
        )),
    }
}
