//! End-to-end checks of the compiler through the engine (interpreter): scope resolution,
//! closures, definite assignment, loops, calls, structs and the runtime positions of the
//! errors the compiler's span table decides.

use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;

use ruff_core::{Config, Engine};

#[derive(Clone, Default)]
struct Out(Rc<RefCell<Vec<u8>>>);

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs `src` under `interp`; returns stdout, then the first line of the rendered error.
fn run(src: &str) -> (String, String) {
    let (out, err) = run_full(src);
    (out, err.lines().next().unwrap_or("").to_string())
}

/// Runs `src` under `interp`; returns stdout and the whole rendered error (or "").
fn run_full(src: &str) -> (String, String) {
    let out = Out::default();
    let mut engine = Engine::new(Config::parse("interp").unwrap());
    engine.set_output(Box::new(out.clone()));
    let result = engine
        .load("t.ruff", src.as_bytes())
        .and_then(|_| engine.run_main());
    let err = match result {
        Ok(()) => String::new(),
        Err(e) => engine
            .render_error(&e)
            .lines()
            .next()
            .unwrap_or("")
            .to_string(),
    };
    let text = String::from_utf8(out.0.borrow().clone()).unwrap();
    (text, err)
}

fn ok(src: &str) -> String {
    let (out, err) = run(src);
    assert_eq!(err, "", "unexpected error; output so far:\n{out}");
    out
}

fn fails(src: &str) -> String {
    run(src).1
}

#[test]
fn closure_binds_enclosing_local() {
    let src = "func o() { k := func() { c := 10 }; c := 0; k(); return c }\nprint(o())\n\
               func p() { k := func() { let c := 10 }; c := 0; k(); return c }\nprint(p())\n";
    assert_eq!(ok(src), "10\n0\n");
}

#[test]
fn local_shadows_global_for_the_whole_body() {
    let src = "g := 1\nfunc f() { print(g); g := 2 }\nf()\n";
    assert_eq!(
        fails(src),
        "t.ruff:2:18: runtime error: undefined variable 'g'"
    );
}

#[test]
fn while_loop_and_recursion() {
    let src = "func fib(n) { if n < 2 { return n } return fib(n - 1) + fib(n - 2) }\n\
               x := 0\nwhile x < 10 { x := x + 1 }\nprint(x, fib(15))\n";
    assert_eq!(ok(src), "10 610\n");
}

#[test]
fn for_loops_share_one_variable() {
    let src = "fs := []\nfor i in range(3) { push(fs, func() { return i }) }\n\
               print(fs[0](), fs[2](), i)\n\
               func f() { out := []\n for j in range(3) { push(out, func() { return j }) }\n return out[0]() }\nprint(f())\n";
    assert_eq!(ok(src), "2 2 2\n2\n");
}

#[test]
fn counters_capture_by_reference_with_fresh_variables_per_call() {
    let src = "func counter() { n := 0; return func() { n += 1; return n } }\n\
               a := counter()\nb := counter()\na()\na()\nprint(a(), b())\n";
    assert_eq!(ok(src), "3 1\n");
}

/// Runs every program of the repository's conformance copy under `interp`.
#[test]
fn conformance_programs() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../conformance");
    let entries = std::fs::read_dir(&dir).expect("conformance/ is in the repository");
    let mut failures = Vec::new();
    let mut ran = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "ruff") {
            continue;
        }
        let src = std::fs::read_to_string(&path).unwrap();
        let (out, err) = run_full(&src);
        ran += 1;
        let expected = std::fs::read_to_string(path.with_extension("out")).unwrap_or_default();
        let want_err = std::fs::read_to_string(path.with_extension("stderr")).unwrap_or_default();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let err_ok = if want_err.trim().is_empty() {
            err.is_empty()
        } else {
            err.replace("t.ruff", &name).contains(want_err.trim())
        };
        if out != expected || !err_ok {
            failures.push(format!("{name}: error {err:?}, expected {want_err:?}"));
        }
    }
    assert!(ran > 0);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn runtime_errors_point_where_the_span_table_says() {
    let cases = [
        (
            "x := 1 + \"a\"\n",
            "1:8: runtime error: unsupported operand types for '+': int and string",
        ),
        (
            "x := \"a\"\nx += 1\n",
            "2:3: runtime error: unsupported operand types for '+': string and int",
        ),
        (
            "func f() { x := \"a\"\n x -= 1 }\nf()\n",
            "2:4: runtime error: unsupported operand types for '-': string and int",
        ),
        (
            "a := [1]\nprint(a[5])\n",
            "2:8: runtime error: index 5 out of range for array of length 1",
        ),
        (
            "a := [1]\na[3] += 1\n",
            "2:2: runtime error: index 3 out of range for array of length 1",
        ),
        (
            "print(nope)\n",
            "1:7: runtime error: undefined variable 'nope'",
        ),
        (
            "f := 1\nprint(f(2))\n",
            "2:7: runtime error: cannot call a value of type int",
        ),
        (
            "for x in 5.5 {}\n",
            "1:10: runtime error: cannot iterate over a value of type float",
        ),
        (
            "for x in range(1, 2, 0) {}\n",
            "1:10: runtime error: range() step cannot be zero",
        ),
        (
            "d := {1.5: 2}\n",
            "1:6: runtime error: dict keys must be string, int or bool, not float",
        ),
        (
            "struct P { x }\np := P {}\nprint(p.zz)\n",
            "3:9: runtime error: P has no field or method 'zz'",
        ),
        (
            "struct P { x }\np := P {}\np.zz := 1\n",
            "3:3: runtime error: P has no field 'zz'",
        ),
        (
            "struct P { x }\np := P {}\np.go(1)\n",
            "3:3: runtime error: P has no method 'go'",
        ),
        (
            "func f() { x = 1; let x := 2 }\nf()\n",
            "1:12: runtime error: undefined variable 'x'",
        ),
        (
            "func f() { x += 1; let x := 2 }\nf()\n",
            "1:12: runtime error: undefined variable 'x'",
        ),
        (
            "func f() { g := func() { return y }\n r := g()\n y := 1 }\nf()\n",
            "1:33: runtime error: undefined variable 'y'",
        ),
        (
            "func f() { g := func() { y = 2 }\n g()\n y := 1 }\nf()\n",
            "1:26: runtime error: undefined variable 'y'",
        ),
        (
            "if false { z := 1 }\nz = 5\n",
            "2:1: runtime error: undefined variable 'z'",
        ),
        (
            "if false { z := 1 }\nz *= 5\n",
            "2:1: runtime error: undefined variable 'z'",
        ),
        (
            "x := -\"s\"\n",
            "1:6: runtime error: unsupported operand type for unary '-': string",
        ),
        (
            "print(P)\nstruct P {}\n",
            "1:7: runtime error: undefined variable 'P'",
        ),
    ];
    for (src, want) in cases {
        assert_eq!(fails(src), format!("t.ruff:{want}"), "for {src:?}");
    }
}

