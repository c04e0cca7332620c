//! From raw rows to conclusions: the per-invocation steady-state analysis and the per
//! benchmark × config summary, exactly as `harness run` writes them to `invocations.csv` and
//! `summary.csv`. Pure functions of `results.csv` rows plus the options recorded in
//! `run.json` (measure, reference, seed, resamples, confidence), so `harness report` can
//! recompute every number from the files alone.
//!
//! Method: ARCHITECTURE §7 and [`crate::stats`]. Only `ok` invocations enter statistics;
//! failures are counted per status. Speedup = reference's statistic / this config's statistic
//! on times (or instructions), so > 1 means faster than the reference.
//!
//! [`recorded`] re-derives the same tables from a finished run's files for the report and the
//! gate.

pub mod intervals;
pub mod recorded;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::exec::{Measure, Status};
use crate::output::results::ResultRow;
use crate::stats::{
    classify_invocations, classify_with_events, tukey_fences, Sample, Statistic, SteadyClass,
};
use intervals::{level, ratio, Interval, Settings};

/// What the analysis needs besides the rows (all recorded in `run.json`).
#[derive(Clone, Debug, Serialize)]
pub struct AnalysisOptions {
    pub measure: Measure,
    pub reference: String,
    pub seed: u64,
    pub resamples: usize,
    pub confidence: f64,
}

/// One row of `invocations.csv`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InvocationRow {
    pub suite: String,
    pub benchmark: String,
    pub config: String,
    pub invocation: u32,
    pub status: Status,
    pub iterations: usize,
    /// Mean of the last segment (the steady state), in the measure's unit; empty if not ok.
    pub value: Option<f64>,
    pub steady_class: String,
    /// First iteration of the steady state.
    pub steady_start: Option<usize>,
    /// Changepoint indices joined by `;`.
    pub changepoints: String,
    /// Isolated spikes left out of the steady-state analysis, joined by `;`.
    pub spikes: String,
    /// Iteration 0 (parse + compile + first run), in the measure's unit.
    pub first_iteration: Option<f64>,
    /// Outside Tukey's fences among this benchmark × config's ok invocations.
    pub outlier: bool,
    /// The last iteration in which the JIT compiled something (`compiles` > 0), if any.
    pub last_compile: Option<usize>,
    /// Measured beside other work above the thresholds of [`crate::noise`].
    pub busy: bool,
    /// Iterations per cycle when `periodic`.
    pub period: Option<usize>,
    /// When `too-short`: the iterations needed after the last change.
    pub need: Option<usize>,
    /// The verdict in words, e.g. `periodic (period 2)` or `too short: need >= 3 iterations
    /// after the last change (iteration 8)`.
    pub verdict: String,
    /// The steady-state iterations behind `value` (spikes left out), for the hierarchical
    /// bootstrap; not a column.
    #[serde(skip)]
    pub steady: Vec<f64>,
}

/// One row of `summary.csv` (columns documented in `output::summary`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SummaryRow {
    pub suite: String,
    pub benchmark: String,
    pub config: String,
    pub measure: String,
    pub invocations: usize,
    pub ok: usize,
    pub failed: usize,
    pub failures: String,
    pub median: Option<f64>,
    pub median_lo: Option<f64>,
    pub median_hi: Option<f64>,
    pub mean: Option<f64>,
    pub mean_lo: Option<f64>,
    pub mean_hi: Option<f64>,
    pub cv: Option<f64>,
    pub steady_class: String,
    pub flat: usize,
    pub warmup: usize,
    pub slowdown: usize,
    pub periodic: usize,
    pub no_steady_state: usize,
    pub too_short: usize,
    /// `steady` when median, mean and speedup come from the invocations with a steady state
    /// (flat, warmup, slowdown, periodic) only; `last-segment` when no invocation has one and
    /// they come from the last segments instead.
    pub value_basis: String,
    /// Median first steady iteration over the invocations classed `warmup` only.
    pub warmup_median: Option<f64>,
    /// Median period of the invocations classed `periodic`.
    pub period_median: Option<f64>,
    /// Largest number of iterations after the last change that a `too-short` invocation
    /// needed.
    pub too_short_need: Option<usize>,
    pub first_iteration_median: Option<f64>,
    pub outliers: usize,
    pub reference: String,
    pub speedup: Option<f64>,
    pub speedup_lo: Option<f64>,
    pub speedup_hi: Option<f64>,
    /// Invocations measured beside other work ([`crate::noise`]).
    pub busy: usize,
    /// Median over ok invocations of the last iteration that compiled something.
    pub last_compile_median: Option<f64>,
}

/// Both tables.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    pub invocations: Vec<InvocationRow>,
    pub summary: Vec<SummaryRow>,
}

type GroupKey = (String, String, String);

