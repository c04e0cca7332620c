//! Calls. `CallMethod` and calls whose callee is not compiled go through `Vm::exec_call`.
//! A `Call` first tries a direct JIT-to-JIT call: if `R[base]` is a closure whose prototype
//! has compiled code (the tier's direct-call table, indexed by prototype id), with a
//! matching arity and depth below the limit, the callee's code is called natively on the
//! frame window `R[base+1..]` (arguments become parameters in place). The callee's outcome:
//! - `STATUS_RETURN`: move `ctx.ret` into `R[base]` (releasing the closure reference there);
//! - `STATUS_DEOPT`: the callee frame is written back; `rt_callee_deopt` records the deopt
//!   and finishes it in the interpreter;
//! - `STATUS_ERROR`: the callee traced itself; this frame traces the call and fails too.
//!
//! The stack cannot overflow on this path: the tier only enables direct calls when
//! `MAX_DEPTH` frames of the largest prototype fit the VM's value stack.

use cranelift_codegen::ir::{condcodes::IntCC, types, BlockArg, InstBuilder};
use ruff_core::bytecode::Reg;
use ruff_core::value::tag;
use ruff_core::vm::MAX_DEPTH;

use super::emit::{flags, slot, Emitter, SigKind, Why};
use super::state::State;
use super::DIRECT_ENTRY;
use crate::runtime::layout::{
    CLOSURE_PROTO, CTX_DEPTH, CTX_RET, PAYLOAD, PROTO_ARITY, PROTO_ID, RC_VALUE,
};
use crate::runtime::{self};

/// What a `GetGlobal` that speculated on its callee tells the `Call` at `call_pc`: `R[base]`
/// holds a closure whose prototype has id `id` (and the call's arity).
#[derive(Clone, Copy)]
pub struct KnownCallee {
    pub call_pc: u32,
    pub base: Reg,
    pub id: u32,
}

impl Emitter<'_, '_> {
    pub fn emit_call(&mut self, pc: u32, base: Reg, argc: u8, method: bool, st: &State) {
        // The callee reads the callee slot and the arguments (for `CallMethod` the receiver
        // too). Its frame overlaps every register above them: those are temporaries the
        // compiler never reads after the call, and the state marks them boxed afterwards.
        let mut s = st.clone();
        let last = base as usize + argc as usize + usize::from(method);
        self.write_back_where(&mut s, |r| (base as usize..=last).contains(&r));
        if self.opts.call_table == 0 {
            self.call_through_vm(pc, base, argc, method);
            return;
        }
        let slow = self.b.create_block();
        let done = self.b.create_block();
        if method {
            // The VM looks the method up (and stores it in R[base]); its compiled code is
            // then called directly on the window that starts with the receiver.
            let pcv = self.iconst(types::I32, pc as i64);
            let entry = self
                .call_helper(
                    runtime::rt_method_target as *const () as usize,
                    SigKind::P3R64,
                    &[self.ctx, self.regs, pcv],
                )
                .expect("returns");
            let found = self.b.ins().icmp_imm_s(IntCC::NotEqual, entry, 0);
            self.next_check(found, slow);
            let clo = self
                .b
                .ins()
                .load(types::I64, flags(), self.regs, slot(base) + PAYLOAD);
            let proto = self.b.ins().load(types::I64, flags(), clo, CLOSURE_PROTO);
            let id64 = self.b.ins().uload32(flags(), proto, PROTO_ID);
            let id = self.b.ins().ireduce(types::I32, id64);
            self.finish_direct_call(pc, base, argc, true, entry, id, slow, done);
            return;
        }
        if let Some(k) = self
            .known_callee
            .take()
            .filter(|k| k.call_pc == pc && k.base == base)
        {
            // The `GetGlobal` that filled R[base] checked the closure's prototype already.
            let at = self.iconst(
                types::I64,
                (self.opts.call_table + 8 * k.id as usize) as i64,
            );
            let entry = self.b.ins().load(types::I64, flags(), at, 0);
            let id = self.iconst(types::I32, k.id as i64);
            self.finish_direct_call(pc, base, argc, false, entry, id, slow, done);
            return;
        }

        // Is R[base] a closure...
        let t = self.load_tag(base);
        let is_fn = self.b.ins().icmp_imm_s(IntCC::Equal, t, tag::FUNC as i64);
        self.next_check(is_fn, slow);
        let clo = self
            .b
            .ins()
            .load(types::I64, flags(), self.regs, slot(base) + PAYLOAD);
        let proto = self.b.ins().load(types::I64, flags(), clo, CLOSURE_PROTO);
        let table = self.iconst(types::I64, self.opts.call_table as i64);
        let (entry, id) = match self.expected_callee(pc, base, argc) {
            // ... of the prototype the global it was read from held at compile time (its
            // arity and id are then known: one comparison instead of two loads and a check;
            // the program keeps the prototype alive, so its address cannot be reused) ...
            Some((known, known_id)) => {
                let k = self.iconst(types::I64, known as i64);
                let same = self.b.ins().icmp(IntCC::Equal, proto, k);
                self.next_check(same, slow);
                let at = self.iconst(
                    types::I64,
                    (self.opts.call_table + 8 * known_id as usize) as i64,
                );
                let entry = self.b.ins().load(types::I64, flags(), at, 0);
                (entry, self.iconst(types::I32, known_id as i64))
            }
            // ... or of any prototype with the right arity ...
            None => {
                let arity = self
                    .b
                    .ins()
                    .uload16(types::I32, flags(), proto, PROTO_ARITY);
                let ok = self.b.ins().icmp_imm_s(IntCC::Equal, arity, argc as i64);
                self.next_check(ok, slow);
                // `uload32` zero-extends the u32 id to i64.
                let id64 = self.b.ins().uload32(flags(), proto, PROTO_ID);
                let id = self.b.ins().ireduce(types::I32, id64);
                let off = self.b.ins().ishl_imm_s(id64, 3);
                let at = self.b.ins().iadd(table, off);
                (self.b.ins().load(types::I64, flags(), at, 0), id)
            }
        };
        self.finish_direct_call(pc, base, argc, false, entry, id, slow, done);
    }

