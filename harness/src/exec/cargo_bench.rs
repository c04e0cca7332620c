//! The micro-benchmark executor: runs the Rust micro-benchmarks of the JIT machinery
//! (`cargo bench -p ruff-jit`, `ruff-jit/benches/`) and reads what criterion or gungraun saved
//! into `results.csv` rows. `harness micro` ([`crate::micro`]) writes them as a run folder, so
//! the report, baselines and the gate work on them unchanged.
//!
//! Mapping: suite `micro`; a criterion id `GROUP/NAME/CONFIG` becomes benchmark `GROUP/NAME`
//! and config `CONFIG` (ids with two parts get config `default`). criterion's samples (each the
//! mean time per iteration over a batch of iterations, from `new/sample.json`) become the
//! iterations of one invocation: criterion runs everything in one process, so there is only
//! one invocation and no between-process variation to estimate — say so when judging them.
//!
//! With [`MicroTool::Gungraun`] it runs `jit_micro_instructions` (callgrind) instead and reads
//! the `summary.json` files gungraun saves (`GUNGRAUN_SAVE_SUMMARY=json`) under TARGET/gungraun:
//! measure `instructions`, one row per benchmark (the count is exactly repeatable, so one
//! iteration is the whole sample). Ids map to the criterion ones: group `GROUP_group`, case
//! `NAME_CONFIG` become benchmark `GROUP/NAME` and config `CONFIG` with `_` read as `-`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

use crate::exec::{Measure, Status};
use crate::output::results::ResultRow;

/// Which micro-benchmark tool measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MicroTool {
    /// Wall time per iteration (`--bench jit_micro`).
    Criterion,
    /// Instructions under callgrind (`--bench jit_micro_instructions`).
    Gungraun,
}

impl MicroTool {
    /// The tool's name, which is also its results folder under the cargo target dir.
    pub fn name(self) -> &'static str {
        match self {
            MicroTool::Criterion => "criterion",
            MicroTool::Gungraun => "gungraun",
        }
    }

    /// The bench target of `ruff-jit` this tool runs.
    pub fn bench_target(self) -> &'static str {
        match self {
            MicroTool::Criterion => "jit_micro",
            MicroTool::Gungraun => "jit_micro_instructions",
        }
    }

    /// What the tool measures.
    pub fn measure(self) -> Measure {
        match self {
            MicroTool::Criterion => Measure::Wall,
            MicroTool::Gungraun => Measure::Instructions,
        }
    }
}

/// criterion's `new/benchmark.json` (the fields used).
#[derive(Deserialize)]
struct BenchmarkId {
    full_id: String,
}

/// criterion's `new/sample.json`: per sample, the iterations run and their total time (ns).
#[derive(Deserialize)]
struct CriterionSample {
    iters: Vec<f64>,
    times: Vec<f64>,
}

/// The cargo target directory the benchmarks write to (`CARGO_TARGET_DIR`, else `target`).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from)
}

/// Runs `cargo bench -p ruff-jit --bench TARGET` for `tool`; `filter` is passed to criterion
/// (gungraun takes none: the filter is applied when reading its results).
pub fn run_cargo_bench(tool: MicroTool, filter: Option<&str>) -> Result<()> {
    let bench = tool.bench_target();
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.args(["bench", "-p", "ruff-jit", "--bench", bench]);
    match tool {
        MicroTool::Gungraun => {
            cmd.env("GUNGRAUN_SAVE_SUMMARY", "json");
        }
        MicroTool::Criterion => {
            cmd.arg("--");
            if let Some(f) = filter {
                cmd.arg(f);
            }
        }
    }
    let status = cmd
        .status()
        .context("running `cargo bench -p ruff-jit` (is cargo on PATH?)")?;
    if !status.success() {
        bail!("`cargo bench -p ruff-jit --bench {bench}` failed ({status})");
    }
    Ok(())
}

/// The rows of the results `tool` saved under `target` (see the module header).
pub fn read_rows(
    tool: MicroTool,
    target: &Path,
    run_id: &str,
    filter: Option<&str>,
) -> Result<Vec<ResultRow>> {
    let source = target.join(tool.name());
    match tool {
        MicroTool::Criterion => criterion_rows(&source, run_id, filter),
        MicroTool::Gungraun => gungraun_rows(&source, run_id, filter),
    }
}

