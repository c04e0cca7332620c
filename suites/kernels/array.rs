//! Kernel array, the native Rust twin of array.ruff (suites/kernels/README.md): the vector
//! grows by push (no `with_capacity`), as the array does in the other languages.

mod twin_protocol;

use std::hint::black_box;

fn run() -> i64 {
    let n = black_box(100_000i64);
    let rounds = black_box(5i64);
    let mut total = 0i64;
    for r in 0..rounds {
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

fn main() -> std::process::ExitCode {
    twin_protocol::main(run)
}
