//! Unit tests of the planner, per instruction family: each builds a function from source,
//! gives it feedback and compile-time facts, and checks the plan (guards and lowering) and
//! the state transfer. The planner is pure, so every test is a plain function call.

use std::rc::Rc;

use ruff_core::abi::bytecode::{BinOp, FuncProto, Instr, Program, UnOp};
use ruff_core::abi::feedback::{lhs_bit, rhs_bit};
use ruff_core::abi::{tag, GlobalHint, ProtoRef};

use super::state::{RegState, State, Ty};
use super::transfer::apply;
use super::{
    Action, CallTarget, Callee, Const, GlobalRead, IndexOp, InlinePush, Inputs, Operand, Plan,
    Planner,
};

const II: u32 = lhs_bit(tag::INT) | rhs_bit(tag::INT);
const FF: u32 = lhs_bit(tag::FLOAT) | rhs_bit(tag::FLOAT);
const FI: u32 = lhs_bit(tag::FLOAT) | rhs_bit(tag::INT);
const BB: u32 = lhs_bit(tag::BOOL) | rhs_bit(tag::BOOL);

/// A compiled program and one of its functions.
struct Fixture {
    program: Program,
    proto: Rc<FuncProto>,
}

fn fixture(src: &str, name: &str) -> Fixture {
    let program = ruff_core::compile(src.as_bytes()).expect("test program compiles");
    let proto = program
        .protos
        .iter()
        .find(|p| &*p.display_name == name)
        .cloned()
        .expect("the function exists");
    Fixture { program, proto }
}

impl Fixture {
    /// The pc of the first instruction for which `pick` holds.
    fn pc(&self, pick: impl Fn(&Instr) -> bool) -> u32 {
        self.proto
            .code
            .iter()
            .position(pick)
            .expect("instruction found") as u32
    }

    /// Global slot of `name`.
    fn global(&self, name: &str) -> u32 {
        self.program
            .global_names
            .iter()
            .position(|g| &**g == name)
            .expect("global exists") as u32
    }

    /// Feedback words: `words[i] = (pc, word)`, everything else never ran.
    fn feedback(&self, words: &[(u32, u32)]) -> Vec<u32> {
        let mut fb = vec![0; self.proto.code.len()];
        for &(pc, w) in words {
            fb[pc as usize] = w;
        }
        fb
    }

    /// Every register in its frame slot.
    fn boxed(&self) -> State {
        vec![RegState::BOXED; self.proto.num_regs as usize]
    }
}

/// The facts a test varies; the rest default to a running VM with nothing known.
struct Facts<'a> {
    spec: bool,
    no_spec: &'a [u32],
    globals: &'a dyn Fn(u32) -> GlobalHint,
    inline_arrays: bool,
    direct_calls: bool,
}

const NOTHING_KNOWN: &dyn Fn(u32) -> GlobalHint = &|_| GlobalHint::Other;

fn spec() -> Facts<'static> {
    Facts {
        spec: true,
        no_spec: &[],
        globals: NOTHING_KNOWN,
        inline_arrays: true,
        direct_calls: true,
    }
}

fn baseline() -> Facts<'static> {
    Facts {
        spec: false,
        ..spec()
    }
}

fn planner<'a>(f: &'a Fixture, feedback: &'a [u32], facts: &Facts<'a>) -> Planner<'a> {
    Planner::new(Inputs {
        proto: &f.proto,
        feedback,
        spec: facts.spec,
        no_spec: facts.no_spec,
        globals: facts.globals,
        inline_arrays: facts.inline_arrays,
        inline_fields: true,
        direct_calls: facts.direct_calls,
    })
}

fn plan_at(f: &Fixture, feedback: &[u32], facts: &Facts<'_>, pc: u32, st: &State) -> Plan {
    planner(f, feedback, facts).plan(pc, st)
}

const ARITH: &str = "func f(a, b) {
    x := a + b
    c := 2.5
    y := a * c
    if a < b { x = x - 1 }
    z := a % b
    w := a & b
    return x + y + z + w
}
";

#[test]
fn constants_unbox_in_specialized_code_and_store_inline_in_the_baseline() {
    let f = fixture(ARITH, "f");
    let load = f.pc(|i| matches!(i, Instr::LoadConst { .. }));
    let fb = f.feedback(&[]);
    let st = f.boxed();
    let Instr::LoadConst { dst, .. } = f.proto.code[load as usize] else {
        unreachable!()
    };
    let p = plan_at(&f, &fb, &spec(), load, &st);
    assert_eq!(
        p.action,
        Action::Const {
            dst,
            val: Const::Float(2.5)
        }
    );
    assert!(p.guards.is_empty());
    let (after, _) = apply(&p, &st);
    assert_eq!(after[dst as usize].ty(), Some(Ty::Float));
    assert!(
        after[dst as usize].dirty,
        "a new unboxed value is not in its slot yet"
    );
    let p = plan_at(&f, &fb, &baseline(), load, &st);
    assert_eq!(
        p.action,
        Action::StoreConst {
            dst,
            val: Some(Const::Float(2.5))
        }
    );
}

