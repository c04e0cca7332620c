//! Indexing and fields: the Array-with-Int-index fast paths shared by the interpreter and
//! compiled code's `GetIndex`/`SetIndex` helpers (index resolution is
//! `values::resolve_index`; the generic paths are `Vm::get_index_slow`/`set_index_slow`),
//! and `GetField`/`SetField`.

use crate::bytecode::inline_cache::Member;
use crate::bytecode::{FuncProto, Reg};
use crate::heap::StructDef;
use crate::value::Value;
use crate::values::resolve_index;
use crate::vm::glue;
use crate::vm::regs::{drop_raw, dup_raw, from_raw, put, put_raw, reg, replace_raw};

/// `R[dst] = R[obj][R[idx]]` when `R[obj]` is an Array and `R[idx]` an Int in range
/// (negative counts from the end); false, with nothing written, otherwise.
///
/// # Safety
/// The registers belong to the live frame at `regs` (see the module docs).
#[inline(always)]
pub(crate) unsafe fn get_index_fast(regs: *mut Value, dst: Reg, obj: Reg, idx: Reg) -> bool {
    // SAFETY: registers of the live frame (the caller's contract).
    let (o, i) = unsafe { (&*reg(regs, obj), &*reg(regs, idx)) };
    if let (Value::Array(arr), Value::Int(i)) = (o, i) {
        let items = arr.items.borrow();
        if let Some(j) = resolve_index(*i, items.len()) {
            // SAFETY: `resolve_index` returns only positions below the length.
            let v = dup_raw(unsafe { items.get_unchecked(j) });
            // The element is copied and the borrow released before `dst` (which may be
            // `obj`, whose release may free the array) is overwritten.
            drop(items);
            // SAFETY: `dst` is a register of the live frame; `v` is a `dup_raw` copy.
            unsafe { put_raw(regs.add(dst as usize), v) };
            return true;
        }
    }
    false
}

/// `R[obj][R[idx]] = R[src]` when `R[obj]` is an Array and `R[idx]` an Int in range; false,
/// with nothing written, otherwise.
///
/// # Safety
/// As `get_index_fast`.
#[inline(always)]
pub(crate) unsafe fn set_index_fast(regs: *mut Value, obj: Reg, idx: Reg, src: Reg) -> bool {
    // SAFETY: registers of the live frame (the caller's contract).
    let (o, i) = unsafe { (&*reg(regs, obj), &*reg(regs, idx)) };
    if let (Value::Array(arr), Value::Int(i)) = (o, i) {
        // SAFETY: as above.
        let v = dup_raw(unsafe { &*reg(regs, src) });
        let mut items = arr.items.borrow_mut();
        if let Some(j) = resolve_index(*i, items.len()) {
            // The old element is dropped after the borrow ends, so its drop cannot observe
            // the array mid-update.
            // SAFETY: `v` is a `dup_raw` copy; `j` is below the length.
            let old = unsafe { replace_raw(items.get_unchecked_mut(j), v) };
            drop(items);
            // SAFETY: taken out just above.
            unsafe { drop_raw(old) };
            return true;
        }
        // Not stored: give the copy's count back.
        drop(items);
        // SAFETY: `v` was not stored.
        drop(unsafe { from_raw(v) });
    }
    false
}

/// `GetField` at `pc`: `R[dst] = R[obj].N[name]` (a field, or a new bound method). A field
/// of the definition the site's inline cache holds is read by slot; otherwise the name is
/// searched and the cache refilled.
///
/// # Safety
/// As `get_index_fast`, for the frame running `proto`.
// Out of line: inlined into the dispatch loop, the cache paths cost the scalar fast paths
// registers (9-17% more instructions on the kernels, measured with callgrind).
#[inline(never)]
pub(crate) unsafe fn get_field(
    regs: *mut Value,
    dst: Reg,
    obj: Reg,
    proto: &FuncProto,
    name: u16,
    pc: usize,
) -> Result<(), String> {
    // SAFETY: registers of the live frame (the caller's contract).
    let o = unsafe { &*reg(regs, obj) };
    if let Value::Struct(inst) = o {
        let slot = match proto.inline_caches.lookup(pc, &inst.def, Member::Field) {
            Some(slot) => Some(slot),
            None => resolve_field(proto, pc, &inst.def, name),
        };
        if let Some(slot) = slot {
            let fields = inst.fields.borrow();
            if let Some(v) = fields.get(slot) {
                let v = dup_raw(v);
                // The borrow ends before `dst` (which may be `obj`) is overwritten.
                drop(fields);
                // SAFETY: `dst` is a register of the live frame; `v` is a `dup_raw` copy.
                unsafe { put_raw(regs.add(dst as usize), v) };
                return Ok(());
            }
        }
    }
    let v = glue::get_field(o, &proto.names[name as usize])?;
    // SAFETY: as above.
    unsafe { put(regs.add(dst as usize), v) };
    Ok(())
}

/// `SetField` at `pc`: `R[obj].N[name] = R[src]`, by slot on an inline-cache hit.
///
/// # Safety
/// As `get_field`.
// Out of line: inlined into the dispatch loop, the cache paths cost the scalar fast paths
// registers (9-17% more instructions on the kernels, measured with callgrind).
#[inline(never)]
pub(crate) unsafe fn set_field(
    regs: *mut Value,
    obj: Reg,
    proto: &FuncProto,
    name: u16,
    src: Reg,
    pc: usize,
) -> Result<(), String> {
    // SAFETY: registers of the live frame (the caller's contract).
    let (o, v) = unsafe { (&*reg(regs, obj), dup_raw(&*reg(regs, src))) };
    if let Value::Struct(inst) = o {
        let slot = match proto.inline_caches.lookup(pc, &inst.def, Member::Field) {
            Some(slot) => Some(slot),
            None => resolve_field(proto, pc, &inst.def, name),
        };
        if let Some(slot) = slot {
            let mut fields = inst.fields.borrow_mut();
            if let Some(f) = fields.get_mut(slot) {
                // SAFETY: `v` is a `dup_raw` copy; `f` a field's value.
                let old = unsafe { replace_raw(f, v) };
                // The old value may free other containers: drop it after the borrow.
                drop(fields);
                // SAFETY: taken out just above.
                unsafe { drop_raw(old) };
                return Ok(());
            }
        }
    }
    // SAFETY: `v` was not stored.
    glue::set_field(o, &proto.names[name as usize], unsafe { from_raw(v) })
}

/// The slot of field `N[name]` in `def`, recorded in the site's cache; `None` if `def` has
/// no such field (a method or an error: the generic path decides).
#[cold]
#[inline(never)]
fn resolve_field(proto: &FuncProto, pc: usize, def: &StructDef, name: u16) -> Option<usize> {
    let slot = def.field_index(&proto.names[name as usize])?;
    proto.inline_caches.fill(pc, def, Member::Field, slot);
    Some(slot)
}
