//! Checking a run folder before anything reads conclusions from it. `harness report`,
//! `harness baseline save`, `harness compare`, `harness merge` and `harness history` read a
//! run only through [`read_checked`], so a corrupt or hand-edited `results.csv` is an error
//! (exit 2) naming the file, the line and the rule it breaks, never a table of false
//! regressions.
//!
//! The rules, in the order they are checked:
//! - **header**: the first line holds the fixed columns of ARCHITECTURE §6 in their order,
//!   then only known optional columns, none twice;
//! - **complete**: the file ends with a newline (a writer killed mid-row leaves a cut line);
//! - **row**: every row has the header's fields and each parses (numbers, a known status);
//! - **run id**: every row carries the run's id (`run.json`'s `run_id`, else the first row's);
//! - **unique**: no two rows share (suite, benchmark, config, invocation, iteration);
//! - **positive**: `wall_ns` and `instructions`, where present, are > 0; an `ok` row carries
//!   at least one of them;
//! - **one status**: all rows of an invocation carry the same status;
//! - **plan**: when `run.json` records the plan (`configs`, `resolved.benchmarks` with their
//!   settings), every row's benchmark and config are in it and its invocation and iteration
//!   are below the planned counts;
//! - **ok per pair** (baselines and comparisons only, [`require_ok_per_pair`]): every
//!   benchmark × config has at least one `ok` invocation, so it can be judged.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::results::{ResultRow, COLUMNS};

/// The number of fixed leading columns (through `status`).
pub const FIXED_COLUMNS: usize = 8;

/// A broken rule: where and which.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub file: PathBuf,
    /// 1-based line of the file, when the violation is on one line.
    pub line: Option<usize>,
    /// The rule's name as in the module header.
    pub rule: &'static str,
    pub detail: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: ", self.file.display())?,
            None => write!(f, "{}: ", self.file.display())?,
        }
        write!(f, "{} [rule: {}]", self.detail, self.rule)
    }
}

impl std::error::Error for Violation {}

/// Reads `path` (a `results.csv`) and checks every rule but "ok per pair" against `run_json`
/// (the run's `run.json`, if any). Returns the rows with their line numbers.
pub fn read_checked(
    path: &Path,
    run_json: Option<&serde_json::Value>,
) -> Result<Vec<(usize, ResultRow)>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    check_text(path, &text, run_json).map_err(anyhow::Error::new)
}

fn violation(path: &Path, line: Option<usize>, rule: &'static str, detail: String) -> Violation {
    Violation {
        file: path.to_path_buf(),
        line,
        rule,
        detail,
    }
}

