//! Lowering of each planned instruction: generic helper calls, specialized arithmetic,
//! comparisons and branches on unboxed values, `IterNext` over Int ranges, returns, and the
//! edges between blocks (write-backs and hoisted guards).

use cranelift_codegen::ir::{condcodes::IntCC, types, Block, BlockArg, InstBuilder, Value};
use ruff_core::bytecode::Reg;
use ruff_core::tier::STATUS_RETURN;
use ruff_core::value::tag;

use super::emit::{flags, slot, Emitter, SigKind, Why};
use super::plan::{Action, Const, Plan};
use super::state::{RegState, State, Ty};
use super::transfer::apply;
use crate::runtime::layout::{BOOL_BYTE, CTX_RET, PAYLOAD};
use crate::runtime::{self};

impl Emitter<'_, '_> {
    /// Emits bytecode block `i` (`start..end`) from its analysed entry state.
    pub fn emit_block(&mut self, i: usize, start: u32, end: u32) {
        let (_, blk) = self.block_of(start);
        self.b.switch_to_block(blk);
        let mut st = self.states[i].clone().expect("reachable block");
        self.known_callee = None;
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
            self.guard_load(r, ty, st, pc, Why::Guard);
        }
        let mut guarded = st.clone();
        for &(r, ty) in &plan.guards {
            guarded[r as usize] = RegState::unboxed(ty, false);
        }
        let (fall, branch) = apply(plan, st);
        match &plan.action {
            Action::Generic { reads, post, .. } => {
                let mut s = guarded;
                self.write_back_where(&mut s, |r| reads.contains(&(r as Reg)));
                let pcv = self.iconst(types::I32, pc as i64);
                if let Some((helper, packed)) = fast_helper(&self.planner.proto.code[pc as usize]) {
                    // Int/Float (or Array[Int]) fast paths in the helper, which checks the
                    // types itself (no speculation) and falls back to `exec_generic`.
                    let p = self.iconst(types::I64, packed as i64);
                    let ok = self
                        .call_helper(helper, SigKind::P4R32, &[self.ctx, self.regs, pcv, p])
                        .expect("returns status");
                    self.check_ok(ok, pc);
                    return Some(fall);
                }
                let helper = match self.planner.proto.code[pc as usize] {
                    ruff_core::bytecode::Instr::RangePrep { .. } => {
                        runtime::rt_range_prep as *const () as usize
                    }
                    _ => runtime::rt_generic as *const () as usize,
                };
                self.call_frame_helper(helper, pc);
                // Post guards run after the instruction: resume after it on failure.
                let mut after = fall.clone();
                for &(r, _) in post {
                    after[r as usize] = RegState::BOXED;
                }
                // `range(stop)`, `range(start, stop)` and `for i in n` always step by 1: the
                // step is a constant, so the loop test folds to one comparison.
                let unit_step = match self.planner.proto.code[pc as usize] {
                    ruff_core::bytecode::Instr::RangePrep { iter, argc } if argc < 3 => {
                        Some(iter + 2)
                    }
                    ruff_core::bytecode::Instr::IterPrep { iter } => Some(iter + 2),
                    _ => None,
                };
                for &(r, ty) in post {
                    if Some(r) == unit_step {
                        let one = self.iconst(types::I64, 1);
                        self.set(r, ty, one);
                    } else {
                        self.guard_load(r, ty, &after, pc + 1, Why::Guard);
                    }
                }
            }
            Action::CallBuiltin {
                base,
                argc,
                id,
                clears,
            } => self.emit_call_builtin(pc, *base, *argc, *id, *clears, &guarded),
            Action::Call { base, argc, method } => {
                self.emit_call(pc, *base, *argc, *method, &guarded);
            }
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
                let y = self.get(*b, *ty);
                let v = self.emit_cmp(*op, *ty, x, y);
                self.set(*dst, Ty::Bool, v);
            }
            Action::Unary { op, dst, src, ty } => {
                let x = self.get(*src, *ty);
                let (rty, v) = self.emit_unary(*op, *ty, x);
                self.set(*dst, rty, v);
            }
            Action::GetGlobal { dst, g } => self.emit_get_global(pc, &guarded, *dst, *g),
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
            Action::Trap => {
                self.traps.push(pc);
                let exit = self.side_exit(st, Why::NoFeedback);
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
            Action::IterRange { iter, dst, exit } => {
                self.emit_iter_range(*iter, *dst, *exit, pc, fall, branch);
                return None;
            }
            Action::IterGeneric { iter, dst, exit } => {
                let mut s = guarded;
                let it = *iter;
                self.write_back_where(&mut s, |r| (it as usize..it as usize + 3).contains(&r));
                let i = self.iconst(types::I32, *iter as i64);
                let d = self.iconst(types::I32, *dst as i64);
                let more = self
                    .call_helper(
                        runtime::rt_iter_next as *const () as usize,
                        SigKind::Iter,
                        &[self.regs, i, d],
                    )
                    .expect("returns");
                let exit_state = branch.expect("exit state");
                self.branch_edges(more, (fall, pc + 1), (exit_state, *exit));
                return None;
            }
            Action::Return { src } => {
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
                let s = self.iconst(types::I32, STATUS_RETURN as i64);
                self.b.ins().return_(&[s]);
                return None;
            }
            Action::ReturnNull => {
                let null = self.iconst(types::I8, tag::NULL as i64);
                self.b.ins().store(flags(), null, self.ctx, CTX_RET);
                let s = self.iconst(types::I32, STATUS_RETURN as i64);
                self.b.ins().return_(&[s]);
                return None;
            }
        }
        Some(fall)
    }

    /// `R[dst] = G[g]`: copy the 16 bytes and bump the reference count of a heap value; an
    /// unbound global goes to the generic helper, which raises the interpreter's error.
    fn emit_get_global(&mut self, pc: u32, st: &State, dst: Reg, g: u32) {
        // SAFETY: `globals_cell` is the address of the tier's cache word, alive while the
        // tier is; nothing writes it concurrently (compiled code runs on this thread).
        let known_base = unsafe { *(self.opts.globals_cell as *const usize) };
        if known_base != 0 {
            // An earlier compiled function already learned where the globals are: bake it in.
            let base = self.iconst(types::I64, known_base as i64);
            return self.emit_get_global_at(pc, st, dst, g, base);
        }
        let cell = self.iconst(types::I64, self.opts.globals_cell as i64);
        let base = self.b.ins().load(types::I64, flags(), cell, 0);
        let known = self.b.ins().icmp_imm_s(IntCC::NotEqual, base, 0);
        // The join block receives the globals' base address from the fast and the cold path.
        let init = self.b.create_block();
        let join = self.b.create_block();
        let base_p = self.b.append_block_param(join, types::I64);
        self.b
            .ins()
            .brif(known, join, &[BlockArg::Value(base)], init, &[]);
        self.b.switch_to_block(init);
        self.b.seal_block(init);
        self.b.set_cold_block(init);
        let fresh = self
            .call_helper(
                runtime::rt_globals_base as *const () as usize,
                SigKind::P2R64,
                &[self.ctx, cell],
            )
            .expect("returns");
        self.b.ins().jump(join, &[BlockArg::Value(fresh)]);
        self.b.switch_to_block(join);
        self.b.seal_block(join);
        self.emit_get_global_at(pc, st, dst, g, base_p);
    }

    /// `R[dst] = G[g]` given the address of global slot 0.
    fn emit_get_global_at(&mut self, pc: u32, st: &State, dst: Reg, g: u32, base_p: Value) {
        let p = self.b.ins().iadd_imm_s(base_p, g as i64 * 16);
        let t = self.b.ins().load(types::I8, flags(), p, 0);
        if self.speculate_callee(pc, st, dst, g, p, t) {
            return;
        }
        if self.opts.spec {
            // An unbound global ends the program with an error: leave for the interpreter,
            // which raises it. A side exit (not a helper call) keeps the unboxed values of
            // hot loops out of call-crossing live ranges, which the register allocator
            // would otherwise spill.
            let bound = self
                .b
                .ins()
                .icmp_imm_s(IntCC::NotEqual, t, tag::UNDEF as i64);
            self.deopt_unless(bound, st, pc, Why::Guard);
            if !st[dst as usize].scalar {
                self.clear_if_heap(dst);
            }
            let done = self.b.create_block();
            self.copy_boxed(p, 0, t, dst, done);
            self.b.switch_to_block(done);
            self.b.seal_block(done);
            return;
        }
        let unbound = self.b.ins().icmp_imm_s(IntCC::Equal, t, tag::UNDEF as i64);
        let slow = self.b.create_block();
        let fast = self.b.create_block();
        let done = self.b.create_block();
        self.b.ins().brif(unbound, slow, &[], fast, &[]);
        self.b.switch_to_block(slow);
        self.b.seal_block(slow);
        self.b.set_cold_block(slow);
        self.call_frame_helper(runtime::rt_generic as *const () as usize, pc);
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(fast);
        self.b.seal_block(fast);
        if !st[dst as usize].scalar {
            self.clear_if_heap(dst);
        }
        self.copy_boxed(p, 0, t, dst, done);
        self.b.switch_to_block(done);
        self.b.seal_block(done);
    }

    /// Copies the `Value` at `base + off` (whose tag `t` is already loaded) into `R[dst]`,
    /// whose slot holds no heap value, bumping the reference count of a heap value, then
    /// jumps to `done`. The `Rc` payload points at its `RcBox`, strong count first.
    fn copy_boxed(&mut self, base: Value, off: i32, t: Value, dst: Reg, done: Block) {
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
        let res = self
            .call_helper(
                runtime::rt_truthy as *const () as usize,
                SigKind::P1R32,
                &[addr],
            )
            .expect("returns");
        let v = self.b.ins().ireduce(types::I8, res);
        self.b.ins().jump(join, &[BlockArg::Value(v)]);
        self.b.switch_to_block(join);
        self.b.seal_block(join);
        c
    }
}