    /// The rest of a direct call once the callee closure is in `R[base]` and its code
    /// `entry` (0 if none) and prototype `id` are known: `slow` is the general path, `done`
    /// the join.
    #[allow(clippy::too_many_arguments)]
    fn finish_direct_call(
        &mut self,
        pc: u32,
        base: Reg,
        argc: u8,
        method: bool,
        entry: cranelift_codegen::ir::Value,
        id: cranelift_codegen::ir::Value,
        slow: cranelift_codegen::ir::Block,
        done: cranelift_codegen::ir::Block,
    ) {
        // ... whose prototype is compiled ...
        let compiled = self.b.ins().icmp_imm_s(IntCC::NotEqual, entry, 0);
        self.next_check(compiled, slow);
        // ... and a call that stays within the depth limit?
        let depth = self.b.ins().load(types::I32, flags(), self.ctx, CTX_DEPTH);
        let room = self
            .b
            .ins()
            .icmp_imm_s(IntCC::UnsignedLessThan, depth, MAX_DEPTH as i64);
        self.next_check(room, slow);

        let deeper = self.b.ins().iadd_imm_s(depth, 1);
        self.b.ins().store(flags(), deeper, self.ctx, CTX_DEPTH);
        let callee_regs = self.b.ins().iadd_imm_s(self.regs, slot(base + 1) as i64);
        let how = self.iconst(types::I32, DIRECT_ENTRY as i64);
        let status = self.call_entry(entry, &[self.ctx, callee_regs, how]);
        // Values needed after the call are reloaded or recomputed rather than kept: each
        // one kept alive across the call costs a callee-saved register, saved and restored
        // by every call of this function (leaves included).
        self.adjust_depth(-1);

        // Anything but `STATUS_RETURN` (0) leaves the hot path: a deopt is finished in the
        // interpreter (then the result is in `ctx.ret` as after a return), an error fails.
        let returned = self.b.create_block();
        let unusual = self.b.create_block();
        self.b.ins().brif(status, unusual, &[], returned, &[]);
        self.b.switch_to_block(unusual);
        self.b.seal_block(unusual);
        self.b.set_cold_block(unusual);
        let is_deopt = self.b.ins().icmp_imm_s(IntCC::Equal, status, 1);
        let deopt = self.b.create_block();
        let err = self.error_block();
        let pcv = self.iconst(types::I32, pc as i64);
        self.b
            .ins()
            .brif(is_deopt, deopt, &[], err, &[BlockArg::Value(pcv)]);
        self.b.switch_to_block(deopt);
        self.b.seal_block(deopt);
        // The interpreter finishes the callee's frame, which the depth still counts.
        self.adjust_depth(1);
        let callee_regs = self.b.ins().iadd_imm_s(self.regs, slot(base + 1) as i64);
        let table = self.iconst(types::I64, self.opts.call_table as i64);
        let resumed = self
            .call_helper(
                runtime::rt_callee_deopt as *const () as usize,
                SigKind::P5R32,
                &[self.ctx, callee_regs, table, id, entry],
            )
            .expect("returns");
        self.adjust_depth(-1);
        self.b
            .ins()
            .brif(resumed, returned, &[], err, &[BlockArg::Value(pcv)]);
        self.b.switch_to_block(returned);
        self.b.seal_block(returned);

        // Release the closure reference in R[base] (inline unless it is the last one),
        // then move the result in.
        // R[base] still holds the closure (a callee never writes its `R[-1]`).
        let clo = self
            .b
            .ins()
            .load(types::I64, flags(), self.regs, slot(base) + PAYLOAD);
        self.release_slot_ref(base, clo);
        let lo = self.b.ins().load(types::I64, flags(), self.ctx, CTX_RET);
        let hi = self
            .b
            .ins()
            .load(types::I64, flags(), self.ctx, CTX_RET + 8);
        self.b.ins().store(flags(), lo, self.regs, slot(base));
        self.b.ins().store(flags(), hi, self.regs, slot(base) + 8);
        let null = self.iconst(types::I8, tag::NULL as i64);
        self.b.ins().store(flags(), null, self.ctx, CTX_RET);
        self.b.ins().jump(done, &[]);

        self.b.switch_to_block(slow);
        self.b.seal_block(slow);
        self.call_through_vm(pc, base, argc, method);
        self.b.ins().jump(done, &[]);

        self.b.switch_to_block(done);
        self.b.seal_block(done);
    }

