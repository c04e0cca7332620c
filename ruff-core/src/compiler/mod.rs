//! Compiler: `ast` to register bytecode.
//!
//! Phases: `scope` fixes every function's locals and finds captured ones; `check` reports
//! the first static error in the order LANGUAGE-DETAILS §6 prescribes; then code is
//! generated function by function (`stmt`, `assign`, `loops`, `expr`, `cond`), children
//! before parents, so `FuncProto::id` is a post-order index and `<main>` is the last
//! prototype.
//!
//! Name resolution while generating code: the current function's local (a plain register,
//! or a Cell if captured), else an enclosing function's local (an upvalue, threaded through
//! every function in between), else a global slot (builtins first, in `builtins::NAMES`
//! order). `<main>` has no locals, so everything it binds is a global.

mod accumulate;
mod assign;
mod check;
mod cond;
mod expr;
mod func;
mod loops;
mod scope;
mod stmt;
#[cfg(test)]
mod tests;

use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

use crate::ast::{self, FuncDecl, StmtKind};
use crate::builtins;
use crate::bytecode::{FuncProto, Instr, Program, Reg, UpvalDesc};
use crate::error::Error;
use crate::heap::{Closure, StructDef};
use crate::span::Span;

use func::{FuncState, ProtoMeta};
use scope::{FuncScope, Scopes};

/// Compiles a parsed file, or returns its first static error.
pub fn compile(program: &ast::Program) -> Result<Program, Error> {
    let scopes = scope::analyze(program);
    check::check(program, &scopes)?;
    let mut c = Compiler::new(&scopes);
    c.declare_structs(program)?;
    c.main(program)?;
    let main = c.protos.last().cloned().expect("main was compiled");
    let program = Program {
        main,
        protos: c.protos,
        global_names: c.global_names,
        structs: c.struct_list,
    };
    // The interpreter's unsafe code relies on these invariants; release builds trust the
    // compiler (the tests verify every program they compile, `bytecode::verify`).
    #[cfg(debug_assertions)]
    if let Err(e) = crate::bytecode::verify(&program) {
        panic!("compiler bug: {e}");
    }
    Ok(program)
}

/// Where a name lives, from the point of view of the function being compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Var {
    /// A local held directly in this register.
    Local(Reg),
    /// A captured local: the register holds its Cell.
    Cell(Reg),
    /// An enclosing function's local, through this closure's upvalue.
    Upval(u16),
    /// A global slot.
    Global(u32),
}

pub(crate) struct Compiler<'a> {
    scopes: &'a Scopes,
    /// Functions being compiled, outermost first; the last one receives the code.
    funcs: Vec<FuncState>,
    globals: HashMap<String, u32>,
    global_names: Vec<Rc<str>>,
    protos: Vec<Rc<FuncProto>>,
    structs: HashMap<String, Rc<StructDef>>,
    struct_list: Vec<Rc<StructDef>>,
}

