//! Translation of one bytecode function to Cranelift IR, in two layers:
//!
//! - `plan/` decides (pure, no Cranelift): per instruction, the guards and the lowering
//!   (`Planner::plan`) and the state transfer (`transfer::apply`); the analysis pass, a
//!   forward fixed point over the basic blocks, computes the abstract register state at
//!   every block start (which registers are unboxed, dirty, dead); loop headers may force
//!   hoisted types (`hoist.rs`).
//! - `emit/` generates code from those decisions: one Cranelift block per bytecode block,
//!   each started from its analysed state. Edges carry the code that reconciles the
//!   predecessor's state with the successor's (write-backs, hoisted guards). The Cranelift
//!   entry block dispatches on `entry_pc`: 0 starts the function, a loop header enters it
//!   mid-execution (OSR) after loading and checking the registers that header keeps unboxed.
//!
//! `emit` depends on `plan`, never the reverse. Unboxed registers live in Cranelift
//! `Variable`s (one per register and scalar type), so cranelift-frontend builds SSA and
//! loop-carried values stay in machine registers.

mod emit;
mod plan;

use cranelift_codegen::ir::{types, AbiParam, FuncRef, Function, Signature};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use ruff_core::abi::bytecode::Instr;
use ruff_core::abi::layout::array_layout;
use ruff_core::abi::shape::instance_layout;
use ruff_core::abi::{CompileReason, CompileRequest, GlobalHint, JitEntry};

use emit::Emitter;
use plan::state::Ty;
use plan::typed::typed_entry_state;
use plan::{analyse, entry_state, hoist, Inputs, Planner};

pub use plan::typed::TypedSig;

/// What the tier needs to know besides the request.
pub struct Options {
    pub call_conv: CallConv,
    /// Emit specialized code (`jit-spec`, `jit-spec-hoist`).
    pub spec: bool,
    /// Hoist loop-invariant type guards (`jit-spec-hoist`).
    pub hoist: bool,
    /// Print each deopt from compiled code (`--trace-jit`).
    pub trace: bool,
    /// Store each side exit's `DeoptReason` in `ctx.deopt_reason` (`--events`).
    pub deopt_reasons: bool,
    /// Test the sampling profiler's ticks at every loop back-edge (`--profile`).
    pub sample_checks: bool,
    /// Make every guard fail (`fail-guards=1`).
    pub fail_guards: bool,
    /// The target's frontend config (`FunctionBuilder::finalize` needs it).
    pub frontend: cranelift_codegen::isa::TargetFrontendConfig,
    /// The tier's direct-call table (one entry per prototype, `None` = not compiled), or
    /// `None` to call every callee through the VM.
    pub call_table: Option<*const Option<JitEntry>>,
    /// The typed entries of compiled functions, by prototype id (empty without direct
    /// calls).
    pub typed_callees: Vec<Option<TypedCallee>>,
}

/// A compiled function's typed entry, as its callers call it: `boxed` is the boxed entry
/// compiled with it (a caller calls `typed` only while the direct-call table still holds
/// `boxed`: after a recompile the call takes the general path). The tier never frees code,
/// so both addresses stay valid.
#[derive(Clone, Debug)]
pub struct TypedCallee {
    pub sig: TypedSig,
    pub typed: usize,
    pub boxed: usize,
}

/// Facts about the translated function.
pub struct Translated {
    pub guards: u32,
    /// Pcs that deopt because they had no feedback (see `plan::Action::Trap`).
    pub traps: Vec<u32>,
    pub entry_pcs: Vec<u32>,
    /// `(pc, callee prototype id)` of the calls made through another function's typed
    /// entry.
    pub typed_calls: Vec<(u32, u32)>,
}

/// The signature of compiled code (`JitEntry`): `(ctx, regs, entry_pc) -> status`.
pub fn entry_signature(call_conv: CallConv) -> Signature {
    let mut sig = Signature::new(call_conv);
    sig.params.push(AbiParam::new(types::I64));
    sig.params.push(AbiParam::new(types::I64));
    sig.params.push(AbiParam::new(types::I32));
    sig.returns.push(AbiParam::new(types::I32));
    sig
}

/// The signature of a typed entry (`plan/typed.rs`): `(ctx, regs, params...) -> (status,
/// result bits)`, each parameter in its machine type, the result as 64 bits (a Float's bit
/// pattern, a Bool zero-extended). Only compiled code calls it, never the VM.
pub fn typed_signature(call_conv: CallConv, sig: &TypedSig) -> Signature {
    let mut s = Signature::new(call_conv);
    s.params.push(AbiParam::new(types::I64));
    s.params.push(AbiParam::new(types::I64));
    s.params
        .extend(sig.params.iter().map(|t| AbiParam::new(machine_type(*t))));
    s.returns.push(AbiParam::new(types::I32));
    s.returns.push(AbiParam::new(types::I64));
    s
}

/// The Cranelift type an unboxed value of `ty` lives in.
pub fn machine_type(ty: Ty) -> types::Type {
    match ty {
        Ty::Int => types::I64,
        Ty::Float => types::F64,
        Ty::Bool => types::I8,
    }
}

/// Which body of the function is translated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Body {
    /// The `JitEntry` the VM and compiled callers call with a boxed frame.
    Boxed,
    /// The typed entry (`plan/typed.rs`).
    Typed,
}

/// The function's own two entries, as seen from the function being built, when it has a
/// typed entry: its self-calls with matching unboxed arguments call `typed`; `boxed` is the
/// boxed entry, whose address tells whether this code is still the VM's current code.
#[derive(Clone, Debug)]
pub struct SelfLinks {
    pub sig: TypedSig,
    pub typed: FuncRef,
    pub boxed: FuncRef,
}

