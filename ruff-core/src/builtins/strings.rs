//! String builtins: `to_upper`, `to_lower`, `trim`, `replace`, `split`, `join`, `substring`
//! (DETAILS §5). Positions are character indices; the helpers are Rust's `str` methods, so
//! `to_upper("straße")` is `"STRASSE"` and `replace(s, "", x)` puts x around every character.

use super::{expect_args, id, type_error};
use crate::heap::StrObj;
use crate::mem;
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
        id::TO_UPPER => map_case(&s.text, true)?,
        id::TO_LOWER => map_case(&s.text, false)?,
        _ => {
            let t = s.text.trim();
            if t.len() == s.text.len() {
                // Nothing to trim: share the original string.
                return Ok(args[0].clone());
            }
            mem::copy_str(t)?
        }
    };
    Ok(new_str(text))
}

/// `to_uppercase`/`to_lowercase` of `text`, grown fallibly. ASCII text maps byte for byte
/// into a string of its exact size. Other text maps character by character as `str`'s
/// methods do (`char::to_uppercase`), except that lowering a text with a capital sigma,
/// whose lowercase depends on its neighbours, is left to `str::to_lowercase` after checking
/// that three times the text's size can be had (no character's lowercase is longer).
fn map_case(text: &str, upper: bool) -> Result<String, String> {
    if text.is_ascii() {
        let mut out = mem::copy_str(text)?;
        if upper {
            out.make_ascii_uppercase();
        } else {
            out.make_ascii_lowercase();
        }
        return Ok(out);
    }
    if !upper && text.contains('Σ') {
        let bound = text.len().checked_mul(3).ok_or_else(mem::out_of_memory)?;
        drop(mem::string_with_capacity(bound)?);
        return Ok(text.to_lowercase());
    }
    let mut out = mem::string_with_capacity(text.len())?;
    for c in text.chars() {
        if upper {
            for u in c.to_uppercase() {
                mem::push_char(&mut out, u)?;
            }
        } else {
            for l in c.to_lowercase() {
                mem::push_char(&mut out, l)?;
            }
        }
    }
    Ok(out)
}

pub(super) fn replace(args: &[Value]) -> Result<Value, String> {
    expect_args(id::REPLACE, args, 3)?;
    let s = string_arg("replace", &args[0])?;
    let old = string_arg("replace", &args[1])?;
    let new = string_arg("replace", &args[2])?;
    Ok(new_str(replace_all(&s.text, &old.text, &new.text)?))
}

/// `text.replace(old, new)` (the same matches, `str::replace`'s own loop), grown fallibly.
fn replace_all(text: &str, old: &str, new: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut last = 0;
    for (start, part) in text.match_indices(old) {
        mem::push_str(&mut out, &text[last..start])?;
        mem::push_str(&mut out, new)?;
        last = start + part.len();
    }
    mem::push_str(&mut out, &text[last..])?;
    Ok(out)
}

pub(super) fn split(args: &[Value]) -> Result<Value, String> {
    expect_args(id::SPLIT, args, 2)?;
    let s = string_arg("split", &args[0])?;
    let sep = string_arg("split", &args[1])?;
    if sep.text.is_empty() {
        return Err("split(): empty separator".to_owned());
    }
    let mut parts = Vec::new();
    for p in s.text.split(sep.text.as_str()) {
        mem::push(&mut parts, new_str(mem::copy_str(p)?))?;
    }
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
            mem::push_str(&mut out, &sep.text)?;
        }
        write_display(&mut out, item)?;
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
    Ok(new_str(mem::copy_str(&s.text[from..to])?))
}
