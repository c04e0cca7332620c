//! The seam between the interpreter and a compiling tier (ARCHITECTURE §1, §4).
//!
//! The VM asks a `CompileTier` to compile a hot function (or a function containing a hot
//! loop, for OSR) and receives native code plus what it needs to enter and leave it. The
//! calling convention of that code, and everything else compiled code may rely on, is in
//! `abi`.

use std::rc::Rc;

use crate::abi::{Globals, JitEntry};
use crate::bytecode::{FuncProto, Program};
pub use crate::config::CodeKind;
use crate::profile::FuncProfile;

/// What the VM asks for.
pub struct CompileRequest<'a> {
    pub program: &'a Program,
    pub proto: &'a Rc<FuncProto>,
    pub profile: &'a FuncProfile,
    /// Which code to make (decided by the VM's tiering policy).
    pub kind: CodeKind,
    /// Instruction indices where speculation must not be used (they deopted too often).
    pub no_speculation_at: &'a [u32],
    /// Why: `Call` (threshold reached) or `Osr { header_pc }`.
    pub reason: CompileReason,
    /// The running VM's global slots (`None` when no VM is running, as in compile-only
    /// benchmarks: compiled code then reads globals through the generic path).
    pub globals: Option<Globals<'a>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompileReason {
    Call,
    Osr { header_pc: u32 },
}

/// Native code for one function, with metadata.
pub struct CompiledCode {
    pub entry: JitEntry,
    /// The pcs at which `entry` may be entered (0 and every loop header).
    pub entry_pcs: Vec<u32>,
    pub code_bytes: usize,
    pub guards_emitted: u32,
    pub compile_ns: u64,
}

/// A compiling tier (implemented by `ruff-jit`).
pub trait CompileTier {
    /// Compiles `req.proto`; `Err` carries the reason it cannot be compiled (the function then
    /// stays interpreted for good, and the stats count it).
    fn compile(&mut self, req: &CompileRequest<'_>) -> Result<CompiledCode, String>;
}
