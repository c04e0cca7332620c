//! Lowering of each planned instruction: generic helper calls, specialized arithmetic,
//! comparisons and branches on unboxed values, `IterNext` over Int ranges, returns, and the
//! edges between blocks (write-backs and hoisted guards).

use cranelift_codegen::ir::{
    condcodes::IntCC, types, AtomicRmwOp, Block, BlockArg, InstBuilder, Value,
};
use ruff_core::abi::bytecode::{BinOp, FuncProto, Instr, Reg, Scalar};
use ruff_core::abi::helpers::{sample_ticks_addr, Helper, Operands, NO_LINE};
use ruff_core::abi::layout::{
    BOOL_BYTE, CTX_RET, CTX_SAMPLE_PC, CTX_SAMPLE_PROTO, CTX_SAMPLE_REGS, CTX_SAMPLE_WEIGHT,
    PAYLOAD,
};
use ruff_core::abi::{tag, DeoptReason};

use super::{flags, slot, Emitter};
use crate::translate::plan::state::{RegState, State, Ty};
use crate::translate::plan::transfer::apply;
use crate::translate::plan::{Action, Const, Plan};

impl Emitter<'_, '_> {
    /// The sampling profiler's check at a return (code made while profiling): a load of the
    /// tick counter and, in a cold block, taking the ticks into the context with this
    /// frame's location (`JitCtx::sample_weight`, pc `NO_LINE`: the function, not a line;
    /// the VM records them at its next check). So ticks that arrived while a directly
    /// called compiled function ran are its samples, not its caller's. Loops have no
    /// check: any code in a loop, even a cold block without a call, changes Cranelift's
    /// register allocation of the loop (measured: a nested loop 40% slower in wall time).
    pub(super) fn sample_check(&mut self) {
        let pc = NO_LINE;
        let addr = self.iconst(types::I64, sample_ticks_addr() as i64);
        let ticks = self.b.ins().load(types::I32, flags(), addr, 0);
        let take = self.b.create_block();
        let cont = self.b.create_block();
        self.b.ins().brif(ticks, take, &[], cont, &[]);
        self.b.switch_to_block(take);
        self.b.seal_block(take);
        self.b.set_cold_block(take);
        let zero = self.iconst(types::I32, 0);
        let taken = self
            .b
            .ins()
            .atomic_rmw(types::I32, flags(), AtomicRmwOp::Xchg, addr, zero);
        let before = self
            .b
            .ins()
            .load(types::I32, flags(), self.ctx, CTX_SAMPLE_WEIGHT);
        let sum = self.b.ins().iadd(before, taken);
        self.b
            .ins()
            .store(flags(), sum, self.ctx, CTX_SAMPLE_WEIGHT);
        let pcv = self.iconst(types::I32, pc as i64);
        self.b.ins().store(flags(), pcv, self.ctx, CTX_SAMPLE_PC);
        self.b
            .ins()
            .store(flags(), self.regs, self.ctx, CTX_SAMPLE_REGS);
        let proto = self.planner.proto as *const _ as i64;
        let proto = self.iconst(types::I64, proto);
        self.b
            .ins()
            .store(flags(), proto, self.ctx, CTX_SAMPLE_PROTO);
        self.b.ins().jump(cont, &[]);
        self.b.switch_to_block(cont);
        self.b.seal_block(cont);
    }

    /// Emits bytecode block `i` (`start..end`) from its analysed entry state.
    pub fn emit_block(&mut self, i: usize, start: u32, end: u32) {
        let (_, blk) = self.block_of(start);
        self.b.switch_to_block(blk);
        let mut st = self.states[i].clone().expect("reachable block");
        for pc in start..end {
            let plan = self.planner.plan(pc, &st);
            match self.emit_instr(pc, &plan, &st) {
                Some(next) => st = next,
                None => return,
            }
        }
        // The block falls through into the next one.
        self.jump_edge(st, end);
    }

