//! Ruff: a small dynamically typed scripting language (see `../shared/LANGUAGE.md`).
//!
//! Pipeline: source -> `lexer` (tokens) -> `parser` (the `ast`) -> `compiler` (register
//! bytecode, `bytecode`) -> `vm` (the interpreter). `engine` is the public API that ties them
//! together; `tier` is the seam through which a JIT (the `ruff-jit` crate) plugs in.
//! This crate knows nothing of Cranelift and builds and tests without `ruff-jit`.

pub mod abi;
pub mod ast;
pub mod builtins;
pub mod bytecode;
pub mod compiler;
pub mod config;
pub mod deep;
pub mod engine;
pub mod error;
pub mod events;
pub mod heap;
pub mod lexer;
pub mod mem;
pub mod panic_guard;
pub mod parser;
pub mod profile;
pub mod sampler;
pub mod source;
pub mod span;
pub mod stability;
pub mod stats;
pub mod tier;
pub mod value;
pub mod values;
mod vm;

pub use config::{Config, Preset};
pub use engine::{compile, Engine};
pub use error::{Error, ErrorKind};
pub use stats::Stats;
pub use value::Value;

/// Every binary built with this crate counts its live heap bytes per thread (`mem`), which
/// is what the engine's `max-memory` limit measures.
#[global_allocator]
static GLOBAL: mem::CountingAlloc = mem::CountingAlloc;
