//! The runtime helpers compiled code calls, and their signatures (`Helper`).
//!
//! Every helper is a thin `extern "C"` wrapper over the VM's own instruction semantics
//! (`vm::jit_support` and the per-family functions it shares with the interpreter), so
//! compiled code has the interpreter's behaviour and error messages by construction. They
//! take the raw pointers of the calling convention (`ctx.rs`): `ctx` is the running VM's
//! `JitCtx` and `regs` points at `R[0]` of a live frame on the VM's value stack. Frame
//! helpers return 1 when the instruction completed and 0 when an error is pending.

use super::ctx::{DeoptReason, JitCtx, JitEntry};
use crate::bytecode::{BinOp, Reg};
use crate::value::{tag, Value};
use crate::vm::ops::{
    append_in_place, binary_scalar, equality_shallow, get_index_fast, iter_next, push_fast,
    set_index_fast, Rhs,
};
use crate::vm::regs::{frame_closure, reg};
use crate::vm::Vm;

/// A helper compiled code can call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Helper {
    /// `(ctx, regs, pc) -> ok`: one non-control-flow instruction, the generic way.
    Generic,
    /// `(ctx, regs, pc, operands) -> ok`: a binary operator (`Operands::binary`), Ints and
    /// Floats without leaving the helper, everything else the generic way.
    Binary,
    /// `(ctx, regs, pc, operands) -> ok`: `GetIndex` (`Operands::index`), Array with Int
    /// index without leaving the helper.
    GetIndex,
    /// `(ctx, regs, pc, operands) -> ok`: `SetIndex`, as `GetIndex`.
    SetIndex,
    /// `(ctx, regs, pc) -> ok`: `RangePrep`.
    RangePrep,
    /// `(ctx, regs, pc) -> code or null`: the compiled method a `CallMethod` may call
    /// directly (the method is then in the callee slot).
    MethodTarget,
    /// `(ctx, regs, pc) -> ok`: a `Call`/`CallMethod` through the VM.
    Call,
    /// `(ctx, regs, pc, base) -> ok`: a two-argument `Call` that may be `push(array, v)`.
    CallPush,
    /// `(ctx, regs, pc)`: the error path of a compiled frame pushes its trace entry.
    Error,
    /// `(slot) -> bool`: truthiness of a boxed value.
    Truthy,
    /// `(slot)`: releases the slot's value; it becomes Null.
    ClearSlot,
    /// `(slot, tag, bits)`: boxes an unboxed scalar into a slot that may hold a heap value.
    Box,
    /// `(slot)`: the slot becomes unbound (`Undef`).
    SetUndef,
    /// `(regs, iter, dst) -> more`: the generic `IterNext`.
    IterNext,
    /// `(ctx, callee regs, call table, proto id, entry) -> ok`: a directly called compiled
    /// callee deoptimized; finish it in the interpreter (result in `ctx.ret`).
    CalleeDeopt,
    /// `(ctx, proto id)`: a side exit at an instruction without feedback: recompile later.
    Trap,
    /// `(proto id, pc, reason)`: `--trace-jit` prints a deopt.
    TraceDeopt,
}

/// `JitCtx::sample_pc` of ticks compiled code took at a return: the sample names the
/// function without a line.
pub const NO_LINE: u32 = u32::MAX;

/// The address of the sampling profiler's tick counter (`sampler::TICKS`, a `u32` that is
/// non-zero when a sample is due), which compiled code made for profiling tests at its
/// loop back-edges: it takes the ticks (an atomic exchange with 0), adds them to
/// `JitCtx::sample_weight` and stores its location in the context, calling nothing.
pub fn sample_ticks_addr() -> *const u32 {
    crate::sampler::TICKS.as_ptr() as *const u32
}

/// A parameter or result of a helper, as machine code passes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    /// A pointer (64 bits on every target Cranelift compiles for here).
    Ptr,
    U32,
    U64,
}

const _: () = assert!(std::mem::size_of::<*const u8>() == 8);

