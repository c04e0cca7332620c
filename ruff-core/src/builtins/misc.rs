//! `print`, `to_string`/`str`, `type_of`, the clocks and `assert`.
//!
//! The clocks (`performance_now`, `time_ms`, `time_ns`) read one process-wide monotonic
//! `Instant` base, fixed by `init_clock` or by the first clock call, so their values are
//! comparable across calls and never go backwards.

use std::sync::OnceLock;
use std::time::Instant;

use super::{expect_arg_range, expect_args, id};
use crate::mem;
use crate::value::Value;
use crate::values::{new_str, to_display, truthy, type_name, write_display};

static CLOCK_BASE: OnceLock<Instant> = OnceLock::new();

/// Fixes the clocks' zero point now (if no clock was read before). The engine may call it at
/// start-up so that the first `performance_now()` of a program is not 0.
pub fn init_clock() {
    CLOCK_BASE.get_or_init(Instant::now);
}

/// Appends the line to `out`; out of memory (the line is the program's to build) leaves
/// `out` as it was, so the output written before the error is kept whole.
pub(super) fn print(args: &[Value], out: &mut Vec<u8>) -> Result<Value, String> {
    let start = out.len();
    print_line(args, out).inspect_err(|_| out.truncate(start))?;
    Ok(Value::Null)
}

fn print_line(args: &[Value], out: &mut Vec<u8>) -> Result<(), String> {
    let mut scratch = String::new();
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            mem::push(out, b' ')?;
        }
        match arg {
            Value::Str(s) => mem::extend_from_slice(out, s.text.as_bytes())?,
            other => {
                scratch.clear();
                write_display(&mut scratch, other)?;
                mem::extend_from_slice(out, scratch.as_bytes())?;
            }
        }
    }
    mem::push(out, b'\n')
}

pub(super) fn to_string(which: u8, args: &[Value]) -> Result<Value, String> {
    expect_args(which, args, 1)?;
    match &args[0] {
        // A Str converts to itself: share it instead of copying.
        s @ Value::Str(_) => Ok(s.clone()),
        other => Ok(new_str(to_display(other)?)),
    }
}

pub(super) fn type_of(args: &[Value]) -> Result<Value, String> {
    expect_args(id::TYPE_OF, args, 1)?;
    Ok(new_str(type_name(&args[0]).to_owned()))
}

pub(super) fn clock(which: u8, args: &[Value]) -> Result<Value, String> {
    expect_args(which, args, 0)?;
    let elapsed = CLOCK_BASE.get_or_init(Instant::now).elapsed();
    Ok(match which {
        id::PERFORMANCE_NOW => Value::Float(elapsed.as_nanos() as f64 / 1e6),
        id::TIME_MS => Value::Int(elapsed.as_millis() as i64),
        _ => Value::Int(elapsed.as_nanos() as i64),
    })
}

pub(super) fn assert(args: &[Value]) -> Result<Value, String> {
    expect_arg_range(id::ASSERT, args, 1, Some(2))?;
    if truthy(&args[0]) {
        return Ok(Value::Null);
    }
    Err(match args.get(1) {
        None | Some(Value::Null) => "assertion failed".to_owned(),
        Some(m) => to_display(m)?,
    })
}
