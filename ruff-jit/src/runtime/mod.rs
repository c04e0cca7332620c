//! Runtime helpers called by compiled code, and the memory layout facts the code generator
//! bakes into machine code.
//!
//! Every helper is a thin `extern "C"` wrapper over `ruff_core::vm::Vm`'s `jit_support`
//! methods (or over plain `Value` manipulation) so that compiled code shares the
//! interpreter's semantics and error messages exactly. Helpers take the raw pointers of the
//! calling convention (`tier.rs`): `ctx` is the running VM's `JitCtx` and `regs` points at
//! `R[0]` of a live frame on the VM's value stack.
//!
//! No panic unwinds out of a helper: an `extern "C"` frame cannot unwind, so the process
//! would abort. Every helper that runs VM code (which may call the interpreter, builtins and
//! other compiled code) does it inside `guarded` (or `guarded_at`), which catches a panic and
//! returns the helper's error status; the panic becomes the pending runtime error
//! `internal error: ...` at the frame's error path (`rt_error`), and compiled code unwinds
//! as for any runtime error. The helpers without a guard only move tags and
//! payloads, count references or drop values (nothing there panics); `rt_trace_deopt`
//! ignores a failed write to stderr instead of panicking.

pub mod layout;

use ruff_core::tier::JitCtx;
use ruff_core::value::Value;
use ruff_core::vm::Vm;

/// The VM that owns `ctx`.
///
/// # Safety
/// `ctx` is the `JitCtx` of a live VM (`ctx.vm` points at it) and no other reference to that
/// VM is in use while the returned one is.
unsafe fn vm_of<'a>(ctx: *mut JitCtx) -> &'a mut Vm {
    // SAFETY: the caller's contract; the VM sets `ctx.vm` to itself before running code.
    unsafe { &mut *((*ctx).vm as *mut Vm) }
}

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
        // The fault-injection hook of the tests (`tests::HELPER_PANIC_PROBE`).
        #[cfg(test)]
        crate::tests::helper_probe(regs);
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

