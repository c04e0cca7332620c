//! Lowering of each planned instruction: generic helper calls, specialized arithmetic,
//! comparisons and branches on unboxed values, `IterNext` over Int ranges, returns, and the
//! edges between blocks (write-backs and hoisted guards).

use cranelift_codegen::ir::{
    condcodes::{FloatCC, IntCC},
    types, BlockArg, InstBuilder, Value,
};
use ruff_core::bytecode::Reg;
use ruff_core::tier::STATUS_RETURN;
use ruff_core::value::tag;

use super::emit::{flags, slot, Emitter, SigKind, Why};
use super::plan::{apply, Action, ArOp, CmpOp, Const, Operand, Plan, Un};
use super::state::{Kind, RegState, State, Ty};
use crate::runtime::layout::{BOOL_BYTE, CTX_RET, PAYLOAD};
use crate::runtime::{self};

impl Emitter<'_, '_> {
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
                let helper = match self.planner.proto.code[pc as usize] {
                    ruff_core::bytecode::Instr::RangePrep { .. } => {
                        runtime::rt_range_prep as *const () as usize
                    }
                    _ => runtime::rt_generic as *const () as usize,
                };
                let ok = self
                    .call_helper(helper, SigKind::P3R32, &[self.ctx, self.regs, pcv])
                    .expect("returns status");
                self.check_ok(ok, pc);
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
            Action::Call { base, argc, method } => {
                self.emit_call(pc, *base, *argc, *method, &guarded);
            }
            Action::Const { dst, val } => {
                self.prepare_dst(&guarded, *dst);
                let (ty, v) = match *val {
                    Const::Int(i) => (Ty::Int, self.iconst(types::I64, i)),
                    Const::Float(f) => (Ty::Float, self.b.ins().f64const(f)),
                    Const::Bool(b) => (Ty::Bool, self.iconst(types::I8, b as i64)),
                };
                self.set(*dst, ty, v);
            }
            Action::Move { dst, src, ty } => {
                let v = self.get(*src, *ty);
                self.prepare_dst(&guarded, *dst);
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
                self.prepare_dst(&guarded, *dst);
                self.set(*dst, *res, v);
            }
            Action::Cmp { op, dst, a, b, ty } => {
                let x = self.get(*a, *ty);
                let y = self.get(*b, *ty);
                let v = self.emit_cmp(*op, *ty, x, y);
                self.prepare_dst(&guarded, *dst);
                self.set(*dst, Ty::Bool, v);
            }
            Action::Unary { op, dst, src, ty } => {
                let x = self.get(*src, *ty);
                let (rty, v) = self.emit_unary(*op, *ty, x);
                self.prepare_dst(&guarded, *dst);
                self.set(*dst, rty, v);
            }
            Action::GetGlobal { dst, g } => self.emit_get_global(pc, &guarded, *dst, *g),
            Action::Nop => {}
            Action::Trap => {
                self.traps.push(pc);
                let exit = self.side_exit(st, pc, Why::NoFeedback);
                self.b.ins().jump(exit, &[]);
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
                self.emit_iter_range(&guarded, *iter, *dst, *exit, pc, fall, branch);
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
        let p = self.b.ins().iadd_imm_s(base_p, g as i64 * 16);
        let t = self.b.ins().load(types::I8, flags(), p, 0);
        let unbound = self.b.ins().icmp_imm_s(IntCC::Equal, t, tag::UNDEF as i64);
        let slow = self.b.create_block();
        let fast = self.b.create_block();
        let done = self.b.create_block();
        self.b.ins().brif(unbound, slow, &[], fast, &[]);
        self.b.switch_to_block(slow);
        self.b.seal_block(slow);
        self.b.set_cold_block(slow);
        let pcv = self.iconst(types::I32, pc as i64);
        let ok = self
            .call_helper(
                runtime::rt_generic as *const () as usize,
                SigKind::P3R32,
                &[self.ctx, self.regs, pcv],
            )
            .expect("returns");
        self.check_ok(ok, pc);
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(fast);
        self.b.seal_block(fast);
        if !st[dst as usize].scalar {
            self.clear_if_heap(dst);
        }
        let heap = self.is_heap_tag(t);
        let bump = self.b.create_block();
        let copy = self.b.create_block();
        self.b.ins().brif(heap, bump, &[], copy, &[]);
        self.b.switch_to_block(bump);
        self.b.seal_block(bump);
        let rc = self.b.ins().load(types::I64, flags(), p, PAYLOAD);
        let strong = self.b.ins().load(types::I64, flags(), rc, 0);
        let more = self.b.ins().iadd_imm_s(strong, 1);
        self.b.ins().store(flags(), more, rc, 0);
        self.b.ins().jump(copy, &[]);
        self.b.switch_to_block(copy);
        self.b.seal_block(copy);
        let lo = self.b.ins().load(types::I64, flags(), p, 0);
        let hi = self.b.ins().load(types::I64, flags(), p, 8);
        self.b.ins().store(flags(), lo, self.regs, slot(dst));
        self.b.ins().store(flags(), hi, self.regs, slot(dst) + 8);
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(done);
        self.b.seal_block(done);
    }

