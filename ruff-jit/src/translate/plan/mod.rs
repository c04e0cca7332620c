//! The planner: how each instruction is lowered, and what that does to the register state.
//!
//! Everything here is pure and knows nothing of Cranelift: `Planner::plan` looks at the
//! instruction, its type feedback, the preset, the compile-time facts in `Inputs` and the
//! current abstract state, and returns a `Plan` (the type guards to emit and the lowering).
//! `transfer::apply` is the matching state transfer. The analysis pass (`analysis.rs`) and
//! the code generator (`../emit`) both use exactly these two functions, so the state the
//! generator sees at each block start is the one the analysis computed. The emitter depends
//! on this module, never the reverse.
//!
//! Policy (ARCHITECTURE §4): nothing is speculated without feedback; an operand that is
//! already unboxed needs no guard; an instruction listed in `no_speculation_at` uses only
//! what is statically known and never guards.
//!
//! Families: constants and moves (here), arithmetic (`arith.rs`), array access
//! (`index.rs`), struct fields (`fields.rs`), globals and calls (`calls.rs`), loops and
//! branches (here).

mod analysis;
mod arith;
mod calls;
pub mod cfg;
mod fields;
pub mod hoist;
mod index;
pub mod state;
pub mod transfer;
pub mod typed;

#[cfg(test)]
mod tests;

use ruff_core::abi::bytecode::{BinOp, FuncProto, Instr, Reg, Scalar, UnOp};
use ruff_core::abi::feedback::{seen_lhs, Seen};
use ruff_core::abi::tag;

pub use analysis::{analyse, entry_state};
pub use arith::Operand;
pub use calls::{CallTarget, Callee, GlobalHint, GlobalRead, InlinePush};
pub use cfg::Cfg;
pub use fields::{shape_of, Check, FieldOp};
pub use index::IndexOp;
use state::{State, Ty};

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Const {
    Int(i64),
    Float(f64),
    Bool(bool),
}

