//! Unit tests of the compiler on parsed source: scope resolution, static errors (message,
//! position and order), and the shape of the generated code.

use crate::bytecode::{BinOp, FuncProto, Instr, Program};
use crate::parser;
use crate::value::Value;

use super::compile;

fn compiled(src: &str) -> Program {
    let ast = parser::parse(src.as_bytes()).expect("parses");
    compile(&ast).unwrap_or_else(|e| panic!("compile error {e}"))
}

/// The static error of `src` as `line:col: message`.
fn error(src: &str) -> String {
    let ast = parser::parse(src.as_bytes()).expect("parses");
    match compile(&ast) {
        Ok(_) => panic!("expected a compile error for {src:?}"),
        Err(e) => e.to_string(),
    }
}

fn proto<'p>(p: &'p Program, name: &str) -> &'p FuncProto {
    p.protos
        .iter()
        .find(|f| &*f.trace_name == name)
        .unwrap_or_else(|| panic!("no function {name}"))
}

#[test]
fn while_loop_is_compact() {
    let p = compiled("func f(n) {\n  x := 0\n  while x < n { x := x + 1 }\n  return x\n}\n");
    let f = proto(&p, "f");
    assert_eq!(
        f.code,
        vec![
            Instr::LoadInt { dst: 1, v: 0 },
            Instr::Lt { dst: 2, a: 1, b: 0 },
            Instr::JumpIfFalse { cond: 2, target: 5 },
            Instr::AddImm {
                dst: 1,
                a: 1,
                imm: 1
            },
            Instr::LoopBack { target: 1 },
            Instr::Return { src: 1 },
            Instr::ReturnNull,
        ]
    );
    assert_eq!(f.num_regs, 3);
    assert_eq!(f.spans.len(), f.code.len());
}

#[test]
fn names_of_protos_and_main_is_last() {
    let p = compiled(
        "struct P { x\n func get(self) { return self.x } }\nfunc f() { return func() {} }\n",
    );
    let names: Vec<(&str, &str, bool, bool)> = p
        .protos
        .iter()
        .map(|f| {
            (
                &*f.trace_name,
                &*f.display_name,
                f.is_method,
                f.is_anonymous,
            )
        })
        .collect();
    assert_eq!(
        names,
        vec![
            ("P.get", "get", true, false),
            ("<anonymous>", "anonymous", false, true),
            ("f", "f", false, false),
            ("<main>", "<main>", false, false),
        ]
    );
    for (i, f) in p.protos.iter().enumerate() {
        assert_eq!(f.id as usize, i);
    }
    assert_eq!(p.main.id as usize, p.protos.len() - 1);
    assert_eq!(&*p.structs[0].methods.get().unwrap()[0].0, "get");
    assert_eq!(&*p.global_names[0], "print");
}

#[test]
fn possibly_unbound_reads_are_checked_once() {
    let p = compiled(
        "func f(c) {\n if c { y := 1 } else { y := 2 }\n print(y)\n if c { z := 1 }\n print(z, z)\n}\n",
    );
    let checks: Vec<&Instr> = proto(&p, "f")
        .code
        .iter()
        .filter(|i| matches!(i, Instr::CheckDef { .. }))
        .collect();
    // y is bound by both branches; z only by one, and checked at its first read only.
    assert_eq!(checks.len(), 1);
    assert!(matches!(checks[0], Instr::CheckDef { reg: 2, .. }));
}

#[test]
fn loop_bindings_do_not_count_after_the_loop() {
    let p = compiled("func f(n) {\n for i in range(n) { k := i }\n return k + i\n}\n");
    let f = proto(&p, "f");
    let checks = f
        .code
        .iter()
        .filter(|i| matches!(i, Instr::CheckDef { .. }))
        .count();
    assert_eq!(checks, 2);
    assert!(f
        .code
        .iter()
        .any(|i| matches!(i, Instr::RangePrep { argc: 1, .. })));
}

#[test]
fn captured_locals_live_in_cells() {
    let p = compiled("func o() { k := func() { c := 10 }; c := 0; k(); return c }\n");
    let o = proto(&p, "o");
    // c (register 1) gets its cell on entry, before k is created.
    assert_eq!(o.code[0], Instr::NewCell { reg: 1 });
    let inner = proto(&p, "<anonymous>");
    assert_eq!(inner.upvals, vec![crate::bytecode::UpvalDesc::ParentReg(1)]);
    assert!(inner
        .code
        .iter()
        .any(|i| matches!(i, Instr::SetUpval { idx: 0, .. })));
    // With `let c` in k, c is k's own local and o captures nothing.
    let p = compiled("func o() { k := func() { let c := 10 }; c := 0; k(); return c }\n");
    assert!(!proto(&p, "o")
        .code
        .iter()
        .any(|i| matches!(i, Instr::NewCell { .. })));
}

