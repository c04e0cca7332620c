//! The register interpreter: the `Vm` owns the value stack, the frames, the globals, the
//! output buffer, the profiles and the compiled-code cache.
//!
//! Invariants the rest of the VM (and compiled code) relies on:
//! - The value stack is allocated once with a fixed capacity and never moves, so raw pointers
//!   into it (`regs`) stay valid for the whole run. Running out is `stack overflow`.
//! - A frame is the window `base..base+num_regs`; `stack[base-1]` (`R[-1]`) holds the running
//!   closure. `<main>`'s closure sits in slot 0, so main's frame starts at slot 1.
//! - A call's result goes to `R[-1]` of the callee (the caller's callee slot).
//! - `frame.pc` is the next instruction to run; the instruction in progress (the call a
//!   suspended frame waits on, or the one that failed) is `pc - 1`.
//! - `ctx.depth` counts active Ruff calls (main and builtins don't count).

mod calls;
mod errors;
mod exec;
mod glue;
mod interp;
mod iter;
mod jit_support;
mod observe;
pub(crate) mod ops;
mod profiling;
pub(crate) mod regs;
mod tiering;

use std::io::Write;
use std::rc::Rc;

use crate::abi::{JitCtx, STACK_SLOTS};
use crate::builtins;
use crate::bytecode::{FuncProto, Program};
use crate::config::Config;
use crate::error::Error;
use crate::heap::Closure;
use crate::profile::FuncProfile;
use crate::stats::Stats;
use crate::tier::CompileTier;
use crate::value::Value;

pub(crate) use crate::abi::MAX_DEPTH;
pub(crate) use tiering::{Policy, TierState};

/// The output buffer is flushed when it grows past this.
const FLUSH_AT: usize = 64 * 1024;

/// Marker: a runtime error is pending in `Vm::pending` (its trace is being built).
#[derive(Debug)]
pub(crate) struct Raised;

/// One interpreted activation.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame {
    /// Stack index of `R[0]`.
    pub base: usize,
    /// Next instruction to run.
    pub pc: usize,
    /// The running prototype. Kept alive by the closure in `R[-1]`, which the frame never
    /// overwrites.
    pub proto: *const FuncProto,
    /// Whether this frame counts towards `ctx.depth` (every frame but `<main>`'s and frames
    /// resumed for compiled code, whose caller already counted them).
    pub counted: bool,
    /// Whether compiled code entered by OSR already pushed this frame's trace entry.
    pub traced: bool,
}

/// The virtual machine for one loaded program.
pub struct Vm {
    stack: Box<[Value]>,
    /// Slots at or above this index were never written (still the zeroed Null): dropping the
    /// VM releases only the slots below it instead of walking all of the 64 MiB. Never above
    /// the stack's length (each raise is checked against it first), so a frame window ending
    /// at or below it fits the stack: the call path's one comparison.
    pub(crate) high_water: usize,
    pub(crate) frames: Vec<Frame>,
    pub(crate) globals: Vec<Value>,
    pub(crate) program: Rc<Program>,
    pub(crate) out: Vec<u8>,
    writer: Box<dyn Write>,
    pub(crate) ctx: JitCtx,
    pub(crate) config: Config,
    /// When to profile and compile, resolved from `config` and `tier` (`tiering.rs`).
    pub(crate) policy: Policy,
    pub(crate) tier: Option<Box<dyn CompileTier>>,
    pub(crate) profiles: Vec<FuncProfile>,
    pub(crate) tiers: Vec<TierState>,
    pub(crate) stats: Stats,
    pub(crate) pending: Option<Box<Error>>,
    /// `--trace-jit`: tiering decisions go to stderr.
    pub(crate) trace_jit: bool,
    /// Events and samples for the profiling tools (`observe.rs`); empty unless asked for.
    pub(crate) observe: observe::Observer,
}

impl Drop for Vm {
    fn drop(&mut self) {
        let stack = std::mem::take(&mut self.stack);
        let len = stack.len();
        if len == 0 {
            return;
        }
        let raw = Box::into_raw(stack) as *mut Value;
        let used = self.high_water.min(len);
        // SAFETY: `raw` came from `Box<[Value]>` of `len` elements allocated by
        // `zeroed_stack` with `Layout::array::<Value>(len)`. Slots `used..len` were never
        // written, so they are Null and own nothing; the written prefix is dropped normally.
        unsafe {
            std::ptr::drop_in_place(std::ptr::slice_from_raw_parts_mut(raw, used));
            let layout = std::alloc::Layout::array::<Value>(len).expect("stack layout");
            crate::mem::recount(layout.size());
            std::alloc::dealloc(raw as *mut u8, layout);
        }
    }
}

