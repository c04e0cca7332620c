//! JIT symbols for native profilers (`ruff run/bench --perf-map`, issue 11): the perf map
//! file `/tmp/perf-PID.map` that `perf report` reads to name code in anonymous executable
//! memory. One line per compiled function: `START SIZE NAME`, start and size in hex
//! without `0x` (the format perf's `util/symbol.c` parses for JIT maps).
//!
//! Names are `ruff:NAME@FILE:LINE` (LINE: the function's first instruction). A function
//! compiled for OSR (entered at a loop header) is `ruff:NAME@FILE:LINE [osr]`; code made
//! again after deopts adds ` [recompile]`. OSR entries and side exits are not separate
//! code: they are blocks inside their function's code (the entry dispatch at the start,
//! side exits in Cranelift's cold blocks at the end), so their samples count for the
//! function's symbol.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::PathBuf;

/// An open perf map of this process.
pub struct PerfMap {
    file: File,
    /// The source file name the symbols carry.
    source: String,
}

/// The perf map path of this process.
pub fn path() -> PathBuf {
    PathBuf::from(format!("/tmp/perf-{}.map", std::process::id()))
}

impl PerfMap {
    /// Creates (truncates) this process's map; `source` is the program's file name.
    pub fn create(source: &str) -> std::io::Result<PerfMap> {
        let file = OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(true)
            .open(path())?;
        Ok(PerfMap {
            file,
            source: source.to_string(),
        })
    }

    /// The symbol name of one compile.
    pub fn symbol(&self, function: &str, line: u32, osr: bool, recompile: bool) -> String {
        let mut name = format!("ruff:{function}@{}:{line}", self.source);
        if osr {
            name.push_str(" [osr]");
        }
        if recompile {
            name.push_str(" [recompile]");
        }
        name
    }

    /// Adds one symbol (written through at once: perf reads the file after the process
    /// ends, and a crash should not lose it).
    pub fn add(&mut self, start: *const u8, size: usize, name: &str) {
        let _ = writeln!(self.file, "{:x} {:x} {name}", start as usize, size);
        let _ = self.file.flush();
    }
}

/// One parsed line of a perf map: (start, size, name).
pub fn parse_line(line: &str) -> Option<(u64, u64, &str)> {
    let mut parts = line.splitn(3, ' ');
    let start = u64::from_str_radix(parts.next()?, 16).ok()?;
    let size = u64::from_str_radix(parts.next()?, 16).ok()?;
    Some((start, size, parts.next()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_round_trip() {
        assert_eq!(
            parse_line("7f12ab00 1c0 ruff:fib@prog.ruff:1"),
            Some((0x7f12ab00, 0x1c0, "ruff:fib@prog.ruff:1"))
        );
        assert_eq!(parse_line("zz 1 x"), None);
    }
}
