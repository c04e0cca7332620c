//! Expressions.
//!
//! Two entry points: `expr_to` puts a value in a given register, `expr_any` in whatever
//! register is cheapest (a local's own register needs no code). Both leave `top` as they
//! found it, apart from the one temporary `expr_any` may return.
//!
//! `expr_to(e, dst)` writes `dst` only with the last instruction of every path, after all
//! operands are read, so compiling `x := x + 1` straight into `x`'s register is safe (no
//! expression can change a non-captured local: assignments are statements).
//!
//! A consecutive block (call arguments, array items, ...) is allocated one register at a time
//! so the item being compiled is always the top temporary; a call compiled into the top
//! temporary uses it as its base, which saves the `Move` of its result.
//!
//! A flat chain (`1 + 2 + 3`, `a.b[i].c(x)`, `f(1)(2)`) is a left-deep tree as long as the
//! chain. `expr_to` walks its left spine in a loop, keeping what each link still has to do
//! after its left operand on a heap stack, so chains of any length compile without
//! recursion; nesting (parentheses, arguments, unary operators) recurses under
//! `deep::guard`. The code is exactly what the recursive formulation emits.

use std::rc::Rc;

use crate::ast::{BinOp, Expr, ExprKind, InterpPart, UnOp};
use crate::bytecode::{Instr, Reg, StructLit};
use crate::deep::guard;
use crate::error::Error;
use crate::span::Span;
use crate::value::Value;

use super::{Compiler, Var};