/// The planner for `req` (shared by the typed-entry decision and the translation).
fn planner<'a>(
    req: &'a CompileRequest<'_>,
    no_spec: &'a [u32],
    opts: &Options,
    globals: &'a dyn Fn(u32) -> GlobalHint,
) -> Planner<'a> {
    let mut planner = Planner::new(Inputs {
        proto: req.proto.as_ref(),
        feedback: &req.profile.feedback,
        spec: opts.spec,
        no_spec,
        globals,
        inline_arrays: array_layout().is_some(),
        inline_fields: instance_layout().is_some(),
        direct_calls: opts.call_table.is_some(),
    });
    planner.typed_callees = opts
        .typed_callees
        .iter()
        .enumerate()
        .filter(|&(id, _)| id != req.proto.id as usize)
        .filter_map(|(id, t)| Some((id as u32, t.as_ref()?.sig.clone())))
        .collect();
    planner
}

/// The typed entry `req.proto` gets, if any: specialized code with direct calls, parameter
/// types (from a self-call whose arguments are all unboxed, else, for a function without
/// loops, from the parameters' feedback), and a typed body that returns an unboxed value
/// somewhere.
pub fn typed_entry_of(
    req: &CompileRequest<'_>,
    no_spec: &[u32],
    opts: &Options,
) -> Option<TypedSig> {
    if !opts.spec || opts.call_table.is_none() || req.proto.code.is_empty() {
        return None;
    }
    let globals = |g: u32| req.globals.map_or(GlobalHint::Unknown, |view| view.hint(g));
    // Only a global holding a closure of this very prototype can be a direct self-call's
    // callee.
    let reads_itself = req.proto.code.iter().any(|i| {
        matches!(*i, Instr::GetGlobal { g, .. }
            if matches!(globals(g), GlobalHint::Closure { id, .. } if id == req.proto.id))
    });
    // Any other function only when its calls may be what costs and may be typed: it takes
    // parameters, has no loop (a function with a loop spends its time there, and the
    // second body would double its compile time for little) and is no method (`CallMethod`
    // uses the boxed entry).
    let has_loop = || {
        req.proto
            .code
            .iter()
            .any(|i| matches!(i, Instr::LoopBack { .. }))
    };
    if !reads_itself && (req.proto.arity == 0 || req.proto.is_method || has_loop()) {
        return None;
    }
    let planner = planner(req, no_spec, opts, &globals);
    let hoisted = hoist::hoisted_types(&planner, opts.hoist);
    let entry = entry_state(req.proto.as_ref(), &planner.cfg);
    let states = analyse(&planner, &hoisted, &entry);
    let params = reads_itself
        .then(|| planner.self_call_params(&states))
        .flatten()
        .or_else(|| planner.param_feedback(&states))?;
    let typed_entry = typed_entry_state(&entry, &params);
    let ret = planner.typed_return(&analyse(&planner, &hoisted, &typed_entry))?;
    Some(TypedSig { params, ret })
}

/// Translates `body` of `req.proto` into `func` (whose signature is already
/// `entry_signature`, or `typed_signature` for the typed body); `links`: the function's
/// typed entry, if it has one (required for `Body::Typed`).
pub fn translate(
    func: &mut Function,
    fctx: &mut FunctionBuilderContext,
    req: &CompileRequest<'_>,
    no_spec: &[u32],
    opts: &Options,
    body: Body,
    links: Option<SelfLinks>,
) -> Result<Translated, String> {
    let proto = &**req.proto;
    // The fault-injection hook of the tests (`tests::PANIC_PROBE`): compiled only into the
    // crate's own unit tests, never into the library or the `ruff` binary.
    #[cfg(test)]
    if &*proto.trace_name == crate::tests::PANIC_PROBE {
        panic!("injected compiler panic");
    }
    if proto.code.is_empty() {
        return Err("empty function".to_string());
    }
    let globals = |g: u32| req.globals.map_or(GlobalHint::Unknown, |view| view.hint(g));
    let mut planner = planner(req, no_spec, opts, &globals);
    planner.typed_self = links.as_ref().map(|l| l.sig.clone());
    let hoisted = hoist::hoisted_types(&planner, opts.spec && opts.hoist);
    let mut entry = entry_state(proto, &planner.cfg);
    if body == Body::Typed {
        let sig = &links.as_ref().expect("a typed body has links").sig;
        entry = typed_entry_state(&entry, &sig.params);
    }
    let states = analyse(&planner, &hoisted, &entry);

    let mut b = FunctionBuilder::new(func, fctx);
    let mut e = Emitter::new(&mut b, &planner, &states, req.globals, opts);
    e.set_links(body, links);
    let osr_header = match req.reason {
        CompileReason::Osr { header_pc } => Some(header_pc),
        CompileReason::Call => None,
    };
    let entry_pcs = match body {
        Body::Boxed => e.emit_entries(&entry, osr_header),
        Body::Typed => {
            e.emit_typed_entry(&entry);
            vec![]
        }
    };
    for (i, block) in planner.cfg.blocks.iter().enumerate() {
        if states[i].is_some() {
            e.emit_block(i, block.start, block.end);
        }
    }
    e.finish_side_exits();
    e.finish_error_block();
    let guards = e.guards;
    let traps = std::mem::take(&mut e.traps);
    let typed_calls = std::mem::take(&mut e.typed_calls);
    // Loop headers get their back edges last, so blocks are sealed once everything is
    // emitted (cranelift-frontend then resolves the variables' block parameters).
    e.b.seal_all_blocks();
    b.finalize(opts.frontend);
    Ok(Translated {
        guards,
        traps,
        entry_pcs,
        typed_calls,
    })
}
