//! The dispatch loop, generic over `PROFILE`: `interp` runs the copy without any profiling
//! code; the other presets run the copy that records feedback, counts back-edges and calls
//! (closure calls on the inline `Call` path, the rest in `enter_closure`) and enters
//! compiled code. Both copies fuse the same instruction pairs; a fused instruction records
//! the feedback it would record on its own, at its own pc.
//!
//! The loop keeps the running frame in locals (`regs`, `code`, `pc`) and writes `pc` back to
//! the frame only before anything that can look at frames (calls, errors, OSR). Int/Float
//! arithmetic and comparisons, branches on Bool, array indexing by Int and range/array loops
//! are inline; everything else goes to out-of-line helpers, and errors to `#[cold]` ones.

use super::calls::Invoked;
use super::glue;
use super::regs::{dup, put, put_words, reg};
use super::{Raised, Vm};
use crate::ast::{BinOp, UnOp};
use crate::builtins;
use crate::bytecode::{FuncProto, Instr};
use crate::profile::{lhs_bit, rhs_bit};
use crate::value::{tag, Value};

/// Feedback of an instruction whose two operands are Ints, or Floats.
const INT_INT: u32 = lhs_bit(tag::INT) | rhs_bit(tag::INT);
const FLOAT_FLOAT: u32 = lhs_bit(tag::FLOAT) | rhs_bit(tag::FLOAT);

/// Outcome of reaching a hot `LoopBack` (see `tiering`).
pub(crate) enum OsrExit {
    /// Keep interpreting the loop.
    NotEntered,
    /// The compiled code ran the frame to its end.
    Returned(Value),
    /// The compiled code deoptimized; go on at this pc.
    Resume(usize),
    /// An error is pending; this frame's trace entry is already pushed.
    Failed,
}

