//! Statements other than assignments and `for` (see `assign`, `loops`).
//!
//! Definite assignment is tracked along the way (`FuncState::assigned`): straight-line code
//! adds the locals it binds; after an `if` only what both branches bind counts; what a loop
//! body binds does not count after the loop.

use crate::ast::{Stmt, StmtKind};
use crate::bytecode::Instr;
use crate::deep::guard;
use crate::error::Error;

use super::func::LoopCtx;
use super::{Compiler, Var};

impl Compiler<'_> {
    pub(crate) fn stmts(&mut self, body: &[Stmt]) -> Result<(), Error> {
        body.iter().try_for_each(|s| self.stmt(s))
    }

    /// One statement; blocks nest (up to the parser's limit), so each level is guarded.
    pub(crate) fn stmt(&mut self, stmt: &Stmt) -> Result<(), Error> {
        guard(|| self.stmt_here(stmt))
    }

    fn stmt_here(&mut self, stmt: &Stmt) -> Result<(), Error> {
        let span = stmt.span;
        let mark = self.f().top;
        match &stmt.kind {
            StmtKind::Expr(e) => {
                self.expr_any(e)?;
            }
            StmtKind::Assign { target, op, value } => self.assign(target, *op, value, span)?,
            StmtKind::Decl {
                name,
                name_span,
                value,
                ..
            } => self.bind_name(name, *name_span, value, span)?,
            StmtKind::If {
                cond,
                then_body,
                else_body,
            } => {
                let to_else = self.jump_if_false(cond)?;
                let before = self.f().assigned.clone();
                self.stmts(then_body)?;
                match else_body {
                    Some(else_body) => {
                        let to_end = self.f().emit(Instr::Jump { target: 0 }, span);
                        to_else.into_iter().for_each(|j| self.f().patch_to_here(j));
                        let after_then = std::mem::replace(&mut self.f().assigned, before);
                        self.stmts(else_body)?;
                        let f = self.f();
                        for (a, t) in f.assigned.iter_mut().zip(after_then) {
                            *a &= t;
                        }
                        f.patch_to_here(to_end);
                    }
                    None => {
                        to_else.into_iter().for_each(|j| self.f().patch_to_here(j));
                        self.f().assigned = before;
                    }
                }
            }
            StmtKind::While { cond, body } => {
                let header = self.f().here();
                let exits = self.jump_if_false(cond)?;
                self.loop_body(header, body, span)?;
                let f = self.f();
                exits.into_iter().for_each(|j| f.patch_to_here(j));
                self.end_loop();
            }
            StmtKind::Loop { body } => {
                let header = self.f().here();
                self.loop_body(header, body, span)?;
                self.end_loop();
            }
            StmtKind::For {
                var,
                var_span,
                iter,
                body,
            } => self.for_loop(var, *var_span, iter, body, span)?,
            StmtKind::Break => {
                let j = self.f().emit(Instr::Jump { target: 0 }, span);
                let ctx = self.f().loops.last_mut().expect("checked: break in a loop");
                ctx.breaks.push(j);
            }
            StmtKind::Continue => {
                let f = self.f();
                let header = f.loops.last().expect("checked: continue in a loop").header;
                f.emit(Instr::LoopBack { target: header }, span);
            }
            StmtKind::Return(None) => {
                self.f().emit(Instr::ReturnNull, span);
            }
            StmtKind::Return(Some(e)) => {
                let src = self.expr_any(e)?;
                self.f().emit(Instr::Return { src }, span);
            }
            StmtKind::Func(decl) => {
                let name = decl.name.as_deref().unwrap_or_default();
                match self.resolve(name) {
                    Var::Local(r) => {
                        self.make_closure(decl, r)?;
                        self.f().assigned[r as usize] = true;
                    }
                    var => {
                        let t = self.f().alloc(1, decl.span)?;
                        self.make_closure(decl, t)?;
                        self.store_var(var, t, decl.span);
                    }
                }
            }
            // Struct definitions are built once, before the code runs.
            StmtKind::Struct(_) => {}
        }
        self.f().free_to(mark);
        Ok(())
    }

    /// Compiles a loop body whose `continue` (and final back-edge) goes to `header`; the
    /// loop stays open (its breaks unpatched) until `end_loop`. Definite-assignment facts
    /// from the body are dropped.
    pub(crate) fn loop_body(
        &mut self,
        header: u32,
        body: &[Stmt],
        span: crate::span::Span,
    ) -> Result<(), Error> {
        self.f().loops.push(LoopCtx {
            header,
            breaks: Vec::new(),
        });
        self.conditionally(|c| c.stmts(body))?;
        self.f().emit(Instr::LoopBack { target: header }, span);
        Ok(())
    }

    /// Points the innermost loop's `break`s here and closes it.
    pub(crate) fn end_loop(&mut self) {
        let f = self.f();
        let ctx = f.loops.pop().expect("a loop is open");
        ctx.breaks.into_iter().for_each(|j| f.patch_to_here(j));
    }
}
