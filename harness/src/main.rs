//! The `harness` binary (stub; being written).

fn main() {}
