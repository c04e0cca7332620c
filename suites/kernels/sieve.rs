//! Kernel sieve, the native Rust twin of sieve.ruff (suites/kernels/README.md): the flags
//! are built by push, like the other languages (not `vec![true; n + 1]`).

mod twin_protocol;

use std::hint::black_box;

fn run() -> i64 {
    let n = black_box(300_000usize);
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

fn main() -> std::process::ExitCode {
    twin_protocol::main(run)
}
