//! Calls: the `push(array, v)` fast path shared by the interpreter and compiled code's
//! `CallPush` helper, and `CheckMethod`. Closure entry is `Vm::prepare_closure_frame` and
//! `push_closure_frame` in `vm/calls.rs`, which the dispatch loop's inline call path uses
//! too.

use crate::builtins::id;
use crate::bytecode::{FuncProto, Reg};
use crate::value::Value;
use crate::vm::calls::method_lookup_error;
use crate::vm::regs::{put, reg};

/// `R[base] = push(R[base+1], R[base+2])` (or `append`) when `R[base]` is that builtin and
/// `R[base+1]` an Array that has or can get room; false, with nothing changed, otherwise.
/// The argument registers are temporaries the call consumes, so they are moved from (left
/// Null): no reference count changes, and the array moves into the result slot.
///
/// # Safety
/// `base..=base+2` are registers of the live frame at `regs`.
#[inline(always)]
pub(crate) unsafe fn push_fast(regs: *mut Value, base: Reg) -> bool {
    // SAFETY: registers of the live frame (the caller's contract).
    unsafe {
        if let (Value::Builtin(id::PUSH | id::APPEND), Value::Array(arr)) =
            (&*reg(regs, base), &*reg(regs, base + 1))
        {
            let mut items = arr.items.borrow_mut();
            // A full array that cannot grow takes the builtin's path, which reports
            // `out of memory` at the call.
            if crate::mem::reserve(&mut items, 1).is_err() {
                return false;
            }
            items.push(std::mem::take(reg(regs, base + 2)));
            drop(items);
            let array = std::mem::take(reg(regs, base + 1));
            put(regs.add(base as usize), array);
            return true;
        }
    }
    false
}

/// `CheckMethod`: the error the lookup of `R[obj].N[name](...)` raises, raised early.
///
/// # Safety
/// `obj` is a register of the live frame at `regs`, which runs `proto`.
// Out of line for the same reason as `get_field`.
#[inline(never)]
pub(crate) unsafe fn check_method(
    regs: *mut Value,
    obj: Reg,
    proto: &FuncProto,
    name: u16,
    pc: usize,
) -> Result<(), String> {
    // SAFETY: the caller's contract.
    let recv = unsafe { &*reg(regs, obj) };
    if let Value::Struct(inst) = recv {
        let name = &proto.names[name as usize];
        if proto.inline_caches.callee(pc, &inst.def, name).is_some() {
            return Ok(());
        }
    }
    match method_lookup_error(recv, &proto.names[name as usize]) {
        Some(msg) => Err(msg),
        None => Ok(()),
    }
}