#[test]
fn moves_follow_the_state() {
    let src = "func f(a) { b := a\n return b }\n";
    let f = fixture(src, "f");
    let mv = f.pc(|i| matches!(i, Instr::Move { .. }));
    let Instr::Move { dst, src } = f.proto.code[mv as usize] else {
        unreachable!()
    };
    let fb = f.feedback(&[]);
    let mut st = f.boxed();
    assert_eq!(
        plan_at(&f, &fb, &spec(), mv, &st).action,
        Action::MoveBoxed { dst, src }
    );
    st[src as usize] = RegState::unboxed(Ty::Int, false);
    assert_eq!(
        plan_at(&f, &fb, &spec(), mv, &st).action,
        Action::Move {
            dst,
            src,
            ty: Ty::Int
        }
    );
}

#[test]
fn arithmetic_guards_operands_from_feedback() {
    let f = fixture(ARITH, "f");
    let add = f.pc(|i| matches!(i, Instr::Add { .. }));
    let Some((BinOp::Add, dst, a, b)) = f.proto.code[add as usize].as_binary() else {
        unreachable!()
    };
    let fb = f.feedback(&[(add, II)]);
    let p = plan_at(&f, &fb, &spec(), add, &f.boxed());
    assert_eq!(p.guards, vec![(a, Ty::Int), (b, Ty::Int)]);
    assert_eq!(
        p.action,
        Action::Arith {
            op: BinOp::Add,
            dst,
            a,
            b: Operand::Reg(b),
            lt: Ty::Int,
            rt: Ty::Int,
            res: Ty::Int
        }
    );
    // Operands already unboxed need no guard; the result is unboxed and dirty.
    let mut st = f.boxed();
    st[a as usize] = RegState::unboxed(Ty::Int, false);
    st[b as usize] = RegState::unboxed(Ty::Int, false);
    let p = plan_at(&f, &fb, &spec(), add, &st);
    assert!(p.guards.is_empty());
    let (after, branch) = apply(&p, &st);
    assert_eq!(after[dst as usize], RegState::defined(Ty::Int, false));
    assert_eq!(branch, None);
}

#[test]
fn mixed_numbers_give_floats_but_float_modulo_stays_generic() {
    let f = fixture(ARITH, "f");
    let mul = f.pc(|i| matches!(i, Instr::Mul { .. }));
    let fb = f.feedback(&[(mul, lhs_bit(tag::INT) | rhs_bit(tag::FLOAT))]);
    let p = plan_at(&f, &fb, &spec(), mul, &f.boxed());
    assert!(
        matches!(
            p.action,
            Action::Arith {
                res: Ty::Float,
                lt: Ty::Int,
                rt: Ty::Float,
                ..
            }
        ),
        "{p:?}"
    );
    let rem = f.pc(|i| matches!(i, Instr::Mod { .. }));
    let fb = f.feedback(&[(rem, FF)]);
    let p = plan_at(&f, &fb, &spec(), rem, &f.boxed());
    assert!(matches!(p.action, Action::Generic { .. }), "{p:?}");
    let fb = f.feedback(&[(rem, II)]);
    let p = plan_at(&f, &fb, &spec(), rem, &f.boxed());
    assert!(matches!(
        p.action,
        Action::Arith {
            op: BinOp::Mod,
            res: Ty::Int,
            ..
        }
    ));
}

#[test]
fn bitwise_operators_are_int_only() {
    let f = fixture(ARITH, "f");
    let and = f.pc(|i| matches!(i.as_binary(), Some((BinOp::BitAnd, ..))));
    let p = plan_at(&f, &f.feedback(&[(and, II)]), &spec(), and, &f.boxed());
    assert!(matches!(
        p.action,
        Action::Arith {
            op: BinOp::BitAnd,
            res: Ty::Int,
            ..
        }
    ));
    let p = plan_at(&f, &f.feedback(&[(and, FF)]), &spec(), and, &f.boxed());
    assert!(matches!(p.action, Action::Generic { .. }), "{p:?}");
}

