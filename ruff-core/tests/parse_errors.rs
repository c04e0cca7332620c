//! Compile errors of the front end: each lexical and syntax error of LANGUAGE-DETAILS §6 with
//! its exact message and position (line, column in characters).

use ruff_core::parser::parse;

/// `(line, col, message)` of the error `source` must produce.
fn error_of(source: &str) -> (u32, u32, String) {
    match parse(source.as_bytes()) {
        Ok(program) => panic!("{source:?} parsed, expected an error: {program:?}"),
        Err(err) => (err.span.line, err.span.col, err.message),
    }
}

fn check(cases: &[(&str, u32, u32, &str)]) {
    for &(source, line, col, message) in cases {
        assert_eq!(
            error_of(source),
            (line, col, message.to_string()),
            "source: {source:?}"
        );
    }
}

#[test]
fn unexpected_characters() {
    check(&[
        ("x := 1 @ 2", 1, 8, "unexpected character '@'"),
        ("\u{feff}x := 1", 1, 1, "unexpected character '\\ufeff'"),
        ("x :=\u{a0}1", 1, 5, "unexpected character '\\xa0'"),
        ("a := 'b'", 1, 6, "unexpected character \"'\""),
        ("a := \\", 1, 6, "unexpected character '\\\\'"),
        ("x := $", 1, 6, "unexpected character '$'"),
        ("x٣ := 1", 1, 2, "unexpected character '٣'"),
        ("Ⅻ := 1", 1, 1, "unexpected character 'Ⅻ'"),
        ("é := 1 ?", 1, 8, "unexpected character '?'"),
    ]);
}

#[test]
fn comments_and_strings_that_do_not_end() {
    check(&[
        (
            "x := 1\n  /* never\n closed",
            2,
            3,
            "unterminated block comment",
        ),
        ("print(\"abc)\n", 1, 7, "unterminated string"),
        ("s := \"a ${x + 1\"", 1, 16, "unterminated string"),
        ("s := \"a ${x\n", 1, 9, "unterminated interpolation '${'"),
    ]);
}

#[test]
fn escapes() {
    check(&[
        ("s := \"a\\qb\"", 1, 8, "invalid escape sequence '\\q'"),
        ("s := \"a\\\nb\"", 1, 8, "invalid escape sequence '\\n'"),
        ("s := \"a\\\u{1}\"", 1, 8, "invalid escape sequence '\\x01'"),
        ("s := \"a\\", 1, 8, "invalid escape sequence ''"),
        (
            "s := \"\\u41\"",
            1,
            7,
            "invalid unicode escape (expected \\u{HEX})",
        ),
        (
            "s := \"\\u{}\"",
            1,
            7,
            "invalid unicode escape (expected \\u{HEX})",
        ),
        (
            "s := \"\\u{1234567}\"",
            1,
            7,
            "invalid unicode escape (expected \\u{HEX})",
        ),
        (
            "s := \"\\u{D800}\"",
            1,
            7,
            "\\u{D800} is not a Unicode scalar value",
        ),
        (
            "s := \"\\u{110000}\"",
            1,
            7,
            "\\u{110000} is not a Unicode scalar value",
        ),
    ]);
}

#[test]
fn number_literals() {
    check(&[
        ("x := 1_", 1, 6, "invalid number literal '1_'"),
        ("x := 1__0", 1, 6, "invalid number literal '1_'"),
        ("x := 12abc", 1, 6, "invalid number literal '12a'"),
        ("x := 1e", 1, 6, "invalid number literal '1e'"),
        ("x := 2.5e+x", 1, 6, "invalid number literal '2.5e+x'"),
        ("x := 1.5_", 1, 6, "invalid number literal '1.5_'"),
        ("x := 0x_1", 1, 6, "invalid hex literal"),
        ("x := 0x", 1, 6, "invalid hex literal"),
        ("x := 0xfg", 1, 6, "invalid hex literal"),
        (
            "x := 9223372036854775809",
            1,
            6,
            "integer literal 9223372036854775809 does not fit in 64 bits",
        ),
        (
            "x := 0x1_0000_0000_0000_0000",
            1,
            6,
            "integer literal 0x1_0000_0000_0000_0000 does not fit in 64 bits",
        ),
    ]);
}

#[test]
fn int_min_magnitude_only_under_unary_minus() {
    let message = "integer literal 9223372036854775808 does not fit in 64 bits";
    check(&[
        ("x := 9223372036854775808", 1, 6, message),
        ("x := -(9223372036854775808)", 1, 8, message),
        ("x := 0 -9223372036854775808", 1, 9, message),
        ("x := -9223372036854775808.f", 1, 7, message),
    ]);
}

#[test]
fn invalid_utf8_points_at_the_bad_byte() {
    let err = parse(b"ok := 1\n\xe2\x82").unwrap_err();
    assert_eq!((err.span.line, err.span.col), (2, 1));
    assert_eq!(err.message, "source is not valid UTF-8");
}

#[test]
fn lexical_errors_win_over_earlier_syntax_errors() {
    check(&[("x := (\ny := 1 @", 2, 8, "unexpected character '@'")]);
}

