#![allow(dead_code)] // each test binary uses part of this shared module
//! Mock compile tiers for VM tests: they exercise the tiering machinery (compile on the
//! threshold, OSR entry, compiled calls, deopt and recompilation, errors unwinding through
//! compiled frames) without a real JIT, using only the `abi` a real tier uses; and
//! [`Captured`], the program output the VM tests read back.

use std::cell::RefCell;
use std::rc::Rc;

use ruff_core::abi::bytecode::Instr;
use ruff_core::abi::helpers::resume_in_interpreter;
use ruff_core::abi::{CompileReason, CompileRequest, CompileTier, CompiledCode, JitCtx, Status};
use ruff_core::{Config, Value};

/// Config strings that select a mock tier (the knob values are the marker).
pub const RESUMING: &str = "jit-spec:threshold=1:osr-threshold=3";
pub const DEOPTING: &str = "jit-spec:threshold=2:osr-threshold=4:max-deopts=2";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MockKind {
    /// Code that runs its frame to the end in the interpreter.
    Resuming,
    /// Code that deoptimizes at its entry pc.
    Deopting,
}

pub fn mock_kind(config: &Config) -> Option<MockKind> {
    if *config == Config::parse(RESUMING).unwrap() {
        Some(MockKind::Resuming)
    } else if *config == Config::parse(DEOPTING).unwrap() {
        Some(MockKind::Deopting)
    } else {
        None
    }
}

/// A writer the test can read back after the engine has written to it.
#[derive(Clone, Default)]
pub struct Captured(pub Rc<RefCell<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// One compile request as the tier saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub proto: u32,
    pub reason: CompileReason,
    pub no_speculation_at: Vec<u32>,
}

pub struct MockTier {
    kind: MockKind,
    pub log: Rc<RefCell<Vec<Request>>>,
    /// Prototype ids whose compile fails.
    pub refuse: Vec<u32>,
}

impl MockTier {
    pub fn new(kind: MockKind) -> MockTier {
        MockTier {
            kind,
            log: Rc::default(),
            refuse: Vec::new(),
        }
    }
}

impl CompileTier for MockTier {
    fn compile(&mut self, req: &CompileRequest<'_>) -> Result<CompiledCode, String> {
        self.log.borrow_mut().push(Request {
            proto: req.proto.id,
            reason: req.reason,
            no_speculation_at: req.no_speculation_at.to_vec(),
        });
        if self.refuse.contains(&req.proto.id) {
            return Err("refused".into());
        }
        let mut entry_pcs = vec![0];
        for instr in &req.proto.code {
            if let Instr::LoopBack { target } = instr {
                entry_pcs.push(*target);
            }
        }
        Ok(CompiledCode {
            entry: match self.kind {
                MockKind::Resuming => resuming_entry,
                MockKind::Deopting => deopting_entry,
            },
            entry_pcs,
            code_bytes: 16,
            guards_emitted: 1,
            compile_ns: 1,
        })
    }
}

/// "Compiled code" that hands its frame to the interpreter and returns the result.
unsafe extern "C" fn resuming_entry(ctx: *mut JitCtx, regs: *mut Value, entry_pc: u32) -> u32 {
    // SAFETY: the VM passes its own context, whose `vm` field points at the running VM, and
    // a live frame; this is the calling convention of `tier.rs`.
    unsafe {
        if resume_in_interpreter(ctx, regs, entry_pc) == 1 {
            Status::Return.code()
        } else {
            // `resume_in_interpreter` already traced this frame.
            Status::Error.code()
        }
    }
}

/// "Compiled code" whose first guard fails: nothing ran, resume where it was entered.
unsafe extern "C" fn deopting_entry(ctx: *mut JitCtx, _regs: *mut Value, entry_pc: u32) -> u32 {
    // SAFETY: as in `resuming_entry`.
    unsafe { (*ctx).resume_pc = entry_pc };
    Status::Deopt.code()
}
