//! Differential tests: every engine configuration must behave exactly like the interpreter.
//!
//! LANGUAGE.md makes it a contract that `interp`, `interp-prof`, `jit`, `jit-spec` and
//! `jit-spec-hoist` (also with `threshold=1:osr-threshold=1`, which compiles everything at
//! once, and with `fail-guards=1`, which makes every guard fail so compiled code deopts)
//! print the same bytes, exit with the same code and report the same error. Two tests
//! check it:
//!
//! - `programs_agree_across_configs` runs the conformance programs (the repository's copy in
//!   `conformance/`), the VM's golden programs (`ruff-core/tests/golden`) and every
//!   suite program (`suites/*/*.ruff`) through the `ruff` binary under every config, and
//!   compares stdout, exit code and stderr byte for byte with `interp`. It also checks the
//!   expectation files (`NAME.out`, `NAME.exit`, `NAME.stderr` as in the conformance README)
//!   and the `result` of each benchmark in the suite manifests.
//! - `generated_programs_agree_across_configs` runs thousands of random programs from
//!   `gen::generate` in-process (one `Engine` per run, output captured) under the same
//!   configs. `RUFF_FUZZ_SEED` (first seed, default 1) and `RUFF_FUZZ_COUNT` (default 2000)
//!   choose the programs; a failure prints the seed and the command that replays it.
//!
//! Both also run the bytecode verifier on every program they compile.
//! Both spread the work over worker threads; a mismatch never stops the others, and the
//! assertion at the end lists every mismatch found.

mod gen;

use std::cell::RefCell;
use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use gen::{RISKY_MARK, TOO_MANY_LOCALS_MARK};
use ruff_core::{Config, Engine, Stats};

/// The reference, then every other preset, then the JIT presets compiling at once, then
/// one with every guard failing.
const CONFIGS: &[&str] = &[
    "interp",
    "interp-prof",
    "jit",
    "jit-spec",
    "jit-spec-hoist",
    "jit:threshold=1:osr-threshold=1",
    "jit-spec:threshold=1:osr-threshold=1",
    "jit-spec-hoist:threshold=1:osr-threshold=1",
    // Every guard fails: the deopt paths of everything specialized code does.
    "jit-spec-hoist:fail-guards=1:threshold=1:osr-threshold=1",
];

/// The native stack for in-process runs, as the `ruff` binary uses: compiled code calling
/// the interpreter recurses on the native stack, and 10,000 Ruff frames must fit.
const ENGINE_STACK_BYTES: usize = 1 << 30;

/// What one run of a program did.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Outcome {
    stdout: Vec<u8>,
    stderr: String,
    code: i32,
}

impl Outcome {
    /// A short description of how `self` differs from `reference` (for failure messages).
    fn difference(&self, reference: &Outcome) -> String {
        let mut parts = Vec::new();
        if self.code != reference.code {
            parts.push(format!("exit code {} vs {}", self.code, reference.code));
        }
        if self.stdout != reference.stdout {
            let at = first_difference(&self.stdout, &reference.stdout);
            parts.push(format!(
                "stdout differs at byte {at}: {:?} vs {:?}",
                excerpt(&self.stdout, at),
                excerpt(&reference.stdout, at)
            ));
        }
        if self.stderr != reference.stderr {
            parts.push(format!(
                "stderr {:?} vs {:?}",
                self.stderr, reference.stderr
            ));
        }
        parts.join("; ")
    }
}

fn first_difference(a: &[u8], b: &[u8]) -> usize {
    a.iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()))
}

fn excerpt(bytes: &[u8], at: usize) -> String {
    let start = at.saturating_sub(40);
    let end = (at + 40).min(bytes.len());
    String::from_utf8_lossy(&bytes[start.min(end)..end]).into_owned()
}

/// Runs `jobs` on `threads` workers; `work` returns the failures of one job.
fn run_parallel<T: Sync, F>(jobs: &[T], work: F) -> Vec<String>
where
    F: Fn(&T) -> Vec<String> + Sync,
{
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(8);
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            std::thread::Builder::new()
                .stack_size(ENGINE_STACK_BYTES)
                .spawn_scoped(scope, || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else { break };
                    let found = work(job);
                    failures.lock().unwrap().extend(found);
                })
                .expect("spawn worker thread");
        }
    });
    failures.into_inner().unwrap()
}

