//! Periodic iteration series — an alternation of two costs, a cycle of four — detected before
//! segmentation (issue 18). PELT's mean-change model has no place for them: the first
//! differences behind its noise estimate ([`super::pelt::noise_sigma`]) are inflated by the
//! cycle itself, so no change is ever found and the series would be called flat, with the
//! average of the levels as its value.
//!
//! The test is a penalised-likelihood model choice in the spirit of PELT itself (Killick et
//! al. 2012; the same normal cost and the same penalty `β = 15 ln n` of Barrett et al. 2017).
//! For each period `p` in `2..=`[`MAX_PERIOD`]:
//! 1. the noise is estimated from differences at lag `p` ([`noise_sigma_at_lag`]: seasonal
//!    differencing, Box & Jenkins 1970, §9.1, removes any component of period `p`, so a cycle
//!    of that period cannot inflate it) and the series is scaled by it;
//! 2. the optimal penalised cost of segmenting the series into constant-mean segments, `F(n)`,
//!    and of every prefix, `F(s)`, come from PELT;
//! 3. the alternative model keeps an optimal segmentation of a prefix `x[..s]` and lets the
//!    rest be *periodic*: one mean per phase (`i mod p`), i.e. `p` parameters, costing
//!    `F(s) + p·β + RSS_phases(x[s..])`; the tail must hold at least [`MIN_CYCLES`] whole
//!    cycles and half the series.
//!
//! The series is periodic with period `p` when the best alternative costs less than `F(n)` and
//! its phase means differ by more than the equivalence tolerance of [`super::steady`] (a cycle
//! too small to matter is flat). When several periods qualify (an alternation is also
//! 4-periodic), the smallest period whose residual variance is within 1.5x of the smallest
//! residual variance wins. On white noise the phase model saves about `p − 1` in cost against
//! `(p − 1)·β` in penalty (at least 34 at n = 10), so noise alone is not mistaken for a cycle.

use super::describe::{mean, median};
use super::pelt::{noise_sigma_at_lag, pelt, pelt_with_costs, penalty, scaled};
use super::steady::EQUIVALENCE_TOLERANCE;

/// Longest period looked for (iterations per cycle).
pub const MAX_PERIOD: usize = 8;
/// Fewest whole cycles the periodic part must hold.
pub const MIN_CYCLES: usize = 3;

/// A periodic series found by [`detect`].
#[derive(Clone, Debug, PartialEq)]
pub struct Periodic {
    /// Iterations per cycle.
    pub period: usize,
    /// First iteration of the periodic part.
    pub start: usize,
    /// Changepoints of the (constant-segment) prefix before `start`.
    pub prefix_changepoints: Vec<usize>,
    /// First iteration of the whole cycles that end the series (`start` or a little later).
    pub cycles_start: usize,
    /// The average cost of an iteration over those whole cycles: the mean over phases of
    /// each phase's median ([`cycle_value`]), so one spike does not move it.
    pub value: f64,
}

