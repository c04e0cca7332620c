//! Type feedback and counters recorded by the interpreter under `interp-prof` and the JIT
//! configs, in the form the JIT reads (ARCHITECTURE §4).
//!
//! Feedback per instruction is a `u32`: bits 0..16 are the set of tags seen for the first
//! operand (`1 << tag`), bits 16..32 for the second. `tag::COUNT` is below 16, so both fit.

#[cfg(test)]
use crate::value::tag;

/// Feedback bit for one tag in the first-operand half.
#[inline]
pub const fn lhs_bit(t: u8) -> u32 {
    1u32 << t
}

/// Feedback bit for one tag in the second-operand half.
#[inline]
pub const fn rhs_bit(t: u8) -> u32 {
    1u32 << (16 + t as u32)
}

/// What one instruction's feedback says about one operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seen {
    /// Never executed.
    Nothing,
    /// Always this one tag.
    Mono(u8),
    /// Several tags.
    Poly,
}

fn classify(bits: u32) -> Seen {
    match bits.count_ones() {
        0 => Seen::Nothing,
        1 => Seen::Mono(bits.trailing_zeros() as u8),
        _ => Seen::Poly,
    }
}

/// Decodes the first-operand half of a feedback word.
pub fn seen_lhs(word: u32) -> Seen {
    classify(word & 0xffff)
}

/// Decodes the second-operand half of a feedback word.
pub fn seen_rhs(word: u32) -> Seen {
    classify(word >> 16)
}

/// True if the feedback says both operands were always `t`.
pub fn both_mono(word: u32, t: u8) -> bool {
    seen_lhs(word) == Seen::Mono(t) && seen_rhs(word) == Seen::Mono(t)
}

/// Profile of one function (indexed by `FuncProto::id`).
#[derive(Clone, Debug, Default)]
pub struct FuncProfile {
    /// Calls since the program started.
    pub calls: u32,
    /// One feedback word per instruction.
    pub feedback: Vec<u32>,
    /// Back-edges taken, per instruction index of each `LoopBack` (0 elsewhere).
    pub backedges: Vec<u32>,
    /// Deoptimizations of this function's compiled code, per instruction index.
    pub deopts_at: Vec<u32>,
    /// Traps (deopts at an instruction that had never run when the code was compiled), per
    /// instruction index: kept apart from `deopts_at`, as they are no failed speculation.
    pub traps_at: Vec<u32>,
}

impl FuncProfile {
    pub fn new(code_len: usize) -> FuncProfile {
        FuncProfile {
            calls: 0,
            feedback: vec![0; code_len],
            backedges: vec![0; code_len],
            deopts_at: vec![0; code_len],
            traps_at: vec![0; code_len],
        }
    }

    /// Zeroes the back-edge counters (so loops can trigger OSR again).
    ///
    /// Writes through `as_mut_ptr` rather than a `&mut` to the counters: the profiling
    /// interpreter keeps raw pointers into `feedback` and `backedges` for as long as a frame
    /// of the function is live, and materializing a mutable reference to the buffer would
    /// invalidate them. Nothing that can run while frames are live may do that.
    pub fn reset_backedges(&mut self) {
        let n = self.backedges.len();
        // SAFETY: `as_mut_ptr` points at `n` initialised `u32`s owned by the vector, which
        // is not resized here; zero is a valid `u32`.
        unsafe { std::ptr::write_bytes(self.backedges.as_mut_ptr(), 0, n) };
    }

    /// Records the tags of an instruction's operands.
    #[inline]
    pub fn record(&mut self, pc: usize, lhs: u8, rhs: u8) {
        self.feedback[pc] |= lhs_bit(lhs) | rhs_bit(rhs);
    }

    /// Records the tag of an instruction's single operand.
    #[inline]
    pub fn record1(&mut self, pc: usize, t: u8) {
        self.feedback[pc] |= lhs_bit(t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feedback_classifies_operands() {
        let mut p = FuncProfile::new(2);
        p.record(0, tag::INT, tag::INT);
        assert!(both_mono(p.feedback[0], tag::INT));
        p.record(0, tag::FLOAT, tag::INT);
        assert_eq!(seen_lhs(p.feedback[0]), Seen::Poly);
        assert_eq!(seen_rhs(p.feedback[0]), Seen::Mono(tag::INT));
        assert_eq!(seen_lhs(p.feedback[1]), Seen::Nothing);
    }
}
