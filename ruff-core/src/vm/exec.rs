//! Generic semantics of the non-control-flow instructions, shared by the dispatch loop's slow
//! paths and by `exec_generic` (the JIT's fallback for unspecialized instructions).
//!
//! Every function takes `regs`, a pointer to `R[0]` of a live frame on the VM's stack, and
//! register indices the compiler produced for that frame's prototype (all `< num_regs`).
//! Errors are message strings; the caller attaches the instruction's span.

use std::cell::RefCell;
use std::rc::Rc;

use super::glue;
use super::ops::{append_in_place, equality_shallow};
use super::regs::{dup, frame_closure, reg};
use super::Vm;
use crate::ast::BinOp;
use crate::bytecode::{FuncProto, Reg, UpvalDesc};
use crate::heap::{ArrayObj, Closure, DictKey, DictMap, DictObj, Fields, Instance, StrObj};
use crate::mem;
use crate::value::Value;

impl Vm {
    /// `R[dst] = R[a] op R[b]` for every operand mix, with the amortised in-place string
    /// append when `dst == a` and the string is not shared.
    ///
    /// # Safety
    /// `regs` is a live frame and the registers are within it.
    #[inline(never)]
    pub(crate) unsafe fn binary_slow(
        &mut self,
        regs: *mut Value,
        op: BinOp,
        dst: Reg,
        a: Reg,
        b: Reg,
    ) -> Result<(), String> {
        // SAFETY: registers of a live frame (the caller's contract).
        unsafe {
            // A Str only this register holds grows in place; equality skips `values::binary`.
            if append_in_place(regs, op, dst, a, b)
                || equality_shallow(regs, op, dst, a, &*reg(regs, b))
            {
                return Ok(());
            }
            if op == BinOp::Add && dst == a {
                if let (Value::Str(_), Value::Str(_)) = (&*reg(regs, a), &*reg(regs, b)) {
                    // Take the string out of its register so the register's reference does not
                    // count: when nothing else holds it we can append in place.
                    let mut lhs = std::mem::replace(reg(regs, a), Value::Null);
                    // `s += s`: the right operand is the register just emptied; read the
                    // taken value instead.
                    let same = a == b;
                    if let Value::Str(s) = &mut lhs {
                        if let Some(obj) = Rc::get_mut(s) {
                            let grown = if same {
                                let n = obj.text.len();
                                mem::reserve_str(&mut obj.text, n)
                                    .map(|()| obj.text.extend_from_within(..))
                            } else if let Value::Str(t) = &*reg(regs, b) {
                                mem::push_str(&mut obj.text, &t.text)
                            } else {
                                Ok(())
                            };
                            // Out of memory: the string goes back unchanged.
                            *reg(regs, dst) = lhs;
                            return grown;
                        }
                    }
                    // Shared: concatenate into a new string.
                    let rhs = if same { &lhs } else { &*reg(regs, b) };
                    let v = glue::binary(op, &lhs, rhs);
                    *reg(regs, dst) = v?;
                    return Ok(());
                }
            }
            let v = glue::binary(op, &*reg(regs, a), &*reg(regs, b))?;
            *reg(regs, dst) = v;
        }
        Ok(())
    }

    /// `R[dst] = R[obj][R[idx]]` for everything but the inline Array/Int case.
    ///
    /// # Safety
    /// As `binary_slow`.
    #[inline(never)]
    pub(crate) unsafe fn get_index_slow(
        &mut self,
        regs: *mut Value,
        dst: Reg,
        obj: Reg,
        idx: Reg,
    ) -> Result<(), String> {
        // SAFETY: registers of a live frame.
        unsafe {
            let v = match (&*reg(regs, obj), &*reg(regs, idx)) {
                (Value::Dict(d), Value::Int(i)) => dict_get(&d.map.borrow(), &DictKey::Int(*i)),
                (Value::Dict(d), k @ Value::Str(_)) => {
                    dict_get(&d.map.borrow(), &glue::dict_key(k)?)
                }
                (o, i) => glue::get_index(o, i)?,
            };
            *reg(regs, dst) = v;
        }
        Ok(())
    }

    /// `R[obj][R[idx]] = R[src]` for everything but the inline Array/Int case.
    ///
    /// # Safety
    /// As `binary_slow`.
    #[inline(never)]
    pub(crate) unsafe fn set_index_slow(
        &mut self,
        regs: *mut Value,
        obj: Reg,
        idx: Reg,
        src: Reg,
    ) -> Result<(), String> {
        // SAFETY: registers of a live frame.
        unsafe {
            let v = reg(regs, src).clone();
            match &*reg(regs, obj) {
                Value::Dict(d) => {
                    let key = glue::dict_key(reg(regs, idx))?;
                    let old = mem::dict_insert(&mut d.map.borrow_mut(), key, v)?;
                    // Dropped after the borrow: it may free a container.
                    drop(old);
                    Ok(())
                }
                o => glue::set_index(o, reg(regs, idx), v),
            }
        }
    }

