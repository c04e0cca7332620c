//! Stepping `for` loops (`IterNext`): the loop state in `R[iter]`, `R[iter+1]`, `R[iter+2]`
//! is a range `(Int next, Int stop, Int step)` or an array walk `(Array, Int index, Null)`
//! (set up by `IterPrep`/`RangePrep`, `vm/iter.rs`).

use crate::bytecode::Reg;
use crate::value::{tag, Value};
use crate::vm::regs::{put, put_words, reg};

/// One step of a range loop whose `R[iter]` holds the Int `next`: true and `R[dst] = next`
/// (advancing the state) if the range goes on, false when it is over. A step past the end
/// of i64 ends the range (the state clamps to `stop`).
///
/// # Safety
/// `iter..=iter+2` and `dst` are registers of the live frame at `regs`, holding a range
/// state.
#[inline(always)]
pub(crate) unsafe fn range_next(regs: *mut Value, iter: Reg, dst: Reg, next: i64) -> bool {
    // SAFETY: registers of the live frame (the caller's contract).
    let (stop, step) = match unsafe { (&*reg(regs, iter + 1), &*reg(regs, iter + 2)) } {
        (Value::Int(s), Value::Int(t)) => (*s, *t),
        _ => unreachable!("range state holds ints"),
    };
    let more = if step > 0 { next < stop } else { next > stop };
    if more {
        let advanced = next.checked_add(step).unwrap_or(stop);
        // SAFETY: as above; (INT, n) is a valid Int value.
        unsafe {
            put_words(regs.add(iter as usize), tag::INT as u64, advanced as u64);
            put_words(regs.add(dst as usize), tag::INT as u64, next as u64);
        }
    }
    more
}

/// `IterNext` for either kind of loop state: true and `R[dst]` = the next value, or false
/// when the loop is over.
///
/// # Safety
/// As `range_next`, for any loop state.
#[inline]
pub(crate) unsafe fn iter_next(regs: *mut Value, iter: Reg, dst: Reg) -> bool {
    // SAFETY: registers of the live frame (the caller's contract).
    match unsafe { &*reg(regs, iter) } {
        // SAFETY: as above.
        Value::Int(next) => unsafe { range_next(regs, iter, dst, *next) },
        Value::Array(arr) => {
            // SAFETY: as above.
            let i = match unsafe { &*reg(regs, iter + 1) } {
                Value::Int(i) => *i as usize,
                _ => unreachable!("array iteration state holds an int"),
            };
            let item = arr.items.borrow().get(i).cloned();
            match item {
                Some(v) => {
                    // SAFETY: as above.
                    unsafe {
                        put_words(regs.add(iter as usize + 1), tag::INT as u64, i as u64 + 1);
                        put(regs.add(dst as usize), v);
                    }
                    true
                }
                None => false,
            }
        }
        _ => unreachable!("IterNext without IterPrep"),
    }
}

/// Whether the callee of a `RangePrep` (`R[iter]`) is the builtin `range`, whose loop state
/// is set without a call (`Vm::range_prep`); anything else is called (`range_prep_call`).
///
/// # Safety
/// `iter` is a register of the live frame at `regs`.
#[inline(always)]
pub(crate) unsafe fn calls_builtin_range(regs: *mut Value, iter: Reg) -> bool {
    // SAFETY: the caller's contract.
    matches!(unsafe { &*reg(regs, iter) }, Value::Builtin(id) if *id == crate::builtins::RANGE)
}
