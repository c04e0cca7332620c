//! The report's Environment section: what a reader needs to judge a number — machine, OS,
//! CPU governor, load during the run, toolchain, commit, the command that reproduces the
//! run — as one short table made from `run.json`, with the whole file folded away below it
//! (an HTML `<details>`) for anyone who needs a field the table leaves out.
//!
//! Every field is optional: a run folder copied from an older harness, a micro-benchmark run
//! or a hand-made one shows what it has and "not recorded" for the rest.

use std::fmt::Write as _;

use serde_json::Value;

use super::html::escape;

/// The section's HTML for `run.json` (or a note when the run folder has none).
pub fn section(json: Option<&Value>) -> String {
    let Some(json) = json else {
        return "<p>No run.json in the run folder.</p>".into();
    };
    let mut t = String::from("<table class=\"env\">");
    for (name, value) in rows(json) {
        let _ = write!(
            t,
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            escape(name),
            value
        );
    }
    t.push_str("</table>");
    if let Some(shards) = super::shards::table(json) {
        t.push_str(&shards);
    }
    let mut flat = Vec::new();
    flatten("", json, &mut flat);
    let _ = write!(
        t,
        "<details><summary>All of run.json ({} fields)</summary><table><tr><th>field</th><th>value</th></tr>",
        flat.len()
    );
    for (k, v) in flat {
        let _ = write!(
            t,
            "<tr><td><code>{}</code></td><td>{}</td></tr>",
            escape(&k),
            escape(&v)
        );
    }
    t + "</table></details>"
}

const MISSING: &str = "<span class=\"meta\">not recorded</span>";

/// The grouped rows: (name, HTML value).
fn rows(json: &Value) -> Vec<(&'static str, String)> {
    let text = |path: &str| json.pointer(path).and_then(Value::as_str).map(escape);
    let machine = |field: &str| json.pointer(&format!("/machine/{field}"));
    let mut rows = Vec::new();

    let mut run = text("/run_id").unwrap_or_default();
    if let Some(kind) = text("/kind") {
        let tool = text("/tool").map(|t| format!(" ({t})")).unwrap_or_default();
        let _ = write!(run, ", {kind}{tool}");
    }
    if let Some(state) = text("/state") {
        let class = if state == "finished" { "ok" } else { "bad" };
        let _ = write!(run, ", <span class=\"{class}\">{state}</span>");
    }
    if let Some(start) = text("/started_at") {
        let _ = write!(run, "; started {}", short_time(&start));
        if let Some(end) = text("/finished_at") {
            let _ = write!(run, ", finished {}", short_time(&end));
        }
    }
    if let Some(counts) = json.get("status_counts").and_then(Value::as_object) {
        let parts: Vec<String> = counts
            .iter()
            .map(|(k, v)| format!("{} {}", escape(k), v))
            .collect();
        if !parts.is_empty() {
            let _ = write!(run, "; invocations: {}", parts.join(", "));
        }
    }
    rows.push(("run", run));

    let cores = machine("cores").and_then(Value::as_u64);
    let mut hw: Vec<String> = Vec::new();
    if let Some(cpu) = machine("cpu_model").and_then(Value::as_str) {
        hw.push(escape(cpu));
    }
    if let Some(c) = cores {
        hw.push(format!("{c} cores"));
    }
    if let Some(kb) = machine("memory_kb").and_then(Value::as_u64) {
        hw.push(format!("{:.1} GiB memory", kb as f64 / 1_048_576.0));
    }
    rows.push(("machine", joined(&hw)));

    let os: Vec<String> = [("os", ""), ("kernel", "kernel ")]
        .iter()
        .filter_map(|(f, label)| {
            machine(f)
                .and_then(Value::as_str)
                .map(|v| format!("{label}{}", escape(v)))
        })
        .collect();
    rows.push(("OS", joined(&os)));

    let governor = match machine("cpu_governor").and_then(Value::as_str) {
        Some(g) if g == "performance" => escape(g),
        Some(g) => format!("{} <span class=\"meta\">(frequency may vary: <code>performance</code> gives steadier times)</span>", escape(g)),
        None if json.get("machine").is_some() => {
            "<span class=\"meta\">not readable (no cpufreq on this machine, e.g. a VM)</span>".into()
        }
        None => MISSING.into(),
    };
    rows.push(("CPU governor", governor));
    rows.push(("load during the run", load(json, cores)));

    let tools: Vec<String> = [
        text("/rustc"),
        text("/harness_version").map(|v| format!("harness {v}")),
        text("/resolved/ruff_version"),
    ]
    .into_iter()
    .flatten()
    .collect();
    rows.push(("toolchain", joined(&tools)));
    if let Some(executor) = text("/executor") {
        rows.push(("executor", executor));
    }

    let commit = match text("/git/commit") {
        Some(c) => {
            let dirty = json.pointer("/git/dirty").and_then(Value::as_bool) == Some(true);
            format!(
                "<code>{c}</code>{}",
                if dirty {
                    " <span class=\"bad\">with uncommitted changes</span>"
                } else {
                    ""
                }
            )
        }
        None => MISSING.into(),
    };
    rows.push(("commit", commit));

    rows.push((
        "command",
        match json.get("parameters") {
            Some(p) if p.is_object() => format!("<code>{}</code>", escape(&command_line(p))),
            _ => text("/source")
                .map(|s| format!("ingested from <code>{s}</code>"))
                .unwrap_or_else(|| MISSING.into()),
        },
    ));
    // `harness run` nests the options under `method.analysis`; micro runs put them in `method`.
    if let Some(m) = json
        .pointer("/method/analysis")
        .or_else(|| json.get("method"))
    {
        let mut parts = Vec::new();
        if let Some(v) = m.get("measure").and_then(Value::as_str) {
            parts.push(format!("measure {}", escape(v)));
        }
        if let Some(c) = m.get("confidence").and_then(Value::as_f64) {
            parts.push(format!("{}% intervals", (c * 100.0).round()));
        }
        if let Some(r) = m.get("resamples").and_then(Value::as_u64) {
            parts.push(format!("{r} bootstrap resamples"));
        }
        if let Some(s) = m.get("seed").and_then(Value::as_u64) {
            parts.push(format!("seed {s}"));
        }
        rows.push(("statistics", joined(&parts)));
    }
    rows
}

