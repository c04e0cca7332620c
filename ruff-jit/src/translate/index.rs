//! Inline array access: `GetIndex`/`SetIndex` on an Array with an Int index, and the
//! `push(array, v)` / `append(array, v)` call.
//!
//! When the profile says the object was always an Array and the index always an Int, the
//! access is done in compiled code: the object's tag, the `RefCell` borrow flag and the
//! bounds (`(idx as u64) < len`, so negative indexes fail it too) are checked inline, using
//! the `ArrayObj` field offsets probed at run time (`layout::array_layout`). Anything else
//! (another object type, a negative or out-of-range index, a borrowed array, a heap value
//! to store or overwrite) takes a slow path that writes back the registers the instruction
//! reads and calls the existing helper, which has the interpreter's semantics and error
//! messages. Both paths leave the same abstract state (`transfer`).
//!
//! A read whose consumer (the next instruction reading the result) has scalar feedback
//! loads the element unboxed behind a tag check that deopts at the `GetIndex` itself
//! (nothing has been modified yet, so the interpreter simply redoes it).

use cranelift_codegen::ir::{condcodes::IntCC, types, Block, InstBuilder, Value};
use ruff_core::bytecode::{Instr, Reg};
use ruff_core::profile::{seen_lhs, seen_rhs, Seen};
use ruff_core::value::tag;

use super::cfg::{kills, reads};
use super::emit::{flags, slot, Emitter, SigKind, Why};
use super::plan::{Action, Plan, Planner};
use super::state::{Kind, RegState, State, Ty};
use crate::runtime::layout::{array_layout, ArrayLayout, PAYLOAD, VALUE_SIZE};
use crate::runtime::{self};

/// An inline array access (`Action::Index`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndexOp {
    /// `R[dst] = R[obj][R[idx]]`; `elem`: the element is loaded unboxed as this type.
    Get {
        dst: Reg,
        obj: Reg,
        idx: Reg,
        elem: Option<Ty>,
    },
    /// `R[obj][R[idx]] = R[src]`.
    Set { obj: Reg, idx: Reg, src: Reg },
}

/// How far past a `GetIndex` its consumer is looked for.
const CONSUMER_WINDOW: u32 = 8;

/// The inline plan of a `GetIndex`/`SetIndex` at `pc`, or `None` for the generic lowering.
pub fn plan_index(planner: &Planner<'_>, pc: u32, st: &State, allow: bool) -> Option<Plan> {
    if !planner.spec {
        return None;
    }
    array_layout()?;
    let fb = planner.feedback.get(pc as usize).copied().unwrap_or(0);
    if seen_lhs(fb) != Seen::Mono(tag::ARRAY) {
        return None;
    }
    let (obj, idx) = match planner.proto.code[pc as usize] {
        Instr::GetIndex { obj, idx, .. } | Instr::SetIndex { obj, idx, .. } => (obj, idx),
        _ => return None,
    };
    // The object is a heap value: it lives in its slot.
    if st[obj as usize].ty().is_some() {
        return None;
    }
    let guards = match st[idx as usize].ty() {
        Some(Ty::Int) => vec![],
        None if allow && seen_rhs(fb) == Seen::Mono(tag::INT) => vec![(idx, Ty::Int)],
        _ => return None,
    };
    let op = match planner.proto.code[pc as usize] {
        Instr::GetIndex { dst, .. } => IndexOp::Get {
            dst,
            obj,
            idx,
            elem: if allow {
                consumer_type(planner, pc, dst)
            } else {
                None
            },
        },
        Instr::SetIndex { src, .. } => IndexOp::Set { obj, idx, src },
        _ => return None,
    };
    Some(Plan {
        guards,
        action: Action::Index(op),
    })
}

/// The scalar type the next instruction reading `dst` (within a few instructions of straight
/// code after `pc`) has always seen there, if any.
fn consumer_type(planner: &Planner<'_>, pc: u32, dst: Reg) -> Option<Ty> {
    let code = &planner.proto.code;
    let end = (pc + 1 + CONSUMER_WINDOW).min(code.len() as u32);
    for q in pc + 1..end {
        let instr = &code[q as usize];
        if reads(planner.proto, instr).contains(&dst) {
            let fb = planner.feedback.get(q as usize).copied().unwrap_or(0);
            let tys = super::hoist::operand_types(planner.proto, instr, fb, dst);
            let first = *tys.first()?;
            return if tys.iter().all(|t| *t == first) {
                first
            } else {
                None
            };
        }
        if kills(instr).contains(&dst) {
            return None;
        }
        if matches!(
            instr,
            Instr::Jump { .. } | Instr::LoopBack { .. } | Instr::Return { .. } | Instr::ReturnNull
        ) {
            return None;
        }
    }
    None
}

