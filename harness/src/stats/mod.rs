//! Statistics of a run (ARCHITECTURE §7), public so that `harness report` and the gate use the
//! same method as `harness run`.
//!
//! The method, in order:
//! 1. Within one invocation (one process), the iteration series is cut into segments by
//!    changepoint analysis: PELT (Killick, Fearnhead & Eckley 2012, "Optimal detection of
//!    changepoints with a linear computational cost", JASA 107(500)) with a normal
//!    mean-change cost and a penalty of `15 ln n`, as in the warmup_stats method of Barrett,
//!    Bolz-Tereick, Killick, Mount & Tratt 2017, "Virtual Machine Warmup Blows Hot and Cold"
//!    (OOPSLA) — see [`pelt`].
//!    Before that, a series that alternates or cycles is recognised as periodic, with a noise
//!    estimate its cycle cannot inflate — see [`periodic`].
//! 2. The invocation is classified flat / warmup / slowdown / periodic / no steady state /
//!    too short, and its value is the mean of its last segment — see [`steady`].
//! 3. Across invocations (the statistical unit), median and mean get seeded percentile
//!    bootstrap confidence intervals, and speedups get a bootstrap CI of the ratio — see
//!    [`bootstrap`]. Outliers are flagged with Tukey's fences, never dropped — see
//!    [`outliers`].
//!
//! Every function here is deterministic given its inputs and seed.

pub mod bootstrap;
pub mod describe;
pub mod hierarchical;
pub mod outliers;
pub mod pelt;
pub mod periodic;
pub mod planted;
pub mod sample;
pub mod steady;

pub use bootstrap::{bootstrap_ci, ratio_ci, rng_for, Estimate, Statistic};
pub use describe::{mean, median, quantile};
pub use outliers::{tukey_fences, Fences};
pub use pelt::{changepoints, pelt};
pub use sample::Sample;
pub use steady::{
    classify_invocation, classify_invocations, classify_with_events, too_short_text,
    InvocationSteadyState, Need, SteadyClass,
};

/// Resamples used by `harness run` (ARCHITECTURE §7 asks for at least 10,000).
pub const DEFAULT_RESAMPLES: usize = 10_000;
/// Two-sided confidence level of every interval `harness run` reports.
pub const DEFAULT_CONFIDENCE: f64 = 0.95;
