//! Byte offsets of the VM structures compiled code reads directly, and the checks that they
//! are right.
//!
//! `Value` is `repr(C, u8)` and `JitCtx` `repr(C)` (their layout is a contract): the static
//! assertions below read the tag and payload back from real values at compile time. A
//! `Rc<T>` is a pointer to std's `RcInner<T>`, which is `repr(C)` `{ strong, weak, value }`,
//! so the strong count is at offset 0 and the value at `RC_VALUE` (checked by a test against
//! a real `Rc`). Offsets inside `Closure` and `FuncProto` (plain Rust structs) come from
//! `offset_of!`, so they follow whatever layout rustc picked.
//!
//! `ArrayObj` is a `RefCell<Vec<Value>>`, whose field order rustc may choose freely and
//! `offset_of!` cannot reach (the fields are private to std), so `array_layout` finds the
//! borrow flag and the Vec's pointer, length and capacity once at run time by probing a real
//! array; compiled code only inlines array accesses when that probe is unambiguous.

use std::mem::{offset_of, MaybeUninit};
use std::sync::OnceLock;

use super::ctx::JitCtx;
use crate::bytecode::FuncProto;
use crate::heap::{ArrayObj, Closure};
use crate::value::{tag, Value};

/// Size of one register (`Value`).
pub const VALUE_SIZE: i32 = 16;
/// Offset of a `Value`'s tag byte.
pub const TAG: i32 = 0;
/// Offset of a `Value`'s i64/f64/pointer payload.
pub const PAYLOAD: i32 = 8;
/// Offset of a `Bool`'s byte (and of a `Builtin`'s id). `repr(C, u8)` puts the tag first and
/// then a union aligned to 8, so every payload, the Bool byte included, is at offset 8.
pub const BOOL_BYTE: i32 = 8;

/// The 16 bytes of `v`, for the layout checks (only the tag and payload bytes are read).
const fn bytes_of(v: Value) -> [MaybeUninit<u8>; 16] {
    // SAFETY: `Value` is 16 bytes (asserted below); `MaybeUninit` bytes may hold padding.
    // The value is moved into the array, so it is never dropped (it owns nothing anyway).
    unsafe { std::mem::transmute::<Value, [MaybeUninit<u8>; 16]>(v) }
}

/// The 8 bytes at `PAYLOAD` of `v`, as a native-endian word.
const fn payload_of(v: Value) -> u64 {
    let b = bytes_of(v);
    let mut word = [0u8; 8];
    let mut i = 0;
    while i < 8 {
        // SAFETY: the payload bytes of an Int or Float are initialized.
        word[i] = unsafe { b[PAYLOAD as usize + i].assume_init() };
        i += 1;
    }
    u64::from_ne_bytes(word)
}

/// The byte at `off` of `v` (an initialized byte: the tag, or a Bool/Builtin payload).
const fn byte_of(v: Value, off: i32) -> u8 {
    // SAFETY: the callers read only the tag byte and the one-byte payloads.
    unsafe { bytes_of(v)[off as usize].assume_init() }
}

const _: () = assert!(std::mem::size_of::<Value>() == VALUE_SIZE as usize);
const _: () = assert!(std::mem::align_of::<Value>() == 8);
const _: () = assert!(byte_of(Value::Int(-5), TAG) == tag::INT);
const _: () = assert!(payload_of(Value::Int(-5)) == -5i64 as u64);
const _: () = assert!(byte_of(Value::Float(2.5), TAG) == tag::FLOAT);
const _: () = assert!(payload_of(Value::Float(2.5)) == 2.5f64.to_bits());
const _: () = assert!(byte_of(Value::Bool(true), TAG) == tag::BOOL);
const _: () = assert!(byte_of(Value::Bool(true), BOOL_BYTE) == 1);
const _: () = assert!(byte_of(Value::Builtin(7), TAG) == tag::BUILTIN);
const _: () = assert!(byte_of(Value::Builtin(7), BOOL_BYTE) == 7);
const _: () = assert!(byte_of(Value::Null, TAG) == tag::NULL);
const _: () = assert!(byte_of(Value::Undef, TAG) == tag::UNDEF);
// Compiled code reads and writes the context with aligned 8-byte and 4-byte accesses.
const _: () = assert!(
    CTX_RET % 8 == 0 && CTX_RESUME_PC % 4 == 0 && CTX_DEPTH % 4 == 0 && CTX_DEOPT_REASON % 4 == 0
);
const _: () = assert!(CTX_SAMPLE_WEIGHT % 4 == 0 && CTX_SAMPLE_PC % 4 == 0);
const _: () = assert!(CTX_SAMPLE_REGS % 8 == 0 && CTX_SAMPLE_PROTO % 8 == 0);

