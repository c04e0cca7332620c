//! The trees the parser builds: precedence, newline rules, statement forms and the spans
//! ast.rs documents. Expressions are compared through a compact S-expression rendering.

use ruff_core::ast::{Expr, Program};
use ruff_core::ast::{ExprKind, InterpPart, Stmt, StmtKind, Target};
use ruff_core::parser::parse;
use ruff_core::span::Span;

fn program(source: &str) -> Program {
    parse(source.as_bytes()).unwrap_or_else(|err| panic!("{source:?}: {err}"))
}

fn show(expr: &Expr) -> String {
    let list = |items: &[Expr]| items.iter().map(show).collect::<Vec<_>>().join(" ");
    match &expr.kind {
        ExprKind::Int(v) => v.to_string(),
        ExprKind::Float(v) => format!("{v:?}"),
        ExprKind::Str(s) => format!("{s:?}"),
        ExprKind::Interp(parts) => {
            let parts: Vec<String> = parts
                .iter()
                .map(|part| match part {
                    InterpPart::Text(t) => format!("{t:?}"),
                    InterpPart::Expr(e) => show(e),
                })
                .collect();
            format!("(interp {})", parts.join(" "))
        }
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Null => "null".into(),
        ExprKind::Name(n) => n.clone(),
        ExprKind::Unary(op, e) => format!("({op:?} {})", show(e)),
        ExprKind::Binary(op, a, b) => format!("({} {} {})", op.symbol(), show(a), show(b)),
        ExprKind::And(a, b) => format!("(and {} {})", show(a), show(b)),
        ExprKind::Or(a, b) => format!("(or {} {})", show(a), show(b)),
        ExprKind::Call(f, args) => format!("(call {} [{}])", show(f), list(args)),
        ExprKind::MethodCall(o, m, args) => format!("(method {} {m} [{}])", show(o), list(args)),
        ExprKind::Index(o, i) => format!("(index {} {})", show(o), show(i)),
        ExprKind::Field(o, f) => format!("(field {} {f})", show(o)),
        ExprKind::Array(items) => format!("[{}]", list(items)),
        ExprKind::Dict(entries) => {
            let entries: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{}: {}", show(k), show(v)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
        ExprKind::StructLit(name, fields) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|(f, _, v)| format!("{f}: {}", show(v)))
                .collect();
            format!("{name} {{{}}}", fields.join(", "))
        }
        ExprKind::Func(decl) => format!("(func {} stmts)", decl.body.len()),
    }
}

/// The expression of `x := EXPR`, rendered.
fn value_of(expr_source: &str) -> String {
    let source = format!("x := {expr_source}");
    match &program(&source).body[..] {
        [Stmt {
            kind: StmtKind::Assign { value, .. },
            ..
        }] => show(value),
        other => panic!("{source:?} gave {other:?}"),
    }
}

fn kinds(source: &str) -> Vec<String> {
    program(source)
        .body
        .iter()
        .map(|stmt| match &stmt.kind {
            StmtKind::Expr(e) => format!("expr {}", show(e)),
            StmtKind::Assign { value, .. } => format!("assign {}", show(value)),
            StmtKind::Return(v) => format!("return {}", v.as_ref().map_or("-".into(), show)),
            other => format!("{other:?}")
                .split([' ', '{', '('])
                .next()
                .unwrap()
                .to_string(),
        })
        .collect()
}

#[test]
fn precedence_and_associativity() {
    assert_eq!(value_of("1 + 2 * 3"), "(+ 1 (* 2 3))");
    assert_eq!(value_of("1 - 2 - 3"), "(- (- 1 2) 3)");
    assert_eq!(value_of("a || b && c"), "(or a (and b c))");
    assert_eq!(value_of("a or b and not c"), "(or a (and b (Not c)))");
    assert_eq!(value_of("not 1 == 2"), "(== (Not 1) 2)");
    assert_eq!(
        value_of("1 | 2 ^ 3 & 4 << 5 + 6"),
        "(| 1 (^ 2 (& 3 (<< 4 (+ 5 6)))))"
    );
    assert_eq!(value_of("a < b | c"), "(< a (| b c))");
    assert_eq!(value_of("-a.b(1)[2]"), "(Neg (index (method a b [1]) 2))");
    assert_eq!(value_of("~-!x"), "(BitNot (Neg (Not x)))");
    assert_eq!(value_of("(1 + 2) * 3"), "(* (+ 1 2) 3)");
    assert_eq!(value_of("f(1)(2)"), "(call (call f [1]) [2])");
}