impl Helper {
    /// The helper's entry point.
    pub fn address(self) -> *const u8 {
        let f: *const () = match self {
            Helper::Generic => rt_generic as *const (),
            Helper::Binary => rt_binary as *const (),
            Helper::GetIndex => rt_get_index as *const (),
            Helper::SetIndex => rt_set_index as *const (),
            Helper::RangePrep => rt_range_prep as *const (),
            Helper::MethodTarget => rt_method_target as *const (),
            Helper::Call => rt_call as *const (),
            Helper::CallPush => rt_call_push as *const (),
            Helper::Error => rt_error as *const (),
            Helper::Truthy => rt_truthy as *const (),
            Helper::ClearSlot => rt_clear_slot as *const (),
            Helper::Box => rt_box as *const (),
            Helper::SetUndef => rt_set_undef as *const (),
            Helper::IterNext => rt_iter_next as *const (),
            Helper::CalleeDeopt => rt_callee_deopt as *const (),
            Helper::Trap => rt_trap as *const (),
            Helper::TraceDeopt => rt_trace_deopt as *const (),
        };
        f as *const u8
    }

    /// Parameters and result, in order (they match the `extern "C"` definitions below).
    pub fn signature(self) -> (&'static [Arg], Option<Arg>) {
        use Arg::*;
        match self {
            Helper::Generic | Helper::RangePrep | Helper::Call => (&[Ptr, Ptr, U32], Some(U32)),
            Helper::Binary | Helper::GetIndex | Helper::SetIndex | Helper::CallPush => {
                (&[Ptr, Ptr, U32, U64], Some(U32))
            }
            Helper::MethodTarget => (&[Ptr, Ptr, U32], Some(Ptr)),
            Helper::Error => (&[Ptr, Ptr, U32], None),
            Helper::Truthy => (&[Ptr], Some(U32)),
            Helper::ClearSlot | Helper::SetUndef => (&[Ptr], None),
            Helper::Box => (&[Ptr, U32, U64], None),
            Helper::IterNext => (&[Ptr, U32, U32], Some(U32)),
            Helper::CalleeDeopt => (&[Ptr, Ptr, Ptr, U32, Ptr], Some(U32)),
            Helper::Trap => (&[Ptr, U32], None),
            Helper::TraceDeopt => (&[U32, U32, U32], None),
        }
    }
}

/// The operand word of the helpers that take one: register indices packed 16 bits each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operands(pub u64);

impl Operands {
    /// `Helper::Binary`: `R[dst] = R[a] op R[b]`.
    pub fn binary(op: BinOp, dst: Reg, a: Reg, b: Reg) -> Operands {
        Operands(dst as u64 | (a as u64) << 16 | (b as u64) << 32 | (op as u64) << 48)
    }

    /// `Helper::Binary` with an immediate right operand: `R[dst] = R[a] op imm` (`AddImm`,
    /// and `BinaryK` with a small Int constant).
    pub fn binary_imm(op: BinOp, dst: Reg, a: Reg, imm: i16) -> Operands {
        Operands(dst as u64 | (a as u64) << 16 | (imm as u16 as u64) << 32 | (op as u64) << 48)
            | Operands::IMMEDIATE
    }

    /// `Helper::Binary` for `BinaryK`: `R[dst] = R[a] op K[k]`.
    pub fn binary_k(op: BinOp, dst: Reg, a: Reg, k: u16) -> Operands {
        Operands(dst as u64 | (a as u64) << 16 | (k as u64) << 32 | (op as u64) << 48)
            | Operands::CONSTANT
    }

    /// `Helper::GetIndex` (`R[c] = R[a][R[b]]`) and `Helper::SetIndex` (`R[a][R[b]] = R[c]`).
    pub fn index(a: Reg, b: Reg, c: Reg) -> Operands {
        Operands(a as u64 | (b as u64) << 16 | (c as u64) << 32)
    }

