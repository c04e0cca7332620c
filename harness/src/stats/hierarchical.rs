//! Hierarchical (two-level) bootstrap confidence intervals, after Kalibera & Jones 2012
//! ("Quantifying performance changes with effect size confidence intervals", University of
//! Kent TR 4-12, §4) and 2013 ("Rigorous benchmarking in reasonable time", ISMM): a
//! measurement has two levels of random variation, between processes (invocations: heap
//! layout, JIT decisions, address-space randomisation) and between iterations inside one
//! process. Iterations of one process are not independent samples of the benchmark, so
//! resampling them as if they were gives intervals far too narrow; resampling only the
//! invocation values ignores how well each value is known. Each bootstrap replicate here
//! therefore
//! 1. draws as many invocations as were run, with replacement, then
//! 2. within each drawn invocation draws as many of its steady-state iterations as it had,
//!    with replacement, and takes their mean (the invocation's resampled value),
//!
//! and computes the statistic (median or mean) of those values. The point estimate is the
//! statistic of the invocations' actual values (the means of their steady states); the
//! interval is the percentile interval of the replicates (Efron & Tibshirani 1993, ch. 13).
//! A ratio (speedup, change against a baseline) resamples both sides independently.
//!
//! With fewer than [`MIN_INVOCATIONS`] invocations there is no estimate of the between-process
//! variance at all, so no interval is given (see [`Nested::new`]); instruction counts, which
//! repeat exactly from process to process, are the documented exception made by the callers.

use rand::Rng;

pub use super::bootstrap::percentile;
use super::bootstrap::{Estimate, Statistic};
use super::describe::{mean_of_nonempty, quantile_sorted};
use super::sample::Sample;

/// Fewest invocations that give a confidence interval in wall time: with one there is no
/// between-process variance to estimate, and with two the bootstrap has three distinct
/// resamples.
pub const MIN_INVOCATIONS: usize = 3;

/// The steady-state iterations of each invocation: at least two invocations, each with at
/// least one finite value.
#[derive(Clone, Debug, PartialEq)]
pub struct Nested {
    groups: Vec<Vec<f64>>,
    /// The invocation values (each group's mean).
    values: Sample,
}

impl Nested {
    /// `None` for fewer than two invocations, an empty invocation or a non-finite value.
    pub fn new(groups: Vec<Vec<f64>>) -> Option<Nested> {
        if groups.iter().any(|g| g.is_empty()) {
            return None;
        }
        let means: Vec<f64> = groups.iter().map(|g| mean_of_nonempty(g)).collect();
        let values = Sample::new(&means)?;
        if !groups.iter().flatten().all(|v| v.is_finite()) {
            return None;
        }
        Some(Nested { groups, values })
    }

    /// The invocation values (mean of each invocation's steady state).
    pub fn values(&self) -> &Sample {
        &self.values
    }

    /// Number of invocations.
    pub fn invocations(&self) -> usize {
        self.groups.len()
    }

    /// One replicate: invocations drawn with replacement, iterations within each drawn
    /// invocation drawn with replacement; returns the statistic of the resampled values.
    fn replicate(&self, statistic: Statistic, buf: &mut [f64], rng: &mut impl Rng) -> f64 {
        for slot in buf.iter_mut() {
            let group = &self.groups[rng.gen_range(0..self.groups.len())];
            let mut sum = 0.0;
            for _ in 0..group.len() {
                sum += group[rng.gen_range(0..group.len())];
            }
            *slot = sum / group.len() as f64;
        }
        match statistic {
            Statistic::Mean => mean_of_nonempty(buf),
            Statistic::Median => {
                buf.sort_by(f64::total_cmp);
                quantile_sorted(buf, 0.5)
            }
        }
    }
}

/// Hierarchical percentile-bootstrap CI of `statistic` over invocations.
pub fn nested_ci(
    data: &Nested,
    statistic: Statistic,
    resamples: usize,
    confidence: f64,
    rng: &mut impl Rng,
) -> Estimate {
    let point = statistic.of_sample(&data.values);
    let mut buf = vec![0.0; data.invocations()];
    let mut stats: Vec<f64> = (0..resamples)
        .map(|_| data.replicate(statistic, &mut buf, rng))
        .collect();
    percentile(point, &mut stats, confidence)
}

