//! Deciding how each instruction is lowered, and what that does to the register state.
//!
//! `Planner::plan` is pure: it looks at the instruction, its type feedback, the preset and
//! the current abstract state and returns a `Plan` (the type guards to emit and the
//! lowering). `apply` is the matching state transfer. The analysis pass and the code
//! generator both use exactly these two functions, so the state the generator sees at each
//! block start is the one the analysis computed.
//!
//! Policy (ARCHITECTURE §4): nothing is speculated without feedback; an operand that is
//! already unboxed needs no guard; an instruction listed in `no_speculation_at` uses only
//! what is statically known and never guards.

use ruff_core::bytecode::{FuncProto, Instr, Reg};
use ruff_core::profile::{seen_lhs, seen_rhs, Seen};
use ruff_core::value::{tag, Value};

use super::cfg::reads;
use super::state::{State, Ty};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    And,
    Or,
    Xor,
    Shl,
    Shr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Un {
    Neg,
    Not,
    BitNot,
    Truthy,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Operand {
    Reg(Reg),
    Imm(i64),
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Const {
    Int(i64),
    Float(f64),
    Bool(bool),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Through `Vm::exec_generic`. `reads` are written back first; `writes` become boxed;
    /// `post` registers are then guarded (deopt at the next pc) and unboxed.
    Generic {
        reads: Vec<Reg>,
        writes: Vec<Reg>,
        post: Vec<(Reg, Ty)>,
    },
    /// `Call` (direct to compiled code when possible) or `CallMethod` (through the VM).
    Call {
        base: Reg,
        argc: u8,
        method: bool,
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
        op: ArOp,
        dst: Reg,
        a: Reg,
        b: Operand,
        lt: Ty,
        rt: Ty,
        res: Ty,
    },
    Cmp {
        op: CmpOp,
        dst: Reg,
        a: Reg,
        b: Reg,
        ty: Ty,
    },
    Unary {
        op: Un,
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
    IterRange {
        iter: Reg,
        dst: Reg,
        exit: u32,
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
    /// `R[dst] = G[g]` speculating that the global holds builtin `id` (intrinsics.rs).
    GetBuiltin {
        dst: Reg,
        g: u32,
        id: u8,
    },
    /// A `Call` whose callee register certainly holds builtin `id` (a speculated
    /// `GetGlobal`, intrinsics.rs): no closure call path. `clears`: `push`/`append` whose
    /// result is unused; both of its paths leave `R[base..=base+2]` Null.
    CallBuiltin {
        base: Reg,
        argc: u8,
        id: u8,
        clears: bool,
    },
    /// A call of builtin `id` on the unboxed argument `R[base + 1]` (intrinsics.rs).
    Intrinsic {
        id: u8,
        base: Reg,
        arg: Ty,
        res: Ty,
    },
    /// `R[dst] = G[g]` inline (the interpreter's helper raises the unbound-global error).
    GetGlobal {
        dst: Reg,
        g: u32,
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
    Index(super::index::IndexOp),
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

pub struct Planner<'a> {
    pub proto: &'a FuncProto,
    pub feedback: &'a [u32],
    /// The preset specializes (`jit-spec`, `jit-spec-hoist`).
    pub spec: bool,
    pub no_spec: &'a [u32],
    /// Address of the VM's global slot 0 at compile time (0: unknown).
    pub globals: usize,
    /// The function's basic blocks and liveness.
    pub cfg: &'a super::cfg::Cfg,
}

impl Planner<'_> {
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

    pub fn plan(&self, pc: u32, st: &State) -> Plan {
        let instr = self.proto.code[pc as usize];
        let allow = self.may_speculate(pc);
        let fb = self.fb(pc);
        if allow && instr.has_feedback() && self.lacks_feedback(&instr, fb, st) {
            return Plan {
                guards: vec![],
                action: Action::Trap,
            };
        }
        let generic = || self.generic(pc, &instr);
        let simple = |action| Plan {
            guards: vec![],
            action,
        };
        use Instr::*;
        match instr {
            LoadInt { dst, v } if self.spec => simple(Action::Const {
                dst,
                val: Const::Int(v as i64),
            }),
            LoadBool { dst, v } if self.spec => simple(Action::Const {
                dst,
                val: Const::Bool(v),
            }),
            LoadConst { dst, k } if self.spec => match self.proto.consts[k as usize] {
                Value::Int(i) => simple(Action::Const {
                    dst,
                    val: Const::Int(i),
                }),
                Value::Float(f) => simple(Action::Const {
                    dst,
                    val: Const::Float(f),
                }),
                Value::Bool(b) => simple(Action::Const {
                    dst,
                    val: Const::Bool(b),
                }),
                _ => generic(),
            },
            GetGlobal { dst, g } => match self.builtin_at(pc, dst, g) {
                Some(id) => simple(Action::GetBuiltin { dst, g, id }),
                None => simple(Action::GetGlobal { dst, g }),
            },
            LoadInt { dst, v } => simple(Action::StoreConst {
                dst,
                val: Some(Const::Int(v as i64)),
            }),
            LoadBool { dst, v } => simple(Action::StoreConst {
                dst,
                val: Some(Const::Bool(v)),
            }),
            LoadNull { dst } => simple(Action::StoreConst { dst, val: None }),
            // Baseline: a scalar constant is stored inline rather than cloned by the helper.
            LoadConst { dst, k } => match self.proto.consts[k as usize] {
                Value::Int(i) => simple(Action::StoreConst {
                    dst,
                    val: Some(Const::Int(i)),
                }),
                Value::Float(f) => simple(Action::StoreConst {
                    dst,
                    val: Some(Const::Float(f)),
                }),
                Value::Bool(b) => simple(Action::StoreConst {
                    dst,
                    val: Some(Const::Bool(b)),
                }),
                _ => generic(),
            },
            Move { dst, src } => match st[src as usize].ty() {
                Some(ty) => simple(Action::Move { dst, src, ty }),
                None if dst != src => simple(Action::MoveBoxed { dst, src }),
                None => generic(),
            },
            CheckDef { reg, .. } if st[reg as usize].ty().is_some() => simple(Action::Nop),
            Add { dst, a, b } => self
                .arith(st, fb, allow, ArOp::Add, dst, a, Operand::Reg(b))
                .unwrap_or_else(generic),
            Sub { dst, a, b } => self
                .arith(st, fb, allow, ArOp::Sub, dst, a, Operand::Reg(b))
                .unwrap_or_else(generic),
            Mul { dst, a, b } => self
                .arith(st, fb, allow, ArOp::Mul, dst, a, Operand::Reg(b))
                .unwrap_or_else(generic),
            Div { dst, a, b } => self
                .arith(st, fb, allow, ArOp::Div, dst, a, Operand::Reg(b))
                .unwrap_or_else(generic),
            Mod { dst, a, b } => self
                .arith(st, fb, allow, ArOp::Mod, dst, a, Operand::Reg(b))
                .unwrap_or_else(generic),
            BitAnd { dst, a, b } => self
                .arith(st, fb, allow, ArOp::And, dst, a, Operand::Reg(b))
                .unwrap_or_else(generic),
            BitOr { dst, a, b } => self
                .arith(st, fb, allow, ArOp::Or, dst, a, Operand::Reg(b))
                .unwrap_or_else(generic),
            BitXor { dst, a, b } => self
                .arith(st, fb, allow, ArOp::Xor, dst, a, Operand::Reg(b))
                .unwrap_or_else(generic),
            Shl { dst, a, b } => self
                .arith(st, fb, allow, ArOp::Shl, dst, a, Operand::Reg(b))
                .unwrap_or_else(generic),
            Shr { dst, a, b } => self
                .arith(st, fb, allow, ArOp::Shr, dst, a, Operand::Reg(b))
                .unwrap_or_else(generic),
            AddImm { dst, a, imm } => self
                .arith(st, fb, allow, ArOp::Add, dst, a, Operand::Imm(imm as i64))
                .unwrap_or_else(generic),
            Eq { dst, a, b } => self
                .cmp(st, fb, allow, CmpOp::Eq, dst, a, b)
                .unwrap_or_else(generic),
            Ne { dst, a, b } => self
                .cmp(st, fb, allow, CmpOp::Ne, dst, a, b)
                .unwrap_or_else(generic),
            Lt { dst, a, b } => self
                .cmp(st, fb, allow, CmpOp::Lt, dst, a, b)
                .unwrap_or_else(generic),
            Le { dst, a, b } => self
                .cmp(st, fb, allow, CmpOp::Le, dst, a, b)
                .unwrap_or_else(generic),
            Gt { dst, a, b } => self
                .cmp(st, fb, allow, CmpOp::Gt, dst, a, b)
                .unwrap_or_else(generic),
            Ge { dst, a, b } => self
                .cmp(st, fb, allow, CmpOp::Ge, dst, a, b)
                .unwrap_or_else(generic),
            Neg { dst, src } => self
                .unary(st, fb, allow, Un::Neg, dst, src)
                .unwrap_or_else(generic),
            Not { dst, src } => self
                .unary(st, fb, allow, Un::Not, dst, src)
                .unwrap_or_else(generic),
            BitNot { dst, src } => self
                .unary(st, fb, allow, Un::BitNot, dst, src)
                .unwrap_or_else(generic),
            Truthy { dst, src } => self
                .unary(st, 0, false, Un::Truthy, dst, src)
                .unwrap_or_else(generic),
            Jump { target } | LoopBack { target } => simple(Action::Jump { target }),
            JumpIfFalse { cond, target } | JumpIfTrue { cond, target } => {
                let if_true = matches!(instr, JumpIfTrue { .. });
                match self.operand(st, cond, seen_lhs(fb), allow) {
                    Some((ty, guard)) => Plan {
                        guards: if guard { vec![(cond, ty)] } else { vec![] },
                        action: Action::Branch {
                            cond,
                            if_true,
                            target,
                            ty: Some(ty),
                        },
                    },
                    None => simple(Action::Branch {
                        cond,
                        if_true,
                        target,
                        ty: None,
                    }),
                }
            }
            IterNext { iter, dst, exit } => {
                let ranged = seen_lhs(fb) == Seen::Mono(tag::INT);
                let mut guards = vec![];
                let mut ok = true;
                for r in iter..iter + 3 {
                    match st[r as usize].ty() {
                        Some(Ty::Int) => {}
                        None if allow && ranged => guards.push((r, Ty::Int)),
                        _ => ok = false,
                    }
                }
                if ok {
                    Plan {
                        guards,
                        action: Action::IterRange { iter, dst, exit },
                    }
                } else {
                    simple(Action::IterGeneric { iter, dst, exit })
                }
            }
            IterPrep { iter } | RangePrep { iter, .. } => {
                let mut p = generic();
                if self.next_iter_is_range(pc, iter) {
                    if let Action::Generic { post, .. } = &mut p.action {
                        *post = (iter..iter + 3).map(|r| (r, Ty::Int)).collect();
                    }
                }
                p
            }
            Call { base, argc } if self.builtin_callee(pc, base).is_some() => {
                let id = self.builtin_callee(pc, base).expect("checked");
                simple(match self.intrinsic(pc, st, base, argc, id) {
                    Some((arg, res)) => Action::Intrinsic { id, base, arg, res },
                    None => Action::CallBuiltin {
                        base,
                        argc,
                        id,
                        clears: self.push_clears(pc, base, argc, id),
                    },
                })
            }
            Call { base, argc } => simple(Action::Call {
                base,
                argc,
                method: false,
            }),
            CallMethod { base, argc, .. } => simple(Action::Call {
                base,
                argc,
                method: true,
            }),
            Return { src } => simple(Action::Return { src }),
            ReturnNull => simple(Action::ReturnNull),
            GetIndex { .. } | SetIndex { .. } => {
                super::index::plan_index(self, pc, st, allow).unwrap_or_else(generic)
            }
            _ => generic(),
        }
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
        let (a, b) = super::cfg::operand_pair(instr);
        unknown(a, seen_lhs(fb)) || unknown(b, seen_rhs(fb))
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

    fn generic(&self, _pc: u32, instr: &Instr) -> Plan {
        Plan {
            guards: vec![],
            action: Action::Generic {
                reads: reads(self.proto, instr),
                writes: generic_writes(instr),
                post: vec![],
            },
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn arith(
        &self,
        st: &State,
        fb: u32,
        allow: bool,
        op: ArOp,
        dst: Reg,
        a: Reg,
        b: Operand,
    ) -> Option<Plan> {
        let (lt, ga) = self.operand(st, a, seen_lhs(fb), allow)?;
        let (rt, gb) = match b {
            Operand::Imm(_) => (Ty::Int, false),
            Operand::Reg(r) => self.operand(st, r, seen_rhs(fb), allow)?,
        };
        use Ty::*;
        let res = match (op, lt, rt) {
            (_, Int, Int) => Int,
            (ArOp::Add | ArOp::Sub | ArOp::Mul | ArOp::Div, Int | Float, Int | Float) => Float,
            _ => return None,
        };
        let mut guards = vec![];
        if ga {
            guards.push((a, lt));
        }
        if let (true, Operand::Reg(r)) = (gb, b) {
            if !(ga && r == a) {
                guards.push((r, rt));
            }
        }
        Some(Plan {
            guards,
            action: Action::Arith {
                op,
                dst,
                a,
                b,
                lt,
                rt,
                res,
            },
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn cmp(
        &self,
        st: &State,
        fb: u32,
        allow: bool,
        op: CmpOp,
        dst: Reg,
        a: Reg,
        b: Reg,
    ) -> Option<Plan> {
        let (lt, ga) = self.operand(st, a, seen_lhs(fb), allow)?;
        let (rt, gb) = self.operand(st, b, seen_rhs(fb), allow)?;
        let ok = lt == rt && (lt != Ty::Bool || matches!(op, CmpOp::Eq | CmpOp::Ne));
        if !ok {
            return None;
        }
        let mut guards = vec![];
        if ga {
            guards.push((a, lt));
        }
        if gb && !(ga && a == b) {
            guards.push((b, rt));
        }
        Some(Plan {
            guards,
            action: Action::Cmp {
                op,
                dst,
                a,
                b,
                ty: lt,
            },
        })
    }

    fn unary(&self, st: &State, fb: u32, allow: bool, op: Un, dst: Reg, src: Reg) -> Option<Plan> {
        let (ty, g) = self.operand(st, src, seen_lhs(fb), allow)?;
        let ok = match op {
            Un::Neg => ty != Ty::Bool,
            Un::BitNot => ty == Ty::Int,
            Un::Not | Un::Truthy => true,
        };
        if !ok {
            return None;
        }
        Some(Plan {
            guards: if g { vec![(src, ty)] } else { vec![] },
            action: Action::Unary { op, dst, src, ty },
        })
    }
}

/// Registers a generic instruction may overwrite.
pub fn generic_writes(instr: &Instr) -> Vec<Reg> {
    match *instr {
        Instr::RangePrep { iter, argc } => (iter..=iter + 2 + argc as Reg).collect(),
        ref i => super::cfg::kills(i),
    }
}
