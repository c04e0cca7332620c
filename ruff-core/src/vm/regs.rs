//! Register access: the primitives every instruction's semantics is written with.
//!
//! A frame's registers are `R[0..num_regs]` at `regs` on the VM's value stack; `R[-1]` holds
//! the running closure. Stores release the old value only when it owns a reference count,
//! and scalars are written as their two words, so the common case (a scalar over a scalar)
//! costs two plain stores.

use std::rc::Rc;

use crate::bytecode::Reg;
use crate::heap::Closure;
use crate::value::{tag, Scalar, Value};

/// `R[i]` of the frame at `regs`.
///
/// # Safety
/// `regs` points at `R[0]` of a live frame and `i < num_regs` of its prototype.
#[inline(always)]
pub(crate) unsafe fn reg<'a>(regs: *mut Value, i: Reg) -> &'a mut Value {
    // SAFETY: guaranteed by the caller (see above).
    unsafe { &mut *regs.add(i as usize) }
}

/// Stores `v` into the slot at `p`, releasing the old value only if it owns a count (the
/// generic enum assignment calls the out-of-line drop glue for every store).
///
/// # Safety
/// `p` points at a live slot.
#[inline(always)]
pub(crate) unsafe fn put(p: *mut Value, v: Value) {
    // SAFETY: `p` is a live slot (the caller's contract).
    unsafe {
        if tag::is_heap((*p).tag()) {
            std::ptr::drop_in_place(p);
        }
        std::ptr::write(p, v);
    }
}

/// Stores `v` into a slot that holds a closure (a frame's `R[-1]`, where a call's result
/// goes): the closure's count is dropped inline instead of through the generic drop glue.
///
/// # Safety
/// `p` points at a live slot.
#[inline(always)]
pub(crate) unsafe fn put_over_closure(p: *mut Value, v: Value) {
    // SAFETY: `p` is a live slot (the caller's contract); the closure is moved out before
    // the slot is overwritten, and released once.
    unsafe {
        if let Value::Func(c) = &*p {
            let c = std::ptr::read(c);
            std::ptr::write(p, v);
            drop(c);
        } else {
            put(p, v);
        }
    }
}

/// Moves the value at `src` into a slot that holds a closure (see `put_over_closure`),
/// leaving Null at `src`, without building a `Value` temporary.
///
/// # Safety
/// `dst` and `src` point at distinct live slots.
#[inline(always)]
pub(crate) unsafe fn move_over_closure(dst: *mut Value, src: *mut Value) {
    // SAFETY: the caller's contract; the value at `src` is moved (bitwise copy, then its
    // slot becomes Null, which owns nothing) and the closure released once.
    unsafe {
        if let Value::Func(c) = &*dst {
            let c = std::ptr::read(c);
            std::ptr::copy_nonoverlapping(src, dst, 1);
            std::ptr::write(src, Value::Null);
            drop(c);
        } else {
            put(dst, std::mem::take(&mut *src));
        }
    }
}

/// Stores a copy of `v`, the closure `c`, into the slot at `p` (what `GetGlobal` of a
/// function does): the slot's old value is released first and the count taken inline, so
/// the 16 bytes are copied whole without a `Value` temporary.
///
/// # Safety
/// `p` points at a live slot that is not `v`, and `v` is `Value::Func(c)`.
#[inline(always)]
pub(crate) unsafe fn put_closure(p: *mut Value, v: &Value, c: &Rc<Closure>) {
    // SAFETY: the caller's contract. Releasing the old value cannot free `c`: `v` holds its
    // own count. After the increment a bitwise copy of `v` is an owned clone.
    unsafe {
        if tag::is_heap((*p).tag()) {
            std::ptr::drop_in_place(p);
        }
        Rc::increment_strong_count(Rc::as_ptr(c));
        std::ptr::copy_nonoverlapping(v, p, 1);
    }
}

/// Stores a scalar given as its two words (tag word, payload) without building a `Value`
/// temporary: byte-wise enum copies of such temporaries defeat store forwarding.
///
/// # Safety
/// `p` points at a live slot, and the words form a valid scalar `Value` (tag at byte 0,
/// Bool payload at byte 1, Int/Float payload at byte 8).
#[inline(always)]
pub(crate) unsafe fn put_words(p: *mut Value, tag_word: u64, payload: u64) {
    // SAFETY: as documented above.
    unsafe {
        if tag::is_heap((*p).tag()) {
            std::ptr::drop_in_place(p);
        }
        store_words(p, tag_word, payload);
    }
}

/// Writes both words with one `[u64; 2]` store, which the compiler emits as a single
/// 16-byte store: values are copied with 16-byte loads, and a load spanning two narrower
/// stores cannot be forwarded from the store buffer (a stall on every read-after-write).
///
/// # Safety
/// `p` is valid for a 16-byte write.
#[inline(always)]
unsafe fn store_words(p: *mut Value, tag_word: u64, payload: u64) {
    // SAFETY: `p` is valid for 16 bytes and 8-aligned (a `Value` slot).
    unsafe { std::ptr::write(p as *mut [u64; 2], [tag_word, payload]) }
}

