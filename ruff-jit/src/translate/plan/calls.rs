//! Planning globals and calls: which `GetGlobal`s speculate on the callee they feed (a
//! builtin, or a closure of a known prototype), how each call is made (direct call of
//! compiled code, through the VM, `push` inline, a builtin on unboxed arguments), and the
//! look-backs and look-aheads these decisions need within a basic block.

use ruff_core::abi::builtin as id;
use ruff_core::abi::bytecode::{Instr, Reg};
use ruff_core::abi::shape::method_callee;
use ruff_core::abi::ProtoRef;

pub use ruff_core::abi::GlobalHint;

use super::state::{State, Ty};
use super::{Action, Plan, Planner};

/// The builtins inlined on unboxed arguments (see `emit/intrinsics.rs`).
const INLINED: [u8; 5] = [id::SQRT, id::FLOOR, id::CEIL, id::ABS, id::TO_FLOAT];

/// A closure's prototype as compiled code checks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Callee {
    pub proto: ProtoRef,
    pub id: u32,
}

/// How a `GetGlobal` reads its global inline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GlobalRead {
    /// Baseline: an unbound global goes to the generic helper, which raises the error.
    Checked,
    /// Specialized: an unbound global leaves through a side exit (the interpreter raises
    /// the error), so the slow path calls nothing.
    Speculated,
    /// The global feeds the `Call` right after it: speculate that it still holds a closure
    /// of this prototype (side exit otherwise); the `Call` then needs no checks.
    Callee(Callee),
}

/// What a direct call from compiled code knows about its callee.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallTarget {
    /// A `CallMethod`: the VM looks the method up and returns its compiled code.
    Method,
    /// A `CallMethod` whose receiver is known to be an instance of the definition the
    /// site's inline cache holds (`RegState::shape`): the method is this closure (the
    /// definition owns it), stored into the callee slot without a lookup.
    KnownMethod { closure_rc: usize, id: u32 },
    /// Checked already by the `GetGlobal` of this block that filled the callee register.
    Known { id: u32 },
    /// Probably this prototype (what the global it was read from held at compile time):
    /// one pointer comparison decides.
    Expected(Callee),
    /// Any closure of the call's arity whose prototype is compiled.
    Any,
}

/// How a two-argument `Call` that may be `push(array, v)` (or `append`) is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InlinePush {
    /// In compiled code when the array has spare capacity; `result_used`: the call's result
    /// is read later (else the array reference is dropped instead of stored).
    Inline { result_used: bool },
    /// Through the `CallPush` helper.
    Helper,
}

impl InlinePush {
    /// An inline push of a known builtin whose result is unused leaves `R[base..=base+2]`
    /// Null on both of its paths.
    pub fn clears(push: Option<InlinePush>) -> bool {
        matches!(push, Some(InlinePush::Inline { result_used: false }))
    }
}

