//! What each instruction reads, writes, jumps to and refers to: the facts the verifier, the
//! JIT's planner (liveness, speculation) and the disassembler need, in one place.
//!
//! Operator instructions are taken apart with `Instr::as_binary`/`as_unary` (ops.rs), so
//! nothing here lists them one by one.

use super::{any_operator, FuncProto, Instr, Reg, UpvalDesc};
use crate::value::{Scalar, Value};

/// Registers `start..start + count`. Register arithmetic here saturates: in malformed
/// bytecode (which the verifier rejects, and which its tests build) a register past the
/// last one comes out as `Reg::MAX`, which no frame has, instead of wrapping to a valid one.
fn window(start: Reg, count: usize) -> impl Iterator<Item = Reg> {
    (0..count).map(move |i| off(start, i))
}

/// `r + n`, saturating (see `window`).
#[inline]
fn off(r: Reg, n: usize) -> Reg {
    Reg::try_from(r as usize + n).unwrap_or(Reg::MAX)
}

/// An index an instruction holds into one of the tables beside the code: its function's
/// constant pool, name table, upvalues, child prototypes or struct literals, or the
/// program's global slots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolRef {
    /// `FuncProto::consts`
    Const(u32),
    /// `FuncProto::names`
    Name(u16),
    /// `Program::global_names` (the VM's global slots)
    Global(u32),
    /// `FuncProto::upvals` (the running closure's upvalues)
    Upval(u16),
    /// `FuncProto::children`
    Child(u16),
    /// `FuncProto::struct_lits`
    StructLit(u16),
}

impl Instr {
    /// The registers the instruction may read (conservative: every register any path of it
    /// reads). `proto` is the function it belongs to (closures and struct literals read as
    /// many registers as their descriptors say).
    pub fn reads(&self, proto: &FuncProto) -> Vec<Reg> {
        use Instr::*;
        if let Some((_, _, a, b)) = self.as_binary() {
            return vec![a, b];
        }
        if let Some((_, _, src)) = self.as_unary() {
            return vec![src];
        }
        match *self {
            LoadConst { .. } | LoadInt { .. } | LoadBool { .. } | LoadNull { .. } => vec![],
            GetGlobal { .. } | GetUpval { .. } | Jump { .. } | LoopBack { .. } | ReturnNull => {
                vec![]
            }
            Move { src, .. }
            | DefGlobal { src, .. }
            | SetGlobal { src, .. }
            | SetUpval { src, .. } => {
                vec![src]
            }
            CheckDef { reg, .. } | NewCell { reg } | CheckMethod { obj: reg, .. } => vec![reg],
            GetCell { cell, .. } => vec![cell],
            SetCell { cell, src } => vec![cell, src],
            AddImm { a, .. } | BinaryK { a, .. } => vec![a],
            JumpIfFalse { cond, .. } | JumpIfTrue { cond, .. } => vec![cond],
            IterPrep { iter } => vec![iter],
            RangePrep { iter, argc } => window(iter, argc as usize + 1).collect(),
            IterNext { iter, .. } => window(iter, 3).collect(),
            Call { base, argc } => window(base, argc as usize + 1).collect(),
            CallMethod { base, argc, .. } => window(off(base, 1), argc as usize + 1).collect(),
            Return { src } => vec![src],
            MakeClosure { proto: child, .. } => proto
                .children
                .get(child as usize)
                .map(|c| {
                    c.upvals
                        .iter()
                        .filter_map(|u| match u {
                            UpvalDesc::ParentReg(r) => Some(*r),
                            UpvalDesc::ParentUpval(_) => None,
                        })
                        .collect()
                })
                .unwrap_or_default(),
            NewArray { start, count, .. } | Concat { start, count, .. } => {
                window(start, count as usize).collect()
            }
            NewDict { start, count, .. } => window(start, 2 * count as usize).collect(),
            NewStruct { lit, start, .. } => {
                let fields = proto.struct_lits.get(lit as usize);
                window(start, fields.map_or(0, |l| l.field_slots.len())).collect()
            }
            GetIndex { obj, idx, .. } => vec![obj, idx],
            SetIndex { obj, idx, src } => vec![obj, idx, src],
            GetField { obj, .. } => vec![obj],
            SetField { obj, src, .. } => vec![obj, src],
            any_operator!() => unreachable!("operators are handled above"),
        }
    }

    /// The registers the instruction always writes when it completes (what kills liveness).
    /// `IterNext` writes `dst` only when it does not exit, so it is not listed; a call's
    /// callee frame overlaps the registers above its arguments, see `clobbers`.
    pub fn writes(&self) -> Vec<Reg> {
        use Instr::*;
        if let Some((_, dst, _, _)) = self.as_binary() {
            return vec![dst];
        }
        if let Some((_, dst, _)) = self.as_unary() {
            return vec![dst];
        }
        match *self {
            LoadConst { dst, .. }
            | LoadInt { dst, .. }
            | LoadBool { dst, .. }
            | LoadNull { dst }
            | Move { dst, .. }
            | GetGlobal { dst, .. }
            | GetCell { dst, .. }
            | GetUpval { dst, .. }
            | AddImm { dst, .. }
            | BinaryK { dst, .. }
            | MakeClosure { dst, .. }
            | NewArray { dst, .. }
            | NewDict { dst, .. }
            | NewStruct { dst, .. }
            | Concat { dst, .. }
            | GetIndex { dst, .. }
            | GetField { dst, .. } => vec![dst],
            // The register's value becomes a Cell holding it.
            NewCell { reg } => vec![reg],
            IterPrep { iter } | RangePrep { iter, .. } => window(iter, 3).collect(),
            Call { base, .. } | CallMethod { base, .. } => vec![base],
            CheckDef { .. }
            | DefGlobal { .. }
            | SetGlobal { .. }
            | SetCell { .. }
            | SetUpval { .. }
            | Jump { .. }
            | LoopBack { .. }
            | JumpIfFalse { .. }
            | JumpIfTrue { .. }
            | IterNext { .. }
            | CheckMethod { .. }
            | Return { .. }
            | ReturnNull
            | SetIndex { .. }
            | SetField { .. } => vec![],
            any_operator!() => unreachable!("operators are handled above"),
        }
    }

