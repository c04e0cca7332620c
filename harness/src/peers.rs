//! Other languages as configs: `lua5.4`, `luajit`, `python3`, `node` and `native` run a
//! benchmark's *twin*, a program in another language beside its `.ruff` file, so Ruff's
//! configs and their peers share one plan, one analysis and one report (`suites/README.md`,
//! "Twins in other languages").
//!
//! - A twin is found by convention: `NAME.lua` (lua5.4, luajit), `NAME.py` (python3),
//!   `NAME.js` (node) or `NAME.rs` (native) beside the benchmark's `NAME.ruff`.
//! - Each peer's program (`lua5.4`, `luajit`, `python3`, `node`, `rustc`) is looked up on
//!   PATH once, at plan time. A peer whose program is missing, and a (benchmark, peer) pair
//!   without a twin, are *skipped*: reported before the run and in `run.json`, never run,
//!   never a failure, so a machine without node still runs every other config.
//! - Twins speak the `ruff bench` record protocol (`exec::twin` runs them).
//!
//! This module decides what runs; `exec::twin` runs it.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Result};

use crate::exec::Measure;
use crate::manifest::{Benchmark, Suite};

/// A peer language implementation, usable as a config name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Peer {
    Lua54,
    LuaJit,
    Python3,
    Node,
    /// The Rust twin compiled once per run with `rustc -O`.
    Native,
}

impl Peer {
    pub const ALL: [Peer; 5] = [
        Peer::Lua54,
        Peer::LuaJit,
        Peer::Python3,
        Peer::Node,
        Peer::Native,
    ];

    /// The config name (`--configs lua5.4`).
    pub fn name(self) -> &'static str {
        match self {
            Peer::Lua54 => "lua5.4",
            Peer::LuaJit => "luajit",
            Peer::Python3 => "python3",
            Peer::Node => "node",
            Peer::Native => "native",
        }
    }

    pub fn from_name(name: &str) -> Option<Peer> {
        Peer::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The extension of this peer's twins (`NAME.EXT` beside `NAME.ruff`).
    pub fn extension(self) -> &'static str {
        match self {
            Peer::Lua54 | Peer::LuaJit => "lua",
            Peer::Python3 => "py",
            Peer::Node => "js",
            Peer::Native => "rs",
        }
    }

    /// The program looked up on PATH: the interpreter, or the compiler for `native`.
    pub fn program(self) -> &'static str {
        match self {
            Peer::Native => "rustc",
            other => other.name(),
        }
    }

    /// The twin of `benchmark` for this peer (which may not exist).
    pub fn twin(self, benchmark: &Benchmark) -> PathBuf {
        benchmark.path.with_extension(self.extension())
    }

    /// The arguments that print the program's version (first line kept).
    fn version_args(self) -> &'static [&'static str] {
        match self {
            Peer::Lua54 | Peer::LuaJit => &["-v"],
            _ => &["--version"],
        }
    }
}

/// True if `config` names a peer rather than a Ruff engine configuration.
pub fn is_peer(config: &str) -> bool {
    Peer::from_name(config).is_some()
}

/// A peer's program as found on this machine.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Found {
    pub config: String,
    pub program: PathBuf,
    /// First line of `PROGRAM --version` (`-v` for Lua), for `run.json`.
    pub version: String,
}

/// Something of the plan that will not run, and why.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Skip {
    pub config: String,
    /// `None`: the whole config (its program is missing).
    pub benchmark: Option<String>,
    pub reason: String,
}

/// The peers of a plan: their programs and what is skipped.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Peers {
    pub found: Vec<Found>,
    pub skipped: Vec<Skip>,
}

impl Peers {
    /// Finds the programs of the peer configs among `configs` and the twins of every
    /// benchmark; checks that peers can give what `measure` asks for.
    pub fn resolve(suites: &[Suite], configs: &[String], measure: Measure) -> Result<Peers> {
        let mut peers = Peers::default();
        for config in configs {
            let Some(peer) = Peer::from_name(config) else {
                continue;
            };
            if measure == Measure::Instructions {
                bail!(
                    "--measure instructions counts the iterations of `ruff bench` only; \
                     '{config}' runs a twin in another language (use --measure wall)"
                );
            }
            match locate(peer) {
                Some(found) => peers.found.push(found),
                None => {
                    peers.skipped.push(Skip {
                        config: config.clone(),
                        benchmark: None,
                        reason: format!("`{}` not found on PATH", peer.program()),
                    });
                    continue;
                }
            }
            for benchmark in suites.iter().flat_map(|s| &s.benchmarks) {
                let twin = peer.twin(benchmark);
                if !twin.is_file() {
                    peers.skipped.push(Skip {
                        config: config.clone(),
                        benchmark: Some(benchmark.name.clone()),
                        reason: format!("no twin {}", twin.display()),
                    });
                }
            }
        }
        Ok(peers)
    }

