//! Kernel intarith, the native Rust twin of intarith.ruff (suites/kernels/README.md).

mod twin_protocol;

use std::hint::black_box;

fn run() -> i64 {
    let n = black_box(2_000_000i64);
    let mut s = 0i64;
    for i in 0..n {
        // Without this LLVM replaces the loop by a closed-form sum (the body is affine in
        // i): the kernel would then measure nothing.
        let t = black_box(i * 3 + 7);
        s = s + t * 2 - i * 5;
    }
    s
}

fn main() -> std::process::ExitCode {
    twin_protocol::main(run)
}