/// Analyses rows (any order). Groups appear in order of first appearance.
pub fn analyse(rows: &[ResultRow], opts: &AnalysisOptions) -> Analysis {
    // (suite, benchmark, config) -> invocation -> rows
    let mut order: Vec<GroupKey> = Vec::new();
    let mut groups: BTreeMap<GroupKey, BTreeMap<u32, Vec<&ResultRow>>> = BTreeMap::new();
    for row in rows {
        let key = (row.suite.clone(), row.benchmark.clone(), row.config.clone());
        if !groups.contains_key(&key) {
            order.push(key.clone());
        }
        groups
            .entry(key)
            .or_default()
            .entry(row.invocation)
            .or_default()
            .push(row);
    }

    let mut analysis = Analysis::default();
    let mut steady_of: BTreeMap<GroupKey, Vec<Vec<f64>>> = BTreeMap::new();
    for key in &order {
        let mut inv_rows: Vec<InvocationRow> = groups[key]
            .iter()
            .map(|(&inv, rows)| invocation_row(key, inv, rows, opts.measure))
            .collect();
        let values: Vec<f64> = inv_rows.iter().filter_map(|r| r.value).collect();
        let fences = tukey_fences(&values);
        for r in &mut inv_rows {
            r.outlier = r.value.is_some_and(|v| fences.is_outlier(v));
        }
        // Steady-state statistics only over the invocations that have a steady state; the
        // last segments only when none has one (and then labelled so).
        let with_steady = |r: &&InvocationRow| {
            SteadyClass::from_name(&r.steady_class).is_some_and(|c| c.has_steady_state())
        };
        let basis = if inv_rows.iter().any(|r| with_steady(&r)) {
            "steady"
        } else {
            "last-segment"
        };
        let steady: Vec<Vec<f64>> = inv_rows
            .iter()
            .filter(|r| r.value.is_some() && (basis != "steady" || with_steady(r)))
            .map(|r| r.steady.clone())
            .collect();
        let mut row = summary_row(key, &inv_rows, &values, &steady, opts);
        row.value_basis = basis.to_string();
        analysis.summary.push(row);
        steady_of.insert(key.clone(), steady);
        analysis.invocations.extend(inv_rows);
    }
    // Speedups need the reference's values, so they are filled in a second pass.
    for s in &mut analysis.summary {
        let ref_key = (s.suite.clone(), s.benchmark.clone(), opts.reference.clone());
        let (Some(base), Some(this)) = (
            steady_of.get(&ref_key),
            steady_of.get(&(s.suite.clone(), s.benchmark.clone(), s.config.clone())),
        ) else {
            continue;
        };
        if s.config == opts.reference && !this.is_empty() {
            (s.speedup, s.speedup_lo, s.speedup_hi) = (Some(1.0), Some(1.0), Some(1.0));
            continue;
        }
        let key = format!("speedup/{}/{}/{}", s.suite, s.benchmark, s.config);
        if let Some(r) = ratio(base, this, &opts.settings(), &key) {
            (s.speedup, s.speedup_lo, s.speedup_hi) = split(r);
        }
    }
    analysis
}

/// An interval as the (point, lower, upper) columns of `summary.csv`.
fn split(i: Interval) -> (Option<f64>, Option<f64>, Option<f64>) {
    (Some(i.point), i.bounds.map(|b| b.0), i.bounds.map(|b| b.1))
}

impl AnalysisOptions {
    /// The bootstrap settings of every interval of the analysis.
    pub fn settings(&self) -> Settings {
        Settings {
            measure: self.measure,
            seed: self.seed,
            resamples: self.resamples,
            confidence: self.confidence,
        }
    }
}

fn measure_of(row: &ResultRow, measure: Measure) -> Option<f64> {
    match measure {
        Measure::Wall => row.wall_ns.map(|v| v as f64),
        Measure::Instructions => row.instructions.map(|v| v as f64),
    }
}

