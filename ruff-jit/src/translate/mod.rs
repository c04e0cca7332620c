//! Translation of one bytecode function to Cranelift IR.
//!
//! Two passes over the same decisions (`plan.rs`):
//! 1. **Analysis**: a forward fixed point over the basic blocks computes the abstract
//!    register state at every block start (which registers are unboxed, dirty, dead),
//!    starting from the function entry; loop headers may force hoisted types (`hoist.rs`).
//! 2. **Code generation**: one Cranelift block per bytecode block, each started from its
//!    analysed state. Edges carry the code that reconciles the predecessor's state with
//!    the successor's (write-backs, hoisted guards). The Cranelift entry block dispatches on
//!    `entry_pc`: 0 starts the function, a loop header enters it mid-execution (OSR) after
//!    loading and checking the registers that header keeps unboxed.
//!
//! Unboxed registers live in Cranelift `Variable`s (one per register and scalar type), so
//! cranelift-frontend builds SSA and loop-carried values stay in machine registers.

mod arith;
mod calls;
mod cfg;
mod control;
mod emit;
mod hoist;
mod index;
mod intrinsics;
mod lower;
mod plan;
mod state;
mod transfer;

use cranelift_codegen::ir::{
    condcodes::IntCC, types, AbiParam, Block, Function, InstBuilder, Signature,
};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use ruff_core::bytecode::FuncProto;
use ruff_core::tier::CompileRequest;

use cfg::Cfg;
use emit::Emitter;
use plan::Planner;
use state::{merge, RegState, State, Ty};
use transfer::apply;

/// What the tier needs to know besides the request.
pub struct Options {
    pub call_conv: CallConv,
    /// Emit specialized code (`jit-spec`, `jit-spec-hoist`).
    pub spec: bool,
    /// Hoist loop-invariant type guards (`jit-spec-hoist`).
    pub hoist: bool,
    /// Print each deopt from compiled code (`--trace-jit`).
    pub trace: bool,
    /// The target's frontend config (`FunctionBuilder::finalize` needs it).
    pub frontend: cranelift_codegen::isa::TargetFrontendConfig,
    /// Address of a word caching the VM's global slot 0 (0 until first use; see
    /// `runtime::rt_globals_base`).
    pub globals_cell: usize,
    /// Address of the tier's direct-call table (one entry word per prototype), or 0 to
    /// call every callee through the VM.
    pub call_table: usize,
}

/// `entry_pc` of a direct call from compiled code (never a real pc).
pub const DIRECT_ENTRY: u32 = u32::MAX;