#[test]
fn upvalues_thread_through_intermediate_functions() {
    let p = compiled("func a() { x := 1\n return func() { return func() { return x } } }\n");
    let protos: Vec<&FuncProto> = p
        .protos
        .iter()
        .filter(|f| f.is_anonymous)
        .map(|f| &**f)
        .collect();
    // Post-order: the innermost function comes first.
    assert_eq!(
        protos[0].upvals,
        vec![crate::bytecode::UpvalDesc::ParentUpval(0)]
    );
    assert_eq!(
        protos[1].upvals,
        vec![crate::bytecode::UpvalDesc::ParentReg(0)]
    );
}

#[test]
fn local_read_before_binding_resolves_locally() {
    let p = compiled("g := 1\nfunc f() { print(g); g := 2 }\n");
    let f = proto(&p, "f");
    assert!(f
        .code
        .iter()
        .any(|i| matches!(i, Instr::CheckDef { reg: 0, .. })));
}

#[test]
fn calls_reserve_a_register_past_the_arguments() {
    let p = compiled("func f(a) { return a }\nx := f(f(1))\n");
    let main = &p.main;
    assert!(main
        .code
        .iter()
        .any(|i| matches!(i, Instr::Call { base: 1, argc: 1 })));
    assert!(main.num_regs >= 4);
    let p = compiled("struct S { func m(self, a) { return a } }\ns := S {}\ns.m(2)\n");
    assert!(p.main.code.iter().any(|i| matches!(
        i,
        Instr::CallMethod {
            base: 0,
            argc: 1,
            ..
        }
    )));
    assert!(p.main.num_regs >= 4);
}

#[test]
fn hoisted_functions_are_defined_first() {
    let p = compiled("print(f())\nfunc f() { return 1 }\n");
    assert!(matches!(p.main.code[0], Instr::MakeClosure { .. }));
    assert!(matches!(p.main.code[1], Instr::DefGlobal { .. }));
}

#[test]
fn static_errors_messages_and_positions() {
    let cases = [
        ("x = 1\n", "1:1: assignment to undefined variable 'x'"),
        (
            "func f() { y += 1 }\n",
            "1:12: assignment to undefined variable 'y'",
        ),
        ("func f() { y = 1 }\ny := 0\n", ""),
        ("print = 1\n", ""),
        (
            "const X := 1\nX := 2\n",
            "2:1: cannot assign to constant 'X'",
        ),
        (
            "const X := 1\nfunc f() { X = 2 }\n",
            "2:12: cannot assign to constant 'X'",
        ),
        ("const X := 1\nfunc f() { X := 2 }\n", ""),
        (
            "const X := 1\nfor X in 3 {}\n",
            "2:1: cannot assign to constant 'X'",
        ),
        (
            "const X := 1\nfunc X() {}\n",
            "2:1: cannot assign to constant 'X'",
        ),
        (
            "func f(a) { const a := 1 }\n",
            "1:19: cannot redeclare parameter 'a' as a constant",
        ),
        (
            "func f() { const A := 1\n g := func() { A := 2 } }\n",
            "2:16: cannot assign to constant 'A'",
        ),
        (
            "func f() { const A := 1\n g := func() { let A := 2 } }\n",
            "",
        ),
        ("while true { const A := 1 }\n", ""),
        ("func f(a, b, a) {}\n", "1:14: duplicate parameter 'a'"),
        (
            "func f() {}\nfunc f() {}\n",
            "2:1: function 'f' is already declared",
        ),
        (
            "struct S {}\nstruct S {}\n",
            "2:1: struct 'S' is already declared",
        ),
        (
            "struct S { a, b, a }\n",
            "1:18: field 'a' is declared twice",
        ),
        (
            "struct S { a\n func a(self) {} }\n",
            "2:2: 'a' is declared twice in struct 'S'",
        ),
        (
            "struct S { a }\nx := S { b: 1 }\n",
            "2:10: struct 'S' has no field 'b'",
        ),
        ("break\n", "1:1: 'break' outside a loop"),
        (
            "while true { f := func() { continue } }\n",
            "1:28: 'continue' outside a loop",
        ),
        ("return 1\n", "1:1: 'return' outside a function"),
    ];
    for (src, want) in cases {
        let ast = parser::parse(src.as_bytes()).expect("parses");
        let got = compile(&ast)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!(got, want, "for {src:?}");
    }
}

