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
    /// Whether `e` (a `+` whose left operand is itself a link), compiled into `dst`, may keep
    /// its partial sums in `dst` (see the module header).
    pub(super) fn accumulates_into(&mut self, e: &Expr, dst: Reg) -> bool {
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
/// treated as a mention).
fn mentions(e: &Expr, name: &str) -> bool {
    let any = |es: &[Expr]| es.iter().any(|e| mentions(e, name));
    match &e.kind {
        ExprKind::Int(_)
        | ExprKind::Float(_)
        | ExprKind::Str(_)
        | ExprKind::Bool(_)
        | ExprKind::Null => false,
        ExprKind::Name(n) => n == name,
        ExprKind::Func(_) => true,
        ExprKind::Interp(parts) => parts.iter().any(|p| match p {
            InterpPart::Text(_) => false,
            InterpPart::Expr(e) => mentions(e, name),
        }),
        ExprKind::Unary(_, a) | ExprKind::Field(a, _) => mentions(a, name),
        ExprKind::Binary(_, a, b)
        | ExprKind::And(a, b)
        | ExprKind::Or(a, b)
        | ExprKind::Index(a, b) => mentions(a, name) || mentions(b, name),
        ExprKind::Call(f, args) | ExprKind::MethodCall(f, _, args) => {
            mentions(f, name) || any(args)
        }
        ExprKind::Array(items) => any(items),
        ExprKind::Dict(pairs) => pairs
            .iter()
            .any(|(k, v)| mentions(k, name) || mentions(v, name)),
        ExprKind::StructLit(_, fields) => fields.iter().any(|(_, _, v)| mentions(v, name)),
    }
}