impl<'a> Compiler<'a> {
    fn new(scopes: &'a Scopes) -> Compiler<'a> {
        let mut c = Compiler {
            scopes,
            funcs: Vec::new(),
            globals: HashMap::default(),
            global_names: Vec::new(),
            protos: Vec::new(),
            structs: HashMap::default(),
            struct_list: Vec::new(),
        };
        for name in builtins::NAMES {
            c.global(name);
        }
        c
    }

    /// The function receiving code.
    fn f(&mut self) -> &mut FuncState {
        self.funcs.last_mut().expect("a function is being compiled")
    }

    fn global(&mut self, name: &str) -> u32 {
        if let Some(&g) = self.globals.get(name) {
            return g;
        }
        let g = self.global_names.len() as u32;
        self.global_names.push(name.into());
        self.globals.insert(name.to_owned(), g);
        g
    }

    fn resolve(&mut self, name: &str) -> Var {
        let level = self.funcs.len() - 1;
        let f = &self.funcs[level];
        if let Some(r) = f.scope.reg(name) {
            return if f.scope.captured[r as usize] {
                Var::Cell(r)
            } else {
                Var::Local(r)
            };
        }
        match self.upval(level, name) {
            Some(i) => Var::Upval(i),
            None => Var::Global(self.global(name)),
        }
    }

    /// Index of the upvalue of the function at `level` that reaches `name`, adding it (and
    /// the upvalues of the functions in between) on first use. Recurses once per enclosing
    /// function, which nest as deep as blocks do.
    fn upval(&mut self, level: usize, name: &str) -> Option<u16> {
        crate::deep::guard(|| self.upval_at(level, name))
    }

    fn upval_at(&mut self, level: usize, name: &str) -> Option<u16> {
        if let Some(i) = self.funcs[level].upval_names.iter().position(|n| n == name) {
            return Some(i as u16);
        }
        if level == 0 || self.funcs[level - 1].is_main {
            return None;
        }
        let desc = match self.funcs[level - 1].scope.reg(name) {
            Some(r) => UpvalDesc::ParentReg(r),
            None => UpvalDesc::ParentUpval(self.upval(level - 1, name)?),
        };
        let f = &mut self.funcs[level];
        f.upvals.push(desc);
        f.upval_names.push(name.to_owned());
        Some((f.upvals.len() - 1) as u16)
    }

    /// Creates every struct's definition, then compiles the methods into it.
    fn declare_structs(&mut self, program: &ast::Program) -> Result<(), Error> {
        let decls: Vec<&Rc<ast::StructDecl>> = program
            .body
            .iter()
            .filter_map(|s| match &s.kind {
                StmtKind::Struct(d) => Some(d),
                _ => None,
            })
            .collect();
        for d in &decls {
            // Field slots are `u16` (`StructLit::field_slots`).
            if d.fields.len() > u16::MAX as usize {
                return Err(Error::compile(
                    d.span,
                    format!(
                        "struct '{}' has {} fields; at most {} fit in one struct",
                        d.name,
                        d.fields.len(),
                        u16::MAX
                    ),
                ));
            }
            let def = Rc::new(StructDef {
                name: d.name.as_str().into(),
                fields: d.fields.iter().map(|f| f.name.as_str().into()).collect(),
                methods: std::cell::OnceCell::new(),
            });
            self.structs.insert(d.name.clone(), def.clone());
            self.struct_list.push(def);
        }
        for d in decls {
            let mut methods = Vec::new();
            for m in &d.methods {
                let name = m.name.as_deref().unwrap_or_default();
                let meta = ProtoMeta {
                    trace_name: format!("{}.{name}", d.name).into(),
                    display_name: name.into(),
                    arity: arity(m)?,
                    is_method: true,
                    is_anonymous: false,
                    span: m.span,
                };
                let proto = self.function(m, meta)?;
                let closure = Rc::new(Closure {
                    proto,
                    upvals: Box::new([]),
                });
                methods.push((Rc::<str>::from(name), closure));
            }
            let def = &self.structs[&d.name];
            // Methods may build instances of their own struct (or of a struct whose methods
            // build this one), so the definitions exist before the methods are compiled and
            // the method table is filled in once afterwards.
            // Duplicate struct names are rejected before this point, so this is the first and
            // only set; ignoring the result keeps the compiler panic-free regardless.
            let _ = def.methods.set(methods);
        }
        Ok(())
    }

    /// Compiles the top-level code: hoisted functions first, then the statements.
    fn main(&mut self, program: &ast::Program) -> Result<(), Error> {
        let meta = ProtoMeta {
            trace_name: "<main>".into(),
            display_name: "<main>".into(),
            arity: 0,
            is_method: false,
            is_anonymous: false,
            span: program.body.first().map_or(Span::new(1, 1), |s| s.span),
        };
        self.funcs
            .push(FuncState::new(meta, Rc::new(FuncScope::default()), true)?);
        for stmt in &program.body {
            if let StmtKind::Func(decl) = &stmt.kind {
                let mark = self.f().top;
                let t = self.f().alloc(1, decl.span)?;
                self.make_closure(decl, t)?;
                let g = self.global(decl.name.as_deref().unwrap_or_default());
                self.f().emit(Instr::DefGlobal { g, src: t }, decl.span);
                self.f().free_to(mark);
            }
        }
        for stmt in &program.body {
            // Hoisted above; reaching the statement later does nothing.
            if !matches!(stmt.kind, StmtKind::Func(_)) {
                self.stmt(stmt)?;
            }
        }
        let end = program.body.last().map_or(Span::new(1, 1), |s| s.span);
        self.f().emit(Instr::ReturnNull, end);
        let f = self.funcs.pop().expect("main");
        self.finish(f);
        Ok(())
    }

    /// Compiles a function or method body into a new prototype.
    fn function(&mut self, decl: &Rc<FuncDecl>, meta: ProtoMeta) -> Result<Rc<FuncProto>, Error> {
        let scope = self.scopes.of(decl).clone();
        let span = meta.span;
        self.funcs.push(FuncState::new(meta, scope.clone(), false)?);
        // Captured locals get their Cell on entry: a closure created before the first
        // binding (`k := func() { c := 10 }; c := 0`) must already share it.
        for (r, &captured) in scope.captured.iter().enumerate() {
            if captured {
                self.f().emit(Instr::NewCell { reg: r as Reg }, span);
            }
        }
        for s in &decl.body {
            self.stmt(s)?;
        }
        let end = decl.body.last().map_or(span, |s| s.span);
        self.f().emit(Instr::ReturnNull, end);
        let f = self.funcs.pop().expect("function");
        // Upvalue indices are `u16`; past that they would have wrapped (`upval`).
        if f.upvals.len() > u16::MAX as usize {
            return Err(Error::compile(
                span,
                format!(
                    "function captures {} variables; at most {} fit in one function",
                    f.upvals.len(),
                    u16::MAX
                ),
            ));
        }
        Ok(self.finish(f))
    }

    fn finish(&mut self, f: FuncState) -> Rc<FuncProto> {
        let proto = Rc::new(f.finish(self.protos.len() as u32));
        self.protos.push(proto.clone());
        proto
    }

    /// Compiles a nested function (named or anonymous) and emits `MakeClosure` into `dst`.
    fn make_closure(&mut self, decl: &Rc<FuncDecl>, dst: Reg) -> Result<(), Error> {
        let (trace_name, display_name, is_anonymous): (Rc<str>, Rc<str>, bool) = match &decl.name {
            Some(n) => (n.as_str().into(), n.as_str().into(), false),
            None => ("<anonymous>".into(), "anonymous".into(), true),
        };
        let meta = ProtoMeta {
            trace_name,
            display_name,
            arity: arity(decl)?,
            is_method: false,
            is_anonymous,
            span: decl.span,
        };
        let proto = self.function(decl, meta)?;
        let f = self.f();
        let idx = u16::try_from(f.children.len())
            .map_err(|_| Error::compile(decl.span, "too many nested functions"))?;
        f.children.push(proto);
        f.emit(Instr::MakeClosure { dst, proto: idx }, decl.span);
        Ok(())
    }
}

fn arity(decl: &FuncDecl) -> Result<u16, Error> {
    u16::try_from(decl.params.len()).map_err(|_| Error::compile(decl.span, "too many parameters"))
}
