//! Validating `harness run` arguments into a [`Plan`]: suites loaded and checked, benchmarks
//! filtered, configs expanded, the `ruff` binary found, and the invocation schedule fixed —
//! all before the run folder exists, so bad input writes nothing (exit 2).
//!
//! Schedule: for each invocation index (outermost), for each benchmark, the configs in an
//! order shuffled by the run's seed. Each config thus gets one invocation per round, spread
//! over the whole run, so drift of the machine (heat, other load) falls on all configs alike
//! rather than on whichever ran last (cf. Kalibera & Jones 2013, "Rigorous benchmarking in
//! reasonable time", on randomising run order).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use rand::seq::SliceRandom;

use crate::cli::{ExecutorKind, RunArgs};
use crate::configs;
use crate::exec::Measure;
use crate::manifest::Suite;
use crate::output::lock::RunLock;
use crate::output::{self, log, results};

/// Iterations and invocations of `--quick` unless given explicitly.
pub const QUICK_INVOCATIONS: u32 = 1;
pub const QUICK_ITERATIONS: u32 = 2;

/// One invocation to run.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    pub suite: usize,
    pub benchmark: usize,
    pub config: String,
    pub invocation: u32,
    /// The iteration count, or the cap when `until_stable` is set.
    pub iterations: u32,
    /// Iterate until the last K iterations are stable (`ruff bench --until-stable K`).
    pub until_stable: Option<u32>,
    pub timeout: Duration,
}

/// (suite, benchmark, config, invocation)
pub type InvocationKey = (String, String, String, u32);

/// The resolved invocations, iterations and timeout of one benchmark.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Settings {
    pub invocations: u32,
    /// The iteration count, or the cap when `until_stable` is set.
    pub iterations: u32,
    /// `Some(K)`: iterate until the last K iterations are stable and compile-free.
    pub until_stable: Option<u32>,
    #[serde(serialize_with = "as_seconds")]
    pub timeout: Duration,
}

fn as_seconds<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

/// A validated run.
#[derive(Debug)]
pub struct Plan {
    /// The arguments, with the seed filled in (stored in run.json for `--resume`).
    pub args: RunArgs,
    pub suites: Vec<Suite>,
    /// `settings[suite][benchmark]`.
    pub settings: Vec<Vec<Settings>>,
    pub configs: Vec<String>,
    /// The programs of peer configs (`lua5.4`, ...) and the pairs skipped ([`crate::peers`]).
    pub peers: crate::peers::Peers,
    pub reference: String,
    pub seed: u64,
    pub run_id: String,
    pub run_dir: PathBuf,
    /// The `ruff` binary (subprocess executor).
    pub ruff: Option<PathBuf>,
    /// Invocations still to run, in order.
    pub tasks: Vec<Task>,
    /// Total invocations of the run, including those done before a resume.
    pub total_tasks: usize,
    /// Rows kept from before a resume.
    pub previous_rows: Vec<results::ResultRow>,
    pub resumed: bool,
    /// The run folder's lock, held from before a resume reads the folder (or from the
    /// folder's creation) until the plan is dropped (see [`crate::output::lock`]).
    pub lock: Option<RunLock>,
}

/// Validates `args` (see the module header). Nothing is written.
pub fn resolve(args: RunArgs) -> Result<Plan> {
    match args.resume.clone() {
        Some(dir) => resolve_resume(&dir, args),
        None => {
            let run_id = output::new_run_id();
            let run_dir = args.out.join(&run_id);
            resolve_with(args, run_id, run_dir, HashSet::new(), Vec::new(), None)
        }
    }
}

