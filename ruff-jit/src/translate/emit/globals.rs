//! Reading globals inline (`Action::GetGlobal`, `Action::GetBuiltin`): the global slots
//! never move while the VM lives, so compiled code reads a global at a constant address.

use cranelift_codegen::ir::{condcodes::IntCC, types, InstBuilder, Value};
use ruff_core::abi::bytecode::Reg;
use ruff_core::abi::helpers::Helper;
use ruff_core::abi::layout::{BOOL_BYTE, PAYLOAD};
use ruff_core::abi::{tag, DeoptReason};

use super::{flags, slot, Emitter};
use crate::translate::plan::state::State;
use crate::translate::plan::{Callee, GlobalRead};

impl Emitter<'_, '_> {
    /// The address of global slot `g` as a constant.
    fn global_addr(&mut self, g: u32) -> Value {
        let globals = self
            .globals
            .expect("globals are read inline only in a running VM");
        self.iconst(types::I64, globals.slot_addr(g) as i64)
    }

    /// `R[dst] = G[g]`: copy the 16 bytes and bump the reference count of a heap value. An
    /// unbound global raises the interpreter's error: through the generic helper
    /// (`Checked`), or through a side exit (`Speculated`, `Callee`), which keeps the slow
    /// path free of calls and so the unboxed values of hot loops out of call-crossing live
    /// ranges, which the register allocator would otherwise spill.
    pub(super) fn emit_get_global(
        &mut self,
        pc: u32,
        st: &State,
        dst: Reg,
        g: u32,
        how: GlobalRead,
    ) {
        let p = self.global_addr(g);
        let t = self.b.ins().load(types::I8, flags(), p, 0);
        match how {
            GlobalRead::Callee(callee) => self.emit_get_callee(pc, st, dst, p, t, callee),
            GlobalRead::Speculated => {
                let bound = self
                    .b
                    .ins()
                    .icmp_imm_s(IntCC::NotEqual, t, tag::UNDEF as i64);
                self.deopt_unless(bound, st, pc, DeoptReason::Guard);
                if !st[dst as usize].scalar {
                    self.clear_if_heap(dst);
                }
                let done = self.b.create_block();
                self.copy_boxed(p, 0, t, dst, done);
                self.b.switch_to_block(done);
                self.b.seal_block(done);
            }
            GlobalRead::Checked => {
                let unbound = self.b.ins().icmp_imm_s(IntCC::Equal, t, tag::UNDEF as i64);
                let slow = self.b.create_block();
                let fast = self.b.create_block();
                let done = self.b.create_block();
                self.b.ins().brif(unbound, slow, &[], fast, &[]);
                self.b.switch_to_block(slow);
                self.b.seal_block(slow);
                self.b.set_cold_block(slow);
                self.call_frame_helper(Helper::Generic, pc);
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
        }
    }

    /// `R[dst] = G[g]` (slot address `p`, tag `t` loaded) speculating that the global still
    /// holds a closure of `callee`'s prototype (a side exit at this pc otherwise, also for an
    /// unbound global); the `Call` it feeds then needs no checks of its own.
    fn emit_get_callee(
        &mut self,
        pc: u32,
        st: &State,
        dst: Reg,
        p: Value,
        t: Value,
        callee: Callee,
    ) {
        self.guards += 1;
        let is_fn = self.b.ins().icmp_imm_s(IntCC::Equal, t, tag::FUNC as i64);
        self.deopt_unless(is_fn, st, pc, DeoptReason::Guard);
        let clo = self.b.ins().load(types::I64, flags(), p, PAYLOAD);
        let proto = self.b.ins().load(
            types::I64,
            flags(),
            clo,
            ruff_core::abi::layout::CLOSURE_PROTO,
        );
        let k = self.iconst(types::I64, callee.proto.word() as i64);
        let same = self.b.ins().icmp(IntCC::Equal, proto, k);
        self.deopt_unless(same, st, pc, DeoptReason::Guard);
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
    }

    /// `R[dst] = G[g]`, speculating that the global still holds builtin `b`.
    pub(super) fn emit_get_builtin(&mut self, pc: u32, st: &State, dst: Reg, g: u32, b: u8) {
        let p = self.global_addr(g);
        self.guards += 1;
        let t = self.b.ins().load(types::I8, flags(), p, 0);
        let is_builtin = self
            .b
            .ins()
            .icmp_imm_s(IntCC::Equal, t, tag::BUILTIN as i64);
        self.deopt_unless(is_builtin, st, pc, DeoptReason::Guard);
        let which = self.b.ins().load(types::I8, flags(), p, BOOL_BYTE);
        let same = self.b.ins().icmp_imm_s(IntCC::Equal, which, b as i64);
        self.deopt_unless(same, st, pc, DeoptReason::Guard);
        if !st[dst as usize].scalar {
            self.clear_if_heap(dst);
        }
        // A builtin owns nothing: two plain stores.
        let bt = self.iconst(types::I8, tag::BUILTIN as i64);
        self.b.ins().store(flags(), bt, self.regs, slot(dst));
        self.b
            .ins()
            .store(flags(), which, self.regs, slot(dst) + PAYLOAD);
    }
}
