//! Statements and blocks: declarations, assignments, control flow, `func NAME`, `struct`,
//! and the rule that a simple statement ends at a line break, `;`, `}` or end of file.

use std::rc::Rc;

use super::Parser;
use crate::ast::{
    AssignOp, BinOp, DeclKind, Expr, ExprKind, Param, Program, Stmt, StmtKind, StructDecl, Target,
};
use crate::deep::guard;
use crate::error::Error;
use crate::lexer::{Keyword, Punct, TokenKind};

fn assign_operator(kind: &TokenKind) -> Option<AssignOp> {
    let TokenKind::Punct(punct) = kind else {
        return None;
    };
    Some(match punct {
        Punct::Walrus => AssignOp::Walrus,
        Punct::Assign => AssignOp::Set,
        Punct::PlusAssign => AssignOp::Compound(BinOp::Add),
        Punct::MinusAssign => AssignOp::Compound(BinOp::Sub),
        Punct::StarAssign => AssignOp::Compound(BinOp::Mul),
        Punct::SlashAssign => AssignOp::Compound(BinOp::Div),
        Punct::PercentAssign => AssignOp::Compound(BinOp::Mod),
        _ => return None,
    })
}

/// The target an expression denotes on the left of an assignment, if any.
fn assignment_target(mut expr: Expr) -> Option<Target> {
    // `Expr` has a `Drop`, so its kind is taken out rather than moved.
    match std::mem::replace(&mut expr.kind, ExprKind::Null) {
        ExprKind::Name(name) => Some(Target::Name(name, expr.span)),
        ExprKind::Index(object, index) => Some(Target::Index(*object, *index, expr.span)),
        ExprKind::Field(object, name) => Some(Target::Field(*object, name, expr.span)),
        _ => None,
    }
}

