//! The state of one function being compiled: its code and span table, constant pool, name
//! table, upvalues, children, and the register allocator.
//!
//! Registers: parameters `R[0..arity]`, then the other locals (fixed by `scope`), then
//! temporaries, allocated like a stack (`top` is the first free one). Every expression
//! releases the temporaries it used before its result's consumer allocates more, so
//! `num_regs` is the high-water mark of `top`.

use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

use crate::bytecode::{FuncProto, Instr, Reg, StructLit, UpvalDesc, MAX_REGS};
use crate::error::Error;
use crate::heap::StrObj;
use crate::span::Span;
use crate::value::Value;

use super::scope::FuncScope;

/// Identity of a constant, for de-duplicating the pool.
#[derive(Clone, PartialEq, Eq, Hash)]
enum ConstKey {
    Int(i64),
    Float(u64),
    Str(String),
}

/// One enclosing loop: where `continue` goes back to, and the `break` jumps to patch.
pub struct LoopCtx {
    pub header: u32,
    pub breaks: Vec<usize>,
}

/// Names and flags of the prototype being built.
pub struct ProtoMeta {
    pub trace_name: Rc<str>,
    pub display_name: Rc<str>,
    pub arity: u16,
    pub is_method: bool,
    pub is_anonymous: bool,
    /// Position used for the implicit `return null` and entry code.
    pub span: Span,
}

pub struct FuncState {
    pub meta: ProtoMeta,
    pub scope: Rc<FuncScope>,
    /// True for `<main>` (no locals; every binding is a global).
    pub is_main: bool,
    pub code: Vec<Instr>,
    pub spans: Vec<Span>,
    consts: Vec<Value>,
    const_index: HashMap<ConstKey, u32>,
    names: Vec<Rc<str>>,
    name_index: HashMap<String, u16>,
    pub upvals: Vec<UpvalDesc>,
    /// Name of each upvalue (same order as `upvals`).
    pub upval_names: Vec<String>,
    pub children: Vec<Rc<FuncProto>>,
    pub struct_lits: Vec<StructLit>,
    /// First free temporary.
    pub top: u32,
    max_regs: u32,
    /// Per local: known to hold a value at the current point (definite assignment).
    pub assigned: Vec<bool>,
    pub loops: Vec<LoopCtx>,
}

impl FuncState {
    /// A compile error if the function has more locals than a frame can hold.
    pub fn new(meta: ProtoMeta, scope: Rc<FuncScope>, is_main: bool) -> Result<FuncState, Error> {
        if scope.locals.len() > MAX_REGS as usize {
            return Err(Error::compile(
                meta.span,
                format!(
                    "function has {} local variables; at most {MAX_REGS} fit in one function",
                    scope.locals.len()
                ),
            ));
        }
        let nlocals = scope.locals.len() as u32;
        let mut assigned = vec![false; scope.locals.len()];
        assigned[..scope.params].fill(true);
        Ok(FuncState {
            meta,
            scope,
            is_main,
            code: Vec::new(),
            spans: Vec::new(),
            consts: Vec::new(),
            const_index: HashMap::default(),
            names: Vec::new(),
            name_index: HashMap::default(),
            upvals: Vec::new(),
            upval_names: Vec::new(),
            children: Vec::new(),
            struct_lits: Vec::new(),
            top: nlocals,
            max_regs: nlocals,
            assigned,
            loops: Vec::new(),
        })
    }

    /// Appends an instruction with its error position; returns its index.
    pub fn emit(&mut self, instr: Instr, span: Span) -> usize {
        self.code.push(instr);
        self.spans.push(span);
        self.code.len() - 1
    }

    /// Index of the next instruction to be emitted (a jump target).
    pub fn here(&self) -> u32 {
        self.code.len() as u32
    }

