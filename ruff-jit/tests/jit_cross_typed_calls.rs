//! Calls between different compiled functions through the callee's typed entry
//! (`translate/plan/typed.rs`, `emit/typed.rs`): a compiled caller passing unboxed
//! Int/Float/Bool arguments of the callee's signature calls the typed entry and keeps the
//! result unboxed; everything that leaves that path (a callee deopting, a result of another
//! type, an error in the callee, the global rebound to another function) behaves exactly as
//! in the interpreter.

mod jit_common;

use std::process::Command;

use jit_common::{assert_same_as_interp, run};

/// `ruff run FILE --config CONFIG --trace-jit`, which must exit with `code`: (stdout,
/// stderr).
fn traced(src: &str, config: &str, code: i32) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("prog.ruff");
    std::fs::write(&file, src).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ruff"))
        .arg("run")
        .arg(&file)
        .args(["--config", config, "--trace-jit"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "{config}: {stderr}");
    (String::from_utf8_lossy(&out.stdout).into_owned(), stderr)
}

/// True if `--trace-jit` output reports a call in `caller` through `callee`'s typed entry
/// with signature `sig`.
fn has_typed_call(stderr: &str, caller: &str, callee_and_sig: &str) -> bool {
    stderr.lines().any(|l| {
        l.starts_with(&format!("[jit] typed call in {caller} at pc "))
            && l.ends_with(&format!(": {callee_and_sig}"))
    })
}

const HELPERS: &str = r#"
func sq(x) { return x * x }
func dist2(x, y) { return x * x + y * y }
func pick(b, n) {
  if b { return n + 1 }
  return n - 1
}
func run() {
  s := 0
  f := 0.0
  b := 0
  for i in range(3000) {
    s = s + sq(i % 100)
    f = f + dist2(1.5, to_float(i % 7))
    b = pick(i % 3 == 0, b)
  }
  print(s, f, b)
}
run()
"#;

/// Small numeric helpers called from another function's hot loop: with Int, Float and Bool
/// parameters, each call goes through the helper's typed entry (the helpers are compiled
/// first, by call count, and the loop later, by OSR).
#[test]
fn helpers_called_from_a_loop_use_their_typed_entries() {
    let (interp, _) = run(HELPERS, "interp");
    for config in ["jit-spec", "jit-spec-hoist"] {
        let (stdout, stderr) = traced(HELPERS, config, 0);
        assert_eq!(stdout, interp.stdout, "{config}");
        for want in [
            "sq (int) -> int",
            "dist2 (float, float) -> float",
            "pick (bool, int) -> int",
        ] {
            assert!(
                has_typed_call(&stderr, "run", want),
                "{config}, {want}: {stderr}"
            );
        }
    }
    // The baseline keeps no value unboxed: no typed entries, no typed calls.
    let (stdout, stderr) = traced(HELPERS, "jit", 0);
    assert_eq!(stdout, interp.stdout);
    assert!(!stderr.contains("typed"), "{stderr}");
}

/// `is_even` and `is_odd` call each other: the one compiled second calls the other's typed
/// entry (Int in, Bool out), and the results agree with the interpreter's.
#[test]
fn mutual_recursion_calls_the_other_typed_entry() {
    let src = r#"
func is_even(n) {
  if n == 0 { return true }
  return is_odd(n - 1)
}
func is_odd(n) {
  if n == 0 { return false }
  return is_even(n - 1)
}
c := 0
for i in range(600) {
  if is_even(i % 50) { c = c + 1 }
}
print(c, is_even(71), is_odd(71))
"#;
    assert_same_as_interp(src);
    let (stdout, stderr) = traced(src, "jit-spec", 0);
    assert_eq!(stdout, run(src, "interp").0.stdout);
    assert!(
        has_typed_call(&stderr, "is_odd", "is_even (int) -> bool"),
        "{stderr}"
    );
}

