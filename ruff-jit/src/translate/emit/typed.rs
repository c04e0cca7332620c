//! The typed entry of a function (`plan/typed.rs`) and the calls that use it.
//!
//! A typed body has the signature `(ctx, regs, params...) -> (status, bits)`
//! (`translate::typed_signature`). Its parameters arrive unboxed; their frame slots are
//! written only where the body needs the frame (a side exit, a helper reading them, an error
//! path), exactly as for any dirty unboxed register. Its status is private to compiled code:
//! - `Status::Return` (0): the result is `bits`, of the signature's result type;
//! - [`TYPED_BOXED`]: the result is a boxed value in `ctx.ret` (a `return` of another type);
//! - `Status::Deopt`, `Status::Error`: as for the boxed entry (`abi/ctx.rs`).
//!
//! A direct call whose arguments are unboxed with a typed entry's parameter types (a
//! self-call of this function's own, or a call of another compiled function's, whose
//! addresses the tier recorded: `TypedCallee`) calls the typed entry when that code is still
//! the VM's current code for the callee (the direct-call table holds the boxed entry
//! compiled with it: after a recompile the call takes the general path) and the depth limit
//! allows; the caller counts the call in `ctx.depth`, as for any direct call. A deopt of the
//! callee is finished in the interpreter (`Helper::CalleeDeopt`, with that boxed entry as
//! the code that deoptimized), whose result is in `ctx.ret`.

use cranelift_codegen::ir::{
    condcodes::IntCC, types, BlockArg, FuncRef, InstBuilder, MemFlagsData, Value,
};
use ruff_core::abi::bytecode::Reg;
use ruff_core::abi::helpers::Helper;
use ruff_core::abi::layout::{CTX_RET, PAYLOAD};
use ruff_core::abi::{tag, DeoptReason, Status};

use super::{flags, slot, Emitter};
use crate::translate::plan::state::{State, Ty};
use crate::translate::plan::typed::TypedCall;
use crate::translate::plan::{CallTarget, InlinePush};
use crate::translate::{typed_signature, Body, TypedSig};

/// The typed entry a call uses: its signature, its function's prototype id and its code.
pub struct TypedTarget {
    pub sig: TypedSig,
    pub id: u32,
    pub code: TypedCode,
}

/// Where a typed entry's code is.
pub enum TypedCode {
    /// This function's own two bodies (being built with it).
    Own { typed: FuncRef, boxed: FuncRef },
    /// Another function's finished code, at these addresses.
    Other { typed: usize, boxed: usize },
}

/// Status of a typed entry whose result is a boxed value in `ctx.ret`.
pub const TYPED_BOXED: u32 = 3;
const _: () = assert!(
    TYPED_BOXED != Status::Return.code()
        && TYPED_BOXED != Status::Deopt.code()
        && TYPED_BOXED != Status::Error.code()
);

impl Emitter<'_, '_> {
    /// Returns `status` in this body's convention (a typed body returns no result bits with
    /// it).
    pub fn return_status(&mut self, status: Status) {
        let s = self.iconst(types::I32, status.code() as i64);
        match self.body {
            Body::Boxed => self.b.ins().return_(&[s]),
            Body::Typed => {
                let none = self.iconst(types::I64, 0);
                self.b.ins().return_(&[s, none])
            }
        };
    }

    /// Returns once the result has been stored in `ctx.ret`.
    pub fn return_value_in_ctx(&mut self) {
        match self.body {
            Body::Boxed => self.return_status(Status::Return),
            Body::Typed => {
                let s = self.iconst(types::I32, TYPED_BOXED as i64);
                let none = self.iconst(types::I64, 0);
                self.b.ins().return_(&[s, none]);
            }
        }
    }

    /// In a typed body, a `return` of a register unboxed as the signature's result type
    /// returns it in a register; true if it did. A boxed register is tested: a value of the
    /// result type (e.g. what a boxed call left there) is returned in a register too, and
    /// any other falls through (false) to the boxed return the caller emits next.
    pub fn typed_return(&mut self, src: Reg, st: &State) -> bool {
        let Some(ret) = self.links.as_ref().map(|l| l.sig.ret) else {
            return false;
        };
        if self.body != Body::Typed {
            return false;
        }
        match st[src as usize].ty() {
            Some(ty) if ty == ret => {
                let v = self.get(src, ret);
                self.return_typed(ret, v);
                true
            }
            Some(_) => false,
            None => {
                // The slot keeps the scalar: it holds no reference to hand over.
                let t = self.load_tag(src);
                let same = self.b.ins().icmp_imm_s(IntCC::Equal, t, ret.tag() as i64);
                let hit = self.b.create_block();
                let miss = self.b.create_block();
                self.b.ins().brif(same, hit, &[], miss, &[]);
                self.b.switch_to_block(hit);
                self.b.seal_block(hit);
                let v = self.load_payload(src, ret);
                self.return_typed(ret, v);
                self.b.switch_to_block(miss);
                self.b.seal_block(miss);
                false
            }
        }
    }