    /// Set in a binary operand word whose third field is an i16 immediate.
    const IMMEDIATE: Operands = Operands(1 << 56);
    /// Set in a binary operand word whose third field indexes the function's constants.
    const CONSTANT: Operands = Operands(1 << 57);

    fn field(self, i: u32) -> u16 {
        (self.0 >> (16 * i)) as u16
    }
}

impl std::ops::BitOr for Operands {
    type Output = Operands;
    fn bitor(self, o: Operands) -> Operands {
        Operands(self.0 | o.0)
    }
}

/// Fault injection for a tier's tests (feature `fault-injection`, which only test builds
/// enable): a guarded helper called by compiled code of a function of this name panics.
#[cfg(feature = "fault-injection")]
pub const HELPER_PANIC_PROBE: &str = "helper_panic_probe";

thread_local! {
    /// A panic a status helper caught, waiting for its frame's error path (`rt_error`, which
    /// compiled code calls after every helper that returned "error pending") to become the
    /// pending error there. Keeping it here, not in the VM, means the guard needs none of the
    /// helper's arguments after the call: the guarded fast path costs a few instructions.
    static CAUGHT: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Runs `body`, VM work of a helper whose 0 means "error pending" (then compiled code calls
/// `rt_error` for its frame); a panic is kept for `rt_error` and becomes 0.
#[inline(always)]
fn guarded(regs: *mut Value, body: impl FnOnce() -> u32) -> u32 {
    let run = || {
        #[cfg(feature = "fault-injection")]
        probe(regs);
        let _ = regs;
        body()
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(status) => status,
        Err(payload) => {
            keep_panic(&*payload);
            0
        }
    }
}

/// Panics if the compiled frame at `regs` runs `HELPER_PANIC_PROBE`.
#[cfg(feature = "fault-injection")]
fn probe(regs: *mut Value) {
    // SAFETY: helpers receive `R[0]` of a live frame, whose `R[-1]` is its closure.
    if let Value::Func(c) = unsafe { &*regs.sub(1) } {
        if &*c.proto.trace_name == HELPER_PANIC_PROBE {
            panic!("injected helper panic");
        }
    }
}

#[cold]
#[inline(never)]
fn keep_panic(payload: &(dyn std::any::Any + Send)) {
    let what = crate::panic_guard::payload_text(payload);
    CAUGHT.with(|c| *c.borrow_mut() = Some(what));
}

/// As `guarded`, for helpers whose failure value does not lead to `rt_error`: the panic
/// becomes the pending error `internal error: ...` at `pc` of the frame at `regs` at once.
#[inline(always)]
fn guarded_at<R>(
    ctx: *mut JitCtx,
    regs: *mut Value,
    pc: u32,
    failed: R,
    body: impl FnOnce() -> R,
) -> R {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)) {
        Ok(r) => r,
        Err(payload) => {
            keep_panic(&*payload);
            raise_kept_panic(ctx, regs, pc);
            failed
        }
    }
}

/// Turns a kept panic into the pending error `internal error: MESSAGE` at `pc`.
#[cold]
#[inline(never)]
fn raise_kept_panic(ctx: *mut JitCtx, regs: *mut Value, pc: u32) {
    if let Some(what) = CAUGHT.with(|c| c.borrow_mut().take()) {
        // SAFETY: the helper's own arguments (see `rt_generic`); the panicking borrow of the
        // VM ended with the unwinding.
        unsafe { vm_of(ctx).raise_in_frame(regs, pc, format!("internal error: {what}")) }
    }
}

/// The VM that owns `ctx`.
///
/// # Safety
/// `ctx` is the `JitCtx` of a live VM and no other reference to that VM is in use while the
/// returned one is (compiled code runs on the VM's thread while the VM waits for it).
unsafe fn vm_of<'a>(ctx: *mut JitCtx) -> &'a mut Vm {
    // SAFETY: the caller's contract; the VM sets `ctx.vm` to itself before running code.
    unsafe { &mut *(*ctx).vm }
}

