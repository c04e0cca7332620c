//! Tiering: when to ask the compile tier for code, the compiled-code cache, entering compiled
//! code (on calls and by OSR at a hot `LoopBack`), and deoptimization bookkeeping.
//!
//! Policy:
//! - A function compiles once its call count reaches `threshold`; a loop's function compiles
//!   (for OSR) when that `LoopBack` has been taken `osr_threshold` times.
//! - One compile attempt per prototype and speculation set: a failed compile marks the
//!   prototype failed for good (`compile_failures`), it is never retried. A function larger
//!   than `max-compile-instructions` or `max-compile-registers` is such a failure without
//!   asking the tier, and so is a panic in the tier (caught here, `panic_guard`).
//! - A function is recompiled at most `max-recompiles` times (after deopts, traps included);
//!   the last recompile is made without speculation, so its code never deopts or traps and
//!   is final. Compile work per function is thus bounded: no compile storm however many
//!   loops a function has or however its types change.
//! - A trap (compiled code reaching an instruction that had never run when it was compiled)
//!   counts as a deopt, but is no failed speculation. The code stays installed until
//!   `max_deopts`, so one recompile collects the feedback of every cold path that ran
//!   meanwhile in the interpreter, rather than one recompile per cold branch, and a path
//!   taken rarely costs a few interpreted calls instead of a compile (docs/DESIGN.md,
//!   "Traps"). One exception: a loop that gets hot again (OSR) after its function's code
//!   trapped recompiles before entering, since the interpreter has just fed the loop and the
//!   old code would likely trap again on the same path.
//! - After `max_deopts` deopts of one function's code, the code is dropped from the cache and
//!   the function is recompiled on its next call with `no_speculation_at` = every pc where
//!   a guard failed. The set only grows, so this ends; a guard failure at a pc already in
//!   the set (with no trap to learn from) leaves the function interpreted for good, never
//!   in a deopt loop.

use super::calls::Invoked;
use super::interp::OsrExit;
use super::observe::{JitFrame, Top};
use super::{Frame, Raised, Vm};
use crate::abi::{DeoptReason, Globals, JitEntry, Status, NO_REASON};
use crate::bytecode::FuncProto;
use crate::events::Event;
use crate::sampler::{self, Tier};
use crate::tier::{CodeKind, CompileReason, CompileRequest};
use crate::value::Value;

/// The tiering policy: the one place that decides whether the running program profiles,
/// whether it compiles, and when. Resolved once from the config and the tier when the VM is
/// made (`Vm::new`); every check on a hot path reads these fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Policy {
    /// The interpreter records feedback and counts calls and back-edges (every preset but
    /// `interp`).
    pub profiles: bool,
    /// Hot code is handed to the tier: the preset compiles and the engine has a tier.
    pub compiles: bool,
    /// Calls that make a function hot.
    threshold: u32,
    /// The back-edge count at which a `LoopBack` tries OSR (never, without compiling).
    pub osr_at: u64,
    /// The code compiles make while a function may speculate.
    code: CodeKind,
}

impl Policy {
    pub(crate) fn resolve(config: &crate::Config, has_tier: bool) -> Policy {
        let code = config.preset.code();
        let compiles = has_tier && code.is_some();
        Policy {
            code: code.unwrap_or(CodeKind::Baseline),
            profiles: config.preset.profiles(),
            compiles,
            threshold: config.threshold,
            osr_at: if compiles {
                config.osr_threshold as u64
            } else {
                u64::MAX
            },
        }
    }

    /// The code to make for a function that has been recompiled `recompiles` times: the
    /// preset's, until the last recompile `max-recompiles` allows, which is baseline code
    /// (no guards, no traps: it never deoptimizes, so it is final).
    fn code_for(&self, recompiles: u32, max_recompiles: u32) -> CodeKind {
        if recompiles < max_recompiles {
            self.code
        } else {
            CodeKind::Baseline
        }
    }

    /// Whether a call that brings a function's call count to `calls` compiles it
    /// (`recompile`: its code was dropped to be made again, which the next call does).
    #[inline(always)]
    pub(crate) fn call_compiles(&self, calls: u32, recompile: bool) -> bool {
        self.compiles && (recompile || calls >= self.threshold)
    }
}

/// Why `proto` is too large to compile under `config`'s size limits, if it is.
fn too_large(proto: &FuncProto, config: &crate::Config) -> Option<String> {
    let (instructions, registers) = (proto.code.len(), proto.num_regs as usize);
    if instructions > config.max_compile_instructions as usize {
        return Some(format!(
            "too large: {instructions} instructions (max-compile-instructions={})",
            config.max_compile_instructions
        ));
    }
    if registers > config.max_compile_registers as usize {
        return Some(format!(
            "too large: {registers} registers (max-compile-registers={})",
            config.max_compile_registers
        ));
    }
    None
}

