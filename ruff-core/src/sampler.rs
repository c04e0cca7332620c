//! The Ruff-level sampling profiler (`ruff run/bench --profile out.folded`, issue 11): a
//! timer thread counts ticks, the VM takes a sample at its next check and records the Ruff
//! call stack in the folded-stack format flamegraph tools read (`a;b;c count`).
//!
//! Method (and its bias):
//! - A timer thread adds 1 to [`TICKS`] every interval (default 1 ms). Nothing else runs on
//!   the engine thread: no signal, no allocation in the hot path.
//! - The interpreter checks `TICKS != 0` (one load and a predicted branch) at every `Call` and
//!   every loop back-edge; runtime helpers check it on entry and when they return to
//!   compiled code; the VM when it enters or leaves compiled code. Code compiled while
//!   profiling (only then) checks it at every return and takes the ticks into
//!   `JitCtx::sample_weight` with its function, calling nothing; the VM records them with its
//!   stack at its next check. Compiled loops have no check (any code there changes their
//!   register allocation: a nested loop ran 40% slower), so a sample lands at the next
//!   check after its tick: in the right function, late in time for a long compiled loop,
//!   and without a line when compiled code took it at a return (`f [jit]`); an interpreted
//!   call-free straight line's ticks carry the line of the next call or loop.
//! - Each pending tick is one sample (a take swaps the counter to 0 and weights the stack by
//!   the ticks taken), so a long stretch without a check loses no time, it is only late.
//! - Compiled frames the VM entered (calls and OSR entries from the interpreter) are on the
//!   recorded stack; calls compiled code makes directly to compiled callees are invisible to
//!   the VM and appear as one `[direct calls]` frame (their count is known from `ctx.depth`,
//!   their names are not) when a helper of the innermost one takes the sample.
//!
//! Frame labels: `NAME:LINE` for interpreted frames (the line of the instruction in
//! progress), `NAME:LINE [jit]` for compiled frames; the top may carry one more frame naming
//! the tier that was running: `[helper]` (a runtime helper called by compiled code) or
//! `[compile NAME]` (the JIT compiling NAME). A stack without either ends in an interpreted
//! (tier `interp`) or compiled (tier `jit`) frame.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Ticks the timer thread counted that no sample has taken yet. Zero unless a [`Timer`]
/// runs, so the checks on the hot paths never take their branch in a normal run.
pub static TICKS: AtomicU32 = AtomicU32::new(0);

/// The default sampling interval.
pub const DEFAULT_INTERVAL: Duration = Duration::from_millis(1);

/// Whether a tick is waiting for a sample: the hot-path check (a relaxed load).
#[inline(always)]
pub fn pending() -> bool {
    TICKS.load(Ordering::Relaxed) != 0
}

/// Takes every pending tick (the weight of the sample about to be recorded).
#[inline]
pub fn take() -> u32 {
    TICKS.swap(0, Ordering::Relaxed)
}

/// The process's time origin for samples and events, so the profile's timeline and the
/// event log (`events`) share one clock.
pub fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// Nanoseconds since [`epoch`].
pub fn since_epoch_ns() -> u64 {
    epoch().elapsed().as_nanos() as u64
}