#[test]
fn static_errors_come_in_the_prescribed_order() {
    // Structs before duplicate functions before method bodies before statements.
    assert_eq!(
        error("x = 1\nfunc f() {}\nfunc f() {}\nstruct S { a, a }\n"),
        "4:15: field 'a' is declared twice"
    );
    assert_eq!(
        error("x = 1\nfunc f() {}\nfunc f() {}\n"),
        "3:1: function 'f' is already declared"
    );
    assert_eq!(
        error("x = 1\nstruct S { func m(self) { break } }\n"),
        "2:27: 'break' outside a loop"
    );
    // An assignment's value before its target; a for's variable, body, then iterable.
    assert_eq!(
        error("const X := 1\nX := func() { return }()\ny = 2\n"),
        "2:1: cannot assign to constant 'X'"
    );
    assert_eq!(
        error("const X := 1\nX := func() { break }\n"),
        "2:15: 'break' outside a loop"
    );
    assert_eq!(
        error("for i in S { z: 1 } { break; q = 1 }\nstruct S { a }\n"),
        "1:30: assignment to undefined variable 'q'"
    );
    // Hoisted functions are still checked where they stand.
    assert_eq!(
        error("y = 1\nfunc f() { break }\n"),
        "1:1: assignment to undefined variable 'y'"
    );
}

#[test]
fn constant_conditions_emit_no_test() {
    let p = compiled("i := 0\nwhile true { i += 1\n if i > 3 { break } }\n");
    assert!(!p
        .main
        .code
        .iter()
        .any(|i| matches!(i, Instr::LoadBool { .. })));
}

#[test]
fn deeply_nested_code_compiles() {
    let depth = 240;
    let src = format!(
        "x := {}1{}\nfunc f() {{ {} }}\n",
        "(1 + ".repeat(depth),
        ")".repeat(depth),
        "if true { ".repeat(depth) + &"}".repeat(depth)
    );
    // The parser bounds nesting; the compiler's recursion per level is a few frames.
    let handle = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || compiled(&src).protos.len())
        .unwrap();
    assert_eq!(handle.join().unwrap(), 2);
}

#[test]
fn disassembly_lists_every_function() {
    let p = compiled("func f(a) { return a + 1 }\nprint(\"hi\", f(2))\n");
    let text = crate::bytecode::disasm::disassemble(&p);
    assert!(text.contains("func #0 f (arity 1"), "{text}");
    assert!(text.contains("AddImm       r1 = r0 + 1"), "{text}");
    assert!(text.contains("LoadConst    r1 = k0(\"hi\")"), "{text}");
    assert!(text.contains("; 2:1"), "{text}");
}

/// A method that builds an instance of its own struct must not tie the definition, its
/// methods and their code into a cycle that outlives the program (found by the fuzzer's
/// leak checker: every load of such a program leaked them).
#[test]
fn struct_definitions_are_freed_with_their_program() {
    let p = compiled(
        "struct P {\n  x\n  func twin(self) { return P { x: self.x } }\n}\nprint(P { x: 1 }.twin().x)\n",
    );
    let def = std::rc::Rc::downgrade(&p.structs[0]);
    let method = std::rc::Rc::downgrade(&p.structs[0].methods.get().unwrap()[0].1);
    drop(p);
    assert!(def.upgrade().is_none(), "the struct definition leaked");
    assert!(method.upgrade().is_none(), "the method leaked");
}

#[test]
fn number_literal_operands_take_no_register() {
    let p = compiled("func f(x) {\n  y := x * 0.5 - -3\n  y -= 1\n  return y < 100000\n}\n");
    let f = proto(&p, "f");
    let ks: Vec<(BinOp, f64)> = f
        .code
        .iter()
        .filter_map(|i| match *i {
            Instr::BinaryK { op, k, .. } => Some((
                op,
                match f.consts[k as usize] {
                    Value::Int(v) => v as f64,
                    Value::Float(v) => v,
                    ref other => panic!("constant {other:?}"),
                },
            )),
            _ => None,
        })
        .collect();
    assert_eq!(
        ks,
        vec![
            (BinOp::Mul, 0.5),
            (BinOp::Sub, -3.0),
            (BinOp::Sub, 1.0),
            (BinOp::Lt, 100000.0)
        ]
    );
    assert!(
        !f.code
            .iter()
            .any(|i| matches!(i, Instr::LoadInt { .. } | Instr::LoadConst { .. })),
        "{:?}",
        f.code
    );
}

