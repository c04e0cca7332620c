//! Parser: tokens to the `ast` (stub; being written).

use crate::ast::Program;
use crate::error::Error;
use crate::span::Span;

/// Checks UTF-8, lexes and parses a whole file.
pub fn parse(_bytes: &[u8]) -> Result<Program, Error> {
    Err(Error::compile(Span::new(1, 1), "parser not implemented yet"))
}