    /// Points the forward jump at `at` to the current end of the code.
    pub fn patch_to_here(&mut self, at: usize) {
        let here = self.here();
        match &mut self.code[at] {
            Instr::Jump { target }
            | Instr::JumpIfFalse { target, .. }
            | Instr::JumpIfTrue { target, .. } => *target = here,
            Instr::IterNext { exit, .. } => *exit = here,
            other => unreachable!("patching a non-jump {other:?}"),
        }
    }

    /// Allocates `n` consecutive temporaries; returns the first.
    pub fn alloc(&mut self, n: u32, span: Span) -> Result<Reg, Error> {
        let first = self.top;
        self.top += n;
        self.reserve(self.top, span)?;
        Ok(first as Reg)
    }

    /// Makes the frame at least `regs` registers long without allocating them (the register
    /// reserved past a call's arguments only has to exist while the call runs).
    pub fn reserve(&mut self, regs: u32, span: Span) -> Result<(), Error> {
        if regs > MAX_REGS {
            return Err(too_many_registers(span));
        }
        self.max_regs = self.max_regs.max(regs);
        Ok(())
    }

    /// Releases every temporary from `mark` up (stack discipline).
    pub fn free_to(&mut self, mark: u32) {
        debug_assert!(mark >= self.scope.locals.len() as u32 || self.is_main);
        self.top = mark;
    }

    /// True if `r` is a temporary (not a parameter or local).
    pub fn is_temp(&self, r: Reg) -> bool {
        r as usize >= self.scope.locals.len()
    }

    pub fn constant(&mut self, v: Value, span: Span) -> Result<u32, Error> {
        let key = match &v {
            Value::Int(i) => Some(ConstKey::Int(*i)),
            Value::Float(f) => Some(ConstKey::Float(f.to_bits())),
            Value::Str(s) => Some(ConstKey::Str(s.text.clone())),
            _ => None,
        };
        if let Some(&k) = key.as_ref().and_then(|k| self.const_index.get(k)) {
            return Ok(k);
        }
        let k = self.consts.len() as u32;
        if k == u32::MAX {
            return Err(Error::compile(span, "too many constants in one function"));
        }
        self.consts.push(v);
        if let Some(key) = key {
            self.const_index.insert(key, k);
        }
        Ok(k)
    }

    pub fn str_constant(&mut self, text: &str, span: Span) -> Result<u32, Error> {
        self.constant(Value::Str(Rc::new(StrObj::new(text.to_owned()))), span)
    }

    /// Index of `name` in the name table.
    pub fn name(&mut self, name: &str, span: Span) -> Result<u16, Error> {
        if let Some(&n) = self.name_index.get(name) {
            return Ok(n);
        }
        let n = u16::try_from(self.names.len())
            .map_err(|_| Error::compile(span, "too many names in one function"))?;
        self.names.push(name.into());
        self.name_index.insert(name.to_owned(), n);
        Ok(n)
    }

    /// Finishes the prototype; `id` is its index in `Program::protos`.
    pub fn finish(self, id: u32) -> FuncProto {
        let mut proto = FuncProto {
            id,
            trace_name: self.meta.trace_name,
            display_name: self.meta.display_name,
            arity: self.meta.arity,
            is_method: self.meta.is_method,
            is_anonymous: self.meta.is_anonymous,
            // `alloc` and `reserve` keep `max_regs <= MAX_REGS`, and `new` checked the locals.
            num_regs: self.max_regs as u16,
            inline_caches: crate::bytecode::inline_cache::InlineCaches::new(self.code.len()),
            code: self.code,
            spans: self.spans,
            consts: self.consts,
            names: self.names,
            upvals: self.upvals,
            children: self.children,
            struct_lits: self.struct_lits,
            unbound_at_entry: Vec::new(),
        };
        proto.unbound_at_entry = crate::bytecode::entry::unbound_at_entry(&proto);
        proto
    }
}

/// The error of a function whose locals and temporaries together exceed `MAX_REGS`.
fn too_many_registers(span: Span) -> Error {
    Error::compile(
        span,
        format!("function needs too many registers (at most {MAX_REGS} locals and temporaries)"),
    )
}
