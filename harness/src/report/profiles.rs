//! The report's Profiles section (issue 11): one block per profile a run holds in
//! `RUN_DIR/profiles/*/` (written by `harness run --profile`, `harness profile`): the tier
//! shares, the flamegraph (inferno's interactive SVG, embedded as an `<object>`), the tier
//! timeline (PNG), the hottest functions and the top deopt sites with their source lines.
//! Made from the profiles' `profile.json` files only; runs without profiles get no section.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use super::html::escape;

/// `(nav link, section)`, or `None` when the run has no profile.
pub fn section(run_dir: &Path) -> Option<(String, String)> {
    let mut dirs: Vec<_> = std::fs::read_dir(run_dir.join("profiles"))
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("profile.json").is_file())
        .collect();
    if dirs.is_empty() {
        return None;
    }
    dirs.sort();
    let mut html = String::from(
        "<section id=\"profiles\">\n<h2>Profiles</h2>\n<p>One extra invocation per \
         benchmark × config with the sampling profiler and the JIT's event log on (never one \
         of the measured invocations). Flamegraph frames: blue interpreter, green compiled \
         code, orange runtime helpers, red the compiler; samples are taken at the next VM \
         check after each tick (docs/PROFILING.md).</p>\n",
    );
    for dir in dirs {
        let Ok(text) = std::fs::read_to_string(dir.join("profile.json")) else {
            continue;
        };
        let Ok(p) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        let rel = dir
            .file_name()
            .map(|n| format!("profiles/{}", n.to_string_lossy()))
            .unwrap_or_default();
        block(&mut html, &p, &rel);
    }
    html.push_str("</section>\n");
    Some(("<a href=\"#profiles\">Profiles</a>".to_string(), html))
}

fn str_of<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

fn num(v: &Value, k: &str) -> f64 {
    v.get(k).and_then(Value::as_f64).unwrap_or(0.0)
}

fn block(html: &mut String, p: &Value, rel: &str) {
    let _ = writeln!(
        html,
        "<h3>{} under {}</h3>",
        escape(str_of(p, "benchmark")),
        escape(str_of(p, "config"))
    );
    let tiers: Vec<String> = ["interp", "jit", "helper", "compiling"]
        .iter()
        .map(|t| {
            let share = p.get("tiers").map_or(0.0, |v| num(v, t));
            format!("{t} {:.1}%", 100.0 * share)
        })
        .collect();
    let _ = writeln!(
        html,
        "<p>{} samples; tiers: {}; {} compiles ({:.2} ms), {} deopts, {} recompiles. Files: \
         <a href=\"{rel}/profile.folded\">profile.folded</a>, \
         <a href=\"{rel}/deopts.csv\">deopts.csv</a>, \
         <a href=\"{rel}/compiles.csv\">compiles.csv</a>.</p>",
        num(p, "samples"),
        tiers.join(", "),
        num(p, "compiles"),
        num(p, "compile_ms"),
        num(p, "deopts"),
        num(p, "recompiles"),
    );
    let _ = writeln!(
        html,
        "<figure><object type=\"image/svg+xml\" data=\"{rel}/flamegraph.svg\" \
         style=\"width:100%\">flamegraph: {rel}/flamegraph.svg</object>\
         <figcaption>Flamegraph of the Ruff call stacks (click to zoom).</figcaption></figure>"
    );
    let _ = writeln!(
        html,
        "<figure><img src=\"{rel}/timeline.png\" alt=\"tier timeline\">\
         <figcaption>Share of samples per tier over time; lines: compiles, triangles: \
         deopts.</figcaption></figure>"
    );
    html.push_str("<table><tr><th>hottest function</th><th>self samples</th></tr>");
    for f in p
        .get("top_functions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let _ = write!(
            html,
            "<tr><td>{}</td><td class=\"num\">{:.1}%</td></tr>",
            escape(str_of(f, "function")),
            100.0 * num(f, "share")
        );
    }
    html.push_str("</table>\n");
    let sites: Vec<&Value> = p
        .get("deopt_sites")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect();
    if sites.is_empty() {
        html.push_str("<p>No deopts.</p>\n");
        return;
    }
    html.push_str(
        "<table><tr><th>deopt site</th><th>line:col</th><th>reason</th><th>deopts</th>\
         <th>source</th></tr>",
    );
    for d in sites {
        let _ = write!(
            html,
            "<tr><td>{}</td><td class=\"num\">{}:{}</td><td>{}</td><td class=\"num\">{}</td>\
             <td><code>{}</code></td></tr>",
            escape(str_of(d, "function")),
            num(d, "line"),
            num(d, "col"),
            escape(str_of(d, "reason")),
            num(d, "deopts"),
            escape(str_of(d, "source"))
        );
    }
    html.push_str("</table>\n");
}
