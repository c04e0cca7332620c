//! The abstract syntax tree the parser produces and the compiler consumes.
//!
//! Every node that can be the subject of an error carries the `Span` that
//! LANGUAGE-DETAILS.md §6 says errors point at:
//! - binary / unary / `&&` / `||` / `not`: the operator token;
//! - index `a[i]`: the `[`; field `a.f` and method call `a.m(..)`: the name after `.`;
//! - call `f(..)`: the first character of the callee expression;
//! - array / dict literal: the `[` / `{`; struct literal: the struct name;
//! - string literal (plain or interpolated): its opening quote; `func` literal: `func`;
//! - names and other literals: their token. Parentheses add nothing.
//!
//! A tree may be 100,000 levels deep (nesting) or arbitrarily deep along a left spine (a flat
//! chain such as `1 + 1 + ... + 1` is a left-deep tree). So `Expr` and `Stmt` implement
//! `Clone`, `PartialEq` and `Debug` by hand, each level under `deep::guard`, and `Expr` is
//! dropped iteratively: the derived code would recurse once per level on the native stack.

use std::fmt;
use std::rc::Rc;

pub use crate::bytecode::operator::{BinOp, UnOp};
use crate::deep::guard;
use crate::span::Span;

pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

impl Clone for Expr {
    fn clone(&self) -> Expr {
        guard(|| Expr {
            kind: self.kind.clone(),
            span: self.span,
        })
    }
}

impl PartialEq for Expr {
    fn eq(&self, other: &Expr) -> bool {
        guard(|| self.span == other.span && self.kind == other.kind)
    }
}

impl fmt::Debug for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        guard(|| {
            f.debug_struct("Expr")
                .field("kind", &self.kind)
                .field("span", &self.span)
                .finish()
        })
    }
}

impl Drop for Expr {
    /// Detaches the subexpressions level by level onto a heap stack, so that each node is
    /// freed with leaf-only children. A function literal's body (statements) is dropped
    /// recursively, which its nesting bounds; the guard gives that the stack it needs.
    fn drop(&mut self) {
        if self.kind.is_leaf() {
            return;
        }
        guard(|| {
            let mut pending = vec![std::mem::replace(&mut self.kind, ExprKind::Null)];
            while let Some(mut kind) = pending.pop() {
                kind.detach_children(&mut pending);
            }
        });
    }
}

impl ExprKind {
    /// True if the node has no subexpressions.
    fn is_leaf(&self) -> bool {
        matches!(
            self,
            ExprKind::Int(_)
                | ExprKind::Float(_)
                | ExprKind::Str(_)
                | ExprKind::Bool(_)
                | ExprKind::Null
                | ExprKind::Name(_)
        )
    }

    /// Moves the kind of every subexpression that has subexpressions itself to `out`,
    /// leaving `Null` in its place.
    fn detach_children(&mut self, out: &mut Vec<ExprKind>) {
        let mut take = |e: &mut Expr| {
            if !e.kind.is_leaf() {
                out.push(std::mem::replace(&mut e.kind, ExprKind::Null));
            }
        };
        match self {
            ExprKind::Unary(_, a) | ExprKind::Field(a, _) => take(a),
            ExprKind::Binary(_, a, b)
            | ExprKind::And(a, b)
            | ExprKind::Or(a, b)
            | ExprKind::Index(a, b) => {
                take(a);
                take(b);
            }
            ExprKind::Call(callee, args) | ExprKind::MethodCall(callee, _, args) => {
                take(callee);
                args.iter_mut().for_each(take);
            }
            ExprKind::Array(items) => items.iter_mut().for_each(take),
            ExprKind::Dict(pairs) => pairs.iter_mut().for_each(|(k, v)| {
                take(k);
                take(v);
            }),
            ExprKind::StructLit(_, fields) => fields.iter_mut().for_each(|(_, _, v)| take(v)),
            ExprKind::Interp(parts) => parts.iter_mut().for_each(|p| {
                if let InterpPart::Expr(e) = p {
                    take(e);
                }
            }),
            ExprKind::Func(_)
            | ExprKind::Int(_)
            | ExprKind::Float(_)
            | ExprKind::Str(_)
            | ExprKind::Bool(_)
            | ExprKind::Null
            | ExprKind::Name(_) => {}
        }
    }

    /// The operand a flat chain grows through: the left operand of a binary or logical
    /// operator, the object of an index, field or method call, the callee of a call.
    pub fn chain_head(&self) -> Option<&Expr> {
        match self {
            ExprKind::Binary(_, a, _)
            | ExprKind::And(a, _)
            | ExprKind::Or(a, _)
            | ExprKind::Index(a, _)
            | ExprKind::Field(a, _)
            | ExprKind::Call(a, _)
            | ExprKind::MethodCall(a, _, _) => Some(a),
            _ => None,
        }
    }
}

