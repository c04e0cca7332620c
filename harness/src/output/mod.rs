//! The files of a run folder `reports/<run-id>/` (ARCHITECTURE §6). Each submodule documents
//! its file's format in its header; those formats are read by `harness report`, plots and the
//! gate, so they only grow by new trailing columns or fields, and `run.json`'s
//! `schema_version` changes when they do not.
//!
//! | file | written | module |
//! | --- | --- | --- |
//! | `results.csv` | row by row, during the run | [`results`] |
//! | `invocations.jsonl` | one line per finished invocation | [`log`] |
//! | `invocations.csv` | at the end: per-invocation steady-state analysis | [`summary`] |
//! | `summary.csv` | at the end: per benchmark × config | [`summary`] |
//! | `run.json` | at the start (status `running`), rewritten at the end | [`run_json`] |

pub mod lock;
pub mod log;
pub mod results;
pub mod run_json;
pub mod summary;
pub mod validate;

use rand::Rng;

/// A new run id: UTC time to the second plus 6 random hex digits, e.g.
/// `2026-11-26T07-40-12-3fa9c1` (sortable, unique, and safe in file names on every OS).
pub fn new_run_id() -> String {
    let now = chrono::Utc::now().format("%Y-%m-%dT%H-%M-%S");
    let short: u32 = rand::thread_rng().gen_range(0..0x0100_0000);
    format!("{now}-{short:06x}")
}
