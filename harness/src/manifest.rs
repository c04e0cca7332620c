//! Suite manifests: `suites/<name>/suite.toml` (the format is documented for suite authors in
//! `suites/README.md`; keep the two in step). Parsing is strict — unknown keys are errors —
//! and [`Suite::load`] validates every field and checks that every program exists, so a run
//! never starts on a manifest with a typo. Every error names the file and the field.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

use crate::configs;
use crate::expect::Expectation;
use crate::stats::SteadyClass;

/// Defaults when neither the suite nor the CLI says otherwise.
pub const DEFAULT_INVOCATIONS: u32 = 5;
/// Without a fixed iteration count, a process iterates until its last
/// [`DEFAULT_STABLE_WINDOW`] iterations are stable and free of compiles and deopts
/// (`ruff_core::stability`), within [`DEFAULT_MAX_ITERATIONS`] iterations and half the timeout.
pub const DEFAULT_STABLE_WINDOW: u32 = 5;
pub const DEFAULT_MAX_ITERATIONS: u32 = 100;
pub const DEFAULT_TIMEOUT_S: f64 = 60.0;
/// Largest invocation or iteration count a manifest or the command line may ask for.
pub const MAX_COUNT: u32 = 1_000_000;
/// Largest timeout in seconds (one day), for manifests and the command line alike.
pub const MAX_TIMEOUT_S: f64 = 86_400.0;
pub const DEFAULT_REFERENCE: &str = "interp";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    suite: RawSuite,
    #[serde(default, rename = "benchmark")]
    benchmarks: Vec<RawBenchmark>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuite {
    name: String,
    #[serde(default)]
    description: String,
    invocations: Option<i64>,
    iterations: Option<i64>,
    max_iterations: Option<i64>,
    timeout: Option<f64>,
    reference: Option<String>,
    configs: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBenchmark {
    name: String,
    file: String,
    result: Option<String>,
    stdout: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    args: Vec<String>,
    invocations: Option<i64>,
    iterations: Option<i64>,
    timeout: Option<f64>,
    expected_class: Option<String>,
    expected_warmup: Option<i64>,
}

/// What a correct iteration prints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expected {
    /// Each iteration prints exactly one `Result:` line with this value (trimmed).
    Result(String),
    /// Each iteration prints exactly this.
    Stdout(String),
}

/// One benchmark of a suite, validated.
#[derive(Clone, Debug, PartialEq)]
pub struct Benchmark {
    pub name: String,
    /// Absolute or relative path of the program, as usable from the current directory.
    pub path: PathBuf,
    pub expected: Expected,
    pub tags: Vec<String>,
    pub args: Vec<String>,
    pub invocations: Option<u32>,
    pub iterations: Option<u32>,
    pub timeout: Option<Duration>,
    /// The planted steady state (`expected_class`, `expected_warmup`), checked at the end of a
    /// run by [`crate::expect`].
    pub expectation: Option<Expectation>,
}

impl Benchmark {
    /// A benchmark with nothing but a name, a program and its expected output (no tags,
    /// arguments, per-benchmark counts or planted steady state), as ad-hoc files and tests
    /// build them.
    pub fn new(name: impl Into<String>, path: impl Into<PathBuf>, expected: Expected) -> Benchmark {
        Benchmark {
            name: name.into(),
            path: path.into(),
            expected,
            tags: Vec::new(),
            args: Vec::new(),
            invocations: None,
            iterations: None,
            timeout: None,
            expectation: None,
        }
    }
}

/// A validated suite.
#[derive(Clone, Debug, PartialEq)]
pub struct Suite {
    pub name: String,
    pub description: String,
    /// The folder holding `suite.toml`.
    pub dir: PathBuf,
    pub invocations: u32,
    /// A fixed iteration count, or `None`: until stable (see [`DEFAULT_STABLE_WINDOW`]).
    pub iterations: Option<u32>,
    /// The cap of until-stable iteration.
    pub max_iterations: u32,
    pub timeout: Duration,
    /// Canonical config name speedups are computed against.
    pub reference: String,
    /// Canonical config names this suite runs by default.
    pub configs: Vec<String>,
    pub benchmarks: Vec<Benchmark>,
}

impl Suite {
    /// Loads `dir/suite.toml` (or the file itself if `path` names a `.toml` file).
    pub fn load(path: &Path) -> Result<Suite> {
        let (dir, file) = if path.extension().is_some_and(|e| e == "toml") {
            (
                path.parent().unwrap_or(Path::new(".")).to_path_buf(),
                path.to_path_buf(),
            )
        } else {
            (path.to_path_buf(), path.join("suite.toml"))
        };
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read suite manifest {}", file.display()))?;
        Suite::parse(&text, &dir, &file)
    }