pub const CTX_RET: i32 = offset_of!(JitCtx, ret) as i32;
pub const CTX_RESUME_PC: i32 = offset_of!(JitCtx, resume_pc) as i32;
pub const CTX_DEPTH: i32 = offset_of!(JitCtx, depth) as i32;
pub const CTX_DEOPT_REASON: i32 = offset_of!(JitCtx, deopt_reason) as i32;
pub const CTX_SAMPLE_WEIGHT: i32 = offset_of!(JitCtx, sample_weight) as i32;
pub const CTX_SAMPLE_PC: i32 = offset_of!(JitCtx, sample_pc) as i32;
pub const CTX_SAMPLE_REGS: i32 = offset_of!(JitCtx, sample_regs) as i32;
pub const CTX_SAMPLE_PROTO: i32 = offset_of!(JitCtx, sample_proto) as i32;

/// Offset of the value inside an `Rc` allocation (after the strong and weak counts).
pub const RC_VALUE: i32 = 16;
/// `Rc<Closure>` pointer -> its `Rc<FuncProto>` field.
pub const CLOSURE_PROTO: i32 = RC_VALUE + offset_of!(Closure, proto) as i32;
/// `Rc<FuncProto>` pointer -> `id` (u32).
pub const PROTO_ID: i32 = RC_VALUE + offset_of!(FuncProto, id) as i32;
/// `Rc<FuncProto>` pointer -> `arity` (u16).
pub const PROTO_ARITY: i32 = RC_VALUE + offset_of!(FuncProto, arity) as i32;

/// Offsets, from the start of an array's `Rc` allocation (the `Value::Array` payload), of
/// the words compiled code reads and writes to index and push inline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArrayLayout {
    /// The `RefCell`'s borrow flag (`isize`): 0 unborrowed, > 0 shared, < 0 mutably borrowed.
    pub flag: i32,
    /// The Vec's element pointer.
    pub ptr: i32,
    /// The Vec's length.
    pub len: i32,
    /// The Vec's capacity.
    pub cap: i32,
}

/// The probed layout of `ArrayObj`, or `None` if the probe was ambiguous (compiled code then
/// indexes arrays through the runtime helpers).
pub fn array_layout() -> Option<ArrayLayout> {
    static LAYOUT: OnceLock<Option<ArrayLayout>> = OnceLock::new();
    *LAYOUT.get_or_init(probe_array_layout)
}

/// The words of `obj`, read without forming references to its private fields.
fn words(obj: &ArrayObj) -> Vec<u64> {
    let n = std::mem::size_of::<ArrayObj>() / 8;
    let p = obj as *const ArrayObj as *const u64;
    // SAFETY: `ArrayObj` is 8-aligned and `n` whole words fit in it; the caller checked it is
    // exactly four words (an isize flag and the Vec's three words), so none is padding. The
    // reads go through a raw pointer (the Vec sits in an `UnsafeCell`) and no `&mut` to the
    // object exists while they happen (a live `RefMut` holds a raw pointer, not a `&mut`).
    (0..n)
        .map(|i| unsafe { p.add(i).read_volatile() })
        .collect()
}

