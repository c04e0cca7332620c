//! Calls, as planned (`plan/calls.rs`). `CallMethod` and calls whose callee is not compiled
//! go through the VM (`Helper::Call`).
//! A `Call` first tries a direct JIT-to-JIT call: if `R[base]` is a closure whose prototype
//! has compiled code (the tier's direct-call table, indexed by prototype id), with a
//! matching arity and depth below the limit, the callee's code is called natively on the
//! frame window `R[base+1..]` (arguments become parameters in place). The callee's outcome:
//! - `Status::Return`: move `ctx.ret` into `R[base]` (releasing the closure reference there);
//! - `Status::Deopt`: the callee frame is written back; `rt_callee_deopt` records the deopt
//!   and finishes it in the interpreter;
//! - `Status::Error`: the callee traced itself; this frame traces the call and fails too.
//!
//! The stack cannot overflow on this path: the tier only enables direct calls when
//! `MAX_DEPTH` frames of the largest prototype fit the VM's value stack.

use cranelift_codegen::ir::{condcodes::IntCC, types, Block, BlockArg, InstBuilder, Value};
use ruff_core::abi::bytecode::Reg;
use ruff_core::abi::helpers::Helper;
use ruff_core::abi::layout::{CLOSURE_PROTO, CTX_DEPTH, PAYLOAD, PROTO_ARITY, PROTO_ID};
use ruff_core::abi::{tag, DIRECT_ENTRY, MAX_DEPTH};

use super::{flags, slot, Emitter};
use crate::translate::plan::state::{State, Ty};
use crate::translate::plan::{CallTarget, InlinePush};

impl Emitter<'_, '_> {
    /// Before a direct call of the callee in slot `base`: goes to `slow` unless the call
    /// stays within the depth limit, counts the callee's frame, and returns its register
    /// pointer.
    pub(super) fn count_callee_frame(&mut self, base: Reg, slow: Block) -> Value {
        let depth = self.b.ins().load(types::I32, flags(), self.ctx, CTX_DEPTH);
        let room = self
            .b
            .ins()
            .icmp_imm_s(IntCC::UnsignedLessThan, depth, MAX_DEPTH as i64);
        self.next_check(room, slow);
        let deeper = self.b.ins().iadd_imm_s(depth, 1);
        self.b.ins().store(flags(), deeper, self.ctx, CTX_DEPTH);
        self.b.ins().iadd_imm_s(self.regs, slot(base + 1) as i64)
    }

    /// After a direct call at `pc` (callee slot `base`) returned a `status` that is not ok:
    /// branches to the error block unless it is `Deopt`, and continues in the deopt block,
    /// where the callee's frame (written back by its side exit) is counted in the depth
    /// again, since the interpreter finishes it. Returns the callee's register pointer, and
    /// the error block with its argument (the pc) for the deopt path's own failure.
    pub(super) fn callee_deopt_or_error(
        &mut self,
        status: Value,
        pc: u32,
        base: Reg,
    ) -> (Value, Block, Value) {
        let deopt_code = ruff_core::abi::Status::Deopt.code() as i64;
        let is_deopt = self.b.ins().icmp_imm_s(IntCC::Equal, status, deopt_code);
        let deopt = self.b.create_block();
        let err = self.error_block();
        let pcv = self.iconst(types::I32, pc as i64);
        self.b
            .ins()
            .brif(is_deopt, deopt, &[], err, &[BlockArg::Value(pcv)]);
        self.b.switch_to_block(deopt);
        self.b.seal_block(deopt);
        self.adjust_depth(1);
        let callee_regs = self.b.ins().iadd_imm_s(self.regs, slot(base + 1) as i64);
        (callee_regs, err, pcv)
    }