extern "C" fn rt_generic(ctx: *mut JitCtx, regs: *mut Value, pc: u32) -> u32 {
    drain_check(ctx);
    // SAFETY: compiled code passes its own ctx and live frame, and `pc` from its prototype
    // (for `exec_call`, a call); the VM is not otherwise borrowed while compiled code runs.
    let ok = guarded(regs, || unsafe { vm_of(ctx).exec_generic(regs, pc) as u32 });
    sample_check(ctx, regs, pc);
    ok
}

/// The sampling profiler's check on the way back to compiled code (`sampler`): the frame
/// at `regs` is in a helper at `pc`.
#[inline(always)]
fn sample_check(ctx: *mut JitCtx, regs: *mut Value, pc: u32) {
    // SAFETY: `ctx` is the running VM's context (the helpers' contract).
    if crate::sampler::pending() || unsafe { (*ctx).sample_weight } != 0 {
        // SAFETY: as in `rt_generic`; the helper's own VM borrow has ended.
        unsafe { vm_of(ctx).sample_helper(regs, pc) }
    }
}

/// On entry to a helper that may change the VM's frames: samples compiled code took belong
/// to the stack as it is now, so they are recorded first.
#[inline(always)]
fn drain_check(ctx: *mut JitCtx) {
    // SAFETY: as in `sample_check`.
    if unsafe { (*ctx).sample_weight } != 0 {
        // SAFETY: as in `rt_generic`.
        unsafe { vm_of(ctx).drain_compiled_samples() }
    }
}

/// The out-of-line generic path of a fast helper: `run` performs the instruction at `pc`
/// the generic way, on operands the helper has decoded already (so the instruction is not
/// decoded and dispatched again, as `rt_generic` would); an error becomes the pending error
/// at `pc`. Cold, so the fast paths need no large prologue.
#[cold]
#[inline(never)]
fn slow(
    ctx: *mut JitCtx,
    regs: *mut Value,
    pc: u32,
    run: impl FnOnce(&mut Vm) -> Result<(), String>,
) -> u32 {
    // SAFETY: as in `rt_generic`.
    guarded(regs, || unsafe {
        vm_of(ctx).generic_at(regs, pc, run) as u32
    })
}

extern "C" fn rt_binary(ctx: *mut JitCtx, regs: *mut Value, pc: u32, ops: u64) -> u32 {
    let ops = Operands(ops);
    let op = BinOp::from_code(ops.field(3) as u8).expect("compiled code packs a valid operator");
    let (dst, a) = (ops.field(0), ops.field(1));
    let rhs = if ops.0 & Operands::IMMEDIATE.0 != 0 {
        Rhs::Imm(ops.field(2) as i16)
    } else if ops.0 & Operands::CONSTANT.0 != 0 {
        // SAFETY: `regs` is the live frame of the function whose constant this is; its
        // closure (in `R[-1]`) keeps the constants alive.
        let consts = unsafe { &frame_closure(regs).proto.consts };
        Rhs::Const(&consts[ops.field(2) as usize])
    } else {
        Rhs::Reg(ops.field(2))
    };
    // SAFETY: the registers are the instruction's own operands in the live frame at `regs`.
    if unsafe { binary_scalar(regs, op, dst, a, rhs) } {
        return 1;
    }
    // Equality tests (`op == "add"`, `x == null`) and `s = s + t` without the VM's
    // generic path.
    if let Rhs::Reg(b) = rhs {
        // SAFETY: as above.
        if unsafe {
            equality_shallow(regs, op, dst, a, &*reg(regs, b))
                || append_in_place(regs, op, dst, a, b)
        } {
            return 1;
        }
    }
    // SAFETY: as above.
    slow(ctx, regs, pc, |vm| unsafe {
        vm.binary_generic(regs, op, dst, a, rhs)
    })
}

