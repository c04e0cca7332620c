//! The verdict of an A/B run, from its files only: per benchmark × config, B/A of the
//! medians of the invocation values with the hierarchical bootstrap CI of the ratio and the
//! verdict rule of `harness compare`; over every pair with enough data, the geometric mean of
//! B/A with a CI taken from the same bootstrap replicates (replicate `r` of every ratio
//! together, so the correlation through shared trials is kept).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::Result;

use crate::analysis::intervals::{min_invocations, Settings};
use crate::analysis::recorded::analyse_run;
use crate::exec::ab::{split_side, Side};
use crate::gate::compare::{change_ci, verdict, CompareOptions, Comparison, Verdict};
use crate::gate::verdict_table;
use crate::noise::RunNoise;
use crate::report::data::{load_run, Key, Measure};
use crate::stats::hierarchical::{nested_ratio_replicates, percentile, Nested};
use crate::stats::{rng_for, Estimate, Statistic};

/// The judged A/B run.
#[derive(Clone, Debug)]
pub struct AbVerdict {
    pub measure: Measure,
    pub threshold: f64,
    pub rows: Vec<Comparison>,
    /// Geometric mean of B/A over the pairs with a CI, with its CI.
    pub geomean: Option<Estimate>,
    pub noise: Option<RunNoise>,
}

/// Judges the A/B run in `dir` (see the module header).
pub fn judge_run(
    dir: &Path,
    measure: Measure,
    threshold: f64,
    pairs: &[(String, String)],
) -> Result<AbVerdict> {
    let run = load_run(dir)?;
    let analysis = analyse_run(&run, measure, "");
    let opts = CompareOptions {
        measure,
        threshold,
        seed: analysis.options.seed,
        resamples: analysis.options.resamples,
        confidence: analysis.options.confidence,
        pairs: Vec::new(),
    };
    // (suite, benchmark as judged, engine config) -> [A, B] invocations' steady states.
    let mut sides: BTreeMap<Key, [Option<&Vec<Vec<f64>>>; 2]> = BTreeMap::new();
    for (key, steady) in &analysis.steady {
        let Some((side, config)) = split_side(&key.config) else {
            continue;
        };
        let benchmark = match side {
            Side::A => key.benchmark.clone(),
            Side::B => pairs
                .iter()
                .find(|(_, v)| *v == key.benchmark)
                .map_or(key.benchmark.clone(), |(b, _)| b.clone()),
        };
        let judged = Key {
            suite: key.suite.clone(),
            benchmark,
            config: config.to_string(),
        };
        sides.entry(judged).or_default()[side as usize] = Some(steady);
    }
    let settings = Settings {
        measure,
        seed: opts.seed,
        resamples: opts.resamples,
        confidence: opts.confidence,
    };
    let mut rows = Vec::new();
    let mut replicates: Vec<(f64, Vec<f64>)> = Vec::new();
    for (key, [a, b]) in sides {
        let median_of = |g: Option<&Vec<Vec<f64>>>| {
            let values: Vec<f64> = g?.iter().filter_map(|s| crate::stats::mean(s)).collect();
            crate::stats::median(&values)
        };
        let (change, ci, v) = match (a, b) {
            (Some(a), Some(b)) => match change_ci(a, b, &opts, &key.to_string()) {
                Some((point, Some(ci))) => (Some(point), Some(ci), verdict(&ci, threshold)),
                Some((point, None)) => (Some(point), None, Verdict::NotEnoughData),
                None => (None, None, Verdict::NotEnoughData),
            },
            _ => (None, None, Verdict::Missing),
        };
        if let (Some(a), Some(b), Some(point), Some(_)) = (a, b, change, ci) {
            if a.len().min(b.len()) >= min_invocations(measure) {
                if let (Some(na), Some(nb)) = (Nested::new(a.clone()), Nested::new(b.clone())) {
                    let mut rng = rng_for(settings.seed, &format!("ab-geomean/{key}"));
                    let reps = nested_ratio_replicates(
                        &nb,
                        &na,
                        Statistic::Median,
                        settings.resamples,
                        &mut rng,
                    );
                    replicates.push((1.0 + point, reps));
                }
            }
        }
        rows.push(Comparison {
            baseline: median_of(a),
            current: median_of(b),
            key,
            change,
            change_ci: ci,
            verdict: v,
        });
    }
    Ok(AbVerdict {
        measure,
        threshold,
        rows,
        geomean: geomean(&replicates, settings.confidence),
        noise: RunNoise::of(&run.rows),
    })
}

/// Geometric mean of the ratios and its percentile interval over the joint replicates.
fn geomean(ratios: &[(f64, Vec<f64>)], confidence: f64) -> Option<Estimate> {
    if ratios.is_empty() {
        return None;
    }
    let n = ratios.len() as f64;
    let point = (ratios.iter().map(|(p, _)| p.ln()).sum::<f64>() / n).exp();
    let resamples = ratios.iter().map(|(_, r)| r.len()).min().unwrap_or(0);
    let mut reps: Vec<f64> = (0..resamples)
        .map(|i| (ratios.iter().map(|(_, r)| r[i].ln()).sum::<f64>() / n).exp())
        .collect();
    Some(percentile(point, &mut reps, confidence))
}

