//! Runtime helpers called by compiled code, and the memory layout facts the code generator
//! bakes into machine code.
//!
//! Every helper is a thin `extern "C"` wrapper over `ruff_core::vm::Vm`'s `jit_support`
//! methods (or over plain `Value` manipulation) so that compiled code shares the
//! interpreter's semantics and error messages exactly. Helpers take the raw pointers of the
//! calling convention (`tier.rs`): `ctx` is the running VM's `JitCtx` and `regs` points at
//! `R[0]` of a live frame on the VM's value stack.

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

/// One generic (non-control-flow) instruction at `pc`; 1 = ok, 0 = error pending.
pub extern "C" fn rt_generic(ctx: *mut JitCtx, regs: *mut Value, pc: u32) -> u32 {
    // SAFETY: compiled code passes its own ctx and live frame, and `pc` from its prototype;
    // the VM is not otherwise borrowed while compiled code runs.
    unsafe { vm_of(ctx).exec_generic(regs, pc) as u32 }
}

/// Baseline arithmetic and comparisons: `packed` = `op | dst << 8 | a << 24 | b << 40`
/// (op: 0 add, 1 sub, 2 mul, 3 lt, 4 le, 5 gt, 6 ge, 7 eq, 8 ne). Int and Float operands are
/// handled here with the interpreter's semantics (wrapping Int; IEEE Float); anything else
/// goes through `exec_generic` at `pc`. 1 = ok, 0 = error pending.
pub extern "C" fn rt_arith(ctx: *mut JitCtx, regs: *mut Value, pc: u32, packed: u64) -> u32 {
    let op = packed & 0xff;
    let at = |shift: u32| regs.wrapping_add(((packed >> shift) & 0xffff) as usize);
    // SAFETY: the three registers belong to the live frame at `regs` (compiled code packs
    // the instruction's own operands); the reads end before the write.
    unsafe {
        let v = match (&*at(24), &*at(40)) {
            (Value::Int(x), Value::Int(y)) => {
                let (x, y) = (*x, *y);
                match op {
                    0 => Value::Int(x.wrapping_add(y)),
                    1 => Value::Int(x.wrapping_sub(y)),
                    2 => Value::Int(x.wrapping_mul(y)),
                    3 => Value::Bool(x < y),
                    4 => Value::Bool(x <= y),
                    5 => Value::Bool(x > y),
                    6 => Value::Bool(x >= y),
                    7 => Value::Bool(x == y),
                    _ => Value::Bool(x != y),
                }
            }
            (Value::Float(x), Value::Float(y)) => {
                let (x, y) = (*x, *y);
                match op {
                    0 => Value::Float(x + y),
                    1 => Value::Float(x - y),
                    2 => Value::Float(x * y),
                    3 => Value::Bool(x < y),
                    4 => Value::Bool(x <= y),
                    5 => Value::Bool(x > y),
                    6 => Value::Bool(x >= y),
                    7 => Value::Bool(x == y),
                    _ => Value::Bool(x != y),
                }
            }
            _ => return vm_of(ctx).exec_generic(regs, pc) as u32,
        };
        *at(8) = v;
    }
    1
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
                *at(32) = v;
                return 1;
            }
        }
        vm_of(ctx).exec_generic(regs, pc) as u32
    }
}

/// `SetIndex` with `packed` = `obj | idx << 16 | src << 32`, fast path as `rt_get_index`.
pub extern "C" fn rt_set_index(ctx: *mut JitCtx, regs: *mut Value, pc: u32, packed: u64) -> u32 {
    let at = |shift: u32| regs.wrapping_add(((packed >> shift) & 0xffff) as usize);
    // SAFETY: as in `rt_get_index`; the replaced element is dropped after the borrow ends.
    unsafe {
        if let (Value::Array(arr), Value::Int(i)) = (&*at(0), &*at(16)) {
            let mut items = arr.items.borrow_mut();
            if let Some(p) = array_pos(*i, items.len()) {
                let v = (*at(32)).clone();
                let old = std::mem::replace(&mut items[p], v);
                drop(items);
                drop(old);
                return 1;
            }
        }
        vm_of(ctx).exec_generic(regs, pc) as u32
    }
}

/// The `RangePrep` at `pc` (builtin `range` or a call of a rebound one); 1 = ok, 0 = error.
pub extern "C" fn rt_range_prep(ctx: *mut JitCtx, regs: *mut Value, pc: u32) -> u32 {
    // SAFETY: as in `rt_generic`; the instruction at `pc` is a `RangePrep`.
    unsafe { vm_of(ctx).exec_range_prep(regs, pc) as u32 }
}

/// The `Call`/`CallMethod` at `pc` through the VM; 1 = ok, 0 = error pending.
pub extern "C" fn rt_call(ctx: *mut JitCtx, regs: *mut Value, pc: u32) -> u32 {
    // SAFETY: as in `rt_generic`; the instruction at `pc` is a call.
    unsafe { vm_of(ctx).exec_call(regs, pc) as u32 }
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
                *at(iter) = Value::Int(next.checked_add(step).unwrap_or(stop));
                *at(dst) = Value::Int(next);
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
        vm.resume_in_interpreter(regs, resume) as u32
    }
}

/// A side exit at an instruction that never ran before compilation: have the VM drop the
/// code and recompile it once the interpreter has recorded feedback there.
pub extern "C" fn rt_trap(ctx: *mut JitCtx, proto_id: u32) {
    // SAFETY: as in `rt_generic`.
    unsafe { vm_of(ctx).request_recompile(proto_id) }
}

/// `--trace-jit`: one line per deopt taken by compiled code.
pub extern "C" fn rt_trace_deopt(proto_id: u32, pc: u32, why: u32) {
    let why = match why {
        0 => "type guard failed",
        1 => "hoisted type guard failed",
        2 => "OSR entry guard failed",
        3 => "integer division by zero / overflow check",
        4 => "shift count out of range",
        5 => "instruction never ran before compilation (no feedback)",
        _ => "guard failed",
    };
    eprintln!("[jit] deopt in function #{proto_id} at pc {pc}: {why}");
}
