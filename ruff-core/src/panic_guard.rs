//! Panics stop at the engine's trust boundaries: the compile tier (a compiler bug leaves the
//! function interpreted, counted as a compile failure) and the runtime helpers that compiled
//! code calls (a panic must never unwind through an `extern "C"` frame, which aborts the
//! process). `catch` runs a closure and turns a panic into `Err(description)`.
//!
//! While `catch` runs, the process-wide panic hook records the message and location for the
//! description instead of printing them: the error is reported once, by whoever handles it
//! (a `--trace-jit` line, an `internal error` runtime error), and stderr stays identical
//! across configs. Outside `catch` the hook that was installed before is used unchanged.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe, PanicHookInfo};
use std::sync::Once;

thread_local! {
    /// How many `catch` calls are active on this thread (they nest: a helper's guard may
    /// be active while the tier compiles under its own).
    static QUIET: Cell<u32> = const { Cell::new(0) };
    /// The description of the panic the hook saw last on this thread.
    static CAUGHT: RefCell<Option<String>> = const { RefCell::new(None) };
}

static INSTALL: Once = Once::new();

/// The message a panic carries (`panic!` makes a `&str` or a `String`).
pub fn payload_text(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_string())
}

/// `message at file:line:col`, from the hook's view of a panic.
fn describe(info: &PanicHookInfo<'_>) -> String {
    let message = payload_text(info.payload());
    match info.location() {
        Some(at) => format!("{message} at {}:{}:{}", at.file(), at.line(), at.column()),
        None => message,
    }
}

fn install_hook() {
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // `try_with`: a panic while thread-locals are torn down has nothing to record.
            let quiet = QUIET.try_with(|q| q.get() > 0).unwrap_or(false);
            if quiet {
                let _ = CAUGHT.try_with(|c| *c.borrow_mut() = Some(describe(info)));
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `f`; a panic inside it becomes `Err` with its message and location.
///
/// `f` must leave nothing it shares in a state that matters after a panic, or the caller
/// must repair it: the callers here drop or reset what the panicking code was building.
pub fn catch<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    install_hook();
    QUIET.with(|q| q.set(q.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(q.get() - 1));
    result.map_err(|payload| {
        CAUGHT
            .with(|c| c.borrow_mut().take())
            .unwrap_or_else(|| payload_text(&*payload))
    })
}

#[cfg(test)]
mod tests {
    use super::catch;

    #[test]
    fn a_panic_becomes_an_error_with_its_location() {
        let err = catch(|| -> u32 { panic!("boom {}", 7) }).unwrap_err();
        assert!(err.starts_with("boom 7 at "), "{err}");
        assert!(err.contains("panic_guard.rs:"), "{err}");
    }

    #[test]
    fn values_pass_through_and_guards_nest() {
        assert_eq!(catch(|| 5), Ok(5));
        let outer = catch(|| {
            let inner = catch(|| -> () { panic!("inner") });
            assert!(inner.unwrap_err().starts_with("inner at "));
            panic!("outer")
        });
        assert!(outer.unwrap_err().starts_with("outer at "));
    }
}
