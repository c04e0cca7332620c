//! Measuring one invocation, behind the [`Executor`] trait (ARCHITECTURE §1): the subprocess
//! executor (default; a fresh `ruff bench` process per invocation, so every invocation starts
//! with cold JIT state), the twin executor (peer configs such as `luajit`: a benchmark's twin
//! in another language, same protocol; `twin`), the in-process executor (interpreter only, through `ruff_core`), and a
//! mock that returns scripted times for deterministic tests.
//!
//! An executor only *runs*: it returns a [`RawOutcome`] (how the process ended, its stdout,
//! the `ruff bench` iteration records). [`verify::judge`] then turns it into an [`Outcome`]
//! with a [`Status`], the same way for every executor, so a wrong answer is caught no matter
//! how it was produced. A benchmark failing is an `Ok(RawOutcome)`; `Err` means the harness
//! itself cannot go on (e.g. the `ruff` binary cannot be started) and aborts the run.

pub mod ab;
pub mod cargo_bench;
pub mod inprocess;
pub mod mock;
pub mod records;
pub mod subprocess;
pub mod twin;
pub mod verify;

use std::time::Duration;

use anyhow::Result;

use crate::manifest::Benchmark;

/// What is measured per iteration.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Measure {
    /// Wall-clock nanoseconds per iteration, as timed by `ruff bench` itself.
    Wall,
    /// Instructions per iteration, counted by callgrind (see `subprocess`).
    Instructions,
}

/// One invocation to run.
#[derive(Clone, Debug)]
pub struct Request<'a> {
    pub suite: &'a str,
    pub benchmark: &'a Benchmark,
    /// Canonical config name (`ruff_core::Config` display form).
    pub config: &'a str,
    pub invocation: u32,
    /// The iteration count, or the cap when `until_stable` is set.
    pub iterations: u32,
    /// `Some(K)`: stop once the last K iterations are stable and free of compiles and deopts
    /// (`ruff_core::stability`), or at the cap, or after half the timeout.
    pub until_stable: Option<u32>,
    pub timeout: Duration,
    pub measure: Measure,
}

/// How the process (or in-process run) ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    Signal(i32),
    TimedOut,
}

/// One iteration record of the `ruff bench` protocol (docs/DESIGN.md).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Iteration {
    pub iteration: u32,
    pub wall_ns: u64,
    /// Bytes the iteration wrote to stdout (lets verification split stdout per iteration).
    pub stdout_bytes: Option<u64>,
    /// Instructions of this iteration (instruction mode only).
    pub instructions: Option<u64>,
    /// The engine's counters over this iteration (`Stats` deltas; fields the record did not
    /// carry are 0).
    pub engine: ruff_core::Stats,
}

/// What an executor observed, before verification.
#[derive(Clone, Debug)]
pub struct RawOutcome {
    pub exit: Exit,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub iterations: Vec<Iteration>,
    pub max_rss_kb: Option<u64>,
    /// Wall time of the whole invocation as the harness saw it (process start to reap).
    pub elapsed_ns: u64,
    /// Set when the executor knows better than the exit code what went wrong.
    pub note: Option<String>,
}

/// The status column of `results.csv` (ARCHITECTURE §6): how an invocation ended. It is this
/// type from the executor to every file and table (serialized as its [`Status::name`]), so no
/// code compares status text.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Ok,
    WrongOutput,
    Error,
    Timeout,
    Crash,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Ok,
        Status::WrongOutput,
        Status::Error,
        Status::Timeout,
        Status::Crash,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::WrongOutput => "wrong-output",
            Status::Error => "error",
            Status::Timeout => "timeout",
            Status::Crash => "crash",
        }
    }

    pub fn from_name(name: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.name() == name)
    }

    pub fn is_ok(self) -> bool {
        self == Status::Ok
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A verified invocation.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub status: Status,
    pub iterations: Vec<Iteration>,
    pub max_rss_kb: Option<u64>,
    pub elapsed_ns: u64,
    /// Why the status is not `ok` (first lines of stderr, the mismatch, the signal).
    pub message: String,
}

/// Runs invocations. Implementations must not panic on a failing benchmark.
pub trait Executor {
    /// A short description for `run.json` (e.g. the binary and its version).
    fn describe(&self) -> String;
    /// Runs one invocation.
    fn execute(&mut self, request: &Request) -> Result<RawOutcome>;
    /// Whether the runner should measure the machine's noise around each invocation
    /// ([`crate::noise`]); false for executors whose numbers do not come from the machine.
    fn measures_machine(&self) -> bool {
        true
    }
}
