//! Builtins on containers: `len`, `range`, `push`/`append`, `pop`, `keys`, `values`,
//! `contains`, `sort`.
//!
//! `push` mutates in place and returns the same array (so `a := push(a, x)` also works).
//! `range` as a value builds an array; its arithmetic is done in i128 so that no bound or step
//! overflows (`range(9223372036854775806, 9223372036854775807, 10)` is one value).

use std::cmp::Ordering;

use super::{expect_arg_range, expect_args, id, type_error};
use crate::mem;
use crate::value::Value;
use crate::values::{compare_numbers, dict_key, equals, new_array, type_name};

pub(super) fn len(args: &[Value]) -> Result<Value, String> {
    expect_args(id::LEN, args, 1)?;
    let n = match &args[0] {
        Value::Str(s) => s.char_len(),
        Value::Array(a) => a.items.borrow().len(),
        Value::Dict(d) => d.map.borrow().len(),
        other => return Err(type_error("len", "string or array or dict", other)),
    };
    Ok(Value::Int(n as i64))
}

/// Checks `range`'s arguments (the VM's `RangePrep` uses this too) and returns
/// (start, stop, step).
pub fn range_args(args: &[Value]) -> Result<(i64, i64, i64), String> {
    expect_arg_range(id::RANGE, args, 1, Some(3))?;
    let mut ints = [0i64; 3];
    for (slot, arg) in ints.iter_mut().zip(args) {
        match arg {
            Value::Int(i) => *slot = *i,
            other => {
                return Err(format!(
                    "range() arguments must be ints, got {}",
                    type_name(other)
                ))
            }
        }
    }
    let (start, stop, step) = match args.len() {
        1 => (0, ints[0], 1),
        2 => (ints[0], ints[1], 1),
        _ => (ints[0], ints[1], ints[2]),
    };
    if step == 0 {
        return Err("range() step cannot be zero".to_owned());
    }
    Ok((start, stop, step))
}

/// Number of values `range(start, stop, step)` yields (step != 0).
pub fn range_count(start: i64, stop: i64, step: i64) -> u64 {
    let (start, stop, step) = (start as i128, stop as i128, step as i128);
    let span = if step > 0 { stop - start } else { start - stop };
    if span <= 0 {
        return 0;
    }
    ((span - 1) / step.abs() + 1) as u64
}

pub(super) fn range(args: &[Value]) -> Result<Value, String> {
    let (start, stop, step) = range_args(args)?;
    let count = range_count(start, stop, step);
    let count_items = usize::try_from(count).map_err(|_| mem::out_of_memory())?;
    let mut items: Vec<Value> = mem::vec_with_capacity(count_items)?;
    // Every yielded value lies between start and stop, so it fits in i64; only the step
    // past the last value could overflow, and it is never taken.
    let mut x = start;
    for k in 0..count {
        items.push(Value::Int(x));
        if k + 1 < count {
            x += step;
        }
    }
    Ok(new_array(items))
}

pub(super) fn push(which: u8, args: &[Value]) -> Result<Value, String> {
    expect_args(which, args, 2)?;
    match &args[0] {
        Value::Array(a) => {
            mem::push(&mut a.items.borrow_mut(), args[1].clone())?;
            Ok(args[0].clone())
        }
        // `append` reports itself as `push()` (DETAILS §6).
        other => Err(type_error("push", "array", other)),
    }
}

pub(super) fn pop(args: &[Value]) -> Result<Value, String> {
    expect_args(id::POP, args, 1)?;
    match &args[0] {
        Value::Array(a) => {
            let popped = a.items.borrow_mut().pop();
            popped.ok_or_else(|| "pop() from an empty array".to_owned())
        }
        other => Err(type_error("pop", "array", other)),
    }
}

