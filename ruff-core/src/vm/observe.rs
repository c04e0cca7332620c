//! What the VM reports about itself for profiling (issue 11): JIT events to an
//! `EventSink` and samples of the Ruff call stack for the sampling profiler (`sampler`).
//!
//! Both are off unless a tool asks (`Engine::set_event_sink`, `Engine::set_profile`). The
//! hot paths only test `sampler::pending()` (see `sampler` for where and the method's bias);
//! everything here is out of line and cold.
//!
//! The stack of a sample: the interpreter's frames (`Vm::frames`, each with its saved pc)
//! merged with the compiled frames the VM entered (`Observer::jit`, pushed by
//! `call_compiled` and `try_osr` only while profiling). A compiled frame that called the VM
//! through a helper is also in `frames` as the shadow frame `exec_call` pushes (not counted,
//! already traced): it is labelled compiled, with its line. Compiled frames reached by direct
//! compiled-to-compiled calls are not known to the VM; where they must lie (a compiled frame
//! whose stack slot is not the one the VM entered) one `[direct calls]` frame stands for them.

use std::fmt::Write as _;

use super::Vm;
use crate::bytecode::FuncProto;
use crate::events::{Event, EventSink};
use crate::sampler::{self, Profile, Tier};
use crate::value::Value;

/// A compiled frame the VM entered.
#[derive(Clone, Copy, Debug)]
pub(crate) struct JitFrame {
    pub proto: *const FuncProto,
    /// Stack index of its `R[0]`.
    pub base: usize,
    /// `frames.len()` when it was entered: it sits above `frames[..below]`.
    pub below: usize,
    /// Entered by OSR: it is `frames[below]` running compiled.
    pub osr: bool,
}

/// The VM's profiling state.
#[derive(Default)]
pub(crate) struct Observer {
    pub events: Option<Box<dyn EventSink>>,
    pub profile: Option<Box<Profile>>,
    pub jit: Vec<JitFrame>,
}

/// Where a sample is taken, besides the frames.
pub(crate) enum Top<'a> {
    /// In the interpreter, or just back from compiled code the VM entered.
    Frames(Tier),
    /// A runtime helper called by the compiled frame at `regs`, at its instruction `pc`.
    Helper { regs: *mut Value, pc: u32 },
    /// The compiled frame at `regs` running `proto`, at its loop back-edge `pc` (code made
    /// while profiling takes the ticks there, `JitCtx::sample_weight`).
    Compiled {
        regs: *mut Value,
        proto: *const FuncProto,
        pc: u32,
    },
    /// The JIT compiling this function.
    Compiling(&'a str),
}

/// One frame of a sample's stack.
struct Label {
    proto: *const FuncProto,
    pc: Option<usize>,
    jit: bool,
    direct: bool,
}

fn line_of(proto: &FuncProto, pc: usize) -> Option<u32> {
    proto.spans.get(pc).map(|s| s.line)
}

impl Vm {
    /// Whether the VM keeps a record of the compiled frames it enters (profiling).
    #[inline(always)]
    pub(crate) fn tracks_jit_frames(&self) -> bool {
        self.observe.profile.is_some()
    }

    /// Sends `event` to the sink, if there is one.
    #[cold]
    pub(crate) fn emit(&mut self, event: Event<'_>) {
        if let Some(sink) = self.observe.events.as_mut() {
            sink.event(sampler::since_epoch_ns(), &event);
        }
    }

    /// The interpreter's sample hook (its frame's pc saved first).
    #[cold]
    #[inline(never)]
    pub(crate) fn sample_interp(&mut self) {
        self.sample(Top::Frames(Tier::Interp));
    }

    /// A helper's sample hook: the compiled frame at `regs` is at its instruction `pc`.
    #[cold]
    #[inline(never)]
    pub(crate) fn sample_helper(&mut self, regs: *mut Value, pc: u32) {
        self.sample(Top::Helper { regs, pc });
    }

    /// Records the ticks compiled code took at a back-edge (`JitCtx::sample_weight`) with
    /// the VM's stack as it is now, which is the stack they were taken on as long as this
    /// runs before the VM's frames change (every transition calls it first).
    #[cold]
    #[inline(never)]
    pub(crate) fn drain_compiled_samples(&mut self) {
        let weight = std::mem::take(&mut self.ctx.sample_weight);
        let top = Top::Compiled {
            regs: self.ctx.sample_regs,
            proto: self.ctx.sample_proto,
            pc: self.ctx.sample_pc,
        };
        self.record(top, weight);
    }

    /// Takes the pending ticks as one sample of the current stack (after the samples
    /// compiled code took, which came first).
    #[cold]
    #[inline(never)]
    pub(crate) fn sample(&mut self, top: Top<'_>) {
        if self.ctx.sample_weight != 0 {
            self.drain_compiled_samples();
        }
        let weight = sampler::take();
        self.record(top, weight);
    }

