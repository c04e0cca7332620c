//! The terminal table printed at the end of `harness run`. Numbers come straight from
//! `summary.csv`'s rows, so the table and the files never disagree.
//!
//! By default it fits 100 columns: per benchmark × config the median, the speedup over the
//! reference with its CI and a `*` when that CI excludes 1, the steady-state classes of the
//! invocations, the warm-up length and, only when something failed, the failures; a
//! benchmark's name is printed once for its group of configs, and a one-line legend follows.
//! `--wide` prints every column of `summary.csv` in a bordered table instead.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, Table};

use crate::analysis::SummaryRow;
use crate::units;

/// The width the default table keeps within.
pub const WIDTH: usize = 100;

/// Renders summary rows: the compact table, or every column when `wide`.
pub fn render(rows: &[SummaryRow], confidence: f64, wide: bool) -> String {
    if wide {
        wide_table(rows, confidence)
    } else {
        compact(rows, confidence)
    }
}

/// True if the speedup's CI excludes 1 (the config differs significantly from the reference).
pub fn significant(r: &SummaryRow) -> bool {
    matches!((r.speedup_lo, r.speedup_hi), (Some(lo), Some(hi)) if lo > 1.0 || hi < 1.0)
}

fn measure(r: &SummaryRow) -> crate::exec::Measure {
    units::measure_of_column(&r.measure)
}

/// `17.1x [13.7, 23.7] *`, `reference`, `1.13x [n/a]` (no CI), or `-`.
fn speedup(r: &SummaryRow) -> String {
    if r.config == r.reference && r.speedup.is_some() {
        return "reference".into();
    }
    match (r.speedup, r.speedup_lo, r.speedup_hi) {
        (Some(s), Some(lo), Some(hi)) => {
            let mark = if significant(r) { " *" } else { "" };
            format!("{}x [{}, {}]{mark}", ratio(s), ratio(lo), ratio(hi))
        }
        (Some(s), _, _) => format!("{}x [n/a]", ratio(s)),
        _ => "-".into(),
    }
}

/// A ratio with three significant digits: `17.1`, `1.13`, `0.68`.
pub fn ratio(v: f64) -> String {
    match v.abs() {
        a if a >= 100.0 => format!("{v:.0}"),
        a if a >= 10.0 => format!("{v:.1}"),
        _ => format!("{v:.2}"),
    }
}

/// The invocations' steady-state classes: the class when all agree (`periodic p2` with its
/// period), else the counts (`f4 s1`: four flat, one slowdown).
fn steady(r: &SummaryRow) -> String {
    if r.steady_class.is_empty() {
        return "-".into();
    }
    if r.steady_class != "inconsistent" {
        return match (r.steady_class.as_str(), r.period_median) {
            ("no-steady-state", _) => "none".into(),
            ("too-short", _) => "too short".into(),
            ("periodic", Some(p)) => format!("periodic p{p:.0}"),
            (c, _) => c.into(),
        };
    }
    [
        ("f", r.flat),
        ("w", r.warmup),
        ("s", r.slowdown),
        ("p", r.periodic),
        ("n", r.no_steady_state),
        ("t", r.too_short),
    ]
    .iter()
    .filter(|(_, n)| *n > 0)
    .map(|(c, n)| format!("{c}{n}"))
    .collect::<Vec<_>>()
    .join(" ")
}

/// The warm-up length over the invocations classed warmup: `7 it (compile 6)` when the JIT
/// last compiled in iteration 6 (after iteration 0), else `7 it`; `-` when no invocation
/// warmed up.
fn warmup(r: &SummaryRow) -> String {
    match (r.warmup_median, r.last_compile_median) {
        (Some(s), Some(c)) if c >= 1.0 => format!("{s:.0} it (compile {c:.0})"),
        (Some(s), _) => format!("{s:.0} it"),
        _ => "-".to_string(),
    }
}

fn failed(r: &SummaryRow) -> String {
    if r.failed == 0 {
        return String::new();
    }
    format!(
        "{} of {}: {}",
        r.failed,
        r.invocations,
        r.failures.replace(';', ", ")
    )
}

/// Left- or right-aligned text columns, two spaces apart.
struct Columns {
    header: Vec<String>,
    right: Vec<bool>,
    rows: Vec<Vec<String>>,
}

