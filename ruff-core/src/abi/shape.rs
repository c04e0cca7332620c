//! Struct instances as compiled code reads them: where an `Instance`'s definition pointer,
//! borrow flag and fields are, and what a `GetField`/`SetField` site's inline cache says.
//!
//! `Instance` is `{ def: Rc<StructDef>, fields: RefCell<SmallVec<[Value; 4]>> }`; `def` is
//! reached with `offset_of!`, but the `RefCell`'s and `SmallVec`'s fields are private, so
//! `instance_layout` finds them once at run time from real instances, like
//! `layout::array_layout` does for arrays. Only pointers std and smallvec hand out
//! (`RefCell::as_ptr`, `SmallVec::as_ptr`) and words that are initialized in the probed
//! state are used, and every offset is checked against its known value. With smallvec's
//! `union` feature (enabled in the workspace) a `SmallVec` is its capacity word and a union
//! of the inline array and the heap `(pointer, length)`; the capacity word holds the length
//! while the fields are inline and the heap capacity once they spilled, so the fields are
//! inline exactly when that word is at most `INLINE_FIELDS`.

use std::cell::{OnceCell, RefCell};
use std::mem::{offset_of, size_of};
use std::rc::Rc;
use std::sync::OnceLock;

use super::layout::{RC_VALUE, VALUE_SIZE};
use crate::bytecode::FuncProto;
use crate::heap::{Fields, Instance, StructDef};
use crate::value::Value;

/// Fields an instance holds without a separate allocation (`heap::Fields`).
pub const INLINE_FIELDS: usize = 4;

/// Offsets, from the start of an instance's `Rc` allocation (the `Value::Struct` payload),
/// of the words compiled code reads and writes to access fields inline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InstanceLayout {
    /// The `Rc<StructDef>` pointer (to the definition's `Rc` allocation).
    pub def: i32,
    /// The fields' `RefCell` borrow flag (`isize`): 0 unborrowed, > 0 shared, < 0 mutable.
    pub flag: i32,
    /// The `SmallVec`'s capacity word: the length while inline (at most `INLINE_FIELDS`),
    /// the heap capacity once spilled.
    pub cap: i32,
    /// The first inline field.
    pub inline: i32,
    /// The heap pointer to the first field, once spilled.
    pub heap_ptr: i32,
}

/// The probed layout of `Instance`, or `None` if the probe was ambiguous (compiled code then
/// accesses fields through the runtime helpers).
pub fn instance_layout() -> Option<InstanceLayout> {
    static LAYOUT: OnceLock<Option<InstanceLayout>> = OnceLock::new();
    *LAYOUT.get_or_init(probe_instance_layout)
}

/// The field a `GetField`/`SetField` site last resolved (its inline cache entry).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSite {
    /// The address of the definition's `Rc` allocation: what `Instance::def` holds for an
    /// instance of it.
    pub def_rc: usize,
    /// The field's slot.
    pub slot: u32,
    /// How many fields the definition has (every instance of it has exactly these).
    pub count: u32,
}

/// The field the site at `pc` of `proto` resolved last, if it resolved a field.
pub fn field_site(proto: &FuncProto, pc: u32) -> Option<FieldSite> {
    let (def, slot) = proto.inline_caches.cached_field(pc as usize)?;
    // SAFETY: a cache entry names a definition `Program::structs` owns, and the program
    // owning `proto` is running (see `bytecode::inline_cache`), so the definition is alive.
    let count = unsafe { &*(def as *const StructDef) }.fields.len();
    if slot >= count {
        return None;
    }
    Some(FieldSite {
        def_rc: def - RC_VALUE as usize,
        slot: u32::try_from(slot).ok()?,
        count: u32::try_from(count).ok()?,
    })
}

/// The definition the `CheckMethod` (or `CallMethod`) at `pc` of `proto` last found a
/// method on, as a `FieldSite` of slot 0 (only the definition and field count matter).
pub fn method_site(proto: &FuncProto, pc: u32) -> Option<FieldSite> {
    let (def, _) = proto.inline_caches.cached_method(pc as usize)?;
    // SAFETY: as in `field_site`.
    let count = unsafe { &*(def as *const StructDef) }.fields.len();
    Some(FieldSite {
        def_rc: def - RC_VALUE as usize,
        slot: 0,
        count: u32::try_from(count).ok()?,
    })
}