fn joined(parts: &[String]) -> String {
    if parts.is_empty() {
        MISSING.into()
    } else {
        parts.join(", ")
    }
}

/// `2026-12-02T13:43:14.306921707+00:00` → `2026-12-02 13:43:14 UTC`.
fn short_time(rfc3339: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => t
            .with_timezone(&chrono::Utc)
            .format("%Y-%m-%d %H:%M:%S UTC")
            .to_string(),
        Err(_) => rfc3339.to_string(),
    }
}

/// Load averages at start and end, with a warning when, less the benchmark process itself
/// (about 1), either exceeds half the cores: other work was competing for the CPU.
fn load(json: &Value, cores: Option<u64>) -> String {
    let triple = |field: &str| -> Option<Vec<f64>> {
        let a = json.pointer(&format!("/machine/{field}"))?.as_array()?;
        a.iter().map(Value::as_f64).collect()
    };
    let (start, end) = (triple("load_average_start"), triple("load_average_end"));
    if start.is_none() && end.is_none() {
        return MISSING.into();
    }
    let show = |v: &Option<Vec<f64>>| match v {
        Some(v) => v
            .iter()
            .map(|x| format!("{x:.2}"))
            .collect::<Vec<_>>()
            .join(" / "),
        None => "?".into(),
    };
    let mut out = format!(
        "{} at the start, {} at the end <span class=\"meta\">(1 / 5 / 15-minute load averages, the benchmark itself counting about 1)</span>",
        show(&start),
        show(&end)
    );
    let peak = [&start, &end]
        .into_iter()
        .flatten()
        .filter_map(|v| v.first().copied())
        .fold(0.0f64, f64::max);
    if let Some(c) = cores.filter(|c| *c > 0) {
        if peak - 1.0 > c as f64 * 0.5 {
            let _ = write!(
                out,
                " <span class=\"bad\">busy: load {peak:.2} on {c} cores, other work was competing</span>"
            );
        }
    }
    out
}

