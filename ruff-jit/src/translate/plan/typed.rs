//! The typed entry of a function (issue 9, item 1): a second compiled body that takes its
//! parameters unboxed in machine registers and returns an unboxed result in a register, so
//! a call from compiled code (`fib(n - 1)`, `sq(i)` in another function's loop) passes no
//! boxed value through the frame and no result through `ctx.ret`.
//!
//! The decision is made here, from the same plans the emitter follows:
//! - the parameter types of a self-recursive function are the unboxed types of the
//!   arguments at a direct self-call whose arguments are all unboxed, preferably one that
//!   agrees with the parameters' own feedback (`self_call_params`); any other function
//!   gets the types its parameters' feedback guards expect, when every parameter has one
//!   (`param_feedback`);
//! - a direct call (of itself, or of another function whose compiled code has a typed
//!   entry: `Planner::typed_callees`) uses the typed entry only when its arguments are
//!   unboxed with exactly the signature's types (`typed_target`);
//! - the typed body is analysed from an entry state where the parameters are unboxed and
//!   dirty (their slots are not written: the VM frame is materialized only by a side exit,
//!   an error or a helper that reads the frame) and may still hold a stale heap value;
//! - its result type is the unboxed type of the first `Return` that has one
//!   (`typed_return`). A return of anything else hands a boxed value over in `ctx.ret`
//!   instead (status `TYPED_BOXED`, see `emit/typed_calls.rs`).

use ruff_core::abi::bytecode::Reg;

use super::state::{RegState, State, Ty};
use super::transfer::apply;
use super::{Action, CallTarget, Plan, Planner};

/// Whose typed entry a call uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypedCall {
    /// This function's own (a self-call).
    SelfCall,
    /// The compiled code of the function with this prototype id.
    Other(u32),
}

/// The machine-level signature of a typed entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypedSig {
    /// Unboxed type of each parameter, in order.
    pub params: Vec<Ty>,
    /// Unboxed type of the result on the typed return path.
    pub ret: Ty,
}

impl TypedSig {
    /// `(int, float) -> int`, as `--trace-jit` prints it.
    pub fn describe(&self) -> String {
        let name = |t: Ty| match t {
            Ty::Int => "int",
            Ty::Float => "float",
            Ty::Bool => "bool",
        };
        let params: Vec<&str> = self.params.iter().map(|&t| name(t)).collect();
        format!("({}) -> {}", params.join(", "), name(self.ret))
    }
}

