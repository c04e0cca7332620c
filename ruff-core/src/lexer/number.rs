//! Number literals (LANGUAGE-DETAILS §1): decimal and hex integers, floats with fraction
//! and/or exponent, `_` only between two digits, no letter right after a literal.
//!
//! The integer 2^63 becomes `IntMinMagnitude`: only the parser knows whether it is the
//! direct operand of unary minus (then it is i64::MIN) or an error.

use super::{chars, Lexer, TokenKind};
use crate::error::Error;

/// 2^63, the magnitude of i64::MIN.
const INT_MIN_MAGNITUDE: u128 = 1 << 63;

impl Lexer {
    /// Reads digits of `radix` with `_` separators; the first character must be a digit.
    /// On a misplaced `_` returns the index of that `_` as the first bad character.
    fn read_digits(&mut self, radix: u32, digits: &mut String) -> Result<(), usize> {
        loop {
            match self.peek() {
                Some(c) if c.is_digit(radix) => {
                    digits.push(c);
                    self.bump();
                }
                Some('_') => {
                    let between_digits = !digits.is_empty()
                        && self.peek_at(1).is_some_and(|next| next.is_digit(radix));
                    if !between_digits {
                        return Err(self.pos);
                    }
                    self.bump();
                }
                _ => return Ok(()),
            }
        }
    }

    /// `invalid number literal 'T'`, T running from the literal's start up to the first bad
    /// character (included when it could continue a word, as in `12a`).
    fn bad_number(&self, start: usize, bad: usize, span: crate::span::Span) -> Error {
        let end = match self.chars.get(bad) {
            Some(&c) if chars::is_ident_continue(c) => bad + 1,
            _ => bad,
        };
        let text: String = self.chars[start..end].iter().collect();
        Error::compile(span, format!("invalid number literal '{text}'"))
    }

    pub(super) fn lex_number(&mut self) -> Result<TokenKind, Error> {
        let span = self.span();
        let start = self.pos;
        if self.peek() == Some('0') && matches!(self.peek_at(1), Some('x' | 'X')) {
            return self.lex_hex();
        }
        let mut digits = String::new();
        self.read_digits(10, &mut digits)
            .map_err(|bad| self.bad_number(start, bad, span))?;
        let mut is_float = false;
        // `1.e5` and `1.f` read a field of `1`: a fraction needs a digit right after the `.`.
        if self.peek() == Some('.') && self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
            is_float = true;
            self.bump();
            digits.push('.');
            self.read_digits(10, &mut digits)
                .map_err(|bad| self.bad_number(start, bad, span))?;
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            is_float = true;
            self.bump();
            digits.push('e');
            if let Some(sign @ ('+' | '-')) = self.peek() {
                self.bump();
                digits.push(sign);
            }
            if !self.peek().is_some_and(|c| c.is_ascii_digit()) {
                return Err(self.bad_number(start, self.pos, span));
            }
            self.read_digits(10, &mut digits)
                .map_err(|bad| self.bad_number(start, bad, span))?;
        }
        if self.peek().is_some_and(chars::is_ident_continue) {
            return Err(self.bad_number(start, self.pos, span));
        }
        if is_float {
            // Rust's parser gives the correctly rounded value, and inf for `1e400`.
            let value: f64 = digits
                .parse()
                .map_err(|_| self.bad_number(start, self.pos, span))?;
            return Ok(TokenKind::Float(value));
        }
        self.int_token(&digits, 10, start, span)
    }

    fn lex_hex(&mut self) -> Result<TokenKind, Error> {
        let span = self.span();
        let start = self.pos;
        self.bump();
        self.bump();
        let invalid = || Error::compile(span, "invalid hex literal");
        if !self.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
            return Err(invalid());
        }
        let mut digits = String::new();
        self.read_digits(16, &mut digits).map_err(|_| invalid())?;
        if self.peek().is_some_and(chars::is_ident_continue) {
            return Err(invalid());
        }
        self.int_token(&digits, 16, start, span)
    }

    fn int_token(
        &self,
        digits: &str,
        radix: u32,
        start: usize,
        span: crate::span::Span,
    ) -> Result<TokenKind, Error> {
        let text: String = self.chars[start..self.pos].iter().collect();
        let significant = digits.trim_start_matches('0');
        let value = if significant.len() > 24 {
            None
        } else {
            u128::from_str_radix(
                if significant.is_empty() {
                    "0"
                } else {
                    significant
                },
                radix,
            )
            .ok()
        };
        match value {
            Some(v) if v < INT_MIN_MAGNITUDE => Ok(TokenKind::Int(v as i64)),
            Some(INT_MIN_MAGNITUDE) => Ok(TokenKind::IntMinMagnitude(text)),
            _ => Err(Error::compile(
                span,
                format!("integer literal {text} does not fit in 64 bits"),
            )),
        }
    }
}
