//! The default executor: one `ruff bench FILE --config C --iterations N --records TMP`
//! process per invocation, so each invocation starts with cold JIT state (ARCHITECTURE §1).
//!
//! - Times come from the records `ruff bench` writes (it times each iteration itself, so
//!   process start-up and the harness are not in `wall_ns`).
//! - stdout and stderr go to files, not pipes: a chatty benchmark cannot block on a full pipe,
//!   and the harness does no work while the benchmark runs (a helper thread blocks in
//!   `wait4`).
//! - Max RSS comes from `wait4`'s `rusage` of that very child (kilobytes on Linux).
//! - Past the timeout the process gets SIGKILL and the invocation is `timeout`.
//!
//! Instruction mode (`--measure instructions`) runs the same command under
//! `valgrind --tool=callgrind` with `--dump-before=F --dump-after=F` for the functions F that
//! run one iteration (`--iteration-symbol`; by default the public engine entry points
//! `Engine::run_main`, which `ruff bench` calls for iteration 0, and `Engine::call_global`,
//! called once for each later iteration). Each dump holds the instructions executed since the
//! previous dump, and the dump taken when F returns is the iteration's count (its `summary:`
//! line). Start-up before iteration 0 falls in the first `--dump-before` dump and exit in the
//! final one, so neither is counted. Callgrind (3.19) does not always fire `--dump-before` for
//! later iterations, so a count for iteration i >= 1 may include the few tens of thousands of
//! instructions `ruff bench` spends between iterations (writing a record): a constant, so
//! comparisons between configs and commits stay exact. Counts repeat to the instruction.
//! `perf stat` counts whole processes only and cannot give per-iteration numbers, so it is not
//! used. If callgrind sees a different number of iteration ends than records, the invocation is
//! an `error` with that message, never a per-process number passed off as per-iteration.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use super::records::parse_record;
use super::{Executor, Exit, Iteration, Measure, RawOutcome, Request};

/// Default callgrind function pattern for one `ruff bench` iteration: `ruff bench` runs every
/// iteration (0 through `Engine::run_main`, later ones through `Engine::call_global("run")`)
/// inside `run_iteration`, called exactly once per iteration. One pattern, because callgrind
/// honours only the first `--dump-before`: with two, the second function's dumps would also
/// count the record writing between iterations, and A/A counts would differ.
pub const DEFAULT_ITERATION_SYMBOL: &str = "ruff::cli::bench::run_iteration";

/// Spawns `ruff bench` per invocation.
pub struct SubprocessExecutor {
    ruff: PathBuf,
    scratch: tempfile::TempDir,
    iteration_symbol: String,
    /// `ruff bench --perf-map` (`harness run --perf-map`).
    perf_map: bool,
}

impl SubprocessExecutor {
    /// `ruff`: the binary to run; `iteration_symbol`: see the module header.
    pub fn new(ruff: PathBuf, iteration_symbol: String) -> Result<SubprocessExecutor> {
        let scratch = tempfile::Builder::new()
            .prefix("harness-")
            .tempdir()
            .context("cannot create a scratch folder for ruff bench records")?;
        Ok(SubprocessExecutor {
            ruff,
            scratch,
            iteration_symbol,
            perf_map: false,
        })
    }

    /// Has every `ruff bench` write its perf map (`--perf-map`).
    pub fn with_perf_map(mut self, on: bool) -> SubprocessExecutor {
        self.perf_map = on;
        self
    }

    fn command(&self, request: &Request, records: &Path, callgrind_out: &Path) -> Command {
        let mut cmd = match request.measure {
            Measure::Wall => Command::new(&self.ruff),
            Measure::Instructions => {
                let mut c = Command::new("valgrind");
                c.arg("--tool=callgrind")
                    .arg(format!("--callgrind-out-file={}", callgrind_out.display()))
                    .arg("--dump-instr=no");
                for pattern in self.iteration_symbol.split(',').filter(|p| !p.is_empty()) {
                    c.arg(format!("--dump-before={pattern}"))
                        .arg(format!("--dump-after={pattern}"));
                }
                c.arg(&self.ruff);
                c
            }
        };
        cmd.arg("bench")
            .arg(&request.benchmark.path)
            .arg("--config")
            .arg(request.config);
        match request.until_stable {
            None => cmd.arg("--iterations").arg(request.iterations.to_string()),
            Some(k) => cmd
                .arg("--until-stable")
                .arg(k.to_string())
                .arg("--max-iterations")
                .arg(request.iterations.to_string())
                .arg("--max-time")
                .arg(format!("{:.3}", request.timeout.as_secs_f64() / 2.0)),
        };
        cmd.arg("--records").arg(records);
        if self.perf_map {
            cmd.arg("--perf-map");
        }
        if !request.benchmark.args.is_empty() {
            cmd.arg("--").args(&request.benchmark.args);
        }
        cmd
    }
}

impl Executor for SubprocessExecutor {
    fn describe(&self) -> String {
        format!("subprocess: {} bench", self.ruff.display())
    }

