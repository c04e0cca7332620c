//! `results.csv` — the raw data of a run, one row per iteration (ARCHITECTURE §6), appended,
//! flushed and synced to disk (`fdatasync`) after every invocation, before the next one
//! starts, so neither a kill of the harness nor the machine going down loses a finished
//! invocation (a sync costs about a millisecond, against invocations of tens of ms or more).
//!
//! Columns, in this order (stable; `harness report` and the gate read them):
//!
//! | column | meaning |
//! | --- | --- |
//! | `run_id` | the run folder's name |
//! | `suite`, `benchmark`, `config` | names; `config` is canonical (`jit-spec:threshold=10`) |
//! | `invocation` | 0-based process index for this benchmark × config |
//! | `iteration` | 0-based; iteration 0 = top level (parse, compile, first `run()`) |
//! | `wall_ns` | wall time of the iteration as timed by `ruff bench`; empty if none |
//! | `status` | `ok`, `wrong-output`, `error`, `timeout`, `crash` — the invocation's status, repeated on each of its rows |
//! | `instructions` | instructions of the iteration (`--measure instructions`), else empty |
//! | `compile_ns`, `deopts`, `guard_failures`, `osr_entries` | engine `Stats` deltas of the iteration |
//! | `max_rss_kb` | the process's peak RSS (same on every row of an invocation) |
//! | `compiles` | JIT compilations in the iteration (functions + loops; `Stats::functions_compiled + loops_compiled`) |
//! | `other_cpu`, `steal`, `load_1m`, `cpu_mhz` | how busy the machine was during the invocation ([`crate::noise`]; same on every row of an invocation) |
//!
//! A failed invocation keeps the rows of the iterations it reported (so the data is not lost)
//! with the failure status; one that reported none gets a single row with iteration 0 and an
//! empty `wall_ns`. Statistics use only `ok` rows.
//!
//! Completion marker: after an invocation's rows are flushed, one JSON line is appended to
//! `invocations.jsonl` (see [`super::log`]). `--resume` trusts only invocations found there and
//! drops any other rows (a kill between the two writes), so rows are never duplicated.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::exec::{Outcome, Request, Status};
use crate::noise::Noise;

/// The file name inside a run folder.
pub const FILE: &str = "results.csv";

/// The columns of `results.csv`, in order.
pub const COLUMNS: [&str; 19] = [
    "run_id",
    "suite",
    "benchmark",
    "config",
    "invocation",
    "iteration",
    "wall_ns",
    "status",
    "instructions",
    "compile_ns",
    "deopts",
    "guard_failures",
    "osr_entries",
    "max_rss_kb",
    "compiles",
    "other_cpu",
    "steal",
    "load_1m",
    "cpu_mhz",
];

/// One row of `results.csv` (field order = column order).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultRow {
    pub run_id: String,
    pub suite: String,
    pub benchmark: String,
    pub config: String,
    pub invocation: u32,
    pub iteration: u32,
    pub wall_ns: Option<u64>,
    pub status: Status,
    pub instructions: Option<u64>,
    pub compile_ns: Option<u64>,
    pub deopts: Option<u64>,
    pub guard_failures: Option<u64>,
    pub osr_entries: Option<u64>,
    pub max_rss_kb: Option<u64>,
    #[serde(default)]
    pub compiles: Option<u64>,
    #[serde(default)]
    pub other_cpu: Option<f64>,
    #[serde(default)]
    pub steal: Option<f64>,
    #[serde(default)]
    pub load_1m: Option<f64>,
    #[serde(default)]
    pub cpu_mhz: Option<f64>,
}

