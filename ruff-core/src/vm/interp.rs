//! The dispatch loop, generic over `PROFILE`: `interp` runs the copy without any profiling
//! code; the other presets run the copy that records feedback, counts back-edges and calls
//! (closure calls on the inline `Call` path, the rest in `enter_closure`) and enters
//! compiled code. Both copies fuse the same instruction pairs; a fused instruction records
//! the feedback it would record on its own, at its own pc.
//!
//! What an instruction does is written once, in `vm/ops/` (and the `Vm` methods of
//! `exec.rs`, `iter.rs`, `calls.rs`), which the generic executor and the JIT's runtime
//! helpers run too; this loop only dispatches, records feedback, fuses, and moves between
//! frames. It keeps the running frame in locals (`regs`, `code`, `pc`) and writes `pc` back
//! to the frame only before anything that can look at frames (calls, errors, OSR). Int/Float
//! arithmetic and comparisons, branches on Bool, array indexing by Int and range/array
//! loops take the inline fast paths of `ops`; errors go to `#[cold]` functions.

use super::calls::Invoked;
use super::glue;
use super::ops::{self, Rhs};
use super::profiling::CallTier;
use super::regs::{move_over_closure, put, put_over_closure, put_scalar, reg};
use super::{Raised, Vm};
use crate::bytecode::{BinOp, FuncProto, Instr, UnOp};
use crate::profile::{lhs_bit, rhs_bit};
use crate::value::{tag, Scalar, Value};

/// Outcome of reaching a hot `LoopBack` (see `tiering`).
pub(crate) enum OsrExit {
    /// Keep interpreting the loop.
    NotEntered,
    /// The compiled code ran the frame to its end.
    Returned(Value),
    /// The compiled code deoptimized; go on at this pc.
    Resume(usize),
    /// An error is pending; this frame's trace entry is already pushed.
    Failed,
}