pub(super) fn keys(args: &[Value]) -> Result<Value, String> {
    expect_args(id::KEYS, args, 1)?;
    match &args[0] {
        Value::Dict(d) => {
            let map = d.map.borrow();
            Ok(new_array(mem::collect_exact(
                map.len(),
                map.keys().map(key_value),
            )?))
        }
        other => Err(type_error("keys", "dict", other)),
    }
}

fn key_value(k: &crate::heap::DictKey) -> Value {
    use crate::heap::DictKey;
    match k {
        DictKey::Str(s) => Value::Str(s.clone()),
        DictKey::Int(i) => Value::Int(*i),
        DictKey::Bool(b) => Value::Bool(*b),
    }
}

pub(super) fn values(args: &[Value]) -> Result<Value, String> {
    expect_args(id::VALUES, args, 1)?;
    match &args[0] {
        Value::Dict(d) => {
            let map = d.map.borrow();
            Ok(new_array(mem::collect_exact(
                map.len(),
                map.values().cloned(),
            )?))
        }
        other => Err(type_error("values", "dict", other)),
    }
}

pub(super) fn contains(args: &[Value]) -> Result<Value, String> {
    expect_args(id::CONTAINS, args, 2)?;
    let needle = &args[1];
    let found = match &args[0] {
        Value::Str(s) => match needle {
            Value::Str(n) => s.text.contains(n.text.as_str()),
            other => return Err(type_error("contains", "string", other)),
        },
        Value::Array(a) => {
            // Elements are compared with `==`, so `contains([1], 1.0)` is true. The array is
            // cloned out of its RefCell first: cheap (reference counts) and it keeps the
            // borrow short.
            let items = mem::copy_slice(&a.items.borrow())?;
            let mut found = false;
            for item in &items {
                if equals(item, needle)? {
                    found = true;
                    break;
                }
            }
            found
        }
        // A needle that cannot be a key is simply absent.
        Value::Dict(d) => match dict_key(needle) {
            Ok(k) => d.map.borrow().contains_key(&k),
            Err(_) => false,
        },
        other => return Err(type_error("contains", "string, array or dict", other)),
    };
    Ok(Value::Bool(found))
}

pub(super) fn sort(args: &[Value]) -> Result<Value, String> {
    expect_args(id::SORT, args, 1)?;
    let Value::Array(a) = &args[0] else {
        return Err(type_error("sort", "array", &args[0]));
    };
    let mut items = mem::copy_slice(&a.items.borrow())?;
    // The stable sort takes a scratch buffer of up to `n` elements (half of them past 8 MB,
    // std's driftsort) that it cannot fail to get: first make sure a big one can be had.
    let n = items.len();
    if n > 4096 {
        drop(mem::vec_with_capacity::<Value>(
            n.div_ceil(2)
                .max(n.min((8 << 20) / std::mem::size_of::<Value>())),
        )?);
    }
    let all_numbers = items
        .iter()
        .all(|v| matches!(v, Value::Int(_) | Value::Float(_)));
    if all_numbers {
        items.sort_by(cmp_numbers_nan_last);
    } else if items.iter().all(|v| matches!(v, Value::Str(_))) {
        items.sort_by(|x, y| match (x, y) {
            (Value::Str(p), Value::Str(q)) => p.text.cmp(&q.text),
            _ => Ordering::Equal,
        });
    } else {
        let mut names: Vec<&str> = items.iter().map(type_name).collect();
        names.sort_unstable();
        names.dedup();
        return Err(format!(
            "sort() needs all numbers or all strings, got {}",
            names.join(", ")
        ));
    }
    Ok(new_array(items))
}

/// Total order for sorting numbers: exact Int/Float order, NaN after everything.
fn cmp_numbers_nan_last(x: &Value, y: &Value) -> Ordering {
    let is_nan = |v: &Value| matches!(v, Value::Float(f) if f.is_nan());
    match (is_nan(x), is_nan(y)) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => compare_numbers(x, y).unwrap_or(Ordering::Equal),
    }
}
