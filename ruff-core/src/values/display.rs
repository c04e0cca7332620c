//! The text of a value as `print` and `to_string` produce it (LANGUAGE.md "Output",
//! LANGUAGE-DETAILS §7).
//!
//! Containers are walked with an explicit stack of frames (one per open container), never by
//! recursion, so data nested 200,000 deep prints without exhausting the native stack. A
//! container met again while it is still open (an ancestor on the current path) prints as
//! `[...]`, `{...}` or `Name {...}`; a container that merely appears twice side by side is
//! printed in full both times.

use std::fmt::Write;
use std::rc::Rc;

use rustc_hash::FxHashSet;

use crate::builtins;
use crate::heap::{ArrayObj, DictKey, DictObj, Instance};
use crate::value::Value;

/// The display text of `v`, or `out of memory`.
pub fn to_display(v: &Value) -> Result<String, String> {
    // `to_string(n)` and `"k" + to_string(n)` are hot in string-building loops: a number's
    // text is formatted on the stack and copied once, at its exact size.
    match v {
        Value::Int(i) => return crate::mem::copy_str(NumberText::<INT_ROOM>::of(i).as_str()),
        Value::Float(f) => return crate::mem::copy_str(NumberText::<NUMBER_ROOM>::of(f).as_str()),
        _ => {}
    }
    let mut out = String::new();
    write_display(&mut out, v)?;
    Ok(out)
}

/// Appends the display text of `v` to `out`, or fails with `out of memory` (then `out`
/// holds a prefix of the text). Every byte goes through `Out`, which grows `out` fallibly.
pub fn write_display(out: &mut String, v: &Value) -> Result<(), String> {
    let mut out = Out { s: out, oom: false };
    if !write_leaf(&mut out, v) {
        Printer {
            out: &mut out,
            frames: Vec::new(),
            open: FxHashSet::default(),
        }
        .run(v);
    }
    if out.oom {
        Err(crate::mem::out_of_memory())
    } else {
        Ok(())
    }
}

/// The text being written: a `String` grown with `mem::reserve_str`. The first refused
/// growth sets `oom`, after which nothing more is written (the printer then stops).
struct Out<'a> {
    s: &'a mut String,
    oom: bool,
}

/// Room for any `f64` as `Display` writes it: the longest is a subnormal, `-0.000...0005`
/// with 323 zeros (327 bytes).
const NUMBER_ROOM: usize = 340;

/// Room for any `i64`: `-9223372036854775808` (20 bytes).
const INT_ROOM: usize = 20;

/// A number's text, formatted on the stack (so `out` grows by exactly its length, through
/// the checked path).
struct NumberText<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> NumberText<N> {
    /// The `Display` text of `n`; `N` must be room for the longest such text.
    fn of(n: &dyn std::fmt::Display) -> Self {
        let mut text = NumberText {
            buf: [0; N],
            len: 0,
        };
        // Cannot fail: the callers' `N` is room for every value of their number type.
        let written = write!(text, "{n}");
        debug_assert!(written.is_ok(), "NumberText room too small");
        text
    }

    fn as_str(&self) -> &str {
        // SAFETY: only whole `&str`s were copied in (`write_str`), so the bytes are UTF-8.
        unsafe { std::str::from_utf8_unchecked(&self.buf[..self.len]) }
    }
}

impl<const N: usize> Write for NumberText<N> {
    fn write_str(&mut self, t: &str) -> std::fmt::Result {
        let end = self.len + t.len();
        let slot = self.buf.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        slot.copy_from_slice(t.as_bytes());
        self.len = end;
        Ok(())
    }
}

impl Out<'_> {
    fn push_str(&mut self, t: &str) {
        if !self.oom && crate::mem::push_str(self.s, t).is_err() {
            self.oom = true;
        }
    }

    fn push(&mut self, c: char) {
        if !self.oom && crate::mem::push_char(self.s, c).is_err() {
            self.oom = true;
        }
    }

    /// Writes a number's `Display` text (`N`: room for the longest).
    fn number<const N: usize>(&mut self, n: &dyn std::fmt::Display) {
        self.push_str(NumberText::<N>::of(n).as_str());
    }
}

/// Writes a value that contains no other values. Returns false for containers (and for a
/// `Cell`, whose content may be one), leaving `out` untouched.
fn write_leaf(out: &mut Out, v: &Value) -> bool {
    match v {
        Value::Null | Value::Undef => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.number::<INT_ROOM>(i),
        // Rust's `Display` for f64 is the contract: shortest round-trip digits, no exponent,
        // no `.0` for whole numbers, `NaN`, `inf`, `-inf`, `-0`.
        Value::Float(f) => out.number::<NUMBER_ROOM>(f),
        Value::Str(s) => out.push_str(&s.text),
        Value::Func(c) => write_func(out, &c.proto.display_name),
        Value::Builtin(id) => write_func(out, builtins::display_name(*id)),
        Value::Bound(b) => write_func(out, &b.method.proto.display_name),
        Value::Array(_) | Value::Dict(_) | Value::Struct(_) | Value::Cell(_) => return false,
    }
    true
}

