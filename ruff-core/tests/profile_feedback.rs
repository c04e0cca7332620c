//! The feedback, back-edge and call counts the profiling interpreter records, as the compile
//! tier receives them. The dispatch loop fuses some instruction pairs (a constant load and
//! the operation using it, a comparison and its branch, a loop's back-edge and its header,
//! `LoadBool` and `SetIndex`); a fused instruction must record exactly what it records when
//! dispatched on its own, because the JIT's speculation is decided from these words. The
//! expected words here are what the unfused instructions record.
//!
//! The profiles are observed through a compile tier that keeps a copy of each request and
//! refuses to compile, so the program goes on in the same profiling interpreter.

use std::cell::RefCell;
use std::rc::Rc;

use ruff_core::bytecode::Instr;
use ruff_core::profile::{lhs_bit, rhs_bit, FuncProfile};
use ruff_core::tier::{CompileReason, CompileRequest, CompileTier, CompiledCode};
use ruff_core::value::tag::{ARRAY, BOOL, FLOAT, INT, STR};
use ruff_core::{Config, Engine};

/// What the tier saw in one compile request.
struct Snapshot {
    name: String,
    reason: CompileReason,
    code: Vec<Instr>,
    profile: FuncProfile,
}

#[derive(Default)]
struct SnapshotTier {
    seen: Rc<RefCell<Vec<Snapshot>>>,
}

impl CompileTier for SnapshotTier {
    fn compile(&mut self, req: &CompileRequest<'_>) -> Result<CompiledCode, String> {
        self.seen.borrow_mut().push(Snapshot {
            name: req.proto.display_name.to_string(),
            reason: req.reason,
            code: req.proto.code.clone(),
            profile: req.profile.clone(),
        });
        Err("profile snapshot only".into())
    }
}

/// Runs `src` under `config` with a snapshot tier and returns every compile request.
fn snapshots(config: &str, src: &str) -> Vec<Snapshot> {
    let tier = SnapshotTier::default();
    let seen = tier.seen.clone();
    let mut e = Engine::with_tier(Config::parse(config).unwrap(), Box::new(tier));
    e.set_output(Box::new(std::io::sink()));
    e.load("t.ruff", src.as_bytes()).unwrap();
    e.run_main().unwrap();
    let out = std::mem::take(&mut *seen.borrow_mut());
    out
}

fn only(snaps: Vec<Snapshot>, name: &str) -> Snapshot {
    let mut v: Vec<Snapshot> = snaps.into_iter().filter(|s| s.name == name).collect();
    assert_eq!(v.len(), 1, "one compile request for {name}");
    v.pop().unwrap()
}

fn opcode(i: &Instr) -> String {
    let s = format!("{i:?}");
    s.split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap()
        .to_string()
}

/// Checks the feedback of every instruction: the instructions with a nonzero word must be,
/// in code order, `expected` (opcode, word); all others must have recorded nothing.
fn check_feedback(s: &Snapshot, expected: &[(&str, u32)]) {
    let got: Vec<(String, u32)> = s
        .code
        .iter()
        .zip(&s.profile.feedback)
        .filter(|(_, w)| **w != 0)
        .map(|(i, w)| (opcode(i), *w))
        .collect();
    let want: Vec<(String, u32)> = expected.iter().map(|(o, w)| (o.to_string(), *w)).collect();
    assert_eq!(got, want, "feedback of {} ({:?})", s.name, s.reason);
}

/// Back-edge counts of the `LoopBack`s in code order; every other pc must be zero.
fn backedges(s: &Snapshot) -> Vec<u32> {
    let mut out = Vec::new();
    for (i, n) in s.code.iter().zip(&s.profile.backedges) {
        if matches!(i, Instr::LoopBack { .. }) {
            out.push(*n);
        } else {
            assert_eq!(*n, 0, "back-edge count on {i:?}");
        }
    }
    out
}

const fn both(l: u8, r: u8) -> u32 {
    lhs_bit(l) | rhs_bit(r)
}

const II: u32 = both(INT, INT);

/// Loops of every shape the dispatch loop fuses: a range `for` (header `IterNext`), `while`
/// on a register comparison and on a constant one, `a[k] = true`, constant right operands
/// of arithmetic and comparisons of Ints, Floats and Strings, both branch polarities.
const LOOPS: &str = r#"
func work(n, x) {
    s := 0
    for i in range(n) {
        s = s + i * 3
        if i < 2 {
            s = s - 1
        }
        x = x * 0.5
        if i == 0 || i > 3 {
            s = s + 2
        }
        if x < 1.5 {
            s = s + 4
        }
    }
    j := 0
    while j < n {
        j = j + 1
    }
    m := 0
    while m <= 3 {
        m += 1
    }
    a := [false, false, false]
    for k in range(3) {
        a[k] = true
    }
    for v in a {
        if v || false {
            s = s + 1
        }
    }
    t := "a" + "b"
    return s
}
r := 0
while r < 4 {
    work(5, 2.0)
    r += 1
}
work(5, 1)
work(5, 2.0)
work(5, 2.0)
"#;

