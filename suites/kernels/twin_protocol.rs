//! The twin protocol of the Rust kernels (suites/README.md, "Twins in other languages"),
//! a module of each `NAME.rs` (`mod twin_protocol;`; `rustc -O NAME.rs` finds it beside
//! the kernel). A kernel's `run()` does the work once and returns its checksum;
//! `twin_protocol::main(run)` is its `main`:
//!
//! ```text
//! NAME                          one run(): prints `Result: CHECKSUM`
//! NAME ITERATIONS [RECORDS]     ITERATIONS runs, one JSON record each
//! ```
//!
//! Each record is `{"iteration":I,"wall_ns":W,"stdout_bytes":B,"clock":"monotonic"}`
//! (RECORDS, or stderr); W times run() and the printing of its Result line with
//! `std::time::Instant` (monotonic).

use std::fs::File;
use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

fn once(run: fn() -> i64) -> usize {
    let line = format!("Result: {}\n", run());
    let mut out = std::io::stdout().lock();
    // A closed stdout leaves the record's byte count wrong, which the harness reports.
    let _ = out.write_all(line.as_bytes()).and_then(|()| out.flush());
    line.len()
}

fn usage(message: &str) -> ExitCode {
    let me = std::env::args().next().unwrap_or_default();
    eprintln!("{me}: {message}\nusage: {me} [ITERATIONS [RECORDS]]");
    ExitCode::from(2)
}

pub fn main(run: fn() -> i64) -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        once(run);
        return ExitCode::SUCCESS;
    }
    if args.len() > 2 {
        return usage("too many arguments");
    }
    let iterations = match args[0].parse::<u64>() {
        Ok(n) if n >= 1 => n,
        _ => return usage(&format!("ITERATIONS must be a positive integer, got '{}'", args[0])),
    };
    let mut records: Box<dyn Write> = match args.get(1) {
        None => Box::new(std::io::stderr()),
        Some(path) => match File::create(path) {
            Ok(f) => Box::new(f),
            Err(e) => return usage(&format!("cannot write records: {e}")),
        },
    };
    for i in 0..iterations {
        let start = Instant::now();
        let bytes = once(run);
        let wall_ns = start.elapsed().as_nanos();
        let line = format!(
            "{{\"iteration\":{i},\"wall_ns\":{wall_ns},\"stdout_bytes\":{bytes},\
             \"clock\":\"monotonic\"}}\n"
        );
        if records.write_all(line.as_bytes()).and_then(|()| records.flush()).is_err() {
            return usage("cannot write records");
        }
    }
    ExitCode::SUCCESS
}
