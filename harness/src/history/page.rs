//! The files of `harness history`: `history.csv`, the trend plots and `index.html` (no
//! script, no external resource; images referenced relatively, so the folder can be
//! uploaded as one artifact).
//!
//! `history.csv` columns: `order` (0 = oldest run), `commit`, `run_id`, `dir`, `started_at`,
//! `suite`, `benchmark`, `config`, `measure`, `ok` (ok invocations), `median`, `median_lo`,
//! `median_hi` (raw units: ns or instructions), `compared_with` (the `order` of the run the
//! change is against), `change`, `change_lo`, `change_hi` (relative: 0.05 = 5% more),
//! `verdict` (`harness compare`'s: regression, improvement, no change, not enough data).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;

use super::plot::TrendPlot;
use super::trend::{significant, Entry, Point};
use crate::report::data::{measure_name, Key, Measure};
use crate::report::html::escape;

#[derive(Serialize)]
struct Row<'a> {
    order: usize,
    commit: &'a str,
    run_id: &'a str,
    dir: String,
    started_at: &'a str,
    suite: &'a str,
    benchmark: &'a str,
    config: &'a str,
    measure: &'static str,
    ok: usize,
    median: Option<f64>,
    median_lo: Option<f64>,
    median_hi: Option<f64>,
    compared_with: Option<usize>,
    change: Option<f64>,
    change_lo: Option<f64>,
    change_hi: Option<f64>,
    verdict: &'static str,
}

/// Writes `OUT/history.csv`.
pub fn write_csv(
    out: &Path,
    entries: &[Entry],
    trends: &BTreeMap<Key, Vec<Point>>,
    measure: Measure,
) -> Result<()> {
    let mut rows = Vec::new();
    for (key, points) in trends {
        for p in points {
            let e = &entries[p.index];
            let ci = p.change.and_then(|c| c.ci);
            rows.push(Row {
                order: p.index,
                commit: &e.commit,
                run_id: &e.run.run_id,
                dir: e.run.dir.display().to_string(),
                started_at: &e.started_at,
                suite: &key.suite,
                benchmark: &key.benchmark,
                config: &key.config,
                measure: measure_name(measure),
                ok: p.ok,
                median: p.median,
                median_lo: p.ci.map(|c| c.0),
                median_hi: p.ci.map(|c| c.1),
                compared_with: p.change.map(|c| c.from),
                change: p.change.map(|c| c.point),
                change_lo: ci.map(|c| c.lower),
                change_hi: ci.map(|c| c.upper),
                verdict: p.change.map_or("", |c| c.verdict.name()),
            });
        }
    }
    rows.sort_by_key(|r| r.order);
    crate::output::results::write_csv(&out.join("history.csv"), &rows)
}

/// The x-axis label of each run: its short commit, with `#2`, `#3`... for repeated commits.
pub fn labels(entries: &[Entry]) -> Vec<String> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    entries
        .iter()
        .map(|e| {
            let short: String = e.commit.chars().take(7).collect();
            let n = seen.entry(&e.commit).or_insert(0);
            *n += 1;
            if *n == 1 {
                short
            } else {
                format!("{short}#{n}")
            }
        })
        .collect()
}

/// A drawn trend: file name (without extension) under `plots/` and its key.
pub struct Figure {
    pub name: String,
    pub key: Key,
}

/// Draws one trend plot per benchmark × config into `plots`.
pub fn draw(
    plots: &Path,
    entries: &[Entry],
    trends: &BTreeMap<Key, Vec<Point>>,
    measure: Measure,
) -> Result<Vec<Figure>> {
    let labels = labels(entries);
    let confidence = entries
        .first()
        .map(|e| {
            crate::analysis::recorded::options_for(e.run.run_json.as_ref(), measure, "").confidence
        })
        .unwrap_or(crate::stats::DEFAULT_CONFIDENCE);
    let mut out = Vec::new();
    for (i, (key, points)) in trends.iter().enumerate() {
        // One unit per plot, the one its medians read best in (µs for a small benchmark).
        let medians: Vec<f64> = points.iter().filter_map(|p| p.median).collect();
        let unit = crate::units::unit_for_all(&medians, measure);
        let plot = TrendPlot {
            title: format!("{}/{} under {}", key.suite, key.benchmark, key.config),
            labels: labels.clone(),
            points: points.clone(),
            unit: unit.name,
            scale: unit.scale,
            confidence,
        };
        let name = format!("trend-{i}");
        crate::plots::render(&plot, plots, &name)
            .with_context(|| format!("drawing the trend of {key}"))?;
        out.push(Figure {
            name,
            key: key.clone(),
        });
    }
    Ok(out)
}

