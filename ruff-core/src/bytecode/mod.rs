//! Compiled code: instructions, function prototypes and the whole compiled program.

pub mod disasm;
pub mod entry;
pub mod inline_cache;
mod operands;
pub mod operator;
pub mod ops;
pub mod verify;

use std::rc::{Rc, Weak};

pub use crate::value::Scalar;
pub use operands::PoolRef;
pub use operator::{BinOp, BinOpInfo, Family, UnOp};
pub(crate) use ops::{any_binary, any_operator};
pub use ops::{Instr, Reg, MAX_REGS};
pub use verify::{verify, VerifyError};

use crate::heap::StructDef;
use crate::span::Span;
use crate::value::Value;

/// How `MakeClosure` fills one upvalue of the new closure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpvalDesc {
    /// The Cell held in the creating function's register.
    ParentReg(Reg),
    /// The creating closure's own upvalue at this index.
    ParentUpval(u16),
}

/// A struct literal site: which struct, and for each written field (in written order) its
/// index in the struct's declaration order. Unwritten fields are null.
#[derive(Clone, Debug)]
pub struct StructLit {
    /// Weak because a method building its own struct would otherwise close a cycle (the
    /// definition holds its methods, their prototypes hold this literal) and every loaded
    /// program would leak it. `Program::structs` owns the definitions.
    pub def: Weak<StructDef>,
    pub field_slots: Vec<u16>,
}

/// One compiled function (or the top-level code, named `<main>`).
#[derive(Debug)]
pub struct FuncProto {
    /// Unique within a program; indexes `Program::protos` and per-function profiles.
    pub id: u32,
    /// Name in stack traces: the declared name, `<anonymous>`, `Struct.method` or `<main>`.
    pub trace_name: Rc<str>,
    /// Name in `<func NAME>` and arity messages: the declared name, the method name, or
    /// `anonymous`.
    pub display_name: Rc<str>,
    /// Number of parameters (for methods, including `self`).
    pub arity: u16,
    pub is_method: bool,
    pub is_anonymous: bool,
    /// Registers the frame needs (parameters, locals, temporaries).
    pub num_regs: u16,
    pub code: Vec<Instr>,
    /// Error position of each instruction (same length as `code`).
    pub spans: Vec<Span>,
    pub consts: Vec<Value>,
    pub names: Vec<Rc<str>>,
    pub upvals: Vec<UpvalDesc>,
    /// Prototypes created by this function's `MakeClosure` instructions.
    pub children: Vec<Rc<FuncProto>>,
    pub struct_lits: Vec<StructLit>,
    /// Member-access caches, one entry per instruction of `code` (see `inline_cache`).
    pub inline_caches: inline_cache::InlineCaches,
    /// The registers at or above `arity` that a call unbinds before the function runs: those
    /// some path reads before writing (`entry::unbound_at_entry`, checked by the verifier).
    pub unbound_at_entry: Vec<Reg>,
}

/// A compiled file, ready to run.
#[derive(Debug)]
pub struct Program {
    /// The top-level code.
    pub main: Rc<FuncProto>,
    /// Every prototype, indexed by `FuncProto::id` (main included).
    pub protos: Vec<Rc<FuncProto>>,
    /// Name of each global slot (builtins first, in `builtins::NAMES` order).
    pub global_names: Vec<Rc<str>>,
    pub structs: Vec<Rc<StructDef>>,
}
