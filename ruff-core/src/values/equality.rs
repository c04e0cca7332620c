//! `==` and the ordering operators `< <= > >=` (LANGUAGE.md "Operators", DETAILS §4).
//!
//! Int/Float pairs are compared exactly, never by converting the Int to f64 (which would make
//! `9007199254740993 == 9007199254740992.0` true). Arrays and dicts compare deeply with an
//! explicit stack; the pairs of containers on the current path are remembered, and meeting
//! one again means the data is cyclic and the comparison would never end: that is reported
//! as `stack overflow`, the error a recursive implementation would hit.

use std::cmp::Ordering;
use std::rc::Rc;

use rustc_hash::FxHashSet;

use super::type_name;
use crate::ast::BinOp;
use crate::heap::{ArrayObj, DictObj};
use crate::value::Value;

/// 2^63 as f64: the first Float above every i64.
const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;

/// Exact ordering of an Int and a Float; None if the Float is NaN.
pub fn cmp_int_float(i: i64, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f >= TWO_POW_63 {
        return Some(Ordering::Less);
    }
    if f < -TWO_POW_63 {
        return Some(Ordering::Greater);
    }
    // Now -2^63 <= f < 2^63, so its integer part converts to i64 without loss.
    let whole = f.trunc();
    match i.cmp(&(whole as i64)) {
        Ordering::Equal => 0.0f64.partial_cmp(&(f - whole)),
        unequal => Some(unequal),
    }
}

/// Ordering of two numbers (Int or Float, mixed exactly). None if either is not a number or
/// the pair is unordered (NaN).
#[inline]
pub fn compare_numbers(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y),
        (Value::Int(x), Value::Float(y)) => cmp_int_float(*x, *y),
        (Value::Float(x), Value::Int(y)) => cmp_int_float(*y, *x).map(Ordering::reverse),
        _ => None,
    }
}

/// `a OP b` for OP in `< <= > >=`: numbers (mixed Int/Float, NaN compares false) and strings
/// (by code point, which is UTF-8 byte order); anything else is
/// `cannot compare T and T with 'OP'`.
pub fn compare(op: BinOp, a: &Value, b: &Value) -> Result<bool, String> {
    // The same message for an unordered pair of types and for an OP that is not a comparison.
    let cannot = || {
        format!(
            "cannot compare {} and {} with '{}'",
            type_name(a),
            type_name(b),
            op.symbol()
        )
    };
    let ord = match (a, b) {
        (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => compare_numbers(a, b),
        (Value::Str(x), Value::Str(y)) => Some(x.text.as_str().cmp(y.text.as_str())),
        _ => return Err(cannot()),
    };
    let Some(ord) = ord else {
        return Ok(false);
    };
    Ok(match op {
        BinOp::Lt => ord == Ordering::Less,
        BinOp::Le => ord != Ordering::Greater,
        BinOp::Gt => ord == Ordering::Greater,
        BinOp::Ge => ord != Ordering::Less,
        BinOp::Eq => ord == Ordering::Equal,
        BinOp::Ne => ord != Ordering::Equal,
        _ => return Err(cannot()),
    })
}

/// `a == b`. Err("stack overflow") only for cyclic data.
pub fn equals(a: &Value, b: &Value) -> Result<bool, String> {
    match shallow_equals(a, b) {
        Shallow::Equal(r) => Ok(r),
        Shallow::Arrays(x, y) => deep_equals(Pair::Array(x.clone(), y.clone(), 0)),
        Shallow::Dicts(x, y) => deep_equals(Pair::Dict(x.clone(), y.clone(), 0)),
    }
}

/// `a == b` when it is decided without descending into containers (every pair but two
/// arrays of one length or two dicts of one size): `equals`' answer, or `None`.
pub fn equals_shallow(a: &Value, b: &Value) -> Option<bool> {
    match shallow_equals(a, b) {
        Shallow::Equal(r) => Some(r),
        Shallow::Arrays(..) | Shallow::Dicts(..) => None,
    }
}

/// The outcome of comparing two values without descending into containers.
enum Shallow<'a> {
    Equal(bool),
    /// Two arrays of the same length: their elements decide.
    Arrays(&'a Rc<ArrayObj>, &'a Rc<ArrayObj>),
    /// Two dicts of the same size: their entries decide.
    Dicts(&'a Rc<DictObj>, &'a Rc<DictObj>),
}