#[test]
fn expected_tokens() {
    check(&[
        (
            "x := (1 + 2\nprint(x)\n",
            2,
            1,
            "expected ')', found identifier 'print' ('(' opened at 1:6)",
        ),
        (
            "f(1 2)",
            1,
            5,
            "expected ')', found number ('(' opened at 1:2)",
        ),
        (
            "a := [1, 2",
            1,
            11,
            "expected ']', found end of file ('[' opened at 1:6)",
        ),
        (
            "d := {1: 2 3}",
            1,
            12,
            "expected '}', found number ('{' opened at 1:6)",
        ),
        ("d := {1 2}", 1, 9, "expected ':', found number"),
        (
            "x := 1 +",
            1,
            9,
            "expected an expression, found end of file",
        ),
        ("x := )", 1, 6, "expected an expression, found ')'"),
        ("p.loop", 1, 3, "expected field name, found 'loop'"),
        ("a\n.f()", 2, 1, "expected an expression, found '.'"),
        ("a.\nf", 1, 3, "expected field name, found newline"),
        ("let x = 1", 1, 7, "expected ':=', found '='"),
        ("let x\n", 1, 6, "expected ':=', found newline"),
        (
            "let mut x := 1",
            1,
            5,
            "expected variable name, found 'mut'",
        ),
        (
            "func (a) {}\nfunc 5() {}",
            2,
            6,
            "expected function name, found number",
        ),
        (
            "func f(a, 1) {}",
            1,
            11,
            "expected parameter name, found number",
        ),
        (
            "func f(a) print(a)",
            1,
            11,
            "expected '{', found identifier 'print'",
        ),
        (
            "for 1 in x {}",
            1,
            5,
            "expected loop variable, found number",
        ),
        (
            "for i range(3) {}",
            1,
            7,
            "expected 'in', found identifier 'range'",
        ),
        ("struct {}", 1, 8, "expected struct name, found '{'"),
        (
            "struct P { func (s) {} }",
            1,
            17,
            "expected method name, found '('",
        ),
        (
            "struct P { x: 1 }",
            1,
            13,
            "expected a field name, 'func' or '}', found ':'",
        ),
        (
            "while x {\n  y := 1\n",
            3,
            1,
            "expected '}', found end of file ('{' opened at 1:9)",
        ),
        (
            "x := func f() {}",
            1,
            11,
            "expected '(', found identifier 'f'",
        ),
    ]);
}

#[test]
fn statement_termination() {
    let after = "expected newline or ';' after statement, found";
    check(&[
        ("x := 1 y := 2", 1, 8, &format!("{after} identifier 'y'")),
        (
            "f := func() {} print(1)",
            1,
            16,
            &format!("{after} identifier 'print'"),
        ),
        ("a := b := 1", 1, 8, &format!("{after} ':='")),
        ("return 1 2", 1, 10, &format!("{after} number")),
        ("print(1) else", 1, 10, &format!("{after} 'else'")),
    ]);
}

#[test]
fn syntax_rules() {
    check(&[
        (
            "print(x := 1)",
            1,
            9,
            "expected ')', found ':=' ('(' opened at 1:6)",
        ),
        ("f() := 1", 1, 5, "invalid assignment target"),
        ("1 + x = 2", 1, 7, "invalid assignment target"),
        ("a < b < c", 1, 7, "comparison operators cannot be chained"),
        (
            "x := a == b != c",
            1,
            13,
            "comparison operators cannot be chained",
        ),
        (
            "x := a < b + 1 == c",
            1,
            16,
            "comparison operators cannot be chained",
        ),
        (
            "if a { struct P {} }",
            1,
            8,
            "struct declarations are only allowed at the top level",
        ),
        (
            "func f() {\n  struct P {}\n}",
            2,
            3,
            "struct declarations are only allowed at the top level",
        ),
        (
            "struct P { x }\np := P { x: 1, x: 2 }",
            2,
            16,
            "field 'x' given twice",
        ),
        (
            "struct P { x }\np := P { x: 1, x: 2 )",
            2,
            16,
            "field 'x' given twice",
        ),
        ("s := \"a ${} b\"", 1, 9, "empty interpolation"),
        (
            "s := \"${f(1}\"",
            1,
            12,
            "expected ')', found end of file ('(' opened at 1:10)",
        ),
        (
            "if a {\n} else\n\n if b {} else x",
            4,
            15,
            "expected '{', found identifier 'x'",
        ),
        ("s := \"${\n}\"", 1, 7, "empty interpolation"),
        (
            "s := \"${1 2}\"",
            1,
            11,
            "expected '}' to close the interpolation, found number",
        ),
        (
            "s := \"${1 +}\"",
            1,
            12,
            "expected an expression, found end of file",
        ),
    ]);
}

