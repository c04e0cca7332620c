//! `summary.csv` and `invocations.csv`, written at the end of a run from `results.csv` by
//! [`crate::analysis::analyse`] (so they can always be recomputed from the raw rows).
//!
//! `summary.csv`: one row per suite × benchmark × config. Values are in the unit of `measure`
//! (`wall_ns`: nanoseconds; `instructions`: instructions) and are statistics of the
//! *invocation values* (each the mean of that invocation's steady-state segment), over the
//! invocations that have a steady state (see `value_basis`).
//!
//! | column | meaning |
//! | --- | --- |
//! | `suite`, `benchmark`, `config`, `measure` | what was measured |
//! | `invocations`, `ok`, `failed` | invocation counts (`ok + failed = invocations`) |
//! | `failures` | failed invocations by status, e.g. `crash=1;timeout=2` |
//! | `median`, `median_lo`, `median_hi` | median and its bootstrap CI, over the invocations with a steady state (`flat`, `warmup`, `slowdown`, `periodic`) |
//! | `mean`, `mean_lo`, `mean_hi` | mean and its bootstrap CI |
//! | `cv` | coefficient of variation across invocations (between-process noise) |
//! | `steady_class` | `flat`, `warmup`, `slowdown`, `periodic`, `no-steady-state`, `too-short` if all invocations agree, else `inconsistent` (classes: `stats::steady`) |
//! | `flat`, `warmup`, `slowdown`, `periodic`, `no_steady_state`, `too_short` | invocations per class |
//! | `value_basis` | `steady`: median, mean, CIs and speedup come from the invocations with a steady state only; `last-segment`: none has one, so they are the last segments' (not a steady state) |
//! | `warmup_median` | median warm-up length (first steady iteration) over the invocations classed `warmup` only |
//! | `period_median` | median period (iterations per cycle) over the invocations classed `periodic` |
//! | `too_short_need` | most iterations after the last change a `too-short` invocation needed |
//! | `first_iteration_median` | median of iteration 0 (parse + compile + first run) |
//! | `outliers` | invocations outside Tukey's fences (kept in every statistic) |
//! | `reference` | the config speedups are relative to |
//! | `speedup`, `speedup_lo`, `speedup_hi` | median(reference) / median(this) and its hierarchical bootstrap CI; > 1 is faster |
//! | `busy` | invocations measured beside other work (`crate::noise`) |
//! | `last_compile_median` | median over ok invocations of the last iteration in which the JIT compiled something; the steady state starts after it unless that does not matter (`stats::classify_with_events`) |
//!
//! The CI columns are empty with fewer than 3 ok invocations in wall time (no interval).
//!
//! Confidence level, resamples and seed are in `run.json` (`method`).
//!
//! `invocations.csv`: one row per invocation: `suite, benchmark, config, invocation, status,
//! iterations, value, steady_class, steady_start, changepoints, spikes, first_iteration,
//! outlier, last_compile, busy, period, need, verdict` (`changepoints`: iteration indices where a segment starts; `spikes`: isolated
//! outlying iterations left out of the steady-state analysis; both joined by `;`; `period`:
//! iterations per cycle of a `periodic` invocation; `need`: iterations a `too-short` one
//! needed after its last change; `verdict`: the class in words, e.g. `too short: need >= 3
//! iterations after the last change (iteration 8)`).

use std::path::Path;

use anyhow::Result;

use super::results::write_csv;
use crate::analysis::Analysis;

pub const SUMMARY_FILE: &str = "summary.csv";
pub const INVOCATIONS_FILE: &str = "invocations.csv";

/// Writes both tables into the run folder `dir`.
pub fn write(dir: &Path, analysis: &Analysis) -> Result<()> {
    write_csv(&dir.join(SUMMARY_FILE), &analysis.summary)?;
    write_csv(&dir.join(INVOCATIONS_FILE), &analysis.invocations)?;
    Ok(())
}