/// The `harness run` command line that repeats the run, from the recorded parameters
/// (defaults left out, the seed always given so the schedule and intervals repeat).
pub fn command_line(p: &Value) -> String {
    let mut words = vec!["harness".to_string(), "run".to_string()];
    let list = |field: &str| -> Vec<String> {
        p.get(field)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    };
    words.extend(list("suites").into_iter().map(|s| quote(&s)));
    for c in list("configs") {
        words.push(format!("--configs {}", quote(&c)));
    }
    let bench = list("bench");
    if !bench.is_empty() {
        words.push(format!("--bench {}", quote(&bench.join(","))));
    }
    if p.get("quick").and_then(Value::as_bool) == Some(true) {
        words.push("--quick".into());
    }
    let flags = [
        ("invocations", "-n"),
        ("iterations", "-i"),
        ("timeout", "--timeout"),
        ("seed", "--seed"),
        ("reference", "--reference"),
    ];
    for (field, flag) in flags {
        match p.get(field) {
            Some(Value::Number(n)) => words.push(format!("{flag} {n}")),
            Some(Value::String(s)) => words.push(format!("{flag} {}", quote(s))),
            _ => {}
        }
    }
    for (field, default) in [("measure", "wall"), ("executor", "subprocess")] {
        if let Some(v) = p.get(field).and_then(Value::as_str) {
            if v != default {
                words.push(format!("--{field} {v}"));
            }
        }
    }
    if let Some(r) = p.get("resamples").and_then(Value::as_u64) {
        if r != crate::stats::DEFAULT_RESAMPLES as u64 {
            words.push(format!("--resamples {r}"));
        }
    }
    words.join(" ")
}

/// Single-quotes a shell word that needs it.
fn quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./,:=@+".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// `run.json` flattened to dotted keys (arrays of scalars joined, arrays of objects indexed).
fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        Value::Array(items) if items.iter().all(|i| !i.is_object()) => {
            let parts: Vec<String> = items.iter().map(scalar).collect();
            out.push((prefix.to_string(), parts.join(", ")));
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), item, out);
            }
        }
        other => out.push((prefix.to_string(), scalar(other))),
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run_json() -> Value {
        json!({
            "run_id": "r1", "state": "interrupted",
            "started_at": "2026-12-02T13:43:14.3+00:00",
            "rustc": "rustc 1.95.0", "harness_version": "0.1.0",
            "git": {"commit": "abc123", "dirty": true},
            "machine": {"cpu_model": "AMD EPYC", "cores": 2, "os": "Debian 12",
                        "kernel": "6.1", "load_average_start": [2.75, 0.9, 0.6],
                        "load_average_end": [0.2, 0.3, 0.4], "cpu_governor": null},
            "parameters": {"suites": ["suites/jit"], "configs": ["interp;jit:threshold=1"],
                           "bench": [], "invocations": 3, "iterations": null,
                           "quick": false, "seed": 42, "measure": "wall",
                           "executor": "subprocess", "resamples": 10000},
            "method": {"measure": "wall", "confidence": 0.95, "resamples": 10000, "seed": 42},
            "status_counts": {"ok": 7}
        })
    }

    #[test]
    fn the_table_groups_what_a_reader_needs() {
        let html = section(Some(&run_json()));
        for needle in [
            "AMD EPYC, 2 cores",
            "Debian 12, kernel 6.1",
            "not readable",
            "busy: load 2.75 on 2 cores",
            "rustc 1.95.0, harness 0.1.0",
            "<code>abc123</code> <span class=\"bad\">with uncommitted changes</span>",
            "interrupted",
            "invocations: ok 7",
            "seed 42",
            "<details><summary>All of run.json",
        ] {
            assert!(html.contains(needle), "{needle}: {html}");
        }
    }

    #[test]
    fn the_command_line_repeats_the_run() {
        assert_eq!(
            command_line(&run_json()["parameters"]),
            "harness run suites/jit --configs 'interp;jit:threshold=1' -n 3 --seed 42"
        );
    }

    #[test]
    fn missing_fields_say_so() {
        let html = section(Some(&json!({"run_id": "x"})));
        assert!(html.contains("not recorded"));
        assert_eq!(section(None), "<p>No run.json in the run folder.</p>");
    }
}