impl Parser<'_> {
    pub(super) fn parse_program(&mut self) -> Result<Program, Error> {
        let mut body = Vec::new();
        loop {
            self.skip_separators();
            if self.peek().kind == TokenKind::Eof {
                return Ok(Program { body });
            }
            body.push(self.parse_statement(true)?);
        }
    }

    /// Empty statements: line breaks and `;` (so `;;` is fine).
    fn skip_separators(&mut self) {
        while matches!(
            self.peek().kind,
            TokenKind::Newline | TokenKind::Punct(Punct::Semicolon)
        ) {
            self.advance();
        }
    }

    /// `{ statements }`; the `{` may start the next line. One level deeper.
    pub(super) fn parse_block(&mut self) -> Result<Vec<Stmt>, Error> {
        guard(|| self.parse_block_body())
    }

    fn parse_block_body(&mut self) -> Result<Vec<Stmt>, Error> {
        self.skip_newlines();
        let brace = self.open_punct(Punct::LBrace)?;
        self.descend(brace)?;
        let body = self.with_newlines(false, |p| {
            let mut body = Vec::new();
            loop {
                p.skip_separators();
                if p.at_punct(Punct::RBrace) {
                    p.close(Punct::RBrace)?;
                    return Ok(body);
                }
                if p.peek().kind == TokenKind::Eof {
                    return Err(p.expected("'}'"));
                }
                body.push(p.parse_statement(false)?);
            }
        })?;
        self.ascend(1);
        Ok(body)
    }

    fn parse_statement(&mut self, top_level: bool) -> Result<Stmt, Error> {
        let token = self.peek();
        let span = token.span;
        let kind = match token.kind {
            TokenKind::Keyword(Keyword::Let) => self.parse_decl(DeclKind::Let)?,
            TokenKind::Keyword(Keyword::Mut) => self.parse_decl(DeclKind::Mut)?,
            TokenKind::Keyword(Keyword::Const) => self.parse_decl(DeclKind::Const)?,
            TokenKind::Keyword(Keyword::If) => return self.parse_if(),
            TokenKind::Keyword(Keyword::While) => {
                self.advance();
                self.skip_newlines();
                let cond = self.parse_expr()?;
                let body = self.parse_block()?;
                return Ok(Stmt {
                    kind: StmtKind::While { cond, body },
                    span,
                });
            }
            TokenKind::Keyword(Keyword::Loop) => {
                self.advance();
                let body = self.parse_block()?;
                return Ok(Stmt {
                    kind: StmtKind::Loop { body },
                    span,
                });
            }
            TokenKind::Keyword(Keyword::For) => return self.parse_for(),
            // `func (` starts an anonymous function used as an expression statement.
            TokenKind::Keyword(Keyword::Func)
                if self.tokens[self.pos + 1].kind != TokenKind::Punct(Punct::LParen) =>
            {
                self.advance();
                let (name, name_span) = self.expect_ident("function name")?;
                let decl = self.parse_func_rest(Some(name), name_span, span)?;
                return Ok(Stmt {
                    kind: StmtKind::Func(Rc::new(decl)),
                    span,
                });
            }
            TokenKind::Keyword(Keyword::Struct) => {
                if !top_level {
                    return Err(Error::compile(
                        span,
                        "struct declarations are only allowed at the top level",
                    ));
                }
                return self.parse_struct();
            }
            TokenKind::Keyword(Keyword::Return) => {
                self.advance();
                let value = if self.at_statement_end() {
                    None
                } else {
                    Some(self.parse_expr()?)
                };
                StmtKind::Return(value)
            }
            TokenKind::Keyword(Keyword::Break) => {
                self.advance();
                StmtKind::Break
            }
            TokenKind::Keyword(Keyword::Continue) => {
                self.advance();
                StmtKind::Continue
            }
            _ => return self.parse_expr_or_assignment(),
        };
        self.expect_statement_end()?;
        Ok(Stmt { kind, span })
    }

    fn at_statement_end(&self) -> bool {
        matches!(
            self.peek().kind,
            TokenKind::Newline
                | TokenKind::Eof
                | TokenKind::Punct(Punct::Semicolon | Punct::RBrace)
        )
    }

    /// A simple statement must be followed by a line break, `;`, `}` or end of file.
    fn expect_statement_end(&self) -> Result<(), Error> {
        if self.at_statement_end() {
            Ok(())
        } else {
            Err(self.expected("newline or ';' after statement"))
        }
    }

    /// `let x := e`, `mut x := e`, `const X := e`.
    fn parse_decl(&mut self, kind: DeclKind) -> Result<StmtKind, Error> {
        self.advance();
        let (name, name_span) = self.expect_ident("variable name")?;
        self.expect_punct(Punct::Walrus)?;
        self.skip_newlines();
        let value = self.parse_expr()?;
        Ok(StmtKind::Decl {
            kind,
            name,
            name_span,
            value,
        })
    }

    fn parse_expr_or_assignment(&mut self) -> Result<Stmt, Error> {
        let start = self.peek().span;
        let expr = self.parse_expr()?;
        let Some(op) = assign_operator(&self.peek().kind) else {
            self.expect_statement_end()?;
            return Ok(Stmt {
                kind: StmtKind::Expr(expr),
                span: start,
            });
        };
        let op_span = self.advance().span;
        let target = assignment_target(expr)
            .ok_or_else(|| Error::compile(op_span, "invalid assignment target"))?;
        self.skip_newlines();
        let value = self.parse_expr()?;
        self.expect_statement_end()?;
        Ok(Stmt {
            kind: StmtKind::Assign { target, op, value },
            span: op_span,
        })
    }

    /// `if c { } else if d { } else { }`; `else` may start the next line, and `else if`
    /// becomes an else block holding one `If`.
    fn parse_if(&mut self) -> Result<Stmt, Error> {
        guard(|| self.parse_if_chain())
    }

    fn parse_if_chain(&mut self) -> Result<Stmt, Error> {
        let span = self.advance().span;
        self.skip_newlines();
        let cond = self.parse_expr()?;
        let then_body = self.parse_block()?;
        let mut after = self.pos;
        while self.tokens[after].kind == TokenKind::Newline {
            after += 1;
        }
        let else_body = if self.tokens[after].kind == TokenKind::Keyword(Keyword::Else) {
            self.pos = after + 1;
            self.skip_newlines();
            if self.at_keyword(Keyword::If) {
                self.descend(self.peek().span)?;
                let nested = self.parse_if()?;
                self.ascend(1);
                Some(vec![nested])
            } else {
                Some(self.parse_block()?)
            }
        } else {
            None
        };
        Ok(Stmt {
            kind: StmtKind::If {
                cond,
                then_body,
                else_body,
            },
            span,
        })
    }

    fn parse_for(&mut self) -> Result<Stmt, Error> {
        let span = self.advance().span;
        let (var, var_span) = self.expect_ident("loop variable")?;
        if !self.at_keyword(Keyword::In) {
            return Err(self.expected("'in'"));
        }
        self.advance();
        self.skip_newlines();
        let iter = self.parse_expr()?;
        let body = self.parse_block()?;
        Ok(Stmt {
            kind: StmtKind::For {
                var,
                var_span,
                iter,
                body,
            },
            span,
        })
    }

    /// `struct Name { fields and methods }`: members separated by commas, line breaks, `;`
    /// or nothing.
    fn parse_struct(&mut self) -> Result<Stmt, Error> {
        let span = self.advance().span;
        let (name, name_span) = self.expect_ident("struct name")?;
        self.skip_newlines();
        self.open_punct(Punct::LBrace)?;
        let mut fields = Vec::new();
        let mut methods = Vec::new();
        loop {
            while matches!(
                self.peek().kind,
                TokenKind::Newline | TokenKind::Punct(Punct::Comma | Punct::Semicolon)
            ) {
                self.advance();
            }
            let token = self.peek();
            match &token.kind {
                TokenKind::Punct(Punct::RBrace) => {
                    self.close(Punct::RBrace)?;
                    break;
                }
                TokenKind::Ident(field) => {
                    self.advance();
                    fields.push(Param {
                        name: field.clone(),
                        span: token.span,
                    });
                }
                TokenKind::Keyword(Keyword::Func) => {
                    self.advance();
                    let (method, method_span) = self.expect_ident("method name")?;
                    let decl = self.parse_func_rest(Some(method), method_span, token.span)?;
                    methods.push(Rc::new(decl));
                }
                _ => return Err(self.expected("a field name, 'func' or '}'")),
            }
        }
        let decl = StructDecl {
            name,
            name_span,
            fields,
            methods,
            span,
        };
        Ok(Stmt {
            kind: StmtKind::Struct(Rc::new(decl)),
            span,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    #[test]
    fn only_names_indexes_and_fields_are_targets() {
        let name = Expr {
            kind: ExprKind::Name("x".into()),
            span: Span::new(1, 1),
        };
        assert!(matches!(assignment_target(name), Some(Target::Name(n, _)) if n == "x"));
        let call = Expr {
            kind: ExprKind::Call(
                Box::new(Expr {
                    kind: ExprKind::Name("f".into()),
                    span: Span::new(1, 1),
                }),
                vec![],
            ),
            span: Span::new(1, 1),
        };
        assert!(assignment_target(call).is_none());
    }
}
