//! Steady-state classification of invocations, after Barrett et al. 2017 ("Virtual Machine
//! Warmup Blows Hot and Cold", OOPSLA, §4): the changepoints of [`super::pelt`] cut an
//! invocation's iteration series into segments; the **last segment is the steady state**
//! and its mean is the invocation's value.
//!
//! Our exact rule (Barrett et al. fix the idea; the numbers below are ours, chosen for runs of
//! tens of iterations rather than their 2,000):
//! - **periodic** first: a series that alternates or cycles (period 2 to 8, at least three
//!   whole cycles over at least half the series, after any warm-up and after the last
//!   compile) is found before segmentation by [`super::periodic`], with a noise estimate the
//!   cycle cannot inflate. Its value is the mean over the whole cycles at the end (the average
//!   cost of an iteration); it is never called flat (issue 18).
//! - Isolated spikes are set aside, after Barrett et al.'s treatment of outliers (they
//!   exclude Tukey outliers from the changepoint analysis): an iteration other than iteration
//!   0 that lies beyond Tukey's far-out fences (3 IQR) while its neighbours do not — typically
//!   the process being preempted, or a one-off recompilation — is not analysed. It stays in
//!   `results.csv` and is listed in `invocations.csv` (`spikes`). Runs of two or more such
//!   iterations are kept: they may be a real level shift.
//! - Two segment means are *equivalent* when they differ by at most [`EQUIVALENCE_TOLERANCE`]
//!   (1%) of the last segment's mean: a shift PELT can see but too small to matter.
//! - A series of two iterations is too short for PELT: the two form separate segments unless
//!   they are equivalent.
//! - The last segment must hold at least a quarter of the series (`len >= n / 4`, Barrett et
//!   al.'s steady-state window scaled to short runs). When it does not, with the last change
//!   at iteration `c`, at least `K = ceil(c / 3)` iterations after it are needed (then
//!   `K >= (c + K) / 4`):
//!   - **too short** ("too short: need >= K iterations after the last change") when the
//!     segment before the last held at least `K` iterations: the series was steady and then
//!     changed too near the end for the run to judge the new level — run longer. A compile
//!     in the last iteration is also too short;
//!   - **no steady state** otherwise: the series kept changing (a drift, several steps).
//! - otherwise **flat**: every earlier segment is equivalent to the last (one segment is flat);
//! - **slowdown**: some earlier segment is faster than the last by more than the tolerance;
//! - **warmup**: otherwise (at least one earlier segment is slower, none faster).
//!
//! Across invocations a benchmark × config is *consistent* with one class when all its
//! invocations share it, else *inconsistent* (Barrett et al.'s term); the counts per class are
//! always reported.

use serde::Serialize;

use super::describe::{mean, quantile};
use super::pelt::changepoints;
use super::periodic;

/// Relative difference below which two segment means are treated as equal.
pub const EQUIVALENCE_TOLERANCE: f64 = 0.01;

/// The class of one invocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum SteadyClass {
    Flat,
    Warmup,
    Slowdown,
    /// Alternating or cycling with a fixed period (see [`super::periodic`]).
    Periodic,
    NoSteadyState,
    /// The run ended too soon after a change to judge the new level.
    TooShort,
}

impl SteadyClass {
    pub const ALL: [SteadyClass; 6] = [
        SteadyClass::Flat,
        SteadyClass::Warmup,
        SteadyClass::Slowdown,
        SteadyClass::Periodic,
        SteadyClass::NoSteadyState,
        SteadyClass::TooShort,
    ];

    /// The class named `name` (as in CSV files), if any.
    pub fn from_name(name: &str) -> Option<SteadyClass> {
        SteadyClass::ALL.into_iter().find(|c| c.name() == name)
    }

    /// True for the classes whose invocations have a steady state (a level, or a steady
    /// cycle whose mean is the level): the ones steady-state statistics are computed over.
    pub fn has_steady_state(self) -> bool {
        !matches!(self, SteadyClass::NoSteadyState | SteadyClass::TooShort)
    }

