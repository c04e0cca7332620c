//! Tests of the `ruff` binary: exit codes (0/64/65/70), where output goes (program output on
//! stdout, errors, `--stats` JSON and bench records elsewhere) and the `ruff bench` protocol.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn ruff(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ruff"))
        .args(args)
        .output()
        .expect("run ruff")
}

fn program(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn runs_a_program_under_every_preset() {
    let dir = tempfile::tempdir().unwrap();
    let p = program(
        dir.path(),
        "ok.ruff",
        "func f(n) { s := 0\n for i in range(n) { s += i }\n return s }\nfor k in range(300) { f(50) }\nprint(f(100))\n",
    );
    for config in [
        "interp",
        "interp-prof",
        "jit",
        "jit-spec",
        "jit-spec-hoist:threshold=1",
    ] {
        let out = ruff(&["run", p.to_str().unwrap(), "--config", config]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{config}: {}",
            text(&out.stderr)
        );
        assert_eq!(text(&out.stdout), "4950\n", "{config}");
    }
}

#[test]
fn trace_jit_prints_one_line_per_compile() {
    let dir = tempfile::tempdir().unwrap();
    let p = program(
        dir.path(),
        "hot.ruff",
        "func f(n) { return n + 1 }\ns := 0\nfor k in range(50) { s := f(s) }\nprint(s)\n",
    );
    for (config, kind) in [
        ("jit:threshold=10", "baseline"),
        ("jit-spec:threshold=10", "specialized"),
        ("jit-spec-hoist:threshold=10", "specialized+hoisted"),
    ] {
        let out = ruff(&[
            "run",
            p.to_str().unwrap(),
            "--config",
            config,
            "--trace-jit",
        ]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{config}: {stderr}");
        assert_eq!(text(&out.stdout), "50\n", "{config}");
        // `f` compiles once (threshold), `<main>` once (its loop, by OSR at the default
        // threshold it never reaches here): exactly one line names `f`.
        let about_f: Vec<&str> = stderr.lines().filter(|l| l.contains(" f ")).collect();
        assert_eq!(about_f.len(), 1, "{config}: {stderr}");
        let prefix = format!("[jit] compiled f (Call, {kind}): ");
        assert!(about_f[0].starts_with(&prefix), "{config}: {stderr}");
        assert!(
            about_f[0].contains(" instructions -> "),
            "{config}: {stderr}"
        );
    }
    let out = ruff(&[
        "run",
        p.to_str().unwrap(),
        "--config",
        "interp",
        "--trace-jit",
    ]);
    assert_eq!(
        text(&out.stderr),
        "",
        "an interpreter preset compiles nothing"
    );
}

#[test]
fn usage_errors_exit_64() {
    let dir = tempfile::tempdir().unwrap();
    let p = program(dir.path(), "ok.ruff", "print(1)\n");
    let missing = ruff(&["run", "/no/such/file.ruff"]);
    assert_eq!(missing.status.code(), Some(64));
    assert!(text(&missing.stderr).contains("ruff: cannot read '/no/such/file.ruff'"));

    let config = ruff(&["run", p.to_str().unwrap(), "--config", "fast"]);
    assert_eq!(config.status.code(), Some(64));
    assert!(text(&config.stderr).contains("unknown config 'fast'"));

    let flag = ruff(&["run", p.to_str().unwrap(), "--frobnicate"]);
    assert_eq!(flag.status.code(), Some(64));

    let no_command = ruff(&[]);
    assert_eq!(no_command.status.code(), Some(64));
}

#[test]
fn compile_errors_exit_65_and_print_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = program(dir.path(), "bad.ruff", "print(1)\nx := (1 +\n");
    let out = ruff(&["run", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(65));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains(": error: "));
}

#[test]
fn runtime_errors_exit_70_after_flushing_output() {
    let dir = tempfile::tempdir().unwrap();
    let p = program(
        dir.path(),
        "boom.ruff",
        "func f(x) { return x / 0 }\nprint(\"before\")\nf(1)\n",
    );
    let path = p.to_str().unwrap();
    let out = ruff(&["run", path, "--config", "interp"]);
    assert_eq!(out.status.code(), Some(70));
    assert_eq!(text(&out.stdout), "before\n");
    let err = text(&out.stderr);
    assert!(err.starts_with(&format!("{path}:1:22: runtime error: division by zero\n")));
    assert!(err.contains(&format!("  at f ({path}:1)\n  at <main> ({path}:3)\n")));
}

#[test]
fn deep_recursion_works_to_the_depth_limit() {
    let dir = tempfile::tempdir().unwrap();
    let ok = program(
        dir.path(),
        "deep.ruff",
        "func d(n) { if n == 0 { return 0 } return d(n-1)+1 }\nprint(d(9999))\n",
    );
    let over = program(
        dir.path(),
        "over.ruff",
        "func d(n) { if n == 0 { return 0 } return d(n-1)+1 }\nprint(d(10000))\n",
    );
    for config in ["interp", "jit-spec", "jit:threshold=1"] {
        let out = ruff(&["run", ok.to_str().unwrap(), "--config", config]);
        assert_eq!(
            text(&out.stdout),
            "9999\n",
            "{config}: {}",
            text(&out.stderr)
        );
        let out = ruff(&["run", over.to_str().unwrap(), "--config", config]);
        assert_eq!(out.status.code(), Some(70), "{config}");
        assert!(text(&out.stderr).contains("runtime error: stack overflow"));
    }
}

#[test]
fn stats_go_to_stderr_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let p = program(dir.path(), "s.ruff", "print(\"hi\")\n");
    let out = ruff(&["run", p.to_str().unwrap(), "--stats"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "hi\n");
    let err = text(&out.stderr);
    let line = err.lines().last().unwrap();
    assert!(line.starts_with("{\"functions_compiled\":"), "{err}");
    assert!(line.contains("\"deopts\":") && line.ends_with('}'));
}

#[test]
fn bench_writes_one_record_per_iteration() {
    let dir = tempfile::tempdir().unwrap();
    let p = program(
        dir.path(),
        "b.ruff",
        "func run() { s := 0\n for i in range(100) { s += i }\n print(s) }\nrun()\n",
    );
    let records = dir.path().join("records.jsonl");
    let out = ruff(&[
        "bench",
        p.to_str().unwrap(),
        "--config",
        "jit-spec",
        "--iterations",
        "4",
        "--records",
        records.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "4950\n".repeat(4));
    let lines: Vec<String> = std::fs::read_to_string(&records)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(lines.len(), 4);
    for (i, line) in lines.iter().enumerate() {
        assert!(
            line.starts_with(&format!("{{\"iteration\":{i},\"wall_ns\":")),
            "{line}"
        );
        assert!(line.contains("\"stdout_bytes\":5,"), "{line}");
        assert!(line.contains("\"compiled_calls\":"), "{line}");
    }
}

#[test]
fn bench_without_run_has_one_iteration_and_records_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let p = program(dir.path(), "once.ruff", "print(42)\n");
    let out = ruff(&[
        "bench",
        p.to_str().unwrap(),
        "--config",
        "interp",
        "--iterations",
        "3",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "42\n");
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("{\"iteration\":0,"));
}

#[test]
fn bench_runtime_error_exits_70() {
    let dir = tempfile::tempdir().unwrap();
    let p = program(
        dir.path(),
        "fail.ruff",
        "n := 0\nfunc run() { n += 1\n if n == 2 { x := [][1] } print(n) }\nrun()\n",
    );
    let records = dir.path().join("r.jsonl");
    let out = ruff(&[
        "bench",
        p.to_str().unwrap(),
        "--config",
        "interp-prof",
        "--iterations",
        "5",
        "--records",
        records.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(70));
    assert_eq!(text(&out.stdout), "1\n");
    assert!(text(&out.stderr).contains("runtime error: index 1 out of range"));
    assert_eq!(
        std::fs::read_to_string(&records).unwrap().lines().count(),
        1
    );
}
