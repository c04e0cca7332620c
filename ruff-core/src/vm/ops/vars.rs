//! Loads and variable access: constants and moves, `CheckDef`, globals, cells (captured
//! locals) and upvalues. The dispatch loop and the generic executor (`exec_generic`) both
//! run these; an unbound variable is the error `undefined variable 'x'`.

use std::cell::RefCell;
use std::rc::Rc;

use crate::bytecode::{FuncProto, Reg};
use crate::value::{tag, Value};
use crate::vm::regs::{dup, frame_closure, put, put_closure, put_words, reg};
use crate::vm::Vm;

/// `undefined variable 'x'`.
#[cold]
pub(crate) fn undefined(name: &str) -> String {
    format!("undefined variable '{name}'")
}

/// `R[dst] = K[k]`.
///
/// # Safety
/// `dst` is a register of the live frame at `regs`, which runs `proto`.
#[inline(always)]
pub(crate) unsafe fn load_const(regs: *mut Value, dst: Reg, proto: &FuncProto, k: u32) {
    // SAFETY: the caller's contract.
    unsafe { put(regs.add(dst as usize), dup(&proto.consts[k as usize])) }
}

/// `R[dst] = Int(v)`.
///
/// # Safety
/// `dst` is a register of the live frame at `regs`.
#[inline(always)]
pub(crate) unsafe fn load_int(regs: *mut Value, dst: Reg, v: i64) {
    // SAFETY: the caller's contract; (INT, v) is a valid Int value.
    unsafe { put_words(regs.add(dst as usize), tag::INT as u64, v as u64) }
}

/// `R[dst] = Bool(v)`.
///
/// # Safety
/// As `load_int`.
#[inline(always)]
pub(crate) unsafe fn load_bool(regs: *mut Value, dst: Reg, v: bool) {
    // SAFETY: the caller's contract. `repr(C, u8)` makes `Value` a tagged union: the Bool
    // payload is the byte at offset 8, like every other payload.
    unsafe { put_words(regs.add(dst as usize), tag::BOOL as u64, v as u64) }
}

/// `R[dst] = R[src]`.
///
/// # Safety
/// As `load_int`, for both registers.
#[inline(always)]
pub(crate) unsafe fn move_reg(regs: *mut Value, dst: Reg, src: Reg) {
    // SAFETY: the caller's contract.
    unsafe { put(regs.add(dst as usize), dup(reg(regs, src))) }
}

/// `CheckDef`: the error if `R[r]` is unbound.
///
/// # Safety
/// As `load_const`.
#[inline(always)]
pub(crate) unsafe fn check_def(
    regs: *mut Value,
    r: Reg,
    proto: &FuncProto,
    name: u16,
) -> Result<(), String> {
    // SAFETY: the caller's contract.
    if unsafe { reg(regs, r) }.tag() == tag::UNDEF {
        return Err(undefined(&proto.names[name as usize]));
    }
    Ok(())
}

/// `NewCell`: `R[r]` becomes a cell holding its current value.
///
/// # Safety
/// As `load_int`.
#[inline]
pub(crate) unsafe fn new_cell(regs: *mut Value, r: Reg) {
    // SAFETY: the caller's contract.
    let slot = unsafe { reg(regs, r) };
    let v = std::mem::take(slot);
    *slot = Value::Cell(Rc::new(RefCell::new(v)));
}

/// `GetCell`: `R[dst]` = the contents of the cell in `R[cell]` (a plain value is read as
/// itself), or the error if unbound.
///
/// # Safety
/// As `load_const`.
#[inline]
pub(crate) unsafe fn get_cell(
    regs: *mut Value,
    dst: Reg,
    cell: Reg,
    proto: &FuncProto,
    name: u16,
) -> Result<(), String> {
    // SAFETY: the caller's contract.
    unsafe {
        let v = match &*reg(regs, cell) {
            Value::Cell(c) => c.borrow().clone(),
            v => v.clone(),
        };
        store_bound(regs, dst, v, proto, name)
    }
}