impl Const {
    fn of(s: Scalar) -> Const {
        match s {
            Scalar::Int(i) => Const::Int(i),
            Scalar::Float(f) => Const::Float(f),
            Scalar::Bool(b) => Const::Bool(b),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Through the VM's generic semantics. `reads` are written back first; `writes` become
    /// boxed; `post` registers are then guarded (deopt at the next pc) and unboxed, except
    /// `unit_step`, which is known to hold the Int 1.
    Generic {
        reads: Vec<Reg>,
        writes: Vec<Reg>,
        post: Vec<(Reg, Ty)>,
        unit_step: Option<Reg>,
    },
    /// `Call` or `CallMethod`. `direct`: try a direct call of compiled code first (`None`:
    /// always through the VM). `push`: a two-argument `Call` may be `push(array, v)`.
    /// `typed_result`: a call through a typed entry whose result is kept unboxed
    /// (`typed.rs`; other paths check the result's type, deopt after the call otherwise).
    Call {
        base: Reg,
        argc: u8,
        method: bool,
        direct: Option<CallTarget>,
        push: Option<InlinePush>,
        typed_result: Option<Ty>,
    },
    Const {
        dst: Reg,
        val: Const,
    },
    Move {
        dst: Reg,
        src: Reg,
        ty: Ty,
    },
    Arith {
        op: BinOp,
        dst: Reg,
        a: Reg,
        b: Operand,
        lt: Ty,
        rt: Ty,
        res: Ty,
    },
    Cmp {
        op: BinOp,
        dst: Reg,
        a: Reg,
        b: Operand,
        ty: Ty,
    },
    Unary {
        op: UnOp,
        dst: Reg,
        src: Reg,
        ty: Ty,
    },
    Jump {
        target: u32,
    },
    /// `ty` = the condition is unboxed; `None` = test the boxed value.
    Branch {
        cond: Reg,
        if_true: bool,
        target: u32,
        ty: Option<Ty>,
    },
    /// `IterNext` over an Int range held unboxed; `unit_step`: every range this loop can
    /// iterate steps by 1 (the test is one comparison, the step a constant).
    IterRange {
        iter: Reg,
        dst: Reg,
        exit: u32,
        unit_step: bool,
    },
    IterGeneric {
        iter: Reg,
        dst: Reg,
        exit: u32,
    },
    Return {
        src: Reg,
    },
    ReturnNull,
    /// `R[dst] = G[g]` speculating that the global holds builtin `id` (a side exit at this
    /// pc otherwise, which also covers an unbound global).
    GetBuiltin {
        dst: Reg,
        g: u32,
        id: u8,
    },
    /// A `Call` whose callee register certainly holds builtin `id` (a `GetBuiltin` of this
    /// block filled it): no closure call path. `push`: `push`/`append` done inline.
    CallBuiltin {
        base: Reg,
        argc: u8,
        id: u8,
        push: Option<InlinePush>,
    },
    /// A call of builtin `id` on the unboxed argument `R[base + 1]`.
    Intrinsic {
        id: u8,
        base: Reg,
        arg: Ty,
        res: Ty,
    },
    /// `R[dst] = G[g]` inline.
    GetGlobal {
        dst: Reg,
        g: u32,
        how: GlobalRead,
    },
    /// `R[dst] = R[src]` of a boxed value, copied inline (reference count bumped) instead
    /// of through the generic helper; `dst != src`.
    MoveBoxed {
        dst: Reg,
        src: Reg,
    },
    /// Baseline: store a constant scalar (`None`: null) straight into the frame slot.
    StoreConst {
        dst: Reg,
        val: Option<Const>,
    },
    Nop,
    /// `GetIndex`/`SetIndex` on an Array with an Int index, inline (see `index.rs`).
    Index(IndexOp),
    /// `GetField`/`SetField` by slot on an instance of the cached definition (`fields.rs`).
    Field(FieldOp),
    /// Never executed when the profile was taken (no feedback): leave for the interpreter,
    /// which records feedback; the recompiled code then specializes it.
    Trap,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// Operands to check and unbox first (deopt at this pc on failure).
    pub guards: Vec<(Reg, Ty)>,
    pub action: Action,
}

impl Plan {
    fn simple(action: Action) -> Plan {
        Plan {
            guards: vec![],
            action,
        }
    }
}

/// What the planner decides from, besides the state: the function, its feedback and the
/// compile-time facts about the running program and the tier.
pub struct Inputs<'a> {
    pub proto: &'a FuncProto,
    pub feedback: &'a [u32],
    /// The preset specializes (`jit-spec`, `jit-spec-hoist`).
    pub spec: bool,
    /// Pcs where speculation is forbidden (they deopted too often).
    pub no_spec: &'a [u32],
    /// What each global held when the function was compiled.
    pub globals: &'a dyn Fn(u32) -> GlobalHint,
    /// Compiled code may index and push arrays inline (their layout is known).
    pub inline_arrays: bool,
    /// Compiled code may access struct fields inline (the instance layout is known).
    pub inline_fields: bool,
    /// Compiled code may call compiled callees directly (the tier's call table exists).
    pub direct_calls: bool,
}

pub struct Planner<'a> {
    pub proto: &'a FuncProto,
    pub feedback: &'a [u32],
    pub spec: bool,
    pub no_spec: &'a [u32],
    globals: &'a dyn Fn(u32) -> GlobalHint,
    inline_arrays: bool,
    inline_fields: bool,
    direct_calls: bool,
    /// The function's typed entry, once decided (`typed.rs`): its self-calls with matching
    /// arguments keep their result unboxed.
    pub typed_self: Option<typed::TypedSig>,
    /// The typed entries of other compiled functions, by prototype id (the tier's, when this
    /// compile started): direct calls of them with matching arguments use them.
    pub typed_callees: std::collections::BTreeMap<u32, typed::TypedSig>,
    /// The function's basic blocks and liveness.
    pub cfg: Cfg,
}

