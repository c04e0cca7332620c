//! The Cranelift tier of Ruff: compiles hot bytecode functions to native code
//! (ARCHITECTURE §3–§4, docs/DESIGN.md "Compiled code").
//!
//! `new_tier` is the only entry point the engine needs: it returns a `CompileTier` that the
//! VM asks to compile hot functions and loops (OSR).

use ruff_core::tier::{CompileRequest, CompileTier, CompiledCode};

/// Debug switches of the tier (`--dump-clif`, `--trace-jit`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JitOptions {
    /// Print the CLIF of each compiled function to stderr.
    pub dump_clif: bool,
    /// Print what compiled, when, its size, why it failed, and each deopt to stderr.
    pub trace: bool,
}

struct Stub;

impl CompileTier for Stub {
    fn compile(&mut self, _req: &CompileRequest<'_>) -> Result<CompiledCode, String> {
        Err("not yet".to_string())
    }
}

/// Creates the Cranelift tier for `config` (its preset decides baseline vs specialized code).
pub fn new_tier(config: &ruff_core::Config, options: JitOptions) -> Box<dyn CompileTier> {
    let _ = (config, options);
    Box::new(Stub)
}
