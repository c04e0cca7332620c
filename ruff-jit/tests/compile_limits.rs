//! Limits of the compile tier (docs/LIMITS.md), under every engine config: the 16-bit
//! register space of a function, the size beyond which a function stays interpreted, and the
//! bound on recompiles that keeps programs with many loops or changing types out of compile
//! storms.

mod jit_common;

use std::process::Command;

use jit_common::{assert_every_config, run, EVERY_CONFIG};

/// `func f() { v0 := "s0" ... }` with `n` locals, called from another function (a compiled
/// caller once used to abort the process when `f` did not fit), returning `v0 + v{n-1}`.
fn many_locals(n: usize) -> String {
    let mut src = String::from("func f() {\n");
    for i in 0..n {
        src.push_str(&format!("  v{i} := \"s{i}\"\n"));
    }
    src.push_str(&format!("  return v0 + v{}\n}}\n", n - 1));
    src.push_str("func g() { return f() }\nfor i in 3 { r := g() }\nprint(g())\n");
    src
}

#[test]
fn the_largest_function_runs_in_every_config_and_stays_interpreted() {
    // 65,535 locals, and no temporary beyond them: the largest frame there is.
    let mut src = String::from("func f() {\n");
    for i in 0..65_535 {
        src.push_str(&format!("  v{i} := {i}\n"));
    }
    src.push_str(
        "  return v65534\n}\nfunc g() { return f() }\nfor i in 3 { r := g() }\nprint(g())\n",
    );
    for (config, stats) in assert_every_config(&src, "", "65534\n", None) {
        if config.starts_with("interp") {
            continue;
        }
        // Compiled only once hot, and then rejected by size: never a compile attempt.
        assert!(stats.compile_failures <= 1, "[{config}] {stats:?}");
    }
}

#[test]
fn one_local_too_many_is_a_compile_error_in_every_config() {
    let src = many_locals(65_536);
    let error = "1:1: error: function has 65536 local variables; at most 65535 fit in one function";
    assert_every_config(&src, "", "", Some(error));
}

#[test]
fn too_many_registers_for_temporaries_is_a_compile_error() {
    // 65,535 locals leave no register for the temporary of `v0 + v65534`.
    let src = many_locals(65_535);
    let error = "error: function needs too many registers (at most 65535 locals and temporaries)";
    assert_every_config(&src, "", "", Some(error));
}

#[test]
fn a_function_over_the_size_limits_stays_interpreted() {
    let src = many_locals(1_200);
    let expected = "s0s1199\n";
    // Over the default register limit (1,000): every compiling config counts one failure
    // for `f` and still compiles `g`.
    for (config, stats) in assert_every_config(&src, "", expected, None) {
        if config.starts_with("interp") {
            assert_eq!(stats.compile_failures, 0, "[{config}]");
        } else if config.contains("threshold=1:") || config.contains("threshold=2:") {
            assert_eq!(stats.compile_failures, 1, "[{config}] {stats:?}");
        }
    }
    // Limits raised: `f` compiles.
    let (out, stats) = run(&src, "jit-spec:threshold=1:max-compile-registers=2000");
    assert_eq!(out.stdout, expected);
    assert_eq!(stats.compile_failures, 0, "{stats:?}");
    assert!(stats.functions_compiled >= 2, "{stats:?}");
    // An instruction limit below `g`'s size leaves everything interpreted.
    let (out, stats) = run(&src, "jit:threshold=1:max-compile-instructions=3");
    assert_eq!(out.stdout, expected);
    assert_eq!(stats.functions_compiled, 0, "{stats:?}");
    assert!(stats.compile_failures >= 2, "{stats:?}");
}

#[test]
fn trace_jit_says_why_a_function_stays_interpreted() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.ruff");
    std::fs::write(&file, many_locals(1_200)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ruff"))
        .arg("run")
        .arg(&file)
        .args(["--config", "jit-spec:threshold=1", "--trace-jit", "--stats"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "s0s1199\n");
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("cannot compile f:"))
        .collect();
    assert_eq!(
        lines,
        ["[jit] cannot compile f: too large: 1201 registers (max-compile-registers=1000)"],
        "{stderr}"
    );
    assert!(stderr.contains("\"compile_failures\":1"), "{stderr}");
}

