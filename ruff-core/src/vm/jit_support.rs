//! What the VM offers compiled code (DESIGN.md, "What the VM offers the JIT"). The runtime
//! helpers of `abi::helpers` are thin `extern "C"` wrappers over these.
//!
//! Conventions:
//! - `regs` points at `R[0]` of the compiled frame on the VM's stack; `R[-1]` is its closure.
//! - Whoever makes a call counts it in `ctx.depth`: the VM's `invoke` (also inside
//!   `exec_call`) for the calls it makes, compiled code for its direct compiled-to-compiled
//!   calls (check below `MAX_DEPTH`, increment, decrement on return).
//! - Errors: a helper returning `false` leaves the error pending. Compiled code then calls
//!   `push_trace(regs, pc)` for its own frame and returns `Status::Error` — except after
//!   `resume_in_interpreter`, which has already traced the frame it finished.
//! - Deopts: returning `Status::Deopt` is enough (the VM records it). `note_deopt` is only for
//!   deopts compiled code handles itself (for example by calling `resume_in_interpreter`).

use super::calls::Invoked;
use super::ops::{self, Rhs};
use super::regs::{frame_closure, reg};
use super::{Frame, Raised, Vm};
use crate::bytecode::inline_cache::Callee;
use crate::bytecode::{any_operator, BinOp, FuncProto, Instr};
use crate::value::Value;

impl Vm {
    /// Executes one non-control-flow instruction of the frame's prototype at `pc` on the
    /// frame at `regs`, exactly as the interpreter would (generic ops). On error, sets the
    /// pending error (positioned at `pc`) and returns false.
    ///
    /// # Safety
    /// `regs` points at `R[0]` of a live frame whose `R[-1]` is its closure, and `pc` is an
    /// instruction of that closure's prototype.
    pub(crate) unsafe fn exec_generic(&mut self, regs: *mut Value, pc: u32) -> bool {
        // SAFETY: the caller's contract; the closure keeps the prototype alive.
        let proto: &FuncProto = unsafe { &frame_closure(regs).proto };
        let proto: *const FuncProto = proto;
        // SAFETY: as above (a raw round trip so the borrow does not tie up `self`).
        let proto = unsafe { &*proto };
        // SAFETY: the caller's contract.
        match unsafe { self.exec_one(regs, proto, pc as usize) } {
            Ok(()) => true,
            Err(msg) => {
                self.raise_at(proto, pc as usize, msg);
                false
            }
        }
    }

    /// Runs `run`, the generic path of the instruction at `pc` of the compiled frame at
    /// `regs`, whose operands a fast helper decoded already (what `exec_generic` does after
    /// decoding); false = the error it returned is pending, positioned at `pc`.
    ///
    /// # Safety
    /// As `exec_generic`.
    pub(crate) unsafe fn generic_at(
        &mut self,
        regs: *mut Value,
        pc: u32,
        run: impl FnOnce(&mut Vm) -> Result<(), String>,
    ) -> bool {
        match run(self) {
            Ok(()) => true,
            Err(msg) => {
                // SAFETY: the caller's contract.
                unsafe { self.raise_in_frame(regs, pc, msg) };
                false
            }
        }
    }

