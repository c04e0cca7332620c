//! `CraneliftTier`: the long-lived compile state (JIT modules, codegen context, frontend
//! context; reused for every function, as in cranelift-jit-demo) and the direct-call table.
//!
//! One compile per request: translate, define, finalize, report size and time. Code is
//! never freed (the JIT module owns it until the tier is dropped), so an entry that the VM
//! dropped after too many deopts stays callable by compiled callers until they re-sync.

// BTreeMap, not HashMap: std's randomly seeded hashing makes instruction counts differ
// between processes, and `harness run --measure instructions` must repeat exactly.
use std::collections::BTreeMap;
use std::time::Instant;

use cranelift_codegen::Context;
use cranelift_frontend::FunctionBuilderContext;
use cranelift_jit::JITModule;
use cranelift_module::{FuncId, Module};
use ruff_core::abi::bytecode::Program;
use ruff_core::abi::{CompileRequest, CompileTier, CompiledCode, JitEntry, MAX_DEPTH, STACK_SLOTS};
use ruff_core::Config;

use crate::translate::{self, entry_signature, Body, SelfLinks, TypedCallee};
use crate::JitOptions;

pub struct CraneliftTier {
    /// One module per optimization level (`modules.rs`), indexed by `cur`: the one the
    /// function being compiled goes into.
    modules: Vec<JITModule>,
    cur: usize,
    ctx: Context,
    fctx: FunctionBuilderContext,
    options: JitOptions,
    /// Direct-call table of the current program: the compiled entry of each prototype.
    /// Boxed so its address, baked into code, never changes.
    table: Box<[Option<JitEntry>]>,
    /// The typed entry compiled with each prototype's current code in `table`, if it has
    /// one (`translate/plan/typed.rs`): compiled callers call it directly.
    typed: Vec<Option<TypedCallee>>,
    /// Tables of earlier programs, kept alive because code may still refer to them.
    old_tables: Vec<Box<[Option<JitEntry>]>>,
    /// Identity of the program `table` belongs to.
    program: *const Program,
    direct_calls: bool,
    /// Per prototype id: pcs the last compile left to the interpreter for lack of feedback.
    traps: BTreeMap<u32, Vec<u32>>,
    /// `--perf-map`: the open map, and the prototypes of the current program compiled so
    /// far (a second compile is a recompile in the symbol's name).
    perf_map: Option<crate::perf_map::PerfMap>,
    compiled: std::collections::BTreeSet<u32>,
    /// `fail-guards=1`: compiled guards always fail.
    fail_guards: bool,
}

impl CraneliftTier {
    pub fn new(config: &Config, options: JitOptions) -> Result<CraneliftTier, String> {
        // One-time setup (flags, host ISA, JIT module) happens here, not in the first
        // compile: `compile_ns` counts per-function work only; `--trace-jit` reports this.
        let started = Instant::now();
        // The baseline's code is a chain of helper calls with little for the optimizer to
        // find, so it compiles at the cheapest level; the specializing presets need the
        // mid-end (GVN, LICM, alias analysis) for their unboxed loops (`modules.rs`).
        let modules = crate::modules::create(config.preset.specializes())?;
        if options.trace {
            let us = started.elapsed().as_micros();
            eprintln!("[jit] tier: setup (flags, ISA, JIT module) {us} us");
        }
        // A map that cannot be written is a warning: the run itself must not change.
        let perf_map = options.perf_map.as_ref().and_then(|source| {
            crate::perf_map::PerfMap::create(source)
                .map_err(|e| {
                    let path = crate::perf_map::path();
                    eprintln!("ruff: warning: cannot write {}: {e}", path.display());
                })
                .ok()
        });
        Ok(CraneliftTier {
            ctx: modules[crate::modules::QUICK].make_context(),
            modules,
            cur: crate::modules::QUICK,
            fctx: FunctionBuilderContext::new(),
            options,
            table: Box::new([]),
            typed: Vec::new(),
            old_tables: Vec::new(),
            program: std::ptr::null(),
            direct_calls: false,
            traps: BTreeMap::new(),
            perf_map,
            compiled: Default::default(),
            fail_guards: config.fail_guards,
        })
    }

    /// Starts a fresh direct-call table when a new program is compiled.
    fn sync_program(&mut self, program: &Program) {
        if std::ptr::eq(self.program, program) {
            return;
        }
        let fresh = vec![None; program.protos.len()].into_boxed_slice();
        self.old_tables
            .push(std::mem::replace(&mut self.table, fresh));
        self.program = program;
        self.typed = vec![None; program.protos.len()];
        self.compiled.clear();
        let max_regs = program
            .protos
            .iter()
            .map(|p| p.num_regs as usize)
            .max()
            .unwrap_or(0);
        self.direct_calls = (MAX_DEPTH as usize + 2) * (max_regs + 1) < STACK_SLOTS;
    }

