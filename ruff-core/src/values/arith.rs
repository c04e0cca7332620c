//! Binary and unary operators on values (LANGUAGE.md "Operators", DETAILS §3).
//!
//! Ints wrap around (`+ - *`, unary `-`, `<<`, `MIN / -1`); Int `/` truncates and `%` takes
//! the dividend's sign, both failing on a zero divisor. Floats are IEEE via Rust's operators.
//! A mixed Int/Float pair converts the Int to the nearest f64. Bool is not a number.

use super::{compare, equals, new_array, new_str, truthy, type_name};
use crate::ast::{BinOp, UnOp};
use crate::heap::StrObj;
use crate::value::Value;

/// The largest result of `Str * Int`, in characters (DETAILS §3: over 2^32 is an error).
const MAX_REPEAT_CHARS: u64 = 1 << 32;

/// `a OP b` for every binary operator (`&&`/`||` are control flow, not here).
pub fn binary(op: BinOp, a: &Value, b: &Value) -> Result<Value, String> {
    match op {
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod => arithmetic(op, a, b),
        BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor | BinOp::Shl | BinOp::Shr => bitwise(op, a, b),
        BinOp::Eq => equals(a, b).map(Value::Bool),
        BinOp::Ne => equals(a, b).map(|eq| Value::Bool(!eq)),
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => compare(op, a, b).map(Value::Bool),
    }
}

/// `-v`, `~v`, `!v` / `not v`.
pub fn unary(op: UnOp, v: &Value) -> Result<Value, String> {
    match (op, v) {
        (UnOp::Neg, Value::Int(i)) => Ok(Value::Int(i.wrapping_neg())),
        (UnOp::Neg, Value::Float(f)) => Ok(Value::Float(-f)),
        (UnOp::Neg, _) => Err(format!(
            "unsupported operand type for unary '-': {}",
            type_name(v)
        )),
        (UnOp::BitNot, Value::Int(i)) => Ok(Value::Int(!i)),
        (UnOp::BitNot, _) => Err(format!(
            "unsupported operand type for '~': {}",
            type_name(v)
        )),
        (UnOp::Not, _) => Ok(Value::Bool(!truthy(v))),
    }
}

fn unsupported(op: BinOp, a: &Value, b: &Value) -> String {
    format!(
        "unsupported operand types for '{}': {} and {}",
        op.symbol(),
        type_name(a),
        type_name(b)
    )
}

fn arithmetic(op: BinOp, a: &Value, b: &Value) -> Result<Value, String> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => int_arith(op, *x, *y).map(Value::Int),
        (Value::Float(x), Value::Float(y)) => Ok(Value::Float(float_arith(op, *x, *y))),
        (Value::Int(x), Value::Float(y)) => Ok(Value::Float(float_arith(op, *x as f64, *y))),
        (Value::Float(x), Value::Int(y)) => Ok(Value::Float(float_arith(op, *x, *y as f64))),
        (Value::Str(x), Value::Str(y)) if op == BinOp::Add => {
            let mut s = String::with_capacity(x.text.len() + y.text.len());
            s.push_str(&x.text);
            s.push_str(&y.text);
            Ok(new_str(s))
        }
        (Value::Str(s), Value::Int(n)) if op == BinOp::Mul => repeat(s, *n).map(new_str),
        (Value::Array(x), Value::Array(y)) if op == BinOp::Add => {
            let (xs, ys) = (x.items.borrow(), y.items.borrow());
            let mut items = Vec::with_capacity(xs.len() + ys.len());
            items.extend_from_slice(&xs);
            items.extend_from_slice(&ys);
            Ok(new_array(items))
        }
        _ => Err(unsupported(op, a, b)),
    }
}

/// Int `+ - * / %` with wrap-around; `/` and `%` by zero fail.
#[inline]
pub(crate) fn int_arith(op: BinOp, x: i64, y: i64) -> Result<i64, String> {
    Ok(match op {
        BinOp::Add => x.wrapping_add(y),
        BinOp::Sub => x.wrapping_sub(y),
        BinOp::Mul => x.wrapping_mul(y),
        // wrapping_div/rem give MIN / -1 = MIN and MIN % -1 = 0, as the contract says.
        BinOp::Div if y != 0 => x.wrapping_div(y),
        BinOp::Mod if y != 0 => x.wrapping_rem(y),
        BinOp::Div | BinOp::Mod => return Err("division by zero".to_owned()),
        _ => unreachable!("int_arith is only called for + - * / %"),
    })
}

#[inline]
fn float_arith(op: BinOp, x: f64, y: f64) -> f64 {
    match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mul => x * y,
        BinOp::Div => x / y,
        BinOp::Mod => x % y,
        _ => unreachable!("float_arith is only called for + - * / %"),
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
    let total = s.text.len() * n as usize;
    let mut bytes: Vec<u8> = Vec::new();
    bytes
        .try_reserve_exact(total)
        .map_err(|_| "out of memory".to_owned())?;
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

fn bitwise(op: BinOp, a: &Value, b: &Value) -> Result<Value, String> {
    let (Value::Int(x), Value::Int(y)) = (a, b) else {
        return Err(unsupported(op, a, b));
    };
    int_bitwise(op, *x, *y).map(Value::Int)
}

/// Int `& | ^ << >>`; the shift count must be in 0..63 (`<<` wraps, `>>` sign-extends).
#[inline]
pub(crate) fn int_bitwise(op: BinOp, x: i64, y: i64) -> Result<i64, String> {
    Ok(match op {
        BinOp::BitAnd => x & y,
        BinOp::BitOr => x | y,
        BinOp::BitXor => x ^ y,
        BinOp::Shl | BinOp::Shr if !(0..=63).contains(&y) => {
            return Err(format!("shift count {y} is outside 0..63"))
        }
        BinOp::Shl => x.wrapping_shl(y as u32),
        BinOp::Shr => x >> y,
        _ => unreachable!("int_bitwise is only called for & | ^ << >>"),
    })
}
