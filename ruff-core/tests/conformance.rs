//! Runs every program of the repository's `conformance/` (a copy of the shared set) and of
//! `tests/golden` through the
//! engine API under `interp` and `interp-prof`: stdout byte-exact against `NAME.out`, the exit
//! code against `NAME.exit` (default 0), and `NAME.stderr` contained in the rendered error.
//!
//! The same programs also run under `jit-spec` with two mock compile tiers (see
//! `vm_support/mod.rs`) that compile everything at once: one whose code finishes every frame
//! in the interpreter (`resume_in_interpreter`), one whose code deoptimizes at once. Both
//! must be invisible to the program: same output, same errors, same traces.
//!
//! Every program that compiles also passes the bytecode verifier (`bytecode::verify`).

mod vm_support;

use std::cell::RefCell;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use ruff_core::{Config, Engine};

/// The repository's copy of the conformance set.
const CONFORMANCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../conformance");
/// The agreed set beside the checkout (`../shared/conformance` from the repository root), which
/// CI has and a clone may not.
const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/conformance");
const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden");

/// A writer the test can read back after the engine has written to it.
#[derive(Clone, Default)]
struct Captured(Rc<RefCell<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs `file` under `config`: (stdout, exit code, stderr text).
fn run(file: &Path, config: &str) -> (Vec<u8>, i32, String) {
    let source = std::fs::read(file).expect("read program");
    let out = Captured::default();
    let config = Config::parse(config).expect("config");
    let mut engine = match vm_support::mock_kind(&config) {
        Some(kind) => Engine::with_tier(config, Box::new(vm_support::MockTier::new(kind))),
        None => Engine::new(config),
    };
    engine.set_output(Box::new(out.clone()));
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    let result = engine.load(&name, &source).and_then(|_| engine.run_main());
    let (code, stderr) = match result {
        Ok(()) => (0, String::new()),
        Err(e) => (e.exit_code(), engine.render_error(&e)),
    };
    let stdout = out.0.borrow().clone();
    (stdout, code, stderr)
}

fn programs(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {dir}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ruff"))
        .collect();
    files.sort();
    files
}

/// Checks every program of `dir` under both interpreter configs; panics with all failures.
fn check_dir(dir: &str, configs: &[&str]) {
    let mut failures = Vec::new();
    let files = programs(dir);
    assert!(!files.is_empty(), "no programs in {dir}");
    for file in &files {
        // The program the engine is about to run passes the bytecode verifier.
        let source = std::fs::read(file).expect("read program");
        if let Ok(program) = ruff_core::compile(&source) {
            if let Err(e) = ruff_core::bytecode::verify(&program) {
                failures.push(format!("{}: {e}", file.display()));
            }
        }
        let expected_out = std::fs::read(file.with_extension("out")).unwrap_or_default();
        let expected_exit: i32 = std::fs::read_to_string(file.with_extension("exit"))
            .map(|s| s.trim().parse().expect("exit code"))
            .unwrap_or(0);
        let expected_err = std::fs::read_to_string(file.with_extension("stderr")).ok();
        for &config in configs {
            // A deep program may need more native stack than a test thread has by default.
            let f = file.clone();
            let c = config.to_string();
            let (stdout, code, stderr) = std::thread::Builder::new()
                .stack_size(256 << 20)
                .spawn(move || run(&f, &c))
                .unwrap()
                .join()
                .unwrap_or_else(|_| (Vec::new(), -1, "panicked".into()));
            let name = format!("{} [{config}]", file.display());
            if stdout != expected_out {
                failures.push(format!(
                    "{name}: stdout differs\n--- expected\n{}--- got\n{}",
                    String::from_utf8_lossy(&expected_out),
                    String::from_utf8_lossy(&stdout)
                ));
            }
            if code != expected_exit {
                failures.push(format!(
                    "{name}: exit {code}, expected {expected_exit}\n{stderr}"
                ));
            }
            if let Some(want) = &expected_err {
                let want = want.trim_end_matches('\n');
                if !stderr.contains(want) {
                    failures.push(format!("{name}: stderr lacks {want:?}\n{stderr}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

const INTERP: &[&str] = &["interp", "interp-prof"];
const MOCKED: &[&str] = &[vm_support::RESUMING, vm_support::DEOPTING];

#[test]
fn conformance_programs() {
    check_dir(CONFORMANCE, INTERP);
}

#[test]
fn golden_programs() {
    check_dir(GOLDEN, INTERP);
}

#[test]
fn conformance_programs_through_compiled_code() {
    check_dir(CONFORMANCE, MOCKED);
}

/// Every file of `dir` but its README, by name.
fn contract_files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

/// The copy cannot drift from the agreed set: where `../shared/conformance` exists (CI has it
/// beside the checkout; `RUFF_SHARED_CONFORMANCE` names another place), both hold the same
/// files with the same bytes. A clone with nothing beside it checks only that the copy is
/// complete.
#[test]
fn conformance_copy_matches_shared() {
    let copy = contract_files(Path::new(CONFORMANCE));
    assert!(
        copy.keys().filter(|n| n.ends_with(".ruff")).count() >= 15,
        "the conformance copy is incomplete: {:?}",
        copy.keys().collect::<Vec<_>>()
    );
    for name in copy.keys().filter(|n| n.ends_with(".ruff")) {
        let stem = name.trim_end_matches(".ruff");
        assert!(
            copy.contains_key(&format!("{stem}.out")),
            "{name} has no {stem}.out"
        );
    }
    // A checkout elsewhere (a git worktree) names the shared set's place explicitly.
    let shared = std::env::var("RUFF_SHARED_CONFORMANCE").unwrap_or_else(|_| SHARED.to_string());
    if !Path::new(&shared).is_dir() {
        eprintln!("note: {shared} does not exist; the copy was not compared");
        return;
    }
    let agreed = contract_files(Path::new(&shared));
    let mut problems = Vec::new();
    for (name, bytes) in &agreed {
        match copy.get(name) {
            None => problems.push(format!("{name}: missing from conformance/")),
            Some(b) if b != bytes => problems.push(format!("{name}: differs from the shared set")),
            Some(_) => {}
        }
    }
    for name in copy.keys().filter(|n| !agreed.contains_key(*n)) {
        problems.push(format!("{name}: not in the shared set"));
    }
    assert!(
        problems.is_empty(),
        "conformance/ drifted from {shared} (refresh it as conformance/README.md says):\n{}",
        problems.join("\n")
    );
}

#[test]
fn golden_programs_through_compiled_code() {
    check_dir(GOLDEN, MOCKED);
}