impl ResultRow {
    /// The rows of one verified invocation, with the machine's noise measured around it.
    pub fn from_outcome(
        run_id: &str,
        request: &Request,
        outcome: &Outcome,
        noise: &Noise,
    ) -> Vec<ResultRow> {
        let row = |iteration: u32| ResultRow {
            run_id: run_id.to_string(),
            suite: request.suite.to_string(),
            benchmark: request.benchmark.name.clone(),
            config: request.config.to_string(),
            invocation: request.invocation,
            iteration,
            wall_ns: None,
            status: outcome.status,
            instructions: None,
            compile_ns: None,
            deopts: None,
            guard_failures: None,
            osr_entries: None,
            max_rss_kb: outcome.max_rss_kb,
            compiles: None,
            other_cpu: noise.other_cpu,
            steal: noise.steal,
            load_1m: noise.load_1m,
            cpu_mhz: noise.cpu_mhz,
        };
        if outcome.iterations.is_empty() {
            return vec![row(0)];
        }
        outcome
            .iterations
            .iter()
            .map(|it| ResultRow {
                wall_ns: Some(it.wall_ns),
                instructions: it.instructions,
                compile_ns: Some(it.engine.compile_ns),
                deopts: Some(it.engine.deopts),
                guard_failures: Some(it.engine.guard_failures),
                osr_entries: Some(it.engine.osr_entries),
                compiles: Some(it.engine.functions_compiled + it.engine.loops_compiled),
                ..row(it.iteration)
            })
            .collect()
    }
}

/// Appends rows to `results.csv`, flushing after each invocation.
pub struct ResultsWriter {
    writer: csv::Writer<File>,
}

impl ResultsWriter {
    /// Creates `path` with the header (the file must not exist).
    pub fn create(path: &Path) -> Result<ResultsWriter> {
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        let mut writer = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(file);
        writer.write_record(COLUMNS)?;
        writer.flush()?;
        Ok(ResultsWriter { writer })
    }

    /// Rewrites `path` to hold exactly `rows` (used by `--resume` to drop unfinished
    /// invocations; written to a temporary file and renamed, so a kill leaves the old file)
    /// and opens it for appending.
    pub fn rewrite(path: &Path, rows: &[ResultRow]) -> Result<ResultsWriter> {
        let tmp = path.with_extension("csv.tmp");
        let _ = std::fs::remove_file(&tmp);
        {
            let mut w = ResultsWriter::create(&tmp)?;
            w.append(rows)?;
        }
        std::fs::rename(&tmp, path)
            .with_context(|| format!("cannot replace {}", path.display()))?;
        let file = OpenOptions::new()
            .append(true)
            .open(path)
            .with_context(|| format!("cannot append to {}", path.display()))?;
        Ok(ResultsWriter {
            writer: csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(file),
        })
    }

    /// Writes rows, flushes them and syncs the file to disk (see the module header).
    pub fn append(&mut self, rows: &[ResultRow]) -> Result<()> {
        for row in rows {
            self.writer.serialize(row)?;
        }
        self.writer.flush()?;
        self.writer.get_ref().sync_data()?;
        Ok(())
    }
}

/// Reads every row of a `results.csv`. A final line cut short by a kill is ignored; any
/// other malformed row is an error naming the line.
pub fn read_results(path: &Path) -> Result<Vec<ResultRow>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let complete = match text.rfind('\n') {
        Some(end) => &text[..=end],
        None => "",
    };
    let mut reader = csv::Reader::from_reader(complete.as_bytes());
    let mut rows = Vec::new();
    for (i, row) in reader.deserialize().enumerate() {
        rows.push(row.with_context(|| format!("{}: bad row {}", path.display(), i + 2))?);
    }
    Ok(rows)
}

/// Writes any serializable records as a CSV file in one go (summary and invocation tables).
pub fn write_csv<T: Serialize>(path: &Path, rows: &[T]) -> Result<()> {
    let mut w =
        csv::Writer::from_path(path).with_context(|| format!("cannot write {}", path.display()))?;
    for row in rows {
        w.serialize(row)?;
    }
    w.flush()?;
    Ok(())
}

/// Makes sure a file ends at a line boundary before appending (a kill may have cut a line).
pub fn truncate_partial_line(path: &Path) -> Result<()> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    if let Some(end) = bytes.iter().rposition(|&b| b == b'\n') {
        if end + 1 != bytes.len() {
            let f = OpenOptions::new().write(true).open(path)?;
            f.set_len(end as u64 + 1)?;
        }
    } else if !bytes.is_empty() {
        File::create(path)?.flush()?;
    }
    Ok(())
}
