//! The register-based instruction set.
//!
//! Every function runs in a window of registers `R[0..num_regs]` on the VM's value stack.
//! Parameters occupy `R[0..arity]` (for methods `R[0]` is `self`), then the other locals,
//! then temporaries. `K[k]` is the function's constant pool, `N[n]` its name table
//! (identifier strings for globals, fields, methods and error messages), `G[g]` the global
//! slots (builtins first, in `builtins::NAMES` order).
//!
//! Calls are Lua-style: the callee sits in `R[base]`, its arguments in `R[base+1..]`; the
//! callee's own register window starts at `R[base+1]`, so arguments become its parameters
//! without copying, and the result is written to `R[base]`.
//!
//! Each instruction has one entry in the function's span table (the error position used when
//! it raises). Jump targets are absolute instruction indices in the same function.
//! `LoopBack` is the only backward jump: it is where back-edges are counted and where OSR
//! enters compiled code (at `target`, the loop header).
//!
//! Instructions marked *(feedback)* record operand types in the profile under `interp-prof`
//! and the JIT configs; the JIT specializes them.

use super::operator::{BinOp, UnOp};

/// Register index within a frame.
pub type Reg = u16;

/// The most registers one frame may have (parameters, locals and temporaries together):
/// `num_regs` is a `u16`. A function needing more is a compile error (see `docs/LIMITS.md`).
pub const MAX_REGS: u32 = u16::MAX as u32;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Instr {
    // ---- loads and moves
    /// R[dst] = K[k]
    LoadConst { dst: Reg, k: u32 },
    /// R[dst] = Int(v)
    LoadInt { dst: Reg, v: i32 },
    /// R[dst] = Bool(v)
    LoadBool { dst: Reg, v: bool },
    /// R[dst] = Null
    LoadNull { dst: Reg },
    /// R[dst] = R[src]
    Move { dst: Reg, src: Reg },
    /// Runtime error `undefined variable 'N[name]'` if R[reg] is Undef (emitted only where the
    /// compiler cannot prove the local is assigned).
    CheckDef { reg: Reg, name: u16 },

    // ---- globals, captured variables
    /// R[dst] = G[g]; error `undefined variable 'x'` (x from `Program::global_names`) if unbound.
    GetGlobal { dst: Reg, g: u32 },
    /// G[g] = R[src] (`:=`, `let`, `const`, `func` at top level: defines or updates).
    DefGlobal { g: u32, src: Reg },
    /// G[g] = R[src], error `undefined variable` if G[g] is unbound (`=` / `op=`).
    SetGlobal { g: u32, src: Reg },
    /// R[reg] = a new Cell holding R[reg]'s current value (a captured local's box; emitted at
    /// function entry for captured parameters and before first binding for captured locals).
    NewCell { reg: Reg },
    /// R[dst] = contents of the Cell in R[cell]; error `undefined variable 'N[name]'` if Undef.
    GetCell { dst: Reg, cell: Reg, name: u16 },
    /// contents of the Cell in R[cell] = R[src]
    SetCell { cell: Reg, src: Reg },
    /// R[dst] = contents of this closure's upvalue `idx`; error `undefined variable 'N[name]'`
    /// if Undef.
    GetUpval { dst: Reg, idx: u16, name: u16 },
    /// this closure's upvalue `idx` = R[src]
    SetUpval { idx: u16, src: Reg },

    // ---- arithmetic and logic (feedback: both operand tags). The operators the interpreter
    // runs most (arithmetic, comparisons) have an opcode each, so each is one dispatch with
    // the operator fixed; the others share `Binary`, whose operator is a field.
    /// R[dst] = R[a] + R[b] (Int wraps; Float; Str/Array concatenation) *(feedback)*
    Add { dst: Reg, a: Reg, b: Reg },
    /// *(feedback)*
    Sub { dst: Reg, a: Reg, b: Reg },
    /// *(feedback)*
    Mul { dst: Reg, a: Reg, b: Reg },
    /// Int: truncating, `division by zero`, MIN / -1 = MIN. *(feedback)*
    Div { dst: Reg, a: Reg, b: Reg },
    /// Int: sign of dividend, `division by zero`, MIN % -1 = 0. *(feedback)*
    Mod { dst: Reg, a: Reg, b: Reg },
    /// R[dst] = R[a] + imm (same semantics as Add with an Int right operand) *(feedback)*
    AddImm { dst: Reg, a: Reg, imm: i16 },
    /// R[dst] = R[a] op K[k], where K[k] is an Int or Float constant (a literal right
    /// operand, `x * 0.5`, `n - 1`, `i < 100`): the semantics of `op` with that value in a
    /// register, without loading it into one. *(feedback: both operand tags)*
    BinaryK { op: BinOp, dst: Reg, a: Reg, k: u16 },
    /// R[dst] = R[a] op R[b] for every operator without an opcode of its own (today the
    /// bitwise family `& | ^ << >>`: shift counts outside 0..63 are an error, `<<` wraps,
    /// `>>` is arithmetic). The semantics are the operator's (`values::binary`); see
    /// `Instr::binary` for which operators have their own opcode. *(feedback)*
    Binary { op: BinOp, dst: Reg, a: Reg, b: Reg },
    /// R[dst] = -R[src] *(feedback)*
    Neg { dst: Reg, src: Reg },
    /// R[dst] = Bool(!truthy(R[src])) *(feedback)*
    Not { dst: Reg, src: Reg },
    /// R[dst] = ~R[src] (Int only) *(feedback)*
    BitNot { dst: Reg, src: Reg },
    /// R[dst] = Bool(truthy(R[src]))  (the value of `&&` / `||`)
    Truthy { dst: Reg, src: Reg },

    // ---- comparisons, producing Bool (feedback: both operand tags)
    /// *(feedback)*
    Eq { dst: Reg, a: Reg, b: Reg },
    /// *(feedback)*
    Ne { dst: Reg, a: Reg, b: Reg },
    /// *(feedback)*
    Lt { dst: Reg, a: Reg, b: Reg },
    /// *(feedback)*
    Le { dst: Reg, a: Reg, b: Reg },
    /// *(feedback)*
    Gt { dst: Reg, a: Reg, b: Reg },
    /// *(feedback)*
    Ge { dst: Reg, a: Reg, b: Reg },

    // ---- control flow
    /// pc = target (forward only)
    Jump { target: u32 },
    /// back-edge: count it, maybe enter OSR, then pc = target (a loop header)
    LoopBack { target: u32 },
    /// if !truthy(R[cond]) { pc = target } *(feedback: the condition's tag)*
    JumpIfFalse { cond: Reg, target: u32 },
    /// if truthy(R[cond]) { pc = target } *(feedback: the condition's tag)*
    JumpIfTrue { cond: Reg, target: u32 },

    // ---- iteration: the loop state lives in R[iter], R[iter+1], R[iter+2]
    /// Prepare iteration over R[iter] (already holding the iterable): Int n -> range 0..n;
    /// Array -> (array, index 0); Dict -> (snapshot of its keys as an array, 0);
    /// Str -> (array of its characters, 0); else `cannot iterate over a value of type T`.
    /// After it: ranges are (Int next, Int stop, Int step); arrays are (Array, Int index, Null).
    IterPrep { iter: Reg },
    /// `for x in range(args)`: R[iter] holds the callee, R[iter+1..=iter+argc] the arguments.
    /// If R[iter] is the builtin `range`, checks the arguments (same errors as `range()`)
    /// and sets a range state without allocating; otherwise calls R[iter] and prepares
    /// iteration over its result as `IterPrep` does.
    RangePrep { iter: Reg, argc: u8 },
    /// Advance: if exhausted, pc = exit; else R[dst] = next value. Ranges never overflow;
    /// arrays are walked by live index. *(feedback: tag of R[iter])*
    IterNext { iter: Reg, dst: Reg, exit: u32 },

    // ---- calls
    /// R[base] = R[base](R[base+1], ..., R[base+argc]) — closures, builtins, bound methods.
    /// Errors (arity, not callable, depth) point at this instruction's span.
    Call { base: Reg, argc: u8 },
    /// R[base] = R[base+1].N[name](R[base+2], ..., R[base+1+argc]). R[base+1] is the
    /// receiver. A struct method gets it as its first parameter (frame at base+1); a field
    /// holding a function is called with the arguments only. R[base] is scratch on entry.
    CallMethod { base: Reg, argc: u8, name: u16 },
    /// The method lookup of `R[obj].N[name](...)` done early: the same errors as
    /// `CallMethod`'s lookup (`cannot call method`, `S has no method`), raised before the
    /// arguments are evaluated (LANGUAGE-DETAILS §3). Emitted right after the receiver when
    /// an argument could have an effect or fail; writes nothing.
    CheckMethod { obj: Reg, name: u16 },
    /// return R[src]
    Return { src: Reg },
    /// return null
    ReturnNull,

    // ---- constructors
    /// R[dst] = closure of child prototype `proto`, capturing per its upvalue descriptors.
    MakeClosure { dst: Reg, proto: u16 },
    /// R[dst] = [R[start], ..., R[start+count-1]]
    NewArray { dst: Reg, start: Reg, count: u16 },
    /// R[dst] = {R[start]: R[start+1], ...} with `count` pairs (key errors at this span).
    NewDict { dst: Reg, start: Reg, count: u16 },
    /// R[dst] = instance of struct literal descriptor `lit` (see `StructLit`), its written
    /// fields' values in R[start..start+n] in written order.
    NewStruct { dst: Reg, lit: u16, start: Reg },
    /// R[dst] = text of R[start..start+count] each converted by `to_string`, concatenated
    /// (string interpolation).
    Concat { dst: Reg, start: Reg, count: u16 },

    // ---- indexing and fields
    /// R[dst] = R[obj][R[idx]] *(feedback: tags of obj and idx)*
    GetIndex { dst: Reg, obj: Reg, idx: Reg },
    /// R[obj][R[idx]] = R[src] *(feedback: tags of obj and idx)*
    SetIndex { obj: Reg, idx: Reg, src: Reg },
    /// R[dst] = R[obj].N[name] (a field, or a new bound method)
    GetField { dst: Reg, obj: Reg, name: u16 },
    /// R[obj].N[name] = R[src]
    SetField { obj: Reg, name: u16, src: Reg },
}

