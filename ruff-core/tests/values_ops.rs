//! Equality, comparison and arithmetic (`equals`, `compare`, `binary`, `unary`).

#[path = "values_common.rs"]
mod common;

use std::rc::Rc;

use common::*;
use ruff_core::ast::{BinOp, UnOp};
use ruff_core::heap::BoundMethod;
use ruff_core::values::{binary, compare, equals, equals_shallow, unary};
use ruff_core::Value;

fn eq(a: &Value, b: &Value) -> bool {
    equals(a, b).unwrap()
}

fn bin(op: BinOp, a: Value, b: Value) -> Result<String, String> {
    binary(op, &a, &b).map(|v| format!("{} {}", ruff_core::values::type_name(&v), to_display(&v)))
}

fn ok(op: BinOp, a: Value, b: Value) -> String {
    bin(op, a, b).unwrap()
}

fn err(op: BinOp, a: Value, b: Value) -> String {
    bin(op, a, b).unwrap_err()
}

use BinOp::*;
use Value::{Bool, Float, Int, Null};

#[test]
fn int_float_equality_is_exact() {
    assert!(eq(&Int(1), &Float(1.0)));
    assert!(!eq(&Int(9007199254740993), &Float(9007199254740992.0)));
    assert!(eq(&Int(9007199254740992), &Float(9007199254740992.0)));
    assert!(!eq(&Int(i64::MAX), &Float(9223372036854775808.0)));
    assert!(eq(&Int(i64::MIN), &Float(-9223372036854775808.0)));
    assert!(!eq(&Int(1), &Float(1.5)));
    assert!(!eq(&Float(f64::NAN), &Float(f64::NAN)));
    assert!(!eq(&Int(0), &Float(f64::NAN)));
    assert!(eq(&Float(0.0), &Float(-0.0)));
}

#[test]
fn equality_by_type() {
    assert!(!eq(&Bool(true), &Int(1)));
    assert!(eq(&Null, &Null));
    assert!(!eq(&Null, &Bool(false)));
    assert!(eq(&s("ab"), &s("ab")));
    assert!(!eq(&s("ab"), &s("b")));
    assert!(!eq(&s("1"), &Int(1)));
    assert!(eq(&Value::Builtin(3), &Value::Builtin(3)));
    // Aliases are different builtins: `str == to_string` is false.
    assert!(!eq(&Value::Builtin(9), &Value::Builtin(10)));
}

#[test]
fn containers_compare_deeply() {
    assert!(eq(&ints(&[1, 2]), &arr(vec![Int(1), Float(2.0)])));
    assert!(!eq(&ints(&[1, 2]), &ints(&[1, 2, 3])));
    assert!(!eq(&ints(&[1, 2]), &ints(&[2, 1])));
    let nan = arr(vec![Float(f64::NAN)]);
    assert!(
        !eq(&nan, &nan),
        "NaN equals nothing, even in the same array"
    );
    let d1 = dict(vec![(s("a"), Int(1)), (Int(2), ints(&[3]))]);
    let d2 = dict(vec![(Int(2), ints(&[3])), (s("a"), Float(1.0))]);
    assert!(eq(&d1, &d2), "dict equality ignores order");
    let d3 = dict(vec![(Int(2), ints(&[3])), (s("b"), Int(1))]);
    assert!(!eq(&d1, &d3));
    assert!(!eq(
        &dict(vec![(Int(1), Null)]),
        &dict(vec![(Bool(true), Null)])
    ));
}

#[test]
fn structs_functions_and_bound_methods_by_identity() {
    let def = struct_def("P", &["x"], &["m"]);
    let p = instance(&def, vec![Int(1)]);
    let q = instance(&def, vec![Int(1)]);
    assert!(eq(&p, &p.clone()));
    assert!(!eq(&p, &q));
    let f = closure("f");
    assert!(eq(&Value::Func(f.clone()), &Value::Func(f)));
    assert!(!eq(&Value::Func(closure("f")), &Value::Func(closure("f"))));
    let mk = || {
        Value::Bound(Rc::new(BoundMethod {
            receiver: p.clone(),
            method: def.methods.get().expect("methods")[0].1.clone(),
        }))
    };
    let b = mk();
    assert!(eq(&b, &b.clone()));
    assert!(!eq(&mk(), &mk()));
}