    /// The name used in CSV files and tables.
    pub fn name(self) -> &'static str {
        match self {
            SteadyClass::Flat => "flat",
            SteadyClass::Warmup => "warmup",
            SteadyClass::Slowdown => "slowdown",
            SteadyClass::Periodic => "periodic",
            SteadyClass::NoSteadyState => "no-steady-state",
            SteadyClass::TooShort => "too-short",
        }
    }
}

/// What a too-short run lacks: `iterations` after the change at iteration `after`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Need {
    pub iterations: usize,
    pub after: usize,
}

/// The analysis of one invocation's series.
#[derive(Clone, Debug, PartialEq)]
pub struct InvocationSteadyState {
    pub class: SteadyClass,
    /// Indices at which a new segment starts (ascending, never 0).
    pub changepoints: Vec<usize>,
    /// Index of the first iteration of the last segment (the steady state).
    pub steady_start: usize,
    /// Mean of the last segment (of the whole cycles at the end, when periodic): the
    /// invocation's value. Without a steady state, the last segment's mean all the same.
    pub value: f64,
    /// Isolated spikes left out of the analysis (see [`isolated_spikes`]).
    pub spikes: Vec<usize>,
    /// Iterations per cycle of a periodic series.
    pub period: Option<usize>,
    /// What a too-short run lacks.
    pub need: Option<Need>,
}

impl InvocationSteadyState {
    /// The verdict in words: the class name, `periodic (period 2)`, or `too short: need >= 3
    /// iterations after the last change (iteration 8)`.
    pub fn verdict(&self) -> String {
        match (self.class, self.period, self.need) {
            (SteadyClass::Periodic, Some(p), _) => format!("periodic (period {p})"),
            (SteadyClass::TooShort, _, Some(n)) => too_short_text(n.iterations, Some(n.after)),
            (c, _, _) => c.name().to_string(),
        }
    }
}

/// `too short: need >= K iterations after the last change (iteration C)`.
pub fn too_short_text(iterations: usize, after: Option<usize>) -> String {
    let at = after.map_or(String::new(), |a| format!(" (iteration {a})"));
    format!("too short: need >= {iterations} iterations after the last change{at}")
}

/// Segments, classification and value of one invocation's iteration series (non-empty).
pub fn classify_invocation(series: &[f64]) -> InvocationSteadyState {
    classify_with_events(series, &[])
}

