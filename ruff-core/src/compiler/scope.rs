//! Static scope resolution (LANGUAGE-DETAILS §2).
//!
//! A function's locals are fixed over its whole body before any code is generated:
//! its parameters, every name it declares with `let`/`mut`/`const`/`func NAME`, and every
//! name it binds with `:=` or as a `for` variable unless an enclosing function has that name
//! as a local (then the binding reaches the enclosing one). Nested function bodies never add
//! locals to the function around them. Top-level code has no locals: everything it binds is
//! a global.
//!
//! The analysis also finds which locals are *captured* (referenced from a nested function
//! where the name resolves to this function's local): those live in Cells so closures share
//! them by reference.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::rc::Rc;

use crate::ast::{DeclKind, Expr, ExprKind, FuncDecl, InterpPart, Program, Stmt, StmtKind, Target};
use crate::deep::guard;
use crate::span::Span;

/// The resolved scope of one function (named, anonymous or method).
#[derive(Debug, Default)]
pub struct FuncScope {
    /// Number of parameters (they are `locals[..params]`).
    pub params: usize,
    /// Every local in register order: parameters first, then in order of first binding.
    pub locals: Vec<String>,
    /// Name to register.
    pub index: HashMap<String, u16>,
    /// Constant locals, with the span of the first `const` declaring each (the declaration;
    /// any other binding of the name in this scope is an error).
    pub consts: HashMap<String, Span>,
    /// Per local (by register): referenced from a nested function, so it lives in a Cell.
    pub captured: Vec<bool>,
}

impl FuncScope {
    pub fn reg(&self, name: &str) -> Option<u16> {
        self.index.get(name).copied()
    }

    pub fn is_param(&self, name: &str) -> bool {
        self.reg(name).is_some_and(|r| (r as usize) < self.params)
    }
}

/// Scopes of every function in a program, keyed by the address of its `FuncDecl`.
#[derive(Debug, Default)]
pub struct Scopes {
    funcs: HashMap<*const FuncDecl, Rc<FuncScope>>,
    /// Names any top-level statement binds (in nested blocks too): `:=`, `let`, `mut`,
    /// `const`, `for`, `func`.
    pub top_bound: HashSet<String>,
    /// Global constants with the span of their first `const` declaration.
    pub global_consts: HashMap<String, Span>,
}

impl Scopes {
    pub fn of(&self, decl: &Rc<FuncDecl>) -> &Rc<FuncScope> {
        &self.funcs[&Rc::as_ptr(decl)]
    }
}

/// Resolves every function of `program`.
pub fn analyze(program: &Program) -> Scopes {
    let mut scopes = Scopes::default();
    let mut top = Scan::default();
    let mut methods = Vec::new();
    for stmt in &program.body {
        if let StmtKind::Struct(s) = &stmt.kind {
            methods.extend(s.methods.iter().cloned());
        }
        top.stmt(stmt);
    }
    for b in &top.bindings {
        scopes.top_bound.insert(b.name.clone());
        if b.kind == Binding::Const {
            scopes.global_consts.entry(b.name.clone()).or_insert(b.span);
        }
    }
    for f in methods.iter().chain(top.nested.iter()) {
        analyze_func(f, None, &mut scopes);
    }
    scopes
}

/// The local tables of the enclosing functions, innermost first: a list threaded through
/// the recursion, so a function nested N deep costs no copy of N tables.
#[derive(Clone, Copy)]
struct Outer<'p> {
    index: &'p HashMap<String, u16>,
    parent: Option<&'p Outer<'p>>,
}

/// True if an enclosing function has a local `name`.
fn outer_has(mut outer: Option<&Outer>, name: &str) -> bool {
    while let Some(o) = outer {
        if o.index.contains_key(name) {
            return true;
        }
        outer = o.parent;
    }
    false
}

/// Resolves `decl` (whose enclosing functions' local tables are `outer`) and its nested
/// functions; returns the names `decl` refers to that are not its own locals.
fn analyze_func(
    decl: &Rc<FuncDecl>,
    outer: Option<&Outer>,
    scopes: &mut Scopes,
) -> HashSet<String> {
    guard(|| analyze_func_here(decl, outer, scopes))
}

