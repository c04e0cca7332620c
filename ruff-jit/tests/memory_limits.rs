//! Running out of memory is the runtime error `out of memory` (exit 70) at the growing
//! operation, never an abort, with the same text under every engine config
//! (docs/LIMITS.md "Memory"): each growth path of strings, arrays and dicts exhausts the
//! `max-memory` knob, and arrays and strings exhaust a real `ulimit -v`.

mod jit_common;

use std::process::Command;

use jit_common::assert_every_config;

/// The limit the programs below exhaust. Each keeps a megabyte or more per iteration, so it
/// is reached in a few steps (or half a million pushes).
const LIMIT: &str = ":max-memory=8M";

/// A linked list that keeps every value built, without any growth path of its own (a struct
/// literal is a fixed-size allocation), so the only operation that can run out is the one
/// under test.
const KEEP: &str = "struct Node { v, next }\nkeep := null\n";

/// `print("before")`, then `body`; the error must be at the first occurrence of `at` in the
/// whole program, after `before` was printed, in every config.
fn exhausts(body: &str, at: &str) {
    let src = format!("print(\"before\")\n{body}\n");
    let offset = src
        .find(at)
        .unwrap_or_else(|| panic!("{at:?} not in {src}"));
    let line = src[..offset].matches('\n').count() + 1;
    let col = offset - src[..offset].rfind('\n').map_or(0, |i| i + 1) + 1;
    let error = format!("test.ruff:{line}:{col}: runtime error: out of memory\n");
    assert_every_config(&src, LIMIT, "before\n", Some(&error));
}

#[test]
fn pushing_to_an_array() {
    exhausts("a := []\nwhile true { push(a, 1) }", "push(a, 1)");
    exhausts("a := []\nwhile true { append(a, \"x\") }", "append(a");
    // In a function: compiled frames push inline while there is room, then in the helper.
    exhausts(
        "func fill(a) {\n  while true { push(a, true) }\n}\nfill([])",
        "push(a, true)",
    );
}

#[test]
fn appending_to_a_string_in_place() {
    exhausts(
        "func grow() {\n  s := \"x\"\n  t := \"y\" * 100000\n  while true { s += t }\n}\ngrow()",
        "+= t",
    );
    exhausts(
        "func grow(s) {\n  while true { s += s }\n}\ngrow(\"ab\")",
        "+= s",
    );
    exhausts(
        "func grow(s) {\n  while true { s = s + s }\n}\ngrow(\"ab\")",
        "+ s }",
    );
}

#[test]
fn concatenating_and_repeating() {
    exhausts("s := \"ab\"\nwhile true { s = s + s }", "+ s }");
    exhausts("a := [1, 2, 3]\nwhile true { a = a + a }", "+ a }");
    exhausts("s := \"ab\" * 100000000", "* 1");
    exhausts("r := range(100000000)", "range(");
}

#[test]
fn inserting_into_a_dict() {
    exhausts(
        "d := {}\ni := 0\nwhile true {\n  d[i] = i\n  i += 1\n}",
        "[i] =",
    );
    exhausts(
        "func fill(d) {\n  i := 0\n  while true {\n    d[i] = \"v\"\n    i += 1\n  }\n}\nfill({})",
        "[i] =",
    );
}

#[test]
fn builtins_that_build_strings() {
    // Every operand is built before the loop, so the call is the loop's only growth.
    let big = "big := \"x\" * 1000000\na := [big, big, big, big, big, big, big, big]\n\
               mixed := big + \"ÉΣ\"\nspaced := \" \" + big + \" \"\n";
    for (call, at) in [
        ("str(a)", "str(a)"),
        ("to_string(a)", "to_string(a)"),
        ("join(a, \",\")", "join("),
        ("\"<${a}>\"", "\"<${"),
        ("replace(big, \"x\", \"yy\")", "replace("),
        ("to_upper(big)", "to_upper("),
        ("to_lower(mixed)", "to_lower("),
        ("trim(spaced)", "trim("),
        ("substring(big, 1, -1)", "substring("),
    ] {
        exhausts(
            &format!("{KEEP}{big}while true {{ keep = Node {{ v: {call}, next: keep }} }}"),
            at,
        );
    }
    // Non-ASCII case mapping goes character by character.
    exhausts(
        &format!(
            "{KEEP}e := \"é\" * 1000000\nwhile true {{ keep = Node {{ v: to_upper(e), next: keep }} }}"
        ),
        "to_upper(",
    );
}

