//! Heap objects behind `Value`'s reference-counted variants.
//!
//! Strings are immutable to the program; the interpreter may still append in place when it
//! holds the only reference (`Rc::get_mut`), which makes `s := s + x` amortised O(len(x)).
//! Arrays, dicts and struct instances are shared by reference and mutated through `RefCell`.
//!
//! Dropping is iterative: a program may build data nested 200,000 deep, and the default
//! recursive drop glue would need one native frame per level. `ArrayObj`, `DictObj` and
//! `Instance` move nested containers onto a work list instead (see `drop_nested`).

use std::cell::{Cell, RefCell};
use std::hash::{Hash, Hasher};
use std::rc::Rc;

use indexmap::IndexMap;
use rustc_hash::FxBuildHasher;

use crate::bytecode::FuncProto;
use crate::value::Value;

/// An immutable (to the program) string.
///
/// Build it with `StrObj::new` (or `From`). `text` may be grown in place by appending (the
/// interpreter's `s := s + x` trick) but must not be otherwise rewritten while other code may
/// have asked for character positions: `ascii_prefix` caches how many leading bytes are known
/// to be ASCII, which stays true under appends, and makes `s[i]`/`len(s)` O(1) on ASCII text.
#[derive(Debug, Clone, Default)]
pub struct StrObj {
    pub text: String,
    /// Leading bytes of `text` known to be ASCII (a lower bound; extended lazily).
    ascii_prefix: Cell<usize>,
}

impl StrObj {
    pub fn new(text: String) -> StrObj {
        StrObj {
            text,
            ascii_prefix: Cell::new(0),
        }
    }

    /// Length of the leading all-ASCII run of `text`, in bytes (= characters).
    #[inline]
    pub fn ascii_prefix_len(&self) -> usize {
        let len = self.text.len();
        let known = self.ascii_prefix.get().min(len);
        if known == len {
            return len;
        }
        // Scanning resumes where the last scan stopped: a string that is ASCII except for a
        // later part pays O(1) here after the first call, and appends only scan the new bytes.
        let found = known + ascii_run(&self.text.as_bytes()[known..]);
        self.ascii_prefix.set(found);
        found
    }

    /// True if every character is ASCII (then byte offsets are character indices).
    #[inline]
    pub fn is_ascii(&self) -> bool {
        self.ascii_prefix_len() == self.text.len()
    }

    /// Number of characters (Unicode scalar values).
    pub fn char_len(&self) -> usize {
        let prefix = self.ascii_prefix_len();
        match self.text.get(prefix..) {
            Some(rest) => prefix + rest.chars().count(),
            None => self.text.chars().count(),
        }
    }

    /// The character at character index `i`, if any.
    pub fn char_at(&self, i: usize) -> Option<char> {
        let prefix = self.ascii_prefix_len();
        if i < prefix {
            let b = self.text.as_bytes()[i];
            if b.is_ascii() {
                return Some(b as char);
            }
        }
        match self.text.get(prefix..) {
            Some(rest) if i >= prefix => rest.chars().nth(i - prefix),
            _ => self.text.chars().nth(i),
        }
    }

    /// Byte offset of character index `i` (`text.len()` when `i` is the character length);
    /// None past the end.
    pub fn byte_offset(&self, i: usize) -> Option<usize> {
        let prefix = self.ascii_prefix_len();
        if i <= prefix {
            return Some(i);
        }
        let rest = self.text.get(prefix..)?;
        let k = i - prefix;
        match rest.char_indices().nth(k) {
            Some((off, _)) => Some(prefix + off),
            None if rest.chars().count() == k => Some(self.text.len()),
            None => None,
        }
    }
}

impl From<String> for StrObj {
    fn from(text: String) -> StrObj {
        StrObj::new(text)
    }
}

impl From<&str> for StrObj {
    fn from(text: &str) -> StrObj {
        StrObj::new(text.to_owned())
    }
}

