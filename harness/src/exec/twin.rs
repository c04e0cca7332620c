//! The executor of peer configs (`crate::peers`): one process per invocation running a
//! benchmark's twin with the twin protocol (`suites/README.md`, "Twins in other languages"):
//!
//! ```text
//! INTERPRETER NAME.EXT ITERATIONS RECORDS [ARGS...]     lua5.4, luajit, python3, node
//! RUN_DIR/native/SUITE/NAME ITERATIONS RECORDS [ARGS...] native
//! ```
//!
//! The twin writes one `ruff bench` record per iteration to RECORDS and its `Result:` lines
//! to stdout, so verification and analysis are those of every Ruff config. Process handling
//! (files instead of pipes, `wait4`, the timeout) is the subprocess executor's.
//!
//! `native` twins are compiled on first use with `rustc -O` into `RUN_DIR/native/SUITE/`,
//! once per benchmark and harness session; compiling is not timed. A compile error is that
//! benchmark's `error` status (rustc's message in it) under `native`, every invocation, and
//! the run goes on. A twin has no until-stable mode: it runs the iteration cap.
//!
//! [`WithTwins`] routes each request to this executor or to Ruff's, by config name.

use std::collections::HashMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result};

use super::records::parse_record;
use super::subprocess::{clear_scratch, wait_with_timeout};
use super::verify::stderr_excerpt;
use super::{Executor, Exit, RawOutcome, Request};
use crate::peers::{Peer, Peers};

/// Runs twins (see the module header).
pub struct TwinExecutor {
    peers: Peers,
    run_dir: PathBuf,
    scratch: tempfile::TempDir,
    /// Compiled native twins by source: the binary, or why it could not be built.
    native: HashMap<PathBuf, std::result::Result<PathBuf, String>>,
}

impl TwinExecutor {
    /// `peers`: the plan's found programs; `run_dir`: where native twins are compiled to.
    pub fn new(peers: Peers, run_dir: PathBuf) -> Result<TwinExecutor> {
        let scratch = tempfile::Builder::new()
            .prefix("harness-twin-")
            .tempdir()
            .context("cannot create a scratch folder for twin records")?;
        Ok(TwinExecutor {
            peers,
            run_dir,
            scratch,
            native: HashMap::new(),
        })
    }

    /// The command of one invocation, or why there is none (a failed compile, a peer the
    /// plan did not find: both the invocation's `error`).
    fn command(
        &mut self,
        request: &Request,
        records: &Path,
    ) -> std::result::Result<Command, String> {
        let peer = Peer::from_name(request.config)
            .ok_or_else(|| format!("'{}' is not a peer config", request.config))?;
        let program = self
            .peers
            .program(request.config)
            .ok_or_else(|| {
                format!(
                    "`{}` was not found when the run was planned",
                    peer.program()
                )
            })?
            .to_path_buf();
        let twin = peer.twin(request.benchmark);
        let mut cmd = if peer == Peer::Native {
            let binary = self.compiled(&program, &twin, request)?;
            Command::new(binary)
        } else {
            let mut c = Command::new(program);
            c.arg(&twin);
            c
        };
        cmd.arg(request.iterations.to_string())
            .arg(records)
            .args(&request.benchmark.args);
        Ok(cmd)
    }

    /// The binary of a native twin, compiled on first use.
    fn compiled(
        &mut self,
        rustc: &Path,
        twin: &Path,
        request: &Request,
    ) -> std::result::Result<PathBuf, String> {
        if let Some(done) = self.native.get(twin) {
            return done.clone();
        }
        let dir = self.run_dir.join("native").join(request.suite);
        let binary = dir.join(&request.benchmark.name);
        let built = compile(rustc, twin, &dir, &binary);
        self.native.insert(twin.to_path_buf(), built.clone());
        built
    }
}

/// `rustc -O --edition 2021 TWIN -o BINARY`; a failure is rustc's first lines.
fn compile(
    rustc: &Path,
    twin: &Path,
    dir: &Path,
    binary: &Path,
) -> std::result::Result<PathBuf, String> {
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let out = Command::new(rustc)
        .args(["-O", "--edition", "2021"])
        .arg(twin)
        .arg("-o")
        .arg(binary)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot start {}: {e}", rustc.display()))?;
    if !out.status.success() {
        return Err(format!(
            "rustc -O {} failed ({}): {}",
            twin.display(),
            out.status,
            stderr_excerpt(&out.stderr)
        ));
    }
    Ok(binary.to_path_buf())
}

impl Executor for TwinExecutor {
    fn describe(&self) -> String {
        let found: Vec<String> = self
            .peers
            .found
            .iter()
            .map(|f| format!("{} = {} ({})", f.config, f.program.display(), f.version))
            .collect();
        format!("twins: {}", found.join("; "))
    }

