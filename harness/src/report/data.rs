//! Reading a run directory back from its files (ARCHITECTURE §6): `results.csv`, and
//! `run.json` when present. The report and the gate never run benchmarks; everything they
//! show or judge comes from here, so CI can gate on results produced on another machine.
//!
//! Columns are found by header name, not position: the optional measures (`instructions`,
//! `compile_ns`, ...) may be absent, and an empty cell means "not measured". A file that lacks
//! a required column, or has a cell that does not parse, is an error naming the file, line and
//! column — a corrupt baseline must fail the gate with exit 2, never be half-read.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::output::results::ResultRow;

/// Columns every `results.csv` has, in order (ARCHITECTURE §6).
pub const REQUIRED_COLUMNS: [&str; 8] = [
    "run_id",
    "suite",
    "benchmark",
    "config",
    "invocation",
    "iteration",
    "wall_ns",
    "status",
];

/// Optional per-iteration measures; an absent column or empty cell reads as `None`.
pub const OPTIONAL_COLUMNS: [&str; 6] = [
    "instructions",
    "compile_ns",
    "deopts",
    "guard_failures",
    "osr_entries",
    "max_rss_kb",
];

/// One row of `results.csv`: one iteration of one invocation.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub suite: String,
    pub benchmark: String,
    pub config: String,
    pub invocation: u32,
    pub iteration: u32,
    pub wall_ns: f64,
    pub status: String,
    /// Values of [`OPTIONAL_COLUMNS`], same order.
    pub extra: [Option<f64>; 6],
}

impl Row {
    /// The optional measure `name` (one of [`OPTIONAL_COLUMNS`]).
    pub fn extra(&self, name: &str) -> Option<f64> {
        OPTIONAL_COLUMNS
            .iter()
            .position(|c| *c == name)
            .and_then(|i| self.extra[i])
    }

    pub fn key(&self) -> Key {
        Key {
            suite: self.suite.clone(),
            benchmark: self.benchmark.clone(),
            config: self.config.clone(),
        }
    }
}

/// A benchmark × config within a suite: the unit of every table row and verdict.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub suite: String,
    pub benchmark: String,
    pub config: String,
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{} [{}]", self.suite, self.benchmark, self.config)
    }
}

/// Everything read from one run directory.
#[derive(Debug)]
pub struct RunData {
    pub dir: PathBuf,
    pub run_id: String,
    pub rows: Vec<Row>,
    /// `run.json`, kept as free JSON: the report shows whatever environment the runner wrote.
    pub run_json: Option<serde_json::Value>,
}

/// Reads `DIR/results.csv` (required) and `DIR/run.json` (optional).
pub fn load_run(dir: &Path) -> Result<RunData> {
    if !dir.is_dir() {
        bail!("{} is not a directory (expected a run or baseline directory)", dir.display());
    }
    let csv_path = dir.join("results.csv");
    let (run_id, rows) = read_results(&csv_path)?;
    let json_path = dir.join("run.json");
    let run_json = if json_path.exists() {
        let text = std::fs::read_to_string(&json_path)
            .with_context(|| format!("reading {}", json_path.display()))?;
        Some(
            serde_json::from_str(&text)
                .with_context(|| format!("{} is not valid JSON", json_path.display()))?,
        )
    } else {
        None
    };
    Ok(RunData { dir: dir.to_path_buf(), run_id, rows, run_json })
}

/// Parses a `results.csv`; returns the run id (of the first row) and the rows.
pub fn read_results(path: &Path) -> Result<(String, Vec<Row>)> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let headers = reader
        .headers()
        .with_context(|| format!("{}: cannot read the header line", path.display()))?
        .clone();
    let index = |name: &str| headers.iter().position(|h| h.trim() == name);
    for name in REQUIRED_COLUMNS {
        index(name).with_context(|| {
            format!("{}: missing column `{name}` (is this a results.csv?)", path.display())
        })?;
    }
    let mut run_id = String::new();
    let mut rows = Vec::new();
    // The record type is the writer's own (`output::results::ResultRow`), so reader and
    // writer cannot drift apart; its optional measures deserialize to `None` when absent.
    for (n, record) in reader.deserialize::<ResultRow>().enumerate() {
        let r = record.with_context(|| format!("{}: data line {}", path.display(), n + 1))?;
        if run_id.is_empty() {
            run_id = r.run_id.clone();
        }
        let as_f64 = |v: Option<u64>| v.map(|v| v as f64);
        rows.push(Row {
            suite: r.suite,
            benchmark: r.benchmark,
            config: r.config,
            invocation: r.invocation,
            iteration: r.iteration,
            wall_ns: r.wall_ns.map_or(f64::NAN, |v| v as f64),
            status: r.status,
            extra: [
                as_f64(r.instructions),
                as_f64(r.compile_ns),
                as_f64(r.deopts),
                as_f64(r.guard_failures),
                as_f64(r.osr_entries),
                as_f64(r.max_rss_kb),
            ],
        });
    }
    Ok((run_id, rows))
}

/// Which per-iteration number a comparison or plot is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Measure {
    /// Wall-clock nanoseconds per iteration.
    Wall,
    /// Instructions per iteration (callgrind; deterministic).
    Instructions,
}

impl Measure {
    pub fn name(self) -> &'static str {
        match self {
            Measure::Wall => "wall",
            Measure::Instructions => "instructions",
        }
    }

    /// The unit of the raw numbers, for table headers.
    pub fn unit(self) -> &'static str {
        match self {
            Measure::Wall => "ms",
            Measure::Instructions => "Minstr",
        }
    }

    /// Raw value → display unit (ns → ms, instructions → millions).
    pub fn scale(self) -> f64 {
        1e-6
    }

    pub fn of(self, row: &Row) -> Option<f64> {
        match self {
            Measure::Wall => Some(row.wall_ns).filter(|v| v.is_finite()),
            Measure::Instructions => row.extra("instructions"),
        }
    }
}

/// The iteration series of one invocation, in iteration order.
#[derive(Clone, Debug, PartialEq)]
pub struct Invocation {
    pub invocation: u32,
    pub series: Vec<f64>,
}

/// Groups the rows into invocation series of `measure` per benchmark × config.
///
/// Only invocations whose every row is `ok` and carries the measure enter: a process that
/// crashed or printed a wrong result is reported as a failure, and its times must not count
/// (ARCHITECTURE §6). Keys whose invocations all failed are absent from the map.
pub fn invocations(rows: &[Row], measure: Measure) -> BTreeMap<Key, Vec<Invocation>> {
    let mut grouped: BTreeMap<(Key, u32), Vec<&Row>> = BTreeMap::new();
    for row in rows {
        grouped.entry((row.key(), row.invocation)).or_default().push(row);
    }
    let mut out: BTreeMap<Key, Vec<Invocation>> = BTreeMap::new();
    for ((key, invocation), mut rows) in grouped {
        if rows.iter().any(|r| r.status != "ok" || measure.of(r).is_none()) {
            continue;
        }
        rows.sort_by_key(|r| r.iteration);
        let series = rows.iter().filter_map(|r| measure.of(r)).collect();
        out.entry(key).or_default().push(Invocation { invocation, series });
    }
    out
}

/// Rows whose status is not `ok`, one entry per failed invocation: (key, invocation, status).
pub fn failures(rows: &[Row]) -> Vec<(Key, u32, String)> {
    let mut seen = BTreeMap::new();
    for row in rows.iter().filter(|r| r.status != "ok") {
        seen.entry((row.key(), row.invocation)).or_insert_with(|| row.status.clone());
    }
    seen.into_iter().map(|((k, i), s)| (k, i, s)).collect()
}