    /// # Safety
    /// As `exec_generic`.
    unsafe fn exec_one(
        &mut self,
        regs: *mut Value,
        proto: &FuncProto,
        pc: usize,
    ) -> Result<(), String> {
        let instr = proto.code[pc];
        // SAFETY: the instruction's registers belong to the live frame at `regs`, which runs
        // `proto` (the caller's contract).
        unsafe {
            match instr {
                any_operator!() => {
                    // One dispatch on the instruction first: compiled code calls this for
                    // field access and calls too, where testing for operators first costs.
                    if let Some((op, dst, a, b)) = instr.as_binary() {
                        self.binary_generic(regs, op, dst, a, Rhs::Reg(b))?
                    } else if let Some((op, dst, src)) = instr.as_unary() {
                        ops::unary(regs, op, dst, src)?
                    }
                }
                Instr::LoadConst { dst, k } => ops::load_const(regs, dst, proto, k),
                Instr::LoadInt { dst, v } => ops::load_int(regs, dst, v as i64),
                Instr::LoadBool { dst, v } => ops::load_bool(regs, dst, v),
                Instr::LoadNull { dst } => *reg(regs, dst) = Value::Null,
                Instr::Move { dst, src } => ops::move_reg(regs, dst, src),
                Instr::CheckDef { reg, name } => ops::check_def(regs, reg, proto, name)?,
                Instr::GetGlobal { dst, g } => self.get_global(regs, dst, g)?,
                Instr::DefGlobal { g, src } => self.def_global(regs, g, src),
                Instr::SetGlobal { g, src } => self.set_global(regs, g, src)?,
                Instr::NewCell { reg } => ops::new_cell(regs, reg),
                Instr::GetCell { dst, cell, name } => ops::get_cell(regs, dst, cell, proto, name)?,
                Instr::SetCell { cell, src } => ops::set_cell(regs, cell, src),
                Instr::GetUpval { dst, idx, name } => ops::get_upval(regs, dst, idx, proto, name)?,
                Instr::SetUpval { idx, src } => ops::set_upval(regs, idx, src),
                Instr::AddImm { dst, a, imm } => {
                    self.binary_generic(regs, BinOp::Add, dst, a, Rhs::Imm(imm))?
                }
                Instr::BinaryK { op, dst, a, k } => {
                    let y = Rhs::Const(&proto.consts[k as usize]);
                    self.binary_generic(regs, op, dst, a, y)?
                }
                Instr::IterPrep { iter } => Vm::iter_prep(regs, iter)?,
                Instr::MakeClosure { dst, proto: child } => {
                    *reg(regs, dst) = self.make_closure(regs, proto, child)
                }
                Instr::NewArray { dst, start, count } => {
                    *reg(regs, dst) = Vm::new_array(regs, start, count)?
                }
                Instr::NewDict { dst, start, count } => {
                    *reg(regs, dst) = Vm::new_dict(regs, start, count)?
                }
                Instr::NewStruct { dst, lit, start } => {
                    *reg(regs, dst) = Vm::new_struct(regs, proto, lit, start)
                }
                Instr::Concat { dst, start, count } => {
                    *reg(regs, dst) = Vm::concat(regs, start, count)?
                }
                Instr::GetIndex { dst, obj, idx } => self.get_index_slow(regs, dst, obj, idx)?,
                Instr::SetIndex { obj, idx, src } => self.set_index_slow(regs, obj, idx, src)?,
                Instr::GetField { dst, obj, name } => {
                    ops::get_field(regs, dst, obj, proto, name, pc)?
                }
                Instr::SetField { obj, name, src } => {
                    ops::set_field(regs, obj, proto, name, src, pc)?
                }
                Instr::CheckMethod { obj, name } => ops::check_method(regs, obj, proto, name, pc)?,
                other @ (Instr::Jump { .. }
                | Instr::LoopBack { .. }
                | Instr::JumpIfFalse { .. }
                | Instr::JumpIfTrue { .. }
                | Instr::RangePrep { .. }
                | Instr::IterNext { .. }
                | Instr::Call { .. }
                | Instr::CallMethod { .. }
                | Instr::Return { .. }
                | Instr::ReturnNull) => {
                    return Err(format!("internal error: exec_generic on {other:?}"))
                }
            }
        }
        Ok(())
    }

    /// Performs the `Call`/`CallMethod` at `pc` of the compiled frame at `regs`, entering
    /// compiled code or the interpreter; the result is in the frame's `R[base]`. false = error
    /// pending (the callee frames are traced; the compiled frame must still push its own).
    ///
    /// # Safety
    /// As `exec_generic`, and the instruction at `pc` is a call.
    pub(crate) unsafe fn exec_call(&mut self, regs: *mut Value, pc: u32) -> bool {
        // SAFETY: the caller's contract.
        let proto: *const FuncProto = unsafe { &*frame_closure(regs).proto };
        // SAFETY: kept alive by the frame's closure.
        let instr = unsafe { (&(*proto).code)[pc as usize] };
        let base = self.slot_of(regs);
        let shadow = self.push_shadow_frame(base, proto, pc);
        let invoked = match instr {
            Instr::Call { base: b, argc } => self.invoke::<true>(base + b as usize, argc as usize),
            Instr::CallMethod {
                base: b,
                argc,
                name,
            } => self.call_method::<true>(base + b as usize, argc as usize, name, pc as usize),
            other => Err(self.raise(format!("internal error: exec_call on {other:?}"))),
        };
        let ok = match invoked {
            Ok(Invoked::Done) => true,
            Ok(Invoked::Pushed) => match self.run_dispatch(shadow + 1) {
                Ok(v) => {
                    let b = match instr {
                        Instr::Call { base, .. } | Instr::CallMethod { base, .. } => base,
                        _ => unreachable!(),
                    };
                    // SAFETY: `R[b]` is the call's callee slot in the compiled frame.
                    unsafe { *reg(regs, b) = v };
                    true
                }
                Err(Raised) => false,
            },
            Err(Raised) => false,
        };
        self.frames.truncate(shadow);
        ok
    }