    fn execute(&mut self, request: &Request) -> Result<RawOutcome> {
        let dir = self.scratch.path().to_path_buf();
        let records = dir.join("records.jsonl");
        let stdout_path = dir.join("stdout");
        let stderr_path = dir.join("stderr");
        clear_scratch(&dir)?;
        let mut cmd = match self.command(request, &records) {
            Ok(cmd) => cmd,
            Err(why) => return Ok(not_run(why)),
        };
        cmd.stdin(Stdio::null())
            .stdout(File::create(&stdout_path).context("scratch stdout")?)
            .stderr(File::create(&stderr_path).context("scratch stderr")?);
        let started = Instant::now();
        let child = match cmd.spawn() {
            Ok(child) => child,
            // A twin that cannot start (deleted since planning, not executable) is this
            // invocation's failure, not the harness's.
            Err(e) => {
                return Ok(not_run(format!(
                    "cannot start {:?}: {e}",
                    cmd.get_program()
                )))
            }
        };
        let (exit, max_rss_kb) = wait_with_timeout(child.id() as libc::pid_t, request.timeout)?;
        let elapsed_ns = started.elapsed().as_nanos() as u64;

        let mut note = None;
        let mut iterations = Vec::new();
        let text = fs::read_to_string(&records).unwrap_or_default();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            match parse_record(line) {
                Ok(it) => iterations.push(it),
                Err(e) => {
                    note.get_or_insert(format!(
                        "bad record from the {} twin: {e:#}",
                        request.config
                    ));
                }
            }
        }
        Ok(RawOutcome {
            exit,
            stdout: fs::read(&stdout_path).unwrap_or_default(),
            stderr: fs::read(&stderr_path).unwrap_or_default(),
            iterations,
            max_rss_kb,
            elapsed_ns,
            note,
        })
    }
}

/// The outcome of an invocation that never started: an `error` with `why`.
fn not_run(why: String) -> RawOutcome {
    RawOutcome {
        exit: Exit::Code(0),
        stdout: Vec::new(),
        stderr: Vec::new(),
        iterations: Vec::new(),
        max_rss_kb: None,
        elapsed_ns: 0,
        note: Some(why),
    }
}

/// Sends peer configs to the twin executor and every other config to Ruff's.
pub struct WithTwins {
    pub ruff: Box<dyn Executor>,
    pub twins: TwinExecutor,
}

impl Executor for WithTwins {
    fn describe(&self) -> String {
        format!("{}; {}", self.ruff.describe(), self.twins.describe())
    }

    fn execute(&mut self, request: &Request) -> Result<RawOutcome> {
        if crate::peers::is_peer(request.config) {
            self.twins.execute(request)
        } else {
            self.ruff.execute(request)
        }
    }

    fn measures_machine(&self) -> bool {
        self.ruff.measures_machine()
    }
}

/// `ruff` alone when the plan has no peer config (so a Ruff-only run is unchanged, its
/// `run.json` included), else `ruff` with a twin executor beside it.
pub fn with_twins(
    ruff: Box<dyn Executor>,
    configs: &[String],
    peers: &Peers,
    run_dir: &Path,
) -> Result<Box<dyn Executor>> {
    if !configs.iter().any(|c| crate::peers::is_peer(c)) {
        return Ok(ruff);
    }
    Ok(Box::new(WithTwins {
        ruff,
        twins: TwinExecutor::new(peers.clone(), run_dir.to_path_buf())?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::mock::MockExecutor;
    use crate::exec::Measure;
    use crate::manifest::{Benchmark, Expected};
    use crate::peers::Found;
    use std::time::Duration;

    fn request<'a>(benchmark: &'a Benchmark, config: &'a str) -> Request<'a> {
        Request {
            suite: "s",
            benchmark,
            config,
            invocation: 0,
            iterations: 2,
            until_stable: None,
            timeout: Duration::from_secs(5),
            measure: Measure::Wall,
        }
    }

    fn benchmark(path: &Path) -> Benchmark {
        Benchmark::new("b", path, Expected::Result("42".into()))
    }

    #[test]
    fn ruff_only_plans_keep_the_ruff_executor_alone() {
        let mock = Box::new(MockExecutor::new(|_, _| 1000));
        let configs = ["interp".to_string(), "jit-spec".to_string()];
        let e = with_twins(mock, &configs, &Peers::default(), Path::new("/nowhere")).unwrap();
        assert_eq!(e.describe(), "mock");
    }

    #[test]
    fn peer_configs_go_to_the_twin_and_ruff_configs_to_ruff() {
        let dir = tempfile::tempdir().unwrap();
        let ruff_file = dir.path().join("b.ruff");
        // A shell script stands in for the interpreter: `sh b.sh ITERATIONS RECORDS`.
        std::fs::write(
            dir.path().join("b.lua"),
            "i=0; while [ $i -lt $1 ]; do echo 'Result: 42'; \
             echo \"{\\\"iteration\\\":$i,\\\"wall_ns\\\":7,\\\"stdout_bytes\\\":11}\" >> $2; \
             i=$((i+1)); done\n",
        )
        .unwrap();
        let peers = Peers {
            found: vec![Found {
                config: "lua5.4".into(),
                program: "/bin/sh".into(),
                version: "sh".into(),
            }],
            skipped: vec![],
        };
        let configs = ["interp".to_string(), "lua5.4".to_string()];
        let mock = Box::new(MockExecutor::new(|_, _| 1000));
        let mut e = with_twins(mock, &configs, &peers, dir.path()).unwrap();
        assert!(e
            .describe()
            .starts_with("mock; twins: lua5.4 = /bin/sh (sh)"));
        let b = benchmark(&ruff_file);
        let twin = e.execute(&request(&b, "lua5.4")).unwrap();
        assert_eq!(twin.exit, Exit::Code(0), "{:?}", twin.note);
        assert_eq!(twin.iterations.len(), 2);
        assert_eq!(twin.iterations[1].wall_ns, 7);
        assert_eq!(twin.stdout, b"Result: 42\nResult: 42\n");
        let ruff = e.execute(&request(&b, "interp")).unwrap();
        assert_eq!(ruff.iterations[0].wall_ns, 1000);
        // A peer the plan did not find never starts: its invocation is an error saying so.
        let missing = e.execute(&request(&b, "luajit")).unwrap();
        assert!(
            missing
                .note
                .as_deref()
                .unwrap_or("")
                .contains("`luajit` was not found"),
            "{:?}",
            missing.note
        );
    }
}