/// Hierarchical percentile-bootstrap CI of `statistic(numer) / statistic(denom)`, each side
/// resampled independently. A speedup of B over reference A on times is `numer = A`,
/// `denom = B`.
pub fn nested_ratio_ci(
    numer: &Nested,
    denom: &Nested,
    statistic: Statistic,
    resamples: usize,
    confidence: f64,
    rng: &mut impl Rng,
) -> Estimate {
    let point = statistic.of_sample(&numer.values) / statistic.of_sample(&denom.values);
    let mut stats = nested_ratio_replicates(numer, denom, statistic, resamples, rng);
    percentile(point, &mut stats, confidence)
}

/// The bootstrap replicates of `statistic(numer) / statistic(denom)` behind
/// [`nested_ratio_ci`], for statistics built on several ratios at once (a geometric mean over
/// benchmarks takes replicate `r` of every ratio together).
pub fn nested_ratio_replicates(
    numer: &Nested,
    denom: &Nested,
    statistic: Statistic,
    resamples: usize,
    rng: &mut impl Rng,
) -> Vec<f64> {
    let mut a = vec![0.0; numer.invocations()];
    let mut b = vec![0.0; denom.invocations()];
    (0..resamples)
        .map(|_| numer.replicate(statistic, &mut a, rng) / denom.replicate(statistic, &mut b, rng))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::bootstrap::{bootstrap_ci, rng_for};
    use crate::stats::pelt::tests::noisy;

    fn groups(
        rng: &mut rand_chacha::ChaCha8Rng,
        level: f64,
        between: f64,
        within: f64,
    ) -> Vec<Vec<f64>> {
        (0..5)
            .map(|_| {
                let l = level * (1.0 + between * rng.gen_range(-1.0..1.0));
                noisy(rng, l, within * l, 20)
            })
            .collect()
    }

    #[test]
    fn needs_two_non_empty_invocations() {
        assert!(Nested::new(vec![vec![1.0]]).is_none());
        assert!(Nested::new(vec![vec![1.0], vec![]]).is_none());
        assert!(Nested::new(vec![vec![1.0], vec![f64::NAN, 1.0]]).is_none());
        let n = Nested::new(vec![vec![1.0, 3.0], vec![4.0]]).unwrap();
        assert_eq!(n.values().values(), [2.0, 4.0]);
    }

    #[test]
    fn between_process_variance_widens_the_interval() {
        // Iteration noise alone would give a narrow interval; the processes' levels differ by
        // up to ±5%, and the interval must show it.
        let mut rng = rng_for(9, "data");
        let g = groups(&mut rng, 100.0, 0.05, 0.005);
        let nested = Nested::new(g.clone()).unwrap();
        let ci = nested_ci(
            &nested,
            Statistic::Mean,
            10_000,
            0.95,
            &mut rng_for(1, "ci"),
        );
        let flat: Vec<f64> = g.concat();
        let naive = bootstrap_ci(
            &Sample::new(&flat).unwrap(),
            Statistic::Mean,
            10_000,
            0.95,
            &mut rng_for(1, "ci"),
        );
        assert!(
            ci.upper - ci.lower > 3.0 * (naive.upper - naive.lower),
            "{ci:?} vs {naive:?}"
        );
        assert!(ci.contains(ci.point));
    }

    #[test]
    fn a_planted_ratio_is_covered_and_a_a_contains_one() {
        let mut rng = rng_for(4, "data");
        let a = Nested::new(groups(&mut rng, 100.0, 0.01, 0.02)).unwrap();
        let b = Nested::new(groups(&mut rng, 110.0, 0.01, 0.02)).unwrap();
        let c = Nested::new(groups(&mut rng, 100.0, 0.01, 0.02)).unwrap();
        let r = nested_ratio_ci(
            &b,
            &a,
            Statistic::Median,
            10_000,
            0.95,
            &mut rng_for(1, "r"),
        );
        assert!(r.contains(1.10) && !r.contains(1.0), "{r:?}");
        let aa = nested_ratio_ci(
            &c,
            &a,
            Statistic::Median,
            10_000,
            0.95,
            &mut rng_for(1, "r"),
        );
        assert!(aa.contains(1.0), "{aa:?}");
        // Seeded: the same inputs and seed give the same interval.
        let again = nested_ratio_ci(
            &c,
            &a,
            Statistic::Median,
            10_000,
            0.95,
            &mut rng_for(1, "r"),
        );
        assert_eq!(aa, again);
    }
}
