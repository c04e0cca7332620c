//! Source positions. A `Span` is the 1-based line and column (counted in Unicode scalar
//! values, a tab counting 1) of the character an error or expression points at.

/// A position in a source file, as printed in `file:line:col`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub line: u32,
    pub col: u32,
}

impl Span {
    pub const fn new(line: u32, col: u32) -> Span {
        Span { line, col }
    }
}
