//! The comparison table in two forms: aligned text for the terminal and GitHub-flavoured
//! Markdown for a pull-request comment. Both show the same columns so a reviewer can match a
//! CI log line to the comment.

use std::fmt::Write as _;

use crate::report::data::{measure_name, unit, Measure, DISPLAY_SCALE};

use super::compare::{Comparison, Verdict};

/// Header of both tables.
fn header(measure: Measure) -> [String; 7] {
    let unit = unit(measure);
    [
        "benchmark".into(),
        "config".into(),
        format!("baseline ({unit})"),
        format!("run ({unit})"),
        "change".into(),
        "95% CI".into(),
        "verdict".into(),
    ]
}

fn cells(row: &Comparison) -> [String; 7] {
    let num = |v: Option<f64>| match v {
        Some(v) => format!("{:.3}", v * DISPLAY_SCALE),
        None => "-".into(),
    };
    let change = row
        .change
        .map_or("-".into(), |c| format!("{:+.2}%", c * 100.0));
    let ci = match (&row.change_ci, row.verdict) {
        (Some(c), _) => format!("[{:+.2}%, {:+.2}%]", c.lower * 100.0, c.upper * 100.0),
        (None, Verdict::NotEnoughData) => "n/a (< 3 invocations)".into(),
        (None, _) => "-".into(),
    };
    [
        format!("{}/{}", row.key.suite, row.key.benchmark),
        row.key.config.clone(),
        num(row.baseline),
        num(row.current),
        change,
        ci,
        row.verdict.name().into(),
    ]
}

/// One-line summary: how many of each verdict.
pub fn summary_line(rows: &[Comparison]) -> String {
    let count = |v: Verdict| rows.iter().filter(|r| r.verdict == v).count();
    format!(
        "{} regression(s), {} improvement(s), {} unchanged, {} not enough data, {} missing, {} new",
        count(Verdict::Regression),
        count(Verdict::Improvement),
        count(Verdict::NoChange),
        count(Verdict::NotEnoughData),
        count(Verdict::Missing),
        count(Verdict::New)
    )
}

/// Aligned text table for the terminal.
pub fn terminal(rows: &[Comparison], measure: Measure) -> String {
    let mut table: Vec<[String; 7]> = vec![header(measure)];
    table.extend(rows.iter().map(cells));
    let mut widths = [0usize; 7];
    for line in &table {
        for (w, cell) in widths.iter_mut().zip(line) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for (i, line) in table.iter().enumerate() {
        let parts: Vec<String> = line
            .iter()
            .zip(widths)
            .enumerate()
            // Numbers right-aligned, names left-aligned: easier to scan a column of changes.
            .map(|(col, (cell, w))| {
                if (2..6).contains(&col) {
                    format!("{cell:>w$}")
                } else {
                    format!("{cell:<w$}")
                }
            })
            .collect();
        let _ = writeln!(out, "{}", parts.join("  ").trim_end());
        if i == 0 {
            let total: usize = widths.iter().sum::<usize>() + 2 * (widths.len() - 1);
            let _ = writeln!(out, "{}", "-".repeat(total));
        }
    }
    let _ = writeln!(out, "{}", summary_line(rows));
    out
}

/// Markdown for a pull-request comment: a headline, the method in one sentence, the table.
pub fn markdown(rows: &[Comparison], measure: Measure, threshold: f64, baseline: &str) -> String {
    let regressions = rows
        .iter()
        .filter(|r| r.verdict == Verdict::Regression)
        .count();
    let mut out = String::new();
    let headline = if regressions > 0 {
        format!("### :x: Performance gate: {regressions} regression(s)")
    } else {
        "### :white_check_mark: Performance gate: no regression".to_string()
    };
    let _ = writeln!(out, "{headline}\n");
    let _ = writeln!(
        out,
        "Measure: **{}**, baseline `{baseline}`, threshold {:.2}%. A regression is a change whose \
         95% bootstrap CI excludes zero and that exceeds the threshold. {}.\n",
        measure_name(measure),
        threshold * 100.0,
        summary_line(rows)
    );
    let head = header(measure);
    let _ = writeln!(out, "| {} |", head.join(" | "));
    let _ = writeln!(
        out,
        "|{}",
        " --- |".repeat(2) + &" ---: |".repeat(4) + " --- |"
    );
    for row in rows {
        let mut c = cells(row);
        if row.verdict == Verdict::Regression {
            c[6] = format!("**{}**", c[6]);
        }
        let _ = writeln!(out, "| {} |", c.join(" | "));
    }
    out
}
