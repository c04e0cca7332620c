//! Control-flow facts about one prototype's bytecode: basic blocks (split at every jump
//! target and after every branch), the registers each instruction reads and writes, and
//! register liveness at every block start.
//!
//! Liveness decides what an OSR entry loads, what a side exit may skip and which registers a
//! loop header can keep unboxed; it is conservative (a register counts as read by every
//! instruction that may read it), and kills only registers an instruction always writes.

use ruff_core::bytecode::{FuncProto, Instr, Reg, UpvalDesc};

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

/// The registers an instruction reads.
pub fn reads(proto: &FuncProto, instr: &Instr) -> Vec<Reg> {
    use Instr::*;
    let range = |s: Reg, n: usize| (0..n).map(move |i| s + i as Reg);
    match *instr {
        LoadConst { .. } | LoadInt { .. } | LoadBool { .. } | LoadNull { .. } => vec![],
        GetGlobal { .. } | GetUpval { .. } | Jump { .. } | LoopBack { .. } | ReturnNull => vec![],
        Move { src, .. } | DefGlobal { src, .. } | SetGlobal { src, .. } | SetUpval { src, .. } => {
            vec![src]
        }
        CheckDef { reg, .. } | NewCell { reg } | CheckMethod { obj: reg, .. } => vec![reg],
        GetCell { cell, .. } => vec![cell],
        SetCell { cell, src } => vec![cell, src],
        Add { a, b, .. }
        | Sub { a, b, .. }
        | Mul { a, b, .. }
        | Div { a, b, .. }
        | Mod { a, b, .. }
        | BitAnd { a, b, .. }
        | BitOr { a, b, .. }
        | BitXor { a, b, .. }
        | Shl { a, b, .. }
        | Shr { a, b, .. }
        | Eq { a, b, .. }
        | Ne { a, b, .. }
        | Lt { a, b, .. }
        | Le { a, b, .. }
        | Gt { a, b, .. }
        | Ge { a, b, .. } => vec![a, b],
        AddImm { a, .. } => vec![a],
        Neg { src, .. } | Not { src, .. } | BitNot { src, .. } | Truthy { src, .. } => vec![src],
        JumpIfFalse { cond, .. } | JumpIfTrue { cond, .. } => vec![cond],
        IterPrep { iter } => vec![iter],
        RangePrep { iter, argc } => range(iter, argc as usize + 1).collect(),
        IterNext { iter, .. } => vec![iter, iter + 1, iter + 2],
        Call { base, argc } => range(base, argc as usize + 1).collect(),
        CallMethod { base, argc, .. } => range(base + 1, argc as usize + 1).collect(),
        Return { src } => vec![src],
        MakeClosure { proto: child, .. } => proto.children[child as usize]
            .upvals
            .iter()
            .filter_map(|u| match u {
                UpvalDesc::ParentReg(r) => Some(*r),
                UpvalDesc::ParentUpval(_) => None,
            })
            .collect(),
        NewArray { start, count, .. } | Concat { start, count, .. } => {
            range(start, count as usize).collect()
        }
        NewDict { start, count, .. } => range(start, 2 * count as usize).collect(),
        NewStruct { lit, start, .. } => {
            range(start, proto.struct_lits[lit as usize].field_slots.len()).collect()
        }
        GetIndex { obj, idx, .. } => vec![obj, idx],
        SetIndex { obj, idx, src } => vec![obj, idx, src],
        GetField { obj, .. } => vec![obj],
        SetField { obj, src, .. } => vec![obj, src],
    }
}

/// The registers an instruction always writes when it completes (for liveness kills).
/// `IterNext` writes `dst` only when it does not exit, so it is handled by the caller.
pub fn kills(instr: &Instr) -> Vec<Reg> {
    use Instr::*;
    match *instr {
        LoadConst { dst, .. }
        | LoadInt { dst, .. }
        | LoadBool { dst, .. }
        | LoadNull { dst }
        | Move { dst, .. }
        | GetGlobal { dst, .. }
        | GetCell { dst, .. }
        | GetUpval { dst, .. }
        | Add { dst, .. }
        | Sub { dst, .. }
        | Mul { dst, .. }
        | Div { dst, .. }
        | Mod { dst, .. }
        | AddImm { dst, .. }
        | BitAnd { dst, .. }
        | BitOr { dst, .. }
        | BitXor { dst, .. }
        | Shl { dst, .. }
        | Shr { dst, .. }
        | Neg { dst, .. }
        | Not { dst, .. }
        | BitNot { dst, .. }
        | Truthy { dst, .. }
        | Eq { dst, .. }
        | Ne { dst, .. }
        | Lt { dst, .. }
        | Le { dst, .. }
        | Gt { dst, .. }
        | Ge { dst, .. }
        | MakeClosure { dst, .. }
        | NewArray { dst, .. }
        | NewDict { dst, .. }
        | NewStruct { dst, .. }
        | Concat { dst, .. }
        | GetIndex { dst, .. }
        | GetField { dst, .. } => vec![dst],
        IterPrep { iter } | RangePrep { iter, .. } => vec![iter, iter + 1, iter + 2],
        Call { base, .. } | CallMethod { base, .. } => vec![base],
        _ => vec![],
    }
}

/// The registers whose tags a feedback instruction records (first and second operand).
pub fn operand_pair(instr: &Instr) -> (Option<Reg>, Option<Reg>) {
    use Instr::*;
    match *instr {
        Add { a, b, .. }
        | Sub { a, b, .. }
        | Mul { a, b, .. }
        | Div { a, b, .. }
        | Mod { a, b, .. }
        | BitAnd { a, b, .. }
        | BitOr { a, b, .. }
        | BitXor { a, b, .. }
        | Shl { a, b, .. }
        | Shr { a, b, .. }
        | Eq { a, b, .. }
        | Ne { a, b, .. }
        | Lt { a, b, .. }
        | Le { a, b, .. }
        | Gt { a, b, .. }
        | Ge { a, b, .. } => (Some(a), Some(b)),
        AddImm { a, .. } => (Some(a), None),
        Neg { src, .. } | Not { src, .. } | BitNot { src, .. } => (Some(src), None),
        JumpIfFalse { cond, .. } | JumpIfTrue { cond, .. } => (Some(cond), None),
        IterNext { iter, .. } => (Some(iter), None),
        GetIndex { obj, idx, .. } | SetIndex { obj, idx, .. } => (Some(obj), Some(idx)),
        _ => (None, None),
    }
}

/// Where control goes after `pc`: `(fallthrough, branch target)`.
pub fn successors(instr: &Instr, pc: u32) -> (Option<u32>, Option<u32>) {
    use Instr::*;
    match *instr {
        Jump { target } | LoopBack { target } => (None, Some(target)),
        JumpIfFalse { target, .. } | JumpIfTrue { target, .. } => (Some(pc + 1), Some(target)),
        IterNext { exit, .. } => (Some(pc + 1), Some(exit)),
        Return { .. } | ReturnNull => (None, None),
        _ => (Some(pc + 1), None),
    }
}

impl Cfg {
    pub fn build(proto: &FuncProto) -> Cfg {
        let n = proto.code.len() as u32;
        let mut leader = vec![false; n as usize + 1];
        leader[0] = true;
        let mut loops = Vec::new();
        for (pc, instr) in proto.code.iter().enumerate() {
            let pc = pc as u32;
            let (fall, target) = successors(instr, pc);
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
        let (fall, target) = successors(&proto.code[last as usize], last);
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
            for k in kills(instr) {
                if let Some(x) = live.get_mut(k as usize) {
                    *x = false;
                }
            }
            for r in reads(proto, instr) {
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
