//! Runtime errors through the engine API: the full rendered text (position, caret, trace
//! innermost first with the line of each call in progress, truncation after 20 frames), and
//! program output flushed before the error.

mod vm_support;

use ruff_core::{Config, Engine};
use vm_support::Captured;

fn fail(config: &str, src: &str) -> (String, String) {
    let out = Captured::default();
    let mut e = Engine::new(Config::parse(config).unwrap());
    e.set_output(Box::new(out.clone()));
    e.load("e.ruff", src.as_bytes()).unwrap();
    let err = e.run_main().unwrap_err();
    assert_eq!(err.exit_code(), 70);
    let stdout = String::from_utf8(out.0.borrow().clone()).unwrap();
    (stdout, e.render_error(&err))
}

#[test]
fn trace_lists_frames_innermost_first() {
    let src = "struct S { func m(self) {\n return self.x }\n}\nfunc f(s) {\n  print(\"in f\")\n  return s.m()\n}\nf(S {})\n";
    for config in ["interp", "interp-prof"] {
        let (stdout, text) = fail(config, src);
        assert_eq!(stdout, "in f\n");
        assert_eq!(
            text,
            "e.ruff:2:14: runtime error: S has no field or method 'x'\n return self.x }\n             ^\n  at S.m (e.ruff:2)\n  at f (e.ruff:6)\n  at <main> (e.ruff:8)\n"
        );
    }
}

#[test]
fn deep_traces_are_cut_after_twenty_lines() {
    let src = "func d(n) {\n  if n == 0 { return 1 / 0 }\n  return d(n - 1)\n}\nd(30)\n";
    let (_, text) = fail("interp", src);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "e.ruff:2:24: runtime error: division by zero");
    assert_eq!(lines[3], "  at d (e.ruff:2)");
    assert_eq!(lines[4], "  at d (e.ruff:3)");
    assert_eq!(lines.len(), 3 + 20 + 1);
    assert_eq!(lines[23], "  ... 12 more frames");
}

#[test]
fn stack_overflow_points_at_the_call_that_is_one_too_deep() {
    let src =
        "func d(n) { if n == 0 { return 0 } return d(n-1)+1 }\nprint(d(9999))\nprint(d(10000))\n";
    let (stdout, text) = fail("interp", src);
    assert_eq!(stdout, "9999\n");
    assert!(text.starts_with("e.ruff:1:43: runtime error: stack overflow\n"));
    assert!(text.ends_with("  ... 9981 more frames\n"));
}

#[test]
fn errors_inside_builtin_callbacks_and_rebound_range_keep_positions() {
    let src = "range := func(n) { return n / 0 }\nfor i in range(3) { }\n";
    let (_, text) = fail("interp", src);
    assert!(
        text.starts_with("e.ruff:1:29: runtime error: division by zero\n"),
        "{text}"
    );
    assert!(
        text.ends_with("  at <anonymous> (e.ruff:1)\n  at <main> (e.ruff:2)\n"),
        "{text}"
    );
}
