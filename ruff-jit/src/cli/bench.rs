//! `ruff bench FILE --config C --iterations N [--records PATH]` (DESIGN.md protocol):
//! iteration 0 runs the top level; if it defined a global `run` taking no parameters,
//! iterations 1..N-1 each call `run()`. After each iteration one JSON line goes to PATH
//! (or stderr): `{"iteration":I,"wall_ns":W,"stdout_bytes":B,<Stats deltas>}`.
//!
//! With `--until-stable K --max-iterations N --max-time S` instead of `--iterations`, the
//! process stops after the first iteration at which [`is_stable`] holds, or at N iterations,
//! or once S seconds have passed.

use std::cell::Cell;
use std::fs::File;
use std::io::Write;
use std::rc::Rc;
use std::time::Instant;

use ruff_core::stability::is_stable;
use ruff_core::{Engine, Error, Stats};

use super::{load, make_engine, prepare, BenchArgs, Exit};

/// Stdout that counts the bytes the program wrote.
struct CountingStdout {
    count: Rc<Cell<u64>>,
}

impl Write for CountingStdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = std::io::stdout().write(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stdout().flush()
    }
}

pub(super) fn bench(args: BenchArgs) -> Result<(), Exit> {
    let (config, source) = prepare(&args.file, &args.engine)?;
    let mut records: Box<dyn Write> = match &args.records {
        Some(path) => Box::new(
            File::create(path)
                .map_err(|e| Exit::usage(format!("cannot write '{}': {e}", path.display())))?,
        ),
        None => Box::new(std::io::stderr()),
    };
    let mut engine = make_engine(&config, &args.engine, &args.file);
    let observers = super::observe::Observers::attach(&mut engine, &args.engine)?;
    let count = Rc::new(Cell::new(0));
    engine.set_output(Box::new(CountingStdout {
        count: count.clone(),
    }));
    load(&mut engine, &args.file, &source)?;

    let iterations = args.iterations.unwrap_or(args.max_iterations).max(1);
    let deadline = args
        .until_stable
        .map(|_| Instant::now() + std::time::Duration::from_secs_f64(args.max_time));
    // (wall_ns, had an event) of iterations 1.., for the stability rule.
    let mut history: Vec<(u64, bool)> = Vec::new();
    let mut has_run = false;
    for i in 0..iterations {
        if i > 0 && !has_run {
            break;
        }
        if let (Some(k), Some(deadline)) = (args.until_stable, deadline) {
            if i > 0 && (is_stable(&history, k as usize) || Instant::now() >= deadline) {
                break;
            }
        }
        let before = engine.stats();
        let bytes_before = count.get();
        let started = Instant::now();
        let result = run_iteration(&mut engine, i);
        let wall_ns = started.elapsed().as_nanos() as u64;
        if let Err(e) = result {
            observers.finish(&mut engine)?;
            return Err(runtime_exit(&engine, &e));
        }
        if i == 0 {
            has_run = engine.has_function("run", 0);
        }
        let delta = engine.stats().delta(&before);
        if i > 0 {
            let event = delta.functions_compiled + delta.loops_compiled + delta.deopts > 0;
            history.push((wall_ns, event));
        }
        let line = record(i, wall_ns, count.get() - bytes_before, &delta);
        writeln!(records, "{line}")
            .and_then(|_| records.flush())
            .map_err(|e| Exit::usage(format!("cannot write records: {e}")))?;
    }
    observers.finish(&mut engine)
}

/// One measured iteration. `harness run --measure instructions` has callgrind dump its
/// counters on entry to and return from this function (`--dump-before/--dump-after`), and
/// callgrind honours only the first `--dump-before` pattern it is given, so both kinds of
/// iteration must go through one function for the counts to cover exactly the iteration
/// (and so repeat exactly from process to process). Never inlined: it must stay a symbol.
#[inline(never)]
pub(super) fn run_iteration(engine: &mut Engine, i: u32) -> Result<(), Error> {
    if i == 0 {
        engine.run_main()
    } else {
        engine.call_global("run", &[]).map(|_| ())
    }
}

fn runtime_exit(engine: &Engine, e: &Error) -> Exit {
    Exit {
        code: e.exit_code(),
        message: Some(engine.render_error(e)),
    }
}

/// One JSON record line.
fn record(iteration: u32, wall_ns: u64, stdout_bytes: u64, delta: &Stats) -> String {
    let stats = delta.to_json();
    let fields = &stats[1..stats.len() - 1];
    format!("{{\"iteration\":{iteration},\"wall_ns\":{wall_ns},\"stdout_bytes\":{stdout_bytes},{fields}}}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_lists_every_stats_field() {
        let line = record(3, 1000, 12, &Stats::default());
        assert!(line.starts_with("{\"iteration\":3,\"wall_ns\":1000,\"stdout_bytes\":12,"));
        for (name, _) in Stats::default().fields() {
            assert!(line.contains(&format!("\"{name}\":0")));
        }
        assert!(line.ends_with('}'));
    }
}
