//! Errors of Ruff programs: compile errors (exit 65) and runtime errors (exit 70), each with
//! the position LANGUAGE-DETAILS.md §6 prescribes, rendered with the source line and a caret.

use std::fmt;
use std::rc::Rc;

use crate::span::Span;

/// Exit code of a compile (lexical, syntax or static) error.
pub const EXIT_COMPILE: i32 = 65;
/// Exit code of a runtime error.
pub const EXIT_RUNTIME: i32 = 70;
/// Exit code of a usage error (missing file, bad flag, unknown config).
pub const EXIT_USAGE: i32 = 64;

#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Found before anything runs: lexical, syntax or static errors.
    Compile,
    /// Raised while the program runs.
    Runtime,
}

/// One line of a runtime error's stack trace: `at NAME (FILE:LINE)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceEntry {
    pub name: Rc<str>,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub span: Span,
    pub message: String,
    /// Innermost frame first, ending with `<main>` (runtime errors only).
    pub trace: Vec<TraceEntry>,
}

impl Error {
    pub fn compile(span: Span, message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Compile,
            span,
            message: message.into(),
            trace: Vec::new(),
        }
    }

    pub fn runtime(span: Span, message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Runtime,
            span,
            message: message.into(),
            trace: Vec::new(),
        }
    }

    pub fn exit_code(&self) -> i32 {
        match self.kind {
            ErrorKind::Compile => EXIT_COMPILE,
            ErrorKind::Runtime => EXIT_RUNTIME,
        }
    }

    /// The full text for stderr (LANGUAGE-DETAILS §6): header, source line, caret line and,
    /// for runtime errors, the trace (at most 20 lines, then `  ... N more frames`).
    pub fn render(&self, file: &str, source: &str) -> String {
        let label = match self.kind {
            ErrorKind::Compile => "error",
            ErrorKind::Runtime => "runtime error",
        };
        let mut out = format!(
            "{file}:{}:{}: {label}: {}\n",
            self.span.line, self.span.col, self.message
        );
        let line_text = source
            .split('\n')
            .nth(self.span.line.saturating_sub(1) as usize)
            .unwrap_or("");
        let line_text = line_text.strip_suffix('\r').unwrap_or(line_text);
        out.push_str(line_text);
        out.push('\n');
        let mut caret = String::new();
        for ch in line_text
            .chars()
            .take(self.span.col.saturating_sub(1) as usize)
        {
            caret.push(if ch == '\t' { '\t' } else { ' ' });
        }
        // A column past the end of the line (end of file) still gets its caret.
        let shown = line_text.chars().count();
        for _ in shown..self.span.col.saturating_sub(1) as usize {
            caret.push(' ');
        }
        caret.push('^');
        out.push_str(&caret);
        out.push('\n');
        if self.kind == ErrorKind::Runtime {
            for entry in self.trace.iter().take(20) {
                out.push_str(&format!("  at {} ({file}:{})\n", entry.name, entry.line));
            }
            if self.trace.len() > 20 {
                out.push_str(&format!("  ... {} more frames\n", self.trace.len() - 20));
            }
        }
        out
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.span.line, self.span.col, self.message)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_runtime_error_with_caret_and_trace() {
        let mut e = Error::runtime(Span::new(2, 6), "division by zero");
        e.trace.push(TraceEntry {
            name: "f".into(),
            line: 2,
        });
        e.trace.push(TraceEntry {
            name: "<main>".into(),
            line: 3,
        });
        let text = e.render("t.ruff", "x := 1\n\tx := 1 / 0\nf()\n");
        assert_eq!(
            text,
            "t.ruff:2:6: runtime error: division by zero\n\tx := 1 / 0\n\t    ^\n  at f (t.ruff:2)\n  at <main> (t.ruff:3)\n"
        );
        assert_eq!(e.exit_code(), 70);
    }
}
