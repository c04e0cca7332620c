//! From invocation series to the numbers that are shown and judged, using the method of
//! [`crate::stats`] (ARCHITECTURE §7) so that the report, the gate and `harness run` agree:
//! each invocation's steady state is found by PELT changepoint analysis and its value is the
//! mean of the last segment; the invocation is the statistical unit.

use std::collections::BTreeMap;

use crate::stats::{self, classify_invocation, InvocationSteadyState, SteadyClass};

use super::data::{invocations, Invocation, Key, Measure, Row};

/// One benchmark × config after steady-state analysis.
#[derive(Clone, Debug)]
pub struct Analysed {
    pub invocations: Vec<(Invocation, InvocationSteadyState)>,
}

impl Analysed {
    /// The invocation values (mean of each invocation's steady state).
    pub fn values(&self) -> Vec<f64> {
        self.invocations.iter().map(|(_, s)| s.value).collect()
    }

    pub fn median(&self) -> f64 {
        stats::median(&self.values())
    }

    /// The shared steady-state class, or "inconsistent".
    pub fn class(&self) -> String {
        let classes: Vec<SteadyClass> = self.invocations.iter().map(|(_, s)| s.class).collect();
        stats::classify_invocations(&classes)
    }
}

/// Steady-state analysis of every benchmark × config in `rows` for `measure`.
pub fn analyse(rows: &[Row], measure: Measure) -> BTreeMap<Key, Analysed> {
    invocations(rows, measure)
        .into_iter()
        .map(|(key, invs)| {
            let invocations = invs
                .into_iter()
                .map(|inv| {
                    let steady = classify_invocation(&inv.series);
                    (inv, steady)
                })
                .collect();
            (key, Analysed { invocations })
        })
        .collect()
}

/// The seed of the statistics RNG recorded in `run.json` (`seed` or `stats_seed`, at the top
/// level or under `method`), or a fixed default so that intervals are reproducible anyway.
pub fn seed_of(run_json: Option<&serde_json::Value>) -> u64 {
    const DEFAULT_SEED: u64 = 0x5eed;
    let Some(json) = run_json else { return DEFAULT_SEED };
    for scope in [Some(json), json.get("method"), json.get("parameters")].into_iter().flatten() {
        for name in ["seed", "stats_seed", "rng_seed"] {
            if let Some(seed) = scope.get(name).and_then(|v| v.as_u64()) {
                return seed;
            }
        }
    }
    DEFAULT_SEED
}
