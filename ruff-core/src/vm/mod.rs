//! The register interpreter (stub; being written).