/// The fast-path helper for a generic instruction and its packed operand word.
fn fast_helper(instr: &ruff_core::bytecode::Instr) -> Option<(usize, u64)> {
    use ruff_core::bytecode::Instr::*;
    use runtime::op;
    let pack = |a: Reg, b: Reg, c: Reg| a as u64 | (b as u64) << 16 | (c as u64) << 32;
    match *instr {
        GetIndex { dst, obj, idx } => {
            return Some((
                runtime::rt_get_index as *const () as usize,
                pack(obj, idx, dst),
            ))
        }
        SetIndex { obj, idx, src } => {
            return Some((
                runtime::rt_set_index as *const () as usize,
                pack(obj, idx, src),
            ))
        }
        _ => {}
    }
    let (op, dst, a, b) = match *instr {
        Add { dst, a, b } => (op::ADD, dst, a, b),
        Sub { dst, a, b } => (op::SUB, dst, a, b),
        Mul { dst, a, b } => (op::MUL, dst, a, b),
        Lt { dst, a, b } => (op::LT, dst, a, b),
        Le { dst, a, b } => (op::LE, dst, a, b),
        Gt { dst, a, b } => (op::GT, dst, a, b),
        Ge { dst, a, b } => (op::GE, dst, a, b),
        Eq { dst, a, b } => (op::EQ, dst, a, b),
        Ne { dst, a, b } => (op::NE, dst, a, b),
        Div { dst, a, b } => (op::DIV, dst, a, b),
        Mod { dst, a, b } => (op::MOD, dst, a, b),
        BitAnd { dst, a, b } => (op::AND, dst, a, b),
        BitOr { dst, a, b } => (op::OR, dst, a, b),
        BitXor { dst, a, b } => (op::XOR, dst, a, b),
        Shl { dst, a, b } => (op::SHL, dst, a, b),
        Shr { dst, a, b } => (op::SHR, dst, a, b),
        // The immediate travels in the `b` field (as its 16 bits).
        AddImm { dst, a, imm } => (op::ADD_IMM, dst, a, imm as u16),
        _ => return None,
    };
    let packed = dst as u64 | (a as u64) << 16 | (b as u64) << 32;
    Some((runtime::arith_helper(op), packed))
}
