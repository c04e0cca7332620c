//! Changepoint detection in one invocation's iteration series: PELT, "Pruned Exact Linear
//! Time" (Killick, Fearnhead & Eckley 2012, JASA 107(500):1590-1598), the exact optimal
//! partitioning of Jackson et al. (2005) with pruning.
//!
//! Cost: the normal mean-change cost, i.e. twice the negative log-likelihood of a segment
//! under a normal model with its own mean and a common variance σ²:
//! `C(x[a..b]) = Σ (x_i − mean(x[a..b]))² / σ²` (an L2 cost scaled by the noise). Penalty:
//! `β = 15 ln n` per changepoint, the value Barrett et al. 2017 ("Virtual Machine Warmup Blows
//! Hot and Cold", §4) chose for warmup_stats so that only shifts well above the noise count.
//!
//! σ is not known, and the series contains the very shifts we look for, so it is estimated
//! from first differences, which a few level shifts barely disturb: `σ̂ = 1.4826 · MAD(Δx) / √2`
//! (the robust difference-based estimator of Hampel/Rousseeuw; the MAD of normal data times
//! 1.4826 estimates σ, and a difference has variance 2σ²). A floor of 0.1% of the median keeps
//! a noise-free series (instruction counts, the mock) from turning every 1-unit wiggle into a
//! changepoint.
//!
//! First differences are inflated by a series that alternates or cycles (an alternation of N
//! and 1.5N has differences of ±0.5N whatever the noise), so PELT would see no change at all
//! in it. Such series are caught before segmentation by [`super::periodic`], whose noise
//! estimate uses differences at the lag of the period instead ([`noise_sigma_at_lag`]):
//! seasonal differencing (Box & Jenkins 1970, "Time Series Analysis: Forecasting and Control",
//! §9.1) removes any component of that period, leaving only the noise.

use super::describe::median;
use super::sample::Sample;

/// Lower bound on σ̂ relative to the series' median magnitude (see the module header).
pub const SIGMA_FLOOR: f64 = 1e-3;

/// Optimal changepoints of `series` under the normal mean-change cost with penalty
/// `15 ln n` (Barrett et al. 2017). Returns the indices at which a new segment starts,
/// ascending, never 0. A series shorter than 3 has no changepoints.
pub fn changepoints(series: &[f64]) -> Vec<usize> {
    let n = series.len();
    if n < 3 {
        return Vec::new();
    }
    let sigma = noise_sigma(series);
    pelt(&scaled(series, sigma), penalty(n), 1)
}

/// `series` centred on its median and divided by `sigma` (unit noise variance for PELT).
pub fn scaled(series: &[f64], sigma: f64) -> Vec<f64> {
    let centre = median(series).unwrap_or(0.0);
    series.iter().map(|x| (x - centre) / sigma).collect()
}

/// Robust noise estimate of a series: `1.4826 · MAD(first differences) / √2`, floored at
/// [`SIGMA_FLOOR`] times the median magnitude (and at a tiny absolute value for all-zero data).
/// A MAD of zero (most differences identical: a step series or exact counts) leaves the floor,
/// so a clean step is still found and a one-unit wiggle is not.
pub fn noise_sigma(series: &[f64]) -> f64 {
    noise_sigma_at_lag(series, 1)
}

/// As [`noise_sigma`] with differences at `lag` (>= 1): `1.4826 · MAD(x[i] − x[i−lag]) / √2`,
/// floored the same way. Differences at the lag of a period cancel the periodic component.
pub fn noise_sigma_at_lag(series: &[f64], lag: usize) -> f64 {
    let lag = lag.max(1);
    let diffs: Vec<f64> = series
        .iter()
        .skip(lag)
        .zip(series)
        .map(|(b, a)| b - a)
        .collect();
    let sigma = Sample::new(&diffs).map_or(0.0, |d| 1.4826 * d.mad() / 2f64.sqrt());
    let floor = (SIGMA_FLOOR * median(series).unwrap_or(0.0).abs()).max(1e-12);
    sigma.max(floor)
}

/// The penalty per changepoint for a series of `n` iterations: `15 ln n` (Barrett et al.).
pub fn penalty(n: usize) -> f64 {
    15.0 * (n.max(1) as f64).ln()
}

/// PELT on an already scaled series (unit noise variance) with the given penalty per
/// changepoint and minimum segment length (>= 1). Returns segment start indices (never 0).
pub fn pelt(z: &[f64], penalty: f64, min_len: usize) -> Vec<usize> {
    pelt_with_costs(z, penalty, min_len).0
}

