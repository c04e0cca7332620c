//! The binary interface between the core and compiled code: everything a compiling tier
//! (the `ruff-jit` crate) may know about the core, and nothing else.
//!
//! - `layout`: byte offsets of `Value`, `JitCtx`, closures, prototypes and arrays that
//!   machine code reads and writes, each checked against the real types (static assertions,
//!   or a run-time probe where Rust does not fix the layout);
//! - `shape`: where a struct instance keeps its definition and fields, found by a run-time
//!   probe, and the field a `GetField`/`SetField` site's inline cache resolved;
//! - `ctx`: the calling convention of compiled code (`JitCtx`, `JitEntry`, `Status`), deopt
//!   reasons, and the frame and stack limits it may rely on;
//! - `helpers`: the `extern "C"` runtime helpers compiled code calls, with their signatures;
//!   they run the VM's own instruction semantics, so both tiers behave alike by construction;
//! - `globals`: what a global held at compile time, for speculation;
//! - re-exports of what a tier reads to compile: the instruction set (`bytecode`), type
//!   feedback (`feedback`), builtin ids (`builtin`), value tags (`tag`) and the compile seam
//!   (`CompileTier` and its request).
//!
//! `ruff-jit` imports from the core only this module and the engine API (`Config`, `Engine`,
//! `Error`, `Stats`, `Value`); `ruff-jit/tests/core_boundary.rs` fails on any other import,
//! and the VM itself is private to the core.

mod ctx;
mod globals;
pub mod helpers;
pub mod layout;
pub mod shape;

pub use crate::tier::{CodeKind, CompileReason, CompileRequest, CompileTier, CompiledCode};
pub use crate::value::{tag, Value};
pub use ctx::{
    DeoptReason, JitCtx, JitEntry, Status, DIRECT_ENTRY, MAX_DEPTH, NO_REASON, STACK_SLOTS,
};
pub use globals::{GlobalHint, Globals, ProtoRef};

/// The instruction set a tier compiles (read only).
pub mod bytecode {
    pub use crate::bytecode::{
        verify, BinOp, Family, FuncProto, Instr, PoolRef, Program, Reg, Scalar, UnOp, UpvalDesc,
        VerifyError,
    };
}

/// The type feedback the profiling interpreter records, as a tier decodes it.
pub mod feedback {
    pub use crate::profile::{both_mono, lhs_bit, rhs_bit, seen_lhs, seen_rhs, FuncProfile, Seen};
}

/// Ids of the builtins compiled code recognises.
pub mod builtin {
    pub use crate::builtins::id::*;
}
