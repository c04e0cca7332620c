//! `harness init DIR`: writes `DIR/suite.toml` for the Ruff programs in `DIR`, every key
//! commented so the file teaches the format (`suites/README.md` has the full reference). The
//! expected output of each program is taken from one interp run ([`crate::adhoc::probe`])
//! and marked as such in a comment: check it, since it only says what the interpreter
//! printed. A program the interpreter cannot run (or whose iterations disagree) is left out
//! with a comment giving the reason; an existing `suite.toml` is never overwritten.
//!
//! The written manifest is loaded back with the same validation `harness run` uses before
//! `init` reports success, so what it writes always runs.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context, Result};

use crate::adhoc::{benchmark_name, is_program, probe, FILE_CONFIGS};
use crate::manifest::{self, Expected, Suite};

/// `harness init DIR`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder holding the programs (`*.ruff`); `suite.toml` is written there.
    pub dir: PathBuf,
    /// The `ruff` binary that runs each program once (default: next to harness, else PATH).
    #[arg(long, value_name = "PATH")]
    pub ruff: Option<PathBuf>,
    /// Seconds each program may take for its one interp run.
    #[arg(long, value_name = "SECONDS", default_value_t = manifest::DEFAULT_TIMEOUT_S, value_parser = manifest::parse_timeout)]
    pub timeout: f64,
}

/// Runs `harness init`; returns the exit code (0 written, 2 error).
pub fn init_command(args: &InitArgs) -> i32 {
    match init(args) {
        Ok((path, suite)) => {
            println!(
                "wrote {} ({} benchmark(s)); check the expected results, then: harness run {}",
                path.display(),
                suite.benchmarks.len(),
                args.dir.display()
            );
            0
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            2
        }
    }
}

fn init(args: &InitArgs) -> Result<(PathBuf, Suite)> {
    let dir = &args.dir;
    if !dir.is_dir() {
        bail!("{}: not a folder", dir.display());
    }
    let path = dir.join("suite.toml");
    if path.exists() {
        bail!(
            "{} exists; init never overwrites a manifest (remove it to start again)",
            path.display()
        );
    }
    let mut programs: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && is_program(p))
        .collect();
    programs.sort();
    if programs.is_empty() {
        bail!("{}: no .ruff programs in this folder", dir.display());
    }
    let ruff = crate::plan::find_ruff(args.ruff.as_deref())?;
    let timeout = Duration::from_secs_f64(args.timeout);
    let text = manifest_text(dir, &programs, |p| probe(&ruff, p, &[], timeout))?;
    // Validate before writing: a manifest init wrote must load.
    let suite = Suite::parse(&text, dir, &path)
        .context("the manifest init made does not load (a bug in harness init)")?;
    std::fs::write(&path, &text).with_context(|| format!("cannot write {}", path.display()))?;
    Ok((path, suite))
}