/// The callee's argument turns Float after its callers compiled typed calls of it: the
/// callers' argument check sends the call the general way or the callee's guard fails and
/// deoptimizes; results of other types (a Float, a string) come back boxed from the typed
/// entry and the caller's check of them deoptimizes after the call.
#[test]
fn callee_deopts_and_results_of_other_types() {
    let src = r#"
func scale(x) { return x * 3 + 1 }
func shape(n) {
  if n % 1000 == 999 { return "big" }
  if n % 7 == 0 { return n * 0.5 }
  return n * 2
}
func run() {
  t := 0
  for i in range(3000) {
    if i < 2500 { t = t + scale(i) } else { t = t + scale(i * 0.5) }
  }
  ints := 0
  other := ""
  for i in range(3000) {
    r := shape(i)
    if type_of(r) == "string" { other = other + r } else { ints = ints + r }
  }
  print(t, ints, other)
}
run()
"#;
    assert_same_as_interp(src);
    let (out, stats) = run(src, "jit-spec");
    assert_eq!(out, run(src, "interp").0);
    assert!(
        stats.deopts > 0,
        "the type changes must deoptimize: {stats:?}"
    );
}

/// The global a typed call reads is rebound to another function mid-loop: later calls go
/// to the new function.
#[test]
fn rebinding_the_callee_mid_loop() {
    let src = r#"
func triple(n) { return n * 3 }
func negate(n) { return 0 - n }
func halve(n) { return n * 0.5 }
step := triple
func run() {
  u := 0
  for i in range(3000) {
    if i == 2000 { step = negate }
    if i == 2500 { step = halve }
    u = u + step(i)
  }
  print(u)
}
run()
"#;
    assert_same_as_interp(src);
}

/// Errors raised inside a callee called through its typed entry (by compiled code and, after
/// a deopt, by the interpreter), two typed calls deep: message, position and stack trace
/// match the interpreter's.
#[test]
fn errors_in_typed_callees_keep_their_stack_trace() {
    for bottom in ["return a / b", "return a + \"x\"", "return missing_name"] {
        let src = format!(
            "armed := false\n\
             func ratio(a, b) {{\n  if armed {{ {bottom} }}\n  return a * b\n}}\n\
             func level(n, d) {{ return ratio(n * 2, d - 1) + 1 }}\n\
             func run() {{\n  w := 0\n  for i in range(300) {{ w = w + ratio(i, 3) }}\n  \
             t := 0\n  for i in range(3000) {{ t = t + level(i, 2 + i % 9) }}\n  \
             print(w, t)\n  armed = true\n  print(level(5, 1))\n}}\nrun()\n"
        );
        let (interp, _) = run(&src, "interp");
        let error = interp.error.as_deref().expect("the program fails");
        assert!(error.contains("runtime error"), "{error}");
        assert!(error.contains("at level"), "{error}");
        assert_same_as_interp(&src);
        let (stdout, stderr) = traced(&src, "jit-spec", 70);
        assert_eq!(stdout, interp.stdout);
        assert!(
            has_typed_call(&stderr, "level", "ratio (int, int) -> int"),
            "{stderr}"
        );
    }
}

/// The callee is recompiled (after deoptimizing on Float arguments another function passes)
/// while a compiled caller's typed call of it still names its first code: the caller's
/// check of the direct-call table sends the call the general way, with the same results as
/// the interpreter.
#[test]
fn a_recompiled_callee_is_called_the_general_way() {
    let src = r#"
func scale(x) { return x * 3 + 1 }
func spoil() {
  s := 0.0
  for k in range(30) { s = s + scale(k * 0.5) }
  return s
}
func run() {
  t := 0
  f := 0.0
  for i in range(4000) {
    t = t + scale(i % 50)
    if i == 2000 { f = spoil() }
  }
  print(t, f)
}
run()
"#;
    assert_same_as_interp(src);
    let (stdout, stderr) = traced(src, "jit-spec", 0);
    assert_eq!(stdout, run(src, "interp").0.stdout);
    assert!(
        has_typed_call(&stderr, "run", "scale (int) -> int"),
        "{stderr}"
    );
    assert!(
        stderr.matches("] compiled scale ").count() >= 2,
        "scale must be recompiled: {stderr}"
    );
}
