//! Fixtures shared by the micro-benchmarks (`jit_micro` with criterion for time,
//! `jit_micro_instructions` with gungraun for instruction counts): the same programs, profiles and
//! compile requests, so the two tools measure the same work.
//!
//! Everything is built through the public APIs the VM itself uses — `ruff_core::compile`,
//! `FuncProfile`, `ruff_jit::new_tier` and `CompileTier::compile`,
//! `Engine` — so a benchmark measures what the engine pays, not a private shortcut.

#![allow(dead_code)] // each bench binary uses a different part

use std::rc::Rc;

use ruff_core::abi::bytecode::{FuncProto, Program};
use ruff_core::abi::feedback::FuncProfile;
use ruff_core::abi::tag;
use ruff_core::abi::{CompileReason, CompileRequest, CompileTier};
use ruff_core::{Config, Engine, Value};
use ruff_jit::JitOptions;

/// Compiles Ruff source to bytecode.
pub fn program(src: &str) -> Program {
    ruff_core::compile(src.as_bytes()).expect("fixture compiles")
}

/// The prototype of the function named `name`.
pub fn function(p: &Program, name: &str) -> Rc<FuncProto> {
    p.protos
        .iter()
        .find(|f| &*f.display_name == name)
        .cloned()
        .unwrap_or_else(|| panic!("fixture defines {name}"))
}

/// `func f(x) { x = x + 1 ... return x }` with `n` additions.
pub fn additions(n: usize) -> String {
    let mut src = String::from("func f(x) {\n");
    for _ in 0..n {
        src.push_str("    x = x + 1\n");
    }
    src.push_str("    return x\n}\n");
    src
}

/// A function whose bytecode has at least `len` instructions (additions added until it does),
/// with its program. A 1-addition function is the smallest useful one (about 3 instructions).
pub fn sized_function(len: usize) -> (Program, Rc<FuncProto>) {
    for n in 1.. {
        let p = program(&additions(n));
        let f = function(&p, "f");
        if f.code.len() >= len {
            return (p, f);
        }
    }
    unreachable!()
}

/// A `n`-operation arithmetic chain on ints (+, -, *, cycling): specialization's best case.
pub fn chain(n: usize) -> String {
    let mut src = String::from("func chain(x) {\n    y := x\n");
    for i in 0..n {
        let op = ["+", "-", "*"][i % 3];
        let k = if op == "*" { 1 } else { (i % 7) as i64 + 1 };
        src.push_str(&format!("    y = y {op} {k}\n"));
    }
    src.push_str("    return y\n}\n");
    src
}

/// A loop whose body is int arithmetic: guards run once per operation per iteration unless
/// hoisted (`jit-spec-hoist`), so the two presets differ by the cost of passing guards.
pub const LOOP: &str = "func sum_to(n) {
    s := 0
    i := 0
    while i < n {
        s = s + i
        i = i + 1
    }
    return s
}
";

/// A profile saying every instruction saw only ints (what the interpreter records for the
/// fixtures above), so `jit-spec` specializes everything.
pub fn int_profile(f: &FuncProto) -> FuncProfile {
    let mut p = FuncProfile::new(f.code.len());
    for pc in 0..f.code.len() {
        p.record(pc, tag::INT, tag::INT);
    }
    p.calls = 1000;
    p
}

/// Config by name (`jit`, `jit-spec`, ...).
pub fn config(name: &str) -> Config {
    Config::parse(name).expect("valid config")
}

/// Everything a compile request borrows, owned.
pub struct Compile {
    pub program: Program,
    pub proto: Rc<FuncProto>,
    pub profile: FuncProfile,
    pub config: Config,
    pub tier: Box<dyn CompileTier>,
}

impl Compile {
    pub fn new(program: Program, proto: Rc<FuncProto>, config_name: &str) -> Compile {
        let config = config(config_name);
        let profile = int_profile(&proto);
        let tier = ruff_jit::new_tier(&config, JitOptions::default());
        Compile {
            program,
            proto,
            profile,
            config,
            tier,
        }
    }

    /// Compiles once; returns the machine-code size (to keep the result alive).
    pub fn run(&mut self) -> usize {
        let req = CompileRequest {
            program: &self.program,
            proto: &self.proto,
            profile: &self.profile,
            kind: self.config.preset.code().expect("a compiling preset"),
            no_speculation_at: &[],
            reason: CompileReason::Call,
            globals: None,
        };
        self.tier
            .compile(&req)
            .expect("fixture compiles to native code")
            .code_bytes
    }
}

/// An engine that has run `src` and warmed `name` up past the compile threshold, so later
/// calls run compiled code.
pub fn warm_engine(src: &str, config_name: &str, name: &str, arg: i64) -> Engine {
    let config = config(&format!("{config_name}:threshold=2"));
    let tier = ruff_jit::new_tier(&config, JitOptions::default());
    let mut engine = Engine::with_tier(config, tier);
    engine.set_output(Box::new(std::io::sink()));
    engine
        .load("bench.ruff", src.as_bytes())
        .expect("fixture loads");
    engine.run_main().expect("fixture runs");
    for _ in 0..10 {
        engine
            .call_global(name, &[Value::Int(arg)])
            .expect("fixture call");
    }
    engine
}

/// Feedback words of mixed shapes for the specialization decision.
pub fn feedback_words(n: usize) -> Vec<u32> {
    let mut p = FuncProfile::new(n);
    for pc in 0..n {
        match pc % 4 {
            0 | 1 => p.record(pc, tag::INT, tag::INT),
            2 => p.record(pc, tag::FLOAT, tag::INT),
            _ => {
                p.record(pc, tag::INT, tag::INT);
                p.record(pc, tag::STR, tag::INT);
            }
        }
    }
    p.feedback
}
