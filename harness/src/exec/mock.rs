//! A mock executor that returns scripted times (hyperfine's pattern): it produces the same
//! records and stdout a correct `ruff bench` would, from a function of (benchmark, config,
//! invocation, iteration), and can be told to make chosen invocations fail. Scheduling,
//! verification, statistics, export and resume are thereby tested deterministically and fast.

use std::collections::HashMap;

use anyhow::Result;

use super::{Executor, Exit, Iteration, RawOutcome, Request};
use crate::manifest::Expected;

/// A failure to script for one invocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MockFailure {
    /// Print a wrong answer in the last iteration.
    WrongOutput,
    /// Exit with code 70 after one iteration.
    Error,
    /// Be killed at the timeout after one iteration.
    Timeout,
    /// Die of SIGSEGV after one iteration.
    Crash,
}

type TimeFn = Box<dyn FnMut(&Request, u32) -> u64>;

/// Scripted executor. `calls` records every request in order, for scheduling tests.
pub struct MockExecutor {
    time: TimeFn,
    failures: HashMap<(String, String, u32), MockFailure>,
    pub calls: Vec<(String, String, u32)>,
}

impl MockExecutor {
    /// `time(request, iteration)` gives the wall ns of that iteration.
    pub fn new(time: impl FnMut(&Request, u32) -> u64 + 'static) -> MockExecutor {
        MockExecutor {
            time: Box::new(time),
            failures: HashMap::new(),
            calls: Vec::new(),
        }
    }

    /// Makes invocation `invocation` of `benchmark` under `config` fail.
    pub fn fail(
        mut self,
        benchmark: &str,
        config: &str,
        invocation: u32,
        how: MockFailure,
    ) -> Self {
        self.failures
            .insert((benchmark.into(), config.into(), invocation), how);
        self
    }
}

impl Executor for MockExecutor {
    /// Scripted times: the machine's load has nothing to do with them (and tests stay
    /// deterministic).
    fn measures_machine(&self) -> bool {
        false
    }

    fn describe(&self) -> String {
        "mock".to_string()
    }

    fn execute(&mut self, request: &Request) -> Result<RawOutcome> {
        let key = (
            request.benchmark.name.clone(),
            request.config.to_string(),
            request.invocation,
        );
        self.calls.push(key.clone());
        let failure = self.failures.get(&key).copied();
        let n = match failure {
            None | Some(MockFailure::WrongOutput) => request.iterations,
            Some(_) => 1,
        };
        let mut stdout = Vec::new();
        let mut iterations = Vec::new();
        for i in 0..n {
            let mut text = match &request.benchmark.expected {
                Expected::Result(v) => format!("Result: {v}\n"),
                Expected::Stdout(s) => s.clone(),
            };
            if failure == Some(MockFailure::WrongOutput) && i + 1 == n {
                text = "Result: wrong\n".to_string();
            }
            iterations.push(Iteration {
                iteration: i,
                wall_ns: (self.time)(request, i),
                stdout_bytes: Some(text.len() as u64),
                instructions: None,
                engine: ruff_core::Stats {
                    deopts: u64::from(i == 0),
                    ..Default::default()
                },
            });
            stdout.extend_from_slice(text.as_bytes());
        }
        let exit = match failure {
            Some(MockFailure::Error) => Exit::Code(70),
            Some(MockFailure::Timeout) => Exit::TimedOut,
            Some(MockFailure::Crash) => Exit::Signal(libc::SIGSEGV),
            _ => Exit::Code(0),
        };
        Ok(RawOutcome {
            exit,
            stdout,
            stderr: b"mock: runtime error\n".to_vec(),
            iterations,
            max_rss_kb: Some(1024),
            elapsed_ns: 1_000_000,
            note: None,
        })
    }
}
