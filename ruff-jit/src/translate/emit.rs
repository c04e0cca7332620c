//! The code generator's state and its primitives: frame slot access, write-back of unboxed
//! registers, tag guards with cold side exits (real deoptimization), heap-slot clearing,
//! helper calls, and the entry blocks (function entry, direct-call entry, OSR entries).
//!
//! A side exit writes every dirty unboxed register of the state at the guard back into its
//! frame slot as a proper `Value`, stores the pc to resume at in `ctx.resume_pc` and returns
//! `STATUS_DEOPT`; the interpreter then resumes at that pc with the frame exactly as it
//! would have been.

use cranelift_codegen::ir::{
    condcodes::IntCC, types, AbiParam, Block, BlockArg, InstBuilder, MemFlagsData, SigRef,
    Signature, Value,
};
use cranelift_frontend::{FunctionBuilder, Variable};
use ruff_core::bytecode::Reg;
use ruff_core::tier::{STATUS_DEOPT, STATUS_ERROR};
use ruff_core::value::tag;

use super::cfg::Cfg;
use super::plan::Planner;
use super::state::{Kind, State, Ty};
use super::Options;
use crate::runtime::layout::{BOOL_BYTE, CTX_RESUME_PC, PAYLOAD, VALUE_SIZE};
use crate::runtime::{self};

/// Why a side exit is taken (for `--trace-jit`).
#[derive(Clone, Copy, Debug)]
pub enum Why {
    Guard = 0,
    Hoisted = 1,
    Osr = 2,
    Division = 3,
    Shift = 4,
    NoFeedback = 5,
}

