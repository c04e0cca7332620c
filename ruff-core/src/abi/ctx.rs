//! The calling convention of compiled code and the run-time limits it relies on.
//!
//! `entry(ctx, regs, entry_pc) -> status`, `extern "C"`:
//! - `ctx`: the `JitCtx` inside the running VM (stable address for the whole run).
//! - `regs`: pointer to `R[0]` of the frame on the VM's value stack; `R[-1]` holds the
//!   running closure. The value stack never moves, so the pointer stays valid across calls.
//! - `entry_pc`: 0 to start the function, the pc of a loop header listed in
//!   `CompiledCode::entry_pcs` (OSR entry; every register is then read from the frame), or
//!   `DIRECT_ENTRY` for a call made by compiled code (the callee's locals are not yet unbound).
//! - returns a `Status` code: `Return` (the result is in `ctx.ret`), `Deopt` (every live
//!   value has been written back into the frame and `ctx.resume_pc` says where the
//!   interpreter goes on) or `Error` (the VM's pending error is set; the trace is being built
//!   while unwinding).

use crate::value::Value;
use crate::vm::Vm;

/// Slots in the VM's value stack (16 bytes each: 64 MiB of address space, touched lazily).
/// Compiled code calls compiled callees without a stack check only if `MAX_DEPTH + 2` frames
/// of the program's largest prototype fit.
pub const STACK_SLOTS: usize = 1 << 22;

/// Most Ruff calls active at once (LANGUAGE-DETAILS §6); the call that would make it
/// `MAX_DEPTH + 1` fails with `stack overflow`.
pub const MAX_DEPTH: u32 = 10_000;

/// `entry_pc` of a direct call from compiled code (never a real pc).
pub const DIRECT_ENTRY: u32 = u32::MAX;

/// State shared between the VM and compiled code, at fixed offsets (`repr(C)`; see
/// `layout::CTX_*`).
#[repr(C)]
pub struct JitCtx {
    /// The owning VM, for the runtime helpers (compiled code never reads it).
    pub(crate) vm: *mut Vm,
    /// The return value of the compiled function that just returned `Status::Return`.
    pub ret: Value,
    /// Where the interpreter resumes after `Status::Deopt`.
    pub resume_pc: u32,
    /// Ruff calls active right now (interpreted and compiled); `MAX_DEPTH` is the limit.
    pub depth: u32,
    /// The `DeoptReason` code of the last side exit, when the tier records it (`--events`:
    /// compiled code stores it before returning `Status::Deopt`); `NO_REASON` otherwise.
    pub deopt_reason: u32,
    /// Sampling profiler ticks compiled code took at a loop back-edge (code made while
    /// profiling; `sampler`), not yet recorded: the VM records them at its next check, with
    /// the location below. Compiled code writes these without calling anything, so the
    /// check costs a hot loop no register spills.
    pub sample_weight: u32,
    /// The back-edge pc of the last such take.
    pub sample_pc: u32,
    /// `R[0]` of the frame that took it.
    pub sample_regs: *mut Value,
    /// Its prototype (a compile-time constant of the code; the program keeps it alive).
    pub sample_proto: *const crate::bytecode::FuncProto,
}

/// `JitCtx::deopt_reason` when no reason was recorded.
pub const NO_REASON: u32 = u32::MAX;

impl JitCtx {
    /// A context not yet attached to a VM.
    pub(crate) fn detached() -> JitCtx {
        JitCtx {
            vm: std::ptr::null_mut(),
            ret: Value::Null,
            resume_pc: 0,
            depth: 0,
            deopt_reason: NO_REASON,
            sample_weight: 0,
            sample_pc: 0,
            sample_regs: std::ptr::null_mut(),
            sample_proto: std::ptr::null(),
        }
    }
}

/// Signature of compiled code (see the module docs).
pub type JitEntry = unsafe extern "C" fn(ctx: *mut JitCtx, regs: *mut Value, entry_pc: u32) -> u32;

/// What compiled code returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Status {
    Return = 0,
    Deopt = 1,
    Error = 2,
}

impl Status {
    /// The code compiled code returns for this status.
    #[inline]
    pub const fn code(self) -> u32 {
        self as u32
    }

    /// The status a code stands for (anything unknown counts as an error: the contract
    /// allows no other value).
    #[inline]
    pub const fn from_code(code: u32) -> Status {
        match code {
            0 => Status::Return,
            1 => Status::Deopt,
            _ => Status::Error,
        }
    }
}

/// Why compiled code left for the interpreter (`--trace-jit` prints it; compiled code passes
/// the code to `helpers::Helper::TraceDeopt`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum DeoptReason {
    /// A type guard on an operand failed.
    Guard = 0,
    /// A guard hoisted to a loop pre-header or the function entry failed.
    HoistedGuard = 1,
    /// A register an OSR entry keeps unboxed did not hold the expected type.
    OsrEntry = 2,
    /// Integer division by zero: the interpreter raises the error.
    Division = 3,
    /// A shift count outside 0..63: the interpreter raises the error.
    Shift = 4,
    /// The instruction never ran before compilation (no feedback): recompile later.
    NoFeedback = 5,
}

impl DeoptReason {
    pub const ALL: [DeoptReason; 6] = [
        DeoptReason::Guard,
        DeoptReason::HoistedGuard,
        DeoptReason::OsrEntry,
        DeoptReason::Division,
        DeoptReason::Shift,
        DeoptReason::NoFeedback,
    ];

    #[inline]
    pub const fn code(self) -> u32 {
        self as u32
    }

    pub fn from_code(code: u32) -> Option<DeoptReason> {
        DeoptReason::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The words `--trace-jit` prints.
    pub fn describe(self) -> &'static str {
        match self {
            DeoptReason::Guard => "type guard failed",
            DeoptReason::HoistedGuard => "hoisted type guard failed",
            DeoptReason::OsrEntry => "OSR entry guard failed",
            DeoptReason::Division => "integer division by zero / overflow check",
            DeoptReason::Shift => "shift count out of range",
            DeoptReason::NoFeedback => "instruction never ran before compilation (no feedback)",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for r in DeoptReason::ALL {
            assert_eq!(DeoptReason::from_code(r.code()), Some(r));
        }
        assert_eq!(DeoptReason::from_code(99), None);
        for s in [Status::Return, Status::Deopt, Status::Error] {
            assert_eq!(Status::from_code(s.code()), s);
        }
    }
}
