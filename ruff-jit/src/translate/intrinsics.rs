//! Calls of numeric builtins inlined in specialized code.
//!
//! A `GetGlobal` whose value is next used as the callee of a `Call` in the same basic block,
//! and whose global holds a builtin at compile time, speculates that it still does: it
//! checks the global's tag and builtin id (a side exit at the `GetGlobal` otherwise, which
//! also covers an unbound global) and stores the builtin into the callee register without
//! any reference counting (`Action::GetBuiltin`). When that builtin is `sqrt`, `floor`,
//! `ceil`, `abs` or `to_float` and its one argument is already unboxed as an Int or Float,
//! the `Call` becomes machine instructions on the unboxed value (`Action::Intrinsic`) with
//! exactly the builtin's semantics: f64 `sqrt`/`floor`/`ceil` of the argument converted to
//! Float, wrap-around `abs` for Ints (`abs(i64::MIN)` stays `i64::MIN`), IEEE `abs` for Floats.
//! `round` is left out on purpose: the builtin rounds half away from zero, which no single
//! Cranelift instruction does.

use cranelift_codegen::ir::{condcodes::IntCC, types, InstBuilder};
use ruff_core::builtins::id;
use ruff_core::bytecode::{Instr, Reg};
use ruff_core::value::{tag, Value};

use super::cfg::{kills, reads, successors};
use super::emit::{flags, slot, Emitter, Why};
use super::plan::Planner;
use super::state::{State, Ty};
use crate::runtime::layout::{BOOL_BYTE, PAYLOAD};

/// The builtins inlined on unboxed arguments.
const INLINED: [u8; 5] = [id::SQRT, id::FLOOR, id::CEIL, id::ABS, id::TO_FLOAT];

impl Planner<'_> {
    /// The builtin id a `GetGlobal` of `g` into `dst` at `pc` may speculate on: the global
    /// holds a builtin at compile time and `dst` is next used as a `Call`'s callee.
    pub fn builtin_at(&self, pc: u32, dst: Reg, g: u32) -> Option<u8> {
        if !self.may_speculate(pc) || self.globals == 0 {
            return None;
        }
        self.call_using(pc, dst)?;
        // SAFETY: `globals` is the running VM's global slot 0 (the VM is compiling, on this
        // thread) and the compiler emitted `g` as one of the program's globals.
        match unsafe { &*(self.globals as *const Value).add(g as usize) } {
            Value::Builtin(b) => Some(*b),
            _ => None,
        }
    }

    /// The builtin a `Call` with callee register `base` certainly calls if it runs: the
    /// register was filled by a `GetGlobal` of this block planned as `GetBuiltin`.
    pub fn builtin_callee(&self, pc: u32, base: Reg) -> Option<u8> {
        let (q, g) = self.global_feeding(pc, base)?;
        if self.call_using(q, base) != Some(pc) {
            return None;
        }
        self.builtin_at(q, base, g)
    }

    /// The `GetGlobal` (its pc and global) that last wrote `r` before `pc`, if the last
    /// instruction writing `r` is one (looking back at most 32 instructions).
    pub fn global_feeding(&self, pc: u32, r: Reg) -> Option<(u32, u32)> {
        let code = &self.proto.code;
        let q = (0..pc as usize)
            .rev()
            .take(32)
            .find(|&q| kills(&code[q]).contains(&r))?;
        match code[q] {
            Instr::GetGlobal { g, .. } => Some((q as u32, g)),
            _ => None,
        }
    }

    /// `(argument type, result type)` when the `Call` at `pc` of builtin `b` is inlined.
    pub fn intrinsic(&self, pc: u32, st: &State, base: Reg, argc: u8, b: u8) -> Option<(Ty, Ty)> {
        if argc != 1 || !self.may_speculate(pc) || !INLINED.contains(&b) {
            return None;
        }
        let arg = st[base as usize + 1].ty()?;
        let res = match (b, arg) {
            (_, Ty::Bool) => return None,
            (id::ABS, t) => t,
            _ => Ty::Float,
        };
        Some((arg, res))
    }

    /// True if the `Call` at `pc` of builtin `id` is a `push`/`append` whose result is
    /// never read and whose array access compiled code inlines (see `emit_push`).
    pub fn push_clears(&self, pc: u32, base: Reg, argc: u8, id: u8) -> bool {
        argc == 2
            && matches!(id, id::PUSH | id::APPEND)
            && crate::runtime::layout::array_layout().is_some()
            && !self.live_after(pc, base)
    }

    /// May register `r` be read after the instruction at `pc` before being overwritten?
    /// (Conservative, like the block liveness it ends in.)
    pub fn live_after(&self, pc: u32, r: Reg) -> bool {
        let proto = self.proto;
        let cfg = self.cfg;
        let Some(block) = cfg.blocks.iter().find(|b| b.start <= pc && pc < b.end) else {
            return true;
        };
        for q in pc + 1..block.end {
            let instr = &proto.code[q as usize];
            if reads(proto, instr).contains(&r) {
                return true;
            }
            if kills(instr).contains(&r) {
                return false;
            }
        }
        let last = block.end - 1;
        let (fall, target) = successors(&proto.code[last as usize], last);
        [fall, target]
            .into_iter()
            .flatten()
            .any(|s| match cfg.block_at.get(s as usize) {
                Some(&b) if b != usize::MAX => cfg.live_in[b][r as usize],
                _ => true,
            })
    }

    /// The pc of the `Call` whose callee register is `dst` and which uses it before
    /// anything else reads or writes it, with no block boundary in between.
    pub fn call_using(&self, pc: u32, dst: Reg) -> Option<u32> {
        let after = pc as usize + 1;
        let rest = self.proto.code.get(after..)?.iter();
        for (q, (instr, &starts)) in rest.zip(&self.cfg.block_at[after..]).enumerate() {
            if starts != usize::MAX {
                return None;
            }
            match *instr {
                Instr::Call { base, .. } if base == dst => return Some((after + q) as u32),
                ref i => {
                    if reads(self.proto, i).contains(&dst) || kills(i).contains(&dst) {
                        return None;
                    }
                }
            }
        }
        None
    }
}

