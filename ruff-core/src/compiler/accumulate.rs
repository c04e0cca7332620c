//! Accumulating assignments: `x := x + a + b` (or `x = ...`) to a local `x` keeps the running
//! sum in `x`'s own register, as `x = x + a; x = x + b` would, instead of building it in a
//! temporary and moving it to `x` at the end.
//!
//! Why: with `x` as both destination and left operand, a Str (or any value) that only `x`
//! holds is extended in place (`Vm::binary_slow`), so growing a string with
//! `s := s + piece + ","` in a loop is linear instead of quadratic (every iteration used to
//! copy the whole string into the temporary). CPython does the same for `s = s + t` by
//! looking ahead to the store; here the compiler decides it.
//!
//! When it is the same program: the left spine of the value is all `+`, its leftmost operand
//! is the name `x`, `x` is a register local of this function (no closure captures it, so no
//! call can read or write it), and no right operand mentions `x` (nor defines a function,
//! conservatively). Then nothing can observe `x` between the first `+` and the assignment:
//! the right operands cannot read it, and an error ends the program (Ruff has no way to
//! catch one). Each `+` keeps its own error position, the operands are evaluated in the same
//! order, and `x` is read where it was read before (its `CheckDef`, if any, is unchanged).

use crate::ast::{BinOp, Expr, ExprKind, InterpPart};
use crate::bytecode::Reg;

use super::{Compiler, Var};

impl Compiler<'_> {
    /// Whether `e`, compiled into `dst`, may keep its partial sums in `dst` (see the module
    /// header). One walk of the value: the caller asks once per value, not per link.
    pub(super) fn accumulates_into(&mut self, e: &Expr, dst: Reg) -> bool {
        if self.f().is_temp(dst) {
            return false;
        }
        let mut rights = Vec::new();
        let mut cur = e;
        let name = loop {
            match &cur.kind {
                ExprKind::Binary(BinOp::Add, a, b) => {
                    rights.push(&**b);
                    cur = a;
                }
                ExprKind::Name(n) => break n,
                _ => return false,
            }
        };
        matches!(self.resolve(name), Var::Local(r) if r == dst)
            && !rights.iter().any(|b| mentions(b, name))
    }
}

/// Whether `e` reads the variable `name` anywhere, or defines a function (conservatively
/// treated as a mention). Iterative: operands may nest as deep as the parser allows.
fn mentions(e: &Expr, name: &str) -> bool {
    let mut todo = vec![e];
    while let Some(e) = todo.pop() {
        match &e.kind {
            ExprKind::Int(_)
            | ExprKind::Float(_)
            | ExprKind::Str(_)
            | ExprKind::Bool(_)
            | ExprKind::Null => {}
            ExprKind::Name(n) => {
                if n == name {
                    return true;
                }
            }
            ExprKind::Func(_) => return true,
            ExprKind::Interp(parts) => todo.extend(parts.iter().filter_map(|p| match p {
                InterpPart::Text(_) => None,
                InterpPart::Expr(e) => Some(e),
            })),
            ExprKind::Unary(_, a) | ExprKind::Field(a, _) => todo.push(a),
            ExprKind::Binary(_, a, b)
            | ExprKind::And(a, b)
            | ExprKind::Or(a, b)
            | ExprKind::Index(a, b) => todo.extend([&**a, &**b]),
            ExprKind::Call(f, args) | ExprKind::MethodCall(f, _, args) => {
                todo.push(f);
                todo.extend(args);
            }
            ExprKind::Array(items) => todo.extend(items),
            ExprKind::Dict(pairs) => todo.extend(pairs.iter().flat_map(|(k, v)| [k, v])),
            ExprKind::StructLit(_, fields) => todo.extend(fields.iter().map(|(_, _, v)| v)),
        }
    }
    false
}
