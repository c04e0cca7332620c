//! Reads `ruff --events` JSON lines (`ruff_core::events`) into the tables of a profile:
//! `compiles.csv` (one row per compile or failed compile) and `deopts.csv` (deopts
//! aggregated per site: function, source line and column, pc and guard kind, most first).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::{Context, Result};
use serde_json::Value;

/// One compile (or failed compile).
#[derive(Clone, Debug, PartialEq)]
pub struct Compile {
    pub t_ms: f64,
    pub function: String,
    pub line: u64,
    pub reason: String,
    pub kind: String,
    pub instructions: u64,
    pub code_bytes: u64,
    pub compile_ms: f64,
    pub recompile: bool,
    /// Why it failed (`compile_failed` events), empty for a compile.
    pub failed: String,
}

/// The deopts at one site.
#[derive(Clone, Debug, PartialEq)]
pub struct DeoptSite {
    pub function: String,
    pub line: u64,
    pub col: u64,
    pub pc: u64,
    pub reason: String,
    pub count: u64,
    pub first_ms: f64,
}

/// What a profile's event log holds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Events {
    pub compiles: Vec<Compile>,
    pub deopts: Vec<DeoptSite>,
    /// Time of each deopt (for the timeline's marks).
    pub deopt_times: Vec<f64>,
    pub osr_entries: u64,
    pub recompiles: u64,
}

/// A deopt site: function, line, column, pc, reason.
type SiteKey = (String, u64, u64, u64, String);

fn s(v: &Value, k: &str) -> String {
    v.get(k).and_then(Value::as_str).unwrap_or("").to_string()
}

fn n(v: &Value, k: &str) -> u64 {
    v.get(k).and_then(Value::as_u64).unwrap_or(0)
}

/// Parses an event log (lines that are not JSON objects are an error naming the line).
pub fn parse(text: &str) -> Result<Events> {
    let mut ev = Events::default();
    let mut sites: BTreeMap<SiteKey, (u64, f64)> = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value =
            serde_json::from_str(line).with_context(|| format!("events line {}", i + 1))?;
        let t_ms = n(&v, "t_ns") as f64 / 1e6;
        match v.get("event").and_then(Value::as_str) {
            Some(kind @ ("compile" | "compile_failed")) => ev.compiles.push(Compile {
                t_ms,
                function: s(&v, "function"),
                line: n(&v, "line"),
                reason: s(&v, "reason"),
                kind: s(&v, "kind"),
                instructions: n(&v, "instructions"),
                code_bytes: n(&v, "code_bytes"),
                compile_ms: n(&v, "compile_ns") as f64 / 1e6,
                recompile: v.get("recompile").and_then(Value::as_bool) == Some(true),
                failed: if kind == "compile_failed" {
                    s(&v, "why")
                } else {
                    String::new()
                },
            }),
            Some("deopt") => {
                ev.deopt_times.push(t_ms);
                let key = (
                    s(&v, "function"),
                    n(&v, "line"),
                    n(&v, "col"),
                    n(&v, "pc"),
                    s(&v, "reason"),
                );
                let e = sites.entry(key).or_insert((0, t_ms));
                e.0 += 1;
            }
            Some("osr_entry") => ev.osr_entries += 1,
            Some("recompile") => ev.recompiles += 1,
            _ => {}
        }
    }
    ev.deopts = sites
        .into_iter()
        .map(
            |((function, line, col, pc, reason), (count, first_ms))| DeoptSite {
                function,
                line,
                col,
                pc,
                reason,
                count,
                first_ms,
            },
        )
        .collect();
    ev.deopts.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(a.first_ms.total_cmp(&b.first_ms))
    });
    Ok(ev)
}

/// A CSV field (quoted when it must be).
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// `deopts.csv`.
pub fn deopts_csv(ev: &Events) -> String {
    let mut out = String::from("function,line,col,pc,reason,deopts,first_ms\n");
    for d in &ev.deopts {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{:.3}",
            field(&d.function),
            d.line,
            d.col,
            d.pc,
            d.reason,
            d.count,
            d.first_ms
        );
    }
    out
}

/// `compiles.csv`.
pub fn compiles_csv(ev: &Events) -> String {
    let mut out = String::from(
        "t_ms,function,line,reason,kind,instructions,code_bytes,compile_ms,recompile,failed\n",
    );
    for c in &ev.compiles {
        let _ = writeln!(
            out,
            "{:.3},{},{},{},{},{},{},{:.3},{},{}",
            c.t_ms,
            field(&c.function),
            c.line,
            c.reason,
            c.kind,
            c.instructions,
            c.code_bytes,
            c.compile_ms,
            c.recompile,
            field(&c.failed)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = r#"{"event":"compile","t_ns":1000000,"function":"add","line":2,"reason":"call","kind":"specialized","instructions":3,"code_bytes":101,"compile_ns":700000,"recompile":false}
{"event":"deopt","t_ns":2000000,"function":"add","pc":0,"line":2,"col":12,"reason":"type_guard","count":1}
{"event":"deopt","t_ns":3000000,"function":"add","pc":0,"line":2,"col":12,"reason":"type_guard","count":2}
{"event":"deopt","t_ns":4000000,"function":"run","pc":15,"line":8,"col":12,"reason":"no_feedback","count":1}
"#;

    #[test]
    fn deopts_are_grouped_by_site_most_first() {
        let ev = parse(LOG).unwrap();
        assert_eq!(
            deopts_csv(&ev),
            "function,line,col,pc,reason,deopts,first_ms\nadd,2,12,0,type_guard,2,2.000\n\
             run,8,12,15,no_feedback,1,4.000\n"
        );
        assert_eq!(ev.deopt_times.len(), 3);
        assert!(compiles_csv(&ev).ends_with("1.000,add,2,call,specialized,3,101,0.700,false,\n"));
    }

    #[test]
    fn a_bad_line_is_named() {
        let err = parse("{}\nnot json\n").unwrap_err();
        assert!(format!("{err:#}").contains("events line 2"));
    }
}
