//! Planning operators: which binary and unary operators run on unboxed values, with which
//! guards, and what type they produce. The rules come from each operator's family
//! (`BinOp::family`), so they hold for any operator of a family.

use ruff_core::abi::bytecode::{BinOp, Family, Instr, Reg, Scalar, UnOp};
use ruff_core::abi::feedback::{seen_lhs, seen_rhs};

use super::state::{State, Ty};
use super::{Action, Plan, Planner};

/// The right operand of an unboxed binary operation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Operand {
    Reg(Reg),
    /// `AddImm`'s immediate or `BinaryK`'s Int constant.
    Imm(i64),
    /// `BinaryK`'s Float constant.
    Float(f64),
}

impl Operand {
    /// The type of a constant operand (`None` for a register).
    fn constant_type(self) -> Option<Ty> {
        match self {
            Operand::Reg(_) => None,
            Operand::Imm(_) => Some(Ty::Int),
            Operand::Float(_) => Some(Ty::Float),
        }
    }
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
        let binary = match *instr {
            Instr::AddImm { dst, a, imm } => Some((BinOp::Add, dst, a, Operand::Imm(imm as i64))),
            Instr::BinaryK { op, dst, a, k } => {
                let b = match self.proto.scalar_const(k as u32)? {
                    Scalar::Int(i) => Operand::Imm(i),
                    Scalar::Float(f) => Operand::Float(f),
                    Scalar::Bool(_) => return None,
                };
                Some((op, dst, a, b))
            }
            _ => instr
                .as_binary()
                .map(|(op, dst, a, b)| (op, dst, a, Operand::Reg(b))),
        };
        if let Some((op, dst, a, b)) = binary {
            return if op.compares() {
                self.compare(st, fb, allow, op, dst, a, b)
            } else {
                self.arith(st, fb, allow, op, dst, a, b)
            };
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
        let (rt, gb) = self.right_operand(st, fb, allow, b)?;
        let res = result_type(op, lt, rt)?;
        if res == Ty::Float && !float_lowered(op) {
            return None;
        }
        let rhs = match b {
            Operand::Reg(r) => Some((r, rt, gb)),
            _ => None,
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
        b: Operand,
    ) -> Option<Plan> {
        let (lt, ga) = self.operand(st, a, seen_lhs(fb), allow)?;
        let (rt, gb) = self.right_operand(st, fb, allow, b)?;
        if lt != rt || !compare_lowered(op, lt) {
            return None;
        }
        let rhs = match b {
            Operand::Reg(r) => Some((r, rt, gb)),
            _ => None,
        };
        Some(Plan {
            guards: operand_guards((a, lt, ga), rhs),
            action: Action::Cmp {
                op,
                dst,
                a,
                b,
                ty: lt,
            },
        })
    }

    /// The type of a binary operation's right operand and whether it needs a guard: a
    /// constant's own type, or what the state or feedback says of a register.
    fn right_operand(&self, st: &State, fb: u32, allow: bool, b: Operand) -> Option<(Ty, bool)> {
        match b {
            Operand::Reg(r) => self.operand(st, r, seen_rhs(fb), allow),
            c => c.constant_type().map(|t| (t, false)),
        }
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
