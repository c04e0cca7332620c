//! Reading and checking the shard folders given to `harness merge`, before anything is
//! written. Each folder is read through [`crate::report::data::load_run`] (every rule of
//! [`crate::output::validate`], as `compare` and `baseline save` read runs); then the set
//! must be exactly the N shards of one plan from one commit:
//!
//! - each folder is a finished `harness run --shard K/N` (an interrupted shard must be resumed
//!   first, an unsharded run is not a shard);
//! - all record the same plan: shard count, configs, reference, benchmarks with their
//!   settings, measure, executor, seed and bootstrap settings, harness version;
//! - all come from the same commit (`git.commit` in `run.json`);
//! - no shard is given twice (overlap) and none is missing;
//! - every row belongs to its folder's shard, and every invocation of the shard is there
//!   (in `invocations.jsonl`), so the merge neither double-counts nor silently lacks data.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde_json::Value;

use crate::output::log;
use crate::report::data::{load_run, RunData};
use crate::shard::{self, Shard};

/// One shard folder, read and validated on its own.
#[derive(Debug)]
pub struct ShardRun {
    pub dir: PathBuf,
    pub data: RunData,
    pub json: Value,
    pub shard: Shard,
    pub log: Vec<log::InvocationLog>,
}

/// The plan fields every shard must share, with the words used when they differ.
const SAME_PLAN: [(&str, &str); 8] = [
    ("/configs", "configs"),
    ("/reference", "reference config"),
    (
        "/resolved/benchmarks",
        "benchmarks or their settings (invocations, iterations, timeout)",
    ),
    ("/resolved/measure", "measure"),
    ("/parameters/executor", "executor"),
    ("/method/analysis", "seed or bootstrap settings"),
    ("/harness_version", "harness version"),
    ("/parameters/bench", "--bench filter"),
];

/// Reads `dir` as a shard folder (validated rows, `run.json`, `invocations.jsonl`).
pub fn load(dir: &Path) -> Result<ShardRun> {
    let data = load_run(dir).with_context(|| format!("cannot read the shard {}", dir.display()))?;
    let Some(json) = data.run_json.clone() else {
        bail!(
            "{} has no run.json: a shard folder records its plan there",
            dir.display()
        );
    };
    let shard: Option<Shard> = json
        .pointer("/parameters/shard")
        .filter(|v| !v.is_null())
        .map(|v| serde_json::from_value(v.clone()))
        .transpose()
        .with_context(|| format!("{}: `parameters.shard` is not K/N", dir.display()))?;
    let Some(shard) = shard else {
        if let Some(n) = json.get("shards").and_then(Value::as_array) {
            bail!(
                "{} is already a merged run (of {} shards), not a shard: merge the shard \
                 folders it lists in run.json's `shards`",
                dir.display(),
                n.len()
            );
        }
        bail!(
            "{} is not a shard (its run was made without --shard K/N): merge takes the N \
             folders of `harness run --shard K/N`",
            dir.display()
        );
    };
    let state = json.get("state").and_then(Value::as_str).unwrap_or("");
    if state != "finished" {
        bail!(
            "shard {shard} in {} is not finished (state `{state}`): finish it with \
             `harness run --resume {}` first",
            dir.display(),
            dir.display()
        );
    }
    let log = log::read_log(&dir.join(log::FILE))?;
    Ok(ShardRun {
        dir: dir.to_path_buf(),
        data,
        json,
        shard,
        log,
    })
}