    /// `R[dst] = G[g]` (slot address `p`, tag `t` loaded) when the value is next used as the
    /// callee of a `Call` in this block and, at compile time, `G[g]` holds a closure of the
    /// call's arity: speculates that it still holds a closure of that prototype (a side exit
    /// at this pc otherwise — also for an unbound global, whose error the interpreter
    /// raises) and tells the `Call` (`known_callee`), which then needs no checks of its own.
    /// Returns false (nothing emitted) when the speculation does not apply.
    pub fn speculate_callee(
        &mut self,
        pc: u32,
        st: &State,
        dst: Reg,
        g: u32,
        p: cranelift_codegen::ir::Value,
        t: cranelift_codegen::ir::Value,
    ) -> bool {
        if self.opts.call_table == 0 || !self.planner.may_speculate(pc) {
            return false;
        }
        let Some((call_pc, argc)) = self.call_using(pc, dst) else {
            return false;
        };
        let Some((known, id)) = self.global_closure(g, argc) else {
            return false;
        };
        self.guards += 1;
        let is_fn = self.b.ins().icmp_imm_s(IntCC::Equal, t, tag::FUNC as i64);
        self.deopt_unless(is_fn, st, pc, Why::Guard);
        let clo = self.b.ins().load(types::I64, flags(), p, PAYLOAD);
        let proto = self.b.ins().load(types::I64, flags(), clo, CLOSURE_PROTO);
        let k = self.iconst(types::I64, known as i64);
        let same = self.b.ins().icmp(IntCC::Equal, proto, k);
        self.deopt_unless(same, st, pc, Why::Guard);
        if !st[dst as usize].scalar {
            self.clear_if_heap(dst);
        }
        let strong = self.b.ins().load(types::I64, flags(), clo, 0);
        let more = self.b.ins().iadd_imm_s(strong, 1);
        self.b.ins().store(flags(), more, clo, 0);
        let f = self.iconst(types::I8, tag::FUNC as i64);
        self.b.ins().store(flags(), f, self.regs, slot(dst));
        self.b
            .ins()
            .store(flags(), clo, self.regs, slot(dst) + PAYLOAD);
        self.known_callee = Some(KnownCallee {
            call_pc,
            base: dst,
            id,
        });
        true
    }

    /// The `Call` (its pc and argc) whose callee register is `dst` and which uses it before
    /// anything else reads or writes it, in the same basic block as `pc`.
    fn call_using(&self, pc: u32, dst: Reg) -> Option<(u32, u8)> {
        let q = self.planner.call_using(pc, dst)?;
        match self.planner.proto.code[q as usize] {
            ruff_core::bytecode::Instr::Call { argc, .. } => Some((q, argc)),
            _ => None,
        }
    }