    /// A `Call` (`method` false) or `CallMethod` at `pc`: directly to compiled code first
    /// when `direct` (the planner's knowledge of the callee), else and on every other path
    /// through the VM; `push`: how a possible `push(array, v)` is done.
    /// `typed_result`: the planner keeps the result of this self-call unboxed
    /// (`emit/typed.rs`).
    pub fn emit_call(
        &mut self,
        pc: u32,
        (base, argc, method): (Reg, u8, bool),
        direct: Option<CallTarget>,
        push: Option<InlinePush>,
        typed_result: Option<Ty>,
        st: &State,
    ) {
        // The callee reads the callee slot and the arguments (for `CallMethod` the receiver
        // too). Its frame overlaps every register above them: those are temporaries the
        // compiler never reads after the call, and the state marks them boxed afterwards.
        let typed = match (direct, method) {
            (Some(target), false) => self
                .typed_call_target(base, argc, direct, st)
                .map(|t| (target, t)),
            _ => None,
        };
        // The planner keeps a result unboxed only for calls made through a typed entry.
        debug_assert!(
            typed_result.is_none() || typed.is_some(),
            "typed result without typed call"
        );
        if let Some((target, callee)) = typed {
            self.emit_typed_call(pc, (base, argc), target, callee, push, typed_result, st);
            return;
        }
        let mut s = st.clone();
        let last = base as usize + argc as usize + usize::from(method);
        self.write_back_where(&mut s, |r| (base as usize..=last).contains(&r));
        let (Some(target), Some(table)) = (direct, self.opts.call_table) else {
            self.call_through_vm(pc, base, push);
            return;
        };
        let table = table as i64;
        let slow = self.b.create_block();
        let done = self.b.create_block();
        let (entry, id) = match target {
            CallTarget::Method => {
                // The VM looks the method up (and stores it in R[base]); its compiled code is
                // then called directly on the window that starts with the receiver.
                let pcv = self.iconst(types::I32, pc as i64);
                let entry = self
                    .call_helper(Helper::MethodTarget, &[self.ctx, self.regs, pcv])
                    .expect("returns");
                let found = self.b.ins().icmp_imm_s(IntCC::NotEqual, entry, 0);
                self.next_check(found, slow);
                (entry, self.callee_proto_id(base))
            }
            CallTarget::KnownMethod { closure_rc, id } => {
                // R[base] = the method, as the VM's method call stores it (a new reference).
                if !s[base as usize].scalar {
                    self.clear_if_heap(base);
                }
                let clo = self.iconst(types::I64, closure_rc as i64);
                let strong = self.b.ins().load(types::I64, flags(), clo, 0);
                let more = self.b.ins().iadd_imm_s(strong, 1);
                self.b.ins().store(flags(), more, clo, 0);
                let t = self.iconst(types::I8, tag::FUNC as i64);
                self.b.ins().store(flags(), t, self.regs, slot(base));
                self.b
                    .ins()
                    .store(flags(), clo, self.regs, slot(base) + PAYLOAD);
                let at = self.iconst(types::I64, table + 8 * id as i64);
                let entry = self.b.ins().load(types::I64, flags(), at, 0);
                (entry, self.iconst(types::I32, id as i64))
            }
            CallTarget::Known { id } => {
                // The `GetGlobal` that filled R[base] checked the closure's prototype already.
                let at = self.iconst(types::I64, table + 8 * id as i64);
                let entry = self.b.ins().load(types::I64, flags(), at, 0);
                (entry, self.iconst(types::I32, id as i64))
            }
            CallTarget::Expected(callee) => {
                // A closure of the prototype the global it was read from held at compile
                // time: its arity and id are then known (one comparison instead of two
                // loads and a check; the program keeps the prototype alive, so its address
                // cannot be reused).
                let proto = self.closure_proto(base, slow);
                let k = self.iconst(types::I64, callee.proto.word() as i64);
                let same = self.b.ins().icmp(IntCC::Equal, proto, k);
                self.next_check(same, slow);
                let at = self.iconst(types::I64, table + 8 * callee.id as i64);
                let entry = self.b.ins().load(types::I64, flags(), at, 0);
                (entry, self.iconst(types::I32, callee.id as i64))
            }
            CallTarget::Any => {
                // Any closure of the right arity.
                let proto = self.closure_proto(base, slow);
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
                let t = self.iconst(types::I64, table);
                let at = self.b.ins().iadd(t, off);
                (self.b.ins().load(types::I64, flags(), at, 0), id)
            }
        };
        self.finish_direct_call(pc, base, entry, id, push, slow, done);
    }

    /// The prototype pointer of the closure in `R[base]`, branching to `slow` unless it
    /// holds one.
    pub(super) fn closure_proto(&mut self, base: Reg, slow: Block) -> Value {
        let t = self.load_tag(base);
        let is_fn = self.b.ins().icmp_imm_s(IntCC::Equal, t, tag::FUNC as i64);
        self.next_check(is_fn, slow);
        let clo = self
            .b
            .ins()
            .load(types::I64, flags(), self.regs, slot(base) + PAYLOAD);
        self.b.ins().load(types::I64, flags(), clo, CLOSURE_PROTO)
    }