/// The manifest for `programs` (in `dir`), with `probe` giving each program's expected output.
pub fn manifest_text(
    dir: &Path,
    programs: &[PathBuf],
    mut probe: impl FnMut(&Path) -> Result<crate::adhoc::Probe>,
) -> Result<String> {
    let folder = dir
        .canonicalize()
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "suite".into());
    let name = benchmark_name(Path::new(&format!("{folder}.ruff")));
    let configs: Vec<String> = FILE_CONFIGS.iter().map(|c| format!("{c:?}")).collect();
    let mut t = String::new();
    let _ = write!(
        t,
        r#"# Suite manifest written by `harness init` on {date}. The format, every key and its rules:
# suites/README.md in the Ruff Bench repository. Run it with `harness run {dir}`.
#
# CHECK THE EXPECTED RESULTS: each `result`/`stdout` below is what the program printed in one
# run under the interpreter, not an independent answer. The harness checks that every config
# prints it in every iteration of every invocation.

[suite]
name = {name:?}
description = "Programs in {folder}/"
# Processes per benchmark x config: the statistical unit (at least 3 for confidence intervals).
invocations = {inv}
# Iterations per process (iteration 0 runs the top level: parse, compile, first `run()`):
# each process iterates until its last 5 iterations are stable and compile-free, at most
# max_iterations; `iterations = N` fixes the count instead.
max_iterations = {it}
# Seconds one invocation may take before it is killed and reported as a timeout.
timeout = {timeout}
# Speedups are reported relative to this config.
reference = "interp"
# Configs run by default (presets: interp, interp-prof, jit, jit-spec, jit-spec-hoist; knobs
# such as "jit-spec:threshold=1,10,100" sweep a setting).
configs = [{configs}]
"#,
        date = chrono::Utc::now().format("%Y-%m-%d"),
        dir = dir.display(),
        inv = manifest::DEFAULT_INVOCATIONS,
        it = manifest::DEFAULT_MAX_ITERATIONS,
        timeout = manifest::DEFAULT_TIMEOUT_S,
        configs = configs.join(", "),
    );
    let mut names: Vec<String> = Vec::new();
    for program in programs {
        let file = program
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut bench = benchmark_name(program);
        let base = bench.clone();
        let mut k = 2;
        while names.contains(&bench) {
            bench = format!("{base}-{k}");
            k += 1;
        }
        match probe(program) {
            Ok(p) => {
                names.push(bench.clone());
                let expected = match &p.expected {
                    Expected::Result(v) => format!(
                        "result = {}  # from an interp run: check it",
                        toml_string(v)
                    ),
                    Expected::Stdout(s) => format!(
                        "stdout = {}  # the whole output of an iteration, from an interp run: check it",
                        toml_string(s)
                    ),
                };
                let _ = write!(
                    t,
                    "\n[[benchmark]]\nname = {bench:?}\nfile = {}\n{expected}\ntags = []  # free labels; `harness run --bench tag:NAME` selects by them\n",
                    toml_string(&file)
                );
                if !p.has_run {
                    t.push_str(
                        "# No `func run()`: the top level is the only iteration of each process.\niterations = 1\n",
                    );
                }
            }
            Err(e) => {
                let reason = format!("{e:#}").replace('\n', " ");
                let _ = write!(t, "\n# Left out {file}: {reason}\n");
            }
        }
    }
    if names.is_empty() {
        bail!(
            "{}: no program ran under the interpreter; nothing to benchmark:\n{t}",
            dir.display()
        );
    }
    Ok(t)
}

/// A TOML string literal (basic string, escaped).
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adhoc::Probe;

    #[test]
    fn the_manifest_is_commented_and_loads() {
        let dir = tempfile::tempdir().unwrap();
        let programs: Vec<PathBuf> = ["fib.ruff", "hello world.ruff", "broken.ruff"]
            .iter()
            .map(|f| {
                let p = dir.path().join(f);
                std::fs::write(&p, "").unwrap();
                p
            })
            .collect();
        let text = manifest_text(dir.path(), &programs, |p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            match name.as_str() {
                "fib.ruff" => Ok(Probe {
                    expected: Expected::Result("6765".into()),
                    has_run: true,
                }),
                "hello world.ruff" => Ok(Probe {
                    expected: Expected::Stdout("hi \"you\"\n".into()),
                    has_run: false,
                }),
                _ => bail!("broken.ruff: the interp run failed (exit code 70: boom)"),
            }
        })
        .unwrap();
        assert!(text.contains("result = \"6765\"  # from an interp run: check it"));
        assert!(text.contains("name = \"hello_world\""));
        assert!(text.contains("iterations = 1"));
        assert!(text.contains("# Left out broken.ruff: broken.ruff: the interp run failed"));
        assert!(text.contains("CHECK THE EXPECTED RESULTS"));
        let suite = Suite::parse(&text, dir.path(), &dir.path().join("suite.toml")).unwrap();
        assert_eq!(suite.benchmarks.len(), 2);
        assert_eq!(suite.configs, ["interp", "jit-spec"]);
        assert_eq!(suite.benchmarks[1].iterations, Some(1));
        assert_eq!(
            suite.benchmarks[1].expected,
            Expected::Stdout("hi \"you\"\n".into())
        );
    }

    #[test]
    fn nothing_runnable_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.ruff");
        std::fs::write(&p, "").unwrap();
        let e = manifest_text(dir.path(), &[p], |_| bail!("x.ruff: exit code 65")).unwrap_err();
        assert!(format!("{e:#}").contains("no program ran"));
    }
}