    /// The registers whose value may differ after the instruction: `writes`, plus
    /// `RangePrep`'s argument registers (a rebound `range` is called on them, and the
    /// callee's frame starts there).
    pub fn clobbers(&self) -> Vec<Reg> {
        match *self {
            Instr::RangePrep { iter, argc } => window(iter, 3 + argc as usize).collect(),
            ref i => i.writes(),
        }
    }

    /// Registers outside the usual operand fields that the instruction uses: the call
    /// window up to the register reserved past the arguments (a bound method's receiver is
    /// inserted there) and the loop state. The verifier checks they fit the frame.
    pub fn highest_register(&self, proto: &FuncProto) -> Option<Reg> {
        let named = self.reads(proto).into_iter().chain(self.writes()).max();
        let window = match *self {
            Instr::Call { base, argc } => Some(off(base, argc as usize + 1)),
            Instr::CallMethod { base, argc, .. } => Some(off(base, argc as usize + 2)),
            Instr::IterNext { iter, dst, .. } => Some(off(iter, 2).max(dst)),
            // The state, or a rebound `range`'s call window with its reserved register.
            Instr::RangePrep { iter, argc } => Some(off(iter, 2).max(off(iter, argc as usize + 1))),
            _ => None,
        };
        named.max(window)
    }

    /// The jump target (`Jump`, `LoopBack`, the conditional jumps, `IterNext`'s exit).
    pub const fn jump_target(&self) -> Option<u32> {
        match *self {
            Instr::Jump { target }
            | Instr::LoopBack { target }
            | Instr::JumpIfFalse { target, .. }
            | Instr::JumpIfTrue { target, .. }
            | Instr::IterNext { exit: target, .. } => Some(target),
            _ => None,
        }
    }

    /// The indices the instruction holds into its function's tables and the global slots
    /// (what the verifier bounds-checks).
    pub fn pool_refs(&self) -> Vec<PoolRef> {
        use Instr::*;
        use PoolRef as P;
        match *self {
            LoadConst { k, .. } => vec![P::Const(k)],
            BinaryK { k, .. } => vec![P::Const(k as u32)],
            CheckDef { name, .. }
            | GetCell { name, .. }
            | CheckMethod { name, .. }
            | GetField { name, .. }
            | SetField { name, .. }
            | CallMethod { name, .. } => vec![P::Name(name)],
            GetGlobal { g, .. } | DefGlobal { g, .. } | SetGlobal { g, .. } => vec![P::Global(g)],
            GetUpval { idx, name, .. } => vec![P::Upval(idx), P::Name(name)],
            SetUpval { idx, .. } => vec![P::Upval(idx)],
            MakeClosure { proto, .. } => vec![P::Child(proto)],
            NewStruct { lit, .. } => vec![P::StructLit(lit)],
            _ => vec![],
        }
    }

    /// True for the instructions that end a function (control never falls through them).
    pub const fn returns(&self) -> bool {
        matches!(self, Instr::Return { .. } | Instr::ReturnNull)
    }

    /// Where control goes after the instruction at `pc`: `(fallthrough, branch target)`.
    pub const fn successors(&self, pc: u32) -> (Option<u32>, Option<u32>) {
        match *self {
            Instr::Jump { target } | Instr::LoopBack { target } => (None, Some(target)),
            Instr::Return { .. } | Instr::ReturnNull => (None, None),
            ref i => (Some(pc + 1), i.jump_target()),
        }
    }

    /// The registers whose tags the instruction's feedback word records: its first and
    /// second operand (see `profile.rs`). `None` for instructions without feedback.
    pub fn feedback_operands(&self) -> (Option<Reg>, Option<Reg>) {
        use Instr::*;
        if let Some((_, _, a, b)) = self.as_binary() {
            return (Some(a), Some(b));
        }
        match *self {
            AddImm { a, .. } | BinaryK { a, .. } => (Some(a), None),
            // `Truthy` records nothing: its operand is whatever `&&`/`||` produced.
            Truthy { .. } => (None, None),
            Neg { src, .. } | Not { src, .. } | BitNot { src, .. } => (Some(src), None),
            JumpIfFalse { cond, .. } | JumpIfTrue { cond, .. } => (Some(cond), None),
            IterNext { iter, .. } => (Some(iter), None),
            GetIndex { obj, idx, .. } | SetIndex { obj, idx, .. } => (Some(obj), Some(idx)),
            _ => (None, None),
        }
    }

    /// True for instructions that record operand types under profiling.
    pub fn has_feedback(&self) -> bool {
        self.feedback_operands().0.is_some()
    }
}

impl FuncProto {
    /// Constant `k` if it is an Int, Float or Bool.
    pub fn scalar_const(&self, k: u32) -> Option<Scalar> {
        self.consts.get(k as usize).and_then(Value::scalar)
    }
}
