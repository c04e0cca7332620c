//! Parsing of `ruff bench` iteration records: one JSON object per line,
//! `{"iteration":I,"wall_ns":W,"stdout_bytes":B,<Stats fields as deltas>}` (docs/DESIGN.md,
//! "`ruff bench` protocol"). Unknown numeric fields are kept as counters, so new `Stats`
//! fields flow through without a harness change; a line that is not such an object is an
//! error (the caller reports it as the invocation's failure, never as a number).

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
            _ => {
                it.counters.insert(key.clone(), n);
            }
        }
    }
    if !seen.0 || !seen.1 {
        bail!("record lacks `iteration` or `wall_ns`: {line:.120}");
    }
    Ok(it)
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
        assert_eq!(r[0].counters["deopts"], 2);
        assert_eq!(r[0].counters["compile_ns"], 9);
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse_records("{\"iteration\":0,\"wall").is_err());
        assert!(parse_records("[1,2]").is_err());
        assert!(parse_records("{\"iteration\":0}").is_err());
    }
}