#[test]
fn immediates_count_as_int_operands() {
    let src = "func f(a) { return a + 1 }\n";
    let f = fixture(src, "f");
    let add = f.pc(|i| matches!(i, Instr::AddImm { .. }));
    let p = plan_at(&f, &f.feedback(&[(add, FI)]), &spec(), add, &f.boxed());
    let Action::Arith { b, rt, res, .. } = p.action else {
        panic!("{p:?}")
    };
    assert_eq!((b, rt, res), (Operand::Imm(1), Ty::Int, Ty::Float));
    assert_eq!(p.guards.len(), 1, "only the register operand is guarded");
}

#[test]
fn comparisons_need_one_type_and_bools_only_compare_for_equality() {
    let src = "func f(a, b) { c := a < b\n d := a == b\n return c && d }\n";
    let f = fixture(src, "f");
    let lt = f.pc(|i| matches!(i, Instr::Lt { .. }));
    let eq = f.pc(|i| matches!(i, Instr::Eq { .. }));
    let fb = f.feedback(&[(lt, II), (eq, BB)]);
    let p = plan_at(&f, &fb, &spec(), lt, &f.boxed());
    assert!(matches!(
        p.action,
        Action::Cmp {
            op: BinOp::Lt,
            ty: Ty::Int,
            ..
        }
    ));
    let (after, _) = apply(&p, &f.boxed());
    let Action::Cmp { dst, .. } = p.action else {
        unreachable!()
    };
    assert_eq!(after[dst as usize].ty(), Some(Ty::Bool));
    let p = plan_at(&f, &fb, &spec(), eq, &f.boxed());
    assert!(matches!(
        p.action,
        Action::Cmp {
            op: BinOp::Eq,
            ty: Ty::Bool,
            ..
        }
    ));
    let fb = f.feedback(&[(lt, BB)]);
    let p = plan_at(&f, &fb, &spec(), lt, &f.boxed());
    assert!(matches!(p.action, Action::Generic { .. }));
    let fb = f.feedback(&[(lt, lhs_bit(tag::INT) | rhs_bit(tag::FLOAT))]);
    assert!(matches!(
        plan_at(&f, &fb, &spec(), lt, &f.boxed()).action,
        Action::Generic { .. }
    ));
}

#[test]
fn unary_operators_follow_their_operand_type() {
    let src = "func f(a) { b := -a\n c := ~a\n return !b && c }\n";
    let f = fixture(src, "f");
    let neg = f.pc(|i| matches!(i, Instr::Neg { .. }));
    let not = f.pc(|i| matches!(i, Instr::BitNot { .. }));
    let fb = f.feedback(&[(neg, lhs_bit(tag::FLOAT)), (not, lhs_bit(tag::FLOAT))]);
    let p = plan_at(&f, &fb, &spec(), neg, &f.boxed());
    assert!(matches!(
        p.action,
        Action::Unary {
            op: UnOp::Neg,
            ty: Ty::Float,
            ..
        }
    ));
    assert!(matches!(
        plan_at(&f, &fb, &spec(), not, &f.boxed()).action,
        Action::Generic { .. }
    ));
    // `Truthy` records no feedback: it only unboxes what the state knows.
    let truthy = f.pc(|i| matches!(i, Instr::Truthy { .. }));
    let Instr::Truthy { src, .. } = f.proto.code[truthy as usize] else {
        unreachable!()
    };
    assert!(matches!(
        plan_at(&f, &fb, &spec(), truthy, &f.boxed()).action,
        Action::Generic { .. }
    ));
    let mut st = f.boxed();
    st[src as usize] = RegState::unboxed(Ty::Int, false);
    let p = plan_at(&f, &fb, &spec(), truthy, &st);
    assert!(p.guards.is_empty());
    assert!(matches!(
        p.action,
        Action::Unary {
            op: UnOp::Truthy,
            ty: Ty::Int,
            ..
        }
    ));
}

#[test]
fn speculation_without_feedback_traps_unless_forbidden() {
    let f = fixture(ARITH, "f");
    let add = f.pc(|i| matches!(i, Instr::Add { .. }));
    let fb = f.feedback(&[]);
    assert_eq!(
        plan_at(&f, &fb, &spec(), add, &f.boxed()).action,
        Action::Trap
    );
    let no_spec = [add];
    let facts = Facts {
        no_spec: &no_spec,
        ..spec()
    };
    let p = plan_at(&f, &f.feedback(&[(add, II)]), &facts, add, &f.boxed());
    assert!(matches!(p.action, Action::Generic { .. }), "{p:?}");
    assert!(
        p.guards.is_empty(),
        "a pc in no_speculation_at never guards"
    );
    // The baseline neither traps nor guards.
    let p = plan_at(&f, &fb, &baseline(), add, &f.boxed());
    assert!(matches!(p.action, Action::Generic { .. }));
}