/// Allocates `n` Null values without touching the memory: calloc'd pages are mapped lazily.
/// The stack is a fixed reservation bounded by `stack overflow`, so it is left out of the
/// live bytes `max-memory` limits (`mem::uncount`; `Drop` counts it back before freeing).
fn zeroed_stack(n: usize) -> Box<[Value]> {
    let layout = std::alloc::Layout::array::<Value>(n).expect("stack layout");
    // SAFETY: the layout has non-zero size; an all-zero `Value` is `Value::Null` (tag 0, no
    // payload), so every element is initialised; the pointer comes from the global allocator
    // with the layout of `[Value; n]`, which is what `Box<[Value]>` frees with.
    unsafe {
        let p = std::alloc::alloc_zeroed(layout) as *mut Value;
        if p.is_null() {
            std::alloc::handle_alloc_error(layout);
        }
        crate::mem::uncount(layout.size());
        Box::from_raw(std::ptr::slice_from_raw_parts_mut(p, n))
    }
}

impl Vm {
    /// A VM ready to run `program`. The returned box must not move its contents: `ctx.vm`
    /// points at it.
    pub fn new(
        program: Rc<Program>,
        config: Config,
        tier: Option<Box<dyn CompileTier>>,
        writer: Box<dyn Write>,
    ) -> Box<Vm> {
        let mut globals = vec![Value::Undef; program.global_names.len()];
        for (i, g) in globals.iter_mut().enumerate().take(builtins::NAMES.len()) {
            *g = Value::Builtin(i as u8);
        }
        let n = program.protos.len();
        // The profiling loop indexes `profiles` and `tiers` by prototype id without a bounds
        // check (`Vm::profile_unchecked`): ids must be the prototypes' positions.
        assert!(
            program
                .protos
                .iter()
                .enumerate()
                .all(|(i, p)| p.id as usize == i),
            "prototype ids are their indices"
        );
        let policy = Policy::resolve(&config, tier.is_some());
        let profiles = if policy.profiles {
            program
                .protos
                .iter()
                .map(|p| FuncProfile::new(p.code.len()))
                .collect()
        } else {
            Vec::new()
        };
        let mut vm = Box::new(Vm {
            stack: zeroed_stack(STACK_SLOTS),
            high_water: 0,
            frames: Vec::with_capacity(256),
            globals,
            program,
            out: Vec::with_capacity(FLUSH_AT + 1024),
            writer,
            ctx: JitCtx::detached(),
            config,
            policy,
            tier,
            profiles,
            tiers: (0..n).map(|_| TierState::default()).collect(),
            stats: Stats::default(),
            pending: None,
            trace_jit: false,
            observe: observe::Observer::default(),
        });
        vm.ctx.vm = &mut *vm as *mut Vm;
        vm
    }

    pub fn set_writer(&mut self, writer: Box<dyn Write>) {
        self.writer = writer;
    }

    /// Takes the output writer away (leaving a sink), e.g. to hand it to a new VM.
    pub fn take_writer(&mut self) -> Box<dyn Write> {
        std::mem::replace(&mut self.writer, Box::new(std::io::sink()))
    }

    /// Takes the compile tier away (the VM then only interprets).
    pub fn take_tier(&mut self) -> Option<Box<dyn CompileTier>> {
        self.policy = Policy::resolve(&self.config, false);
        self.tier.take()
    }

    pub fn set_trace_jit(&mut self, on: bool) {
        self.trace_jit = on;
    }

    /// Where JIT events go (`None`: nowhere, the default).
    pub fn set_event_sink(&mut self, sink: Option<Box<dyn crate::events::EventSink>>) {
        self.observe.events = sink;
    }

    /// Takes the event sink away (e.g. to hand it to a new VM).
    pub fn take_event_sink(&mut self) -> Option<Box<dyn crate::events::EventSink>> {
        self.observe.events.take()
    }

    /// Records samples into `profile` (`None`: stop sampling). The timer is the caller's.
    pub fn set_profile(&mut self, profile: Option<Box<crate::sampler::Profile>>) {
        self.observe.profile = profile;
    }