/// Matches every binary operator instruction, for exhaustive matches that handle them
/// through `as_binary` and never list them.
macro_rules! any_binary {
    () => {
        Instr::Add { .. }
            | Instr::Sub { .. }
            | Instr::Mul { .. }
            | Instr::Div { .. }
            | Instr::Mod { .. }
            | Instr::Binary { .. }
            | Instr::Eq { .. }
            | Instr::Ne { .. }
            | Instr::Lt { .. }
            | Instr::Le { .. }
            | Instr::Gt { .. }
            | Instr::Ge { .. }
    };
}
pub(crate) use any_binary;

/// Matches every operator instruction (binary and unary), for exhaustive matches that
/// handle operators through `as_binary`/`as_unary` and never list them.
macro_rules! any_operator {
    () => {
        $crate::bytecode::any_binary!()
            | Instr::Neg { .. }
            | Instr::Not { .. }
            | Instr::BitNot { .. }
            | Instr::Truthy { .. }
    };
}
pub(crate) use any_operator;

/// The operator instructions: built from and taken apart into the operator vocabulary
/// (`operator.rs`). These and `any_operator!` are the only places that list them; an
/// operator without an opcode of its own needs no change here.
impl Instr {
    /// The instruction computing `R[dst] = R[a] op R[b]`: the operator's own opcode if it
    /// has one, else `Binary`.
    pub const fn binary(op: BinOp, dst: Reg, a: Reg, b: Reg) -> Instr {
        match op {
            BinOp::Add => Instr::Add { dst, a, b },
            BinOp::Sub => Instr::Sub { dst, a, b },
            BinOp::Mul => Instr::Mul { dst, a, b },
            BinOp::Div => Instr::Div { dst, a, b },
            BinOp::Mod => Instr::Mod { dst, a, b },
            BinOp::Eq => Instr::Eq { dst, a, b },
            BinOp::Ne => Instr::Ne { dst, a, b },
            BinOp::Lt => Instr::Lt { dst, a, b },
            BinOp::Le => Instr::Le { dst, a, b },
            BinOp::Gt => Instr::Gt { dst, a, b },
            BinOp::Ge => Instr::Ge { dst, a, b },
            _ => Instr::Binary { op, dst, a, b },
        }
    }

