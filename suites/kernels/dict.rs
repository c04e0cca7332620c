//! Kernel dict, the native Rust twin of dict.ruff (suites/kernels/README.md): std's HashMap
//! (SipHash), the map a Rust programmer reaches for first.

mod twin_protocol;

use std::collections::HashMap;
use std::hint::black_box;

fn run() -> i64 {
    let n = black_box(200_000i64);
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

fn main() -> std::process::ExitCode {
    twin_protocol::main(run)
}