impl AbVerdict {
    pub fn has_regression(&self) -> bool {
        self.rows.iter().any(|r| r.verdict == Verdict::Regression)
    }

    fn geomean_line(&self) -> String {
        match &self.geomean {
            Some(g) => format!(
                "B/A geometric mean: {:.4} [{:.4}, {:.4}] ({:+.2}%)",
                g.point,
                g.lower,
                g.upper,
                (g.point - 1.0) * 100.0
            ),
            None => "B/A geometric mean: n/a (no pair with enough invocations)".into(),
        }
    }

    /// Pairs whose CI is wider than the threshold on either side of the change: a change of
    /// the threshold's size could pass unseen there, so the verdict "no regression" is weak.
    pub fn wide_pairs(&self) -> usize {
        self.rows
            .iter()
            .filter_map(|r| r.change_ci.as_ref())
            .filter(|ci| (ci.upper - ci.lower) / 2.0 > self.threshold)
            .count()
    }

    /// The advice printed when some pair's CI is too wide to see a change of the threshold's
    /// size (scripts/validate-gate.sh measures how many trials this machine needs).
    fn power_hint(&self) -> Option<String> {
        let wide = self.wide_pairs();
        (wide > 0).then(|| {
            format!(
                "note: {wide} of {} pair(s) have a CI wider than ±{:.1}%, so a change of that \
                 size can go unseen there; more trials (-n) narrow it (about as 1/sqrt(n))",
                self.rows.len(),
                self.threshold * 100.0
            )
        })
    }

    fn noise_line(&self) -> String {
        let state = self
            .noise
            .as_ref()
            .map_or("not recorded".to_string(), |n| n.describe());
        format!("noise: {state}; A and B were interleaved, so load hits both alike")
    }

    /// The terminal text: noise, the B/A table (A as "baseline", B as "run"), geomean,
    /// verdict.
    pub fn terminal(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}", self.noise_line());
        let _ = writeln!(
            out,
            "A/B: change = median(B) / median(A) - 1; baseline = A, run = B"
        );
        out.push_str(&verdict_table::terminal(&self.rows, self.measure));
        let _ = writeln!(out, "{}", self.geomean_line());
        if let Some(hint) = self.power_hint() {
            let _ = writeln!(out, "{hint}");
        }
        let regressions = self
            .rows
            .iter()
            .filter(|r| r.verdict == Verdict::Regression)
            .count();
        let _ = writeln!(
            out,
            "verdict: {}",
            if regressions > 0 {
                format!(
                    "B is slower: {regressions} regression(s) beyond {:.1}%",
                    self.threshold * 100.0
                )
            } else {
                format!("no regression beyond {:.1}%", self.threshold * 100.0)
            }
        );
        out
    }

    /// Markdown for a pull-request comment.
    pub fn markdown(&self, a: &Path, b: &Path) -> String {
        let mut md = verdict_table::markdown(
            &self.rows,
            self.measure,
            self.threshold,
            &format!("A = {}", a.display()),
        );
        let _ = writeln!(
            md,
            "\nB = `{}`. {}. {}.",
            b.display(),
            self.geomean_line(),
            self.noise_line()
        );
        if let Some(hint) = self.power_hint() {
            let _ = writeln!(md, "\n{hint}.");
        }
        md
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(lower: f64, upper: f64) -> Comparison {
        Comparison {
            key: Key {
                suite: "s".into(),
                benchmark: "b".into(),
                config: "interp".into(),
            },
            baseline: Some(1.0),
            current: Some(1.0),
            change: Some((lower + upper) / 2.0),
            change_ci: Some(Estimate {
                point: (lower + upper) / 2.0,
                lower,
                upper,
                confidence: 0.95,
            }),
            verdict: Verdict::NoChange,
        }
    }

    #[test]
    fn a_ci_wider_than_the_threshold_gets_the_more_trials_hint() {
        let mut v = AbVerdict {
            measure: Measure::Wall,
            threshold: 0.03,
            rows: vec![row(-0.02, 0.02), row(-0.05, 0.04)],
            geomean: None,
            noise: None,
        };
        assert_eq!(v.wide_pairs(), 1);
        assert!(v
            .terminal()
            .contains("1 of 2 pair(s) have a CI wider than ±3.0%"));
        v.rows.pop();
        assert_eq!(v.wide_pairs(), 0);
        assert!(!v.terminal().contains("note:"));
    }

    #[test]
    fn geomean_of_equal_ratios_is_that_ratio() {
        let g = geomean(
            &[(1.1, vec![1.05, 1.1, 1.15]), (1.1, vec![1.05, 1.1, 1.15])],
            0.95,
        )
        .unwrap();
        assert!((g.point - 1.1).abs() < 1e-12);
        assert!(g.lower >= 1.05 - 1e-12 && g.upper <= 1.15 + 1e-12);
        assert!(geomean(&[], 0.95).is_none());
    }
}
