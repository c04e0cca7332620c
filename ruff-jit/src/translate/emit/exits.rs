//! Guards and side exits (real deoptimization). A side exit writes every dirty unboxed
//! register of the state at the guard back into its frame slot as a proper `Value`, stores
//! the pc to resume at in `ctx.resume_pc` and returns `Status::Deopt`; the interpreter then
//! resumes at that pc with the frame exactly as it would have been.

use cranelift_codegen::ir::{
    condcodes::IntCC, types, Block, BlockArg, InstBuilder, MemFlagsData, Value,
};
use ruff_core::abi::bytecode::Reg;
use ruff_core::abi::helpers::Helper;
use ruff_core::abi::layout::{CTX_DEOPT_REASON, CTX_RESUME_PC};
use ruff_core::abi::{DeoptReason, Status};

use super::{flags, Emitter};
use crate::translate::plan::state::{Kind, RegState, State, Ty};

impl Emitter<'_, '_> {
    /// The cold side exit for the state `st` (resume pc passed as the block's argument:
    /// `deopt_unless` and `Trap` jump with `[pc]`). Exits that write back the same registers
    /// the same way share one block, whatever their pc: much less IR for Cranelift to
    /// optimize and allocate (a loop body's guards usually share one dirty set).
    pub fn side_exit(&mut self, st: &State, why: DeoptReason) -> Block {
        let key = exit_key(st);
        if let Some((blk, ..)) = self
            .pending_exits
            .iter()
            .find(|(_, k, w)| *w == why && *k == key)
        {
            return *blk;
        }
        let exit = self.b.create_block();
        self.b.append_block_param(exit, types::I32);
        self.pending_exits.push((exit, key, why));
        exit
    }

    /// Fills the side-exit blocks created so far.
    pub fn finish_side_exits(&mut self) {
        for (exit, key, why) in std::mem::take(&mut self.pending_exits) {
            self.b.switch_to_block(exit);
            self.b.seal_block(exit);
            self.b.set_cold_block(exit);
            let pcv = self.b.block_params(exit)[0];
            // Cold code: a slot that may hold a heap value is boxed by a helper call rather
            // than by an inline check, which keeps exits to one block each.
            for &(r, ty, scalar) in &key {
                if scalar {
                    self.write_back(r, ty, true);
                    continue;
                }
                let v = self.get(r, ty);
                let bits = match ty {
                    Ty::Int => v,
                    Ty::Float => self.b.ins().bitcast(types::I64, MemFlagsData::new(), v),
                    Ty::Bool => self.b.ins().uextend(types::I64, v),
                };
                let addr = self.slot_addr(r);
                let t = self.iconst(types::I32, ty.tag() as i64);
                self.call_helper(Helper::Box, &[addr, t, bits]);
            }
            self.b.ins().store(flags(), pcv, self.ctx, CTX_RESUME_PC);
            if why == DeoptReason::NoFeedback {
                let id = self.iconst(types::I32, self.proto_id() as i64);
                self.call_helper(Helper::Trap, &[self.ctx, id]);
            }
            if self.opts.deopt_reasons {
                let w = self.iconst(types::I32, why.code() as i64);
                self.b.ins().store(flags(), w, self.ctx, CTX_DEOPT_REASON);
            }
            if self.opts.trace {
                let id = self.iconst(types::I32, self.proto_id() as i64);
                let w = self.iconst(types::I32, why.code() as i64);
                self.call_helper(Helper::TraceDeopt, &[id, pcv, w]);
            }
            self.return_status(Status::Deopt);
        }
    }

    /// Leaves for a side exit (state `st`, resume at `pc`) unless `ok`; continues in a new
    /// block.
    pub fn deopt_unless(&mut self, ok: Value, st: &State, pc: u32, why: DeoptReason) {
        // `fail-guards=1`: the condition is computed but the exit is always taken.
        let ok = if self.opts.fail_guards {
            self.iconst(types::I8, 0)
        } else {
            ok
        };
        let exit = self.side_exit(st, why);
        let cont = self.b.create_block();
        let pcv = self.iconst(types::I32, pc as i64);
        self.b
            .ins()
            .brif(ok, cont, &[], exit, &[BlockArg::Value(pcv)]);
        self.b.switch_to_block(cont);
        self.b.seal_block(cont);
    }

    /// After a slow-path helper stored a boxed `R[dst]` that the plan has unboxed as `ty`:
    /// unbox it like a post guard (the instruction at `pc` is done, so a mismatch resumes
    /// after it, in the state `fall` with `dst` boxed).
    pub(super) fn unbox_helper_result(&mut self, dst: Reg, ty: Ty, fall: &State, pc: u32) {
        let mut after = fall.clone();
        after[dst as usize] = RegState::BOXED;
        self.guard_load(dst, ty, &after, pc + 1, DeoptReason::Guard);
    }

    /// Checks that register `r`'s slot holds `ty` (deopt otherwise) and unboxes it.
    pub fn guard_load(&mut self, r: Reg, ty: Ty, st: &State, pc: u32, why: DeoptReason) {
        self.guards += 1;
        let t = self.load_tag(r);
        let ok = self.b.ins().icmp_imm_s(IntCC::Equal, t, ty.tag() as i64);
        self.deopt_unless(ok, st, pc, why);
        let v = self.load_payload(r, ty);
        self.set(r, ty, v);
    }
}

/// What a side exit writes back: each dirty unboxed register with its type, and whether its
/// slot is known to hold no heap value.
pub(super) type ExitKey = Vec<(Reg, Ty, bool)>;

fn exit_key(st: &State) -> ExitKey {
    st.iter()
        .enumerate()
        .filter_map(|(r, s)| match (s.kind, s.dirty) {
            (Kind::Unboxed(ty), true) => Some((r as Reg, ty, s.scalar)),
            _ => None,
        })
        .collect()
}