impl Planner<'_> {
    fn hint(&self, g: u32) -> GlobalHint {
        (self.globals)(g)
    }

    pub(super) fn plan_get_global(&self, pc: u32, dst: Reg, g: u32) -> Plan {
        if let Some(id) = self.builtin_at(pc, dst, g) {
            return Plan::simple(Action::GetBuiltin { dst, g, id });
        }
        let how = if self.hint(g) == GlobalHint::Unknown {
            // No running VM, so no address to read from: the generic path.
            return self.generic(&Instr::GetGlobal { dst, g });
        } else if let Some((_, callee)) = self.callee_at(pc, dst, g) {
            GlobalRead::Callee(callee)
        } else if self.spec {
            GlobalRead::Speculated
        } else {
            GlobalRead::Checked
        };
        Plan::simple(Action::GetGlobal { dst, g, how })
    }

    pub(super) fn plan_call(&self, pc: u32, st: &State, instr: &Instr) -> Plan {
        match *instr {
            Instr::Call { base, argc } => {
                if let Some(id) = self.builtin_callee(pc, base) {
                    return Plan::simple(match self.intrinsic(pc, st, base, argc, id) {
                        Some((arg, res)) => Action::Intrinsic { id, base, arg, res },
                        None => Action::CallBuiltin {
                            base,
                            argc,
                            id,
                            push: self.push_of_builtin(pc, base, argc, id),
                        },
                    });
                }
                let push = (argc == 2).then(|| match self.spec && self.inline_arrays {
                    true => InlinePush::Inline {
                        result_used: self.live_after(pc, base),
                    },
                    false => InlinePush::Helper,
                });
                let direct = self.direct_calls.then(|| self.call_target(pc, base, argc));
                Plan::simple(Action::Call {
                    base,
                    argc,
                    method: false,
                    direct,
                    push,
                    typed_result: self.typed_result(pc, st, base, argc, direct),
                })
            }
            Instr::CallMethod { base, argc, .. } => Plan::simple(Action::Call {
                base,
                argc,
                method: true,
                direct: self
                    .direct_calls
                    .then(|| self.method_target(pc, st, base, argc)),
                push: None,
                typed_result: None,
            }),
            _ => unreachable!("plan_call plans calls"),
        }
    }

    /// What the `CallMethod` at `pc` knows of its method: the closure the site's cache
    /// names when the receiver `R[base + 1]` has that definition's shape and the method
    /// takes the receiver plus the arguments (else the VM looks it up and checks).
    fn method_target(&self, pc: u32, st: &State, base: Reg, argc: u8) -> CallTarget {
        match method_callee(self.proto, pc) {
            Some(m)
                if self.inline_fields
                    && st[base as usize + 1].shape.map(|s| s.def_rc) == Some(m.def_rc)
                    && m.arity as usize == argc as usize + 1 =>
            {
                CallTarget::KnownMethod {
                    closure_rc: m.closure_rc,
                    id: m.id,
                }
            }
            _ => CallTarget::Method,
        }
    }

    /// What the `Call` at `pc` knows of the closure in `R[base]`.
    fn call_target(&self, pc: u32, base: Reg, argc: u8) -> CallTarget {
        let Some((q, g)) = self.global_feeding(pc, base) else {
            return CallTarget::Any;
        };
        match self.callee_at(q, base, g) {
            Some((call_pc, c)) if call_pc == pc => CallTarget::Known { id: c.id },
            _ => match self.closure_of_arity(g, argc) {
                Some(c) => CallTarget::Expected(c),
                None => CallTarget::Any,
            },
        }
    }

    /// The callee speculation of a `GetGlobal` of `g` into `dst` at `pc`: `dst` is next used
    /// as the callee of the `Call` at the returned pc, in this block, and at compile time `g`
    /// holds a closure of that call's arity.
    fn callee_at(&self, pc: u32, dst: Reg, g: u32) -> Option<(u32, Callee)> {
        if !self.direct_calls || !self.may_speculate(pc) {
            return None;
        }
        let q = self.call_using(pc, dst)?;
        let Instr::Call { argc, .. } = self.proto.code[q as usize] else {
            return None;
        };
        Some((q, self.closure_of_arity(g, argc)?))
    }

    /// The prototype of the closure of arity `argc` that global `g` holds at compile time.
    fn closure_of_arity(&self, g: u32, argc: u8) -> Option<Callee> {
        match self.hint(g) {
            GlobalHint::Closure { proto, id, arity } if arity as usize == argc as usize => {
                Some(Callee { proto, id })
            }
            _ => None,
        }
    }

    /// The builtin id a `GetGlobal` of `g` into `dst` at `pc` may speculate on: the global
    /// holds a builtin at compile time and `dst` is next used as a `Call`'s callee.
    pub(super) fn builtin_at(&self, pc: u32, dst: Reg, g: u32) -> Option<u8> {
        if !self.may_speculate(pc) {
            return None;
        }
        self.call_using(pc, dst)?;
        match self.hint(g) {
            GlobalHint::Builtin(b) => Some(b),
            _ => None,
        }
    }

    /// The builtin a `Call` with callee register `base` certainly calls if it runs: the
    /// register was filled by a `GetGlobal` of this block planned as `GetBuiltin`.
    fn builtin_callee(&self, pc: u32, base: Reg) -> Option<u8> {
        let (q, g) = self.global_feeding(pc, base)?;
        if self.call_using(q, base) != Some(pc) {
            return None;
        }
        self.builtin_at(q, base, g)
    }

    /// The `GetGlobal` (its pc and global) that last wrote `r` before `pc`, if the last
    /// instruction writing `r` is one (looking back at most 32 instructions).
    fn global_feeding(&self, pc: u32, r: Reg) -> Option<(u32, u32)> {
        let code = &self.proto.code;
        let q = (0..pc as usize)
            .rev()
            .take(32)
            .find(|&q| code[q].writes().contains(&r))?;
        match code[q] {
            Instr::GetGlobal { g, .. } => Some((q as u32, g)),
            _ => None,
        }
    }

    /// `(argument type, result type)` when the `Call` at `pc` of builtin `b` is inlined.
    fn intrinsic(&self, pc: u32, st: &State, base: Reg, argc: u8, b: u8) -> Option<(Ty, Ty)> {
        if argc != 1 || !self.may_speculate(pc) || !INLINED.contains(&b) {
            return None;
        }
        let arg = st[base as usize + 1].ty()?;
        let res = match (b, arg) {
            (_, Ty::Bool) => return None,
            (id::ABS, t) => t,
            _ => Ty::Float,
        };
        Some((arg, res))
    }

    /// `push`/`append` of a known builtin, inline when compiled code may touch arrays.
    fn push_of_builtin(&self, pc: u32, base: Reg, argc: u8, b: u8) -> Option<InlinePush> {
        let inline = argc == 2 && matches!(b, id::PUSH | id::APPEND) && self.inline_arrays;
        inline.then(|| InlinePush::Inline {
            result_used: self.live_after(pc, base),
        })
    }

    /// May register `r` be read after the instruction at `pc` before being overwritten?
    /// (Conservative, like the block liveness it ends in.)
    pub(super) fn live_after(&self, pc: u32, r: Reg) -> bool {
        let proto = self.proto;
        let cfg = &self.cfg;
        let Some(block) = cfg.blocks.iter().find(|b| b.start <= pc && pc < b.end) else {
            return true;
        };
        for q in pc + 1..block.end {
            let instr = &proto.code[q as usize];
            if instr.reads(proto).contains(&r) {
                return true;
            }
            if instr.writes().contains(&r) {
                return false;
            }
        }
        let last = block.end - 1;
        let (fall, target) = proto.code[last as usize].successors(last);
        [fall, target]
            .into_iter()
            .flatten()
            .any(|s| match cfg.block_at.get(s as usize) {
                Some(&b) if b != usize::MAX => cfg.live_in[b][r as usize],
                _ => true,
            })
    }

    /// The pc of the `Call` whose callee register is `dst` and which uses it before
    /// anything else reads or writes it, with no block boundary in between.
    fn call_using(&self, pc: u32, dst: Reg) -> Option<u32> {
        let after = pc as usize + 1;
        let rest = self.proto.code.get(after..)?.iter();
        for (q, (instr, &starts)) in rest.zip(&self.cfg.block_at[after..]).enumerate() {
            if starts != usize::MAX {
                return None;
            }
            match *instr {
                Instr::Call { base, .. } if base == dst => return Some((after + q) as u32),
                ref i => {
                    if i.reads(self.proto).contains(&dst) || i.writes().contains(&dst) {
                        return None;
                    }
                }
            }
        }
        None
    }
}
