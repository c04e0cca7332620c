//! Point estimates and confidence intervals over invocations, the way every table, report and
//! verdict of the harness computes them: the hierarchical bootstrap of
//! [`crate::stats::hierarchical`] over each invocation's steady-state iterations, and no
//! interval at all below [`min_invocations`] (shown as "n/a (1 invocation)"; a comparison
//! then says "not enough data").

use crate::exec::Measure;
use crate::stats::hierarchical::{nested_ci, nested_ratio_ci, Nested, MIN_INVOCATIONS};
use crate::stats::{median, rng_for, Statistic};

/// A point estimate and, with enough invocations, its confidence interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    pub point: f64,
    /// `(lower, upper)`; `None` when there were too few invocations to estimate one.
    pub bounds: Option<(f64, f64)>,
    /// The invocations behind the smaller side.
    pub invocations: usize,
}

/// Fewest ok invocations that give an interval: [`MIN_INVOCATIONS`] in wall time; one for
/// instruction counts, which repeat exactly from process to process (scripts/validate-gate.sh
/// checks it), so that their interval is the point itself.
pub fn min_invocations(measure: Measure) -> usize {
    match measure {
        Measure::Wall => MIN_INVOCATIONS,
        Measure::Instructions => 1,
    }
}

/// The bootstrap settings of an interval.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub measure: Measure,
    pub seed: u64,
    pub resamples: usize,
    pub confidence: f64,
}

fn invocation_values(groups: &[Vec<f64>]) -> Vec<f64> {
    groups
        .iter()
        .filter(|g| !g.is_empty())
        .map(|g| g.iter().sum::<f64>() / g.len() as f64)
        .collect()
}

/// `statistic` over the invocations `groups` (each its steady-state iterations); `None` when
/// there is no invocation. `key` seeds the bootstrap stream.
pub fn level(
    groups: &[Vec<f64>],
    statistic: Statistic,
    settings: &Settings,
    key: &str,
) -> Option<Interval> {
    let values = invocation_values(groups);
    let point = match statistic {
        Statistic::Median => median(&values)?,
        Statistic::Mean => crate::stats::mean(&values)?,
    };
    let bounds = if values.len() >= min_invocations(settings.measure) {
        match Nested::new(groups.to_vec()) {
            Some(nested) => {
                let mut rng = rng_for(settings.seed, key);
                let e = nested_ci(
                    &nested,
                    statistic,
                    settings.resamples,
                    settings.confidence,
                    &mut rng,
                );
                Some((e.lower, e.upper))
            }
            None => Some((point, point)), // one exact invocation (instruction counts)
        }
    } else {
        None
    };
    Some(Interval {
        point,
        bounds,
        invocations: values.len(),
    })
}

/// `median(numer) / median(denom)` over invocations with its hierarchical bootstrap CI;
/// `None` when a side has no invocation.
pub fn ratio(
    numer: &[Vec<f64>],
    denom: &[Vec<f64>],
    settings: &Settings,
    key: &str,
) -> Option<Interval> {
    let (a, b) = (invocation_values(numer), invocation_values(denom));
    let point = median(&a)? / median(&b)?;
    let fewest = a.len().min(b.len());
    let bounds = if fewest >= min_invocations(settings.measure) {
        match (Nested::new(numer.to_vec()), Nested::new(denom.to_vec())) {
            (Some(n), Some(d)) => {
                let mut rng = rng_for(settings.seed, key);
                let e = nested_ratio_ci(
                    &n,
                    &d,
                    Statistic::Median,
                    settings.resamples,
                    settings.confidence,
                    &mut rng,
                );
                Some((e.lower, e.upper))
            }
            _ => Some((point, point)),
        }
    } else {
        None
    };
    Some(Interval {
        point,
        bounds,
        invocations: fewest,
    })
}

/// "n/a (1 invocation)", "n/a (2 invocations)": what a table shows instead of an interval.
pub fn not_available(invocations: usize) -> String {
    let s = if invocations == 1 { "" } else { "s" };
    format!("n/a ({invocations} invocation{s})")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(measure: Measure) -> Settings {
        Settings {
            measure,
            seed: 1,
            resamples: 2000,
            confidence: 0.95,
        }
    }

    #[test]
    fn fewer_than_three_wall_invocations_give_no_interval() {
        let two = [vec![10.0, 11.0], vec![12.0, 12.5]];
        let l = level(&two, Statistic::Median, &settings(Measure::Wall), "k").unwrap();
        assert_eq!((l.bounds, l.invocations), (None, 2));
        let three = [vec![10.0, 11.0], vec![12.0, 12.5], vec![11.0]];
        let l = level(&three, Statistic::Median, &settings(Measure::Wall), "k").unwrap();
        let (lo, hi) = l.bounds.unwrap();
        assert!(lo <= l.point && l.point <= hi && lo < hi);
        assert!(ratio(&two, &three, &settings(Measure::Wall), "k")
            .unwrap()
            .bounds
            .is_none());
        assert_eq!(not_available(1), "n/a (1 invocation)");
        assert_eq!(not_available(2), "n/a (2 invocations)");
    }

    #[test]
    fn one_instruction_count_invocation_is_exact() {
        let one = [vec![1000.0, 1000.0]];
        let l = level(
            &one,
            Statistic::Median,
            &settings(Measure::Instructions),
            "k",
        )
        .unwrap();
        assert_eq!(l.bounds, Some((1000.0, 1000.0)));
        let r = ratio(&[vec![1010.0]], &one, &settings(Measure::Instructions), "k").unwrap();
        assert_eq!(r.bounds, Some((r.point, r.point)));
        assert!(level(&[], Statistic::Median, &settings(Measure::Wall), "k").is_none());
    }
}