    /// Returns the unboxed value `v` of type `ret` with status `Return`.
    fn return_typed(&mut self, ret: Ty, v: Value) {
        let bits = match ret {
            Ty::Int => v,
            Ty::Float => self.b.ins().bitcast(types::I64, MemFlagsData::new(), v),
            Ty::Bool => self.b.ins().uextend(types::I64, v),
        };
        if self.opts.sample_checks {
            self.sample_check();
        }
        let s = self.iconst(types::I32, Status::Return.code() as i64);
        self.b.ins().return_(&[s, bits]);
    }

    /// The entry block of a typed body: the parameters become the unboxed registers of the
    /// entry state, live locals start unbound (as on the direct entry), then pc 0.
    pub fn emit_typed_entry(&mut self, entry: &State) {
        let sig = self
            .links
            .as_ref()
            .expect("a typed body has links")
            .sig
            .clone();
        let blk = self.b.create_block();
        self.b.append_block_params_for_function_params(blk);
        self.b.switch_to_block(blk);
        self.b.seal_block(blk);
        let params = self.b.block_params(blk).to_vec();
        self.set_frame(params[0], params[1]);
        for (r, &ty) in sig.params.iter().enumerate() {
            self.set(r as Reg, ty, params[2 + r]);
        }
        let proto = self.planner.proto;
        for r in proto.arity..proto.num_regs {
            if self.cfg.live_in[0][r as usize] {
                let addr = self.slot_addr(r);
                self.call_helper(Helper::SetUndef, &[addr]);
            }
        }
        self.jump_edge(entry.clone(), 0);
    }

    /// The typed entry the `Call` at `base` (planned with `direct`) in state `st` uses, if
    /// any (the planner's `typed_target`), with the code it calls.
    pub fn typed_call_target(
        &self,
        base: Reg,
        argc: u8,
        direct: Option<CallTarget>,
        st: &State,
    ) -> Option<TypedTarget> {
        let (call, sig) = self.planner.typed_target(st, base, argc, direct)?;
        match call {
            TypedCall::SelfCall => {
                let links = self.links.as_ref()?;
                Some(TypedTarget {
                    sig: sig.clone(),
                    id: self.proto_id(),
                    code: TypedCode::Own {
                        typed: links.typed,
                        boxed: links.boxed,
                    },
                })
            }
            TypedCall::Other(id) => {
                let callee = self.opts.typed_callees.get(id as usize)?.as_ref()?;
                Some(TypedTarget {
                    sig: sig.clone(),
                    id,
                    code: TypedCode::Other {
                        typed: callee.typed,
                        boxed: callee.boxed,
                    },
                })
            }
        }
    }