fn shallow_equals<'a>(a: &'a Value, b: &'a Value) -> Shallow<'a> {
    let r = match (a, b) {
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
            compare_numbers(a, b) == Some(Ordering::Equal)
        }
        (Value::Str(x), Value::Str(y)) => Rc::ptr_eq(x, y) || x.text == y.text,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Null, Value::Null) => true,
        (Value::Array(x), Value::Array(y)) => {
            if x.items.borrow().len() != y.items.borrow().len() {
                false
            } else {
                return Shallow::Arrays(x, y);
            }
        }
        (Value::Dict(x), Value::Dict(y)) => {
            if x.map.borrow().len() != y.map.borrow().len() {
                false
            } else {
                return Shallow::Dicts(x, y);
            }
        }
        (Value::Struct(x), Value::Struct(y)) => Rc::ptr_eq(x, y),
        (Value::Func(x), Value::Func(y)) => Rc::ptr_eq(x, y),
        (Value::Builtin(x), Value::Builtin(y)) => x == y,
        (Value::Bound(x), Value::Bound(y)) => Rc::ptr_eq(x, y),
        (Value::Cell(x), Value::Cell(y)) => Rc::ptr_eq(x, y),
        _ => false,
    };
    Shallow::Equal(r)
}

/// Two containers of the same kind and size being compared, and the next element index.
enum Pair {
    Array(Rc<ArrayObj>, Rc<ArrayObj>, usize),
    Dict(Rc<DictObj>, Rc<DictObj>, usize),
}

impl Pair {
    fn addrs(&self) -> (usize, usize) {
        match self {
            Pair::Array(x, y, _) => (Rc::as_ptr(x) as usize, Rc::as_ptr(y) as usize),
            Pair::Dict(x, y, _) => (Rc::as_ptr(x) as usize, Rc::as_ptr(y) as usize),
        }
    }
}

/// What the top pair yields next.
enum Next {
    /// A pair of nested containers to compare before going on.
    Descend(Pair),
    /// Some element (or key) differs.
    Unequal,
    /// All elements compared equal.
    Done,
}

fn deep_equals(root: Pair) -> Result<bool, String> {
    let mut path: FxHashSet<(usize, usize)> = FxHashSet::default();
    path.insert(root.addrs());
    let mut stack = vec![root];
    while let Some(top) = stack.last_mut() {
        match next_elements(top) {
            Next::Descend(pair) => {
                // The work list grows with the depth of the data: fallibly.
                path.try_reserve(1)
                    .map_err(|_| crate::mem::out_of_memory())?;
                if !path.insert(pair.addrs()) {
                    return Err("stack overflow".to_owned());
                }
                crate::mem::push(&mut stack, pair)?;
            }
            Next::Unequal => return Ok(false),
            Next::Done => {
                path.remove(&top.addrs());
                stack.pop();
            }
        }
    }
    Ok(true)
}

/// Compares the elements of `pair` from its cursor on, in place (no clones), until one
/// differs or a pair of nested containers needs its own comparison.
fn next_elements(pair: &mut Pair) -> Next {
    match pair {
        Pair::Array(x, y, i) => {
            let (xs, ys) = (x.items.borrow(), y.items.borrow());
            while let (Some(p), Some(q)) = (xs.get(*i), ys.get(*i)) {
                *i += 1;
                if let Some(next) = element_step(p, q) {
                    return next;
                }
            }
            Next::Done
        }
        Pair::Dict(x, y, i) => {
            let (xm, ym) = (x.map.borrow(), y.map.borrow());
            while let Some((key, p)) = xm.get_index(*i) {
                *i += 1;
                let Some(q) = ym.get(key) else {
                    return Next::Unequal;
                };
                if let Some(next) = element_step(p, q) {
                    return next;
                }
            }
            Next::Done
        }
    }
}

/// None if the two elements are equal leaves; else what the walk must do.
fn element_step(p: &Value, q: &Value) -> Option<Next> {
    match shallow_equals(p, q) {
        Shallow::Equal(true) => None,
        Shallow::Equal(false) => Some(Next::Unequal),
        Shallow::Arrays(a, b) => Some(Next::Descend(Pair::Array(a.clone(), b.clone(), 0))),
        Shallow::Dicts(a, b) => Some(Next::Descend(Pair::Dict(a.clone(), b.clone(), 0))),
    }
}