/// Nesting past `MAX_NESTING` is an error at the construct that goes too deep; up to it, and
/// for flat chains of any length, parsing works on the test thread's ordinary stack (the
/// parser grows its own). `ruff-jit/tests/deep_source.rs` runs such programs.
#[test]
fn nesting_is_bounded_by_an_error_not_a_crash() {
    let limit = ruff_core::parser::MAX_NESTING;
    let deep = format!("x := {}1{}", "(".repeat(limit + 1), ")".repeat(limit + 1));
    let (line, col, message) = error_of(&deep);
    assert_eq!((line, col), (1, 6 + limit as u32));
    assert_eq!(
        message,
        "code is nested too deeply (more than 100000 levels)"
    );
    let blocks = format!(
        "{}{}",
        "if a {\n".repeat(limit + 1),
        "}\n".repeat(limit + 1)
    );
    let (line, col, message) = error_of(&blocks);
    assert_eq!((line, col), (limit as u32 + 1, 6));
    assert!(message.contains("nested too deeply"), "{message}");
    let strings = format!(
        "x := {}1{}",
        "\"${".repeat(limit + 1),
        "}\"".repeat(limit + 1)
    );
    let (_, _, message) = error_of(&strings);
    assert!(message.contains("nested too deeply"), "{message}");
    // At the limit, and flat chains far longer than it, parse.
    let at_limit = format!("x := {}1{}", "(".repeat(limit), ")".repeat(limit));
    assert!(parse(at_limit.as_bytes()).is_ok());
    let long_sum = format!("x := 1{}", " + 1".repeat(3 * limit));
    assert!(parse(long_sum.as_bytes()).is_ok());
    let long_calls = format!("x := f{}.a[0]", "(1).b".repeat(3 * limit));
    assert!(parse(long_calls.as_bytes()).is_ok());
}

/// Issue 17, item 7: an error at the end of the file, or at a missing closer, names where
/// the innermost unclosed bracket was opened, for every kind of bracket.
#[test]
fn unclosed_brackets_name_where_they_were_opened() {
    check(&[
        // Parentheses: grouping, call arguments, method arguments, parameters.
        (
            "x := 1\ny := (2 +\n3",
            3,
            2,
            "expected ')', found end of file ('(' opened at 2:6)",
        ),
        (
            "x := (1 + 2",
            1,
            12,
            "expected ')', found end of file ('(' opened at 1:6)",
        ),
        (
            "print(1,\n 2",
            2,
            3,
            "expected ')', found end of file ('(' opened at 1:6)",
        ),
        (
            "print(1,",
            1,
            9,
            "expected an expression, found end of file ('(' opened at 1:6)",
        ),
        (
            "s.m(1, [2]\nx := 3",
            2,
            1,
            "expected ')', found identifier 'x' ('(' opened at 1:4)",
        ),
        (
            "func f(a, b\n{ }",
            2,
            1,
            "expected ')', found '{' ('(' opened at 1:7)",
        ),
        // Square brackets: array literals and indexes.
        (
            "a := [1,\n [2, 3],\n 4",
            3,
            3,
            "expected ']', found end of file ('[' opened at 1:6)",
        ),
        (
            "a := [[1, 2]",
            1,
            13,
            "expected ']', found end of file ('[' opened at 1:6)",
        ),
        (
            "x := a[1",
            1,
            9,
            "expected ']', found end of file ('[' opened at 1:7)",
        ),
        (
            "x := a[(1]",
            1,
            10,
            "expected ')', found ']' ('(' opened at 1:8)",
        ),
        // Braces: dicts, struct literals, blocks of every statement, struct declarations.
        (
            "d := {1: 2,\n 3: 4",
            2,
            6,
            "expected '}', found end of file ('{' opened at 1:6)",
        ),
        (
            "struct P { x }\np := P { x: 1",
            2,
            14,
            "expected '}', found end of file ('{' opened at 2:8)",
        ),
        (
            "if x {\n  y := 1\n",
            3,
            1,
            "expected '}', found end of file ('{' opened at 1:6)",
        ),
        (
            "if x {\n} else {\n",
            3,
            1,
            "expected '}', found end of file ('{' opened at 2:8)",
        ),
        (
            "for i in xs {\n  while true {\n  }\n",
            4,
            1,
            "expected '}', found end of file ('{' opened at 1:13)",
        ),
        (
            "loop {",
            1,
            7,
            "expected '}', found end of file ('{' opened at 1:6)",
        ),
        (
            "func f() {\n  return [1, 2\n}",
            3,
            1,
            "expected ']', found '}' ('[' opened at 2:10)",
        ),
        (
            "f := func() {\n  g(1\n",
            3,
            1,
            "expected ')', found end of file ('(' opened at 2:4)",
        ),
        (
            "struct P {\n  x\n  func m(self) { }\n",
            4,
            1,
            "expected a field name, 'func' or '}', found end of file ('{' opened at 1:10)",
        ),
        // Inside an interpolation the innermost bracket of the `${ }` is named.
        (
            "s := \"${[1, 2}\"",
            1,
            14,
            "expected ']', found end of file ('[' opened at 1:9)",
        ),
        // Closed brackets are forgotten: the note names the one still open.
        (
            "x := (f(1) + [2][0] + {3: 4}[3]\n",
            2,
            1,
            "expected ')', found end of file ('(' opened at 1:6)",
        ),
    ]);
}