pub struct Emitter<'a, 'f> {
    pub b: &'a mut FunctionBuilder<'f>,
    pub planner: &'a Planner<'a>,
    pub cfg: &'a Cfg,
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
    /// Helper signatures imported so far, by `SigKind`.
    sigs: [Option<SigRef>; SigKind::COUNT],
    entry_sig: Option<SigRef>,
    /// Side exits created but not yet filled: (block, what they write back, why).
    pending_exits: Vec<(Block, ExitKey, Why)>,
    pub guards: u32,
    /// Pcs left to the interpreter for lack of feedback (`Action::Trap`).
    pub traps: Vec<u32>,
    /// The callee a `GetGlobal` of this block speculated on, for its `Call` (calls.rs).
    pub known_callee: Option<super::calls::KnownCallee>,
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
        cfg: &'a Cfg,
        states: &'a [Option<State>],
        opts: &'a Options,
    ) -> Emitter<'a, 'f> {
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
            states,
            opts,
            vars,
            ctx: Value::from_u32(0),
            regs: Value::from_u32(0),
            blocks,
            error_block: None,
            sigs: [None; SigKind::COUNT],
            entry_sig: None,
            pending_exits: Vec::new(),
            guards: 0,
            traps: Vec::new(),
            known_callee: None,
        }
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

    /// Calls the runtime helper at `addr` through a cached signature.
    pub fn call_helper(&mut self, addr: usize, kind: SigKind, args: &[Value]) -> Option<Value> {
        let sig = match self.sigs[kind as usize] {
            Some(s) => s,
            None => {
                let (params, ret) = kind.shape();
                let s = self.sig(params, ret);
                self.sigs[kind as usize] = Some(s);
                s
            }
        };
        let callee = self.iconst(types::I64, addr as i64);
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

    /// The shared error exit: pushes this frame's trace entry and returns `STATUS_ERROR`.
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
        self.call_helper(
            runtime::rt_error as *const () as usize,
            SigKind::P3Void,
            &[self.ctx, self.regs, pc],
        );
        let st = self.iconst(types::I32, STATUS_ERROR as i64);
        self.b.ins().return_(&[st]);
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

    /// The cold side exit for the state `st` (resume pc passed as the block's argument:
    /// `deopt_unless` and `Trap` jump with `[pc]`). Exits that write back the same registers
    /// the same way share one block, whatever their pc: much less IR for Cranelift to
    /// optimize and allocate (a loop body's guards usually share one dirty set).
    pub fn side_exit(&mut self, st: &State, why: Why) -> Block {
        let key = exit_key(st);
        if let Some((blk, ..)) = self
            .pending_exits
            .iter()
            .find(|(_, k, w)| *w as u8 == why as u8 && *k == key)
        {
            return *blk;
        }
        let exit = self.b.create_block();
        self.b.append_block_param(exit, types::I32);
        self.pending_exits.push((exit, key, why));
        exit
    }

    /// Fills the side-exit blocks created so far.
    pub fn finish_side_exits(&mut self) {
        for (exit, key, why) in std::mem::take(&mut self.pending_exits) {
            self.b.switch_to_block(exit);
            self.b.seal_block(exit);
            self.b.set_cold_block(exit);
            let pcv = self.b.block_params(exit)[0];
            // Cold code: a slot that may hold a heap value is boxed by a helper call rather
            // than by an inline check, which keeps exits to one block each.
            for &(r, ty, scalar) in &key {
                if scalar {
                    self.write_back(r, ty, true);
                    continue;
                }
                let v = self.get(r, ty);
                let bits = match ty {
                    Ty::Int => v,
                    Ty::Float => self.b.ins().bitcast(types::I64, MemFlagsData::new(), v),
                    Ty::Bool => self.b.ins().uextend(types::I64, v),
                };
                let addr = self.slot_addr(r);
                let t = self.iconst(types::I32, ty.tag() as i64);
                self.call_helper(
                    runtime::rt_box as *const () as usize,
                    SigKind::Box3,
                    &[addr, t, bits],
                );
            }
            self.b.ins().store(flags(), pcv, self.ctx, CTX_RESUME_PC);
            if let Why::NoFeedback = why {
                let id = self.iconst(types::I32, self.proto_id() as i64);
                self.call_helper(
                    runtime::rt_trap as *const () as usize,
                    SigKind::Trap,
                    &[self.ctx, id],
                );
            }
            if self.opts.trace {
                let id = self.iconst(types::I32, self.proto_id() as i64);
                let w = self.iconst(types::I32, why as i64);
                self.call_helper(
                    runtime::rt_trace_deopt as *const () as usize,
                    SigKind::Trace,
                    &[id, pcv, w],
                );
            }
            let s = self.iconst(types::I32, STATUS_DEOPT as i64);
            self.b.ins().return_(&[s]);
        }
    }

    /// Leaves for a side exit (state `st`, resume at `pc`) unless `ok`; continues in a new
    /// block.
    pub fn deopt_unless(&mut self, ok: Value, st: &State, pc: u32, why: Why) {
        let exit = self.side_exit(st, why);
        let cont = self.b.create_block();
        let pcv = self.iconst(types::I32, pc as i64);
        self.b
            .ins()
            .brif(ok, cont, &[], exit, &[BlockArg::Value(pcv)]);
        self.b.switch_to_block(cont);
        self.b.seal_block(cont);
    }

    /// Checks that register `r`'s slot holds `ty` (deopt otherwise) and unboxes it.
    pub fn guard_load(&mut self, r: Reg, ty: Ty, st: &State, pc: u32, why: Why) {
        self.guards += 1;
        let t = self.load_tag(r);
        let ok = self.b.ins().icmp_imm_s(IntCC::Equal, t, ty.tag() as i64);
        self.deopt_unless(ok, st, pc, why);
        let v = self.load_payload(r, ty);
        self.set(r, ty, v);
    }

    /// 1 (i8) if the tag `t` owns a reference count.
    pub fn is_heap_tag(&mut self, t: Value) -> Value {
        let bit = self.heap_bit(t);
        self.b.ins().icmp_imm_s(IntCC::NotEqual, bit, 0)
    }

    /// 1 (i64) if the tag `t` owns a reference count, else 0: a bit test that a branch can
    /// use as is (two instructions fewer than `is_heap_tag`, for code that only branches).
    fn heap_bit(&mut self, t: Value) -> Value {
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
        self.call_helper(
            runtime::rt_clear_slot as *const () as usize,
            SigKind::P1Void,
            &[addr],
        );
    }

    /// Calls `helper(ctx, regs, pc)` (the frame helpers' shape: 1 = ok, 0 = error pending)
    /// and leaves for the error exit on failure.
    pub fn call_frame_helper(&mut self, helper: usize, pc: u32) {
        let pcv = self.iconst(types::I32, pc as i64);
        let ok = self
            .call_helper(helper, SigKind::P3R32, &[self.ctx, self.regs, pcv])
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

    /// The block the entry dispatch jumps to for pc 0: a new block for the entry edge (to
    /// be filled by `emit_function_entry`) if that edge has code, else pc 0's own block.
    pub fn entry_block(&mut self, entry: &State) -> Block {
        if self.edge_needs_code(entry, 0) {
            self.b.create_block()
        } else {
            self.block_of(0).1
        }
    }

    /// Function entry: the edge into pc 0 (which may carry guards hoisted to the entry).
    pub fn emit_function_entry(&mut self, entry: &State) {
        self.jump_edge(entry.clone(), 0);
    }

    /// Does the direct-call entry have locals to unbind (else it is the function entry)?
    pub fn direct_entry_has_code(&self) -> bool {
        let proto = self.planner.proto;
        (proto.arity..proto.num_regs).any(|r| self.cfg.live_in[0][r as usize])
    }

    /// Entry of a frame set up by a direct call: live locals start unbound.
    pub fn emit_direct_entry(&mut self, start: Block) {
        let proto = self.planner.proto;
        for r in proto.arity..proto.num_regs {
            if self.cfg.live_in[0][r as usize] {
                let addr = self.slot_addr(r);
                self.call_helper(
                    runtime::rt_set_undef as *const () as usize,
                    SigKind::P1Void,
                    &[addr],
                );
            }
        }
        self.b.ins().jump(start, &[]);
    }

    /// OSR entry at loop header `h`: load and check what the header keeps unboxed, make the
    /// slots it assumes scalar so, then jump into the loop.
    pub fn emit_osr_entry(&mut self, h: u32) {
        let (bi, blk) = self.block_of(h);
        let target = self.states[bi]
            .clone()
            .expect("entered headers are reachable");
        let boxed: State = vec![super::state::RegState::BOXED; target.len()];
        for (r, s) in target.iter().enumerate() {
            let r = r as Reg;
            match s.kind {
                Kind::Dead if s.scalar => self.clear_if_heap(r),
                Kind::Dead => {}
                Kind::Unboxed(ty) => self.guard_load(r, ty, &boxed, h, Why::Osr),
                Kind::Boxed if s.scalar => {
                    self.guards += 1;
                    let t = self.load_tag(r);
                    let heap = self.heap_bit(t);
                    let ok = self.b.ins().bxor_imm_s(heap, 1);
                    self.deopt_unless(ok, &boxed, h, Why::Osr);
                }
                Kind::Boxed => {}
            }
        }
        self.b.ins().jump(blk, &[]);
    }
}

/// Shapes of helper signatures (`P3R32` = three parameters, i32 result).
#[derive(Clone, Copy, Debug)]
pub enum SigKind {
    P3R32,
    P3Void,
    P1R32,
    P1Void,
    P5R32,
    Trace,
    Iter,
    P2R64,
    Box3,
    P4R32,
    Trap,
    P3R64,
}

impl SigKind {
    const COUNT: usize = 12;

    fn shape(self) -> (&'static [types::Type], Option<types::Type>) {
        use types::{I32, I64};
        match self {
            SigKind::P3R32 => (&[I64, I64, I32], Some(I32)),
            SigKind::P3Void => (&[I64, I64, I32], None),
            SigKind::P1R32 => (&[I64], Some(I32)),
            SigKind::P1Void => (&[I64], None),
            SigKind::P5R32 => (&[I64, I64, I64, I32, I64], Some(I32)),
            SigKind::Trace => (&[I32, I32, I32], None),
            SigKind::Iter => (&[I64, I32, I32], Some(I32)),
            SigKind::P2R64 => (&[I64, I64], Some(I64)),
            SigKind::Box3 => (&[I64, I32, I64], None),
            SigKind::P4R32 => (&[I64, I64, I32, I64], Some(I32)),
            SigKind::Trap => (&[I64, I32], None),
            SigKind::P3R64 => (&[I64, I64, I32], Some(I64)),
        }
    }
}

/// What a side exit writes back: each dirty unboxed register with its type, and whether its
/// slot is known to hold no heap value.
type ExitKey = Vec<(Reg, Ty, bool)>;

fn exit_key(st: &State) -> ExitKey {
    st.iter()
        .enumerate()
        .filter_map(|(r, s)| match (s.kind, s.dirty) {
            (Kind::Unboxed(ty), true) => Some((r as Reg, ty, s.scalar)),
            _ => None,
        })
        .collect()
}
