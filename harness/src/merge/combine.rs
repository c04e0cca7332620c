//! Writing the merged run folder: a new `reports/<run-id>/` (never an existing folder, so
//! nothing is overwritten) holding the shards' rows under the new run id, their
//! `invocations.jsonl` lines, the statistics recomputed on the merged rows
//! (`summary.csv`, `invocations.csv`, the headline), and a `run.json` that keeps the plan
//! and records each shard's machine, commit and times under `shards`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::{json, Value};

use super::inputs::ShardRun;
use crate::analysis::recorded::options_for;
use crate::analysis::{analyse, Analysis, AnalysisOptions};
use crate::exec::Measure;
use crate::output::lock::RunLock;
use crate::output::log::{self, LogWriter};
use crate::output::results::{self, ResultRow, ResultsWriter};
use crate::output::{self as out, summary};

/// The merged run.
#[derive(Debug)]
pub struct Merged {
    pub dir: PathBuf,
    pub analysis: Analysis,
    pub options: AnalysisOptions,
    pub headline: crate::headline::Headline,
    /// True when every invocation of every shard was `ok`.
    pub all_ok: bool,
    /// Distinct machine descriptions (CPU model, cores), one per machine type.
    pub machines: Vec<String>,
}

/// Writes the merged run of checked `shards` into a new folder under `out_dir`.
pub fn write(shards: &[ShardRun], out_dir: &Path) -> Result<Merged> {
    let first = &shards[0].json;
    let measure: Measure = first
        .pointer("/method/analysis/measure")
        .and_then(|m| serde_json::from_value(m.clone()).ok())
        .unwrap_or(Measure::Wall);
    let reference = first
        .get("reference")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let options = options_for(Some(first), measure, reference);

    let run_id = out::new_run_id();
    let dir = out_dir.join(&run_id);
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("--out {}: cannot create the folder", out_dir.display()))?;
    // `create_dir`, not `create_dir_all`: an existing folder is never written into.
    std::fs::create_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let filled = fill(shards, &dir, &run_id, options);
    if filled.is_err() {
        // A half-written merge must not pass for a run; the inputs are untouched.
        let _ = std::fs::remove_dir_all(&dir);
    }
    filled
}

/// Writes the files of the merged run into the new, empty folder `dir`.
fn fill(shards: &[ShardRun], dir: &Path, run_id: &str, options: AnalysisOptions) -> Result<Merged> {
    let first = &shards[0].json;
    let _lock = RunLock::acquire(dir)?;

    let rows: Vec<ResultRow> = shards
        .iter()
        .flat_map(|s| s.data.rows.iter().cloned())
        .map(|r| ResultRow {
            run_id: run_id.to_string(),
            ..r
        })
        .collect();
    ResultsWriter::create(&dir.join(results::FILE))?.append(&rows)?;
    let mut log_writer = LogWriter::open(&dir.join(log::FILE))?;
    for entry in shards.iter().flat_map(|s| &s.log) {
        log_writer.append(entry)?;
    }

    let mut analysis = analyse(&rows, &options);
    sort_by_plan(&mut analysis, first);
    summary::write(dir, &analysis)?;
    let headline = crate::headline::compute(
        &analysis.summary,
        &options.reference,
        options.confidence,
        options.seed,
        options.resamples,
    );
    let machines = machine_types(shards);
    let info = run_json(shards, run_id, &headline);
    let path = dir.join(out::run_json::FILE);
    let tmp = dir.join("run.json.tmp");
    std::fs::write(&tmp, serde_json::to_string_pretty(&info)? + "\n")
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, &path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(Merged {
        dir: dir.to_path_buf(),
        all_ok: rows.iter().all(|r| r.status.is_ok()),
        analysis,
        options,
        headline,
        machines,
    })
}

/// "CPU model, N cores" of each shard's machine, distinct, in shard order.
fn machine_types(shards: &[ShardRun]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in shards {
        let m = s.json.get("machine");
        let cpu = m
            .and_then(|m| m.get("cpu_model"))
            .and_then(Value::as_str)
            .unwrap_or("unknown CPU");
        let cores = m.and_then(|m| m.get("cores")).and_then(Value::as_u64);
        let text = match cores {
            Some(c) => format!("{cpu}, {c} cores"),
            None => cpu.to_string(),
        };
        if !out.contains(&text) {
            out.push(text);
        }
    }
    out
}

/// Tables in plan order (benchmarks as recorded, configs as given), as `harness run` writes
/// them; rows the plan does not name go last.
fn sort_by_plan(analysis: &mut Analysis, json: &Value) {
    let benchmarks: Vec<(String, String)> = json
        .pointer("/resolved/benchmarks")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|b| {
            Some((
                b.get("suite")?.as_str()?.to_string(),
                b.get("benchmark")?.as_str()?.to_string(),
            ))
        })
        .collect();
    let configs: Vec<&str> = json
        .get("configs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let rank = |suite: &str, bench: &str, config: &str| {
        (
            benchmarks
                .iter()
                .position(|(s, b)| s == suite && b == bench)
                .unwrap_or(usize::MAX),
            configs
                .iter()
                .position(|c| *c == config)
                .unwrap_or(usize::MAX),
        )
    };
    analysis
        .summary
        .sort_by_key(|r| rank(&r.suite, &r.benchmark, &r.config));
    analysis
        .invocations
        .sort_by_key(|r| (rank(&r.suite, &r.benchmark, &r.config), r.invocation));
}