#[test]
fn generic_lowering_writes_back_reads_and_boxes_writes() {
    let f = fixture(ARITH, "f");
    let add = f.pc(|i| matches!(i, Instr::Add { .. }));
    let Some((_, dst, a, b)) = f.proto.code[add as usize].as_binary() else {
        unreachable!()
    };
    let p = plan_at(&f, &f.feedback(&[]), &baseline(), add, &f.boxed());
    let Action::Generic { reads, writes, .. } = &p.action else {
        panic!("{p:?}")
    };
    assert_eq!((reads.clone(), writes.clone()), (vec![a, b], vec![dst]));
    let mut st = f.boxed();
    st[a as usize] = RegState::unboxed(Ty::Int, true);
    st[dst as usize] = RegState::unboxed(Ty::Int, true);
    let (after, _) = apply(&p, &st);
    assert!(
        !after[a as usize].dirty,
        "a read register is written back first"
    );
    assert_eq!(after[dst as usize], RegState::BOXED);
}

#[test]
fn branches_test_unboxed_or_boxed_conditions() {
    let f = fixture(ARITH, "f");
    let br = f.pc(|i| matches!(i, Instr::JumpIfFalse { .. }));
    let Instr::JumpIfFalse { cond, target } = f.proto.code[br as usize] else {
        unreachable!()
    };
    let fb = f.feedback(&[(br, lhs_bit(tag::BOOL))]);
    let p = plan_at(&f, &fb, &spec(), br, &f.boxed());
    assert_eq!(p.guards, vec![(cond, Ty::Bool)]);
    assert_eq!(
        p.action,
        Action::Branch {
            cond,
            if_true: false,
            target,
            ty: Some(Ty::Bool)
        }
    );
    let (fall, taken) = apply(&p, &f.boxed());
    assert_eq!(Some(fall), taken, "both edges leave the same state");
    let p = plan_at(&f, &fb, &baseline(), br, &f.boxed());
    assert_eq!(
        p.action,
        Action::Branch {
            cond,
            if_true: false,
            target,
            ty: None
        }
    );
}

const LOOPS: &str = "func g(n) {
    s := 0
    for i in range(n) { s = s + i }
    for j in range(0, n, 2) { s = s + j }
    return s
}
";

#[test]
fn int_range_loops_unbox_their_state() {
    let f = fixture(
        "func g(n) {\n s := 0\n for i in range(n) { s = s + i }\n return s }\n",
        "g",
    );
    let prep = f.pc(|i| matches!(i, Instr::RangePrep { argc: 1, .. }));
    let next = f.pc(|i| matches!(i, Instr::IterNext { .. }));
    let Instr::IterNext { iter, dst, exit } = f.proto.code[next as usize] else {
        unreachable!()
    };
    let fb = f.feedback(&[(next, lhs_bit(tag::INT))]);
    let p = plan_at(&f, &fb, &spec(), prep, &f.boxed());
    let Action::Generic {
        post, unit_step, ..
    } = &p.action
    else {
        panic!("{p:?}")
    };
    assert_eq!(
        post,
        &vec![(iter, Ty::Int), (iter + 1, Ty::Int), (iter + 2, Ty::Int)]
    );
    assert_eq!(*unit_step, Some(iter + 2), "range(n) steps by 1");
    let p = plan_at(&f, &fb, &spec(), next, &f.boxed());
    assert_eq!(p.guards.len(), 3);
    assert_eq!(
        p.action,
        Action::IterRange {
            iter,
            dst,
            exit,
            unit_step: true
        }
    );
    let (body, done) = apply(&p, &f.boxed());
    assert_eq!(body[dst as usize].ty(), Some(Ty::Int));
    assert_eq!(done.expect("exit state")[dst as usize], RegState::BOXED);
    // Without feedback for it, the same loop walks its state through the helper.
    let p = plan_at(&f, &f.feedback(&[]), &baseline(), next, &f.boxed());
    assert_eq!(p.action, Action::IterGeneric { iter, dst, exit });
}