fn invocation_row(
    key: &GroupKey,
    invocation: u32,
    rows: &[&ResultRow],
    measure: Measure,
) -> InvocationRow {
    let mut sorted = rows.to_vec();
    sorted.sort_by_key(|r| r.iteration);
    let status = sorted.first().map_or(Status::Error, |r| r.status);
    let series: Option<Vec<f64>> = sorted.iter().map(|r| measure_of(r, measure)).collect();
    // Iterations in which the JIT compiled something (ends of warm-up, see
    // `stats::classify_with_events`).
    let compiles: Vec<usize> = sorted
        .iter()
        .enumerate()
        .filter(|(_, r)| r.compiles.is_some_and(|c| c > 0))
        .map(|(i, _)| i)
        .collect();
    let mut row = InvocationRow {
        suite: key.0.clone(),
        benchmark: key.1.clone(),
        config: key.2.clone(),
        invocation,
        status,
        iterations: sorted.len(),
        value: None,
        steady_class: String::new(),
        steady_start: None,
        changepoints: String::new(),
        spikes: String::new(),
        first_iteration: sorted.first().and_then(|r| measure_of(r, measure)),
        outlier: false,
        last_compile: compiles.last().copied(),
        busy: sorted
            .first()
            .is_some_and(|r| crate::noise::is_busy(r.other_cpu, r.steal)),
        period: None,
        need: None,
        verdict: String::new(),
        steady: Vec::new(),
    };
    if let (true, Some(series)) = (status.is_ok(), series) {
        if !series.is_empty() {
            let s = classify_with_events(&series, &compiles);
            row.value = Some(s.value);
            row.steady = (s.steady_start..series.len())
                .filter(|i| !s.spikes.contains(i))
                .map(|i| series[i])
                .collect();
            row.steady_class = s.class.name().to_string();
            row.period = s.period;
            row.need = s.need.map(|n| n.iterations);
            row.verdict = s.verdict();
            row.steady_start = Some(s.steady_start);
            row.spikes = s
                .spikes
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(";");
            row.changepoints = s
                .changepoints
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(";");
        }
    }
    row
}

fn summary_row(
    key: &GroupKey,
    invs: &[InvocationRow],
    values: &[f64],
    steady: &[Vec<f64>],
    opts: &AnalysisOptions,
) -> SummaryRow {
    let mut failures: BTreeMap<Status, usize> = BTreeMap::new();
    for r in invs.iter().filter(|r| !r.status.is_ok()) {
        *failures.entry(r.status).or_default() += 1;
    }
    let classes: Vec<SteadyClass> = invs
        .iter()
        .filter_map(|r| SteadyClass::from_name(&r.steady_class))
        .collect();
    let of_class = |c: SteadyClass| {
        invs.iter()
            .filter(move |r| SteadyClass::from_name(&r.steady_class) == Some(c))
    };
    let count = |c: SteadyClass| classes.iter().filter(|&&x| x == c).count();
    let key_text = format!("{}/{}/{}", key.0, key.1, key.2);
    let settings = opts.settings();
    let median = level(
        steady,
        Statistic::Median,
        &settings,
        &format!("median/{key_text}"),
    );
    let mean = level(
        steady,
        Statistic::Mean,
        &settings,
        &format!("mean/{key_text}"),
    );
    let sample = Sample::new(values);
    let starts: Vec<f64> = of_class(SteadyClass::Warmup)
        .filter_map(|r| r.steady_start.map(|s| s as f64))
        .collect();
    let periods: Vec<f64> = of_class(SteadyClass::Periodic)
        .filter_map(|r| r.period.map(|p| p as f64))
        .collect();
    let firsts: Vec<f64> = invs
        .iter()
        .filter(|r| r.status.is_ok())
        .filter_map(|r| r.first_iteration)
        .collect();
    SummaryRow {
        suite: key.0.clone(),
        benchmark: key.1.clone(),
        config: key.2.clone(),
        measure: match opts.measure {
            Measure::Wall => "wall_ns".into(),
            Measure::Instructions => "instructions".into(),
        },
        invocations: invs.len(),
        ok: values.len(),
        failed: invs.len() - values.len(),
        failures: failures
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(";"),
        median: median.map(|e| e.point),
        median_lo: median.and_then(|e| e.bounds).map(|b| b.0),
        median_hi: median.and_then(|e| e.bounds).map(|b| b.1),
        mean: mean.map(|e| e.point),
        mean_lo: mean.and_then(|e| e.bounds).map(|b| b.0),
        mean_hi: mean.and_then(|e| e.bounds).map(|b| b.1),
        cv: sample.as_ref().map(|s| s.std_dev() / s.mean()),
        steady_class: classify_invocations(&classes),
        flat: count(SteadyClass::Flat),
        warmup: count(SteadyClass::Warmup),
        slowdown: count(SteadyClass::Slowdown),
        periodic: count(SteadyClass::Periodic),
        no_steady_state: count(SteadyClass::NoSteadyState),
        too_short: count(SteadyClass::TooShort),
        value_basis: String::new(),
        warmup_median: crate::stats::median(&starts),
        period_median: crate::stats::median(&periods),
        too_short_need: of_class(SteadyClass::TooShort).filter_map(|r| r.need).max(),
        first_iteration_median: crate::stats::median(&firsts),
        outliers: invs.iter().filter(|r| r.outlier).count(),
        reference: opts.reference.clone(),
        speedup: None,
        speedup_lo: None,
        speedup_hi: None,
        busy: invs.iter().filter(|r| r.busy).count(),
        last_compile_median: crate::stats::median(
            &invs
                .iter()
                .filter(|r| r.status.is_ok())
                .filter_map(|r| r.last_compile.map(|c| c as f64))
                .collect::<Vec<_>>(),
        ),
    }
}
