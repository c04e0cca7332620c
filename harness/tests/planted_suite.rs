//! Planted expectations of a manifest (`expected_class`, `expected_warmup`) checked by
//! `harness run`: a mismatch is printed and the run exits 1 (with the fake `ruff`, whose
//! iteration times are a flat 1000 + i ns); and suites/validation's planted programs under
//! instruction counts (callgrind; valgrind is a CI dependency) get their classes and warm-up
//! lengths right. The full suite runs in .ci/run; here three of its benchmarks, to stay quick.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "fake_ruff/mod.rs"]
mod fake_ruff;

fn harness(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_harness"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("harness runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn a_missed_expectation_fails_the_run_and_a_met_one_does_not() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    fake_ruff::install(d);
    std::fs::create_dir(d.join("s")).unwrap();
    std::fs::write(d.join("s/ok.ruff"), "ok").unwrap();
    let manifest = |class: &str| {
        format!(
            "[suite]\nname = \"s\"\ninvocations = 2\niterations = 8\nconfigs = [\"interp\"]\n\
             [[benchmark]]\nname = \"ok\"\nfile = \"ok.ruff\"\nresult = \"42\"\nexpected_class = \"{class}\"\n"
        )
    };
    std::fs::write(d.join("s/suite.toml"), manifest("flat")).unwrap();
    let o = harness(&["run", "s", "--ruff", "ruff", "--out", "out"], d);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o)
            .contains("expectations: 1 benchmark x config pair(s) checked, 0 invocation(s) missed"),
        "{}",
        text(&o)
    );

    std::fs::write(d.join("s/suite.toml"), manifest("periodic")).unwrap();
    let o = harness(&["run", "s", "--ruff", "ruff", "--out", "out"], d);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("expectation not met: s/ok interp #0: expected periodic, got flat"),
        "{}",
        text(&o)
    );
}

#[test]
fn planted_programs_get_their_class_under_instruction_counts() {
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_harness"));
    let ruff = exe.parent().unwrap().join("ruff");
    assert!(
        ruff.is_file(),
        "no ruff next to {}: `cargo test --workspace` builds it",
        exe.display()
    );
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = harness(
        &[
            "run",
            "suites/validation",
            "--measure",
            "instructions",
            "-n",
            "1",
            "--seed",
            "1",
            "--bench",
            "alternating,warmup_3,warmup_8_in_10",
            "--ruff",
            ruff.to_str().unwrap(),
            "--out",
            out.path().to_str().unwrap(),
        ],
        repo,
    );
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(
        t.contains("expectations: 3 benchmark x config pair(s) checked, 0 invocation(s) missed"),
        "{t}"
    );
    assert!(t.contains("periodic p2") && t.contains("too short"), "{t}");
}
