//! The `ruff` binary (stub; being written).

fn main() {}
