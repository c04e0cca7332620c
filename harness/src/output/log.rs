//! `invocations.jsonl` — one JSON line per finished invocation, appended right after the
//! invocation's rows were flushed to `results.csv`. It is both the completion marker that
//! `--resume` relies on and the raw record of what the harness saw outside the iterations:
//!
//! `{"suite":S,"benchmark":B,"config":C,"invocation":I,"status":"ok","iterations":N,
//!   "elapsed_ns":E,"max_rss_kb":K,"message":M}`
//!
//! `elapsed_ns` is the harness's view of the whole process (spawn to reap): compared with the
//! sum of the iterations' `wall_ns` it shows start-up and harness overhead. `message` explains
//! a non-`ok` status (stderr excerpt, mismatch, signal).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::exec::Status;

pub const FILE: &str = "invocations.jsonl";

/// One line of `invocations.jsonl`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvocationLog {
    pub suite: String,
    pub benchmark: String,
    pub config: String,
    pub invocation: u32,
    pub status: Status,
    pub iterations: u32,
    pub elapsed_ns: u64,
    pub max_rss_kb: Option<u64>,
    pub message: String,
}

impl InvocationLog {
    /// The (suite, benchmark, config, invocation) key that identifies an invocation.
    pub fn key(&self) -> (String, String, String, u32) {
        (
            self.suite.clone(),
            self.benchmark.clone(),
            self.config.clone(),
            self.invocation,
        )
    }
}

/// Appends lines to `invocations.jsonl`.
pub struct LogWriter {
    file: File,
}

impl LogWriter {
    pub fn open(path: &Path) -> Result<LogWriter> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        Ok(LogWriter { file })
    }

    pub fn append(&mut self, entry: &InvocationLog) -> Result<()> {
        let mut line = serde_json::to_string(entry)?;
        line.push('\n');
        self.file.write_all(line.as_bytes())?;
        // Synced like results.csv: the marker must not survive a crash that the rows it
        // vouches for did not.
        self.file.sync_data()?;
        Ok(())
    }
}

/// Reads all complete lines (a last line cut short by a kill is ignored).
pub fn read_log(path: &Path) -> Result<Vec<InvocationLog>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let complete = match text.rfind('\n') {
        Some(end) => &text[..end],
        None => "",
    };
    complete
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l).with_context(|| format!("{}: line {}", path.display(), i + 1))
        })
        .collect()
}