#[test]
fn a_stepped_range_is_not_a_unit_step() {
    let f = fixture(LOOPS, "g");
    let prep = f.pc(|i| matches!(i, Instr::RangePrep { argc: 3, .. }));
    let Instr::RangePrep { iter, .. } = f.proto.code[prep as usize] else {
        unreachable!()
    };
    let next = (prep + 1..f.proto.code.len() as u32)
        .find(|&q| matches!(f.proto.code[q as usize], Instr::IterNext { .. }))
        .expect("its IterNext");
    let fb = f.feedback(&[(next, lhs_bit(tag::INT))]);
    let p = plan_at(&f, &fb, &spec(), prep, &f.boxed());
    assert!(
        matches!(
            p.action,
            Action::Generic {
                unit_step: None,
                ..
            }
        ),
        "{p:?}"
    );
    // Both loops share the state registers and one steps by 2: no unit step anywhere.
    assert!(matches!(
        plan_at(&f, &fb, &spec(), next, &f.boxed()).action,
        Action::IterRange { iter: i, unit_step: false, .. } if i == iter
    ));
}

const CALLS: &str = "func f(a, b) { return a + b }
func h(arr, v) {
    push(arr, v)
    return sqrt(v)
}
func k(n) { return f(n, 1) }
";

#[test]
fn globals_are_read_inline_only_in_a_running_vm() {
    let f = fixture(CALLS, "k");
    let get = f.pc(|i| matches!(i, Instr::GetGlobal { .. }));
    let Instr::GetGlobal { dst, g } = f.proto.code[get as usize] else {
        unreachable!()
    };
    let fb = f.feedback(&[]);
    let unknown = |_| GlobalHint::Unknown;
    let no_vm = Facts {
        globals: &unknown,
        ..spec()
    };
    assert!(matches!(
        plan_at(&f, &fb, &no_vm, get, &f.boxed()).action,
        Action::Generic { .. }
    ));
    assert_eq!(
        plan_at(&f, &fb, &spec(), get, &f.boxed()).action,
        Action::GetGlobal {
            dst,
            g,
            how: GlobalRead::Speculated
        }
    );
    assert_eq!(
        plan_at(&f, &fb, &baseline(), get, &f.boxed()).action,
        Action::GetGlobal {
            dst,
            g,
            how: GlobalRead::Checked
        }
    );
}

#[test]
fn a_global_closure_feeding_a_call_is_speculated_once() {
    let f = fixture(CALLS, "k");
    let target = fixture(CALLS, "f");
    let slot = f.global("f");
    let callee = Callee {
        proto: ProtoRef::of(&target.proto),
        id: target.proto.id,
    };
    let hints = |g| {
        if g == slot {
            GlobalHint::Closure {
                proto: callee.proto,
                id: callee.id,
                arity: 2,
            }
        } else {
            GlobalHint::Other
        }
    };
    let facts = Facts {
        globals: &hints,
        ..spec()
    };
    let get = f.pc(|i| matches!(i, Instr::GetGlobal { .. }));
    let call = f.pc(|i| matches!(i, Instr::Call { .. }));
    let fb = f.feedback(&[]);
    let p = plan_at(&f, &fb, &facts, get, &f.boxed());
    assert!(
        matches!(p.action, Action::GetGlobal { how: GlobalRead::Callee(c), .. } if c == callee)
    );
    let p = plan_at(&f, &fb, &facts, call, &f.boxed());
    let Action::Call { direct, method, .. } = p.action else {
        panic!("{p:?}")
    };
    assert!(!method);
    assert_eq!(direct, Some(CallTarget::Known { id: callee.id }));
    // Where the GetGlobal may not speculate, the call only expects that prototype.
    let no_spec = [get];
    let cautious = Facts {
        no_spec: &no_spec,
        ..facts
    };
    let p = plan_at(&f, &fb, &cautious, call, &f.boxed());
    assert!(
        matches!(p.action, Action::Call { direct: Some(CallTarget::Expected(c)), .. } if c == callee)
    );
    // Without a call table every call goes through the VM.
    let no_table = Facts {
        direct_calls: false,
        ..spec()
    };
    let p = plan_at(&f, &fb, &no_table, call, &f.boxed());
    assert!(matches!(p.action, Action::Call { direct: None, .. }));
}