// ---- programs on disk, through the binary ---------------------------------------------

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn ruff_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "ruff"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Every program the first test runs.
fn program_files() -> Vec<PathBuf> {
    let mut files = ruff_files(&repo_root().join("conformance"));
    assert!(files.len() >= 15, "the conformance programs are missing");
    files.extend(ruff_files(&repo_root().join("ruff-core/tests/golden")));
    let mut suites: Vec<PathBuf> = std::fs::read_dir(repo_root().join("suites"))
        .expect("suites/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    suites.sort();
    for suite in suites {
        files.extend(ruff_files(&suite));
    }
    files
}

fn run_binary(file: &Path, config: &str) -> Outcome {
    let output = Command::new(env!("CARGO_BIN_EXE_ruff"))
        .arg("run")
        .arg(file)
        .args(["--config", config])
        .output()
        .expect("the ruff binary runs");
    Outcome {
        stdout: output.stdout,
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        // A signal (crash) has no code: -1 never equals a real exit code.
        code: output.status.code().unwrap_or(-1),
    }
}

/// The expected `Result:` value of each suite program, from the suite's manifest (only the
/// `file` and `result` keys of `[[benchmark]]` tables; suites/README.md is the format).
fn manifest_results(suite_dir: &Path) -> Vec<(PathBuf, String)> {
    let Ok(text) = std::fs::read_to_string(suite_dir.join("suite.toml")) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut file: Option<String> = None;
    let mut result: Option<String> = None;
    let mut flush = |file: &mut Option<String>, result: &mut Option<String>| {
        if let (Some(f), Some(r)) = (file.take(), result.take()) {
            found.push((suite_dir.join(f), r));
        }
    };
    for line in text.lines().map(str::trim) {
        if line == "[[benchmark]]" {
            flush(&mut file, &mut result);
        }
        let value = |l: &str| {
            l.split_once('=')
                .map(|(_, v)| v.trim().trim_matches('"').to_string())
        };
        if line.starts_with("file ") || line.starts_with("file=") {
            file = value(line);
        } else if line.starts_with("result ") || line.starts_with("result=") {
            result = value(line);
        }
    }
    flush(&mut file, &mut result);
    found
}

/// Checks a program's interp outcome against its NAME.out / NAME.exit / NAME.stderr files.
fn check_expectations(file: &Path, got: &Outcome) -> Vec<String> {
    let mut failures = Vec::new();
    let name = file.display();
    if let Ok(out) = std::fs::read(file.with_extension("out")) {
        if got.stdout != out {
            let at = first_difference(&got.stdout, &out);
            failures.push(format!(
                "{name} [interp]: stdout differs from .out at byte {at}: {:?} vs expected {:?}",
                excerpt(&got.stdout, at),
                excerpt(&out, at)
            ));
        }
    }
    let expected_code = std::fs::read_to_string(file.with_extension("exit"))
        .ok()
        .and_then(|t| t.trim().parse::<i32>().ok())
        .unwrap_or(0);
    if got.code != expected_code {
        failures.push(format!(
            "{name} [interp]: exit code {} (expected {expected_code}); stderr: {}",
            got.code, got.stderr
        ));
    }
    if let Ok(needle) = std::fs::read_to_string(file.with_extension("stderr")) {
        let needle = needle.trim_end_matches('\n');
        if !got.stderr.contains(needle) {
            failures.push(format!(
                "{name} [interp]: stderr lacks {needle:?}: {:?}",
                got.stderr
            ));
        }
    }
    failures
}

#[test]
fn programs_agree_across_configs() {
    let files = program_files();
    assert!(
        files.len() >= 20,
        "expected the conformance and suite programs, found {} files",
        files.len()
    );
    let mut expected_results = Vec::new();
    for entry in std::fs::read_dir(repo_root().join("suites"))
        .unwrap()
        .flatten()
    {
        expected_results.extend(manifest_results(&entry.path()));
    }

    let failures = run_parallel(&files, |file| {
        let mut failures = verified(&std::fs::read(file).expect("read program"))
            .map(|e| format!("{}: {e}", file.display()))
            .into_iter()
            .collect::<Vec<_>>();
        let reference = run_binary(file, CONFIGS[0]);
        failures.extend(check_expectations(file, &reference));
        for (path, result) in &expected_results {
            if path == file {
                let line = format!("Result: {result}");
                let text = String::from_utf8_lossy(&reference.stdout);
                if !text.lines().any(|l| l.trim_end() == line) {
                    failures.push(format!(
                        "{} [interp]: no line {line:?} in stdout {text:?}",
                        file.display()
                    ));
                }
            }
        }
        for config in &CONFIGS[1..] {
            let got = run_binary(file, config);
            if got != reference {
                failures.push(format!(
                    "{} [{config}]: {}",
                    file.display(),
                    got.difference(&reference)
                ));
            }
        }
        failures
    });
    assert!(
        failures.is_empty(),
        "{} mismatch(es) against interp:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The bytecode verifier's complaint about `source`'s compiled program, if it has one (a
/// compile error is the runs' business, not the verifier's).
fn verified(source: &[u8]) -> Option<String> {
    let program = ruff_core::compile(source).ok()?;
    ruff_core::abi::bytecode::verify(&program)
        .err()
        .map(|e| e.to_string())
}

// ---- generated programs, in-process ---------------------------------------------------

/// An output sink the test can read after the engine is done with it.
#[derive(Clone, Default)]
struct SharedBuf(Rc<RefCell<Vec<u8>>>);

impl Write for SharedBuf {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs `source` in this process under `config`, as `ruff run` would; also returns the
/// engine's counters (they show whether the JIT configs really compiled and deoptimized).
fn run_in_process(source: &str, config: &Config) -> (Outcome, Stats) {
    let tier = ruff_jit::new_tier(config, ruff_jit::JitOptions::default());
    let mut engine = Engine::with_tier(config.clone(), tier);
    let out = SharedBuf::default();
    engine.set_output(Box::new(out.clone()));
    let result = engine
        .load("gen.ruff", source.as_bytes())
        .and_then(|()| engine.run_main());
    let (stderr, code) = match result {
        Ok(()) => (String::new(), 0),
        Err(err) => (engine.render_error(&err), err.exit_code()),
    };
    let stats = engine.stats();
    drop(engine);
    let stdout = out.0.borrow().clone();
    (
        Outcome {
            stdout,
            stderr,
            code,
        },
        stats,
    )
}

fn env_u64(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, got {v:?}")),
        Err(_) => default,
    }
}

/// Adds `b`'s compile and deopt counters to `a`.
fn add_stats(a: &mut Stats, b: &Stats) {
    a.functions_compiled += b.functions_compiled;
    a.loops_compiled += b.loops_compiled;
    a.compile_failures += b.compile_failures;
    a.deopts += b.deopts;
    a.osr_entries += b.osr_entries;
}

/// Runs one generated program under every config, adding each config's counters to
/// `totals`; returns its failures.
fn check_generated(seed: u64, configs: &[Config], totals: &Mutex<Vec<Stats>>) -> Vec<String> {
    let source = gen::generate(seed);
    let run = |index: usize| {
        let result = catch_unwind(AssertUnwindSafe(|| {
            run_in_process(&source, &configs[index])
        }));
        let (outcome, stats) = result.unwrap_or_else(|panic| {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            let stderr = format!("PANIC: {message}");
            (
                Outcome {
                    stdout: Vec::new(),
                    stderr,
                    code: -2,
                },
                Stats::default(),
            )
        });
        add_stats(&mut totals.lock().unwrap()[index], &stats);
        outcome
    };
    let mut problems: Vec<String> = verified(source.as_bytes()).into_iter().collect();
    let reference = run(0);
    // The generator promises well-formed programs that only fail on purpose.
    let risky = source.contains(RISKY_MARK);
    if source.contains(TOO_MANY_LOCALS_MARK) {
        // A function over the documented locals limit: a compile error everywhere.
        if reference.code != 65 {
            problems.push(format!(
                "[interp] expected the too-many-locals compile error (exit 65), got exit {}: {}",
                reference.code, reference.stderr
            ));
        }
    } else if reference.code != 0 && !(risky && reference.code == 70) {
        problems.push(format!(
            "[interp] unexpected failure: exit {}: {}",
            reference.code, reference.stderr
        ));
    }
    for (index, config) in configs.iter().enumerate().skip(1) {
        let got = run(index);
        if got != reference {
            problems.push(format!("[{config}] {}", got.difference(&reference)));
        }
    }
    if problems.is_empty() {
        return problems;
    }
    let path = std::env::temp_dir().join(format!("ruff-fuzz-{seed}.ruff"));
    let _ = std::fs::write(&path, &source);
    vec![format!(
        "seed {seed} (program saved as {}; replay: RUFF_FUZZ_SEED={seed} RUFF_FUZZ_COUNT=1 \
         cargo test --release -p ruff-jit --test differential generated):\n  {}",
        path.display(),
        problems.join("\n  ")
    )]
}

#[test]
fn generated_programs_agree_across_configs() {
    let first = env_u64("RUFF_FUZZ_SEED", 1);
    let count = env_u64("RUFF_FUZZ_COUNT", 2000);
    let configs: Vec<Config> = CONFIGS.iter().map(|c| Config::parse(c).unwrap()).collect();
    // If the process crashes (a signal, not a panic), captured test output is lost: say on
    // the real stderr where the seeds being run are kept.
    // Named by the first seed: runs of other seed ranges may be going on at the same time.
    let progress = std::env::temp_dir().join(format!("ruff-fuzz-progress-{first}.txt"));
    let _ = writeln!(
        std::io::stderr(),
        "fuzz: seeds {first}..{}; after a crash the seeds in flight are in {}",
        first + count,
        progress.display()
    );
    let in_flight = std::sync::Arc::new(Mutex::new(std::collections::BTreeMap::new()));
    watch_for_runaways(in_flight.clone());
    let totals = Mutex::new(vec![Stats::default(); configs.len()]);
    let seeds: Vec<u64> = (first..first + count).collect();
    let failures = run_parallel(&seeds, |&seed| {
        let note = |set: &std::collections::BTreeMap<u64, std::time::Instant>| {
            let text: Vec<String> = set.keys().map(u64::to_string).collect();
            let _ = std::fs::write(&progress, text.join("\n") + "\n");
        };
        {
            let mut set = in_flight.lock().unwrap();
            set.insert(seed, std::time::Instant::now());
            note(&set);
        }
        let found = check_generated(seed, &configs, &totals);
        in_flight.lock().unwrap().remove(&seed);
        found
    });
    assert!(
        failures.is_empty(),
        "{} of {count} generated programs differ from interp:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Agreement proves little if the JIT configs never ran compiled code: the configs that
    // compile everything at once must have compiled something. The counts are shown too.
    let totals = totals.into_inner().unwrap();
    for (config, t) in configs.iter().zip(&totals) {
        let _ = writeln!(
            std::io::stderr(),
            "fuzz: {config}: {} functions and {} loops compiled, {} compile failures, \
             {} deopts, {} OSR entries",
            t.functions_compiled,
            t.loops_compiled,
            t.compile_failures,
            t.deopts,
            t.osr_entries
        );
        if config.preset.compiles() && config.threshold == 1 {
            assert!(
                t.functions_compiled + t.loops_compiled > 0,
                "{config} compiled nothing in {count} programs: the comparison is vacuous"
            );
        }
        // Likewise the config that fails every guard must have deoptimized.
        if config.fail_guards {
            assert!(
                t.deopts > 0,
                "{config} never deoptimized in {count} programs: its guards did not fail"
            );
        }
    }
}

/// How long one generated program may take under all configs together before the run is
/// failed as a runaway (the programs take milliseconds; a busy machine, seconds).
const RUNAWAY_AFTER: std::time::Duration = std::time::Duration::from_secs(300);

/// Fails the whole run, naming the seed and its replay command, when one program has been
/// running longer than `RUNAWAY_AFTER`: a generated program with unbounded work, or an
/// engine that never finishes one. Programs run in this process, so they cannot be killed;
/// without this a CI run would hang until its own time limit with no seed to replay.
fn watch_for_runaways(
    in_flight: std::sync::Arc<Mutex<std::collections::BTreeMap<u64, std::time::Instant>>>,
) {
    std::thread::spawn(move || loop {
        std::thread::sleep(std::time::Duration::from_secs(5));
        let stuck = in_flight
            .lock()
            .unwrap()
            .iter()
            .find(|(_, started)| started.elapsed() > RUNAWAY_AFTER)
            .map(|(seed, _)| *seed);
        if let Some(seed) = stuck {
            let _ = writeln!(
                std::io::stderr(),
                "fuzz: seed {seed} has run for over {} s (unbounded work or a hang); replay: \
                 RUFF_FUZZ_SEED={seed} RUFF_FUZZ_COUNT=1 cargo test --release -p ruff-jit \
                 --test differential generated",
                RUNAWAY_AFTER.as_secs()
            );
            std::process::exit(1);
        }
    });
}

/// The generator itself: deterministic, and its programs are valid Ruff that mostly run to
/// the end (so the fuzz test exercises more than error paths).
#[test]
fn generator_makes_valid_programs() {
    assert_eq!(gen::generate(7), gen::generate(7));
    assert_ne!(gen::generate(7), gen::generate(8));
    let interp = Config::parse("interp").unwrap();
    let total = 300;
    let seeds: Vec<u64> = (0..total).collect();
    let completed = AtomicUsize::new(0);
    let failures = run_parallel(&seeds, |&seed| {
        let source = gen::generate(seed);
        let (got, _) = run_in_process(&source, &interp);
        if got.code == 0 {
            completed.fetch_add(1, Ordering::Relaxed);
            Vec::new()
        } else if got.code == 65 && source.contains(TOO_MANY_LOCALS_MARK) {
            Vec::new()
        } else if got.code == 65 {
            vec![format!(
                "seed {seed} is not valid Ruff: {}\n{source}",
                got.stderr
            )]
        } else if !source.contains(RISKY_MARK) {
            vec![format!(
                "seed {seed} failed without a deliberate error: {}\n{source}",
                got.stderr
            )]
        } else {
            Vec::new()
        }
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    let completed = completed.into_inner() as u64;
    assert!(
        completed * 10 >= total * 6,
        "only {completed} of {total} programs ran to the end"
    );
}
