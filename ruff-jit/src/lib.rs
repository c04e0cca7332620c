//! The Cranelift tier of Ruff: compiles hot bytecode functions to native code
//! (ARCHITECTURE §3–§4, docs/DESIGN.md "Compiled code").
//!
//! `new_tier` is the only entry point the engine needs: it returns a `CompileTier` that the
//! VM asks to compile hot functions and loops (OSR). The preset decides the code:
//! `jit` lowers every non-control instruction to a runtime helper (no speculation),
//! `jit-spec` specializes from type feedback behind tag guards with deoptimization, and
//! `jit-spec-hoist` also hoists loop-invariant guards to loop pre-headers and the entry.
//!
//! Modules: `tier` (the compile driver), `translate/` (bytecode -> CLIF: `plan/` decides,
//! `emit/` generates), `clif_dump` (a debug view; `--trace-jit`'s line per compile is the
//! VM's). Everything the tier knows
//! about the core comes from `ruff_core::abi` (layout, calling convention, runtime helpers,
//! the instruction set) and the engine API; `tests/core_boundary.rs` checks it.

// The unit tests include the integration tests' helpers, which name this crate `ruff_jit`.
#[cfg(test)]
extern crate self as ruff_jit;

mod clif_dump;
mod modules;
pub mod perf_map;
#[cfg(test)]
mod tests;
mod tier;
mod translate;

use ruff_core::abi::{CompileRequest, CompileTier, CompiledCode};

/// Debug and profiling switches of the tier (`--dump-clif`, `--trace-jit`, `--perf-map`,
/// `--events`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JitOptions {
    /// Print the CLIF of each compiled function to stderr.
    pub dump_clif: bool,
    /// Print the tier's setup time and each deopt of compiled code to stderr (the VM
    /// prints one line per compile).
    pub trace: bool,
    /// Write `/tmp/perf-PID.map` (`perf_map`): the file name its symbols carry.
    pub perf_map: Option<String>,
    /// Side exits store their `DeoptReason` in the context for the VM's deopt events.
    pub deopt_reasons: bool,
    /// Loop back-edges check the sampling profiler's ticks (`--profile`), so samples of
    /// long compiled loops land in the right function at the right time.
    pub sample_checks: bool,
}

/// A tier for a host Cranelift cannot target: every compile fails with the reason.
struct Unavailable(String);

impl CompileTier for Unavailable {
    fn compile(&mut self, _req: &CompileRequest<'_>) -> Result<CompiledCode, String> {
        Err(self.0.clone())
    }
}

/// Creates the Cranelift tier for `config` (its preset decides baseline vs specialized code).
pub fn new_tier(config: &ruff_core::Config, options: JitOptions) -> Box<dyn CompileTier> {
    match tier::CraneliftTier::new(config, options) {
        Ok(t) => Box::new(t),
        Err(why) => Box::new(Unavailable(why)),
    }
}