#[test]
fn builtins_feeding_calls_are_called_directly_or_inlined() {
    let f = fixture(CALLS, "h");
    let (push, sqrt) = (f.global("push"), f.global("sqrt"));
    let hints = |g| {
        if g == push {
            GlobalHint::Builtin(ruff_core::abi::builtin::PUSH)
        } else if g == sqrt {
            GlobalHint::Builtin(ruff_core::abi::builtin::SQRT)
        } else {
            GlobalHint::Other
        }
    };
    let facts = Facts {
        globals: &hints,
        ..spec()
    };
    let fb = f.feedback(&[]);
    let get_push = f.pc(|i| matches!(i, Instr::GetGlobal { g, .. } if *g == push));
    assert!(matches!(
        plan_at(&f, &fb, &facts, get_push, &f.boxed()).action,
        Action::GetBuiltin {
            id: ruff_core::abi::builtin::PUSH,
            ..
        }
    ));
    let call_push = f.pc(|i| matches!(i, Instr::Call { argc: 2, .. }));
    let p = plan_at(&f, &fb, &facts, call_push, &f.boxed());
    let Action::CallBuiltin { base, push, .. } = p.action else {
        panic!("{p:?}")
    };
    // The result of `push(arr, v)` is never read: the registers end Null.
    assert_eq!(push, Some(InlinePush::Inline { result_used: false }));
    let (after, _) = apply(&p, &f.boxed());
    assert!((base..=base + 2).all(|r| after[r as usize].scalar));
    // sqrt of an unboxed Int is a machine instruction; of a boxed value a builtin call.
    let call_sqrt = f.pc(|i| matches!(i, Instr::Call { argc: 1, .. }));
    let Instr::Call { base, .. } = f.proto.code[call_sqrt as usize] else {
        unreachable!()
    };
    let mut st = f.boxed();
    st[base as usize + 1] = RegState::unboxed(Ty::Int, false);
    let p = plan_at(&f, &fb, &facts, call_sqrt, &st);
    assert_eq!(
        p.action,
        Action::Intrinsic {
            id: ruff_core::abi::builtin::SQRT,
            base,
            arg: Ty::Int,
            res: Ty::Float
        }
    );
    assert!(matches!(
        plan_at(&f, &fb, &facts, call_sqrt, &f.boxed()).action,
        Action::CallBuiltin { push: None, .. }
    ));
}

#[test]
fn method_calls_ask_the_vm_for_their_target() {
    let src = "struct P { x }\nfunc f(p) { return p.get(1) }\n";
    let f = fixture(src, "f");
    let call = f.pc(|i| matches!(i, Instr::CallMethod { .. }));
    let p = plan_at(&f, &f.feedback(&[]), &spec(), call, &f.boxed());
    assert!(matches!(
        p.action,
        Action::Call {
            method: true,
            direct: Some(CallTarget::Method),
            push: None,
            ..
        }
    ));
}

#[test]
fn array_access_is_inlined_with_a_guarded_index() {
    let src = "func h(arr, i) {\n v := arr[i]\n arr[i] = v + 1\n return v }\n";
    let f = fixture(src, "h");
    let get = f.pc(|i| matches!(i, Instr::GetIndex { .. }));
    let set = f.pc(|i| matches!(i, Instr::SetIndex { .. }));
    let add = f.pc(|i| matches!(i, Instr::AddImm { .. }));
    let Instr::GetIndex { dst, obj, idx } = f.proto.code[get as usize] else {
        unreachable!()
    };
    let array_int = lhs_bit(tag::ARRAY) | rhs_bit(tag::INT);
    let fb = f.feedback(&[(get, array_int), (set, array_int), (add, II)]);
    let p = plan_at(&f, &fb, &spec(), get, &f.boxed());
    assert_eq!(p.guards, vec![(idx, Ty::Int)]);
    // The element's consumer (`v + 1`) always saw an Int: it is loaded unboxed.
    assert_eq!(
        p.action,
        Action::Index(IndexOp::Get {
            dst,
            obj,
            idx,
            elem: Some(Ty::Int)
        })
    );
    assert!(matches!(
        plan_at(&f, &fb, &spec(), set, &f.boxed()).action,
        Action::Index(IndexOp::Set { .. })
    ));
    let no_layout = Facts {
        inline_arrays: false,
        ..spec()
    };
    assert!(matches!(
        plan_at(&f, &fb, &no_layout, get, &f.boxed()).action,
        Action::Generic { .. }
    ));
    let dicts = f.feedback(&[(get, lhs_bit(tag::DICT) | rhs_bit(tag::INT))]);
    assert!(matches!(
        plan_at(&f, &dicts, &spec(), get, &f.boxed()).action,
        Action::Generic { .. }
    ));
}

#[test]
fn planning_is_pure() {
    let f = fixture(ARITH, "f");
    let fb = f.feedback(&[(0, II), (2, FI), (3, II)]);
    let p = planner(&f, &fb, &spec());
    let st = f.boxed();
    for pc in 0..f.proto.code.len() as u32 {
        assert_eq!(p.plan(pc, &st), p.plan(pc, &st), "pc {pc}");
        let again = planner(&f, &fb, &spec());
        assert_eq!(p.plan(pc, &st), again.plan(pc, &st), "pc {pc}");
    }
}

const FIB: &str = "func fib(n) {\n if n < 2 { return n }\n return fib(n - 1) + fib(n - 2)\n}\n";

