//! Conditions and the short-circuit operators.
//!
//! In a condition (`if`, `while`, and the left side of `&&`/`||`) only truthiness matters,
//! so `a < b && !c` becomes a chain of compare-and-jump with no Bool materialised for `&&`
//! or `!`. As a value, `&&`/`||` yield the deciding operand's truthiness as a Bool.
//!
//! The right operand of `&&`/`||` runs only sometimes, so what it proves about definite
//! assignment (a `CheckDef` that passed) is forgotten after it.

use crate::ast::{Expr, ExprKind, UnOp};
use crate::bytecode::{Instr, Reg};
use crate::deep::guard;
use crate::error::Error;

use super::Compiler;

impl Compiler<'_> {
    /// Emits jumps taken when `e` is falsy; returns them for patching. Falls through when
    /// `e` is truthy.
    pub(crate) fn jump_if_false(&mut self, e: &Expr) -> Result<Vec<usize>, Error> {
        guard(|| self.jump_if_false_here(e))
    }

    fn jump_if_false_here(&mut self, e: &Expr) -> Result<Vec<usize>, Error> {
        match &e.kind {
            ExprKind::Unary(UnOp::Not, a) => self.jump_if_true(a),
            ExprKind::And(..) => {
                // `a && b && c` is `(a && b) && c`: the chain is walked down its left spine
                // and compiled left to right without recursion.
                let (first, rest) = logical_chain(e, true);
                let mut jumps = self.jump_if_false(first)?;
                for b in rest.into_iter().rev() {
                    jumps.extend(self.conditionally(|c| c.jump_if_false(b))?);
                }
                Ok(jumps)
            }
            ExprKind::Or(a, b) => {
                let taken = self.jump_if_true(a)?;
                let jumps = self.conditionally(|c| c.jump_if_false(b))?;
                taken.into_iter().for_each(|j| self.f().patch_to_here(j));
                Ok(jumps)
            }
            _ => self.test(e, false),
        }
    }

    /// Emits jumps taken when `e` is truthy; falls through when it is falsy.
    pub(crate) fn jump_if_true(&mut self, e: &Expr) -> Result<Vec<usize>, Error> {
        guard(|| self.jump_if_true_here(e))
    }

    fn jump_if_true_here(&mut self, e: &Expr) -> Result<Vec<usize>, Error> {
        match &e.kind {
            ExprKind::Unary(UnOp::Not, a) => self.jump_if_false(a),
            ExprKind::Or(..) => {
                let (first, rest) = logical_chain(e, false);
                let mut jumps = self.jump_if_true(first)?;
                for b in rest.into_iter().rev() {
                    jumps.extend(self.conditionally(|c| c.jump_if_true(b))?);
                }
                Ok(jumps)
            }
            ExprKind::And(a, b) => {
                let skipped = self.jump_if_false(a)?;
                let jumps = self.conditionally(|c| c.jump_if_true(b))?;
                skipped.into_iter().for_each(|j| self.f().patch_to_here(j));
                Ok(jumps)
            }
            _ => self.test(e, true),
        }
    }

    /// Evaluates `e` and jumps on its truthiness (`when`).
    fn test(&mut self, e: &Expr, when: bool) -> Result<Vec<usize>, Error> {
        // `while true` / `if false`: the outcome is known, so no test is emitted.
        if let ExprKind::Bool(b) = e.kind {
            if b != when {
                return Ok(Vec::new());
            }
            return Ok(vec![self.f().emit(Instr::Jump { target: 0 }, e.span)]);
        }
        let mark = self.f().top;
        let cond = self.expr_any(e)?;
        let instr = if when {
            Instr::JumpIfTrue { cond, target: 0 }
        } else {
            Instr::JumpIfFalse { cond, target: 0 }
        };
        let j = self.f().emit(instr, e.span);
        self.f().free_to(mark);
        Ok(vec![j])
    }

    /// Compiles code that may not run; definite-assignment facts it establishes are dropped.
    pub(crate) fn conditionally<T>(
        &mut self,
        body: impl FnOnce(&mut Self) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let saved = self.f().assigned.clone();
        let r = body(self);
        self.f().assigned = saved;
        r
    }

    /// `a && b` / `a || b` as a Bool value in `dst`.
    pub(crate) fn logical_value(&mut self, e: &Expr, dst: Reg) -> Result<(), Error> {
        let (a, b, is_and) = match &e.kind {
            ExprKind::And(a, b) => (a, b, true),
            ExprKind::Or(a, b) => (a, b, false),
            _ => unreachable!("logical_value on a non-logical expression"),
        };
        let decided = if is_and {
            self.jump_if_false(a)?
        } else {
            self.jump_if_true(a)?
        };
        self.conditionally(|c| {
            let mark = c.f().top;
            let rb = c.expr_any(b)?;
            c.f().emit(Instr::Truthy { dst, src: rb }, e.span);
            c.f().free_to(mark);
            Ok(())
        })?;
        let done = self.f().emit(Instr::Jump { target: 0 }, e.span);
        decided.into_iter().for_each(|j| self.f().patch_to_here(j));
        self.f().emit(Instr::LoadBool { dst, v: !is_and }, e.span);
        self.f().patch_to_here(done);
        Ok(())
    }
}

/// The left spine of a chain of `&&` (`and_chain`) or `||`: its first operand, and the right
/// operands from the last to the second.
fn logical_chain(e: &Expr, and_chain: bool) -> (&Expr, Vec<&Expr>) {
    let mut rest = Vec::new();
    let mut first = e;
    loop {
        match &first.kind {
            ExprKind::And(a, b) if and_chain => {
                rest.push(&**b);
                first = a;
            }
            ExprKind::Or(a, b) if !and_chain => {
                rest.push(&**b);
                first = a;
            }
            _ => return (first, rest),
        }
    }
}
