//! Expressions: precedence climbing over the levels of LANGUAGE.md's operator table, unary
//! operators, postfix calls/indexing/fields, and primaries (literals, strings with
//! interpolation, struct literals, anonymous functions).

use std::rc::Rc;

use super::Parser;
use crate::ast::{BinOp, Expr, ExprKind, FuncDecl, InterpPart, Param, UnOp};
use crate::bytecode::operator::COMPARISON_LEVEL;
use crate::deep::guard;
use crate::error::Error;
use crate::lexer::{Keyword, Punct, StrPart, TokenKind};
use crate::span::Span;

#[derive(Clone, Copy)]
enum Infix {
    Or,
    And,
    Binary(BinOp),
}

/// An infix operator's precedence level (1 = loosest; `BinOp::ALL` has the others) and
/// meaning.
fn infix_operator(kind: &TokenKind) -> Option<(u8, Infix)> {
    let op = match kind {
        TokenKind::Keyword(Keyword::Or) | TokenKind::Punct(Punct::OrOr) => {
            return Some((1, Infix::Or))
        }
        TokenKind::Keyword(Keyword::And) | TokenKind::Punct(Punct::AndAnd) => {
            return Some((2, Infix::And))
        }
        TokenKind::Punct(punct) => punct.binary_op()?,
        _ => return None,
    };
    Some((op.info().level, Infix::Binary(op)))
}

fn is_comparison(kind: &TokenKind) -> bool {
    matches!(infix_operator(kind), Some((COMPARISON_LEVEL, _)))
}

