//! What the JIT does, seen through `Stats`: specialization happens (and only in the
//! specializing presets), type changes deoptimize and still give the right answer, repeated
//! deopts lead to recompilation without a deopt loop, hot top-level loops are entered by OSR,
//! recursion uses direct calls, and deep recursion fails cleanly.

mod jit_common;

use jit_common::{assert_same_as_interp, run};

const INT_LOOP: &str = r#"
func sum(n) {
  t := 0
  i := 0
  while i < n { t = t + i * 2; i = i + 1 }
  return t
}
s := 0
for k in range(50) { s = s + sum(200) }
print(s)
"#;

#[test]
fn baseline_emits_no_guards_and_spec_does() {
    let (base, bs) = run(INT_LOOP, "jit:threshold=5");
    let (spec, ss) = run(INT_LOOP, "jit-spec:threshold=5");
    let (hoist, hs) = run(INT_LOOP, "jit-spec-hoist:threshold=5");
    assert_eq!(base, spec);
    assert_eq!(base, hoist);
    assert!(bs.functions_compiled >= 1, "{bs:?}");
    assert_eq!(bs.guards_emitted, 0, "{bs:?}");
    assert!(
        ss.functions_compiled >= 1 && ss.guards_emitted > 0,
        "{ss:?}"
    );
    assert!(hs.guards_emitted > 0, "{hs:?}");
    // Specialized code keeps values unboxed: it is not the baseline's code.
    assert_ne!(bs.machine_code_bytes, ss.machine_code_bytes);
    assert_eq!(ss.deopts, 0, "{ss:?}");
}

#[test]
fn hoisting_guards_loop_invariant_parameters_once() {
    let src = r#"
func scale(n, k) {
  t := 0
  for i in range(n) { t = t + i * k }
  return t
}
s := 0
for j in range(30) { s = s + scale(100, 3) }
print(s)
"#;
    let (a, spec) = run(src, "jit-spec:threshold=10");
    let (b, hoist) = run(src, "jit-spec-hoist:threshold=10");
    assert_eq!(a, b);
    assert!(hoist.guards_emitted > 0);
    assert_eq!(hoist.deopts, 0, "{hoist:?}");
    assert_eq!(spec.deopts, 0, "{spec:?}");
}

#[test]
fn a_type_change_after_warm_up_deopts_and_stays_correct() {
    let src = r#"
func add(a, b) { return a + b }
s := 0
for i in range(300) { s = add(s, i) }
print(s)
print(add(1.5, 2), add("a", "b"), add(s, 0.5))
"#;
    let (out, stats) = run(src, "jit-spec:threshold=20");
    let (expected, _) = run(src, "interp");
    assert_eq!(out, expected);
    assert!(stats.deopts > 0, "{stats:?}");
}

#[test]
fn repeated_deopts_recompile_without_the_failing_speculation() {
    let src = r#"
func add(a, b) { return a + b }
s := 0
for i in range(200) { s = add(s, i) }
t := 0.0
for i in range(5000) {
  if i % 2 == 0 { t = add(t, 0.5) } else { t = add(t, 1) }
}
print(s, t)
"#;
    let (out, stats) = run(src, "jit-spec:threshold=20:max-deopts=3");
    let (expected, _) = run(src, "interp");
    assert_eq!(out, expected);
    assert!(stats.deopts > 0, "{stats:?}");
    assert!(stats.recompilations >= 1, "{stats:?}");
    // No deopt loop: a handful of deopts per compile, not one per call.
    assert!(stats.deopts <= 3 * (stats.recompilations + 2), "{stats:?}");
}

#[test]
fn cold_branches_taken_after_compiling_share_one_recompile() {
    // The first 300 calls (the compile happens at the 100th) return early, so nothing after
    // the early return has feedback, and `r`, a call's result, has no known type: the code
    // traps in each branch. Then every call takes one of four branches in turn. One recompile, made after `max-deopts` traps, sees them all
    // (the interpreter ran the rest of each trapped call); recompiling at each trap would
    // recompile up to `max-recompiles` times, once per newly taken branch.
    let src = r#"
func next(x) { return x + 1 }
func f(i) {
  if i < 300 { return i }
  r := next(i)
  k := i % 4
  if k == 0 { r = r * 2 }
  if k == 1 { r = r - 7 }
  if k == 2 { r = r + 3 }
  if k == 3 { r = r * r % 1000 }
  return r
}
s := 0
for i in range(3000) { s = (s + f(i)) % 1000003 }
print(s)
"#;
    let config = "jit-spec:threshold=100:osr-threshold=100000:max-deopts=10";
    let (out, stats) = run(src, config);
    let (expected, _) = run(src, "interp");
    assert_eq!(out, expected);
    // `next` once, `f` twice.
    assert_eq!(stats.functions_compiled, 3, "{stats:?}");
    assert_eq!(stats.recompilations, 1, "{stats:?}");
    assert_eq!(stats.deopts, 10, "{stats:?}");
}