/// Per-prototype compile state.
#[derive(Default)]
pub(crate) struct TierState {
    /// Compiled code, if any (the fast check on every call).
    pub entry: Option<JitEntry>,
    /// The pcs `entry` may be entered at.
    pub entry_pcs: Vec<u32>,
    /// A compile with the current speculation set failed, or speculation ran out.
    pub failed: bool,
    /// Set when the code was dropped after too many deopts: compile again on the next call.
    pub recompile: bool,
    /// Deopts since the code was installed.
    pub deopts: u32,
    /// Pcs where speculation is forbidden.
    pub no_spec: Vec<u32>,
    /// Recompiles so far (`max-recompiles` bounds them).
    pub recompiles: u32,
    /// Traps among `deopts`.
    pub traps: u32,
    /// The code is leaving at a trap: the deopt being taken is one (set by `note_trap`,
    /// taken by `record_deopt`).
    pub trapped: bool,
}

impl Vm {
    /// Counts a call of `p` and returns its compiled code, compiling it when it became hot.
    #[inline(always)]
    pub(crate) fn compiled_entry_for_call(&mut self, p: &FuncProto) -> Option<JitEntry> {
        let id = p.id as usize;
        if let Some(e) = self.tiers[id].entry {
            return Some(e);
        }
        let prof = &mut self.profiles[id];
        prof.calls = prof.calls.saturating_add(1);
        let t = &self.tiers[id];
        if !t.failed && self.policy.call_compiles(prof.calls, t.recompile) {
            self.compile(p, CompileReason::Call);
            return self.tiers[id].entry;
        }
        None
    }

    /// Asks the tier to compile `p`; records the result in the cache and the stats.
    #[cold]
    pub(crate) fn compile(&mut self, p: &FuncProto, reason: CompileReason) {
        let id = p.id as usize;
        // Ticks from before the compile belong to whatever ran before it.
        if sampler::pending() {
            self.sample(Top::Frames(Tier::Interp));
        }
        let Some(tier) = self.tier.as_mut() else {
            return;
        };
        let proto = self.program.protos[id].clone();
        let recompiling = self.tiers[id].recompile;
        self.tiers[id].recompile = false;
        if recompiling {
            self.tiers[id].recompiles += 1;
        }
        let kind = self
            .policy
            .code_for(self.tiers[id].recompiles, self.config.max_recompiles);
        let started = std::time::Instant::now();
        let result = match too_large(&proto, &self.config) {
            Some(why) => Err(why),
            None => {
                let req = CompileRequest {
                    program: &self.program,
                    proto: &proto,
                    profile: &self.profiles[id],
                    kind,
                    no_speculation_at: &self.tiers[id].no_spec,
                    reason,
                    globals: Some(Globals::new(&self.globals)),
                };
                // A panic in the tier is a compiler bug: the function stays interpreted.
                crate::panic_guard::catch(|| tier.compile(&req))
                    .unwrap_or_else(|panic| Err(format!("the compiler panicked: {panic}")))
            }
        };
        if sampler::pending() {
            self.sample(Top::Compiling(&proto.trace_name));
        }
        let line = proto.spans.first().map_or(0, |s| s.line);
        match result {
            Ok(code) => {
                let ns = if code.compile_ns > 0 {
                    code.compile_ns
                } else {
                    started.elapsed().as_nanos() as u64
                };
                let s = &mut self.stats;
                s.compile_ns += ns;
                s.machine_code_bytes += code.code_bytes as u64;
                s.guards_emitted += code.guards_emitted as u64;
                s.bytecode_instructions_compiled += proto.code.len() as u64;
                match reason {
                    CompileReason::Call => s.functions_compiled += 1,
                    CompileReason::Osr { .. } => s.loops_compiled += 1,
                }
                if recompiling {
                    s.recompilations += 1;
                }
                if self.trace_jit {
                    eprintln!(
                        "[jit] compiled {} ({reason:?}, {}): {} instructions -> {} bytes, \
                         {} guards, entries {:?}, no speculation at {:?}, {} us",
                        proto.trace_name,
                        kind.name(),
                        proto.code.len(),
                        code.code_bytes,
                        code.guards_emitted,
                        code.entry_pcs,
                        self.tiers[id].no_spec,
                        ns / 1000
                    );
                }
                if self.observe.events.is_some() {
                    self.emit(Event::Compile {
                        function: &proto.trace_name,
                        line,
                        reason: match reason {
                            CompileReason::Call => "call",
                            CompileReason::Osr { .. } => "osr",
                        },
                        kind: kind.name(),
                        instructions: proto.code.len(),
                        code_bytes: code.code_bytes,
                        compile_ns: ns,
                        recompile: recompiling,
                    });
                }
                let t = &mut self.tiers[id];
                t.entry = Some(code.entry);
                t.entry_pcs = code.entry_pcs;
                t.deopts = 0;
                t.traps = 0;
            }
            Err(why) => {
                if self.observe.events.is_some() {
                    self.emit(Event::CompileFailed {
                        function: &proto.trace_name,
                        line,
                        why: &why,
                    });
                }
                self.stats.compile_failures += 1;
                self.tiers[id].failed = true;
                if self.trace_jit {
                    eprintln!("[jit] cannot compile {}: {why}", proto.trace_name);
                }
            }
        }
    }

