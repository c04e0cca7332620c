//! The one `Value` type shared by the interpreter and the JIT.
//!
//! Layout (the JIT reads and writes it directly, so it is part of the contract):
//! `#[repr(C, u8)]`, 16 bytes: the tag byte, then a union aligned to 8. Byte 0 is the tag
//! (the discriminants below). Every payload is at byte offset 8: `Int` (i64), `Float` (f64),
//! every heap variant (one `Rc` pointer), `Bool` (one byte, 0 or 1, at offset 8) and
//! `Builtin`'s id (a u8 at offset 8). `Null` and `Undef` have no payload. A test pins size
//! and offsets.
//!
//! Heap values are reference counted (`Rc`); cloning a `Value` bumps the count and dropping
//! it releases it, so code that overwrites a slot holding a heap value must drop the old one.
//! `Undef` marks a local that has no value yet; it never escapes into user-visible values.

use std::cell::RefCell;
use std::rc::Rc;

use crate::heap::{ArrayObj, BoundMethod, Closure, DictObj, Instance, StrObj};

/// Tag values, as read by compiled code. Keep in sync with the enum discriminants.
pub mod tag {
    pub const NULL: u8 = 0;
    pub const BOOL: u8 = 1;
    pub const INT: u8 = 2;
    pub const FLOAT: u8 = 3;
    pub const STR: u8 = 4;
    pub const ARRAY: u8 = 5;
    pub const DICT: u8 = 6;
    pub const FUNC: u8 = 7;
    pub const BUILTIN: u8 = 8;
    pub const BOUND: u8 = 9;
    pub const STRUCT: u8 = 10;
    pub const CELL: u8 = 11;
    pub const UNDEF: u8 = 12;
    /// Tags at or above this one hold no heap pointer... except none; tags in
    /// `FIRST_HEAP..=LAST_HEAP` (other than BUILTIN) own an `Rc`.
    pub const FIRST_HEAP: u8 = STR;
    /// Number of tags; feedback bit sets use `1 << tag`.
    pub const COUNT: u8 = 13;

    /// True if a value with this tag owns a reference count (dropping it must release it).
    #[inline]
    pub const fn is_heap(t: u8) -> bool {
        // One shift and mask instead of three compares: this test guards every register
        // store and copy in the interpreter.
        (HEAP_MASK >> (t & 31)) & 1 != 0
    }

    /// Bit `t` is set for every heap tag (`STR..=CELL` except `BUILTIN`).
    const HEAP_MASK: u32 = ((1 << (CELL + 1)) - (1 << STR)) & !(1 << BUILTIN);
}

#[repr(C, u8)]
#[derive(Clone, Debug, Default)]
pub enum Value {
    #[default]
    Null = tag::NULL,
    Bool(bool) = tag::BOOL,
    Int(i64) = tag::INT,
    Float(f64) = tag::FLOAT,
    Str(Rc<StrObj>) = tag::STR,
    Array(Rc<ArrayObj>) = tag::ARRAY,
    Dict(Rc<DictObj>) = tag::DICT,
    Func(Rc<Closure>) = tag::FUNC,
    /// A builtin function, by its id in `builtins`.
    Builtin(u8) = tag::BUILTIN,
    /// `p.m` read without calling it.
    Bound(Rc<BoundMethod>) = tag::BOUND,
    Struct(Rc<Instance>) = tag::STRUCT,
    /// A captured variable's box (closures capture by reference). Only ever stored in
    /// registers of the declaring function and in closures' upvalue lists.
    Cell(Rc<RefCell<Value>>) = tag::CELL,
    /// A local with no value yet (reading it is `undefined variable`).
    Undef = tag::UNDEF,
}

/// A value that owns nothing and fits a machine register: what compiled code keeps unboxed
/// and what the operator kernels compute on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar {
    Int(i64),
    Float(f64),
    Bool(bool),
}

impl From<Scalar> for Value {
    #[inline(always)]
    fn from(s: Scalar) -> Value {
        match s {
            Scalar::Int(i) => Value::Int(i),
            Scalar::Float(f) => Value::Float(f),
            Scalar::Bool(b) => Value::Bool(b),
        }
    }
}

impl Value {
    /// The value as a `Scalar`, if it is an Int, Float or Bool.
    #[inline]
    pub fn scalar(&self) -> Option<Scalar> {
        match *self {
            Value::Int(i) => Some(Scalar::Int(i)),
            Value::Float(f) => Some(Scalar::Float(f)),
            Value::Bool(b) => Some(Scalar::Bool(b)),
            _ => None,
        }
    }

    /// The tag byte, as the JIT sees it.
    #[inline]
    pub fn tag(&self) -> u8 {
        // SAFETY: `Value` is `repr(C, u8)`, so its first byte is the discriminant.
        unsafe { *(self as *const Value as *const u8) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_is_sixteen_bytes_with_documented_offsets() {
        assert_eq!(std::mem::size_of::<Value>(), 16);
        assert_eq!(std::mem::align_of::<Value>(), 8);
        let v = Value::Int(-5);
        let p = &v as *const Value as *const u8;
        // SAFETY: reading bytes of a live 16-byte value.
        unsafe {
            assert_eq!(*p, tag::INT);
            assert_eq!(*(p.add(8) as *const i64), -5);
        }
        let f = Value::Float(2.5);
        let p = &f as *const Value as *const u8;
        // SAFETY: as above.
        unsafe {
            assert_eq!(*p, tag::FLOAT);
            assert_eq!(*(p.add(8) as *const f64), 2.5);
        }
        let b = Value::Bool(true);
        let p = &b as *const Value as *const u8;
        // SAFETY: as above.
        unsafe {
            assert_eq!(*p, tag::BOOL);
            assert_eq!(*p.add(8), 1);
        }
        assert_eq!(Value::Undef.tag(), tag::UNDEF);
        assert_eq!(Value::Null.tag(), tag::NULL);
    }

    #[test]
    fn heap_mask_matches_the_tag_ranges() {
        for t in 0..32u8 {
            let expected = (tag::STR..=tag::CELL).contains(&t) && t != tag::BUILTIN;
            assert_eq!(tag::is_heap(t), expected, "tag {t}");
        }
    }
}
