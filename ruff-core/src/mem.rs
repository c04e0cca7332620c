//! Heap accounting and fallible growth: running out of memory is the runtime error
//! `out of memory`, never an abort (docs/LIMITS.md "Memory").
//!
//! Two parts:
//! - `CountingAlloc`, the global allocator of every binary that links this crate: the
//!   system allocator plus a per-thread count of live heap bytes (allocated on the thread and
//!   not yet freed). Per thread because the engine runs a program on one thread, and so that
//!   engines in parallel test threads do not see each other's data.
//! - The growth functions (`reserve`, `push`, `reserve_str`, `push_str`, `copy_str`,
//!   `dict_reserve`...) that every string, array and dict growth path of the engine goes
//!   through. They grow only with `try_reserve*`, so an allocation the system refuses (a
//!   `ulimit -v`, a full machine) is an `Err`, and they first check the growth against the
//!   engine's `max-memory` limit (`Limit`), so tests can exhaust memory without a ulimit.
//!
//! The limit is soft: it is checked where values grow, not in the allocator, so the small
//! fixed-size allocations that cannot fail gracefully (a new `Rc` box, an error message, the
//! compiler's own data) are never refused by it; each is bounded by the size of code or by
//! values that passed a check. Growth amortises (capacity doubles), so the check runs once
//! per reallocation, never per element.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use crate::heap::DictMap;

/// The message of the runtime error (LANGUAGE-DETAILS §6).
pub const OUT_OF_MEMORY: &str = "out of memory";

/// The `out of memory` message, as the `Err` of the growth functions.
#[cold]
#[inline(never)]
pub fn out_of_memory() -> String {
    OUT_OF_MEMORY.to_owned()
}

thread_local! {
    /// Heap bytes allocated on this thread minus those freed on it (a block freed on another
    /// thread than its own makes one count high and the other low; the engine's values never
    /// cross threads).
    static LIVE: Cell<isize> = const { Cell::new(0) };
    /// The running engine's `max-memory` (`usize::MAX`: none).
    static LIMIT: Cell<usize> = const { Cell::new(usize::MAX) };
}

/// The system allocator, counting live bytes per thread (`live_bytes`).
pub struct CountingAlloc;

#[inline(always)]
fn count(delta: isize) {
    // `try_with`: a thread being torn down may still free memory; its count no longer
    // matters. The cell needs no destructor, so this is one thread-local add.
    let _ = LIVE.try_with(|c| c.set(c.get().wrapping_add(delta)));
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged; the
// counting touches only a thread-local integer (no allocation, no panic).
unsafe impl GlobalAlloc for CountingAlloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, forwarded.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, forwarded.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.dealloc(ptr, layout) };
        count(-(layout.size() as isize));
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract, forwarded.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            count((new_size as isize).wrapping_sub(layout.size() as isize));
        }
        p
    }
}

/// Leaves `bytes` of a live allocation out of this thread's count (a fixed reservation, like
/// the VM's value stack, that is not the program's data); `recount` before freeing it.
pub(crate) fn uncount(bytes: usize) {
    count(-(bytes as isize));
}

/// Counts again `bytes` left out by `uncount` (just before the allocation is freed).
pub(crate) fn recount(bytes: usize) {
    count(bytes as isize);
}

/// Heap bytes live on this thread (allocated here and not yet freed).
pub fn live_bytes() -> usize {
    LIVE.with(Cell::get).max(0) as usize
}

/// The `max-memory` limit of this thread while it lives (the engine sets it around running
/// a program); the previous limit comes back when it is dropped.
pub struct Limit {
    previous: usize,
}

impl Limit {
    /// Limits growth on this thread to `bytes` live heap bytes (`u64::MAX`: no limit).
    pub fn set(bytes: u64) -> Limit {
        let bytes = usize::try_from(bytes).unwrap_or(usize::MAX);
        Limit {
            previous: LIMIT.with(|l| l.replace(bytes)),
        }
    }
}

impl Drop for Limit {
    fn drop(&mut self) {
        LIMIT.with(|l| l.set(self.previous));
    }
}

/// Ok if `extra` more heap bytes stay within this thread's limit.
#[inline]
pub fn admit(extra: usize) -> Result<(), String> {
    let limit = LIMIT.with(Cell::get);
    if limit == usize::MAX || live_bytes().saturating_add(extra) <= limit {
        Ok(())
    } else {
        Err(out_of_memory())
    }
}

/// A growable buffer (`Vec` or `String`) as the growth functions see it.
trait Buffer {
    const ELEM: usize;
    fn len(&self) -> usize;
    fn capacity(&self) -> usize;
    /// Capacity for at least `total` elements, or false with nothing changed.
    fn try_grow_to(&mut self, total: usize) -> bool;
}

