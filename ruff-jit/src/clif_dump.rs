//! `--dump-clif`: prints the Cranelift IR of each compiled function to stderr, before
//! Cranelift optimizes it (what the translator produced).

use cranelift_codegen::ir::Function;

pub fn dump(name: &str, func: &Function) {
    eprintln!("; ---- CLIF of {name} ----\n{}", func.display());
}