#[test]
fn evaluation_order_and_values() {
    let src = "func t(x) { print(x); return x }\n\
               a := [t(1), t(2)]\n\
               d := {t(\"k\"): t(3)}\n\
               print(t(0) && t(4), t(5) || t(6), not t(0))\n\
               x := 1\nx = t(7)\n";
    assert_eq!(ok(src), "1\n2\nk\n3\n0\n5\n0\nfalse true true\n7\n");
}

#[test]
fn undefined_assignment_runs_the_value_first() {
    let src = "func f() { x = print(\"v\"); let x := 1 }\nf()\n";
    let (out, err) = run(src);
    assert_eq!(out, "v\n");
    assert_eq!(err, "t.ruff:1:12: runtime error: undefined variable 'x'");
}

#[test]
fn hoisting_and_top_level_rebinding() {
    let src = "print(g())\nfunc g() { return h() }\nfunc h() { return 1 }\n\
               g := 5\nprint(g)\nlen := 3\nfunc k() { return len }\nprint(k())\n";
    assert_eq!(ok(src), "1\n5\n3\n");
}

#[test]
fn methods_see_globals_and_self() {
    let src = "struct C { n\n func inc(self, by) { self.n += by; return self }\n\
               func make(me) { return C { n: base } } }\n\
               base := 10\nc := C { n: 1 }\nc.inc(2).inc(3)\nprint(c.n, c.make().n)\n\
               struct Q { f }\nq := Q { f: func(a) { return a * 2 } }\nprint(q.f(4))\n";
    assert_eq!(ok(src), "6 10\n8\n");
}

#[test]
fn nested_named_functions_recurse_through_their_cell() {
    let src = "func outer(n) {\n func fact(k) { if k <= 1 { return 1 } return k * fact(k - 1) }\n return fact(n)\n}\nprint(outer(10))\n";
    assert_eq!(ok(src), "3628800\n");
}

#[test]
fn rebinding_range_changes_for_loops() {
    let src = "s := 0\nfor i in range(2, 10, 3) { s += i }\nprint(s, i)\n\
               range := func(n) { return [n, n] }\nfor j in range(7) { print(j) }\n";
    assert_eq!(ok(src), "15 8\n7\n7\n");
}

/// Every benchmark program of the workspace compiles.
#[test]
fn suite_programs_compile() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../suites");
    let Ok(suites) = std::fs::read_dir(&root) else {
        return;
    };
    for suite in suites.flatten() {
        let Ok(files) = std::fs::read_dir(suite.path()) else {
            continue;
        };
        for file in files.flatten() {
            let path = file.path();
            if path.extension().is_some_and(|e| e == "ruff") {
                let src = std::fs::read(&path).unwrap();
                let ast = ruff_core::parser::parse(&src).unwrap();
                if let Err(e) = ruff_core::compiler::compile(&ast) {
                    panic!("{}: {e}", path.display());
                }
            }
        }
    }
}

#[test]
fn captured_parameters_self_and_updates() {
    let src = "func adder(total) { return func(x) { total += x; return total } }\n\
               a := adder(10)\na(1)\nprint(a(2))\n\
               struct B { v\n func getter(self) { return func() { return self.v } } }\n\
               b := B { v: 7 }\ng := b.getter()\nb.v = 8\nprint(g())\n\
               func h() { n := 1; set := func(v) { n = v }; set(5); return n }\nprint(h())\n\
               func u() { set := func(v) { n = v }; set(5); let n := 0; return n }\nprint(u())\n";
    let (out, err) = run(src);
    assert_eq!(out, "13\n8\n5\n");
    assert_eq!(err, "t.ruff:13:29: runtime error: undefined variable 'n'");
}

#[test]
fn constants_rebind_when_rerun() {
    let src = "for i in 3 { const K := i * 2\n print(K) }\n\
               func f(x) { const Y := x\n return Y }\nprint(f(1), f(2))\n";
    assert_eq!(ok(src), "0\n2\n4\n1 2\n");
}

#[test]
fn unbound_after_loop_that_never_ran() {
    let src = "func f() { for i in 0 { }\n return i }\nf()\n";
    assert_eq!(
        fails(src),
        "t.ruff:2:9: runtime error: undefined variable 'i'"
    );
}
