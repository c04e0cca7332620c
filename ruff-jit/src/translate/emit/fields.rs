//! Inline struct field access (planned in `plan/fields.rs`): `GetField`/`SetField` by slot.
//!
//! The object's tag, its definition (the pointer the instance holds, against the one the
//! site's inline cache saw), the fields' `RefCell` borrow flag and the storage the
//! `SmallVec`'s capacity word announces (inline with exactly the definition's field count,
//! or spilled to the heap) are checked inline, using `abi::shape::instance_layout`, unless
//! an earlier guard on the same register already did (`plan::fields::Check`). A read
//! copies the field (bumping a heap value's count); a write stores the new value (bumping
//! it) and drops one count of the old one inline, unless that count is the last (dropping
//! may free a whole structure). A failed guard deopts; everything else (a failed check
//! where speculation is off, a last reference to drop) takes a slow path that writes back the
//! registers the instruction reads and runs it through the generic helper, with the
//! interpreter's semantics and error messages. Both paths leave the same abstract state
//! (`plan::fields::transfer`).

use cranelift_codegen::ir::{condcodes::IntCC, types, Block, InstBuilder, Value};
use ruff_core::abi::bytecode::Reg;
use ruff_core::abi::helpers::Helper;
use ruff_core::abi::layout::{PAYLOAD, VALUE_SIZE};
use ruff_core::abi::shape::{instance_layout, InstanceLayout, INLINE_FIELDS};
use ruff_core::abi::{tag, DeoptReason};

use super::{flags, slot, Emitter};
use crate::translate::plan::state::{Kind, Shape, State, Ty};
use crate::translate::plan::{shape_of, Check, FieldOp};

/// Where a failed instance check goes.
pub(super) enum OnFail<'s> {
    /// A side exit for this state, resuming at this pc.
    Deopt(&'s State, u32, DeoptReason),
    /// A branch to this (slow path) block.
    Slow(Block),
}

