//! The public engine API (stub; being written).

/// Runs Ruff programs under one configuration.
pub struct Engine {}
