//! Deeply nested and very long programs (issue 14, items 1 and 5; docs/LIMITS.md "Nesting
//! and chains"): 10,000 levels of every kind of nesting and flat chains of 100,000 links
//! lex, parse, compile and run with the same output under every engine config, on a thread
//! with an ordinary 2 MiB stack (the front end grows its own); beyond `MAX_NESTING` levels
//! the error is a compile error with a position, never a crash.

mod jit_common;

use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;

use jit_common::EVERY_CONFIG;
use ruff_core::parser::MAX_NESTING;
use ruff_core::{Config, Engine};
use ruff_jit::{new_tier, JitOptions};

/// Levels of nesting every kind of construct must reach.
const DEEP: usize = 10_000;
/// Links of the flat chains.
const LONG: usize = 100_000;

struct Sink(Rc<RefCell<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The stack of the threads that run the programs: an ordinary thread's 2 MiB, since the
/// front end must not depend on the 1 GiB stack of the `ruff` binary's engine thread.
const SMALL_STACK: usize = 2 << 20;
/// The `ruff` binary's stack, for programs whose Ruff calls nest thousands deep at run time
/// (the interpreter uses native stack per Ruff call; that limit is `stack overflow`).
const ENGINE_STACK: usize = 1 << 30;

/// Stdout, rendered error and exit code of `src` under `config`, on a thread with a
/// `SMALL_STACK`.
fn run(src: &str, config: &str) -> (String, Option<String>, i32) {
    run_with_stack(src, config, SMALL_STACK)
}

fn run_with_stack(src: &str, config: &str, stack: usize) -> (String, Option<String>, i32) {
    let (src, config) = (src.to_string(), config.to_string());
    std::thread::Builder::new()
        .stack_size(stack)
        .spawn(move || {
            let config = Config::parse(&config).expect("config");
            let tier = new_tier(&config, JitOptions::default());
            let mut engine = Engine::with_tier(config, tier);
            let buf = Rc::new(RefCell::new(Vec::new()));
            engine.set_output(Box::new(Sink(buf.clone())));
            let result = engine
                .load("deep.ruff", src.as_bytes())
                .and_then(|()| engine.run_main());
            let (error, code) = match result {
                Ok(()) => (None, 0),
                Err(e) => (Some(engine.render_error(&e)), e.exit_code()),
            };
            let stdout = String::from_utf8_lossy(&buf.borrow()).into_owned();
            (stdout, error, code)
        })
        .expect("spawn")
        .join()
        .expect("the engine panicked")
}

/// `src` prints `expected` and ends cleanly under every config.
fn runs_everywhere(what: &str, src: &str, expected: &str) {
    runs_everywhere_with_stack(what, src, expected, SMALL_STACK);
}

fn runs_everywhere_with_stack(what: &str, src: &str, expected: &str, stack: usize) {
    let mut failures = Vec::new();
    for config in EVERY_CONFIG {
        let (stdout, error, _) = run_with_stack(src, config, stack);
        if let Some(e) = error {
            let head: String = e
                .lines()
                .next()
                .unwrap_or_default()
                .chars()
                .take(300)
                .collect();
            failures.push(format!("[{config}] {what}: error {head}"));
        } else if stdout != expected {
            let shown: String = stdout.chars().take(200).collect();
            failures.push(format!("[{config}] {what}: printed {shown:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `src` fails to compile under every config with `message` at `line:col` (or a prefix of
/// it, such as `4:`), exit 65.
fn compile_error_everywhere(what: &str, src: &str, line_col: &str, message: &str) {
    compile_error_in(EVERY_CONFIG, what, src, line_col, message);
}

/// A compile error comes from the front end, before any tier exists: for the slowest of
/// these programs two configs (an interpreter and the most eager JIT) are enough to show it.
const FRONT_END_CONFIGS: &[&str] = &["interp", "jit-spec:threshold=1:osr-threshold=1"];

fn compile_error_in(configs: &[&str], what: &str, src: &str, line_col: &str, message: &str) {
    for config in configs {
        let (stdout, error, code) = run(src, config);
        let error = error.unwrap_or_else(|| panic!("[{config}] {what}: no error"));
        let head = error.lines().next().unwrap_or_default();
        let position = format!("deep.ruff:{line_col}");
        let text = format!(": error: {message}");
        assert!(
            head.starts_with(&position) && head.contains(&text),
            "[{config}] {what}: {head}"
        );
        assert_eq!(code, 65, "[{config}] {what}");
        assert!(stdout.is_empty(), "[{config}] {what}");
    }
}

fn nest(open: &str, middle: &str, close: &str, levels: usize) -> String {
    format!("{}{middle}{}", open.repeat(levels), close.repeat(levels))
}

#[test]
fn deeply_nested_expressions_run_in_every_config() {
    let n = DEEP;
    // Each program computes its value in a function called three times (hot under the JIT
    // configs with threshold 1) and at top level.
    let in_function = |expr: &str, show: &str| {
        format!(
            "func f(one) {{\n return {expr}\n}}\nfor i in range(3) {{ print({}) }}\none := 1\nx := {expr}\nprint({})\n",
            show.replace("EXPR", "f(1)"),
            show.replace("EXPR", "x"),
        )
    };
    let cases: Vec<(&str, String, String)> = vec![
        (
            "parentheses",
            in_function(&nest("(", "one", ")", n), "EXPR"),
            "1\n".repeat(4),
        ),
        (
            "right-nested sums",
            in_function(&nest("one + (", "one", ")", n), "EXPR"),
            format!("{}\n", n + 1).repeat(4),
        ),
        (
            "unary minus",
            in_function(&nest("- ", "one", "", n + 1), "EXPR"),
            "-1\n".repeat(4),
        ),
        (
            "not and !",
            in_function(&nest("not !", "(one == 1)", "", n / 2), "EXPR"),
            "true\n".repeat(4),
        ),
        (
            "nested calls",
            format!(
                "func id(v) {{ return v }}\n{}",
                in_function(&nest("id(", "one", ")", n), "EXPR")
            ),
            "1\n".repeat(4),
        ),
        (
            "nested array literals",
            in_function(&nest("[", "one", "]", n), "len(to_string(EXPR))"),
            format!("{}\n", 2 * n + 1).repeat(4),
        ),
        (
            "nested dict literals",
            in_function(&nest("{\"k\": ", "one", "}", n), "len(EXPR)"),
            "1\n".repeat(4),
        ),
        (
            "nested indexes",
            format!(
                "a := [0, 1]\n{}",
                in_function(&nest("a[", "one", "]", n), "EXPR")
            ),
            "1\n".repeat(4),
        ),
        (
            "nested interpolations",
            in_function(&nest("\"${", "one", "}\"", n), "EXPR"),
            "1\n".repeat(4),
        ),
    ];
    for (what, src, expected) in cases {
        runs_everywhere(what, &src, &expected);
    }
    // The whole nested array prints too.
    let src = format!("print({})\n", nest("[", "1", "]", n));
    runs_everywhere(
        "printed array",
        &src,
        &format!("{}\n", nest("[", "1", "]", n)),
    );
}

#[test]
fn deeply_nested_blocks_run_in_every_config() {
    let n = DEEP;
    let ifs = format!(
        "c := 1\nx := 0\n{}print(x)\n",
        nest("if c > 0 {\nx += 1\n", "", "}\n", n)
    );
    runs_everywhere("if blocks", &ifs, &format!("{n}\n"));
    let whiles = format!(
        "x := 0\n{}print(x)\n",
        nest("while true {\nx += 1\n", "", "break\n}\n", n)
    );
    runs_everywhere("while blocks", &whiles, &format!("{n}\n"));
    let elses = format!(
        "c := 0\nx := 0\n{}print(x)\n",
        nest("if c > 0 {\n} else {\nx += 1\n", "", "}\n", n)
    );
    runs_everywhere("else blocks", &elses, &format!("{n}\n"));
    let for_loops = format!(
        "x := 0\n{}print(x)\n",
        nest("for i in range(1) {\nx += 1\n", "", "}\n", n)
    );
    runs_everywhere("for blocks", &for_loops, &format!("{n}\n"));
    // 10,000 nested function definitions; the innermost reads a local of the outermost
    // (an upvalue threaded through every level) and the calls go 500 deep (each call is
    // compiled under the threshold-1 configs; the call depth limit is 10,000 frames).
    let defined = 500;
    let mut src = String::from("func f0() {\n x := 7\n");
    for i in 1..n {
        src.push_str(&format!("func f{i}() {{\n"));
    }
    src.push_str("return x\n");
    for i in (1..n).rev() {
        if i < defined {
            src.push_str(&format!("}}\nreturn f{i}()\n"));
        } else {
            src.push_str(&format!("}}\nreturn {i}\n"));
        }
    }
    src.push_str("}\nprint(f0())\n");
    runs_everywhere_with_stack(
        "nested functions",
        &src,
        &format!("{defined}\n"),
        ENGINE_STACK,
    );
    // Compiling them needs no big stack: only running many nested calls does.
    let (_, error, _) = run(&src.replace("print(f0())", "print(f0)"), "interp");
    assert_eq!(error, None);
    // Function literals nested in expressions.
    let literals = format!(
        "f := {}\nprint(f)\n",
        nest("func() { return ", "1", " }", n)
    );
    runs_everywhere("function literals", &literals, "<func anonymous>\n");
}

#[test]
fn long_flat_chains_are_not_nesting() {
    let n = LONG;
    let sum = format!("x := 1{}\nprint(x)\n", " + 1".repeat(n - 1));
    runs_everywhere("sum chain", &sum, &format!("{n}\n"));
    let mixed = format!("x := 0{}\nprint(x)\n", " + 3 - 1 * 3".repeat(n / 3));
    runs_everywhere("mixed chain", &mixed, "0\n");
    let in_function = format!(
        "func f(v) {{ return v{} }}\nfor i in range(3) {{ print(f(1)) }}\n",
        " + v".repeat(n - 1)
    );
    runs_everywhere(
        "sum chain in a hot function",
        &in_function,
        &format!("{n}\n").repeat(3),
    );
    let strings = format!("s := \"a\"{}\nprint(len(s))\n", " + \"a\"".repeat(n - 1));
    runs_everywhere("string chain", &strings, &format!("{n}\n"));
    let ands = format!("t := 1\nprint(t > 0{})\n", " and t > 0".repeat(n - 1));
    runs_everywhere("and chain", &ands, "true\n");
    let ors = format!(
        "t := 1\nprint(t < 0{} or t > 0)\n",
        " || t < 0".repeat(n - 2)
    );
    runs_everywhere("or chain", &ors, "true\n");
    let condition = format!(
        "t := 1\nif t > 0{} {{ print(\"yes\") }}\nwhile t > 0{} {{ t = 0 }}\nprint(t)\n",
        " && t > 0".repeat(n - 1),
        " and t < 2".repeat(n - 1)
    );
    runs_everywhere("condition chains", &condition, "yes\n0\n");
    let fields = format!(
        "struct Node {{ next, v }}\nn := Node {{ next: null, v: 0 }}\nfor i in range({n}) {{ n = Node {{ next: n, v: i + 1 }} }}\nprint(n{}.v)\n",
        ".next".repeat(n - 1)
    );
    runs_everywhere("field chain", &fields, "1\n");
    let indexes = format!(
        "a := 5\nfor i in range({n}) {{ a = [a] }}\nprint(a{})\na{} = 6\nprint(a{})\n",
        "[0]".repeat(n),
        "[0]".repeat(n),
        "[0]".repeat(n)
    );
    runs_everywhere("index chain", &indexes, "5\n6\n");
    let calls = format!(
        "func f(v) {{ return f }}\nprint(f(1){})\n",
        "(1)".repeat(n - 1)
    );
    runs_everywhere("call chain", &calls, "<func f>\n");
    // A method call keeps its receiver in a register while the chain before it runs, so a
    // chain of method calls needs one register per link: 60,000 links fit in the 65,535
    // registers of a function; more are the documented `too many registers` error.
    let methods = |links: usize| {
        format!(
            "struct C {{ v\n func me(self) {{ return self }} }}\nc := C {{ v: 3 }}\nprint(c{}.v)\n",
            ".me()".repeat(links)
        )
    };
    runs_everywhere("method chain", &methods(60_000), "3\n");
    compile_error_in(
        FRONT_END_CONFIGS,
        "method chain past the registers",
        &methods(70_000),
        "4:",
        "function needs too many registers (at most 65535 locals and temporaries)",
    );
    // An `else if` ladder counts as nesting (it is an `if` inside an `else`), and 10,000
    // rungs work.
    let mut ladder = String::from("x := 9999\nif x == 0 { print(0) }");
    for i in 1..DEEP {
        ladder.push_str(&format!(" else if x == {i} {{ print({i}) }}"));
    }
    ladder.push('\n');
    runs_everywhere("else-if ladder", &ladder, "9999\n");
}

#[test]
fn chained_comparisons_stay_an_error() {
    let src = format!("x := 1{}\n", " < 2".repeat(LONG));
    compile_error_everywhere(
        "comparison chain",
        &src,
        "1:12",
        "comparison operators cannot be chained",
    );
}

#[test]
fn nesting_beyond_the_limit_is_a_compile_error_with_a_position() {
    let limit = MAX_NESTING;
    assert_eq!(limit, 100_000, "docs/LIMITS.md states the limit");
    let message = "code is nested too deeply (more than 100000 levels)";
    // Parentheses: the one past the limit is reported, at line 1.
    let parens = format!("x := {}\n", nest("(", "1", ")", limit + 1));
    compile_error_in(
        FRONT_END_CONFIGS,
        "parentheses",
        &parens,
        &format!("1:{}", 6 + limit),
        message,
    );
    let minus = format!("x := {}1\n", "-".repeat(limit + 5));
    compile_error_in(
        FRONT_END_CONFIGS,
        "unary minus",
        &minus,
        &format!("1:{}", 6 + limit),
        message,
    );
    // Blocks: at the `{` of line 100,001.
    let blocks = format!("{}\n", nest("if true {\n", "", "}\n", limit + 1));
    compile_error_in(
        FRONT_END_CONFIGS,
        "blocks",
        &blocks,
        &format!("{}:9", limit + 1),
        message,
    );
    // Interpolations: at the `$` of the one past the limit.
    let strings = format!("x := {}\n", nest("\"${", "1", "}\"", limit + 1));
    compile_error_in(
        FRONT_END_CONFIGS,
        "interpolations",
        &strings,
        &format!("1:{}", 7 + 3 * limit),
        message,
    );
    // Exactly at the limit a program still compiles and runs.
    let at_limit = format!("x := {}\nprint(x)\n", nest("(", "1", ")", limit));
    let (stdout, error, _) = run(&at_limit, "interp");
    assert_eq!(error, None);
    assert_eq!(stdout, "1\n");
    // Far past the limit, unclosed: still the same error, quickly.
    let hostile = "[".repeat(4_000_000);
    compile_error_in(
        FRONT_END_CONFIGS,
        "4M open brackets",
        &hostile,
        &format!("1:{}", limit + 1),
        message,
    );
}

#[test]
fn a_deep_expression_compiled_by_the_jit_gives_the_same_output() {
    // Raised compile-size knobs make the JIT really compile the deep function.
    let src = format!(
        "func f(one) {{\n return {}\n}}\nfor i in range(5) {{ print(f(i)) }}\n",
        nest("one + (", "one", ")", 2_000)
    );
    let expected: String = (0..5).map(|i| format!("{}\n", 2_001 * i)).collect();
    let (interp, _) = jit_common::run(&src, "interp");
    assert_eq!(interp.stdout, expected);
    let config = "jit-spec:threshold=1:max-compile-instructions=100000:max-compile-registers=65535";
    let (jit, stats) = jit_common::run(&src, config);
    assert_eq!(jit, interp);
    assert!(stats.functions_compiled >= 1, "{stats:?}");
}
