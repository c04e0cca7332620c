//! The headline of a run: the answer a person wants before any table. It says whether every
//! invocation printed the expected result (or exactly which benchmark × config failed, how
//! many times and how), and per non-reference config the geometric-mean speedup over the
//! reference across benchmarks with a confidence interval, and on how many benchmarks the
//! config is significantly faster or slower.
//!
//! Method. A benchmark's speedup is the summary's (median of the reference / median of the
//! config, with its hierarchical-bootstrap CI over invocations). The headline's mean is the
//! geometric mean of those per-benchmark speedups — the mean that treats a 2x gain and a 2x
//! loss symmetrically (Fleming & Wallace 1986, "How not to lie with statistics: the correct
//! way to summarize benchmark results", CACM 29(3)). Its interval is a percentile bootstrap
//! over benchmarks (Efron & Tibshirani 1993, ch. 13): the per-benchmark log speedups are
//! resampled with replacement and averaged. So the interval says how much the mean depends
//! on which benchmarks were chosen, the uncertainty that dominates a suite-level claim; the
//! per-benchmark measurement noise is in the per-benchmark CIs and the faster/slower counts.
//! With a single benchmark there is nothing to resample, and its own CI is shown instead.
//! A benchmark is significantly faster (slower) when its speedup CI lies wholly above (below) 1.
//!
//! The same [`Headline`] is printed first by `harness run`, stored as `headline` in
//! `run.json`, and shown as the report's first section.

use std::fmt::Write as _;

use serde::Serialize;

use crate::analysis::SummaryRow;
use crate::stats::{bootstrap_ci, rng_for, Sample, Statistic};
use crate::table::{ratio, significant};

/// The width the text form keeps within (the terminal table's).
const WIDTH: usize = crate::table::WIDTH;
/// Failed benchmark × config pairs listed by name before "and N more".
const MAX_FAILURE_LINES: usize = 8;

/// Everything the headline says, as stored in `run.json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Headline {
    /// Invocations in the run, and how many printed the expected result.
    pub invocations: usize,
    pub ok: usize,
    /// The benchmark × config pairs with failed invocations, in table order.
    pub failures: Vec<Failure>,
    pub reference: String,
    pub confidence: f64,
    /// One per non-reference config, in table order.
    pub configs: Vec<ConfigSpeedup>,
}

/// Failed invocations of one benchmark × config.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Failure {
    pub benchmark: String,
    pub config: String,
    pub failed: usize,
    pub invocations: usize,
    /// Per status, e.g. `wrong-output=2, crash=1`.
    pub statuses: String,
}

/// One config against the reference.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConfigSpeedup {
    pub config: String,
    /// Benchmarks with a speedup (both sides had ok invocations); the mean is over these.
    pub benchmarks: usize,
    /// Benchmarks of the run without a speedup for this config.
    pub missing: usize,
    /// Geometric mean of the per-benchmark speedups (> 1: faster than the reference).
    pub geomean: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    /// `benchmarks` (bootstrap over benchmarks), `invocations` (one benchmark: its own CI)
    /// or `none`.
    pub ci_basis: String,
    /// Benchmarks whose speedup CI lies above 1, below 1, contains 1, or has no CI.
    pub faster: usize,
    pub slower: usize,
    pub unclear: usize,
    pub no_ci: usize,
}

impl Headline {
    /// True if every invocation printed the expected result.
    pub fn verified(&self) -> bool {
        self.failures.is_empty() && self.ok == self.invocations
    }
}

/// The headline of summary rows (in table order) with speedups against `reference`;
/// `seed` and `resamples` drive the bootstrap over benchmarks.
pub fn compute(
    rows: &[SummaryRow],
    reference: &str,
    confidence: f64,
    seed: u64,
    resamples: usize,
) -> Headline {
    let failures = rows
        .iter()
        .filter(|r| r.failed > 0)
        .map(|r| Failure {
            benchmark: r.benchmark.clone(),
            config: r.config.clone(),
            failed: r.failed,
            invocations: r.invocations,
            statuses: r.failures.replace(';', ", "),
        })
        .collect();
    let benchmarks = {
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for r in rows {
            if !seen.contains(&(&r.suite, &r.benchmark)) {
                seen.push((&r.suite, &r.benchmark));
            }
        }
        seen.len()
    };
    let mut configs: Vec<&str> = Vec::new();
    for r in rows {
        if r.config != reference && !configs.contains(&r.config.as_str()) {
            configs.push(&r.config);
        }
    }
    let has_reference = rows.iter().any(|r| r.config == reference);
    let configs = if has_reference {
        configs
            .into_iter()
            .map(|c| config_speedup(rows, c, benchmarks, confidence, seed, resamples))
            .collect()
    } else {
        Vec::new()
    };
    Headline {
        invocations: rows.iter().map(|r| r.invocations).sum(),
        ok: rows.iter().map(|r| r.ok).sum(),
        failures,
        reference: reference.to_string(),
        confidence,
        configs,
    }
}