/// As [`classify_invocation`], knowing the iterations in which the engine compiled (or
/// deoptimized) something (`events`, indices into `series`). An event iteration is never set
/// aside as a spike (its cost is part of the warm-up), and the steady state may not start
/// before the last event unless the data show it does not matter: when the iterations from
/// PELT's steady start through the last event are not equivalent (within
/// [`EQUIVALENCE_TOLERANCE`]) to those after it, the steady state starts right after the last
/// event; an event in the last iteration leaves no steady state.
pub fn classify_with_events(series: &[f64], events: &[usize]) -> InvocationSteadyState {
    let earliest = events.iter().max().map_or(0, |e| e + 1);
    if let Some(p) = periodic::detect(series, earliest) {
        let mut changepoints = p.prefix_changepoints;
        if p.start > 0 {
            changepoints.push(p.start);
        }
        return InvocationSteadyState {
            class: SteadyClass::Periodic,
            changepoints,
            steady_start: p.cycles_start,
            value: p.value,
            spikes: Vec::new(),
            period: Some(p.period),
            need: None,
        };
    }
    let spikes: Vec<usize> = isolated_spikes(series)
        .into_iter()
        .filter(|i| !events.contains(i))
        .collect();
    // Positions of the iterations the analysis uses (spikes are left out, see the header).
    let kept: Vec<usize> = (0..series.len()).filter(|i| !spikes.contains(i)).collect();
    let values: Vec<f64> = kept.iter().map(|&i| series[i]).collect();
    let mut local_cps = match values.as_slice() {
        // Too short for PELT (a `--quick` run): each iteration is its own segment unless the
        // two are equivalent, so a cold iteration 0 is never averaged into the value.
        [first, last] if (first - last).abs() > EQUIVALENCE_TOLERANCE * last.abs() => vec![1],
        _ => changepoints(&values),
    };
    let pelt_start = local_cps.last().copied().unwrap_or(0);
    // The last event at or after PELT's steady start, as a position in `kept`.
    let last_event = events
        .iter()
        .filter_map(|e| kept.iter().position(|k| k == e))
        .filter(|&p| p >= pelt_start)
        .max();
    let mut event_cut = false;
    if let Some(e) = last_event {
        let before = mean(&values[pelt_start..=e]);
        let after = mean(&values[e + 1..]);
        match (before, after) {
            (Some(b), Some(a)) if (b - a).abs() <= EQUIVALENCE_TOLERANCE * a.abs() => {}
            (_, Some(_)) => {
                local_cps.retain(|&c| c <= e);
                local_cps.push(e + 1);
            }
            (_, None) => event_cut = true, // the last iteration compiled: nothing after it
        }
    }
    let mut bounds = vec![0];
    bounds.extend(&local_cps);
    bounds.push(values.len());
    let means: Vec<f64> = bounds
        .windows(2)
        .filter_map(|w| mean(&values[w[0]..w[1]]))
        .collect();
    let local_start = *bounds.iter().rev().nth(1).unwrap_or(&0);
    let last = *means.last().expect("a non-empty series has a last segment");
    let tolerance = EQUIVALENCE_TOLERANCE * last.abs();
    let earlier = &means[..means.len().saturating_sub(1)];

    // The length rules count iterations of the run, spikes included (positions in `series`,
    // not in `kept`): "need K iterations after the last change" is about the run's length.
    let at = |p: usize| kept.get(p).copied().unwrap_or(series.len());
    let start = at(local_start);
    let last_len = series.len() - start;
    // Iterations needed after a change at iteration `c` for the last segment to hold a
    // quarter of the series: the smallest K with 3K >= c.
    let needed = |c: usize| c.div_ceil(3).max(1);
    let mut need = None;
    let class = if let (true, Some(e)) = (event_cut, last_event) {
        need = Some(Need {
            iterations: needed(kept[e] + 1),
            after: kept[e] + 1,
        });
        SteadyClass::TooShort
    } else if 3 * last_len < start {
        let previous_start = at(bounds.iter().rev().nth(2).copied().unwrap_or(0));
        if start - previous_start >= needed(start) {
            need = Some(Need {
                iterations: needed(start),
                after: start,
            });
            SteadyClass::TooShort
        } else {
            SteadyClass::NoSteadyState
        }
    } else if earlier.iter().all(|m| (m - last).abs() <= tolerance) {
        SteadyClass::Flat
    } else if earlier.iter().any(|m| last - m > tolerance) {
        SteadyClass::Slowdown
    } else {
        SteadyClass::Warmup
    };
    InvocationSteadyState {
        class,
        changepoints: local_cps.iter().map(|&c| kept[c]).collect(),
        steady_start: kept.get(local_start).copied().unwrap_or(0),
        value: last,
        spikes,
        period: None,
        need,
    }
}

/// Isolated spikes: iterations (never iteration 0) outside Tukey's far-out fences
/// (`Q1 − 3·IQR`, `Q3 + 3·IQR`, over iterations 1..n) whose neighbours are inside them. A run
/// of two or more outlying iterations is a level shift for PELT to judge, not a spike. Needs
/// at least 4 iterations after iteration 0.
pub fn isolated_spikes(series: &[f64]) -> Vec<usize> {
    if series.len() < 5 {
        return Vec::new();
    }
    let rest = &series[1..];
    let (Some(q1), Some(q3)) = (quantile(rest, 0.25), quantile(rest, 0.75)) else {
        unreachable!("at least 4 values");
    };
    let iqr = q3 - q1;
    let out = |i: usize| series[i] < q1 - 3.0 * iqr || series[i] > q3 + 3.0 * iqr;
    (1..series.len())
        .filter(|&i| out(i) && !out(i - 1) && !(i + 1 < series.len() && out(i + 1)))
        .collect()
}

