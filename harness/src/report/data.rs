//! Reading a run directory back from its files (ARCHITECTURE §6): `results.csv`, and
//! `run.json` when present. The report and the gate never run benchmarks; everything they
//! show or judge comes from here, so CI can gate on results produced on another machine.
//!
//! Columns are found by header name, not position: the optional measures (`instructions`,
//! `compile_ns`, ...) may be absent, and an empty cell means "not measured". Every run is
//! checked by [`validate`] as it is read: a corrupt baseline must fail the gate with exit 2
//! naming file, line and rule, never be half-read.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

pub use crate::exec::Measure;
use crate::exec::Status;
use crate::output::results::{self, ResultRow};
use crate::output::validate;

/// The benchmark × config of a row.
pub fn key_of(row: &ResultRow) -> Key {
    Key {
        suite: row.suite.clone(),
        benchmark: row.benchmark.clone(),
        config: row.config.clone(),
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
    pub rows: Vec<ResultRow>,
    /// The line of `results.csv` each row was read from (parallel to `rows`).
    pub lines: Vec<usize>,
    /// `run.json`, kept as free JSON: the report shows whatever environment the runner wrote.
    pub run_json: Option<serde_json::Value>,
}

/// Reads `DIR/run.json` (optional) and `DIR/results.csv` (required), checking the rows
/// against every rule of [`validate`] (exit 2 naming file, line and rule on a violation).
pub fn load_run(dir: &Path) -> Result<RunData> {
    if !dir.is_dir() {
        bail!(
            "{} is not a directory (expected a run or baseline directory)",
            dir.display()
        );
    }
    let json_path = dir.join("run.json");
    let run_json: Option<serde_json::Value> = if json_path.exists() {
        let text = std::fs::read_to_string(&json_path)
            .with_context(|| format!("reading {}", json_path.display()))?;
        Some(
            serde_json::from_str(&text)
                .with_context(|| format!("{} is not valid JSON", json_path.display()))?,
        )
    } else {
        None
    };
    let csv_path = dir.join(results::FILE);
    let checked = validate::read_checked(&csv_path, run_json.as_ref())?;
    let (lines, rows): (Vec<usize>, Vec<ResultRow>) = checked.into_iter().unzip();
    let run_id = rows.first().map(|r| r.run_id.clone()).unwrap_or_default();
    Ok(RunData {
        dir: dir.to_path_buf(),
        run_id,
        rows,
        lines,
        run_json,
    })
}

impl RunData {
    /// Fails unless every benchmark × config has an `ok` invocation (the "ok per pair" rule
    /// of [`validate`]): required of a baseline and of both sides of a comparison.
    pub fn require_ok_per_pair(&self) -> Result<()> {
        let rows: Vec<(usize, ResultRow)> =
            self.lines.iter().copied().zip(self.rows.clone()).collect();
        validate::require_ok_per_pair(&self.dir.join(results::FILE), &rows)?;
        Ok(())
    }
}

/// Display unit of a measure's raw numbers, for table headers and axes.
pub fn unit(measure: Measure) -> &'static str {
    match measure {
        Measure::Wall => "ms",
        Measure::Instructions => "Minstr",
    }
}

/// Raw value to display unit (ns to ms, instructions to millions).
pub const DISPLAY_SCALE: f64 = 1e-6;

/// The name of a measure as written on the command line.
pub fn measure_name(measure: Measure) -> &'static str {
    match measure {
        Measure::Wall => "wall",
        Measure::Instructions => "instructions",
    }
}

/// The row's value of `measure`.
pub fn value_of(row: &ResultRow, measure: Measure) -> Option<f64> {
    match measure {
        Measure::Wall => row.wall_ns.map(|v| v as f64),
        Measure::Instructions => row.instructions.map(|v| v as f64),
    }
}

/// The iteration series of one invocation, in iteration order.
#[derive(Clone, Debug, PartialEq)]
pub struct Invocation {
    pub invocation: u32,
    pub series: Vec<f64>,
}

/// Groups the rows into invocation series of `measure` per benchmark × config (for plots).
///
/// Only invocations whose every row is `ok` and carries the measure enter: a process that
/// crashed or printed a wrong result is reported as a failure, and its times must not count
/// (ARCHITECTURE §6). Keys whose invocations all failed are absent from the map.
pub fn invocations(rows: &[ResultRow], measure: Measure) -> BTreeMap<Key, Vec<Invocation>> {
    let mut grouped: BTreeMap<(Key, u32), Vec<&ResultRow>> = BTreeMap::new();
    for row in rows {
        grouped
            .entry((key_of(row), row.invocation))
            .or_default()
            .push(row);
    }
    let mut out: BTreeMap<Key, Vec<Invocation>> = BTreeMap::new();
    for ((key, invocation), mut rows) in grouped {
        if rows
            .iter()
            .any(|r| !r.status.is_ok() || value_of(r, measure).is_none())
        {
            continue;
        }
        rows.sort_by_key(|r| r.iteration);
        let series = rows.iter().filter_map(|r| value_of(r, measure)).collect();
        out.entry(key)
            .or_default()
            .push(Invocation { invocation, series });
    }
    out
}

/// Failed invocations: (key, invocation, status), one entry each.
pub fn failures(rows: &[ResultRow]) -> Vec<(Key, u32, Status)> {
    let mut seen = BTreeMap::new();
    for row in rows.iter().filter(|r| !r.status.is_ok()) {
        seen.entry((key_of(row), row.invocation))
            .or_insert(row.status);
    }
    seen.into_iter().map(|((k, i), s)| (k, i, s)).collect()
}