#[test]
fn literals() {
    assert_eq!(value_of("0xff + 0X1_0 + 007"), "(+ (+ 255 16) 7)");
    assert_eq!(value_of("1_0.2_5e1_0"), "102500000000.0");
    assert_eq!(value_of("1e400"), "inf");
    assert_eq!(value_of("1E5"), "100000.0");
    assert_eq!(value_of("1.e5"), "(field 1 e5)");
    assert_eq!(value_of("-9223372036854775808"), "-9223372036854775808");
    assert_eq!(value_of("- 9223372036854775808"), "-9223372036854775808");
    assert_eq!(value_of("-0x8000000000000000"), "-9223372036854775808");
    assert_eq!(value_of("9223372036854775807"), "9223372036854775807");
    assert_eq!(
        value_of("\"a\\tb\\u{1F600}\\$x$y\""),
        format!("{:?}", "a\tb\u{1F600}$x$y")
    );
    assert_eq!(value_of("\"\\${x}\""), "\"${x}\"");
    assert_eq!(
        value_of("\"a${x}b${ \"c${y}\" }\""),
        "(interp \"a\" x \"b\" (interp \"c\" y))"
    );
    assert_eq!(value_of("\"${ {1: 2}[1] }\""), "(interp (index {1: 2} 1))");
    assert_eq!(value_of("\"${\n  x +\n  1\n}\""), "(interp (+ x 1))");
    assert_eq!(value_of("\"l1\r\nl2\""), format!("{:?}", "l1\r\nl2"));
    assert_eq!(value_of("[1, 2,]"), "[1 2]");
    assert_eq!(value_of("{\"a\": 1, b: 2,}"), "{\"a\": 1, b: 2}");
    assert_eq!(value_of("π + 変数"), "(+ π 変数)");
}

#[test]
fn struct_literals_need_a_declared_struct() {
    let source = "x := P { a: 1, b: 2, }\nif v == P {} { z := 1 }\nstruct P { a, b }";
    let body = program(source).body;
    assert!(
        matches!(&body[0].kind, StmtKind::Assign { value, .. } if show(value) == "P {a: 1, b: 2}")
    );
    // Q is not a struct: `Q {}` is the name Q then a dict, which cannot follow on one line.
    assert!(parse(b"y := Q {}").is_err());
    match &body[1].kind {
        StmtKind::If {
            cond, then_body, ..
        } => {
            assert_eq!(show(cond), "(== v P {})");
            assert_eq!(then_body.len(), 1);
        }
        other => panic!("{other:?}"),
    }
    // `if p { x: ... }` would need `IDENT :`; `if P { print(1) }` is a block.
    let block = program("struct P {}\nif P { print(1) }").body;
    assert!(matches!(&block[1].kind, StmtKind::If { cond, .. } if show(cond) == "P"));
}

#[test]
fn newline_rules() {
    assert_eq!(kinds("x := 1\n- 2"), ["assign 1", "expr (Neg 2)"]);
    assert_eq!(kinds("x := 1 -\n 2"), ["assign (- 1 2)"]);
    assert_eq!(kinds("x :=\n 2"), ["assign 2"]);
    assert_eq!(kinds("f(1,\n 2\n)"), ["expr (call f [1 2])"]);
    assert_eq!(kinds("x := [\n1\n,\n2]"), ["assign [1 2]"]);
    assert_eq!(kinds("f\n(1)"), ["expr f", "expr 1"]);
    assert_eq!(kinds("a\n[1]"), ["expr a", "expr [1]"]);
    assert_eq!(kinds("func f() {\n return\n 5 }"), ["Func"]);
    assert_eq!(kinds("x := 1;; y := 2;"), ["assign 1", "assign 2"]);
    assert_eq!(kinds("if a {} print(1)"), ["If", "expr (call print [1])"]);
    assert_eq!(kinds("x := 1 /* a\n b */ y := 2"), ["assign 1", "assign 2"]);
    assert_eq!(
        kinds("x := 1 /* inline */ + 2 # c\n// d"),
        ["assign (+ 1 2)"]
    );
    assert_eq!(
        kinds("f(func(a) {\n return a\n})"),
        ["expr (call f [(func 1 stmts)])"]
    );
    let body = program("func f() {\n  return\n  5\n}").body;
    let StmtKind::Func(decl) = &body[0].kind else {
        panic!()
    };
    assert_eq!(decl.body.len(), 2);
    assert!(matches!(decl.body[0].kind, StmtKind::Return(None)));
}

#[test]
fn if_else_chains_and_blocks_on_next_lines() {
    let body = program("if a\n{ x := 1 }\nelse if b\n{ x := 2 }\nelse\n{ x := 3 }").body;
    assert_eq!(body.len(), 1);
    let StmtKind::If {
        else_body: Some(else_body),
        ..
    } = &body[0].kind
    else {
        panic!()
    };
    assert_eq!(else_body.len(), 1);
    let StmtKind::If {
        cond,
        else_body: Some(last),
        ..
    } = &else_body[0].kind
    else {
        panic!()
    };
    assert_eq!(show(cond), "b");
    assert_eq!(last.len(), 1);
    assert_eq!(
        kinds("while x < 3 { x += 1 }\nloop { break }\nfor i in range(3) { continue }"),
        ["While", "Loop", "For"]
    );
}

