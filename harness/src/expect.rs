//! Planted expectations of a suite's manifest (`expected_class`, `expected_warmup`; see
//! suites/README.md), checked against the analysis at the end of `harness run`: every ok
//! invocation of a benchmark that has an expectation must have the expected steady-state
//! class and, when given, a first steady-state iteration within ±1 of `expected_warmup` (the
//! tolerance of the planted-truth bench, `stats::planted`). `suites/validation` plants them;
//! a mismatch makes the run exit 1.

use crate::analysis::InvocationRow;
use crate::manifest::Suite;

/// Allowed distance between the expected and the found first steady-state iteration.
pub const WARMUP_TOLERANCE: usize = 1;

/// What the manifest expects of one benchmark's steady state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expectation {
    /// A class name of `stats::SteadyClass` (`flat`, `warmup`, ...).
    pub class: String,
    /// The first steady-state iteration (the warm-up length; for a slowdown, the first slow
    /// iteration).
    pub warmup: Option<usize>,
}

/// The outcome of checking a run against its manifests' expectations.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Checked {
    /// Benchmark × config pairs with an expectation that had ok invocations.
    pub pairs: usize,
    /// One line per invocation that missed, e.g. `validation/alternating interp #2: expected
    /// periodic, got flat`.
    pub mismatches: Vec<String>,
}

/// Checks the analysed invocations of `suites` against their expectations.
pub fn check(suites: &[Suite], invocations: &[InvocationRow]) -> Checked {
    let mut checked = Checked::default();
    let mut pairs = std::collections::BTreeSet::new();
    for inv in invocations.iter().filter(|i| i.status.is_ok()) {
        let Some(expect) = suites
            .iter()
            .filter(|s| s.name == inv.suite)
            .flat_map(|s| &s.benchmarks)
            .find(|b| b.name == inv.benchmark)
            .and_then(|b| b.expectation.as_ref())
        else {
            continue;
        };
        pairs.insert((&inv.suite, &inv.benchmark, &inv.config));
        let at = format!(
            "{}/{} {} #{}",
            inv.suite, inv.benchmark, inv.config, inv.invocation
        );
        if inv.steady_class != expect.class {
            checked.mismatches.push(format!(
                "{at}: expected {}, got {}",
                expect.class, inv.verdict
            ));
            continue;
        }
        if let (Some(want), Some(got)) = (expect.warmup, inv.steady_start) {
            if want.abs_diff(got) > WARMUP_TOLERANCE {
                checked.mismatches.push(format!(
                    "{at}: expected the steady state from iteration {want} (±{WARMUP_TOLERANCE}), got {got}"
                ));
            }
        }
    }
    checked.pairs = pairs.len();
    checked
}