    /// Takes the samples recorded so far away (sampling stops).
    pub fn take_profile(&mut self) -> Option<Box<crate::sampler::Profile>> {
        if self.ctx.sample_weight != 0 {
            self.drain_compiled_samples();
        }
        self.observe.profile.take()
    }

    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Writes buffered program output to the real writer.
    pub fn flush_output(&mut self) {
        if !self.out.is_empty() {
            // Output errors (a closed pipe) are not the program's errors: drop the bytes.
            let _ = self.writer.write_all(&self.out);
            self.out.clear();
        }
        let _ = self.writer.flush();
    }

    #[inline]
    pub(crate) fn maybe_flush(&mut self) {
        if self.out.len() > FLUSH_AT {
            self.flush_output();
        }
    }

    /// Pointer to stack slot 0.
    #[inline]
    pub(crate) fn stack_ptr(&mut self) -> *mut Value {
        self.stack.as_mut_ptr()
    }

    /// Stack index of the slot `regs` points at.
    #[inline]
    pub(crate) fn slot_of(&mut self, regs: *mut Value) -> usize {
        // SAFETY: callers pass pointers into this VM's stack (the calling convention).
        unsafe { regs.offset_from(self.stack.as_ptr()) as usize }
    }

    #[inline]
    pub(crate) fn stack_len(&self) -> usize {
        self.stack.len()
    }

    /// Global slot of `name`, if the program has one.
    pub fn global_slot(&self, name: &str) -> Option<usize> {
        self.program.global_names.iter().position(|g| &**g == name)
    }

    /// The current value of a global (Undef if unbound).
    pub fn global(&self, slot: usize) -> &Value {
        &self.globals[slot]
    }

    /// Runs the top-level code of the program.
    pub fn run_main(&mut self) -> Result<(), Error> {
        let main = self.program.main.clone();
        let closure = Rc::new(Closure {
            proto: main.clone(),
            upvals: Box::new([]),
        });
        self.stack[0] = Value::Func(closure);
        self.frames.clear();
        self.observe.jit.clear();
        self.ctx.depth = 0;
        if 1 + main.num_regs as usize > self.stack.len() {
            return Err(Error::runtime(Default::default(), "stack overflow"));
        }
        self.high_water = self.high_water.max(1 + main.num_regs as usize);
        for slot in &mut self.stack[1..1 + main.num_regs as usize] {
            *slot = Value::Undef;
        }
        self.frames.push(Frame {
            base: 1,
            pc: 0,
            proto: Rc::as_ptr(&main),
            counted: false,
            traced: false,
        });
        let result = self.run_dispatch(0);
        self.finish(result).map(|_| ())
    }

    /// Calls a function value with `args` from outside (the engine's `call_global`).
    pub fn call_value(&mut self, callee: &Value, args: &[Value]) -> Result<Value, Error> {
        self.frames.clear();
        self.observe.jit.clear();
        self.ctx.depth = 0;
        // Call window at slot 1: callee, then the arguments, then one reserved register.
        if 3 + args.len() > self.stack.len() {
            return Err(Error::runtime(Default::default(), "stack overflow"));
        }
        self.high_water = self.high_water.max(3 + args.len());
        self.stack[1] = callee.clone();
        for (i, a) in args.iter().enumerate() {
            self.stack[2 + i] = a.clone();
        }
        let invoked = if self.policy.profiles {
            self.invoke::<true>(1, args.len())
        } else {
            self.invoke::<false>(1, args.len())
        };
        let result = match invoked {
            Ok(calls::Invoked::Done) => Ok(self.stack[1].clone()),
            Ok(calls::Invoked::Pushed) => {
                let entry = self.frames.len() - 1;
                self.run_dispatch(entry)
            }
            Err(Raised) => Err(Raised),
        };
        self.finish(result)
    }

    /// Runs frames from `entry` (an index into `frames`) until that frame returns, with the
    /// loop variant the config asks for.
    pub(crate) fn run_dispatch(&mut self, entry: usize) -> Result<Value, Raised> {
        if self.policy.profiles {
            self.run::<true>(entry)
        } else {
            self.run::<false>(entry)
        }
    }

    fn finish(&mut self, result: Result<Value, Raised>) -> Result<Value, Error> {
        match result {
            Ok(v) => Ok(v),
            Err(Raised) => {
                self.frames.clear();
                self.ctx.depth = 0;
                Err(*self.pending.take().unwrap_or_else(|| {
                    Box::new(Error::runtime(Default::default(), "internal error"))
                }))
            }
        }
    }
}