impl<T> Buffer for Vec<T> {
    const ELEM: usize = std::mem::size_of::<T>();
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn capacity(&self) -> usize {
        Vec::capacity(self)
    }
    fn try_grow_to(&mut self, total: usize) -> bool {
        self.try_reserve_exact(total - Vec::len(self)).is_ok()
    }
}

impl Buffer for String {
    const ELEM: usize = 1;
    fn len(&self) -> usize {
        String::len(self)
    }
    fn capacity(&self) -> usize {
        String::capacity(self)
    }
    fn try_grow_to(&mut self, total: usize) -> bool {
        self.try_reserve_exact(total - String::len(self)).is_ok()
    }
}

/// Grows `buf` to hold `additional` more elements: to double its capacity, or if that is
/// not admitted or the system refuses it, to 1.5, 1.25 or 1.125 times it (at least to what
/// is needed), else `out of memory`. Never by less than an eighth: growing by exactly what
/// is needed near the limit would copy the whole buffer on every push. The check counts
/// the bytes the new capacity adds.
#[cold]
#[inline(never)]
fn grow<B: Buffer>(buf: &mut B, additional: usize) -> Result<(), String> {
    let needed = buf
        .len()
        .checked_add(additional)
        .ok_or_else(out_of_memory)?;
    let cap = buf.capacity();
    for shift in 0..4 {
        let target = cap.saturating_add(cap >> shift).max(needed).max(8);
        let Some(extra) = (target - cap).checked_mul(B::ELEM) else {
            continue;
        };
        // `isize::MAX` bytes is the most any allocation may have.
        if target
            .checked_mul(B::ELEM)
            .is_some_and(|b| b <= isize::MAX as usize)
            && admit(extra).is_ok()
            && buf.try_grow_to(target)
        {
            return Ok(());
        }
    }
    Err(out_of_memory())
}

/// Room for `additional` more elements in `v`, or `out of memory`.
#[inline]
pub fn reserve<T>(v: &mut Vec<T>, additional: usize) -> Result<(), String> {
    if v.capacity() - v.len() >= additional {
        return Ok(());
    }
    grow(v, additional)
}

/// `v.push(x)`, or `out of memory` (then `x` is dropped and `v` unchanged).
#[inline]
pub fn push<T>(v: &mut Vec<T>, x: T) -> Result<(), String> {
    reserve(v, 1)?;
    v.push(x);
    Ok(())
}

/// `v.extend_from_slice(items)`, or `out of memory` with `v` unchanged.
#[inline]
pub fn extend_from_slice<T: Clone>(v: &mut Vec<T>, items: &[T]) -> Result<(), String> {
    reserve(v, items.len())?;
    v.extend_from_slice(items);
    Ok(())
}

/// Allocations of at most this many bytes, made when no `max-memory` limit is set, take
/// the plain (aborting) path: it is cheaper, and a system that cannot give 256 bytes cannot
/// give the `Rc` box or the error message either (see the module header). Strings built in
/// hot loops (`"k" + to_string(i)`) are this small.
const SMALL_BYTES: usize = 256;

/// True when `bytes` may take the plain allocation path (`SMALL_BYTES`).
#[inline(always)]
fn small_and_unlimited(bytes: usize) -> bool {
    bytes <= SMALL_BYTES && LIMIT.with(Cell::get) == usize::MAX
}

/// An empty `Vec` with room for exactly `n` elements, or `out of memory`.
#[inline]
pub fn vec_with_capacity<T>(n: usize) -> Result<Vec<T>, String> {
    if small_and_unlimited(n.saturating_mul(std::mem::size_of::<T>())) {
        return Ok(Vec::with_capacity(n));
    }
    let mut v = Vec::new();
    if n > 0 {
        let bytes = n
            .checked_mul(std::mem::size_of::<T>())
            .ok_or_else(out_of_memory)?;
        admit(bytes)?;
        v.try_reserve_exact(n).map_err(|_| out_of_memory())?;
    }
    Ok(v)
}

/// A copy of `items`, or `out of memory`.
pub fn copy_slice<T: Clone>(items: &[T]) -> Result<Vec<T>, String> {
    let mut v = vec_with_capacity(items.len())?;
    v.extend_from_slice(items);
    Ok(v)
}

/// Collects `items` (of which there are at most `n`) into a new `Vec`, or `out of memory`.
pub fn collect_exact<T>(n: usize, items: impl Iterator<Item = T>) -> Result<Vec<T>, String> {
    let mut v = vec_with_capacity(n)?;
    for x in items {
        push(&mut v, x)?;
    }
    Ok(v)
}