    /// `(op, dst, a, b)` of a binary operator instruction (`AddImm` and `BinaryK` are not
    /// ones: their right operand is not a register).
    pub const fn as_binary(&self) -> Option<(BinOp, Reg, Reg, Reg)> {
        let (op, dst, a, b) = match *self {
            Instr::Add { dst, a, b } => (BinOp::Add, dst, a, b),
            Instr::Sub { dst, a, b } => (BinOp::Sub, dst, a, b),
            Instr::Mul { dst, a, b } => (BinOp::Mul, dst, a, b),
            Instr::Div { dst, a, b } => (BinOp::Div, dst, a, b),
            Instr::Mod { dst, a, b } => (BinOp::Mod, dst, a, b),
            Instr::Binary { op, dst, a, b } => (op, dst, a, b),
            Instr::Eq { dst, a, b } => (BinOp::Eq, dst, a, b),
            Instr::Ne { dst, a, b } => (BinOp::Ne, dst, a, b),
            Instr::Lt { dst, a, b } => (BinOp::Lt, dst, a, b),
            Instr::Le { dst, a, b } => (BinOp::Le, dst, a, b),
            Instr::Gt { dst, a, b } => (BinOp::Gt, dst, a, b),
            Instr::Ge { dst, a, b } => (BinOp::Ge, dst, a, b),
            _ => return None,
        };
        Some((op, dst, a, b))
    }

