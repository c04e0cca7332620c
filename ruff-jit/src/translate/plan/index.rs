//! Planning array access: `GetIndex`/`SetIndex` on an Array with an Int index inline.
//!
//! When the profile says the object was always an Array and the index always an Int (and
//! the array layout is known, `Inputs::inline_arrays`), the access is done in compiled code
//! with a slow path through the helper (`emit/index.rs`). A read whose consumer (the next
//! instruction reading the result) has scalar feedback loads the element unboxed behind a
//! tag check that deopts at the `GetIndex` itself.

use ruff_core::abi::bytecode::{Instr, Reg};
use ruff_core::abi::feedback::{seen_lhs, seen_rhs, Seen};
use ruff_core::abi::tag;

use super::hoist::operand_types;
use super::state::{RegState, State, Ty};
use super::{Action, Plan, Planner};

/// An inline array access (`Action::Index`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndexOp {
    /// `R[dst] = R[obj][R[idx]]`; `elem`: the element is loaded unboxed as this type.
    Get {
        dst: Reg,
        obj: Reg,
        idx: Reg,
        elem: Option<Ty>,
    },
    /// `R[obj][R[idx]] = R[src]`.
    Set { obj: Reg, idx: Reg, src: Reg },
}

/// How far past a `GetIndex` its consumer is looked for.
const CONSUMER_WINDOW: u32 = 8;

impl Planner<'_> {
    /// The inline plan of a `GetIndex`/`SetIndex` at `pc`, or `None` for the generic lowering.
    pub(super) fn plan_index(
        &self,
        pc: u32,
        st: &State,
        instr: &Instr,
        allow: bool,
    ) -> Option<Plan> {
        if !self.spec || !self.inline_arrays {
            return None;
        }
        let fb = self.fb(pc);
        if seen_lhs(fb) != Seen::Mono(tag::ARRAY) {
            return None;
        }
        let (obj, idx) = match *instr {
            Instr::GetIndex { obj, idx, .. } | Instr::SetIndex { obj, idx, .. } => (obj, idx),
            _ => return None,
        };
        // The object is a heap value: it lives in its slot.
        if st[obj as usize].ty().is_some() {
            return None;
        }
        let guards = match st[idx as usize].ty() {
            Some(Ty::Int) => vec![],
            None if allow && seen_rhs(fb) == Seen::Mono(tag::INT) => vec![(idx, Ty::Int)],
            _ => return None,
        };
        let op = match *instr {
            Instr::GetIndex { dst, .. } => IndexOp::Get {
                dst,
                obj,
                idx,
                elem: if allow {
                    self.consumer_type(pc, dst)
                } else {
                    None
                },
            },
            Instr::SetIndex { src, .. } => IndexOp::Set { obj, idx, src },
            _ => return None,
        };
        Some(Plan {
            guards,
            action: Action::Index(op),
        })
    }

    /// The scalar type the next instruction reading `dst` (within a few instructions of
    /// straight code after `pc`) has always seen there, if any.
    pub(super) fn consumer_type(&self, pc: u32, dst: Reg) -> Option<Ty> {
        let code = &self.proto.code;
        let end = (pc + 1 + CONSUMER_WINDOW).min(code.len() as u32);
        for q in pc + 1..end {
            let instr = &code[q as usize];
            if instr.reads(self.proto).contains(&dst) {
                let tys = operand_types(self.proto, instr, self.fb(q), dst);
                let first = *tys.first()?;
                return if tys.iter().all(|t| *t == first) {
                    first
                } else {
                    None
                };
            }
            if instr.writes().contains(&dst) {
                return None;
            }
            if matches!(
                instr,
                Instr::Jump { .. }
                    | Instr::LoopBack { .. }
                    | Instr::Return { .. }
                    | Instr::ReturnNull
            ) {
                return None;
            }
        }
        None
    }
}

/// The state transfer of an inline access (the same on its fast and slow paths: registers
/// the slow path writes back keep their dirty flag, which only costs a redundant store).
pub fn transfer(op: &IndexOp, s: &mut State) {
    if let IndexOp::Get { dst, elem, .. } = *op {
        s[dst as usize] = match elem {
            Some(t) => RegState::defined(t, s[dst as usize].scalar),
            None => RegState::BOXED,
        };
    }
}
