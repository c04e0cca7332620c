//! Native Rust versions of the kernel comparison set (scripts/kernels/README.md).
//!
//! `kernels NAME` runs one kernel and prints its checksum, which must equal what the Ruff,
//! Python and Lua versions print. Every size goes through `std::hint::black_box`, so the
//! optimiser cannot evaluate a kernel at compile time; the algorithms match the other
//! languages step by step (same containers growing by push, same operation order).

use std::collections::HashMap;
use std::hint::black_box;
use std::process::ExitCode;

fn fib(n: i64) -> i64 {
    if n < 2 {
        return n;
    }
    fib(n - 1) + fib(n - 2)
}

fn loops(n: i64) -> i64 {
    let mut s = 0i64;
    for i in 0..n {
        for j in 0..n {
            s = (s + i * j) % 1_000_003;
        }
    }
    s
}

fn intarith(n: i64) -> i64 {
    let mut s = 0i64;
    for i in 0..n {
        // Without this LLVM replaces the loop by a closed-form sum (n is unknown, but the body
        // is affine in i): the kernel would then measure nothing.
        let t = black_box(i * 3 + 7);
        s = s + t * 2 - i * 5;
    }
    s
}

fn float(n: i64, factor: f64) -> i64 {
    let mut x = 0.0f64;
    for _ in 0..n {
        // Two separate operations, as in the other languages: Rust never fuses them into an
        // FMA unless asked, so the rounding matches.
        x = x * factor + 1.0;
    }
    (x * 1000.0) as i64
}

fn array(n: i64, rounds: i64) -> i64 {
    let mut total = 0i64;
    for r in 0..rounds {
        // No `with_capacity`: the array grows by push as it does in Ruff, Python and Lua.
        let mut a = Vec::new();
        for i in 0..n {
            a.push(i + r);
        }
        for v in black_box(&a) {
            total += v;
        }
    }
    total
}

fn dict(n: i64) -> i64 {
    let mut d = HashMap::new();
    for i in 0..n {
        d.insert((i * 7919) % 1_000_003, i);
    }
    let mut s = 0i64;
    for i in 0..n {
        s += d[&((i * 7919) % 1_000_003)];
    }
    s
}

// Built by push on purpose, like the other languages (not `vec![true; n + 1]`).
#[allow(clippy::same_item_push)]
fn sieve(n: usize) -> i64 {
    let mut flags = Vec::new();
    for _ in 0..=n {
        flags.push(true);
    }
    let mut count = 0i64;
    for p in 2..=n {
        if flags[p] {
            count += 1;
            let mut m = p * p;
            while m <= n {
                flags[m] = false;
                m += p;
            }
        }
    }
    count
}

fn string(n: i64) -> i64 {
    let mut s = String::new();
    for i in 0..n {
        s += &i.to_string();
    }
    s.chars().count() as i64
}

/// Runs the kernel called `name`, or returns `None` for an unknown name.
fn run(name: &str) -> Option<i64> {
    Some(match name {
        "fib" => fib(black_box(30)),
        "loops" => loops(black_box(3000)),
        "intarith" => intarith(black_box(10_000_000)),
        "float" => float(black_box(5_000_000), black_box(0.9999995)),
        "array" => array(black_box(1_000_000), black_box(10)),
        "dict" => dict(black_box(200_000)),
        "sieve" => sieve(black_box(2_000_000)),
        "string" => string(black_box(100_000)),
        _ => return None,
    })
}

const NAMES: [&str; 8] = [
    "fib", "loops", "intarith", "float", "array", "dict", "sieve", "string",
];

fn main() -> ExitCode {
    let name = std::env::args().nth(1).unwrap_or_default();
    match run(&name) {
        Some(checksum) => {
            println!("{checksum}");
            ExitCode::SUCCESS
        }
        None => {
            eprintln!(
                "usage: kernels NAME  (NAME is one of: {})",
                NAMES.join(", ")
            );
            ExitCode::from(64)
        }
    }
}
