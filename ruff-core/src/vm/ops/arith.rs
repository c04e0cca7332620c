//! Operators: the binary operators' Int/Float fast path and generic path, and the unary
//! operators, shared by the interpreter, the generic executor and compiled code's `Binary`
//! helper. The kernels themselves are `values::int_op`/`float_op`/`unary_scalar`; with the
//! operator a constant at a call site they fold to the one machine operation.

use crate::bytecode::{BinOp, Reg, UnOp};
use crate::profile::{lhs_bit, rhs_bit};
use crate::value::{tag, Scalar, Value};
use crate::values::{equals_shallow, float_op, int_op, unary_scalar};
use crate::vm::glue;
use crate::vm::regs::{put, put_scalar, reg};
use crate::vm::Vm;

/// The right operand of a binary operator: a register, `AddImm`'s immediate, or
/// `BinaryK`'s constant (a pointer into the running function's constant pool, which lives
/// as long as the function's code).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Rhs {
    Reg(Reg),
    Imm(i16),
    Const(*const Value),
}

/// `R[a] op rhs` when both operands are Ints or both Floats (an immediate counts as an Int,
/// and as its Float value next to a Float) and the operation succeeds: the result, and the
/// operands' feedback word (`profile.rs`: the tag of each operand) for the interpreter to
/// record. `None` otherwise: the generic path then decides (other types, and the errors,
/// whose messages it raises).
///
/// # Safety
/// The registers belong to the live frame at `regs` (see the module docs of `ops`).
#[inline(always)]
pub(crate) unsafe fn scalar_binary(
    regs: *mut Value,
    op: BinOp,
    a: Reg,
    rhs: Rhs,
) -> Option<(Scalar, u32)> {
    const INT_INT: u32 = lhs_bit(tag::INT) | rhs_bit(tag::INT);
    const FLOAT_INT: u32 = lhs_bit(tag::FLOAT) | rhs_bit(tag::INT);
    // SAFETY: registers of the live frame (the caller's contract).
    let x = unsafe { &*reg(regs, a) };
    match rhs {
        Rhs::Imm(i) => match x {
            Value::Int(x) => int_op(op, *x, i as i64).ok().map(|s| (s, INT_INT)),
            Value::Float(x) => float_op(op, *x, i as f64).ok().map(|s| (s, FLOAT_INT)),
            _ => None,
        },
        // SAFETY: as above.
        Rhs::Reg(b) => same_kind(op, x, unsafe { &*reg(regs, b) }),
        // SAFETY: a constant of the running function (the caller's contract).
        Rhs::Const(k) => same_kind(op, x, unsafe { &*k }),
    }
}

/// `x op y` for two Ints or two Floats (see `scalar_binary`).
#[inline(always)]
fn same_kind(op: BinOp, x: &Value, y: &Value) -> Option<(Scalar, u32)> {
    const INT_INT: u32 = lhs_bit(tag::INT) | rhs_bit(tag::INT);
    const FLOAT_FLOAT: u32 = lhs_bit(tag::FLOAT) | rhs_bit(tag::FLOAT);
    match (x, y) {
        (Value::Int(x), Value::Int(y)) => int_op(op, *x, *y).ok().map(|s| (s, INT_INT)),
        (Value::Float(x), Value::Float(y)) => float_op(op, *x, *y).ok().map(|s| (s, FLOAT_FLOAT)),
        _ => None,
    }
}

/// `scalar_binary` storing its result in `R[dst]`: true if it did, false (nothing written)
/// when the generic path must decide.
///
/// # Safety
/// As `scalar_binary`.
#[inline(always)]
pub(crate) unsafe fn binary_scalar(
    regs: *mut Value,
    op: BinOp,
    dst: Reg,
    a: Reg,
    rhs: Rhs,
) -> bool {
    // SAFETY: the caller's contract.
    match unsafe { scalar_binary(regs, op, a, rhs) } {
        // SAFETY: `dst` is a register of the live frame; the operands were read already.
        Some((s, _)) => unsafe { put_scalar(regs.add(dst as usize), s) },
        None => return false,
    }
    true
}

