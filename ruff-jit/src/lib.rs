//! The Cranelift tier of Ruff (stub; being written).
