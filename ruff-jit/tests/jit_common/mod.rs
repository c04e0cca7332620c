//! Shared helpers of the JIT tests: run a program under a config (in a thread with a large
//! stack, as the `ruff` binary does) and capture stdout, the rendered error and the stats.

#![allow(dead_code)]

use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;

use ruff_core::{Config, Engine, Stats};
use ruff_jit::{new_tier, JitOptions};

/// A `Write` into a shared buffer.
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

/// What one run produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: String,
    /// The full rendered error text (message, position, source line, trace), if any.
    pub error: Option<String>,
}

/// Runs `src` under `config` (e.g. `"jit-spec:threshold=1"`).
pub fn run(src: &str, config: &str) -> (Outcome, Stats) {
    let src = src.to_string();
    let config = config.to_string();
    std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || run_here(&src, &config))
        .expect("spawn")
        .join()
        .expect("run thread panicked")
}

fn run_here(src: &str, config: &str) -> (Outcome, Stats) {
    let config = Config::parse(config).expect("config");
    let tier = new_tier(&config, JitOptions::default());
    let mut engine = Engine::with_tier(config, tier);
    let buf = Rc::new(RefCell::new(Vec::new()));
    engine.set_output(Box::new(Sink(buf.clone())));
    let error = match engine.load("test.ruff", src.as_bytes()) {
        Ok(()) => engine.run_main().err().map(|e| engine.render_error(&e)),
        Err(e) => Some(engine.render_error(&e)),
    };
    let stdout = String::from_utf8_lossy(&buf.borrow()).into_owned();
    (Outcome { stdout, error }, engine.stats())
}

/// The configs every program must agree under.
pub const JIT_CONFIGS: &[&str] = &[
    "jit:threshold=1:osr-threshold=1",
    "jit-spec:threshold=1:osr-threshold=1",
    "jit-spec-hoist:threshold=1:osr-threshold=1",
    "jit-spec:threshold=3:osr-threshold=5",
    "jit-spec-hoist:threshold=2:osr-threshold=20",
    "jit-spec:threshold=2:osr-threshold=3:max-deopts=1",
];

/// Every engine config: each preset with its defaults, then the JIT configs above.
pub const EVERY_CONFIG: &[&str] = &[
    "interp",
    "interp-prof",
    "jit",
    "jit-spec",
    "jit-spec-hoist",
    "jit:threshold=1:osr-threshold=1",
    "jit-spec:threshold=1:osr-threshold=1",
    "jit-spec-hoist:threshold=1:osr-threshold=1",
    "jit-spec:threshold=3:osr-threshold=5",
    "jit-spec-hoist:threshold=2:osr-threshold=20",
    "jit-spec:threshold=2:osr-threshold=3:max-deopts=1",
];

/// Runs `src` under every config of `EVERY_CONFIG` (each with `knobs` appended, e.g.
/// `":max-memory=8M"`, or `""`) and asserts the given stdout and error: `error` is a text the
/// rendered error must contain, or `None` for a clean run. Returns each config's stats.
pub fn assert_every_config(
    src: &str,
    knobs: &str,
    stdout: &str,
    error: Option<&str>,
) -> Vec<(String, Stats)> {
    let mut stats = Vec::new();
    let mut failures = Vec::new();
    for base in EVERY_CONFIG {
        let config = format!("{base}{knobs}");
        let (got, s) = run(src, &config);
        if got.stdout != stdout {
            failures.push(format!(
                "[{config}] stdout {:?}, expected {stdout:?}",
                got.stdout
            ));
        }
        match (error, &got.error) {
            (None, Some(e)) => failures.push(format!("[{config}] unexpected error:\n{e}")),
            (Some(want), None) => failures.push(format!("[{config}] no error, expected {want:?}")),
            (Some(want), Some(e)) if !e.contains(want) => {
                failures.push(format!("[{config}] error lacks {want:?}:\n{e}"))
            }
            _ => {}
        }
        stats.push((config, s));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    stats
}

/// Asserts that `src` behaves under every JIT config exactly as under `interp`.
pub fn assert_same_as_interp(src: &str) {
    let (expected, _) = run(src, "interp");
    if let Some(e) = &expected.error {
        assert!(
            e.contains("runtime error"),
            "the test program does not compile:\n{e}"
        );
    }
    for config in JIT_CONFIGS {
        let (got, _) = run(src, config);
        assert_eq!(got, expected, "config {config} differs on:\n{src}");
    }
}
