//! Disassembler for `ruff run --dump-bytecode`: one listing per prototype, in id order.
//!
//! ```text
//! func #1 fib (arity 1, 4 regs, 0 upvalues)
//!    0  Lt             r1 = r0 < r2            ; 2:8
//! ```
//! Operands are shown symbolically: `rN` registers, `kN(value)` constants, names and global
//! names spelled out, jump targets as instruction indices.

use std::fmt::Write;

use super::{any_binary, FuncProto, Instr, Program, UpvalDesc};
use crate::value::Value;

/// A readable listing of every prototype of `program`.
pub fn disassemble(program: &Program) -> String {
    let mut out = String::new();
    for proto in &program.protos {
        disassemble_proto(&mut out, program, proto);
        out.push('\n');
    }
    out
}

fn disassemble_proto(out: &mut String, program: &Program, p: &FuncProto) {
    let _ = writeln!(
        out,
        "func #{} {} (arity {}, {} regs, {} upvalues{}{})",
        p.id,
        p.trace_name,
        p.arity,
        p.num_regs,
        p.upvals.len(),
        if p.is_method { ", method" } else { "" },
        if p.is_anonymous { ", anonymous" } else { "" },
    );
    for (i, u) in p.upvals.iter().enumerate() {
        let _ = match u {
            UpvalDesc::ParentReg(r) => writeln!(out, "  upvalue {i}: parent r{r}"),
            UpvalDesc::ParentUpval(j) => writeln!(out, "  upvalue {i}: parent upvalue {j}"),
        };
    }
    for (i, c) in p.children.iter().enumerate() {
        let _ = writeln!(out, "  child {i}: #{} {}", c.id, c.trace_name);
    }
    for (pc, instr) in p.code.iter().enumerate() {
        let (op, text) = describe(program, p, instr);
        let span = p.spans.get(pc).copied().unwrap_or_default();
        let _ = writeln!(
            out,
            "  {pc:4}  {op:<12} {text:<32} ; {}:{}",
            span.line, span.col
        );
    }
}

fn konst(p: &FuncProto, k: u32) -> String {
    match p.consts.get(k as usize) {
        Some(Value::Str(s)) => format!("k{k}({:?})", s.text),
        Some(Value::Int(i)) => format!("k{k}({i})"),
        Some(Value::Float(f)) => format!("k{k}({f:?})"),
        Some(v) => format!("k{k}({v:?})"),
        None => format!("k{k}(?)"),
    }
}

fn name(p: &FuncProto, n: u16) -> String {
    p.names
        .get(n as usize)
        .map_or_else(|| format!("n{n}(?)"), |s| format!("'{s}'"))
}

fn global(program: &Program, g: u32) -> String {
    program
        .global_names
        .get(g as usize)
        .map_or_else(|| format!("g{g}(?)"), |s| format!("g{g}({s})"))
}

