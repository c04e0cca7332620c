//! The regression gate's judgement (ARCHITECTURE §7): for each benchmark × config, the change
//! of the run against the baseline with a bootstrap confidence interval, and a verdict.
//!
//! Change = `median(run) / median(baseline) − 1` over invocation values (the steady-state mean
//! of each invocation; the invocation is the statistical unit). Its CI is the percentile
//! bootstrap CI of that ratio with each group resampled independently (Efron & Tibshirani
//! 1993, ch. 8 and 13; [`crate::stats::ratio_ci`]), minus one.
//!
//! Verdict: **regression** only when the CI lies entirely above zero *and* the point change
//! exceeds the threshold; **improvement** symmetrically; **no change** otherwise. Requiring
//! both is what keeps A/A runs quiet: between two runs of one build the machine drifts by a
//! percent or two, which a tight CI can resolve but which is not a regression; and a large but
//! noisy change whose CI straddles zero is not yet evidence. For instruction counts the
//! invocations are identical, every resample gives the same ratio, and the CI collapses to the
//! point value — the threshold alone decides.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, Result};

use crate::analysis::intervals::{ratio, Settings};
use crate::analysis::recorded::analyse_run;
use crate::report::data::{Key, Measure, RunData};
use crate::stats::{median, Estimate};

/// The outcome for one benchmark × config.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Regression,
    Improvement,
    NoChange,
    /// In the baseline but without any successful invocation in the run: cannot be judged.
    Missing,
    /// In the run only: reported, not judged.
    New,
    /// Too few ok invocations on a side for a confidence interval (fewer than
    /// [`crate::analysis::intervals::min_invocations`]): never a regression.
    NotEnoughData,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Regression => "regression",
            Verdict::Improvement => "improvement",
            Verdict::NoChange => "no change",
            Verdict::Missing => "missing",
            Verdict::New => "new",
            Verdict::NotEnoughData => "not enough data",
        }
    }
}

/// One row of the comparison table.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub key: Key,
    /// Median invocation value in the baseline and in the run (raw units), if present.
    pub baseline: Option<f64>,
    pub current: Option<f64>,
    /// Relative change (0.05 = 5% more time/instructions), if both sides exist.
    pub change: Option<f64>,
    /// Its CI, if both sides have enough invocations.
    pub change_ci: Option<Estimate>,
    pub verdict: Verdict,
}

/// Options of a comparison.
#[derive(Clone, Debug)]
pub struct CompareOptions {
    pub measure: Measure,
    /// Relative threshold, e.g. 0.05.
    pub threshold: f64,
    /// Seed of the bootstrap RNG (mixed with each key, see [`rng_for`]).
    pub seed: u64,
    /// Bootstrap resamples and confidence level.
    pub resamples: usize,
    pub confidence: f64,
    /// Compare baseline benchmark `.0` against run benchmark `.1` (same suite and config);
    /// when non-empty only these pairs are compared. Used to judge planted variants.
    pub pairs: Vec<(String, String)>,
}

/// The verdict rule, separate so that it can be tested on its own.
pub fn verdict(change: &Estimate, threshold: f64) -> Verdict {
    if change.lower > 0.0 && change.point > threshold {
        Verdict::Regression
    } else if change.upper < 0.0 && change.point < -threshold {
        Verdict::Improvement
    } else {
        Verdict::NoChange
    }
}

/// Change of `current` against `baseline` (each the steady-state iterations of its ok
/// invocations): the point change, and its hierarchical bootstrap CI when both sides have
/// enough invocations ([`crate::analysis::intervals`]). `None` if a side has no invocation.
pub fn change_ci(
    baseline: &[Vec<f64>],
    current: &[Vec<f64>],
    opts: &CompareOptions,
    key: &str,
) -> Option<(f64, Option<Estimate>)> {
    let settings = Settings {
        measure: opts.measure,
        seed: opts.seed,
        resamples: opts.resamples,
        confidence: opts.confidence,
    };
    let r = ratio(current, baseline, &settings, &format!("compare/{key}"))?;
    let ci = r.bounds.map(|(lo, hi)| Estimate {
        point: r.point - 1.0,
        lower: lo - 1.0,
        upper: hi - 1.0,
        confidence: opts.confidence,
    });
    Some((r.point - 1.0, ci))
}

/// Compares `current` against `baseline`. Errors (exit 2) when the measure is absent from
/// either side or when the two runs share no suite or the run lacks a suite of the baseline.
pub fn compare(
    baseline: &RunData,
    current: &RunData,
    opts: &CompareOptions,
) -> Result<Vec<Comparison>> {
    // Speedups are not needed here; the reference only has to be some config name.
    let base = analyse_run(baseline, opts.measure, "").steady;
    let mut cur = analyse_run(current, opts.measure, "").steady;
    check_measure(baseline, &base, opts.measure, "baseline")?;
    check_measure(current, &cur, opts.measure, "run")?;
    check_suites(baseline, current)?;

    let base = if opts.pairs.is_empty() {
        base
    } else {
        cur = rename_pairs(cur, &opts.pairs)?;
        let wanted: BTreeSet<&str> = opts.pairs.iter().map(|(b, _)| b.as_str()).collect();
        base.into_iter()
            .filter(|(k, _)| wanted.contains(k.benchmark.as_str()))
            .collect()
    };

    let keys: BTreeSet<&Key> = base.keys().chain(cur.keys()).collect();
    let mut out = Vec::new();
    for key in keys {
        let b = base.get(key);
        let c = cur.get(key);
        let (change, change_ci, verdict) = match (b, c) {
            (Some(b), Some(c)) => match change_ci(b, c, opts, &key.to_string()) {
                Some((point, Some(ci))) => (Some(point), Some(ci), verdict(&ci, opts.threshold)),
                Some((point, None)) => (Some(point), None, Verdict::NotEnoughData),
                None => (None, None, Verdict::NotEnoughData),
            },
            (Some(_), None) => (None, None, Verdict::Missing),
            _ => (None, None, Verdict::New),
        };
        out.push(Comparison {
            key: key.clone(),
            baseline: b.and_then(|v| median_value(v)),
            current: c.and_then(|v| median_value(v)),
            change,
            change_ci,
            verdict,
        });
    }
    Ok(out)
}

