//! Micro-benchmarks of the JIT machinery, timed with criterion (statistics: criterion's
//! bootstrap of the mean and median over samples; see its book, "Analysis Process").
//! `harness micro` runs this and folds the estimates into the suite-run format.
//!
//! criterion is built without its plotting features (workspace dependency), so the font
//! pitfall of DEPENDENCIES.md (ab_glyph `FontUnavailable`) cannot arise here.
//!
//! Groups: `compile` (1,000 additions specialized vs generic; 3 vs 200 instructions; guards
//! per operation vs hoisted), `profile` (one `FuncProfile::record`), `run` (100-operation
//! specialized chain; a loop with guards per operation vs hoisted, i.e. the cost of passing
//! guards), `cache` (a call that finds compiled code), `specialize` (the decision on a
//! feedback word).

mod common;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use ruff_core::abi::feedback::{both_mono, FuncProfile};
use ruff_core::abi::tag;
use ruff_core::Value;

use common::{chain, function, program, sized_function, warm_engine, Compile, LOOP};

fn compile(c: &mut Criterion) {
    let mut g = c.benchmark_group("compile");
    g.sample_size(20);
    for config in ["jit-spec", "jit"] {
        let p = program(&common::additions(1000));
        let f = function(&p, "f");
        let mut job = Compile::new(p, f, config);
        g.bench_function(format!("adds1000/{config}"), |b| {
            b.iter(|| black_box(job.run()))
        });
    }
    for len in [3, 200] {
        let (p, f) = sized_function(len);
        let mut job = Compile::new(p, f, "jit-spec");
        g.bench_function(format!("instrs{len}/jit-spec"), |b| {
            b.iter(|| black_box(job.run()))
        });
    }
    // Guard emission: the same loop compiled with a guard before each speculated operation
    // and with loop-invariant guards hoisted to the entry.
    for config in ["jit-spec", "jit-spec-hoist"] {
        let p = program(LOOP);
        let f = function(&p, "sum_to");
        let mut job = Compile::new(p, f, config);
        g.bench_function(format!("guards/{config}"), |b| {
            b.iter(|| black_box(job.run()))
        });
    }
    g.finish();
}

fn profile(c: &mut Criterion) {
    let mut g = c.benchmark_group("profile");
    const N: usize = 1024;
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("record1024", |b| {
        b.iter_batched_ref(
            || FuncProfile::new(N),
            |p| {
                for pc in 0..N {
                    p.record(black_box(pc), tag::INT, black_box(tag::INT));
                }
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

fn run(c: &mut Criterion) {
    let mut g = c.benchmark_group("run");
    let src = chain(100);
    for config in ["jit-spec", "jit"] {
        let mut engine = warm_engine(&src, config, "chain", 3);
        g.bench_function(format!("chain100/{config}"), |b| {
            b.iter(|| black_box(engine.call_global("chain", &[Value::Int(3)]).unwrap()))
        });
    }
    // Compile and run once: what the first hot call pays.
    g.sample_size(20);
    g.bench_function("chain100/compile+run", |b| {
        b.iter(|| {
            let mut engine = warm_engine(&src, "jit-spec", "chain", 3);
            black_box(engine.call_global("chain", &[Value::Int(3)]).unwrap())
        })
    });
    g.sample_size(50);
    const N: i64 = 10_000;
    g.throughput(Throughput::Elements(N as u64));
    for config in ["jit-spec", "jit-spec-hoist"] {
        let mut engine = warm_engine(LOOP, config, "sum_to", 10);
        g.bench_function(format!("loop10k/{config}"), |b| {
            b.iter(|| black_box(engine.call_global("sum_to", &[Value::Int(N)]).unwrap()))
        });
    }
    g.finish();
}

fn cache(c: &mut Criterion) {
    let mut g = c.benchmark_group("cache");
    let src = "func id(x) { return x }\n";
    for config in ["jit-spec", "interp"] {
        let mut engine = warm_engine(src, config, "id", 1);
        g.bench_function(format!("call/{config}"), |b| {
            b.iter(|| black_box(engine.call_global("id", &[Value::Int(1)]).unwrap()))
        });
    }
    g.finish();
}

fn specialize(c: &mut Criterion) {
    let mut g = c.benchmark_group("specialize");
    let words = common::feedback_words(1024);
    g.throughput(Throughput::Elements(words.len() as u64));
    g.bench_function("decide1024", |b| {
        b.iter(|| {
            words
                .iter()
                .filter(|w| both_mono(black_box(**w), tag::INT))
                .count()
        })
    });
    g.finish();
}

criterion_group!(benches, compile, profile, run, cache, specialize);
criterion_main!(benches);