/// `n` top-level loops, each new to the profile when the loop before it is compiled.
fn many_top_level_loops(n: usize) -> String {
    let mut src = String::new();
    for i in 0..n {
        src.push_str(&format!(
            "s{i} := 0\nfor i in range(10) {{ s{i} += i * {i} }}\n"
        ));
    }
    src.push_str(&format!("print(s{})\n", n - 1));
    src
}

#[test]
fn many_top_level_loops_compile_a_bounded_number_of_times() {
    // Each loop used to trap in the code compiled at the loop before it and recompile the
    // whole top level: 300 loops, 300 compiles of 300 loops' code (17 s of CPU).
    let src = many_top_level_loops(300);
    let expected = format!("{}\n", 45 * 299);
    for (config, stats) in assert_every_config(&src, "", &expected, None) {
        let compiles = stats.functions_compiled + stats.loops_compiled;
        // `<main>` compiles at most max-recompiles + 1 = 5 times.
        assert!(compiles <= 5, "[{config}] {compiles} compiles: {stats:?}");
        if config.contains("osr-threshold=1") {
            assert!(compiles >= 1, "[{config}] nothing compiled: {stats:?}");
        }
    }
    let (out, stats) = run(&src, "jit-spec:osr-threshold=1:max-recompiles=1");
    assert_eq!(out.stdout, expected);
    assert_eq!(stats.loops_compiled, 2, "{stats:?}");
}

#[test]
fn changing_types_recompile_a_bounded_number_of_times() {
    // Each new `k` reaches a site that never ran (a trap), and the operands alternate
    // between Int and Str (deopts): without a bound, one recompile per site.
    let mut src = String::from("func f(a, b, k) {\n  s := a\n");
    for i in 0..40 {
        src.push_str(&format!("  if k == {i} {{ s = s + b }}\n"));
    }
    src.push_str("  return s\n}\nt := 0\nfor k in 40 {\n  for j in 30 {\n");
    src.push_str("    x := f(1, 2, k)\n    y := f(\"a\", \"b\", k)\n    t += len(to_string(x)) + len(to_string(y))\n  }\n}\nprint(t)\n");
    let (reference, _) = run(&src, "interp");
    assert_eq!(reference.error, None);
    for config in EVERY_CONFIG {
        let (out, stats) = run(&src, config);
        assert_eq!(out, reference, "[{config}]");
        let compiles = stats.functions_compiled + stats.loops_compiled;
        // `f` and `<main>`: each at most max-recompiles + 1 = 5 compiles.
        assert!(compiles <= 10, "[{config}] {compiles} compiles: {stats:?}");
    }
}

/// `depth` loops nested in one another at top level, one trip each, around `t = t + 1`.
fn nested_one_trip_loops(depth: usize) -> String {
    let mut src = String::from("t := 0\n");
    for i in 0..depth {
        src.push_str(&format!("for i{i} in range(1) {{\n"));
    }
    src.push_str("t = t + 1\n");
    src.push_str(&"}\n".repeat(depth));
    src.push_str("print(t)\n");
    src
}

#[test]
fn deep_loop_nests_get_a_bounded_number_of_osr_entries() {
    // Every header of a 75-deep nest keeps the counters of the loops around it unboxed; an
    // OSR entry at each of them checked them all (75 x 75 guards, 536 KB of code, 1.2 s to
    // compile). The entries now share a guard budget: the header that asked for the compile
    // always gets one, and the guards stay within a small multiple of the budget.
    let src = nested_one_trip_loops(75);
    for (config, stats) in assert_every_config(&src, "", "1\n", None) {
        assert!(stats.guards_emitted <= 1024 + 400, "[{config}] {stats:?}");
    }
    let (out, stats) = run(&src, "jit-spec:osr-threshold=1");
    assert_eq!(out.stdout, "1\n");
    assert_eq!(
        (stats.loops_compiled, stats.osr_entries),
        (1, 1),
        "{stats:?}"
    );
    assert!(stats.guards_emitted <= 1024 + 400, "{stats:?}");
    assert!(stats.guards_emitted > 0, "{stats:?}");
}