/// The timer thread; dropping it stops the thread at once (and clears pending ticks).
pub struct Timer {
    /// Set to stop; the condition variable wakes the thread from its wait.
    stop: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

impl Timer {
    /// Starts counting ticks every `interval` (at least 10 us: a shorter sleep is mostly
    /// the kernel's timer slack).
    pub fn start(interval: Duration) -> std::io::Result<Timer> {
        let interval = interval.max(Duration::from_micros(10));
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let flag = stop.clone();
        epoch();
        let thread = std::thread::Builder::new()
            .name("ruff-sampler".into())
            .spawn(move || {
                let (lock, wake) = &*flag;
                let mut stopped = lock.lock().unwrap_or_else(|e| e.into_inner());
                // Waits out each interval (spurious wake-ups wait again for the rest of it)
                // unless told to stop.
                while !*stopped {
                    let (guard, waited) = wake
                        .wait_timeout_while(stopped, interval, |s| !*s)
                        .unwrap_or_else(|e| e.into_inner());
                    stopped = guard;
                    if waited.timed_out() {
                        TICKS.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })?;
        Ok(Timer {
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        let (lock, wake) = &*self.stop;
        *lock.lock().unwrap_or_else(|e| e.into_inner()) = true;
        wake.notify_all();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        TICKS.store(0, Ordering::Relaxed);
    }
}

/// What was running when a sample was taken (the top frame's tier).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tier {
    Interp,
    Jit,
    Helper,
    Compiling,
}

impl Tier {
    pub const ALL: [Tier; 4] = [Tier::Interp, Tier::Jit, Tier::Helper, Tier::Compiling];

    pub fn name(self) -> &'static str {
        match self {
            Tier::Interp => "interp",
            Tier::Jit => "jit",
            Tier::Helper => "helper",
            Tier::Compiling => "compiling",
        }
    }
}

/// The tier a folded stack line's top frame ran in (from the label conventions in the
/// module docs).
pub fn tier_of_stack(stack: &str) -> Tier {
    let top = stack.rsplit(';').next().unwrap_or(stack);
    if top == "[helper]" {
        Tier::Helper
    } else if top.starts_with("[compile") {
        Tier::Compiling
    } else if top.ends_with(" [jit]") || top == "[direct calls]" {
        Tier::Jit
    } else {
        Tier::Interp
    }
}

/// The samples of one run: folded stacks with their counts, and a timeline of (time, tier,
/// weight) for the tier-over-time plot.
#[derive(Debug, Default)]
pub struct Profile {
    stacks: HashMap<String, u64>,
    timeline: Vec<(u64, Tier, u32)>,
    /// Scratch for building a stack without allocating per sample once it is large enough.
    scratch: String,
}

impl Profile {
    pub fn new() -> Profile {
        Profile::default()
    }

    /// The buffer a sample's stack is built in (cleared).
    pub(crate) fn scratch(&mut self) -> &mut String {
        self.scratch.clear();
        &mut self.scratch
    }

    /// Records the stack in the scratch buffer with `weight` samples.
    pub(crate) fn commit(&mut self, tier: Tier, weight: u32) {
        let now = since_epoch_ns();
        match self.stacks.get_mut(self.scratch.as_str()) {
            Some(n) => *n += weight as u64,
            None => {
                self.stacks.insert(self.scratch.clone(), weight as u64);
            }
        }
        self.timeline.push((now, tier, weight));
    }

    /// Samples recorded.
    pub fn total(&self) -> u64 {
        self.stacks.values().sum()
    }

    /// The folded stacks, one `frame;frame;... count` line each, sorted by stack.
    pub fn folded(&self) -> String {
        let mut lines: Vec<_> = self.stacks.iter().collect();
        lines.sort();
        let mut out = String::new();
        for (stack, n) in lines {
            out.push_str(stack);
            out.push(' ');
            out.push_str(&n.to_string());
            out.push('\n');
        }
        out
    }

    /// The timeline as CSV: `t_ms,tier,samples` (time since the process started).
    pub fn timeline_csv(&self) -> String {
        let mut out = String::from("t_ms,tier,samples\n");
        for (ns, tier, w) in &self.timeline {
            out.push_str(&format!("{:.3},{},{w}\n", *ns as f64 / 1e6, tier.name()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timer_ticks_and_stops_at_once() {
        let started = Instant::now();
        let timer = Timer::start(Duration::from_millis(1)).unwrap();
        // Another test's VM may take a tick (the counter is global): watch for one.
        let seen = (0..2000).any(|_| {
            std::thread::sleep(Duration::from_micros(500));
            pending()
        });
        assert!(seen, "ticks were counted");
        drop(timer);
        let slow = Timer::start(Duration::from_secs(100)).unwrap();
        drop(slow);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "stopping does not wait"
        );
        assert!(!pending());
    }

    #[test]
    fn tiers_follow_the_label_conventions() {
        assert_eq!(tier_of_stack("<main>:3;f:7"), Tier::Interp);
        assert_eq!(tier_of_stack("<main>:3;f:7 [jit]"), Tier::Jit);
        assert_eq!(tier_of_stack("<main>:3;f:7 [jit];[helper]"), Tier::Helper);
        assert_eq!(tier_of_stack("<main>:3;[compile f]"), Tier::Compiling);
    }

    #[test]
    fn folded_lines_sum_the_weights() {
        let mut p = Profile::new();
        p.scratch().push_str("a:1;b:2");
        p.commit(Tier::Interp, 2);
        p.scratch().push_str("a:1;b:2");
        p.commit(Tier::Interp, 3);
        p.scratch().push_str("a:1");
        p.commit(Tier::Jit, 1);
        assert_eq!(p.folded(), "a:1 1\na:1;b:2 5\n");
        assert_eq!(p.total(), 6);
        assert_eq!(p.timeline_csv().lines().count(), 4);
    }
}