/// The merged `run.json`: the first shard's (same plan and commit in all, checked), with the
/// new id, the span of the shards' times, summed counts, a combined `machine`, no shard in
/// `parameters`, and `shards` listing what each shard recorded about where it ran.
fn run_json(shards: &[ShardRun], run_id: &str, headline: &crate::headline::Headline) -> Value {
    let mut info = shards[0].json.clone();
    let field = |s: &ShardRun, p: &str| s.json.pointer(p).cloned().unwrap_or(Value::Null);
    let times = |p: &str| -> Vec<String> {
        shards
            .iter()
            .filter_map(|s| {
                s.json
                    .pointer(p)
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .collect()
    };
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for s in shards {
        if let Some(map) = s.json.get("status_counts").and_then(Value::as_object) {
            for (k, v) in map {
                *counts.entry(k.clone()).or_insert(0) += v.as_u64().unwrap_or(0);
            }
        }
    }
    let tasks: u64 = shards
        .iter()
        .filter_map(|s| s.json.pointer("/resolved/tasks").and_then(Value::as_u64))
        .sum();
    info["run_id"] = json!(run_id);
    info["state"] = json!("finished");
    // RFC 3339 times in UTC with one format compare as text.
    info["started_at"] = json!(times("/started_at").into_iter().min());
    info["finished_at"] = json!(times("/finished_at").into_iter().max());
    info["status_counts"] = json!(counts);
    info["machine"] = combined_machine(shards);
    info["git"]["dirty"] = json!(shards
        .iter()
        .any(|s| s.json.pointer("/git/dirty") == Some(&json!(true))));
    if let Some(p) = info.get_mut("parameters").and_then(Value::as_object_mut) {
        p.insert("shard".into(), Value::Null);
    }
    if let Some(r) = info.get_mut("resolved").and_then(Value::as_object_mut) {
        r.insert("tasks".into(), json!(tasks));
    }
    info["headline"] = serde_json::to_value(headline).unwrap_or(Value::Null);
    info["shards"] = json!(shards
        .iter()
        .map(|s| json!({
            "shard": s.shard.to_string(),
            "run_id": s.data.run_id,
            "dir": s.dir,
            "machine": field(s, "/machine"),
            "git": field(s, "/git"),
            "rustc": field(s, "/rustc"),
            "executor": field(s, "/executor"),
            "ruff_version": field(s, "/resolved/ruff_version"),
            "started_at": field(s, "/started_at"),
            "finished_at": field(s, "/finished_at"),
            "status_counts": field(s, "/status_counts"),
        }))
        .collect::<Vec<_>>());
    info
}

/// One `machine` for the merged run: a field all shards agree on is kept; one they differ
/// on lists the distinct values joined by ` | ` (so the report never shows one shard's
/// machine as if it were all's); cores the fewest and load averages the highest of any shard
/// (the conservative reading for the gate's overload check).
fn combined_machine(shards: &[ShardRun]) -> Value {
    let machines: Vec<&Value> = shards
        .iter()
        .filter_map(|s| s.json.get("machine"))
        .collect();
    let mut out = serde_json::Map::new();
    for field in ["cpu_model", "os", "kernel", "cpu_governor"] {
        let mut values: Vec<&str> = Vec::new();
        for m in &machines {
            if let Some(v) = m.get(field).and_then(Value::as_str) {
                if !values.contains(&v) {
                    values.push(v);
                }
            }
        }
        if !values.is_empty() {
            out.insert(field.into(), json!(values.join(" | ")));
        }
    }
    if let Some(c) = machines
        .iter()
        .filter_map(|m| m.get("cores").and_then(Value::as_u64))
        .min()
    {
        out.insert("cores".into(), json!(c));
    }
    for field in ["load_average_start", "load_average_end"] {
        let triples: Vec<Vec<f64>> = machines
            .iter()
            .filter_map(|m| {
                m.get(field)?
                    .as_array()?
                    .iter()
                    .map(Value::as_f64)
                    .collect::<Option<Vec<f64>>>()
            })
            .collect();
        if let Some(first) = triples.first() {
            let peak: Vec<f64> = (0..first.len())
                .map(|i| {
                    triples
                        .iter()
                        .filter_map(|t| t.get(i).copied())
                        .fold(f64::MIN, f64::max)
                })
                .collect();
            out.insert(field.into(), json!(peak));
        }
    }
    out.insert("shards".into(), json!(shards.len()));
    Value::Object(out)
}
