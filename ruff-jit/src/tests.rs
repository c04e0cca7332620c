//! Fault injection (compiled only into this crate's unit tests): a panic inside the compiler
//! or inside a runtime helper must never abort the process. A compiler panic leaves the
//! function interpreted, counted as a compile failure and never retried, with the program's
//! output unchanged; a helper panic becomes a runtime error.
//!
//! The hooks fire for functions with the probe names: `translate::translate` panics when
//! asked to compile `PANIC_PROBE`, and the core's guarded runtime helpers panic on a call
//! from compiled code of `abi::helpers::HELPER_PANIC_PROBE` (the core's `fault-injection`
//! feature, which only this crate's test builds enable). Neither exists in the `ruff` binary.

#[path = "../tests/jit_common/mod.rs"]
mod jit_common;

/// Compiling a function of this name panics.
pub(crate) const PANIC_PROBE: &str = "compiler_panic_probe";

const COMPILER_PROBE_PROGRAM: &str = "
func compiler_panic_probe(n) {
    s := 0
    for i in range(n) { s += i * 2 }
    return s
}
total := 0
for k in 300 { total += compiler_panic_probe(k) }
print(total, compiler_panic_probe(10))
";

#[test]
fn a_compiler_panic_leaves_the_function_interpreted_with_the_right_output() {
    // sum over k < 300 of k(k-1) = 8,910,200; compiler_panic_probe(10) = 90.
    let stats = jit_common::assert_every_config(COMPILER_PROBE_PROGRAM, "", "8910200 90\n", None);
    for (config, s) in stats {
        if config.starts_with("interp") {
            assert_eq!(s.compile_failures, 0, "[{config}]");
            continue;
        }
        // One failure: the probe, never retried though it is called 301 times and loops.
        assert_eq!(s.compile_failures, 1, "[{config}] {s:?}");
    }
}

#[test]
fn a_helper_panic_is_a_runtime_error_not_an_abort() {
    let src = "
func helper_panic_probe(s) { return len(s) }
n := 0
for k in 300 { n += helper_panic_probe(\"abc\") }
print(n)
";
    assert!(src.contains(ruff_core::abi::helpers::HELPER_PANIC_PROBE));
    for config in jit_common::EVERY_CONFIG {
        let (got, _) = jit_common::run(src, config);
        if config.starts_with("interp") {
            assert_eq!(got.stdout, "900\n", "[{config}]");
            assert_eq!(got.error, None, "[{config}]");
            continue;
        }
        // Compiled code called `len` through the guarded call helper.
        let error = got.error.unwrap_or_default();
        assert!(
            error.contains("runtime error: internal error: injected helper panic"),
            "[{config}] {error}"
        );
        assert!(
            error.contains("at helper_panic_probe"),
            "[{config}] {error}"
        );
    }
}