fn analyze_func_here(
    decl: &Rc<FuncDecl>,
    outer: Option<&Outer>,
    scopes: &mut Scopes,
) -> HashSet<String> {
    let mut scan = Scan::default();
    for s in &decl.body {
        scan.stmt(s);
    }
    let mut scope = FuncScope {
        params: decl.params.len(),
        ..FuncScope::default()
    };
    let add = |scope: &mut FuncScope, name: &str| {
        if !scope.index.contains_key(name) {
            scope
                .index
                .insert(name.to_owned(), scope.locals.len() as u16);
            scope.locals.push(name.to_owned());
        }
    };
    for p in &decl.params {
        if scope.index.contains_key(&p.name) {
            // A duplicate parameter is a static error (reported by the checker); it still
            // takes its slot so that parameter i stays in register i.
            scope.locals.push(String::new());
        } else {
            add(&mut scope, &p.name);
        }
    }
    for b in &scan.bindings {
        let reaches_outer = b.kind == Binding::Bind && outer_has(outer, &b.name);
        if !reaches_outer {
            add(&mut scope, &b.name);
        }
        if b.kind == Binding::Const {
            scope.consts.entry(b.name.clone()).or_insert(b.span);
        }
    }
    let mut free: HashSet<String> = scan
        .refs
        .into_iter()
        .filter(|n| !scope.index.contains_key(n))
        .collect();
    let mut captured = HashSet::default();
    let here = Outer {
        index: &scope.index,
        parent: outer,
    };
    for child in &scan.nested {
        for name in analyze_func(child, Some(&here), scopes) {
            if scope.index.contains_key(&name) {
                captured.insert(name);
            } else {
                free.insert(name);
            }
        }
    }
    scope.captured = scope.locals.iter().map(|n| captured.contains(n)).collect();
    scopes.funcs.insert(Rc::as_ptr(decl), Rc::new(scope));
    free
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Binding {
    /// `let`, `mut`, `func NAME`: always a local of the declaring function.
    Declare,
    /// `const`: a local (or global) that nothing else may bind.
    Const,
    /// `:=` or a `for` variable: may reach an enclosing function's local.
    Bind,
}

struct BindingSite {
    name: String,
    kind: Binding,
    span: Span,
}

/// What one function body (without nested function bodies) binds and mentions.
#[derive(Default)]
struct Scan {
    bindings: Vec<BindingSite>,
    /// Every name read or assigned.
    refs: HashSet<String>,
    /// Function literals and `func NAME` statements directly in this body.
    nested: Vec<Rc<FuncDecl>>,
}

impl Scan {
    fn bind(&mut self, name: &str, kind: Binding, span: Span) {
        self.bindings.push(BindingSite {
            name: name.to_owned(),
            kind,
            span,
        });
    }

    fn stmts(&mut self, body: &[Stmt]) {
        for s in body {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, stmt: &Stmt) {
        guard(|| self.stmt_here(stmt))
    }

    fn stmt_here(&mut self, stmt: &Stmt) {
        match &stmt.kind {
            StmtKind::Expr(e) => self.expr(e),
            StmtKind::Assign { target, op, value } => {
                self.expr(value);
                match target {
                    Target::Name(name, span) => {
                        if *op == crate::ast::AssignOp::Walrus {
                            self.bind(name, Binding::Bind, *span);
                        }
                        self.refs.insert(name.clone());
                    }
                    Target::Index(obj, idx, _) => {
                        self.expr(obj);
                        self.expr(idx);
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
                self.expr(value);
                let k = if *kind == DeclKind::Const {
                    Binding::Const
                } else {
                    Binding::Declare
                };
                self.bind(name, k, *name_span);
                self.refs.insert(name.clone());
            }
            StmtKind::If {
                cond,
                then_body,
                else_body,
            } => {
                self.expr(cond);
                self.stmts(then_body);
                if let Some(e) = else_body {
                    self.stmts(e);
                }
            }
            StmtKind::While { cond, body } => {
                self.expr(cond);
                self.stmts(body);
            }
            StmtKind::Loop { body } => self.stmts(body),
            StmtKind::For {
                var, iter, body, ..
            } => {
                self.bind(var, Binding::Bind, stmt.span);
                self.refs.insert(var.clone());
                self.expr(iter);
                self.stmts(body);
            }
            StmtKind::Return(Some(e)) => self.expr(e),
            StmtKind::Func(decl) => {
                if let Some(name) = &decl.name {
                    self.bind(name, Binding::Declare, decl.span);
                    self.refs.insert(name.clone());
                }
                self.nested.push(decl.clone());
            }
            StmtKind::Return(None) | StmtKind::Break | StmtKind::Continue | StmtKind::Struct(_) => {
            }
        }
    }

    /// Scans `e` in source order; a flat chain's left spine is followed in a loop.
    fn expr(&mut self, e: &Expr) {
        guard(|| {
            let mut links = Vec::new();
            let mut first = e;
            while let Some(head) = first.kind.chain_head() {
                links.push(first);
                first = head;
            }
            self.expr_here(first);
            links
                .into_iter()
                .rev()
                .for_each(|link| self.link_rest(link));
        })
    }

    /// The operands of a chain link other than its head.
    fn link_rest(&mut self, link: &Expr) {
        match &link.kind {
            ExprKind::Binary(_, _, b)
            | ExprKind::And(_, b)
            | ExprKind::Or(_, b)
            | ExprKind::Index(_, b) => self.expr(b),
            ExprKind::Call(_, args) | ExprKind::MethodCall(_, _, args) => {
                args.iter().for_each(|a| self.expr(a))
            }
            _ => {}
        }
    }

    fn expr_here(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Name(n) => {
                self.refs.insert(n.clone());
            }
            ExprKind::Interp(parts) => {
                for p in parts {
                    if let InterpPart::Expr(e) = p {
                        self.expr(e);
                    }
                }
            }
            ExprKind::Unary(_, a) => self.expr(a),
            // Chain links never get here: `expr` walks them.
            ExprKind::Binary(..)
            | ExprKind::And(..)
            | ExprKind::Or(..)
            | ExprKind::Index(..)
            | ExprKind::Field(..)
            | ExprKind::Call(..)
            | ExprKind::MethodCall(..) => {}
            ExprKind::Array(items) => items.iter().for_each(|a| self.expr(a)),
            ExprKind::Dict(pairs) => {
                for (k, v) in pairs {
                    self.expr(k);
                    self.expr(v);
                }
            }
            ExprKind::StructLit(_, fields) => fields.iter().for_each(|(_, _, v)| self.expr(v)),
            ExprKind::Func(decl) => self.nested.push(decl.clone()),
            ExprKind::Int(_)
            | ExprKind::Float(_)
            | ExprKind::Str(_)
            | ExprKind::Bool(_)
            | ExprKind::Null => {}
        }
    }
}