    /// A direct call through a typed entry (see the module docs); every other case takes
    /// the general path through the VM.
    ///
    /// With `typed_result` (the planner's decision) the result is also kept unboxed: the
    /// typed path has it in a register, the other paths check the type of the value they
    /// leave in `R[base]` and deopt after the call (`pc + 1`) if it is another.
    #[allow(clippy::too_many_arguments)]
    pub fn emit_typed_call(
        &mut self,
        pc: u32,
        (base, argc): (Reg, u8),
        target: CallTarget,
        callee: TypedTarget,
        push: Option<InlinePush>,
        typed_result: Option<Ty>,
        st: &State,
    ) {
        let table = self.opts.call_table.expect("typed calls are direct calls") as i64;
        let slow = self.b.create_block();
        let done = self.b.create_block();
        if let CallTarget::Expected(expected) = target {
            let proto = self.closure_proto(base, slow);
            let k = self.iconst(types::I64, expected.proto.word() as i64);
            let same = self.b.ins().icmp(IntCC::Equal, proto, k);
            self.next_check(same, slow);
        }
        // Is the typed entry's code still the VM's code for the function, and is there room
        // for a call?
        let id = callee.id;
        let at = self.iconst(types::I64, table + 8 * id as i64);
        let current = self.b.ins().load(types::I64, flags(), at, 0);
        let boxed = self.boxed_entry_of(&callee.code);
        let same = self.b.ins().icmp(IntCC::Equal, current, boxed);
        self.next_check(same, slow);
        let callee_regs = self.count_callee_frame(base, slow);
        let mut args = vec![self.ctx, callee_regs];
        for (i, &ty) in callee.sig.params.iter().enumerate() {
            args.push(self.get(base + 1 + i as Reg, ty));
        }
        let call = match callee.code {
            TypedCode::Own { typed, .. } => self.b.ins().call(typed, &args),
            TypedCode::Other { typed, .. } => {
                self.typed_calls.push((pc, id));
                let sig = typed_signature(self.opts.call_conv, &callee.sig);
                let sig = self.b.import_signature(sig);
                let addr = self.iconst(types::I64, typed as i64);
                self.b.ins().call_indirect(sig, addr, &args)
            }
        };
        let (status, bits) = {
            let res = self.b.inst_results(call);
            (res[0], res[1])
        };
        self.adjust_depth(-1);

        let ok = self.b.create_block();
        let unusual = self.b.create_block();
        self.b.ins().brif(status, unusual, &[], ok, &[]);

        self.b.switch_to_block(ok);
        self.b.seal_block(ok);
        self.release_callee(base);
        let ret = callee.sig.ret;
        let v = match ret {
            Ty::Int => bits,
            Ty::Float => self.b.ins().bitcast(types::F64, MemFlagsData::new(), bits),
            Ty::Bool => self.b.ins().ireduce(types::I8, bits),
        };
        self.store_value(self.regs, slot(base), ret, v);
        if typed_result.is_some() {
            self.set(base, ret, v);
        }
        self.b.ins().jump(done, &[]);

        // Not a typed result: a boxed one in `ctx.ret`, a deopt or an error.
        self.b.switch_to_block(unusual);
        self.b.seal_block(unusual);
        self.b.set_cold_block(unusual);
        let boxed = self.b.create_block();
        let other = self.b.create_block();
        let is_boxed = self
            .b
            .ins()
            .icmp_imm_s(IntCC::Equal, status, TYPED_BOXED as i64);
        self.b.ins().brif(is_boxed, boxed, &[], other, &[]);
        self.b.switch_to_block(other);
        self.b.seal_block(other);
        let (callee_regs, err, pcv) = self.callee_deopt_or_error(status, pc, base);
        let t = self.iconst(types::I64, table);
        let idv = self.iconst(types::I32, id as i64);
        let me = self.boxed_entry_of(&callee.code);
        let resumed = self
            .call_helper(Helper::CalleeDeopt, &[self.ctx, callee_regs, t, idv, me])
            .expect("returns");
        self.adjust_depth(-1);
        self.b
            .ins()
            .brif(resumed, boxed, &[], err, &[BlockArg::Value(pcv)]);
        self.b.switch_to_block(boxed);
        self.b.seal_block(boxed);
        self.release_callee(base);
        self.take_ctx_ret(base);
        self.check_result(pc, base, typed_result, st);
        self.b.ins().jump(done, &[]);

        // The general path needs the arguments in the frame.
        self.b.switch_to_block(slow);
        self.b.seal_block(slow);
        let mut s = st.clone();
        let last = base as usize + argc as usize;
        self.write_back_where(&mut s, |r| (base as usize..=last).contains(&r));
        self.call_through_vm(pc, base, push);
        self.check_result(pc, base, typed_result, st);
        self.b.ins().jump(done, &[]);

        self.b.switch_to_block(done);
        self.b.seal_block(done);
    }

    /// The address of the boxed entry compiled with a typed entry.
    fn boxed_entry_of(&mut self, code: &TypedCode) -> Value {
        match *code {
            TypedCode::Own { boxed, .. } => self.b.ins().func_addr(types::I64, boxed),
            TypedCode::Other { boxed, .. } => self.iconst(types::I64, boxed as i64),
        }
    }

    /// On a path that left the call's result boxed in `R[base]`: when the result is kept
    /// unboxed as `typed_result`, check and unbox it (deopt after the call otherwise, with
    /// the frame as the call left it).
    fn check_result(&mut self, pc: u32, base: Reg, typed_result: Option<Ty>, st: &State) {
        let Some(ty) = typed_result else {
            return;
        };
        let mut after = st.clone();
        for x in after.iter_mut().skip(base as usize) {
            *x = crate::translate::plan::state::RegState::BOXED;
        }
        self.guard_load(base, ty, &after, pc + 1, DeoptReason::Guard);
    }

    /// Releases the closure reference `R[base]` holds after a call (a callee never writes
    /// its `R[-1]`).
    pub(super) fn release_callee(&mut self, base: Reg) {
        let clo: Value = self
            .b
            .ins()
            .load(types::I64, flags(), self.regs, slot(base) + PAYLOAD);
        self.release_slot_ref(base, clo);
    }

    /// Moves the value in `ctx.ret` into `R[base]` (whose closure was released), leaving
    /// `ctx.ret` Null.
    pub(super) fn take_ctx_ret(&mut self, base: Reg) {
        let lo = self.b.ins().load(types::I64, flags(), self.ctx, CTX_RET);
        let hi = self
            .b
            .ins()
            .load(types::I64, flags(), self.ctx, CTX_RET + 8);
        self.b.ins().store(flags(), lo, self.regs, slot(base));
        self.b.ins().store(flags(), hi, self.regs, slot(base) + 8);
        let null = self.iconst(types::I8, tag::NULL as i64);
        self.b.ins().store(flags(), null, self.ctx, CTX_RET);
    }
}
