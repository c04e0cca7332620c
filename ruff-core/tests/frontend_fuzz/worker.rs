//! The child process that runs the front-end check, so an abort or a stack overflow ends
//! the child, not the fuzzer, and a hang can be killed. The fuzzer starts this same binary
//! with `--worker`; inputs go to its stdin as `u32` little-endian length + bytes, and each
//! answer comes back on its stdout as one status byte (`OK_COMPILED`, `OK_ERROR`, `BROKEN`,
//! `PANICKED`), then for the last two a `u32` length + message.

use std::io::{Read, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::check::{check, STACK_BYTES};

const OK_COMPILED: u8 = 0;
const OK_ERROR: u8 = 1;
const BROKEN: u8 = 2;
const PANICKED: u8 = 3;

/// What one input did.
pub enum Verdict {
    /// It compiled (`true`) or gave a well-formed compile error (`false`).
    Fine(bool),
    /// A broken invariant of the error report.
    Broken(String),
    Panicked(String),
    /// The worker process ended (abort, signal, stack overflow): how, and its last stderr.
    Died(String),
    /// No answer within the time limit.
    Hung,
    /// Answered, but the check took longer than the time limit.
    Slow(Duration),
}

/// Set in a worker's environment to make inputs starting with `#!panic`, `#!abort`,
/// `#!hang` or `#!slow` fail that way: the fuzzer's self-test (`self_test` in `main.rs`)
/// proves each kind of failure is caught.
pub const INJECT_ENV: &str = "RUFF_FRONTEND_FUZZ_INJECT";

/// Fails on purpose when the self-test asks (see `INJECT_ENV`).
fn inject(input: &[u8]) {
    if input.starts_with(b"#!panic") {
        panic!("injected panic");
    } else if input.starts_with(b"#!abort") {
        std::process::abort();
    } else if input.starts_with(b"#!hang") {
        loop {
            std::thread::sleep(Duration::from_secs(1));
        }
    } else if input.starts_with(b"#!slow") {
        std::thread::sleep(Duration::from_millis(1500));
    }
}

/// The worker's main loop (`--worker`): runs until its stdin closes.
pub fn serve() {
    let injecting = std::env::var_os(INJECT_ENV).is_some();
    // Panics are reported through the protocol; the default hook would only add noise.
    std::panic::set_hook(Box::new(|_| {}));
    let worker = std::thread::Builder::new()
        .stack_size(STACK_BYTES)
        .spawn(move || {
            let mut stdin = std::io::stdin().lock();
            let mut stdout = std::io::stdout().lock();
            while let Some(input) = read_frame(&mut stdin) {
                let started = Instant::now();
                let outcome = catch_unwind(AssertUnwindSafe(|| {
                    if injecting {
                        inject(&input);
                    }
                    check(&input)
                }));
                let micros = started.elapsed().as_micros() as u64;
                let (status, message) = match outcome {
                    Ok(Ok(true)) => (OK_COMPILED, None),
                    Ok(Ok(false)) => (OK_ERROR, None),
                    Ok(Err(broken)) => (BROKEN, Some(broken)),
                    Err(panic) => (PANICKED, Some(panic_text(&*panic))),
                };
                let mut reply = vec![status];
                reply.extend_from_slice(&micros.to_le_bytes());
                if let Some(m) = message {
                    reply.extend_from_slice(&(m.len() as u32).to_le_bytes());
                    reply.extend_from_slice(m.as_bytes());
                }
                if stdout
                    .write_all(&reply)
                    .and_then(|()| stdout.flush())
                    .is_err()
                {
                    break;
                }
            }
        })
        .expect("spawn the worker thread");
    let _ = worker.join();
}

pub fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "a panic without a message".to_string())
}

fn read_frame(from: &mut impl Read) -> Option<Vec<u8>> {
    let mut len = [0u8; 4];
    from.read_exact(&mut len).ok()?;
    let mut data = vec![0u8; u32::from_le_bytes(len) as usize];
    from.read_exact(&mut data).ok()?;
    Some(data)
}