fn config_speedup(
    rows: &[SummaryRow],
    config: &str,
    benchmarks: usize,
    confidence: f64,
    seed: u64,
    resamples: usize,
) -> ConfigSpeedup {
    let with: Vec<&SummaryRow> = rows
        .iter()
        .filter(|r| r.config == config && r.speedup.is_some_and(|s| s.is_finite() && s > 0.0))
        .collect();
    let logs: Vec<f64> = with.iter().filter_map(|r| r.speedup).map(f64::ln).collect();
    let has_ci = |r: &&&SummaryRow| r.speedup_lo.is_some() && r.speedup_hi.is_some();
    let count =
        |f: &dyn Fn(&SummaryRow) -> bool| with.iter().filter(has_ci).filter(|r| f(r)).count();
    let faster = count(&|r| r.speedup_lo.is_some_and(|lo| lo > 1.0));
    let slower = count(&|r| r.speedup_hi.is_some_and(|hi| hi < 1.0));
    let unclear = count(&|r| !significant(r));
    let (geomean, lower, upper, basis) = match (logs.len(), with.first()) {
        (0, _) | (_, None) => (None, None, None, "none"),
        (1, Some(only)) => match (only.speedup_lo, only.speedup_hi) {
            (Some(lo), Some(hi)) => (only.speedup, Some(lo), Some(hi), "invocations"),
            _ => (only.speedup, None, None, "none"),
        },
        _ => {
            let sample = Sample::new(&logs).expect("finite logs of positive speedups");
            let mut rng = rng_for(seed, &format!("headline/{config}"));
            let e = bootstrap_ci(&sample, Statistic::Mean, resamples, confidence, &mut rng);
            (
                Some(e.point.exp()),
                Some(e.lower.exp()),
                Some(e.upper.exp()),
                "benchmarks",
            )
        }
    };
    ConfigSpeedup {
        config: config.to_string(),
        benchmarks: with.len(),
        missing: benchmarks.saturating_sub(with.len()),
        geomean,
        lower,
        upper,
        ci_basis: basis.to_string(),
        faster,
        slower,
        unclear,
        no_ci: with.len() - faster - slower - unclear,
    }
}

/// `all 40 invocations printed the expected result`, or `3 of 40 invocations failed`.
pub fn verification_sentence(h: &Headline) -> String {
    if h.verified() {
        match h.invocations {
            1 => "the 1 invocation printed the expected result".into(),
            n => format!("all {n} invocations printed the expected result"),
        }
    } else {
        format!(
            "{} of {} invocations FAILED (the other {} printed the expected result)",
            h.invocations - h.ok,
            h.invocations,
            h.ok
        )
    }
}

/// `17.1x [13.7, 23.7]`, `1.13x` (no CI) or `-`.
pub fn speedup_text(c: &ConfigSpeedup) -> String {
    match (c.geomean, c.lower, c.upper) {
        (Some(g), Some(lo), Some(hi)) => format!("{}x [{}, {}]", ratio(g), ratio(lo), ratio(hi)),
        (Some(g), _, _) => format!("{}x", ratio(g)),
        _ => "-".into(),
    }
}

/// `faster on 11, slower on 0, unclear on 1` (plus `, no CI on 2` and `; 1 without a speedup`).
pub fn counts_text(c: &ConfigSpeedup) -> String {
    let mut s = format!(
        "faster on {}, slower on {}, unclear on {}",
        c.faster, c.slower, c.unclear
    );
    if c.no_ci > 0 {
        let _ = write!(s, ", no CI on {}", c.no_ci);
    }
    if c.missing > 0 {
        let _ = write!(s, "; {} without a speedup", c.missing);
    }
    s
}

/// What the interval is over, for the line above the configs.
fn basis_words(h: &Headline) -> String {
    let pct = (h.confidence * 100.0).round();
    let n = h.configs.iter().map(|c| c.benchmarks).max().unwrap_or(0);
    match h.configs.iter().any(|c| c.ci_basis == "benchmarks") {
        true => format!("geometric mean of {n} benchmarks, {pct}% CI by bootstrap over benchmarks"),
        false => format!("{n} benchmark, {pct}% CI over invocations"),
    }
}

