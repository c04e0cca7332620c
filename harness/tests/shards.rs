//! Sharded runs (`harness run --shard K/N`) and `harness merge`: the shards partition the
//! plan, the merge of all shards is the unsharded run (same rows, same summary), and every
//! bad set of shard folders is refused with exit 2, writing nothing and changing no input.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use clap::Parser;
use harness::cli::{Cli, Command as Sub, RunArgs};
use harness::exec::mock::MockExecutor;
use harness::exec::Request;
use harness::output::results::read_results;
use harness::{plan, runner};

/// A suite of three benchmarks with 5 invocations of 12 iterations each.
fn suite(dir: &Path) -> PathBuf {
    let s = dir.join("suite");
    std::fs::create_dir_all(&s).unwrap();
    let mut toml = String::from("[suite]\nname = \"t\"\ninvocations = 5\niterations = 12\n");
    for b in ["fib", "sieve", "loop"] {
        std::fs::write(s.join(format!("{b}.ruff")), "").unwrap();
        toml.push_str(&format!(
            "[[benchmark]]\nname = \"{b}\"\nfile = \"{b}.ruff\"\nresult = \"1\"\n"
        ));
    }
    std::fs::write(s.join("suite.toml"), toml).unwrap();
    s
}

fn args(dir: &Path, out: &str, extra: &[&str]) -> RunArgs {
    let suite = suite(dir);
    let ruff = suite.join("suite.toml"); // never run by the mock; only has to exist
    let mut argv: Vec<String> = ["harness", "run", suite.to_str().unwrap(), "--out"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    argv.push(dir.join(out).to_str().unwrap().to_string());
    argv.extend(["--ruff".into(), ruff.to_str().unwrap().to_string()]);
    argv.extend(extra.iter().map(|s| s.to_string()));
    match Cli::parse_from(argv).command {
        Sub::Run(args) => args,
        other => panic!("not a run: {other:?}"),
    }
}

/// interp 20% slower than jit; iteration 0 three times slower; +-2% per invocation and +-1%
/// per iteration, a function of the invocation's key only (the same in every shard).
fn keyed_times(req: &Request, iteration: u32) -> u64 {
    use rand::Rng;
    let key = format!("{}/{}/{}", req.benchmark.name, req.config, req.invocation);
    let mut inv = harness::stats::rng_for(1, &key);
    let mut it = harness::stats::rng_for(u64::from(iteration) + 2, &key);
    let base = if req.config == "interp" { 1.2e6 } else { 1.0e6 };
    let warm = if iteration == 0 { 3.0 } else { 1.0 };
    (base * warm * (1.0 + inv.gen_range(-0.02..0.02)) * (1.0 + it.gen_range(-0.01..0.01))) as u64
}

/// Runs `extra` with the mock on `time`; returns the run folder.
fn run(
    dir: &Path,
    out: &str,
    extra: &[&str],
    time: impl FnMut(&Request, u32) -> u64 + 'static,
) -> PathBuf {
    let mut plan = plan::resolve(args(dir, out, extra)).unwrap();
    plan.create_run_dir().unwrap();
    let mut mock = MockExecutor::new(time);
    runner::run(&plan, &mut mock, false).unwrap();
    plan.run_dir.clone()
}

fn harness(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_harness"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

fn merge(dirs: &[&Path], out: &Path) -> Output {
    let mut argv = vec!["merge".to_string()];
    argv.extend(dirs.iter().map(|d| d.to_str().unwrap().to_string()));
    argv.extend(["--out".into(), out.to_str().unwrap().to_string()]);
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    harness(&argv, out.parent().unwrap())
}

fn only_run(out: &Path) -> PathBuf {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    dirs.remove(0)
}

type TaskKey = (usize, usize, String, u32);

fn task_keys(args: RunArgs) -> Vec<TaskKey> {
    plan::resolve(args)
        .unwrap()
        .tasks
        .iter()
        .map(|t| (t.suite, t.benchmark, t.config.clone(), t.invocation))
        .collect()
}

#[test]
fn the_shards_partition_the_plan_in_its_order() {
    let tmp = tempfile::tempdir().unwrap();
    let base = ["--configs", "interp,jit", "--seed", "7"];
    let whole = task_keys(args(tmp.path(), "r", &base));
    assert_eq!(whole.len(), 3 * 2 * 5);
    for n in [1, 2, 3, 4, 15] {
        let mut union: Vec<TaskKey> = Vec::new();
        for k in 1..=n {
            let shard = format!("{k}/{n}");
            let mut extra = base.to_vec();
            extra.extend(["--shard", &shard]);
            let part = task_keys(args(tmp.path(), "r", &extra));
            assert!(!part.is_empty(), "shard {shard} is empty");
            // A shard runs its tasks in the unsharded schedule's order.
            let positions: Vec<usize> = part
                .iter()
                .map(|t| whole.iter().position(|w| w == t).unwrap())
                .collect();
            assert!(positions.windows(2).all(|w| w[0] < w[1]), "{shard}");
            // All configs of a benchmark's invocation land in the same shard.
            for t in &part {
                assert!(part
                    .iter()
                    .any(|u| (u.0, u.1, u.3) == (t.0, t.1, t.3) && u.2 != t.2));
            }
            union.extend(part);
        }
        assert_eq!(union.len(), whole.len(), "{n} shards are disjoint");
        union.sort();
        let mut sorted = whole.clone();
        sorted.sort();
        assert_eq!(union, sorted, "{n} shards cover the plan");
    }
    // More shards than benchmark invocations: refused before anything is written.
    let err = plan::resolve(args(tmp.path(), "r", &["--shard", "16/16"]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("at most 15 shards"), "{err}");
    assert!(!tmp.path().join("r").exists());
}

/// The columns of a row that a merge must carry over unchanged (everything but `run_id`).
fn row_set(dir: &Path) -> Vec<String> {
    let mut rows: Vec<String> = read_results(&dir.join("results.csv"))
        .unwrap()
        .into_iter()
        .map(|r| {
            let mut r = r;
            r.run_id.clear();
            format!("{r:?}")
        })
        .collect();
    rows.sort();
    rows
}

/// summary.csv as (suite/benchmark/config) -> row.
fn summary(dir: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(dir.join("summary.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let row: BTreeMap<String, String> = headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect();
            (
                format!("{}/{}/{}", row["suite"], row["benchmark"], row["config"]),
                row,
            )
        })
        .collect()
}

#[test]
fn merged_shards_are_the_unsharded_run() {
    let tmp = tempfile::tempdir().unwrap();
    let base = ["--configs", "interp,jit", "--seed", "11"];
    let whole = run(tmp.path(), "whole", &base, keyed_times);
    let shards: Vec<PathBuf> = (1..=3)
        .map(|k| {
            let shard = format!("{k}/3");
            let mut extra = base.to_vec();
            extra.extend(["--shard", &shard]);
            run(tmp.path(), "shards", &extra, keyed_times)
        })
        .collect();
    let out = tmp.path().join("merged");
    let refs: Vec<&Path> = shards.iter().map(PathBuf::as_path).collect();
    let o = merge(&refs, &out);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    let merged = only_run(&out);
    for f in [
        "results.csv",
        "summary.csv",
        "invocations.csv",
        "invocations.jsonl",
        "run.json",
        "index.html",
    ] {
        assert!(merged.join(f).is_file(), "{f}");
    }

    // Same rows, each once.
    assert_eq!(row_set(&merged), row_set(&whole));
    // Same summary: the statistics are a function of the rows and the recorded seed.
    let (a, b) = (summary(&whole), summary(&merged));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (key, row) in &a {
        for column in [
            "invocations",
            "ok",
            "median",
            "median_lo",
            "median_hi",
            "speedup",
            "speedup_lo",
            "speedup_hi",
            "steady_class",
        ] {
            assert_eq!(row[column], b[key][column], "{key} {column}");
        }
    }
    // The merged run is a valid run: `harness report` and `baseline save` read it.
    let o = harness(&["report", merged.to_str().unwrap()], tmp.path());
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let info: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(merged.join("run.json")).unwrap()).unwrap();
    assert_eq!(info["shards"].as_array().unwrap().len(), 3);
    assert_eq!(info["shards"][1]["shard"], "2/3");
    assert!(info["parameters"]["shard"].is_null());
    assert_eq!(info["resolved"]["tasks"], 30);
    // The report shows each shard's machine.
    let html = std::fs::read_to_string(merged.join("index.html")).unwrap();
    assert!(html.contains("Shards"), "no shards table");
    for s in &shards {
        let id = s.file_name().unwrap().to_str().unwrap();
        assert!(html.contains(id), "{id} not in the report");
    }
}

/// Noise drawn per call, so each process (shard or not) sees its own: the merged summary
/// must still agree with the unsharded one within the intervals.
#[test]
fn with_independent_noise_the_merged_summary_agrees_within_the_cis() {
    fn noisy(seed: u64) -> impl FnMut(&Request, u32) -> u64 {
        use rand::Rng;
        let mut rng = harness::stats::rng_for(seed, "machine");
        move |req, iteration| {
            let base = if req.config == "interp" { 1.2e6 } else { 1.0e6 };
            let warm = if iteration == 0 { 3.0 } else { 1.0 };
            (base * warm * (1.0 + rng.gen_range(-0.03..0.03))) as u64
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let base = ["--configs", "interp,jit", "--seed", "5", "-n", "8"];
    let whole = run(tmp.path(), "whole", &base, noisy(1));
    let shards: Vec<PathBuf> = (1..=2)
        .map(|k| {
            let shard = format!("{k}/2");
            let mut extra = base.to_vec();
            extra.extend(["--shard", &shard]);
            run(tmp.path(), "shards", &extra, noisy(10 + k))
        })
        .collect();
    let out = tmp.path().join("merged");
    let o = merge(&[&shards[0], &shards[1]], &out);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let (a, b) = (summary(&whole), summary(&only_run(&out)));
    let num = |row: &BTreeMap<String, String>, c: &str| row[c].parse::<f64>().unwrap();
    for (key, w) in &a {
        let m = &b[key];
        assert_ne!(
            w["median"], m["median"],
            "{key}: the noise differs, so must the numbers"
        );
        for (x, other) in [(w, m), (m, w)] {
            let median = num(x, "median");
            assert!(
                num(other, "median_lo") <= median && median <= num(other, "median_hi"),
                "{key}: median {median} outside [{}, {}]",
                other["median_lo"],
                other["median_hi"]
            );
        }
    }
}

/// Every file under `dir` with its bytes, to check that a refusal changed nothing.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(snapshot(&path));
        } else if path.file_name().unwrap() != ".lock" {
            out.insert(path.clone(), std::fs::read(&path).unwrap());
        }
    }
    out
}

fn edit_json(dir: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = dir.join("run.json");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut v);
    std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

/// A copy of run folder `dir` named `name` beside it.
fn copy(dir: &Path, name: &str) -> PathBuf {
    let to = dir.parent().unwrap().join(name);
    std::fs::create_dir(&to).unwrap();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
        }
    }
    to
}