extern "C" fn rt_get_index(ctx: *mut JitCtx, regs: *mut Value, pc: u32, ops: u64) -> u32 {
    let ops = Operands(ops);
    let (obj, idx, dst) = (ops.field(0), ops.field(1), ops.field(2));
    // SAFETY: the registers are the instruction's own operands in the live frame.
    if unsafe { get_index_fast(regs, dst, obj, idx) } {
        return 1;
    }
    // SAFETY: as above.
    slow(ctx, regs, pc, |vm| unsafe {
        vm.get_index_slow(regs, dst, obj, idx)
    })
}

extern "C" fn rt_set_index(ctx: *mut JitCtx, regs: *mut Value, pc: u32, ops: u64) -> u32 {
    let ops = Operands(ops);
    let (obj, idx, src) = (ops.field(0), ops.field(1), ops.field(2));
    // SAFETY: the registers are the instruction's own operands in the live frame.
    if unsafe { set_index_fast(regs, obj, idx, src) } {
        return 1;
    }
    // SAFETY: as above.
    slow(ctx, regs, pc, |vm| unsafe {
        vm.set_index_slow(regs, obj, idx, src)
    })
}

extern "C" fn rt_range_prep(ctx: *mut JitCtx, regs: *mut Value, pc: u32) -> u32 {
    // SAFETY: as in `rt_generic`; the instruction at `pc` is a `RangePrep`.
    guarded(regs, || unsafe {
        vm_of(ctx).exec_range_prep(regs, pc) as u32
    })
}

extern "C" fn rt_method_target(ctx: *mut JitCtx, regs: *mut Value, pc: u32) -> Option<JitEntry> {
    // SAFETY: as in `rt_generic`; the instruction at `pc` is a `CallMethod`. After a panic
    // (error pending) `None` sends the call down the VM's path, which raises the pending
    // error.
    guarded_at(ctx, regs, pc, None, || unsafe {
        vm_of(ctx).method_target(regs, pc)
    })
}

extern "C" fn rt_call(ctx: *mut JitCtx, regs: *mut Value, pc: u32) -> u32 {
    drain_check(ctx);
    // SAFETY: compiled code passes its own ctx and live frame, and `pc` from its prototype
    // (for `exec_call`, a call); the VM is not otherwise borrowed while compiled code runs.
    let ok = guarded(regs, || unsafe { vm_of(ctx).exec_call(regs, pc) as u32 });
    sample_check(ctx, regs, pc);
    ok
}

extern "C" fn rt_call_push(ctx: *mut JitCtx, regs: *mut Value, pc: u32, base: u64) -> u32 {
    // SAFETY: `base..=base+2` are registers of the live frame at `regs` (the callee slot and
    // the call's two arguments).
    if unsafe { push_fast(regs, base as Reg) } {
        return 1;
    }
    rt_call(ctx, regs, pc)
}

extern "C" fn rt_error(ctx: *mut JitCtx, regs: *mut Value, pc: u32) {
    // A helper of this frame caught a panic: it is the error.
    raise_kept_panic(ctx, regs, pc);
    // SAFETY: as in `rt_generic`.
    unsafe { vm_of(ctx).push_trace(regs, pc) }
}

extern "C" fn rt_truthy(slot: *const Value) -> u32 {
    // SAFETY: `slot` is a register of a live frame, holding a valid `Value`.
    crate::values::truthy(unsafe { &*slot }) as u32
}

/// Releases a heap value in a register that compiled code is about to overwrite with an
/// unboxed scalar, so no reference count leaks.
extern "C" fn rt_clear_slot(slot: *mut Value) {
    // SAFETY: `slot` is a register of a live frame; assigning drops the old value once.
    unsafe { *slot = Value::Null }
}

/// Boxes an unboxed scalar into a register whose old value may be a heap value (a side exit
/// writing back a slot not known to be scalar): the old value is released exactly once.
extern "C" fn rt_box(slot: *mut Value, t: u32, bits: u64) {
    let v = match t as u8 {
        tag::INT => Value::Int(bits as i64),
        tag::FLOAT => Value::Float(f64::from_bits(bits)),
        _ => Value::Bool(bits & 1 != 0),
    };
    // SAFETY: `slot` is a register of a live frame; assigning drops the old value once.
    unsafe { *slot = v }
}