#[test]
fn self_recursion_with_unboxed_arguments_gets_a_typed_entry() {
    use super::typed::{typed_entry_state, TypedSig};
    use super::{analyse, entry_state, hoist};
    // `fib`'s own global holds a closure of its prototype, and it ran with Ints.
    let f = fixture(FIB, "fib");
    let slot = f.global("fib");
    let me = Callee {
        proto: ProtoRef::of(&f.proto),
        id: f.proto.id,
    };
    let hints = move |g| match g == slot {
        true => GlobalHint::Closure {
            proto: me.proto,
            id: me.id,
            arity: 1,
        },
        false => GlobalHint::Other,
    };
    let words: Vec<(u32, u32)> = (0..f.proto.code.len() as u32)
        .filter(|&pc| f.proto.code[pc as usize].has_feedback())
        .map(|pc| (pc, II))
        .collect();
    let fb = f.feedback(&words);
    let facts = Facts {
        globals: &hints,
        ..spec()
    };
    let mut p = planner(&f, &fb, &facts);
    let hoisted = hoist::hoisted_types(&p, false);
    let entry = entry_state(&f.proto, &p.cfg);
    let params = p.self_call_params(&analyse(&p, &hoisted, &entry));
    assert_eq!(params, Some(vec![Ty::Int]));
    let typed = typed_entry_state(&entry, &[Ty::Int]);
    // The parameter arrives unboxed and dirty: its slot is not written by the caller.
    assert_eq!(typed[0], RegState::defined(Ty::Int, false));
    let states = analyse(&p, &hoisted, &typed);
    assert_eq!(p.typed_return(&states), Some(Ty::Int));

    // Once decided, the self-calls keep their Int result unboxed ...
    p.typed_self = Some(TypedSig {
        params: vec![Ty::Int],
        ret: Ty::Int,
    });
    let call = f.pc(|i| matches!(i, Instr::Call { .. }));
    let Instr::Call { base, .. } = f.proto.code[call as usize] else {
        unreachable!()
    };
    let mut st = typed.clone();
    st[base as usize + 1] = RegState::defined(Ty::Int, false);
    let plan = p.plan(call, &st);
    assert!(
        matches!(
            plan.action,
            Action::Call {
                typed_result: Some(Ty::Int),
                ..
            }
        ),
        "{plan:?}"
    );
    assert_eq!(
        apply(&plan, &st).0[base as usize],
        RegState::unboxed(Ty::Int, false)
    );
    // ... but not with a boxed argument, nor where the check after the call may not deopt.
    let plan = p.plan(call, &typed);
    assert!(matches!(
        plan.action,
        Action::Call {
            typed_result: None,
            ..
        }
    ));
    let no_spec = [call + 1];
    let cautious = Facts {
        no_spec: &no_spec,
        globals: &hints,
        ..spec()
    };
    let mut q = planner(&f, &fb, &cautious);
    q.typed_self = p.typed_self.clone();
    assert!(matches!(
        q.plan(call, &st).action,
        Action::Call {
            typed_result: None,
            ..
        }
    ));
}

#[test]
fn no_typed_entry_without_a_direct_self_call() {
    use super::{analyse, entry_state, hoist};
    // The callee global is unknown (no closure hint): the call is not known to be a self-call.
    let f = fixture(FIB, "fib");
    let fb = f.feedback(&[]);
    let p = planner(&f, &fb, &spec());
    let hoisted = hoist::hoisted_types(&p, false);
    let entry = entry_state(&f.proto, &p.cfg);
    assert_eq!(p.self_call_params(&analyse(&p, &hoisted, &entry)), None);
}

const SQ_CALLER: &str = "func sq(x) { return x * x }\nfunc g(a) {\n  return sq(a + 1) + 1\n}\n";

#[test]
fn a_function_with_guarded_parameters_gets_a_typed_entry_from_their_feedback() {
    use super::{analyse, entry_state, hoist};
    let f = fixture(SQ_CALLER, "sq");
    let mul = f.pc(|i| matches!(i, Instr::Mul { .. }));
    let fb = f.feedback(&[(mul, II)]);
    let p = planner(&f, &fb, &spec());
    let entry = entry_state(&f.proto, &p.cfg);
    let states = analyse(&p, &hoist::hoisted_types(&p, false), &entry);
    assert_eq!(p.param_feedback(&states), Some(vec![Ty::Int]));
    // Without feedback on the parameter (never ran) there is nothing to type it by.
    let none = f.feedback(&[]);
    let p = planner(&f, &none, &spec());
    let states = analyse(&p, &hoist::hoisted_types(&p, false), &entry);
    assert_eq!(p.param_feedback(&states), None);
}

