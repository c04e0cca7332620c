//! Kernel fib, the native Rust twin of fib.ruff (suites/kernels/README.md). Sizes go through
//! `black_box`, so nothing is evaluated at compile time.

mod twin_protocol;

use std::hint::black_box;

fn fib(n: i64) -> i64 {
    if n < 2 {
        return n;
    }
    fib(n - 1) + fib(n - 2)
}

fn main() -> std::process::ExitCode {
    twin_protocol::main(|| fib(black_box(28)))
}
