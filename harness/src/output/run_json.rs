//! `run.json` — the environment and method of a run, so a number can be judged and
//! reproduced later. Written when the run starts (`"state": "running"`) and rewritten when it
//! ends (`"finished"`, with end time, end load average and status counts).
//!
//! Fields (schema [`SCHEMA_VERSION`]): `schema_version`, `run_id`, `state`, `started_at`,
//! `finished_at`, `harness_version`, `git` {`commit`, `dirty`}, `rustc`, `machine` {`cpu_model`,
//! `cores`, `os`, `kernel`, `load_average_start`, `load_average_end`, `cpu_governor`},
//! `executor`, `ruff`, `suites` [{`name`, `dir`, `benchmarks`}], `configs`, `reference`,
//! `parameters` (the `harness run` arguments as given, used by `--resume`), `resolved`
//! {`measure`, `invocations`, `iterations`, `timeout_s`, `tasks`}, `method` (analysis options:
//! `measure`, `reference`, `seed`, `resamples`, `confidence`; plus the changepoint and
//! classification rules in words), `status_counts`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};
use serde::Serialize;

pub const FILE: &str = "run.json";
pub const SCHEMA_VERSION: u32 = 1;

/// The machine a run happened on.
#[derive(Clone, Debug, Serialize)]
pub struct Machine {
    pub cpu_model: Option<String>,
    pub cores: usize,
    pub os: Option<String>,
    pub kernel: Option<String>,
    pub load_average_start: Option<[f64; 3]>,
    pub load_average_end: Option<[f64; 3]>,
    pub cpu_governor: Option<String>,
}

impl Machine {
    /// Reads what Linux exposes; fields that cannot be read are `None`.
    pub fn probe() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        Machine {
            cpu_model: cpuinfo
                .lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string()),
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            os: std::fs::read_to_string("/etc/os-release")
                .ok()
                .and_then(|t| {
                    t.lines()
                        .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                        .map(|v| v.trim_matches('"').to_string())
                }),
            kernel: read_trimmed("/proc/sys/kernel/osrelease"),
            load_average_start: load_average(),
            load_average_end: None,
            cpu_governor: read_trimmed("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"),
        }
    }
}

/// The 1, 5 and 15 minute load averages.
pub fn load_average() -> Option<[f64; 3]> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    let mut it = text.split_whitespace().map(|v| v.parse::<f64>().ok());
    Some([it.next()??, it.next()??, it.next()??])
}

fn read_trimmed(path: &str) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_string())
}

/// Stdout of a successful command, trimmed.
pub fn command_output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Git commit and dirty flag of the working directory (read-only git commands).
#[derive(Clone, Debug, Serialize)]
pub struct GitInfo {
    pub commit: Option<String>,
    pub dirty: Option<bool>,
}

impl GitInfo {
    pub fn probe() -> GitInfo {
        GitInfo {
            commit: command_output("git", &["rev-parse", "HEAD"]),
            dirty: command_output("git", &["status", "--porcelain", "--untracked-files=no"])
                .map(|s| !s.is_empty()),
        }
    }
}

/// `rustc --version` of the toolchain on PATH.
pub fn rustc_version() -> Option<String> {
    command_output("rustc", &["--version"])
}

/// The whole document; `extra` holds the run-specific parts the runner fills in.
#[derive(Clone, Debug, Serialize)]
pub struct RunInfo {
    pub schema_version: u32,
    pub run_id: String,
    pub state: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub harness_version: String,
    pub git: GitInfo,
    pub rustc: Option<String>,
    pub machine: Machine,
    pub executor: String,
    pub suites: serde_json::Value,
    pub configs: Vec<String>,
    pub reference: String,
    pub parameters: serde_json::Value,
    pub resolved: serde_json::Value,
    pub method: serde_json::Value,
    pub status_counts: BTreeMap<crate::exec::Status, usize>,
    /// Set when the run finished.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headline: Option<crate::headline::Headline>,
}

impl RunInfo {
    /// Writes the document atomically (temporary file + rename).
    pub fn write(&self, dir: &Path) -> Result<()> {
        let path = dir.join(FILE);
        let tmp = dir.join("run.json.tmp");
        std::fs::write(&tmp, serde_json::to_string_pretty(self)? + "\n")
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, &path).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(())
    }
}

/// Reads `run.json` as untyped JSON (used by `--resume` for the stored parameters).
pub fn read(dir: &Path) -> Result<serde_json::Value> {
    let path = dir.join(FILE);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{}: not valid JSON", path.display()))
}
