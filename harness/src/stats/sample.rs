//! A sample of at least two finite values, the input of every statistic that estimates
//! something about a population (a CI, a spread, a fence). The idea is criterion's `Sample`
//! type (criterion.rs, `stats::univariate::Sample`): checking the size and finiteness once, at
//! construction, makes every statistic on it total — no NaN from an empty or one-value input,
//! no infinity leaking into a bootstrap — so callers never guard the results.
//!
//! Code holding fewer than two values has nothing to estimate a spread from and must say so
//! (e.g. "n/a (1 invocation)"); [`Sample::new`] returning `None` is where that decision is made.

use super::describe;

/// At least two finite values, in their original order.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    values: Vec<f64>,
    sorted: Vec<f64>,
}

impl Sample {
    /// The sample of `values`, or `None` when there are fewer than two or one is not finite.
    pub fn new(values: &[f64]) -> Option<Sample> {
        if values.len() < 2 || !values.iter().all(|v| v.is_finite()) {
            return None;
        }
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        Some(Sample {
            values: values.to_vec(),
            sorted,
        })
    }

    /// The values in their original order.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The values in ascending order.
    pub fn sorted(&self) -> &[f64] {
        &self.sorted
    }

    /// Number of values (>= 2).
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Never true (a sample has at least two values); for clippy's `len_without_is_empty`.
    pub fn is_empty(&self) -> bool {
        false
    }

    pub fn mean(&self) -> f64 {
        describe::mean_of_nonempty(&self.values)
    }

    pub fn median(&self) -> f64 {
        describe::quantile_sorted(&self.sorted, 0.5)
    }

    /// Type-7 quantile `q` in [0, 1] (see [`describe`]).
    pub fn quantile(&self, q: f64) -> f64 {
        describe::quantile_sorted(&self.sorted, q)
    }

    /// Sample standard deviation (n − 1 denominator).
    pub fn std_dev(&self) -> f64 {
        let m = self.mean();
        let ss: f64 = self.values.iter().map(|x| (x - m) * (x - m)).sum();
        (ss / (self.len() - 1) as f64).sqrt()
    }

    /// Median absolute deviation from the median, unscaled.
    pub fn mad(&self) -> f64 {
        let m = self.median();
        let mut dev: Vec<f64> = self.values.iter().map(|x| (x - m).abs()).collect();
        dev.sort_by(f64::total_cmp);
        describe::quantile_sorted(&dev, 0.5)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_two_finite_values() {
        assert!(Sample::new(&[]).is_none());
        assert!(Sample::new(&[1.0]).is_none());
        assert!(Sample::new(&[1.0, f64::NAN]).is_none());
        assert!(Sample::new(&[1.0, f64::INFINITY]).is_none());
        let s = Sample::new(&[4.0, 1.0, 3.0, 2.0]).unwrap();
        assert_eq!(s.values(), [4.0, 1.0, 3.0, 2.0]);
        assert_eq!((s.len(), s.median(), s.mean()), (4, 2.5, 2.5));
        assert_eq!(s.quantile(0.25), 1.75);
        assert!((s.std_dev() - 1.290_994_448_7).abs() < 1e-9);
        assert_eq!(s.mad(), 1.0);
    }
}
