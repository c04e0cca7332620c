//! Every builtin through `builtins::call`: results, edge cases of DETAILS §5, and the exact
//! error messages of §6.

#[path = "values_common.rs"]
mod common;

use common::*;
use ruff_core::builtins::{self, NAMES, RANGE};
use ruff_core::values::type_name;
use ruff_core::Value;
use Value::{Bool, Float, Int, Null};

fn id(name: &str) -> u8 {
    builtins::lookup(name).unwrap_or_else(|| panic!("no builtin {name}"))
}

/// Calls `name(args)`; Ok is "TYPE TEXT".
fn call(name: &str, args: Vec<Value>) -> Result<String, String> {
    let mut out = Vec::new();
    builtins::call(id(name), &args, &mut out)
        .map(|v| format!("{} {}", type_name(&v), to_display(&v)))
}

fn ok(name: &str, args: Vec<Value>) -> String {
    call(name, args).unwrap()
}

fn err(name: &str, args: Vec<Value>) -> String {
    call(name, args).unwrap_err()
}

#[test]
fn names_and_ids() {
    assert_eq!(NAMES.len(), 34);
    assert_eq!(NAMES[RANGE as usize], "range");
    for (i, name) in NAMES.iter().enumerate() {
        assert_eq!(builtins::display_name(i as u8), *name);
    }
    assert_eq!(builtins::id::ASSERT as usize, NAMES.len() - 1);
    assert_eq!(NAMES[builtins::id::TIME_NS as usize], "time_ns");
}

#[test]
fn print_joins_with_spaces() {
    let mut out = Vec::new();
    let args = vec![s("Result: "), Int(5), Float(2.0), arr(vec![s("a"), Null])];
    let r = builtins::call(id("print"), &args, &mut out).unwrap();
    assert!(matches!(r, Null));
    builtins::call(id("print"), &[], &mut out).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "Result:  5 2 [a, null]\n\n"
    );
}

#[test]
fn arity_messages() {
    assert_eq!(err("len", vec![]), "len() expects 1 argument(s), got 0");
    assert_eq!(
        err("push", vec![ints(&[])]),
        "push() expects 2 argument(s), got 1"
    );
    assert_eq!(
        err("append", vec![]),
        "append() expects 2 argument(s), got 0"
    );
    assert_eq!(
        err("min", vec![]),
        "min() expects at least 1 argument(s), got 0"
    );
    assert_eq!(
        err("range", vec![]),
        "range() expects 1 to 3 argument(s), got 0"
    );
    assert_eq!(
        err("range", vec![Int(1); 4]),
        "range() expects 1 to 3 argument(s), got 4"
    );
    assert_eq!(
        err("assert", vec![]),
        "assert() expects 1 to 2 argument(s), got 0"
    );
    assert_eq!(
        err("time_ms", vec![Int(1)]),
        "time_ms() expects 0 argument(s), got 1"
    );
    assert_eq!(err("str", vec![]), "str() expects 1 argument(s), got 0");
}

#[test]
fn len_counts_characters() {
    assert_eq!(ok("len", vec![s("héllo")]), "int 5");
    assert_eq!(ok("len", vec![ints(&[1, 2])]), "int 2");
    assert_eq!(ok("len", vec![dict(vec![(Int(1), Null)])]), "int 1");
    assert_eq!(
        err("len", vec![Int(1)]),
        "len() expects string or array or dict, got int"
    );
}