/// The checks of [`read_checked`] on the file's text.
pub fn check_text(
    path: &Path,
    text: &str,
    run_json: Option<&serde_json::Value>,
) -> std::result::Result<Vec<(usize, ResultRow)>, Violation> {
    let v = |line, rule, detail| violation(path, line, rule, detail);
    let header_line = text.lines().next().unwrap_or("");
    let header: Vec<&str> = header_line.split(',').map(str::trim).collect();
    if header.len() < FIXED_COLUMNS || header[..FIXED_COLUMNS] != COLUMNS[..FIXED_COLUMNS] {
        return Err(v(
            Some(1),
            "header",
            format!(
                "the header must start with `{}` (is this a results.csv?), found `{header_line:.120}`",
                COLUMNS[..FIXED_COLUMNS].join(",")
            ),
        ));
    }
    let mut seen_columns = HashSet::new();
    for name in &header {
        if !COLUMNS.contains(name) {
            return Err(v(Some(1), "header", format!("unknown column `{name}`")));
        }
        if !seen_columns.insert(*name) {
            return Err(v(
                Some(1),
                "header",
                format!("column `{name}` appears twice"),
            ));
        }
    }
    if !text.ends_with('\n') {
        return Err(v(
            Some(text.lines().count()),
            "complete",
            "the last line is cut short (no newline at the end: the writer was stopped mid-row)"
                .into(),
        ));
    }

    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| v(Some(1), "header", e.to_string()))?
        .clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let (line, record) = match record {
            Ok(r) => (r.position().map_or(0, |p| p.line() as usize), r),
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize);
                return Err(v(line, "row", e.to_string()));
            }
        };
        let row: ResultRow = record
            .deserialize(Some(&headers))
            .map_err(|e| v(Some(line), "row", format!("cannot read the row: {e}")))?;
        rows.push((line, row));
    }

    let run_id = run_json
        .and_then(|j| j.get("run_id"))
        .and_then(|r| r.as_str())
        .map(str::to_string)
        .or_else(|| rows.first().map(|(_, r)| r.run_id.clone()));
    let mut keys: HashMap<(&str, &str, &str, u32, u32), usize> = HashMap::new();
    let mut statuses: HashMap<(&str, &str, &str, u32), (usize, crate::exec::Status)> =
        HashMap::new();
    for (line, row) in &rows {
        let line = *line;
        if run_id.as_deref().is_some_and(|id| id != row.run_id) {
            return Err(v(
                Some(line),
                "run id",
                format!(
                    "run_id `{}` is not this run's (`{}`): rows of two runs are mixed",
                    row.run_id,
                    run_id.as_deref().unwrap_or("")
                ),
            ));
        }
        let key = (
            row.suite.as_str(),
            row.benchmark.as_str(),
            row.config.as_str(),
            row.invocation,
            row.iteration,
        );
        if let Some(first) = keys.insert(key, line) {
            return Err(v(
                Some(line),
                "unique",
                format!(
                    "duplicate row for {}/{} [{}] invocation {} iteration {} (first at line {first})",
                    row.suite, row.benchmark, row.config, row.invocation, row.iteration
                ),
            ));
        }
        for (name, value) in [("wall_ns", row.wall_ns), ("instructions", row.instructions)] {
            if value == Some(0) {
                return Err(v(
                    Some(line),
                    "positive",
                    format!("{name} is 0: a measure must be a positive number"),
                ));
            }
        }
        if row.status.is_ok() && row.wall_ns.is_none() && row.instructions.is_none() {
            return Err(v(
                Some(line),
                "positive",
                "an ok row without a measure (wall_ns and instructions both empty)".into(),
            ));
        }
        let inv = (key.0, key.1, key.2, key.3);
        let (first_line, status) = *statuses.entry(inv).or_insert((line, row.status));
        if status != row.status {
            return Err(v(
                Some(line),
                "one status",
                format!(
                    "status `{}` differs from `{status}` at line {first_line} for the same invocation",
                    row.status
                ),
            ));
        }
    }
    if let Some(plan) = run_json.and_then(Plan::from_run_json) {
        for (line, row) in &rows {
            plan.check(row).map_err(|d| v(Some(*line), "plan", d))?;
        }
    }
    Ok(rows)
}

/// Fails unless every benchmark × config of `rows` has an `ok` invocation (naming the first
/// one that has none): a baseline or a comparison side must be able to judge each pair.
pub fn require_ok_per_pair(path: &Path, rows: &[(usize, ResultRow)]) -> Result<(), Violation> {
    let mut first_line: BTreeMap<(&str, &str, &str), (usize, bool)> = BTreeMap::new();
    for (line, row) in rows {
        let entry = first_line
            .entry((&row.suite, &row.benchmark, &row.config))
            .or_insert((*line, false));
        entry.1 |= row.status.is_ok();
    }
    let mut bad: Vec<_> = first_line.iter().filter(|(_, (_, ok))| !ok).collect();
    bad.sort_by_key(|(_, (line, _))| *line);
    match bad.first() {
        None => Ok(()),
        Some(((suite, bench, config), (line, _))) => Err(violation(
            path,
            Some(*line),
            "ok per pair",
            format!(
                "{suite}/{bench} [{config}] has no ok invocation ({} pair(s) without one): \
                 nothing to judge it by",
                bad.len()
            ),
        )),
    }
}

/// The plan recorded in `run.json`: configs, and per benchmark the planned invocation and
/// iteration counts.
struct Plan {
    configs: HashSet<String>,
    benchmarks: HashMap<(String, String), (u64, u64)>,
}

impl Plan {
    fn from_run_json(json: &serde_json::Value) -> Option<Plan> {
        let configs: HashSet<String> = json
            .get("configs")?
            .as_array()?
            .iter()
            .filter_map(|c| c.as_str().map(str::to_string))
            .collect();
        let mut benchmarks = HashMap::new();
        for b in json.pointer("/resolved/benchmarks")?.as_array()? {
            let name = |k: &str| b.get(k).and_then(|v| v.as_str()).map(str::to_string);
            let count = |k: &str| {
                b.pointer(&format!("/settings/{k}"))
                    .and_then(|v| v.as_u64())
            };
            benchmarks.insert(
                (name("suite")?, name("benchmark")?),
                (count("invocations")?, count("iterations")?),
            );
        }
        Some(Plan {
            configs,
            benchmarks,
        })
    }

