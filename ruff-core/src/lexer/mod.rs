//! Lexer: UTF-8 source text to tokens with positions (LANGUAGE-DETAILS §1), reporting the
//! first lexical error of the file with the message and position of §6.
//!
//! Invariants of the output: it ends with exactly one `Eof`; consecutive line breaks (and a
//! block comment spanning lines) yield one `Newline`; each `${ … }` of a string is lexed into
//! its own token list (see `token`), so the whole file, interpolations included, is lexed
//! before the parser runs and a lexical error always wins over a syntax error.

mod chars;
mod number;
mod token;

pub use token::{Keyword, Punct, StrPart, Token, TokenKind};

use crate::error::Error;
use crate::parser::MAX_NESTING;
use crate::span::Span;

/// Lexes a whole file.
pub fn lex(src: &str) -> Result<Vec<Token>, Error> {
    let mut lexer = Lexer {
        chars: src.chars().collect(),
        pos: 0,
        line: 1,
        col: 1,
        interp_depth: 0,
    };
    let mut tokens = Vec::new();
    lexer.lex_tokens(&mut tokens, None)?;
    Ok(tokens)
}

struct Lexer {
    chars: Vec<char>,
    pos: usize,
    line: u32,
    col: u32,
    /// How many `${` enclose the current position: lexing them recurses (under
    /// `deep::guard`), so it is bounded like the parser's nesting.
    interp_depth: usize,
}

