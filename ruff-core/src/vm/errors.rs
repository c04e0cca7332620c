//! Runtime errors: creating them at the failing instruction and building the stack trace
//! while frames unwind (innermost first; every frame's line is the line of its instruction
//! in progress, which for the innermost frame is the failing one and for the others the
//! call they wait on).

use super::{Raised, Vm};
use crate::bytecode::FuncProto;
use crate::error::{Error, TraceEntry};

impl Vm {
    /// Sets the pending error `msg` at instruction `pc` of `proto` (no trace yet).
    #[cold]
    pub(crate) fn raise_at(&mut self, proto: &FuncProto, pc: usize, msg: String) -> Raised {
        let span = proto.spans.get(pc).copied().unwrap_or_default();
        self.pending = Some(Box::new(Error::runtime(span, msg)));
        Raised
    }

    /// Sets the pending error `msg` at the instruction in progress of the top frame (or with
    /// no position when no frame runs, as for a call made through the engine API).
    #[cold]
    pub(crate) fn raise(&mut self, msg: String) -> Raised {
        match self.frames.last() {
            Some(f) => {
                // SAFETY: the frame's closure (in `R[-1]`) keeps its prototype alive.
                let proto = unsafe { &*f.proto };
                let pc = f.pc.saturating_sub(1);
                self.raise_at(proto, pc, msg)
            }
            None => {
                self.pending = Some(Box::new(Error::runtime(Default::default(), msg)));
                Raised
            }
        }
    }

    /// Raises `msg` at the top frame's instruction in progress and unwinds to `entry`.
    #[cold]
    pub(crate) fn fail(&mut self, entry: usize, msg: String) -> Raised {
        self.raise(msg);
        self.unwind(entry)
    }

    /// Pops every frame from the top down to index `entry` (inclusive), appending a trace
    /// entry for each and releasing the depth it counted.
    #[cold]
    pub(crate) fn unwind(&mut self, entry: usize) -> Raised {
        while self.frames.len() > entry {
            let f = self.frames.pop().expect("frame");
            if f.counted {
                self.ctx.depth -= 1;
            }
            if !f.traced {
                // SAFETY: as in `raise`.
                let proto = unsafe { &*f.proto };
                self.push_trace_entry(proto, f.pc.saturating_sub(1));
            }
        }
        Raised
    }

    /// Appends the trace line of a frame of `proto` whose instruction in progress is `pc`.
    #[cold]
    pub(crate) fn push_trace_entry(&mut self, proto: &FuncProto, pc: usize) {
        let line = proto.spans.get(pc).map(|s| s.line).unwrap_or_default();
        if let Some(err) = self.pending.as_mut() {
            err.trace.push(TraceEntry {
                name: proto.trace_name.clone(),
                line,
            });
        }
    }
}