const STYLE: &str = "body{font-family:\"DejaVu Sans\",Verdana,sans-serif;margin:2em auto;\
max-width:1150px;color:#222;line-height:1.4;padding:0 1em}h2{border-bottom:2px solid #0072b2}\
table{border-collapse:collapse;margin:1em 0;font-size:.9em}th,td{border:1px solid #ccc;\
padding:.25em .6em;text-align:left}th{background:#eef4f8}td.num{text-align:right;\
white-space:nowrap}.regression{color:#b00020;font-weight:bold}.improvement{color:#007a4d;\
font-weight:bold}figure img{max-width:100%;border:1px solid #ddd}.meta{color:#555}";

/// Writes `OUT/index.html`.
pub fn write_html(
    out: &Path,
    entries: &[Entry],
    trends: &BTreeMap<Key, Vec<Point>>,
    figures: &[Figure],
    measure: Measure,
    threshold: f64,
) -> Result<()> {
    let labels = labels(entries);
    let mut h = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Ruff Bench \
         history</title><style>{STYLE}</style></head><body><h1>Ruff Bench history</h1>\
         <p class=\"meta\">{} run(s), {} benchmark × config pair(s), measure {}</p>\
         <h2 id=\"runs\">Runs</h2><table><tr><th>#</th><th>commit</th><th>run</th>\
         <th>folder</th><th>started</th><th>machine</th></tr>",
        entries.len(),
        trends.len(),
        measure_name(measure)
    );
    for (i, e) in entries.iter().enumerate() {
        let machine = e
            .run
            .run_json
            .as_ref()
            .and_then(|j| j.pointer("/machine/cpu_model"))
            .and_then(|v| v.as_str())
            .unwrap_or("-");
        let _ = write!(
            h,
            "<tr><td class=\"num\">{i}</td><td><code>{}</code></td><td><code>{}</code></td>\
             <td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&labels[i]),
            escape(&e.run.run_id),
            escape(&e.run.dir.display().to_string()),
            escape(&e.started_at),
            escape(machine)
        );
    }
    h.push_str("</table><h2 id=\"changes\">Significant changes</h2>");
    let mut changes = String::new();
    for (key, points) in trends {
        for p in points {
            let Some(c) = p.change.filter(|c| significant(c.verdict)) else {
                continue;
            };
            let ci = c.ci.map_or("-".to_string(), |ci| {
                format!("[{:+.1}%, {:+.1}%]", ci.lower * 100.0, ci.upper * 100.0)
            });
            let class = c.verdict.name();
            let _ = write!(
                changes,
                "<tr><td>{}/{}</td><td>{}</td><td><code>{}</code> → <code>{}</code></td>\
                 <td class=\"num {class}\">{:+.1}%</td><td class=\"num\">{ci}</td>\
                 <td class=\"{class}\">{class}</td></tr>",
                escape(&key.suite),
                escape(&key.benchmark),
                escape(&key.config),
                escape(&labels[c.from]),
                escape(&labels[p.index]),
                c.point * 100.0
            );
        }
    }
    if changes.is_empty() {
        h.push_str("<p>No significant change between consecutive runs.</p>");
    } else {
        let _ = write!(
            h,
            "<table><tr><th>benchmark</th><th>config</th><th>between</th><th>change</th>\
             <th>CI</th><th>verdict</th></tr>{changes}</table>"
        );
    }
    let _ = write!(
        h,
        "<p class=\"meta\">A change is judged as <code>harness compare</code> judges it: \
         median over invocations of the newer run against the previous run of the same \
         benchmark × config, hierarchical bootstrap CI of the ratio with the older run's seed; \
         significant when the CI excludes no change and the change exceeds {:.1}%. Wall times \
         are comparable only between runs on one machine type (see each run's machine \
         above).</p><h2 id=\"trends\">Trends</h2>",
        threshold * 100.0
    );
    for f in figures {
        let caption = escape(&f.key.to_string());
        let _ = write!(
            h,
            "<figure><a href=\"plots/{n}.svg\"><img src=\"plots/{n}.png\" alt=\"{caption}\">\
             </a><figcaption>{caption}</figcaption></figure>",
            n = f.name
        );
    }
    h.push_str("</body></html>\n");
    let path = out.join("index.html");
    std::fs::write(&path, h).with_context(|| format!("writing {}", path.display()))
}