    /// Runs compiled code for a call whose arguments are in place after `callee`.
    pub(crate) fn call_compiled(
        &mut self,
        callee: usize,
        p: &FuncProto,
        entry: JitEntry,
    ) -> Result<Invoked, Raised> {
        self.ctx.depth += 1;
        self.stats.compiled_calls += 1;
        let stack = self.stack_ptr();
        let ctx = &mut self.ctx as *mut crate::abi::JitCtx;
        let tracked = self.tracks_jit_frames();
        if tracked {
            self.enter_jit_frame(p, callee + 1, false);
        }
        // SAFETY: `callee + 1` starts a frame window that fits the stack (checked by the
        // caller); `ctx` is this VM's context, which lives as long as the VM; compiled code
        // follows the calling convention of `tier.rs`.
        let status = unsafe { entry(ctx, stack.add(callee + 1), 0) };
        if tracked {
            self.leave_jit_frame();
        }
        match Status::from_code(status) {
            Status::Return => {
                self.ctx.depth -= 1;
                let v = std::mem::take(&mut self.ctx.ret);
                // SAFETY: `callee` is a register of the calling frame.
                unsafe { *stack.add(callee) = v };
                Ok(Invoked::Done)
            }
            Status::Deopt => {
                // The frame was written back: go on interpreting it. Its depth stays counted
                // and is released when it returns.
                let resume = self.ctx.resume_pc;
                self.record_deopt(p.id, resume);
                self.frames.push(Frame {
                    base: callee + 1,
                    pc: resume as usize,
                    proto: p,
                    counted: true,
                    traced: false,
                });
                Ok(Invoked::Pushed)
            }
            Status::Error => {
                self.ctx.depth -= 1;
                Err(Raised)
            }
        }
    }

    /// The `LoopBack` at the top frame's `pc - 1` passed `osr_threshold`: compile the
    /// function if needed and enter its code at the loop header `target`.
    ///
    /// # Safety
    /// `regs` is the top frame, running `proto`, with its pc saved.
    #[cold]
    pub(crate) unsafe fn try_osr(
        &mut self,
        regs: *mut Value,
        proto: &FuncProto,
        target: u32,
    ) -> OsrExit {
        let id = proto.id as usize;
        if !self.policy.compiles {
            return OsrExit::NotEntered;
        }
        if self.tiers[id].entry.is_some() && self.tiers[id].traps > 0 {
            // The loop ran hot in the interpreter after the code trapped (module docs).
            self.drop_code(id);
        }
        if self.tiers[id].entry.is_none() && !self.tiers[id].failed {
            self.compile(proto, CompileReason::Osr { header_pc: target });
        }
        let Some(entry) = self.tiers[id].entry else {
            return OsrExit::NotEntered;
        };
        if !self.tiers[id].entry_pcs.contains(&target) {
            return OsrExit::NotEntered;
        }
        self.stats.osr_entries += 1;
        if self.observe.events.is_some() {
            self.emit(Event::OsrEntry {
                function: &proto.trace_name,
                pc: target,
                line: proto.spans.get(target as usize).map_or(0, |s| s.line),
            });
        }
        let ctx = &mut self.ctx as *mut crate::abi::JitCtx;
        let tracked = self.tracks_jit_frames();
        if tracked {
            let base = self.slot_of(regs);
            self.enter_jit_frame(proto, base, true);
        }
        // SAFETY: `regs` is the live top frame and `target` one of the code's entry pcs.
        let status = unsafe { entry(ctx, regs, target) };
        if tracked {
            self.leave_jit_frame();
        }
        match Status::from_code(status) {
            Status::Return => OsrExit::Returned(std::mem::take(&mut self.ctx.ret)),
            Status::Deopt => {
                let resume = self.ctx.resume_pc;
                self.record_deopt(proto.id, resume);
                OsrExit::Resume(resume as usize)
            }
            Status::Error => OsrExit::Failed,
        }
    }

