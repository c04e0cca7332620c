//! Benchmarks without a manifest. `harness run FILE.ruff [FILE.ruff ...]` makes a suite
//! `files` of the programs given on the command line, and `harness init DIR` writes a
//! commented `suite.toml` for the programs in a folder (see [`crate::init`]).
//!
//! Either way the expected output of each program is *taken from one run under the
//! interpreter* (`ruff bench FILE --config interp --iterations 2`): one `Result:` value if
//! every iteration prints the same one, else the exact stdout if every iteration prints the
//! same text. It is labelled as such — in the suite's description (so in `run.json`), on
//! stderr, and as a comment in a written manifest — because it checks that the configs agree
//! with the interpreter, not that the interpreter is right. A program the interpreter cannot
//! run, or whose iterations print different things, needs a manifest and is refused with the
//! reason (exit 2). A program without `func run()` gives one iteration per process.
//!
//! Defaults of a file suite: configs `interp` and `jit-spec` (the question a single program
//! usually asks: how much does the JIT help?), reference `interp`, the manifest defaults for
//! invocations, iterations and timeout.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context, Result};

use crate::exec::subprocess::{SubprocessExecutor, DEFAULT_ITERATION_SYMBOL};
use crate::exec::verify::{result_lines, stderr_excerpt};
use crate::exec::{Executor, Exit, Measure, Request};
use crate::manifest::{self, Benchmark, Expected, Suite};

/// The suite name of programs given on the command line.
pub const FILE_SUITE: &str = "files";
/// Configs of a file suite unless `--configs` says otherwise.
pub const FILE_CONFIGS: [&str; 2] = ["interp", "jit-spec"];
/// What run.json and messages say about where expected outputs come from.
pub const EXPECTED_FROM: &str = "expected output taken from each program's interp run";

/// True if `path` names a Ruff program rather than a suite folder or manifest.
pub fn is_program(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "ruff")
}

/// What one interpreter run of a program showed.
#[derive(Clone, Debug, PartialEq)]
pub struct Probe {
    pub expected: Expected,
    /// False if the program has no `func run()` (one iteration per process).
    pub has_run: bool,
}

impl Probe {
    /// The expectation in words, for messages: `Result: 42` or `stdout "hi\n"`.
    pub fn describe(&self) -> String {
        match &self.expected {
            Expected::Result(v) => format!("Result: {v}"),
            Expected::Stdout(s) => format!("stdout {:?}", s.chars().take(60).collect::<String>()),
        }
    }
}

/// Runs `program` once under the interpreter (two iterations, so that a program with
/// `run()` shows that each iteration prints the same) and derives its expected output.
pub fn probe(ruff: &Path, program: &Path, args: &[String], timeout: Duration) -> Result<Probe> {
    let mut executor =
        SubprocessExecutor::new(ruff.to_path_buf(), DEFAULT_ITERATION_SYMBOL.into())?;
    let benchmark = Benchmark {
        args: args.to_vec(),
        ..Benchmark::new("probe", program, Expected::Stdout(String::new()))
    };
    let request = Request {
        suite: FILE_SUITE,
        benchmark: &benchmark,
        config: "interp",
        invocation: 0,
        iterations: 2,
        until_stable: None,
        timeout,
        measure: Measure::Wall,
    };
    let raw = executor.execute(&request)?;
    let shown = program.display();
    match raw.exit {
        Exit::Code(0) => {}
        Exit::Code(code) => bail!(
            "{shown}: the interp run failed (exit code {code}: {}), so there is no expected output to take",
            stderr_excerpt(&raw.stderr)
        ),
        Exit::Signal(sig) => bail!("{shown}: the interp run was killed by signal {sig}"),
        Exit::TimedOut => bail!("{shown}: the interp run took longer than {timeout:?} (set --timeout)"),
    }
    if let Some(note) = raw.note {
        bail!("{shown}: {note}");
    }
    let sizes: Option<Vec<usize>> = raw
        .iterations
        .iter()
        .map(|it| it.stdout_bytes.map(|b| b as usize))
        .collect();
    let parts: Vec<String> = match sizes {
        Some(sizes) if !sizes.is_empty() && sizes.iter().sum::<usize>() == raw.stdout.len() => {
            let mut at = 0;
            sizes
                .iter()
                .map(|s| {
                    let part = String::from_utf8_lossy(&raw.stdout[at..at + s]).into_owned();
                    at += s;
                    part
                })
                .collect()
        }
        _ => bail!("{shown}: ruff bench did not report the output of each iteration"),
    };
    let results: Vec<Vec<&str>> = parts.iter().map(|p| result_lines(p)).collect();
    let expected = if results
        .iter()
        .all(|r| r.len() == 1 && r[0] == results[0][0])
    {
        Expected::Result(results[0][0].to_string())
    } else if parts.iter().all(|p| *p == parts[0]) {
        Expected::Stdout(parts[0].clone())
    } else {
        bail!(
            "{shown}: iteration 0 printed {:?} but iteration 1 printed {:?}; the harness needs the same answer from every iteration: print one `Result:` line per iteration, or write a manifest (`harness init {}`)",
            excerpt(&parts[0]),
            excerpt(parts.get(1).map_or("", String::as_str)),
            program.parent().map_or(".".into(), |d| d.display().to_string())
        )
    };
    Ok(Probe {
        expected,
        has_run: raw.iterations.len() > 1,
    })
}