impl Emitter<'_, '_> {
    /// `R[dst] = G[g]`, speculating that the global still holds builtin `b`.
    pub fn emit_get_builtin(&mut self, pc: u32, st: &State, dst: Reg, g: u32, b: u8) {
        // SAFETY: `globals_cell` is the tier's cache word; the planner only plans this when
        // it held the address of the VM's global slot 0 at compile time.
        let base = unsafe { *(self.opts.globals_cell as *const usize) };
        let p = self.iconst(types::I64, (base + 16 * g as usize) as i64);
        self.guards += 1;
        let t = self.b.ins().load(types::I8, flags(), p, 0);
        let is_builtin = self
            .b
            .ins()
            .icmp_imm_s(IntCC::Equal, t, tag::BUILTIN as i64);
        self.deopt_unless(is_builtin, st, pc, Why::Guard);
        let which = self.b.ins().load(types::I8, flags(), p, BOOL_BYTE);
        let same = self.b.ins().icmp_imm_s(IntCC::Equal, which, b as i64);
        self.deopt_unless(same, st, pc, Why::Guard);
        if !st[dst as usize].scalar {
            self.clear_if_heap(dst);
        }
        // A builtin owns nothing: two plain stores.
        let bt = self.iconst(types::I8, tag::BUILTIN as i64);
        self.b.ins().store(flags(), bt, self.regs, slot(dst));
        self.b
            .ins()
            .store(flags(), which, self.regs, slot(dst) + PAYLOAD);
    }

    /// `R[base] = builtin(R[base + 1])` on the unboxed argument.
    pub fn emit_intrinsic(&mut self, b: u8, base: Reg, arg: Ty, res: Ty) {
        let x = self.get(base + 1, arg);
        let as_float = |e: &mut Self, x| match arg {
            Ty::Int => e.b.ins().fcvt_from_sint(types::F64, x),
            _ => x,
        };
        let v = match b {
            id::SQRT => {
                let f = as_float(self, x);
                self.b.ins().sqrt(f)
            }
            id::FLOOR => {
                let f = as_float(self, x);
                self.b.ins().floor(f)
            }
            id::CEIL => {
                let f = as_float(self, x);
                self.b.ins().ceil(f)
            }
            id::TO_FLOAT => as_float(self, x),
            id::ABS if arg == Ty::Float => self.b.ins().fabs(x),
            id::ABS => {
                // Wrap-around: `-i64::MIN` is `i64::MIN`, as `i64::wrapping_abs`.
                let neg = self.b.ins().ineg(x);
                let below = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, x, 0);
                self.b.ins().select(below, neg, x)
            }
            other => unreachable!("builtin {other} is not inlined"),
        };
        self.set(base, res, v);
    }
}