/// Median of the invocation values (means of the steady states).
fn median_value(groups: &[Vec<f64>]) -> Option<f64> {
    let values: Vec<f64> = groups
        .iter()
        .filter_map(|g| crate::stats::mean(g))
        .collect();
    median(&values)
}

/// With `--pair BASE=RUN`, the run's benchmark RUN is judged as if it were BASE; other run
/// benchmarks are dropped.
fn rename_pairs(
    cur: BTreeMap<Key, Vec<Vec<f64>>>,
    pairs: &[(String, String)],
) -> Result<BTreeMap<Key, Vec<Vec<f64>>>> {
    let mut out = BTreeMap::new();
    for (base_name, run_name) in pairs {
        let found: Vec<_> = cur
            .iter()
            .filter(|(k, _)| &k.benchmark == run_name)
            .collect();
        if found.is_empty() {
            bail!("--pair {base_name}={run_name}: the run has no benchmark `{run_name}`");
        }
        for (k, a) in found {
            let key = Key {
                benchmark: base_name.clone(),
                ..k.clone()
            };
            out.insert(key, a.clone());
        }
    }
    Ok(out)
}

fn check_measure(
    run: &RunData,
    analysed: &BTreeMap<Key, Vec<Vec<f64>>>,
    measure: Measure,
    what: &str,
) -> Result<()> {
    if run.rows.is_empty() {
        bail!(
            "the {what} {} has no results (empty results.csv)",
            run.dir.display()
        );
    }
    let any_ok = run.rows.iter().any(|r| r.status.is_ok());
    if analysed.is_empty() && any_ok && measure == Measure::Instructions {
        bail!(
            "the {what} {} has no `instructions` values: record it with `harness run --measure instructions`",
            run.dir.display()
        );
    }
    Ok(())
}

fn check_suites(baseline: &RunData, current: &RunData) -> Result<()> {
    let suites = |r: &RunData| {
        r.rows
            .iter()
            .map(|r| r.suite.clone())
            .collect::<BTreeSet<_>>()
    };
    let (b, c) = (suites(baseline), suites(current));
    let missing: Vec<_> = b.difference(&c).cloned().collect();
    if !missing.is_empty() {
        bail!(
            "mismatched suites: the baseline {} has suite(s) {} that the run {} lacks (run has: {})",
            baseline.dir.display(),
            missing.join(", "),
            current.dir.display(),
            c.into_iter().collect::<Vec<_>>().join(", ")
        );
    }
    Ok(())
}

/// True if any comparison is a regression.
pub fn has_regression(rows: &[Comparison]) -> bool {
    rows.iter().any(|r| r.verdict == Verdict::Regression)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn est(point: f64, lower: f64, upper: f64) -> Estimate {
        Estimate {
            point,
            lower,
            upper,
            confidence: 0.95,
        }
    }

    #[test]
    fn regression_needs_both_a_ci_above_zero_and_a_change_above_threshold() {
        assert_eq!(verdict(&est(0.10, 0.08, 0.12), 0.05), Verdict::Regression);
        assert_eq!(verdict(&est(0.03, 0.02, 0.04), 0.05), Verdict::NoChange);
        assert_eq!(verdict(&est(0.10, -0.01, 0.2), 0.05), Verdict::NoChange);
        assert_eq!(
            verdict(&est(-0.10, -0.12, -0.08), 0.05),
            Verdict::Improvement
        );
        assert_eq!(verdict(&est(0.0, 0.0, 0.0), 0.0), Verdict::NoChange);
    }

    #[test]
    fn identical_counts_collapse_the_ci_to_the_point() {
        let base = vec![vec![1_000_000.0; 4]; 3];
        let opts = CompareOptions {
            measure: Measure::Instructions,
            threshold: 0.005,
            seed: 1,
            resamples: 10_000,
            confidence: 0.95,
            pairs: Vec::new(),
        };
        let (_, same) = change_ci(&base, &base, &opts, "k").unwrap();
        let same = same.unwrap();
        assert_eq!((same.point, same.lower, same.upper), (0.0, 0.0, 0.0));
        let (_, more) = change_ci(&base, &[vec![1_010_000.0; 4]], &opts, "k").unwrap();
        let more = more.expect("one exact invocation of counts is enough");
        assert!((more.point - 0.01).abs() < 1e-12);
        assert_eq!(more.lower, more.point);
        assert_eq!(verdict(&more, 0.005), Verdict::Regression);

        // In wall time, fewer than three invocations on a side give no interval.
        let wall = CompareOptions {
            measure: Measure::Wall,
            ..opts
        };
        let (point, ci) = change_ci(&base, &vec![vec![2_000_000.0; 4]; 2], &wall, "k").unwrap();
        assert_eq!((point, ci), (1.0, None));
    }
}
