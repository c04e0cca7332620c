//! Binary and unary operators on values (LANGUAGE.md "Operators", DETAILS §3).
//!
//! Ints wrap around (`+ - *`, unary `-`, `<<`, `MIN / -1`); Int `/` truncates and `%` takes
//! the dividend's sign, both failing on a zero divisor. Floats are IEEE via Rust's operators.
//! A mixed Int/Float pair converts the Int to the nearest f64. Bool is not a number.

use super::{compare, equals, new_array, new_str, truthy, type_name};
use crate::bytecode::{BinOp, Family, UnOp};
use crate::heap::StrObj;
use crate::mem;
use crate::value::{Scalar, Value};

/// The largest result of `Str * Int`, in characters (DETAILS §3: over 2^32 is an error).
const MAX_REPEAT_CHARS: u64 = 1 << 32;

/// `a OP b` for every binary operator (`&&`/`||` are control flow, not here).
pub fn binary(op: BinOp, a: &Value, b: &Value) -> Result<Value, String> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => int_op(op, *x, *y).map(Value::from),
        (Value::Float(x), Value::Float(y)) => float_op(op, *x, *y).map(Value::from),
        _ => match op.family() {
            Family::Arith => arithmetic(op, a, b),
            Family::Bitwise => Err(unsupported(op, a, b)),
            Family::Equality => equals(a, b).map(|eq| Value::Bool(eq == (op == BinOp::Eq))),
            Family::Order => compare(op, a, b).map(Value::Bool),
        },
    }
}

/// `x OP y` on two Ints, for every operator: the one definition of Int arithmetic that
/// the interpreter's fast paths, the generic path and compiled code's helpers all run.
/// `+ - *`, `<<` and `MIN / -1` wrap; `/` truncates and `%` takes the dividend's sign;
/// division by zero and shift counts outside 0..63 are errors.
#[inline(always)]
pub fn int_op(op: BinOp, x: i64, y: i64) -> Result<Scalar, String> {
    Ok(match op {
        BinOp::Add => Scalar::Int(x.wrapping_add(y)),
        BinOp::Sub => Scalar::Int(x.wrapping_sub(y)),
        BinOp::Mul => Scalar::Int(x.wrapping_mul(y)),
        // wrapping_div/rem give MIN / -1 = MIN and MIN % -1 = 0, as the contract says.
        BinOp::Div | BinOp::Mod if y == 0 => return Err(division_by_zero()),
        BinOp::Div => Scalar::Int(x.wrapping_div(y)),
        BinOp::Mod => Scalar::Int(x.wrapping_rem(y)),
        BinOp::BitAnd => Scalar::Int(x & y),
        BinOp::BitOr => Scalar::Int(x | y),
        BinOp::BitXor => Scalar::Int(x ^ y),
        BinOp::Shl | BinOp::Shr if !(0..=63).contains(&y) => return Err(bad_shift(y)),
        BinOp::Shl => Scalar::Int(x.wrapping_shl(y as u32)),
        BinOp::Shr => Scalar::Int(x >> y),
        BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            Scalar::Bool(compare_scalars(op, x, y))
        }
    })
}

/// `x OP y` on two Floats (IEEE; NaN compares unequal and unordered), as `int_op` for Ints.
#[inline(always)]
pub fn float_op(op: BinOp, x: f64, y: f64) -> Result<Scalar, String> {
    Ok(match op {
        BinOp::Add => Scalar::Float(x + y),
        BinOp::Sub => Scalar::Float(x - y),
        BinOp::Mul => Scalar::Float(x * y),
        BinOp::Div => Scalar::Float(x / y),
        BinOp::Mod => Scalar::Float(x % y),
        BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            Scalar::Bool(compare_scalars(op, x, y))
        }
        BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor | BinOp::Shl | BinOp::Shr => {
            return Err(unsupported_types(op, "float", "float"))
        }
    })
}

/// `x OP y` for a comparison operator on two numbers of one type (Rust's operators are the
/// language's: exact for Ints, IEEE for Floats).
#[inline(always)]
fn compare_scalars<T: PartialOrd>(op: BinOp, x: T, y: T) -> bool {
    match op {
        BinOp::Eq => x == y,
        BinOp::Ne => x != y,
        BinOp::Lt => x < y,
        BinOp::Le => x <= y,
        BinOp::Gt => x > y,
        BinOp::Ge => x >= y,
        _ => unreachable!("{op:?} is not a comparison"),
    }
}

