//! The in-process executor: runs a benchmark inside the harness through `ruff_core`'s public
//! engine API, without spawning a process. It supports the interpreter configs only
//! (`interp`, `interp-prof`): the JIT tier lives in `ruff-jit`, and the harness depends on
//! `ruff-core` alone (ARCHITECTURE §1: the harness uses the public engine API and the `ruff`
//! binary). Invocations share the harness process, so they are not isolated from each other
//! (allocator state, caches); use it for quick interpreter experiments, not for results.
//!
//! Status: `ruff_core::Engine` does not yet expose a run/bench entry point in this workspace,
//! so this executor reports every invocation as an `error` explaining that, and the plan
//! refuses JIT configs for it.

use anyhow::Result;

use super::{Executor, Exit, RawOutcome, Request};

/// Interpreter-only in-process executor (see the module header).
#[derive(Default)]
pub struct InProcessExecutor;

impl Executor for InProcessExecutor {
    fn describe(&self) -> String {
        "in-process (ruff_core::Engine, interpreter only)".to_string()
    }

    fn execute(&mut self, _request: &Request) -> Result<RawOutcome> {
        Ok(RawOutcome {
            exit: Exit::Code(0),
            stdout: Vec::new(),
            stderr: Vec::new(),
            iterations: Vec::new(),
            max_rss_kb: None,
            elapsed_ns: 0,
            note: Some("in-process executor: ruff_core::Engine has no bench entry point yet".into()),
        })
    }
}
