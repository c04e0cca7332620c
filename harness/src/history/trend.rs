//! The numbers of `harness history`: per benchmark × config, one point per run (its median
//! and CI, from [`crate::analysis::recorded`], as the run's own summary) and, between each
//! point and the previous point of the same benchmark × config, the change judged by the
//! regression gate's own test ([`crate::gate::compare::change_ci`] and
//! [`crate::gate::compare::verdict`]: the CI of the change must exclude zero and the change
//! must pass the threshold). No statistic is computed here that `compare` does not compute.

use std::collections::BTreeMap;

use crate::analysis::recorded::{analyse_run, options_for};
use crate::gate::compare::{change_ci, verdict, CompareOptions, Verdict};
use crate::report::data::{Key, Measure, RunData};
use crate::stats::Estimate;

/// One run in the history, in commit order.
#[derive(Debug)]
pub struct Entry {
    pub run: RunData,
    pub commit: String,
    /// When the run started (RFC 3339), the tie-break and the fallback order.
    pub started_at: String,
}

/// One point of a trend: a run's median of a benchmark × config.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// Position of the run in the history (0 = oldest).
    pub index: usize,
    pub ok: usize,
    pub median: Option<f64>,
    /// The median's CI, when the run had enough invocations.
    pub ci: Option<(f64, f64)>,
    /// Change against the previous point of this key (0.05 = 5% more time), with its CI and
    /// the gate's verdict; `None` on the first point.
    pub change: Option<Change>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Change {
    /// The point this one is compared with.
    pub from: usize,
    pub point: f64,
    pub ci: Option<Estimate>,
    pub verdict: Verdict,
}

/// The trend of every benchmark × config over `entries` (oldest first).
pub fn trends(entries: &[Entry], measure: Measure, threshold: f64) -> BTreeMap<Key, Vec<Point>> {
    let analyses: Vec<_> = entries
        .iter()
        .map(|e| analyse_run(&e.run, measure, ""))
        .collect();
    let mut out: BTreeMap<Key, Vec<Point>> = BTreeMap::new();
    for (index, a) in analyses.iter().enumerate() {
        for s in &a.summary {
            let key = Key {
                suite: s.suite.clone(),
                benchmark: s.benchmark.clone(),
                config: s.config.clone(),
            };
            let previous = out.get(&key).and_then(|points| {
                points
                    .iter()
                    .rev()
                    .find(|p| analyses[p.index].steady.contains_key(&key))
                    .map(|p| p.index)
            });
            let change = match (previous, a.steady.get(&key)) {
                (Some(from), Some(current)) => {
                    // As `harness compare`: the older run plays the baseline, and its
                    // recorded seed and bootstrap settings drive the interval.
                    let stats = options_for(entries[from].run.run_json.as_ref(), measure, "");
                    let opts = CompareOptions {
                        measure,
                        threshold,
                        seed: stats.seed,
                        resamples: stats.resamples,
                        confidence: stats.confidence,
                        pairs: Vec::new(),
                    };
                    change_ci(
                        &analyses[from].steady[&key],
                        current,
                        &opts,
                        &key.to_string(),
                    )
                    .map(|(point, ci)| Change {
                        from,
                        point,
                        ci,
                        verdict: ci.map_or(Verdict::NotEnoughData, |c| verdict(&c, threshold)),
                    })
                }
                _ => None,
            };
            out.entry(key).or_default().push(Point {
                index,
                ok: s.ok,
                median: s.median,
                ci: s.median_lo.zip(s.median_hi),
                change,
            });
        }
    }
    out
}

/// True for the verdicts a trend marks: a regression or an improvement.
pub fn significant(v: Verdict) -> bool {
    matches!(v, Verdict::Regression | Verdict::Improvement)
}
