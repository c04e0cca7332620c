//! Compiler: `ast` to register bytecode (stub; being written).

use crate::ast;
use crate::bytecode::Program;
use crate::error::Error;
use crate::span::Span;

pub fn compile(_program: &ast::Program) -> Result<Program, Error> {
    Err(Error::compile(Span::new(1, 1), "compiler not implemented yet"))
}