#[test]
fn range_builds_arrays_without_overflow() {
    assert_eq!(ok("range", vec![Int(3)]), "array [0, 1, 2]");
    assert_eq!(ok("range", vec![Int(2), Int(5)]), "array [2, 3, 4]");
    assert_eq!(
        ok("range", vec![Int(5), Int(0), Int(-2)]),
        "array [5, 3, 1]"
    );
    assert_eq!(ok("range", vec![Int(-2)]), "array []");
    assert_eq!(ok("range", vec![Int(0), Int(10), Int(-1)]), "array []");
    assert_eq!(
        ok(
            "range",
            vec![Int(9223372036854775806), Int(i64::MAX), Int(10)]
        ),
        "array [9223372036854775806]"
    );
    assert_eq!(
        ok(
            "range",
            vec![Int(i64::MIN + 1), Int(i64::MIN), Int(i64::MIN)]
        ),
        format!("array [{}]", i64::MIN + 1)
    );
    assert_eq!(builtins::range_count(i64::MIN, i64::MAX, i64::MAX), 3);
    assert_eq!(
        err("range", vec![Int(0), Int(5), Int(0)]),
        "range() step cannot be zero"
    );
    assert_eq!(
        err("range", vec![Float(3.0)]),
        "range() arguments must be ints, got float"
    );
    assert_eq!(
        err("range", vec![Int(0), s("5")]),
        "range() arguments must be ints, got string"
    );
}

#[test]
fn push_pop_keys_values() {
    let a = ints(&[1]);
    let r = builtins::call(id("append"), &[a.clone(), Int(2)], &mut Vec::new()).unwrap();
    assert!(matches!((&a, &r), (Value::Array(x), Value::Array(y)) if std::rc::Rc::ptr_eq(x, y)));
    assert_eq!(ok("push", vec![a.clone(), s("x")]), "array [1, 2, x]");
    assert_eq!(
        err("append", vec![Int(1), Int(2)]),
        "push() expects array, got int"
    );
    assert_eq!(
        err("push", vec![s(""), Int(2)]),
        "push() expects array, got string"
    );
    assert_eq!(ok("pop", vec![a.clone()]), "string x");
    assert_eq!(to_display(&a), "[1, 2]");
    assert_eq!(err("pop", vec![ints(&[])]), "pop() from an empty array");
    assert_eq!(err("pop", vec![Null]), "pop() expects array, got null");
    let d = dict(vec![
        (s("b"), Int(1)),
        (Int(2), Float(0.5)),
        (Bool(false), Null),
    ]);
    assert_eq!(ok("keys", vec![d.clone()]), "array [b, 2, false]");
    assert_eq!(ok("values", vec![d]), "array [1, 0.5, null]");
    assert_eq!(
        err("keys", vec![ints(&[])]),
        "keys() expects dict, got array"
    );
    assert_eq!(err("values", vec![Null]), "values() expects dict, got null");
}

#[test]
fn contains_on_each_container() {
    assert_eq!(ok("contains", vec![s("hello"), s("ell")]), "bool true");
    assert_eq!(ok("contains", vec![s("hello"), s("")]), "bool true");
    assert_eq!(
        err("contains", vec![s("hello"), Int(1)]),
        "contains() expects string, got int"
    );
    assert_eq!(ok("contains", vec![ints(&[1]), Float(1.0)]), "bool true");
    assert_eq!(
        ok(
            "contains",
            vec![ints(&[9007199254740993]), Float(9007199254740992.0)]
        ),
        "bool false"
    );
    assert_eq!(
        ok(
            "contains",
            vec![arr(vec![Float(f64::NAN)]), Float(f64::NAN)]
        ),
        "bool false"
    );
    let d = dict(vec![(s("k"), Null), (Int(1), Null)]);
    assert_eq!(ok("contains", vec![d.clone(), s("k")]), "bool true");
    assert_eq!(ok("contains", vec![d.clone(), Bool(true)]), "bool false");
    assert_eq!(ok("contains", vec![d.clone(), Float(1.5)]), "bool false");
    assert_eq!(ok("contains", vec![d, arr(vec![])]), "bool false");
    assert_eq!(
        err("contains", vec![Int(1), Int(1)]),
        "contains() expects string, array or dict, got int"
    );
}

