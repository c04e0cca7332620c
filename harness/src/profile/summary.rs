//! The summary of a profile: share of samples per tier, the hottest functions and lines
//! (by self samples: the innermost Ruff frame of each stack), the top deopt sites and the
//! compile totals. Written as `summary.txt` (and printed) and `profile.json` (read by the
//! HTML report's profile section, `report::profiles`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{json, Value};

use super::events::Events;
use super::flame::frame_tier;
use super::Request;

/// Rows of each top list.
const TOP: usize = 8;

pub struct Summary {
    pub text: String,
    pub json: Value,
}

/// The innermost Ruff frame of a folded stack (tier frames such as `[helper]` skipped).
pub fn innermost(stack: &str) -> &str {
    stack
        .split(';')
        .rfind(|f| !f.starts_with('['))
        .unwrap_or(stack)
}

/// A frame label without its line and tier: the function's name.
pub fn function_of(frame: &str) -> &str {
    let f = frame.strip_suffix(" [jit]").unwrap_or(frame);
    // `NAME:LINE`, or `NAME` alone (a compiled frame sampled at a return).
    match f.rsplit_once(':') {
        Some((name, line)) if line.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => f,
    }
}

/// Self samples per key, most first (ties by name).
fn top(counts: BTreeMap<String, u64>) -> Vec<(String, u64)> {
    let mut v: Vec<_> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(TOP);
    v
}

impl Summary {
    pub fn new(req: &Request<'_>, folded: &str, ev: &Events, native: Option<String>) -> Summary {
        let mut total = 0u64;
        let mut tiers: BTreeMap<&str, u64> = BTreeMap::new();
        let mut functions = BTreeMap::new();
        let mut lines = BTreeMap::new();
        for line in folded.lines() {
            let Some((stack, n)) = line.rsplit_once(' ') else {
                continue;
            };
            let Ok(n) = n.parse::<u64>() else { continue };
            total += n;
            let top_frame = stack.rsplit(';').next().unwrap_or(stack);
            *tiers.entry(frame_tier(top_frame)).or_default() += n;
            let inner = innermost(stack);
            *functions.entry(function_of(inner).to_string()).or_default() += n;
            let label = inner.strip_suffix(" [jit]").unwrap_or(inner).to_string();
            *lines.entry(label).or_default() += n;
        }
        let share = |n: u64| {
            if total > 0 {
                n as f64 / total as f64
            } else {
                0.0
            }
        };
        let functions = top(functions);
        let lines = top(lines);
        let compile_ms: f64 = ev.compiles.iter().map(|c| c.compile_ms).sum();
        let deopts: u64 = ev.deopts.iter().map(|d| d.count).sum();

        let mut text = String::new();
        let _ = writeln!(
            text,
            "{} under {}: {total} samples ({} us interval)",
            req.bench.name, req.config, req.interval_us
        );
        let tier_text: Vec<String> = ["interp", "jit", "helper", "compiling"]
            .iter()
            .map(|t| {
                let n = tiers.get(t).copied().unwrap_or(0);
                format!("{t} {:.1}%", 100.0 * share(n))
            })
            .collect();
        let _ = writeln!(text, "tiers: {}", tier_text.join(", "));
        let _ = writeln!(text, "hottest functions (self samples):");
        for (name, n) in &functions {
            let _ = writeln!(text, "  {:6.1}%  {name}", 100.0 * share(*n));
        }
        let _ = writeln!(text, "hottest lines:");
        for (name, n) in &lines {
            let _ = writeln!(text, "  {:6.1}%  {name}", 100.0 * share(*n));
        }
        let _ = writeln!(
            text,
            "compiles: {} ({compile_ms:.2} ms), OSR entries: {}, deopts: {deopts}, recompiles: {}",
            ev.compiles.len(),
            ev.osr_entries,
            ev.recompiles
        );
        if !ev.deopts.is_empty() {
            let _ = writeln!(text, "top deopt sites:");
            for d in ev.deopts.iter().take(TOP) {
                let _ = writeln!(
                    text,
                    "  {:5}  {} line {}:{} ({})",
                    d.count, d.function, d.line, d.col, d.reason
                );
            }
        }
        if let Some(n) = &native {
            let _ = writeln!(text, "{n}");
        }

        const TIERS: [&str; 4] = ["interp", "jit", "helper", "compiling"];
        let tier_shares: serde_json::Map<String, Value> = TIERS
            .iter()
            .map(|t| {
                (
                    t.to_string(),
                    json!(share(tiers.get(t).copied().unwrap_or(0))),
                )
            })
            .collect();
        let top_functions: Vec<Value> = functions
            .iter()
            .map(|(f, n)| json!({"function": f, "samples": n, "share": share(*n)}))
            .collect();
        let top_lines: Vec<Value> = lines
            .iter()
            .map(|(f, n)| json!({"frame": f, "samples": n, "share": share(*n)}))
            .collect();
        // The report shows each site's source line: read it now (reports read run files only).
        let source = std::fs::read_to_string(&req.bench.path).unwrap_or_default();
        let source_line = |line: u64| {
            let text = source.lines().nth((line as usize).saturating_sub(1));
            text.unwrap_or("").trim().to_string()
        };
        let sites: Vec<Value> = ev
            .deopts
            .iter()
            .take(TOP)
            .map(|d| {
                json!({
                    "function": d.function, "line": d.line, "col": d.col, "pc": d.pc,
                    "reason": d.reason, "deopts": d.count, "source": source_line(d.line),
                })
            })
            .collect();
        let json = json!({
            "benchmark": req.bench.name,
            "suite": req.suite.name,
            "config": req.config,
            "iterations": req.iterations,
            "interval_us": req.interval_us,
            "samples": total,
            "tiers": tier_shares,
            "top_functions": top_functions,
            "top_lines": top_lines,
            "deopt_sites": sites,
            "compiles": ev.compiles.len(),
            "compile_ms": compile_ms,
            "osr_entries": ev.osr_entries,
            "deopts": deopts,
            "recompiles": ev.recompiles,
            "native": native,
        });
        Summary { text, json }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_name_their_function() {
        assert_eq!(innermost("a:1;f:3 [jit];[helper]"), "f:3 [jit]");
        assert_eq!(function_of("f:3 [jit]"), "f");
        assert_eq!(function_of("Point.norm:12"), "Point.norm");
        assert_eq!(function_of("<main>"), "<main>");
    }
}