/// Makes a register unbound (entry of a frame entered by a direct call: locals that
/// `CheckDef` reads must start unbound, as `Vm::enter_closure` makes them).
extern "C" fn rt_set_undef(slot: *mut Value) {
    // SAFETY: as in `rt_clear_slot`.
    unsafe { *slot = Value::Undef }
}

extern "C" fn rt_iter_next(regs: *mut Value, iter: u32, dst: u32) -> u32 {
    // SAFETY: `iter..=iter+2` and `dst` are registers of the live frame at `regs`, prepared
    // by `IterPrep`/`RangePrep`.
    unsafe { iter_next(regs, iter as Reg, dst as Reg) as u32 }
}

/// A directly called compiled callee (frame at `regs`, prototype `proto_id`, code `entry`)
/// deoptimized: records the deopt (unless `entry` is stale code the VM already replaced,
/// whose still-active frames must not count against the new code), refreshes the direct-call
/// table entry from the VM's code cache (the VM may have dropped the code), and finishes the
/// frame in the interpreter. 1 = the result is in `ctx.ret`; 0 = error pending, the
/// callee's trace entry already pushed.
extern "C" fn rt_callee_deopt(
    ctx: *mut JitCtx,
    regs: *mut Value,
    table: *mut Option<JitEntry>,
    proto_id: u32,
    entry: Option<JitEntry>,
) -> u32 {
    // SAFETY: as in `rt_generic`; `table` is the tier's direct-call table, which has an entry
    // for every prototype of the running program.
    unsafe {
        let resume = (*ctx).resume_pc;
        let vm = vm_of(ctx);
        let current = vm.compiled_entry(proto_id);
        if current.map(|f| f as usize) == entry.map(|f| f as usize) {
            vm.note_deopt(proto_id, resume);
        }
        *table.add(proto_id as usize) = vm.compiled_entry(proto_id);
    }
    let finished = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: as above; the frame is complete (written back) for the interpreter.
        unsafe { vm_of(ctx).resume_in_interpreter(regs, (*ctx).resume_pc) as u32 }
    }));
    finished.unwrap_or_else(|payload| {
        // The contract of a 0 here: error pending and the callee's trace entry pushed.
        keep_panic(&*payload);
        // SAFETY: as in `rt_generic`; `resume_pc` is an instruction of the callee.
        rt_error(ctx, regs, unsafe { (*ctx).resume_pc });
        0
    })
}

extern "C" fn rt_trap(ctx: *mut JitCtx, proto_id: u32) {
    // SAFETY: as in `rt_generic`.
    unsafe { vm_of(ctx).note_trap(proto_id) }
}

extern "C" fn rt_trace_deopt(proto_id: u32, pc: u32, why: u32) {
    use std::io::Write;
    let why = DeoptReason::from_code(why).map_or("guard failed", DeoptReason::describe);
    // `eprintln!` would panic if stderr is closed; a lost trace line is harmless.
    let _ = writeln!(
        std::io::stderr(),
        "[jit] deopt in function #{proto_id} at pc {pc}: {why}"
    );
}

/// Finishes the frame at `regs` in the interpreter from `pc` (for tiers that hand a frame
/// back without a deopt, e.g. test doubles): 1 = the result is in `ctx.ret`, 0 = error
/// pending with this frame already traced.
///
/// # Safety
/// As the calling convention: `ctx` is the running VM's context, `regs` a live frame written
/// back completely and `pc` an instruction of its prototype.
pub unsafe extern "C" fn resume_in_interpreter(ctx: *mut JitCtx, regs: *mut Value, pc: u32) -> u32 {
    // SAFETY: the caller's contract.
    unsafe { vm_of(ctx).resume_in_interpreter(regs, pc) as u32 }
}
