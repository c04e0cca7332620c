//! Indexing, dict keys, fields, and the `StrObj` character helpers.

#[path = "values_common.rs"]
mod common;

use common::*;
use ruff_core::heap::StrObj;
use ruff_core::values::{dict_key, get_field, get_index, set_field, set_index};
use ruff_core::Value;
use Value::{Bool, Float, Int, Null};

fn get(obj: &Value, idx: Value) -> Result<String, String> {
    get_index(obj, &idx).map(|v| to_display(&v))
}

#[test]
fn array_reads_and_writes() {
    let a = ints(&[10, 20, 30]);
    assert_eq!(get(&a, Int(0)), Ok("10".into()));
    assert_eq!(get(&a, Int(-1)), Ok("30".into()));
    assert_eq!(get(&a, Int(-3)), Ok("10".into()));
    assert_eq!(
        get(&a, Int(3)),
        Err("index 3 out of range for array of length 3".into())
    );
    assert_eq!(
        get(&a, Int(-4)),
        Err("index -4 out of range for array of length 3".into())
    );
    assert_eq!(
        get(&a, Int(i64::MIN)),
        Err(format!(
            "index {} out of range for array of length 3",
            i64::MIN
        ))
    );
    assert_eq!(
        get(&a, Float(0.0)),
        Err("array index must be an int, not float".into())
    );
    set_index(&a, &Int(-1), s("x")).unwrap();
    assert_eq!(to_display(&a), "[10, 20, x]");
    assert_eq!(
        set_index(&a, &Int(5), Null),
        Err("index 5 out of range for array of length 3".into())
    );
    assert_eq!(
        set_index(&a, &Bool(true), Null),
        Err("array index must be an int, not bool".into())
    );
}

#[test]
fn string_reads_by_character() {
    let t = s("héllo");
    assert_eq!(get(&t, Int(1)), Ok("é".into()));
    assert_eq!(get(&t, Int(4)), Ok("o".into()));
    assert_eq!(get(&t, Int(-1)), Ok("o".into()));
    assert_eq!(get(&t, Int(-5)), Ok("h".into()));
    assert_eq!(
        get(&t, Int(5)),
        Err("index 5 out of range for string of length 5".into())
    );
    assert_eq!(
        get(&t, Int(-6)),
        Err("index -6 out of range for string of length 5".into())
    );
    assert_eq!(
        get(&t, s("0")),
        Err("string index must be an int, not string".into())
    );
    let ascii = s("abc");
    assert_eq!(get(&ascii, Int(2)), Ok("c".into()));
    assert_eq!(get(&ascii, Int(-3)), Ok("a".into()));
    assert_eq!(
        get(&s(""), Int(0)),
        Err("index 0 out of range for string of length 0".into())
    );
    assert_eq!(
        set_index(&ascii, &Int(0), s("x")),
        Err("strings are immutable".into())
    );
    assert_eq!(
        set_index(&ascii, &s("k"), s("x")),
        Err("strings are immutable".into())
    );
}

#[test]
fn str_obj_character_helpers_survive_appends() {
    let mut o = StrObj::new("abc".to_owned());
    assert!(o.is_ascii());
    assert_eq!(o.char_len(), 3);
    assert_eq!(o.char_at(2), Some('c'));
    // The interpreter appends in place; the ASCII-prefix cache stays a valid lower bound.
    o.text.push_str("dé");
    assert!(!o.is_ascii());
    assert_eq!(o.char_len(), 5);
    assert_eq!(o.char_at(3), Some('d'));
    assert_eq!(o.char_at(4), Some('é'));
    assert_eq!(o.char_at(5), None);
    o.text.push('f');
    assert_eq!(o.char_at(5), Some('f'));
    assert_eq!(o.byte_offset(5), Some(6));
    assert_eq!(o.byte_offset(6), Some(7));
    assert_eq!(o.byte_offset(7), None);
    let long = StrObj::from("x".repeat(100) + "→" + "yz");
    assert_eq!(long.ascii_prefix_len(), 100);
    assert_eq!(long.char_len(), 103);
    assert_eq!(long.char_at(102), Some('z'));
}

#[test]
fn dict_reads_and_writes() {
    let d = dict(vec![
        (s("a"), Int(1)),
        (Int(1), s("int")),
        (Bool(true), s("bool")),
    ]);
    assert_eq!(get(&d, s("a")), Ok("1".into()));
    assert_eq!(get(&d, Int(1)), Ok("int".into()));
    assert_eq!(get(&d, Bool(true)), Ok("bool".into()));
    assert_eq!(get(&d, s("missing")), Ok("null".into()));
    assert_eq!(
        get(&d, Float(1.5)),
        Err("dict keys must be string, int or bool, not float".into())
    );
    assert_eq!(
        set_index(&d, &Null, Int(0)),
        Err("dict keys must be string, int or bool, not null".into())
    );
    // Updating keeps the position; inserting appends.
    set_index(&d, &s("a"), Int(9)).unwrap();
    set_index(&d, &s("z"), Int(0)).unwrap();
    assert_eq!(to_display(&d), "{\"a\": 9, 1: int, true: bool, \"z\": 0}");
    assert!(dict_key(&arr(vec![])).is_err());
}

#[test]
fn indexing_other_types_fails() {
    assert_eq!(
        get(&Int(5), Int(0)),
        Err("cannot index a value of type int".into())
    );
    assert_eq!(
        get(&Null, Int(0)),
        Err("cannot index a value of type null".into())
    );
    assert_eq!(
        set_index(&Float(1.0), &Int(0), Null),
        Err("cannot index a value of type float".into())
    );
    let def = struct_def("P", &[], &[]);
    assert_eq!(
        get(&instance(&def, vec![]), Int(0)),
        Err("cannot index a value of type P".into())
    );
}

#[test]
fn fields_and_methods() {
    let def = struct_def("Point", &["x", "y"], &["norm"]);
    let p = instance(&def, vec![Int(1), Null]);
    assert_eq!(to_display(&get_field(&p, "x").unwrap()), "1");
    assert_eq!(to_display(&get_field(&p, "y").unwrap()), "null");
    let m1 = get_field(&p, "norm").unwrap();
    let m2 = get_field(&p, "norm").unwrap();
    assert_eq!(to_display(&m1), "<func norm>");
    assert!(
        !ruff_core::values::equals(&m1, &m2).unwrap(),
        "p.m == p.m is false"
    );
    match &m1 {
        Value::Bound(b) => assert!(matches!(&b.receiver, Value::Struct(_))),
        other => panic!("expected a bound method, got {other:?}"),
    }
    assert_eq!(
        get_field(&p, "z").unwrap_err(),
        "Point has no field or method 'z'"
    );
    set_field(&p, "y", Int(5)).unwrap();
    assert_eq!(to_display(&p), "Point { x: 1, y: 5 }");
    assert_eq!(
        set_field(&p, "norm", Null).unwrap_err(),
        "Point has no field 'norm'"
    );
    assert_eq!(
        get_field(&ints(&[1]), "push").unwrap_err(),
        "cannot read field 'push' of a value of type array"
    );
    assert_eq!(
        set_field(&s("a"), "f", Null).unwrap_err(),
        "cannot set field 'f' of a value of type string"
    );
}

#[test]
fn deep_struct_chains_drop_without_stack_overflow() {
    let node = struct_def("Node", &["next"], &[]);
    let mut head = Null;
    for _ in 0..200_000 {
        head = instance(&node, vec![head]);
    }
    assert!(to_display(&get_field(&head, "next").unwrap()).starts_with("Node { next: Node {"));
    drop(head);
}