    /// The instruction computing `R[dst] = op R[src]`.
    pub const fn unary(op: UnOp, dst: Reg, src: Reg) -> Instr {
        match op {
            UnOp::Neg => Instr::Neg { dst, src },
            UnOp::Not => Instr::Not { dst, src },
            UnOp::BitNot => Instr::BitNot { dst, src },
            UnOp::Truthy => Instr::Truthy { dst, src },
        }
    }

    /// `(op, dst, src)` of a unary operator instruction.
    pub const fn as_unary(&self) -> Option<(UnOp, Reg, Reg)> {
        match *self {
            Instr::Neg { dst, src } => Some((UnOp::Neg, dst, src)),
            Instr::Not { dst, src } => Some((UnOp::Not, dst, src)),
            Instr::BitNot { dst, src } => Some((UnOp::BitNot, dst, src)),
            Instr::Truthy { dst, src } => Some((UnOp::Truthy, dst, src)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operator_round_trips() {
        for row in &BinOp::ALL {
            let i = Instr::binary(row.op, 1, 2, 3);
            assert_eq!(i.as_binary(), Some((row.op, 1, 2, 3)), "{:?}", row.op);
            assert_eq!(i.as_unary(), None);
        }
        for op in [UnOp::Neg, UnOp::Not, UnOp::BitNot, UnOp::Truthy] {
            assert_eq!(Instr::unary(op, 4, 5).as_unary(), Some((op, 4, 5)));
        }
    }

    #[test]
    fn instructions_stay_small() {
        // `IterNext` (two registers and a 32-bit target) sets the size at 12 bytes; growing
        // past it would cost instruction-cache density in the dispatch loop.
        assert!(std::mem::size_of::<super::Instr>() <= 12);
    }
}