#[test]
fn bad_sets_of_shards_are_refused_with_exit_2_and_nothing_written() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let base = [
        "--configs",
        "interp,jit",
        "--seed",
        "3",
        "-n",
        "2",
        "-i",
        "4",
    ];
    let shard = |k: &str, extra: &[&str]| {
        let mut a = base.to_vec();
        a.extend(["--shard", k]);
        a.extend(extra);
        run(d, "in", &a, keyed_times)
    };
    let one = shard("1/2", &[]);
    let two = shard("2/2", &[]);
    let one_again = shard("1/2", &[]);
    let two_of_three = shard("2/3", &[]);
    let other_plan = shard("2/2", &["--bench", "fib"]);
    let unsharded = run(d, "in", &base, keyed_times);
    let other_commit = copy(&two, "other-commit");
    edit_json(&other_commit, |v| v["git"]["commit"] = "0123abcd".into());
    let unfinished = copy(&two, "unfinished");
    edit_json(&unfinished, |v| v["state"] = "interrupted".into());
    // Shard 2's rows appended to shard 1's file, under shard 1's run id.
    let stray = copy(&one, "stray");
    {
        let id = stray_id(&one);
        let text = std::fs::read_to_string(two.join("results.csv")).unwrap();
        let extra: String = text
            .lines()
            .skip(1)
            .map(|l| format!("{id}{}\n", &l[l.find(',').unwrap()..]))
            .collect();
        let mut all = std::fs::read_to_string(stray.join("results.csv")).unwrap();
        all.push_str(&extra);
        std::fs::write(stray.join("results.csv"), all).unwrap();
    }
    let nowhere = d.join("nowhere");
    let before = snapshot(d);

    let cases: Vec<(Vec<&Path>, &str)> = vec![
        (vec![&one, &other_plan], "differ in the benchmarks"),
        (vec![&one, &two_of_three], "mismatched shards"),
        (vec![&one, &other_commit], "from another commit (0123abcd)"),
        (vec![&one, &one_again, &two], "overlapping shards"),
        (vec![&one, &two, &one], "given twice"),
        (vec![&one], "missing shard(s) 2/2"),
        (
            vec![&one, &unfinished],
            "not finished (state `interrupted`)",
        ),
        (vec![&unsharded, &two], "is not a shard"),
        (vec![&stray, &two], "is not part of shard 1/2"),
        (vec![&one, &nowhere], "nowhere"),
    ];
    for (dirs, message) in cases {
        let out = d.join("merged");
        let o = merge(&dirs, &out);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{message}: {stderr}");
        assert!(
            stderr.contains(message),
            "expected `{message}` in: {stderr}"
        );
        assert!(
            !out.exists(),
            "{message}: the refused merge wrote {}",
            out.display()
        );
    }
    assert!(snapshot(d) == before, "a refused merge changed an input");
    // The good pair still merges, and its result is no shard to merge again.
    let o = merge(&[&two, &one], &d.join("merged"));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    let merged = only_run(&d.join("merged"));
    let o = merge(&[&merged, &two], &d.join("again"));
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("already a merged run (of 2 shards)"),
        "{stderr}"
    );
}