    /// Emits one instruction; returns the state after it, or `None` if it ended the block.
    fn emit_instr(&mut self, pc: u32, plan: &Plan, st: &State) -> Option<State> {
        for &(r, ty) in &plan.guards {
            self.guard_load(r, ty, st, pc, DeoptReason::Guard);
        }
        let mut guarded = st.clone();
        for &(r, ty) in &plan.guards {
            guarded[r as usize] = RegState::unboxed(ty, false);
        }
        let (fall, branch) = apply(plan, st);
        match &plan.action {
            Action::Generic {
                reads,
                post,
                unit_step,
                ..
            } => {
                let mut s = guarded;
                self.write_back_where(&mut s, |r| reads.contains(&(r as Reg)));
                let instr = self.planner.proto.code[pc as usize];
                if let Some((helper, operands)) = fast_helper(self.planner.proto, &instr) {
                    // Int/Float (or Array[Int]) fast paths in the helper, which checks the
                    // types itself (no speculation) and falls back to the generic path.
                    self.call_operand_helper(helper, pc, operands);
                    return Some(fall);
                }
                let helper = match instr {
                    Instr::RangePrep { .. } => Helper::RangePrep,
                    _ => Helper::Generic,
                };
                self.call_frame_helper(helper, pc);
                // Post guards run after the instruction: resume after it on failure.
                let mut after = fall.clone();
                for &(r, _) in post {
                    after[r as usize] = RegState::BOXED;
                }
                for &(r, ty) in post {
                    // A step known to be 1 is a constant, so the loop test folds to one
                    // comparison.
                    if Some(r) == *unit_step {
                        let one = self.iconst(types::I64, 1);
                        self.set(r, ty, one);
                    } else {
                        self.guard_load(r, ty, &after, pc + 1, DeoptReason::Guard);
                    }
                }
            }
            Action::CallBuiltin {
                base, argc, push, ..
            } => self.emit_call_builtin(pc, *base, *argc, *push, &guarded),
            Action::Call {
                base,
                argc,
                method,
                direct,
                push,
                typed_result,
            } => self.emit_call(
                pc,
                (*base, *argc, *method),
                *direct,
                *push,
                *typed_result,
                &guarded,
            ),
            Action::Const { dst, val } => {
                let (ty, v) = match *val {
                    Const::Int(i) => (Ty::Int, self.iconst(types::I64, i)),
                    Const::Float(f) => (Ty::Float, self.b.ins().f64const(f)),
                    Const::Bool(b) => (Ty::Bool, self.iconst(types::I8, b as i64)),
                };
                self.set(*dst, ty, v);
            }
            Action::Move { dst, src, ty } => {
                let v = self.get(*src, *ty);
                self.set(*dst, *ty, v);
            }
            Action::Arith {
                op,
                dst,
                a,
                b,
                lt,
                rt,
                res,
            } => {
                let v = self.emit_arith(pc, &guarded, *op, *a, *b, *lt, *rt, *res);
                self.set(*dst, *res, v);
            }
            Action::Cmp { op, dst, a, b, ty } => {
                let x = self.get(*a, *ty);
                let y = self.operand_value(*b, *ty);
                let v = self.emit_cmp(*op, *ty, x, y);
                self.set(*dst, Ty::Bool, v);
            }
            Action::Unary { op, dst, src, ty } => {
                let x = self.get(*src, *ty);
                let (rty, v) = self.emit_unary(*op, *ty, x);
                self.set(*dst, rty, v);
            }
            Action::GetGlobal { dst, g, how } => self.emit_get_global(pc, &guarded, *dst, *g, *how),
            Action::GetBuiltin { dst, g, id } => self.emit_get_builtin(pc, &guarded, *dst, *g, *id),
            Action::Intrinsic { id, base, arg, res } => self.emit_intrinsic(*id, *base, *arg, *res),
            Action::MoveBoxed { dst, src } => {
                // `src` is boxed (the slot is the truth) and differs from `dst`, so releasing
                // `dst`'s old value first cannot free what is copied.
                if !guarded[*dst as usize].scalar {
                    self.clear_if_heap(*dst);
                }
                let t = self.load_tag(*src);
                let done = self.b.create_block();
                self.copy_boxed(self.regs, slot(*src), t, *dst, done);
                self.b.switch_to_block(done);
                self.b.seal_block(done);
            }
            Action::StoreConst { dst, val } => {
                if !guarded[*dst as usize].scalar {
                    self.clear_if_heap(*dst);
                }
                match *val {
                    Some(Const::Int(i)) => {
                        let v = self.iconst(types::I64, i);
                        self.store_value(self.regs, slot(*dst), Ty::Int, v);
                    }
                    Some(Const::Bool(b)) => {
                        let v = self.iconst(types::I8, b as i64);
                        self.store_value(self.regs, slot(*dst), Ty::Bool, v);
                    }
                    Some(Const::Float(f)) => {
                        let v = self.b.ins().f64const(f);
                        self.store_value(self.regs, slot(*dst), Ty::Float, v);
                    }
                    None => {
                        let null = self.iconst(types::I8, tag::NULL as i64);
                        self.b.ins().store(flags(), null, self.regs, slot(*dst));
                    }
                }
            }
            Action::Nop => {}
            Action::Index(op) => self.emit_index(pc, op, &guarded, &fall),
            Action::Field(op) => self.emit_field(pc, op, &guarded, &fall),
            Action::Trap => {
                self.traps.push(pc);
                let exit = self.side_exit(st, DeoptReason::NoFeedback);
                let pcv = self.iconst(types::I32, pc as i64);
                self.b.ins().jump(exit, &[BlockArg::Value(pcv)]);
                return None;
            }
            Action::Jump { target } => {
                self.jump_edge(branch.expect("jump state"), *target);
                return None;
            }
            Action::Branch {
                cond,
                if_true,
                target,
                ty,
            } => {
                let c = match ty {
                    Some(t) => {
                        let v = self.get(*cond, *t);
                        self.truth(*t, v)
                    }
                    None => self.boxed_truth(*cond),
                };
                let taken = (branch.expect("branch state"), *target);
                let next = (fall, pc + 1);
                if *if_true {
                    self.branch_edges(c, taken, next);
                } else {
                    self.branch_edges(c, next, taken);
                }
                return None;
            }
            Action::IterRange {
                iter,
                dst,
                exit,
                unit_step,
            } => {
                self.emit_iter_range(*iter, *dst, *exit, *unit_step, pc, fall, branch);
                return None;
            }
            Action::IterGeneric { iter, dst, exit } => {
                let mut s = guarded;
                let it = *iter;
                self.write_back_where(&mut s, |r| (it as usize..it as usize + 3).contains(&r));
                let i = self.iconst(types::I32, *iter as i64);
                let d = self.iconst(types::I32, *dst as i64);
                let more = self
                    .call_helper(Helper::IterNext, &[self.regs, i, d])
                    .expect("returns");
                let exit_state = branch.expect("exit state");
                self.branch_edges(more, (fall, pc + 1), (exit_state, *exit));
                return None;
            }
            Action::Return { src } => {
                if self.typed_return(*src, &guarded) {
                    return None;
                }
                match guarded[*src as usize].ty() {
                    Some(ty) => {
                        let v = self.get(*src, ty);
                        self.store_value(self.ctx, CTX_RET, ty, v);
                    }
                    None => {
                        // Move the value out of the frame (the slot becomes Null), so the
                        // reference it holds is handed over, not duplicated.
                        let lo = self
                            .b
                            .ins()
                            .load(types::I64, flags(), self.regs, slot(*src));
                        let hi = self
                            .b
                            .ins()
                            .load(types::I64, flags(), self.regs, slot(*src) + 8);
                        self.b.ins().store(flags(), lo, self.ctx, CTX_RET);
                        self.b.ins().store(flags(), hi, self.ctx, CTX_RET + 8);
                        let null = self.iconst(types::I8, tag::NULL as i64);
                        self.b.ins().store(flags(), null, self.regs, slot(*src));
                    }
                }
                if self.opts.sample_checks {
                    self.sample_check();
                }
                self.return_value_in_ctx();
                return None;
            }
            Action::ReturnNull => {
                if self.opts.sample_checks {
                    self.sample_check();
                }
                let null = self.iconst(types::I8, tag::NULL as i64);
                self.b.ins().store(flags(), null, self.ctx, CTX_RET);
                self.return_value_in_ctx();
                return None;
            }
        }
        Some(fall)
    }