impl Columns {
    fn widths(&self) -> Vec<usize> {
        (0..self.header.len())
            .map(|c| {
                self.rows
                    .iter()
                    .map(|r| r[c].chars().count())
                    .chain([self.header[c].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect()
    }

    fn render(&self, widths: &[usize]) -> String {
        let line = |cells: &[String]| {
            let parts: Vec<String> = cells
                .iter()
                .zip(widths)
                .zip(&self.right)
                .map(|((cell, w), right)| {
                    let cell = fit(cell, *w);
                    if *right {
                        format!("{cell:>w$}")
                    } else {
                        format!("{cell:<w$}")
                    }
                })
                .collect();
            parts.join("  ").trim_end().to_string()
        };
        let total = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
        let mut out = vec![line(&self.header), "─".repeat(total)];
        out.extend(self.rows.iter().map(|r| line(r)));
        out.join("\n")
    }
}

/// `text` cut to `width` characters with an ellipsis in the middle, so names that share a
/// prefix (`comparison_generic`, `comparison_specialized`) stay distinct.
fn fit(text: &str, width: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= width {
        return text.to_string();
    }
    let keep = width.saturating_sub(1);
    let head = keep.div_ceil(2);
    let tail = keep - head;
    let mut cut: String = chars[..head].iter().collect();
    cut.push('…');
    cut.extend(&chars[chars.len() - tail..]);
    cut
}

/// `text` broken at spaces into lines of at most [`WIDTH`] columns, continuation lines
/// indented by two spaces (a word longer than a line is cut).
pub fn wrap(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > WIDTH {
            lines.push(std::mem::take(&mut line));
            line.push_str("  ");
        }
        if !line.is_empty() && !line.ends_with("  ") {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
        .into_iter()
        .map(|l| fit(&l, WIDTH))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The default table (see the module header).
fn compact(rows: &[SummaryRow], confidence: f64) -> String {
    let pct = (confidence * 100.0).round();
    let any_failed = rows.iter().any(|r| r.failed > 0);
    let mut header = vec![
        "benchmark".to_string(),
        "config".to_string(),
        "median".to_string(),
        format!("speedup [{pct}% CI]"),
        "steady".to_string(),
        "warm-up".to_string(),
    ];
    let mut right = vec![false, false, true, false, false, true];
    if any_failed {
        header.push("failed".into());
        right.push(false);
    }
    let mut previous = None;
    let mut table = Columns {
        header,
        right,
        rows: Vec::new(),
    };
    for r in rows {
        let key = (&r.suite, &r.benchmark);
        let name = if previous == Some(key) {
            String::new()
        } else {
            r.benchmark.clone()
        };
        previous = Some(key);
        let median = r.median.map_or("-".into(), |m| {
            format!("{}{}", units::format(m, measure(r)), basis_mark(r))
        });
        let mut cells = vec![
            name,
            r.config.clone(),
            median,
            speedup(r),
            steady(r),
            warmup(r),
        ];
        if any_failed {
            cells.push(failed(r));
        }
        table.rows.push(cells);
    }
    let mut widths = table.widths();
    let total = |w: &[usize]| w.iter().sum::<usize>() + 2 * (w.len() - 1);
    // Long names give way first: the benchmark column shrinks (with an ellipsis) to fit.
    if total(&widths) > WIDTH {
        let excess = total(&widths) - WIDTH;
        widths[0] = widths[0].saturating_sub(excess).max(12);
    }
    if any_failed && total(&widths) > WIDTH {
        let last = widths.len() - 1;
        let excess = total(&widths) - WIDTH;
        widths[last] = widths[last].saturating_sub(excess).max(8);
    }
    let dagger = rows.iter().any(|r| basis_mark(r) == "†");
    format!(
        "{}\n{}{}",
        table.render(&widths),
        legend(pct, dagger),
        notes(rows)
    )
}

/// `†` after a median that is not a steady state's (no invocation had one).
fn basis_mark(r: &SummaryRow) -> &'static str {
    if r.value_basis == "last-segment" {
        "†"
    } else {
        ""
    }
}

/// The line under the default table, and a second one when a median is marked †. (Every
/// column: `--wide`, said by the run's last lines.)
fn legend(pct: f64, dagger: bool) -> String {
    let mut text = format!(
        "* {pct}% CI excludes 1 · steady: f flat, w warm-up, s slowdown, p periodic, n none, \
         t too short"
    );
    if dagger {
        text.push_str("\n† no steady state: median of the last segments");
    }
    text
}

/// The classes in words for the report: `periodic (period 2)`, `warmup (8 it)`, `too short:
/// need >= 3 iterations after the last change`, or `inconsistent: flat 3, warmup 2`.
pub fn class_words(r: &SummaryRow) -> String {
    let need = crate::stats::too_short_text(r.too_short_need.unwrap_or(1), None);
    let one = |class: &str, n: usize| match class {
        "periodic" => match r.period_median {
            Some(p) => format!("periodic (period {p:.0}){}", count(n)),
            None => format!("periodic{}", count(n)),
        },
        "warmup" => match r.warmup_median {
            Some(w) => format!("warmup ({w:.0} it){}", count(n)),
            None => format!("warmup{}", count(n)),
        },
        "too-short" => format!("{need}{}", count(n)),
        c => format!("{c}{}", count(n)),
    };
    fn count(n: usize) -> String {
        if n == 0 {
            String::new()
        } else {
            format!(" {n}")
        }
    }
    if r.steady_class != "inconsistent" {
        return one(&r.steady_class, 0);
    }
    let parts: Vec<String> = [
        ("flat", r.flat),
        ("warmup", r.warmup),
        ("slowdown", r.slowdown),
        ("periodic", r.periodic),
        ("no-steady-state", r.no_steady_state),
        ("too-short", r.too_short),
    ]
    .iter()
    .filter(|(_, n)| *n > 0)
    .map(|(c, n)| one(c, *n))
    .collect();
    format!("inconsistent: {}", parts.join(", "))
}

/// One line per benchmark × config with too-short invocations, saying what they lacked.
pub fn notes(rows: &[SummaryRow]) -> String {
    rows.iter()
        .filter(|r| r.too_short > 0)
        .map(|r| {
            let note = format!(
                "{} {}: {} ({} of {} invocations)",
                r.benchmark,
                r.config,
                crate::stats::too_short_text(r.too_short_need.unwrap_or(1), None),
                r.too_short,
                r.ok
            );
            format!("\n{}", wrap(&note))
        })
        .collect()
}

/// Every column of `summary.csv`, bordered (wider than 100 columns).
fn wide_table(rows: &[SummaryRow], confidence: f64) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    let reference = rows.first().map(|r| r.reference.as_str()).unwrap_or("");
    let pct = (confidence * 100.0).round();
    table.set_header(vec![
        "benchmark".to_string(),
        "config".to_string(),
        "median".to_string(),
        format!("{pct}% CI"),
        "mean".to_string(),
        "CV".to_string(),
        format!("speedup vs {reference} [{pct}% CI]"),
        "steady state (f/w/s/p/n/t)".to_string(),
        "warm-up".to_string(),
        "iteration 0".to_string(),
        "outliers".to_string(),
        "ok".to_string(),
        "failures".to_string(),
    ]);
    for r in rows {
        let m = measure(r);
        let value = |v: Option<f64>| v.map_or("-".to_string(), |v| units::format(v, m));
        let median = |v: Option<f64>| {
            v.map_or("-".to_string(), |v| {
                format!("{}{}", units::format(v, m), basis_mark(r))
            })
        };
        let ci = match (r.median, r.median_lo, r.median_hi) {
            (Some(p), Some(lo), Some(hi)) => units::format_interval(p, lo, hi, m),
            (Some(_), _, _) => crate::analysis::intervals::not_available(r.ok),
            _ => "-".into(),
        };
        let class = if r.steady_class.is_empty() {
            "-".to_string()
        } else {
            format!(
                "{} ({}/{}/{}/{}/{}/{})",
                r.steady_class,
                r.flat,
                r.warmup,
                r.slowdown,
                r.periodic,
                r.no_steady_state,
                r.too_short
            )
        };
        let right = |text: String| Cell::new(text).set_alignment(CellAlignment::Right);
        table.add_row(vec![
            Cell::new(&r.benchmark),
            Cell::new(&r.config),
            right(median(r.median)),
            Cell::new(ci),
            right(value(r.mean)),
            right(r.cv.map_or("-".into(), |cv| format!("{:.1}%", cv * 100.0))),
            Cell::new(speedup(r)),
            Cell::new(class),
            right(warmup(r)),
            right(value(r.first_iteration_median)),
            right(r.outliers.to_string()),
            Cell::new(if r.busy > 0 {
                format!("{}/{} ({} busy)", r.ok, r.invocations, r.busy)
            } else {
                format!("{}/{}", r.ok, r.invocations)
            }),
            Cell::new(r.failures.replace(';', ", ")),
        ]);
    }
    format!(
        "{table}\n* {pct}% CI of the speedup excludes 1 · † no steady state: median of the last segments{}",
        notes(rows)
    )
}
