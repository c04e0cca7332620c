//! The typed entry of a self-recursive function (issue 9, item 1): a second compiled body
//! that takes its parameters unboxed in machine registers and returns an unboxed result in a
//! register, so a recursive call (`fib(n - 1)`) passes no boxed value through the frame and
//! no result through `ctx.ret`.
//!
//! The decision is made here, from the same plans the emitter follows:
//! - the parameter types are the unboxed types of the arguments at a direct self-call
//!   whose arguments are all unboxed, preferably one that agrees with the parameters' own
//!   feedback (`self_call_params`); other self-calls use the typed entry only when their
//!   arguments have those same types;
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

    /// The result type a `Call` at `pc` keeps unboxed: a self-call that will use the typed
    /// entry (its arguments unboxed as the signature's parameters), whose result is read
    /// later, where the check of a result from another path may deopt (at `pc + 1`: after
    /// the call, where the interpreter goes on).
    pub fn typed_result(
        &self,
        pc: u32,
        st: &State,
        base: Reg,
        argc: u8,
        direct: Option<CallTarget>,
    ) -> Option<Ty> {
        let sig = self.typed_self.as_ref()?;
        let fits = self.calls_self(direct)
            && self.unboxed_args(st, base, argc).as_deref() == Some(&sig.params[..]);
        (fits && self.may_speculate(pc + 1) && self.live_after(pc, base)).then_some(sig.ret)
    }

    /// The argument types a self-call at `base` with `argc` arguments passes unboxed in
    /// state `st`, if every argument is unboxed and the arity matches.
    pub fn unboxed_args(&self, st: &State, base: Reg, argc: u8) -> Option<Vec<Ty>> {
        if argc as usize != self.proto.arity as usize {
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
                    sites.extend(self.unboxed_args(st, base, argc));
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
