//! Unit tests of the compiler (resolution, static errors, code shape) on parsed source.

use crate::bytecode::disasm::disassemble;
use crate::parser;

use super::compile;

#[test]
fn smoke() {
    let src = "func f(n) {\n  x := 0\n  while x < n { x := x + 1 }\n  return x\n}\nprint(f(10))\n";
    let ast = parser::parse(src.as_bytes()).unwrap();
    let p = compile(&ast).unwrap();
    println!("{}", disassemble(&p));
    panic!();
}
