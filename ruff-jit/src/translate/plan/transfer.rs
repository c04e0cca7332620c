//! The state transfer of each planned lowering (see `plan.rs`): which registers become
//! unboxed (guards, definitions), clean (written back) or boxed (written by a helper).

use ruff_core::abi::bytecode::Reg;

use super::arith::unary_result;
use super::calls::InlinePush;
use super::state::{RegState, State, Ty};
use super::{Action, Const, Plan};

/// The state transfer of `plan`: `(fallthrough state, branch-target state)`.
pub fn apply(plan: &Plan, st: &State) -> (State, Option<State>) {
    let mut s = st.clone();
    for &(r, t) in &plan.guards {
        s[r as usize] = RegState::unboxed(t, false);
    }
    let def = |s: &mut State, r: Reg, t: Ty| {
        s[r as usize] = RegState::defined(t, s[r as usize].scalar);
    };
    match &plan.action {
        Action::Generic {
            reads,
            writes,
            post,
            ..
        } => {
            for &r in reads {
                s[r as usize].dirty = false;
            }
            for &r in writes {
                if let Some(x) = s.get_mut(r as usize) {
                    *x = RegState::BOXED;
                }
            }
            for &(r, t) in post {
                s[r as usize] = RegState::unboxed(t, false);
            }
            (s, None)
        }
        Action::CallBuiltin {
            base, argc, push, ..
        } => {
            for x in s.iter_mut().skip(*base as usize) {
                *x = RegState::BOXED;
            }
            if InlinePush::clears(*push) {
                for r in *base..=*base + *argc as Reg {
                    s[r as usize].scalar = true;
                }
            }
            (s, None)
        }
        Action::Call {
            base, typed_result, ..
        } => {
            for x in s.iter_mut().skip(*base as usize) {
                *x = RegState::BOXED;
            }
            if let Some(t) = typed_result {
                // Every path leaves the result in the slot too, checked or stored as `t`.
                s[*base as usize] = RegState::unboxed(*t, false);
            }
            (s, None)
        }
        Action::Const { dst, val } => {
            let t = match val {
                Const::Int(_) => Ty::Int,
                Const::Float(_) => Ty::Float,
                Const::Bool(_) => Ty::Bool,
            };
            def(&mut s, *dst, t);
            (s, None)
        }
        Action::Move { dst, ty, .. } => {
            def(&mut s, *dst, *ty);
            (s, None)
        }
        Action::Arith { dst, res, .. } => {
            def(&mut s, *dst, *res);
            (s, None)
        }
        Action::Cmp { dst, .. } => {
            def(&mut s, *dst, Ty::Bool);
            (s, None)
        }
        Action::Unary { op, dst, ty, .. } => {
            def(&mut s, *dst, unary_result(*op, *ty));
            (s, None)
        }
        Action::Jump { .. } => (s.clone(), Some(s)),
        Action::Branch { .. } => (s.clone(), Some(s)),
        Action::IterRange { iter, dst, .. } => {
            let exit = s.clone();
            def(&mut s, *iter, Ty::Int);
            def(&mut s, *dst, Ty::Int);
            (s, Some(exit))
        }
        Action::IterGeneric { iter, dst, .. } => {
            for r in *iter..*iter + 3 {
                s[r as usize].dirty = false;
            }
            let exit = s.clone();
            for r in [*iter, *iter + 1, *dst] {
                s[r as usize] = RegState::BOXED;
            }
            (s, Some(exit))
        }
        Action::Return { .. } | Action::ReturnNull | Action::Trap => (s, None),
        Action::GetGlobal { dst, .. } => {
            s[*dst as usize] = RegState::BOXED;
            (s, None)
        }
        Action::MoveBoxed { dst, src } => {
            // The copy is the same instance: it keeps a known shape.
            s[*dst as usize] = RegState {
                shape: s[*src as usize].shape,
                ..RegState::BOXED
            };
            (s, None)
        }
        Action::StoreConst { dst, .. } => {
            s[*dst as usize] = RegState {
                scalar: true,
                ..RegState::BOXED
            };
            (s, None)
        }
        Action::Nop => (s, None),
        Action::GetBuiltin { dst, .. } => {
            // The slot holds a builtin, which owns nothing.
            s[*dst as usize] = RegState {
                scalar: true,
                ..RegState::BOXED
            };
            (s, None)
        }
        Action::Intrinsic { base, res, .. } => {
            def(&mut s, *base, *res);
            (s, None)
        }
        Action::Index(op) => {
            super::index::transfer(op, &mut s);
            (s, None)
        }
        Action::Field(op) => {
            super::fields::transfer(op, &mut s);
            (s, None)
        }
    }
}