#[test]
fn a_loop_that_runs_hot_after_a_trap_recompiles_and_reenters() {
    // OSR compiles `run` at the first loop; the second loop had never run, so the code traps
    // when it is reached. Once the second loop is hot in the interpreter, it recompiles and
    // enters the new code (re-entering the old code would trap again at once).
    let src = r#"
func run() {
  xs := []
  for i in range(3000) { push(xs, i % 7) }
  t := 0
  for i in range(3000) { t = t + xs[i] * 2 }
  print(t)
}
run()
"#;
    let (out, stats) = run(src, "jit-spec:osr-threshold=200");
    let (expected, _) = run(src, "interp");
    assert_eq!(out, expected);
    assert_eq!(stats.loops_compiled, 2, "{stats:?}");
    assert_eq!(stats.recompilations, 1, "{stats:?}");
    assert_eq!((stats.osr_entries, stats.deopts), (2, 1), "{stats:?}");
}

#[test]
fn hot_top_level_loops_enter_by_osr() {
    let src = r#"
total := 0
for i in range(20000) { total = total + i % 7 }
print(total)
"#;
    let (out, stats) = run(src, "jit-spec:osr-threshold=100");
    assert_eq!(out.stdout, "59997\n");
    assert!(stats.osr_entries > 0, "{stats:?}");
    assert!(stats.loops_compiled > 0, "{stats:?}");
}

#[test]
fn osr_in_a_long_running_call() {
    let src = r#"
func long(n) {
  t := 0
  i := 0
  while i < n { t = t + i % 3; i += 1 }
  return t
}
print(long(50000))
"#;
    let (out, stats) = run(src, "jit-spec-hoist:osr-threshold=500");
    assert_eq!(out.stdout, "49999\n");
    assert!(stats.osr_entries > 0, "{stats:?}");
}

#[test]
fn fib_is_compiled_with_direct_calls() {
    let src = r#"
func fib(n) { if n < 2 { return n }; return fib(n - 1) + fib(n - 2) }
print(fib(25))
"#;
    let (out, stats) = run(src, "jit-spec:threshold=100");
    assert_eq!(out.stdout, "75025\n");
    assert!(stats.functions_compiled >= 1, "{stats:?}");
    // fib(25) makes 242,785 calls; direct calls bypass the VM, which counts only the few
    // calls it makes itself.
    assert!(
        stats.compiled_calls + stats.interpreted_calls < 5_000,
        "{stats:?}"
    );
    assert_eq!(stats.deopts, 0, "{stats:?}");
}

#[test]
fn runtime_errors_report_the_interpreters_message_position_and_trace() {
    let src = r#"
func div(a, b) { return a / b }
func outer(a, b) { return div(a, b) * 2 }
for i in range(200) { outer(i, 3) }
print("before")
print(outer(1, 0))
"#;
    let (expected, _) = run(src, "interp");
    let err = expected.error.clone().expect("an error");
    assert!(err.contains("division by zero"), "{err}");
    assert!(err.contains("at div") && err.contains("at outer"), "{err}");
    for config in [
        "jit:threshold=2",
        "jit-spec:threshold=2",
        "jit-spec-hoist:threshold=2",
    ] {
        let (got, _) = run(src, config);
        assert_eq!(got, expected, "{config}");
    }
}

#[test]
fn deep_recursion_fails_cleanly_with_stack_overflow() {
    let src = r#"
func down(n) { if n == 0 { return 0 }; return down(n - 1) + 1 }
print(down(9000))
print(down(20000))
"#;
    let (expected, _) = run(src, "interp");
    assert_eq!(expected.stdout, "9000\n");
    assert!(expected
        .error
        .as_deref()
        .unwrap_or("")
        .contains("stack overflow"));
    for config in [
        "jit:threshold=1",
        "jit-spec:threshold=10",
        "jit-spec-hoist:threshold=10",
    ] {
        let (got, _) = run(src, config);
        assert_eq!(got.stdout, expected.stdout, "{config}");
        assert_eq!(got.error, expected.error, "{config}");
    }
}

