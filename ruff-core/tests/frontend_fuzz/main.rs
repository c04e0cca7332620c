//! A mutation fuzzer for the front end and the bytecode compiler that needs only the
//! stable toolchain: `cargo test --release -p ruff-core --test frontend_fuzz` runs it for
//! a time budget (`--seconds N`, or `RUFF_FRONTEND_FUZZ_SECONDS`, default 10).
//!
//! It starts from every `.ruff` file of the repository (conformance, golden and suite
//! programs; also `../shared/conformance` when present), mutates them (`mutate.rs`) and
//! runs each mutant through the check of `check.rs` in a child process (`worker.rs`), so
//! that an abort or a stack overflow is caught rather than fatal. Mutants that compile
//! join the pool of inputs to mutate. A panic, a broken error-report invariant, a dead
//! worker (abort, signal) or a run over the time limit (`--timeout S`, default 10 s) is a
//! failure: the input is saved (in `RUFF_FUZZ_ARTIFACTS`, default the temporary directory)
//! and its replay command printed; the process exits with status 1.
//!
//! Other modes: `--replay FILE` runs the check on FILE in this process (a panic shows its
//! backtrace); `--worker` is the child side. `--seed N` (or `RUFF_FRONTEND_FUZZ_SEED`)
//! replays a campaign's mutations. `scripts/fuzz.sh` prefers the coverage-guided libFuzzer
//! target in `fuzz/` when a nightly toolchain is there, and runs this one otherwise.

mod check;
mod mutate;
mod worker;

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mutate::{mutant, Rng};
use worker::{Verdict, Worker};

/// Compiling mutants kept as material for further mutation, at most.
const POOL_LIMIT: usize = 4000;
/// Inputs sent to the worker ahead of their answers.
const PIPELINE: usize = 32;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    if args.iter().any(|a| a == "--worker") {
        return worker::serve();
    }
    // `cargo test -- --list` asks every test binary for its tests: this one has no others.
    if args.iter().any(|a| a == "--list") {
        return;
    }
    if let Some(file) = flag("--replay") {
        std::process::exit(replay(Path::new(&file)));
    }
    let number = |name: &str, env: &str, default: u64| -> u64 {
        flag(name)
            .or_else(|| std::env::var(env).ok())
            .map_or(default, |v| {
                v.trim()
                    .parse()
                    .unwrap_or_else(|_| panic!("{name} / {env} must be a number, got {v:?}"))
            })
    };
    let seconds = number("--seconds", "RUFF_FRONTEND_FUZZ_SECONDS", 10);
    let seed = number("--seed", "RUFF_FRONTEND_FUZZ_SEED", fresh_seed());
    let timeout = Duration::from_secs(number("--timeout", "RUFF_FRONTEND_FUZZ_TIMEOUT", 10));
    self_test();
    std::process::exit(campaign(seconds, seed, timeout));
}

/// Proves that each kind of failure is caught and told apart, with a worker that fails on
/// purpose: a fuzzer that cannot see a crash would report zero failures forever.
fn self_test() {
    let limit = Duration::from_secs(1);
    let mut worker = Worker::spawn_injecting();
    let verdict = |w: &mut Worker, input: &[u8]| {
        assert!(w.send(input), "the self-test worker takes input");
        w.receive(limit)
    };
    assert!(matches!(
        verdict(&mut worker, b"x := 1\n"),
        Verdict::Fine(true)
    ));
    assert!(matches!(
        verdict(&mut worker, b"x := (\n"),
        Verdict::Fine(false)
    ));
    let panicked = verdict(&mut worker, b"#!panic");
    assert!(matches!(&panicked, Verdict::Panicked(m) if m == "injected panic"));
    assert!(matches!(verdict(&mut worker, b"#!slow"), Verdict::Slow(_)));
    assert!(matches!(verdict(&mut worker, b"#!abort"), Verdict::Died(_)));
    let mut worker = Worker::spawn_injecting();
    assert!(matches!(verdict(&mut worker, b"#!hang"), Verdict::Hung));
    eprintln!("frontend fuzz: self-test: a panic, an abort, a slow input and a hang are caught");
}

fn fresh_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.finish() % 1_000_000_000_000
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every `.ruff` file under `dir` (build output, VCS and hidden folders skipped).
fn ruff_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if path.is_dir() {
            if !name.starts_with('.') && name != "target" {
                ruff_files(&path, found);
            }
        } else if path.extension().is_some_and(|x| x == "ruff") {
            found.push(path);
        }
    }
}

fn seed_corpus() -> Vec<Vec<u8>> {
    let mut files = Vec::new();
    ruff_files(&repo_root(), &mut files);
    ruff_files(&repo_root().join("../shared/conformance"), &mut files);
    let mut corpus: Vec<Vec<u8>> = files.iter().filter_map(|f| std::fs::read(f).ok()).collect();
    // conformance/ is a copy of ../shared/conformance: one of each is enough.
    corpus.sort();
    corpus.dedup();
    assert!(
        corpus.len() >= 10,
        "expected the repository's .ruff programs, found {}",
        corpus.len()
    );
    corpus
}