/// A short form of a JSON value for messages.
fn show(v: Option<&Value>) -> String {
    let text = match v {
        None | Some(Value::Null) => "not recorded".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    if text.chars().count() > 80 {
        format!("{}...", text.chars().take(77).collect::<String>())
    } else {
        text
    }
}

/// Checks that `shards` are exactly the shards of one plan and commit (see the module
/// header) and sorts them by shard index.
pub fn check(shards: &mut [ShardRun]) -> Result<()> {
    let Some(first) = shards.first() else {
        bail!("no shard folder given");
    };
    let (first_dir, first_json, count) = (first.dir.clone(), first.json.clone(), first.shard.count);
    for s in shards.iter() {
        if s.shard.count != count {
            bail!(
                "mismatched shards: {} is shard {} but {} is shard {}: the folders come from \
                 splits into different numbers of shards",
                first_dir.display(),
                shards[0].shard,
                s.dir.display(),
                s.shard
            );
        }
        let commit = |j: &Value| j.pointer("/git/commit").cloned();
        if commit(&s.json) != commit(&first_json) {
            bail!(
                "{} is from another commit ({}) than {} ({}): shards must be run from the \
                 same commit",
                s.dir.display(),
                show(s.json.pointer("/git/commit")),
                first_dir.display(),
                show(first_json.pointer("/git/commit"))
            );
        }
        for (pointer, what) in SAME_PLAN {
            if s.json.pointer(pointer) != first_json.pointer(pointer) {
                bail!(
                    "mismatched shards: {} and {} differ in the {what} ({} vs {}): they are \
                     not shards of one plan",
                    first_dir.display(),
                    s.dir.display(),
                    show(first_json.pointer(pointer)),
                    show(s.json.pointer(pointer))
                );
            }
        }
    }
    shards.sort_by_key(|s| s.shard.index);
    for pair in shards.windows(2) {
        if pair[0].shard == pair[1].shard {
            bail!(
                "overlapping shards: {} and {} are both shard {}",
                pair[0].dir.display(),
                pair[1].dir.display(),
                pair[0].shard
            );
        }
    }
    let have: BTreeSet<u32> = shards.iter().map(|s| s.shard.index).collect();
    let missing: Vec<String> = (1..=count)
        .filter(|k| !have.contains(k))
        .map(|k| format!("{k}/{count}"))
        .collect();
    if !missing.is_empty() {
        bail!(
            "missing shard(s) {}: a merge needs all {count} shards of the plan (given: {})",
            missing.join(", "),
            have.iter()
                .map(|k| format!("{k}/{count}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let plan = PlannedCells::of(&first_json)
        .with_context(|| format!("{}: run.json records no plan", first_dir.display()))?;
    for s in shards.iter() {
        plan.check(s)?;
    }
    Ok(())
}

/// The benchmarks of the recorded plan and their invocation counts, in plan order.
struct PlannedCells {
    position: HashMap<(String, String), usize>,
    counts: Vec<u32>,
    configs: Vec<String>,
}

impl PlannedCells {
    fn of(json: &Value) -> Option<PlannedCells> {
        let mut position = HashMap::new();
        let mut counts = Vec::new();
        for (i, b) in json
            .pointer("/resolved/benchmarks")?
            .as_array()?
            .iter()
            .enumerate()
        {
            let name = |k: &str| b.get(k).and_then(Value::as_str).map(str::to_string);
            position.insert((name("suite")?, name("benchmark")?), i);
            counts.push(u32::try_from(b.pointer("/settings/invocations")?.as_u64()?).ok()?);
        }
        let configs = json
            .get("configs")?
            .as_array()?
            .iter()
            .map(|c| c.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()?;
        Some(PlannedCells {
            position,
            counts,
            configs,
        })
    }

    /// Every row of `s` is in its shard's cells, and every (cell, config) of the shard has a
    /// finished invocation.
    fn check(&self, s: &ShardRun) -> Result<()> {
        let mine: HashSet<shard::Cell> = s.shard.cells(&self.counts).into_iter().collect();
        for (row, line) in s.data.rows.iter().zip(&s.data.lines) {
            let cell = self
                .position
                .get(&(row.suite.clone(), row.benchmark.clone()))
                .map(|&b| (row.invocation, b));
            if !cell.is_some_and(|c| mine.contains(&c)) {
                bail!(
                    "{}:{line}: {}/{} invocation {} is not part of shard {} (rows of another \
                     shard, or an edited folder)",
                    s.dir.join(crate::output::results::FILE).display(),
                    row.suite,
                    row.benchmark,
                    row.invocation,
                    s.shard
                );
            }
        }
        let done: HashSet<(String, String, String, u32)> =
            s.log.iter().map(log::InvocationLog::key).collect();
        let mut names: Vec<(&(String, String), &usize)> = self.position.iter().collect();
        names.sort_by_key(|(_, &b)| b);
        for (invocation, b) in &mine {
            let (suite, bench) = names[*b].0;
            for config in &self.configs {
                let key = (suite.clone(), bench.clone(), config.clone(), *invocation);
                if !done.contains(&key) {
                    bail!(
                        "shard {} in {} lacks {suite}/{bench} [{config}] invocation \
                         {invocation} (not in {}): the folder is incomplete",
                        s.shard,
                        s.dir.display(),
                        log::FILE
                    );
                }
            }
        }
        Ok(())
    }
}
