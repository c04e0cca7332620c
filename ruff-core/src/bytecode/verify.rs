//! The bytecode verifier: the invariants the interpreter's `unsafe` code and compiled code
//! rely on, checked on a whole program. The compiler establishes them; `verify` proves it
//! for each program it is given. It runs on every compiled program in debug builds
//! (`compiler::compile`) and in the tests (every conformance, golden, suite and generated
//! program), and release builds trust the compiler.
//!
//! The invariants, by the name the `SAFETY` comments cite (`verified: registers`, ...):
//! - **shape**: a function has code, one span per instruction, and `arity <= num_regs` (a
//!   method declared without `self` is legal: calling it is a runtime error);
//! - **registers**: every register an instruction names, including the loop state
//!   (`iter..iter+2`), the whole call window up to the register reserved past the arguments,
//!   and the registers a closure captures, is below `num_regs` (so with the frame window
//!   checked against the stack when a frame is pushed, every register access is in bounds);
//! - **jumps**: every jump target is an instruction of the function; `LoopBack` is the only
//!   backward jump and the other jumps go forward;
//! - **fallthrough**: control never runs off the end: the instruction after any
//!   instruction that can fall through exists (so the interpreter may look at the next
//!   instruction, to fuse it, after any non-terminator);
//! - **pools**: constant, name, global, upvalue, child prototype and struct literal indices
//!   are within their tables; a struct literal's field slots are fields of its struct;
//! - **prototypes**: `Program::protos[i].id == i`, `main` and every child prototype and
//!   struct method are the program's own (the same `Rc`), so per-prototype tables indexed
//!   by id (profiles, compiled code) cover every function that can run;
//! - **upvalues**: a child's upvalue descriptors name registers of the creating function
//!   (below its `num_regs`) or upvalues it has;
//! - **entry**: `unbound_at_entry` lists registers of the function (below `num_regs`),
//!   among them every register at or above the arity that some path from the entry reads
//!   before writing (`entry::unbound_at_entry`), so a call that
//!   unbinds only those leaves no register a read could find stale.

use std::fmt;
use std::rc::Rc;

use super::operands::PoolRef;
use super::{FuncProto, Instr, Program, UpvalDesc};

/// A broken invariant: where, and which.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyError {
    /// The function's trace name (`<main>`, `f`, `S.m`, ...).
    pub function: Rc<str>,
    /// The instruction, when the error is about one.
    pub pc: Option<usize>,
    pub message: String,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.pc {
            Some(pc) => write!(
                f,
                "bad bytecode in {} at {pc}: {}",
                self.function, self.message
            ),
            None => write!(f, "bad bytecode in {}: {}", self.function, self.message),
        }
    }
}

impl std::error::Error for VerifyError {}

/// Checks every invariant above on `program`.
pub fn verify(program: &Program) -> Result<(), VerifyError> {
    let fail = |p: &FuncProto, message: String| VerifyError {
        function: p.trace_name.clone(),
        pc: None,
        message,
    };
    let own = |p: &Rc<FuncProto>| {
        program
            .protos
            .get(p.id as usize)
            .is_some_and(|q| Rc::ptr_eq(p, q))
    };
    if !own(&program.main) {
        return Err(fail(
            &program.main,
            "main is not the program's prototype".into(),
        ));
    }
    if program.global_names.len() < crate::builtins::NAMES.len() {
        return Err(fail(
            &program.main,
            "fewer global slots than builtins".into(),
        ));
    }
    for (i, p) in program.protos.iter().enumerate() {
        if p.id as usize != i {
            return Err(fail(p, format!("id {} at index {i} of the program", p.id)));
        }
        if let Some(c) = p.children.iter().find(|c| !own(c)) {
            return Err(fail(
                p,
                format!("child {} is not the program's", c.trace_name),
            ));
        }
        verify_proto(program, p)?;
    }
    for def in &program.structs {
        for (name, m) in def.methods.get().into_iter().flatten() {
            if !own(&m.proto) || !m.proto.is_method {
                let message = format!("method {name} of {} is not a program method", def.name);
                return Err(fail(&m.proto, message));
            }
        }
    }
    Ok(())
}