impl Vm {
    /// Runs from the top frame until the frame at index `entry` returns; its result is
    /// returned (not stored). On error, every frame from the top down to `entry` has been
    /// popped and has added its trace entry.
    pub(crate) fn run<const PROFILE: bool>(&mut self, entry: usize) -> Result<Value, Raised> {
        let stack = self.stack_ptr();
        let top = *self.frames.last().expect("a frame to run");
        let mut base = top.base;
        // SAFETY: `top.base` lies in the stack (checked when the frame was pushed).
        let mut regs: *mut Value = unsafe { stack.add(base) };
        // SAFETY: the closure in `R[-1]` keeps the prototype alive while the frame runs.
        let mut proto: &FuncProto = unsafe { &*top.proto };
        let mut code: *const Instr = proto.code.as_ptr();
        let mut pc = top.pc;
        // The running function's feedback words and back-edge counters (profiling loop only).
        let mut fb: *mut u32 = std::ptr::null_mut();
        let mut be: *mut u32 = std::ptr::null_mut();

        // Points `fb` and `be` at the profile of `proto`. Redone whenever the running
        // function changes (and only then). The pointers stay valid across calls, compiles
        // and deopts: the profile vectors are allocated once (`Vm::new`) and never resized,
        // and everything else writes them through raw pointers too
        // (`FuncProfile::reset_backedges`) or only reads them, so no `&mut` to the buffers
        // is made while they are in use.
        macro_rules! load_profile {
            () => {
                if PROFILE {
                    // SAFETY: see `Vm::profile_unchecked`; `proto` is a prototype of the
                    // program.
                    let p = unsafe { self.profile_unchecked(proto.id) };
                    fb = p.feedback.as_mut_ptr();
                    be = p.backedges.as_mut_ptr();
                }
            };
        }
        load_profile!();
        // The tiering policy, read once: it does not change while the VM runs.
        let policy = self.policy;
        let osr_at = policy.osr_at;

        // The running frame, the top of `frames`: the loop runs only while a frame above
        // `entry` exists (every return compares with `entry`, every error returns), so the
        // index is in bounds and no emptiness check is needed on the call path.
        macro_rules! top {
            () => {{
                debug_assert!(self.frames.len() > entry);
                let n = self.frames.len() - 1;
                // SAFETY: `n < len` (see above).
                unsafe { self.frames.get_unchecked_mut(n) }
            }};
        }
        // Reloads the locals from the top frame after a call or return changed it.
        macro_rules! reload {
            () => {{
                let f = *top!();
                switch_to!(f);
            }};
        }
        // Makes the loop's locals run frame `f` (the top frame).
        macro_rules! switch_to {
            ($f:expr) => {{
                let f: super::Frame = $f;
                base = f.base;
                // SAFETY: as at entry.
                regs = unsafe { stack.add(base) };
                let same = std::ptr::eq(f.proto, proto);
                // SAFETY: as at entry.
                proto = unsafe { &*f.proto };
                code = proto.code.as_ptr();
                pc = f.pc;
                // Same function as before (a recursive call returned): `fb` and `be` already
                // point at its profile.
                if !same {
                    load_profile!();
                }
            }};
        }
        macro_rules! save_pc {
            () => {
                self.frames.last_mut().expect("a frame to run").pc = pc
            };
        }
        // Raises `$msg` at the current instruction and unwinds to `entry`.
        macro_rules! throw {
            ($msg:expr) => {{
                save_pc!();
                return Err(self.fail(entry, $msg));
            }};
        }
        macro_rules! check {
            ($e:expr) => {
                if let Err(msg) = $e {
                    throw!(msg);
                }
            };
        }
        // An operation on the running frame's registers (the `ops` functions, the `Vm`
        // methods taking `regs`).
        macro_rules! frame {
            ($e:expr) => {
                // SAFETY: every register an instruction names is below `num_regs` of the
                // running prototype (verified: registers, `bytecode::verify`), the frame
                // window was checked to fit the stack when pushed, and `R[-1]` holds the
                // running closure, which runs `proto`.
                unsafe { $e }
            };
        }
        macro_rules! r {
            ($i:expr) => {
                frame!(reg(regs, $i))
            };
        }
        // Adds `$bits` to the feedback of the instruction being executed (`pc - 1`). The
        // fast paths, which know the operand tags, pass constants (one `or` to memory).
        macro_rules! record {
            ($bits:expr) => {
                record_at!(pc - 1, $bits)
            };
        }
        macro_rules! record_at {
            ($at:expr, $bits:expr) => {
                if PROFILE {
                    let bits: u32 = $bits;
                    // SAFETY: `fb` has one word per instruction of `proto`, and `$at` is an
                    // instruction of it: the one being executed, or the one a fused
                    // instruction runs (verified: fallthrough).
                    unsafe { *fb.add($at) |= bits }
                }
            };
        }
        // A binary operator (the right operand a register or an immediate): the Int/Float
        // fast path, else the generic path. A comparison that feeds the next instruction's
        // `JumpIfFalse`/`JumpIfTrue` (most do) takes the branch here and saves a dispatch;
        // the Bool is still written, so the register holds what the bytecode says.
        macro_rules! binary {
            ($op:expr, $dst:expr, $a:expr, $rhs:expr) => {{
                let (op, dst, a, rhs): (BinOp, _, _, Rhs) = ($op, $dst, $a, $rhs);
                match frame!(ops::scalar_binary(regs, op, a, rhs)) {
                    Some((s, bits)) => {
                        record!(bits);
                        frame!(put_scalar(regs.add(dst as usize), s));
                        if let Scalar::Bool(v) = s {
                            // SAFETY: a comparison falls through, so an instruction follows
                            // it (verified: fallthrough).
                            match unsafe { *code.add(pc) } {
                                Instr::JumpIfFalse { cond, target } if cond == dst => {
                                    record_at!(pc, lhs_bit(tag::BOOL));
                                    pc = if v { pc + 1 } else { target as usize };
                                }
                                Instr::JumpIfTrue { cond, target } if cond == dst => {
                                    record_at!(pc, lhs_bit(tag::BOOL));
                                    pc = if v { target as usize } else { pc + 1 };
                                }
                                _ => {}
                            }
                        }
                    }
                    None => {
                        record!(frame!(ops::operand_bits(regs, a, rhs)));
                        check!(frame!(self.binary_generic(regs, op, dst, a, rhs)));
                    }
                }
            }};
        }
        // Runs the binary operator instruction at `pc` in the current dispatch.
        macro_rules! fused {
            ($op:expr, $dst:expr, $a:expr, $b:expr) => {{
                pc += 1;
                binary!($op, $dst, $a, Rhs::Reg($b))
            }};
        }
        // Superinstructions without new opcodes: after a constant load, if the next
        // instruction is an arithmetic or comparison op whose right operand is the constant
        // just loaded, run it here and skip its dispatch. Number literals as right operands
        // compile to `BinaryK` now, so this rarely fires (a constant past `BinaryK`'s 16-bit
        // pool index); it stays because removing it cost every kernel 1.5-5.5% (callgrind),
        // through the loop's register allocation. It is exactly the next instruction, so behaviour (including errors, whose
        // span is `pc - 1` after the skip) is unchanged; so is its feedback, recorded at
        // `pc - 1`, the fused instruction's own pc.
        macro_rules! fuse_after_const {
            ($k:expr) => {{
                // SAFETY: a load falls through, so an instruction follows it (verified:
                // fallthrough).
                match unsafe { *code.add(pc) } {
                    Instr::Add { dst, a, b } if b == $k => fused!(BinOp::Add, dst, a, b),
                    Instr::Sub { dst, a, b } if b == $k => fused!(BinOp::Sub, dst, a, b),
                    Instr::Mul { dst, a, b } if b == $k => fused!(BinOp::Mul, dst, a, b),
                    Instr::Mod { dst, a, b } if b == $k => fused!(BinOp::Mod, dst, a, b),
                    Instr::Lt { dst, a, b } if b == $k => fused!(BinOp::Lt, dst, a, b),
                    Instr::Le { dst, a, b } if b == $k => fused!(BinOp::Le, dst, a, b),
                    Instr::Gt { dst, a, b } if b == $k => fused!(BinOp::Gt, dst, a, b),
                    Instr::Ge { dst, a, b } if b == $k => fused!(BinOp::Ge, dst, a, b),
                    _ => {}
                }
            }};
        }
        // `R[obj][R[idx]] = R[src]`, inline for an Array with an Int index.
        macro_rules! set_index {
            ($obj:expr, $idx:expr, $src:expr) => {{
                let (obj, idx, src) = ($obj, $idx, $src);
                record!(frame!(ops::operand_bits(regs, obj, Rhs::Reg(idx))));
                if !frame!(ops::set_index_fast(regs, obj, idx, src)) {
                    check!(frame!(self.set_index_slow(regs, obj, idx, src)));
                }
            }};
        }
        // Pops the running frame. If it is the frame at `entry`, returns `$last` from `run`;
        // else evaluates to the popped frame and its caller (the new top frame), the caller
        // read before the result is stored (a store the compiler would assume aliases it).
        macro_rules! leave_frame {
            ($last:expr) => {{
                let f = *top!();
                let n = self.frames.len() - 1;
                // SAFETY: `Frame` is `Copy` (nothing to drop); this pops the frame just read.
                unsafe { self.frames.set_len(n) };
                // Branch-free: most frames count.
                self.ctx.depth -= f.counted as u32;
                if n == entry {
                    return Ok($last);
                }
                // SAFETY: `n > entry >= 0` frames remain, so `n - 1` is one of them.
                (f, unsafe { *self.frames.get_unchecked(n - 1) })
            }};
        }
        macro_rules! do_return {
            ($v:expr) => {{
                let v = $v;
                let (f, caller) = leave_frame!(v);
                // SAFETY: `base >= 1`, and `R[-1]` is the caller's callee slot, which holds
                // the returning frame's closure.
                unsafe { put_over_closure(stack.add(f.base - 1), v) };
                switch_to!(caller);
            }};
        }
        macro_rules! after_call {
            ($res:expr) => {
                match $res {
                    // Returned in place: the same function runs on, `fb` and `be` still
                    // point at its profile.
                    Ok(Invoked::Done) => {}
                    Ok(Invoked::Pushed) => reload!(),
                    Err(Raised) => return Err(self.unwind(entry)),
                }
            };
        }

        loop {
            // SAFETY: `pc` starts at 0 or a pc saved from this loop, and moves only to a
            // jump target or past an instruction that falls through, each of which is an
            // instruction of the function (verified: jumps, fallthrough; a function has
            // code, verified: shape), so `pc < code.len()`.
            let instr = unsafe { *code.add(pc) };
            pc += 1;
            match instr {
                Instr::LoadConst { dst, k } => {
                    frame!(ops::load_const(regs, dst, proto, k));
                    fuse_after_const!(dst);
                }
                Instr::LoadInt { dst, v } => {
                    frame!(ops::load_int(regs, dst, v as i64));
                    fuse_after_const!(dst);
                }
                Instr::LoadBool { dst, v } => {
                    frame!(ops::load_bool(regs, dst, v));
                    // `a[i] = true/false` (a sieve's flags): store it in the same dispatch.
                    // SAFETY: a load falls through, so an instruction follows it
                    // (verified: fallthrough).
                    if let Instr::SetIndex { obj, idx, src } = unsafe { *code.add(pc) } {
                        if src == dst {
                            pc += 1;
                            set_index!(obj, idx, src);
                        }
                    }
                }
                Instr::LoadNull { dst } => frame!(put(regs.add(dst as usize), Value::Null)),
                Instr::Move { dst, src } => frame!(ops::move_reg(regs, dst, src)),
                Instr::CheckDef { reg, name } => {
                    check!(frame!(ops::check_def(regs, reg, proto, name)))
                }
                Instr::GetGlobal { dst, g } => check!(frame!(self.get_global(regs, dst, g))),
                Instr::DefGlobal { g, src } => frame!(self.def_global(regs, g, src)),
                Instr::SetGlobal { g, src } => check!(frame!(self.set_global(regs, g, src))),
                Instr::NewCell { reg } => frame!(ops::new_cell(regs, reg)),
                Instr::GetCell { dst, cell, name } => {
                    check!(frame!(ops::get_cell(regs, dst, cell, proto, name)))
                }
                Instr::SetCell { cell, src } => frame!(ops::set_cell(regs, cell, src)),
                Instr::GetUpval { dst, idx, name } => {
                    check!(frame!(ops::get_upval(regs, dst, idx, proto, name)))
                }
                Instr::SetUpval { idx, src } => frame!(ops::set_upval(regs, idx, src)),

                // One arm per operator opcode, so each is its own dispatch target with the
                // operator a constant (see `ops::scalar_binary`).
                Instr::Add { dst, a, b } => binary!(BinOp::Add, dst, a, Rhs::Reg(b)),
                Instr::Sub { dst, a, b } => binary!(BinOp::Sub, dst, a, Rhs::Reg(b)),
                Instr::Mul { dst, a, b } => binary!(BinOp::Mul, dst, a, Rhs::Reg(b)),
                Instr::Div { dst, a, b } => binary!(BinOp::Div, dst, a, Rhs::Reg(b)),
                Instr::Mod { dst, a, b } => binary!(BinOp::Mod, dst, a, Rhs::Reg(b)),
                Instr::AddImm { dst, a, imm } => binary!(BinOp::Add, dst, a, Rhs::Imm(imm)),
                // The operators loops run most get a copy with the operator a constant.
                Instr::BinaryK { op, dst, a, k } => {
                    // SAFETY: `k` indexes the running function's constants (verified:
                    // pools), which live as long as its code.
                    let y = Rhs::Const(unsafe { proto.consts.as_ptr().add(k as usize) });
                    match op {
                        BinOp::Add => binary!(BinOp::Add, dst, a, y),
                        BinOp::Sub => binary!(BinOp::Sub, dst, a, y),
                        BinOp::Mul => binary!(BinOp::Mul, dst, a, y),
                        BinOp::Lt => binary!(BinOp::Lt, dst, a, y),
                        _ => binary!(op, dst, a, y),
                    }
                }
                // The operator is data here: the kernels branch on it.
                Instr::Binary { op, dst, a, b } => binary!(op, dst, a, Rhs::Reg(b)),
                Instr::Eq { dst, a, b } => binary!(BinOp::Eq, dst, a, Rhs::Reg(b)),
                Instr::Ne { dst, a, b } => binary!(BinOp::Ne, dst, a, Rhs::Reg(b)),
                Instr::Lt { dst, a, b } => binary!(BinOp::Lt, dst, a, Rhs::Reg(b)),
                Instr::Le { dst, a, b } => binary!(BinOp::Le, dst, a, Rhs::Reg(b)),
                Instr::Gt { dst, a, b } => binary!(BinOp::Gt, dst, a, Rhs::Reg(b)),
                Instr::Ge { dst, a, b } => binary!(BinOp::Ge, dst, a, Rhs::Reg(b)),
                Instr::Neg { dst, src } => {
                    record!(lhs_bit(r!(src).tag()));
                    check!(frame!(ops::unary(regs, UnOp::Neg, dst, src)));
                }
                Instr::Not { dst, src } => {
                    record!(lhs_bit(r!(src).tag()));
                    check!(frame!(ops::unary(regs, UnOp::Not, dst, src)));
                }
                Instr::BitNot { dst, src } => {
                    record!(lhs_bit(r!(src).tag()));
                    check!(frame!(ops::unary(regs, UnOp::BitNot, dst, src)));
                }
                // No feedback: `&&`/`||` values are not specialized on.
                Instr::Truthy { dst, src } => {
                    check!(frame!(ops::unary(regs, UnOp::Truthy, dst, src)))
                }

                Instr::Jump { target } => pc = target as usize,
                Instr::LoopBack { target } => {
                    // The sampling profiler's check (`sampler`): one load and branch.
                    if crate::sampler::pending() {
                        save_pc!();
                        self.sample_interp();
                    }
                    if PROFILE {
                        // SAFETY: `be` has one counter per instruction of `proto`, and
                        // `pc - 1` is this `LoopBack`.
                        let count = unsafe {
                            let c = be.add(pc - 1);
                            *c = (*c).wrapping_add(1);
                            *c
                        };
                        if count as u64 == osr_at {
                            save_pc!();
                            // SAFETY: `regs` is the running frame (the top frame).
                            let exit = unsafe { self.try_osr(regs, proto, target) };
                            // Not needed for validity (see `load_profile!`), but this cold
                            // reload measurably helps LLVM's register allocation of the loop.
                            load_profile!();
                            match exit {
                                OsrExit::NotEntered => {}
                                OsrExit::Returned(v) => {
                                    do_return!(v);
                                    continue;
                                }
                                OsrExit::Resume(at) => {
                                    pc = at;
                                    continue;
                                }
                                OsrExit::Failed => {
                                    self.frames.last_mut().expect("frame").traced = true;
                                    return Err(self.unwind(entry));
                                }
                            }
                        }
                    }
                    pc = target as usize;
                    // The header of a `for` loop over a range is its `IterNext`: step it
                    // here and save that dispatch on every iteration.
                    // The header of a `while` loop is usually its comparison (then the
                    // fused branch); run that here too.
                    // Each records its feedback at its own pc, as when dispatched alone.
                    // SAFETY: `target` is an instruction of `proto` (verified: jumps).
                    match unsafe { *code.add(pc) } {
                        Instr::IterNext { iter, dst, exit } => {
                            if let Value::Int(next) = *r!(iter) {
                                pc += 1;
                                record!(lhs_bit(tag::INT));
                                if !frame!(ops::range_next(regs, iter, dst, next)) {
                                    pc = exit as usize;
                                }
                            }
                        }
                        Instr::Lt { dst, a, b } => fused!(BinOp::Lt, dst, a, b),
                        Instr::Le { dst, a, b } => fused!(BinOp::Le, dst, a, b),
                        _ => {}
                    }
                }
                Instr::JumpIfFalse { cond, target } => {
                    let t = match &*r!(cond) {
                        Value::Bool(b) => {
                            record!(lhs_bit(tag::BOOL));
                            *b
                        }
                        c => {
                            record!(lhs_bit(c.tag()));
                            glue::truthy(c)
                        }
                    };
                    if !t {
                        pc = target as usize;
                    }
                }
                Instr::JumpIfTrue { cond, target } => {
                    let t = match &*r!(cond) {
                        Value::Bool(b) => {
                            record!(lhs_bit(tag::BOOL));
                            *b
                        }
                        c => {
                            record!(lhs_bit(c.tag()));
                            glue::truthy(c)
                        }
                    };
                    if t {
                        pc = target as usize;
                    }
                }

                Instr::IterPrep { iter } => check!(frame!(Vm::iter_prep(regs, iter))),
                Instr::RangePrep { iter, argc } => {
                    if frame!(ops::calls_builtin_range(regs, iter)) {
                        check!(frame!(Vm::range_prep(regs, iter, argc)));
                    } else {
                        save_pc!();
                        if frame!(self.range_prep_call(regs, iter, argc)).is_err() {
                            return Err(self.unwind(entry));
                        }
                    }
                }
                Instr::IterNext { iter, dst, exit } => {
                    record!(lhs_bit(r!(iter).tag()));
                    if !frame!(ops::iter_next(regs, iter, dst)) {
                        pc = exit as usize;
                    }
                }

                Instr::Call { base: b, argc } => {
                    if crate::sampler::pending() {
                        save_pc!();
                        self.sample_interp();
                    }
                    // `push(a, x)` / `append(a, x)` on an array, the usual way to build
                    // arrays: done here without the builtin call machinery. Tested before
                    // the closure path: the other order cost array building 0.6% and, through
                    // the loop's register allocation, fib 0.7% (callgrind).
                    if argc == 2 && frame!(ops::push_fast(regs, b)) {
                        continue;
                    }
                    // A closure: push its frame and switch the loop's locals to it directly
                    // (what `invoke` + `reload!` do, minus re-reading the frame). The
                    // profiling loop counts the call and may run compiled code instead,
                    // exactly as `enter_closure` does. Anything else takes the general path.
                    if let Value::Func(c) = &*r!(b) {
                        let p: *const FuncProto = std::rc::Rc::as_ptr(&c.proto);
                        // SAFETY: the closure in `R[b]` keeps its prototype alive; it becomes
                        // the new frame's `R[-1]`, which the frame never overwrites.
                        let callee: &FuncProto = unsafe { &*p };
                        let slot = base + b as usize;
                        if PROFILE {
                            // Counting may compile and run the callee (see below).
                            save_pc!();
                        }
                        // The checks, and the pc saved only if one fails (the common case
                        // saves it with the push below); the shared path then raises.
                        let new_base =
                            match self.try_prepare_closure_frame(slot, argc as usize, callee) {
                                Some(b) => b,
                                None => {
                                    save_pc!();
                                    let Ok(b) =
                                        self.prepare_closure_frame(slot, argc as usize, callee)
                                    else {
                                        return Err(self.unwind(entry));
                                    };
                                    b
                                }
                            };
                        if PROFILE {
                            // SAFETY: this loop profiles; `callee` is a prototype of the
                            // program.
                            match unsafe { self.count_call(callee, &policy) } {
                                CallTier::Interpret { fb: f, be: e } => (fb, be) = (f, e),
                                CallTier::Compiled(jit) => {
                                    let res = self.call_compiled(slot, callee, jit);
                                    after_call!(res);
                                    continue;
                                }
                            }
                        }
                        self.push_call_frame(pc, new_base, p);
                        base = new_base;
                        // SAFETY: the frame window fits the stack (checked by
                        // `prepare_closure_frame`).
                        regs = unsafe { stack.add(base) };
                        proto = callee;
                        code = callee.code.as_ptr();
                        pc = 0;
                        continue;
                    }
                    save_pc!();
                    let res = self.invoke::<PROFILE>(base + b as usize, argc as usize);
                    after_call!(res);
                }
                Instr::CallMethod {
                    base: b,
                    argc,
                    name,
                } => {
                    save_pc!();
                    let res =
                        self.call_method::<PROFILE>(base + b as usize, argc as usize, name, pc - 1);
                    after_call!(res);
                }
                Instr::CheckMethod { obj, name } => {
                    check!(frame!(ops::check_method(regs, obj, proto, name, pc - 1)))
                }
                Instr::Return { src } => {
                    let (f, caller) = leave_frame!(std::mem::take(r!(src)));
                    // SAFETY: as in `do_return!`; `R[src]` is a register of the frame just
                    // popped (its window is still in the stack), not the callee slot below it.
                    unsafe { move_over_closure(stack.add(f.base - 1), regs.add(src as usize)) };
                    switch_to!(caller);
                }
                Instr::ReturnNull => {
                    do_return!(Value::Null);
                }

                Instr::MakeClosure { dst, proto: child } => {
                    let v = frame!(self.make_closure(regs, proto, child));
                    *r!(dst) = v;
                }
                Instr::NewArray { dst, start, count } => {
                    match frame!(Vm::new_array(regs, start, count)) {
                        Ok(v) => *r!(dst) = v,
                        Err(msg) => throw!(msg),
                    }
                }
                Instr::NewDict { dst, start, count } => {
                    match frame!(Vm::new_dict(regs, start, count)) {
                        Ok(v) => *r!(dst) = v,
                        Err(msg) => throw!(msg),
                    }
                }
                Instr::NewStruct { dst, lit, start } => {
                    let v = frame!(Vm::new_struct(regs, proto, lit, start));
                    *r!(dst) = v;
                }
                Instr::Concat { dst, start, count } => {
                    match frame!(Vm::concat(regs, start, count)) {
                        Ok(v) => *r!(dst) = v,
                        Err(msg) => throw!(msg),
                    }
                }

                Instr::GetIndex { dst, obj, idx } => {
                    if frame!(ops::get_index_fast(regs, dst, obj, idx)) {
                        record!(lhs_bit(tag::ARRAY) | rhs_bit(tag::INT));
                        continue;
                    }
                    record!(frame!(ops::operand_bits(regs, obj, Rhs::Reg(idx))));
                    check!(frame!(self.get_index_slow(regs, dst, obj, idx)));
                }
                Instr::SetIndex { obj, idx, src } => set_index!(obj, idx, src),
                Instr::GetField { dst, obj, name } => {
                    check!(frame!(ops::get_field(regs, dst, obj, proto, name, pc - 1)))
                }
                Instr::SetField { obj, name, src } => {
                    check!(frame!(ops::set_field(regs, obj, proto, name, src, pc - 1)))
                }
            }
        }
    }
}