/// One piece of an interpolated string `"a ${e} b"`.
#[derive(Clone, Debug, PartialEq)]
pub enum InterpPart {
    Text(String),
    Expr(Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Int(i64),
    Float(f64),
    Str(String),
    /// A string with at least one `${...}`; parts in source order.
    Interp(Vec<InterpPart>),
    Bool(bool),
    Null,
    Name(String),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `a && b` / `a and b`: short-circuit, result is a Bool.
    And(Box<Expr>, Box<Expr>),
    /// `a || b` / `a or b`: short-circuit, result is a Bool.
    Or(Box<Expr>, Box<Expr>),
    /// `callee(args)`; the span is the callee's first character.
    Call(Box<Expr>, Vec<Expr>),
    /// `obj.name(args)`; the span is the method name.
    MethodCall(Box<Expr>, String, Vec<Expr>),
    /// `obj[index]`; the span is the `[`.
    Index(Box<Expr>, Box<Expr>),
    /// `obj.name`; the span is the name.
    Field(Box<Expr>, String),
    Array(Vec<Expr>),
    /// `{k: v, ...}`; keys are expressions.
    Dict(Vec<(Expr, Expr)>),
    /// `Name { f: e, ... }` with the fields as written (name, its span, value).
    StructLit(String, Vec<(String, Span, Expr)>),
    /// An anonymous `func(params) { body }`.
    Func(Rc<FuncDecl>),
}

/// The left-hand side of an assignment.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    Name(String, Span),
    /// `obj[index]`; span is the `[`.
    Index(Expr, Expr, Span),
    /// `obj.name`; span is the field name.
    Field(Expr, String, Span),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssignOp {
    /// `:=`
    Walrus,
    /// `=`
    Set,
    /// `+=`, `-=`, `*=`, `/=`, `%=` (the BinOp is Add, Sub, Mul, Div or Mod).
    Compound(BinOp),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeclKind {
    Let,
    Mut,
    Const,
}

pub struct Stmt {
    pub kind: StmtKind,
    /// The statement's first token (for `Assign`: the assignment operator).
    pub span: Span,
}

impl Clone for Stmt {
    fn clone(&self) -> Stmt {
        guard(|| Stmt {
            kind: self.kind.clone(),
            span: self.span,
        })
    }
}

impl PartialEq for Stmt {
    fn eq(&self, other: &Stmt) -> bool {
        guard(|| self.span == other.span && self.kind == other.kind)
    }
}

impl fmt::Debug for Stmt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        guard(|| {
            f.debug_struct("Stmt")
                .field("kind", &self.kind)
                .field("span", &self.span)
                .finish()
        })
    }
}

impl Drop for Stmt {
    /// Blocks nest at most `MAX_NESTING` deep; each level is dropped under the guard.
    fn drop(&mut self) {
        if matches!(
            self.kind,
            StmtKind::Break | StmtKind::Continue | StmtKind::Return(None)
        ) {
            return;
        }
        let kind = std::mem::replace(&mut self.kind, StmtKind::Break);
        guard(move || drop(kind));
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    Expr(Expr),
    /// `target op value`; the statement span is the operator token.
    Assign {
        target: Target,
        op: AssignOp,
        value: Expr,
    },
    /// `let x := e`, `mut x := e`, `const X := e`; statement span is the keyword.
    Decl {
        kind: DeclKind,
        name: String,
        name_span: Span,
        value: Expr,
    },
    /// `else if` is an `else` block holding one `If`.
    If {
        cond: Expr,
        then_body: Vec<Stmt>,
        else_body: Option<Vec<Stmt>>,
    },
    While {
        cond: Expr,
        body: Vec<Stmt>,
    },
    Loop {
        body: Vec<Stmt>,
    },
    /// `for var in iter { body }`; statement span is `for`.
    For {
        var: String,
        var_span: Span,
        iter: Expr,
        body: Vec<Stmt>,
    },
    Break,
    Continue,
    Return(Option<Expr>),
    /// `func name(...) { ... }` as a statement.
    Func(Rc<FuncDecl>),
    /// Only at top level.
    Struct(Rc<StructDecl>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FuncDecl {
    /// `None` for anonymous functions.
    pub name: Option<String>,
    pub name_span: Span,
    pub params: Vec<Param>,
    pub body: Vec<Stmt>,
    /// The `func` keyword.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StructDecl {
    pub name: String,
    pub name_span: Span,
    pub fields: Vec<Param>,
    pub methods: Vec<Rc<FuncDecl>>,
    /// The `struct` keyword.
    pub span: Span,
}

/// A parsed file.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    pub body: Vec<Stmt>,
}
