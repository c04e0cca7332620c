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
    let out = Out::default();
    let mut engine = Engine::new(Config::parse("interp").unwrap());
    engine.set_output(Box::new(out.clone()));
    let result = engine
        .load("t.ruff", src.as_bytes())
        .and_then(|_| engine.run_main());
    let err = match result {
        Ok(()) => String::new(),
        Err(e) => engine.render_error(&e).lines().next().unwrap_or("").to_string(),
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
    assert_eq!(fails(src), "t.ruff:2:18: runtime error: undefined variable 'g'");
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

/// Runs every program of the shared conformance directory (read in place) under `interp`.
#[test]
fn shared_conformance_programs() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut failures = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "ruff") {
            continue;
        }
        let src = std::fs::read_to_string(&path).unwrap();
        let (out, err) = run(&src);
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
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