#[test]
fn conversions() {
    assert_eq!(ok("to_string", vec![Float(2.0)]), "string 2");
    assert_eq!(ok("str", vec![arr(vec![s("a"), Int(1)])]), "string [a, 1]");
    assert_eq!(ok("to_int", vec![Float(-3.9)]), "int -3");
    assert_eq!(ok("to_int", vec![Bool(true)]), "int 1");
    assert_eq!(ok("to_int", vec![s("-42")]), "int -42");
    assert_eq!(ok("to_int", vec![s("+7")]), "int 7");
    assert_eq!(
        ok("to_int", vec![Float(-9223372036854775808.0)]),
        format!("int {}", i64::MIN)
    );
    assert_eq!(
        err("to_int", vec![Float(9223372036854775808.0)]),
        "to_int(): 9223372036854776000 is out of the range of int"
    );
    assert_eq!(
        err("to_int", vec![Float(f64::NAN)]),
        "to_int(): NaN is out of the range of int"
    );
    assert_eq!(
        err("to_int", vec![Float(f64::NEG_INFINITY)]),
        "to_int(): -inf is out of the range of int"
    );
    assert_eq!(
        err("to_int", vec![s("99999999999999999999")]),
        "to_int(): \"99999999999999999999\" is out of the range of int"
    );
    assert_eq!(
        err("to_int", vec![s(" 1")]),
        "to_int(): \" 1\" is not an integer"
    );
    assert_eq!(
        err("to_int", vec![s("1_000")]),
        "to_int(): \"1_000\" is not an integer"
    );
    assert_eq!(
        err("to_int", vec![s("0xff")]),
        "to_int(): \"0xff\" is not an integer"
    );
    assert_eq!(
        err("to_int", vec![s("")]),
        "to_int(): \"\" is not an integer"
    );
    assert_eq!(err("to_int", vec![Null]), "to_int() cannot convert null");
    assert_eq!(ok("to_float", vec![Int(3)]), "float 3");
    assert_eq!(ok("to_float", vec![Bool(false)]), "float 0");
    assert_eq!(ok("to_float", vec![s("1.")]), "float 1");
    assert_eq!(ok("to_float", vec![s(".5")]), "float 0.5");
    assert_eq!(ok("to_float", vec![s("+3")]), "float 3");
    assert_eq!(ok("to_float", vec![s("-Infinity")]), "float -inf");
    assert_eq!(ok("to_float", vec![s("nAn")]), "float NaN");
    assert_eq!(
        err("to_float", vec![s("1 ")]),
        "to_float(): \"1 \" is not a number"
    );
    assert_eq!(
        err("to_float", vec![s("1_0")]),
        "to_float(): \"1_0\" is not a number"
    );
    assert_eq!(
        err("to_float", vec![arr(vec![])]),
        "to_float() cannot convert array"
    );
    assert_eq!(ok("type_of", vec![Float(1.0)]), "string float");
    assert_eq!(ok("type_of", vec![Value::Builtin(0)]), "string function");
    let def = struct_def("Point", &[], &[]);
    assert_eq!(ok("type_of", vec![instance(&def, vec![])]), "string Point");
}

#[test]
fn numeric_functions() {
    assert_eq!(ok("abs", vec![Int(i64::MIN)]), format!("int {}", i64::MIN));
    assert_eq!(ok("abs", vec![Int(-3)]), "int 3");
    assert_eq!(ok("abs", vec![Float(-0.0)]), "float 0");
    assert_eq!(err("abs", vec![s("1")]), "abs() expects number, got string");
    assert_eq!(ok("sqrt", vec![Int(16)]), "float 4");
    assert_eq!(ok("sqrt", vec![Int(-1)]), "float NaN");
    assert_eq!(ok("pow", vec![Int(0), Int(-1)]), "float inf");
    assert_eq!(ok("pow", vec![Int(2), Int(10)]), "float 1024");
    assert_eq!(ok("pow", vec![Int(-8), Float(1.0 / 3.0)]), "float NaN");
    assert_eq!(
        err("pow", vec![Int(2), Null]),
        "pow() expects number, got null"
    );
    assert_eq!(ok("round", vec![Float(-0.4)]), "float -0");
    assert_eq!(ok("round", vec![Float(2.5)]), "float 3");
    assert_eq!(ok("round", vec![Float(-2.5)]), "float -3");
    assert_eq!(ok("ceil", vec![Float(-0.3)]), "float -0");
    assert_eq!(ok("floor", vec![Float(-0.3)]), "float -1");
    assert_eq!(ok("floor", vec![Int(7)]), "float 7");
    assert_eq!(
        err("floor", vec![Bool(true)]),
        "floor() expects number, got bool"
    );
}

