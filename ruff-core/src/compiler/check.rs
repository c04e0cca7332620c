//! Static errors (LANGUAGE-DETAILS §2 and §6), found before any code is generated.
//!
//! The checker walks the program in exactly the order §6 prescribes, so the first error it
//! meets is the one to report: struct declarations, duplicate top-level functions, method
//! bodies, then the statements (an assignment's value before its target; a `for`'s variable,
//! body, then iterable; a function's parameters before its body). Code generation runs only
//! on programs that pass, so it never has to report these itself.

use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

use crate::ast::{
    AssignOp, DeclKind, Expr, ExprKind, FuncDecl, InterpPart, Program, Stmt, StmtKind, StructDecl,
    Target,
};
use crate::builtins;
use crate::deep::guard;
use crate::error::Error;
use crate::span::Span;

use super::scope::{FuncScope, Scopes};

/// How a statement binds a name, for the constant and undefined-target checks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bind {
    /// `:=` or a `for` variable (may reach an enclosing function's local).
    Walrus,
    /// `=` or `op=` (may reach a global).
    Update,
    /// `let`, `mut`, `func NAME` (always the current scope).
    Declare,
    /// `const` (always the current scope).
    Const,
}

/// Returns the first static error of `program`, if any.
pub fn check(program: &Program, scopes: &Scopes) -> Result<(), Error> {
    let structs: Vec<&Rc<StructDecl>> = program
        .body
        .iter()
        .filter_map(|s| match &s.kind {
            StmtKind::Struct(d) => Some(d),
            _ => None,
        })
        .collect();
    let mut by_name: HashMap<&str, &StructDecl> = HashMap::default();
    for s in &structs {
        if by_name.contains_key(s.name.as_str()) {
            return Err(Error::compile(
                s.span,
                format!("struct '{}' is already declared", s.name),
            ));
        }
        by_name.insert(&s.name, s);
        check_members(s)?;
    }
    let mut funcs: HashMap<&str, ()> = HashMap::default();
    for stmt in &program.body {
        if let StmtKind::Func(f) = &stmt.kind {
            let name = f.name.as_deref().unwrap_or_default();
            if funcs.insert(name, ()).is_some() {
                return Err(Error::compile(
                    f.span,
                    format!("function '{name}' is already declared"),
                ));
            }
        }
    }
    let mut checker = Checker {
        scopes,
        structs: by_name,
        chain: Vec::new(),
        in_loop: false,
    };
    for s in &structs {
        for m in &s.methods {
            checker.func(m, false)?;
        }
    }
    checker.stmts(&program.body)
}

/// Duplicate fields and methods of one struct, in source order.
fn check_members(s: &StructDecl) -> Result<(), Error> {
    let mut members: Vec<(&str, Span, bool)> = s
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.span, true))
        .chain(
            s.methods
                .iter()
                .map(|m| (m.name.as_deref().unwrap_or_default(), m.span, false)),
        )
        .collect();
    members.sort_by_key(|m| (m.1.line, m.1.col));
    let mut seen: HashMap<&str, bool> = HashMap::default();
    for (name, span, is_field) in members {
        if let Some(&was_field) = seen.get(name) {
            let msg = if was_field && is_field {
                format!("field '{name}' is declared twice")
            } else {
                format!("'{name}' is declared twice in struct '{}'", s.name)
            };
            return Err(Error::compile(span, msg));
        }
        seen.insert(name, is_field);
    }
    Ok(())
}

struct Checker<'a> {
    scopes: &'a Scopes,
    structs: HashMap<&'a str, &'a StructDecl>,
    /// Scopes of the enclosing functions, outermost first, ending with the current one;
    /// empty at top level.
    chain: Vec<&'a FuncScope>,
    in_loop: bool,
}

impl<'a> Checker<'a> {
    /// A function body: a fresh loop context, parameters before the body.
    /// `nested` keeps the enclosing chain (closures); methods start from top level.
    fn func(&mut self, decl: &'a Rc<FuncDecl>, nested: bool) -> Result<(), Error> {
        guard(|| self.func_here(decl, nested))
    }