    /// The prototype (its `Rc` allocation's address, as a closure stores it) and id of the
    /// callee a `Call` at `pc` most likely calls: when `R[base]` was last written by a
    /// `GetGlobal` whose global holds, at compile time, a closure of arity `argc`. Only a
    /// hint: the call checks the prototype before relying on it.
    fn expected_callee(&self, pc: u32, base: Reg, argc: u8) -> Option<(usize, u32)> {
        let (_, g) = self.planner.global_feeding(pc, base)?;
        self.global_closure(g, argc)
    }

    /// The prototype (address and id) of the closure of arity `argc` that global `g` holds
    /// at compile time, if it holds one.
    fn global_closure(&self, g: u32, argc: u8) -> Option<(usize, u32)> {
        // SAFETY: `globals_cell` is the tier's cache word; once non-zero it holds the address
        // of the running VM's global slot 0, and the VM (alive while it compiles) has a slot
        // for every global index the compiler emitted. Compilation runs on the VM's thread.
        let base_addr = unsafe { *(self.opts.globals_cell as *const usize) };
        if base_addr == 0 {
            return None;
        }
        // SAFETY: as above; the value is only inspected, not moved.
        let global = unsafe { &*(base_addr as *const ruff_core::value::Value).add(g as usize) };
        match global {
            ruff_core::value::Value::Func(c) if c.proto.arity as usize == argc as usize => {
                let addr = std::rc::Rc::as_ptr(&c.proto) as usize - RC_VALUE as usize;
                Some((addr, c.proto.id))
            }
            _ => None,
        }
    }

    /// Adds `by` to `ctx.depth`.
    fn adjust_depth(&mut self, by: i64) {
        let d = self.b.ins().load(types::I32, flags(), self.ctx, CTX_DEPTH);
        let d = self.b.ins().iadd_imm_s(d, by);
        self.b.ins().store(flags(), d, self.ctx, CTX_DEPTH);
    }

    /// The two-argument `Call` at `pc` through `rt_call_push` (a `push` done there, anything
    /// else by the VM's general call).
    pub fn call_push_helper(&mut self, pc: u32, base: Reg) {
        let pcv = self.iconst(types::I32, pc as i64);
        let b = self.iconst(types::I64, base as i64);
        let ok = self
            .call_helper(
                runtime::rt_call_push as *const () as usize,
                SigKind::P4R32,
                &[self.ctx, self.regs, pcv, b],
            )
            .expect("returns");
        self.check_ok(ok, pc);
    }

    /// Continues in a new block if `ok`, else goes to `fail` (whose predecessors are only
    /// known at the end, so it is sealed by the caller).
    fn next_check(&mut self, ok: cranelift_codegen::ir::Value, fail: cranelift_codegen::ir::Block) {
        let next = self.b.create_block();
        self.b.ins().brif(ok, next, &[], fail, &[]);
        self.b.switch_to_block(next);
        self.b.seal_block(next);
    }

    /// A call of the builtin `id`, which the `GetGlobal` that filled `R[base]` checked:
    /// `push`/`append` inline (`clears`: see `Action::CallBuiltin`), others through the VM.
    pub fn emit_call_builtin(
        &mut self,
        pc: u32,
        base: Reg,
        argc: u8,
        id: u8,
        clears: bool,
        st: &State,
    ) {
        let mut s = st.clone();
        let last = base as usize + argc as usize;
        self.write_back_where(&mut s, |r| (base as usize..=last).contains(&r));
        use ruff_core::builtins::id::{APPEND, PUSH};
        if argc == 2 && matches!(id, PUSH | APPEND) && self.emit_push(pc, base, true, clears) {
            return;
        }
        assert!(!clears, "only an inlined push clears its registers");
        self.call_frame_helper(runtime::rt_call as *const () as usize, pc);
    }

    fn call_through_vm(&mut self, pc: u32, base: Reg, argc: u8, method: bool) {
        if !method && argc == 2 && self.emit_push(pc, base, false, false) {
            return;
        }
        if !method && argc == 2 {
            // Possibly `push(array, v)`: the helper does it without the general call path.
            self.call_push_helper(pc, base);
            return;
        }
        self.call_frame_helper(runtime::rt_call as *const () as usize, pc);
    }
}