    fn execute(&mut self, request: &Request) -> Result<RawOutcome> {
        let dir = self.scratch.path();
        let records = dir.join("records.jsonl");
        let stdout_path = dir.join("stdout");
        let stderr_path = dir.join("stderr");
        let callgrind_out = dir.join("callgrind.out");
        clear_scratch(dir)?;
        let mut cmd = self.command(request, &records, &callgrind_out);
        cmd.stdin(Stdio::null())
            .stdout(File::create(&stdout_path).context("scratch stdout")?)
            .stderr(File::create(&stderr_path).context("scratch stderr")?);

        let started = Instant::now();
        let child = cmd
            .spawn()
            .with_context(|| format!("cannot start {:?} (set --ruff PATH)", cmd.get_program()))?;
        let (exit, max_rss_kb) = wait_with_timeout(child.id() as libc::pid_t, request.timeout)?;
        let elapsed_ns = started.elapsed().as_nanos() as u64;

        let mut note = None;
        let text = fs::read_to_string(&records).unwrap_or_default();
        let mut iterations = Vec::new();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            match parse_record(line) {
                Ok(it) => iterations.push(it),
                Err(e) => {
                    note.get_or_insert(format!("bad record from ruff bench: {e:#}"));
                }
            }
        }
        if request.measure == Measure::Instructions && exit == Exit::Code(0) && note.is_none() {
            if let Err(e) = attach_instructions(dir, &mut iterations, &self.iteration_symbol) {
                note = Some(format!("{e:#}"));
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

pub(crate) fn clear_scratch(dir: &Path) -> Result<()> {
    for entry in fs::read_dir(dir).context("scratch folder")? {
        let path = entry?.path();
        fs::remove_file(&path).with_context(|| format!("cannot clear {}", path.display()))?;
    }
    Ok(())
}

/// Waits for `pid`, killing it with SIGKILL past `timeout`. A helper thread blocks in
/// `wait4` (so the end of the process is seen at once, with no polling latency) while this
/// thread waits for its answer up to the timeout.
pub(crate) fn wait_with_timeout(
    pid: libc::pid_t,
    timeout: Duration,
) -> Result<(Exit, Option<u64>)> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let result = loop {
            let mut status: libc::c_int = 0;
            // SAFETY: rusage is plain old data, valid when zeroed.
            let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
            // SAFETY: `pid` is our own unreaped child; `status` and `usage` are valid for writes.
            let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
            if r == pid {
                break Ok((status, u64::try_from(usage.ru_maxrss).ok()));
            }
            let err = std::io::Error::last_os_error();
            if err.kind() != std::io::ErrorKind::Interrupted {
                break Err(err);
            }
        };
        let _ = tx.send(result);
    });
    // Wait in short slices so that SIGINT/SIGTERM to the harness ends the invocation at once
    // (the runner then discards it; see `crate::interrupt`).
    let deadline = Instant::now() + timeout;
    let (result, timed_out) = loop {
        let slice = deadline
            .saturating_duration_since(Instant::now())
            .min(Duration::from_millis(50));
        match rx.recv_timeout(slice) {
            Ok(r) => break (r, false),
            Err(_) if Instant::now() < deadline && crate::interrupt::requested().is_none() => {}
            Err(_) => {
                // SAFETY: kill takes no pointers. The waiter had not reaped the child when
                // the timeout passed (or the harness was interrupted); should it reap it in
                // this very instant, the pid would have to be reused within microseconds for
                // the signal to reach another process.
                unsafe { libc::kill(pid, libc::SIGKILL) };
                let interrupted = crate::interrupt::requested().is_some();
                break (rx.recv().context("wait4 helper thread")?, !interrupted);
            }
        }
    };
    let (status, rss) = result.context("wait4 on the benchmark process")?;
    let exit = if timed_out {
        Exit::TimedOut
    } else if libc::WIFSIGNALED(status) {
        Exit::Signal(libc::WTERMSIG(status))
    } else {
        Exit::Code(libc::WEXITSTATUS(status))
    };
    Ok((exit, rss))
}

/// Reads callgrind's dumps `callgrind.out.K` and assigns to each iteration the instructions
/// of the dump taken when its entry function returned (see the module header).
fn attach_instructions(dir: &Path, iterations: &mut [Iteration], symbol: &str) -> Result<()> {
    let mut ends: Vec<(u32, u64)> = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let Some(k) = name
            .strip_prefix("callgrind.out.")
            .and_then(|k| k.parse::<u32>().ok())
        else {
            continue;
        };
        let text = fs::read_to_string(&path)?;
        let at_end = text
            .lines()
            .any(|l| l.starts_with("desc: Trigger: --dump-after="));
        let total = text
            .lines()
            .find_map(|l| {
                l.strip_prefix("summary:")
                    .or_else(|| l.strip_prefix("totals:"))
            })
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok());
        if let (true, Some(total)) = (at_end, total) {
            ends.push((k, total));
        }
    }
    ends.sort_unstable();
    if ends.len() != iterations.len() {
        anyhow::bail!(
            "callgrind saw {} iteration ends for {} iterations: does `ruff bench` run each \
             iteration through a function matching '{symbol}'? (see --iteration-symbol)",
            ends.len(),
            iterations.len()
        );
    }
    for (it, (_, count)) in iterations.iter_mut().zip(ends) {
        it.instructions = Some(count);
    }
    Ok(())
}
