//! The code generator: it turns the planner's decisions (`../plan`) into Cranelift IR. This
//! file holds the emitter's state and its primitives (frame slot access, write-back of
//! unboxed registers, heap-slot clearing, helper calls, the shared error exit); `exits.rs`
//! the guards and side exits; `entry.rs` the entry blocks; `lower.rs` the lowering of each
//! planned instruction, with the families in `arith.rs`, `control.rs`, `calls.rs`,
//! `fields.rs`, `globals.rs`, `index.rs` and `intrinsics.rs`.

mod arith;
mod calls;
mod control;
mod entry;
mod exits;
mod fields;
mod globals;
mod index;
mod intrinsics;
mod lower;
mod typed;

use cranelift_codegen::ir::{
    condcodes::IntCC, types, AbiParam, Block, BlockArg, InstBuilder, MemFlagsData, SigRef,
    Signature, Value,
};
use cranelift_frontend::{FunctionBuilder, Variable};
use ruff_core::abi::bytecode::Reg;
use ruff_core::abi::helpers::{Arg, Helper, Operands};
use ruff_core::abi::layout::{BOOL_BYTE, PAYLOAD, VALUE_SIZE};
use ruff_core::abi::{tag, DeoptReason, Globals, Status};

use super::plan::cfg::Cfg;
use super::plan::state::{Kind, State, Ty};
use super::plan::Planner;
use super::{Body, Options, SelfLinks};
use exits::ExitKey;

pub struct Emitter<'a, 'f> {
    pub b: &'a mut FunctionBuilder<'f>,
    pub planner: &'a Planner<'a>,
    pub cfg: &'a Cfg,
    /// The running VM's globals, when compiling for one (their slots' addresses are baked in).
    pub globals: Option<Globals<'a>>,
    pub states: &'a [Option<State>],
    pub opts: &'a Options,
    /// `vars[r][ty]`: the unboxed value of register `r` as `ty`.
    vars: Vec<[Variable; 3]>,
    pub ctx: Value,
    pub regs: Value,
    /// Cranelift block of each bytecode block.
    blocks: Vec<Block>,
    /// The shared error exit; its parameter is the pc of the failing instruction.
    error_block: Option<Block>,
    /// Helper signatures imported so far.
    sigs: Vec<(Helper, SigRef)>,
    entry_sig: Option<SigRef>,
    /// Side exits created but not yet filled: (block, what they write back, why).
    pending_exits: Vec<(Block, ExitKey, DeoptReason)>,
    pub guards: u32,
    /// Pcs left to the interpreter for lack of feedback (`Action::Trap`).
    pub traps: Vec<u32>,
    /// `(pc, callee prototype id)` of each call made through another function's typed
    /// entry (`--trace-jit` lists them).
    pub typed_calls: Vec<(u32, u32)>,
    /// Which body is being built (its returns differ: `emit/typed.rs`).
    body: Body,
    /// The function's typed entry, if it has one (self-calls may use it).
    links: Option<SelfLinks>,
}

/// Memory flags for frame and context accesses: always aligned, never trapping.
pub fn flags() -> MemFlagsData {
    MemFlagsData::trusted()
}

pub fn slot(r: Reg) -> i32 {
    r as i32 * VALUE_SIZE
}

impl<'a, 'f> Emitter<'a, 'f> {
    pub fn new(
        b: &'a mut FunctionBuilder<'f>,
        planner: &'a Planner<'a>,
        states: &'a [Option<State>],
        globals: Option<Globals<'a>>,
        opts: &'a Options,
    ) -> Emitter<'a, 'f> {
        let cfg = &planner.cfg;
        let n = planner.proto.num_regs as usize;
        let vars = (0..n)
            .map(|_| {
                [
                    b.declare_var(types::I64),
                    b.declare_var(types::F64),
                    b.declare_var(types::I8),
                ]
            })
            .collect();
        let blocks = cfg.blocks.iter().map(|_| b.create_block()).collect();
        Emitter {
            b,
            planner,
            cfg,
            globals,
            states,
            opts,
            vars,
            ctx: Value::from_u32(0),
            regs: Value::from_u32(0),
            blocks,
            error_block: None,
            sigs: Vec::new(),
            entry_sig: None,
            pending_exits: Vec::new(),
            guards: 0,
            traps: Vec::new(),
            typed_calls: Vec::new(),
            body: Body::Boxed,
            links: None,
        }
    }

    /// Which body this is, and the function's typed entry if it has one.
    pub fn set_links(&mut self, body: Body, links: Option<SelfLinks>) {
        self.body = body;
        self.links = links;
    }

    pub fn set_frame(&mut self, ctx: Value, regs: Value) {
        self.ctx = ctx;
        self.regs = regs;
    }

    pub fn proto_id(&self) -> u32 {
        self.planner.proto.id
    }

    /// The Cranelift block of the bytecode block starting at `pc`.
    pub fn block_of(&self, pc: u32) -> (usize, Block) {
        let i = self.cfg.block_at[pc as usize];
        (i, self.blocks[i])
    }