/// The method a `CallMethod` site resolved last (`method_callee`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MethodCallee {
    /// The definition's `Rc` allocation, as `FieldSite::def_rc`.
    pub def_rc: usize,
    /// The method closure's `Rc` allocation: the payload of its `Value::Func`. The
    /// definition owns the closure, so it lives as long as the program.
    pub closure_rc: usize,
    /// The method's prototype id and arity (the receiver included).
    pub id: u32,
    pub arity: u16,
}

/// The method the `CallMethod` at `pc` of `proto` called last: on an instance of
/// `def_rc`'s definition, the call runs this closure.
pub fn method_callee(proto: &FuncProto, pc: u32) -> Option<MethodCallee> {
    let (def, i) = proto.inline_caches.cached_method(pc as usize)?;
    // SAFETY: as in `field_site`.
    let def_ref = unsafe { &*(def as *const StructDef) };
    let (_, m) = def_ref.methods.get()?.get(i)?;
    Some(MethodCallee {
        def_rc: def - RC_VALUE as usize,
        closure_rc: Rc::as_ptr(m) as usize - RC_VALUE as usize,
        id: m.proto.id,
        arity: m.proto.arity,
    })
}

/// The word at byte offset `off` of the instance `inst`.
///
/// # Safety
/// `off` is an aligned word of the instance that is initialized in its current state.
unsafe fn word(inst: &Instance, off: usize) -> u64 {
    // SAFETY: the caller's contract; the read goes through a raw pointer, and no `&mut` to
    // the instance exists (a live `RefMut` holds a raw pointer, not a `&mut`).
    unsafe { ((inst as *const Instance as usize + off) as *const u64).read_volatile() }
}

fn probe_def() -> Rc<StructDef> {
    Rc::new(StructDef {
        name: Rc::from("Probe"),
        fields: Vec::new(),
        methods: OnceCell::new(),
    })
}