#[test]
fn declarations_and_assignments() {
    let body = program("let a := 1\nmut b := 2\nconst C := 3\na[0] += 1\np.f = 2\nx := 1").body;
    assert!(
        matches!(&body[0].kind, StmtKind::Decl { name, name_span, .. } if name == "a" && *name_span == Span::new(1, 5))
    );
    assert_eq!(body[0].span, Span::new(1, 1));
    assert!(
        matches!(&body[3].kind, StmtKind::Assign { target: Target::Index(_, _, span), .. } if *span == Span::new(4, 2))
    );
    assert_eq!(body[3].span, Span::new(4, 6));
    assert!(
        matches!(&body[4].kind, StmtKind::Assign { target: Target::Field(_, f, span), .. } if f == "f" && *span == Span::new(5, 3))
    );
    assert!(
        matches!(&body[5].kind, StmtKind::Assign { target: Target::Name(n, span), .. } if n == "x" && *span == Span::new(6, 1))
    );
}

#[test]
fn struct_declarations() {
    let body =
        program("struct P {\n  x, y; z\n  w func norm(self) { return 1 }\n  func other(s) {}\n}")
            .body;
    let StmtKind::Struct(decl) = &body[0].kind else {
        panic!()
    };
    let fields: Vec<&str> = decl.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(fields, ["x", "y", "z", "w"]);
    assert_eq!(decl.methods.len(), 2);
    assert_eq!(decl.methods[0].name.as_deref(), Some("norm"));
    assert_eq!(decl.methods[0].span, Span::new(3, 5));
    assert_eq!(decl.methods[0].name_span, Span::new(3, 10));
    assert_eq!(
        (decl.span, decl.name_span),
        (Span::new(1, 1), Span::new(1, 8))
    );
}

#[test]
fn spans_follow_ast_documentation() {
    let source =
        "x := a.m(1) + f(2)[3] * -b.c\ny := \"s${x}\"\nz := func(p) { }\nw := G { }\nstruct G {}";
    let body = program(source).body;
    let StmtKind::Assign { value, .. } = &body[0].kind else {
        panic!()
    };
    assert_eq!(value.span, Span::new(1, 13)); // `+`
    let ExprKind::Binary(_, method, product) = &value.kind else {
        panic!()
    };
    assert_eq!(method.span, Span::new(1, 8)); // the method name
    assert_eq!(product.span, Span::new(1, 23)); // `*`
    let ExprKind::Binary(_, index, neg) = &product.kind else {
        panic!()
    };
    assert_eq!(index.span, Span::new(1, 19)); // `[`
    let ExprKind::Index(call, _) = &index.kind else {
        panic!()
    };
    assert_eq!(call.span, Span::new(1, 15)); // the callee's first character
    assert_eq!(neg.span, Span::new(1, 25));
    let ExprKind::Unary(_, field) = &neg.kind else {
        panic!()
    };
    assert_eq!(field.span, Span::new(1, 28)); // the field name
    let StmtKind::Assign { value, .. } = &body[1].kind else {
        panic!()
    };
    assert_eq!(value.span, Span::new(2, 6)); // opening quote
    let StmtKind::Assign { value, .. } = &body[2].kind else {
        panic!()
    };
    assert_eq!(value.span, Span::new(3, 6)); // `func`
    let ExprKind::Func(decl) = &value.kind else {
        panic!()
    };
    assert_eq!(decl.params[0].span, Span::new(3, 11));
    let StmtKind::Assign { value, .. } = &body[3].kind else {
        panic!()
    };
    assert_eq!(value.span, Span::new(4, 6)); // struct name
    let inner = program("q := (\n  (f))(1)").body;
    let StmtKind::Assign { value, .. } = &inner[0].kind else {
        panic!()
    };
    assert_eq!(value.span, Span::new(1, 6)); // the callee `( … )` starts at its `(`
}

#[test]
fn func_statements_and_expressions() {
    assert_eq!(kinds("func f(a, b,) { return a + b }"), ["Func"]);
    assert_eq!(kinds("func(a) { }(1)"), ["expr (call (func 0 stmts) [1])"]);
    let body = program("func outer() {\n  func inner() {}\n  inner()\n}").body;
    let StmtKind::Func(decl) = &body[0].kind else {
        panic!()
    };
    assert!(matches!(decl.body[0].kind, StmtKind::Func(_)));
}