#[test]
fn min_and_max() {
    assert_eq!(ok("min", vec![Int(3), Int(1), Int(2)]), "int 1");
    assert_eq!(ok("max", vec![Int(3)]), "int 3");
    assert_eq!(ok("max", vec![Float(1.5), Int(2)]), "float 2");
    assert_eq!(ok("min", vec![Float(0.0), Float(-0.0)]), "float 0");
    assert_eq!(ok("max", vec![Float(-0.0), Float(0.0)]), "float -0");
    assert_eq!(ok("min", vec![Int(1), Float(f64::NAN)]), "float NaN");
    assert_eq!(ok("max", vec![Float(f64::NAN), Int(1)]), "float NaN");
    // Exact comparison: 2^53 + 1 is bigger than the Float 2^53.
    assert_eq!(
        ok(
            "max",
            vec![Float(9007199254740992.0), Int(9007199254740993)]
        ),
        "float 9007199254740992"
    );
    assert_eq!(
        ok("max", vec![Int(9007199254740993), Int(1), Float(0.5)]),
        "float 9007199254740992"
    );
    assert_eq!(
        err("min", vec![ints(&[1, 2])]),
        "min() expects number, got array"
    );
    assert_eq!(
        err("max", vec![Int(1), s("2")]),
        "max() expects number, got string"
    );
}

#[test]
fn string_helpers() {
    assert_eq!(ok("to_upper", vec![s("straße")]), "string STRASSE");
    assert_eq!(ok("to_lower", vec![s("ÀB")]), "string àb");
    assert_eq!(ok("trim", vec![s("  a b \n")]), "string a b");
    assert_eq!(err("trim", vec![Int(1)]), "trim() expects string, got int");
    assert_eq!(
        ok("replace", vec![s("aXbX"), s("X"), s("-")]),
        "string a-b-"
    );
    assert_eq!(ok("replace", vec![s("ab"), s(""), s("|")]), "string |a|b|");
    assert_eq!(
        err("replace", vec![s("ab"), Int(1), s("")]),
        "replace() expects string, got int"
    );
    assert_eq!(ok("split", vec![s("a,b,,c"), s(",")]), "array [a, b, , c]");
    assert_eq!(ok("len", vec![arr(vec![])]), "int 0");
    let parts = builtins::call(id("split"), &[s(""), s(",")], &mut Vec::new()).unwrap();
    assert_eq!(ok("len", vec![parts]), "int 1");
    assert_eq!(
        err("split", vec![s("abc"), s("")]),
        "split(): empty separator"
    );
    assert_eq!(
        err("split", vec![ints(&[]), s(",")]),
        "split() expects string, got array"
    );
    assert_eq!(
        ok(
            "join",
            vec![arr(vec![Int(1), s("x"), Float(2.5), ints(&[3])]), s("-")]
        ),
        "string 1-x-2.5-[3]"
    );
    assert_eq!(ok("join", vec![arr(vec![]), s("-")]), "string ");
    assert_eq!(
        err("join", vec![s("ab"), s("-")]),
        "join() expects array, got string"
    );
    assert_eq!(
        err("join", vec![ints(&[]), Int(0)]),
        "join() expects string, got int"
    );
    assert_eq!(
        ok("substring", vec![s("hello"), Int(-3), Int(99)]),
        "string llo"
    );
    assert_eq!(
        ok("substring", vec![s("hello"), Int(1), Int(-1)]),
        "string ell"
    );
    assert_eq!(ok("substring", vec![s("hello"), Int(3), Int(1)]), "string ");
    assert_eq!(
        ok("substring", vec![s("héllo"), Int(1), Int(3)]),
        "string él"
    );
    assert_eq!(
        ok("substring", vec![s("héllo"), Int(i64::MIN), Int(i64::MAX)]),
        "string héllo"
    );
    assert_eq!(
        err("substring", vec![s("hello"), Float(1.0), Int(2)]),
        "substring() expects int, got float"
    );
    assert_eq!(
        err("substring", vec![Null, Int(1), Int(2)]),
        "substring() expects string, got null"
    );
}

