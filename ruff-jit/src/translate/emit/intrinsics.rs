//! Calls of numeric builtins inlined in specialized code (planned in `plan/calls.rs`).
//!
//! A `GetGlobal` whose value is next used as the callee of a `Call` in the same basic block,
//! and whose global holds a builtin at compile time, speculates that it still does: it
//! checks the global's tag and builtin id (a side exit at the `GetGlobal` otherwise, which
//! also covers an unbound global) and stores the builtin into the callee register without
//! any reference counting (`Action::GetBuiltin`). When that builtin is `sqrt`, `floor`,
//! `ceil`, `abs` or `to_float` and its one argument is already unboxed as an Int or Float,
//! the `Call` becomes machine instructions on the unboxed value (`Action::Intrinsic`) with
//! exactly the builtin's semantics: f64 `sqrt`/`floor`/`ceil` of the argument converted to
//! Float, wrap-around `abs` for Ints (`abs(i64::MIN)` stays `i64::MIN`), IEEE `abs` for Floats.
//! `round` is left out on purpose: the builtin rounds half away from zero, which no single
//! Cranelift instruction does.

use cranelift_codegen::ir::{condcodes::IntCC, types, InstBuilder};
use ruff_core::abi::builtin as id;
use ruff_core::abi::bytecode::Reg;

use super::Emitter;
use crate::translate::plan::state::Ty;

impl Emitter<'_, '_> {
    /// `R[base] = builtin(R[base + 1])` on the unboxed argument.
    pub fn emit_intrinsic(&mut self, b: u8, base: Reg, arg: Ty, res: Ty) {
        let x = self.get(base + 1, arg);
        let as_float = |e: &mut Self, x| match arg {
            Ty::Int => e.b.ins().fcvt_from_sint(types::F64, x),
            _ => x,
        };
        let v = match b {
            id::SQRT => {
                let f = as_float(self, x);
                self.b.ins().sqrt(f)
            }
            id::FLOOR => {
                let f = as_float(self, x);
                self.b.ins().floor(f)
            }
            id::CEIL => {
                let f = as_float(self, x);
                self.b.ins().ceil(f)
            }
            id::TO_FLOAT => as_float(self, x),
            id::ABS if arg == Ty::Float => self.b.ins().fabs(x),
            id::ABS => {
                // Wrap-around: `-i64::MIN` is `i64::MIN`, as `i64::wrapping_abs`.
                let neg = self.b.ins().ineg(x);
                let below = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, x, 0);
                self.b.ins().select(below, neg, x)
            }
            other => unreachable!("builtin {other} is not inlined"),
        };
        self.set(base, res, v);
    }
}
