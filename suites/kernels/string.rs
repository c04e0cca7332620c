//! Kernel string, the native Rust twin of string.ruff (suites/kernels/README.md): appends in
//! place (amortised), as Ruff's `s = s + x` must.

mod twin_protocol;

use std::hint::black_box;

fn run() -> i64 {
    let n = black_box(200_000i64);
    let mut s = String::new();
    for i in 0..n {
        s += &i.to_string();
    }
    s.chars().count() as i64
}

fn main() -> std::process::ExitCode {
    twin_protocol::main(run)
}