/// The headline as terminal lines, none wider than 100 columns.
pub fn render(h: &Headline) -> String {
    let mut out = format!("verified: {}\n", verification_sentence(h));
    let shown = h.failures.len().min(MAX_FAILURE_LINES);
    let name_w = h.failures[..shown]
        .iter()
        .map(|f| f.benchmark.chars().count())
        .max()
        .unwrap_or(0)
        .min(40);
    let config_w = h.failures[..shown]
        .iter()
        .map(|f| f.config.chars().count())
        .max()
        .unwrap_or(0);
    for f in &h.failures[..shown] {
        let line = format!(
            "  {:<name_w$}  {:<config_w$}  {} of {} failed: {}",
            fit(&f.benchmark, name_w),
            f.config,
            f.failed,
            f.invocations,
            f.statuses
        );
        out.push_str(&fit(&line, WIDTH));
        out.push('\n');
    }
    if h.failures.len() > shown {
        let _ = writeln!(
            out,
            "  and {} more benchmark x config pairs (see the failed column)",
            h.failures.len() - shown
        );
    }
    if h.configs.is_empty() {
        let _ = writeln!(
            out,
            "speedup over {}: none (the run has no other config, or not the reference)",
            h.reference
        );
        return out;
    }
    let line = format!("speedup over {} ({}):", h.reference, basis_words(h));
    out.push_str(&fit(&line, WIDTH));
    out.push('\n');
    let config_w = h
        .configs
        .iter()
        .map(|c| c.config.chars().count())
        .max()
        .unwrap_or(0);
    let speedup_w = h
        .configs
        .iter()
        .map(|c| speedup_text(c).chars().count())
        .max()
        .unwrap_or(0);
    for c in &h.configs {
        let line = format!(
            "  {:<config_w$}  {:<speedup_w$}  {}",
            c.config,
            speedup_text(c),
            counts_text(c)
        );
        out.push_str(&fit(&line, WIDTH));
        out.push('\n');
    }
    let pct = (h.confidence * 100.0).round();
    let _ = writeln!(
        out,
        "  faster/slower: that benchmark's own {pct}% CI excludes 1 (marked * in the table)"
    );
    out
}

