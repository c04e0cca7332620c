//! The stability rule of `ruff bench --until-stable K` (docs/DESIGN.md, "`ruff bench`
//! protocol"), in the core so that `ruff bench` and the harness's in-process executor stop
//! an invocation by the same rule.

/// Relative difference of the medians of two windows below which they count as the same
/// level (the `--until-stable` rule).
pub const STABLE_TOLERANCE: f64 = 0.02;

/// The `--until-stable K` rule (docs/DESIGN.md): over iterations 1.. (`history`, wall time and
/// whether the iteration compiled or deoptimized anything), the last K iterations had no
/// compile and no deopt, and their median is within [`STABLE_TOLERANCE`] of the median of
/// the K iterations before them. Medians, so that one preempted iteration cannot hold the
/// process back or end it early. Needs 2K iterations after iteration 0.
pub fn is_stable(history: &[(u64, bool)], k: usize) -> bool {
    let n = history.len();
    if k == 0 || n < 2 * k {
        return false;
    }
    let last = &history[n - k..];
    if last.iter().any(|&(_, event)| event) {
        return false;
    }
    let median = |w: &[(u64, bool)]| {
        let mut v: Vec<u64> = w.iter().map(|&(t, _)| t).collect();
        v.sort_unstable();
        let m = v.len() / 2;
        if v.len().is_multiple_of(2) {
            (v[m - 1] as f64 + v[m] as f64) / 2.0
        } else {
            v[m] as f64
        }
    };
    let (now, before) = (median(last), median(&history[n - 2 * k..n - k]));
    (now - before).abs() <= STABLE_TOLERANCE * now
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_needs_two_quiet_windows_at_one_level() {
        let flat = |n: usize| vec![(1000u64, false); n];
        assert!(!is_stable(&flat(5), 3), "needs 2K iterations");
        assert!(is_stable(&flat(6), 3));
        // A compile in the last window, or a level that still moves, is not stable.
        let mut h = flat(6);
        h[4].1 = true;
        assert!(!is_stable(&h, 3));
        let warming: Vec<(u64, bool)> = (0..6).map(|i| (2000 - 150 * i, false)).collect();
        assert!(!is_stable(&warming, 3));
        // One preempted iteration does not move a median.
        let mut h = flat(6);
        h[5].0 = 9000;
        assert!(is_stable(&h, 3));
    }
}