/// The mnemonic and the operand text of one instruction.
fn describe(program: &Program, p: &FuncProto, instr: &Instr) -> (&'static str, String) {
    use Instr::*;
    if let Some((op, dst, a, b)) = instr.as_binary() {
        return (op.name(), format!("r{dst} = r{a} {} r{b}", op.symbol()));
    }
    match *instr {
        any_binary!() => unreachable!("binary operators are handled above"),
        LoadConst { dst, k } => ("LoadConst", format!("r{dst} = {}", konst(p, k))),
        LoadInt { dst, v } => ("LoadInt", format!("r{dst} = {v}")),
        LoadBool { dst, v } => ("LoadBool", format!("r{dst} = {v}")),
        LoadNull { dst } => ("LoadNull", format!("r{dst} = null")),
        Move { dst, src } => ("Move", format!("r{dst} = r{src}")),
        CheckDef { reg, name: n } => ("CheckDef", format!("r{reg} {}", name(p, n))),
        GetGlobal { dst, g } => ("GetGlobal", format!("r{dst} = {}", global(program, g))),
        DefGlobal { g, src } => ("DefGlobal", format!("{} = r{src}", global(program, g))),
        SetGlobal { g, src } => ("SetGlobal", format!("{} = r{src}", global(program, g))),
        NewCell { reg } => ("NewCell", format!("r{reg}")),
        GetCell { dst, cell, name: n } => ("GetCell", format!("r{dst} = *r{cell} {}", name(p, n))),
        SetCell { cell, src } => ("SetCell", format!("*r{cell} = r{src}")),
        GetUpval { dst, idx, name: n } => ("GetUpval", format!("r{dst} = up{idx} {}", name(p, n))),
        SetUpval { idx, src } => ("SetUpval", format!("up{idx} = r{src}")),
        AddImm { dst, a, imm } => ("AddImm", format!("r{dst} = r{a} + {imm}")),
        BinaryK { op, dst, a, k } => (
            "BinaryK",
            format!("r{dst} = r{a} {} {}", op.symbol(), konst(p, k as u32)),
        ),
        Neg { dst, src } => ("Neg", format!("r{dst} = -r{src}")),
        Not { dst, src } => ("Not", format!("r{dst} = !r{src}")),
        BitNot { dst, src } => ("BitNot", format!("r{dst} = ~r{src}")),
        Truthy { dst, src } => ("Truthy", format!("r{dst} = truthy r{src}")),
        Jump { target } => ("Jump", format!("-> {target}")),
        LoopBack { target } => ("LoopBack", format!("-> {target}")),
        JumpIfFalse { cond, target } => ("JumpIfFalse", format!("r{cond} -> {target}")),
        JumpIfTrue { cond, target } => ("JumpIfTrue", format!("r{cond} -> {target}")),
        IterPrep { iter } => ("IterPrep", format!("r{iter}..r{}", iter + 2)),
        RangePrep { iter, argc } => ("RangePrep", format!("r{iter}({argc} args)")),
        IterNext { iter, dst, exit } => {
            ("IterNext", format!("r{dst} = next r{iter} else -> {exit}"))
        }
        Call { base, argc } => ("Call", format!("r{base} = r{base}({argc} args)")),
        CallMethod {
            base,
            argc,
            name: n,
        } => (
            "CallMethod",
            format!("r{base} = r{}.{}({argc} args)", base + 1, name(p, n)),
        ),
        CheckMethod { obj, name: n } => ("CheckMethod", format!("r{obj}.{}", name(p, n))),
        Return { src } => ("Return", format!("r{src}")),
        ReturnNull => ("ReturnNull", String::new()),
        MakeClosure { dst, proto } => {
            let child = p.children.get(proto as usize).map_or_else(
                || "?".to_string(),
                |c| format!("#{} {}", c.id, c.trace_name),
            );
            ("MakeClosure", format!("r{dst} = child {proto} ({child})"))
        }
        NewArray { dst, start, count } => ("NewArray", format!("r{dst} = [r{start}; {count}]")),
        NewDict { dst, start, count } => {
            ("NewDict", format!("r{dst} = {{r{start}; {count} pairs}}"))
        }
        NewStruct { dst, lit, start } => {
            let s = p
                .struct_lits
                .get(lit as usize)
                .and_then(|l| l.def.upgrade())
                .map_or_else(|| "?".to_string(), |d| d.name.to_string());
            (
                "NewStruct",
                format!("r{dst} = {s} {{from r{start}}} (lit {lit})"),
            )
        }
        Concat { dst, start, count } => ("Concat", format!("r{dst} = concat r{start}; {count}")),
        GetIndex { dst, obj, idx } => ("GetIndex", format!("r{dst} = r{obj}[r{idx}]")),
        SetIndex { obj, idx, src } => ("SetIndex", format!("r{obj}[r{idx}] = r{src}")),
        GetField { dst, obj, name: n } => ("GetField", format!("r{dst} = r{obj}.{}", name(p, n))),
        SetField { obj, name: n, src } => ("SetField", format!("r{obj}.{} = r{src}", name(p, n))),
    }
}
