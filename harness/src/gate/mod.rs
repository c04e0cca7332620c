//! Baselines and the regression gate: `harness baseline save` and `harness compare`
//! (ARCHITECTURE §6, §7). Both read files only and never run a benchmark.
//!
//! Exit codes of `harness compare`: 0 no regression, 1 at least one regression, 2 error
//! (missing or corrupt baseline, mismatched suites, a benchmark of the baseline missing from the
//! run, a measure not recorded) or, in wall time, "machine was busy": either side ran beside
//! other work above the thresholds of [`crate::noise`] (unless `--allow-noisy`). The noise
//! state of both sides is printed before anything else. Errors are messages naming the file to fix, never panics.

pub mod baseline;
pub mod compare;
pub mod verdict_table;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::analysis::recorded::options_for;
use crate::report::data::{load_run, Measure};

use crate::noise::{RunNoise, BUSY_OTHER_CPU, BUSY_SHARE, BUSY_STEAL};
use compare::{compare, has_regression, CompareOptions, Verdict};

/// Default threshold in wall-time mode (ARCHITECTURE §7).
pub const WALL_THRESHOLD: f64 = 0.05;
/// Default threshold for instruction counts. Counts are exactly repeatable, so any change is
/// real; the threshold only says which real changes are worth failing a pull request for.
/// 0.5% keeps code-layout wobble of a few instructions out and catches a 1% slowdown.
pub const INSTRUCTIONS_THRESHOLD: f64 = 0.005;

/// `harness baseline save NAME [RUN_DIR]`.
#[derive(Debug, clap::Args)]
pub struct BaselineArgs {
    #[command(subcommand)]
    pub action: BaselineAction,
}

#[derive(Debug, clap::Subcommand)]
pub enum BaselineAction {
    /// Copy a run's results.csv, summary.csv and run.json to reports/baselines/NAME/.
    Save {
        /// Baseline name ([A-Za-z0-9_.-]+).
        name: String,
        /// Run directory; default: the latest run under reports/.
        run_dir: Option<PathBuf>,
    },
}

/// `harness compare BASELINE RUN_DIR`.
#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// Baseline name (under reports/baselines/) or a directory holding results.csv.
    pub baseline: String,
    /// Run directory to judge.
    pub run_dir: PathBuf,
    /// Smallest change that counts as a regression, e.g. `5%` (default 5% for wall time,
    /// 0.5% for instructions).
    #[arg(long)]
    pub threshold: Option<String>,
    /// The measure to compare.
    #[arg(long, value_enum, default_value = "wall")]
    pub measure: Measure,
    /// Also write the table as Markdown (for a pull-request comment) to FILE.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// Judge run benchmark RUN as baseline benchmark BASE (repeatable; only these are then
    /// compared). Used to check the gate against planted variants.
    #[arg(long, value_name = "BASE=RUN")]
    pub pair: Vec<String>,
    /// Give a wall-time verdict even when a side ran on a busy machine (see `harness::noise`;
    /// by default that is exit 2 "machine was busy").
    #[arg(long)]
    pub allow_noisy: bool,
}

/// Parses `5%`, `5` (both percent) or `0.5%`.
pub fn parse_threshold(text: &str) -> Result<f64> {
    let number = text.trim().trim_end_matches('%').trim();
    match number.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v / 100.0),
        _ => bail!("--threshold `{text}`: expected a percentage such as `5%`"),
    }
}

/// Parses `--pair BASE=OTHER` arguments.
pub fn parse_pairs(args: &[String]) -> Result<Vec<(String, String)>> {
    args.iter()
        .map(|p| {
            p.split_once('=')
                .filter(|(a, b)| !a.is_empty() && !b.is_empty())
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .with_context(|| format!("--pair `{p}`: expected BASE=OTHER"))
        })
        .collect()
}

/// Runs `harness baseline ...`; returns the exit code (0 ok, 2 error).
pub fn baseline_command(args: &BaselineArgs) -> i32 {
    let BaselineAction::Save { name, run_dir } = &args.action;
    let reports = Path::new(baseline::REPORTS_DIR);
    let result = run_dir
        .clone()
        .map(Ok)
        .unwrap_or_else(|| baseline::latest_run(reports))
        .and_then(|dir| baseline::save(reports, name, &dir).map(|dest| (dir, dest)));
    match result {
        Ok((dir, dest)) => {
            println!(
                "saved baseline `{name}` from {} to {}",
                dir.display(),
                dest.display()
            );
            0
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            2
        }
    }
}

/// Runs `harness compare`; returns the exit code (0, 1 or 2; see the module docs).
pub fn compare_command(args: &CompareArgs) -> i32 {
    match compare_inner(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            2
        }
    }
}

