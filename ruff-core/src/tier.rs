//! The seam between the interpreter and a compiling tier (ARCHITECTURE §1, §4).
//!
//! The VM asks a `CompileTier` to compile a hot function (or a function containing a hot
//! loop, for OSR) and receives native code plus what it needs to enter and leave it.
//!
//! ## Calling convention of compiled code
//! `entry(ctx, regs, entry_pc) -> status`, `extern "C"`:
//! - `ctx`: the `JitCtx` inside the running VM (stable address for the whole run).
//! - `regs`: pointer to `R[0]` of the frame on the VM's value stack. The value stack never
//!   moves, so the pointer stays valid across calls.
//! - `entry_pc`: 0 to start the function, or the pc of a loop header listed in
//!   `CompiledCode::entry_pcs` (OSR entry; every register is then read from the frame).
//! - returns `STATUS_RETURN` (the result is in `ctx.ret`), `STATUS_DEOPT` (every live value has
//!   been written back into the frame and `ctx.resume_pc` says where the interpreter goes on)
//!   or `STATUS_ERROR` (the VM's pending error is set; the trace is being built while
//!   unwinding).

use std::rc::Rc;

use crate::bytecode::{FuncProto, Program};
use crate::config::Config;
use crate::profile::FuncProfile;
use crate::value::Value;

pub const STATUS_RETURN: u32 = 0;
pub const STATUS_DEOPT: u32 = 1;
pub const STATUS_ERROR: u32 = 2;

/// State shared between the VM and compiled code, at fixed offsets (`repr(C)`).
#[repr(C)]
pub struct JitCtx {
    /// The owning VM (`*mut vm::Vm`), for runtime helpers.
    pub vm: *mut u8,
    /// The return value of the compiled function that just returned `STATUS_RETURN`.
    pub ret: Value,
    /// Where the interpreter resumes after `STATUS_DEOPT`.
    pub resume_pc: u32,
    /// Ruff calls active right now (interpreted and compiled); 10,000 is the limit.
    pub depth: u32,
}

/// Signature of compiled code (see the module docs).
pub type JitEntry = unsafe extern "C" fn(ctx: *mut JitCtx, regs: *mut Value, entry_pc: u32) -> u32;

/// What the VM asks for.
pub struct CompileRequest<'a> {
    pub program: &'a Program,
    pub proto: &'a Rc<FuncProto>,
    pub profile: &'a FuncProfile,
    pub config: &'a Config,
    /// Instruction indices where speculation must not be used (they deopted too often).
    pub no_speculation_at: &'a [u32],
    /// Why: `Call` (threshold reached) or `Osr { header_pc }`.
    pub reason: CompileReason,
    /// False for a function's last compile (`max-recompiles` reached): no speculation, no
    /// guards and no traps, so the code never deoptimizes and is never replaced.
    pub speculate: bool,
    /// Address of the VM's global slot 0 (the globals never move while the VM lives), or
    /// null when no VM is running (the tier then finds it at run time).
    pub globals: *const Value,
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
