//! Preparing `for` loops (LANGUAGE-DETAILS §2). The loop state lives in `R[iter]`,
//! `R[iter+1]`, `R[iter+2]`: a range is `(Int next, Int stop, Int step)`, everything else is
//! walked as `(Array, Int index, Null)` by live index. `IterNext` (in the dispatch loop)
//! tells the two apart by the tag of `R[iter]`.

use std::cell::RefCell;
use std::rc::Rc;

use super::glue;
use super::regs::reg;
use super::{Raised, Vm};
use crate::bytecode::Reg;
use crate::heap::{ArrayObj, DictKey};
use crate::value::Value;

impl Vm {
    /// `IterPrep`: turns the iterable in `R[iter]` into a loop state.
    ///
    /// # Safety
    /// `regs` is a live frame and `iter + 2` is one of its registers.
    pub(crate) unsafe fn iter_prep(regs: *mut Value, iter: Reg) -> Result<(), String> {
        // SAFETY: the caller's contract.
        let (r0, r1, r2) = unsafe { (reg(regs, iter), reg(regs, iter + 1), reg(regs, iter + 2)) };
        let array = match &*r0 {
            Value::Int(n) => {
                let n = *n;
                *r0 = Value::Int(0);
                *r1 = Value::Int(n);
                *r2 = Value::Int(1);
                return Ok(());
            }
            Value::Array(a) => a.clone(),
            Value::Dict(d) => {
                // A snapshot of the keys: inserts in the body are not visited.
                let map = d.map.borrow();
                let keys = crate::mem::collect_exact(
                    map.len(),
                    map.keys().map(|k| match k {
                        DictKey::Str(s) => Value::Str(s.clone()),
                        DictKey::Int(i) => Value::Int(*i),
                        DictKey::Bool(b) => Value::Bool(*b),
                    }),
                )?;
                drop(map);
                new_array(keys)
            }
            Value::Str(s) => new_array(crate::values::string_chars(s)?),
            v => {
                return Err(format!(
                    "cannot iterate over a value of type {}",
                    glue::type_name(v)
                ))
            }
        };
        *r0 = Value::Array(array);
        *r1 = Value::Int(0);
        *r2 = Value::Null;
        Ok(())
    }

    /// `RangePrep` when `R[iter]` is the builtin `range`: checks the arguments like `range()`
    /// does and sets a range state without allocating.
    ///
    /// # Safety
    /// As `iter_prep`, and `R[iter+1..=iter+argc]` are registers of the frame.
    pub(crate) unsafe fn range_prep(regs: *mut Value, iter: Reg, argc: u8) -> Result<(), String> {
        if !(1..=3).contains(&argc) {
            return Err(format!("range() expects 1 to 3 argument(s), got {argc}"));
        }
        let mut ints = [0i64; 3];
        for (i, slot) in ints.iter_mut().enumerate().take(argc as usize) {
            // SAFETY: the arguments are registers of the frame (the caller's contract).
            match unsafe { &*reg(regs, iter + 1 + i as Reg) } {
                Value::Int(v) => *slot = *v,
                v => {
                    return Err(format!(
                        "range() arguments must be ints, got {}",
                        glue::type_name(v)
                    ))
                }
            }
        }
        let (start, stop, step) = match argc {
            1 => (0, ints[0], 1),
            2 => (ints[0], ints[1], 1),
            _ => (ints[0], ints[1], ints[2]),
        };
        if step == 0 {
            return Err("range() step cannot be zero".to_string());
        }
        // SAFETY: the state registers belong to the frame.
        unsafe {
            *reg(regs, iter) = Value::Int(start);
            *reg(regs, iter + 1) = Value::Int(stop);
            *reg(regs, iter + 2) = Value::Int(step);
        }
        Ok(())
    }

    /// `RangePrep` when the global `range` was rebound: calls it, then iterates the result.
    /// The top frame must be the frame at `regs`, with its pc saved.
    ///
    /// # Safety
    /// As `range_prep`.
    pub(crate) unsafe fn range_prep_call(
        &mut self,
        regs: *mut Value,
        iter: Reg,
        argc: u8,
    ) -> Result<(), Raised> {
        let callee = self.slot_of(regs) + iter as usize;
        let v = self.call_nested(callee, argc as usize)?;
        // SAFETY: the caller's contract.
        unsafe {
            *reg(regs, iter) = v;
            Vm::iter_prep(regs, iter).map_err(|msg| self.raise(msg))
        }
    }
}

fn new_array(items: Vec<Value>) -> Rc<ArrayObj> {
    Rc::new(ArrayObj {
        items: RefCell::new(items),
    })
}
