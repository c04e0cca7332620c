//! Kernel loops, the native Rust twin of loops.ruff (suites/kernels/README.md).

mod twin_protocol;

use std::hint::black_box;

fn run() -> i64 {
    let n = black_box(1500i64);
    let mut s = 0i64;
    for i in 0..n {
        for j in 0..n {
            s = (s + i * j) % 1_000_003;
        }
    }
    s
}

fn main() -> std::process::ExitCode {
    twin_protocol::main(run)
}
