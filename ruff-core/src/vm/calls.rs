//! Calls, Lua style: the callee sits in a caller register, its arguments right after it, and
//! the callee's frame starts at the first argument, so arguments become parameters without
//! copying. Interpreted callees get a frame pushed and the dispatch loop simply continues
//! with it (no Rust recursion); builtins run at once; compiled callees are entered natively.
//!
//! Every call is made on behalf of the top frame in `frames` (for calls from compiled code,
//! `exec_call` pushes a shadow frame first), whose instruction in progress gives the error
//! position.

use std::rc::Rc;

use super::glue;
use super::{Frame, Raised, Vm, MAX_DEPTH};
use crate::bytecode::inline_cache::Callee;
use crate::bytecode::FuncProto;
use crate::value::Value;

/// What a call did.
pub(crate) enum Invoked {
    /// The result is already in the callee slot.
    Done,
    /// A frame was pushed; the dispatch loop must continue with it.
    Pushed,
}

impl Vm {
    /// Calls the value in stack slot `callee` with the `argc` values after it.
    #[inline(always)]
    pub(crate) fn invoke<const PROFILE: bool>(
        &mut self,
        callee: usize,
        argc: usize,
    ) -> Result<Invoked, Raised> {
        let stack = self.stack_ptr();
        // SAFETY: `callee` is a register of the calling frame, inside the stack.
        let proto = match unsafe { &*stack.add(callee) } {
            Value::Func(c) => Rc::as_ptr(&c.proto),
            _ => return self.invoke_other::<PROFILE>(callee, argc),
        };
        self.enter_closure::<PROFILE>(callee, argc, proto)
    }

    /// Checks and enters a closure whose arguments (receiver included, for methods) are in
    /// place after `callee`.
    #[inline(always)]
    pub(crate) fn enter_closure<const PROFILE: bool>(
        &mut self,
        callee: usize,
        argc: usize,
        proto: *const FuncProto,
    ) -> Result<Invoked, Raised> {
        // SAFETY: the closure in the callee slot keeps its prototype alive.
        let p = unsafe { &*proto };
        let base = self.prepare_closure_frame(callee, argc, p)?;
        if PROFILE {
            if let Some(entry) = self.compiled_entry_for_call(p) {
                return self.call_compiled(callee, p, entry);
            }
            self.stats.interpreted_calls += 1;
        }
        self.push_closure_frame(base, proto);
        Ok(Invoked::Pushed)
    }

    /// What every closure call does before its callee runs, interpreted or compiled (and
    /// the dispatch loop's inline call path too): checks the arity, the depth and the room
    /// on the stack, raising the error if one fails, and unbinds the callee's locals that
    /// can be read before they are written (`FuncProto::unbound_at_entry`; the others keep
    /// what an earlier frame left, released when overwritten). Returns the callee frame's
    /// base (`callee + 1`).
    #[inline(always)]
    pub(crate) fn prepare_closure_frame(
        &mut self,
        callee: usize,
        argc: usize,
        p: &FuncProto,
    ) -> Result<usize, Raised> {
        if p.arity as usize != argc {
            return Err(self.arity_error(p, argc));
        }
        if self.ctx.depth >= MAX_DEPTH {
            return Err(self.stack_overflow());
        }
        let base = callee + 1;
        let top = base + p.num_regs as usize;
        // `high_water <= stack_len` always, so a window below it fits: one comparison on
        // the usual path.
        if top > self.high_water {
            if top > self.stack_len() {
                return Err(self.stack_overflow());
            }
            self.high_water = top;
        }
        // SAFETY: the window `base..top` fits the stack, checked above.
        unsafe { self.unbind_locals(base, p) };
        Ok(base)
    }

    /// `prepare_closure_frame` for the dispatch loop's inline call path, which saves the
    /// caller's pc only after the checks: `None` if a check fails or the high-water mark
    /// must move (nothing done; `prepare_closure_frame` then raises, or does the rare case).
    #[inline(always)]
    pub(crate) fn try_prepare_closure_frame(
        &mut self,
        callee: usize,
        argc: usize,
        p: &FuncProto,
    ) -> Option<usize> {
        let base = callee + 1;
        let top = base + p.num_regs as usize;
        if p.arity as usize != argc || self.ctx.depth >= MAX_DEPTH || top > self.high_water {
            return None;
        }
        // SAFETY: `top <= high_water <= stack_len`.
        unsafe { self.unbind_locals(base, p) };
        Some(base)
    }

