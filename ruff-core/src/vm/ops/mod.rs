//! The one home of instruction semantics, per family. The interpreter's dispatch loop, the
//! generic executor (`exec_generic` in `jit_support.rs`, the JIT's fallback) and the runtime
//! helpers compiled code calls (`abi::helpers`) all run these functions, so there is no
//! second copy of what an instruction does. They are `#[inline(always)]` where the
//! interpreter's hot loop uses them: with the operator a constant at each call site they
//! compile to the same code a hand-written arm would. (The constructors and the generic
//! slow paths are `Vm` methods in `exec.rs`, iteration set-up in `iter.rs`, calls in
//! `calls.rs`.)
//!
//! Every function takes `regs`, a pointer to `R[0]` of a live frame on the VM's value
//! stack, and register indices of that frame (all below `num_regs`, which the bytecode
//! verifier checks); that is the safety contract of every `unsafe fn` here. Errors are
//! message strings; the caller attaches the instruction's span.

mod arith;
mod calls;
mod index;
mod iter;
mod vars;

pub(crate) use arith::{
    append_in_place, binary_scalar, equality_shallow, operand_bits, scalar_binary, unary, Rhs,
};
pub(crate) use calls::{check_method, push_fast};
pub(crate) use index::{get_field, get_index_fast, set_field, set_index_fast};
pub(crate) use iter::{calls_builtin_range, iter_next, range_next};
pub(crate) use vars::{
    check_def, get_cell, get_upval, load_bool, load_const, load_int, move_reg, new_cell, set_cell,
    set_upval,
};
