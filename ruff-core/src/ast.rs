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

use std::rc::Rc;

pub use crate::bytecode::operator::{BinOp, UnOp};
use crate::span::Span;

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
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

#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    /// The statement's first token (for `Assign`: the assignment operator).
    pub span: Span,
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
