//! Control flow between blocks: `IterNext` over Int ranges, conditional branches, and the
//! edges that reconcile a predecessor's register state with its successor's (write-backs of
//! registers the successor keeps in the frame, hoisted guards for registers it keeps
//! unboxed).

use cranelift_codegen::ir::{condcodes::IntCC, Block, InstBuilder, Value};
use ruff_core::abi::bytecode::Reg;
use ruff_core::abi::DeoptReason;

use super::Emitter;
use crate::translate::plan::state::{Kind, RegState, State, Ty};

impl Emitter<'_, '_> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn emit_iter_range(
        &mut self,
        iter: Reg,
        dst: Reg,
        exit: u32,
        unit: bool,
        pc: u32,
        fall: State,
        branch: Option<State>,
    ) {
        let next = self.get(iter, Ty::Int);
        let stop = self.get(iter + 1, Ty::Int);
        let more = if unit {
            self.b.ins().icmp(IntCC::SignedLessThan, next, stop)
        } else {
            let step = self.get(iter + 2, Ty::Int);
            let up = self.b.ins().icmp_imm_s(IntCC::SignedGreaterThan, step, 0);
            let below = self.b.ins().icmp(IntCC::SignedLessThan, next, stop);
            let above = self.b.ins().icmp(IntCC::SignedGreaterThan, next, stop);
            self.b.ins().select(up, below, above)
        };
        let body = self.b.create_block();
        let exit_state = branch.expect("exit state");
        let exit_blk = self.edge_target(&exit_state, exit);
        self.b.ins().brif(more, body, &[], exit_blk.0, &[]);
        if exit_blk.1 {
            self.b.switch_to_block(exit_blk.0);
            self.b.seal_block(exit_blk.0);
            self.jump_edge(exit_state, exit);
        }
        self.b.switch_to_block(body);
        self.b.seal_block(body);
        let advanced = if unit {
            // `next < stop <= i64::MAX`, so `next + 1` cannot overflow.
            self.b.ins().iadd_imm_s(next, 1)
        } else {
            // Past i64's end the range is over: clamp to `stop`, as the interpreter does.
            let step = self.get(iter + 2, Ty::Int);
            let (sum, of) = self.b.ins().sadd_overflow(next, step);
            self.b.ins().select(of, stop, sum)
        };
        self.set(iter, Ty::Int, advanced);
        self.set(dst, Ty::Int, next);
        self.jump_edge(fall, pc + 1);
    }

    /// Does the edge from `from` into the block at `pc` need code of its own?
    pub(super) fn edge_needs_code(&self, from: &State, pc: u32) -> bool {
        let (bi, _) = self.block_of(pc);
        let target = self.states[bi].as_ref().expect("reachable target");
        target.iter().zip(from).any(|(t, f)| match t.kind {
            Kind::Dead => false,
            Kind::Boxed => f.dirty,
            Kind::Unboxed(ty) => f.kind != Kind::Unboxed(ty),
        })
    }

    /// The block a branch jumps to for this edge: the target itself, or a new edge block
    /// (`true`) that the caller fills with `jump_edge` after the branch.
    fn edge_target(&mut self, from: &State, pc: u32) -> (Block, bool) {
        if self.edge_needs_code(from, pc) {
            (self.b.create_block(), true)
        } else {
            (self.block_of(pc).1, false)
        }
    }

    /// `brif c` to two edges.
    pub(super) fn branch_edges(&mut self, c: Value, then: (State, u32), els: (State, u32)) {
        let t = self.edge_target(&then.0, then.1);
        let e = self.edge_target(&els.0, els.1);
        self.b.ins().brif(c, t.0, &[], e.0, &[]);
        for (blk, (st, pc)) in [(t, then), (e, els)] {
            if blk.1 {
                // An edge block has one predecessor (this branch): seal it right away.
                self.b.switch_to_block(blk.0);
                self.b.seal_block(blk.0);
                self.jump_edge(st, pc);
            }
        }
    }

    /// Reconciles `from` with the state of the block at `pc` and jumps there: registers the
    /// target keeps in the frame are written back, registers it keeps unboxed but `from`
    /// does not are checked and loaded (hoisted guards; failure resumes at `pc`).
    pub fn jump_edge(&mut self, mut from: State, pc: u32) {
        let (bi, blk) = self.block_of(pc);
        let target = self.states[bi].clone().expect("reachable target");
        for r in 0..target.len() {
            let needs_slot = match target[r].kind {
                Kind::Dead => false,
                Kind::Boxed => true,
                Kind::Unboxed(ty) => from[r].kind != Kind::Unboxed(ty),
            };
            if needs_slot {
                if let (Kind::Unboxed(ty), true) = (from[r].kind, from[r].dirty) {
                    self.write_back(r as Reg, ty, from[r].scalar);
                    from[r].dirty = false;
                    from[r].scalar = true;
                }
            }
        }
        for r in 0..target.len() {
            if let Kind::Unboxed(ty) = target[r].kind {
                if from[r].kind != Kind::Unboxed(ty) {
                    self.guard_load(r as Reg, ty, &from, pc, DeoptReason::HoistedGuard);
                    from[r] = RegState::unboxed(ty, false);
                }
            }
        }
        self.b.ins().jump(blk, &[]);
    }
}
