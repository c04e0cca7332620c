//! `for x in v` loops.
//!
//! ```text
//!         RangePrep/IterPrep  iter          ; three state registers iter..iter+2
//! header: IterNext iter -> x, exit          ; x's own register when it is a plain local
//!         (store x)                         ; cell / upvalue / global variables
//!         body                              ; `continue` = LoopBack header
//!         LoopBack header
//! exit:
//! ```
//! `for x in range(args)` evaluates the name `range` like any other (the program may rebind
//! it) and lets `RangePrep` iterate without allocating while it is still the builtin. The
//! state registers are temporaries, never visible as variables. The variable is an ordinary
//! one: assigned inside the body, but not known to be after the loop (it may never run).

use crate::ast::{Expr, ExprKind, Stmt};
use crate::bytecode::Instr;
use crate::error::Error;
use crate::span::Span;

use super::{Compiler, Var};

impl Compiler<'_> {
    pub(crate) fn for_loop(
        &mut self,
        var: &str,
        var_span: Span,
        iter: &Expr,
        body: &[Stmt],
        span: Span,
    ) -> Result<(), Error> {
        let mark = self.f().top;
        let state = match &iter.kind {
            ExprKind::Call(callee, args)
                if matches!(&callee.kind, ExprKind::Name(n) if n == "range")
                    && args.len() <= u8::MAX as usize =>
            {
                let argc = args.len() as u8;
                let state = self.f().alloc(1, iter.span)?;
                self.expr_to(callee, state)?;
                for a in args {
                    let slot = self.f().alloc(1, iter.span)?;
                    self.expr_to(a, slot)?;
                }
                let f = self.f();
                // The state needs three registers; a call of a rebound `range` needs its
                // arguments plus the reserved register.
                f.reserve(state as u32 + 3, iter.span)?;
                f.reserve(state as u32 + argc as u32 + 2, iter.span)?;
                f.emit(Instr::RangePrep { iter: state, argc }, iter.span);
                state
            }
            _ => {
                let state = self.f().alloc(1, iter.span)?;
                self.expr_to(iter, state)?;
                self.f().emit(Instr::IterPrep { iter: state }, iter.span);
                state
            }
        };
        self.f().free_to(state as u32);
        self.f().alloc(3, iter.span)?;
        let var_ref = self.resolve(var);
        let dst = match var_ref {
            Var::Local(r) => r,
            _ => self.f().alloc(1, var_span)?,
        };
        let header = self.f().here();
        let next = self.f().emit(
            Instr::IterNext {
                iter: state,
                dst,
                exit: 0,
            },
            iter.span,
        );
        self.conditionally(|c| {
            match var_ref {
                Var::Local(r) => c.f().assigned[r as usize] = true,
                other => c.store_var(other, dst, span),
            }
            c.loop_body(header, body, span)
        })?;
        self.f().patch_to_here(next);
        self.end_loop();
        self.f().free_to(mark);
        Ok(())
    }
}