    /// A new closure of `proto.children[child]`, capturing per its upvalue descriptors.
    ///
    /// # Safety
    /// `regs` is the live frame running `proto`.
    pub(crate) unsafe fn make_closure(
        &mut self,
        regs: *mut Value,
        proto: &FuncProto,
        child: u16,
    ) -> Value {
        let child = proto.children[child as usize].clone();
        let upvals = child
            .upvals
            .iter()
            .map(|d| match *d {
                // SAFETY: the register is in the live frame.
                UpvalDesc::ParentReg(r) => match unsafe { &*reg(regs, r) } {
                    Value::Cell(c) => c.clone(),
                    // The compiler boxes every captured local first; tolerate a plain value
                    // by capturing a copy rather than crashing.
                    v => Rc::new(RefCell::new(v.clone())),
                },
                UpvalDesc::ParentUpval(i) => {
                    // SAFETY: `R[-1]` of the live frame is its closure.
                    let clo = unsafe { frame_closure(regs) };
                    clo.upvals[i as usize].clone()
                }
            })
            .collect();
        Value::Func(Rc::new(Closure {
            proto: child,
            upvals,
        }))
    }

    /// `R[dst]` = a new array, dict, struct or interpolated string built from `count`
    /// registers starting at `start`.
    ///
    /// # Safety
    /// The registers lie in the live frame at `regs`.
    pub(crate) unsafe fn new_array(
        regs: *mut Value,
        start: Reg,
        count: u16,
    ) -> Result<Value, String> {
        // SAFETY: `start..start+count` are registers of the live frame.
        let items = unsafe { std::slice::from_raw_parts(regs.add(start as usize), count as usize) };
        Ok(Value::Array(Rc::new(ArrayObj {
            items: RefCell::new(mem::copy_slice(items)?),
        })))
    }

    /// # Safety
    /// As `new_array` (`2 * count` registers).
    pub(crate) unsafe fn new_dict(
        regs: *mut Value,
        start: Reg,
        count: u16,
    ) -> Result<Value, String> {
        let mut map = DictMap::default();
        for i in 0..count as usize {
            // SAFETY: the pairs are registers of the live frame.
            let (k, v) = unsafe {
                (
                    &*regs.add(start as usize + 2 * i),
                    &*regs.add(start as usize + 2 * i + 1),
                )
            };
            mem::dict_insert(&mut map, glue::dict_key(k)?, v.clone())?;
        }
        Ok(Value::Dict(Rc::new(DictObj {
            map: RefCell::new(map),
        })))
    }

    /// # Safety
    /// As `new_array`.
    pub(crate) unsafe fn new_struct(
        regs: *mut Value,
        proto: &FuncProto,
        lit: u16,
        start: Reg,
    ) -> Value {
        let lit = &proto.struct_lits[lit as usize];
        let def = lit
            .def
            .upgrade()
            .expect("a running program owns its struct definitions");
        let n = def.fields.len();
        let mut fields = Fields::with_capacity(n);
        // SAFETY: the written fields' values are registers of the live frame.
        let value = |i: usize| dup(unsafe { &*regs.add(start as usize + i) });
        let in_order = lit.field_slots.len() == n
            && lit
                .field_slots
                .iter()
                .enumerate()
                .all(|(i, &s)| s as usize == i);
        if in_order {
            // The usual literal: every field, in declaration order.
            for i in 0..n {
                fields.push(value(i));
            }
        } else {
            fields.resize(n, Value::Null);
            for (i, slot) in lit.field_slots.iter().enumerate() {
                fields[*slot as usize] = value(i);
            }
        }
        Value::Struct(Rc::new(Instance {
            def,
            fields: RefCell::new(fields),
        }))
    }

    /// # Safety
    /// As `new_array`.
    pub(crate) unsafe fn concat(regs: *mut Value, start: Reg, count: u16) -> Result<Value, String> {
        let mut text = String::new();
        for i in 0..count as usize {
            // SAFETY: the parts are registers of the live frame.
            glue::write_display(&mut text, unsafe { &*regs.add(start as usize + i) })?;
        }
        Ok(Value::Str(Rc::new(StrObj::new(text))))
    }
}

#[inline]
fn dict_get(map: &DictMap, key: &DictKey) -> Value {
    map.get(key).cloned().unwrap_or(Value::Null)
}