/// `-v`, `~v`, `!v` / `not v`, and the truth value `&&`/`||` produce.
#[inline]
pub fn unary(op: UnOp, v: &Value) -> Result<Value, String> {
    unary_scalar(op, v).map(Value::from)
}

/// `unary` with its result as the scalar it always is: the one definition of the unary
/// operators that the interpreter, the generic path and compiled code's helpers run.
#[inline(always)]
pub fn unary_scalar(op: UnOp, v: &Value) -> Result<Scalar, String> {
    Ok(match (op, v) {
        (UnOp::Neg, Value::Int(i)) => Scalar::Int(i.wrapping_neg()),
        (UnOp::Neg, Value::Float(f)) => Scalar::Float(-f),
        (UnOp::BitNot, Value::Int(i)) => Scalar::Int(!i),
        (UnOp::Not, _) => Scalar::Bool(!truthy(v)),
        (UnOp::Truthy, _) => Scalar::Bool(truthy(v)),
        (UnOp::Neg, _) => return Err(unsupported_unary("unary '-'", v)),
        (UnOp::BitNot, _) => return Err(unsupported_unary("'~'", v)),
    })
}

#[cold]
fn unsupported_unary(what: &str, v: &Value) -> String {
    format!("unsupported operand type for {what}: {}", type_name(v))
}

#[cold]
fn division_by_zero() -> String {
    "division by zero".to_owned()
}

#[cold]
fn bad_shift(y: i64) -> String {
    format!("shift count {y} is outside 0..63")
}

#[cold]
fn unsupported(op: BinOp, a: &Value, b: &Value) -> String {
    unsupported_types(op, type_name(a), type_name(b))
}

#[cold]
fn unsupported_types(op: BinOp, a: &str, b: &str) -> String {
    format!(
        "unsupported operand types for '{}': {a} and {b}",
        op.symbol()
    )
}

fn arithmetic(op: BinOp, a: &Value, b: &Value) -> Result<Value, String> {
    match (a, b) {
        (Value::Int(x), Value::Float(y)) => float_op(op, *x as f64, *y).map(Value::from),
        (Value::Float(x), Value::Int(y)) => float_op(op, *x, *y as f64).map(Value::from),
        (Value::Str(x), Value::Str(y)) if op == BinOp::Add => {
            let total = x.text.len().checked_add(y.text.len());
            let mut s = mem::string_with_capacity(total.ok_or_else(mem::out_of_memory)?)?;
            s.push_str(&x.text);
            s.push_str(&y.text);
            Ok(new_str(s))
        }
        (Value::Str(s), Value::Int(n)) if op == BinOp::Mul => repeat(s, *n).map(new_str),
        (Value::Array(x), Value::Array(y)) if op == BinOp::Add => {
            let (xs, ys) = (x.items.borrow(), y.items.borrow());
            let total = xs.len().checked_add(ys.len());
            let mut items = mem::vec_with_capacity(total.ok_or_else(mem::out_of_memory)?)?;
            items.extend_from_slice(&xs);
            items.extend_from_slice(&ys);
            Ok(new_array(items))
        }
        _ => Err(unsupported(op, a, b)),
    }
}

/// `s * n`: n <= 0 gives "", more than 2^32 characters is an error.
fn repeat(s: &StrObj, n: i64) -> Result<String, String> {
    if n <= 0 || s.text.is_empty() {
        return Ok(String::new());
    }
    let chars = s.char_len() as u64;
    let n = n as u64;
    if chars.saturating_mul(n) > MAX_REPEAT_CHARS {
        return Err("out of memory: string repetition too large".to_owned());
    }
    let total = usize::try_from(n)
        .ok()
        .and_then(|n| s.text.len().checked_mul(n))
        .ok_or_else(mem::out_of_memory)?;
    let mut bytes: Vec<u8> = mem::vec_with_capacity(total)?;
    bytes.extend_from_slice(s.text.as_bytes());
    // Doubling: each copy-from-within appends a whole number of copies of `s`.
    while bytes.len() < total {
        let take = bytes.len().min(total - bytes.len());
        bytes.extend_from_within(..take);
    }
    // SAFETY: `bytes` is `s.text` repeated `n` times: `take` is always a multiple of
    // `s.text.len()` (both `bytes.len()` and `total` are), so only whole copies of valid
    // UTF-8 were appended.
    Ok(unsafe { String::from_utf8_unchecked(bytes) })
}