/// A clone of `v` that copies the 16 bytes whole and bumps the count only for heap values.
#[inline(always)]
pub(crate) fn dup(v: &Value) -> Value {
    if !tag::is_heap(v.tag()) {
        // SAFETY: a value that owns no count is plain data; a bitwise copy is a clone.
        return unsafe { std::ptr::read(v) };
    }
    v.clone()
}

/// A clone of `v` as its 16 raw bytes (its count bumped if it is a heap value), for
/// `put_raw`. Out-of-line readers that copy a value across a borrow's release (a field, an
/// element) otherwise move the `Value` enum through the stack a field at a time.
#[inline(always)]
pub(crate) fn dup_raw(v: &Value) -> std::mem::MaybeUninit<[u64; 2]> {
    if tag::is_heap(v.tag()) {
        // The count the copy below owns.
        std::mem::forget(v.clone());
    }
    // SAFETY: a `Value` is 16 bytes (`abi::layout`); copying them as `MaybeUninit` is
    // defined whatever its padding holds.
    unsafe { std::ptr::read(v as *const Value as *const std::mem::MaybeUninit<[u64; 2]>) }
}

/// Stores a value made by `dup_raw` into the slot at `p`, releasing the old value only if
/// it owns a count.
///
/// # Safety
/// `p` points at a live slot, and `raw` came from `dup_raw` (it owns its count).
#[inline(always)]
pub(crate) unsafe fn put_raw(p: *mut Value, raw: std::mem::MaybeUninit<[u64; 2]>) {
    // SAFETY: `p` is a live slot (the caller's contract); `raw` is a whole `Value`.
    unsafe {
        if tag::is_heap((*p).tag()) {
            std::ptr::drop_in_place(p);
        }
        std::ptr::write(p as *mut std::mem::MaybeUninit<[u64; 2]>, raw);
    }
}

/// The value `dup_raw` copied, as a `Value` again (for the paths that need one).
///
/// # Safety
/// `raw` came from `dup_raw` and was not stored or turned back before.
#[inline(always)]
pub(crate) unsafe fn from_raw(raw: std::mem::MaybeUninit<[u64; 2]>) -> Value {
    // SAFETY: `raw` holds the bytes of a valid `Value` that owns its count.
    unsafe { std::ptr::read(raw.as_ptr() as *const Value) }
}

/// Replaces the value at `slot` with one made by `dup_raw`, returning the old one as raw
/// bytes for `drop_raw` (to be released after any borrow of the slot's container ends).
///
/// # Safety
/// `slot` is a valid `Value`, `raw` came from `dup_raw`.
#[inline(always)]
pub(crate) unsafe fn replace_raw(
    slot: &mut Value,
    raw: std::mem::MaybeUninit<[u64; 2]>,
) -> std::mem::MaybeUninit<[u64; 2]> {
    let p = slot as *mut Value as *mut std::mem::MaybeUninit<[u64; 2]>;
    // SAFETY: `p` is a valid, aligned 16-byte slot; the old bytes move out whole.
    unsafe { std::ptr::replace(p, raw) }
}

/// Releases a value `replace_raw` took out, if it owns a count.
///
/// # Safety
/// `raw` came from `replace_raw` and is released once.
#[inline(always)]
pub(crate) unsafe fn drop_raw(raw: std::mem::MaybeUninit<[u64; 2]>) {
    // SAFETY: `raw` holds a whole `Value`; its tag is its first byte (`abi::layout`).
    unsafe {
        let v = raw.as_ptr() as *const Value;
        if tag::is_heap((*v).tag()) {
            drop(std::ptr::read(v));
        }
    }
}

/// The closure running in the frame at `regs` (`R[-1]`).
///
/// # Safety
/// `regs` points at `R[0]` of a live frame, so `regs[-1]` is its closure.
#[inline]
pub(crate) unsafe fn frame_closure<'a>(regs: *mut Value) -> &'a Rc<Closure> {
    // SAFETY: the frame invariant: `R[-1]` holds the running closure.
    match unsafe { &*regs.sub(1) } {
        Value::Func(c) => c,
        _ => unreachable!("R[-1] of a frame must hold its closure"),
    }
}

/// Stores a scalar into the slot at `p` (see `put_words`).
///
/// # Safety
/// `p` points at a live slot.
#[inline(always)]
pub(crate) unsafe fn put_scalar(p: *mut Value, s: Scalar) {
    // SAFETY: each pair is a valid scalar `Value` (tag at byte 0, payload at byte 8: the
    // layout `abi::layout` asserts); `p` is live (the caller's contract).
    unsafe {
        match s {
            Scalar::Int(i) => put_words(p, tag::INT as u64, i as u64),
            Scalar::Float(f) => put_words(p, tag::FLOAT as u64, f.to_bits()),
            Scalar::Bool(b) => put_words(p, tag::BOOL as u64, b as u64),
        }
    }
}