/// Room for `additional` more bytes in `s`, or `out of memory`.
#[inline]
pub fn reserve_str(s: &mut String, additional: usize) -> Result<(), String> {
    if s.capacity() - s.len() >= additional {
        return Ok(());
    }
    grow(s, additional)
}

/// `s.push_str(t)`, or `out of memory` with `s` unchanged.
#[inline]
pub fn push_str(s: &mut String, t: &str) -> Result<(), String> {
    reserve_str(s, t.len())?;
    s.push_str(t);
    Ok(())
}

/// `s.push(c)`, or `out of memory` with `s` unchanged.
#[inline]
pub fn push_char(s: &mut String, c: char) -> Result<(), String> {
    reserve_str(s, c.len_utf8())?;
    s.push(c);
    Ok(())
}

/// An empty `String` with room for exactly `n` bytes, or `out of memory`.
#[inline]
pub fn string_with_capacity(n: usize) -> Result<String, String> {
    if small_and_unlimited(n) {
        return Ok(String::with_capacity(n));
    }
    let mut s = String::new();
    if n > 0 {
        admit(n)?;
        s.try_reserve_exact(n).map_err(|_| out_of_memory())?;
    }
    Ok(s)
}

/// A copy of `t`, or `out of memory`.
#[inline]
pub fn copy_str(t: &str) -> Result<String, String> {
    let mut s = string_with_capacity(t.len())?;
    s.push_str(t);
    Ok(s)
}

/// Bytes one more entry of a `DictMap` takes, about: the entry (hash, key, value) in the
/// entry vector and a slot of the hash index (a `usize` and a control byte).
const DICT_ENTRY_BYTES: usize =
    std::mem::size_of::<(u64, crate::heap::DictKey, crate::value::Value)>() + 9;

/// Room for one more entry in `map`, or `out of memory`. Cheap unless `map` is full.
#[inline]
pub fn dict_reserve_one(map: &mut DictMap) -> Result<(), String> {
    if map.len() < map.capacity() {
        return Ok(());
    }
    dict_grow(map)
}

#[cold]
#[inline(never)]
fn dict_grow(map: &mut DictMap) -> Result<(), String> {
    // As `grow`: double, else grow by a half, a quarter or an eighth.
    let cap = map.capacity();
    for shift in 0..4 {
        let target = cap.saturating_add(cap >> shift).max(cap + 1).max(4);
        let extra = (target - cap).saturating_mul(DICT_ENTRY_BYTES);
        if admit(extra).is_ok() && map.try_reserve(target - map.len()).is_ok() {
            return Ok(());
        }
    }
    Err(out_of_memory())
}

/// `map.insert(key, v)`, growing fallibly when `key` is new; the old value, if any.
/// Inlined always: every dict store goes through it, and as an out-of-line call it cost
/// about 27 instructions per store (callgrind on suites/gate/dict_gate).
#[inline(always)]
pub fn dict_insert(
    map: &mut DictMap,
    key: crate::heap::DictKey,
    v: crate::value::Value,
) -> Result<Option<crate::value::Value>, String> {
    if map.len() >= map.capacity() && !map.contains_key(&key) {
        dict_grow(map)?;
    }
    Ok(map.insert(key, v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_refuses_growth_past_it_and_is_restored() {
        let mut v: Vec<u64> = Vec::new();
        {
            let _limit = Limit::set((live_bytes() + 4096) as u64);
            assert!(reserve(&mut v, 100).is_ok());
            let err = reserve(&mut v, 100_000).unwrap_err();
            assert_eq!(err, "out of memory");
            assert!(v.capacity() < 100_000);
            assert_eq!(string_with_capacity(1 << 20).unwrap_err(), "out of memory");
        }
        assert!(reserve(&mut v, 100_000).is_ok());
    }

    #[test]
    fn the_count_follows_allocations_on_this_thread() {
        let before = live_bytes();
        let big: Vec<u8> = Vec::with_capacity(1 << 20);
        assert!(live_bytes() >= before + (1 << 20));
        drop(big);
        assert!(live_bytes() < before + (1 << 20));
    }

    #[test]
    fn sizes_that_overflow_are_out_of_memory() {
        let mut v: Vec<u64> = vec![1];
        assert!(reserve(&mut v, usize::MAX).is_err());
        assert!(vec_with_capacity::<u64>(usize::MAX / 4).is_err());
        let mut s = String::from("x");
        assert!(reserve_str(&mut s, isize::MAX as usize).is_err());
    }
}