fn resolve_resume(dir: &Path, given: RunArgs) -> Result<Plan> {
    if !dir.join(output::run_json::FILE).is_file() {
        bail!(
            "--resume {}: not a run folder (no {})",
            dir.display(),
            output::run_json::FILE
        );
    }
    // Locked before anything is read: a second `--resume` of the same folder must not plan
    // from a results.csv that the first one is still appending to.
    let lock = RunLock::acquire(dir)?;
    let info =
        output::run_json::read(dir).with_context(|| format!("--resume {}", dir.display()))?;
    let mut args: RunArgs =
        serde_json::from_value(info["parameters"].clone()).with_context(|| {
            format!(
                "{}: field `parameters` is not a harness run's",
                dir.join("run.json").display()
            )
        })?;
    let run_id = info["run_id"]
        .as_str()
        .context("run.json: field `run_id` missing")?
        .to_string();
    if given.ruff.is_some() {
        args.ruff = given.ruff;
    }
    args.resume = None;
    let done: Vec<log::InvocationLog> = log::read_log(&dir.join(log::FILE))?;
    let done: HashSet<InvocationKey> = done.iter().map(|l| l.key()).collect();
    let rows = results::read_results(&dir.join(results::FILE))?
        .into_iter()
        .filter(|r| {
            done.contains(&(
                r.suite.clone(),
                r.benchmark.clone(),
                r.config.clone(),
                r.invocation,
            ))
        })
        .collect();
    resolve_with(args, run_id, dir.to_path_buf(), done, rows, Some(lock))
}

fn resolve_with(
    mut args: RunArgs,
    run_id: String,
    run_dir: PathBuf,
    done: HashSet<InvocationKey>,
    previous_rows: Vec<results::ResultRow>,
    lock: Option<RunLock>,
) -> Result<Plan> {
    let resumed = lock.is_some();
    // Suite folders, manifests, and programs given directly (`harness run prog.ruff`).
    let mut suites = crate::adhoc::load_suites(
        &args.suites,
        args.ruff.as_deref(),
        args.timeout
            .and_then(|t| crate::manifest::check_seconds(t).ok()),
    )?;
    if !args.bench.is_empty() {
        for filter in &args.bench {
            if !suites
                .iter()
                .flat_map(|s| &s.benchmarks)
                .any(|b| b.matches(filter))
            {
                bail!("--bench '{filter}' matches no benchmark");
            }
        }
        for suite in &mut suites {
            suite
                .benchmarks
                .retain(|b| args.bench.iter().any(|f| b.matches(f)));
        }
        suites.retain(|s| !s.benchmarks.is_empty());
    }
    let configs = if args.configs.is_empty() {
        configs::expand_all(
            &suites
                .iter()
                .flat_map(|s| s.configs.clone())
                .collect::<Vec<_>>(),
        )?
    } else {
        configs::expand_all(&args.configs).context("--configs")?
    };
    let reference = match &args.reference {
        Some(r) => {
            let mut list = configs::expand(r).context("--reference")?;
            if list.len() != 1 {
                bail!("--reference must name exactly one config");
            }
            list.remove(0)
        }
        None => suites
            .first()
            .map(|s| s.reference.clone())
            .unwrap_or_default(),
    };
    // `--timeout` is range-checked by clap; a resumed run's recorded value is checked again.
    let timeout = args
        .timeout
        .map(crate::manifest::check_seconds)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--timeout {e}"))?;
    if args.executor == ExecutorKind::InProcess {
        if let Some(c) = configs.iter().find(|c| !c.starts_with("interp")) {
            bail!("--executor in-process runs interpreter configs only (interp, interp-prof); '{c}' needs --executor subprocess");
        }
        if args.measure == Measure::Instructions {
            bail!("--measure instructions needs --executor subprocess");
        }
    }
    let ruff = match args.executor {
        ExecutorKind::Subprocess => Some(find_ruff(args.ruff.as_deref())?),
        ExecutorKind::InProcess => None,
    };
    if args.measure == Measure::Instructions && find_on_path("valgrind").is_none() {
        bail!("--measure instructions needs valgrind on PATH");
    }
    let peers = crate::peers::Peers::resolve(&suites, &configs, args.measure)?;
    let seed = args.seed.unwrap_or_else(rand::random);
    args.seed = Some(seed);

    let (invocations, iterations) = if args.quick {
        (
            args.invocations.or(Some(QUICK_INVOCATIONS)),
            args.iterations.or(Some(QUICK_ITERATIONS)),
        )
    } else {
        (args.invocations, args.iterations)
    };
    // Precedence: command line, then the benchmark's entry, then the suite's defaults.
    let settings: Vec<Vec<Settings>> = suites
        .iter()
        .map(|s| {
            s.benchmarks
                .iter()
                .map(|b| {
                    let fixed = iterations.or(b.iterations).or(s.iterations);
                    let until_stable = match (args.until_stable, fixed) {
                        (Some(k), _) => Some(k),
                        (None, Some(_)) => None,
                        (None, None) => Some(crate::manifest::DEFAULT_STABLE_WINDOW),
                    };
                    Settings {
                        invocations: invocations.or(b.invocations).unwrap_or(s.invocations),
                        iterations: match until_stable {
                            Some(_) => args.max_iterations.unwrap_or(s.max_iterations),
                            None => fixed.unwrap_or(s.max_iterations),
                        },
                        until_stable,
                        timeout: timeout.or(b.timeout).unwrap_or(s.timeout),
                    }
                })
                .collect()
        })
        .collect();
    let max_inv = settings
        .iter()
        .flatten()
        .map(|s| s.invocations)
        .max()
        .unwrap_or(0);
    let mut all = Vec::new();
    let mut rng = crate::stats::rng_for(seed, "schedule");
    for round in 0..max_inv {
        for (si, suite_settings) in settings.iter().enumerate() {
            for (bi, set) in suite_settings.iter().enumerate() {
                if round >= set.invocations {
                    continue;
                }
                let mut order = configs.clone();
                order.shuffle(&mut rng);
                for config in order {
                    if !peers.runs(&suites[si].benchmarks[bi], &config) {
                        continue;
                    }
                    all.push(Task {
                        suite: si,
                        benchmark: bi,
                        config,
                        invocation: round,
                        iterations: set.iterations,
                        until_stable: set.until_stable,
                        timeout: set.timeout,
                    });
                }
            }
        }
    }
    if let Some(shard) = args.shard {
        all = crate::shard::select(all, shard, &settings)?;
    }
    let total_tasks = all.len();
    if total_tasks == 0 {
        bail!(
            "nothing to run: every benchmark x config pair is skipped ({})",
            peers.skip_lines().join("; ")
        );
    }
    let tasks = all
        .into_iter()
        .filter(|t| {
            let s = &suites[t.suite];
            !done.contains(&(
                s.name.clone(),
                s.benchmarks[t.benchmark].name.clone(),
                t.config.clone(),
                t.invocation,
            ))
        })
        .collect();
    Ok(Plan {
        args,
        suites,
        settings,
        configs,
        peers,
        reference,
        seed,
        run_id,
        run_dir,
        ruff,
        tasks,
        total_tasks,
        previous_rows,
        resumed,
        lock,
    })
}

