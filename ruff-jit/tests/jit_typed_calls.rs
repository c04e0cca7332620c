//! The typed entry of self-recursive functions (`translate/plan/typed.rs`): recursion with
//! unboxed arguments uses it, and everything that leaves it (a guard failing on an argument
//! whose type changed mid-recursion, a result of another type, an error deep in the
//! recursion, the stack limit, a rebound function) behaves exactly as in the interpreter,
//! stack traces included.

mod jit_common;

use std::process::Command;

use jit_common::{assert_same_as_interp, run};

/// `fib` under `--trace-jit`: the tier reports the typed entry it made.
#[test]
fn int_recursion_gets_a_typed_entry() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("fib.ruff");
    let src = "func fib(n) {\n  if n < 2 { return n }\n  return fib(n - 1) + fib(n - 2)\n}\nprint(fib(20))\n";
    std::fs::write(&file, src).unwrap();
    let (interp, _) = run(src, "interp");
    for config in ["jit-spec", "jit-spec-hoist"] {
        let out = Command::new(env!("CARGO_BIN_EXE_ruff"))
            .arg("run")
            .arg(&file)
            .args(["--config", config, "--trace-jit"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        assert_eq!(String::from_utf8_lossy(&out.stdout), interp.stdout);
        assert!(
            stderr.contains("[jit] typed entry of fib: (int) -> int\n"),
            "{config}: {stderr}"
        );
    }
    // The baseline makes no typed entry: it keeps no value unboxed.
    let out = Command::new(env!("CARGO_BIN_EXE_ruff"))
        .arg("run")
        .arg(&file)
        .args(["--config", "jit", "--trace-jit"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("typed entry"));
}

/// The argument turns Float at depth 37 of a recursion that has run typed (Int) for long
/// enough to compile: the typed callee's guard fails, its frame is written back and the
/// interpreter finishes it; the results (now Float) come back boxed.
#[test]
fn argument_type_change_mid_recursion_deoptimizes() {
    let src = r#"
func sum(n) {
  if n < 1 { return n }
  if n == 37 { return 1 + sum(n - 0.5) }
  return n + sum(n - 1)
}
t := 0
for k in range(30) { t = t + sum(30) }
print(t)
print(sum(60))
print(sum(36))
"#;
    assert_same_as_interp(src);
    let (out, stats) = run(src, "jit-spec");
    assert_eq!(out, run(src, "interp").0);
    assert!(
        stats.deopts > 0,
        "the type change must deoptimize: {stats:?}"
    );
}

/// Float and Bool parameters, two parameters of different types, and a result whose type
/// differs from the typed one on some paths.
#[test]
fn float_bool_and_mixed_signatures() {
    let src = r#"
func halve(x) {
  if x < 1.0 { return x }
  return halve(x / 2.0) + 0.25
}
func parity(b, n) {
  if n == 0 { return b }
  return parity(!b, n - 1)
}
func mixed(n, f) {
  if n == 0 { return f }
  if n == 3 { return "three" }
  r := mixed(n - 1, f * 1.5)
  return r
}
s := 0.0
p := 0
for k in range(200) {
  s = s + halve(k * 1.0)
  if parity(true, k) { p = p + 1 }
}
print(s, p)
print(mixed(2, 1.0), mixed(5, 2.0))
"#;
    assert_same_as_interp(src);
}

/// A runtime error at the bottom of a typed recursion: the message, position and the full
/// stack trace (one entry per frame) match the interpreter's, for an error compiled code
/// raises through a helper and for one the interpreter raises after a deopt.
#[test]
fn errors_deep_in_typed_recursion_keep_their_stack_trace() {
    for bottom in ["return n + \"x\"", "return 7 / n", "return undefined_name"] {
        // The warm-up calls reach n == 0 too, unarmed; the last call fails there.
        let src = format!(
            "armed := false\n\
             func down(n) {{\n  if n == 0 {{\n    if armed {{ {bottom} }}\n    return 0\n  }}\n  \
             return down(n - 1) + 1\n}}\n\
             t := 0\nfor k in range(40) {{ t = t + down(5 + k % 3) }}\nprint(t)\n\
             armed = true\nprint(down(150))\n"
        );
        let (interp, _) = run(&src, "interp");
        let error = interp.error.as_deref().expect("the program fails");
        assert!(error.contains("runtime error"), "{error}");
        assert!(error.contains(" more frames"), "a deep trace: {error}");
        assert_same_as_interp(&src);
        assert_eq!(run(&src, "jit-spec").0, interp, "{src}");
    }
}

/// Unbounded typed recursion hits the depth limit: the same `stack overflow` error and
/// trace as in the interpreter.
#[test]
fn typed_recursion_hits_the_stack_limit() {
    let src = r#"
func deep(n) {
  if n < 0 { return 0 }
  return deep(n + 1) + 1
}
func shallow(n) {
  if n > 50 { return 0 }
  return shallow(n + 1) + 1
}
t := 0
for k in range(300) { t = t + shallow(k % 40) }
print(t)
print(deep(0))
"#;
    let (interp, _) = run(src, "interp");
    assert!(
        interp
            .error
            .as_deref()
            .unwrap_or("")
            .contains("stack overflow"),
        "{interp:?}"
    );
    assert_same_as_interp(src);
    assert_eq!(run(src, "jit-spec").0, interp);
}

/// The function's global is rebound while the recursion runs: later calls go to the new
/// function (the typed call checks the callee) and the old code stays correct.
#[test]
fn rebinding_the_function_mid_recursion() {
    let src = r#"
func other(n) { return 1000 }
func count(n) {
  if n == 0 { return 0 }
  if n == 5 { count = other }
  return count(n - 1) + 1
}
func run_once(n) {
  c := count(n)
  return c
}
t := 0
for k in range(150) { t = t + count(4) }
print(t)
print(count(12))
print(count(12))
"#;
    assert_same_as_interp(src);
}
