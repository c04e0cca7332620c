//! Assignments: `:=` and declarations (bind), `=` (update an existing binding) and `op=`,
//! to names, index targets and fields.
//!
//! Order (LANGUAGE-DETAILS §3): `x = e` evaluates e and then fails if x is unbound;
//! `x op= e` reads x (failing at the name if unbound) before e; `a[i] op= e` evaluates a, i,
//! reads, evaluates e, operates, writes. Errors of the operation point at the `op=` token
//! (the statement span), undefined names at the name, index errors at the `[`.

use crate::ast::{AssignOp, BinOp, Expr, Target};
use crate::bytecode::{Instr, Reg};
use crate::error::Error;
use crate::span::Span;

use super::{Compiler, Var};

impl Compiler<'_> {
    pub(crate) fn assign(
        &mut self,
        target: &Target,
        op: AssignOp,
        value: &Expr,
        span: Span,
    ) -> Result<(), Error> {
        match (target, op) {
            (Target::Name(name, name_span), AssignOp::Walrus) => {
                self.bind_name(name, *name_span, value, span)
            }
            (Target::Name(name, name_span), AssignOp::Set) => {
                self.set_name(name, *name_span, value, span)
            }
            (Target::Name(name, name_span), AssignOp::Compound(bop)) => {
                self.compound_name(name, *name_span, bop, value, span)
            }
            (Target::Index(obj, idx, bracket), _) => {
                let obj = self.expr_any(obj)?;
                let idx = self.expr_any(idx)?;
                let src = match op {
                    AssignOp::Compound(bop) => {
                        let t = self.f().alloc(1, span)?;
                        self.f()
                            .emit(Instr::GetIndex { dst: t, obj, idx }, *bracket);
                        self.operate(bop, t, value, span)?;
                        t
                    }
                    _ => self.expr_any(value)?,
                };
                self.f().emit(Instr::SetIndex { obj, idx, src }, *bracket);
                Ok(())
            }
            (Target::Field(obj, field, field_span), _) => {
                let obj = self.expr_any(obj)?;
                let name = self.f().name(field, *field_span)?;
                let src = match op {
                    AssignOp::Compound(bop) => {
                        let t = self.f().alloc(1, span)?;
                        self.f()
                            .emit(Instr::GetField { dst: t, obj, name }, *field_span);
                        self.operate(bop, t, value, span)?;
                        t
                    }
                    _ => self.expr_any(value)?,
                };
                self.f()
                    .emit(Instr::SetField { obj, name, src }, *field_span);
                Ok(())
            }
        }
    }

    /// `R[acc] = R[acc] op value`, with the error position `span` (the `op=` token).
    fn operate(&mut self, op: BinOp, acc: Reg, value: &Expr, span: Span) -> Result<(), Error> {
        if self.operator_with_literal(op, acc, acc, value, span)? {
            return Ok(());
        }
        let mark = self.f().top;
        let b = self.expr_any(value)?;
        self.f().emit(Instr::binary(op, acc, acc, b), span);
        self.f().free_to(mark);
        Ok(())
    }

    /// `name := value`, `let`/`mut`/`const name := value`: binds in the scope resolution
    /// chose (a local of this or an enclosing function, or a global at top level).
    pub(crate) fn bind_name(
        &mut self,
        name: &str,
        name_span: Span,
        value: &Expr,
        span: Span,
    ) -> Result<(), Error> {
        match self.resolve(name) {
            Var::Local(r) => {
                self.expr_to(value, r)?;
                self.f().assigned[r as usize] = true;
            }
            var => {
                let src = self.expr_any(value)?;
                let at = if matches!(var, Var::Global(_)) {
                    span
                } else {
                    name_span
                };
                self.store_var(var, src, at);
            }
        }
        Ok(())
    }

    /// Stores `src` into a variable (defining a global).
    pub(crate) fn store_var(&mut self, var: Var, src: Reg, span: Span) {
        let instr = match var {
            Var::Local(r) => {
                self.f().assigned[r as usize] = true;
                Instr::Move { dst: r, src }
            }
            Var::Cell(cell) => Instr::SetCell { cell, src },
            Var::Upval(idx) => Instr::SetUpval { idx, src },
            Var::Global(g) => Instr::DefGlobal { g, src },
        };
        self.f().emit(instr, span);
    }

    /// `name = value`: the binding must exist when it runs (checked after the value).
    fn set_name(
        &mut self,
        name: &str,
        name_span: Span,
        value: &Expr,
        span: Span,
    ) -> Result<(), Error> {
        let var = self.resolve(name);
        if let Var::Local(r) = var {
            if self.f().assigned[r as usize] {
                return self.expr_to(value, r);
            }
        }
        let src = self.expr_any(value)?;
        let n = self.f().name(name, name_span)?;
        let instr = match var {
            Var::Local(r) => {
                self.f()
                    .emit(Instr::CheckDef { reg: r, name: n }, name_span);
                self.f().assigned[r as usize] = true;
                Instr::Move { dst: r, src }
            }
            // Cells and upvalues: reading is the check (its value is discarded).
            Var::Cell(cell) => {
                let t = self.f().alloc(1, name_span)?;
                self.f().emit(
                    Instr::GetCell {
                        dst: t,
                        cell,
                        name: n,
                    },
                    name_span,
                );
                Instr::SetCell { cell, src }
            }
            Var::Upval(idx) => {
                let t = self.f().alloc(1, name_span)?;
                self.f().emit(
                    Instr::GetUpval {
                        dst: t,
                        idx,
                        name: n,
                    },
                    name_span,
                );
                Instr::SetUpval { idx, src }
            }
            Var::Global(g) => Instr::SetGlobal { g, src },
        };
        let at = if matches!(var, Var::Global(_)) {
            name_span
        } else {
            span
        };
        self.f().emit(instr, at);
        Ok(())
    }

    /// `name op= value`.
    fn compound_name(
        &mut self,
        name: &str,
        name_span: Span,
        op: BinOp,
        value: &Expr,
        span: Span,
    ) -> Result<(), Error> {
        let var = self.resolve(name);
        if let Var::Local(r) = var {
            self.ensure_assigned(r, name, name_span)?;
            return self.operate(op, r, value, span);
        }
        let t = self.f().alloc(1, span)?;
        self.read_var(var, name, t, name_span)?;
        self.operate(op, t, value, span)?;
        let at = if matches!(var, Var::Global(_)) {
            name_span
        } else {
            span
        };
        let instr = match var {
            Var::Cell(cell) => Instr::SetCell { cell, src: t },
            Var::Upval(idx) => Instr::SetUpval { idx, src: t },
            Var::Global(g) => Instr::SetGlobal { g, src: t },
            Var::Local(_) => unreachable!("handled above"),
        };
        self.f().emit(instr, at);
        Ok(())
    }
}