    /// Records `weight` samples of the stack with `top`.
    fn record(&mut self, top: Top<'_>, weight: u32) {
        let Some(mut profile) = self.observe.profile.take() else {
            return;
        };
        if weight > 0 {
            let tier = self.write_stack(profile.scratch(), &top);
            profile.commit(tier, weight);
        }
        self.observe.profile = Some(profile);
    }

    /// Writes the folded stack of the current state into `out`; returns the top's tier.
    fn write_stack(&mut self, out: &mut String, top: &Top<'_>) -> Tier {
        let mut labels: Vec<Label> = Vec::with_capacity(self.frames.len() + 4);
        // Stack index of the compiled frame the last label stands for, if it is compiled.
        let mut last_jit: Option<usize> = None;
        let jit = &self.observe.jit;
        let mut j = 0;
        let push_jit = |labels: &mut Vec<Label>, last: &mut Option<usize>, e: &JitFrame| {
            labels.push(Label {
                proto: e.proto,
                pc: None,
                jit: true,
                direct: false,
            });
            *last = Some(e.base);
        };
        for (i, f) in self.frames.iter().enumerate() {
            let mut replaced = false;
            while j < jit.len() && jit[j].below <= i {
                let e = jit[j];
                j += 1;
                if e.osr && e.below == i {
                    replaced = true;
                    labels.push(Label {
                        proto: e.proto,
                        pc: Some(f.pc.saturating_sub(1)),
                        jit: true,
                        direct: false,
                    });
                    last_jit = Some(e.base);
                } else {
                    push_jit(&mut labels, &mut last_jit, &e);
                }
            }
            if replaced {
                continue;
            }
            // The shadow frame of a compiled frame inside a helper call (`exec_call`).
            let shadow = f.traced && !f.counted;
            let pc = Some(f.pc.saturating_sub(1));
            if shadow {
                match last_jit {
                    Some(b) if b == f.base => {
                        labels.pop();
                    }
                    Some(_) => labels.push(Label {
                        proto: f.proto,
                        pc: None,
                        jit: true,
                        direct: true,
                    }),
                    None => {}
                }
                last_jit = Some(f.base);
            } else {
                last_jit = None;
            }
            labels.push(Label {
                proto: f.proto,
                pc,
                jit: shadow,
                direct: false,
            });
        }
        for e in &jit[j..] {
            push_jit(&mut labels, &mut last_jit, e);
        }
        let tier = match top {
            Top::Frames(t) => *t,
            Top::Helper { regs, pc } | Top::Compiled { regs, pc, .. } => {
                let proto: *const FuncProto = match top {
                    Top::Compiled { proto, .. } => *proto,
                    // SAFETY: helpers pass `R[0]` of a live compiled frame, whose `R[-1]`
                    // holds its closure (the frame invariant).
                    _ => match unsafe { &*regs.sub(1) } {
                        Value::Func(c) => &*c.proto,
                        _ => std::ptr::null(),
                    },
                };
                let slot = self.slot_of(*regs);
                if !proto.is_null() {
                    let here = Label {
                        proto,
                        pc: Some(*pc as usize),
                        jit: true,
                        direct: false,
                    };
                    match last_jit {
                        Some(b) if b == slot => {
                            labels.pop();
                        }
                        Some(_) => labels.push(Label {
                            proto,
                            pc: None,
                            jit: true,
                            direct: true,
                        }),
                        None => {}
                    }
                    labels.push(here);
                }
                if matches!(top, Top::Helper { .. }) {
                    Tier::Helper
                } else {
                    Tier::Jit
                }
            }
            Top::Compiling(_) => Tier::Compiling,
        };
        for (k, l) in labels.iter().enumerate() {
            if k > 0 {
                out.push(';');
            }
            if l.direct {
                out.push_str("[direct calls]");
                continue;
            }
            // SAFETY: every prototype named by a frame or a compiled entry is kept alive by
            // its frame's closure for as long as the frame is live, which it is now.
            let proto = unsafe { &*l.proto };
            out.push_str(&proto.trace_name);
            let line = match l.pc {
                Some(pc) if pc == crate::abi::helpers::NO_LINE as usize => None,
                Some(pc) => line_of(proto, pc).or_else(|| line_of(proto, 0)),
                None => line_of(proto, 0),
            };
            if let Some(line) = line {
                let _ = write!(out, ":{line}");
            }
            if l.jit {
                out.push_str(" [jit]");
            }
        }
        let sep = if out.is_empty() { "" } else { ";" };
        match top {
            Top::Helper { .. } => {
                let _ = write!(out, "{sep}[helper]");
            }
            Top::Compiling(name) => {
                let _ = write!(out, "{sep}[compile {name}]");
            }
            Top::Frames(_) | Top::Compiled { .. } => {}
        }
        tier
    }
}