impl Lexer {
    fn span(&self) -> Span {
        Span::new(self.line, self.col)
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    fn push_newline(out: &mut Vec<Token>, span: Span) {
        if !matches!(
            out.last(),
            Some(Token {
                kind: TokenKind::Newline,
                ..
            })
        ) {
            out.push(Token {
                kind: TokenKind::Newline,
                span,
            });
        }
    }

    /// Lexes tokens up to the end of the file or, inside `${` (whose `$` is `interp`), up to
    /// the `}` that closes it; either way the list is closed by an `Eof` token placed there.
    fn lex_tokens(&mut self, out: &mut Vec<Token>, interp: Option<Span>) -> Result<(), Error> {
        // Braces opened inside an interpolation (dicts, blocks of closures) that a `}` closes
        // before the interpolation's own `}`.
        let mut open_braces = 0usize;
        loop {
            while matches!(self.peek(), Some(' ' | '\t' | '\r')) {
                self.bump();
            }
            let start = self.span();
            let Some(c) = self.peek() else {
                if let Some(dollar) = interp {
                    return Err(Error::compile(dollar, "unterminated interpolation '${'"));
                }
                out.push(Token {
                    kind: TokenKind::Eof,
                    span: start,
                });
                return Ok(());
            };
            let kind = match c {
                '\n' => {
                    self.bump();
                    Self::push_newline(out, start);
                    continue;
                }
                '#' => {
                    self.skip_line_comment();
                    continue;
                }
                '/' if self.peek_at(1) == Some('/') => {
                    self.skip_line_comment();
                    continue;
                }
                '/' if self.peek_at(1) == Some('*') => {
                    if let Some(first_lf) = self.skip_block_comment()? {
                        Self::push_newline(out, first_lf);
                    }
                    continue;
                }
                '"' => self.lex_string()?,
                '0'..='9' => self.lex_number()?,
                c if chars::is_ident_start(c) => self.lex_word(),
                '}' if interp.is_some() && open_braces == 0 => {
                    self.bump();
                    out.push(Token {
                        kind: TokenKind::Eof,
                        span: start,
                    });
                    return Ok(());
                }
                _ => {
                    let punct = self.lex_punct().ok_or_else(|| {
                        let shown = chars::quote_unexpected(c);
                        Error::compile(start, format!("unexpected character {shown}"))
                    })?;
                    match punct {
                        Punct::LBrace => open_braces += 1,
                        Punct::RBrace => open_braces = open_braces.saturating_sub(1),
                        _ => {}
                    }
                    TokenKind::Punct(punct)
                }
            };
            out.push(Token { kind, span: start });
        }
    }

    /// Skips `#` or `//` up to (not including) the line break, which stays a token.
    fn skip_line_comment(&mut self) {
        while !matches!(self.peek(), None | Some('\n')) {
            self.bump();
        }
    }

    /// Skips `/* … */` (not nested); returns the position of its first LF if it spans lines.
    fn skip_block_comment(&mut self) -> Result<Option<Span>, Error> {
        let start = self.span();
        self.bump();
        self.bump();
        let mut first_lf = None;
        loop {
            match self.peek() {
                None => return Err(Error::compile(start, "unterminated block comment")),
                Some('*') if self.peek_at(1) == Some('/') => {
                    self.bump();
                    self.bump();
                    return Ok(first_lf);
                }
                Some('\n') if first_lf.is_none() => first_lf = Some(self.span()),
                _ => {}
            }
            self.bump();
        }
    }

    fn lex_word(&mut self) -> TokenKind {
        let mut word = String::new();
        while let Some(c) = self.peek().filter(|&c| chars::is_ident_continue(c)) {
            word.push(c);
            self.bump();
        }
        match Keyword::from_word(&word) {
            Some(kw) => TokenKind::Keyword(kw),
            None => TokenKind::Ident(word),
        }
    }

    fn lex_punct(&mut self) -> Option<Punct> {
        let (text, punct) = Punct::ALL.iter().find(|(text, _)| {
            text.chars()
                .enumerate()
                .all(|(i, c)| self.peek_at(i) == Some(c))
        })?;
        for _ in 0..text.chars().count() {
            self.bump();
        }
        Some(*punct)
    }

    /// A string literal from its opening quote: escapes decoded, each `${ … }` lexed.
    fn lex_string(&mut self) -> Result<TokenKind, Error> {
        let quote = self.span();
        self.bump();
        let mut parts = Vec::new();
        let mut text = String::new();
        loop {
            match self.peek() {
                None => return Err(Error::compile(quote, "unterminated string")),
                Some('"') => {
                    self.bump();
                    break;
                }
                Some('\\') => text.push(self.lex_escape()?),
                Some('$') if self.peek_at(1) == Some('{') => {
                    let dollar = self.span();
                    self.bump();
                    self.bump();
                    if !text.is_empty() {
                        parts.push(StrPart::Text(std::mem::take(&mut text)));
                    }
                    self.interp_depth += 1;
                    if self.interp_depth > MAX_NESTING {
                        let message =
                            format!("code is nested too deeply (more than {MAX_NESTING} levels)");
                        return Err(Error::compile(dollar, message));
                    }
                    let mut tokens = Vec::new();
                    crate::deep::guard(|| self.lex_tokens(&mut tokens, Some(dollar)))?;
                    self.interp_depth -= 1;
                    parts.push(StrPart::Interp { dollar, tokens });
                }
                Some(c) => {
                    self.bump();
                    text.push(c);
                }
            }
        }
        if !text.is_empty() || parts.is_empty() {
            parts.push(StrPart::Text(text));
        }
        Ok(TokenKind::Str(parts))
    }

    /// One escape sequence from its backslash.
    fn lex_escape(&mut self) -> Result<char, Error> {
        let backslash = self.span();
        self.bump();
        let decoded = match self.peek() {
            Some('n') => '\n',
            Some('t') => '\t',
            Some('r') => '\r',
            Some('0') => '\0',
            Some('\\') => '\\',
            Some('"') => '"',
            Some('$') => '$',
            Some('u') => {
                self.bump();
                return self.lex_unicode_escape(backslash);
            }
            other => {
                let shown = chars::quote_bad_escape(other);
                let message = format!("invalid escape sequence {shown}");
                return Err(Error::compile(backslash, message));
            }
        };
        self.bump();
        Ok(decoded)
    }

    /// The `{H}` of `\u{H}`, 1–6 hex digits naming a Unicode scalar value.
    fn lex_unicode_escape(&mut self, backslash: Span) -> Result<char, Error> {
        let malformed = || Error::compile(backslash, "invalid unicode escape (expected \\u{HEX})");
        if self.peek() != Some('{') {
            return Err(malformed());
        }
        self.bump();
        let mut digits = String::new();
        while let Some(c) = self.peek().filter(char::is_ascii_hexdigit) {
            digits.push(c);
            self.bump();
        }
        if digits.is_empty() || digits.len() > 6 || self.peek() != Some('}') {
            return Err(malformed());
        }
        self.bump();
        let code = u32::from_str_radix(&digits, 16).map_err(|_| malformed())?;
        char::from_u32(code).ok_or_else(|| {
            let message = format!("\\u{{{digits}}} is not a Unicode scalar value");
            Error::compile(backslash, message)
        })
    }
}

#[cfg(test)]
mod tests;