/// `text` cut to `width` characters with an ellipsis.
fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A summary row of `benchmark` × `config` with a speedup and CI (or none).
    fn row(benchmark: &str, config: &str, speedup: Option<(f64, f64, f64)>) -> SummaryRow {
        SummaryRow {
            suite: "s".into(),
            benchmark: benchmark.into(),
            config: config.into(),
            measure: "wall_ns".into(),
            invocations: 5,
            ok: 5,
            failed: 0,
            failures: String::new(),
            median: Some(1e6),
            median_lo: None,
            median_hi: None,
            mean: None,
            mean_lo: None,
            mean_hi: None,
            cv: None,
            steady_class: "flat".into(),
            flat: 5,
            warmup: 0,
            slowdown: 0,
            periodic: 0,
            no_steady_state: 0,
            too_short: 0,
            value_basis: "steady".into(),
            warmup_median: None,
            period_median: None,
            too_short_need: None,
            first_iteration_median: None,
            outliers: 0,
            reference: "interp".into(),
            speedup: speedup.map(|s| s.0),
            speedup_lo: speedup.map(|s| s.1),
            speedup_hi: speedup.map(|s| s.2),
            busy: 0,
            last_compile_median: None,
        }
    }

    /// interp plus `jit` with the given per-benchmark speedups and CIs.
    fn planted(speedups: &[(f64, f64, f64)]) -> Vec<SummaryRow> {
        let mut rows = Vec::new();
        for (i, s) in speedups.iter().enumerate() {
            let b = format!("b{i}");
            rows.push(row(&b, "interp", Some((1.0, 1.0, 1.0))));
            rows.push(row(&b, "jit", Some(*s)));
        }
        rows
    }

    #[test]
    fn geomean_of_planted_speedups_and_a_ci_around_it() {
        // Speedups 2, 4, 8, 16: geometric mean exactly (2*4*8*16)^(1/4) = 2^2.5.
        let rows = planted(&[
            (2.0, 1.8, 2.2),
            (4.0, 3.5, 4.5),
            (8.0, 7.0, 9.0),
            (16.0, 14.0, 18.0),
        ]);
        let h = compute(&rows, "interp", 0.95, 7, 10_000);
        assert_eq!(h.configs.len(), 1, "the reference has no line of its own");
        let c = &h.configs[0];
        let expected = 2f64.powf(2.5);
        assert!((c.geomean.unwrap() - expected).abs() < 1e-9, "{c:?}");
        let (lo, hi) = (c.lower.unwrap(), c.upper.unwrap());
        assert!(lo < expected && expected < hi, "{c:?}");
        // The interval lies within the smallest and largest speedup and is not degenerate.
        assert!(
            (2.0..16.0).contains(&lo) && hi <= 16.0 && hi / lo > 1.5,
            "{c:?}"
        );
        assert_eq!(c.ci_basis, "benchmarks");
        assert_eq!((c.faster, c.slower, c.unclear, c.no_ci), (4, 0, 0, 0));
        // Seeded: the same inputs give the same interval.
        assert_eq!(h, compute(&rows, "interp", 0.95, 7, 10_000));
    }

    #[test]
    fn faster_slower_unclear_and_missing_are_counted() {
        let mut rows = planted(&[
            (3.0, 2.5, 3.5),  // faster
            (0.5, 0.4, 0.6),  // slower
            (1.02, 0.9, 1.1), // unclear
        ]);
        // No CI (fewer than 3 invocations) and no speedup at all (every invocation failed).
        rows.push(row("b3", "interp", Some((1.0, 1.0, 1.0))));
        let mut no_ci = row("b3", "jit", Some((2.0, 0.0, 0.0)));
        (no_ci.speedup_lo, no_ci.speedup_hi) = (None, None);
        rows.push(no_ci);
        rows.push(row("b4", "interp", Some((1.0, 1.0, 1.0))));
        rows.push(row("b4", "jit", None));
        let h = compute(&rows, "interp", 0.95, 1, 2000);
        let c = &h.configs[0];
        assert_eq!(
            (
                c.benchmarks,
                c.missing,
                c.faster,
                c.slower,
                c.unclear,
                c.no_ci
            ),
            (4, 1, 1, 1, 1, 1)
        );
        let text = counts_text(c);
        assert_eq!(
            text,
            "faster on 1, slower on 1, unclear on 1, no CI on 1; 1 without a speedup"
        );
    }

    #[test]
    fn a_failed_verification_names_benchmark_config_and_count() {
        let mut rows = planted(&[(2.0, 1.8, 2.2), (3.0, 2.8, 3.2)]);
        rows[3].failed = 2;
        rows[3].ok = 3;
        rows[3].failures = "crash=1;wrong-output=1".into();
        let h = compute(&rows, "interp", 0.95, 1, 1000);
        assert!(!h.verified());
        assert_eq!(h.failures.len(), 1);
        let text = render(&h);
        let first: Vec<&str> = text.lines().take(2).collect();
        assert_eq!(
            first[0],
            "verified: 2 of 20 invocations FAILED (the other 18 printed the expected result)"
        );
        assert!(
            first[1].contains("b1")
                && first[1].contains("jit")
                && first[1].contains("2 of 5 failed: crash=1, wrong-output=1"),
            "{text}"
        );
    }

    #[test]
    fn a_clean_run_says_so_and_every_line_fits() {
        let rows = planted(&[(2.0, 1.8, 2.2), (3.0, 2.8, 3.2)]);
        let h = compute(&rows, "interp", 0.95, 1, 1000);
        let text = render(&h);
        assert!(text.starts_with("verified: all 20 invocations printed the expected result\n"));
        assert!(text.contains("speedup over interp (geometric mean of 2 benchmarks, 95% CI"));
        assert!(text.lines().all(|l| l.chars().count() <= WIDTH), "{text}");
    }

    #[test]
    fn one_benchmark_shows_its_own_ci_and_no_reference_says_so() {
        let rows = planted(&[(2.0, 1.8, 2.2)]);
        let h = compute(&rows, "interp", 0.95, 1, 1000);
        let c = &h.configs[0];
        assert_eq!(
            (c.geomean, c.lower, c.upper, c.ci_basis.as_str()),
            (Some(2.0), Some(1.8), Some(2.2), "invocations")
        );
        assert!(render(&h).contains("(1 benchmark, 95% CI over invocations)"));
        let h = compute(&rows, "jit-spec", 0.95, 1, 1000);
        assert!(h.configs.is_empty());
        assert!(render(&h).contains("speedup over jit-spec: none"));
    }
}
