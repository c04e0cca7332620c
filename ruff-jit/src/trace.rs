//! `--trace-jit`: one stderr line per compile attempt (what, why, size, guards, time or the
//! reason it failed). Deopts are traced from compiled code (`Helper::TraceDeopt`).

use ruff_core::abi::{CompileRequest, CompiledCode};

pub fn compiled(
    req: &CompileRequest<'_>,
    result: &Result<CompiledCode, String>,
    spec: bool,
    hoist: bool,
) {
    let mode = match (spec, hoist) {
        (false, _) => "baseline",
        (true, false) => "specialized",
        (true, true) => "specialized+hoisted",
    };
    match result {
        Ok(c) => eprintln!(
            "[jit] tier: {} ({:?}, {mode}): {} instructions -> {} bytes, {} guards, entries {:?}, {} us",
            req.proto.trace_name,
            req.reason,
            req.proto.code.len(),
            c.code_bytes,
            c.guards_emitted,
            c.entry_pcs,
            c.compile_ns / 1000
        ),
        Err(why) => eprintln!(
            "[jit] tier: {} ({:?}) not compiled: {why}",
            req.proto.trace_name, req.reason
        ),
    }
}