fn write_func(out: &mut Out, name: &str) {
    out.push_str("<func ");
    out.push_str(name);
    out.push('>');
}

/// An open container and the index of its next element to print.
enum Frame {
    Array(Rc<ArrayObj>, usize),
    Dict(Rc<DictObj>, usize),
    Struct(Rc<Instance>, usize),
}

/// What the top frame asks for next.
enum Step {
    /// A nested value to visit (already preceded by its separator and label).
    Visit(Value),
    /// The element was a leaf and has been written; continue with the same frame.
    Written,
    /// The container is finished: its closing text has been written.
    Close(usize),
}

struct Printer<'a, 'b> {
    out: &'a mut Out<'b>,
    frames: Vec<Frame>,
    /// Addresses of the containers currently open (the path from the root).
    open: FxHashSet<usize>,
}

impl Printer<'_, '_> {
    fn run(mut self, root: &Value) {
        self.visit(root.clone());
        while let Some(top) = self.frames.last_mut() {
            if self.out.oom {
                return;
            }
            match next_step(self.out, top) {
                Step::Visit(v) => self.visit(v),
                Step::Written => {}
                Step::Close(addr) => {
                    self.open.remove(&addr);
                    self.frames.pop();
                }
            }
        }
    }

    /// Writes a leaf, a cycle marker, or the opening of a container (pushing its frame).
    fn visit(&mut self, v: Value) {
        if write_leaf(self.out, &v) {
            return;
        }
        let addr = match &v {
            Value::Array(a) => Rc::as_ptr(a) as usize,
            Value::Dict(d) => Rc::as_ptr(d) as usize,
            Value::Struct(s) => Rc::as_ptr(s) as usize,
            Value::Cell(c) => {
                // A captured variable's box never reaches a program; show its content.
                let inner = c.borrow().clone();
                return self.visit(inner);
            }
            _ => unreachable!("write_leaf handles every other variant"),
        };
        if self.open.try_reserve(1).is_err() {
            self.out.oom = true;
            return;
        }
        let first_visit = self.open.insert(addr);
        match v {
            Value::Array(a) => {
                if first_visit {
                    self.out.push('[');
                    self.open_frame(Frame::Array(a, 0));
                } else {
                    self.out.push_str("[...]");
                }
            }
            Value::Dict(d) => {
                if first_visit {
                    self.out.push('{');
                    self.open_frame(Frame::Dict(d, 0));
                } else {
                    self.out.push_str("{...}");
                }
            }
            Value::Struct(s) => {
                self.out.push_str(&s.def.name);
                if first_visit {
                    self.out.push_str(" {");
                    self.open_frame(Frame::Struct(s, 0));
                } else {
                    self.out.push_str(" {...}");
                }
            }
            _ => unreachable!(),
        }
    }

    /// Pushes the frame of a container just opened (its depth is bounded by data that
    /// exists, but 200,000 levels still take memory: grown fallibly too).
    fn open_frame(&mut self, frame: Frame) {
        if crate::mem::push(&mut self.frames, frame).is_err() {
            self.out.oom = true;
        }
    }
}

/// Advances `frame` by one element: writes the separator (and a dict key or field label),
/// then either writes a leaf element directly or hands a container back to be visited.
fn next_step(out: &mut Out, frame: &mut Frame) -> Step {
    match frame {
        Frame::Array(a, i) => {
            let items = a.items.borrow();
            let Some(item) = items.get(*i) else {
                out.push(']');
                return Step::Close(Rc::as_ptr(a) as usize);
            };
            if *i > 0 {
                out.push_str(", ");
            }
            *i += 1;
            element(out, item)
        }
        Frame::Dict(d, i) => {
            let map = d.map.borrow();
            let Some((key, value)) = map.get_index(*i) else {
                out.push('}');
                return Step::Close(Rc::as_ptr(d) as usize);
            };
            if *i > 0 {
                out.push_str(", ");
            }
            *i += 1;
            write_key(out, key);
            out.push_str(": ");
            element(out, value)
        }
        Frame::Struct(s, i) => {
            let fields = s.fields.borrow();
            let Some(value) = fields.get(*i) else {
                out.push_str(if fields.is_empty() { "}" } else { " }" });
                return Step::Close(Rc::as_ptr(s) as usize);
            };
            out.push_str(if *i > 0 { ", " } else { " " });
            out.push_str(&s.def.fields[*i]);
            out.push_str(": ");
            *i += 1;
            element(out, value)
        }
    }
}

fn element(out: &mut Out, v: &Value) -> Step {
    if write_leaf(out, v) {
        Step::Written
    } else {
        Step::Visit(v.clone())
    }
}

/// Dict keys: Str keys in double quotes (not escaped), Int and Bool as usual.
fn write_key(out: &mut Out, key: &DictKey) {
    match key {
        DictKey::Str(s) => {
            out.push('"');
            out.push_str(&s.text);
            out.push('"');
        }
        DictKey::Int(i) => out.number::<INT_ROOM>(i),
        DictKey::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
    }
}