    /// The prototype id (i32) of the closure `R[base]` certainly holds.
    fn callee_proto_id(&mut self, base: Reg) -> Value {
        let clo = self
            .b
            .ins()
            .load(types::I64, flags(), self.regs, slot(base) + PAYLOAD);
        let proto = self.b.ins().load(types::I64, flags(), clo, CLOSURE_PROTO);
        let id64 = self.b.ins().uload32(flags(), proto, PROTO_ID);
        self.b.ins().ireduce(types::I32, id64)
    }

    /// The rest of a direct call once the callee closure is in `R[base]` and its code
    /// `entry` (0 if none) and prototype `id` are known: `slow` is the general path, `done`
    /// the join.
    #[allow(clippy::too_many_arguments)]
    fn finish_direct_call(
        &mut self,
        pc: u32,
        base: Reg,
        entry: Value,
        id: Value,
        push: Option<InlinePush>,
        slow: Block,
        done: Block,
    ) {
        // ... whose prototype is compiled ...
        let compiled = self.b.ins().icmp_imm_s(IntCC::NotEqual, entry, 0);
        self.next_check(compiled, slow);
        // ... and a call that stays within the depth limit?
        let callee_regs = self.count_callee_frame(base, slow);
        let how = self.iconst(types::I32, DIRECT_ENTRY as i64);
        let status = self.call_entry(entry, &[self.ctx, callee_regs, how]);
        // Values needed after the call are reloaded or recomputed rather than kept: each
        // one kept alive across the call costs a callee-saved register, saved and restored
        // by every call of this function (leaves included).
        self.adjust_depth(-1);

        // Anything but `Status::Return` (0) leaves the hot path: a deopt is finished in the
        // interpreter (then the result is in `ctx.ret` as after a return), an error fails.
        const _: () = assert!(ruff_core::abi::Status::Return.code() == 0);
        let returned = self.b.create_block();
        let unusual = self.b.create_block();
        self.b.ins().brif(status, unusual, &[], returned, &[]);
        self.b.switch_to_block(unusual);
        self.b.seal_block(unusual);
        self.b.set_cold_block(unusual);
        let (callee_regs, err, pcv) = self.callee_deopt_or_error(status, pc, base);
        let table = self.opts.call_table.expect("direct calls have a table") as i64;
        let table = self.iconst(types::I64, table);
        let resumed = self
            .call_helper(
                Helper::CalleeDeopt,
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
        self.release_callee(base);
        self.take_ctx_ret(base);
        self.b.ins().jump(done, &[]);

        self.b.switch_to_block(slow);
        self.b.seal_block(slow);
        self.call_through_vm(pc, base, push);
        self.b.ins().jump(done, &[]);

        self.b.switch_to_block(done);
        self.b.seal_block(done);
    }

    /// Adds `by` to `ctx.depth`.
    pub(super) fn adjust_depth(&mut self, by: i64) {
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
            .call_helper(Helper::CallPush, &[self.ctx, self.regs, pcv, b])
            .expect("returns");
        self.check_ok(ok, pc);
    }

    /// Continues in a new block if `ok`, else goes to `fail` (whose predecessors are only
    /// known at the end, so it is sealed by the caller).
    pub(super) fn next_check(&mut self, ok: Value, fail: Block) {
        let next = self.b.create_block();
        self.b.ins().brif(ok, next, &[], fail, &[]);
        self.b.switch_to_block(next);
        self.b.seal_block(next);
    }

    /// A call of the builtin `id`, which the `GetGlobal` that filled `R[base]` checked:
    /// `push`/`append` inline when planned, others through the VM.
    pub fn emit_call_builtin(
        &mut self,
        pc: u32,
        base: Reg,
        argc: u8,
        push: Option<InlinePush>,
        st: &State,
    ) {
        let mut s = st.clone();
        let last = base as usize + argc as usize;
        self.write_back_where(&mut s, |r| (base as usize..=last).contains(&r));
        match push {
            Some(InlinePush::Inline { result_used }) => {
                self.emit_push(pc, base, true, result_used, InlinePush::clears(push))
            }
            _ => self.call_frame_helper(Helper::Call, pc),
        }
    }

    /// The general path of a call: through the VM, or the push paths when planned.
    pub(super) fn call_through_vm(&mut self, pc: u32, base: Reg, push: Option<InlinePush>) {
        match push {
            Some(InlinePush::Inline { result_used }) => {
                self.emit_push(pc, base, false, result_used, false)
            }
            // Possibly `push(array, v)`: the helper does it without the general call path.
            Some(InlinePush::Helper) => self.call_push_helper(pc, base),
            None => self.call_frame_helper(Helper::Call, pc),
        }
    }
}
