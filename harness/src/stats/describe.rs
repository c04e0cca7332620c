//! Descriptive statistics on finite `f64` values. Quantiles use linear interpolation between
//! order statistics (Hyndman & Fan 1996, "Sample quantiles in statistical packages", type 7,
//! the default of R and NumPy), so the numbers match what users compute themselves.
//!
//! The functions are total: an empty input gives `None`, never NaN. Statistics that need a
//! spread take a [`super::Sample`] (at least two finite values) instead.

/// Arithmetic mean; `None` for an empty slice.
pub fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| mean_of_nonempty(xs))
}

/// Median (type-7 quantile 0.5); `None` for an empty slice.
pub fn median(xs: &[f64]) -> Option<f64> {
    quantile(xs, 0.5)
}

/// Type-7 quantile `q` in [0, 1]; `None` for an empty slice.
pub fn quantile(xs: &[f64], q: f64) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    Some(quantile_sorted(&sorted, q))
}

/// Mean of a slice the caller knows is non-empty (segments, samples, bootstrap buffers).
pub(super) fn mean_of_nonempty(xs: &[f64]) -> f64 {
    debug_assert!(!xs.is_empty());
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// Type-7 quantile of an already sorted, non-empty slice (saves a sort inside the bootstrap
/// loop).
pub(super) fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    debug_assert!(!sorted.is_empty());
    let n = sorted.len();
    if n == 1 {
        return sorted[0];
    }
    let h = (n - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_match_type_7() {
        let xs = [4.0, 1.0, 3.0, 2.0];
        assert_eq!(median(&xs), Some(2.5));
        assert_eq!(quantile(&xs, 0.25), Some(1.75));
        assert_eq!(quantile(&xs, 1.0), Some(4.0));
        assert_eq!(median(&[7.0]), Some(7.0));
        assert_eq!(median(&[]), None);
        assert_eq!(mean(&xs), Some(2.5));
        assert_eq!(mean(&[]), None);
    }
}