    pub fn var(&self, r: Reg, ty: Ty) -> Variable {
        self.vars[r as usize][ty.index()]
    }

    pub fn get(&mut self, r: Reg, ty: Ty) -> Value {
        let v = self.var(r, ty);
        self.b.use_var(v)
    }

    pub fn set(&mut self, r: Reg, ty: Ty, val: Value) {
        let v = self.var(r, ty);
        self.b.def_var(v, val);
    }

    pub fn iconst(&mut self, ty: types::Type, v: i64) -> Value {
        self.b.ins().iconst(ty, v)
    }

    /// Address of register `r`'s slot.
    pub fn slot_addr(&mut self, r: Reg) -> Value {
        self.b.ins().iadd_imm_s(self.regs, slot(r) as i64)
    }

    pub fn load_tag(&mut self, r: Reg) -> Value {
        self.b.ins().load(types::I8, flags(), self.regs, slot(r))
    }

    /// Loads the payload of a slot known to hold `ty`.
    pub fn load_payload(&mut self, r: Reg, ty: Ty) -> Value {
        let (t, off) = match ty {
            Ty::Int => (types::I64, PAYLOAD),
            Ty::Float => (types::F64, PAYLOAD),
            Ty::Bool => (types::I8, BOOL_BYTE),
        };
        self.b.ins().load(t, flags(), self.regs, slot(r) + off)
    }

    /// Stores an unboxed value into a slot as a proper `Value` (the slot holds no heap value:
    /// the `scalar` invariant).
    pub fn store_value(&mut self, base: Value, off: i32, ty: Ty, v: Value) {
        let t = self.iconst(types::I8, ty.tag() as i64);
        self.b.ins().store(flags(), t, base, off);
        let poff = if ty == Ty::Bool { BOOL_BYTE } else { PAYLOAD };
        self.b.ins().store(flags(), v, base, off + poff);
    }

    /// Writes register `r` (unboxed as `ty`) back into its slot, first releasing a heap value
    /// the slot may still hold (`scalar` false).
    pub fn write_back(&mut self, r: Reg, ty: Ty, scalar: bool) {
        if !scalar {
            self.clear_if_heap(r);
        }
        let v = self.get(r, ty);
        self.store_value(self.regs, slot(r), ty, v);
    }

    /// Writes back every dirty register of `st` for which `pick` holds, marking it clean.
    pub fn write_back_where(&mut self, st: &mut State, pick: impl Fn(usize) -> bool) {
        for (r, s) in st.iter_mut().enumerate() {
            if let (Kind::Unboxed(ty), true) = (s.kind, s.dirty) {
                if pick(r) {
                    self.write_back(r as Reg, ty, s.scalar);
                    s.dirty = false;
                    s.scalar = true;
                }
            }
        }
    }

    fn sig(&mut self, params: &[types::Type], ret: Option<types::Type>) -> SigRef {
        let mut sig = Signature::new(self.opts.call_conv);
        sig.params.extend(params.iter().map(|t| AbiParam::new(*t)));
        sig.returns.extend(ret.map(AbiParam::new));
        self.b.import_signature(sig)
    }

    /// Calls a runtime helper (its signature imported once per function).
    pub fn call_helper(&mut self, helper: Helper, args: &[Value]) -> Option<Value> {
        let sig = match self.sigs.iter().find(|(h, _)| *h == helper) {
            Some(&(_, s)) => s,
            None => {
                let (params, ret) = helper.signature();
                let params: Vec<types::Type> = params.iter().map(|a| machine_type(*a)).collect();
                let s = self.sig(&params, ret.map(machine_type));
                self.sigs.push((helper, s));
                s
            }
        };
        let callee = self.iconst(types::I64, helper.address() as i64);
        let call = self.b.ins().call_indirect(sig, callee, args);
        self.b.inst_results(call).first().copied()
    }

    /// Calls compiled code (a `JitEntry`) at the address in `entry`.
    pub fn call_entry(&mut self, entry: Value, args: &[Value]) -> Value {
        let sig = match self.entry_sig {
            Some(s) => s,
            None => {
                let s = self.sig(&[types::I64, types::I64, types::I32], Some(types::I32));
                self.entry_sig = Some(s);
                s
            }
        };
        let call = self.b.ins().call_indirect(sig, entry, args);
        self.b.inst_results(call)[0]
    }

    /// The shared error exit: pushes this frame's trace entry and returns `Status::Error`.
    pub fn error_block(&mut self) -> Block {
        if let Some(b) = self.error_block {
            return b;
        }
        let blk = self.b.create_block();
        self.b.append_block_param(blk, types::I32);
        self.error_block = Some(blk);
        blk
    }

    /// Fills the error block (after everything else, so the current block is not disturbed).
    pub fn finish_error_block(&mut self) {
        let Some(blk) = self.error_block else {
            return;
        };
        self.b.switch_to_block(blk);
        self.b.set_cold_block(blk);
        let pc = self.b.block_params(blk)[0];
        self.call_helper(Helper::Error, &[self.ctx, self.regs, pc]);
        self.return_status(Status::Error);
    }