    /// Before defining `dst` unboxed. Nothing to do: a slot that may hold a heap value is
    /// only cleared if the value is ever written back (`Emitter::write_back`).
    fn prepare_dst(&mut self, _st: &State, _dst: Reg) {}

    /// Truthiness (i8 0/1) of an unboxed value.
    fn truth(&mut self, ty: Ty, v: Value) -> Value {
        match ty {
            Ty::Bool => v,
            Ty::Int => self.b.ins().icmp_imm_s(IntCC::NotEqual, v, 0),
            Ty::Float => {
                // -0.0 is falsy and NaN truthy: exactly `v != 0.0` (unordered counts as !=).
                let z = self.b.ins().f64const(0.0);
                self.b.ins().fcmp(FloatCC::NotEqual, v, z)
            }
        }
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

    #[allow(clippy::too_many_arguments)]
    fn emit_arith(
        &mut self,
        pc: u32,
        st: &State,
        op: ArOp,
        a: Reg,
        b: Operand,
        lt: Ty,
        rt: Ty,
        res: Ty,
    ) -> Value {
        let x = self.get(a, lt);
        let y = match b {
            Operand::Reg(r) => self.get(r, rt),
            Operand::Imm(i) if res == Ty::Float => return self.float_op(op, x, lt, i),
            Operand::Imm(i) => self.iconst(types::I64, i),
        };
        if res == Ty::Float {
            let x = self.to_float(x, lt);
            let y = self.to_float(y, rt);
            return match op {
                ArOp::Add => self.b.ins().fadd(x, y),
                ArOp::Sub => self.b.ins().fsub(x, y),
                ArOp::Mul => self.b.ins().fmul(x, y),
                _ => self.b.ins().fdiv(x, y),
            };
        }
        match op {
            ArOp::Add => self.b.ins().iadd(x, y),
            ArOp::Sub => self.b.ins().isub(x, y),
            ArOp::Mul => self.b.ins().imul(x, y),
            ArOp::And => self.b.ins().band(x, y),
            ArOp::Or => self.b.ins().bor(x, y),
            ArOp::Xor => self.b.ins().bxor(x, y),
            ArOp::Shl | ArOp::Shr => {
                // A count outside 0..63 is an error: the interpreter raises it after a deopt.
                let ok = self
                    .b
                    .ins()
                    .icmp_imm_s(IntCC::UnsignedLessThanOrEqual, y, 63);
                self.deopt_unless(ok, st, pc, Why::Shift);
                if op == ArOp::Shl {
                    self.b.ins().ishl(x, y)
                } else {
                    self.b.ins().sshr(x, y)
                }
            }
            ArOp::Div | ArOp::Mod => {
                // Division by zero: the interpreter raises the error after a deopt.
                let nz = self.b.ins().icmp_imm_s(IntCC::NotEqual, y, 0);
                self.deopt_unless(nz, st, pc, Why::Division);
                // MIN / -1 traps in hardware: divide by 1 instead and fix the result
                // (MIN / -1 wraps to MIN = -MIN; x % -1 is 0 = x % 1).
                let m1 = self.b.ins().icmp_imm_s(IntCC::Equal, y, -1);
                let one = self.iconst(types::I64, 1);
                let safe = self.b.ins().select(m1, one, y);
                if op == ArOp::Div {
                    let q = self.b.ins().sdiv(x, safe);
                    let neg = self.b.ins().ineg(x);
                    self.b.ins().select(m1, neg, q)
                } else {
                    self.b.ins().srem(x, safe)
                }
            }
        }
    }

    fn float_op(&mut self, op: ArOp, x: Value, lt: Ty, imm: i64) -> Value {
        let x = self.to_float(x, lt);
        let y = self.b.ins().f64const(imm as f64);
        match op {
            ArOp::Add => self.b.ins().fadd(x, y),
            ArOp::Sub => self.b.ins().fsub(x, y),
            ArOp::Mul => self.b.ins().fmul(x, y),
            _ => self.b.ins().fdiv(x, y),
        }
    }

    fn to_float(&mut self, v: Value, ty: Ty) -> Value {
        match ty {
            Ty::Int => self.b.ins().fcvt_from_sint(types::F64, v),
            _ => v,
        }
    }

    fn emit_cmp(&mut self, op: CmpOp, ty: Ty, x: Value, y: Value) -> Value {
        if ty == Ty::Float {
            let cc = match op {
                CmpOp::Eq => FloatCC::Equal,
                CmpOp::Ne => FloatCC::NotEqual,
                CmpOp::Lt => FloatCC::LessThan,
                CmpOp::Le => FloatCC::LessThanOrEqual,
                CmpOp::Gt => FloatCC::GreaterThan,
                CmpOp::Ge => FloatCC::GreaterThanOrEqual,
            };
            return self.b.ins().fcmp(cc, x, y);
        }
        let cc = match op {
            CmpOp::Eq => IntCC::Equal,
            CmpOp::Ne => IntCC::NotEqual,
            CmpOp::Lt => IntCC::SignedLessThan,
            CmpOp::Le => IntCC::SignedLessThanOrEqual,
            CmpOp::Gt => IntCC::SignedGreaterThan,
            CmpOp::Ge => IntCC::SignedGreaterThanOrEqual,
        };
        self.b.ins().icmp(cc, x, y)
    }

    fn emit_unary(&mut self, op: Un, ty: Ty, x: Value) -> (Ty, Value) {
        match (op, ty) {
            (Un::Neg, Ty::Float) => (ty, self.b.ins().fneg(x)),
            (Un::Neg, _) => (ty, self.b.ins().ineg(x)),
            (Un::BitNot, _) => (ty, self.b.ins().bnot(x)),
            (Un::Truthy, _) => (Ty::Bool, self.truth(ty, x)),
            (Un::Not, _) => {
                let t = self.truth(ty, x);
                (Ty::Bool, self.b.ins().bxor_imm_s(t, 1))
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn emit_iter_range(
        &mut self,
        st: &State,
        iter: Reg,
        dst: Reg,
        exit: u32,
        pc: u32,
        fall: State,
        branch: Option<State>,
    ) {
        let next = self.get(iter, Ty::Int);
        let stop = self.get(iter + 1, Ty::Int);
        let step = self.get(iter + 2, Ty::Int);
        let up = self.b.ins().icmp_imm_s(IntCC::SignedGreaterThan, step, 0);
        let below = self.b.ins().icmp(IntCC::SignedLessThan, next, stop);
        let above = self.b.ins().icmp(IntCC::SignedGreaterThan, next, stop);
        let more = self.b.ins().select(up, below, above);
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
        // Past i64's end the range is over: clamp to `stop`, as the interpreter does.
        let (sum, of) = self.b.ins().sadd_overflow(next, step);
        let advanced = self.b.ins().select(of, stop, sum);
        self.prepare_dst(st, dst);
        self.set(iter, Ty::Int, advanced);
        self.set(dst, Ty::Int, next);
        self.jump_edge(fall, pc + 1);
    }

    /// Does the edge from `from` into the block at `pc` need code of its own?
    fn edge_needs_code(&self, from: &State, pc: u32) -> bool {
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
    fn edge_target(&mut self, from: &State, pc: u32) -> (cranelift_codegen::ir::Block, bool) {
        if self.edge_needs_code(from, pc) {
            (self.b.create_block(), true)
        } else {
            (self.block_of(pc).1, false)
        }
    }

    /// `brif c` to two edges.
    fn branch_edges(&mut self, c: Value, then: (State, u32), els: (State, u32)) {
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
                    self.guard_load(r as Reg, ty, &from, pc, Why::Hoisted);
                    from[r] = RegState::unboxed(ty, false);
                }
            }
        }
        self.b.ins().jump(blk, &[]);
    }
}