#[test]
fn shallow_equality_agrees_with_equals_or_defers() {
    let def = struct_def("P", &["x"], &["m"]);
    let p = instance(&def, vec![Int(1)]);
    let f = Value::Func(closure("f"));
    let values = vec![
        Int(1),
        Int(-3),
        Float(1.0),
        Float(f64::NAN),
        Float(-0.0),
        Float(0.0),
        Bool(true),
        Bool(false),
        Null,
        s(""),
        s("ab"),
        s("ab"),
        s("é"),
        ints(&[1, 2]),
        arr(vec![Int(1), Float(2.0)]),
        ints(&[]),
        dict(vec![(s("a"), Int(1))]),
        dict(vec![(s("a"), Float(1.0))]),
        dict(vec![]),
        p.clone(),
        instance(&def, vec![Int(1)]),
        f.clone(),
        Value::Func(closure("f")),
        Value::Builtin(3),
        Value::Builtin(4),
    ];
    let mut deferred = 0;
    for a in &values {
        for b in values.iter().chain([p.clone(), f.clone()].iter()) {
            match equals_shallow(a, b) {
                Some(r) => assert_eq!(r, eq(a, b), "{a:?} == {b:?}"),
                None => {
                    deferred += 1;
                    assert!(
                        matches!(
                            (a, b),
                            (Value::Array(_), Value::Array(_)) | (Value::Dict(_), Value::Dict(_))
                        ),
                        "only containers are left to equals: {a:?} == {b:?}"
                    );
                }
            }
        }
    }
    // Containers of one size are deferred (two arrays of 2, two dicts of 1, and each with
    // itself).
    assert!(deferred >= 8, "{deferred}");
}

#[test]
fn cyclic_equality_is_a_stack_overflow() {
    let a = ints(&[1]);
    if let Value::Array(rc) = &a {
        rc.items.borrow_mut().push(a.clone());
    }
    assert_eq!(equals(&a, &a), Err("stack overflow".to_owned()));
    let b = ints(&[1]);
    if let Value::Array(rc) = &b {
        rc.items.borrow_mut().push(b.clone());
    }
    assert_eq!(equals(&a, &b), Err("stack overflow".to_owned()));
    assert_eq!(err(Eq, a.clone(), b.clone()), "stack overflow");
    // A difference found before the cycle is reached decides.
    assert!(!eq(
        &arr(vec![Int(1), a.clone()]),
        &arr(vec![Int(2), b.clone()])
    ));
    for v in [&a, &b] {
        if let Value::Array(rc) = v {
            rc.items.borrow_mut().pop();
        }
    }
}

#[test]
fn deep_nesting_compares_without_stack_overflow() {
    let x = nested(200_000, Int(1));
    let y = nested(200_000, Float(1.0));
    let z = nested(200_000, Int(2));
    assert!(eq(&x, &y));
    assert!(!eq(&x, &z));
}

#[test]
fn ordering() {
    assert_eq!(
        compare(Lt, &Int(i64::MAX), &Float(9223372036854775808.0)),
        Ok(true)
    );
    assert_eq!(
        compare(Lt, &Int(9007199254740993), &Float(9007199254740992.0)),
        Ok(false)
    );
    assert_eq!(
        compare(Gt, &Int(9007199254740993), &Float(9007199254740992.0)),
        Ok(true)
    );
    assert_eq!(compare(Ge, &Float(2.5), &Int(2)), Ok(true));
    assert_eq!(compare(Le, &Int(-3), &Float(-2.5)), Ok(true));
    assert_eq!(compare(Lt, &Float(f64::NAN), &Int(1)), Ok(false));
    assert_eq!(compare(Ge, &Float(f64::NAN), &Float(f64::NAN)), Ok(false));
    assert_eq!(compare(Lt, &s("Z"), &s("a")), Ok(true));
    assert_eq!(compare(Lt, &s("é"), &s("z")), Ok(false));
    assert_eq!(compare(Le, &s("ab"), &s("ab")), Ok(true));
    assert_eq!(
        compare(Lt, &Int(1), &s("a")),
        Err("cannot compare int and string with '<'".to_owned())
    );
    assert_eq!(
        err(Ge, arr(vec![]), arr(vec![])),
        "cannot compare array and array with '>='"
    );
    assert_eq!(
        err(Le, Bool(true), Null),
        "cannot compare bool and null with '<='"
    );
    assert_eq!(ok(Ne, Int(1), s("1")), "bool true");
}

#[test]
fn int_arithmetic_wraps_and_truncates() {
    assert_eq!(ok(Add, Int(i64::MAX), Int(1)), format!("int {}", i64::MIN));
    assert_eq!(ok(Sub, Int(i64::MIN), Int(1)), format!("int {}", i64::MAX));
    assert_eq!(ok(Mul, Int(i64::MAX), Int(2)), "int -2");
    assert_eq!(ok(Div, Int(-7), Int(2)), "int -3");
    assert_eq!(ok(Mod, Int(-7), Int(3)), "int -1");
    assert_eq!(ok(Mod, Int(7), Int(-3)), "int 1");
    assert_eq!(ok(Div, Int(i64::MIN), Int(-1)), format!("int {}", i64::MIN));
    assert_eq!(ok(Mod, Int(i64::MIN), Int(-1)), "int 0");
    assert_eq!(err(Div, Int(1), Int(0)), "division by zero");
    assert_eq!(err(Mod, Int(1), Int(0)), "division by zero");
}