#[test]
fn a_call_of_another_function_with_matching_unboxed_arguments_is_typed() {
    use super::typed::{TypedCall, TypedSig};
    let f = fixture(SQ_CALLER, "g");
    let sq = f
        .program
        .protos
        .iter()
        .find(|p| &*p.display_name == "sq")
        .expect("sq exists");
    let slot = f.global("sq");
    let callee = Callee {
        proto: ProtoRef::of(sq),
        id: sq.id,
    };
    let hints = move |g| match g == slot {
        true => GlobalHint::Closure {
            proto: callee.proto,
            id: callee.id,
            arity: 1,
        },
        false => GlobalHint::Other,
    };
    let facts = Facts {
        globals: &hints,
        ..spec()
    };
    let words: Vec<(u32, u32)> = (0..f.proto.code.len() as u32)
        .filter(|&pc| f.proto.code[pc as usize].has_feedback())
        .map(|pc| (pc, II))
        .collect();
    let fb = f.feedback(&words);
    let mut p = planner(&f, &fb, &facts);
    let call = f.pc(|i| matches!(i, Instr::Call { .. }));
    let Instr::Call { base, argc } = f.proto.code[call as usize] else {
        unreachable!()
    };
    let mut st = f.boxed();
    st[base as usize + 1] = RegState::unboxed(Ty::Int, false);
    let typed_result = |p: &Planner<'_>, st: &State| match p.plan(call, st).action {
        Action::Call { typed_result, .. } => typed_result,
        other => panic!("{other:?}"),
    };
    // The callee has no typed entry yet: a plain direct call.
    assert_eq!(typed_result(&p, &st), None);
    p.typed_callees.insert(
        sq.id,
        TypedSig {
            params: vec![Ty::Int],
            ret: Ty::Int,
        },
    );
    let direct = match p.plan(call, &st).action {
        Action::Call { direct, .. } => direct,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        p.typed_target(&st, base, argc, direct).map(|(c, _)| c),
        Some(TypedCall::Other(sq.id))
    );
    assert_eq!(typed_result(&p, &st), Some(Ty::Int));
    // An argument of another type, or boxed, takes the boxed entry.
    st[base as usize + 1] = RegState::unboxed(Ty::Float, false);
    assert_eq!(typed_result(&p, &st), None);
    st[base as usize + 1] = RegState::BOXED;
    assert_eq!(typed_result(&p, &st), None);
}

#[test]
fn literal_operands_fold_into_unboxed_arithmetic_and_comparisons() {
    let f = fixture(
        "func g(a) {\n    y := a * 0.5\n    if a < 10 { y = y - 1 }\n    return y\n}\n",
        "g",
    );
    let muls: Vec<u32> = (0..f.proto.code.len() as u32)
        .filter(|&pc| matches!(f.proto.code[pc as usize], Instr::BinaryK { .. }))
        .collect();
    assert_eq!(muls.len(), 3, "{:?}", f.proto.code);
    let (mul, lt, sub) = (muls[0], muls[1], muls[2]);
    let fb = f.feedback(&[
        (mul, lhs_bit(tag::FLOAT) | rhs_bit(tag::FLOAT)),
        (lt, II),
        (sub, FF),
    ]);
    // `a * 0.5` with a Float: one guard on `a`, the constant folded in.
    let p = plan_at(&f, &fb, &spec(), mul, &f.boxed());
    assert_eq!(p.guards.len(), 1, "{p:?}");
    assert!(
        matches!(
            p.action,
            Action::Arith {
                op: BinOp::Mul,
                b: Operand::Float(k),
                lt: Ty::Float,
                rt: Ty::Float,
                res: Ty::Float,
                ..
            } if k == 0.5
        ),
        "{p:?}"
    );
    // `a < 10` with an Int: an Int comparison against the immediate.
    let p = plan_at(&f, &fb, &spec(), lt, &f.boxed());
    assert!(
        matches!(
            p.action,
            Action::Cmp {
                op: BinOp::Lt,
                b: Operand::Imm(10),
                ty: Ty::Int,
                ..
            }
        ),
        "{p:?}"
    );
    // A Float compared with an Int constant is not lowered (mixed comparison): generic.
    let fb = f.feedback(&[(lt, lhs_bit(tag::FLOAT) | rhs_bit(tag::INT))]);
    let p = plan_at(&f, &fb, &spec(), lt, &f.boxed());
    assert!(matches!(p.action, Action::Generic { .. }), "{p:?}");
}