/// [`pelt`] and, for every `t` in `0..=n`, the optimal penalised cost of `z[..t]` (index 0
/// holds `−penalty`, so that a segmentation of k segments pays k − 1 penalties; infinite where
/// `t` is shorter than `min_len`). Pruning never discards the optimum of any prefix, so every
/// entry is exact (Killick et al. 2012, §3).
pub fn pelt_with_costs(z: &[f64], penalty: f64, min_len: usize) -> (Vec<usize>, Vec<f64>) {
    let n = z.len();
    let m = min_len.max(1);
    if n < 2 * m {
        let mut best = vec![f64::INFINITY; n + 1];
        best[0] = -penalty;
        // Too short for a changepoint: every prefix long enough is one segment.
        for t in m..=n {
            let mean = z[..t].iter().sum::<f64>() / t as f64;
            best[t] = z[..t].iter().map(|x| (x - mean) * (x - mean)).sum::<f64>();
        }
        return (Vec::new(), best);
    }
    // Prefix sums make the cost of any segment O(1).
    let mut s1 = vec![0.0; n + 1];
    let mut s2 = vec![0.0; n + 1];
    for (i, x) in z.iter().enumerate() {
        s1[i + 1] = s1[i] + x;
        s2[i + 1] = s2[i] + x * x;
    }
    let cost = |a: usize, b: usize| {
        let len = (b - a) as f64;
        let sum = s1[b] - s1[a];
        (s2[b] - s2[a] - sum * sum / len).max(0.0)
    };

    // best[t]: optimal penalised cost of z[..t]; last[t]: start of its final segment.
    let mut best = vec![f64::INFINITY; n + 1];
    let mut last = vec![0usize; n + 1];
    best[0] = -penalty;
    let mut candidates: Vec<usize> = vec![0];
    for t in m..=n {
        for &tau in candidates.iter().filter(|&&tau| t - tau >= m) {
            let value = best[tau] + cost(tau, t) + penalty;
            if value < best[t] {
                best[t] = value;
                last[t] = tau;
            }
        }
        // Pruning (Killick et al. 2012, Theorem 3.1 with K = 0 for this cost): a start tau
        // that cannot beat t now can never be optimal later. Starts too close to t to be
        // considered yet are kept.
        let bt = best[t];
        candidates.retain(|&tau| t - tau < m || best[tau] + cost(tau, t) <= bt);
        // t becomes a possible start once z[..t] has a finite optimal cost.
        if bt.is_finite() {
            candidates.push(t);
        }
    }

    let mut cps = Vec::new();
    let mut t = n;
    while t > 0 {
        let tau = last[t];
        if tau > 0 {
            cps.push(tau);
        }
        t = tau;
    }
    cps.reverse();
    (cps, best)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Normal noise via Box-Muller, seeded, so the tests are exact and repeatable.
    pub(crate) fn noisy(rng: &mut ChaCha8Rng, mean: f64, sd: f64, n: usize) -> Vec<f64> {
        (0..n)
            .map(|_| {
                let u1: f64 = rng.gen_range(f64::EPSILON..1.0);
                let u2: f64 = rng.gen();
                mean + sd * (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
            })
            .collect()
    }

    #[test]
    fn finds_a_planted_changepoint_within_a_few_iterations() {
        for seed in 0..20 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let mut series = noisy(&mut rng, 120.0, 1.0, 12);
            series.extend(noisy(&mut rng, 100.0, 1.0, 38));
            let cps = changepoints(&series);
            assert_eq!(cps.len(), 1, "seed {seed}: {cps:?}");
            assert!(cps[0].abs_diff(12) <= 2, "seed {seed}: {cps:?}");
        }
    }

    #[test]
    fn flat_noise_has_no_changepoints() {
        for seed in 0..20 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let series = noisy(&mut rng, 100.0, 2.0, 40);
            assert_eq!(changepoints(&series), Vec::<usize>::new(), "seed {seed}");
        }
    }

    #[test]
    fn finds_two_changepoints_and_a_single_slow_first_iteration() {
        let mut series = vec![500.0];
        series.extend(std::iter::repeat_n(200.0, 9));
        series.extend(std::iter::repeat_n(100.0, 10));
        assert_eq!(changepoints(&series), vec![1, 10]);
    }

    #[test]
    fn constant_and_short_series_are_total() {
        assert!(changepoints(&[5.0; 30]).is_empty());
        assert!(changepoints(&[0.0; 30]).is_empty());
        assert!(changepoints(&[1.0, 9.0]).is_empty());
        assert!(pelt(&[1.0], 1.0, 1).is_empty());
    }

    #[test]
    fn pelt_agrees_with_exhaustive_search_on_small_series() {
        // Optimal partitioning without pruning, to check that pruning loses nothing.
        fn exhaustive(z: &[f64], beta: f64) -> f64 {
            let n = z.len();
            let cost = |a: usize, b: usize| {
                let seg = &z[a..b];
                let m = seg.iter().sum::<f64>() / seg.len() as f64;
                seg.iter().map(|x| (x - m) * (x - m)).sum::<f64>()
            };
            let mut f = vec![f64::INFINITY; n + 1];
            f[0] = -beta;
            for t in 1..=n {
                for s in 0..t {
                    f[t] = f[t].min(f[s] + cost(s, t) + beta);
                }
            }
            f[n]
        }
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..50 {
            let z: Vec<f64> = (0..12).map(|_| rng.gen_range(0.0..10.0)).collect();
            let beta = 5.0;
            let cps = pelt(&z, beta, 1);
            let mut bounds = vec![0];
            bounds.extend(&cps);
            bounds.push(z.len());
            let total: f64 = bounds
                .windows(2)
                .map(|w| {
                    let seg = &z[w[0]..w[1]];
                    let m = seg.iter().sum::<f64>() / seg.len() as f64;
                    seg.iter().map(|x| (x - m) * (x - m)).sum::<f64>() + beta
                })
                .sum::<f64>()
                - beta;
            assert!((total - exhaustive(&z, beta)).abs() < 1e-6);
        }
    }
}