impl Compiler<'_> {
    /// Evaluates `e` into a register: a local's own, or a new temporary (the caller frees it).
    pub(crate) fn expr_any(&mut self, e: &Expr) -> Result<Reg, Error> {
        if let ExprKind::Name(name) = &e.kind {
            if let Var::Local(r) = self.resolve(name) {
                self.ensure_assigned(r, name, e.span)?;
                return Ok(r);
            }
        }
        let t = self.f().alloc(1, e.span)?;
        self.expr_to(e, t)?;
        Ok(t)
    }

    /// Like `expr_any` for the first operand of an operation whose result goes to `dst`: a
    /// temporary `dst` is free until that operation writes it, so the operand can be built
    /// right there (`a + b + c` then needs no extra registers).
    fn operand(&mut self, e: &Expr, dst: Reg) -> Result<Reg, Error> {
        let is_local_name = matches!(&e.kind, ExprKind::Name(n)
            if matches!(self.resolve(n), Var::Local(_)));
        if is_local_name || !self.f().is_temp(dst) {
            return self.expr_any(e);
        }
        self.expr_to(e, dst)?;
        Ok(dst)
    }

    /// Emits `CheckDef` unless the local is known to hold a value here; after the check it
    /// does (the error would have ended the program).
    pub(crate) fn ensure_assigned(&mut self, r: Reg, name: &str, span: Span) -> Result<(), Error> {
        if !self.f().assigned[r as usize] {
            let n = self.f().name(name, span)?;
            self.f().emit(Instr::CheckDef { reg: r, name: n }, span);
            self.f().assigned[r as usize] = true;
        }
        Ok(())
    }

    pub(crate) fn load_int(&mut self, dst: Reg, v: i64, span: Span) -> Result<(), Error> {
        let instr = match i32::try_from(v) {
            Ok(v) => Instr::LoadInt { dst, v },
            Err(_) => {
                let k = self.f().constant(Value::Int(v), span)?;
                Instr::LoadConst { dst, k }
            }
        };
        self.f().emit(instr, span);
        Ok(())
    }

    /// Reads the variable `name` into `dst`.
    pub(crate) fn read_var(
        &mut self,
        var: Var,
        name: &str,
        dst: Reg,
        span: Span,
    ) -> Result<(), Error> {
        let instr = match var {
            Var::Local(r) => {
                self.ensure_assigned(r, name, span)?;
                if r == dst {
                    return Ok(());
                }
                Instr::Move { dst, src: r }
            }
            Var::Cell(cell) => {
                let name = self.f().name(name, span)?;
                Instr::GetCell { dst, cell, name }
            }
            Var::Upval(idx) => {
                let name = self.f().name(name, span)?;
                Instr::GetUpval { dst, idx, name }
            }
            Var::Global(g) => Instr::GetGlobal { dst, g },
        };
        self.f().emit(instr, span);
        Ok(())
    }

    /// Evaluates `e` into `dst`.
    pub(crate) fn expr_to(&mut self, e: &Expr, dst: Reg) -> Result<(), Error> {
        guard(|| self.chain_to(e, dst))
    }

    /// `expr_to` along the left spine: every link whose left operand is itself a link is
    /// opened (its registers chosen as the recursive code would choose them) and finished
    /// once that operand has been evaluated, innermost first.
    fn chain_to(&mut self, e: &Expr, dst: Reg) -> Result<(), Error> {
        // The spine's partial sums may go straight to `dst` (`accumulate.rs`).
        let accumulate = self.accumulates_into(e, dst);
        let mut open: Vec<OpenLink> = Vec::new();
        let (mut e, mut dst) = (e, dst);
        loop {
            let mark = self.f().top;
            let span = e.span;
            let (link, next, next_dst) = match &e.kind {
                ExprKind::Binary(op, a, b) if is_link(a) => {
                    let a_reg = if accumulate {
                        dst
                    } else {
                        self.link_operand(dst, a.span)?
                    };
                    (
                        Link::Binary {
                            op: *op,
                            a: a_reg,
                            b,
                        },
                        a,
                        a_reg,
                    )
                }
                ExprKind::Index(obj, idx) if is_link(obj) => {
                    let obj_reg = self.link_operand(dst, obj.span)?;
                    (Link::Index { obj: obj_reg, idx }, obj, obj_reg)
                }
                ExprKind::Field(obj, name) if is_link(obj) => {
                    let obj_reg = self.link_operand(dst, obj.span)?;
                    (Link::Field { obj: obj_reg, name }, obj, obj_reg)
                }
                ExprKind::Call(callee, args) if is_link(callee) => {
                    let argc = argument_count(args, span)?;
                    let base = self.call_base(dst, span)?;
                    (Link::Call { args, argc, base }, callee, base)
                }
                ExprKind::MethodCall(obj, name, args) if is_link(obj) => {
                    let argc = argument_count(args, span)?;
                    let base = self.call_base(dst, span)?;
                    let recv = self.f().alloc(1, span)?;
                    let link = Link::Method {
                        name,
                        args,
                        argc,
                        base,
                        recv,
                    };
                    (link, obj, recv)
                }
                _ => {
                    self.expr_node(e, dst)?;
                    break;
                }
            };
            open.push(OpenLink {
                link,
                dst,
                span,
                mark,
            });
            (e, dst) = (next, next_dst);
        }
        while let Some(OpenLink {
            link,
            dst,
            span,
            mark,
        }) = open.pop()
        {
            self.finish_link(link, dst, span)?;
            self.f().free_to(mark);
        }
        Ok(())
    }

    /// Where a link's left operand (itself a link, so never a local's name) goes: `dst`
    /// while that is a temporary (as `operand` does), else a new temporary (as `expr_any`).
    fn link_operand(&mut self, dst: Reg, operand_span: Span) -> Result<Reg, Error> {
        if self.f().is_temp(dst) {
            Ok(dst)
        } else {
            self.f().alloc(1, operand_span)
        }
    }

    /// The rest of a link once its left operand is in its register.
    fn finish_link(&mut self, link: Link, dst: Reg, span: Span) -> Result<(), Error> {
        match link {
            Link::Binary { op, a, b } => self.binary_rest(op, a, b, dst, span),
            Link::Index { obj, idx } => {
                let idx = self.expr_any(idx)?;
                self.f().emit(Instr::GetIndex { dst, obj, idx }, span);
                Ok(())
            }
            Link::Field { obj, name } => {
                let name = self.f().name(name, span)?;
                self.f().emit(Instr::GetField { dst, obj, name }, span);
                Ok(())
            }
            Link::Call { args, argc, base } => self.call_rest(args, argc, base, dst, span),
            Link::Method {
                name,
                args,
                argc,
                base,
                recv,
            } => self.method_call_rest(name, args, (argc, base, recv), dst, span),
        }
    }

    /// `expr_to` for a node whose left operand, if it has one, is not a link.
    fn expr_node(&mut self, e: &Expr, dst: Reg) -> Result<(), Error> {
        let mark = self.f().top;
        let span = e.span;
        match &e.kind {
            ExprKind::Int(v) => self.load_int(dst, *v, span)?,
            ExprKind::Float(v) => self.load_const(dst, Value::Float(*v), span)?,
            ExprKind::Str(s) => {
                let k = self.f().str_constant(s, span)?;
                self.f().emit(Instr::LoadConst { dst, k }, span);
            }
            ExprKind::Bool(v) => {
                self.f().emit(Instr::LoadBool { dst, v: *v }, span);
            }
            ExprKind::Null => {
                self.f().emit(Instr::LoadNull { dst }, span);
            }
            ExprKind::Name(name) => {
                let var = self.resolve(name);
                self.read_var(var, name, dst, span)?;
            }
            ExprKind::Interp(parts) => {
                let start = self.f().top as Reg;
                for p in parts {
                    let slot = self.f().alloc(1, span)?;
                    match p {
                        InterpPart::Text(t) => {
                            let k = self.f().str_constant(t, span)?;
                            self.f().emit(Instr::LoadConst { dst: slot, k }, span);
                        }
                        InterpPart::Expr(e) => self.expr_to(e, slot)?,
                    }
                }
                let count = count16(parts.len(), span)?;
                self.f().emit(Instr::Concat { dst, start, count }, span);
            }
            ExprKind::Unary(op, a) => self.unary(*op, a, dst, span)?,
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, dst, span)?,
            ExprKind::And(..) | ExprKind::Or(..) => self.logical_value(e, dst)?,
            ExprKind::Call(callee, args) => self.call(callee, args, dst, span)?,
            ExprKind::MethodCall(obj, name, args) => {
                self.method_call(obj, name, args, dst, span)?
            }
            ExprKind::Index(obj, idx) => {
                let obj = self.operand(obj, dst)?;
                let idx = self.expr_any(idx)?;
                self.f().emit(Instr::GetIndex { dst, obj, idx }, span);
            }
            ExprKind::Field(obj, name) => {
                let obj = self.operand(obj, dst)?;
                let name = self.f().name(name, span)?;
                self.f().emit(Instr::GetField { dst, obj, name }, span);
            }
            ExprKind::Array(items) => {
                let start = self.block(items.iter(), span)?;
                let count = count16(items.len(), span)?;
                self.f().emit(Instr::NewArray { dst, start, count }, span);
            }
            ExprKind::Dict(pairs) => {
                let start = self.block(pairs.iter().flat_map(|(k, v)| [k, v]), span)?;
                let count = count16(pairs.len(), span)?;
                self.f().emit(Instr::NewDict { dst, start, count }, span);
            }
            ExprKind::StructLit(name, fields) => {
                let def = self
                    .structs
                    .get(name)
                    .cloned()
                    .ok_or_else(|| Error::compile(span, format!("unknown struct '{name}'")))?;
                let field_slots = fields
                    .iter()
                    .map(|(f, _, _)| def.field_index(f).unwrap_or(0) as u16)
                    .collect();
                let f = self.f();
                let lit = count16(f.struct_lits.len(), span)?;
                f.struct_lits.push(StructLit {
                    def: Rc::downgrade(&def),
                    field_slots,
                });
                let start = self.block(fields.iter().map(|(_, _, v)| v), span)?;
                self.f().emit(Instr::NewStruct { dst, lit, start }, span);
            }
            ExprKind::Func(decl) => self.make_closure(decl, dst)?,
        }
        self.f().free_to(mark);
        Ok(())
    }

    fn load_const(&mut self, dst: Reg, v: Value, span: Span) -> Result<(), Error> {
        let k = self.f().constant(v, span)?;
        self.f().emit(Instr::LoadConst { dst, k }, span);
        Ok(())
    }

    /// Evaluates `items` into consecutive new temporaries; returns the first.
    fn block<'e>(
        &mut self,
        items: impl Iterator<Item = &'e Expr>,
        span: Span,
    ) -> Result<Reg, Error> {
        let start = self.f().top as Reg;
        for e in items {
            let slot = self.f().alloc(1, span)?;
            self.expr_to(e, slot)?;
        }
        Ok(start)
    }

    fn unary(&mut self, op: UnOp, a: &Expr, dst: Reg, span: Span) -> Result<(), Error> {
        // `-5` is a literal for every purpose (Int negation wraps, Float negation is exact).
        if op == UnOp::Neg {
            match a.kind {
                ExprKind::Int(v) => return self.load_int(dst, v.wrapping_neg(), span),
                ExprKind::Float(v) => return self.load_const(dst, Value::Float(-v), span),
                _ => {}
            }
        }
        let src = self.operand(a, dst)?;
        self.f().emit(Instr::unary(op, dst, src), span);
        Ok(())
    }

    fn binary(&mut self, op: BinOp, a: &Expr, b: &Expr, dst: Reg, span: Span) -> Result<(), Error> {
        let a = self.operand(a, dst)?;
        self.binary_rest(op, a, b, dst, span)
    }

    /// A binary operation whose left operand is in `a`.
    fn binary_rest(
        &mut self,
        op: BinOp,
        a: Reg,
        b: &Expr,
        dst: Reg,
        span: Span,
    ) -> Result<(), Error> {
        if self.operator_with_literal(op, dst, a, b, span)? {
            return Ok(());
        }
        let b = self.expr_any(b)?;
        self.f().emit(Instr::binary(op, dst, a, b), span);
        Ok(())
    }

    /// `R[dst] = R[a] op b` without a register for `b` when `b` is a number literal:
    /// `AddImm` for `+` with a small Int, else `BinaryK` with the number in the constant
    /// pool. False (nothing emitted) when `b` is anything else or the pool is past `BinaryK`'s
    /// 16-bit index.
    pub(super) fn operator_with_literal(
        &mut self,
        op: BinOp,
        dst: Reg,
        a: Reg,
        b: &Expr,
        span: Span,
    ) -> Result<bool, Error> {
        if op == BinOp::Add {
            if let Some(imm) = small_int(b) {
                self.f().emit(Instr::AddImm { dst, a, imm }, span);
                return Ok(true);
            }
        }
        let Some(v) = number_literal(b) else {
            return Ok(false);
        };
        let Ok(k) = u16::try_from(self.f().constant(v, span)?) else {
            return Ok(false);
        };
        self.f().emit(Instr::BinaryK { op, dst, a, k }, span);
        Ok(true)
    }

    /// `callee(args)` into `dst`.
    fn call(&mut self, callee: &Expr, args: &[Expr], dst: Reg, span: Span) -> Result<(), Error> {
        let argc = argument_count(args, span)?;
        let base = self.call_base(dst, span)?;
        self.expr_to(callee, base)?;
        self.call_rest(args, argc, base, dst, span)
    }

    /// A call whose callee is in `base`.
    fn call_rest(
        &mut self,
        args: &[Expr],
        argc: u8,
        base: Reg,
        dst: Reg,
        span: Span,
    ) -> Result<(), Error> {
        self.block(args.iter(), span)?;
        // One register past the arguments stays free for a bound method's receiver.
        self.f().reserve(base as u32 + argc as u32 + 2, span)?;
        self.f().emit(Instr::Call { base, argc }, span);
        self.move_result(dst, base, span);
        Ok(())
    }

    /// `obj.name(args)` into `dst`.
    fn method_call(
        &mut self,
        obj: &Expr,
        name: &str,
        args: &[Expr],
        dst: Reg,
        span: Span,
    ) -> Result<(), Error> {
        let argc = argument_count(args, span)?;
        let base = self.call_base(dst, span)?;
        let recv = self.f().alloc(1, span)?;
        self.expr_to(obj, recv)?;
        self.method_call_rest(name, args, (argc, base, recv), dst, span)
    }

    /// A method call whose receiver is in `recv` (`regs` is argc, base, recv).
    fn method_call_rest(
        &mut self,
        name: &str,
        args: &[Expr],
        (argc, base, recv): (u8, Reg, Reg),
        dst: Reg,
        span: Span,
    ) -> Result<(), Error> {
        let name = self.f().name(name, span)?;
        // The lookup comes before the arguments (LANGUAGE-DETAILS §3); check it early only
        // when an argument could print, fail or change state.
        if !args.iter().all(|a| self.is_inert(a)) {
            self.f().emit(Instr::CheckMethod { obj: recv, name }, span);
        }
        self.block(args.iter(), span)?;
        self.f().reserve(base as u32 + argc as u32 + 3, span)?;
        self.f().emit(Instr::CallMethod { base, argc, name }, span);
        self.move_result(dst, base, span);
        Ok(())
    }

    /// True if evaluating `e` can have no effect and raise no error: literals and reads of
    /// locals known to hold a value.
    fn is_inert(&mut self, e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Int(_)
            | ExprKind::Float(_)
            | ExprKind::Str(_)
            | ExprKind::Bool(_)
            | ExprKind::Null => true,
            ExprKind::Name(n) => match self.resolve(n) {
                Var::Local(r) => self.f().assigned[r as usize],
                _ => false,
            },
            _ => false,
        }
    }

    /// The callee slot of a call whose result goes to `dst`: `dst` itself when it is the top
    /// temporary (no `Move` needed), else a new temporary.
    fn call_base(&mut self, dst: Reg, span: Span) -> Result<Reg, Error> {
        let f = self.f();
        if f.is_temp(dst) && dst as u32 + 1 == f.top {
            Ok(dst)
        } else {
            f.alloc(1, span)
        }
    }

    fn move_result(&mut self, dst: Reg, base: Reg, span: Span) {
        if dst != base {
            self.f().emit(Instr::Move { dst, src: base }, span);
        }
    }
}