    /// Copies the `Value` at `base + off` (whose tag `t` is already loaded) into `R[dst]`,
    /// whose slot holds no heap value, bumping the reference count of a heap value, then
    /// jumps to `done`. The `Rc` payload points at its `RcBox`, strong count first.
    pub(super) fn copy_boxed(&mut self, base: Value, off: i32, t: Value, dst: Reg, done: Block) {
        let heap = self.is_heap_tag(t);
        let bump = self.b.create_block();
        let copy = self.b.create_block();
        self.b.ins().brif(heap, bump, &[], copy, &[]);
        self.b.switch_to_block(bump);
        self.b.seal_block(bump);
        let rc = self.b.ins().load(types::I64, flags(), base, off + PAYLOAD);
        let strong = self.b.ins().load(types::I64, flags(), rc, 0);
        let more = self.b.ins().iadd_imm_s(strong, 1);
        self.b.ins().store(flags(), more, rc, 0);
        self.b.ins().jump(copy, &[]);
        self.b.switch_to_block(copy);
        self.b.seal_block(copy);
        let lo = self.b.ins().load(types::I64, flags(), base, off);
        let hi = self.b.ins().load(types::I64, flags(), base, off + 8);
        self.b.ins().store(flags(), lo, self.regs, slot(dst));
        self.b.ins().store(flags(), hi, self.regs, slot(dst) + 8);
        self.b.ins().jump(done, &[]);
    }