impl Plan {
    /// Creates the run folder and takes its lock (the last step of validation: an
    /// unwritable `--out` fails here, before any file of the run exists). A resumed plan
    /// holds its lock already.
    pub fn create_run_dir(&mut self) -> Result<()> {
        if self.resumed {
            return Ok(());
        }
        let out = &self.args.out;
        std::fs::create_dir_all(out)
            .with_context(|| format!("--out {}: cannot create the output folder", out.display()))?;
        std::fs::create_dir(&self.run_dir).with_context(|| {
            format!(
                "--out {}: cannot create run folder {}",
                out.display(),
                self.run_dir.display()
            )
        })?;
        self.lock = Some(RunLock::acquire(&self.run_dir)?);
        Ok(())
    }
}

/// `--ruff PATH`, else `ruff` next to the harness executable, else on PATH.
pub fn find_ruff(given: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = given {
        if p.is_file() {
            // Absolute, so `Command` does not search PATH for a bare name like `ruff`.
            return std::fs::canonicalize(p).with_context(|| format!("--ruff {}", p.display()));
        }
        bail!("--ruff {}: no such file", p.display());
    }
    let beside = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(|d| d.join("ruff")));
    if let Some(p) = beside.filter(|p| p.is_file()) {
        return Ok(p);
    }
    find_on_path("ruff").context(
        "cannot find the `ruff` binary next to harness or on PATH: build it (cargo build --release -p ruff-jit) or pass --ruff PATH",
    )
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}
