//! The verifier accepts what the compiler produces and rejects hand-made bad bytecode, one
//! broken invariant at a time, without panicking (operand arithmetic that would overflow
//! included).

use std::rc::Rc;

use super::verify;
use crate::bytecode::{FuncProto, Instr, Program, StructLit, UpvalDesc};
use crate::heap::StructDef;
use crate::span::Span;
use crate::value::Value;

/// A `<main>` with `code` in `num_regs` registers, one constant and one name.
fn proto(code: Vec<Instr>, num_regs: u16) -> FuncProto {
    let mut p = FuncProto {
        id: 0,
        trace_name: "<main>".into(),
        display_name: "<main>".into(),
        arity: 0,
        is_method: false,
        is_anonymous: false,
        num_regs,
        spans: vec![Span::default(); code.len()],
        inline_caches: crate::bytecode::inline_cache::InlineCaches::new(code.len()),
        code,
        consts: vec![Value::Int(7)],
        names: vec!["x".into()],
        upvals: vec![],
        children: vec![],
        struct_lits: vec![],
        unbound_at_entry: vec![],
    };
    p.unbound_at_entry = crate::bytecode::entry::unbound_at_entry(&p);
    p
}

fn program_of(protos: Vec<Rc<FuncProto>>) -> Program {
    Program {
        main: protos.last().expect("a prototype").clone(),
        protos,
        global_names: crate::builtins::NAMES.iter().map(|n| (*n).into()).collect(),
        structs: vec![],
    }
}

fn program(p: FuncProto) -> Program {
    program_of(vec![Rc::new(p)])
}

/// The verifier's message for `p` (which must be rejected).
fn rejected(p: Program) -> String {
    match verify(&p) {
        Ok(()) => panic!("accepted bad bytecode: {:?}", p.main.code),
        Err(e) => e.to_string(),
    }
}

fn with_return(mut code: Vec<Instr>) -> Vec<Instr> {
    code.push(Instr::ReturnNull);
    code
}

#[test]
fn accepts_compiled_programs() {
    let source = r#"
        struct P { x, y
            func sum(self) { return self.x + self.y }
        }
        func counter() {
            n := 0
            return func() { n := n + 1; return n }
        }
        c := counter()
        c()
        total := 0
        for i in range(10) { if i % 2 == 0 { continue } total += i }
        for ch in "abc" { print(ch) }
        a := [1, 2, 3]
        push(a, P { x: 1, y: 2 }.sum())
        d := {"k": a[-1]}
        while total > 0 { total -= 7 }
        print("${total} ${d}")
    "#;
    let p = crate::engine::compile(source.as_bytes()).expect("compiles");
    assert!(p.protos.len() >= 4);
    verify(&p).expect("the compiler's output verifies");
}

#[test]
fn the_minimal_function_verifies() {
    verify(&program(proto(vec![Instr::ReturnNull], 0))).expect("valid");
    let code = with_return(vec![
        Instr::LoadConst { dst: 1, k: 0 },
        Instr::Move { dst: 0, src: 1 },
    ]);
    verify(&program(proto(code, 2))).expect("valid");
}

#[test]
fn rejects_registers_outside_the_frame() {
    let m = rejected(program(proto(
        with_return(vec![Instr::Move { dst: 2, src: 0 }]),
        2,
    )));
    assert!(m.contains("register 2 outside the frame of 2"), "{m}");
    let m = rejected(program(proto(
        with_return(vec![Instr::Move { dst: 0, src: 5 }]),
        2,
    )));
    assert!(m.contains("register 5"), "{m}");
    // A call needs the register reserved past its arguments.
    let call = Instr::Call { base: 0, argc: 1 };
    let m = rejected(program(proto(with_return(vec![call]), 2)));
    assert!(m.contains("register 2"), "{m}");
    verify(&program(proto(with_return(vec![call]), 3))).expect("window fits");
    // `range(a, b, c)`: the state is iter..iter+2; a rebound `range` is called with the
    // arguments iter+1..iter+3 and the reserved register iter+4.
    let prep = Instr::RangePrep { iter: 0, argc: 3 };
    verify(&program(proto(with_return(vec![prep]), 5))).expect("window fits");
    assert!(rejected(program(proto(with_return(vec![prep]), 4))).contains("register 4"));
    // The loop state is three registers.
    let next = Instr::IterNext {
        iter: 1,
        dst: 0,
        exit: 2,
    };
    let m = rejected(program(proto(
        vec![next, Instr::LoopBack { target: 0 }, Instr::ReturnNull],
        3,
    )));
    assert!(m.contains("register 3"), "{m}");
}

#[test]
fn register_arithmetic_saturates_instead_of_wrapping() {
    // start + count overflows u16: without saturation the window would wrap to low registers.
    let code = with_return(vec![Instr::NewArray {
        dst: 0,
        start: u16::MAX - 2,
        count: 9,
    }]);
    let m = rejected(program(proto(code, 10)));
    assert!(m.contains("outside the frame"), "{m}");
    let code = with_return(vec![Instr::Call {
        base: u16::MAX - 1,
        argc: 200,
    }]);
    assert!(rejected(program(proto(code, 10))).contains("outside the frame"));
    let code = with_return(vec![Instr::IterPrep { iter: u16::MAX }]);
    assert!(rejected(program(proto(code, u16::MAX))).contains("outside the frame"));
}

