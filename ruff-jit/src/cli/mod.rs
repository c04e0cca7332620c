//! Command line of the `ruff` binary (ARCHITECTURE §5, DESIGN.md "`ruff bench` protocol").
//!
//! Raw flags are parsed by clap into `Cli`, then resolved (config string, file contents) in
//! `run`/`bench`. Exit codes: 0 ok, 64 usage (bad flag, unknown config, unreadable file),
//! 65 compile error, 70 runtime error. The engine runs on a thread with a 1 GiB stack so that
//! 10,000 nested Ruff calls in any mix of interpreted and compiled frames never exhaust the
//! native stack.

mod bench;
mod observe;
mod run;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use ruff_core::error::EXIT_USAGE;
use ruff_core::{Config, Engine};

/// Native stack of the thread that runs Ruff code.
const ENGINE_STACK_BYTES: usize = 1 << 30;

#[derive(Parser, Debug)]
#[command(name = "ruff", version, about = "Run and benchmark Ruff programs")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run a program.
    Run(RunArgs),
    /// Run a program's `run()` entry N times in one process, writing one JSON record per
    /// iteration.
    Bench(BenchArgs),
}

/// Flags shared by `run` and `bench`.
#[derive(Args, Debug, Clone)]
struct EngineArgs {
    /// Engine configuration: PRESET[:knob=value...] (presets: interp, interp-prof, jit,
    /// jit-spec, jit-spec-hoist; knobs: threshold, osr-threshold, max-deopts, max-recompiles,
    /// max-compile-instructions, max-compile-registers, max-memory, fail-guards; see
    /// docs/LIMITS.md).
    #[arg(long, default_value = "jit-spec")]
    config: String,
    /// Print the JIT's Cranelift IR of each compiled function to stderr.
    #[arg(long)]
    dump_clif: bool,
    /// Report compiles, failures and deopts on stderr.
    #[arg(long)]
    trace_jit: bool,
    /// Write /tmp/perf-PID.map naming each compiled function (`ruff:NAME@FILE:LINE`) for
    /// `perf report`.
    #[arg(long)]
    perf_map: bool,
    /// Write JIT events (compiles, OSR entries, deopts with source line and reason,
    /// recompiles) to PATH, one JSON object a line.
    #[arg(long, value_name = "PATH")]
    events: Option<PathBuf>,
    /// Sample the Ruff call stack and write it to PATH in the folded-stack format
    /// (`frame;frame;... count`, for flamegraph tools; method in docs/PROFILING.md).
    #[arg(long, value_name = "PATH")]
    profile: Option<PathBuf>,
    /// With --profile: the sampling interval in microseconds (10 to 1000000).
    #[arg(long, value_name = "US", default_value_t = 1000,
          value_parser = clap::value_parser!(u64).range(10..=1_000_000))]
    profile_interval_us: u64,
    /// With --profile: also write the samples' timeline (`t_ms,tier,samples`) to PATH.
    #[arg(long, value_name = "PATH", requires = "profile")]
    profile_timeline: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct RunArgs {
    /// The program to run.
    file: PathBuf,
    #[command(flatten)]
    engine: EngineArgs,
    /// Print the engine's counters as JSON on stderr after the run.
    #[arg(long)]
    stats: bool,
    /// Print the compiled bytecode on stderr before running.
    #[arg(long)]
    dump_bytecode: bool,
}

#[derive(Args, Debug)]
struct BenchArgs {
    /// The benchmark program.
    file: PathBuf,
    #[command(flatten)]
    engine: EngineArgs,
    /// Iterations in this process (iteration 0 runs the top level).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..),
          required_unless_present = "until_stable", conflicts_with = "until_stable")]
    iterations: Option<u32>,
    /// Instead of a fixed count: iterate until the last K iterations are stable and free of
    /// compiles and deopts (rule in docs/DESIGN.md, "`ruff bench` protocol"), within
    /// --max-iterations and --max-time.
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u32).range(1..=1000))]
    until_stable: Option<u32>,
    /// Cap on the iterations of --until-stable (iteration 0 included).
    #[arg(long, value_name = "N", default_value_t = 200,
          value_parser = clap::value_parser!(u32).range(1..))]
    max_iterations: u32,
    /// Cap in seconds on the time of --until-stable: no iteration starts after it (0 to
    /// 86400).
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0, value_parser = parse_max_time,
          allow_negative_numbers = true)]
    max_time: f64,
    /// Where to write the JSON records (default: stderr).
    #[arg(long)]
    records: Option<PathBuf>,
}

