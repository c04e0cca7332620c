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

/// The display text of `v`.
pub fn to_display(v: &Value) -> String {
    let mut out = String::new();
    write_display(&mut out, v);
    out
}

/// Appends the display text of `v` to `out`.
pub fn write_display(out: &mut String, v: &Value) {
    if !write_leaf(out, v) {
        Printer {
            out,
            frames: Vec::new(),
            open: FxHashSet::default(),
        }
        .run(v);
    }
}

/// Writes a value that contains no other values. Returns false for containers (and for a
/// `Cell`, whose content may be one), leaving `out` untouched.
fn write_leaf(out: &mut String, v: &Value) -> bool {
    match v {
        Value::Null | Value::Undef => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        // Rust's `Display` for f64 is the contract: shortest round-trip digits, no exponent,
        // no `.0` for whole numbers, `NaN`, `inf`, `-inf`, `-0`.
        Value::Float(f) => {
            let _ = write!(out, "{f}");
        }
        Value::Str(s) => out.push_str(&s.text),
        Value::Func(c) => write_func(out, &c.proto.display_name),
        Value::Builtin(id) => write_func(out, builtins::display_name(*id)),
        Value::Bound(b) => write_func(out, &b.method.proto.display_name),
        Value::Array(_) | Value::Dict(_) | Value::Struct(_) | Value::Cell(_) => return false,
    }
    true
}

fn write_func(out: &mut String, name: &str) {
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

struct Printer<'a> {
    out: &'a mut String,
    frames: Vec<Frame>,
    /// Addresses of the containers currently open (the path from the root).
    open: FxHashSet<usize>,
}

impl Printer<'_> {
    fn run(mut self, root: &Value) {
        self.visit(root.clone());
        while let Some(top) = self.frames.last_mut() {
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
        let first_visit = self.open.insert(addr);
        match v {
            Value::Array(a) => {
                if first_visit {
                    self.out.push('[');
                    self.frames.push(Frame::Array(a, 0));
                } else {
                    self.out.push_str("[...]");
                }
            }
            Value::Dict(d) => {
                if first_visit {
                    self.out.push('{');
                    self.frames.push(Frame::Dict(d, 0));
                } else {
                    self.out.push_str("{...}");
                }
            }
            Value::Struct(s) => {
                self.out.push_str(&s.def.name);
                if first_visit {
                    self.out.push_str(" {");
                    self.frames.push(Frame::Struct(s, 0));
                } else {
                    self.out.push_str(" {...}");
                }
            }
            _ => unreachable!(),
        }
    }
}

/// Advances `frame` by one element: writes the separator (and a dict key or field label),
/// then either writes a leaf element directly or hands a container back to be visited.
fn next_step(out: &mut String, frame: &mut Frame) -> Step {
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

fn element(out: &mut String, v: &Value) -> Step {
    if write_leaf(out, v) {
        Step::Written
    } else {
        Step::Visit(v.clone())
    }
}

/// Dict keys: Str keys in double quotes (not escaped), Int and Bool as usual.
fn write_key(out: &mut String, key: &DictKey) {
    match key {
        DictKey::Str(s) => {
            out.push('"');
            out.push_str(&s.text);
            out.push('"');
        }
        DictKey::Int(i) => {
            let _ = write!(out, "{i}");
        }
        DictKey::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
    }
}
