//! Byte offsets of the VM structures compiled code reads directly.
//!
//! `Value` and `JitCtx` are `repr(C)` (their layout is a contract). A `Rc<T>` is a pointer to
//! std's `RcInner<T>`, which is `repr(C)` `{ strong, weak, value }`, so the strong count is
//! at offset 0 and the value at `RC_VALUE` (checked by a test against a real `Rc`). Offsets
//! inside `Closure` and `FuncProto` (plain Rust structs) come from `offset_of!`, so they
//! follow whatever layout rustc picked.

use std::mem::offset_of;

use ruff_core::bytecode::FuncProto;
use ruff_core::heap::Closure;
use ruff_core::tier::JitCtx;

/// Size of one register (`Value`).
pub const VALUE_SIZE: i32 = 16;
/// Offset of a `Value`'s i64/f64/pointer payload.
pub const PAYLOAD: i32 = 8;
/// Offset of a `Bool`'s byte. `repr(C, u8)` puts the tag first and then a union aligned to
/// 8, so every payload, the Bool byte included, is at offset 8 (pinned by value.rs's test).
pub const BOOL_BYTE: i32 = 8;

pub const CTX_RET: i32 = offset_of!(JitCtx, ret) as i32;
pub const CTX_RESUME_PC: i32 = offset_of!(JitCtx, resume_pc) as i32;
pub const CTX_DEPTH: i32 = offset_of!(JitCtx, depth) as i32;

/// Offset of the value inside an `Rc` allocation (after the strong and weak counts).
pub const RC_VALUE: i32 = 16;
/// `Rc<Closure>` pointer -> its `Rc<FuncProto>` field.
pub const CLOSURE_PROTO: i32 = RC_VALUE + offset_of!(Closure, proto) as i32;
/// `Rc<FuncProto>` pointer -> `id` (u32).
pub const PROTO_ID: i32 = RC_VALUE + offset_of!(FuncProto, id) as i32;
/// `Rc<FuncProto>` pointer -> `arity` (u16).
pub const PROTO_ARITY: i32 = RC_VALUE + offset_of!(FuncProto, arity) as i32;

#[cfg(test)]
mod tests {
    use std::rc::Rc;

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