    /// Unbinds the locals of `p`'s frame at `base` that can be read before being written.
    ///
    /// # Safety
    /// `base..base + p.num_regs` lies in the stack.
    #[inline(always)]
    unsafe fn unbind_locals(&mut self, base: usize, p: &FuncProto) {
        let stack = self.stack_ptr();
        for &r in &p.unbound_at_entry {
            // SAFETY: `r < num_regs` (verified: entry), so the slot is in the window, which
            // lies in the stack (the caller's contract); (UNDEF, 0) is `Value::Undef`.
            unsafe {
                super::regs::put_words(
                    stack.add(base + r as usize),
                    crate::value::tag::UNDEF as u64,
                    0,
                )
            };
        }
    }

    /// Pushes the interpreted frame of a closure call that `prepare_closure_frame` set up;
    /// the call counts towards the depth.
    #[inline(always)]
    pub(crate) fn push_closure_frame(&mut self, base: usize, proto: *const FuncProto) {
        self.ctx.depth += 1;
        self.frames.push(Frame {
            base,
            pc: 0,
            proto,
            counted: true,
            traced: false,
        });
    }

    /// `push_closure_frame` for the dispatch loop, saving the caller's `pc` in the same
    /// step (one look at the frame vector instead of two).
    #[inline(always)]
    pub(crate) fn push_call_frame(
        &mut self,
        caller_pc: usize,
        base: usize,
        proto: *const FuncProto,
    ) {
        self.ctx.depth += 1;
        let n = self.frames.len();
        if n == self.frames.capacity() {
            self.grow_frames();
        }
        let frame = Frame {
            base,
            pc: 0,
            proto,
            counted: true,
            traced: false,
        };
        // SAFETY: `n >= 1` (the caller's frame is the top one) and `n < capacity` (grown
        // above); `Frame` is `Copy`, so writing past the length and extending it is sound.
        unsafe {
            let f = self.frames.as_mut_ptr();
            (*f.add(n - 1)).pc = caller_pc;
            f.add(n).write(frame);
            self.frames.set_len(n + 1);
        }
    }

    #[cold]
    #[inline(never)]
    fn grow_frames(&mut self) {
        self.frames.reserve(1);
    }

    /// Builtins, bound methods and values that cannot be called.
    #[inline(never)]
    fn invoke_other<const PROFILE: bool>(
        &mut self,
        callee: usize,
        argc: usize,
    ) -> Result<Invoked, Raised> {
        let stack = self.stack_ptr();
        // SAFETY: `callee` is inside the stack.
        match unsafe { &*stack.add(callee) } {
            Value::Builtin(id) => {
                let id = *id;
                // SAFETY: the arguments are the `argc` registers after the callee; the slice is
                // built from the raw stack pointer, so it does not borrow `self`.
                let args = unsafe { std::slice::from_raw_parts(stack.add(callee + 1), argc) };
                let result = glue::call_builtin(id, args, &mut self.out);
                self.maybe_flush();
                match result {
                    Ok(v) => {
                        // SAFETY: as above.
                        unsafe { *stack.add(callee) = v };
                        Ok(Invoked::Done)
                    }
                    Err(msg) => Err(self.raise(msg)),
                }
            }
            Value::Bound(bm) => {
                let bm = bm.clone();
                if callee + 2 + argc > self.stack_len() {
                    return Err(self.stack_overflow());
                }
                self.high_water = self.high_water.max(callee + 2 + argc);
                // Insert the receiver before the arguments: the compiler reserves one register
                // past the last argument of every call for this.
                for i in (0..argc).rev() {
                    // SAFETY: `callee + 2 + argc <= stack_len`, checked above.
                    unsafe {
                        let v = std::mem::take(&mut *stack.add(callee + 1 + i));
                        *stack.add(callee + 2 + i) = v;
                    }
                }
                // SAFETY: as above.
                unsafe {
                    *stack.add(callee + 1) = bm.receiver.clone();
                    *stack.add(callee) = Value::Func(bm.method.clone());
                }
                self.enter_closure::<PROFILE>(callee, argc + 1, Rc::as_ptr(&bm.method.proto))
            }
            v => {
                let msg = format!("cannot call a value of type {}", glue::type_name(v));
                Err(self.raise(msg))
            }
        }
    }

