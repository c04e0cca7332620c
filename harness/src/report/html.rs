//! The HTML page of a report: `template.html` (compiled in with `include_str!`) with its
//! `{{NAME}}` placeholders filled by escaped fragments built here. All text that comes from
//! files (benchmark names, run.json values) goes through [`escape`].

use std::fmt::Write as _;

use super::data::{failures, RunData};
use super::figures::{Figure, Layout};
use crate::analysis::recorded::RunAnalysis;
use crate::units;

const TEMPLATE: &str = include_str!("template.html");

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The whole page; `micro` holds the table of a micro-benchmark run (see [`super::micro`]).
pub fn page(
    run: &RunData,
    analysis: &RunAnalysis,
    layout: &Layout,
    figures: &[Figure],
    micro: Option<&[super::micro::MicroRow]>,
) -> String {
    let failed = failures(&run.rows);
    let meta = format!(
        "{} benchmark(s) × {} config(s), {} iteration rows, {}",
        layout.benchmarks.len(),
        layout.configs.len(),
        run.rows.len(),
        if failed.is_empty() {
            "<span class=\"ok\">no failures</span>".to_string()
        } else {
            format!(
                "<span class=\"bad\">{} failed invocation(s)</span>",
                failed.len()
            )
        }
    );
    let find = |name: &str| figures.iter().find(|f| f.name == name);
    let figure_or = |name: &str, none: &str| match find(name) {
        Some(f) => figure(f),
        None => format!("<p>{}</p>", escape(none)),
    };
    let benchmarks: String = figures
        .iter()
        .filter(|f| f.name != "speedup" && f.name != "jit-stats")
        .map(figure)
        .collect();
    let failures_html = if failed.is_empty() {
        "<p class=\"ok\">Every invocation finished with the expected output.</p>".to_string()
    } else {
        let mut t = String::from(
            "<table><tr><th>benchmark</th><th>config</th><th>invocation</th><th>status</th></tr>",
        );
        for (key, inv, status) in &failed {
            let _ = write!(
                t,
                "<tr class=\"failed\"><td>{}</td><td>{}</td><td class=\"num\">{inv}</td><td>{}</td></tr>",
                escape(&layout.label(&key.suite, &key.benchmark)),
                escape(&key.config),
                escape(status.name())
            );
        }
        t + "</table><p>Failed invocations are shown here and excluded from every statistic.</p>"
    };
    let fill = [
        ("{{RUN_ID}}", escape(&run.run_id)),
        ("{{META}}", meta),
        ("{{HEADLINE}}", headline_section(analysis, layout, micro.is_some())),
        (
            "{{SUMMARY}}",
            match micro {
                Some(rows) => super::micro::html_table(rows),
                None => summary_table(analysis, layout),
            },
        ),
        (
            "{{SPEEDUP}}",
            match micro {
                Some(_) => "<p>Micro-benchmarks have no common reference config: compare the configs of a benchmark side by side in the summary.</p>".to_string(),
                None => figure_or("speedup", "No speedups: the run has a single config."),
            },
        ),
        (
            "{{JIT}}",
            figure_or("jit-stats", "The run recorded no JIT counters."),
        ),
        ("{{BENCHMARKS}}", benchmarks),
        ("{{FAILURES}}", failures_html),
        (
            "{{ENVIRONMENT}}",
            super::environment::section(run.run_json.as_ref()),
        ),
        ("{{METHOD}}", method(analysis)),
    ];
    let mut out = TEMPLATE.to_string();
    for (placeholder, value) in fill {
        out = out.replace(placeholder, &value);
    }
    out
}