/// `SetCell`: the contents of the cell in `R[cell]` (or the register itself, if it holds a
/// plain value) = `R[src]`.
///
/// # Safety
/// As `load_int`.
#[inline]
pub(crate) unsafe fn set_cell(regs: *mut Value, cell: Reg, src: Reg) {
    // SAFETY: the caller's contract.
    unsafe {
        let v = reg(regs, src).clone();
        match &*reg(regs, cell) {
            Value::Cell(c) => *c.borrow_mut() = v,
            _ => *reg(regs, cell) = v,
        }
    }
}

/// `GetUpval`: `R[dst]` = the running closure's upvalue `idx`, or the error if unbound.
///
/// # Safety
/// As `load_const` (`R[-1]` of the frame is its closure).
#[inline]
pub(crate) unsafe fn get_upval(
    regs: *mut Value,
    dst: Reg,
    idx: u16,
    proto: &FuncProto,
    name: u16,
) -> Result<(), String> {
    // SAFETY: the caller's contract.
    unsafe {
        let v = frame_closure(regs).upvals[idx as usize].borrow().clone();
        store_bound(regs, dst, v, proto, name)
    }
}

/// `R[dst] = v` (a captured variable's value), or the error if `v` is unbound.
///
/// # Safety
/// As `load_const`.
#[inline(always)]
unsafe fn store_bound(
    regs: *mut Value,
    dst: Reg,
    v: Value,
    proto: &FuncProto,
    name: u16,
) -> Result<(), String> {
    if v.tag() == tag::UNDEF {
        return Err(undefined(&proto.names[name as usize]));
    }
    // SAFETY: the caller's contract.
    unsafe { *reg(regs, dst) = v };
    Ok(())
}

/// `SetUpval`: the running closure's upvalue `idx` = `R[src]`.
///
/// # Safety
/// As `get_upval`.
#[inline]
pub(crate) unsafe fn set_upval(regs: *mut Value, idx: u16, src: Reg) {
    // SAFETY: the caller's contract.
    unsafe {
        let v = reg(regs, src).clone();
        *frame_closure(regs).upvals[idx as usize].borrow_mut() = v;
    }
}

impl Vm {
    /// `GetGlobal`: `R[dst] = G[g]`, or the error if unbound.
    ///
    /// # Safety
    /// `dst` is a register of the live frame at `regs`, and `g` a global slot of the
    /// program (verified: pools; the VM has one slot per global name).
    #[inline(always)]
    pub(crate) unsafe fn get_global(
        &self,
        regs: *mut Value,
        dst: Reg,
        g: u32,
    ) -> Result<(), String> {
        // SAFETY: the caller's contract.
        let gv = unsafe { self.globals.get_unchecked(g as usize) };
        // SAFETY: the caller's contract.
        let p = unsafe { regs.add(dst as usize) };
        // A function (a call site's callee, the usual global) is tested first: it is bound.
        if let Value::Func(c) = gv {
            // SAFETY: `p` is a register (the caller's contract), not a global slot.
            unsafe { put_closure(p, gv, c) };
            return Ok(());
        }
        if gv.tag() == tag::UNDEF {
            return Err(undefined(&self.program.global_names[g as usize]));
        }
        // SAFETY: as above.
        unsafe { put(p, dup(gv)) };
        Ok(())
    }

    /// `DefGlobal`: `G[g] = R[src]`, bound or not.
    ///
    /// # Safety
    /// `src` is a register of the live frame at `regs`.
    #[inline]
    pub(crate) unsafe fn def_global(&mut self, regs: *mut Value, g: u32, src: Reg) {
        // SAFETY: the caller's contract.
        self.globals[g as usize] = unsafe { reg(regs, src) }.clone();
    }

    /// `SetGlobal`: `G[g] = R[src]`, or the error if `G[g]` is unbound.
    ///
    /// # Safety
    /// As `def_global`.
    #[inline]
    pub(crate) unsafe fn set_global(
        &mut self,
        regs: *mut Value,
        g: u32,
        src: Reg,
    ) -> Result<(), String> {
        if self.globals[g as usize].tag() == tag::UNDEF {
            return Err(undefined(&self.program.global_names[g as usize]));
        }
        // SAFETY: the caller's contract.
        self.globals[g as usize] = unsafe { reg(regs, src) }.clone();
        Ok(())
    }
}