/// The state transfer of an inline access (the same on its fast and slow paths: registers
/// the slow path writes back keep their dirty flag, which only costs a redundant store).
pub fn transfer(op: &IndexOp, s: &mut State) {
    if let IndexOp::Get { dst, elem, .. } = *op {
        s[dst as usize] = match elem {
            Some(t) => RegState::defined(t, s[dst as usize].scalar),
            None => RegState::BOXED,
        };
    }
}

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
                        self.deopt_unless(ok, st, pc, Why::Guard);
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
        let (helper, packed, read) = match *op {
            IndexOp::Get { dst, obj, idx, .. } => (
                runtime::rt_get_index as *const () as usize,
                pack(obj, idx, dst),
                [obj, idx, idx],
            ),
            IndexOp::Set { obj, idx, src } => (
                runtime::rt_set_index as *const () as usize,
                pack(obj, idx, src),
                [obj, idx, src],
            ),
        };
        self.write_back_where(&mut s, |r| read.contains(&(r as Reg)));
        let pcv = self.iconst(types::I32, pc as i64);
        let p = self.iconst(types::I64, packed as i64);
        let ok = self
            .call_helper(helper, SigKind::P4R32, &[self.ctx, self.regs, pcv, p])
            .expect("returns status");
        self.check_ok(ok, pc);
        if let IndexOp::Get {
            dst,
            elem: Some(ty),
            ..
        } = *op
        {
            // The helper stored a boxed value: unbox it like a post guard (the instruction is
            // done, so a mismatch resumes after it).
            let mut after = fall.clone();
            after[dst as usize] = RegState::BOXED;
            self.guard_load(dst, ty, &after, pc + 1, Why::Guard);
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
    fn not_plain_scalar(&mut self, t: Value) -> Value {
        const _: () = assert!(tag::NULL < tag::FLOAT && tag::BOOL < tag::FLOAT);
        const _: () = assert!(tag::INT < tag::FLOAT && tag::FLOAT < tag::FIRST_HEAP);
        self.b
            .ins()
            .icmp_imm_s(IntCC::UnsignedGreaterThan, t, tag::FLOAT as i64)
    }

    /// Goes to `fail` (sealed by the caller) if `bad`, else continues in a new block.
    fn fail_if(&mut self, bad: Value, fail: Block) {
        let next = self.b.create_block();
        self.b.ins().brif(bad, fail, &[], next, &[]);
        self.b.switch_to_block(next);
        self.b.seal_block(next);
    }

    /// Increments the strong count of the `Rc` at `payload` if the tag `t` owns one.
    fn bump_if_heap(&mut self, t: Value, payload: Value) {
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
    /// array is not borrowed and has spare capacity; returns false (nothing emitted) when
    /// array access is not inlined at all. As the interpreter does, the arguments are moved
    /// from (they are temporaries the call consumes), so no reference count changes; if the
    /// call's result is never read, the array reference is dropped instead of being stored
    /// in `R[base]`, so the next write of `R[base]` has nothing to release. Every other case
    /// goes through `rt_call_push`, which falls back to the VM's general call.
    ///
    /// `known`: the callee register certainly holds `push` or `append` (checked by the
    /// `GetGlobal` that filled it), so it is not checked again. `clears`: the result is
    /// unused and the slow path also leaves `R[base..=base+2]` Null, as the fast path does,
    /// so the registers are known to hold no heap value afterwards (`Action::CallBuiltin`).
    pub(super) fn emit_push(&mut self, pc: u32, base: Reg, known: bool, clears: bool) -> bool {
        let Some(l) = array_layout() else {
            return false;
        };
        if !self.planner.spec {
            return false;
        }
        let result_used = self.planner.live_after(pc, base);
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
            use ruff_core::builtins::id::{APPEND, PUSH};
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
        true
    }
}

/// The operand word of `rt_get_index`/`rt_set_index`.
fn pack(a: Reg, b: Reg, c: Reg) -> u64 {
    a as u64 | (b as u64) << 16 | (c as u64) << 32
}