    /// Truthiness of a boxed register: Bool inline, anything else through the helper.
    fn boxed_truth(&mut self, r: Reg) -> Value {
        let t = self.load_tag(r);
        let is_bool = self.b.ins().icmp_imm_s(IntCC::Equal, t, tag::BOOL as i64);
        let bb = self.b.create_block();
        let other = self.b.create_block();
        // The join block receives the truth value as a block parameter from both paths.
        let join = self.b.create_block();
        let c = self.b.append_block_param(join, types::I8);
        self.b.ins().brif(is_bool, bb, &[], other, &[]);
        self.b.switch_to_block(bb);
        self.b.seal_block(bb);
        let v = self
            .b
            .ins()
            .load(types::I8, flags(), self.regs, slot(r) + BOOL_BYTE);
        self.b.ins().jump(join, &[BlockArg::Value(v)]);
        self.b.switch_to_block(other);
        self.b.seal_block(other);
        let addr = self.slot_addr(r);
        let res = self.call_helper(Helper::Truthy, &[addr]).expect("returns");
        let v = self.b.ins().ireduce(types::I8, res);
        self.b.ins().jump(join, &[BlockArg::Value(v)]);
        self.b.switch_to_block(join);
        self.b.seal_block(join);
        c
    }
}

/// The fast-path helper for a generic instruction and its operand word.
fn fast_helper(proto: &FuncProto, instr: &Instr) -> Option<(Helper, Operands)> {
    if let Some((op, dst, a, b)) = instr.as_binary() {
        return Some((Helper::Binary, Operands::binary(op, dst, a, b)));
    }
    match *instr {
        Instr::AddImm { dst, a, imm } => Some((
            Helper::Binary,
            Operands::binary_imm(BinOp::Add, dst, a, imm),
        )),
        // A small Int constant travels in the operand word; others are read by the helper.
        Instr::BinaryK { op, dst, a, k } => Some((
            Helper::Binary,
            match proto.scalar_const(k as u32) {
                Some(Scalar::Int(i)) if i16::try_from(i).is_ok() => {
                    Operands::binary_imm(op, dst, a, i as i16)
                }
                _ => Operands::binary_k(op, dst, a, k),
            },
        )),
        Instr::GetIndex { dst, obj, idx } => {
            Some((Helper::GetIndex, Operands::index(obj, idx, dst)))
        }
        Instr::SetIndex { obj, idx, src } => {
            Some((Helper::SetIndex, Operands::index(obj, idx, src)))
        }
        _ => None,
    }
}