#[test]
fn builtins_that_build_arrays() {
    let setup =
        "big := \"a,\" * 200000\nd := {}\nfor i in range(20000) { d[i] = i }\nn := range(20000)\n";
    for (call, at) in [
        ("split(big, \",\")", "split("),
        ("keys(d)", "keys("),
        ("values(d)", "values("),
        ("sort(n)", "sort("),
        ("range(200000)", "range(200000)"),
    ] {
        exhausts(
            &format!("{KEEP}{setup}while true {{ keep = Node {{ v: {call}, next: keep }} }}"),
            at,
        );
    }
}

#[test]
fn printing_a_line_too_long_for_the_limit() {
    // The buffered output before the failing line is kept.
    exhausts(
        "big := \"x\" * 1000000\na := []\nfor i in range(10) { push(a, big) }\nprint(a)",
        "print(a)",
    );
}

/// Runs the `ruff` binary on `src` under `config`, in a shell that first runs `limit`
/// (e.g. `ulimit -v 1500000`, or nothing).
fn ruff_binary(src: &str, config: &str, limit: &str) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("grow.ruff");
    std::fs::write(&path, src).unwrap();
    let script = format!("{limit}\nexec \"$0\" run \"$1\" --config \"$2\"");
    let out = Command::new("sh")
        .current_dir(dir.path())
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_ruff"))
        .arg("grow.ruff")
        .arg(config)
        .output()
        .expect("run sh");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_binary_exits_70_at_the_max_memory_limit() {
    let src = "print(\"before\")\na := []\nwhile true { push(a, 1) }\n";
    for config in ["interp", "jit-spec:threshold=1:osr-threshold=1"] {
        let (code, stdout, stderr) = ruff_binary(src, &format!("{config}{LIMIT}"), "");
        assert_eq!(code, Some(70), "[{config}] {stderr}");
        assert_eq!(stdout, "before\n", "[{config}]");
        assert!(
            stderr.starts_with("grow.ruff:3:14: runtime error: out of memory\n"),
            "[{config}] {stderr}"
        );
    }
}

/// Under a real address-space limit (no `max-memory`), the system refuses the growth and
/// that is the same error, not "memory allocation failed" and SIGABRT. 1.5 GB leaves the
/// binary (1 GiB engine thread stack, 64 MiB value stack) a few hundred megabytes of heap.
#[test]
fn growing_to_a_real_ulimit_is_a_runtime_error() {
    let ulimit = "ulimit -v 1500000 || exit 99";
    for (src, at) in [
        (
            "print(\"before\")\na := []\nwhile true { push(a, 1) }\n",
            "3:14",
        ),
        (
            "print(\"before\")\nfunc g(s) {\n  while true { s += s }\n}\ng(\"ab\")\n",
            "3:18",
        ),
        (
            "print(\"before\")\ns := \"ab\"\nwhile true { s = s + s }\n",
            "3:20",
        ),
    ] {
        for config in ["interp", "jit-spec:threshold=1:osr-threshold=1"] {
            let (code, stdout, stderr) = ruff_binary(src, config, ulimit);
            assert_eq!(code, Some(70), "[{config}] {src}\n{stderr}");
            assert_eq!(stdout, "before\n", "[{config}]");
            assert!(
                stderr.starts_with(&format!("grow.ruff:{at}: runtime error: out of memory\n")),
                "[{config}] {src}\n{stderr}"
            );
        }
    }
}
