//! Which registers a call must unbind before its callee runs.
//!
//! Locals start unbound (`Value::Undef`), but only a register that some path from the
//! function's entry reads before writing can observe that (a `CheckDef` of a variable
//! assigned on one branch, a closure capturing a local declared after it). Every other
//! register is written before it is read, so the call leaves whatever an earlier frame left
//! there (the slot releases it when it is overwritten). `FuncProto::unbound_at_entry` lists
//! the registers of the first kind; the interpreter's call path and the JIT's direct entry
//! unbind exactly those.
//!
//! The set is backward may-liveness at pc 0 over `Instr::reads`/`writes`, the same facts the
//! JIT's liveness uses, iterated to a fixed point (only `LoopBack` jumps backward).

use super::{FuncProto, Instr, Reg};

/// Bitset words per set (one word per 64 registers per instruction; three sets) above
/// which the analysis is skipped and every register at or above the arity is listed, as if
/// all were read first: bounds the work on a huge generated function (24 MiB of sets) while
/// keeping the answer safe.
const MAX_WORDS: usize = 1 << 20;

/// The registers at or above the arity of `proto` that some path from pc 0 reads before
/// writing, in increasing order.
pub fn unbound_at_entry(proto: &FuncProto) -> Vec<Reg> {
    let (arity, num_regs, code) = (proto.arity, proto.num_regs, &proto.code[..]);
    let words = (num_regs as usize).div_ceil(64);
    if words == 0 || code.len().saturating_mul(words) > MAX_WORDS {
        return (arity..num_regs).collect();
    }
    let live = live_at_entry(num_regs as usize, words, code, proto);
    (arity..num_regs)
        .filter(|&r| live[r as usize / 64] & (1 << (r % 64)) != 0)
        .collect()
}

/// Live registers at pc 0 as a bitset of `words` words.
fn live_at_entry(nregs: usize, words: usize, code: &[Instr], proto: &FuncProto) -> Vec<u64> {
    let set = |bits: &mut [u64], regs: &[Reg]| {
        for &r in regs {
            if (r as usize) < nregs {
                bits[r as usize / 64] |= 1 << (r % 64);
            }
        }
    };
    // What each instruction reads (`uses`) and writes (`defs`), taken apart once. Operators
    // (the most common instructions) are taken apart without the vectors `reads`/`writes`
    // allocate; the sets are the same.
    let mut uses = vec![0u64; code.len() * words];
    let mut defs = vec![0u64; code.len() * words];
    for (pc, instr) in code.iter().enumerate() {
        let at = pc * words..(pc + 1) * words;
        if let Some((_, dst, a, b)) = instr.as_binary() {
            set(&mut uses[at.clone()], &[a, b]);
            set(&mut defs[at], &[dst]);
        } else if let Some((_, dst, src)) = instr.as_unary() {
            set(&mut uses[at.clone()], &[src]);
            set(&mut defs[at], &[dst]);
        } else {
            set(&mut uses[at.clone()], &instr.reads(proto));
            set(&mut defs[at], &instr.writes());
        }
    }
    // `live[pc]`: the registers live just before instruction `pc`.
    let mut live = vec![0u64; code.len() * words];
    let mut cur = vec![0u64; words];
    let mut changed = true;
    while changed {
        changed = false;
        for pc in (0..code.len()).rev() {
            cur.iter_mut().for_each(|w| *w = 0);
            let (fall, target) = code[pc].successors(pc as u32);
            // `IterNext` writes `dst` on its fallthrough edge only (not in `writes`), so the
            // loop variable is killed on that edge, as the JIT's liveness does.
            let fall_kill = match code[pc] {
                Instr::IterNext { dst, .. } if (dst as usize) < nregs => Some(dst),
                _ => None,
            };
            for (s, kill) in fall
                .map(|f| (f, fall_kill))
                .into_iter()
                .chain(target.map(|t| (t, None)))
            {
                let s = s as usize;
                if s < code.len() {
                    for (i, (c, l)) in cur
                        .iter_mut()
                        .zip(&live[s * words..(s + 1) * words])
                        .enumerate()
                    {
                        let mask = match kill {
                            Some(r) if r as usize / 64 == i => !(1u64 << (r % 64)),
                            _ => !0,
                        };
                        *c |= *l & mask;
                    }
                }
            }
            let at = pc * words..(pc + 1) * words;
            for ((c, d), u) in cur.iter_mut().zip(&defs[at.clone()]).zip(&uses[at.clone()]) {
                *c = (*c & !d) | u;
            }
            let slot = &mut live[at];
            if slot != cur.as_slice() {
                slot.copy_from_slice(&cur);
                changed = true;
            }
        }
    }
    live[..words].to_vec()
}
