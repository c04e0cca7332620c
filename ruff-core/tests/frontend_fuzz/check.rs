//! The front-end check both fuzzers run on every input: the coverage-guided cargo-fuzz
//! target (`fuzz/fuzz_targets/frontend.rs` includes this file) and the stable mutation
//! fuzzer (`main.rs` here).
//!
//! It loads the input as `ruff run` does (`Engine::load`: UTF-8 check, lexer, parser,
//! bytecode compiler) and disassembles the result; a compile error must be a well-formed
//! one: exit code 65, a position inside the file, and the rendered text of
//! LANGUAGE-DETAILS §6 (`fuzz.ruff:LINE:COL: error: MESSAGE`, the source line, a caret).
//! A panic is left to propagate: the caller decides how to report it.

use ruff_core::{Config, Engine, ErrorKind};

/// The file name inputs are loaded under.
pub const FILE_NAME: &str = "fuzz.ruff";

/// The native stack the front end runs on, as in the `ruff` binary: deeply nested input
/// must give an error, never overflow the stack the binary gives it.
pub const STACK_BYTES: usize = 1 << 30;

/// Lexes, parses and compiles `source`: `Ok(true)` if it compiled, `Ok(false)` for a
/// well-formed compile error, `Err` naming a broken invariant.
pub fn check(source: &[u8]) -> Result<bool, String> {
    let mut engine = Engine::new(Config::parse("interp").expect("interp is a config"));
    engine.set_output(Box::new(std::io::sink()));
    let err = match engine.load(FILE_NAME, source) {
        Ok(()) => {
            return if engine.dump_bytecode().is_empty() {
                Err("a program compiled to no bytecode at all".to_string())
            } else {
                Ok(true)
            };
        }
        Err(err) => err,
    };
    if err.kind != ErrorKind::Compile || err.exit_code() != 65 {
        return Err(format!(
            "loading gave a non-compile error (exit {}): {err}",
            err.exit_code()
        ));
    }
    if err.message.is_empty() {
        return Err(format!("a compile error without a message at {err}"));
    }
    // The position is inside the file: a line that exists, at most one column past its end
    // (end of file, or a line break, is just past the last character).
    let text = String::from_utf8_lossy(source);
    let (line, col) = (err.span.line, err.span.col);
    let line_text = text.split('\n').nth((line as usize).wrapping_sub(1));
    let in_file = match line_text {
        Some(l) if col >= 1 => col as usize <= l.chars().count() + 1,
        _ => false,
    };
    if !in_file {
        return Err(format!(
            "compile error at {line}:{col}, outside the file: {}",
            err.message
        ));
    }
    let rendered = engine.render_error(&err);
    let header = format!("{FILE_NAME}:{line}:{col}: error: {}\n", err.message);
    if !rendered.starts_with(&header) || !rendered.ends_with("^\n") {
        return Err(format!("malformed error text: {rendered:?}"));
    }
    Ok(false)
}
