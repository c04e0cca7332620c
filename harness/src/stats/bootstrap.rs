//! Seeded percentile-bootstrap confidence intervals (Efron & Tibshirani 1993, "An
//! Introduction to the Bootstrap", ch. 13) for the median and mean of invocation values, and
//! for the ratio of two such statistics (a speedup), resampling each group independently
//! (ch. 8, two-sample problems). Davison & Hinkley 1997 (ch. 5) discuss when percentile
//! intervals are adequate; with the handful of invocations a run affords they are honest
//! about their width, which is what users need.
//!
//! Determinism: every interval takes an explicit RNG; [`rng_for`] derives a ChaCha8 stream
//! from the run's seed and a key (e.g. `"fib/jit"`), so an interval does not depend on the
//! order in which the run computed others.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::describe::{mean_of_nonempty, quantile_sorted};
use super::sample::Sample;

/// Which statistic an interval is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Statistic {
    Median,
    Mean,
}

impl Statistic {
    /// The statistic of a sample.
    pub fn of_sample(self, sample: &Sample) -> f64 {
        match self {
            Statistic::Mean => sample.mean(),
            Statistic::Median => sample.median(),
        }
    }

    /// The statistic of a non-empty resample (sorted in place for the median).
    fn of_resample(self, xs: &mut [f64]) -> f64 {
        match self {
            Statistic::Mean => mean_of_nonempty(xs),
            Statistic::Median => {
                xs.sort_by(f64::total_cmp);
                quantile_sorted(xs, 0.5)
            }
        }
    }
}

/// A point estimate with its confidence interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Estimate {
    pub point: f64,
    pub lower: f64,
    pub upper: f64,
    /// Two-sided confidence level, e.g. 0.95.
    pub confidence: f64,
}

impl Estimate {
    /// True if `x` lies within the interval (inclusive).
    pub fn contains(&self, x: f64) -> bool {
        self.lower <= x && x <= self.upper
    }
}

/// A ChaCha8 RNG for one interval: the run's seed mixed with a key (FNV-1a of the key's
/// bytes), so intervals are reproducible and independent of computation order.
pub fn rng_for(seed: u64, key: &str) -> ChaCha8Rng {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    ChaCha8Rng::seed_from_u64(seed ^ h)
}

impl Estimate {
    /// An estimate without an interval around it (lower = upper = point), for callers that
    /// must fill a CI column from a single value.
    pub fn point_only(point: f64, confidence: f64) -> Estimate {
        Estimate {
            point,
            lower: point,
            upper: point,
            confidence,
        }
    }
}

/// Percentile-bootstrap CI of `statistic` of `sample` with `resamples` resamples. The point
/// estimate is the statistic of the sample itself.
pub fn bootstrap_ci(
    sample: &Sample,
    statistic: Statistic,
    resamples: usize,
    confidence: f64,
    rng: &mut impl Rng,
) -> Estimate {
    let point = statistic.of_sample(sample);
    let mut buf = vec![0.0; sample.len()];
    let mut stats: Vec<f64> = (0..resamples)
        .map(|_| {
            resample_into(sample.values(), &mut buf, rng);
            statistic.of_resample(&mut buf)
        })
        .collect();
    percentile(point, &mut stats, confidence)
}

/// Percentile-bootstrap CI of `statistic(numer) / statistic(denom)`, each group resampled
/// independently. For a speedup of config B over reference A on times, pass `numer = A`,
/// `denom = B` (a ratio > 1 means B is faster).
pub fn ratio_ci(
    numer: &Sample,
    denom: &Sample,
    statistic: Statistic,
    resamples: usize,
    confidence: f64,
    rng: &mut impl Rng,
) -> Estimate {
    let point = statistic.of_sample(numer) / statistic.of_sample(denom);
    let mut a = vec![0.0; numer.len()];
    let mut b = vec![0.0; denom.len()];
    let mut stats: Vec<f64> = (0..resamples)
        .map(|_| {
            resample_into(numer.values(), &mut a, rng);
            resample_into(denom.values(), &mut b, rng);
            statistic.of_resample(&mut a) / statistic.of_resample(&mut b)
        })
        .collect();
    percentile(point, &mut stats, confidence)
}

fn resample_into(sample: &[f64], out: &mut [f64], rng: &mut impl Rng) {
    for slot in out.iter_mut() {
        *slot = sample[rng.gen_range(0..sample.len())];
    }
}

/// The percentile interval of bootstrap replicates around `point` (sorts `stats`).
pub fn percentile(point: f64, stats: &mut [f64], confidence: f64) -> Estimate {
    if stats.is_empty() || !point.is_finite() {
        return Estimate::point_only(point, confidence);
    }
    stats.sort_by(f64::total_cmp);
    let alpha = (1.0 - confidence) / 2.0;
    Estimate {
        point,
        lower: quantile_sorted(stats, alpha),
        upper: quantile_sorted(stats, 1.0 - alpha),
        confidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::pelt::tests::noisy;

    #[test]
    fn planted_ten_percent_shift_is_found() {
        let mut data = rng_for(42, "data");
        let base = Sample::new(&noisy(&mut data, 100.0, 2.0, 10)).unwrap();
        let slow = Sample::new(&noisy(&mut data, 110.0, 2.2, 10)).unwrap();
        for stat in [Statistic::Median, Statistic::Mean] {
            let r = ratio_ci(&slow, &base, stat, 10_000, 0.95, &mut rng_for(1, "ratio"));
            assert!(r.contains(1.10), "{stat:?}: {r:?}");
            assert!(!r.contains(1.00), "{stat:?}: {r:?}");
        }
    }

    #[test]
    fn a_a_ratio_contains_one() {
        let mut data = rng_for(3, "data");
        let a = Sample::new(&noisy(&mut data, 100.0, 2.0, 10)).unwrap();
        let b = Sample::new(&noisy(&mut data, 100.0, 2.0, 10)).unwrap();
        let r = ratio_ci(
            &a,
            &b,
            Statistic::Median,
            10_000,
            0.95,
            &mut rng_for(1, "aa"),
        );
        assert!(r.contains(1.0), "{r:?}");
    }

    #[test]
    fn interval_covers_the_point_and_is_seeded() {
        let xs = Sample::new(&[10.0, 12.0, 11.0, 13.0, 9.0, 30.0]).unwrap();
        let a = bootstrap_ci(&xs, Statistic::Median, 10_000, 0.95, &mut rng_for(5, "k"));
        let b = bootstrap_ci(&xs, Statistic::Median, 10_000, 0.95, &mut rng_for(5, "k"));
        assert_eq!(a, b);
        assert_eq!(a.point, 11.5);
        assert!(a.lower <= a.point && a.point <= a.upper);
        let same = Sample::new(&[7.0, 7.0]).unwrap();
        let c = bootstrap_ci(&same, Statistic::Mean, 100, 0.95, &mut rng_for(5, "k"));
        assert_eq!((c.point, c.lower, c.upper), (7.0, 7.0, 7.0));
    }
}
