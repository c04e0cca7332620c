//! Control-flow facts about one prototype's bytecode: basic blocks (split at every jump
//! target and after every branch) and register liveness at every block start (from the
//! registers each instruction reads and writes, `Instr::reads`/`Instr::writes`).
//!
//! Liveness decides what an OSR entry loads, what a side exit may skip and which registers a
//! loop header can keep unboxed; it is conservative (a register counts as read by every
//! instruction that may read it), and kills only registers an instruction always writes.

use ruff_core::abi::bytecode::{FuncProto, Instr};

/// A basic block: instructions `start..end`.
#[derive(Clone, Debug)]
pub struct Block {
    pub start: u32,
    pub end: u32,
}

/// The control-flow graph and liveness of one function.
pub struct Cfg {
    pub blocks: Vec<Block>,
    /// Block index of each block-start pc (`usize::MAX` elsewhere).
    pub block_at: Vec<usize>,
    /// Live registers at each block start (indexed like `blocks`).
    pub live_in: Vec<Vec<bool>>,
    /// Loop headers (targets of `LoopBack`) with the pc of their last back edge.
    pub loops: Vec<(u32, u32)>,
}

impl Cfg {
    pub fn build(proto: &FuncProto) -> Cfg {
        let n = proto.code.len() as u32;
        let mut leader = vec![false; n as usize + 1];
        leader[0] = true;
        let mut loops = Vec::new();
        for (pc, instr) in proto.code.iter().enumerate() {
            let pc = pc as u32;
            let (fall, target) = instr.successors(pc);
            if let Some(t) = target {
                leader[t as usize] = true;
                leader[pc as usize + 1] = true;
            }
            if fall.is_none() {
                leader[pc as usize + 1] = true;
            }
            if let Instr::LoopBack { target } = *instr {
                match loops.iter_mut().find(|(h, _)| *h == target) {
                    Some(l) => l.1 = pc,
                    None => loops.push((target, pc)),
                }
            }
        }
        let mut blocks = Vec::new();
        let mut block_at = vec![usize::MAX; n as usize + 1];
        let mut start = 0;
        for pc in 1..=n {
            if leader[pc as usize] {
                block_at[start as usize] = blocks.len();
                blocks.push(Block { start, end: pc });
                start = pc;
            }
        }
        let mut cfg = Cfg {
            blocks,
            block_at,
            live_in: Vec::new(),
            loops,
        };
        cfg.compute_liveness(proto);
        cfg
    }

    /// Backward liveness to a fixed point over the blocks.
    fn compute_liveness(&mut self, proto: &FuncProto) {
        let nregs = proto.num_regs as usize;
        self.live_in = vec![vec![false; nregs]; self.blocks.len()];
        let mut changed = true;
        while changed {
            changed = false;
            for b in (0..self.blocks.len()).rev() {
                let live = self.block_live_in(proto, b);
                if live != self.live_in[b] {
                    self.live_in[b] = live;
                    changed = true;
                }
            }
        }
    }

    /// Live registers at the start of block `b`, from its successors' current sets.
    fn block_live_in(&self, proto: &FuncProto, b: usize) -> Vec<bool> {
        let block = &self.blocks[b];
        let nregs = proto.num_regs as usize;
        let live_at = |pc: u32| -> Vec<bool> {
            match self.block_at.get(pc as usize) {
                Some(&i) if i != usize::MAX => self.live_in[i].clone(),
                _ => vec![false; nregs],
            }
        };
        let last = block.end - 1;
        let mut live = vec![false; nregs];
        let (fall, target) = proto.code[last as usize].successors(last);
        if let Some(t) = target {
            or_into(&mut live, &live_at(t));
        }
        if let Some(f) = fall {
            let mut l = live_at(f);
            if let Instr::IterNext { dst, .. } = proto.code[last as usize] {
                // `dst` is written on the fallthrough edge only.
                l[dst as usize] = false;
            }
            or_into(&mut live, &l);
        }
        for pc in (block.start..block.end).rev() {
            let instr = &proto.code[pc as usize];
            for k in instr.writes() {
                if let Some(x) = live.get_mut(k as usize) {
                    *x = false;
                }
            }
            for r in instr.reads(proto) {
                if let Some(x) = live.get_mut(r as usize) {
                    *x = true;
                }
            }
        }
        live
    }
}

fn or_into(dst: &mut [bool], src: &[bool]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d |= *s;
    }
}