impl Emitter<'_, '_> {
    /// Emits an inline field access; `st` is the state before it, `fall` the state after it.
    pub(super) fn emit_field(&mut self, pc: u32, op: &FieldOp, st: &State, fall: &State) {
        let l = instance_layout().expect("planned only with a probed layout");
        // A write may need the helper to drop a last reference, whatever the check.
        let slow = (op.check() == Check::Slow || matches!(op, FieldOp::Set { .. }))
            .then(|| self.b.create_block());
        let (rc, ea) = self.field_addr(&l, op, st, pc, slow);
        match *op {
            FieldOp::Get {
                dst,
                elem: Some(ty),
                ..
            } => {
                let ft = self.b.ins().load(types::I8, flags(), ea, 0);
                self.guards += 1;
                let ok = self.b.ins().icmp_imm_s(IntCC::Equal, ft, ty.tag() as i64);
                self.deopt_unless(ok, st, pc, DeoptReason::Guard);
                let (t, off) = match ty {
                    Ty::Int => (types::I64, PAYLOAD),
                    Ty::Float => (types::F64, PAYLOAD),
                    Ty::Bool => (types::I8, PAYLOAD),
                };
                let v = self.b.ins().load(t, flags(), ea, off);
                self.set(dst, ty, v);
            }
            FieldOp::Get { dst, obj, .. } => {
                // Copy the field and bump its count before `dst`'s old value is released:
                // `dst` may be `obj` (`p = p.next`), whose release may free the instance.
                let ft = self.b.ins().load(types::I8, flags(), ea, 0);
                let lo = self.b.ins().load(types::I64, flags(), ea, 0);
                let hi = self.b.ins().load(types::I64, flags(), ea, 8);
                self.add_count(ft, hi, rc, 1);
                if dst == obj {
                    // The slot holds the instance checked above: drop that reference inline.
                    self.release_slot_ref(dst, rc);
                } else if !st[dst as usize].scalar {
                    self.clear_if_heap(dst);
                }
                self.b.ins().store(flags(), lo, self.regs, slot(dst));
                self.b.ins().store(flags(), hi, self.regs, slot(dst) + 8);
            }
            FieldOp::Set { src, .. } => {
                let slow = slow.expect("a write has a slow path");
                self.store_field(rc, ea, src, st, slow);
            }
            // The guard was the whole check.
            FieldOp::Receiver { .. } => {}
        }
        let Some(slow) = slow else { return };
        let done = self.b.create_block();
        self.b.ins().jump(done, &[]);

        // Slow path: the generic helper reads the operands from the frame.
        self.b.switch_to_block(slow);
        self.b.seal_block(slow);
        self.b.set_cold_block(slow);
        let mut s = st.clone();
        let read = match *op {
            FieldOp::Get { obj, .. } | FieldOp::Receiver { obj, .. } => [obj, obj],
            FieldOp::Set { obj, src, .. } => [obj, src],
        };
        self.write_back_where(&mut s, |r| read.contains(&(r as Reg)));
        self.call_frame_helper(Helper::Generic, pc);
        if let FieldOp::Get {
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

    /// Makes sure `R[obj]` is an instance of the site's definition whose fields may be read
    /// (a write: written) now and are stored as that definition's are (`op.check()`: known,
    /// or checked with a deopt or a branch to `slow` on failure); returns the instance's
    /// `Rc` pointer and the field's address.
    fn field_addr(
        &mut self,
        l: &InstanceLayout,
        op: &FieldOp,
        st: &State,
        pc: u32,
        slow: Option<Block>,
    ) -> (Value, Value) {
        let (obj, site, check) = (op.obj(), op.site(), op.check());
        let rc = match check {
            Check::Known => self
                .b
                .ins()
                .load(types::I64, flags(), self.regs, slot(obj) + PAYLOAD),
            // A guard makes the instance known for later reads and writes: it must be
            // unborrowed.
            Check::Guard => self.check_instance(
                l,
                obj,
                shape_of(site),
                true,
                &OnFail::Deopt(st, pc, DeoptReason::Guard),
            ),
            // A read alone only needs no mutable borrow.
            Check::Slow => self.check_instance(
                l,
                obj,
                shape_of(site),
                !matches!(op, FieldOp::Get { .. }),
                &OnFail::Slow(slow.expect("a checked access has a slow path")),
            ),
        };
        let off = site.slot as i64 * VALUE_SIZE as i64;
        let ea = if site.count as usize <= INLINE_FIELDS {
            self.b.ins().iadd_imm_s(rc, l.inline as i64 + off)
        } else {
            let data = self.b.ins().load(types::I64, flags(), rc, l.heap_ptr);
            self.b.ins().iadd_imm_s(data, off)
        };
        (rc, ea)
    }

    /// Checks that `R[obj]` is an instance of `shape`'s definition, not borrowed
    /// (`unborrowed`; else not mutably borrowed), with its fields stored as that
    /// definition's are, and leaves as `on` says otherwise; returns its `Rc` pointer.
    pub(super) fn check_instance(
        &mut self,
        l: &InstanceLayout,
        obj: Reg,
        shape: Shape,
        unborrowed: bool,
        on: &OnFail<'_>,
    ) -> Value {
        let t = self.load_tag(obj);
        let not_struct = self
            .b
            .ins()
            .icmp_imm_s(IntCC::NotEqual, t, tag::STRUCT as i64);
        self.fail_on(not_struct, on);
        let rc = self
            .b
            .ins()
            .load(types::I64, flags(), self.regs, slot(obj) + PAYLOAD);
        // One branch for the definition, the borrow flag and the storage (fewer blocks
        // compile faster; the three words are in the instance whatever it holds).
        let def = self.b.ins().load(types::I64, flags(), rc, l.def);
        let flag = self.b.ins().load(types::I64, flags(), rc, l.flag);
        let cap = self.b.ins().load(types::I64, flags(), rc, l.cap);
        let other = self
            .b
            .ins()
            .icmp_imm_s(IntCC::NotEqual, def, shape.def_rc as i64);
        let cc = if unborrowed {
            IntCC::NotEqual
        } else {
            IntCC::SignedLessThan
        };
        let borrowed = self.b.ins().icmp_imm_s(cc, flag, 0);
        // Inline, the capacity word is the length, which is the field count; with more
        // fields than fit inline, the fields are spilled (the heap length is the count).
        let odd = if shape.count as usize <= INLINE_FIELDS {
            self.b
                .ins()
                .icmp_imm_s(IntCC::NotEqual, cap, shape.count as i64)
        } else {
            self.b
                .ins()
                .icmp_imm_s(IntCC::UnsignedLessThanOrEqual, cap, INLINE_FIELDS as i64)
        };
        let bad = self.b.ins().bor(other, borrowed);
        let bad = self.b.ins().bor(bad, odd);
        self.fail_on(bad, on);
        rc
    }

    /// Leaves if `bad`, as `on` says.
    fn fail_on(&mut self, bad: Value, on: &OnFail<'_>) {
        match *on {
            OnFail::Deopt(st, pc, why) => {
                // Through `deopt_unless`, which `fail-guards=1` makes always leave.
                self.guards += 1;
                let ok = self.b.ins().icmp_imm_s(IntCC::Equal, bad, 0);
                self.deopt_unless(ok, st, pc, why);
            }
            OnFail::Slow(slow) => self.fail_if(bad, slow),
        }
    }

    /// Stores `R[src]` into the field at `ea` of the instance at `rc`. A heap value's count
    /// is dropped inline after the store when it is not the last one; a last reference
    /// goes to `slow` before anything is written (the helper drops it).
    fn store_field(&mut self, rc: Value, ea: Value, src: Reg, st: &State, slow: Block) {
        let old_t = self.b.ins().load(types::I8, flags(), ea, 0);
        let old_rc = self.b.ins().load(types::I64, flags(), ea, PAYLOAD);
        let heap_old = self.heap_bit(old_t);
        // Branch-free (fewer blocks compile faster): the count of a non-heap old value is
        // stood in for by the instance's own, changed by 0.
        let count = self.count_addr(heap_old, old_rc, rc);
        let strong = self.b.ins().load(types::I64, flags(), count, 0);
        let last = self.b.ins().icmp_imm_s(IntCC::Equal, strong, 1);
        let last = self.b.ins().uextend(types::I64, last);
        let bad = self.b.ins().band(last, heap_old);
        self.fail_if(bad, slow);
        match st[src as usize].kind {
            Kind::Unboxed(ty) => {
                let v = self.get(src, ty);
                self.store_value(ea, 0, ty, v);
            }
            _ => {
                let t = self.load_tag(src);
                let lo = self.b.ins().load(types::I64, flags(), self.regs, slot(src));
                let hi = self
                    .b
                    .ins()
                    .load(types::I64, flags(), self.regs, slot(src) + 8);
                self.add_count(t, hi, rc, 1);
                self.b.ins().store(flags(), lo, ea, 0);
                self.b.ins().store(flags(), hi, ea, 8);
            }
        }
        // Not the last reference (checked above; the new value's bump only adds one), so
        // reloaded: the new value may be the old one.
        let strong = self.b.ins().load(types::I64, flags(), count, 0);
        let fewer = self.b.ins().isub(strong, heap_old);
        self.b.ins().store(flags(), fewer, count, 0);
    }

    /// The address of the strong count of the heap value whose payload is `payload` if
    /// `heap` (an i64 0 or 1), else of the instance at `rc` (a stand-in changed by 0).
    fn count_addr(&mut self, heap: Value, payload: Value, rc: Value) -> Value {
        self.b.ins().select(heap, payload, rc)
    }

    /// Adds `by` to the count of the value of tag `t` and payload `payload` if it is a heap
    /// value, without a branch (`count_addr`).
    fn add_count(&mut self, t: Value, payload: Value, rc: Value, by: i64) {
        let heap = self.heap_bit(t);
        let count = self.count_addr(heap, payload, rc);
        let strong = self.b.ins().load(types::I64, flags(), count, 0);
        let delta = self.b.ins().imul_imm_s(heap, by);
        let more = self.b.ins().iadd(strong, delta);
        self.b.ins().store(flags(), more, count, 0);
    }
}