/// Finds a periodic tail in `series` that starts at or after `earliest` (e.g. after the last
/// compile), or `None`.
pub fn detect(series: &[f64], earliest: usize) -> Option<Periodic> {
    let n = series.len();
    let beta = penalty(n);
    // (period, start, residual variance in raw units, sigma)
    let mut found: Vec<(usize, usize, f64)> = Vec::new();
    for p in 2..=MAX_PERIOD {
        let min_len = (MIN_CYCLES * p).max(n.div_ceil(2));
        if n < min_len || earliest > n - min_len {
            break; // longer periods need even more iterations
        }
        let sigma = noise_sigma_at_lag(series, p);
        let z = scaled(series, sigma);
        let (_, best) = pelt_with_costs(&z, beta, 1);
        let sums = PhaseSums::new(&z, p);
        let Some((cost, s)) = (earliest..=n - min_len)
            .filter(|&s| best[s].is_finite())
            .map(|s| (best[s] + p as f64 * beta + sums.rss(s, n), s))
            .min_by(|a, b| a.0.total_cmp(&b.0))
        else {
            continue;
        };
        if cost >= best[n] {
            continue;
        }
        let phase_means: Vec<f64> = (0..p)
            .filter_map(|r| {
                mean(
                    &series[s..]
                        .iter()
                        .skip(r)
                        .step_by(p)
                        .copied()
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        let level = mean(&series[s..]).unwrap_or(0.0);
        let spread = phase_means
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max)
            - phase_means.iter().copied().fold(f64::INFINITY, f64::min);
        if spread <= EQUIVALENCE_TOLERANCE * level.abs() {
            continue;
        }
        let residual = sums.rss(s, n) * sigma * sigma / (n - s - p).max(1) as f64;
        found.push((p, s, residual));
    }
    let least = found.iter().map(|f| f.2).fold(f64::INFINITY, f64::min);
    let Some(&(period, start, _)) = found.iter().find(|f| f.2 <= 1.5 * least) else {
        return strong_structure(series, earliest);
    };
    let cycles = (n - start) / period;
    let cycles_start = n - cycles * period;
    let prefix_changepoints = if start > 0 {
        let sigma = noise_sigma_at_lag(series, period);
        pelt(&scaled(series, sigma)[..start], beta, 1)
    } else {
        Vec::new()
    };
    Some(Periodic {
        period,
        start,
        prefix_changepoints,
        cycles_start,
        value: cycle_value(&series[cycles_start..], period)?,
    })
}

/// The average cost of one iteration of a cycle of `period` iterations: the mean over the
/// phases of each phase's median. The plain mean of the tail would let one isolated spike
/// (a context switch) move the value by spike/n; a phase median ignores it as long as the
/// phase holds at least three iterations (`MIN_CYCLES`).
fn cycle_value(tail: &[f64], period: usize) -> Option<f64> {
    let phase_medians: Vec<f64> = (0..period)
        .filter_map(|r| {
            median(
                &tail
                    .iter()
                    .skip(r)
                    .step_by(period)
                    .copied()
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    mean(&phase_medians)
}

/// The fallback when no periodic model wins, typically because level shifts (a busy
/// machine) lie on top of the cycle: when differences at lag `p` are far quieter than first
/// differences (`σ̂₁ > STRUCTURE_RATIO · σ̂ₚ`) and the phase means differ by more than the
/// tolerance, the series still cycles with period `p` and must not be segmented as if it did
/// not (its first differences are the cycle, not noise). Its value is then the mean over the
/// whole cycles in the second half of the series (whose phase means are the ones compared).
/// On white noise the ratio of two MAD scale estimates stays far below 4 (the planted bench
/// checks that flat series stay flat).
fn strong_structure(series: &[f64], earliest: usize) -> Option<Periodic> {
    const STRUCTURE_RATIO: f64 = 4.0;
    let n = series.len();
    let start = earliest.max(n / 2);
    let first = noise_sigma_at_lag(series, 1);
    let period = (2..=MAX_PERIOD)
        .take_while(|p| n >= MIN_CYCLES * p && n - start >= 2 * p)
        .find(|&p| {
            let tail = &series[start..];
            let phase_means: Vec<f64> = (0..p)
                .filter_map(|r| mean(&tail.iter().skip(r).step_by(p).copied().collect::<Vec<_>>()))
                .collect();
            let level = mean(tail).unwrap_or(0.0);
            let spread = phase_means
                .iter()
                .copied()
                .fold(f64::NEG_INFINITY, f64::max)
                - phase_means.iter().copied().fold(f64::INFINITY, f64::min);
            first > STRUCTURE_RATIO * noise_sigma_at_lag(series, p)
                && spread > EQUIVALENCE_TOLERANCE * level.abs()
        })?;
    let cycles_start = n - (n - start) / period * period;
    Some(Periodic {
        period,
        start: earliest,
        prefix_changepoints: Vec::new(),
        cycles_start,
        value: cycle_value(&series[cycles_start..], period)?,
    })
}

/// Sums of a series per phase (`index mod p`), for the residual sum of squares around the
/// phase means of any tail in O(p).
struct PhaseSums {
    p: usize,
    /// `c1[i + p] = c1[i] + z[i]`: the sum of `z[j]` over `j <= i`, `j ≡ i (mod p)`.
    c1: Vec<f64>,
    c2: Vec<f64>,
}

impl PhaseSums {
    fn new(z: &[f64], p: usize) -> PhaseSums {
        let mut c1 = vec![0.0; z.len() + p];
        let mut c2 = vec![0.0; z.len() + p];
        for (i, x) in z.iter().enumerate() {
            c1[i + p] = c1[i] + x;
            c2[i + p] = c2[i] + x * x;
        }
        PhaseSums { p, c1, c2 }
    }

    /// Residual sum of squares of `z[s..n]` around its phase means.
    fn rss(&self, s: usize, n: usize) -> f64 {
        let p = self.p;
        (0..p)
            .filter_map(|r| {
                let first = s + (r + p - s % p) % p;
                if first >= n {
                    return None;
                }
                let last = n - 1 - (n - 1 - r) % p;
                let count = ((last - first) / p + 1) as f64;
                let sum = self.c1[last + p] - self.c1[first];
                let squares = self.c2[last + p] - self.c2[first];
                Some((squares - sum * sum / count).max(0.0))
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::pelt::tests::noisy;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn phase_sums_match_a_direct_computation() {
        let z: Vec<f64> = (0..23).map(|i| ((i * 7919) % 13) as f64).collect();
        for p in 2..=5 {
            let sums = PhaseSums::new(&z, p);
            for s in 0..20 {
                let direct: f64 = (0..p)
                    .map(|r| {
                        let xs: Vec<f64> =
                            (s..z.len()).filter(|i| i % p == r).map(|i| z[i]).collect();
                        let m = mean(&xs).unwrap_or(0.0);
                        xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>()
                    })
                    .sum();
                assert!((sums.rss(s, z.len()) - direct).abs() < 1e-6, "p {p} s {s}");
            }
        }
    }

    #[test]
    fn finds_alternations_and_cycles_but_not_noise_or_steps() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let noise = noisy(&mut rng, 0.0, 10.0, 30);
        let with = |f: &dyn Fn(usize) -> f64| -> Vec<f64> {
            noise.iter().enumerate().map(|(i, e)| f(i) + e).collect()
        };
        let alternation = with(&|i| if i % 2 == 0 { 1000.0 } else { 1500.0 });
        let p = detect(&alternation, 0).expect("an alternation is periodic");
        assert_eq!((p.period, p.start), (2, 0));
        assert!((p.value - 1250.0).abs() < 10.0);

        // One spike (a context switch) does not move the value: phase medians.
        let mut spiked = alternation.clone();
        spiked[21] = 60_000.0;
        let p = detect(&spiked, 0).expect("still an alternation");
        assert_eq!(p.period, 2);
        assert!((p.value - 1250.0).abs() < 10.0, "{p:?}");

        let cycle = with(&|i| [1000.0, 1200.0, 1400.0, 1200.0][i % 4]);
        assert_eq!(detect(&cycle, 0).map(|p| p.period), Some(4));

        let warm_then_alternating = with(&|i| match i {
            0..=3 => 3000.0,
            _ if i % 2 == 0 => 1000.0,
            _ => 1100.0,
        });
        let p = detect(&warm_then_alternating, 0).expect("periodic after a warm-up");
        assert_eq!(p.period, 2);
        assert!(p.start.abs_diff(4) <= 1, "{p:?}");

        assert_eq!(detect(&with(&|_| 1000.0), 0), None);
        assert_eq!(
            detect(&with(&|i| if i < 8 { 2000.0 } else { 1000.0 }), 0),
            None
        );
        assert_eq!(detect(&with(&|i| 1000.0 * 1.05f64.powi(i as i32)), 0), None);
        assert_eq!(detect(&alternation[..5], 0), None, "too short to tell");
    }
}