    fn check(&self, row: &ResultRow) -> Result<(), String> {
        let Some(&(invocations, iterations)) = self
            .benchmarks
            .get(&(row.suite.clone(), row.benchmark.clone()))
        else {
            return Err(format!(
                "benchmark {}/{} is not in run.json's plan",
                row.suite, row.benchmark
            ));
        };
        if !self.configs.contains(&row.config) {
            return Err(format!("config `{}` is not in run.json's plan", row.config));
        }
        if u64::from(row.invocation) >= invocations {
            return Err(format!(
                "invocation {} but run.json plans {invocations} invocation(s)",
                row.invocation
            ));
        }
        if u64::from(row.iteration) >= iterations {
            return Err(format!(
                "iteration {} but run.json plans at most {iterations} iteration(s)",
                row.iteration
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "run_id,suite,benchmark,config,invocation,iteration,wall_ns,status\n";

    fn check(body: &str) -> std::result::Result<usize, Violation> {
        check_text(Path::new("r/results.csv"), &format!("{HEAD}{body}"), None).map(|r| r.len())
    }

    #[test]
    fn a_good_file_passes_with_line_numbers() {
        let rows = check_text(
            Path::new("r.csv"),
            &format!("{HEAD}r,s,b,c,0,0,10,ok\nr,s,b,c,0,1,9,ok\n"),
            None,
        )
        .unwrap();
        assert_eq!(rows.iter().map(|(l, _)| *l).collect::<Vec<_>>(), [2, 3]);
    }

    #[test]
    fn each_rule_names_its_line() {
        let cases: [(&str, &str, usize); 7] = [
            ("r,s,b,c,0,0,10,ok\nr,s,b,c,0,0,10,ok\n", "unique", 3),
            ("r,s,b,c,0,0,10,ok\nr,s,b,c,0,1,1", "complete", 3),
            ("r,s,b,c,0,0,0,ok\n", "positive", 2),
            ("r,s,b,c,0,0,,ok\n", "positive", 2),
            ("r,s,b,c,0,0,10,fine\n", "row", 2),
            ("r,s,b,c,0,0,10,ok\nq,s,b,c,0,1,10,ok\n", "run id", 3),
            ("r,s,b,c,0,0,10,ok\nr,s,b,c,0,1,10,crash\n", "one status", 3),
        ];
        for (body, rule, line) in cases {
            let e = check(body).unwrap_err();
            assert_eq!((e.rule, e.line), (rule, Some(line)), "{body}: {e}");
            assert!(e
                .to_string()
                .starts_with(&format!("r/results.csv:{line}: ")));
        }
        let e = check_text(Path::new("x"), "a,b\n1,2\n", None).unwrap_err();
        assert_eq!(e.rule, "header");
    }

    #[test]
    fn rows_must_match_the_recorded_plan() {
        let json = serde_json::json!({
            "run_id": "r",
            "configs": ["c"],
            "resolved": {"benchmarks": [
                {"suite": "s", "benchmark": "b", "settings": {"invocations": 2, "iterations": 3}}
            ]}
        });
        let run = |body: &str| {
            check_text(Path::new("x"), &format!("{HEAD}{body}"), Some(&json)).map(|r| r.len())
        };
        assert_eq!(run("r,s,b,c,1,2,5,ok\n"), Ok(1));
        for body in [
            "r,s,b,c,2,0,5,ok\n",
            "r,s,b,c,0,3,5,ok\n",
            "r,s,b,d,0,0,5,ok\n",
            "r,s,x,c,0,0,5,ok\n",
        ] {
            assert_eq!(run(body).unwrap_err().rule, "plan", "{body}");
        }
    }

    #[test]
    fn a_pair_without_an_ok_invocation_cannot_be_judged() {
        let rows = check_text(
            Path::new("x"),
            &format!("{HEAD}r,s,b,c,0,0,,error\nr,s,b,c,1,0,5,ok\nr,s,e,c,0,0,,crash\n"),
            None,
        )
        .unwrap();
        let e = require_ok_per_pair(Path::new("x"), &rows).unwrap_err();
        assert_eq!((e.rule, e.line), ("ok per pair", Some(4)));
        assert!(e.detail.contains("s/e [c]"), "{e}");
        assert!(require_ok_per_pair(Path::new("x"), &rows[..2]).is_ok());
    }
}
