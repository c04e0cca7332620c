//! Specialized lowering of arithmetic, comparisons and truthiness on unboxed Int, Float and
//! Bool values (LANGUAGE.md: `+ - *` wrap; `/` truncates; `%` takes the dividend's sign;
//! division by zero and shift counts outside 0..63 are errors, raised by the interpreter
//! after a deopt at the instruction; `i64::MIN / -1` wraps and `i64::MIN % -1` is 0).

use cranelift_codegen::ir::{
    condcodes::{FloatCC, IntCC},
    types, InstBuilder, Value,
};
use ruff_core::bytecode::Reg;

use super::emit::{Emitter, Why};
use super::plan::{ArOp, CmpOp, Operand, Un};
use super::state::{State, Ty};

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
        op: ArOp,
        a: Reg,
        b: Operand,
        lt: Ty,
        rt: Ty,
        res: Ty,
    ) -> Value {
        let x = self.get(a, lt);
        let y = match b {
            Operand::Reg(r) => self.get(r, rt),
            Operand::Imm(i) if res == Ty::Float => return self.float_op(op, x, lt, i),
            Operand::Imm(i) => self.iconst(types::I64, i),
        };
        if res == Ty::Float {
            let x = self.as_float(x, lt);
            let y = self.as_float(y, rt);
            return match op {
                ArOp::Add => self.b.ins().fadd(x, y),
                ArOp::Sub => self.b.ins().fsub(x, y),
                ArOp::Mul => self.b.ins().fmul(x, y),
                _ => self.b.ins().fdiv(x, y),
            };
        }
        match op {
            ArOp::Add => self.b.ins().iadd(x, y),
            ArOp::Sub => self.b.ins().isub(x, y),
            ArOp::Mul => self.b.ins().imul(x, y),
            ArOp::And => self.b.ins().band(x, y),
            ArOp::Or => self.b.ins().bor(x, y),
            ArOp::Xor => self.b.ins().bxor(x, y),
            ArOp::Shl | ArOp::Shr => {
                // A count outside 0..63 is an error: the interpreter raises it after a deopt.
                let ok = self
                    .b
                    .ins()
                    .icmp_imm_s(IntCC::UnsignedLessThanOrEqual, y, 63);
                self.deopt_unless(ok, st, pc, Why::Shift);
                if op == ArOp::Shl {
                    self.b.ins().ishl(x, y)
                } else {
                    self.b.ins().sshr(x, y)
                }
            }
            ArOp::Div | ArOp::Mod => {
                // Division by zero: the interpreter raises the error after a deopt.
                let nz = self.b.ins().icmp_imm_s(IntCC::NotEqual, y, 0);
                self.deopt_unless(nz, st, pc, Why::Division);
                // MIN / -1 traps in hardware: divide by 1 instead and fix the result
                // (MIN / -1 wraps to MIN = -MIN; x % -1 is 0 = x % 1).
                let m1 = self.b.ins().icmp_imm_s(IntCC::Equal, y, -1);
                let one = self.iconst(types::I64, 1);
                let safe = self.b.ins().select(m1, one, y);
                if op == ArOp::Div {
                    let q = self.b.ins().sdiv(x, safe);
                    let neg = self.b.ins().ineg(x);
                    self.b.ins().select(m1, neg, q)
                } else {
                    self.b.ins().srem(x, safe)
                }
            }
        }
    }

    fn float_op(&mut self, op: ArOp, x: Value, lt: Ty, imm: i64) -> Value {
        let x = self.as_float(x, lt);
        let y = self.b.ins().f64const(imm as f64);
        match op {
            ArOp::Add => self.b.ins().fadd(x, y),
            ArOp::Sub => self.b.ins().fsub(x, y),
            ArOp::Mul => self.b.ins().fmul(x, y),
            _ => self.b.ins().fdiv(x, y),
        }
    }

    fn as_float(&mut self, v: Value, ty: Ty) -> Value {
        match ty {
            Ty::Int => self.b.ins().fcvt_from_sint(types::F64, v),
            _ => v,
        }
    }

    pub(super) fn emit_cmp(&mut self, op: CmpOp, ty: Ty, x: Value, y: Value) -> Value {
        if ty == Ty::Float {
            let cc = match op {
                CmpOp::Eq => FloatCC::Equal,
                CmpOp::Ne => FloatCC::NotEqual,
                CmpOp::Lt => FloatCC::LessThan,
                CmpOp::Le => FloatCC::LessThanOrEqual,
                CmpOp::Gt => FloatCC::GreaterThan,
                CmpOp::Ge => FloatCC::GreaterThanOrEqual,
            };
            return self.b.ins().fcmp(cc, x, y);
        }
        let cc = match op {
            CmpOp::Eq => IntCC::Equal,
            CmpOp::Ne => IntCC::NotEqual,
            CmpOp::Lt => IntCC::SignedLessThan,
            CmpOp::Le => IntCC::SignedLessThanOrEqual,
            CmpOp::Gt => IntCC::SignedGreaterThan,
            CmpOp::Ge => IntCC::SignedGreaterThanOrEqual,
        };
        self.b.ins().icmp(cc, x, y)
    }

    pub(super) fn emit_unary(&mut self, op: Un, ty: Ty, x: Value) -> (Ty, Value) {
        match (op, ty) {
            (Un::Neg, Ty::Float) => (ty, self.b.ins().fneg(x)),
            (Un::Neg, _) => (ty, self.b.ins().ineg(x)),
            (Un::BitNot, _) => (ty, self.b.ins().bnot(x)),
            (Un::Truthy, _) => (Ty::Bool, self.truth(ty, x)),
            (Un::Not, _) => {
                let t = self.truth(ty, x);
                (Ty::Bool, self.b.ins().bxor_imm_s(t, 1))
            }
        }
    }
}