/// Length of the leading run of ASCII bytes. Whole 16-byte chunks go through `is_ascii`
/// (word-at-a-time in std), so long ASCII strings are scanned quickly.
fn ascii_run(bytes: &[u8]) -> usize {
    let mut done = 0;
    for chunk in bytes.chunks(16) {
        if chunk.is_ascii() {
            done += chunk.len();
        } else {
            return done + chunk.iter().take_while(|b| b.is_ascii()).count();
        }
    }
    done
}

#[derive(Debug, Default)]
pub struct ArrayObj {
    pub items: RefCell<Vec<Value>>,
}

impl ArrayObj {
    pub fn new(items: Vec<Value>) -> ArrayObj {
        ArrayObj {
            items: RefCell::new(items),
        }
    }
}

impl Drop for ArrayObj {
    fn drop(&mut self) {
        let items = self.items.get_mut();
        if items.iter().any(may_nest) {
            drop_nested(std::mem::take(items));
        } else if !items.iter().any(|v| crate::value::tag::is_heap(v.tag())) {
            // All scalars: skip the per-element drop glue (an out-of-line call each), which
            // dominated freeing big arrays of Ints or Bools.
            // SAFETY: scalar values own no resources, so forgetting them leaks nothing; the
            // Vec then frees only its buffer.
            unsafe { items.set_len(0) }
        }
    }
}

/// True for values whose drop can recurse into further containers.
#[inline]
fn may_nest(v: &Value) -> bool {
    matches!(
        v,
        Value::Array(_) | Value::Dict(_) | Value::Struct(_) | Value::Cell(_)
    )
}

/// Drops `pending` without native recursion: a container about to be freed (last reference)
/// has its contents moved onto the list first, so its own drop finds nothing nested.
fn drop_nested(mut pending: Vec<Value>) {
    while let Some(v) = pending.pop() {
        match v {
            Value::Array(rc) => {
                if let Some(mut obj) = Rc::into_inner(rc) {
                    pending.append(obj.items.get_mut());
                }
            }
            Value::Dict(rc) => {
                if let Some(mut obj) = Rc::into_inner(rc) {
                    pending.extend(std::mem::take(obj.map.get_mut()).into_values());
                }
            }
            Value::Struct(rc) => {
                if let Some(mut obj) = Rc::into_inner(rc) {
                    pending.extend(obj.fields.get_mut().drain(..));
                }
            }
            Value::Cell(rc) => {
                if let Some(cell) = Rc::into_inner(rc) {
                    pending.push(cell.into_inner());
                }
            }
            other => drop(other),
        }
    }
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

impl DictObj {
    pub fn new(map: DictMap) -> DictObj {
        DictObj {
            map: RefCell::new(map),
        }
    }
}

impl Drop for DictObj {
    fn drop(&mut self) {
        let map = self.map.get_mut();
        if map.values().any(may_nest) {
            drop_nested(std::mem::take(map).into_values().collect());
        }
    }
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
    /// Methods in declaration order; each is a closure without upvalues. Set once by the
    /// compiler after the methods are compiled (a method may build an instance of its own
    /// struct, so the definition must exist first).
    pub methods: std::cell::OnceCell<Vec<(Rc<str>, Rc<Closure>)>>,
}

impl StructDef {
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| &**f == name)
    }

    pub fn method(&self, name: &str) -> Option<&Rc<Closure>> {
        self.methods
            .get()?
            .iter()
            .find(|(n, _)| &**n == name)
            .map(|(_, m)| m)
    }
}

/// The fields of an instance: inline up to 4 (most structs), so creating one is a single
/// allocation.
pub type Fields = smallvec::SmallVec<[Value; 4]>;

/// An instance of a struct; fields in declaration order.
#[derive(Debug)]
pub struct Instance {
    pub def: Rc<StructDef>,
    pub fields: RefCell<Fields>,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let fields = self.fields.get_mut();
        if fields.iter().any(may_nest) {
            drop_nested(fields.drain(..).collect());
        }
    }
}
