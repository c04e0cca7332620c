//! Numeric builtins: `to_int`, `to_float`, `abs`, `min`, `max`, `sqrt`, `pow`, `floor`,
//! `ceil`, `round` (DETAILS §5).
//!
//! `min`/`max` compare Int and Float exactly (as `<` does), let the first of equal values win,
//! return NaN if any argument is NaN, and return a Float as soon as any argument is a Float.
//! The f64 functions are Rust's (`round` is half away from zero).

use std::cmp::Ordering;

use super::{expect_arg_range, expect_args, id, type_error};
use crate::value::Value;
use crate::values::{compare_numbers, to_display, type_name};

/// 2^63 as f64: Floats in [-2^63, 2^63) truncate to an i64.
const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;

fn as_f64(name: &str, v: &Value) -> Result<f64, String> {
    match v {
        Value::Int(i) => Ok(*i as f64),
        Value::Float(f) => Ok(*f),
        other => Err(type_error(name, "number", other)),
    }
}

pub(super) fn to_int(args: &[Value]) -> Result<Value, String> {
    expect_args(id::TO_INT, args, 1)?;
    match &args[0] {
        Value::Int(i) => Ok(Value::Int(*i)),
        Value::Bool(b) => Ok(Value::Int(*b as i64)),
        Value::Float(f) => {
            let t = f.trunc();
            if (-TWO_POW_63..TWO_POW_63).contains(&t) {
                Ok(Value::Int(t as i64))
            } else {
                Err(format!(
                    "to_int(): {} is out of the range of int",
                    to_display(&args[0])?
                ))
            }
        }
        Value::Str(s) => match s.text.parse::<i64>() {
            Ok(i) => Ok(Value::Int(i)),
            Err(e) => match e.kind() {
                std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow => Err(
                    format!("to_int(): \"{}\" is out of the range of int", s.text),
                ),
                _ => Err(format!("to_int(): \"{}\" is not an integer", s.text)),
            },
        },
        other => Err(format!("to_int() cannot convert {}", type_name(other))),
    }
}

pub(super) fn to_float(args: &[Value]) -> Result<Value, String> {
    expect_args(id::TO_FLOAT, args, 1)?;
    match &args[0] {
        Value::Int(i) => Ok(Value::Float(*i as f64)),
        Value::Float(f) => Ok(Value::Float(*f)),
        Value::Bool(b) => Ok(Value::Float(if *b { 1.0 } else { 0.0 })),
        Value::Str(s) => s
            .text
            .parse::<f64>()
            .map(Value::Float)
            .map_err(|_| format!("to_float(): \"{}\" is not a number", s.text)),
        other => Err(format!("to_float() cannot convert {}", type_name(other))),
    }
}

pub(super) fn abs(args: &[Value]) -> Result<Value, String> {
    expect_args(id::ABS, args, 1)?;
    match &args[0] {
        // abs(i64::MIN) stays i64::MIN (wrap-around, like unary minus).
        Value::Int(i) => Ok(Value::Int(i.wrapping_abs())),
        Value::Float(f) => Ok(Value::Float(f.abs())),
        other => Err(type_error("abs", "number", other)),
    }
}

pub(super) fn min_max(which: u8, args: &[Value]) -> Result<Value, String> {
    expect_arg_range(which, args, 1, None)?;
    let name = super::display_name(which);
    let mut any_float = false;
    let mut any_nan = false;
    for a in args {
        match a {
            Value::Int(_) => {}
            Value::Float(f) => {
                any_float = true;
                any_nan |= f.is_nan();
            }
            other => return Err(type_error(name, "number", other)),
        }
    }
    if any_nan {
        return Ok(Value::Float(f64::NAN));
    }
    // The candidate is replaced only by a strictly better value: the first of equals wins.
    let better = if which == id::MIN {
        Ordering::Less
    } else {
        Ordering::Greater
    };
    let mut best = &args[0];
    for a in &args[1..] {
        if compare_numbers(a, best) == Some(better) {
            best = a;
        }
    }
    Ok(match best {
        Value::Int(i) if any_float => Value::Float(*i as f64),
        other => other.clone(),
    })
}

/// `sqrt`, `floor`, `ceil`, `round`: Float results of f64's functions.
pub(super) fn float_fn(which: u8, args: &[Value]) -> Result<Value, String> {
    expect_args(which, args, 1)?;
    let x = as_f64(super::display_name(which), &args[0])?;
    let r = match which {
        id::SQRT => x.sqrt(),
        id::FLOOR => x.floor(),
        id::CEIL => x.ceil(),
        _ => x.round(),
    };
    Ok(Value::Float(r))
}

pub(super) fn pow(args: &[Value]) -> Result<Value, String> {
    expect_args(id::POW, args, 2)?;
    let base = as_f64("pow", &args[0])?;
    let exp = as_f64("pow", &args[1])?;
    Ok(Value::Float(base.powf(exp)))
}