    /// Deopt bookkeeping (see the module docs).
    pub(crate) fn record_deopt(&mut self, proto_id: u32, pc: u32) {
        let id = proto_id as usize;
        self.stats.deopts += 1;
        self.stats.guard_failures += 1;
        let trap = self
            .tiers
            .get_mut(id)
            .is_some_and(|t| std::mem::take(&mut t.trapped));
        let mut at_pc = 0;
        if let Some(prof) = self.profiles.get_mut(id) {
            let counts = if trap {
                // The function's loops may get hot again and recompile (`try_osr`).
                prof.reset_backedges();
                &mut prof.traps_at
            } else {
                &mut prof.deopts_at
            };
            if let Some(c) = counts.get_mut(pc as usize) {
                *c += 1;
                at_pc = *c;
            }
        }
        if self.observe.events.is_some() {
            self.deopt_event(id, pc, at_pc);
        }
        let max = self.config.max_deopts;
        let Some(t) = self.tiers.get_mut(id) else {
            return;
        };
        t.deopts += 1;
        t.traps += u32::from(trap);
        if t.deopts < max || t.entry.is_none() {
            return;
        }
        self.drop_code(id);
    }

    /// Drops the code of prototype `id` after `max_deopts` deopts, or at a hot loop after a
    /// trap, to recompile it without speculation where a guard failed and with the feedback
    /// that trapped paths recorded since.
    fn drop_code(&mut self, id: usize) {
        let t = &mut self.tiers[id];
        let deopts = t.deopts;
        t.entry = None;
        t.entry_pcs.clear();
        let before = t.no_spec.len();
        if let Some(prof) = self.profiles.get_mut(id) {
            for (at, n) in prof.deopts_at.iter().enumerate() {
                if *n > 0 && !t.no_spec.contains(&(at as u32)) {
                    t.no_spec.push(at as u32);
                }
            }
            // Loops of the function may be entered by OSR again once it is recompiled.
            prof.reset_backedges();
        }
        if t.no_spec.len() == before && t.traps == 0 {
            // Nothing new to stop speculating on or to learn: stay interpreted rather than
            // loop.
            t.failed = true;
        } else {
            t.recompile = true;
        }
        if self.observe.events.is_some() {
            let proto = self.program.protos[id].clone();
            let t = &self.tiers[id];
            let (no_spec, gave_up) = (t.no_spec.clone(), t.failed);
            self.emit(Event::Recompile {
                function: &proto.trace_name,
                line: proto.spans.first().map_or(0, |s| s.line),
                deopts,
                no_speculation_at: &no_spec,
                gave_up,
            });
        }
        if self.trace_jit {
            eprintln!("[jit] function #{id} deoptimized {deopts} times; recompiling");
        }
    }
}

impl Vm {
    /// Notes a compiled frame the VM enters (profiling only: see `observe`).
    #[cold]
    fn enter_jit_frame(&mut self, proto: &FuncProto, base: usize, osr: bool) {
        if self.ctx.sample_weight != 0 {
            self.drain_compiled_samples();
        }
        let below = if osr {
            self.frames.len().saturating_sub(1)
        } else {
            self.frames.len()
        };
        self.observe.jit.push(JitFrame {
            proto,
            base,
            below,
            osr,
        });
    }

    /// The compiled frame the VM entered last returned: ticks taken while it ran are its
    /// samples (compiled code has no check of its own).
    #[cold]
    fn leave_jit_frame(&mut self) {
        if sampler::pending() || self.ctx.sample_weight != 0 {
            self.sample(Top::Frames(Tier::Jit));
        }
        self.observe.jit.pop();
    }

    /// The `deopt` event of a deopt of prototype `id` resuming at `pc` (the `count`-th there).
    #[cold]
    fn deopt_event(&mut self, id: usize, pc: u32, count: u32) {
        let reason =
            DeoptReason::from_code(std::mem::replace(&mut self.ctx.deopt_reason, NO_REASON));
        let proto = self.program.protos[id].clone();
        let span = proto.spans.get(pc as usize).copied().unwrap_or_default();
        self.emit(Event::Deopt {
            function: &proto.trace_name,
            pc,
            line: span.line,
            col: span.col,
            reason,
            count,
        });
    }
}