/// `(benchmark, config)` of a criterion id (see the module header).
pub fn split_id(full_id: &str) -> (String, String) {
    let parts: Vec<&str> = full_id.split('/').collect();
    match parts.len() {
        0..=2 => (full_id.to_string(), "default".to_string()),
        n => (parts[..n - 1].join("/"), parts[n - 1].to_string()),
    }
}

/// Reads every `*/new/{benchmark,sample}.json` under `root` into result rows.
pub fn criterion_rows(root: &Path, run_id: &str, filter: Option<&str>) -> Result<Vec<ResultRow>> {
    let mut found = Vec::new();
    collect_sample_dirs(root, &mut found)?;
    found.sort();
    let mut rows = Vec::new();
    for dir in found {
        let read = |name: &str| -> Result<String> {
            let p = dir.join(name);
            std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))
        };
        let id: BenchmarkId = serde_json::from_str(&read("benchmark.json")?)
            .with_context(|| format!("{}: not a criterion benchmark.json", dir.display()))?;
        if filter.is_some_and(|f| !id.full_id.contains(f)) {
            continue;
        }
        let sample: CriterionSample = serde_json::from_str(&read("sample.json")?)
            .with_context(|| format!("{}: not a criterion sample.json", dir.display()))?;
        let (benchmark, config) = split_id(&id.full_id);
        for (i, (iters, time)) in sample.iters.iter().zip(&sample.times).enumerate() {
            rows.push(ResultRow {
                run_id: run_id.to_string(),
                suite: "micro".into(),
                benchmark: benchmark.clone(),
                config: config.clone(),
                invocation: 0,
                iteration: i as u32,
                wall_ns: Some((time / iters.max(1.0)).round() as u64),
                status: Status::Ok,
                instructions: None,
                compile_ns: None,
                deopts: None,
                guard_failures: None,
                osr_entries: None,
                max_rss_kb: None,
                compiles: None,
                other_cpu: None,
                steal: None,
                load_1m: None,
                cpu_mhz: None,
            });
        }
    }
    if rows.is_empty() {
        bail!(
            "no criterion results under {} (run `cargo bench -p ruff-jit` first)",
            root.display()
        );
    }
    Ok(rows)
}

/// Reads every `summary.json` under `root` (gungraun's saved summaries) into result rows: the
/// callgrind total `Ir` of each benchmark as its `instructions`.
pub fn gungraun_rows(root: &Path, run_id: &str, filter: Option<&str>) -> Result<Vec<ResultRow>> {
    let mut found = Vec::new();
    collect_files(root, "summary.json", &mut found)?;
    found.sort();
    let mut rows = Vec::new();
    for path in found {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let v: serde_json::Value =
            serde_json::from_str(&text).with_context(|| format!("{}: not JSON", path.display()))?;
        let (benchmark, config) = gungraun_id(&v)
            .with_context(|| format!("{}: no module_path in gungraun summary", path.display()))?;
        let full_id = format!("{benchmark}/{config}");
        if filter.is_some_and(|f| !full_id.contains(f)) {
            continue;
        }
        let ir = callgrind_ir(&v)
            .with_context(|| format!("{}: no callgrind Ir total", path.display()))?;
        rows.push(ResultRow {
            run_id: run_id.to_string(),
            suite: "micro".into(),
            benchmark,
            config,
            invocation: 0,
            iteration: 0,
            wall_ns: None,
            status: Status::Ok,
            instructions: Some(ir),
            compile_ns: None,
            deopts: None,
            guard_failures: None,
            osr_entries: None,
            max_rss_kb: None,
            compiles: None,
            other_cpu: None,
            steal: None,
            load_1m: None,
            cpu_mhz: None,
        });
    }
    if rows.is_empty() {
        bail!(
            "no gungraun summaries under {} (run with GUNGRAUN_SAVE_SUMMARY=json first)",
            root.display()
        );
    }
    Ok(rows)
}

/// `(benchmark, config)` from a summary's `module_path` (`file::GROUP_group::function`) and
/// `id` (`NAME_CONFIG`), matching the criterion ids `GROUP/NAME/CONFIG`.
fn gungraun_id(v: &serde_json::Value) -> Option<(String, String)> {
    let module = v.get("module_path")?.as_str()?;
    let mut parts = module.split("::");
    let group = parts.nth(1).unwrap_or(module);
    let group = group.strip_suffix("_group").unwrap_or(group);
    let function = v.get("function_name").and_then(|f| f.as_str());
    let id = v.get("id").and_then(|i| i.as_str()).or(function)?;
    Some(match id.split_once('_') {
        Some((name, config)) => (format!("{group}/{name}"), config.replace('_', "-")),
        None => (format!("{group}/{id}"), "default".to_string()),
    })
}