#[test]
fn sort_is_stable_and_typed() {
    let input = arr(vec![
        Int(3),
        Float(f64::NAN),
        Float(1.5),
        Int(-2),
        Float(3.0),
        Int(1),
    ]);
    assert_eq!(
        ok("sort", vec![input.clone()]),
        "array [-2, 1, 1.5, 3, 3, NaN]"
    );
    // Stability: Int 3 came before Float 3.0, and stays before it.
    let sorted = builtins::call(id("sort"), std::slice::from_ref(&input), &mut Vec::new()).unwrap();
    if let Value::Array(a) = &sorted {
        assert!(matches!(a.items.borrow()[3], Int(3)));
        assert!(matches!(a.items.borrow()[4], Float(_)));
    }
    assert_eq!(
        to_display(&input),
        "[3, NaN, 1.5, -2, 3, 1]",
        "sort returns a new array"
    );
    assert_eq!(
        ok("sort", vec![arr(vec![s("b"), s("B"), s("a")])]),
        "array [B, a, b]"
    );
    assert_eq!(ok("sort", vec![arr(vec![])]), "array []");
    assert_eq!(
        err("sort", vec![arr(vec![s("b"), Int(1), Float(2.0), s("a")])]),
        "sort() needs all numbers or all strings, got float, int, string"
    );
    assert_eq!(
        err("sort", vec![arr(vec![Bool(true)])]),
        "sort() needs all numbers or all strings, got bool"
    );
    assert_eq!(
        err("sort", vec![s("ab")]),
        "sort() expects array, got string"
    );
}

#[test]
fn clocks_are_monotonic() {
    builtins::init_clock();
    let t0 = builtins::call(id("performance_now"), &[], &mut Vec::new()).unwrap();
    let n0 = builtins::call(id("time_ns"), &[], &mut Vec::new()).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(2));
    let t1 = builtins::call(id("performance_now"), &[], &mut Vec::new()).unwrap();
    let n1 = builtins::call(id("time_ns"), &[], &mut Vec::new()).unwrap();
    let m1 = builtins::call(id("time_ms"), &[], &mut Vec::new()).unwrap();
    match (t0, t1, n0, n1, m1) {
        (Float(a), Float(b), Int(c), Int(d), Int(m)) => {
            assert!(b - a >= 2.0, "{a} {b}");
            assert!(d - c >= 2_000_000);
            assert!(m >= 2);
        }
        other => panic!("unexpected clock values {other:?}"),
    }
}

#[test]
fn assert_messages() {
    assert_eq!(ok("assert", vec![Int(1)]), "null null");
    assert_eq!(ok("assert", vec![s("x"), s("unused")]), "null null");
    assert_eq!(err("assert", vec![Bool(false)]), "assertion failed");
    assert_eq!(err("assert", vec![Int(0), Null]), "assertion failed");
    assert_eq!(
        err("assert", vec![Float(-0.0), s("bad value")]),
        "bad value"
    );
    assert_eq!(err("assert", vec![arr(vec![]), ints(&[1, 2])]), "[1, 2]");
}
