//! Tiering policy of the VM, observed through a mock compile tier and `Stats`: compile at the
//! call threshold, OSR at a hot loop, deopt bookkeeping and recompilation without the failing
//! speculation, never retrying a failed compile, and errors unwinding through compiled frames.

mod vm_support;

use ruff_core::tier::CompileReason;
use ruff_core::{Config, Engine, Value};
use vm_support::{Captured, MockKind, MockTier, Request};

fn engine(config: &str, tier: MockTier) -> (Engine, Captured) {
    let out = Captured::default();
    let mut e = Engine::with_tier(Config::parse(config).unwrap(), Box::new(tier));
    e.set_output(Box::new(out.clone()));
    (e, out)
}

const HOT_CALLS: &str =
    "func sq(x) { return x * x }\ns := 0\nfor i in range(10) { s += sq(i) }\nprint(s)\n";

#[test]
fn hot_function_compiles_once_and_is_called_compiled() {
    let tier = MockTier::new(MockKind::Resuming);
    let log = tier.log.clone();
    let (mut e, out) = engine("jit-spec:threshold=3:osr-threshold=1000", tier);
    e.load("t.ruff", HOT_CALLS.as_bytes()).unwrap();
    e.run_main().unwrap();
    assert_eq!(&*out.0.borrow(), b"285\n");
    let s = e.stats();
    assert_eq!(s.functions_compiled, 1);
    assert_eq!(s.compiled_calls, 8, "calls 3..=10 run compiled");
    assert_eq!(s.interpreted_calls, 2);
    assert_eq!(s.guards_emitted, 1);
    assert_eq!(log.borrow().len(), 1);
    assert_eq!(log.borrow()[0].reason, CompileReason::Call);
}

#[test]
fn hot_loop_enters_by_osr_at_its_header() {
    let tier = MockTier::new(MockKind::Resuming);
    let log = tier.log.clone();
    let (mut e, out) = engine("jit-spec:threshold=1000:osr-threshold=5", tier);
    e.load(
        "t.ruff",
        b"s := 0\nfor i in range(100) { s += i }\nprint(s)\n",
    )
    .unwrap();
    e.run_main().unwrap();
    assert_eq!(&*out.0.borrow(), b"4950\n");
    let s = e.stats();
    assert_eq!((s.loops_compiled, s.osr_entries), (1, 1));
    assert!(matches!(log.borrow()[0].reason, CompileReason::Osr { .. }));
}

#[test]
fn repeated_deopts_recompile_without_speculation_and_never_loop() {
    let tier = MockTier::new(MockKind::Deopting);
    let log = tier.log.clone();
    let (mut e, out) = engine(
        "jit-spec:threshold=1:osr-threshold=100000:max-deopts=3",
        tier,
    );
    e.load("t.ruff", HOT_CALLS.as_bytes()).unwrap();
    e.run_main().unwrap();
    assert_eq!(&*out.0.borrow(), b"285\n");
    let s = e.stats();
    // 3 deopts -> recompiled with no speculation at pc 0 -> 3 more deopts at the same pc ->
    // nothing new to give up: the function stays interpreted.
    assert_eq!(s.deopts, 6);
    assert_eq!(s.recompilations, 1);
    let log = log.borrow();
    assert_eq!(log.len(), 2);
    assert_eq!(
        log[1],
        Request {
            proto: log[0].proto,
            reason: CompileReason::Call,
            no_speculation_at: vec![0]
        }
    );
}

#[test]
fn failed_compiles_are_never_retried() {
    let mut tier = MockTier::new(MockKind::Resuming);
    tier.refuse = vec![0];
    let log = tier.log.clone();
    let (mut e, out) = engine("jit:threshold=2", tier);
    e.load("t.ruff", HOT_CALLS.as_bytes()).unwrap();
    e.run_main().unwrap();
    assert_eq!(&*out.0.borrow(), b"285\n");
    assert_eq!(e.stats().compile_failures, 1);
    assert_eq!(log.borrow().iter().filter(|r| r.proto == 0).count(), 1);
}

#[test]
fn interp_prof_profiles_but_never_compiles() {
    let tier = MockTier::new(MockKind::Resuming);
    let log = tier.log.clone();
    let (mut e, _) = engine("interp-prof:threshold=1:osr-threshold=1", tier);
    e.load("t.ruff", HOT_CALLS.as_bytes()).unwrap();
    e.run_main().unwrap();
    assert!(log.borrow().is_empty());
    assert_eq!(e.stats().interpreted_calls, 10);
}

#[test]
fn errors_unwind_through_compiled_frames_with_the_same_trace() {
    let src = b"func inner(x) { return 10 / x }\nfunc outer(x) {\n  return inner(x)\n}\nfor i in range(5) { outer(3 - i) }\n";
    let mut rendered = Vec::new();
    for config in ["interp", "jit-spec:threshold=1:osr-threshold=2"] {
        let (mut e, _) = engine(config, MockTier::new(MockKind::Resuming));
        e.load("t.ruff", src).unwrap();
        let err = e.run_main().unwrap_err();
        rendered.push(e.render_error(&err));
    }
    assert_eq!(rendered[0], rendered[1]);
    assert!(rendered[0]
        .ends_with("  at inner (t.ruff:1)\n  at outer (t.ruff:3)\n  at <main> (t.ruff:5)\n"));
}

#[test]
fn call_global_runs_a_function_again() {
    let (mut e, out) = engine("jit-spec:threshold=2", MockTier::new(MockKind::Resuming));
    e.load(
        "t.ruff",
        b"n := 0\nfunc run() { n += 1\n print(n) }\nfunc add(a, b) { return a + b }\nrun()\n",
    )
    .unwrap();
    e.run_main().unwrap();
    assert!(e.has_function("run", 0));
    assert!(!e.has_function("run", 1));
    assert!(!e.has_function("n", 0));
    for _ in 0..3 {
        e.call_global("run", &[]).unwrap();
    }
    assert_eq!(&*out.0.borrow(), b"1\n2\n3\n4\n");
    let v = e
        .call_global("add", &[Value::Int(2), Value::Int(40)])
        .unwrap();
    assert!(matches!(v, Value::Int(42)));
    let err = e.call_global("add", &[Value::Int(1)]).unwrap_err();
    assert!(err
        .message
        .contains("function 'add' expects 2 argument(s), got 1"));
    assert!(e.call_global("missing", &[]).is_err());
}