    fn func_here(&mut self, decl: &'a Rc<FuncDecl>, nested: bool) -> Result<(), Error> {
        for (i, p) in decl.params.iter().enumerate() {
            if decl.params[..i].iter().any(|q| q.name == p.name) {
                return Err(Error::compile(
                    p.span,
                    format!("duplicate parameter '{}'", p.name),
                ));
            }
        }
        let saved_chain = if nested {
            None
        } else {
            Some(std::mem::take(&mut self.chain))
        };
        let saved_loop = std::mem::replace(&mut self.in_loop, false);
        self.chain.push(self.scopes.of(decl));
        let result = self.stmts(&decl.body);
        self.chain.pop();
        self.in_loop = saved_loop;
        if let Some(chain) = saved_chain {
            self.chain = chain;
        }
        result
    }

    fn stmts(&mut self, body: &'a [Stmt]) -> Result<(), Error> {
        body.iter().try_for_each(|s| self.stmt(s))
    }

    fn stmt(&mut self, stmt: &'a Stmt) -> Result<(), Error> {
        guard(|| self.stmt_here(stmt))
    }

    fn stmt_here(&mut self, stmt: &'a Stmt) -> Result<(), Error> {
        match &stmt.kind {
            StmtKind::Expr(e) => self.expr(e),
            StmtKind::Assign { target, op, value } => {
                self.expr(value)?;
                match target {
                    Target::Name(name, span) => {
                        let kind = if *op == AssignOp::Walrus {
                            Bind::Walrus
                        } else {
                            Bind::Update
                        };
                        self.binding(name, kind, *span)
                    }
                    Target::Index(obj, idx, _) => {
                        self.expr(obj)?;
                        self.expr(idx)
                    }
                    Target::Field(obj, _, _) => self.expr(obj),
                }
            }
            StmtKind::Decl {
                kind,
                name,
                name_span,
                value,
            } => {
                self.expr(value)?;
                let k = if *kind == DeclKind::Const {
                    Bind::Const
                } else {
                    Bind::Declare
                };
                self.binding(name, k, *name_span)
            }
            StmtKind::If {
                cond,
                then_body,
                else_body,
            } => {
                self.expr(cond)?;
                self.stmts(then_body)?;
                match else_body {
                    Some(e) => self.stmts(e),
                    None => Ok(()),
                }
            }
            StmtKind::While { cond, body } => {
                self.expr(cond)?;
                self.loop_body(body)
            }
            StmtKind::Loop { body } => self.loop_body(body),
            StmtKind::For {
                var, iter, body, ..
            } => {
                self.binding(var, Bind::Walrus, stmt.span)?;
                self.loop_body(body)?;
                self.expr(iter)
            }
            StmtKind::Break | StmtKind::Continue if !self.in_loop => {
                let word = if stmt.kind == StmtKind::Break {
                    "break"
                } else {
                    "continue"
                };
                Err(Error::compile(
                    stmt.span,
                    format!("'{word}' outside a loop"),
                ))
            }
            StmtKind::Break | StmtKind::Continue => Ok(()),
            StmtKind::Return(value) => {
                if self.chain.is_empty() {
                    return Err(Error::compile(stmt.span, "'return' outside a function"));
                }
                match value {
                    Some(v) => self.expr(v),
                    None => Ok(()),
                }
            }
            StmtKind::Func(decl) => {
                if let Some(name) = &decl.name {
                    self.binding(name, Bind::Declare, decl.span)?;
                }
                self.func(decl, true)
            }
            // Struct declarations were checked first.
            StmtKind::Struct(_) => Ok(()),
        }
    }

    fn loop_body(&mut self, body: &'a [Stmt]) -> Result<(), Error> {
        let saved = std::mem::replace(&mut self.in_loop, true);
        let r = self.stmts(body);
        self.in_loop = saved;
        r
    }

