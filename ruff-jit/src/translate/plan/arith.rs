//! Planning operators: which binary and unary operators run on unboxed values, with which
//! guards, and what type they produce. The rules come from each operator's family
//! (`BinOp::family`), so they hold for any operator of a family.

use ruff_core::abi::bytecode::{BinOp, Family, Instr, Reg, UnOp};
use ruff_core::abi::feedback::{seen_lhs, seen_rhs};

use super::state::{State, Ty};
use super::{Action, Plan, Planner};

/// The right operand of an unboxed binary operation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Operand {
    Reg(Reg),
    /// `AddImm`'s immediate (an Int).
    Imm(i64),
}

/// The type `a op b` has for operands of types `lt` and `rt`, if it is a scalar the
/// language defines without an error for every such pair of values (division by zero and
/// shift counts aside, which compiled code checks). Also what the hoisting pass predicts.
pub fn result_type(op: BinOp, lt: Ty, rt: Ty) -> Option<Ty> {
    use Ty::*;
    match (op.family(), lt, rt) {
        (Family::Equality | Family::Order, _, _) => Some(Bool),
        (Family::Arith | Family::Bitwise, Int, Int) => Some(Int),
        (Family::Arith, Int | Float, Int | Float) => Some(Float),
        _ => None,
    }
}

/// Float operations the emitter has an instruction for (`%` on Floats, `fmod`, has none:
/// it goes through the helper).
fn float_lowered(op: BinOp) -> bool {
    matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div)
}

/// Comparisons the emitter lowers for operands of type `ty` (Bools only compare for
/// equality).
fn compare_lowered(op: BinOp, ty: Ty) -> bool {
    ty != Ty::Bool || op.family() == Family::Equality
}

impl Planner<'_> {
    /// Binary and unary operators, unboxed when both operand types are known or speculated
    /// and the emitter lowers the operation; `None` for the generic lowering.
    pub(super) fn plan_operator(
        &self,
        st: &State,
        fb: u32,
        allow: bool,
        instr: &Instr,
    ) -> Option<Plan> {
        if let Some((op, dst, a, b)) = instr.as_binary() {
            return if op.compares() {
                self.compare(st, fb, allow, op, dst, a, b)
            } else {
                self.arith(st, fb, allow, op, dst, a, Operand::Reg(b))
            };
        }
        if let Instr::AddImm { dst, a, imm } = *instr {
            return self.arith(st, fb, allow, BinOp::Add, dst, a, Operand::Imm(imm as i64));
        }
        let (op, dst, src) = instr.as_unary()?;
        // `Truthy` has no feedback: it only uses what the state knows.
        let (fb, allow) = if op == UnOp::Truthy {
            (0, false)
        } else {
            (fb, allow)
        };
        self.unary(st, fb, allow, op, dst, src)
    }

    #[allow(clippy::too_many_arguments)]
    fn arith(
        &self,
        st: &State,
        fb: u32,
        allow: bool,
        op: BinOp,
        dst: Reg,
        a: Reg,
        b: Operand,
    ) -> Option<Plan> {
        let (lt, ga) = self.operand(st, a, seen_lhs(fb), allow)?;
        let (rt, gb) = match b {
            Operand::Imm(_) => (Ty::Int, false),
            Operand::Reg(r) => self.operand(st, r, seen_rhs(fb), allow)?,
        };
        let res = result_type(op, lt, rt)?;
        if res == Ty::Float && !float_lowered(op) {
            return None;
        }
        let rhs = match b {
            Operand::Reg(r) => Some((r, rt, gb)),
            Operand::Imm(_) => None,
        };
        Some(Plan {
            guards: operand_guards((a, lt, ga), rhs),
            action: Action::Arith {
                op,
                dst,
                a,
                b,
                lt,
                rt,
                res,
            },
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn compare(
        &self,
        st: &State,
        fb: u32,
        allow: bool,
        op: BinOp,
        dst: Reg,
        a: Reg,
        b: Reg,
    ) -> Option<Plan> {
        let (lt, ga) = self.operand(st, a, seen_lhs(fb), allow)?;
        let (rt, gb) = self.operand(st, b, seen_rhs(fb), allow)?;
        if lt != rt || !compare_lowered(op, lt) {
            return None;
        }
        Some(Plan {
            guards: operand_guards((a, lt, ga), Some((b, rt, gb))),
            action: Action::Cmp {
                op,
                dst,
                a,
                b,
                ty: lt,
            },
        })
    }

    fn unary(
        &self,
        st: &State,
        fb: u32,
        allow: bool,
        op: UnOp,
        dst: Reg,
        src: Reg,
    ) -> Option<Plan> {
        let (ty, g) = self.operand(st, src, seen_lhs(fb), allow)?;
        let ok = match op {
            UnOp::Neg => ty != Ty::Bool,
            UnOp::BitNot => ty == Ty::Int,
            UnOp::Not | UnOp::Truthy => true,
        };
        if !ok {
            return None;
        }
        Some(Plan {
            guards: if g { vec![(src, ty)] } else { vec![] },
            action: Action::Unary { op, dst, src, ty },
        })
    }
}

/// The guards of a binary operation whose operands are `(register, type, needs a guard)`:
/// a register used twice is checked once.
fn operand_guards(a: (Reg, Ty, bool), b: Option<(Reg, Ty, bool)>) -> Vec<(Reg, Ty)> {
    let mut guards = vec![];
    if a.2 {
        guards.push((a.0, a.1));
    }
    if let Some((r, t, true)) = b {
        if !(a.2 && r == a.0) {
            guards.push((r, t));
        }
    }
    guards
}

/// Result type of an unboxed unary operation.
pub fn unary_result(op: UnOp, ty: Ty) -> Ty {
    if op.tests_truth() {
        Ty::Bool
    } else {
        ty
    }
}