/// Facts about the translated function.
pub struct Translated {
    pub guards: u32,
    /// Pcs that deopt because they had no feedback (see `plan::Action::Trap`).
    pub traps: Vec<u32>,
    pub entry_pcs: Vec<u32>,
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

/// The state at the function entry (pc 0) after the entry block's normalization.
fn entry_state(proto: &FuncProto, cfg: &Cfg) -> State {
    (0..proto.num_regs as usize)
        .map(|r| {
            if r < proto.arity as usize {
                RegState::BOXED
            } else if cfg.live_in[0][r] {
                // A local that `CheckDef` reads (or a live register when OSR enters a loop
                // whose header is pc 0).
                RegState::BOXED
            } else {
                RegState::dead(false)
            }
        })
        .collect()
}

/// Forward fixed point: the state at every block start.
fn analyse(
    planner: &Planner<'_>,
    cfg: &Cfg,
    hoisted: &[Vec<Option<Ty>>],
    entry: &State,
) -> Vec<Option<State>> {
    let proto = planner.proto;
    let mut states: Vec<Option<State>> = vec![None; cfg.blocks.len()];
    merge(&mut states[0], entry, &cfg.live_in[0], &hoisted[0]);
    let mut work = vec![0usize];
    // OSR into a header where speculation is forbidden must not guard: its state then
    // also merges an all-boxed predecessor (the frame as the interpreter left it).
    for &(h, _) in &cfg.loops {
        if !planner.may_speculate(h) {
            let b = cfg.block_at[h as usize];
            let boxed = vec![RegState::BOXED; proto.num_regs as usize];
            merge(&mut states[b], &boxed, &cfg.live_in[b], &hoisted[b]);
            work.push(b);
        }
    }
    while let Some(b) = work.pop() {
        let block = &cfg.blocks[b];
        let mut st = states[b].clone().expect("queued blocks have a state");
        let mut branch = None;
        let mut trapped = false;
        for pc in block.start..block.end {
            let plan = planner.plan(pc, &st);
            if plan.action == plan::Action::Trap {
                // The code leaves for the interpreter here: no edges out of this block.
                trapped = true;
                break;
            }
            let (fall, br) = apply(&plan, &st);
            st = fall;
            branch = br;
        }
        if trapped {
            continue;
        }
        let last = block.end - 1;
        let (fall_pc, target) = cfg::successors(&proto.code[last as usize], last);
        let mut edges = vec![];
        if let Some(f) = fall_pc {
            edges.push((f, st.clone()));
        }
        if let (Some(t), Some(s)) = (target, branch) {
            edges.push((t, s));
        }
        for (pc, s) in edges {
            let Some(&sb) = cfg.block_at.get(pc as usize) else {
                continue;
            };
            if sb == usize::MAX {
                continue;
            }
            let before = states[sb].clone();
            merge(&mut states[sb], &s, &cfg.live_in[sb], &hoisted[sb]);
            if states[sb] != before && !work.contains(&sb) {
                work.push(sb);
            }
        }
    }
    states
}

/// Translates `req.proto` into `func` (whose signature is already `entry_signature`).
pub fn translate(
    func: &mut Function,
    fctx: &mut FunctionBuilderContext,
    req: &CompileRequest<'_>,
    no_spec: &[u32],
    opts: &Options,
) -> Result<Translated, String> {
    let proto: &FuncProto = req.proto;
    // The fault-injection hook of the tests (`tests::PANIC_PROBE`): compiled only into the
    // crate's own unit tests, never into the library or the `ruff` binary.
    #[cfg(test)]
    if &*proto.trace_name == crate::tests::PANIC_PROBE {
        panic!("injected compiler panic");
    }
    if proto.code.is_empty() {
        return Err("empty function".to_string());
    }
    let cfg = Cfg::build(proto);
    let planner = Planner {
        proto,
        feedback: &req.profile.feedback,
        spec: opts.spec,
        no_spec,
        // SAFETY: `globals_cell` is the tier's cache word, alive while the tier is.
        globals: unsafe { *(opts.globals_cell as *const usize) },
        cfg: &cfg,
    };
    let hoisted = hoist::hoisted_types(&planner, &cfg, opts.spec && opts.hoist);
    let entry = entry_state(proto, &cfg);
    let states = analyse(&planner, &cfg, &hoisted, &entry);

    let mut b = FunctionBuilder::new(func, fctx);
    let mut e = Emitter::new(&mut b, &planner, &cfg, &states, opts);

    // The entry block takes the three arguments of the calling convention; they dominate
    // every other block, so they are used directly instead of through variables.
    let entry_block = e.b.create_block();
    e.b.append_block_params_for_function_params(entry_block);
    e.b.switch_to_block(entry_block);
    e.b.seal_block(entry_block);
    let params = e.b.block_params(entry_block).to_vec();
    e.set_frame(params[0], params[1]);

    // Entry dispatch on `entry_pc`: 0 starts the function, `DIRECT_ENTRY` is a fresh frame
    // set up by a direct call from compiled code (its locals are made unbound first, as the
    // VM's `enter_closure` does for the calls it makes), anything else is an OSR header.
    // A chain of compares rather than `Switch`: there are few entries (usually one or two),
    // and `Switch` adds a range check and jump-only blocks that every compile then pays for
    // in the optimizer and register allocator. An unknown `entry_pc` starts the function,
    // as `Switch`'s default did.
    //
    // For the same reason the function entry edge gets a block of its own only if it has
    // code (hoisted guards), else the dispatch and the direct entry go straight to pc 0's
    // block; and the direct entry gets a case only if it has locals to unbind (else it is
    // the function entry).
    let start = e.entry_block(&entry);
    let direct = e.direct_entry_has_code().then(|| e.b.create_block());
    let mut entry_pcs = vec![0u32];
    let mut cases: Vec<(u32, Block)> = direct.map(|d| (DIRECT_ENTRY, d)).into_iter().collect();
    for &(h, _) in &cfg.loops {
        let hb = cfg.block_at[h as usize];
        if h != 0 && states[hb].is_some() {
            let blk = e.b.create_block();
            entry_pcs.push(h);
            cases.push((h, blk));
        }
    }
    for (i, &(pc, blk)) in cases.iter().enumerate() {
        let is =
            e.b.ins()
                .icmp_imm_s(IntCC::Equal, params[2], pc as i32 as i64);
        if i + 1 == cases.len() {
            e.b.ins().brif(is, blk, &[], start, &[]);
        } else {
            let next = e.b.create_block();
            e.b.ins().brif(is, blk, &[], next, &[]);
            // `next` has one predecessor, this compare: seal it at once.
            e.b.switch_to_block(next);
            e.b.seal_block(next);
        }
    }
    if cases.is_empty() {
        e.b.ins().jump(start, &[]);
    }

    // `start` is not sealed yet: the direct-call entry may jump to it too.
    if start != e.block_of(0).1 {
        e.b.switch_to_block(start);
        e.emit_function_entry(&entry);
    }
    if let Some(direct) = direct {
        e.b.switch_to_block(direct);
        e.b.seal_block(direct);
        e.emit_direct_entry(start);
    }
    for &(h, blk) in &cases[direct.is_some() as usize..] {
        e.b.switch_to_block(blk);
        e.b.seal_block(blk);
        e.emit_osr_entry(h);
    }
    for (i, block) in cfg.blocks.iter().enumerate() {
        if states[i].is_some() {
            e.emit_block(i, block.start, block.end);
        }
    }
    e.finish_side_exits();
    e.finish_error_block();
    let guards = e.guards;
    let traps = std::mem::take(&mut e.traps);
    // Loop headers get their back edges last, so blocks are sealed once everything is
    // emitted (cranelift-frontend then resolves the variables' block parameters).
    e.b.seal_all_blocks();
    b.finalize(opts.frontend);
    Ok(Translated {
        guards,
        traps,
        entry_pcs,
    })
}
