//! Parser: tokens to the `ast` (LANGUAGE.md grammar, LANGUAGE-DETAILS §2 newline rules),
//! reporting the first syntax error with the message and position of §6.
//!
//! Newlines are tokens. Whether they matter depends on context, kept in `ignore_newlines`:
//! inside `( )`, `[ ]`, dict and struct literals and `${ }` the cursor steps over them; inside
//! a block (which a closure may open within parentheses) they end statements again. Where an
//! operand must come (after an operator, `:=`, `if`, …) the grammar skips them explicitly.
//!
//! Recursion is bounded: every nested construct counts towards `MAX_NESTING`, so hostile
//! input gets a compile error instead of overflowing the native stack (and the compiler,
//! which walks the tree recursively, gets a tree of bounded depth).

mod expr;
mod stmt;

use rustc_hash::FxHashSet as HashSet;

use crate::ast::Program;
use crate::error::Error;
use crate::lexer::{self, Keyword, Punct, Token, TokenKind};
use crate::span::Span;

/// The deepest nesting of expressions and blocks a source file may have. Sized so that an
/// unoptimized build parses it on an 8 MiB stack (a release build needs under 2 MiB).
pub const MAX_NESTING: usize = 500;

/// Checks UTF-8, lexes and parses a whole file.
pub fn parse(bytes: &[u8]) -> Result<Program, Error> {
    let source = std::str::from_utf8(bytes).map_err(|err| {
        let valid = String::from_utf8_lossy(&bytes[..err.valid_up_to()]);
        Error::compile(position_after(&valid), "source is not valid UTF-8")
    })?;
    let tokens = lexer::lex(source)?;
    let struct_names = declared_struct_names(&tokens);
    let mut parser = Parser::new(&tokens, &struct_names, false, 0);
    parser.parse_program()
}

/// The position just past the end of `text` (1-based line and column).
fn position_after(text: &str) -> Span {
    let line = 1 + text.matches('\n').count();
    let last_line = text.rsplit('\n').next().unwrap_or("");
    Span::new(line as u32, last_line.chars().count() as u32 + 1)
}

/// `NAME {` may open a struct literal only if NAME is declared as a struct anywhere in the
/// file, even after its use, so struct names are collected before parsing.
fn declared_struct_names(tokens: &[Token]) -> HashSet<String> {
    tokens
        .windows(2)
        .filter_map(|pair| match (&pair[0].kind, &pair[1].kind) {
            (TokenKind::Keyword(Keyword::Struct), TokenKind::Ident(name)) => Some(name.clone()),
            _ => None,
        })
        .collect()
}

/// A cursor over one token list (the file, or one `${ }` of a string).
struct Parser<'t> {
    tokens: &'t [Token],
    pos: usize,
    struct_names: &'t HashSet<String>,
    ignore_newlines: bool,
    depth: usize,
}

impl<'t> Parser<'t> {
    fn new(
        tokens: &'t [Token],
        struct_names: &'t HashSet<String>,
        ignore_newlines: bool,
        depth: usize,
    ) -> Parser<'t> {
        Parser {
            tokens,
            pos: 0,
            struct_names,
            ignore_newlines,
            depth,
        }
    }

    /// The index of the first token at or after `from` that the current context sees.
    fn visible_from(&self, from: usize) -> usize {
        let mut index = from.min(self.tokens.len() - 1);
        if self.ignore_newlines {
            while self.tokens[index].kind == TokenKind::Newline {
                index += 1;
            }
        }
        index
    }

    fn peek(&self) -> &'t Token {
        &self.tokens[self.visible_from(self.pos)]
    }

    /// The visible token after the next one.
    fn peek_second(&self) -> &'t Token {
        let next = self.visible_from(self.pos);
        &self.tokens[self.visible_from(next + 1)]
    }

    /// Consumes the next visible token (the final `Eof` is never stepped over).
    fn advance(&mut self) -> &'t Token {
        let index = self.visible_from(self.pos);
        let token = &self.tokens[index];
        if token.kind != TokenKind::Eof {
            self.pos = index + 1;
        } else {
            self.pos = index;
        }
        token
    }

    fn skip_newlines(&mut self) {
        while self.tokens[self.pos].kind == TokenKind::Newline {
            self.pos += 1;
        }
    }

    fn at_punct(&self, punct: Punct) -> bool {
        self.peek().kind == TokenKind::Punct(punct)
    }

    fn at_keyword(&self, keyword: Keyword) -> bool {
        self.peek().kind == TokenKind::Keyword(keyword)
    }

    fn eat_punct(&mut self, punct: Punct) -> bool {
        let found = self.at_punct(punct);
        if found {
            self.advance();
        }
        found
    }

    /// `expected WANTED, found D` at the next visible token.
    fn expected(&self, wanted: &str) -> Error {
        let found = self.peek();
        let message = format!("expected {wanted}, found {}", found.kind.describe());
        Error::compile(found.span, message)
    }

    fn expect_punct(&mut self, punct: Punct) -> Result<Span, Error> {
        if self.at_punct(punct) {
            Ok(self.advance().span)
        } else {
            Err(self.expected(&format!("'{}'", punct.text())))
        }
    }

    /// An identifier, or `expected WHAT, found D` (`what` is `variable name`, ...).
    fn expect_ident(&mut self, what: &str) -> Result<(String, Span), Error> {
        match &self.peek().kind {
            TokenKind::Ident(name) => {
                let span = self.advance().span;
                Ok((name.clone(), span))
            }
            _ => Err(self.expected(what)),
        }
    }

    /// Enters one more level of nesting at the next token.
    fn descend(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            let message = format!("code is nested too deeply (more than {MAX_NESTING} levels)");
            return Err(Error::compile(self.peek().span, message));
        }
        Ok(())
    }

    fn ascend(&mut self, levels: usize) {
        self.depth -= levels;
    }

    /// Runs `inside` with line breaks ignored (`true`) or significant (`false`), restoring
    /// the surrounding context afterwards.
    fn with_newlines<T>(
        &mut self,
        ignore: bool,
        inside: impl FnOnce(&mut Self) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let saved = std::mem::replace(&mut self.ignore_newlines, ignore);
        let result = inside(self);
        self.ignore_newlines = saved;
        result
    }

    /// Items up to `close` (the opener already consumed), comma separated, trailing comma
    /// allowed, line breaks ignored.
    fn parse_list<T>(
        &mut self,
        close: Punct,
        mut item: impl FnMut(&mut Self) -> Result<T, Error>,
    ) -> Result<Vec<T>, Error> {
        self.with_newlines(true, |p| {
            let mut items = Vec::new();
            loop {
                if p.eat_punct(close) {
                    return Ok(items);
                }
                items.push(item(p)?);
                if !p.eat_punct(Punct::Comma) {
                    p.expect_punct(close)?;
                    return Ok(items);
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_position_counts_characters() {
        assert_eq!(position_after(""), Span::new(1, 1));
        assert_eq!(position_after("ab\nπx"), Span::new(2, 3));
        assert_eq!(position_after("a\n"), Span::new(2, 1));
    }

    #[test]
    fn invalid_utf8_is_reported_at_the_bad_byte() {
        let err = parse(b"x := 1\nyy\xff").unwrap_err();
        assert_eq!(err.message, "source is not valid UTF-8");
        assert_eq!(err.span, Span::new(2, 3));
    }
}