/// A running worker process, seen from the fuzzer.
pub struct Worker {
    child: Child,
    stdin: ChildStdin,
    replies: Receiver<(u8, Duration, Option<String>)>,
    /// The end of the worker's stderr (what an abort printed).
    stderr_tail: Arc<Mutex<Vec<u8>>>,
}

impl Worker {
    pub fn spawn() -> Worker {
        Worker::start(false)
    }

    /// A worker that fails on purpose on the self-test's inputs.
    pub fn spawn_injecting() -> Worker {
        Worker::start(true)
    }

    fn start(injecting: bool) -> Worker {
        let exe = std::env::current_exe().expect("the fuzzer's own path");
        let mut command = Command::new(exe);
        if injecting {
            command.env(INJECT_ENV, "1");
        } else {
            command.env_remove(INJECT_ENV);
        }
        let mut child = command
            .arg("--worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the fuzz worker");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut stderr = child.stderr.take().unwrap();
        let (send, replies) = mpsc::channel();
        std::thread::spawn(move || loop {
            let mut status = [0u8; 1];
            let mut micros = [0u8; 8];
            if stdout.read_exact(&mut status).is_err() || stdout.read_exact(&mut micros).is_err() {
                break;
            }
            let took = Duration::from_micros(u64::from_le_bytes(micros));
            let message = if status[0] >= BROKEN {
                match read_frame(&mut stdout) {
                    Some(m) => Some(String::from_utf8_lossy(&m).into_owned()),
                    None => break,
                }
            } else {
                None
            };
            if send.send((status[0], took, message)).is_err() {
                break;
            }
        });
        let stderr_tail = Arc::new(Mutex::new(Vec::new()));
        let tail = stderr_tail.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut t = tail.lock().unwrap();
                t.extend_from_slice(&buf[..n]);
                let excess = t.len().saturating_sub(4096);
                t.drain(..excess);
            }
        });
        Worker {
            child,
            stdin,
            replies,
            stderr_tail,
        }
    }

    /// Queues one input; false if the worker is gone (then `receive` says how).
    pub fn send(&mut self, input: &[u8]) -> bool {
        let mut frame = (input.len() as u32).to_le_bytes().to_vec();
        frame.extend_from_slice(input);
        self.stdin
            .write_all(&frame)
            .and_then(|()| self.stdin.flush())
            .is_ok()
    }

    /// The verdict on the oldest input in flight, waiting at most `limit` past the time
    /// the check may take. After `Died` or `Hung` the worker is gone: start a new one.
    pub fn receive(&mut self, limit: Duration) -> Verdict {
        match self.replies.recv_timeout(limit * 2) {
            Ok((_, took, _)) if took > limit => Verdict::Slow(took),
            Ok((OK_COMPILED, _, _)) => Verdict::Fine(true),
            Ok((OK_ERROR, _, _)) => Verdict::Fine(false),
            Ok((BROKEN, _, m)) => Verdict::Broken(m.unwrap_or_default()),
            Ok((_, _, m)) => Verdict::Panicked(m.unwrap_or_default()),
            Err(RecvTimeoutError::Timeout) => {
                let _ = self.child.kill();
                let _ = self.child.wait();
                Verdict::Hung
            }
            Err(RecvTimeoutError::Disconnected) => {
                let status = self
                    .child
                    .wait()
                    .map_or("unknown".to_string(), |s| s.to_string());
                // Let the stderr reader catch up with what the dying process wrote.
                std::thread::sleep(Duration::from_millis(50));
                let tail = String::from_utf8_lossy(&self.stderr_tail.lock().unwrap()).into_owned();
                Verdict::Died(format!(
                    "the worker ended ({status}); its stderr ended with:\n{tail}"
                ))
            }
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