impl Vm {
    /// Runs from the top frame until the frame at index `entry` returns; its result is
    /// returned (not stored). On error, every frame from the top down to `entry` has been
    /// popped and has added its trace entry.
    pub(crate) fn run<const PROFILE: bool>(&mut self, entry: usize) -> Result<Value, Raised> {
        let stack = self.stack_ptr();
        let top = *self.frames.last().expect("a frame to run");
        let mut base = top.base;
        // SAFETY: `top.base` lies in the stack (checked when the frame was pushed).
        let mut regs: *mut Value = unsafe { stack.add(base) };
        // SAFETY: the closure in `R[-1]` keeps the prototype alive while the frame runs.
        let mut proto: &FuncProto = unsafe { &*top.proto };
        let mut code: *const Instr = proto.code.as_ptr();
        let mut pc = top.pc;
        // The running function's feedback words and back-edge counters (profiling loop only).
        let mut fb: *mut u32 = std::ptr::null_mut();
        let mut be: *mut u32 = std::ptr::null_mut();

        // Points `fb` and `be` at the profile of `proto`. Redone whenever the running
        // function changes (and only then). The pointers stay valid across calls, compiles
        // and deopts: the profile vectors are allocated once (`Vm::new`) and never resized,
        // and everything else writes them through raw pointers too
        // (`FuncProfile::reset_backedges`) or only reads them, so no `&mut` to the buffers
        // is made while they are in use.
        macro_rules! load_profile {
            () => {
                if PROFILE {
                    // SAFETY: see `Vm::profile_unchecked`; `proto` is a prototype of the
                    // program.
                    let p = unsafe { self.profile_unchecked(proto.id) };
                    fb = p.feedback.as_mut_ptr();
                    be = p.backedges.as_mut_ptr();
                }
            };
        }
        load_profile!();
        // The tiering policy, read once: it does not change while the VM runs.
        let policy = self.policy;
        let osr_at = policy.osr_at;

        // Reloads the locals from the top frame after a call or return changed it.
        macro_rules! reload {
            () => {{
                let f = *self.frames.last().expect("a frame to run");
                base = f.base;
                // SAFETY: as at entry.
                regs = unsafe { stack.add(base) };
                let same = std::ptr::eq(f.proto, proto);
                // SAFETY: as at entry.
                proto = unsafe { &*f.proto };
                code = proto.code.as_ptr();
                pc = f.pc;
                // Same function as before (a recursive call returned): `fb` and `be` already
                // point at its profile.
                if !same {
                    load_profile!();
                }
            }};
        }
        macro_rules! save_pc {
            () => {
                self.frames.last_mut().expect("a frame to run").pc = pc
            };
        }
        // Raises `$msg` at the current instruction and unwinds to `entry`.
        macro_rules! throw {
            ($msg:expr) => {{
                save_pc!();
                return Err(self.fail(entry, $msg));
            }};
        }
        macro_rules! check {
            ($e:expr) => {
                if let Err(msg) = $e {
                    throw!(msg);
                }
            };
        }
        macro_rules! r {
            ($i:expr) => {
                // SAFETY: every register an instruction names is below `num_regs` of the
                // running prototype (verified: registers, `bytecode::verify`), and the frame
                // window was checked to fit the stack when pushed.
                unsafe { reg(regs, $i) }
            };
        }
        macro_rules! slot {
            ($i:expr) => {
                regs.wrapping_add($i as usize)
            };
        }
        macro_rules! set {
            ($i:expr, $v:expr) => {{
                let v = $v;
                // SAFETY: as for `r!`.
                unsafe { put(slot!($i), v) }
            }};
        }
        macro_rules! set_int {
            ($i:expr, $x:expr) => {{
                let x: i64 = $x;
                // SAFETY: as for `r!`; (INT, x) is a valid Int value.
                unsafe { put_words(slot!($i), tag::INT as u64, x as u64) }
            }};
        }
        macro_rules! set_float {
            ($i:expr, $x:expr) => {{
                let x: f64 = $x;
                // SAFETY: as for `r!`; (FLOAT, bits) is a valid Float value.
                unsafe { put_words(slot!($i), tag::FLOAT as u64, x.to_bits()) }
            }};
        }
        macro_rules! set_bool {
            ($i:expr, $x:expr) => {{
                let x: bool = $x;
                // SAFETY: as for `r!`. `repr(C, u8)` makes `Value` a tagged union: the Bool
                // payload is the byte at offset 8, like every other payload.
                unsafe { put_words(slot!($i), tag::BOOL as u64, x as u64) }
            }};
        }
        // Adds `$bits` to the feedback of the instruction being executed. The fast paths,
        // which already know the operand tags, pass constants (one `or` to memory); the
        // others compute them with `feedback2`/`feedback1`. Either way the word gets the
        // tag of each operand, as `profile.rs` defines it.
        macro_rules! record {
            ($bits:expr) => {
                if PROFILE {
                    // SAFETY: `fb` has one word per instruction of `proto`, and `pc - 1` is
                    // the instruction being executed.
                    unsafe { *fb.add(pc - 1) |= $bits }
                }
            };
        }
        macro_rules! feedback2 {
            ($x:expr, $y:expr) => {
                record!(lhs_bit($x.tag()) | rhs_bit($y.tag()))
            };
        }
        macro_rules! feedback1 {
            ($x:expr) => {
                record!(lhs_bit($x.tag()))
            };
        }
        macro_rules! arith {
            ($dst:expr, $a:expr, $b:expr, $op:expr, $int:expr, $flt:expr) => {{
                let (x, y) = (&*r!($a), &*r!($b));
                match (x, y) {
                    (Value::Int(x), Value::Int(y)) => {
                        record!(INT_INT);
                        set_int!($dst, $int(*x, *y))
                    }
                    (Value::Float(x), Value::Float(y)) => {
                        record!(FLOAT_FLOAT);
                        set_float!($dst, $flt(*x, *y))
                    }
                    _ => {
                        feedback2!(x, y);
                        // SAFETY: registers of the running frame (verified: registers).
                        check!(unsafe { self.binary_slow(regs, $op, $dst, $a, $b) });
                    }
                }
            }};
        }
        macro_rules! int_only {
            ($dst:expr, $a:expr, $b:expr, $op:expr, $int:expr) => {{
                let (x, y) = (&*r!($a), &*r!($b));
                if let (Value::Int(x), Value::Int(y)) = (x, y) {
                    record!(INT_INT);
                    set_int!($dst, $int(*x, *y));
                } else {
                    feedback2!(x, y);
                    // SAFETY: registers of the running frame (verified: registers).
                    check!(unsafe { self.binary_slow(regs, $op, $dst, $a, $b) });
                }
            }};
        }
        macro_rules! compare {
            ($dst:expr, $a:expr, $b:expr, $op:expr, $cmp:tt) => {{
                let (x, y) = (&*r!($a), &*r!($b));
                let v = match (x, y) {
                    (Value::Int(x), Value::Int(y)) => {
                        record!(INT_INT);
                        x $cmp y
                    }
                    (Value::Float(x), Value::Float(y)) => {
                        record!(FLOAT_FLOAT);
                        x $cmp y
                    }
                    _ => {
                        feedback2!(x, y);
                        // SAFETY: registers of the running frame (verified: registers).
                        check!(unsafe { self.binary_slow(regs, $op, $dst, $a, $b) });
                        continue;
                    }
                };
                set_bool!($dst, v);
                // Fused compare-and-branch: most comparisons feed the next instruction's
                // `JumpIfFalse`/`JumpIfTrue`; take it here and save a dispatch. The Bool is
                // still written, so the register holds what the bytecode says.
                // SAFETY: a comparison falls through, so an instruction follows it (verified:
                // fallthrough).
                match unsafe { *code.add(pc) } {
                    Instr::JumpIfFalse { cond, target } if cond == $dst => {
                        if PROFILE {
                            // SAFETY: `pc` is an instruction of `proto` (verified:
                            // fallthrough), and `fb` has a word per instruction.
                            unsafe { *fb.add(pc) |= lhs_bit(tag::BOOL) }
                        }
                        pc = if v { pc + 1 } else { target as usize };
                    }
                    Instr::JumpIfTrue { cond, target } if cond == $dst => {
                        if PROFILE {
                            // SAFETY: as above.
                            unsafe { *fb.add(pc) |= lhs_bit(tag::BOOL) }
                        }
                        pc = if v { target as usize } else { pc + 1 };
                    }
                    _ => {}
                }
            }};
        }
        macro_rules! divmod {
            ($dst:expr, $a:expr, $b:expr, $op:expr, $int:ident, $flt:expr) => {{
                let (x, y) = (&*r!($a), &*r!($b));
                match (x, y) {
                    (Value::Int(_), Value::Int(0)) => {
                        record!(INT_INT);
                        throw!("division by zero".to_string())
                    }
                    (Value::Int(x), Value::Int(y)) => {
                        record!(INT_INT);
                        set_int!($dst, x.$int(*y))
                    }
                    (Value::Float(x), Value::Float(y)) => {
                        record!(FLOAT_FLOAT);
                        set_float!($dst, $flt(*x, *y))
                    }
                    _ => {
                        feedback2!(x, y);
                        // SAFETY: registers of the running frame (verified: registers).
                        check!(unsafe { self.binary_slow(regs, $op, $dst, $a, $b) })
                    }
                }
            }};
        }
        // Superinstructions without new opcodes: after a constant load, if the next
        // instruction is an arithmetic or comparison op whose right operand is the constant
        // just loaded (`n - 1`, `i * 3`, `x * 0.5`, `n < 2`), run it here and skip its
        // dispatch. It is exactly the next instruction, so behaviour (including errors, whose
        // span is `pc - 1` after the skip) is unchanged; so is its feedback, which the macros
        // record at `pc - 1`, the fused instruction's own pc.
        macro_rules! fuse_after_const {
            ($k:expr) => {{
                // SAFETY: a load falls through, so an instruction follows it (verified:
                // fallthrough).
                match unsafe { *code.add(pc) } {
                    Instr::Add { dst, a, b } if b == $k => {
                        pc += 1;
                        arith!(dst, a, b, BinOp::Add, i64::wrapping_add, |x: f64, y: f64| x + y)
                    }
                    Instr::Sub { dst, a, b } if b == $k => {
                        pc += 1;
                        arith!(dst, a, b, BinOp::Sub, i64::wrapping_sub, |x: f64, y: f64| x - y)
                    }
                    Instr::Mul { dst, a, b } if b == $k => {
                        pc += 1;
                        arith!(dst, a, b, BinOp::Mul, i64::wrapping_mul, |x: f64, y: f64| x * y)
                    }
                    Instr::Mod { dst, a, b } if b == $k => {
                        pc += 1;
                        divmod!(dst, a, b, BinOp::Mod, wrapping_rem, |x: f64, y: f64| x % y)
                    }
                    Instr::Lt { dst, a, b } if b == $k => {
                        pc += 1;
                        compare!(dst, a, b, BinOp::Lt, <)
                    }
                    Instr::Le { dst, a, b } if b == $k => {
                        pc += 1;
                        compare!(dst, a, b, BinOp::Le, <=)
                    }
                    Instr::Gt { dst, a, b } if b == $k => {
                        pc += 1;
                        compare!(dst, a, b, BinOp::Gt, >)
                    }
                    Instr::Ge { dst, a, b } if b == $k => {
                        pc += 1;
                        compare!(dst, a, b, BinOp::Ge, >=)
                    }
                    _ => {}
                }
            }};
        }
        // One step of a range loop whose state (R[iter] == Int `$next`) is checked.
        macro_rules! range_next {
            ($iter:expr, $dst:expr, $exit:expr, $next:expr) => {{
                // SAFETY: the loop state and `dst` are registers of the running frame (verified:
                // registers).
                if !unsafe { super::range_next(regs, $iter, $dst, $next) } {
                    pc = $exit as usize;
                }
            }};
        }
        // `R[obj][R[idx]] = R[src]`, inline for an Array with an Int index.
        macro_rules! set_index {
            ($obj:expr, $idx:expr, $src:expr) => {{
                let (o, i) = (&*r!($obj), &*r!($idx));
                feedback2!(o, i);
                if let (Value::Array(arr), Value::Int(i)) = (o, i) {
                    let v = dup(r!($src));
                    let mut items = arr.items.borrow_mut();
                    let n = items.len();
                    let j = if *i < 0 { i.wrapping_add(n as i64) } else { *i };
                    if (j as u64) < n as u64 {
                        // The old element is dropped after the borrow ends, so its drop
                        // cannot observe the array mid-update.
                        let old = std::mem::replace(&mut items[j as usize], v);
                        drop(items);
                        drop(old);
                        continue;
                    }
                }
                // SAFETY: registers of the running frame (verified: registers).
                check!(unsafe { self.set_index_slow(regs, $obj, $idx, $src) });
            }};
        }
        macro_rules! do_return {
            ($v:expr) => {{
                let v = $v;
                let f = self.frames.pop().expect("a frame to return from");
                if f.counted {
                    self.ctx.depth -= 1;
                }
                if self.frames.len() == entry {
                    return Ok(v);
                }
                // SAFETY: `base >= 1`, and `R[-1]` is the caller's callee slot.
                unsafe { put(stack.add(f.base - 1), v) };
                reload!();
            }};
        }
        macro_rules! after_call {
            ($res:expr) => {
                match $res {
                    // Returned in place: the same function runs on, `fb` and `be` still
                    // point at its profile.
                    Ok(Invoked::Done) => {}
                    Ok(Invoked::Pushed) => reload!(),
                    Err(Raised) => return Err(self.unwind(entry)),
                }
            };
        }

        loop {
            // SAFETY: `pc` starts at 0 or a pc saved from this loop, and moves only to a
            // jump target or past an instruction that falls through, each of which is an
            // instruction of the function (verified: jumps, fallthrough; a function has
            // code, verified: shape), so `pc < code.len()`.
            let instr = unsafe { *code.add(pc) };
            pc += 1;
            match instr {
                Instr::LoadConst { dst, k } => {
                    set!(dst, dup(&proto.consts[k as usize]));
                    fuse_after_const!(dst);
                }
                Instr::LoadInt { dst, v } => {
                    set_int!(dst, v as i64);
                    fuse_after_const!(dst);
                }
                Instr::LoadBool { dst, v } => {
                    set_bool!(dst, v);
                    // `a[i] = true/false` (a sieve's flags): store it in the same dispatch.
                    // SAFETY: a load falls through, so an instruction follows it
                    // (verified: fallthrough).
                    if let Instr::SetIndex { obj, idx, src } = unsafe { *code.add(pc) } {
                        if src == dst {
                            pc += 1;
                            set_index!(obj, idx, src);
                        }
                    }
                }
                Instr::LoadNull { dst } => set!(dst, Value::Null),
                Instr::Move { dst, src } => set!(dst, dup(r!(src))),
                Instr::CheckDef { reg, name } => {
                    if r!(reg).tag() == tag::UNDEF {
                        throw!(undefined(&proto.names[name as usize]));
                    }
                }
                Instr::GetGlobal { dst, g } => {
                    // SAFETY: `g` is below `global_names.len()` (verified: pools), and the
                    // VM has one global slot per name.
                    let gv = unsafe { self.globals.get_unchecked(g as usize) };
                    if gv.tag() == tag::UNDEF {
                        throw!(undefined(&self.program.global_names[g as usize]));
                    }
                    set!(dst, dup(gv));
                }
                Instr::DefGlobal { g, src } => self.globals[g as usize] = r!(src).clone(),
                Instr::SetGlobal { g, src } => {
                    if self.globals[g as usize].tag() == tag::UNDEF {
                        throw!(undefined(&self.program.global_names[g as usize]));
                    }
                    self.globals[g as usize] = r!(src).clone();
                }
                Instr::NewCell { reg } => {
                    let v = std::mem::take(r!(reg));
                    *r!(reg) = Value::Cell(std::rc::Rc::new(std::cell::RefCell::new(v)));
                }
                Instr::GetCell { dst, cell, name } => {
                    let v = match &*r!(cell) {
                        Value::Cell(c) => c.borrow().clone(),
                        v => v.clone(),
                    };
                    if v.tag() == tag::UNDEF {
                        throw!(undefined(&proto.names[name as usize]));
                    }
                    *r!(dst) = v;
                }
                Instr::SetCell { cell, src } => {
                    let v = r!(src).clone();
                    match &*r!(cell) {
                        Value::Cell(c) => *c.borrow_mut() = v,
                        _ => *r!(cell) = v,
                    }
                }
                Instr::GetUpval { dst, idx, name } => {
                    // SAFETY: `regs` is the running frame.
                    let clo = unsafe { super::regs::frame_closure(regs) };
                    let v = clo.upvals[idx as usize].borrow().clone();
                    if v.tag() == tag::UNDEF {
                        throw!(undefined(&proto.names[name as usize]));
                    }
                    *r!(dst) = v;
                }
                Instr::SetUpval { idx, src } => {
                    let v = r!(src).clone();
                    // SAFETY: `regs` is the running frame.
                    let clo = unsafe { super::regs::frame_closure(regs) };
                    *clo.upvals[idx as usize].borrow_mut() = v;
                }

                Instr::Add { dst, a, b } => {
                    arith!(
                        dst,
                        a,
                        b,
                        BinOp::Add,
                        i64::wrapping_add,
                        |x: f64, y: f64| x + y
                    )
                }
                Instr::Sub { dst, a, b } => {
                    arith!(
                        dst,
                        a,
                        b,
                        BinOp::Sub,
                        i64::wrapping_sub,
                        |x: f64, y: f64| x - y
                    )
                }
                Instr::Mul { dst, a, b } => {
                    arith!(
                        dst,
                        a,
                        b,
                        BinOp::Mul,
                        i64::wrapping_mul,
                        |x: f64, y: f64| x * y
                    )
                }
                Instr::Div { dst, a, b } => {
                    divmod!(dst, a, b, BinOp::Div, wrapping_div, |x: f64, y: f64| x / y)
                }
                Instr::Mod { dst, a, b } => {
                    divmod!(dst, a, b, BinOp::Mod, wrapping_rem, |x: f64, y: f64| x % y)
                }
                Instr::AddImm { dst, a, imm } => {
                    let x = &*r!(a);
                    // The immediate counts as an Int right operand.
                    match x {
                        Value::Int(x) => {
                            record!(INT_INT);
                            set_int!(dst, x.wrapping_add(imm as i64))
                        }
                        Value::Float(x) => {
                            record!(lhs_bit(tag::FLOAT) | rhs_bit(tag::INT));
                            set_float!(dst, x + imm as f64)
                        }
                        x => {
                            record!(lhs_bit(x.tag()) | rhs_bit(tag::INT));
                            match glue::binary(BinOp::Add, x, &Value::Int(imm as i64)) {
                                Ok(v) => set!(dst, v),
                                Err(msg) => throw!(msg),
                            }
                        }
                    }
                }
                Instr::BitAnd { dst, a, b } => int_only!(dst, a, b, BinOp::BitAnd, |x, y| x & y),
                Instr::BitOr { dst, a, b } => int_only!(dst, a, b, BinOp::BitOr, |x, y| x | y),
                Instr::BitXor { dst, a, b } => int_only!(dst, a, b, BinOp::BitXor, |x, y| x ^ y),
                Instr::Shl { dst, a, b } => {
                    let (x, y) = (&*r!(a), &*r!(b));
                    feedback2!(x, y);
                    match (x, y) {
                        (Value::Int(x), Value::Int(y)) if (0..64).contains(y) => {
                            *r!(dst) = Value::Int(x.wrapping_shl(*y as u32))
                        }
                        // SAFETY: registers of the running frame (verified: registers).
                        _ => check!(unsafe { self.binary_slow(regs, BinOp::Shl, dst, a, b) }),
                    }
                }
                Instr::Shr { dst, a, b } => {
                    let (x, y) = (&*r!(a), &*r!(b));
                    feedback2!(x, y);
                    match (x, y) {
                        (Value::Int(x), Value::Int(y)) if (0..64).contains(y) => {
                            *r!(dst) = Value::Int(x >> *y)
                        }
                        // SAFETY: registers of the running frame (verified: registers).
                        _ => check!(unsafe { self.binary_slow(regs, BinOp::Shr, dst, a, b) }),
                    }
                }
                Instr::Neg { dst, src } => {
                    let x = &*r!(src);
                    feedback1!(x);
                    let v = match x {
                        Value::Int(x) => Value::Int(x.wrapping_neg()),
                        Value::Float(x) => Value::Float(-x),
                        x => match glue::unary(UnOp::Neg, x) {
                            Ok(v) => v,
                            Err(msg) => throw!(msg),
                        },
                    };
                    *r!(dst) = v;
                }
                Instr::Not { dst, src } => {
                    let x = &*r!(src);
                    feedback1!(x);
                    let v = match x {
                        Value::Bool(b) => !b,
                        x => !glue::truthy(x),
                    };
                    set_bool!(dst, v);
                }
                Instr::BitNot { dst, src } => {
                    let x = &*r!(src);
                    feedback1!(x);
                    let v = match x {
                        Value::Int(x) => Value::Int(!x),
                        x => match glue::unary(UnOp::BitNot, x) {
                            Ok(v) => v,
                            Err(msg) => throw!(msg),
                        },
                    };
                    *r!(dst) = v;
                }
                Instr::Truthy { dst, src } => {
                    let v = glue::truthy(r!(src));
                    *r!(dst) = Value::Bool(v);
                }

                Instr::Eq { dst, a, b } => compare!(dst, a, b, BinOp::Eq, ==),
                Instr::Ne { dst, a, b } => compare!(dst, a, b, BinOp::Ne, !=),
                Instr::Lt { dst, a, b } => compare!(dst, a, b, BinOp::Lt, <),
                Instr::Le { dst, a, b } => compare!(dst, a, b, BinOp::Le, <=),
                Instr::Gt { dst, a, b } => compare!(dst, a, b, BinOp::Gt, >),
                Instr::Ge { dst, a, b } => compare!(dst, a, b, BinOp::Ge, >=),

                Instr::Jump { target } => pc = target as usize,
                Instr::LoopBack { target } => {
                    if PROFILE {
                        // SAFETY: `be` has one counter per instruction of `proto`, and
                        // `pc - 1` is this `LoopBack`.
                        let count = unsafe {
                            let c = be.add(pc - 1);
                            *c = (*c).wrapping_add(1);
                            *c
                        };
                        if count as u64 == osr_at {
                            save_pc!();
                            // SAFETY: `regs` is the running frame (the top frame).
                            let exit = unsafe { self.try_osr(regs, proto, target) };
                            // Not needed for validity (see `load_profile!`), but this cold
                            // reload measurably helps LLVM's register allocation of the loop.
                            load_profile!();
                            match exit {
                                OsrExit::NotEntered => {}
                                OsrExit::Returned(v) => {
                                    do_return!(v);
                                    continue;
                                }
                                OsrExit::Resume(at) => {
                                    pc = at;
                                    continue;
                                }
                                OsrExit::Failed => {
                                    self.frames.last_mut().expect("frame").traced = true;
                                    return Err(self.unwind(entry));
                                }
                            }
                        }
                    }
                    pc = target as usize;
                    // The header of a `for` loop over a range is its `IterNext`: step it
                    // here and save that dispatch on every iteration.
                    // The header of a `while` loop is usually its comparison (then the
                    // fused branch); run that here too.
                    // Each records its feedback at its own pc, as when dispatched alone.
                    // SAFETY: `target` is an instruction of `proto` (verified: jumps).
                    match unsafe { *code.add(pc) } {
                        Instr::IterNext { iter, dst, exit } => {
                            if let Value::Int(next) = *r!(iter) {
                                pc += 1;
                                record!(lhs_bit(tag::INT));
                                range_next!(iter, dst, exit, next);
                            }
                        }
                        Instr::Lt { dst, a, b } => {
                            pc += 1;
                            compare!(dst, a, b, BinOp::Lt, <)
                        }
                        Instr::Le { dst, a, b } => {
                            pc += 1;
                            compare!(dst, a, b, BinOp::Le, <=)
                        }
                        _ => {}
                    }
                }
                Instr::JumpIfFalse { cond, target } => {
                    let c = &*r!(cond);
                    let t = match c {
                        Value::Bool(b) => {
                            record!(lhs_bit(tag::BOOL));
                            *b
                        }
                        c => {
                            feedback1!(c);
                            glue::truthy(c)
                        }
                    };
                    if !t {
                        pc = target as usize;
                    }
                }
                Instr::JumpIfTrue { cond, target } => {
                    let c = &*r!(cond);
                    let t = match c {
                        Value::Bool(b) => {
                            record!(lhs_bit(tag::BOOL));
                            *b
                        }
                        c => {
                            feedback1!(c);
                            glue::truthy(c)
                        }
                    };
                    if t {
                        pc = target as usize;
                    }
                }

                Instr::IterPrep { iter } => {
                    // SAFETY: the loop state registers belong to the running frame (verified:
                    // registers).
                    check!(unsafe { Vm::iter_prep(regs, iter) });
                }
                Instr::RangePrep { iter, argc } => {
                    let is_range =
                        matches!(&*r!(iter), Value::Builtin(id) if *id == builtins::RANGE);
                    if is_range {
                        // SAFETY: as for `IterPrep`.
                        check!(unsafe { Vm::range_prep(regs, iter, argc) });
                    } else {
                        save_pc!();
                        // SAFETY: as for `IterPrep`.
                        if unsafe { self.range_prep_call(regs, iter, argc) }.is_err() {
                            return Err(self.unwind(entry));
                        }
                    }
                }
                Instr::IterNext { iter, dst, exit } => {
                    let state = &*r!(iter);
                    match state {
                        Value::Int(next) => {
                            record!(lhs_bit(tag::INT));
                            range_next!(iter, dst, exit, *next)
                        }
                        Value::Array(arr) => {
                            record!(lhs_bit(tag::ARRAY));
                            let i = match &*r!(iter + 1) {
                                Value::Int(i) => *i as usize,
                                _ => unreachable!("array iteration state holds an int"),
                            };
                            let item = arr.items.borrow().get(i).cloned();
                            match item {
                                Some(v) => {
                                    set_int!(iter + 1, i as i64 + 1);
                                    set!(dst, v);
                                }
                                None => pc = exit as usize,
                            }
                        }
                        _ => unreachable!("IterNext without IterPrep"),
                    }
                }

                Instr::Call { base: b, argc } => {
                    // `push(a, x)` / `append(a, x)` on an array, the usual way to build
                    // arrays: done here without the builtin call machinery. The result (the
                    // array) goes to `R[b]` as the builtin would put it; the argument
                    // registers are temporaries the call consumes, so they are moved from.
                    if argc == 2 {
                        if let Value::Builtin(id) = *r!(b) {
                            if id == builtins::id::PUSH || id == builtins::id::APPEND {
                                if let Value::Array(arr) = &*r!(b + 1) {
                                    // No room and none to be had: the builtin below
                                    // reports `out of memory`.
                                    let mut items = arr.items.borrow_mut();
                                    if crate::mem::reserve(&mut items, 1).is_ok() {
                                        items.push(std::mem::take(r!(b + 2)));
                                        drop(items);
                                        let a = std::mem::take(r!(b + 1));
                                        set!(b, a);
                                        continue;
                                    }
                                }
                            }
                        }
                    }
                    // Closure with the right arity and room: push its frame and switch the
                    // loop's locals to it directly (what `invoke` + `reload!` do, minus
                    // re-reading the frame). Anything else, errors included, takes the
                    // general path below. The profiling loop counts the call and may run
                    // compiled code instead, exactly as `enter_closure` does.
                    if let Value::Func(c) = &*r!(b) {
                        let p: *const FuncProto = std::rc::Rc::as_ptr(&c.proto);
                        // SAFETY: the closure in `R[b]` keeps its prototype alive; it becomes
                        // the new frame's `R[-1]`, which the frame never overwrites.
                        let callee: &FuncProto = unsafe { &*p };
                        let new_base = base + b as usize + 1;
                        let top = new_base + callee.num_regs as usize;
                        if callee.arity == argc as u16
                            && self.ctx.depth < super::MAX_DEPTH
                            && top <= self.stack_len()
                        {
                            if top > self.high_water {
                                self.high_water = top;
                            }
                            // Locals start unbound; this also releases stale values.
                            for i in new_base + argc as usize..top {
                                // SAFETY: `i < top <= stack_len`, checked above;
                                // (UNDEF, 0) is `Value::Undef`.
                                unsafe { put_words(stack.add(i), tag::UNDEF as u64, 0) };
                            }
                            save_pc!();
                            if PROFILE {
                                // What `compiled_entry_for_call` does, with its common case
                                // inline: no code, and this call does not make the function
                                // hot (or nothing can compile): count it and go on.
                                let id = callee.id as usize;
                                debug_assert!(id < self.tiers.len() && id < self.profiles.len());
                                // SAFETY: `callee` is a prototype of the program, and
                                // `tiers` and (in the profiling configs) `profiles` have one
                                // entry per prototype, indexed by id (see
                                // `Vm::profile_unchecked`).
                                let (t, prof) = unsafe {
                                    (
                                        self.tiers.get_unchecked(id),
                                        self.profiles.get_unchecked_mut(id),
                                    )
                                };
                                // Cached code (none, in practice, without compiling) is
                                // tested first, so `interp-prof` skips the threshold check.
                                let quiet = t.entry.is_none()
                                    && !policy
                                        .call_compiles(prof.calls.saturating_add(1), t.recompile);
                                if quiet {
                                    prof.calls = prof.calls.saturating_add(1);
                                    // The callee's profile, for the frame about to be pushed
                                    // (what `load_profile!` does once `proto` is the callee).
                                    fb = prof.feedback.as_mut_ptr();
                                    be = prof.backedges.as_mut_ptr();
                                } else {
                                    if let Some(jit) = self.entry_for_hot_call(callee) {
                                        let res = self.call_compiled(new_base - 1, callee, jit);
                                        after_call!(res);
                                        continue;
                                    }
                                    // SAFETY: as above.
                                    let prof = unsafe { self.profile_unchecked(callee.id) };
                                    fb = prof.feedback.as_mut_ptr();
                                    be = prof.backedges.as_mut_ptr();
                                }
                                self.stats.interpreted_calls += 1;
                            }
                            self.ctx.depth += 1;
                            self.frames.push(super::Frame {
                                base: new_base,
                                pc: 0,
                                proto: p,
                                counted: true,
                                traced: false,
                            });
                            base = new_base;
                            // SAFETY: `new_base < top <= stack_len`.
                            regs = unsafe { stack.add(base) };
                            proto = callee;
                            code = callee.code.as_ptr();
                            pc = 0;
                            continue;
                        }
                    }
                    save_pc!();
                    let res = self.invoke::<PROFILE>(base + b as usize, argc as usize);
                    after_call!(res);
                }
                Instr::CallMethod {
                    base: b,
                    argc,
                    name,
                } => {
                    save_pc!();
                    let res = self.call_method::<PROFILE>(base + b as usize, argc as usize, name);
                    after_call!(res);
                }
                Instr::CheckMethod { obj, name } => {
                    if let Some(msg) =
                        super::calls::method_lookup_error(r!(obj), &proto.names[name as usize])
                    {
                        throw!(msg);
                    }
                }
                Instr::Return { src } => {
                    do_return!(std::mem::take(r!(src)));
                }
                Instr::ReturnNull => {
                    do_return!(Value::Null);
                }

                Instr::MakeClosure { dst, proto: child } => {
                    // SAFETY: `regs` is the frame running `proto`.
                    let v = unsafe { self.make_closure(regs, proto, child) };
                    *r!(dst) = v;
                }
                Instr::NewArray { dst, start, count } => {
                    // SAFETY: the elements are registers of the running frame
                    // (verified: registers).
                    match unsafe { Vm::new_array(regs, start, count) } {
                        Ok(v) => *r!(dst) = v,
                        Err(msg) => throw!(msg),
                    }
                }
                Instr::NewDict { dst, start, count } => {
                    // SAFETY: the pairs are registers of the running frame
                    // (verified: registers).
                    match unsafe { Vm::new_dict(regs, start, count) } {
                        Ok(v) => *r!(dst) = v,
                        Err(msg) => throw!(msg),
                    }
                }
                Instr::NewStruct { dst, lit, start } => {
                    // SAFETY: the field values are registers of the running frame
                    // (verified: registers).
                    let v = unsafe { Vm::new_struct(regs, proto, lit, start) };
                    *r!(dst) = v;
                }
                Instr::Concat { dst, start, count } => {
                    // SAFETY: the parts are registers of the running frame
                    // (verified: registers).
                    match unsafe { Vm::concat(regs, start, count) } {
                        Ok(v) => *r!(dst) = v,
                        Err(msg) => throw!(msg),
                    }
                }

                Instr::GetIndex { dst, obj, idx } => {
                    let (o, i) = (&*r!(obj), &*r!(idx));
                    if let (Value::Array(arr), Value::Int(i)) = (o, i) {
                        record!(lhs_bit(tag::ARRAY) | rhs_bit(tag::INT));
                        let items = arr.items.borrow();
                        let n = items.len();
                        let j = if *i < 0 { i.wrapping_add(n as i64) } else { *i };
                        if (j as u64) < n as u64 {
                            // SAFETY: `j < n`, checked just above.
                            let v = dup(unsafe { items.get_unchecked(j as usize) });
                            drop(items);
                            set!(dst, v);
                            continue;
                        }
                    }
                    feedback2!(o, i);
                    // SAFETY: registers of the running frame (verified: registers).
                    check!(unsafe { self.get_index_slow(regs, dst, obj, idx) });
                }
                Instr::SetIndex { obj, idx, src } => set_index!(obj, idx, src),
                Instr::GetField { dst, obj, name } => {
                    match glue::get_field(r!(obj), &proto.names[name as usize]) {
                        Ok(v) => *r!(dst) = v,
                        Err(msg) => throw!(msg),
                    }
                }
                Instr::SetField { obj, name, src } => {
                    let v = r!(src).clone();
                    check!(glue::set_field(r!(obj), &proto.names[name as usize], v));
                }
            }
        }
    }
}

impl Vm {
    /// The profile of prototype `id`, without the bounds check of `profiles[id]` (the
    /// profiling loop looks it up on every call and return).
    ///
    /// # Safety
    /// `id` must be the id of a prototype of the running program, and the config must
    /// profile: `Vm::new` then creates one profile per prototype, in id order, and the list
    /// never shrinks.
    #[inline(always)]
    unsafe fn profile_unchecked(&mut self, id: u32) -> &mut crate::profile::FuncProfile {
        debug_assert!((id as usize) < self.profiles.len());
        // SAFETY: the caller guarantees `id < profiles.len()`.
        unsafe { self.profiles.get_unchecked_mut(id as usize) }
    }

    /// `compiled_entry_for_call` out of line, for the calls of the profiling loop's fast
    /// path that may find or make compiled code.
    #[cold]
    #[inline(never)]
    fn entry_for_hot_call(&mut self, p: &FuncProto) -> Option<crate::abi::JitEntry> {
        self.compiled_entry_for_call(p)
    }
}

/// `undefined variable 'x'`.
#[cold]
pub(crate) fn undefined(name: &str) -> String {
    format!("undefined variable '{name}'")
}
