//! Specialized lowering of arithmetic, comparisons and truthiness on unboxed Int, Float and
//! Bool values (LANGUAGE.md: `+ - *` wrap; `/` truncates; `%` takes the dividend's sign;
//! division by zero and shift counts outside 0..63 are errors, raised by the interpreter
//! after a deopt at the instruction; `i64::MIN / -1` wraps and `i64::MIN % -1` is 0).

use cranelift_codegen::ir::{
    condcodes::{FloatCC, IntCC},
    types, InstBuilder, Value,
};
use ruff_core::abi::bytecode::{BinOp, Reg, UnOp};
use ruff_core::abi::DeoptReason;

use super::Emitter;
use crate::translate::plan::state::{State, Ty};
use crate::translate::plan::Operand;

impl Emitter<'_, '_> {
    /// Truthiness (i8 0/1) of an unboxed value.
    pub(super) fn truth(&mut self, ty: Ty, v: Value) -> Value {
        match ty {
            Ty::Bool => v,
            Ty::Int => self.b.ins().icmp_imm_s(IntCC::NotEqual, v, 0),
            Ty::Float => {
                // -0.0 is falsy and NaN truthy: exactly `v != 0.0` (unordered counts as !=).
                let z = self.b.ins().f64const(0.0);
                self.b.ins().fcmp(FloatCC::NotEqual, v, z)
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn emit_arith(
        &mut self,
        pc: u32,
        st: &State,
        op: BinOp,
        a: Reg,
        b: Operand,
        lt: Ty,
        rt: Ty,
        res: Ty,
    ) -> Value {
        let x = self.get(a, lt);
        if res == Ty::Float {
            // An Int constant next to a Float is its Float value, folded here.
            let y = match b {
                Operand::Imm(i) => self.b.ins().f64const(i as f64),
                b => {
                    let y = self.operand_value(b, rt);
                    self.as_float(y, rt)
                }
            };
            let x = self.as_float(x, lt);
            return match op {
                BinOp::Add => self.b.ins().fadd(x, y),
                BinOp::Sub => self.b.ins().fsub(x, y),
                BinOp::Mul => self.b.ins().fmul(x, y),
                BinOp::Div => self.b.ins().fdiv(x, y),
                other => unreachable!("Float {other:?} is not planned unboxed"),
            };
        }
        let y = self.operand_value(b, rt);
        match op {
            BinOp::Add => self.b.ins().iadd(x, y),
            BinOp::Sub => self.b.ins().isub(x, y),
            BinOp::Mul => self.b.ins().imul(x, y),
            BinOp::BitAnd => self.b.ins().band(x, y),
            BinOp::BitOr => self.b.ins().bor(x, y),
            BinOp::BitXor => self.b.ins().bxor(x, y),
            BinOp::Shl | BinOp::Shr => {
                // A count outside 0..63 is an error: the interpreter raises it after a deopt.
                let ok = self
                    .b
                    .ins()
                    .icmp_imm_s(IntCC::UnsignedLessThanOrEqual, y, 63);
                self.deopt_unless(ok, st, pc, DeoptReason::Shift);
                if op == BinOp::Shl {
                    self.b.ins().ishl(x, y)
                } else {
                    self.b.ins().sshr(x, y)
                }
            }
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                unreachable!("comparisons are planned as `Cmp`")
            }
            BinOp::Div | BinOp::Mod => {
                // Division by zero: the interpreter raises the error after a deopt.
                let nz = self.b.ins().icmp_imm_s(IntCC::NotEqual, y, 0);
                self.deopt_unless(nz, st, pc, DeoptReason::Division);
                // MIN / -1 traps in hardware: divide by 1 instead and fix the result
                // (MIN / -1 wraps to MIN = -MIN; x % -1 is 0 = x % 1).
                let m1 = self.b.ins().icmp_imm_s(IntCC::Equal, y, -1);
                let one = self.iconst(types::I64, 1);
                let safe = self.b.ins().select(m1, one, y);
                if op == BinOp::Div {
                    let q = self.b.ins().sdiv(x, safe);
                    let neg = self.b.ins().ineg(x);
                    self.b.ins().select(m1, neg, q)
                } else {
                    self.b.ins().srem(x, safe)
                }
            }
        }
    }

    /// The unboxed value of a right operand of type `ty`: a register, or a constant.
    pub(super) fn operand_value(&mut self, b: Operand, ty: Ty) -> Value {
        match b {
            Operand::Reg(r) => self.get(r, ty),
            Operand::Imm(i) => self.iconst(types::I64, i),
            Operand::Float(f) => self.b.ins().f64const(f),
        }
    }

    fn as_float(&mut self, v: Value, ty: Ty) -> Value {
        match ty {
            Ty::Int => self.b.ins().fcvt_from_sint(types::F64, v),
            _ => v,
        }
    }

    pub(super) fn emit_cmp(&mut self, op: BinOp, ty: Ty, x: Value, y: Value) -> Value {
        if ty == Ty::Float {
            let cc = match op {
                BinOp::Eq => FloatCC::Equal,
                BinOp::Ne => FloatCC::NotEqual,
                BinOp::Lt => FloatCC::LessThan,
                BinOp::Le => FloatCC::LessThanOrEqual,
                BinOp::Gt => FloatCC::GreaterThan,
                BinOp::Ge => FloatCC::GreaterThanOrEqual,
                other => unreachable!("{other:?} is not a comparison"),
            };
            return self.b.ins().fcmp(cc, x, y);
        }
        let cc = match op {
            BinOp::Eq => IntCC::Equal,
            BinOp::Ne => IntCC::NotEqual,
            BinOp::Lt => IntCC::SignedLessThan,
            BinOp::Le => IntCC::SignedLessThanOrEqual,
            BinOp::Gt => IntCC::SignedGreaterThan,
            BinOp::Ge => IntCC::SignedGreaterThanOrEqual,
            other => unreachable!("{other:?} is not a comparison"),
        };
        self.b.ins().icmp(cc, x, y)
    }

    pub(super) fn emit_unary(&mut self, op: UnOp, ty: Ty, x: Value) -> (Ty, Value) {
        match (op, ty) {
            (UnOp::Neg, Ty::Float) => (ty, self.b.ins().fneg(x)),
            (UnOp::Neg, _) => (ty, self.b.ins().ineg(x)),
            (UnOp::BitNot, _) => (ty, self.b.ins().bnot(x)),
            (UnOp::Truthy, _) => (Ty::Bool, self.truth(ty, x)),
            (UnOp::Not, _) => {
                let t = self.truth(ty, x);
                (Ty::Bool, self.b.ins().bxor_imm_s(t, 1))
            }
        }
    }
}