fn compare_inner(args: &CompareArgs) -> Result<i32> {
    let threshold = match &args.threshold {
        Some(t) => parse_threshold(t)?,
        None if args.measure == Measure::Instructions => INSTRUCTIONS_THRESHOLD,
        None => WALL_THRESHOLD,
    };
    let pairs = parse_pairs(&args.pair)?;
    let reports = Path::new(baseline::REPORTS_DIR);
    let base_dir = baseline::resolve_baseline(reports, &args.baseline)?;
    let base =
        load_run(&base_dir).with_context(|| format!("corrupt baseline {}", base_dir.display()))?;
    base.require_ok_per_pair()
        .with_context(|| format!("unusable baseline {}", base_dir.display()))?;
    let run = load_run(&args.run_dir)
        .with_context(|| format!("cannot read the run {}", args.run_dir.display()))?;
    // The baseline's recorded seed and bootstrap settings, so one baseline always gives the
    // same interval for the same run.
    let stats = options_for(base.run_json.as_ref(), args.measure, "");
    let opts = CompareOptions {
        measure: args.measure,
        threshold,
        seed: stats.seed,
        resamples: stats.resamples,
        confidence: stats.confidence,
        pairs,
    };
    // The noise state comes first, before any verdict.
    let mut warnings: Vec<String> = Vec::new();
    let mut busy: Vec<String> = Vec::new();
    for (what, side) in [("baseline", &base), ("run", &run)] {
        let noise = RunNoise::of(&side.rows);
        let state = noise
            .as_ref()
            .map_or("noise not recorded".to_string(), |n| n.describe());
        println!("noise: {what}: {state}");
        if noise.as_ref().is_some_and(|n| n.is_busy()) {
            busy.push(format!("the {what} ({state})"));
        }
        if let Some(w) = overload_warning(what, side) {
            busy.push(w.clone());
            warnings.push(w);
        }
    }
    if args.measure == Measure::Wall && !busy.is_empty() {
        let why = busy.join("; ");
        if !args.allow_noisy {
            eprintln!(
                "error: machine was busy: {why}. No wall-time verdict: more than {:.0}% of the \
                 invocations ran beside other work (over {} cores of other processes' CPU or {:.0}% \
                 steal). Re-run on a quiet machine, compare with `harness ab` (interleaved, so load \
                 hits both builds alike), use --measure instructions, or pass --allow-noisy.",
                BUSY_SHARE * 100.0,
                BUSY_OTHER_CPU,
                BUSY_STEAL * 100.0
            );
            return Ok(2);
        }
        warnings.push(format!(
            "machine was busy ({why}); judged anyway (--allow-noisy)"
        ));
    }
    let rows = compare(&base, &run, &opts)?;

    print!("{}", verdict_table::terminal(&rows, args.measure));
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    if let Some(path) = &args.markdown {
        let mut md = verdict_table::markdown(&rows, args.measure, threshold, &args.baseline);
        for w in &warnings {
            md.push_str(&format!("\n> **Warning:** {w}\n"));
        }
        std::fs::write(path, md).with_context(|| format!("writing {}", path.display()))?;
    }
    let missing: Vec<String> = rows
        .iter()
        .filter(|r| r.verdict == Verdict::Missing)
        .map(|r| r.key.to_string())
        .collect();
    if !missing.is_empty() {
        bail!(
            "{} benchmark(s) of the baseline have no successful invocation in the run: {}",
            missing.len(),
            missing.join(", ")
        );
    }
    Ok(if has_regression(&rows) { 1 } else { 0 })
}

/// A warning when `run.json` shows that the machine was busier than its cores during the run
/// (1-minute load average above the core count at start or end): wall times then measure the
/// other load as much as the code, and the between-run drift can exceed any threshold.
fn overload_warning(what: &str, run: &crate::report::data::RunData) -> Option<String> {
    let machine = run.run_json.as_ref()?.get("machine")?;
    let cores = machine.get("cores")?.as_f64()?;
    let load = ["load_average_start", "load_average_end"]
        .iter()
        .filter_map(|k| machine.get(*k)?.get(0)?.as_f64())
        .fold(0.0f64, f64::max);
    (load > cores).then(|| {
        format!(
            "the {what} ran on an overloaded machine (load average {load:.1} on {cores} cores); \
             wall-time verdicts are unreliable"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_are_percentages() {
        assert_eq!(parse_threshold("5%").unwrap(), 0.05);
        assert_eq!(parse_threshold("5").unwrap(), 0.05);
        assert_eq!(parse_threshold(" 0.5 %").unwrap(), 0.005);
        assert!(parse_threshold("five").is_err());
        assert!(parse_threshold("-1%").is_err());
    }
}