/// Finds the field offsets of `ArrayObj` by looking at a real one: the unique word equal to
/// the element pointer, to the length 3, to the capacity 7, and the unique word that is 0
/// unborrowed, positive under `borrow()` and negative under `borrow_mut()`.
fn probe_array_layout() -> Option<ArrayLayout> {
    // Exactly a borrow flag and the Vec's three words: no padding, so every word `words`
    // reads is initialized (any other shape of `ArrayObj` is not inlined).
    if std::mem::size_of::<ArrayObj>() != 32 || std::mem::align_of::<ArrayObj>() != 8 {
        return None;
    }
    let mut v: Vec<Value> = Vec::with_capacity(7);
    v.extend([Value::Int(1), Value::Int(2), Value::Int(3)]);
    if v.capacity() != 7 {
        return None;
    }
    let obj = ArrayObj::new(v);
    let data = obj.items.borrow().as_ptr() as u64;
    let free = words(&obj);
    let shared = {
        let _b = obj.items.borrow();
        words(&obj)
    };
    let mutable = {
        let _b = obj.items.borrow_mut();
        words(&obj)
    };
    let unique = |pred: &dyn Fn(usize) -> bool| -> Option<i32> {
        let hits: Vec<usize> = (0..free.len()).filter(|&i| pred(i)).collect();
        match hits[..] {
            [i] => Some(RC_VALUE + 8 * i as i32),
            _ => None,
        }
    };
    let flag = unique(&|i| free[i] == 0 && (shared[i] as i64) > 0 && (mutable[i] as i64) < 0)?;
    let ptr = unique(&|i| free[i] == data)?;
    let len = unique(&|i| free[i] == 3)?;
    let cap = unique(&|i| free[i] == 7)?;
    // Only the flag may change under a borrow.
    let changed = |w: &[u64]| (0..free.len()).filter(|&i| w[i] != free[i]).count();
    if changed(&shared) != 1 || changed(&mutable) != 1 {
        return None;
    }
    let mut offs = [flag, ptr, len, cap];
    offs.sort_unstable();
    if offs.windows(2).any(|w| w[0] == w[1]) {
        return None;
    }
    Some(ArrayLayout {
        flag,
        ptr,
        len,
        cap,
    })
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use crate::heap::ArrayObj;
    use crate::value::Value;

    /// Reads the word at byte offset `off` of the `Rc` allocation `base`.
    ///
    /// # Safety
    /// `base + off` is an initialized, aligned word of a live allocation.
    unsafe fn word(base: usize, off: i32) -> u64 {
        // SAFETY: the caller's contract.
        unsafe { *((base + off as usize) as *const u64) }
    }

    #[test]
    fn array_layout_matches_real_arrays() {
        let l = super::array_layout().expect("the probe finds the layout on this target");
        for n in [0usize, 1, 5, 100] {
            let mut v: Vec<Value> = Vec::with_capacity(n + 3);
            v.extend((0..n as i64).map(Value::Int));
            let rc = Rc::new(ArrayObj::new(v));
            let base = Rc::as_ptr(&rc) as usize - super::RC_VALUE as usize;
            let (data, cap) = {
                let items = rc.items.borrow();
                (items.as_ptr() as u64, items.capacity() as u64)
            };
            // SAFETY: the offsets are words inside the live allocation (checked by the probe).
            unsafe {
                assert_eq!(word(base, l.ptr), data);
                assert_eq!(word(base, l.len), n as u64);
                assert_eq!(word(base, l.cap), cap);
                assert_eq!(word(base, l.flag), 0);
                let b = rc.items.borrow();
                assert!((word(base, l.flag) as i64) > 0);
                drop(b);
                let m = rc.items.borrow_mut();
                assert!((word(base, l.flag) as i64) < 0);
                drop(m);
                assert_eq!(word(base, l.flag), 0);
            }
            // Elements are 16-byte `Value`s from the data pointer on.
            if n > 0 {
                // SAFETY: element `n - 1` is initialized; its payload is at byte 8.
                let last = unsafe { *((data as usize + 16 * (n - 1) + 8) as *const i64) };
                assert_eq!(last, n as i64 - 1);
            }
        }
    }

    #[test]
    fn rc_value_follows_two_counts() {
        let rc = Rc::new(7u64);
        let inner: usize = unsafe {
            // SAFETY: `Rc<u64>` is one non-null pointer to its allocation.
            std::mem::transmute_copy(&rc)
        };
        assert_eq!(Rc::as_ptr(&rc) as usize - inner, super::RC_VALUE as usize);
        // SAFETY: the strong count is the first word of the allocation.
        assert_eq!(unsafe { *(inner as *const usize) }, 1);
    }
}