#[test]
fn fused_instructions_record_what_they_record_alone() {
    // Six interpreted calls, then the seventh asks for a compile.
    let s = only(
        snapshots("jit-spec:threshold=7:osr-threshold=1000000", LOOPS),
        "work",
    );
    assert_eq!(s.reason, CompileReason::Call);
    assert_eq!(s.profile.calls, 7);
    check_feedback(
        &s,
        &[
            // for i in range(n): the header `IterNext`, fused into the `LoopBack`.
            ("IterNext", lhs_bit(INT)),
            // `i * 3`: a literal right operand is `BinaryK`, whose feedback records the
            // constant's tag as the right operand's.
            ("BinaryK", II),
            ("Add", II),
            ("BinaryK", II),
            ("JumpIfFalse", lhs_bit(BOOL)),
            ("BinaryK", II),
            // `x` was an Int in one call.
            ("BinaryK", lhs_bit(INT) | lhs_bit(FLOAT) | rhs_bit(FLOAT)),
            ("BinaryK", II),
            ("JumpIfTrue", lhs_bit(BOOL)),
            ("BinaryK", II),
            ("JumpIfFalse", lhs_bit(BOOL)),
            ("AddImm", II),
            ("BinaryK", both(FLOAT, FLOAT)),
            ("JumpIfFalse", lhs_bit(BOOL)),
            ("AddImm", II),
            // while j < n: the header comparison, fused into the `LoopBack`.
            ("Lt", II),
            ("JumpIfFalse", lhs_bit(BOOL)),
            ("AddImm", II),
            // while m <= 3: the header `BinaryK` (not fused), then its fused branch.
            ("BinaryK", II),
            ("JumpIfFalse", lhs_bit(BOOL)),
            ("AddImm", II),
            ("IterNext", lhs_bit(INT)),
            ("SetIndex", both(ARRAY, INT)),
            // for v in a: an array loop is not fused, its branch on a Bool register neither.
            ("IterNext", lhs_bit(ARRAY)),
            ("JumpIfTrue", lhs_bit(BOOL)),
            ("AddImm", II),
            ("Add", both(STR, STR)),
        ],
    );
    assert_eq!(backedges(&s), [30, 30, 24, 18, 18]);
}

const FIB: &str = r#"
func fib(n) {
    if n < 2 {
        return n
    }
    return fib(n - 1) + fib(n - 2)
}
fib(10)
fib(1)
"#;

#[test]
fn recursive_calls_are_counted_and_compile_at_the_threshold() {
    // fib(10) makes 177 calls; the 178th (fib(1)) reaches the threshold.
    let s = only(
        snapshots("jit-spec:threshold=178:osr-threshold=1000000", FIB),
        "fib",
    );
    assert_eq!(s.reason, CompileReason::Call);
    assert_eq!(s.profile.calls, 178);
    check_feedback(
        &s,
        &[
            ("BinaryK", II),
            ("JumpIfFalse", lhs_bit(BOOL)),
            ("BinaryK", II),
            ("BinaryK", II),
            ("Add", II),
        ],
    );
}

#[test]
fn osr_is_requested_at_the_threshold_for_every_fused_header() {
    let loops = [
        "s := 0\nfor i in range(100) { s += i }\n",
        "j := 0\nn := 100\nwhile j < n { j += 1 }\n",
        "j := 0\nwhile j <= 100 { j += 1 }\n",
        "a := [false, false, false, false, false, false, false, false]\nfor k in range(8) { a[k] = true }\n",
    ];
    for src in loops {
        let snaps = snapshots("jit-spec:threshold=1000:osr-threshold=5", src);
        assert_eq!(snaps.len(), 1, "one OSR request for {src:?}");
        let s = &snaps[0];
        let back = s
            .code
            .iter()
            .position(|i| matches!(i, Instr::LoopBack { .. }))
            .unwrap();
        let Instr::LoopBack { target } = s.code[back] else {
            unreachable!()
        };
        assert_eq!(s.reason, CompileReason::Osr { header_pc: target });
        assert_eq!(s.profile.backedges[back], 5, "{src:?}");
    }
}

#[test]
fn interp_prof_and_interp_print_the_same() {
    for (src, call) in [(LOOPS, "work(7, 3.0)"), (FIB, "fib(15)")] {
        let prog = format!("{src}\nprint({call})\n");
        let mut outs = Vec::new();
        for config in ["interp", "interp-prof"] {
            let buf = Rc::new(RefCell::new(Vec::new()));
            let mut e = Engine::new(Config::parse(config).unwrap());
            e.set_output(Box::new(Shared(buf.clone())));
            e.load("t.ruff", prog.as_bytes()).unwrap();
            e.run_main().unwrap();
            outs.push(buf.borrow().clone());
        }
        assert_eq!(outs[0], outs[1]);
        assert!(!outs[0].is_empty());
    }
}

/// A writer the test reads back.
struct Shared(Rc<RefCell<Vec<u8>>>);

impl std::io::Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