/// The new total `Ir` of the callgrind profile. The value is wrapped as `{"new": n}` or
/// `{"new": n, "old": m}` depending on whether an older run exists, so take the first integer
/// under a `new` key rather than fix the nesting.
fn callgrind_ir(v: &serde_json::Value) -> Option<u64> {
    let profiles = v.get("profiles")?.as_array()?;
    let callgrind = profiles
        .iter()
        .find(|p| p.get("tool").and_then(|t| t.as_str()) == Some("Callgrind"))?;
    let ir = callgrind.pointer("/data/total/metrics")?.get("Ir")?;
    first_new_int(ir)
}

fn first_new_int(v: &serde_json::Value) -> Option<u64> {
    match v {
        serde_json::Value::Object(map) => {
            if let Some(n) = map
                .get("new")
                .and_then(|n| n.as_u64().or_else(|| first_new_int(n)))
            {
                return Some(n);
            }
            map.values().find_map(first_new_int)
        }
        serde_json::Value::Array(items) => items.iter().find_map(first_new_int),
        _ => None,
    }
}

/// Files named `name` anywhere under `dir`.
fn collect_files(dir: &Path, name: &str, out: &mut Vec<PathBuf>) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, name, out)?;
        } else if path.file_name().is_some_and(|n| n == name) {
            out.push(path);
        }
    }
    Ok(())
}

/// Directories `.../new/` that hold a `sample.json`.
pub fn collect_sample_dirs(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        if path.file_name().is_some_and(|n| n == "new") && path.join("sample.json").is_file() {
            out.push(path);
        } else if path
            .file_name()
            .is_none_or(|n| n != "base" && n != "change")
        {
            collect_sample_dirs(&path, out)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A trimmed gungraun 0.20 `summary.json` (fields read here, real nesting and values).
    const SUMMARY: &str = r#"{
        "module_path": "jit_micro_instructions::compile_group::compile",
        "id": "guards_jit_spec_hoist",
        "function_name": "compile",
        "group": "compile_group",
        "profiles": [{
            "tool": "Callgrind",
            "data": {"total": {"metrics": {
                "EstimatedCycles": {"change": null, "values": {"new": 999}},
                "Ir": {"change": {"diff_pct": "-3.4", "factor": "-1.03"},
                       "values": {"new": 807977, "old": 837131}}
            }, "regressions": []}}
        }]
    }"#;

    /// The same without an id (a `#[library_benchmark]` with no `#[bench]`) and no old run.
    const SUMMARY_NO_ID: &str = r#"{
        "module_path": "jit_micro_instructions::profile_group::record1024",
        "function_name": "record1024",
        "profiles": [{"tool": "Callgrind", "data": {"total": {"metrics": {
            "Ir": {"change": null, "values": {"new": 15387}}
        }}}}]
    }"#;

    #[test]
    fn gungraun_summaries_become_instruction_rows() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir
            .path()
            .join("ruff-jit/jit_micro_instructions/compile_group/x");
        let b = dir
            .path()
            .join("ruff-jit/jit_micro_instructions/profile_group/y");
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        std::fs::write(a.join("summary.json"), SUMMARY).unwrap();
        std::fs::write(b.join("summary.json"), SUMMARY_NO_ID).unwrap();
        // Other files gungraun writes next to the summary are ignored.
        std::fs::write(a.join("callgrind.compile.out"), "not json").unwrap();

        let rows = gungraun_rows(dir.path(), "r1", None).unwrap();
        let got: Vec<_> = rows
            .iter()
            .map(|r| (r.benchmark.as_str(), r.config.as_str(), r.instructions))
            .collect();
        assert_eq!(
            got,
            [
                ("compile/guards", "jit-spec-hoist", Some(807977)),
                ("profile/record1024", "default", Some(15387)),
            ]
        );
        assert!(rows
            .iter()
            .all(|r| r.wall_ns.is_none() && r.suite == "micro"));

        let filtered = gungraun_rows(dir.path(), "r1", Some("hoist")).unwrap();
        assert_eq!(filtered.len(), 1);
        assert!(gungraun_rows(dir.path(), "r1", Some("nothing")).is_err());
    }
}