fn excerpt(text: &str) -> String {
    text.chars().take(80).collect()
}

/// A benchmark name from a program's file name: its stem with characters a name may not
/// hold replaced by `_`.
pub fn benchmark_name(program: &Path) -> String {
    let stem = program
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() {
        "program".into()
    } else {
        name
    }
}

/// The suite of the programs given on the command line, each probed for its expected output.
pub fn file_suite(programs: &[PathBuf], ruff: &Path, timeout: Option<Duration>) -> Result<Suite> {
    let timeout = timeout.unwrap_or(Duration::from_secs_f64(manifest::DEFAULT_TIMEOUT_S));
    let mut benchmarks: Vec<Benchmark> = Vec::new();
    for program in programs {
        if !program.is_file() {
            bail!("{}: no such program", program.display());
        }
        let mut name = benchmark_name(program);
        // Two programs with one file name (a/b.ruff, c/b.ruff): number the later ones.
        let base = name.clone();
        let mut k = 2;
        while benchmarks.iter().any(|b| b.name == name) {
            name = format!("{base}-{k}");
            k += 1;
        }
        let probe = probe(ruff, program, &[], timeout)
            .with_context(|| format!("harness run {}", program.display()))?;
        eprintln!(
            "{name}: expected output taken from its interp run: {}{}",
            probe.describe(),
            if probe.has_run {
                ""
            } else {
                " (no `func run()`: one iteration per process)"
            }
        );
        benchmarks.push(Benchmark {
            iterations: (!probe.has_run).then_some(1),
            ..Benchmark::new(name, program.clone(), probe.expected)
        });
    }
    Ok(Suite {
        name: FILE_SUITE.into(),
        description: format!(
            "{} program(s) given on the command line; {EXPECTED_FROM}",
            benchmarks.len()
        ),
        dir: PathBuf::from("."),
        invocations: manifest::DEFAULT_INVOCATIONS,
        iterations: None,
        max_iterations: manifest::DEFAULT_MAX_ITERATIONS,
        timeout,
        reference: manifest::DEFAULT_REFERENCE.into(),
        configs: FILE_CONFIGS.iter().map(|c| c.to_string()).collect(),
        benchmarks,
    })
}

/// Loads what `harness run` was given: suite folders and manifests as they are, and all
/// programs together as one file suite (placed where the first program was given).
pub fn load_suites(
    paths: &[PathBuf],
    ruff: Option<&Path>,
    timeout: Option<Duration>,
) -> Result<Vec<Suite>> {
    let programs: Vec<PathBuf> = paths.iter().filter(|p| is_program(p)).cloned().collect();
    let mut suites = Vec::new();
    let mut files_placed = false;
    for path in paths {
        if !is_program(path) {
            if path.is_dir() && !path.join("suite.toml").exists() && holds_programs(path) {
                bail!(
                    "{}: no suite.toml in this folder; benchmark its programs with `harness run {}/*.ruff`, or write a manifest with `harness init {}`",
                    path.display(),
                    path.display(),
                    path.display()
                );
            }
            suites.push(Suite::load(path)?);
        } else if !files_placed {
            let ruff = crate::plan::find_ruff(ruff)?;
            suites.push(file_suite(&programs, &ruff, timeout)?);
            files_placed = true;
        }
    }
    Ok(suites)
}

/// True if `dir` holds at least one `.ruff` file.
fn holds_programs(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|entries| entries.flatten().any(|e| is_program(&e.path())))
        .unwrap_or(false)
}
