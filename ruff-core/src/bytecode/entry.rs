//! Which registers a call must unbind before its callee runs.
//!
//! Locals start unbound (`Value::Undef`), but only a register that some path from the
//! function's entry reads before writing can observe that (a `CheckDef` of a variable
//! assigned on one branch, a closure capturing a local declared after it). Every other
//! register is written before it is read, so the call leaves whatever an earlier frame left
//! there (the slot releases it when it is overwritten). `FuncProto::unbound_at_entry` lists
//! the registers of the first kind; the interpreter's call path unbinds exactly those (the
//! JIT's direct entry unbinds the same set, from its own liveness).
//!
//! The set is computed forward, over `Instr::reads`/`writes` (the facts the JIT's liveness
//! uses): a register is *definitely written* at an instruction if every path from the entry
//! to it writes the register (the parameters count as written), and the answer is every
//! register some reachable instruction reads while it is not definitely written there, which
//! is the backward liveness at pc 0. The forward direction converges in two passes over
//! structured code however deeply its loops nest (a back edge brings nothing new to its
//! header), where backward liveness needs a pass per nesting level.

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
    let read_first = read_before_written(num_regs as usize, words, arity, code, proto);
    (arity..num_regs)
        .filter(|&r| read_first[r as usize / 64] & (1 << (r % 64)) != 0)
        .collect()
}

/// The registers some reachable instruction reads while not definitely written, as a
/// bitset of `words` words.
fn read_before_written(
    nregs: usize,
    words: usize,
    arity: u16,
    code: &[Instr],
    proto: &FuncProto,
) -> Vec<u64> {
    let set = |bits: &mut [u64], regs: &[Reg]| {
        for &r in regs {
            if (r as usize) < nregs {
                bits[r as usize / 64] |= 1 << (r % 64);
            }
        }
    };
    let n = code.len();
    // What each instruction reads (`uses`) and writes (`defs`), taken apart once. Operators
    // (the most common instructions) are taken apart without the vectors `reads`/`writes`
    // allocate; the sets are the same.
    let mut uses = vec![0u64; n * words];
    let mut defs = vec![0u64; n * words];
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
    // `written[pc]`: the registers definitely written before instruction `pc` runs; all ones
    // until a path reaches `pc` (the greatest fixed point: sets only shrink).
    let mut written = vec![!0u64; n * words];
    let mut reached = vec![false; n];
    let params: Vec<Reg> = (0..arity).collect();
    written[..words].fill(0);
    set(&mut written[..words], &params);
    reached[0] = true;
    let mut out = vec![0u64; words];
    let mut changed = true;
    while changed {
        changed = false;
        for pc in 0..n {
            if !reached[pc] {
                continue;
            }
            let at = pc * words..(pc + 1) * words;
            for ((o, w), d) in out.iter_mut().zip(&written[at.clone()]).zip(&defs[at]) {
                *o = w | d;
            }
            let (fall, target) = code[pc].successors(pc as u32);
            // `IterNext` writes `dst` on its fallthrough edge only (not in `writes`), as the
            // JIT's liveness has it.
            let fall_writes = match code[pc] {
                Instr::IterNext { dst, .. } if (dst as usize) < nregs => Some(dst),
                _ => None,
            };
            let edges = fall
                .map(|f| (f, fall_writes))
                .into_iter()
                .chain(target.map(|t| (t, None)));
            for (s, extra) in edges {
                let s = s as usize;
                if s >= n {
                    continue;
                }
                let was = reached[s];
                reached[s] = true;
                for (i, (w, o)) in written[s * words..(s + 1) * words]
                    .iter_mut()
                    .zip(&out)
                    .enumerate()
                {
                    let o = match extra {
                        Some(r) if r as usize / 64 == i => *o | 1 << (r % 64),
                        _ => *o,
                    };
                    if *w & o != *w {
                        *w &= o;
                        changed = true;
                    }
                }
                changed |= !was && s <= pc;
            }
        }
    }
    let mut result = vec![0u64; words];
    for pc in (0..n).filter(|&pc| reached[pc]) {
        let at = pc * words..(pc + 1) * words;
        for ((r, u), w) in result.iter_mut().zip(&uses[at.clone()]).zip(&written[at]) {
            *r |= u & !w;
        }
    }
    result
}
