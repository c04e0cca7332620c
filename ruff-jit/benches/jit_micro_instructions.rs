//! The micro-benchmarks of `jit_micro`, counted in instructions with gungraun (callgrind)
//! instead of timed with criterion: counts are exactly repeatable, so small changes in
//! compile or guard cost show up without the noise of a shared machine.
//!
//! Same scenarios and fixtures (`common`) as `jit_micro`; the ids follow its
//! `GROUP/NAME/CONFIG` scheme as `function::case` so `harness micro --instructions` can map them.
//! Fixtures are built in `setup` functions, which gungraun runs outside the measured region, so
//! only the operation itself is counted. Benchmarks return their inputs (engine, job, words)
//! so that dropping them happens in gungraun's caller, outside the counted function.
//!
//! Needs `gungraun-runner` of the same version as the library on PATH
//! (`cargo install gungraun-runner --version 0.20.0 --locked`) and valgrind.

mod common;

use std::hint::black_box;

use gungraun::prelude::*;
use ruff_core::abi::feedback::{both_mono, FuncProfile};
use ruff_core::abi::tag;
use ruff_core::{Engine, Value};

use common::{chain, function, program, sized_function, warm_engine, Compile, LOOP};

/// A compile job for `additions(1000)` under `config`.
fn adds1000(config: &str) -> Compile {
    let p = program(&common::additions(1000));
    let f = function(&p, "f");
    Compile::new(p, f, config)
}

/// A compile job for a function of at least `len` instructions.
fn instrs(len: usize) -> Compile {
    let (p, f) = sized_function(len);
    Compile::new(p, f, "jit-spec")
}

/// A compile job for the guard loop under `config`.
fn guards(config: &str) -> Compile {
    let p = program(LOOP);
    let f = function(&p, "sum_to");
    Compile::new(p, f, config)
}

#[library_benchmark]
#[bench::adds1000_jit_spec(args = ("jit-spec"), setup = adds1000)]
#[bench::adds1000_jit(args = ("jit"), setup = adds1000)]
#[bench::instrs3_jit_spec(args = (3), setup = instrs)]
#[bench::instrs200_jit_spec(args = (200), setup = instrs)]
#[bench::guards_jit_spec(args = ("jit-spec"), setup = guards)]
#[bench::guards_jit_spec_hoist(args = ("jit-spec-hoist"), setup = guards)]
fn compile(mut job: Compile) -> (usize, Compile) {
    (black_box(job.run()), job)
}

/// An empty profile of `n` instructions.
fn empty_profile(n: usize) -> FuncProfile {
    FuncProfile::new(n)
}

// 1,024 observations; divide by 1,024 for the cost of one. (Plain comments: the
// `library_benchmark` attribute rejects doc comments.)
#[library_benchmark]
#[bench::record1024(args = (1024), setup = empty_profile)]
fn profile(mut p: FuncProfile) -> FuncProfile {
    for pc in 0..p.feedback.len() {
        p.record(black_box(pc), tag::INT, black_box(tag::INT));
    }
    p
}

/// An engine with `chain(100)` compiled under `config`.
fn chain_engine(config: &str) -> Engine {
    warm_engine(&chain(100), config, "chain", 3)
}

/// An engine with the guard loop compiled under `config`.
fn loop_engine(config: &str) -> Engine {
    warm_engine(LOOP, config, "sum_to", 10)
}

/// The source of `chain(100)`, built outside the measured region.
fn chain_src(n: usize) -> String {
    chain(n)
}

#[library_benchmark]
#[bench::chain100_jit_spec(args = ("jit-spec"), setup = chain_engine)]
#[bench::chain100_jit(args = ("jit"), setup = chain_engine)]
fn run_chain(mut engine: Engine) -> (Value, Engine) {
    let v = engine.call_global("chain", &[Value::Int(3)]).unwrap();
    (black_box(v), engine)
}

// What the first hot call pays: load, warm up, compile and run once.
#[library_benchmark]
#[bench::chain100_compile_run(args = (100), setup = chain_src)]
fn run_compile(src: String) -> (Value, Engine) {
    let mut engine = warm_engine(&src, "jit-spec", "chain", 3);
    let v = engine.call_global("chain", &[Value::Int(3)]).unwrap();
    (black_box(v), engine)
}

// 10,000 iterations: the hoisted variant differs by the cost of passing guards.
#[library_benchmark]
#[bench::loop10k_jit_spec(args = ("jit-spec"), setup = loop_engine)]
#[bench::loop10k_jit_spec_hoist(args = ("jit-spec-hoist"), setup = loop_engine)]
fn run_loop(mut engine: Engine) -> (Value, Engine) {
    let v = engine.call_global("sum_to", &[Value::Int(10_000)]).unwrap();
    (black_box(v), engine)
}

/// An engine with `id` warmed up under `config`.
fn id_engine(config: &str) -> Engine {
    warm_engine("func id(x) { return x }\n", config, "id", 1)
}

#[library_benchmark]
#[bench::call_jit_spec(args = ("jit-spec"), setup = id_engine)]
#[bench::call_interp(args = ("interp"), setup = id_engine)]
fn cache(mut engine: Engine) -> (Value, Engine) {
    let v = engine.call_global("id", &[Value::Int(1)]).unwrap();
    (black_box(v), engine)
}

#[library_benchmark]
#[bench::decide1024(args = (1024), setup = common::feedback_words)]
fn specialize(words: Vec<u32>) -> (usize, Vec<u32>) {
    let n = words
        .iter()
        .filter(|w| both_mono(black_box(**w), tag::INT))
        .count();
    (n, words)
}

library_benchmark_group!(name = compile_group, benchmarks = [compile]);
library_benchmark_group!(name = profile_group, benchmarks = [profile]);
library_benchmark_group!(
    name = run_group,
    benchmarks = [run_chain, run_compile, run_loop]
);
library_benchmark_group!(name = cache_group, benchmarks = [cache]);
library_benchmark_group!(name = specialize_group, benchmarks = [specialize]);

main!(
    library_benchmark_groups = compile_group,
    profile_group,
    run_group,
    cache_group,
    specialize_group
);