/// `R[dst] = R[a] == y` (or `!=`) when no container has to be walked to decide it (Strs,
/// `null`, struct and function identity, mixed types): true if it did, false (nothing
/// written) otherwise. The generic paths try it before `values::binary`, whose layers cost
/// several times the comparison on the string tests of dispatch loops (`op == "add"`) and
/// the `x == null` tests of linked structures; the answer is `values::equals`' own
/// (`values::equals_shallow`).
///
/// # Safety
/// As `scalar_binary`.
#[inline(always)]
pub(crate) unsafe fn equality_shallow(
    regs: *mut Value,
    op: BinOp,
    dst: Reg,
    a: Reg,
    y: &Value,
) -> bool {
    if !matches!(op, BinOp::Eq | BinOp::Ne) {
        return false;
    }
    // SAFETY: registers of the live frame (the caller's contract).
    let x = unsafe { &*reg(regs, a) };
    // Two Strs (the dispatch loops' case) before the general match.
    let same = if let (Value::Str(p), Value::Str(q)) = (x, y) {
        std::rc::Rc::ptr_eq(p, q) || p.text == q.text
    } else if let Some(same) = equals_shallow(x, y) {
        same
    } else {
        return false;
    };
    // SAFETY: as above; the operands were read already.
    unsafe {
        put_scalar(
            regs.add(dst as usize),
            Scalar::Bool(same == (op == BinOp::Eq)),
        )
    };
    true
}

/// `R[a] = R[a] + R[b]` for two Strs when nothing else holds `R[a]`'s string and `b` is
/// another register: appended in place (amortised by the string's capacity). False, with
/// nothing changed, otherwise, or when growing fails (the generic path then raises the
/// error). The generic paths of both tiers try it before `Vm::binary_slow`'s general case.
///
/// # Safety
/// As `scalar_binary`.
#[inline(always)]
pub(crate) unsafe fn append_in_place(
    regs: *mut Value,
    op: BinOp,
    dst: Reg,
    a: Reg,
    b: Reg,
) -> bool {
    if op != BinOp::Add || dst != a || a == b {
        return false;
    }
    // SAFETY: distinct registers of the live frame (the caller's contract).
    let (x, y) = unsafe { (&mut *reg(regs, a), &*reg(regs, b)) };
    let (Value::Str(x), Value::Str(y)) = (x, y) else {
        return false;
    };
    match std::rc::Rc::get_mut(x) {
        Some(obj) => crate::mem::push_str(&mut obj.text, &y.text).is_ok(),
        None => false,
    }
}

/// The feedback word of a binary operator's operands, whatever their types.
///
/// # Safety
/// As `scalar_binary`.
#[inline(always)]
pub(crate) unsafe fn operand_bits(regs: *mut Value, a: Reg, rhs: Rhs) -> u32 {
    // SAFETY: the caller's contract.
    let x = unsafe { &*reg(regs, a) }.tag();
    let y = match rhs {
        // SAFETY: as above.
        Rhs::Reg(b) => unsafe { &*reg(regs, b) }.tag(),
        Rhs::Imm(_) => tag::INT,
        // SAFETY: as above.
        Rhs::Const(k) => unsafe { &*k }.tag(),
    };
    lhs_bit(x) | rhs_bit(y)
}

impl Vm {
    /// `R[dst] = R[a] op rhs` the generic way: every operand mix, and the errors.
    ///
    /// # Safety
    /// As `scalar_binary`.
    #[inline(always)]
    pub(crate) unsafe fn binary_generic(
        &mut self,
        regs: *mut Value,
        op: BinOp,
        dst: Reg,
        a: Reg,
        rhs: Rhs,
    ) -> Result<(), String> {
        // SAFETY: the caller's contract.
        unsafe {
            match rhs {
                Rhs::Reg(b) => self.binary_slow(regs, op, dst, a, b),
                Rhs::Imm(i) => binary_value_slow(regs, op, dst, a, &Value::Int(i as i64)),
                Rhs::Const(k) => binary_value_slow(regs, op, dst, a, &*k),
            }
        }
    }
}

/// `R[dst] = R[a] op y` for a right operand that is not a register (an immediate or a
/// constant), the generic way.
///
/// # Safety
/// As `scalar_binary`.
#[inline(never)]
unsafe fn binary_value_slow(
    regs: *mut Value,
    op: BinOp,
    dst: Reg,
    a: Reg,
    y: &Value,
) -> Result<(), String> {
    // SAFETY: the caller's contract.
    unsafe {
        if equality_shallow(regs, op, dst, a, y) {
            return Ok(());
        }
        let v = glue::binary(op, reg(regs, a), y)?;
        put(regs.add(dst as usize), v);
    }
    Ok(())
}

/// `R[dst] = op R[src]` (every unary result is a scalar).
///
/// # Safety
/// As `scalar_binary`.
#[inline(always)]
pub(crate) unsafe fn unary(regs: *mut Value, op: UnOp, dst: Reg, src: Reg) -> Result<(), String> {
    // SAFETY: the caller's contract; the operand is read before `dst` is written.
    unsafe {
        let s = unary_scalar(op, reg(regs, src))?;
        put_scalar(regs.add(dst as usize), s);
    }
    Ok(())
}