    /// For the `CallMethod` at `pc` of the compiled frame at `regs`: when the receiver is a
    /// struct instance whose method of that name takes the receiver plus the call's
    /// arguments and has compiled code, stores the method in the callee slot (as
    /// `call_method` does) and returns the code, so compiled code can call it directly.
    /// Otherwise returns `None` and changes nothing: the call then goes through
    /// `exec_call`, which also raises every lookup and arity error.
    ///
    /// # Safety
    /// As `exec_generic`, and the instruction at `pc` is a `CallMethod`.
    pub(crate) unsafe fn method_target(
        &mut self,
        regs: *mut Value,
        pc: u32,
    ) -> Option<crate::abi::JitEntry> {
        // SAFETY: the caller's contract.
        let proto: &FuncProto = unsafe { &frame_closure(regs).proto };
        let Instr::CallMethod { base, argc, name } = proto.code[pc as usize] else {
            return None;
        };
        // SAFETY: the receiver is a register of the frame.
        let Value::Struct(inst) = (unsafe { &*reg(regs, base + 1) }) else {
            return None;
        };
        // A field holding a function is called through `exec_call`.
        let Callee::Method(method) =
            proto
                .inline_caches
                .callee(pc as usize, &inst.def, &proto.names[name as usize])?
        else {
            return None;
        };
        if method.proto.arity as usize != argc as usize + 1 {
            return None;
        }
        let entry = self.compiled_entry(method.proto.id)?;
        let callee = Value::Func(method.clone());
        // SAFETY: `base` is a register of the frame, distinct from the receiver's (which
        // keeps the instance, and so the method, alive while the old value is dropped).
        unsafe { *reg(regs, base) = callee };
        Some(entry)
    }

    /// Finishes a frame whose compiled code deoptimized: interprets from `resume_pc` until
    /// it returns; the result is stored in `ctx.ret`. On false the error is pending and this
    /// frame's trace entry is already pushed. Does not count a deopt (see `note_deopt`).
    ///
    /// # Safety
    /// `regs` is a live frame written back completely, and `resume_pc` an instruction of its
    /// prototype.
    pub(crate) unsafe fn resume_in_interpreter(
        &mut self,
        regs: *mut Value,
        resume_pc: u32,
    ) -> bool {
        // SAFETY: the caller's contract.
        let proto: *const FuncProto = unsafe { &*frame_closure(regs).proto };
        let base = self.slot_of(regs);
        self.frames.push(Frame {
            base,
            pc: resume_pc as usize,
            proto,
            counted: false,
            traced: false,
        });
        let entry = self.frames.len() - 1;
        match self.run_dispatch(entry) {
            Ok(v) => {
                self.ctx.ret = v;
                true
            }
            Err(Raised) => false,
        }
    }

    /// Records a deopt at `pc` of function `proto_id` (stats, max-deopts bookkeeping).
    pub(crate) fn note_deopt(&mut self, proto_id: u32, pc: u32) {
        self.record_deopt(proto_id, pc);
    }

    /// Appends a trace entry for the compiled frame at `regs`, whose instruction in progress
    /// is `pc`, while an error unwinds through it.
    ///
    /// # Safety
    /// As `exec_generic`.
    pub(crate) unsafe fn push_trace(&mut self, regs: *mut Value, pc: u32) {
        // SAFETY: the caller's contract.
        let proto: *const FuncProto = unsafe { &*frame_closure(regs).proto };
        // SAFETY: kept alive by the frame's closure.
        self.push_trace_entry(unsafe { &*proto }, pc as usize);
    }
}

