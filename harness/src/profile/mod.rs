//! `harness profile SUITE_DIR --bench NAME --config C [--out DIR] [--native]` (issue 11,
//! docs/PROFILING.md): runs one benchmark in one `ruff bench` process with the sampling
//! profiler and the event log on, and writes into the folder:
//!
//! - `profile.folded` (Ruff stacks, `ruff_core::sampler`), `flamegraph.svg` (`flame`),
//! - `events.jsonl`, `compiles.csv` and `deopts.csv` (`events`),
//! - `timeline.csv` and the tier timeline `timeline.png`/`.svg` (`timeline`),
//! - `profile.json` (what the HTML report's profile section shows) and `summary.txt` (what
//!   the command prints: tier shares, hottest functions, top deopt sites).
//!
//! `--native` adds a second run under `perf record -e cpu-clock` with `--perf-map`
//! (`perf-report.txt`, compiled code named `ruff:NAME@FILE:LINE`), or says that perf is
//! missing. `harness run --profile` calls [`profile_benchmark`] once per benchmark × config
//! after the measured invocations, into `RUN_DIR/profiles/`, so no measured timing is ever
//! taken with the profiler on.

pub mod events;
pub mod flame;
pub mod summary;
pub mod timeline;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

use crate::manifest::{Benchmark, Suite};

/// Options of `harness profile`.
#[derive(Debug, clap::Args)]
pub struct ProfileArgs {
    /// The suite folder (holding suite.toml).
    pub suite: PathBuf,
    /// The benchmark's name (exact, or a unique part of it).
    #[arg(short, long)]
    pub bench: String,
    /// The engine config.
    #[arg(short, long, default_value = "jit-spec")]
    pub config: String,
    /// Output folder (default: reports/profile-BENCH-CONFIG-TIME).
    #[arg(short, long)]
    pub out: Option<PathBuf>,
    /// Also profile natively with `perf record` and the JIT's perf map (when perf exists).
    #[arg(long)]
    pub native: bool,
    /// Iterations of the profiled process (default: the manifest's, else 10).
    #[arg(short = 'i', long, value_parser = crate::manifest::parse_count)]
    pub iterations: Option<u32>,
    /// Sampling interval in microseconds.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(10..=1_000_000))]
    pub interval_us: u64,
    /// The `ruff` binary (default: next to the harness executable, else on PATH).
    #[arg(long, value_name = "PATH")]
    pub ruff: Option<PathBuf>,
}

/// What to profile and how.
pub struct Request<'a> {
    pub ruff: &'a Path,
    pub suite: &'a Suite,
    pub bench: &'a Benchmark,
    pub config: &'a str,
    pub iterations: u32,
    pub interval_us: u64,
    pub native: bool,
}

/// `harness profile`: exit 0, or 2 on bad input / failure (printed).
pub fn profile_command(args: &ProfileArgs) -> i32 {
    match run_command(args) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e:#}");
            2
        }
    }
}

fn run_command(args: &ProfileArgs) -> Result<()> {
    let suite = Suite::load(&args.suite)?;
    let bench = find_bench(&suite, &args.bench)?;
    let ruff = crate::plan::find_ruff(args.ruff.as_deref())?;
    let out = args.out.clone().unwrap_or_else(|| {
        let time = chrono::Local::now().format("%Y%m%d-%H%M%S");
        PathBuf::from("reports").join(format!(
            "profile-{}-{}-{time}",
            bench.name,
            args.config.replace([':', '='], "_")
        ))
    });
    let request = Request {
        ruff: &ruff,
        suite: &suite,
        bench,
        config: &args.config,
        iterations: args
            .iterations
            .or(bench.iterations)
            .or(suite.iterations)
            .unwrap_or(10),
        interval_us: args.interval_us,
        native: args.native,
    };
    let summary = profile_benchmark(&request, &out)?;
    print!("{}", summary.text);
    println!("profile: {}", out.display());
    Ok(())
}