fn replay_command(path: &Path) -> String {
    format!(
        "cargo test --release -p ruff-core --test frontend_fuzz -- --replay {}",
        path.display()
    )
}

/// Saves a failing input and describes it (with the replay command).
fn report(input: &[u8], what: &str, detail: &str) -> String {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let dir = std::env::var_os("RUFF_FUZZ_ARTIFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("ruff-frontend-fuzz"));
    let _ = std::fs::create_dir_all(&dir);
    let mut h = DefaultHasher::new();
    input.hash(&mut h);
    let path = dir.join(format!("{what}-{:016x}.ruff", h.finish()));
    let saved = std::fs::write(&path, input).is_ok();
    let shown = if input.len() <= 400 {
        format!("\n  input: {:?}", String::from_utf8_lossy(input))
    } else {
        format!("\n  input: {} bytes", input.len())
    };
    let location = if saved {
        format!(
            "saved as {}; replay: {}",
            path.display(),
            replay_command(&path)
        )
    } else {
        format!("could not be saved in {}", dir.display())
    };
    format!("{what}: {detail}\n  {location}{shown}")
}

fn campaign(seconds: u64, seed: u64, timeout: Duration) -> i32 {
    let mut pool = seed_corpus();
    let seeds = pool.len();
    eprintln!(
        "frontend fuzz: seed {seed}, {seeds} corpus files, {seconds} s, {} s per input at \
         most (rerun these mutations: RUFF_FRONTEND_FUZZ_SEED={seed} \
         RUFF_FRONTEND_FUZZ_SECONDS={seconds} cargo test --release -p ruff-core --test \
         frontend_fuzz)",
        timeout.as_secs()
    );
    let mut rng = Rng::new(seed);
    let mut worker = Worker::spawn();
    let (mut runs, mut compiled, mut failures) = (0u64, 0u64, Vec::new());
    let mut in_flight: VecDeque<Vec<u8>> = VecDeque::new();
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    loop {
        while in_flight.len() < PIPELINE && Instant::now() < deadline {
            let input = mutant(&mut rng, &pool);
            let sent = worker.send(&input);
            in_flight.push_back(input);
            if !sent {
                break;
            }
        }
        if in_flight.is_empty() {
            break;
        }
        let verdict = worker.receive(timeout);
        let input = in_flight.pop_front().expect("an input in flight");
        runs += 1;
        let failure = match verdict {
            Verdict::Fine(true) => {
                compiled += 1;
                if input.len() < 1 << 16 {
                    if pool.len() < POOL_LIMIT {
                        pool.push(input);
                    } else {
                        let slot = seeds + rng.below(POOL_LIMIT - seeds);
                        pool[slot] = input;
                    }
                }
                None
            }
            Verdict::Fine(false) => None,
            Verdict::Broken(m) => Some(report(&input, "broken", &m)),
            Verdict::Panicked(m) => Some(report(&input, "panic", &m)),
            Verdict::Slow(took) => {
                let detail = format!("the check took {:.1} s", took.as_secs_f64());
                Some(report(&input, "timeout", &detail))
            }
            Verdict::Died(_) | Verdict::Hung => {
                let detail = match verdict {
                    Verdict::Died(m) => m,
                    _ => format!("no answer within {} s", 2 * timeout.as_secs()),
                };
                // The inputs queued behind this one never ran: the new worker gets them.
                worker = Worker::spawn();
                for queued in &in_flight {
                    worker.send(queued);
                }
                Some(report(&input, "abort", &detail))
            }
        };
        if let Some(f) = failure {
            eprintln!("frontend fuzz: FAILURE {f}");
            failures.push(f);
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    eprintln!(
        "frontend fuzz: {runs} executions in {elapsed:.1} s ({:.0}/s), {compiled} compiled, \
         {} failures, {} inputs in the pool",
        runs as f64 / elapsed,
        failures.len(),
        pool.len()
    );
    i32::from(!failures.is_empty())
}

/// Runs the check on one file in this process, on the stack the binary gives the engine.
fn replay(path: &Path) -> i32 {
    let input =
        std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let outcome = std::thread::Builder::new()
        .stack_size(check::STACK_BYTES)
        .spawn(move || check::check(&input))
        .expect("spawn the replay thread")
        .join()
        .expect("the check panicked (message above)");
    match outcome {
        Ok(compiled) => {
            let what = if compiled {
                "compiles"
            } else {
                "gives a well-formed compile error"
            };
            eprintln!("{}: {what}", path.display());
            0
        }
        Err(broken) => {
            eprintln!("{}: broken invariant: {broken}", path.display());
            1
        }
    }
}