    /// `R[base] = R[base+1].name(args...)`: a struct method gets the receiver as its first
    /// parameter; a field holding a function is called with the arguments only.
    #[inline(never)]
    pub(crate) fn call_method<const PROFILE: bool>(
        &mut self,
        base: usize,
        argc: usize,
        name: u16,
        site: usize,
    ) -> Result<Invoked, Raised> {
        let stack = self.stack_ptr();
        let f = *self.frames.last().expect("a calling frame");
        // SAFETY: the calling frame's closure keeps its prototype alive.
        let proto = unsafe { &*f.proto };
        let name = &proto.names[name as usize];
        // SAFETY: the receiver is a register of the calling frame.
        let recv = unsafe { &*stack.add(base + 1) };
        let inst = match recv {
            Value::Struct(inst) => inst,
            v => {
                let msg = method_lookup_error(v, name).unwrap_or_default();
                return Err(self.raise(msg));
            }
        };
        // The site's inline cache names the method's (or the called field's) index in the
        // definition when it last saw this definition; otherwise search by name and refill it.
        let found = proto.inline_caches.callee(site, &inst.def, name);
        if let Some(Callee::Method(m)) = found {
            let callee = Value::Func(m.clone());
            let p = Rc::as_ptr(&m.proto);
            // SAFETY: `base` is a register of the calling frame (the receiver, at `base + 1`,
            // is not touched, so `inst` stays valid until here).
            unsafe { *stack.add(base) = callee };
            return self.enter_closure::<PROFILE>(base, argc + 1, p);
        }
        let inst = inst.clone();
        if let Some(Callee::Field(i)) = found {
            let callee = inst.fields.borrow()[i].clone();
            // SAFETY: `base..base+2+argc` are registers of the calling frame.
            unsafe {
                *stack.add(base) = callee;
                for j in 0..argc {
                    let v = std::mem::take(&mut *stack.add(base + 2 + j));
                    *stack.add(base + 1 + j) = v;
                }
            }
            return self.invoke::<PROFILE>(base, argc);
        }
        // Same text as `method_lookup_error`'s struct case.
        let msg = format!("{} has no method '{name}'", inst.def.name);
        Err(self.raise(msg))
    }

    #[cold]
    fn arity_error(&mut self, p: &FuncProto, argc: usize) -> Raised {
        let msg = if p.is_method && p.arity == 0 {
            format!(
                "method '{}' has no parameter to bind self to",
                p.display_name
            )
        } else if p.is_method {
            format!(
                "method '{}' expects {} argument(s), got {}",
                p.display_name,
                p.arity - 1,
                argc.saturating_sub(1)
            )
        } else {
            format!(
                "function '{}' expects {} argument(s), got {}",
                p.display_name, p.arity, argc
            )
        };
        self.raise(msg)
    }

    #[cold]
    pub(crate) fn stack_overflow(&mut self) -> Raised {
        self.raise("stack overflow".to_string())
    }

    /// Calls `callee_value(args)` from inside the VM and waits for its result (a nested
    /// dispatch loop for interpreted callees); used where a call is not a `Call` instruction
    /// (`RangePrep` over a rebound `range`). The arguments are in place after `callee`.
    pub(crate) fn call_nested(&mut self, callee: usize, argc: usize) -> Result<Value, Raised> {
        let profiles = self.policy.profiles;
        let invoked = if profiles {
            self.invoke::<true>(callee, argc)
        } else {
            self.invoke::<false>(callee, argc)
        };
        let stack = self.stack_ptr();
        match invoked? {
            // SAFETY: `callee` is a register of the calling frame.
            Invoked::Done => Ok(unsafe { std::mem::take(&mut *stack.add(callee)) }),
            Invoked::Pushed => {
                let entry = self.frames.len() - 1;
                self.run_dispatch(entry)
            }
        }
    }
}

/// The error `CallMethod` (and `CheckMethod`, which runs the lookup before the arguments)
/// raises when `recv` has no method or field `name` to call, or `None` if the lookup succeeds.
#[inline]
pub(crate) fn method_lookup_error(recv: &Value, name: &str) -> Option<String> {
    match recv {
        Value::Struct(inst) => {
            if inst.def.method(name).is_some() || inst.def.field_index(name).is_some() {
                None
            } else {
                Some(format!("{} has no method '{name}'", inst.def.name))
            }
        }
        v => Some(format!(
            "cannot call method '{name}' on a value of type {}",
            glue::type_name(v)
        )),
    }
}
