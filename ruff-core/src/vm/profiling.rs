//! What the profiling copy of the dispatch loop needs besides the feedback words it writes
//! itself: the profile of a prototype without a bounds check, and the call accounting of
//! its inline call path (count the call; enter compiled code once the function has some or
//! becomes hot, as `tiering::Policy` decides).

use super::{Policy, Vm};
use crate::abi::JitEntry;
use crate::bytecode::FuncProto;
use crate::profile::FuncProfile;

/// Where a closure call from the profiling loop runs.
pub(crate) enum CallTier {
    /// Interpreted: the callee's feedback words and back-edge counters, for the loop to
    /// record into once its frame is pushed.
    Interpret { fb: *mut u32, be: *mut u32 },
    /// In its compiled code.
    Compiled(JitEntry),
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
    pub(crate) unsafe fn profile_unchecked(&mut self, id: u32) -> &mut FuncProfile {
        debug_assert!((id as usize) < self.profiles.len());
        // SAFETY: the caller guarantees `id < profiles.len()`.
        unsafe { self.profiles.get_unchecked_mut(id as usize) }
    }

    /// Counts an inline call of `callee` (whose frame `prepare_closure_frame` set up) and
    /// says where it runs: what `compiled_entry_for_call` does, with its common case
    /// inline: no code, and this call does not make the function hot (or nothing can
    /// compile). `policy` is the VM's, which the loop keeps in a local.
    ///
    /// # Safety
    /// The config profiles and `callee` is a prototype of the running program.
    #[inline(always)]
    pub(crate) unsafe fn count_call(&mut self, callee: &FuncProto, policy: &Policy) -> CallTier {
        let id = callee.id as usize;
        debug_assert!(id < self.tiers.len() && id < self.profiles.len());
        // SAFETY: `tiers` and (in the profiling configs) `profiles` have one entry per
        // prototype, indexed by id (see `profile_unchecked`).
        let (t, prof) = unsafe {
            (
                self.tiers.get_unchecked(id),
                self.profiles.get_unchecked_mut(id),
            )
        };
        // Cached code (none, in practice, without compiling) is tested first, so
        // `interp-prof` skips the threshold check.
        let quiet =
            t.entry.is_none() && !policy.call_compiles(prof.calls.saturating_add(1), t.recompile);
        let prof = if quiet {
            prof.calls = prof.calls.saturating_add(1);
            prof
        } else {
            if let Some(jit) = self.entry_for_hot_call(callee) {
                return CallTier::Compiled(jit);
            }
            // SAFETY: as above.
            unsafe { self.profile_unchecked(callee.id) }
        };
        let (fb, be) = (prof.feedback.as_mut_ptr(), prof.backedges.as_mut_ptr());
        self.stats.interpreted_calls += 1;
        CallTier::Interpret { fb, be }
    }

    /// `compiled_entry_for_call` out of line, for the calls of the profiling loop's fast
    /// path that may find or make compiled code.
    #[cold]
    #[inline(never)]
    fn entry_for_hot_call(&mut self, p: &FuncProto) -> Option<JitEntry> {
        self.compiled_entry_for_call(p)
    }
}
