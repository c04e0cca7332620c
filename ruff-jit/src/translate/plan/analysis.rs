//! The analysis pass: a forward fixed point over the basic blocks computes the abstract
//! register state at every block start (which registers are unboxed, dirty, dead), starting
//! from the function entry (and, for loop headers where speculation is forbidden, from an
//! all-boxed frame as OSR finds it); loop headers may force hoisted types (`hoist.rs`).

use ruff_core::abi::bytecode::FuncProto;

use super::cfg::Cfg;
use super::state::{merge, RegState, State, Ty};
use super::transfer::apply;
use super::{Action, Planner};

/// The state at the function entry (pc 0) after the entry block's normalization.
pub fn entry_state(proto: &FuncProto, cfg: &Cfg) -> State {
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
pub fn analyse(
    planner: &Planner<'_>,
    hoisted: &[Vec<Option<Ty>>],
    entry: &State,
) -> Vec<Option<State>> {
    let proto = planner.proto;
    let cfg = &planner.cfg;
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
            if plan.action == Action::Trap {
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
        let (fall_pc, target) = proto.code[last as usize].successors(last);
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