impl<'a> Planner<'a> {
    pub fn new(inputs: Inputs<'a>) -> Planner<'a> {
        Planner {
            cfg: Cfg::build(inputs.proto),
            proto: inputs.proto,
            feedback: inputs.feedback,
            spec: inputs.spec,
            no_spec: inputs.no_spec,
            globals: inputs.globals,
            inline_arrays: inputs.inline_arrays,
            inline_fields: inputs.inline_fields,
            direct_calls: inputs.direct_calls,
            typed_self: None,
            typed_callees: Default::default(),
        }
    }

    /// May the instruction at `pc` guard on its feedback?
    pub fn may_speculate(&self, pc: u32) -> bool {
        self.spec && !self.no_spec.contains(&pc)
    }

    fn fb(&self, pc: u32) -> u32 {
        self.feedback.get(pc as usize).copied().unwrap_or(0)
    }

    /// The type an operand will have: known from the state, or speculated from feedback.
    fn operand(&self, st: &State, r: Reg, seen: Seen, allow: bool) -> Option<(Ty, bool)> {
        if let Some(t) = st[r as usize].ty() {
            return Some((t, false));
        }
        match seen {
            Seen::Mono(t) if allow => Ty::from_tag(t).map(|t| (t, true)),
            _ => None,
        }
    }

    /// The lowering of the instruction at `pc` in state `st`.
    pub fn plan(&self, pc: u32, st: &State) -> Plan {
        let instr = self.proto.code[pc as usize];
        let allow = self.may_speculate(pc);
        let fb = self.fb(pc);
        if allow && instr.has_feedback() && self.lacks_feedback(&instr, fb, st) {
            return Plan::simple(Action::Trap);
        }
        let planned = match instr {
            Instr::LoadInt { .. }
            | Instr::LoadBool { .. }
            | Instr::LoadConst { .. }
            | Instr::LoadNull { .. }
            | Instr::Move { .. }
            | Instr::CheckDef { .. } => self.plan_load(&instr, st),
            Instr::GetGlobal { dst, g } => Some(self.plan_get_global(pc, dst, g)),
            Instr::Call { .. } | Instr::CallMethod { .. } => Some(self.plan_call(pc, st, &instr)),
            Instr::GetIndex { .. } | Instr::SetIndex { .. } => {
                self.plan_index(pc, st, &instr, allow)
            }
            Instr::GetField { .. } | Instr::SetField { .. } | Instr::CheckMethod { .. } => {
                self.plan_field(pc, st, &instr, allow)
            }
            Instr::Jump { target } | Instr::LoopBack { target } => {
                Some(Plan::simple(Action::Jump { target }))
            }
            Instr::JumpIfFalse { cond, target } | Instr::JumpIfTrue { cond, target } => {
                let if_true = matches!(instr, Instr::JumpIfTrue { .. });
                let (ty, guards) = match self.operand(st, cond, seen_lhs(fb), allow) {
                    Some((ty, guard)) => (Some(ty), if guard { vec![(cond, ty)] } else { vec![] }),
                    None => (None, vec![]),
                };
                Some(Plan {
                    guards,
                    action: Action::Branch {
                        cond,
                        if_true,
                        target,
                        ty,
                    },
                })
            }
            Instr::IterNext { iter, dst, exit } => {
                Some(self.plan_iter_next(st, fb, allow, iter, dst, exit))
            }
            Instr::IterPrep { iter } | Instr::RangePrep { iter, .. } => {
                Some(self.plan_iter_prep(pc, &instr, iter))
            }
            Instr::Return { src } => Some(Plan::simple(Action::Return { src })),
            Instr::ReturnNull => Some(Plan::simple(Action::ReturnNull)),
            _ => self.plan_operator(st, fb, allow, &instr),
        };
        planned.unwrap_or_else(|| self.generic(&instr))
    }

    /// Constants and moves: unboxed in specialized code, stored inline in the baseline.
    fn plan_load(&self, instr: &Instr, st: &State) -> Option<Plan> {
        let scalar = |dst, val: Option<Const>| {
            Some(Plan::simple(match (self.spec, val) {
                (true, Some(val)) => Action::Const { dst, val },
                _ => Action::StoreConst { dst, val },
            }))
        };
        match *instr {
            Instr::LoadInt { dst, v } => scalar(dst, Some(Const::Int(v as i64))),
            Instr::LoadBool { dst, v } => scalar(dst, Some(Const::Bool(v))),
            Instr::LoadNull { dst } => scalar(dst, None),
            Instr::LoadConst { dst, k } => {
                let c = self.proto.scalar_const(k)?;
                scalar(dst, Some(Const::of(c)))
            }
            Instr::Move { dst, src } => match st[src as usize].ty() {
                Some(ty) => Some(Plan::simple(Action::Move { dst, src, ty })),
                None if dst != src => Some(Plan::simple(Action::MoveBoxed { dst, src })),
                None => None,
            },
            Instr::CheckDef { reg, .. } if st[reg as usize].ty().is_some() => {
                Some(Plan::simple(Action::Nop))
            }
            _ => None,
        }
    }

    fn plan_iter_next(
        &self,
        st: &State,
        fb: u32,
        allow: bool,
        iter: Reg,
        dst: Reg,
        exit: u32,
    ) -> Plan {
        let ranged = seen_lhs(fb) == Seen::Mono(tag::INT);
        let mut guards = vec![];
        for r in iter..iter + 3 {
            match st[r as usize].ty() {
                Some(Ty::Int) => {}
                None if allow && ranged => guards.push((r, Ty::Int)),
                _ => return Plan::simple(Action::IterGeneric { iter, dst, exit }),
            }
        }
        Plan {
            guards,
            action: Action::IterRange {
                iter,
                dst,
                exit,
                unit_step: self.unit_step(iter),
            },
        }
    }

    /// `IterPrep`/`RangePrep` through the VM; when the loop it prepares has always iterated
    /// over an Int range, its state registers are unboxed right after.
    fn plan_iter_prep(&self, pc: u32, instr: &Instr, iter: Reg) -> Plan {
        let mut p = self.generic(instr);
        if self.next_iter_is_range(pc, iter) {
            if let Action::Generic {
                post, unit_step, ..
            } = &mut p.action
            {
                *post = (iter..iter + 3).map(|r| (r, Ty::Int)).collect();
                // `range(stop)`, `range(start, stop)` and `for i in n` always step by 1.
                *unit_step = match *instr {
                    Instr::RangePrep { argc, .. } if argc >= 3 => None,
                    _ => Some(iter + 2),
                };
            }
        }
        p
    }

    /// True if every Int-range state in `R[iter]` steps by 1: only a three-argument
    /// `range(start, stop, step)` sets another step (`IterPrep` over an Int and a rebound
    /// `range` whose result is an Int both step by 1; every other iterable's state is not an
    /// Int range at all). Loop state registers are written only by these preparations.
    fn unit_step(&self, iter: Reg) -> bool {
        !self
            .proto
            .code
            .iter()
            .any(|i| matches!(*i, Instr::RangePrep { iter: r, argc } if r == iter && argc >= 3))
    }

    /// True if a speculable instruction has an operand that is neither known from the state
    /// nor seen by the profile (the instruction never ran).
    fn lacks_feedback(&self, instr: &Instr, fb: u32, st: &State) -> bool {
        if matches!(instr, Instr::GetIndex { .. } | Instr::SetIndex { .. }) {
            return false;
        }
        let unknown = |r: Option<Reg>, seen: Seen| match r {
            Some(r) => st[r as usize].ty().is_none() && seen == Seen::Nothing,
            None => false,
        };
        let (a, b) = instr.feedback_operands();
        unknown(a, seen_lhs(fb)) || unknown(b, ruff_core::abi::feedback::seen_rhs(fb))
    }

    /// True if the loop prepared at `pc` has always iterated over an Int range, so the
    /// state registers may be unboxed right after the preparation.
    fn next_iter_is_range(&self, pc: u32, iter: Reg) -> bool {
        let code = &self.proto.code;
        (pc as usize + 1..code.len())
            .find_map(|q| match code[q] {
                Instr::IterNext { iter: i, .. } if i == iter => Some(q as u32),
                _ => None,
            })
            .is_some_and(|q| self.may_speculate(q) && seen_lhs(self.fb(q)) == Seen::Mono(tag::INT))
    }

    fn generic(&self, instr: &Instr) -> Plan {
        Plan::simple(Action::Generic {
            reads: instr.reads(self.proto),
            writes: instr.writes(),
            post: vec![],
            unit_step: None,
        })
    }
}
