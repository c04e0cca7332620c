//! Printing (`to_display`), type names and truthiness.

#[path = "values_common.rs"]
mod common;

use std::rc::Rc;

use common::*;
use ruff_core::builtins;
use ruff_core::heap::BoundMethod;
use ruff_core::values::{truthy, type_name};
use ruff_core::Value;

fn f(x: f64) -> String {
    to_display(&Value::Float(x))
}

#[test]
fn floats_print_as_rust_display() {
    assert_eq!(f(2.0), "2");
    assert_eq!(f(0.1 + 0.2), "0.30000000000000004");
    assert_eq!(f(1e20), "100000000000000000000");
    assert_eq!(f(-0.0), "-0");
    assert_eq!(f(f64::NAN), "NaN");
    assert_eq!(f(f64::INFINITY), "inf");
    assert_eq!(f(f64::NEG_INFINITY), "-inf");
    assert_eq!(f(2.5e-3), "0.0025");
}

#[test]
fn scalars_print() {
    assert_eq!(to_display(&Value::Int(i64::MIN)), "-9223372036854775808");
    assert_eq!(to_display(&Value::Bool(true)), "true");
    assert_eq!(to_display(&Value::Bool(false)), "false");
    assert_eq!(to_display(&Value::Null), "null");
    assert_eq!(to_display(&s("abc")), "abc");
}

#[test]
fn containers_print() {
    let a = arr(vec![
        Value::Int(1),
        Value::Float(2.5),
        s("abc"),
        Value::Bool(true),
    ]);
    assert_eq!(to_display(&a), "[1, 2.5, abc, true]");
    assert_eq!(to_display(&arr(vec![])), "[]");
    assert_eq!(to_display(&arr(vec![s("")])), "[]");
    assert_eq!(to_display(&arr(vec![s("a, b")])), "[a, b]");
    let d = dict(vec![
        (s("a"), Value::Int(1)),
        (Value::Int(2), s("x")),
        (Value::Bool(true), arr(vec![])),
    ]);
    assert_eq!(to_display(&d), "{\"a\": 1, 2: x, true: []}");
    assert_eq!(to_display(&dict(vec![])), "{}");
    // Str keys are quoted but not escaped.
    assert_eq!(
        to_display(&dict(vec![(s("q\"\n"), Value::Null)])),
        "{\"q\"\n\": null}"
    );
}

#[test]
fn structs_print_in_declaration_order() {
    let point = struct_def("Point", &["x", "y"], &["norm"]);
    let p = instance(&point, vec![Value::Int(1), Value::Int(2)]);
    assert_eq!(to_display(&p), "Point { x: 1, y: 2 }");
    let empty = struct_def("Name", &[], &[]);
    assert_eq!(to_display(&instance(&empty, vec![])), "Name {}");
    assert_eq!(type_name(&p), "Point");
}

#[test]
fn functions_print_their_names() {
    assert_eq!(to_display(&Value::Func(closure("fib"))), "<func fib>");
    assert_eq!(
        to_display(&Value::Func(closure("anonymous"))),
        "<func anonymous>"
    );
    let append = builtins::lookup("append").unwrap();
    assert_eq!(to_display(&Value::Builtin(append)), "<func append>");
    let push = builtins::lookup("push").unwrap();
    assert_eq!(to_display(&Value::Builtin(push)), "<func push>");
    let point = struct_def("Point", &["x"], &["norm"]);
    let p = instance(&point, vec![Value::Null]);
    let bound = Value::Bound(Rc::new(BoundMethod {
        receiver: p,
        method: point.methods.get().expect("methods")[0].1.clone(),
    }));
    assert_eq!(to_display(&bound), "<func norm>");
    assert_eq!(type_name(&bound), "function");
}

#[test]
fn cycles_print_markers_but_repeats_print_in_full() {
    let a = ints(&[1]);
    if let Value::Array(rc) = &a {
        rc.items.borrow_mut().push(a.clone());
    }
    assert_eq!(to_display(&a), "[1, [...]]");

    let inner = ints(&[1]);
    let twice = arr(vec![inner.clone(), inner]);
    assert_eq!(to_display(&twice), "[[1], [1]]");

    let d = dict(vec![]);
    if let Value::Dict(rc) = &d {
        rc.map.borrow_mut().insert(str_key("me"), d.clone());
    }
    assert_eq!(to_display(&d), "{\"me\": {...}}");

    let node = struct_def("Node", &["next"], &[]);
    let n = instance(&node, vec![Value::Null]);
    ruff_core::values::set_field(&n, "next", n.clone()).unwrap();
    assert_eq!(to_display(&n), "Node { next: Node {...} }");
    // Break the cycles so the test does not leak (not required, but tidy).
    ruff_core::values::set_field(&n, "next", Value::Null).unwrap();
    if let Value::Array(rc) = &a {
        rc.items.borrow_mut().pop();
    }
    if let Value::Dict(rc) = &d {
        rc.map.borrow_mut().clear();
    }
}

#[test]
fn deep_nesting_prints_without_stack_overflow() {
    let depth = 200_000;
    let v = nested(depth, Value::Int(7));
    let text = to_display(&v);
    let expected = format!("{}7{}", "[".repeat(depth + 1), "]".repeat(depth + 1));
    assert!(text == expected);

    // Deep dicts and structs too.
    let mut d = dict(vec![]);
    for _ in 0..depth {
        d = dict(vec![(Value::Int(0), d)]);
    }
    assert!(to_display(&d).starts_with("{0: {0: "));
}

#[test]
fn type_names() {
    assert_eq!(type_name(&Value::Int(1)), "int");
    assert_eq!(type_name(&Value::Float(1.0)), "float");
    assert_eq!(type_name(&Value::Bool(true)), "bool");
    assert_eq!(type_name(&Value::Null), "null");
    assert_eq!(type_name(&s("")), "string");
    assert_eq!(type_name(&arr(vec![])), "array");
    assert_eq!(type_name(&dict(vec![])), "dict");
    assert_eq!(type_name(&Value::Builtin(0)), "function");
    assert_eq!(type_name(&Value::Func(closure("f"))), "function");
}

#[test]
fn truthiness() {
    for falsy in [
        Value::Bool(false),
        Value::Null,
        Value::Int(0),
        Value::Float(0.0),
        Value::Float(-0.0),
        s(""),
        arr(vec![]),
        dict(vec![]),
    ] {
        assert!(!truthy(&falsy), "{falsy:?} should be falsy");
    }
    for t in [
        Value::Bool(true),
        Value::Int(-1),
        Value::Float(f64::NAN),
        Value::Float(0.5),
        s("0"),
        ints(&[0]),
        dict(vec![(Value::Int(0), Value::Null)]),
        Value::Builtin(0),
    ] {
        assert!(truthy(&t), "{t:?} should be truthy");
    }
}