    fn compile_inner(&mut self, req: &CompileRequest<'_>) -> Result<CompiledCode, String> {
        let started = Instant::now();
        self.sync_program(req.program);
        self.cur =
            crate::modules::for_function(req.proto, req.kind.specializes(), self.modules.len());
        let call_conv = self.modules[self.cur].isa().default_call_conv();
        self.modules[self.cur].clear_context(&mut self.ctx);
        self.ctx.func.signature = entry_signature(call_conv);
        self.ctx.set_disasm(self.options.dump_clif);
        let opts = translate::Options {
            call_conv,
            frontend: self.modules[self.cur].target_config(),
            // The core decides which code (`CodeKind`): a function's last recompile is
            // baseline code, with nothing to deopt.
            spec: req.kind.specializes(),
            hoist: req.kind.hoists(),
            trace: self.options.trace,
            deopt_reasons: self.options.deopt_reasons,
            sample_checks: self.options.sample_checks,
            fail_guards: self.fail_guards,
            call_table: self.direct_calls.then_some(self.table.as_ptr()),
            typed_callees: match self.direct_calls {
                true => self.typed.clone(),
                false => Vec::new(),
            },
        };
        // A pc that deopted only because it had never run (a trap) and has feedback now is
        // not a failed speculation: speculate there after all.
        let traps = self.traps.remove(&req.proto.id).unwrap_or_default();
        let no_spec: Vec<u32> = req
            .no_speculation_at
            .iter()
            .copied()
            .filter(|pc| {
                let fed = req
                    .profile
                    .feedback
                    .get(*pc as usize)
                    .is_some_and(|f| *f != 0);
                !(traps.contains(pc) && fed)
            })
            .collect();
        // A function may get a second, typed entry (`translate/plan/typed.rs`):
        // both are declared first so each body can refer to the other.
        let typed = translate::typed_entry_of(req, &no_spec, &opts);
        if let (Some(sig), true) = (&typed, self.options.trace) {
            eprintln!(
                "[jit] typed entry of {}: {}",
                req.proto.trace_name,
                sig.describe()
            );
        }
        let id = self.modules[self.cur]
            .declare_anonymous_function(&self.ctx.func.signature)
            .map_err(|e| format!("declare: {e}"))?;
        let typed_id = match &typed {
            Some(sig) => Some(
                self.modules[self.cur]
                    .declare_anonymous_function(&translate::typed_signature(call_conv, sig))
                    .map_err(|e| format!("declare: {e}"))?,
            ),
            None => None,
        };
        let links = self.links(typed.as_ref(), id, typed_id);
        let out = translate::translate(
            &mut self.ctx.func,
            &mut self.fctx,
            req,
            &no_spec,
            &opts,
            Body::Boxed,
            links,
        )?;
        let mut guards = out.guards;
        let mut typed_calls = out.typed_calls.clone();
        self.traps.insert(req.proto.id, out.traps.clone());
        // Both bodies are translated before either is defined: a body defined without the
        // other would refer to a function that never gets code.
        let mut typed_func = None;
        if let (Some(sig), Some(_)) = (&typed, typed_id) {
            let boxed_func =
                std::mem::replace(&mut self.ctx.func, cranelift_codegen::ir::Function::new());
            self.ctx.func.signature = translate::typed_signature(call_conv, sig);
            let links = self.links(typed.as_ref(), id, typed_id);
            let t = translate::translate(
                &mut self.ctx.func,
                &mut self.fctx,
                req,
                &no_spec,
                &opts,
                Body::Typed,
                links,
            )?;
            guards += t.guards;
            typed_calls.extend(t.typed_calls);
            typed_func = Some(std::mem::replace(&mut self.ctx.func, boxed_func));
        }
        if self.options.trace {
            self.trace_typed_calls(req, typed_calls);
        }
        let boxed_bytes = self.define(id, &req.proto.trace_name)?;
        let mut typed_bytes = 0;
        if let (Some(func), Some(tid)) = (typed_func, typed_id) {
            self.ctx.func = func;
            let name = format!("{} [typed entry]", req.proto.trace_name);
            typed_bytes = self.define(tid, &name)?;
        }
        self.modules[self.cur]
            .finalize_definitions()
            .map_err(|e| format!("finalize: {e}"))?;
        let ptr = self.modules[self.cur].get_finalized_function(id);
        let recompile = !self.compiled.insert(req.proto.id);
        if let Some(map) = self.perf_map.as_mut() {
            let line = req.proto.spans.first().map_or(0, |s| s.line);
            let osr = matches!(req.reason, ruff_core::abi::CompileReason::Osr { .. });
            let name = map.symbol(&req.proto.trace_name, line, osr, recompile);
            map.add(ptr, boxed_bytes, &name);
            if let Some(tid) = typed_id {
                let typed_ptr = self.modules[self.cur].get_finalized_function(tid);
                map.add(typed_ptr, typed_bytes, &format!("{name} [typed entry]"));
            }
        }
        // SAFETY: the function was defined with `entry_signature`, which is `JitEntry`'s
        // `extern "C"` signature on this target; the module keeps the code alive and
        // executable for the tier's lifetime.
        let entry: JitEntry = unsafe { std::mem::transmute::<*const u8, JitEntry>(ptr) };
        if let Some(slot) = self.table.get_mut(req.proto.id as usize) {
            *slot = Some(entry);
        }
        if let Some(slot) = self.typed.get_mut(req.proto.id as usize) {
            *slot = match (typed, typed_id) {
                (Some(sig), Some(tid)) => Some(TypedCallee {
                    sig,
                    typed: self.modules[self.cur].get_finalized_function(tid) as usize,
                    boxed: ptr as usize,
                }),
                _ => None,
            };
        }
        Ok(CompiledCode {
            entry,
            entry_pcs: out.entry_pcs,
            code_bytes: boxed_bytes + typed_bytes,
            guards_emitted: guards,
            compile_ns: started.elapsed().as_nanos() as u64,
        })
    }
}

