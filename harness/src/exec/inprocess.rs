//! The in-process executor: runs a benchmark inside the harness through `ruff_core`'s public
//! engine API (`Engine::load`, `run_main`, `call_global("run")`, `stats`), following the
//! `ruff bench` protocol (docs/DESIGN.md) without spawning a process.
//!
//! Limits, by design:
//! - Interpreter configs only (`interp`, `interp-prof`; the plan rejects others). The JIT
//!   tier lives in `ruff-jit`, and the harness depends on `ruff-core` alone (ARCHITECTURE §1:
//!   the harness uses the public engine API and the `ruff` binary); JIT configs are measured
//!   through the `ruff` binary by the subprocess executor.
//! - Invocations share the harness process (allocator state, caches, page faults already
//!   taken), so they are less independent than processes: use it for quick interpreter
//!   experiments and to cross-check the subprocess numbers, not for published results.
//! - A thread cannot be killed: the timeout is checked between iterations (an iteration that
//!   never ends hangs the harness). A panic in the engine is reported as a `crash`.
//!
//! Each invocation runs on a fresh thread with a 1 GiB stack, as `ruff` itself does, so deep
//! recursion behaves the same.

use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;
use std::time::Instant;

use anyhow::{anyhow, Result};
use ruff_core::stability::is_stable;
use ruff_core::{Config, Engine};

use super::{Executor, Exit, Iteration, RawOutcome, Request};

/// Stack of the engine thread (the same as the `ruff` binary's).
const ENGINE_STACK_BYTES: usize = 1 << 30;

/// Interpreter-only in-process executor (see the module header).
#[derive(Default)]
pub struct InProcessExecutor;

/// Program output captured in memory.
#[derive(Clone, Default)]
struct Captured(Rc<RefCell<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Executor for InProcessExecutor {
    fn describe(&self) -> String {
        "in-process (ruff_core::Engine, interpreter only)".to_string()
    }

    fn execute(&mut self, request: &Request) -> Result<RawOutcome> {
        let config = Config::parse(request.config).map_err(|e| anyhow!("{e}"))?;
        let path = request.benchmark.path.clone();
        let iterations = request.iterations.max(1);
        let until_stable = request.until_stable;
        let timeout = request.timeout;
        let started = Instant::now();
        let handle = std::thread::Builder::new()
            .name("ruff-engine".into())
            .stack_size(ENGINE_STACK_BYTES)
            .spawn(move || run_invocation(config, &path, iterations, until_stable, timeout))?;
        let mut raw = handle.join().unwrap_or_else(|_| RawOutcome {
            exit: Exit::Signal(libc::SIGABRT),
            stdout: Vec::new(),
            stderr: b"the engine panicked".to_vec(),
            iterations: Vec::new(),
            max_rss_kb: None,
            elapsed_ns: 0,
            note: None,
        });
        raw.elapsed_ns = started.elapsed().as_nanos() as u64;
        Ok(raw)
    }
}

fn run_invocation(
    config: Config,
    path: &std::path::Path,
    iterations: u32,
    until_stable: Option<u32>,
    timeout: std::time::Duration,
) -> RawOutcome {
    let started = Instant::now();
    let out = Captured::default();
    let mut raw = RawOutcome {
        exit: Exit::Code(0),
        stdout: Vec::new(),
        stderr: Vec::new(),
        iterations: Vec::new(),
        max_rss_kb: None,
        elapsed_ns: 0,
        note: None,
    };
    let source = match ruff_core::source::read_source(path) {
        Ok(s) => s,
        Err(message) => {
            raw.exit = Exit::Code(64);
            raw.stderr = message.into_bytes();
            return raw;
        }
    };
    let mut engine = Engine::new(config);
    engine.set_output(Box::new(out.clone()));
    let name = path.to_string_lossy();
    if let Err(e) = engine.load(&name, &source) {
        raw.exit = Exit::Code(e.exit_code());
        raw.stderr = engine.render_error(&e).into_bytes();
        return raw;
    }
    let mut has_run = false;
    // (wall_ns, compiled or deoptimized) of iterations 1.., for the until-stable rule.
    let mut history: Vec<(u64, bool)> = Vec::new();
    for i in 0..iterations {
        if i > 0 && (!has_run || started.elapsed() > timeout) {
            if has_run {
                raw.exit = Exit::TimedOut;
            }
            break;
        }
        if let Some(k) = until_stable {
            // As `ruff bench --until-stable K --max-time timeout/2`.
            if i > 0 && (is_stable(&history, k as usize) || started.elapsed() > timeout / 2) {
                break;
            }
        }
        let before = engine.stats();
        let bytes_before = out.0.borrow().len();
        let t0 = Instant::now();
        let result = if i == 0 {
            engine.run_main()
        } else {
            engine.call_global("run", &[]).map(|_| ())
        };
        let wall_ns = t0.elapsed().as_nanos() as u64;
        if let Err(e) = result {
            raw.exit = Exit::Code(e.exit_code());
            raw.stderr = engine.render_error(&e).into_bytes();
            break;
        }
        if i == 0 {
            has_run = engine.has_function("run", 0);
        }
        let delta = engine.stats().delta(&before);
        if i > 0 {
            let event = delta.functions_compiled + delta.loops_compiled + delta.deopts > 0;
            history.push((wall_ns, event));
        }
        raw.iterations.push(Iteration {
            iteration: i,
            wall_ns,
            stdout_bytes: Some((out.0.borrow().len() - bytes_before) as u64),
            instructions: None,
            engine: delta,
        });
    }
    raw.stdout = std::mem::take(&mut *out.0.borrow_mut());
    raw
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::{verify, Measure, Status};
    use crate::manifest::{Benchmark, Expected};

    #[test]
    fn runs_the_bench_protocol_in_process() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.ruff");
        std::fs::write(&path, "func run() { print(\"Result:\", 6 * 7) }\nrun()\n").unwrap();
        let bench = Benchmark::new("b", path, Expected::Result("42".into()));
        let req = Request {
            suite: "s",
            benchmark: &bench,
            config: "interp",
            invocation: 0,
            iterations: 3,
            until_stable: None,
            timeout: std::time::Duration::from_secs(10),
            measure: Measure::Wall,
        };
        let outcome = verify::judge(&req, InProcessExecutor.execute(&req).unwrap());
        assert_eq!(outcome.status, Status::Ok, "{}", outcome.message);
        assert_eq!(outcome.iterations.len(), 3);
    }
}
