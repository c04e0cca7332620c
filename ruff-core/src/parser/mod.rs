//! Parser: tokens to the `ast` (LANGUAGE.md grammar, LANGUAGE-DETAILS §2 newline rules),
//! reporting the first syntax error with the message and position of §6.
//!
//! Newlines are tokens. Whether they matter depends on context, kept in `ignore_newlines`:
//! inside `( )`, `[ ]`, dict and struct literals and `${ }` the cursor steps over them; inside
//! a block (which a closure may open within parentheses) they end statements again. Where an
//! operand must come (after an operator, `:=`, `if`, …) the grammar skips them explicitly.
//!
//! Nesting is bounded: every parenthesis, bracket, brace, block, unary operator, `else if`
//! and `${` counts one level towards `MAX_NESTING`, so hostile input gets a compile error
//! instead of exhausting memory. The recursive functions run under `deep::guard`, which
//! grows the native stack, so any depth up to the limit parses on any thread. Flat chains
//! (`a + b + c`, `x.f(1)[2].g`) are built in loops and count nothing.
//!
//! Open brackets are kept on a stack, so that an error at the end of the file or at a
//! missing closer says where the innermost unclosed one was opened.

mod expr;
mod stmt;

use rustc_hash::FxHashSet as HashSet;

use crate::ast::Program;
use crate::error::Error;
use crate::lexer::{self, Keyword, Punct, Token, TokenKind};
use crate::span::Span;

/// The deepest nesting of expressions and blocks a source file may have (docs/LIMITS.md).
/// Far beyond hand-written code; it bounds the memory a deep tree takes in the parser and the
/// compiler (a few KiB of native stack per level).
pub const MAX_NESTING: usize = 100_000;

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
    /// Brackets opened and not yet closed, innermost last: the opener and its position.
    open: Vec<(Punct, Span)>,
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
            open: Vec::new(),
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

    /// `expected WANTED, found D` at the next visible token. At the end of the input the
    /// innermost unclosed bracket is named too: it is why the input ended too soon.
    fn expected(&self, wanted: &str) -> Error {
        let found = self.peek();
        let mut message = format!("expected {wanted}, found {}", found.kind.describe());
        if found.kind == TokenKind::Eof {
            self.note_open_bracket(&mut message);
        }
        Error::compile(found.span, message)
    }

    /// Appends ` ('(' opened at 3:9)` for the innermost unclosed bracket, if any.
    fn note_open_bracket(&self, message: &mut String) {
        if let Some((punct, span)) = self.open.last() {
            let text = punct.text();
            message.push_str(&format!(" ('{text}' opened at {}:{})", span.line, span.col));
        }
    }

    fn expect_punct(&mut self, punct: Punct) -> Result<Span, Error> {
        if self.at_punct(punct) {
            Ok(self.advance().span)
        } else {
            Err(self.expected(&format!("'{}'", punct.text())))
        }
    }

    /// Records `opener` (already consumed, at `span`) as open until [`Self::close`].
    fn opened(&mut self, opener: Punct, span: Span) {
        self.open.push((opener, span));
    }

    /// Consumes `closer`, which closes the innermost open bracket; if something else comes,
    /// the error names where that bracket was opened.
    fn close(&mut self, closer: Punct) -> Result<Span, Error> {
        if self.at_punct(closer) {
            self.open.pop();
            return Ok(self.advance().span);
        }
        let found = self.peek();
        let mut message = format!(
            "expected '{}', found {}",
            closer.text(),
            found.kind.describe()
        );
        self.note_open_bracket(&mut message);
        Err(Error::compile(found.span, message))
    }

    /// Consumes `opener` and records it as open.
    fn open_punct(&mut self, opener: Punct) -> Result<Span, Error> {
        let span = self.expect_punct(opener)?;
        self.opened(opener, span);
        Ok(span)
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

    /// Enters one more level of nesting, opened by the token at `at` (where an error points).
    fn descend(&mut self, at: Span) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            let message = format!("code is nested too deeply (more than {MAX_NESTING} levels)");
            return Err(Error::compile(at, message));
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

    /// Items up to `close` (the opener already consumed and recorded with `opened`), comma
    /// separated, trailing comma allowed, line breaks ignored.
    fn parse_list<T>(
        &mut self,
        close: Punct,
        mut item: impl FnMut(&mut Self) -> Result<T, Error>,
    ) -> Result<Vec<T>, Error> {
        self.with_newlines(true, |p| {
            let mut items = Vec::new();
            loop {
                if p.at_punct(close) {
                    p.close(close)?;
                    return Ok(items);
                }
                items.push(item(p)?);
                if !p.eat_punct(Punct::Comma) {
                    p.close(close)?;
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