#[test]
fn recursion_of_exactly_the_limit_works() {
    assert_same_as_interp(
        r#"
func down(n) { if n == 0 { return 0 }; return down(n - 1) + 1 }
print(down(9998))
print(down(9999))
print(down(10000))
"#,
    );
}

#[test]
fn a_rebound_global_callee_takes_the_checked_slow_path() {
    // `step` is compiled while `g` holds `inc`, so its call site expects `inc`'s prototype;
    // rebinding `g` to another function of the same arity, to a builtin and finally to a
    // non-function must call what `g` holds now (or raise the interpreter's error).
    let src = r#"
func inc(x) { return x + 1 }
func dbl(x) { return x * 2 }
g := inc
func step(x) { return g(x) }
s := 0
for i in range(300) { s = step(s) % 1000 }
print(s)
g = dbl
for i in range(300) { s = step(s + 1) % 1000 }
print(s)
g = abs
print(step(-7))
g = 5
print(step(1))
"#;
    assert_same_as_interp(src);
    let (out, stats) = run(src, "jit-spec:threshold=10");
    assert!(out.stdout.starts_with("300\n"), "{out:?}");
    assert!(stats.functions_compiled >= 2, "{stats:?}");
}

#[test]
fn compiled_methods_are_called_directly_and_lookups_fail_like_the_interpreter() {
    // `area` is compiled, then called from a compiled loop on two struct types (different
    // methods of one name), through a field holding a function, and finally on a receiver
    // without that method (the interpreter's lookup error, with its position and trace).
    let src = r#"
struct Sq { s
  func area(self) { return self.s * self.s }
  func grow(self, by) { self.s += by; return self }
}
struct Rect { w, h, f
  func area(self) { return self.w * self.h }
}
func total(xs) {
  t := 0
  for x in xs { t += x.area() }
  return t
}
shapes := [Sq { s: 2 }, Rect { w: 2, h: 3, f: 0 }]
t := 0
for i in range(200) { t += total(shapes); shapes[0].grow(1) }
print(t)
r := Rect { w: 1, h: 1, f: func(a) { return a + 1 } }
print(r.f(41))
print(total([Sq { s: 3 }, 7]))
"#;
    assert_same_as_interp(src);
    let (out, stats) = run(src, "jit-spec:threshold=10");
    assert!(out.error.is_some(), "{out:?}");
    // Direct calls bypass the VM, which counts only the calls it makes itself: 766 when
    // every method call went through it, 385 now (the calls from interpreted code).
    assert!(stats.functions_compiled >= 3, "{stats:?}");
    assert!(stats.compiled_calls < 600, "{stats:?}");
}

#[test]
fn inlined_numeric_builtins_match_the_interpreter_and_survive_rebinding() {
    // `sqrt`, `floor`, `ceil`, `abs` and `to_float` on unboxed arguments become machine
    // instructions; the results (including wrap-around `abs`, negative zero, NaN from a
    // negative square root and huge Ints converted to Float) must equal the builtins', and
    // rebinding `sqrt` in the middle of the hot loop must deoptimize to the new function.
    let src = r#"
func f(i, x) {
  a := abs(i) + abs(0 - i)
  b := sqrt(abs(x)) + floor(x) + ceil(x) + abs(x) + to_float(i)
  return [a, b]
}
func g(x) { return sqrt(x) + floor(x) - ceil(x) }
t := 0
u := 0.0
for i in range(-300, 300) {
  r := f(i * 1000003, to_float(i) * 0.37)
  t = t + r[0]
  u = u + r[1]
}
print(t, u)
print(f(-9223372036854775807 - 1, -0.0))
print(g(-2.5), g(1e300), abs(-0.0))
print(to_float(9007199254740993), floor(-0.5), ceil(-0.5))
k := 0.0
for i in range(400) {
  if i == 350 { sqrt = func(v) { return v * 2.0 } }
  k = k + sqrt(to_float(i))
}
print(k)
"#;
    assert_same_as_interp(src);
}
