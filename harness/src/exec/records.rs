//! Parsing of `ruff bench` iteration records: one JSON object per line,
//! `{"iteration":I,"wall_ns":W,"stdout_bytes":B,<Stats fields as deltas>}` (docs/DESIGN.md,
//! "`ruff bench` protocol"). The engine counters are read into `ruff_core::Stats` by the names
//! of `Stats::fields`; fields this harness does not know (a newer `ruff`) are ignored, and a
//! line that is not such an object is an error (the caller reports it as the invocation's
//! failure, never as a number).

use anyhow::{bail, Context, Result};

use super::Iteration;

/// Parses all records in `text` (blank lines ignored). A trailing line without a newline is
/// accepted only if it parses (a killed process may leave half a line: that is an error).
pub fn parse_records(text: &str) -> Result<Vec<Iteration>> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| parse_record(l).with_context(|| format!("record line {}", i + 1)))
        .collect()
}

/// Parses one record line.
pub fn parse_record(line: &str) -> Result<Iteration> {
    let value: serde_json::Value =
        serde_json::from_str(line).with_context(|| format!("not JSON: {line:.120}"))?;
    let Some(map) = value.as_object() else {
        bail!("not a JSON object: {line:.120}");
    };
    let mut it = Iteration::default();
    let mut seen = (false, false);
    for (key, v) in map {
        let Some(n) = v.as_u64() else {
            continue; // strings or floats (e.g. a future "config" field) are not counters
        };
        match key.as_str() {
            "iteration" => {
                it.iteration = u32::try_from(n).context("iteration out of range")?;
                seen.0 = true;
            }
            "wall_ns" => {
                it.wall_ns = n;
                seen.1 = true;
            }
            "stdout_bytes" => it.stdout_bytes = Some(n),
            "instructions" => it.instructions = Some(n),
            name => set_counter(&mut it.engine, name, n),
        }
    }
    if !seen.0 || !seen.1 {
        bail!("record lacks `iteration` or `wall_ns`: {line:.120}");
    }
    Ok(it)
}

/// Sets the `Stats` field called `name` (the names of `Stats::fields`); other names are
/// ignored.
fn set_counter(stats: &mut ruff_core::Stats, name: &str, n: u64) {
    let field = match name {
        "functions_compiled" => &mut stats.functions_compiled,
        "loops_compiled" => &mut stats.loops_compiled,
        "compile_failures" => &mut stats.compile_failures,
        "compile_ns" => &mut stats.compile_ns,
        "machine_code_bytes" => &mut stats.machine_code_bytes,
        "bytecode_instructions_compiled" => &mut stats.bytecode_instructions_compiled,
        "guards_emitted" => &mut stats.guards_emitted,
        "guard_failures" => &mut stats.guard_failures,
        "deopts" => &mut stats.deopts,
        "recompilations" => &mut stats.recompilations,
        "osr_entries" => &mut stats.osr_entries,
        "compiled_calls" => &mut stats.compiled_calls,
        "interpreted_calls" => &mut stats.interpreted_calls,
        _ => return,
    };
    *field = n;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_protocol_lines() {
        let text = "{\"iteration\":0,\"wall_ns\":1500,\"stdout_bytes\":14,\"deopts\":2,\"compile_ns\":9}\n\n\
                    {\"iteration\":1,\"wall_ns\":700,\"stdout_bytes\":14,\"deopts\":0}\n";
        let r = parse_records(text).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(
            (r[0].iteration, r[0].wall_ns, r[0].stdout_bytes),
            (0, 1500, Some(14))
        );
        assert_eq!((r[0].engine.deopts, r[0].engine.compile_ns), (2, 9));
        assert_eq!(r[1].engine.deopts, 0);
    }

    #[test]
    fn every_stats_field_is_read_back() {
        let stats = ruff_core::Stats {
            functions_compiled: 1,
            loops_compiled: 2,
            compile_failures: 3,
            compile_ns: 4,
            machine_code_bytes: 5,
            bytecode_instructions_compiled: 6,
            guards_emitted: 7,
            guard_failures: 8,
            deopts: 9,
            recompilations: 10,
            osr_entries: 11,
            compiled_calls: 12,
            interpreted_calls: 13,
        };
        let json = stats.to_json();
        let line = format!("{{\"iteration\":1,\"wall_ns\":5,{}", &json[1..]);
        assert_eq!(parse_record(&line).unwrap().engine, stats);
        let future = "{\"iteration\":1,\"wall_ns\":5,\"new_counter\":3}";
        assert_eq!(
            parse_record(future).unwrap().engine,
            ruff_core::Stats::default()
        );
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse_records("{\"iteration\":0,\"wall").is_err());
        assert!(parse_records("[1,2]").is_err());
        assert!(parse_records("{\"iteration\":0}").is_err());
    }
}
