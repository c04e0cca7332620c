//! String builtins: `to_upper`, `to_lower`, `trim`, `replace`, `split`, `join`, `substring`
//! (DETAILS §5). Positions are character indices; the helpers are Rust's `str` methods, so
//! `to_upper("straße")` is `"STRASSE"` and `replace(s, "", x)` puts x around every character.

use super::{expect_args, id, type_error};
use crate::heap::StrObj;
use crate::value::Value;
use crate::values::{new_array, new_str, write_display};

fn string_arg<'a>(name: &str, v: &'a Value) -> Result<&'a StrObj, String> {
    match v {
        Value::Str(s) => Ok(s),
        other => Err(type_error(name, "string", other)),
    }
}

fn int_arg(name: &str, v: &Value) -> Result<i64, String> {
    match v {
        Value::Int(i) => Ok(*i),
        other => Err(type_error(name, "int", other)),
    }
}

/// `to_upper`, `to_lower`, `trim`.
pub(super) fn case_trim(which: u8, args: &[Value]) -> Result<Value, String> {
    expect_args(which, args, 1)?;
    let s = string_arg(super::display_name(which), &args[0])?;
    let text = match which {
        id::TO_UPPER => s.text.to_uppercase(),
        id::TO_LOWER => s.text.to_lowercase(),
        _ => {
            let t = s.text.trim();
            if t.len() == s.text.len() {
                // Nothing to trim: share the original string.
                return Ok(args[0].clone());
            }
            t.to_owned()
        }
    };
    Ok(new_str(text))
}

pub(super) fn replace(args: &[Value]) -> Result<Value, String> {
    expect_args(id::REPLACE, args, 3)?;
    let s = string_arg("replace", &args[0])?;
    let old = string_arg("replace", &args[1])?;
    let new = string_arg("replace", &args[2])?;
    Ok(new_str(s.text.replace(old.text.as_str(), &new.text)))
}

pub(super) fn split(args: &[Value]) -> Result<Value, String> {
    expect_args(id::SPLIT, args, 2)?;
    let s = string_arg("split", &args[0])?;
    let sep = string_arg("split", &args[1])?;
    if sep.text.is_empty() {
        return Err("split(): empty separator".to_owned());
    }
    let parts = s
        .text
        .split(sep.text.as_str())
        .map(|p| new_str(p.to_owned()))
        .collect();
    Ok(new_array(parts))
}

pub(super) fn join(args: &[Value]) -> Result<Value, String> {
    expect_args(id::JOIN, args, 2)?;
    let Value::Array(a) = &args[0] else {
        return Err(type_error("join", "array", &args[0]));
    };
    let sep = string_arg("join", &args[1])?;
    let items = a.items.borrow();
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(&sep.text);
        }
        write_display(&mut out, item);
    }
    Ok(new_str(out))
}

pub(super) fn substring(args: &[Value]) -> Result<Value, String> {
    expect_args(id::SUBSTRING, args, 3)?;
    let s = string_arg("substring", &args[0])?;
    let start = int_arg("substring", &args[1])?;
    let end = int_arg("substring", &args[2])?;
    let len = s.char_len() as i64;
    // A negative index counts from the end; both then clamp to 0..=len.
    let clamp = |i: i64| {
        let i = if i < 0 { i.saturating_add(len) } else { i };
        i.clamp(0, len) as usize
    };
    let (a, b) = (clamp(start), clamp(end));
    if a >= b {
        return Ok(new_str(String::new()));
    }
    let from = s.byte_offset(a).unwrap_or(s.text.len());
    let to = s.byte_offset(b).unwrap_or(s.text.len());
    Ok(new_str(s.text[from..to].to_owned()))
}
