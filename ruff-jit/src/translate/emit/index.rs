//! Inline array access (planned in `plan/index.rs`): `GetIndex`/`SetIndex` on an Array
//! with an Int index, and the `push(array, v)` / `append(array, v)` call.
//!
//! The object's tag, the `RefCell` borrow flag and the bounds (`(idx as u64) < len`, so
//! negative indexes fail it too) are checked inline, using the `ArrayObj` field offsets of
//! `abi::layout::array_layout`. Anything else (another object type, a negative or
//! out-of-range index, a borrowed array, a heap value to store or overwrite) takes a slow
//! path that writes back the registers the instruction reads and calls the helper, which
//! has the interpreter's semantics and error messages. Both paths leave the same abstract
//! state (`plan::index::transfer`).

use cranelift_codegen::ir::{condcodes::IntCC, types, Block, InstBuilder, Value};
use ruff_core::abi::builtin::{APPEND, PUSH};
use ruff_core::abi::bytecode::Reg;
use ruff_core::abi::helpers::{Helper, Operands};
use ruff_core::abi::layout::{array_layout, ArrayLayout, PAYLOAD, VALUE_SIZE};
use ruff_core::abi::{tag, DeoptReason};

use super::{flags, slot, Emitter};
use crate::translate::plan::state::{Kind, State, Ty};
use crate::translate::plan::IndexOp;

impl Emitter<'_, '_> {
    /// Emits an inline access; `st` is the state before it (operand guards done), `fall` the
    /// state after it.
    pub(super) fn emit_index(&mut self, pc: u32, op: &IndexOp, st: &State, fall: &State) {
        let l = array_layout().expect("planned only with a probed layout");
        let slow = self.b.create_block();
        let done = self.b.create_block();
        let (obj, idx) = match *op {
            IndexOp::Get { obj, idx, .. } | IndexOp::Set { obj, idx, .. } => (obj, idx),
        };
        let set = matches!(op, IndexOp::Set { .. });
        let ea = self.element_addr(&l, obj, idx, set, slow);
        match *op {
            IndexOp::Get { dst, elem, .. } => {
                let et = self.b.ins().load(types::I8, flags(), ea, 0);
                match elem {
                    Some(ty) => {
                        self.guards += 1;
                        let ok = self.b.ins().icmp_imm_s(IntCC::Equal, et, ty.tag() as i64);
                        self.deopt_unless(ok, st, pc, DeoptReason::Guard);
                        let (t, off) = match ty {
                            Ty::Int => (types::I64, PAYLOAD),
                            Ty::Float => (types::F64, PAYLOAD),
                            Ty::Bool => (types::I8, PAYLOAD),
                        };
                        let v = self.b.ins().load(t, flags(), ea, off);
                        self.set(dst, ty, v);
                    }
                    None => {
                        // Read the element and bump its count before `dst`'s old value is
                        // released: `dst` may be `obj`, whose release may free the array.
                        let lo = self.b.ins().load(types::I64, flags(), ea, 0);
                        let hi = self.b.ins().load(types::I64, flags(), ea, 8);
                        self.bump_if_heap(et, hi);
                        if !st[dst as usize].scalar {
                            self.clear_if_heap(dst);
                        }
                        self.b.ins().store(flags(), lo, self.regs, slot(dst));
                        self.b.ins().store(flags(), hi, self.regs, slot(dst) + 8);
                    }
                }
            }
            IndexOp::Set { src, .. } => {
                // Scalar over scalar only: no count to adjust, nothing to drop. One unsigned
                // compare (Null, Bool, Int, Float) instead of the exact heap test: the rare
                // non-heap tags above Float (builtins) just take the slow path.
                let old = self.b.ins().load(types::I8, flags(), ea, 0);
                let heap = self.not_plain_scalar(old);
                self.fail_if(heap, slow);
                match st[src as usize].kind {
                    Kind::Unboxed(ty) => {
                        let v = self.get(src, ty);
                        self.store_value(ea, 0, ty, v);
                    }
                    _ => {
                        let t = self.load_tag(src);
                        let heap = self.not_plain_scalar(t);
                        self.fail_if(heap, slow);
                        let lo = self.b.ins().load(types::I64, flags(), self.regs, slot(src));
                        let hi = self
                            .b
                            .ins()
                            .load(types::I64, flags(), self.regs, slot(src) + 8);
                        self.b.ins().store(flags(), lo, ea, 0);
                        self.b.ins().store(flags(), hi, ea, 8);
                    }
                }
            }
        }
        self.b.ins().jump(done, &[]);

        // Slow path: the helper reads the operands from the frame.
        self.b.switch_to_block(slow);
        self.b.seal_block(slow);
        self.b.set_cold_block(slow);
        let mut s = st.clone();
        let (helper, operands, read) = match *op {
            IndexOp::Get { dst, obj, idx, .. } => (
                Helper::GetIndex,
                Operands::index(obj, idx, dst),
                [obj, idx, idx],
            ),
            IndexOp::Set { obj, idx, src } => (
                Helper::SetIndex,
                Operands::index(obj, idx, src),
                [obj, idx, src],
            ),
        };
        self.write_back_where(&mut s, |r| read.contains(&(r as Reg)));
        self.call_operand_helper(helper, pc, operands);
        if let IndexOp::Get {
            dst,
            elem: Some(ty),
            ..
        } = *op
        {
            self.unbox_helper_result(dst, ty, fall, pc);
        }
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(done);
        self.b.seal_block(done);
    }