/// The longest `--max-time`: one day, as the harness's longest timeout.
const MAX_TIME_S: f64 = 86_400.0;

/// clap parser of `--max-time`: a finite number of seconds from 0 to [`MAX_TIME_S`] (NaN,
/// infinities and negative numbers are usage errors, not clamped).
fn parse_max_time(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if (0.0..=MAX_TIME_S).contains(&v) => Ok(v),
        _ => Err(format!(
            "expected a number of seconds from 0 to {MAX_TIME_S}, got '{text}'"
        )),
    }
}

/// A failure that ends the process with `code` after printing `message` (if any).
#[derive(Debug)]
pub(crate) struct Exit {
    pub code: i32,
    pub message: Option<String>,
}

impl Exit {
    pub(crate) fn usage(message: String) -> Exit {
        Exit {
            code: EXIT_USAGE,
            message: Some(format!("ruff: {message}")),
        }
    }
}

/// Parses the command line, runs it on the big-stack thread, returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap uses 2 for usage errors; ours is 64. Help and version are successes.
            return if e.use_stderr() { EXIT_USAGE } else { 0 };
        }
    };
    let worker = std::thread::Builder::new()
        .name("ruff-engine".into())
        .stack_size(ENGINE_STACK_BYTES)
        .spawn(move || dispatch(cli));
    let result = match worker {
        Ok(handle) => handle.join().unwrap_or_else(|_| {
            Err(Exit {
                code: 70,
                message: Some("ruff: internal error: the engine panicked".into()),
            })
        }),
        Err(e) => Err(Exit {
            code: 70,
            message: Some(format!("ruff: cannot start the engine thread: {e}")),
        }),
    };
    match result {
        Ok(()) => 0,
        Err(exit) => {
            if let Some(m) = exit.message {
                eprint!("{m}");
                if !m.ends_with('\n') {
                    eprintln!();
                }
            }
            exit.code
        }
    }
}

fn dispatch(cli: Cli) -> Result<(), Exit> {
    match cli.command {
        Command::Run(args) => run::run(args),
        Command::Bench(args) => bench::bench(args),
    }
}

/// Resolves the config and reads the file: the usage errors (exit 64).
fn prepare(file: &std::path::Path, args: &EngineArgs) -> Result<(Config, Vec<u8>), Exit> {
    let config = Config::parse(&args.config).map_err(|e| Exit::usage(e.to_string()))?;
    let source = ruff_core::source::read_source(file).map_err(Exit::usage)?;
    Ok((config, source))
}

/// An engine for `config`, with the Cranelift tier when the config compiles; `file` names
/// the program in perf map symbols.
fn make_engine(config: &Config, args: &EngineArgs, file: &std::path::Path) -> Engine {
    let options = ruff_jit::JitOptions {
        dump_clif: args.dump_clif,
        trace: args.trace_jit,
        perf_map: args.perf_map.then(|| observe::symbol_file_name(file)),
        deopt_reasons: args.events.is_some(),
        sample_checks: args.profile.is_some(),
    };
    let mut engine = Engine::tiered(config.clone(), |c| ruff_jit::new_tier(c, options));
    engine.set_trace_jit(args.trace_jit);
    engine
}

/// Loads the program: a compile error is rendered and exits 65.
fn load(engine: &mut Engine, file: &std::path::Path, source: &[u8]) -> Result<(), Exit> {
    let name = file.to_string_lossy();
    engine.load(&name, source).map_err(|e| Exit {
        code: e.exit_code(),
        message: Some(engine.render_error(&e)),
    })
}