#[cold]
#[inline(never)]
fn keep_panic(payload: &(dyn std::any::Any + Send)) {
    let what = ruff_core::panic_guard::payload_text(payload);
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

/// One generic (non-control-flow) instruction at `pc`; 1 = ok, 0 = error pending.
pub extern "C" fn rt_generic(ctx: *mut JitCtx, regs: *mut Value, pc: u32) -> u32 {
    // SAFETY: compiled code passes its own ctx and live frame, and `pc` from its prototype;
    // the VM is not otherwise borrowed while compiled code runs.
    guarded(regs, || unsafe { vm_of(ctx).exec_generic(regs, pc) as u32 })
}

/// Stores `v` into a frame slot, releasing the old value only if it owns a reference count
/// (the common case, a scalar overwritten by a scalar, then needs no drop glue at all).
///
/// # Safety
/// `slot` is a register of a live frame holding a valid `Value`, not borrowed elsewhere.
#[inline(always)]
unsafe fn put(slot: *mut Value, v: Value) {
    // SAFETY: the caller's contract; a slot whose tag owns no count needs no drop, so it may
    // be overwritten without running `Value`'s destructor.
    unsafe {
        if ruff_core::value::tag::is_heap((*slot).tag()) {
            *slot = v;
        } else {
            std::ptr::write(slot, v);
        }
    }
}

/// Tag byte and payload word of a frame slot, read without forming a `Value` reference.
///
/// # Safety
/// `slot` points at a valid `Value` (layout: tag at byte 0, payload at byte 8).
#[inline(always)]
unsafe fn raw(slot: *const Value) -> (u8, u64) {
    // SAFETY: the caller's contract and the documented layout of `Value`.
    unsafe {
        (
            *(slot as *const u8),
            *((slot as *const u8).add(8) as *const u64),
        )
    }
}

/// The out-of-line generic path of the fast helpers (kept cold so their fast paths need no
/// large prologue).
#[cold]
#[inline(never)]
fn slow(ctx: *mut JitCtx, regs: *mut Value, pc: u32) -> u32 {
    rt_generic(ctx, regs, pc)
}

/// Writes a scalar (`tag`, payload `bits`) into a frame slot, releasing a heap value the
/// slot held first.
///
/// # Safety
/// As `put`; `tag` is INT, FLOAT or BOOL and `bits` a valid payload for it.
#[inline(always)]
unsafe fn put_raw(slot: *mut Value, t: u8, bits: u64) {
    // SAFETY: the caller's contract and the documented layout of `Value`.
    unsafe {
        if ruff_core::value::tag::is_heap((*slot).tag()) {
            release(slot);
        }
        *(slot as *mut u8) = t;
        *((slot as *mut u8).add(8) as *mut u64) = bits;
    }
}

/// Drops the value in `slot` (leaving Null), out of line: it is the rare case.
#[cold]
#[inline(never)]
unsafe fn release(slot: *mut Value) {
    // SAFETY: the caller's contract (a live frame slot).
    unsafe { *slot = Value::Null }
}

/// The operation codes of `rt_arith` (one monomorphic helper per code).
pub mod op {
    pub const ADD: u8 = 0;
    pub const SUB: u8 = 1;
    pub const MUL: u8 = 2;
    pub const LT: u8 = 3;
    pub const LE: u8 = 4;
    pub const GT: u8 = 5;
    pub const GE: u8 = 6;
    pub const EQ: u8 = 7;
    pub const NE: u8 = 8;
    pub const DIV: u8 = 9;
    pub const MOD: u8 = 10;
    pub const AND: u8 = 11;
    pub const OR: u8 = 12;
    pub const XOR: u8 = 13;
    pub const SHL: u8 = 14;
    pub const SHR: u8 = 15;
    /// `AddImm`: the i16 travels in the `b` field.
    pub const ADD_IMM: u8 = 16;
}

/// Baseline arithmetic and comparisons, one instance per operation code `OP` (see `op`), so
/// the helper does no dispatch of its own: `packed` = `dst | a << 16 | b << 32`. Int and
/// Float operands are handled here with the interpreter's semantics (wrapping Int; IEEE
/// Float); anything else, and every error (division by zero, shift counts), goes through
/// `exec_generic` at `pc`, which raises exactly the interpreter's message. 1 = ok, 0 = error.
pub extern "C" fn rt_arith<const OP: u8>(
    ctx: *mut JitCtx,
    regs: *mut Value,
    pc: u32,
    packed: u64,
) -> u32 {
    use ruff_core::value::tag;
    let field = |shift: u32| ((packed >> shift) & 0xffff) as usize;
    // SAFETY: the registers belong to the live frame at `regs` (compiled code packs the
    // instruction's own operands); the reads end before the write.
    unsafe {
        let (ta, x) = raw(regs.add(field(16)));
        let (tb, y) = if OP == op::ADD_IMM {
            (tag::INT, field(32) as u16 as i16 as i64 as u64)
        } else {
            raw(regs.add(field(32)))
        };
        let int = |v: i64| (tag::INT, v as u64);
        let float = |v: f64| (tag::FLOAT, v.to_bits());
        let boolean = |v: bool| (tag::BOOL, v as u64);
        let (t, bits) = if ta == tag::INT && tb == tag::INT {
            let (x, y) = (x as i64, y as i64);
            match OP {
                op::ADD | op::ADD_IMM => int(x.wrapping_add(y)),
                op::SUB => int(x.wrapping_sub(y)),
                op::MUL => int(x.wrapping_mul(y)),
                op::LT => boolean(x < y),
                op::LE => boolean(x <= y),
                op::GT => boolean(x > y),
                op::GE => boolean(x >= y),
                op::EQ => boolean(x == y),
                op::NE => boolean(x != y),
                op::DIV if y != 0 => int(x.wrapping_div(y)),
                op::MOD if y != 0 => int(x.wrapping_rem(y)),
                op::AND => int(x & y),
                op::OR => int(x | y),
                op::XOR => int(x ^ y),
                op::SHL if (0..=63).contains(&y) => int(x.wrapping_shl(y as u32)),
                op::SHR if (0..=63).contains(&y) => int(x >> y),
                _ => return slow(ctx, regs, pc),
            }
        } else if ta == tag::FLOAT && tb == tag::FLOAT {
            let (x, y) = (f64::from_bits(x), f64::from_bits(y));
            match OP {
                op::ADD => float(x + y),
                op::SUB => float(x - y),
                op::MUL => float(x * y),
                op::LT => boolean(x < y),
                op::LE => boolean(x <= y),
                op::GT => boolean(x > y),
                op::GE => boolean(x >= y),
                op::EQ => boolean(x == y),
                op::NE => boolean(x != y),
                op::DIV => float(x / y),
                op::MOD => float(x % y),
                _ => return slow(ctx, regs, pc),
            }
        } else {
            return slow(ctx, regs, pc);
        };
        put_raw(regs.add(field(0)), t, bits);
    }
    1
}

/// The `rt_arith` instance for operation code `code`.
pub fn arith_helper(code: u8) -> usize {
    let f: extern "C" fn(*mut JitCtx, *mut Value, u32, u64) -> u32 = match code {
        op::ADD => rt_arith::<{ op::ADD }>,
        op::SUB => rt_arith::<{ op::SUB }>,
        op::MUL => rt_arith::<{ op::MUL }>,
        op::LT => rt_arith::<{ op::LT }>,
        op::LE => rt_arith::<{ op::LE }>,
        op::GT => rt_arith::<{ op::GT }>,
        op::GE => rt_arith::<{ op::GE }>,
        op::EQ => rt_arith::<{ op::EQ }>,
        op::NE => rt_arith::<{ op::NE }>,
        op::DIV => rt_arith::<{ op::DIV }>,
        op::MOD => rt_arith::<{ op::MOD }>,
        op::AND => rt_arith::<{ op::AND }>,
        op::OR => rt_arith::<{ op::OR }>,
        op::XOR => rt_arith::<{ op::XOR }>,
        op::SHL => rt_arith::<{ op::SHL }>,
        op::SHR => rt_arith::<{ op::SHR }>,
        _ => rt_arith::<{ op::ADD_IMM }>,
    };
    f as *const () as usize
}

/// Position of Int index `i` in an array of `len` elements (negative counts from the end).
fn array_pos(i: i64, len: usize) -> Option<usize> {
    let i = if i < 0 { i.checked_add(len as i64)? } else { i };
    (0..len as i64).contains(&i).then_some(i as usize)
}

/// `GetIndex` with `packed` = `obj | idx << 16 | dst << 32`: an Array read at an in-range
/// Int index is done here; everything else (and every error) by `exec_generic` at `pc`.
pub extern "C" fn rt_get_index(ctx: *mut JitCtx, regs: *mut Value, pc: u32, packed: u64) -> u32 {
    let at = |shift: u32| regs.wrapping_add(((packed >> shift) & 0xffff) as usize);
    // SAFETY: the registers belong to the live frame at `regs`; the element is cloned and
    // the borrow released before the destination (which may be `obj`) is overwritten.
    unsafe {
        if let (Value::Array(arr), Value::Int(i)) = (&*at(0), &*at(16)) {
            let items = arr.items.borrow();
            if let Some(p) = array_pos(*i, items.len()) {
                let v = items[p].clone();
                drop(items);
                put(at(32), v);
                return 1;
            }
        }
    }
    // SAFETY: as in `rt_generic`.
    guarded(regs, || unsafe { vm_of(ctx).exec_generic(regs, pc) as u32 })
}

/// `SetIndex` with `packed` = `obj | idx << 16 | src << 32`, fast path as `rt_get_index`.
pub extern "C" fn rt_set_index(ctx: *mut JitCtx, regs: *mut Value, pc: u32, packed: u64) -> u32 {
    let at = |shift: u32| regs.wrapping_add(((packed >> shift) & 0xffff) as usize);
    // SAFETY: as in `rt_get_index`; the replaced element is dropped after the borrow ends.
    unsafe {
        if let (Value::Array(arr), Value::Int(i)) = (&*at(0), &*at(16)) {
            let mut items = arr.items.borrow_mut();
            if let Some(p) = array_pos(*i, items.len()) {
                let elem = items.as_mut_ptr().add(p);
                let heap = ruff_core::value::tag::is_heap;
                if !heap((*at(32)).tag()) && !heap((*elem).tag()) {
                    // Scalar over scalar: a bitwise copy, no counts to adjust, nothing to drop.
                    std::ptr::copy_nonoverlapping(at(32), elem, 1);
                    return 1;
                }
                let v = (*at(32)).clone();
                let old = std::mem::replace(&mut items[p], v);
                drop(items);
                drop(old);
                return 1;
            }
        }
    }
    // SAFETY: as in `rt_generic`.
    guarded(regs, || unsafe { vm_of(ctx).exec_generic(regs, pc) as u32 })
}

/// The `RangePrep` at `pc` (builtin `range` or a call of a rebound one); 1 = ok, 0 = error.
pub extern "C" fn rt_range_prep(ctx: *mut JitCtx, regs: *mut Value, pc: u32) -> u32 {
    // SAFETY: as in `rt_generic`; the instruction at `pc` is a `RangePrep`.
    guarded(regs, || unsafe {
        vm_of(ctx).exec_range_prep(regs, pc) as u32
    })
}

/// The compiled code a `CallMethod` at `pc` can call directly (the method is then in the
/// callee slot), or 0 (see `Vm::method_target`).
pub extern "C" fn rt_method_target(ctx: *mut JitCtx, regs: *mut Value, pc: u32) -> usize {
    // SAFETY: as in `rt_generic`; the instruction at `pc` is a `CallMethod`. After a panic
    // (error pending) 0 sends the call down the VM's path, which raises the pending error.
    guarded_at(ctx, regs, pc, 0, || unsafe {
        vm_of(ctx).method_target(regs, pc)
    })
}

/// The `Call`/`CallMethod` at `pc` through the VM; 1 = ok, 0 = error pending.
pub extern "C" fn rt_call(ctx: *mut JitCtx, regs: *mut Value, pc: u32) -> u32 {
    // SAFETY: as in `rt_generic`; the instruction at `pc` is a call.
    guarded(regs, || unsafe { vm_of(ctx).exec_call(regs, pc) as u32 })
}

/// A two-argument `Call` at `pc` with callee slot `base`: `push(array, v)` (or its alias
/// `append`) is done here, as the interpreter's own fast path does it, without the VM's
/// general call path; every other callee and every error goes through `Vm::exec_call`. As in
/// the interpreter, the argument registers are temporaries the call consumes, so they are
/// moved from (left Null) instead of cloned: no reference count changes.
pub extern "C" fn rt_call_push(ctx: *mut JitCtx, regs: *mut Value, pc: u32, base: u64) -> u32 {
    use ruff_core::builtins::id;
    let at = |i: u64| regs.wrapping_add(base as usize + i as usize);
    // SAFETY: `base..=base+2` are registers of the live frame at `regs` (the callee slot and
    // the call's two arguments). The pushed value is moved out before the array is borrowed,
    // the borrow ends before the array is moved out of its register, and the callee slot (a
    // `Builtin`, which owns nothing, so it is overwritten without a drop) receives it.
    unsafe {
        if let (Value::Builtin(id::PUSH | id::APPEND), Value::Array(arr)) = (&*at(0), &*at(1)) {
            let v = std::mem::take(&mut *at(2));
            arr.items.borrow_mut().push(v);
            let result = std::mem::take(&mut *at(1));
            std::ptr::write(at(0), result);
            return 1;
        }
    }
    rt_call(ctx, regs, pc)
}

/// Address of the VM's global slot 0, cached in `cell` for compiled `GetGlobal`s (the
/// globals never move: the VM allocates one slot per global name up front).
pub extern "C" fn rt_globals_base(ctx: *mut JitCtx, cell: *mut usize) -> usize {
    // SAFETY: as in `rt_generic`; `cell` is the tier's cache word for this program.
    unsafe {
        let base = vm_of(ctx).global_slot_ptr(0) as usize;
        *cell = base;
        base
    }
}

/// Error path of a compiled frame: pushes its trace entry (instruction in progress `pc`).
pub extern "C" fn rt_error(ctx: *mut JitCtx, regs: *mut Value, pc: u32) {
    // A helper of this frame caught a panic: it is the error.
    raise_kept_panic(ctx, regs, pc);
    // SAFETY: as in `rt_generic`.
    unsafe { vm_of(ctx).push_trace(regs, pc) }
}

/// Truthiness of a boxed value (`LANGUAGE.md`: false, null, 0, 0.0, "", [] and {} are false).
pub extern "C" fn rt_truthy(slot: *const Value) -> u32 {
    // SAFETY: `slot` is a register of a live frame, holding a valid `Value`.
    ruff_core::values::truthy(unsafe { &*slot }) as u32
}

/// Releases a heap value in a register that compiled code is about to overwrite with an
/// unboxed scalar (the slot becomes Null), so no reference count leaks.
pub extern "C" fn rt_clear_slot(slot: *mut Value) {
    // SAFETY: `slot` is a register of a live frame; assigning drops the old value once.
    unsafe { *slot = Value::Null }
}

/// Boxes an unboxed scalar into a register whose old value may be a heap value (a side exit
/// writing back a slot not known to be scalar): the old value is released exactly once.
pub extern "C" fn rt_box(slot: *mut Value, tag: u32, bits: u64) {
    let v = match tag as u8 {
        ruff_core::value::tag::INT => Value::Int(bits as i64),
        ruff_core::value::tag::FLOAT => Value::Float(f64::from_bits(bits)),
        _ => Value::Bool(bits & 1 != 0),
    };
    // SAFETY: `slot` is a register of a live frame; assigning drops the old value once.
    unsafe { *slot = v }
}

/// Makes a register unbound (`Undef`), releasing what it held (entry of a frame entered by
/// a direct call: locals that `CheckDef` reads must start unbound, as `Vm::enter_closure`
/// makes them).
pub extern "C" fn rt_set_undef(slot: *mut Value) {
    // SAFETY: as in `rt_clear_slot`.
    unsafe { *slot = Value::Undef }
}

/// Generic `IterNext` (the interpreter's semantics): 1 = `R[dst]` holds the next value,
/// 0 = exhausted.
pub extern "C" fn rt_iter_next(regs: *mut Value, iter: u32, dst: u32) -> u32 {
    let at = |i: u32| regs.wrapping_add(i as usize);
    // SAFETY: `iter..=iter+2` and `dst` are registers of the live frame at `regs`, prepared
    // by `IterPrep`/`RangePrep`; each is accessed through a short-lived reference.
    unsafe {
        // Int ranges first, straight from the tag bytes and payload words.
        let (t0, next) = raw(at(iter));
        let (t1, stop) = raw(at(iter + 1));
        let (t2, step) = raw(at(iter + 2));
        if t0 == ruff_core::value::tag::INT
            && t1 == ruff_core::value::tag::INT
            && t2 == ruff_core::value::tag::INT
        {
            let (next, stop, step) = (next as i64, stop as i64, step as i64);
            let more = if step > 0 { next < stop } else { next > stop };
            if !more {
                return 0;
            }
            // `R[iter]` holds an Int: overwriting it needs no drop.
            std::ptr::write(at(iter), Value::Int(next.checked_add(step).unwrap_or(stop)));
            put(at(dst), Value::Int(next));
            return 1;
        }
        match &*at(iter) {
            Value::Int(next) => {
                let next = *next;
                let (stop, step) = match (&*at(iter + 1), &*at(iter + 2)) {
                    (Value::Int(s), Value::Int(t)) => (*s, *t),
                    _ => return 0,
                };
                let more = if step > 0 { next < stop } else { next > stop };
                if !more {
                    return 0;
                }
                // `R[iter]` holds an Int: no drop needed.
                std::ptr::write(at(iter), Value::Int(next.checked_add(step).unwrap_or(stop)));
                put(at(dst), Value::Int(next));
                1
            }
            Value::Array(arr) => {
                let i = match &*at(iter + 1) {
                    Value::Int(i) => *i as usize,
                    _ => return 0,
                };
                let item = arr.items.borrow().get(i).cloned();
                match item {
                    Some(v) => {
                        *at(iter + 1) = Value::Int(i as i64 + 1);
                        *at(dst) = v;
                        1
                    }
                    None => 0,
                }
            }
            _ => 0,
        }
    }
}

/// A directly called compiled callee (frame at `regs`, prototype `proto_id`, code `entry`)
/// deoptimized: records the deopt (unless `entry` is stale code the VM already replaced,
/// whose still-active frames must not count against the new code), refreshes the direct-call table entry from the VM's code cache (the VM
/// may have dropped the code), and finishes the frame in the interpreter. 1 = the result is
/// in `ctx.ret`; 0 = error pending, the callee's trace entry already pushed.
pub extern "C" fn rt_callee_deopt(
    ctx: *mut JitCtx,
    regs: *mut Value,
    table: *mut usize,
    proto_id: u32,
    entry: usize,
) -> u32 {
    // SAFETY: as in `rt_generic`; `table` is the tier's direct-call table, which has an entry
    // for every prototype of the running program.
    unsafe {
        let resume = (*ctx).resume_pc;
        let vm = vm_of(ctx);
        let current = vm.compiled_entry(proto_id).map_or(0, |e| e as usize);
        if current == entry {
            vm.note_deopt(proto_id, resume);
        }
        *table.add(proto_id as usize) = vm.compiled_entry(proto_id).map_or(0, |e| e as usize);
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

/// A side exit at an instruction that never ran before compilation: have the VM drop the
/// code and recompile it once the interpreter has recorded feedback there.
pub extern "C" fn rt_trap(ctx: *mut JitCtx, proto_id: u32) {
    // SAFETY: as in `rt_generic`.
    unsafe { vm_of(ctx).request_recompile(proto_id) }
}

/// `--trace-jit`: one line per deopt taken by compiled code.
pub extern "C" fn rt_trace_deopt(proto_id: u32, pc: u32, why: u32) {
    use std::io::Write;
    let why = match why {
        0 => "type guard failed",
        1 => "hoisted type guard failed",
        2 => "OSR entry guard failed",
        3 => "integer division by zero / overflow check",
        4 => "shift count out of range",
        5 => "instruction never ran before compilation (no feedback)",
        _ => "guard failed",
    };
    // `eprintln!` would panic if stderr is closed; a lost trace line is harmless.
    let _ = writeln!(
        std::io::stderr(),
        "[jit] deopt in function #{proto_id} at pc {pc}: {why}"
    );
}
