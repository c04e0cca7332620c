//! Semantics of values, independent of the VM: type names, truthiness, printing, equality,
//! ordering, arithmetic, indexing and fields (LANGUAGE.md, LANGUAGE-DETAILS §3–§7).
//!
//! Every fallible function returns the runtime message of LANGUAGE-DETAILS §6 as a `String`;
//! the caller (interpreter or JIT helper) attaches the position. Nothing here recurses on the
//! shape of user data: printing and equality walk nested containers with explicit work
//! stacks, so data nested 200,000 deep never overflows the native stack.

mod arith;
mod display;
mod equality;
mod fields;
mod index;

use std::rc::Rc;

pub use arith::{binary, float_op, int_op, unary, unary_scalar};
pub use display::{to_display, write_display};
pub use equality::{cmp_int_float, compare, compare_numbers, equals, equals_shallow};
pub use fields::{get_field, set_field};
pub use index::{char_value, dict_key, get_index, resolve_index, set_index, string_chars};

use crate::heap::{ArrayObj, DictMap, DictObj, StrObj};
use crate::value::Value;

/// The `type_of` name of a value: `int`, `float`, `bool`, `null`, `string`, `array`, `dict`,
/// `function` (closures, builtins and bound methods alike), or the struct's name.
pub fn type_name(v: &Value) -> &str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Float(_) => "float",
        Value::Str(_) => "string",
        Value::Array(_) => "array",
        Value::Dict(_) => "dict",
        Value::Func(_) | Value::Builtin(_) | Value::Bound(_) => "function",
        Value::Struct(inst) => &inst.def.name,
        // Internal values that never reach a program; named for debugging only.
        Value::Cell(_) => "cell",
        Value::Undef => "undefined",
    }
}

/// Truthiness: `false`, `null`, `0`, `0.0` (and `-0.0`), `""`, `[]`, `{}` are false; NaN and
/// everything else is true.
#[inline]
pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Null | Value::Undef => false,
        Value::Bool(b) => *b,
        Value::Int(i) => *i != 0,
        // `!= 0.0` is false for both zeros and true for NaN, exactly the rule.
        Value::Float(f) => *f != 0.0,
        Value::Str(s) => !s.text.is_empty(),
        Value::Array(a) => !a.items.borrow().is_empty(),
        Value::Dict(d) => !d.map.borrow().is_empty(),
        Value::Func(_) | Value::Builtin(_) | Value::Bound(_) | Value::Struct(_) => true,
        Value::Cell(c) => truthy(&c.borrow()),
    }
}

/// A new Str value owning `s`.
#[inline]
pub fn new_str(s: String) -> Value {
    Value::Str(Rc::new(StrObj::new(s)))
}

/// A new Array value owning `items`.
#[inline]
pub fn new_array(items: Vec<Value>) -> Value {
    Value::Array(Rc::new(ArrayObj::new(items)))
}

/// A new Dict value owning `map`.
#[inline]
pub fn new_dict(map: DictMap) -> Value {
    Value::Dict(Rc::new(DictObj::new(map)))
}