/// The class of a benchmark × config over its invocations: the shared class when all agree,
/// `"inconsistent"` otherwise, `""` for none.
pub fn classify_invocations(classes: &[SteadyClass]) -> String {
    match classes.first() {
        None => String::new(),
        Some(first) if classes.iter().all(|c| c == first) => first.name().to_string(),
        Some(_) => "inconsistent".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::pelt::tests::noisy;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn flat_noise_is_flat_with_the_mean_as_value() {
        for seed in 0..20 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let series = noisy(&mut rng, 1000.0, 10.0, 30);
            let s = classify_invocation(&series);
            assert_eq!(s.class, SteadyClass::Flat, "seed {seed}");
            assert_eq!(s.steady_start, 0);
            assert!((s.value - mean(&series).unwrap()).abs() < 1e-9);
        }
    }

    #[test]
    fn warmup_then_steady_is_warmup_valued_by_the_last_segment() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut series = noisy(&mut rng, 2000.0, 10.0, 5);
        series.extend(noisy(&mut rng, 1000.0, 10.0, 25));
        let s = classify_invocation(&series);
        assert_eq!(s.class, SteadyClass::Warmup);
        assert_eq!(s.steady_start, 5);
        assert!((s.value - 1000.0).abs() < 10.0);
    }

    #[test]
    fn slowdown_and_no_steady_state() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let mut series = noisy(&mut rng, 1000.0, 10.0, 15);
        series.extend(noisy(&mut rng, 1500.0, 10.0, 15));
        assert_eq!(classify_invocation(&series).class, SteadyClass::Slowdown);

        // A drift keeps changing: no steady state.
        let series: Vec<f64> = noisy(&mut rng, 0.0, 10.0, 30)
            .iter()
            .enumerate()
            .map(|(i, e)| 1000.0 * 1.05f64.powi(i as i32) + e)
            .collect();
        assert_eq!(
            classify_invocation(&series).class,
            SteadyClass::NoSteadyState
        );
    }

    #[test]
    fn a_change_too_near_the_end_is_too_short_not_a_class() {
        // Steady for 27 iterations, then 3 at 3x: too few after the change to judge them.
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let mut series = noisy(&mut rng, 1000.0, 10.0, 27);
        series.extend(noisy(&mut rng, 3000.0, 10.0, 3));
        let s = classify_invocation(&series);
        assert_eq!(s.class, SteadyClass::TooShort);
        assert_eq!(
            s.need,
            Some(Need {
                iterations: 9,
                after: 27
            })
        );
        assert_eq!(
            s.verdict(),
            "too short: need >= 9 iterations after the last change (iteration 27)"
        );
        // An 8-iteration warm-up in a 10-iteration run (issue 18), and the same warm-up with
        // enough iterations after it.
        let mut series = noisy(&mut rng, 3000.0, 10.0, 8);
        series.extend(noisy(&mut rng, 1000.0, 10.0, 2));
        let s = classify_invocation(&series);
        assert_eq!(
            (s.class, s.need.map(|n| n.iterations)),
            (SteadyClass::TooShort, Some(3))
        );
        series.extend(noisy(&mut rng, 1000.0, 10.0, 1));
        let s = classify_invocation(&series);
        assert_eq!((s.class, s.steady_start), (SteadyClass::Warmup, 8));
    }

    #[test]
    fn the_length_rule_counts_spikes_as_iterations_of_the_run() {
        // 25 steady, then 3x, with an isolated spike at 10: the change is at iteration 25 of
        // the run (24 once the spike is set aside), so 9 are needed after it, not 8.
        let mut rng = ChaCha8Rng::seed_from_u64(6);
        let mut series = noisy(&mut rng, 1000.0, 10.0, 25);
        series.extend(noisy(&mut rng, 3000.0, 10.0, 8));
        series[10] = 50_000.0;
        let s = classify_invocation(&series);
        assert_eq!(s.spikes, vec![10]);
        assert_eq!(s.class, SteadyClass::TooShort);
        assert_eq!(
            s.need,
            Some(Need {
                iterations: 9,
                after: 25
            })
        );
        // The ninth iteration after the change is enough.
        series.extend(noisy(&mut rng, 3000.0, 10.0, 1));
        let s = classify_invocation(&series);
        assert_eq!((s.class, s.steady_start), (SteadyClass::Slowdown, 25));
    }

    #[test]
    fn an_alternation_is_periodic_never_flat() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for (n, high) in [(30, 1500.0), (10, 1500.0), (30, 1100.0)] {
            let series: Vec<f64> = noisy(&mut rng, 0.0, 10.0, n)
                .iter()
                .enumerate()
                .map(|(i, e)| if i % 2 == 0 { 1000.0 } else { high } + e)
                .collect();
            let s = classify_invocation(&series);
            assert_eq!(
                (s.class, s.period),
                (SteadyClass::Periodic, Some(2)),
                "n {n}"
            );
            assert_eq!(s.verdict(), "periodic (period 2)");
            assert!((s.value - (1000.0 + high) / 2.0).abs() < 10.0);
        }
    }

    #[test]
    fn an_isolated_spike_is_set_aside_but_a_shift_is_not() {
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let mut series = noisy(&mut rng, 1000.0, 10.0, 10);
        series[0] = 5000.0;
        series[9] = 20_000.0; // preempted at the very end
        let s = classify_invocation(&series);
        assert_eq!(s.spikes, vec![9]);
        assert_eq!((s.class, s.steady_start), (SteadyClass::Warmup, 1));
        assert!((s.value - 1000.0).abs() < 10.0);
        series[8] = 20_000.0; // two in a row: a shift, not a spike
        let s = classify_invocation(&series);
        assert!(s.spikes.is_empty());
        assert_eq!(
            s.class,
            SteadyClass::TooShort,
            "two slow iterations at the end"
        );
    }

    #[test]
    fn two_iterations_separate_a_cold_first_one() {
        let s = classify_invocation(&[30.0, 1.0]);
        assert_eq!(
            (s.class, s.steady_start, s.value),
            (SteadyClass::Warmup, 1, 1.0)
        );
        let s = classify_invocation(&[1.0, 1.001]);
        assert_eq!((s.class, s.steady_start), (SteadyClass::Flat, 0));
        assert_eq!(classify_invocation(&[5.0]).class, SteadyClass::Flat);
    }

    #[test]
    fn the_steady_state_starts_after_the_last_compile_unless_it_does_not_matter() {
        // A flat series with a compile at iteration 6 that costs 3x: without events it is a
        // spike set aside; with the event it ends the warm-up (issue 16).
        let mut rng = ChaCha8Rng::seed_from_u64(8);
        let mut series = noisy(&mut rng, 1000.0, 5.0, 12);
        series[0] = 4000.0;
        series[6] = 3000.0;
        let blind = classify_invocation(&series);
        assert_eq!((blind.steady_start, blind.spikes.clone()), (1, vec![6]));
        let s = classify_with_events(&series, &[0, 6]);
        assert!(s.spikes.is_empty());
        assert_eq!((s.class, s.steady_start), (SteadyClass::Warmup, 7));
        assert!((s.value - 1000.0).abs() < 10.0);

        // A compile that changes nothing measurable (same level on both sides, no cost) does
        // not move the steady state.
        let series = noisy(&mut rng, 1000.0, 5.0, 12);
        let s = classify_with_events(&series, &[4]);
        assert_eq!((s.class, s.steady_start), (SteadyClass::Flat, 0));

        // A compile in the last iteration leaves no steady state.
        let mut series = noisy(&mut rng, 1000.0, 5.0, 12);
        series[11] = 3000.0;
        let s = classify_with_events(&series, &[11]);
        assert_eq!(s.class, SteadyClass::TooShort);
        assert_eq!(s.need.map(|n| (n.iterations, n.after)), Some((4, 12)));
    }

    #[test]
    fn invocations_agree_or_are_inconsistent() {
        use SteadyClass::*;
        assert_eq!(classify_invocations(&[Flat, Flat]), "flat");
        assert_eq!(classify_invocations(&[Flat, Warmup]), "inconsistent");
        assert_eq!(classify_invocations(&[]), "");
    }
}