/// Finds the layout from an inline instance (3 fields) and a spilled one (6 fields in a
/// capacity of 9): the `SmallVec` is where `RefCell::as_ptr` says, the inline array where
/// `as_ptr` says, the capacity word is the `SmallVec`'s one other word (3, then 9), the
/// borrow flag is the `RefCell`'s other word (0, positive, negative under the borrows), and
/// the heap pointer is the one of the union's first two words equal to the fields' address
/// (the other one holding the length 6).
fn probe_instance_layout() -> Option<InstanceLayout> {
    let data = INLINE_FIELDS * VALUE_SIZE as usize;
    if size_of::<Fields>() != 8 + data
        || size_of::<RefCell<Fields>>() != 8 + size_of::<Fields>()
        || Fields::new().inline_size() != INLINE_FIELDS
    {
        return None;
    }
    let def = probe_def();
    let inline = Instance {
        def: def.clone(),
        fields: RefCell::new((1..=3).map(Value::Int).collect()),
    };
    let mut many = Fields::with_capacity(9);
    many.extend((1..=6).map(Value::Int));
    if !many.spilled() || many.capacity() != 9 || inline.fields.borrow().spilled() {
        return None;
    }
    let spilled = Instance {
        def: def.clone(),
        fields: RefCell::new(many),
    };
    let at = |inst: &Instance, p: usize| p.checked_sub(inst as *const Instance as usize);
    let cell = offset_of!(Instance, fields);
    let vec = at(&inline, inline.fields.as_ptr() as usize)?;
    let flag = match vec.checked_sub(cell)? {
        8 => cell,
        0 => cell + size_of::<Fields>(),
        _ => return None,
    };
    let items = at(&inline, inline.fields.borrow().as_ptr() as usize)?;
    let cap = match items.checked_sub(vec)? {
        8 => vec,
        0 => vec + data,
        _ => return None,
    };
    let def_off = offset_of!(Instance, def);
    if [flag, cap, items, def_off].iter().any(|o| o % 8 != 0) {
        return None;
    }
    // SAFETY: every word read below is initialized: the flag (an isize), the capacity word
    // (a usize), the definition pointer, and the heap pointer and length of the spilled
    // instance's union.
    unsafe {
        let flag_ok = |inst: &Instance| {
            let free = word(inst, flag) == 0;
            let shared = {
                let _b = inst.fields.borrow();
                word(inst, flag) as i64 > 0
            };
            let mutable = {
                let _b = inst.fields.borrow_mut();
                (word(inst, flag) as i64) < 0
            };
            free && shared && mutable && word(inst, flag) == 0
        };
        if !flag_ok(&inline) || !flag_ok(&spilled) {
            return None;
        }
        if word(&inline, cap) != 3 || word(&spilled, cap) != 9 {
            return None;
        }
        let def_word = Rc::as_ptr(&def) as u64 - RC_VALUE as u64;
        if word(&inline, def_off) != def_word {
            return None;
        }
        let heap = spilled.fields.borrow().as_ptr() as u64;
        let heap_ptr = match (word(&spilled, items), word(&spilled, items + 8)) {
            (p, 6) if p == heap => items,
            (6, p) if p == heap => items + 8,
            _ => return None,
        };
        Some(InstanceLayout {
            def: RC_VALUE + def_off as i32,
            flag: RC_VALUE + flag as i32,
            cap: RC_VALUE + cap as i32,
            inline: RC_VALUE + items as i32,
            heap_ptr: RC_VALUE + heap_ptr as i32,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads the word at byte offset `off` of the `Rc` allocation `base`.
    ///
    /// # Safety
    /// `base + off` is an initialized, aligned word of a live allocation.
    unsafe fn at(base: usize, off: i32) -> u64 {
        // SAFETY: the caller's contract.
        unsafe { *((base + off as usize) as *const u64) }
    }

    /// The payload of the `i`-th `Value` from `addr`.
    ///
    /// # Safety
    /// `addr` points at `i + 1` initialized Int values.
    unsafe fn int_at(addr: u64, i: usize) -> i64 {
        // SAFETY: the caller's contract; an Int's payload is at byte 8.
        unsafe { *((addr as usize + 16 * i + 8) as *const i64) }
    }

    /// Instances of 1..=7 fields, built as the VM builds them (`Fields::with_capacity(n)`)
    /// and with a larger capacity: the layout finds the definition, the flag, the storage
    /// the capacity word announces, and every field's value where it says.
    #[test]
    fn instance_layout_matches_real_instances() {
        let l = instance_layout().expect("the probe finds the layout on this target");
        let def = probe_def();
        for n in 1..=7usize {
            for extra in [0, 3] {
                let mut fields = Fields::with_capacity(n + extra);
                fields.extend((0..n as i64).map(|i| Value::Int(100 + i)));
                let rc = Rc::new(Instance {
                    def: def.clone(),
                    fields: RefCell::new(fields),
                });
                let base = Rc::as_ptr(&rc) as usize - RC_VALUE as usize;
                let spilled = rc.fields.borrow().spilled();
                assert_eq!(spilled, n + extra > INLINE_FIELDS);
                // SAFETY: the offsets are initialized words of the live instance (the probe
                // checked them), and the fields are the Ints written above.
                unsafe {
                    assert_eq!(at(base, l.def), Rc::as_ptr(&def) as u64 - RC_VALUE as u64);
                    let cap = at(base, l.cap);
                    assert_eq!(cap > INLINE_FIELDS as u64, spilled, "n={n} extra={extra}");
                    let items = if spilled {
                        assert_eq!(cap, rc.fields.borrow().capacity() as u64);
                        at(base, l.heap_ptr)
                    } else {
                        assert_eq!(cap, n as u64);
                        (base + l.inline as usize) as u64
                    };
                    assert_eq!(items, rc.fields.borrow().as_ptr() as u64);
                    for i in 0..n {
                        assert_eq!(int_at(items, i), 100 + i as i64);
                    }
                    assert_eq!(at(base, l.flag), 0);
                    let b = rc.fields.borrow();
                    assert!((at(base, l.flag) as i64) > 0);
                    drop(b);
                    let m = rc.fields.borrow_mut();
                    assert!((at(base, l.flag) as i64) < 0);
                    drop(m);
                }
            }
        }
    }
}