    /// Checks one binding of `name` against constants and (for `=`/`op=`) against names
    /// that can never exist.
    fn binding(&self, name: &str, kind: Bind, span: Span) -> Result<(), Error> {
        let constant = || {
            Err(Error::compile(
                span,
                format!("cannot assign to constant '{name}'"),
            ))
        };
        // The scope the binding lands in: the current function for declarations, the
        // innermost function having the local for `:=` and updates, else the globals.
        let owner = match kind {
            Bind::Declare | Bind::Const => self.chain.last(),
            Bind::Walrus | Bind::Update => self.chain.iter().rev().find(|s| s.reg(name).is_some()),
        };
        match owner {
            Some(scope) => {
                let Some(&first_const) = scope.consts.get(name) else {
                    return Ok(());
                };
                if kind == Bind::Const && scope.is_param(name) {
                    return Err(Error::compile(
                        span,
                        format!("cannot redeclare parameter '{name}' as a constant"),
                    ));
                }
                if kind == Bind::Const && first_const == span {
                    return Ok(());
                }
                constant()
            }
            None if kind == Bind::Walrus && !self.chain.is_empty() => Ok(()),
            None => {
                if let Some(&first_const) = self.scopes.global_consts.get(name) {
                    let is_the_decl = kind == Bind::Const && first_const == span;
                    // A function's own `let X`/`X :=` makes a local; only top-level
                    // bindings and updates reaching the global conflict.
                    if !is_the_decl {
                        return constant();
                    }
                }
                if kind == Bind::Update
                    && !self.scopes.top_bound.contains(name)
                    && !builtins::NAMES.contains(&name)
                {
                    return Err(Error::compile(
                        span,
                        format!("assignment to undefined variable '{name}'"),
                    ));
                }
                Ok(())
            }
        }
    }

    /// Checks `e` in source order. A flat chain's left spine is walked in a loop: its first
    /// operand, then each link's other operands from the innermost link out.
    fn expr(&mut self, e: &'a Expr) -> Result<(), Error> {
        guard(|| {
            let mut links = Vec::new();
            let mut first = e;
            while let Some(head) = first.kind.chain_head() {
                links.push(first);
                first = head;
            }
            self.expr_here(first)?;
            links
                .into_iter()
                .rev()
                .try_for_each(|link| self.link_rest(link))
        })
    }

    /// The operands of a chain link other than its head.
    fn link_rest(&mut self, link: &'a Expr) -> Result<(), Error> {
        match &link.kind {
            ExprKind::Binary(_, _, b)
            | ExprKind::And(_, b)
            | ExprKind::Or(_, b)
            | ExprKind::Index(_, b) => self.expr(b),
            ExprKind::Call(_, args) | ExprKind::MethodCall(_, _, args) => {
                args.iter().try_for_each(|a| self.expr(a))
            }
            _ => Ok(()),
        }
    }

    /// One expression that is not a chain link.
    fn expr_here(&mut self, e: &'a Expr) -> Result<(), Error> {
        match &e.kind {
            ExprKind::Interp(parts) => parts.iter().try_for_each(|p| match p {
                InterpPart::Expr(e) => self.expr(e),
                InterpPart::Text(_) => Ok(()),
            }),
            ExprKind::Unary(_, a) => self.expr(a),
            ExprKind::Binary(..)
            | ExprKind::And(..)
            | ExprKind::Or(..)
            | ExprKind::Index(..)
            | ExprKind::Field(..)
            | ExprKind::Call(..)
            // Chain links never get here: `expr` walks them.
            | ExprKind::MethodCall(..) => Ok(()),
            ExprKind::Array(items) => items.iter().try_for_each(|a| self.expr(a)),
            ExprKind::Dict(pairs) => pairs.iter().try_for_each(|(k, v)| {
                self.expr(k)?;
                self.expr(v)
            }),
            ExprKind::StructLit(name, fields) => {
                let decl = self.structs.get(name.as_str()).copied();
                for (field, span, value) in fields {
                    if let Some(d) = decl {
                        if !d.fields.iter().any(|f| &f.name == field) {
                            return Err(Error::compile(
                                *span,
                                format!("struct '{name}' has no field '{field}'"),
                            ));
                        }
                    }
                    self.expr(value)?;
                }
                Ok(())
            }
            ExprKind::Func(decl) => self.func(decl, true),
            ExprKind::Int(_)
            | ExprKind::Float(_)
            | ExprKind::Str(_)
            | ExprKind::Bool(_)
            | ExprKind::Null
            | ExprKind::Name(_) => Ok(()),
        }
    }
}
