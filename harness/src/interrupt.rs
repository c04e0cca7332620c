//! SIGINT and SIGTERM during `harness run`: the handler only records which signal came (an
//! atomic store, the one thing a signal handler may safely do); the runner looks at it
//! between invocations and the subprocess executor while it waits, so the invocation in
//! flight is either finished (it completed) or discarded (its process is killed and nothing
//! of it is written), the run folder is marked `"state": "interrupted"`, and `--resume`
//! continues exactly where it stopped.
//!
//! The handler is one-shot (`SA_RESETHAND`): a second Ctrl-C while the harness is cleaning up
//! gets the default action and ends the process at once.

use std::sync::atomic::{AtomicI32, Ordering};

/// The signal received, or 0.
static RECEIVED: AtomicI32 = AtomicI32::new(0);

/// Exit code of an interrupted run (128 + SIGINT, what shells report for Ctrl-C).
pub const EXIT_CODE: u8 = 130;

extern "C" fn on_signal(signal: libc::c_int) {
    RECEIVED.store(signal, Ordering::SeqCst);
}

/// Installs the handler for SIGINT and SIGTERM (idempotent).
pub fn install() {
    for signal in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: `action` is fully initialised (zeroed, then the handler, flags and an
        // empty mask set) before `sigaction` reads it; the handler only does an atomic store,
        // which is async-signal-safe.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
            action.sa_flags = libc::SA_RESTART | libc::SA_RESETHAND;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(signal, &action, std::ptr::null_mut());
        }
    }
}

/// The signal that asked the run to stop, if any.
pub fn requested() -> Option<i32> {
    match RECEIVED.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

/// The signal's name for messages.
pub fn name(signal: i32) -> &'static str {
    match signal {
        libc::SIGINT => "SIGINT",
        libc::SIGTERM => "SIGTERM",
        _ => "a signal",
    }
}
