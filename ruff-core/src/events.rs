//! JIT events for `ruff run/bench --events out.jsonl` (issue 11): every compile (and failed
//! compile), OSR entry, deoptimization and recompilation decision, as the VM's tiering code
//! (`vm/tiering.rs`) makes them.
//!
//! The VM holds an `Option<Box<dyn EventSink>>` and tests it only on paths that are already
//! cold (compiling, entering compiled code by OSR, a deopt), so a run without a sink pays
//! one branch there and nothing on the interpreter's or compiled code's hot paths.
//!
//! [`JsonLines`] writes one JSON object a line; every line has `event` and `t_ns`
//! (nanoseconds since the process's time origin, `sampler::epoch`, shared with the
//! profiler's timeline). Fields per event are listed on [`Event`].

use std::io::Write;

use crate::abi::DeoptReason;

/// One event. `function` is the trace name (`f`, `Point.norm`, `<main>`), `line` the line of
/// the function's first instruction.
#[derive(Clone, Debug, PartialEq)]
pub enum Event<'a> {
    /// `compile`: a function was compiled (`reason` `call` or `osr`, `kind` the code made:
    /// `baseline` or `specialized`), with its bytecode size, machine code bytes and time.
    Compile {
        function: &'a str,
        line: u32,
        reason: &'static str,
        kind: &'static str,
        instructions: usize,
        code_bytes: usize,
        compile_ns: u64,
        /// The code replaces code dropped after deopts.
        recompile: bool,
    },
    /// `compile_failed`: the function stays interpreted, `why`.
    CompileFailed {
        function: &'a str,
        line: u32,
        why: &'a str,
    },
    /// `osr_entry`: the interpreter entered compiled code at the loop header `pc`.
    OsrEntry {
        function: &'a str,
        pc: u32,
        line: u32,
    },
    /// `deopt`: compiled code left for the interpreter at `pc` (source `line:col`); `reason`
    /// is the guard kind when the tier reported it; `count` the deopts at this pc so far.
    Deopt {
        function: &'a str,
        pc: u32,
        line: u32,
        col: u32,
        reason: Option<DeoptReason>,
        count: u32,
    },
    /// `recompile`: after `deopts` deopts the code was dropped; the next call compiles it
    /// again without speculation at `no_speculation_at` (`gave_up`: nothing new to avoid, the
    /// function stays interpreted instead).
    Recompile {
        function: &'a str,
        line: u32,
        deopts: u32,
        no_speculation_at: &'a [u32],
        gave_up: bool,
    },
}

impl Event<'_> {
    /// The `event` field.
    pub fn name(&self) -> &'static str {
        match self {
            Event::Compile { .. } => "compile",
            Event::CompileFailed { .. } => "compile_failed",
            Event::OsrEntry { .. } => "osr_entry",
            Event::Deopt { .. } => "deopt",
            Event::Recompile { .. } => "recompile",
        }
    }

    /// The event as one JSON object (no newline).
    pub fn to_json(&self, t_ns: u64) -> String {
        let mut s = format!("{{\"event\":\"{}\",\"t_ns\":{t_ns}", self.name());
        let mut field = |k: &str, v: String| {
            s.push_str(&format!(",\"{k}\":{v}"));
        };
        match self {
            Event::Compile {
                function,
                line,
                reason,
                kind,
                instructions,
                code_bytes,
                compile_ns,
                recompile,
            } => {
                field("function", quote(function));
                field("line", line.to_string());
                field("reason", quote(reason));
                field("kind", quote(kind));
                field("instructions", instructions.to_string());
                field("code_bytes", code_bytes.to_string());
                field("compile_ns", compile_ns.to_string());
                field("recompile", recompile.to_string());
            }
            Event::CompileFailed {
                function,
                line,
                why,
            } => {
                field("function", quote(function));
                field("line", line.to_string());
                field("why", quote(why));
            }
            Event::OsrEntry { function, pc, line } => {
                field("function", quote(function));
                field("pc", pc.to_string());
                field("line", line.to_string());
            }
            Event::Deopt {
                function,
                pc,
                line,
                col,
                reason,
                count,
            } => {
                field("function", quote(function));
                field("pc", pc.to_string());
                field("line", line.to_string());
                field("col", col.to_string());
                let why = reason.map_or("unknown", |r| reason_name(r));
                field("reason", quote(why));
                field("count", count.to_string());
            }
            Event::Recompile {
                function,
                line,
                deopts,
                no_speculation_at,
                gave_up,
            } => {
                field("function", quote(function));
                field("line", line.to_string());
                field("deopts", deopts.to_string());
                let pcs: Vec<String> = no_speculation_at.iter().map(|p| p.to_string()).collect();
                field("no_speculation_at", format!("[{}]", pcs.join(",")));
                field("gave_up", gave_up.to_string());
            }
        }
        s.push('}');
        s
    }
}

/// A short stable name of a deopt reason (the `reason` field of `deopt` events).
pub fn reason_name(r: DeoptReason) -> &'static str {
    match r {
        DeoptReason::Guard => "type_guard",
        DeoptReason::HoistedGuard => "hoisted_guard",
        DeoptReason::OsrEntry => "osr_entry_guard",
        DeoptReason::Division => "division",
        DeoptReason::Shift => "shift",
        DeoptReason::NoFeedback => "no_feedback",
    }
}

/// A JSON string literal of `s`.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Where the VM sends events.
pub trait EventSink {
    /// One event, `t_ns` nanoseconds after the process's time origin.
    fn event(&mut self, t_ns: u64, event: &Event<'_>);
}

/// Writes each event as a JSON line (write errors are dropped: events never fail a run).
pub struct JsonLines<W: Write> {
    out: W,
}

impl<W: Write> JsonLines<W> {
    pub fn new(out: W) -> JsonLines<W> {
        JsonLines { out }
    }
}

impl<W: Write> EventSink for JsonLines<W> {
    fn event(&mut self, t_ns: u64, event: &Event<'_>) {
        let _ = writeln!(self.out, "{}", event.to_json(t_ns));
    }
}

impl<W: Write> Drop for JsonLines<W> {
    fn drop(&mut self) {
        let _ = self.out.flush();
    }
}

/// Keeps events in memory (tests, and tools that read them back in-process).
#[derive(Default)]
pub struct Collected {
    pub lines: std::rc::Rc<std::cell::RefCell<Vec<String>>>,
}

impl EventSink for Collected {
    fn event(&mut self, t_ns: u64, event: &Event<'_>) {
        self.lines.borrow_mut().push(event.to_json(t_ns));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deopt_line_has_every_field() {
        let e = Event::Deopt {
            function: "f",
            pc: 4,
            line: 7,
            col: 12,
            reason: Some(DeoptReason::Guard),
            count: 2,
        };
        assert_eq!(
            e.to_json(5),
            "{\"event\":\"deopt\",\"t_ns\":5,\"function\":\"f\",\"pc\":4,\"line\":7,\"col\":12,\
             \"reason\":\"type_guard\",\"count\":2}"
        );
    }

    #[test]
    fn names_are_quoted() {
        assert_eq!(quote("a\"b\\c\n"), "\"a\\\"b\\\\c\\u000a\"");
    }
}