/// The report's first section: [`crate::headline`] computed from the same summary rows (in
/// the layout's order) and options as `harness run` printed, as a sentence and a table.
fn headline_section(analysis: &RunAnalysis, layout: &Layout, micro: bool) -> String {
    use crate::headline;
    let mut rows: Vec<crate::analysis::SummaryRow> = analysis.summary.clone();
    rows.sort_by_key(|s| layout_rank(layout, s));
    let o = &analysis.options;
    let h = headline::compute(&rows, &layout.reference, o.confidence, o.seed, o.resamples);
    let mut out = format!(
        "<p class=\"verdict {}\">Verified: {}.</p>",
        if h.verified() { "ok" } else { "bad" },
        escape(&headline::verification_sentence(&h))
    );
    if !h.failures.is_empty() {
        out.push_str(
            "<table><tr><th>benchmark</th><th>config</th><th>failed</th><th>how</th></tr>",
        );
        for f in &h.failures {
            let _ = write!(
                out,
                "<tr class=\"failed\"><td>{}</td><td>{}</td><td class=\"num\">{} of {}</td><td>{}</td></tr>",
                escape(&f.benchmark),
                escape(&f.config),
                f.failed,
                f.invocations,
                escape(&f.statuses)
            );
        }
        out.push_str("</table>");
    }
    if micro {
        out.push_str("<p>Micro-benchmarks have no common reference config, so no speedup is summed up: see the summary.</p>");
        return out;
    }
    if h.configs.is_empty() {
        let _ = write!(
            out,
            "<p>No speedups: the run has no config other than the reference <code>{}</code>, or not the reference.</p>",
            escape(&h.reference)
        );
        return out;
    }
    let pct = (h.confidence * 100.0).round();
    let _ = write!(
        out,
        "<table><tr><th>config</th><th>speedup over {r}<br>(geometric mean)</th><th>{pct}% CI</th>\
         <th>benchmarks</th><th>significantly faster</th><th>significantly slower</th><th>unclear</th></tr>",
        r = escape(&h.reference)
    );
    for c in &h.configs {
        let ci = match (c.lower, c.upper) {
            (Some(lo), Some(hi)) => {
                format!("[{}, {}]", crate::table::ratio(lo), crate::table::ratio(hi))
            }
            _ => "n/a".into(),
        };
        let unclear = if c.no_ci > 0 {
            format!("{} (+{} without a CI)", c.unclear, c.no_ci)
        } else {
            c.unclear.to_string()
        };
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"num big\">{}</td><td class=\"num\">{ci}</td><td class=\"num\">{}{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{unclear}</td></tr>",
            escape(&c.config),
            c.geomean.map_or("-".into(), |g| format!("{}x", crate::table::ratio(g))),
            c.benchmarks,
            if c.missing > 0 { format!(" ({} without)", c.missing) } else { String::new() },
            c.faster,
            c.slower,
        );
    }
    let basis = if h.configs.iter().any(|c| c.ci_basis == "benchmarks") {
        "The interval is a percentile bootstrap over benchmarks (the per-benchmark speedups \
         resampled): it shows how much the mean depends on which benchmarks were run."
    } else {
        "With one benchmark the interval is that benchmark's own, over invocations."
    };
    let _ = write!(
        out,
        "</table><p>Speedup &gt; 1 means faster than <code>{}</code>. {basis} A benchmark counts as \
         significantly faster or slower when its own {pct}% CI of the speedup excludes 1 \
         (marked * in the terminal table).</p>",
        escape(&h.reference)
    );
    out
}

fn figure(f: &Figure) -> String {
    format!(
        "<figure><a href=\"plots/{n}.svg\"><img src=\"plots/{n}.png\" alt=\"{c}\"></a><figcaption>{c} (<a href=\"plots/{n}.svg\">SVG</a>)</figcaption></figure>\n",
        n = escape(&f.name),
        c = escape(&f.caption)
    )
}

/// Per benchmark × config (the rows of `summary.csv`): invocations, median with CI, mean,
/// steady-state class, outliers, speedup with CI.
fn summary_table(analysis: &RunAnalysis, layout: &Layout) -> String {
    let measure = analysis.options.measure;
    let pct = (analysis.options.confidence * 100.0).round();
    let mut t = format!(
        "<table><tr><th>benchmark</th><th>config</th><th>ok / invocations</th><th>median</th>\
         <th>{pct}% CI</th><th>mean</th><th>steady state</th><th>outliers</th>\
         <th>speedup vs {}</th><th>{pct}% CI</th></tr>",
        escape(&layout.reference)
    );
    // Each value in its own unit (ns to s), the interval in its median's.
    let num = |v: Option<f64>| v.map_or("-".to_string(), |v| units::format(v, measure));
    let interval = |s: &crate::analysis::SummaryRow| match (s.median, s.median_lo, s.median_hi) {
        (Some(p), Some(lo), Some(hi)) => units::format_interval(p, lo, hi, measure),
        _ => "-".to_string(),
    };
    let mut rows: Vec<_> = analysis.summary.iter().collect();
    rows.sort_by_key(|s| layout_rank(layout, s));
    for s in rows {
        let (sp, sp_ci) = match (s.speedup, s.speedup_lo, s.speedup_hi) {
            _ if s.config == layout.reference => ("1 (reference)".to_string(), String::new()),
            (Some(p), Some(lo), Some(hi)) => (format!("{p:.2}x"), format!("[{lo:.2}, {hi:.2}]")),
            _ => ("-".into(), String::new()),
        };
        let class = if s.failed > 0 { "failed" } else { "" };
        let _ = write!(
            t,
            "<tr class=\"{class}\"><td>{}</td><td>{}</td><td class=\"num\">{} / {}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{sp}</td><td class=\"num\">{sp_ci}</td></tr>",
            escape(&layout.label(&s.suite, &s.benchmark)),
            escape(&s.config),
            s.ok,
            s.invocations,
            num(s.median) + if s.value_basis == "last-segment" { "&dagger;" } else { "" },
            interval(s),
            num(s.mean),
            escape(&crate::table::class_words(s)),
            s.outliers,
        );
    }
    t + "</table>"
}