#[test]
fn literal_operands_past_the_16_bit_pool_index_use_a_register() {
    // 70,000 distinct constants before the operator: its literal's index does not fit.
    let mut src = String::from("func f(x) {\n  a := 0.0\n");
    for i in 0..70_000 {
        src.push_str(&format!("  a = {i}.5\n"));
    }
    src.push_str("  return x * 1234567.25\n}\n");
    let handle = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            let p = compiled(&src);
            let f = proto(&p, "f");
            let mul = f
                .code
                .iter()
                .find(|i| matches!(i, Instr::Mul { .. } | Instr::BinaryK { .. }))
                .copied();
            (matches!(mul, Some(Instr::Mul { .. })), f.consts.len())
        })
        .unwrap();
    let (register_operand, consts) = handle.join().unwrap();
    assert!(consts > 65_536, "{consts}");
    assert!(register_operand);
}

#[test]
fn calls_unbind_only_locals_read_before_written() {
    // fib writes every register before reading it: nothing to unbind.
    let p = compiled("func fib(n) {\n if n < 2 { return n }\n return fib(n - 1) + fib(n - 2)\n}\n");
    assert!(proto(&p, "fib").unbound_at_entry.is_empty());
    // z is bound on one branch only, so its `CheckDef` can see it unbound.
    let p = compiled("func f(c) {\n if c { z := 1 }\n print(z)\n}\n");
    let f = proto(&p, "f");
    let z = f
        .code
        .iter()
        .find_map(|i| match i {
            Instr::CheckDef { reg, .. } => Some(*reg),
            _ => None,
        })
        .expect("a CheckDef of z");
    assert_eq!(f.unbound_at_entry, vec![z]);
    // A read inside a loop before the write that a later iteration makes.
    let p = compiled("func g() {\n for i in range(3) {\n if i == 2 { print(w) }\n w := i\n }\n}\n");
    let g = proto(&p, "g");
    assert_eq!(g.unbound_at_entry.len(), 1, "{:?}", g.code);
}

/// The `Add`s of `f`'s code as `(dst, a)` pairs, in order.
fn adds(p: &Program, name: &str) -> Vec<(u16, u16)> {
    proto(p, name)
        .code
        .iter()
        .filter_map(|i| match *i {
            Instr::Add { dst, a, .. } => Some((dst, a)),
            _ => None,
        })
        .collect()
}

#[test]
fn accumulating_sums_stay_in_the_local() {
    // `s` is r0: every `+` of the chain writes and extends it in place.
    let p = compiled("func f(s, t) {\n  s := s + t + \",\" + t\n  return s\n}\n");
    assert_eq!(adds(&p, "f"), vec![(0, 0), (0, 0), (0, 0)]);
    // The same with `=`.
    let p = compiled("func f(s, t) {\n  s = s + t + t\n  return s\n}\n");
    assert_eq!(adds(&p, "f"), vec![(0, 0), (0, 0)]);
}

#[test]
fn sums_that_could_observe_the_local_use_a_temporary() {
    let temp_first = |src: &str| {
        let p = compiled(src);
        let ops: Vec<_> = proto(&p, "f")
            .code
            .iter()
            .filter_map(Instr::as_binary)
            .collect();
        assert!(ops.len() >= 2, "{src}: {ops:?}");
        assert_ne!(
            ops[0].1, 0,
            "{src}: the first partial result must not go to s: {ops:?}"
        );
    };
    // A right operand reads `s`.
    temp_first("func f(s, t) {\n  s := s + t + s\n  return s\n}\n");
    temp_first("func f(s, t) {\n  s := s + t + len([s])\n  return s\n}\n");
    // A right operand defines a function (conservatively a mention).
    temp_first("func f(s, t) {\n  s := s + t + (func() { return 1 })()\n  return s\n}\n");
    // The chain is not all `+`.
    temp_first("func f(s, t) {\n  s := s * t + t\n  return s\n}\n");
    // The leftmost operand is another variable.
    temp_first("func f(s, t) {\n  s := t + t + t\n  return s\n}\n");
    // `s` is captured: a closure could read it mid-sum, and it lives in a cell anyway.
    let p =
        compiled("func f(s, t) {\n  g := func() { return s }\n  s := s + t + t\n  return g\n}\n");
    assert!(
        proto(&p, "f")
            .code
            .iter()
            .any(|i| matches!(i, Instr::SetCell { .. })),
        "a captured s is stored through its cell"
    );
}
