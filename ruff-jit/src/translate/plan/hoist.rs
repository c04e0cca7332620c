//! Guard hoisting (`jit-spec-hoist`): for each loop, the registers that are live at its
//! header, read inside the loop by instructions whose feedback is monomorphic in one scalar
//! type, and written inside the loop only by instructions predicted to produce that type,
//! are forced unboxed at the header. Each edge into the header that does not already have
//! them unboxed checks them once (the pre-header guard); inside the loop no guard is
//! needed. A failing hoisted guard deopts at the header pc, and once that pc is in
//! `no_speculation_at` the header is no longer hoisted. Parameters get the same treatment at
//! the function entry (pc 0), over the whole function.

use ruff_core::abi::bytecode::{FuncProto, Instr, Reg};
use ruff_core::abi::feedback::{seen_lhs, seen_rhs, Seen};
use ruff_core::abi::tag;

use super::arith::{result_type, unary_result};
use super::state::Ty;
use super::Planner;

/// The forced type of every register at every block start (`None` = not hoisted).
pub fn hoisted_types(planner: &Planner<'_>, enabled: bool) -> Vec<Vec<Option<Ty>>> {
    let cfg = &planner.cfg;
    let n = planner.proto.num_regs as usize;
    let mut out = vec![vec![None; n]; cfg.blocks.len()];
    if !enabled {
        return out;
    }
    for &(h, last) in &cfg.loops {
        if !planner.may_speculate(h) {
            continue;
        }
        let b = cfg.block_at[h as usize];
        for (r, slot) in out[b].iter_mut().enumerate() {
            if cfg.live_in[b][r] {
                *slot = invariant_type(planner, r as Reg, h, last);
            }
        }
    }
    if planner.may_speculate(0) {
        let last = planner.proto.code.len() as u32 - 1;
        let arity = planner.proto.arity as usize;
        for (r, slot) in out[0].iter_mut().enumerate().take(arity) {
            if cfg.live_in[0][r] && slot.is_none() {
                *slot = invariant_type(planner, r as Reg, 0, last);
            }
        }
    }
    out
}

/// The one scalar type `r` has throughout `from..=to`, if the feedback says so.
fn invariant_type(planner: &Planner<'_>, r: Reg, from: u32, to: u32) -> Option<Ty> {
    let code = &planner.proto.code;
    let mut seen: Option<Ty> = None;
    for pc in from..=to {
        let fb = planner.feedback.get(pc as usize).copied().unwrap_or(0);
        for t in operand_types(planner.proto, &code[pc as usize], fb, r) {
            match (seen, t) {
                (_, None) => return None,
                (None, Some(t)) => seen = Some(t),
                (Some(s), Some(t)) if s != t => return None,
                _ => {}
            }
        }
    }
    let ty = seen?;
    for pc in from..=to {
        let instr = &code[pc as usize];
        let writes = instr.writes().contains(&r)
            || matches!(*instr, Instr::IterNext { iter, dst, .. } if dst == r || iter == r);
        if writes && produced_type(planner, pc) != Some(ty) {
            return None;
        }
    }
    Some(ty)
}

/// Types the feedback of the instruction predicts for its reads of `r` (`None` entries:
/// `r` is read with an unknown or non-scalar type).
pub fn operand_types(proto: &FuncProto, instr: &Instr, fb: u32, r: Reg) -> Vec<Option<Ty>> {
    let mono = |s: Seen| match s {
        Seen::Mono(t) => Ty::from_tag(t),
        _ => None,
    };
    let mut out = vec![];
    let reads = instr.reads(proto);
    if !reads.contains(&r) {
        return out;
    }
    if !instr.has_feedback() {
        out.push(None);
        return out;
    }
    match *instr {
        Instr::IterNext { .. } => out.push(if seen_lhs(fb) == Seen::Mono(tag::INT) {
            Some(Ty::Int)
        } else {
            None
        }),
        _ => {
            let (a, b) = instr.feedback_operands();
            if a == Some(r) {
                out.push(mono(seen_lhs(fb)));
            }
            if b == Some(r) {
                out.push(mono(seen_rhs(fb)));
            }
        }
    }
    out
}

/// The type the instruction at `pc` is predicted to write (from feedback or statically).
fn produced_type(planner: &Planner<'_>, pc: u32) -> Option<Ty> {
    let instr = planner.proto.code[pc as usize];
    let fb = planner.feedback.get(pc as usize).copied().unwrap_or(0);
    let mono = |s: Seen| match s {
        Seen::Mono(t) => Ty::from_tag(t),
        _ => None,
    };
    // A binary operator's right operand: a register's feedback, or `BinaryK`'s constant.
    let binary = match instr {
        Instr::BinaryK { op, k, .. } => {
            Some((op, planner.proto.scalar_const(k as u32).map(Ty::of_scalar)))
        }
        _ => instr.as_binary().map(|(op, ..)| (op, mono(seen_rhs(fb)))),
    };
    if let Some((op, rt)) = binary {
        // A comparison yields a Bool once its first operand's type is settled.
        let lt = mono(seen_lhs(fb))?;
        if op.compares() {
            return Some(Ty::Bool);
        }
        return result_type(op, lt, rt?);
    }
    if let Some((op, ..)) = instr.as_unary() {
        return mono(seen_lhs(fb)).map(|t| unary_result(op, t));
    }
    match instr {
        Instr::LoadInt { .. } => Some(Ty::Int),
        Instr::LoadBool { .. } => Some(Ty::Bool),
        // `x = e` usually moves a temporary computed just before.
        Instr::Move { src, .. }
            if pc > 0 && planner.proto.code[pc as usize - 1].writes().contains(&src) =>
        {
            produced_type(planner, pc - 1)
        }
        Instr::LoadConst { k, .. } => planner.proto.scalar_const(k).map(Ty::of_scalar),
        Instr::IterNext { .. } if seen_lhs(fb) == Seen::Mono(tag::INT) => Some(Ty::Int),
        Instr::AddImm { .. } => mono(seen_lhs(fb)),
        _ => None,
    }
}