/// The invariants of one function of `program`.
pub fn verify_proto(program: &Program, p: &FuncProto) -> Result<(), VerifyError> {
    let at = |pc: Option<usize>, message: String| VerifyError {
        function: p.trace_name.clone(),
        pc,
        message,
    };
    // shape
    if p.code.is_empty() {
        return Err(at(None, "no code".into()));
    }
    if p.spans.len() != p.code.len() {
        let (s, c) = (p.spans.len(), p.code.len());
        return Err(at(None, format!("{s} spans for {c} instructions")));
    }
    if p.arity > p.num_regs {
        let message = format!("arity {} above {} registers", p.arity, p.num_regs);
        return Err(at(None, message));
    }
    // upvalues of the closures this function creates
    for c in &p.children {
        for u in &c.upvals {
            let ok = match *u {
                UpvalDesc::ParentReg(r) => r < p.num_regs,
                UpvalDesc::ParentUpval(i) => (i as usize) < p.upvals.len(),
            };
            if !ok {
                let message = format!("child {} captures {u:?}, not here", c.trace_name);
                return Err(at(None, message));
            }
        }
    }
    for (i, lit) in p.struct_lits.iter().enumerate() {
        let Some(def) = lit.def.upgrade() else {
            return Err(at(None, format!("struct literal {i} of a dropped struct")));
        };
        if let Some(f) = lit
            .field_slots
            .iter()
            .find(|f| **f as usize >= def.fields.len())
        {
            let message = format!("struct literal {i} writes field {f} of {}", def.name);
            return Err(at(None, message));
        }
    }
    let len = p.code.len();
    for (pc, instr) in p.code.iter().enumerate() {
        let err = |message: String| Err(at(Some(pc), format!("{instr:?}: {message}")));
        // pools first: the register accessors look into the child and literal tables
        for r in instr.pool_refs() {
            let (index, size) = match r {
                PoolRef::Const(k) => (k as usize, p.consts.len()),
                PoolRef::Name(n) => (n as usize, p.names.len()),
                PoolRef::Global(g) => (g as usize, program.global_names.len()),
                PoolRef::Upval(u) => (u as usize, p.upvals.len()),
                PoolRef::Child(c) => (c as usize, p.children.len()),
                PoolRef::StructLit(l) => (l as usize, p.struct_lits.len()),
            };
            if index >= size {
                return err(format!("{r:?} outside its table of {size}"));
            }
        }
        // registers
        if let Some(r) = instr.highest_register(p).filter(|r| *r >= p.num_regs) {
            return err(format!("register {r} outside the frame of {}", p.num_regs));
        }
        // jumps and fallthrough
        if let Some(target) = instr.jump_target() {
            let t = target as usize;
            if t >= len {
                return err(format!("jump to {t}, past the end ({len})"));
            }
            let backward = matches!(instr, Instr::LoopBack { .. });
            if backward && t > pc {
                return err("LoopBack jumps forward".into());
            }
            if !backward && t <= pc {
                return err("backward jump that is not a LoopBack".into());
            }
        }
        if instr.successors(pc as u32).0.is_some() && pc + 1 >= len {
            return err("falls off the end of the function".into());
        }
    }
    // entry
    if let Some(r) = p.unbound_at_entry.iter().find(|&&r| r >= p.num_regs) {
        return Err(at(None, format!("unbound at entry: r{r} past the frame")));
    }
    let needed = super::entry::unbound_at_entry(p);
    if let Some(r) = needed.iter().find(|r| !p.unbound_at_entry.contains(r)) {
        let message = format!("r{r} is read before written but not unbound at entry");
        return Err(at(None, message));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
