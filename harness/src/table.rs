//! The terminal table printed at the end of `harness run` (comfy-table): per benchmark ×
//! config the median with its CI, the speedup vs the reference with its CI, the steady-state
//! class with invocation counts, the warm-up length, and failures. Numbers come straight from
//! `summary.csv`'s rows, so the table and the files never disagree.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, Table};

use crate::analysis::SummaryRow;

/// Renders summary rows as a table.
pub fn render(rows: &[SummaryRow], confidence: f64) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    let reference = rows.first().map(|r| r.reference.as_str()).unwrap_or("");
    let pct = (confidence * 100.0).round();
    table.set_header(vec![
        "benchmark".to_string(),
        "config".to_string(),
        "median".to_string(),
        format!("{pct}% CI"),
        format!("speedup vs {reference} [{pct}% CI]"),
        "steady state (f/w/s/n)".to_string(),
        "warm-up".to_string(),
        "ok".to_string(),
        "failures".to_string(),
    ]);
    for r in rows {
        let unit = |v: Option<f64>| v.map_or("-".to_string(), |v| format_value(v, &r.measure));
        let speedup = match (r.speedup, r.speedup_lo, r.speedup_hi) {
            (Some(s), Some(lo), Some(hi)) => format!("{s:.2}x [{lo:.2}, {hi:.2}]"),
            _ => "-".to_string(),
        };
        let ci = match (r.median_lo, r.median_hi) {
            (Some(_), Some(_)) => format!("[{}, {}]", unit(r.median_lo), unit(r.median_hi)),
            _ => "-".to_string(),
        };
        let class = if r.steady_class.is_empty() {
            "-".to_string()
        } else {
            format!(
                "{} ({}/{}/{}/{})",
                r.steady_class, r.flat, r.warmup, r.slowdown, r.no_steady_state
            )
        };
        let warmup = r
            .steady_start_median
            .map_or("-".to_string(), |s| format!("{s:.0} it"));
        table.add_row(vec![
            Cell::new(&r.benchmark),
            Cell::new(&r.config),
            Cell::new(unit(r.median)).set_alignment(CellAlignment::Right),
            Cell::new(ci),
            Cell::new(speedup),
            Cell::new(class),
            Cell::new(warmup).set_alignment(CellAlignment::Right),
            Cell::new(format!("{}/{}", r.ok, r.invocations)),
            Cell::new(if r.failures.is_empty() {
                ""
            } else {
                &r.failures
            }),
        ]);
    }
    table.to_string()
}

/// `12.34 ms` for times, `1.23 G` for instruction counts.
pub fn format_value(v: f64, measure: &str) -> String {
    if measure == "wall_ns" {
        match v {
            v if v >= 1e9 => format!("{:.3} s", v / 1e9),
            v if v >= 1e6 => format!("{:.2} ms", v / 1e6),
            v if v >= 1e3 => format!("{:.2} µs", v / 1e3),
            v => format!("{v:.0} ns"),
        }
    } else {
        match v {
            v if v >= 1e9 => format!("{:.3} G", v / 1e9),
            v if v >= 1e6 => format!("{:.3} M", v / 1e6),
            v if v >= 1e3 => format!("{:.2} k", v / 1e3),
            v => format!("{v:.0}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_units() {
        assert_eq!(format_value(12_345_678.0, "wall_ns"), "12.35 ms");
        assert_eq!(format_value(1.5e9, "instructions"), "1.500 G");
        assert_eq!(format_value(999.0, "wall_ns"), "999 ns");
    }
}