/// The folder of one profile inside a run's `profiles/` (file-name-safe).
pub fn folder_name(suite: &str, bench: &str, config: &str) -> String {
    format!("{suite}-{bench}-{config}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The benchmark named `name` (exactly, else the only one whose name contains it).
pub fn find_bench<'a>(suite: &'a Suite, name: &str) -> Result<&'a Benchmark> {
    if let Some(b) = suite.benchmarks.iter().find(|b| b.name == name) {
        return Ok(b);
    }
    let matches: Vec<_> = suite
        .benchmarks
        .iter()
        .filter(|b| b.name.contains(name))
        .collect();
    match matches.as_slice() {
        [b] => Ok(b),
        [] => bail!(
            "no benchmark '{name}' in suite '{}' (benchmarks: {})",
            suite.name,
            suite
                .benchmarks
                .iter()
                .map(|b| b.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        many => bail!(
            "'{name}' matches {} benchmarks: {}",
            many.len(),
            many.iter()
                .map(|b| b.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The `ruff bench` command of a profile run (without the profiling flags).
fn bench_command(ruff: &Path, req: &Request<'_>, dir: &Path) -> Command {
    let mut cmd = Command::new(ruff);
    cmd.arg("bench")
        .arg(&req.bench.path)
        .arg("--config")
        .arg(req.config)
        .arg("--iterations")
        .arg(req.iterations.to_string())
        .arg("--records")
        .arg(dir.join("records.jsonl"));
    cmd
}

fn finish(mut cmd: Command, req: &Request<'_>, dir: &Path, what: &str) -> Result<()> {
    if !req.bench.args.is_empty() {
        cmd.arg("--").args(&req.bench.args);
    }
    let stdout = std::fs::File::create(dir.join(format!("{what}.stdout.txt")))?;
    let stderr_path = dir.join(format!("{what}.stderr.txt"));
    let stderr = std::fs::File::create(&stderr_path)?;
    let status = cmd
        .stdout(Stdio::from(stdout))
        .stderr(Stdio::from(stderr))
        .status()
        .with_context(|| format!("cannot start {:?}", cmd.get_program()))?;
    if !status.success() {
        let err = std::fs::read_to_string(&stderr_path).unwrap_or_default();
        bail!(
            "the {what} run of {} under {} failed ({status}): {}",
            req.bench.name,
            req.config,
            err.trim()
        );
    }
    Ok(())
}

/// Profiles `req` into `out` (created); returns the summary it also writes.
pub fn profile_benchmark(req: &Request<'_>, out: &Path) -> Result<summary::Summary> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut cmd = bench_command(req.ruff, req, out);
    cmd.arg("--events")
        .arg(out.join("events.jsonl"))
        .arg("--profile")
        .arg(out.join("profile.folded"))
        .arg("--profile-timeline")
        .arg(out.join("timeline.csv"))
        .arg("--profile-interval-us")
        .arg(req.interval_us.to_string());
    finish(cmd, req, out, "profile")?;

    let read = |name: &str| {
        std::fs::read_to_string(out.join(name))
            .with_context(|| format!("cannot read {}", out.join(name).display()))
    };
    let folded = read("profile.folded")?;
    let ev = events::parse(&read("events.jsonl")?)?;
    let interval_ms = req.interval_us as f64 / 1000.0;
    let samples = timeline::parse_samples(&read("timeline.csv")?, interval_ms);
    let title = format!("{} under {}", req.bench.name, req.config);
    std::fs::write(
        out.join("flamegraph.svg"),
        flame::flamegraph_svg(&folded, &title)?,
    )?;
    std::fs::write(out.join("deopts.csv"), events::deopts_csv(&ev))?;
    std::fs::write(out.join("compiles.csv"), events::compiles_csv(&ev))?;
    let plot = timeline::Timeline {
        title: format!("{title}: tiers over time"),
        samples,
        compiles: ev.compiles.iter().map(|c| c.t_ms).collect(),
        deopts: ev.deopt_times.clone(),
    };
    crate::plots::render(&plot, out, "timeline")?;
    let native = if req.native {
        Some(native_profile(req, out)?)
    } else {
        None
    };
    let summary = summary::Summary::new(req, &folded, &ev, native);
    std::fs::write(out.join("summary.txt"), &summary.text)?;
    std::fs::write(
        out.join("profile.json"),
        serde_json::to_string_pretty(&summary.json)?,
    )?;
    Ok(summary)
}

/// `--native`: a second run under `perf record` with the perf map; returns what happened.
fn native_profile(req: &Request<'_>, out: &Path) -> Result<String> {
    if Command::new("perf").arg("--version").output().is_err() {
        let why = "native profile skipped: `perf` is not installed (Debian: linux-perf)";
        std::fs::write(out.join("perf-report.txt"), format!("{why}\n"))?;
        eprintln!("{why}");
        return Ok(why.to_string());
    }
    let data = out.join("perf.data");
    let mut cmd = Command::new("perf");
    cmd.args(["record", "-e", "cpu-clock", "-o"])
        .arg(&data)
        .arg("--")
        .arg(req.ruff);
    let inner = bench_command(req.ruff, req, out);
    cmd.args(inner.get_args()).arg("--perf-map");
    finish(cmd, req, out, "native")?;
    let report = Command::new("perf")
        .args(["report", "--stdio", "--sort", "sym", "-i"])
        .arg(&data)
        .output()
        .context("cannot run perf report")?;
    std::fs::write(out.join("perf-report.txt"), &report.stdout)?;
    Ok("native profile: perf-report.txt (perf record -e cpu-clock with the JIT's perf map)".into())
}
