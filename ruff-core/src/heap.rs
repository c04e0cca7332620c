//! Heap objects behind `Value`'s reference-counted variants.
//!
//! Strings are immutable to the program; the interpreter may still append in place when it
//! holds the only reference (`Rc::get_mut`), which makes `s := s + x` amortised O(len(x)).
//! Arrays, dicts and struct instances are shared by reference and mutated through `RefCell`.

use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::rc::Rc;

use indexmap::IndexMap;
use rustc_hash::FxBuildHasher;

use crate::bytecode::FuncProto;
use crate::value::Value;

/// An immutable (to the program) string.
#[derive(Debug, Clone, Default)]
pub struct StrObj {
    pub text: String,
}

#[derive(Debug, Default)]
pub struct ArrayObj {
    pub items: RefCell<Vec<Value>>,
}

/// A dict key: Str, Int or Bool (LANGUAGE.md). `1` and `true` are different keys.
#[derive(Debug, Clone)]
pub enum DictKey {
    Str(Rc<StrObj>),
    Int(i64),
    Bool(bool),
}

impl PartialEq for DictKey {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (DictKey::Str(a), DictKey::Str(b)) => a.text == b.text,
            (DictKey::Int(a), DictKey::Int(b)) => a == b,
            (DictKey::Bool(a), DictKey::Bool(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for DictKey {}

impl Hash for DictKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            DictKey::Str(s) => {
                state.write_u8(0);
                s.text.hash(state)
            }
            DictKey::Int(i) => {
                state.write_u8(1);
                i.hash(state)
            }
            DictKey::Bool(b) => {
                state.write_u8(2);
                b.hash(state)
            }
        }
    }
}

pub type DictMap = IndexMap<DictKey, Value, FxBuildHasher>;

#[derive(Debug, Default)]
pub struct DictObj {
    pub map: RefCell<DictMap>,
}

/// A function value: its compiled prototype plus the cells it captured.
#[derive(Debug)]
pub struct Closure {
    pub proto: Rc<FuncProto>,
    pub upvals: Box<[Rc<RefCell<Value>>]>,
}

/// `p.m` read as a value: calling it passes `receiver` as the first argument.
#[derive(Debug)]
pub struct BoundMethod {
    pub receiver: Value,
    pub method: Rc<Closure>,
}

/// A declared struct: its fields in declaration order and its methods.
#[derive(Debug)]
pub struct StructDef {
    pub name: Rc<str>,
    pub fields: Vec<Rc<str>>,
    /// Methods in declaration order; each is a closure without upvalues.
    pub methods: Vec<(Rc<str>, Rc<Closure>)>,
}

impl StructDef {
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| &**f == name)
    }

    pub fn method(&self, name: &str) -> Option<&Rc<Closure>> {
        self.methods.iter().find(|(n, _)| &**n == name).map(|(_, m)| m)
    }
}

/// An instance of a struct; fields in declaration order.
#[derive(Debug)]
pub struct Instance {
    pub def: Rc<StructDef>,
    pub fields: RefCell<Vec<Value>>,
}
