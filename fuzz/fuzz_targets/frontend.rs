//! libFuzzer target: lex, parse and compile arbitrary bytes as `ruff run` would, and check
//! that a compile error is well-formed (`ruff-core/tests/frontend_fuzz/check.rs`, shared
//! with the stable mutation fuzzer). A panic or a broken invariant aborts, which libFuzzer
//! reports as a crash with the input saved.
//!
//! The check runs on one long-lived thread with the stack the `ruff` binary gives the
//! engine (1 GiB), so deep nesting is judged against the real limit, not libFuzzer's main
//! thread stack.

#![no_main]

#[path = "../../ruff-core/tests/frontend_fuzz/check.rs"]
mod check;

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Mutex, OnceLock};

use libfuzzer_sys::fuzz_target;

/// The channel to the checking thread and the one its answers come back on.
struct Checker {
    inputs: SyncSender<Vec<u8>>,
    answers: Receiver<Result<bool, String>>,
}

fn checker() -> &'static Mutex<Checker> {
    static CHECKER: OnceLock<Mutex<Checker>> = OnceLock::new();
    CHECKER.get_or_init(|| {
        let (inputs, from_fuzzer) = sync_channel::<Vec<u8>>(0);
        let (to_fuzzer, answers) = sync_channel(0);
        std::thread::Builder::new()
            .name("ruff-check".to_string())
            .stack_size(check::STACK_BYTES)
            .spawn(move || {
                for input in from_fuzzer {
                    // A panic here aborts the process (libfuzzer-sys's panic hook): a crash.
                    if to_fuzzer.send(check::check(&input)).is_err() {
                        break;
                    }
                }
            })
            .expect("spawn the checking thread");
        Mutex::new(Checker { inputs, answers })
    })
}

fuzz_target!(|data: &[u8]| {
    let checker = checker().lock().unwrap();
    checker
        .inputs
        .send(data.to_vec())
        .expect("the checking thread is alive");
    let answer = checker
        .answers
        .recv()
        .expect("the checking thread answered");
    if let Err(broken) = answer {
        panic!("broken front-end invariant: {broken}");
    }
});
