//! Kernel float, the native Rust twin of float.ruff (suites/kernels/README.md). Multiply and
//! add stay two operations (Rust never fuses them into an FMA unless asked), so the rounding
//! matches the other languages.

mod twin_protocol;

use std::hint::black_box;

fn run() -> i64 {
    let n = black_box(2_000_000i64);
    let factor = black_box(0.9999995f64);
    let mut x = 0.0f64;
    for _ in 0..n {
        x = x * factor + 1.0;
    }
    (x * 1000.0) as i64
}

fn main() -> std::process::ExitCode {
    twin_protocol::main(run)
}