    /// Checks that `R[obj]` is an array whose borrow flag allows the access (`write`: not
    /// borrowed at all; else not mutably borrowed) and that the unboxed Int `R[idx]` is in
    /// bounds, branching to `slow` otherwise; returns the element's address.
    fn element_addr(
        &mut self,
        l: &ArrayLayout,
        obj: Reg,
        idx: Reg,
        write: bool,
        slow: Block,
    ) -> Value {
        let rc = self.unborrowed_array(l, obj, write, slow);
        let len = self.b.ins().load(types::I64, flags(), rc, l.len);
        let i = self.get(idx, Ty::Int);
        let out = self.b.ins().icmp(IntCC::UnsignedGreaterThanOrEqual, i, len);
        self.fail_if(out, slow);
        let data = self.b.ins().load(types::I64, flags(), rc, l.ptr);
        let off = self
            .b
            .ins()
            .ishl_imm_s(i, VALUE_SIZE.trailing_zeros() as i64);
        self.b.ins().iadd(data, off)
    }

    /// The `Rc` pointer of the Array in register `r`, branching to `slow` unless `r` holds an
    /// Array that may be read (`write`: written) now.
    fn unborrowed_array(&mut self, l: &ArrayLayout, r: Reg, write: bool, slow: Block) -> Value {
        let t = self.load_tag(r);
        let not_array = self
            .b
            .ins()
            .icmp_imm_s(IntCC::NotEqual, t, tag::ARRAY as i64);
        self.fail_if(not_array, slow);
        let rc = self
            .b
            .ins()
            .load(types::I64, flags(), self.regs, slot(r) + PAYLOAD);
        self.check_borrow(l, rc, write, slow);
        rc
    }

    /// Branches to `slow` unless the array at `rc` may be accessed (see `element_addr`).
    fn check_borrow(&mut self, l: &ArrayLayout, rc: Value, write: bool, slow: Block) {
        let flag = self.b.ins().load(types::I64, flags(), rc, l.flag);
        let cc = if write {
            IntCC::NotEqual
        } else {
            IntCC::SignedLessThan
        };
        let bad = self.b.ins().icmp_imm_s(cc, flag, 0);
        self.fail_if(bad, slow);
    }

    /// 1 unless the tag `t` is Null, Bool, Int or Float (values that own nothing and are
    /// copied bitwise).
    pub(super) fn not_plain_scalar(&mut self, t: Value) -> Value {
        const _: () = assert!(tag::NULL < tag::FLOAT && tag::BOOL < tag::FLOAT);
        const _: () = assert!(tag::INT < tag::FLOAT && tag::FLOAT < tag::FIRST_HEAP);
        self.b
            .ins()
            .icmp_imm_s(IntCC::UnsignedGreaterThan, t, tag::FLOAT as i64)
    }

    /// Goes to `fail` (sealed by the caller) if `bad`, else continues in a new block.
    pub(super) fn fail_if(&mut self, bad: Value, fail: Block) {
        let next = self.b.create_block();
        self.b.ins().brif(bad, fail, &[], next, &[]);
        self.b.switch_to_block(next);
        self.b.seal_block(next);
    }

    /// Increments the strong count of the `Rc` at `payload` if the tag `t` owns one.
    pub(super) fn bump_if_heap(&mut self, t: Value, payload: Value) {
        let heap = self.is_heap_tag(t);
        let bump = self.b.create_block();
        let cont = self.b.create_block();
        self.b.ins().brif(heap, bump, &[], cont, &[]);
        self.b.switch_to_block(bump);
        self.b.seal_block(bump);
        let strong = self.b.ins().load(types::I64, flags(), payload, 0);
        let more = self.b.ins().iadd_imm_s(strong, 1);
        self.b.ins().store(flags(), more, payload, 0);
        self.b.ins().jump(cont, &[]);
        self.b.switch_to_block(cont);
        self.b.seal_block(cont);
    }