    /// Whether `benchmark` runs under `config` (always, for a Ruff config).
    pub fn runs(&self, benchmark: &Benchmark, config: &str) -> bool {
        !self.skipped.iter().any(|s| {
            s.config == config && s.benchmark.as_ref().is_none_or(|b| *b == benchmark.name)
        })
    }

    /// The program of a found peer config.
    pub fn program(&self, config: &str) -> Option<&Path> {
        self.found
            .iter()
            .find(|f| f.config == config)
            .map(|f| f.program.as_path())
    }

    /// One line per skipped config (benchmarks grouped), for the terminal.
    pub fn skip_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for config in
            self.skipped
                .iter()
                .map(|s| &s.config)
                .fold(Vec::<&String>::new(), |mut seen, c| {
                    if !seen.contains(&c) {
                        seen.push(c);
                    }
                    seen
                })
        {
            let of: Vec<&Skip> = self
                .skipped
                .iter()
                .filter(|s| &s.config == config)
                .collect();
            if let Some(whole) = of.iter().find(|s| s.benchmark.is_none()) {
                lines.push(format!("skipped: config {config}: {}", whole.reason));
                continue;
            }
            let names: Vec<&str> = of.iter().filter_map(|s| s.benchmark.as_deref()).collect();
            let ext = Peer::from_name(config).map_or("", |p| p.extension());
            lines.push(format!(
                "skipped: {config} on {} benchmark(s) without a twin (NAME.{ext} beside NAME.ruff): {}",
                names.len(),
                names.join(", ")
            ));
        }
        lines
    }
}

/// Finds `peer`'s program on PATH and asks its version. For python3 the real interpreter
/// (`sys.executable`) replaces what PATH holds, which may be a wrapper script such as a
/// pyenv shim that adds a second process start to every invocation.
fn locate(peer: Peer) -> Option<Found> {
    let mut program = find_on_path(peer.program())?;
    if peer == Peer::Python3 {
        if let Some(real) = first_line(&program, &["-c", "import sys; print(sys.executable)"])
            .map(PathBuf::from)
            .filter(|p| p.is_file())
        {
            program = real;
        }
    }
    let version = first_line(&program, peer.version_args()).unwrap_or_default();
    Some(Found {
        config: peer.name().to_string(),
        program,
        version,
    })
}

/// The first non-empty line a program prints on stdout or stderr (Lua prints its version on
/// stdout, some Pythons on stderr); `None` if it cannot run.
fn first_line(program: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .ok()?;
    let text = [out.stdout, out.stderr].concat();
    String::from_utf8_lossy(&text)
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_string)
}

/// The first executable file called `name` in PATH's folders.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| {
            p.metadata()
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Expected;

    fn bench(dir: &Path, name: &str) -> Benchmark {
        Benchmark::new(
            name,
            dir.join(format!("{name}.ruff")),
            Expected::Result("1".into()),
        )
    }

    #[test]
    fn names_and_twins_follow_the_convention() {
        for peer in Peer::ALL {
            assert_eq!(Peer::from_name(peer.name()), Some(peer));
        }
        assert!(is_peer("luajit") && !is_peer("interp") && !is_peer("lua"));
        let b = bench(Path::new("/s"), "fib");
        assert_eq!(Peer::Lua54.twin(&b), Path::new("/s/fib.lua"));
        assert_eq!(Peer::LuaJit.twin(&b), Path::new("/s/fib.lua"));
        assert_eq!(Peer::Python3.twin(&b), Path::new("/s/fib.py"));
        assert_eq!(Peer::Node.twin(&b), Path::new("/s/fib.js"));
        assert_eq!(Peer::Native.twin(&b), Path::new("/s/fib.rs"));
    }

    #[test]
    fn missing_twins_and_programs_are_skips() {
        let peers = Peers {
            found: vec![],
            skipped: vec![
                Skip {
                    config: "node".into(),
                    benchmark: None,
                    reason: "`node` not found on PATH".into(),
                },
                Skip {
                    config: "native".into(),
                    benchmark: Some("b".into()),
                    reason: "no twin b.rs".into(),
                },
            ],
        };
        let dir = Path::new("/s");
        assert!(!peers.runs(&bench(dir, "a"), "node"));
        assert!(!peers.runs(&bench(dir, "b"), "native"));
        assert!(peers.runs(&bench(dir, "a"), "native"));
        assert!(peers.runs(&bench(dir, "a"), "interp"));
        let lines = peers.skip_lines();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].contains("node") && lines[0].contains("not found"));
        assert!(lines[1].contains("NAME.rs") && lines[1].ends_with(": b"));
    }

    #[test]
    fn instruction_counts_refuse_peers() {
        let e = Peers::resolve(&[], &["luajit".to_string()], Measure::Instructions)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("'luajit'") && e.contains("--measure wall"),
            "{e}"
        );
        assert!(Peers::resolve(&[], &["interp".to_string()], Measure::Instructions).is_ok());
    }
}
