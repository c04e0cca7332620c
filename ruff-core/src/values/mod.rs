//! Semantics of values independent of the VM (stub; being written).