    /// `push(R[base+1], R[base+2])` (or `append`) inline when `R[base]` is that builtin, the
    /// array is not borrowed and has spare capacity. As the interpreter does, the arguments
    /// are moved from (they are temporaries the call consumes), so no reference count
    /// changes; if the call's result is never read (`result_used` false), the array
    /// reference is dropped instead of being stored in `R[base]`, so the next write of
    /// `R[base]` has nothing to release. Every other case goes through `Helper::CallPush`,
    /// which falls back to the VM's general call.
    ///
    /// `known`: the callee register certainly holds `push` or `append` (checked by the
    /// `GetGlobal` that filled it), so it is not checked again. `clears`: the result is
    /// unused and the slow path also leaves `R[base..=base+2]` Null, as the fast path does,
    /// so the registers are known to hold no heap value afterwards (`Action::CallBuiltin`).
    pub(super) fn emit_push(
        &mut self,
        pc: u32,
        base: Reg,
        known: bool,
        result_used: bool,
        clears: bool,
    ) {
        let l = array_layout().expect("planned only with a known array layout");
        let slow = self.b.create_block();
        let done = self.b.create_block();
        if !known {
            let t = self.load_tag(base);
            let not_builtin = self
                .b
                .ins()
                .icmp_imm_s(IntCC::NotEqual, t, tag::BUILTIN as i64);
            self.fail_if(not_builtin, slow);
            let id = self
                .b
                .ins()
                .load(types::I8, flags(), self.regs, slot(base) + PAYLOAD);
            // The two ids are consecutive: one subtraction and one unsigned compare.
            const _: () = assert!(APPEND == PUSH + 1);
            let rel = self.b.ins().iadd_imm_s(id, -(PUSH as i64));
            let neither = self.b.ins().icmp_imm_s(IntCC::UnsignedGreaterThan, rel, 1);
            self.fail_if(neither, slow);
        }
        let arr = base + 1;
        let val = base + 2;
        let rc = self.unborrowed_array(&l, arr, true, slow);
        let len = self.b.ins().load(types::I64, flags(), rc, l.len);
        let cap = self.b.ins().load(types::I64, flags(), rc, l.cap);
        // A full Vec grows in the helper (Vec::push reallocates).
        let full = self
            .b
            .ins()
            .icmp(IntCC::UnsignedGreaterThanOrEqual, len, cap);
        self.fail_if(full, slow);
        let data = self.b.ins().load(types::I64, flags(), rc, l.ptr);
        let off = self
            .b
            .ins()
            .ishl_imm_s(len, VALUE_SIZE.trailing_zeros() as i64);
        let ea = self.b.ins().iadd(data, off);
        // Move the value into the spare slot (its reference, if any, moves with it).
        let lo = self.b.ins().load(types::I64, flags(), self.regs, slot(val));
        let hi = self
            .b
            .ins()
            .load(types::I64, flags(), self.regs, slot(val) + 8);
        self.b.ins().store(flags(), lo, ea, 0);
        self.b.ins().store(flags(), hi, ea, 8);
        let null = self.iconst(types::I8, tag::NULL as i64);
        self.b.ins().store(flags(), null, self.regs, slot(val));
        let len1 = self.b.ins().iadd_imm_s(len, 1);
        self.b.ins().store(flags(), len1, rc, l.len);
        if result_used {
            // Move the array reference into the result slot (the builtin there owns nothing).
            let lo = self.b.ins().load(types::I64, flags(), self.regs, slot(arr));
            let hi = self
                .b
                .ins()
                .load(types::I64, flags(), self.regs, slot(arr) + 8);
            self.b.ins().store(flags(), lo, self.regs, slot(base));
            self.b.ins().store(flags(), hi, self.regs, slot(base) + 8);
            self.b.ins().store(flags(), null, self.regs, slot(arr));
            self.b.ins().jump(done, &[]);
        } else {
            self.b.ins().store(flags(), null, self.regs, slot(base));
            // Drop the argument's reference (the slot ends Null either way).
            self.release_slot_ref(arr, rc);
            self.b.ins().store(flags(), null, self.regs, slot(arr));
            self.b.ins().jump(done, &[]);
        }

        self.b.switch_to_block(slow);
        self.b.seal_block(slow);
        self.b.set_cold_block(slow);
        self.call_push_helper(pc, base);
        if clears {
            debug_assert!(!result_used);
            for r in base..=base + 2 {
                self.call_clear_slot(r);
            }
        }
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(done);
        self.b.seal_block(done);
    }
}