fn stray_id(dir: &Path) -> String {
    dir.file_name().unwrap().to_str().unwrap().to_string()
}

/// Fails (as a harness error) after `limit` invocations, like a shard killed midway.
struct Dying {
    inner: MockExecutor,
    limit: usize,
}

impl harness::exec::Executor for Dying {
    fn describe(&self) -> String {
        "dying".into()
    }
    fn execute(&mut self, request: &Request) -> anyhow::Result<harness::exec::RawOutcome> {
        if self.inner.calls.len() == self.limit {
            anyhow::bail!("killed");
        }
        self.inner.execute(request)
    }
}

#[test]
fn a_resumed_shard_runs_only_the_rest_of_its_own_part() {
    let tmp = tempfile::tempdir().unwrap();
    let extra = ["--configs", "interp,jit", "--seed", "9", "--shard", "2/3"];
    let shard_tasks = task_keys(args(tmp.path(), "r", &extra));
    let mut plan = plan::resolve(args(tmp.path(), "r", &extra)).unwrap();
    plan.create_run_dir().unwrap();
    let mut dying = Dying {
        inner: MockExecutor::new(keyed_times),
        limit: 3,
    };
    assert!(runner::run(&plan, &mut dying, false).is_err());
    plan.lock = None; // the killed process's lock dies with it
    let mut again = args(tmp.path(), "r", &[]);
    again.resume = Some(plan.run_dir.clone());
    let resumed = plan::resolve(again).unwrap();
    assert_eq!(
        resumed.args.shard.map(|s| s.to_string()),
        Some("2/3".into())
    );
    let rest: Vec<TaskKey> = resumed
        .tasks
        .iter()
        .map(|t| (t.suite, t.benchmark, t.config.clone(), t.invocation))
        .collect();
    assert_eq!(rest, shard_tasks[3..], "the shard's tasks after the 3 done");
    assert_eq!(resumed.total_tasks, shard_tasks.len());
}