    /// Parses and validates manifest `text`; `dir` resolves program paths, `file` names the
    /// manifest in messages.
    pub fn parse(text: &str, dir: &Path, file: &Path) -> Result<Suite> {
        let f = file.display();
        let raw: RawManifest =
            toml::from_str(text).with_context(|| format!("{f}: invalid suite manifest"))?;
        check_name(&raw.suite.name).with_context(|| format!("{f}: field `suite.name`"))?;
        let field = |name: &str| format!("{f}: field `suite.{name}`");
        let invocations = positive(raw.suite.invocations, DEFAULT_INVOCATIONS)
            .with_context(|| field("invocations"))?;
        let iterations = raw
            .suite
            .iterations
            .map(|v| positive(Some(v), 1))
            .transpose()
            .with_context(|| field("iterations"))?;
        let max_iterations = positive(raw.suite.max_iterations, DEFAULT_MAX_ITERATIONS)
            .with_context(|| field("max_iterations"))?;
        let timeout =
            seconds(raw.suite.timeout, DEFAULT_TIMEOUT_S).with_context(|| field("timeout"))?;
        let reference =
            configs::expand(raw.suite.reference.as_deref().unwrap_or(DEFAULT_REFERENCE))
                .with_context(|| field("reference"))?;
        if reference.len() != 1 {
            bail!("{}: must name exactly one config", field("reference"));
        }
        let configs = match &raw.suite.configs {
            Some(list) => configs::expand_all(list).with_context(|| field("configs"))?,
            None => configs::DEFAULT_CONFIGS
                .iter()
                .map(|s| s.to_string())
                .collect(),
        };
        if raw.benchmarks.is_empty() {
            bail!("{f}: no [[benchmark]] entries");
        }

        let mut benchmarks: Vec<Benchmark> = Vec::new();
        for (i, b) in raw.benchmarks.into_iter().enumerate() {
            let at = format!("{f}: benchmark #{} ('{}')", i + 1, b.name);
            let field = |name: &str| format!("{at}: field `{name}`");
            check_name(&b.name).with_context(|| field("name"))?;
            if benchmarks.iter().any(|o| o.name == b.name) {
                bail!("{}: duplicate benchmark name", field("name"));
            }
            let path = dir.join(&b.file);
            if !path.is_file() {
                bail!(
                    "{}: program {} does not exist",
                    field("file"),
                    path.display()
                );
            }
            let expected = match (b.result, b.stdout) {
                (Some(r), None) => Expected::Result(r.trim().to_string()),
                (None, Some(s)) => Expected::Stdout(s),
                (Some(_), Some(_)) => bail!("{at}: give either `result` or `stdout`, not both"),
                (None, None) => bail!("{at}: missing field `result` (or `stdout`): every benchmark's answer is checked"),
            };
            let expectation = match (b.expected_class, b.expected_warmup) {
                (None, None) => None,
                (None, Some(_)) => bail!("{}: needs `expected_class`", field("expected_warmup")),
                (Some(class), warmup) => {
                    let Some(c) = SteadyClass::from_name(&class) else {
                        let names: Vec<&str> = SteadyClass::ALL.iter().map(|c| c.name()).collect();
                        bail!(
                            "{}: '{class}' is not a class (one of {})",
                            field("expected_class"),
                            names.join(", ")
                        );
                    };
                    let warmup = match warmup {
                        None => None,
                        Some(_) if !matches!(c, SteadyClass::Warmup | SteadyClass::Slowdown) => {
                            bail!(
                                "{}: only a warmup or slowdown has one",
                                field("expected_warmup")
                            )
                        }
                        Some(w) if (0..=i64::from(MAX_COUNT)).contains(&w) => Some(w as usize),
                        Some(w) => bail!(
                            "{}: must be a whole number from 0 to {MAX_COUNT}, got {w}",
                            field("expected_warmup")
                        ),
                    };
                    Some(Expectation { class, warmup })
                }
            };
            benchmarks.push(Benchmark {
                expectation,
                name: b.name,
                path,
                expected,
                tags: b.tags,
                args: b.args,
                invocations: b
                    .invocations
                    .map(|v| positive(Some(v), 1))
                    .transpose()
                    .with_context(|| field("invocations"))?,
                iterations: b
                    .iterations
                    .map(|v| positive(Some(v), 1))
                    .transpose()
                    .with_context(|| field("iterations"))?,
                timeout: b
                    .timeout
                    .map(|v| seconds(Some(v), 1.0))
                    .transpose()
                    .with_context(|| field("timeout"))?,
            });
        }
        Ok(Suite {
            name: raw.suite.name,
            description: raw.suite.description,
            dir: dir.to_path_buf(),
            invocations,
            iterations,
            max_iterations,
            timeout,
            reference: reference.into_iter().next().unwrap_or_default(),
            configs,
            benchmarks,
        })
    }
}

impl Benchmark {
    /// True if `filter` (a name, a name substring, or `tag:TAG`) selects this benchmark.
    pub fn matches(&self, filter: &str) -> bool {
        match filter.strip_prefix("tag:") {
            Some(tag) => self.tags.iter().any(|t| t == tag),
            None => self.name.contains(filter),
        }
    }
}

fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !ok {
        bail!("'{name}' is not a valid name (use letters, digits, '_', '-', '.')");
    }
    Ok(())
}

