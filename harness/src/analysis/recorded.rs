//! The report's and the gate's view of a run's statistics. The numbers themselves come from
//! [`crate::analysis`] — the very functions `harness run` uses to write `summary.csv` — with
//! the options recorded in `run.json` (seed, resamples, confidence), so a report re-made from
//! the files shows the numbers the run printed. Method: ARCHITECTURE §7, [`crate::stats`].

use std::collections::BTreeMap;

use crate::analysis::{analyse, AnalysisOptions, SummaryRow};
use crate::stats::{DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES};

use crate::report::data::{Key, Measure, RunData};

/// Summary rows and the invocation values (the statistical unit) of every benchmark × config.
#[derive(Clone, Debug)]
pub struct RunAnalysis {
    pub options: AnalysisOptions,
    pub summary: Vec<SummaryRow>,
    /// Per `ok` invocation, its steady-state iterations (the statistical unit with what is
    /// known of it); keys without any are absent.
    pub steady: BTreeMap<Key, Vec<Vec<f64>>>,
}

impl RunAnalysis {
    pub fn summary_of(&self, key: &Key) -> Option<&SummaryRow> {
        self.summary.iter().find(|s| {
            s.suite == key.suite && s.benchmark == key.benchmark && s.config == key.config
        })
    }
}

/// Analyses `run` for `measure`, speedups against `reference`.
pub fn analyse_run(run: &RunData, measure: Measure, reference: &str) -> RunAnalysis {
    let options = options_for(run.run_json.as_ref(), measure, reference);
    let analysis = analyse(&run.rows, &options);
    let mut steady: BTreeMap<Key, Vec<Vec<f64>>> = BTreeMap::new();
    for inv in &analysis.invocations {
        if let (true, Some(_)) = (inv.status.is_ok(), inv.value) {
            let key = Key {
                suite: inv.suite.clone(),
                benchmark: inv.benchmark.clone(),
                config: inv.config.clone(),
            };
            steady.entry(key).or_default().push(inv.steady.clone());
        }
    }
    RunAnalysis {
        options,
        summary: analysis.summary,
        steady,
    }
}

/// Analysis options: seed, resamples and confidence from `run.json`'s `method` when recorded,
/// else the defaults of `harness run` and a fixed seed (so results are reproducible anyway).
pub fn options_for(
    json: Option<&serde_json::Value>,
    measure: Measure,
    reference: &str,
) -> AnalysisOptions {
    let method = json.and_then(|j| j.get("method"));
    let field = |name: &str| method.and_then(|m| m.get(name));
    AnalysisOptions {
        measure,
        reference: reference.to_string(),
        seed: seed_of(json),
        resamples: field("resamples")
            .and_then(|v| v.as_u64())
            .map_or(DEFAULT_RESAMPLES, |v| v as usize)
            .max(1000),
        confidence: field("confidence")
            .and_then(|v| v.as_f64())
            .filter(|c| *c > 0.0 && *c < 1.0)
            .unwrap_or(DEFAULT_CONFIDENCE),
    }
}

/// The seed of the statistics RNG recorded in `run.json` (`method.seed`, or a top-level
/// `seed`), or a fixed default.
pub fn seed_of(json: Option<&serde_json::Value>) -> u64 {
    const DEFAULT_SEED: u64 = 0x5eed;
    let Some(json) = json else {
        return DEFAULT_SEED;
    };
    [json.get("method"), Some(json), json.get("parameters")]
        .into_iter()
        .flatten()
        .find_map(|scope| scope.get("seed").and_then(|v| v.as_u64()))
        .unwrap_or(DEFAULT_SEED)
}
