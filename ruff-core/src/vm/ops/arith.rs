//! Operators: the Int/Float fast path shared by the interpreter and compiled code's
//! `Binary` helper (the kernels themselves are `values::int_op`/`float_op`).

use crate::bytecode::{BinOp, Reg};
use crate::value::Value;
use crate::values::{float_op, int_op};
use crate::vm::regs::{put_scalar, reg};

/// The right operand of a binary operator: a register, or `AddImm`'s immediate.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Rhs {
    Reg(Reg),
    Imm(i16),
}

/// `R[dst] = R[a] op rhs` when both operands are Ints or both Floats (an immediate counts as
/// an Int, and as its Float value next to a Float) and the operation succeeds. Returns false
/// without writing anything otherwise: the generic path then decides (other types, and the
/// errors, whose messages it raises).
///
/// # Safety
/// The registers belong to the live frame at `regs` (see the module docs).
#[inline(always)]
pub(crate) unsafe fn binary_scalar(
    regs: *mut Value,
    op: BinOp,
    dst: Reg,
    a: Reg,
    rhs: Rhs,
) -> bool {
    // SAFETY: registers of the live frame (the caller's contract).
    let x = unsafe { &*reg(regs, a) };
    let result = match rhs {
        Rhs::Imm(i) => match x {
            Value::Int(x) => int_op(op, *x, i as i64),
            Value::Float(x) => float_op(op, *x, i as f64),
            _ => return false,
        },
        // SAFETY: as above.
        Rhs::Reg(b) => match (x, unsafe { &*reg(regs, b) }) {
            (Value::Int(x), Value::Int(y)) => int_op(op, *x, *y),
            (Value::Float(x), Value::Float(y)) => float_op(op, *x, *y),
            _ => return false,
        },
    };
    match result {
        // SAFETY: `dst` is a register of the live frame; the operands were read already.
        Ok(s) => unsafe { put_scalar(regs.add(dst as usize), s) },
        Err(_) => return false,
    }
    true
}
