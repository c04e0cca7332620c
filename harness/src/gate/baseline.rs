//! Baselines are plain copies of a run's files (`results.csv`, `summary.csv`, `run.json`) under
//! `reports/baselines/NAME/`, committed to the repository so that CI gates against them
//! (ARCHITECTURE §6). A baseline is validated before it is written: a run that cannot be read
//! back must not become the reference that every later pull request is judged against.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::report::data::load_run;

/// The files a baseline holds; `results.csv` is required, the others are copied when present.
pub const BASELINE_FILES: [&str; 3] = ["results.csv", "summary.csv", "run.json"];

/// Where runs and baselines live, relative to the working directory.
pub const REPORTS_DIR: &str = "reports";

/// `reports/baselines/NAME`.
pub fn baseline_dir(reports: &Path, name: &str) -> PathBuf {
    reports.join("baselines").join(name)
}

/// A baseline argument: an existing directory path is used as is; otherwise it is a name
/// under `reports/baselines/`.
pub fn resolve_baseline(reports: &Path, arg: &str) -> Result<PathBuf> {
    let as_path = Path::new(arg);
    if as_path.join("results.csv").is_file() {
        return Ok(as_path.to_path_buf());
    }
    let named = baseline_dir(reports, arg);
    if named.join("results.csv").is_file() {
        return Ok(named);
    }
    bail!(
        "baseline `{arg}` not found: neither {} nor {} holds a results.csv \
         (create one with `harness baseline save {arg} RUN_DIR`)",
        as_path.display(),
        named.display()
    )
}

/// The most recently modified run directory under `reports/` (one holding a results.csv,
/// outside `baselines/`).
pub fn latest_run(reports: &Path) -> Result<PathBuf> {
    let entries = std::fs::read_dir(reports)
        .with_context(|| format!("cannot list {} to find the latest run", reports.display()))?;
    let mut best: Option<(std::time::SystemTime, PathBuf)> = None;
    for entry in entries.flatten() {
        let path = entry.path();
        let results = path.join("results.csv");
        if path.file_name().is_some_and(|n| n == "baselines") || !results.is_file() {
            continue;
        }
        let modified = results.metadata().and_then(|m| m.modified()).ok();
        if let Some(t) = modified {
            if best.as_ref().is_none_or(|(bt, _)| t > *bt) {
                best = Some((t, path));
            }
        }
    }
    best.map(|(_, p)| p).with_context(|| {
        format!(
            "no run found under {} (run `harness run` first)",
            reports.display()
        )
    })
}

/// Copies the run's files into `reports/baselines/NAME/`, replacing an older baseline of that
/// name. Returns the baseline directory.
pub fn save(reports: &Path, name: &str, run_dir: &Path) -> Result<PathBuf> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        bail!("baseline name `{name}` must be non-empty and use only [A-Za-z0-9_.-]");
    }
    let run =
        load_run(run_dir).with_context(|| format!("{} is not a valid run", run_dir.display()))?;
    if run.rows.is_empty() {
        bail!(
            "{} has no results; refusing to save an empty baseline",
            run_dir.display()
        );
    }
    run.require_ok_per_pair()
        .with_context(|| format!("{} cannot be a baseline", run_dir.display()))?;
    let dest = baseline_dir(reports, name);
    std::fs::create_dir_all(&dest).with_context(|| format!("creating {}", dest.display()))?;
    for file in BASELINE_FILES {
        let src = run_dir.join(file);
        let dst = dest.join(file);
        if src.is_file() {
            std::fs::copy(&src, &dst)
                .with_context(|| format!("copying {} to {}", src.display(), dst.display()))?;
        } else if dst.exists() {
            // A stale file from an older baseline of the same name would mix two runs.
            std::fs::remove_file(&dst).with_context(|| format!("removing {}", dst.display()))?;
        }
    }
    Ok(dest)
}