/// `e` as an `AddImm` immediate, if it is a small Int literal (possibly negated).
fn small_int(e: &Expr) -> Option<i16> {
    let v = match &e.kind {
        ExprKind::Int(v) => *v,
        ExprKind::Unary(UnOp::Neg, a) => match a.kind {
            ExprKind::Int(v) => v.wrapping_neg(),
            _ => return None,
        },
        _ => return None,
    };
    i16::try_from(v).ok()
}

/// The value of `e` if it is an Int or Float literal, possibly negated (negation as the
/// `-` operator does it: Ints wrap).
fn number_literal(e: &Expr) -> Option<Value> {
    match &e.kind {
        ExprKind::Int(v) => Some(Value::Int(*v)),
        ExprKind::Float(v) => Some(Value::Float(*v)),
        ExprKind::Unary(UnOp::Neg, a) => match a.kind {
            ExprKind::Int(v) => Some(Value::Int(v.wrapping_neg())),
            ExprKind::Float(v) => Some(Value::Float(-v)),
            _ => None,
        },
        _ => None,
    }
}

/// A link of a chain whose left operand is being evaluated, with the `dst`, position and
/// register mark of its `expr_to`.
struct OpenLink<'e> {
    link: Link<'e>,
    dst: Reg,
    span: Span,
    mark: u32,
}

/// What a link still does once its left operand has been evaluated.
enum Link<'e> {
    Binary {
        op: BinOp,
        a: Reg,
        b: &'e Expr,
    },
    Index {
        obj: Reg,
        idx: &'e Expr,
    },
    Field {
        obj: Reg,
        name: &'e str,
    },
    Call {
        args: &'e [Expr],
        argc: u8,
        base: Reg,
    },
    Method {
        name: &'e str,
        args: &'e [Expr],
        argc: u8,
        base: Reg,
        recv: Reg,
    },
}

/// True for the expressions through whose left operand a flat chain grows.
fn is_link(e: &Expr) -> bool {
    matches!(
        e.kind,
        ExprKind::Binary(..)
            | ExprKind::Index(..)
            | ExprKind::Field(..)
            | ExprKind::Call(..)
            | ExprKind::MethodCall(..)
    )
}

fn argument_count(args: &[Expr], span: Span) -> Result<u8, Error> {
    u8::try_from(args.len()).map_err(|_| Error::compile(span, "too many arguments in one call"))
}

fn count16(n: usize, span: Span) -> Result<u16, Error> {
    u16::try_from(n).map_err(|_| Error::compile(span, "too many elements in one literal"))
}