impl Planner<'_> {
    /// The typed entry a `Call` planned as `direct` in state `st` calls: this function's own
    /// (a self-call, when this compile has one) or another compiled function's (its
    /// prototype is checked as for any direct call), when the arguments are unboxed with
    /// exactly the signature's parameter types.
    pub fn typed_target(
        &self,
        st: &State,
        base: Reg,
        argc: u8,
        direct: Option<CallTarget>,
    ) -> Option<(TypedCall, &TypedSig)> {
        let (call, sig) = if self.calls_self(direct) {
            (TypedCall::SelfCall, self.typed_self.as_ref()?)
        } else {
            let id = match direct? {
                CallTarget::Known { id } => id,
                CallTarget::Expected(c) => c.id,
                _ => return None,
            };
            (TypedCall::Other(id), self.typed_callees.get(&id)?)
        };
        let fits = self
            .unboxed_args(st, base, argc, sig.params.len())
            .as_deref()
            == Some(&sig.params[..]);
        fits.then_some((call, sig))
    }

    /// True if the `Call` planned as `direct` certainly calls this function itself (its
    /// prototype is checked by the `GetGlobal` that filled the callee register, or compared
    /// at the call).
    pub fn calls_self(&self, direct: Option<CallTarget>) -> bool {
        match direct {
            Some(CallTarget::Known { id }) => id == self.proto.id,
            Some(CallTarget::Expected(c)) => c.id == self.proto.id,
            _ => false,
        }
    }

    /// The result type a `Call` at `pc` keeps unboxed: a call that will use a typed entry
    /// (`typed_target`), whose result is read later, where the check of a result from another path may deopt (at `pc + 1`: after
    /// the call, where the interpreter goes on).
    pub fn typed_result(
        &self,
        pc: u32,
        st: &State,
        base: Reg,
        argc: u8,
        direct: Option<CallTarget>,
    ) -> Option<Ty> {
        let (_, sig) = self.typed_target(st, base, argc, direct)?;
        (self.may_speculate(pc + 1) && self.live_after(pc, base)).then_some(sig.ret)
    }

    /// The argument types a call at `base` with `argc` arguments passes unboxed in state
    /// `st`, if every argument is unboxed and the callee takes `arity` parameters.
    pub fn unboxed_args(&self, st: &State, base: Reg, argc: u8, arity: usize) -> Option<Vec<Ty>> {
        if argc as usize != arity {
            return None;
        }
        (0..argc as usize)
            .map(|i| st[base as usize + 1 + i].ty())
            .collect()
    }

    /// The parameter types of the typed entry: the unboxed argument types of a direct
    /// self-call (in the analysed `states`) whose arguments are all unboxed, preferring the
    /// first one that agrees with the types the body's own guards expect of its parameters
    /// (their feedback: what callers have passed so far), else the first; `None` if there
    /// is no such call (the function gets no typed entry).
    pub fn self_call_params(&self, states: &[Option<State>]) -> Option<Vec<Ty>> {
        let arity = self.proto.arity as usize;
        let mut expected: Vec<Option<Ty>> = vec![None; arity];
        let mut sites: Vec<Vec<Ty>> = Vec::new();
        self.walk(states, |_, plan, st| {
            for &(r, t) in &plan.guards {
                if (r as usize) < arity && expected[r as usize].is_none() {
                    expected[r as usize] = Some(t);
                }
            }
            if let Action::Call {
                base,
                argc,
                method: false,
                direct,
                ..
            } = plan.action
            {
                if self.calls_self(direct) {
                    sites.extend(self.unboxed_args(st, base, argc, arity));
                }
            }
        });
        let agrees = |site: &&Vec<Ty>| {
            site.iter()
                .zip(&expected)
                .all(|(t, e)| e.is_none_or(|e| e == *t))
        };
        let chosen = sites.iter().find(agrees).or(sites.first());
        chosen.cloned()
    }

    /// The parameter types of the typed entry of a function that does not call itself: the
    /// type each parameter is unboxed as at the function start (hoisted, `jit-spec-hoist`)
    /// or else the type the first guard on it expects (its feedback: what callers have
    /// passed so far); `None` unless every parameter has one (and there is at least one).
    pub fn param_feedback(&self, states: &[Option<State>]) -> Option<Vec<Ty>> {
        let arity = self.proto.arity as usize;
        let start = states.first().cloned().flatten();
        let mut expected: Vec<Option<Ty>> = (0..arity)
            .map(|r| start.as_ref().and_then(|st| st[r].ty()))
            .collect();
        self.walk(states, |_, plan, _| {
            for &(r, t) in &plan.guards {
                if (r as usize) < arity && expected[r as usize].is_none() {
                    expected[r as usize] = Some(t);
                }
            }
        });
        if arity == 0 {
            return None;
        }
        expected.into_iter().collect()
    }

    /// The result type of the typed body (analysed `states`): the unboxed type of the first
    /// reachable `Return` whose operand is unboxed; `None` if no return is (then a typed
    /// entry would gain nothing on the way out).
    pub fn typed_return(&self, states: &[Option<State>]) -> Option<Ty> {
        let mut ret = None;
        self.walk(states, |_, plan, st| {
            if let (None, Action::Return { src }) = (ret, &plan.action) {
                ret = st[*src as usize].ty();
            }
        });
        ret
    }

    /// Visits every planned instruction of the reachable blocks with the state before it
    /// (after its guards), as the emitter will see it.
    fn walk(&self, states: &[Option<State>], mut visit: impl FnMut(u32, &Plan, &State)) {
        for (i, block) in self.cfg.blocks.iter().enumerate() {
            let Some(mut st) = states[i].clone() else {
                continue;
            };
            for pc in block.start..block.end {
                let plan = self.plan(pc, &st);
                if plan.action == Action::Trap {
                    break;
                }
                let mut guarded = st.clone();
                for &(r, t) in &plan.guards {
                    guarded[r as usize] = RegState::unboxed(t, false);
                }
                visit(pc, &plan, &guarded);
                st = apply(&plan, &st).0;
            }
        }
    }
}

/// The state at the start of a typed body: the parameters unboxed as `params` and dirty
/// (their slots hold whatever the caller's temporaries held, possibly a heap value), the
/// rest as at the boxed function entry.
pub fn typed_entry_state(boxed_entry: &State, params: &[Ty]) -> State {
    let mut st = boxed_entry.clone();
    for (r, &ty) in params.iter().enumerate() {
        st[r] = RegState::defined(ty, false);
    }
    st
}