    /// Branches to the error exit (at `pc`) unless `ok` (an i32 bool) is non-zero.
    pub fn check_ok(&mut self, ok: Value, pc: u32) {
        let cont = self.b.create_block();
        let err = self.error_block();
        let pcv = self.iconst(types::I32, pc as i64);
        self.b
            .ins()
            .brif(ok, cont, &[], err, &[BlockArg::Value(pcv)]);
        // `cont` has exactly one predecessor, known now: seal it at once.
        self.b.switch_to_block(cont);
        self.b.seal_block(cont);
    }

    /// 1 (i8) if the tag `t` owns a reference count.
    pub fn is_heap_tag(&mut self, t: Value) -> Value {
        let bit = self.heap_bit(t);
        self.b.ins().icmp_imm_s(IntCC::NotEqual, bit, 0)
    }

    /// 1 (i64) if the tag `t` owns a reference count, else 0: a bit test that a branch can
    /// use as is (two instructions fewer than `is_heap_tag`, for code that only branches).
    pub(super) fn heap_bit(&mut self, t: Value) -> Value {
        let mask: i64 = (0..tag::COUNT)
            .filter(|&x| tag::is_heap(x))
            .map(|x| 1i64 << x)
            .sum();
        let t64 = self.b.ins().uextend(types::I64, t);
        let m = self.iconst(types::I64, mask);
        let bits = self.b.ins().ushr(m, t64);
        self.b.ins().band_imm_s(bits, 1)
    }

    /// Releases the reference `r`'s slot holds to the heap object at `rc`: an inline
    /// decrement, unless it is the last reference (then the helper drops the object and the
    /// slot becomes Null). On the inline path the slot keeps its bits: the caller overwrites
    /// them.
    pub fn release_slot_ref(&mut self, r: Reg, rc: Value) {
        let strong = self.b.ins().load(types::I64, flags(), rc, 0);
        let last = self.b.ins().icmp_imm_s(IntCC::Equal, strong, 1);
        let free = self.b.create_block();
        let dec = self.b.create_block();
        let cont = self.b.create_block();
        self.b.ins().brif(last, free, &[], dec, &[]);
        self.b.switch_to_block(free);
        self.b.seal_block(free);
        self.b.set_cold_block(free);
        self.call_clear_slot(r);
        self.b.ins().jump(cont, &[]);
        self.b.switch_to_block(dec);
        self.b.seal_block(dec);
        let fewer = self.b.ins().iadd_imm_s(strong, -1);
        self.b.ins().store(flags(), fewer, rc, 0);
        self.b.ins().jump(cont, &[]);
        self.b.switch_to_block(cont);
        self.b.seal_block(cont);
    }

    /// Drops whatever `r`'s slot holds (it becomes Null), through the helper.
    pub fn call_clear_slot(&mut self, r: Reg) {
        let addr = self.slot_addr(r);
        self.call_helper(Helper::ClearSlot, &[addr]);
    }

    /// Calls `helper(ctx, regs, pc, operands)` (the shape of the helpers with a fast path
    /// for some operand types) and leaves for the error exit on failure.
    pub fn call_operand_helper(&mut self, helper: Helper, pc: u32, operands: Operands) {
        let pcv = self.iconst(types::I32, pc as i64);
        let p = self.iconst(types::I64, operands.0 as i64);
        let ok = self
            .call_helper(helper, &[self.ctx, self.regs, pcv, p])
            .expect("returns status");
        self.check_ok(ok, pc);
    }

    /// Calls `helper(ctx, regs, pc)` (the frame helpers' shape: 1 = ok, 0 = error pending)
    /// and leaves for the error exit on failure.
    pub fn call_frame_helper(&mut self, helper: Helper, pc: u32) {
        let pcv = self.iconst(types::I32, pc as i64);
        let ok = self
            .call_helper(helper, &[self.ctx, self.regs, pcv])
            .expect("returns status");
        self.check_ok(ok, pc);
    }

    /// Releases a heap value in `r`'s slot (it becomes Null) so scalars can be stored there.
    pub fn clear_if_heap(&mut self, r: Reg) {
        let t = self.load_tag(r);
        let heap = self.heap_bit(t);
        let clear = self.b.create_block();
        let cont = self.b.create_block();
        self.b.ins().brif(heap, clear, &[], cont, &[]);
        self.b.switch_to_block(clear);
        self.b.seal_block(clear);
        self.b.set_cold_block(clear);
        self.call_clear_slot(r);
        self.b.ins().jump(cont, &[]);
        self.b.switch_to_block(cont);
        self.b.seal_block(cont);
    }
}

/// The Cranelift type of a helper's parameter or result.
fn machine_type(a: Arg) -> types::Type {
    match a {
        Arg::Ptr | Arg::U64 => types::I64,
        Arg::U32 => types::I32,
    }
}