fn method(analysis: &RunAnalysis) -> String {
    let o = &analysis.options;
    let (resamples, seed, confidence) = (o.resamples, o.seed, o.confidence * 100.0);
    format!(
        "<ul>\
         <li>The <b>invocation</b> (one process) is the statistical unit; iterations run inside it.</li>\
         <li>Each invocation's iteration series is cut by PELT changepoint analysis (Killick et al. 2012) \
         with penalty 15&nbsp;ln&nbsp;n (Barrett et al. 2017, <i>Virtual Machine Warmup Blows Hot and Cold</i>); \
         the last segment is the steady state and its mean is the invocation's value. The noise scale is \
         robust (1.4826&nbsp;MAD of first differences / &radic;2). The invocation is classified flat, warmup, \
         slowdown, periodic, no steady state or too short.</li>\
         <li><b>Periodic</b> series (an alternation, a cycle of period 2 to 8) are recognised before \
         segmentation, because first differences are inflated by the cycle itself and would hide every \
         change: the noise is estimated from differences at the lag of the period instead (seasonal \
         differencing, Box &amp; Jenkins 1970, <i>Time Series Analysis</i>, &sect;9.1), and a tail of at least \
         three whole cycles with one mean per phase must beat PELT's segmentation under the same penalised \
         normal cost (p&middot;&beta; for p phase means); when level shifts on top of the cycle defeat that \
         model, first differences more than 4&times; noisier than lag-p differences still mark it periodic. \
         Its value is the mean over whole cycles. A periodic series is never called flat.</li>\
         <li>The last segment must hold a quarter of the series. When the last change at iteration c leaves \
         fewer, the run is <b>too short</b> (&ldquo;need &ge; ceil(c/3) iterations after the last change&rdquo;) \
         if the series was steady before it, otherwise there is <b>no steady state</b>.</li>\
         <li>Medians, means, their intervals and speedups are computed over the invocations that have a steady \
         state (flat, warmup, slowdown, periodic); when none has one they are the last segments', marked \
         &dagger;. The warm-up length is the median over the invocations classed warmup only. The classifier \
         is checked against planted truth by <code>harness validate-classifier</code> (synthetic series under \
         Gaussian, Student-t(3) and busy-machine noise) and by <code>suites/validation</code>.</li>\
         <li>Medians, means and speedups get seeded <b>hierarchical</b> percentile-bootstrap confidence \
         intervals ({resamples} resamples, seed {seed}, {confidence}% level): each replicate resamples the \
         invocations, then the steady-state iterations within each, so the variance between processes is \
         inside the interval (Kalibera &amp; Jones 2012, <i>Quantifying performance changes with effect size \
         confidence intervals</i>; 2013, <i>Rigorous Benchmarking in Reasonable Time</i>, ISMM; Efron &amp; \
         Tibshirani 1993). A speedup is median(reference)/median(config) with both sides resampled \
         independently. With fewer than 3 ok invocations there is no interval (\"n/a\"), and a comparison \
         says \"not enough data\" (instruction counts, exactly repeatable, need one).</li>\
         <li>Outliers among invocation values are counted with Tukey's fences (1.5 IQR) and never dropped.</li>\
         <li>Failed invocations (wrong output, error, timeout, crash) are listed above and excluded.</li>\
         </ul>"
    )
}

/// A summary row's place in the run's layout: benchmark order, then config order (rows the
/// layout does not name go last).
fn layout_rank(layout: &Layout, s: &crate::analysis::SummaryRow) -> (usize, usize) {
    let b = layout
        .benchmarks
        .iter()
        .position(|(su, b)| *su == s.suite && *b == s.benchmark);
    let c = layout.configs.iter().position(|c| *c == s.config);
    (b.unwrap_or(usize::MAX), c.unwrap_or(usize::MAX))
}