impl Vm {
    /// Sets the pending error `msg` at `pc` of the compiled frame at `regs` (for runtime
    /// helpers that detect errors themselves, e.g. a caught panic).
    ///
    /// # Safety
    /// As `exec_generic`.
    pub(crate) unsafe fn raise_in_frame(&mut self, regs: *mut Value, pc: u32, msg: String) {
        // SAFETY: the caller's contract.
        let proto: *const FuncProto = unsafe { &*frame_closure(regs).proto };
        // SAFETY: kept alive by the frame's closure.
        self.raise_at(unsafe { &*proto }, pc as usize, msg);
    }
}

impl Vm {
    /// The compiled code the VM currently uses for prototype `proto_id`, if any (the JIT's
    /// direct-call table re-syncs with the code cache through this after a deopt).
    pub(crate) fn compiled_entry(&self, proto_id: u32) -> Option<crate::abi::JitEntry> {
        self.tiers.get(proto_id as usize).and_then(|t| t.entry)
    }
}

impl Vm {
    /// `RangePrep` at `pc` of the compiled frame at `regs`, as the interpreter runs it: the
    /// builtin `range` sets a range state without allocating; a rebound `range` is called
    /// (under a shadow frame, as in `exec_call`). false = error pending (the compiled frame
    /// must still push its own trace entry).
    ///
    /// # Safety
    /// As `exec_generic`, and the instruction at `pc` is a `RangePrep`.
    pub(crate) unsafe fn exec_range_prep(&mut self, regs: *mut Value, pc: u32) -> bool {
        // SAFETY: the caller's contract.
        let proto: *const FuncProto = unsafe { &*frame_closure(regs).proto };
        // SAFETY: kept alive by the frame's closure.
        let Instr::RangePrep { iter, argc } = (unsafe { &(*proto).code })[pc as usize] else {
            // SAFETY: the caller's contract.
            return unsafe { self.exec_generic(regs, pc) };
        };
        // SAFETY: `iter` is a register of the live frame.
        if unsafe { ops::calls_builtin_range(regs, iter) } {
            // SAFETY: the state and argument registers belong to the frame.
            match unsafe { Vm::range_prep(regs, iter, argc) } {
                Ok(()) => true,
                Err(msg) => {
                    // SAFETY: kept alive by the frame's closure.
                    self.raise_at(unsafe { &*proto }, pc as usize, msg);
                    false
                }
            }
        } else {
            let base = self.slot_of(regs);
            let shadow = self.push_shadow_frame(base, proto, pc);
            // SAFETY: the caller's contract; the shadow frame is the top frame.
            let ok = unsafe { self.range_prep_call(regs, iter, argc) }.is_ok();
            self.frames.truncate(shadow);
            ok
        }
    }
}

impl Vm {
    /// Pushes a shadow frame standing for a compiled frame (at value-stack slot `base`,
    /// paused at `pc`) while it calls out: call errors take their position from it, and
    /// nested interpreter loops stop above it. Compiled code traces its own frame, so the
    /// shadow is popped (truncate to the returned index) without a trace entry.
    fn push_shadow_frame(&mut self, base: usize, proto: *const FuncProto, pc: u32) -> usize {
        self.frames.push(Frame {
            base,
            pc: pc as usize + 1,
            proto,
            counted: false,
            traced: true,
        });
        self.frames.len() - 1
    }

    /// Compiled code of `proto_id` is leaving for the interpreter at an instruction that had
    /// never run when it was compiled (no type feedback). The code stays installed: the
    /// deopt that follows (`record_deopt`) counts the trap towards `max-deopts` like any
    /// deopt, so one recompile picks up the feedback of every cold path the interpreter ran
    /// meanwhile (the rest of each trapped call runs there), rather than one recompile per
    /// trap; a path taken rarely costs a few interpreted calls, not a compile. A trap is no
    /// failed speculation: it never adds to the no-speculation set.
    pub(crate) fn note_trap(&mut self, proto_id: u32) {
        if let Some(t) = self.tiers.get_mut(proto_id as usize) {
            t.trapped = true;
        }
    }
}