impl CraneliftTier {
    /// The references the function being built (in `self.ctx.func`) needs to its own two
    /// entries, when it has a typed one. Not colocated: the JIT allocates each function's
    /// code separately, possibly beyond the reach of a 32-bit displacement.
    fn links(
        &mut self,
        sig: Option<&translate::TypedSig>,
        boxed: FuncId,
        typed: Option<FuncId>,
    ) -> Option<SelfLinks> {
        let (sig, typed) = (sig?.clone(), typed?);
        let mut far = |id: FuncId, func: &mut cranelift_codegen::ir::Function| {
            let r = self.modules[self.cur].declare_func_in_func(id, func);
            func.dfg.ext_funcs[r].colocated = false;
            r
        };
        let typed = far(typed, &mut self.ctx.func);
        let boxed = far(boxed, &mut self.ctx.func);
        Some(SelfLinks { sig, typed, boxed })
    }

    /// Defines the function built in `self.ctx` as `id` (printing its machine code for
    /// `--dump-clif`, under `name`) and clears the context; returns its code size.
    fn define(&mut self, id: FuncId, name: &str) -> Result<usize, String> {
        if self.options.dump_clif {
            crate::clif_dump::dump(name, &self.ctx.func);
        }
        self.ctx.set_disasm(self.options.dump_clif);
        self.modules[self.cur]
            .define_function(id, &mut self.ctx)
            .map_err(|e| format!("cranelift: {e:?}"))?;
        if self.options.dump_clif {
            if let Some(vcode) = self.ctx.compiled_code().and_then(|c| c.vcode.as_ref()) {
                eprintln!("; ---- machine code of {name} ----\n{vcode}");
            }
        }
        let code_bytes = self
            .ctx
            .compiled_code()
            .map(|c| c.code_info().total_size as usize)
            .unwrap_or(0);
        self.modules[self.cur].clear_context(&mut self.ctx);
        Ok(code_bytes)
    }
}

impl CraneliftTier {
    /// `--trace-jit`: one line per call site (of either body) that calls another
    /// function's typed entry, e.g. `[jit] typed call in main at pc 7: sq (int) -> int`.
    fn trace_typed_calls(&self, req: &CompileRequest<'_>, mut calls: Vec<(u32, u32)>) {
        calls.sort_unstable();
        calls.dedup();
        for (pc, id) in calls {
            let name = req.program.protos.get(id as usize).map(|p| &p.trace_name);
            let sig = self.typed.get(id as usize).and_then(|t| t.as_ref());
            if let (Some(name), Some(sig)) = (name, sig) {
                eprintln!(
                    "[jit] typed call in {} at pc {pc}: {name} {}",
                    req.proto.trace_name,
                    sig.sig.describe()
                );
            }
        }
    }

    /// After a failed compile: the prototype has no compiled code for callers to call.
    fn forget(&mut self, id: u32) {
        if let Some(slot) = self.table.get_mut(id as usize) {
            *slot = None;
        }
        if let Some(slot) = self.typed.get_mut(id as usize) {
            *slot = None;
        }
    }
}

impl CompileTier for CraneliftTier {
    fn compile(&mut self, req: &CompileRequest<'_>) -> Result<CompiledCode, String> {
        // A panic (a bug in the translator or in Cranelift) leaves the function half-built
        // in the contexts: reset them, then let the VM's guard report it as a failure.
        let result = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.compile_inner(req)
        })) {
            Ok(result) => result,
            Err(panic) => {
                self.modules[self.cur].clear_context(&mut self.ctx);
                self.fctx = FunctionBuilderContext::new();
                self.forget(req.proto.id);
                std::panic::resume_unwind(panic);
            }
        };
        if result.is_err() {
            self.modules[self.cur].clear_context(&mut self.ctx);
            self.forget(req.proto.id);
        }
        // `--trace-jit`'s line for this compile is the VM's (`vm/tiering.rs`): one per
        // compile, with the size and time reported here.
        result
    }
}
