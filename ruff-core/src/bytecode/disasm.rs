//! Disassembler for `--dump-bytecode` (stub; being written).

use super::Program;

pub fn disassemble(_program: &Program) -> String {
    String::new()
}
