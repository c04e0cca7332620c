//! Indexing: `a[i]`, `s[i]`, `d[k]` and their writes; dict keys (LANGUAGE.md "Values",
//! DETAILS §4, §6).
//!
//! Str indices count characters. ASCII text (the common case) is indexed in O(1) through the
//! ASCII-prefix cache of `StrObj`, and the one-character strings it yields come from a
//! per-thread table, so `s[i]` on ASCII text allocates nothing.

use std::rc::Rc;

use super::{new_str, type_name};
use crate::heap::{DictKey, StrObj};
use crate::value::Value;

thread_local! {
    /// One shared Str per ASCII character. Shared values are never appended to in place
    /// (that needs the only reference), so handing them out is safe.
    static ASCII_CHARS: Box<[Value]> = (0u8..128)
        .map(|b| Value::Str(Rc::new(StrObj::new(char::from(b).to_string()))))
        .collect();
}

/// A one-character Str.
#[inline]
pub fn char_value(c: char) -> Value {
    if c.is_ascii() {
        ASCII_CHARS.with(|table| table[c as usize].clone())
    } else {
        new_str(c.to_string())
    }
}

/// The characters of `s` as one-character Strs (what `for c in s` walks), or `out of memory`.
pub fn string_chars(s: &StrObj) -> Result<Vec<Value>, String> {
    crate::mem::collect_exact(s.char_len(), s.text.chars().map(char_value))
}

/// `obj[idx]`.
pub fn get_index(obj: &Value, idx: &Value) -> Result<Value, String> {
    match obj {
        Value::Array(a) => {
            let i = int_index("array", idx)?;
            let items = a.items.borrow();
            match resolve_index(i, items.len()) {
                Some(pos) => Ok(items[pos].clone()),
                None => Err(out_of_range(i, "array", items.len())),
            }
        }
        Value::Str(s) => {
            let i = int_index("string", idx)?;
            if i >= 0 {
                if let Some(c) = s.char_at(i as usize) {
                    return Ok(char_value(c));
                }
            } else {
                let len = s.char_len();
                if let Some(pos) = resolve_index(i, len) {
                    if let Some(c) = s.char_at(pos) {
                        return Ok(char_value(c));
                    }
                }
            }
            Err(out_of_range(i, "string", s.char_len()))
        }
        Value::Dict(d) => {
            let key = dict_key(idx)?;
            Ok(d.map.borrow().get(&key).cloned().unwrap_or(Value::Null))
        }
        _ => Err(cannot_index(obj)),
    }
}

/// `obj[idx] := v`. Strings are immutable; a dict write inserts or updates in place (an
/// updated key keeps its position).
pub fn set_index(obj: &Value, idx: &Value, v: Value) -> Result<(), String> {
    match obj {
        Value::Array(a) => {
            let i = int_index("array", idx)?;
            let mut items = a.items.borrow_mut();
            let len = items.len();
            match resolve_index(i, len) {
                Some(pos) => {
                    // The old element is dropped after the borrow ends: dropping it may free
                    // a container, which must not happen while `items` is borrowed.
                    let old = std::mem::replace(&mut items[pos], v);
                    drop(items);
                    drop(old);
                    Ok(())
                }
                None => Err(out_of_range(i, "array", len)),
            }
        }
        Value::Str(_) => Err("strings are immutable".to_owned()),
        Value::Dict(d) => {
            let key = dict_key(idx)?;
            let old = crate::mem::dict_insert(&mut d.map.borrow_mut(), key, v)?;
            drop(old);
            Ok(())
        }
        _ => Err(cannot_index(obj)),
    }
}

/// The dict key for `v`: Str, Int or Bool; anything else is an error.
#[inline]
pub fn dict_key(v: &Value) -> Result<DictKey, String> {
    match v {
        Value::Str(s) => Ok(DictKey::Str(s.clone())),
        Value::Int(i) => Ok(DictKey::Int(*i)),
        Value::Bool(b) => Ok(DictKey::Bool(*b)),
        _ => Err(format!(
            "dict keys must be string, int or bool, not {}",
            type_name(v)
        )),
    }
}

/// Position of index `i` in a sequence of `len` elements, counting negatives from the end:
/// the one index resolution of every tier (the interpreter's fast paths and compiled code's
/// helpers call this too). One add and one unsigned compare: `len < 2^63`, so `i + len`
/// cannot overflow for a negative `i`, and a still-negative sum fails the compare.
#[inline(always)]
pub fn resolve_index(i: i64, len: usize) -> Option<usize> {
    let j = if i < 0 { i.wrapping_add(len as i64) } else { i };
    ((j as u64) < len as u64).then_some(j as usize)
}

fn int_index(kind: &str, idx: &Value) -> Result<i64, String> {
    match idx {
        Value::Int(i) => Ok(*i),
        _ => Err(format!(
            "{kind} index must be an int, not {}",
            type_name(idx)
        )),
    }
}

fn out_of_range(i: i64, kind: &str, len: usize) -> String {
    format!("index {i} out of range for {kind} of length {len}")
}

fn cannot_index(obj: &Value) -> String {
    format!("cannot index a value of type {}", type_name(obj))
}