fn positive(value: Option<i64>, default: u32) -> Result<u32> {
    match value {
        None => Ok(default),
        Some(v) if (1..=i64::from(MAX_COUNT)).contains(&v) => Ok(v as u32),
        Some(v) => bail!("must be a whole number from 1 to {MAX_COUNT}, got {v}"),
    }
}

fn seconds(value: Option<f64>, default: f64) -> Result<Duration> {
    check_seconds(value.unwrap_or(default)).map_err(anyhow::Error::msg)
}

/// A timeout in seconds within (0, [`MAX_TIMEOUT_S`]] (the manifest's and `--timeout`'s range).
pub fn check_seconds(v: f64) -> std::result::Result<Duration, String> {
    if !(v.is_finite() && v > 0.0 && v <= MAX_TIMEOUT_S) {
        return Err(format!(
            "must be a number of seconds > 0 and <= {MAX_TIMEOUT_S}, got {v}"
        ));
    }
    Ok(Duration::from_secs_f64(v))
}

/// clap parser of `-n`/`-i`: a whole number from 1 to [`MAX_COUNT`], like the manifest.
pub fn parse_count(text: &str) -> std::result::Result<u32, String> {
    match text.trim().parse::<i64>() {
        Ok(v) => positive(Some(v), 1).map_err(|e| e.to_string()),
        Err(_) => Err(format!(
            "expected a whole number from 1 to {MAX_COUNT}, got '{text}'"
        )),
    }
}

/// clap parser of `--timeout`: seconds in (0, [`MAX_TIMEOUT_S`]], like the manifest.
pub fn parse_timeout(text: &str) -> std::result::Result<f64, String> {
    let v: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("expected a number of seconds, got '{text}'"))?;
    check_seconds(v).map(|_| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Suite> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("fib.ruff"), "").unwrap();
        Suite::parse(text, dir.path(), Path::new("s/suite.toml"))
    }

    const GOOD: &str = r#"
        [suite]
        name = "jit"
        iterations = 20
        reference = "interp"
        [[benchmark]]
        name = "fib"
        file = "fib.ruff"
        result = " 75025 "
        tags = ["calls"]
        timeout = 2.5
    "#;

    #[test]
    fn parses_defaults_and_overrides() {
        let s = parse(GOOD).unwrap();
        assert_eq!(s.name, "jit");
        assert_eq!(
            (s.invocations, s.iterations),
            (DEFAULT_INVOCATIONS, Some(20))
        );
        assert_eq!(s.max_iterations, DEFAULT_MAX_ITERATIONS);
        assert_eq!(s.configs, configs::DEFAULT_CONFIGS);
        let b = &s.benchmarks[0];
        assert_eq!(b.expected, Expected::Result("75025".into()));
        assert_eq!(b.timeout, Some(Duration::from_millis(2500)));
        assert!(b.matches("fi") && b.matches("tag:calls") && !b.matches("tag:x"));
        assert_eq!(b.expectation, None);
        let planted = GOOD.replace(
            "timeout = 2.5",
            "expected_class = \"warmup\"\nexpected_warmup = 3",
        );
        assert_eq!(
            parse(&planted).unwrap().benchmarks[0].expectation,
            Some(Expectation {
                class: "warmup".into(),
                warmup: Some(3)
            })
        );
    }

    #[test]
    fn errors_name_the_file_and_field() {
        let cases = [
            (
                GOOD.replace("iterations = 20", "iterations = 0"),
                "field `suite.iterations`",
            ),
            (
                GOOD.replace("iterations = 20", "iteratons = 20"),
                "unknown field `iteratons`",
            ),
            (
                GOOD.replace("\"interp\"", "\"turbo\""),
                "field `suite.reference`",
            ),
            (GOOD.replace("fib.ruff", "nope.ruff"), "field `file`"),
            (
                GOOD.replace("timeout = 2.5", "expected_class = \"steady\""),
                "field `expected_class`: 'steady' is not a class",
            ),
            (
                GOOD.replace("timeout = 2.5", "expected_warmup = 3"),
                "field `expected_warmup`: needs `expected_class`",
            ),
            (
                GOOD.replace(
                    "timeout = 2.5",
                    "expected_class = \"flat\"\nexpected_warmup = 3",
                ),
                "only a warmup or slowdown has one",
            ),
            (
                GOOD.replace(
                    "timeout = 2.5",
                    "expected_class = \"warmup\"\nexpected_warmup = -1",
                ),
                "from 0 to",
            ),
            (
                GOOD.replace("result = \" 75025 \"", ""),
                "missing field `result`",
            ),
            (
                GOOD.replace("timeout = 2.5", "timeout = -1.0"),
                "field `timeout`",
            ),
            (
                GOOD.replace("name = \"fib\"", "name = \"a b\""),
                "field `name`",
            ),
            ("[suite]\nname = \"x\"\n".to_string(), "no [[benchmark]]"),
            ("[suite\n".to_string(), "invalid suite manifest"),
        ];
        for (text, needle) in cases {
            let e = format!("{:#}", parse(&text).unwrap_err());
            assert!(
                e.contains("s/suite.toml") && e.contains(needle),
                "{needle}: {e}"
            );
        }
    }
}