impl Parser<'_> {
    pub(super) fn parse_expr(&mut self) -> Result<Expr, Error> {
        self.parse_binary(1)
    }

    /// Operators of level `min_level` and tighter, left-associative. A chain of operators
    /// of one level is built in the loop (a left-deep tree, no recursion); only a tighter
    /// right operand recurses, at most once per precedence level.
    fn parse_binary(&mut self, min_level: u8) -> Result<Expr, Error> {
        guard(|| self.parse_binary_levels(min_level))
    }

    fn parse_binary_levels(&mut self, min_level: u8) -> Result<Expr, Error> {
        let mut left = self.parse_unary()?;
        while let Some((level, infix)) = infix_operator(&self.peek().kind) {
            if level < min_level {
                break;
            }
            let op_span = self.advance().span;
            self.skip_newlines();
            let right = self.parse_binary(level + 1)?;
            let (left_box, right_box) = (Box::new(left), Box::new(right));
            let kind = match infix {
                Infix::Or => ExprKind::Or(left_box, right_box),
                Infix::And => ExprKind::And(left_box, right_box),
                Infix::Binary(op) => ExprKind::Binary(op, left_box, right_box),
            };
            left = Expr {
                kind,
                span: op_span,
            };
            if level == COMPARISON_LEVEL && is_comparison(&self.peek().kind) {
                let second = self.peek().span;
                return Err(Error::compile(
                    second,
                    "comparison operators cannot be chained",
                ));
            }
        }
        Ok(left)
    }

    fn parse_unary(&mut self) -> Result<Expr, Error> {
        guard(|| self.parse_unary_operators())
    }

    /// A unary operator nests its operand one level deeper (`- - x`).
    fn parse_unary_operators(&mut self) -> Result<Expr, Error> {
        let op = match self.peek().kind {
            TokenKind::Punct(Punct::Minus) => UnOp::Neg,
            TokenKind::Punct(Punct::Bang) | TokenKind::Keyword(Keyword::Not) => UnOp::Not,
            TokenKind::Punct(Punct::Tilde) => UnOp::BitNot,
            _ => return self.parse_postfix(),
        };
        let op_span = self.advance().span;
        self.skip_newlines();
        if op == UnOp::Neg && self.at_int_min_operand() {
            self.advance();
            return Ok(Expr {
                kind: ExprKind::Int(i64::MIN),
                span: op_span,
            });
        }
        self.descend(op_span)?;
        let operand = self.parse_unary()?;
        self.ascend(1);
        Ok(Expr {
            kind: ExprKind::Unary(op, Box::new(operand)),
            span: op_span,
        })
    }

    /// Whether the next token is 2^63 standing alone as the operand of a unary minus
    /// (not the start of a postfix expression such as `9223372036854775808.f`).
    fn at_int_min_operand(&self) -> bool {
        matches!(self.peek().kind, TokenKind::IntMinMagnitude(_))
            && !matches!(
                self.peek_second().kind,
                TokenKind::Punct(Punct::LParen | Punct::LBracket | Punct::Dot)
            )
    }

    /// A primary and its chain of calls, indexes and fields (a chain, not nesting: the
    /// arguments inside the brackets are what nests).
    fn parse_postfix(&mut self) -> Result<Expr, Error> {
        // A call's position is the first character of its callee, even when nested (`f(1)(2)`).
        let start = self.peek().span;
        let mut expr = self.parse_primary()?;
        while matches!(
            self.peek().kind,
            TokenKind::Punct(Punct::LParen | Punct::LBracket | Punct::Dot)
        ) {
            expr = self.parse_postfix_operator(expr, start)?;
        }
        Ok(expr)
    }

    /// One call, index or field access applied to `expr`. Kept out of `parse_postfix` (as
    /// the cases of `parse_primary` are kept out of it) so that the frames on the recursive
    /// path stay small and deep nesting fits the stack of an unoptimized build.
    #[inline(never)]
    fn parse_postfix_operator(&mut self, expr: Expr, start: Span) -> Result<Expr, Error> {
        let token = self.advance();
        let (kind, span) = match token.kind {
            TokenKind::Punct(Punct::LParen) => {
                let args = self.parse_arguments(token.span)?;
                (ExprKind::Call(Box::new(expr), args), start)
            }
            TokenKind::Punct(Punct::LBracket) => {
                self.descend(token.span)?;
                self.opened(Punct::LBracket, token.span);
                let index = self.with_newlines(true, |p| {
                    let index = p.parse_expr()?;
                    p.close(Punct::RBracket)?;
                    Ok(index)
                })?;
                self.ascend(1);
                (ExprKind::Index(Box::new(expr), Box::new(index)), token.span)
            }
            _ => {
                let (name, name_span) = self.expect_ident("field name")?;
                if self.at_punct(Punct::LParen) {
                    let paren = self.advance().span;
                    let args = self.parse_arguments(paren)?;
                    (ExprKind::MethodCall(Box::new(expr), name, args), name_span)
                } else {
                    (ExprKind::Field(Box::new(expr), name), name_span)
                }
            }
        };
        Ok(Expr { kind, span })
    }

    /// The arguments of a call whose `(` at `paren` was consumed: one level deeper.
    fn parse_arguments(&mut self, paren: Span) -> Result<Vec<Expr>, Error> {
        self.descend(paren)?;
        self.opened(Punct::LParen, paren);
        let args = self.parse_list(Punct::RParen, |p| p.parse_expr())?;
        self.ascend(1);
        Ok(args)
    }

    fn parse_primary(&mut self) -> Result<Expr, Error> {
        let token = self.peek();
        let span = token.span;
        let kind = match &token.kind {
            TokenKind::Int(value) => ExprKind::Int(*value),
            TokenKind::Float(value) => ExprKind::Float(*value),
            TokenKind::Keyword(Keyword::True) => ExprKind::Bool(true),
            TokenKind::Keyword(Keyword::False) => ExprKind::Bool(false),
            TokenKind::Keyword(Keyword::Null) => ExprKind::Null,
            TokenKind::Ident(name) if !self.at_struct_literal() => ExprKind::Name(name.clone()),
            _ => return self.parse_compound_primary(),
        };
        self.advance();
        Ok(Expr { kind, span })
    }

    /// Primaries that contain other expressions (or are errors).
    #[inline(never)]
    fn parse_compound_primary(&mut self) -> Result<Expr, Error> {
        let token = self.peek();
        let span = token.span;
        let kind = match &token.kind {
            TokenKind::IntMinMagnitude(text) => {
                let message = format!("integer literal {text} does not fit in 64 bits");
                return Err(Error::compile(span, message));
            }
            TokenKind::Str(parts) => {
                self.advance();
                return self.parse_string(parts, span);
            }
            TokenKind::Ident(_) => return self.parse_struct_literal(),
            TokenKind::Punct(Punct::LParen) => {
                self.advance();
                self.descend(span)?;
                self.opened(Punct::LParen, span);
                let inner = self.with_newlines(true, |p| {
                    let inner = p.parse_expr()?;
                    p.close(Punct::RParen)?;
                    Ok(inner)
                })?;
                self.ascend(1);
                return Ok(inner);
            }
            TokenKind::Punct(Punct::LBracket) => {
                self.advance();
                self.descend(span)?;
                self.opened(Punct::LBracket, span);
                let items = self.parse_list(Punct::RBracket, |p| p.parse_expr())?;
                self.ascend(1);
                ExprKind::Array(items)
            }
            TokenKind::Punct(Punct::LBrace) => {
                self.advance();
                self.descend(span)?;
                self.opened(Punct::LBrace, span);
                let pairs = self.parse_list(Punct::RBrace, |p| {
                    let key = p.parse_expr()?;
                    p.expect_punct(Punct::Colon)?;
                    Ok((key, p.parse_expr()?))
                })?;
                self.ascend(1);
                ExprKind::Dict(pairs)
            }
            TokenKind::Keyword(Keyword::Func) => {
                self.advance();
                let decl = self.parse_func_rest(None, span, span)?;
                ExprKind::Func(Rc::new(decl))
            }
            _ => return Err(self.expected("an expression")),
        };
        Ok(Expr { kind, span })
    }

    /// `NAME {` opens a struct literal only for a declared struct, and only if the `{` is
    /// followed by `}` or `IDENT :` (LANGUAGE-DETAILS §2); otherwise the `{` opens a block.
    fn at_struct_literal(&self) -> bool {
        let name_index = self.visible_from(self.pos);
        let TokenKind::Ident(name) = &self.tokens[name_index].kind else {
            return false;
        };
        if !self.struct_names.contains(name) {
            return false;
        }
        let brace = self.visible_from(name_index + 1);
        if self.tokens[brace].kind != TokenKind::Punct(Punct::LBrace) {
            return false;
        }
        // Inside the literal line breaks do not count.
        let next_solid = |from: usize| {
            let mut index = from;
            while self.tokens[index].kind == TokenKind::Newline {
                index += 1;
            }
            index
        };
        let first = next_solid(brace + 1);
        match self.tokens[first].kind {
            TokenKind::Punct(Punct::RBrace) => true,
            TokenKind::Ident(_) => {
                self.tokens[next_solid(first + 1)].kind == TokenKind::Punct(Punct::Colon)
            }
            _ => false,
        }
    }

    fn parse_struct_literal(&mut self) -> Result<Expr, Error> {
        let (name, span) = self.expect_ident("struct name")?;
        let brace = self.open_punct(Punct::LBrace)?;
        self.descend(brace)?;
        // A repeated field is reported where it appears, before any later syntax error.
        let mut seen: Vec<String> = Vec::new();
        let fields = self.parse_list(Punct::RBrace, |p| {
            let (field, field_span) = p.expect_ident("field name")?;
            if seen.contains(&field) {
                let message = format!("field '{field}' given twice");
                return Err(Error::compile(field_span, message));
            }
            seen.push(field.clone());
            p.expect_punct(Punct::Colon)?;
            Ok((field, field_span, p.parse_expr()?))
        })?;
        self.ascend(1);
        Ok(Expr {
            kind: ExprKind::StructLit(name, fields),
            span,
        })
    }

    /// A string literal: plain text, or the parts of an interpolated string, each `${ }`
    /// parsed from its own token list.
    fn parse_string(&mut self, parts: &[StrPart], quote: Span) -> Result<Expr, Error> {
        if let [StrPart::Text(text)] = parts {
            return Ok(Expr {
                kind: ExprKind::Str(text.clone()),
                span: quote,
            });
        }
        let mut pieces = Vec::with_capacity(parts.len());
        for part in parts {
            match part {
                StrPart::Text(text) => pieces.push(InterpPart::Text(text.clone())),
                StrPart::Interp { dollar, tokens } => {
                    if tokens
                        .iter()
                        .all(|t| matches!(t.kind, TokenKind::Newline | TokenKind::Eof))
                    {
                        return Err(Error::compile(*dollar, "empty interpolation"));
                    }
                    self.descend(*dollar)?;
                    let mut inner = Parser::new(tokens, self.struct_names, true, self.depth);
                    let expr = inner.parse_expr()?;
                    if inner.peek().kind != TokenKind::Eof {
                        return Err(inner.expected("'}' to close the interpolation"));
                    }
                    self.ascend(1);
                    pieces.push(InterpPart::Expr(expr));
                }
            }
        }
        Ok(Expr {
            kind: ExprKind::Interp(pieces),
            span: quote,
        })
    }

    /// Parameters and body of a function whose `func` (and name, if any) were consumed.
    pub(super) fn parse_func_rest(
        &mut self,
        name: Option<String>,
        name_span: Span,
        func_span: Span,
    ) -> Result<FuncDecl, Error> {
        self.open_punct(Punct::LParen)?;
        let params = self.parse_list(Punct::RParen, |p| {
            let (name, span) = p.expect_ident("parameter name")?;
            Ok(Param { name, span })
        })?;
        let body = self.parse_block()?;
        Ok(FuncDecl {
            name,
            name_span,
            params,
            body,
            span: func_span,
        })
    }
}