#[test]
fn float_and_mixed_arithmetic() {
    assert_eq!(ok(Div, Float(1.0), Float(0.0)), "float inf");
    assert_eq!(ok(Div, Int(1), Float(0.0)), "float inf");
    assert_eq!(ok(Div, Float(1.0), Float(-0.0)), "float -inf");
    assert_eq!(ok(Div, Float(0.0), Float(0.0)), "float NaN");
    assert_eq!(ok(Mod, Float(5.5), Float(0.0)), "float NaN");
    assert_eq!(ok(Mod, Float(f64::INFINITY), Float(2.0)), "float NaN");
    assert_eq!(ok(Mod, Float(5.5), Float(f64::INFINITY)), "float 5.5");
    assert_eq!(ok(Mod, Float(-7.5), Int(2)), "float -1.5");
    assert_eq!(ok(Add, Int(1), Float(0.5)), "float 1.5");
    assert_eq!(ok(Mul, Float(2.0), Int(3)), "float 6");
    assert_eq!(
        ok(Sub, Float(0.1), Float(0.3)),
        "float -0.19999999999999998"
    );
}

#[test]
fn strings_and_arrays() {
    assert_eq!(ok(Add, s("ab"), s("cd")), "string abcd");
    assert_eq!(ok(Mul, s("ab"), Int(3)), "string ababab");
    assert_eq!(ok(Mul, s("é"), Int(2)), "string éé");
    assert_eq!(ok(Mul, s("ab"), Int(0)), "string ");
    assert_eq!(ok(Mul, s("ab"), Int(-5)), "string ");
    assert_eq!(ok(Mul, s(""), Int(i64::MAX)), "string ");
    assert_eq!(
        err(Mul, s("ab"), Int(1 << 31 | 1)),
        "out of memory: string repetition too large"
    );
    assert_eq!(
        err(Mul, s("a"), Int(i64::MAX)),
        "out of memory: string repetition too large"
    );
    assert_eq!(
        err(Mul, Int(3), s("ab")),
        "unsupported operand types for '*': int and string"
    );
    assert_eq!(
        err(Add, s("n="), Int(5)),
        "unsupported operand types for '+': string and int"
    );
    let a = ints(&[1]);
    let joined = binary(Add, &a, &ints(&[2, 3])).unwrap();
    assert_eq!(to_display(&joined), "[1, 2, 3]");
    assert!(!matches!((&a, &joined), (Value::Array(x), Value::Array(y)) if Rc::ptr_eq(x, y)));
    assert_eq!(to_display(&a), "[1]");
    assert_eq!(
        err(Sub, ints(&[1]), ints(&[1])),
        "unsupported operand types for '-': array and array"
    );
    assert_eq!(
        err(Add, Bool(true), Int(1)),
        "unsupported operand types for '+': bool and int"
    );
    assert_eq!(
        err(Add, Null, Null),
        "unsupported operand types for '+': null and null"
    );
}

#[test]
fn bitwise_and_shifts() {
    assert_eq!(ok(BitAnd, Int(12), Int(10)), "int 8");
    assert_eq!(ok(BitOr, Int(12), Int(10)), "int 14");
    assert_eq!(ok(BitXor, Int(12), Int(10)), "int 6");
    assert_eq!(ok(Shl, Int(3), Int(63)), format!("int {}", i64::MIN));
    assert_eq!(ok(Shl, Int(1), Int(0)), "int 1");
    assert_eq!(ok(Shr, Int(-16), Int(2)), "int -4");
    assert_eq!(ok(Shr, Int(-1), Int(63)), "int -1");
    assert_eq!(err(Shl, Int(1), Int(64)), "shift count 64 is outside 0..63");
    assert_eq!(err(Shr, Int(1), Int(-1)), "shift count -1 is outside 0..63");
    // Operand types are checked before the count.
    assert_eq!(
        err(Shl, Float(1.0), Int(99)),
        "unsupported operand types for '<<': float and int"
    );
    assert_eq!(
        err(BitAnd, Bool(true), Int(1)),
        "unsupported operand types for '&': bool and int"
    );
    assert_eq!(
        err(BitXor, Int(1), Float(1.0)),
        "unsupported operand types for '^': int and float"
    );
}

#[test]
fn unary_operators() {
    let show = |op, v: Value| unary(op, &v).map(|r| to_display(&r));
    assert_eq!(show(UnOp::Neg, Int(i64::MIN)), Ok(i64::MIN.to_string()));
    assert_eq!(show(UnOp::Neg, Float(0.0)), Ok("-0".into()));
    assert_eq!(
        show(UnOp::Neg, s("x")),
        Err("unsupported operand type for unary '-': string".into())
    );
    assert_eq!(show(UnOp::BitNot, Int(0)), Ok("-1".into()));
    assert_eq!(
        show(UnOp::BitNot, Float(1.0)),
        Err("unsupported operand type for '~': float".into())
    );
    assert_eq!(show(UnOp::Not, Int(0)), Ok("true".into()));
    assert_eq!(show(UnOp::Not, Float(f64::NAN)), Ok("false".into()));
    assert_eq!(show(UnOp::Not, s("")), Ok("true".into()));
}