#[test]
fn rejects_bad_jumps() {
    let m = rejected(program(proto(
        with_return(vec![Instr::Jump { target: 9 }]),
        0,
    )));
    assert!(m.contains("jump to 9, past the end (2)"), "{m}");
    let back = vec![
        Instr::LoadNull { dst: 0 },
        Instr::Jump { target: 0 },
        Instr::ReturnNull,
    ];
    assert!(rejected(program(proto(back, 1))).contains("backward jump that is not a LoopBack"));
    let fwd = vec![Instr::LoopBack { target: 1 }, Instr::ReturnNull];
    assert!(rejected(program(proto(fwd, 0))).contains("LoopBack jumps forward"));
    let cond = vec![Instr::JumpIfFalse { cond: 0, target: 0 }, Instr::ReturnNull];
    assert!(rejected(program(proto(cond, 1))).contains("backward jump"));
    let exit = vec![
        Instr::IterNext {
            iter: 0,
            dst: 0,
            exit: 3,
        },
        Instr::ReturnNull,
    ];
    assert!(rejected(program(proto(exit, 3))).contains("past the end"));
}

#[test]
fn rejects_falling_off_the_end() {
    let m = rejected(program(proto(vec![Instr::LoadNull { dst: 0 }], 1)));
    assert!(m.contains("falls off the end"), "{m}");
    let m = rejected(program(proto(
        vec![Instr::JumpIfTrue { cond: 0, target: 0 }],
        1,
    )));
    assert!(m.contains("at 0"), "{m}");
    // A final unconditional jump or return is fine.
    let code = vec![Instr::LoopBack { target: 0 }];
    verify(&program(proto(code, 0))).expect("an endless loop ends nowhere");
}

#[test]
fn rejects_indices_outside_their_tables() {
    let cases: Vec<(Instr, &str)> = vec![
        (
            Instr::LoadConst { dst: 0, k: 1 },
            "Const(1) outside its table of 1",
        ),
        (Instr::CheckDef { reg: 0, name: 1 }, "Name(1)"),
        (
            Instr::GetField {
                dst: 0,
                obj: 0,
                name: 3,
            },
            "Name(3)",
        ),
        (Instr::GetGlobal { dst: 0, g: 100_000 }, "Global(100000)"),
        (
            Instr::SetUpval { idx: 0, src: 0 },
            "Upval(0) outside its table of 0",
        ),
        (
            Instr::GetUpval {
                dst: 0,
                idx: 0,
                name: 0,
            },
            "Upval(0)",
        ),
        (
            Instr::MakeClosure { dst: 0, proto: 0 },
            "Child(0) outside its table of 0",
        ),
        (
            Instr::NewStruct {
                dst: 0,
                lit: 2,
                start: 0,
            },
            "StructLit(2)",
        ),
    ];
    for (instr, want) in cases {
        let m = rejected(program(proto(with_return(vec![instr]), 1)));
        assert!(m.contains(want), "{instr:?}: {m}");
    }
}

#[test]
fn rejects_bad_shapes_and_arities() {
    let mut p = proto(vec![], 0);
    assert!(rejected(program(p)).contains("no code"));
    p = proto(vec![Instr::ReturnNull], 0);
    p.spans.clear();
    assert!(rejected(program(p)).contains("0 spans for 1 instructions"));
    p = proto(vec![Instr::ReturnNull], 1);
    p.arity = 2;
    assert!(rejected(program(p)).contains("arity 2 above 1 registers"));
}

#[test]
fn rejects_foreign_or_misnumbered_prototypes() {
    let mut p = proto(vec![Instr::ReturnNull], 0);
    p.id = 3;
    assert!(rejected(program(p)).contains("main is not the program's prototype"));
    let mut g = proto(vec![Instr::ReturnNull], 0);
    g.id = 5;
    let mut main = proto(vec![Instr::ReturnNull], 0);
    main.id = 1;
    let m = rejected(program_of(vec![Rc::new(g), Rc::new(main)]));
    assert!(m.contains("id 5 at index 0"), "{m}");

    // A child prototype that is not in `Program::protos`.
    let mut child = proto(vec![Instr::ReturnNull], 0);
    child.trace_name = "f".into();
    let mut main = proto(
        with_return(vec![Instr::MakeClosure { dst: 0, proto: 0 }]),
        1,
    );
    main.children.push(Rc::new(child));
    let m = rejected(program(main));
    assert!(m.contains("child f is not the program's"), "{m}");
}

#[test]
fn rejects_captures_of_missing_registers_or_upvalues() {
    for (desc, regs) in [(UpvalDesc::ParentReg(4), 2), (UpvalDesc::ParentUpval(0), 2)] {
        let mut child = proto(vec![Instr::ReturnNull], 0);
        child.trace_name = "f".into();
        child.upvals.push(desc);
        let child = Rc::new(child);
        let mut main = proto(
            with_return(vec![Instr::MakeClosure { dst: 0, proto: 0 }]),
            regs,
        );
        main.id = 1;
        main.children.push(child.clone());
        let m = rejected(program_of(vec![child, Rc::new(main)]));
        assert!(m.contains("captures"), "{desc:?}: {m}");
    }
}

#[test]
fn rejects_struct_literals_of_unknown_fields() {
    let def = Rc::new(StructDef {
        name: "P".into(),
        fields: vec!["x".into()],
        methods: Default::default(),
    });
    let mut main = proto(
        with_return(vec![Instr::NewStruct {
            dst: 0,
            lit: 0,
            start: 1,
        }]),
        3,
    );
    main.struct_lits.push(StructLit {
        def: Rc::downgrade(&def),
        field_slots: vec![0, 1],
    });
    let m = rejected(program(main));
    assert!(m.contains("writes field 1 of P"), "{m}");
}
