//! Turns the analysed run into the plot descriptions of [`crate::plots`] and renders them into
//! `RUN_DIR/plots/`. Returns what was drawn so the HTML page can reference exactly the files
//! that exist.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;

use crate::output::results::ResultRow;
use crate::plots::distribution::{DistributionPlot, Group};
use crate::plots::jitstats::{JitStat, JitStatsPlot, COUNTERS};
use crate::plots::render;
use crate::plots::speedup::{SpeedupPlot, SpeedupPoint};
use crate::plots::warmup::{Curve, Events, Panel, WarmupPlot};
use crate::stats::{
    self, classify_invocation, classify_invocations, InvocationSteadyState, SteadyClass,
};

use super::data::{key_of, Invocation, Key};
use crate::analysis::recorded::RunAnalysis;

/// The names and layout the report uses.
pub struct Layout {
    /// `suite/benchmark`, in file order of first appearance.
    pub benchmarks: Vec<(String, String)>,
    /// Configs in order of first appearance.
    pub configs: Vec<String>,
    pub reference: String,
}

impl Layout {
    pub fn label(&self, suite: &str, benchmark: &str) -> String {
        let one_suite = self.benchmarks.iter().all(|(s, _)| s == suite);
        if one_suite {
            benchmark.to_string()
        } else {
            format!("{suite}/{benchmark}")
        }
    }
}

/// A plot written to `plots/NAME.{png,svg}`, with a caption for the page.
#[derive(Clone, Debug)]
pub struct Figure {
    pub name: String,
    pub caption: String,
}

/// One config of a benchmark: palette index, key, and each invocation with its analysis.
type ConfigSeries<'a> = (usize, Key, Vec<(&'a Invocation, InvocationSteadyState)>);

/// Draws every figure into `plots_dir`.
pub fn draw_all(
    analysis: &RunAnalysis,
    series: &BTreeMap<Key, Vec<Invocation>>,
    rows: &[ResultRow],
    layout: &Layout,
    plots_dir: &Path,
) -> Result<Vec<Figure>> {
    std::fs::create_dir_all(plots_dir)?;
    let measure = analysis.options.measure;
    let pct = (analysis.options.confidence * 100.0).round();
    let mut figures = Vec::new();
    let speedup = speedups(analysis, layout);

    if !speedup.is_empty() {
        let plot = SpeedupPlot {
            reference: layout.reference.clone(),
            benchmarks: layout
                .benchmarks
                .iter()
                .map(|(s, b)| layout.label(s, b))
                .collect(),
            configs: layout.configs.clone(),
            points: speedup,
            confidence: analysis.options.confidence,
        };
        render(&plot, plots_dir, "speedup")?;
        figures.push(Figure {
            name: "speedup".into(),
            caption: format!(
                "Speedup over {} per benchmark: median of the reference's invocation values over the config's, with its {pct}% bootstrap CI; filled dots differ significantly from 1.",
                layout.reference
            ),
        });
    }

    if let Some(plot) = jit_stats(rows, layout) {
        render(&plot, plots_dir, "jit-stats")?;
        figures.push(Figure {
            name: "jit-stats".into(),
            caption: "JIT counters: per-invocation totals, median over invocations.".into(),
        });
    }

    let events = events_by_iteration(rows);
    for (suite, bench) in &layout.benchmarks {
        let label = layout.label(suite, bench);
        // Per config: each invocation's series with its steady-state analysis (the same
        // function `harness run` uses; recomputed because plots need the segments).
        let keys: Vec<ConfigSeries> = layout
            .configs
            .iter()
            .enumerate()
            .filter_map(|(colour, c)| {
                let key = Key {
                    suite: suite.clone(),
                    benchmark: bench.clone(),
                    config: c.clone(),
                };
                let invs = series.get(&key)?;
                let analysed = invs
                    .iter()
                    .map(|inv| (inv, classify_invocation(&inv.series)))
                    .collect();
                Some((colour, key, analysed))
            })
            .collect();
        if keys.is_empty() {
            continue;
        }
        let slug = slug(&format!("{suite}-{bench}"));
        if keys
            .iter()
            .any(|(_, _, invs)| invs.iter().any(|(i, _)| i.series.len() > 1))
        {
            let warmup = WarmupPlot {
                title: format!("{label}: warm-up, one panel per config"),
                measure,
                panels: keys
                    .iter()
                    .map(|(colour, key, invs)| Panel {
                        config: key.config.clone(),
                        colour: *colour,
                        class: class_heading(
                            &invs.iter().map(|(_, s)| s.class).collect::<Vec<_>>(),
                        ),
                        curves: invs
                            .iter()
                            .map(|(inv, s)| Curve {
                                invocation: inv.invocation,
                                series: inv.series.clone(),
                                steady_start: s.steady_start,
                                events: events
                                    .get(&(key.clone(), inv.invocation))
                                    .cloned()
                                    .unwrap_or_default(),
                            })
                            .collect(),
                        level: analysis.summary_of(key).and_then(|s| s.median),
                    })
                    .collect(),
            };
            render(&warmup, plots_dir, &format!("warmup-{slug}"))?;
            figures.push(Figure {
                name: format!("warmup-{slug}"),
                caption: format!(
                    "{label}: iteration time per iteration, one panel per config: thin lines are invocations, the bold line their median; the shaded band is the steady state; the lanes below mark compiles, OSR entries and deopts."
                ),
            });
        }
        let dist = DistributionPlot {
            title: format!("{label}: steady-state times per config"),
            measure,
            dot_meaning: "steady-state iteration".into(),
            value_name: "steady-state time".into(),
            groups: keys
                .iter()
                .map(|(colour, key, invs)| Group {
                    config: key.config.clone(),
                    colour: *colour,
                    iterations: invs
                        .iter()
                        .flat_map(|(inv, s)| {
                            inv.series[s.steady_start.min(inv.series.len())..]
                                .iter()
                                .copied()
                        })
                        .collect(),
                    invocations: invs.iter().map(|(_, s)| s.value).collect(),
                })
                .collect(),
        };
        let log = if dist.log_axis() {
            " (log scale: the configs differ by more than 5x)"
        } else {
            ""
        };
        render(&dist, plots_dir, &format!("dist-{slug}"))?;
        figures.push(Figure {
            name: format!("dist-{slug}"),
            caption: format!("{label}: distribution of steady-state times per config{log}: dots are iterations, the box their middle half with the median, diamonds the invocation values (the statistical unit)."),
        });
    }
    Ok(figures)
}

/// "warmup (5 of 5 invocations)" when the invocations agree, else the split, e.g.
/// "inconsistent: flat 3, warmup 2".
pub fn class_heading(classes: &[SteadyClass]) -> String {
    let overall = classify_invocations(classes);
    if overall != "inconsistent" {
        let n = classes.len();
        return format!("{overall} ({n} of {n} invocations)");
    }
    let parts: Vec<String> = SteadyClass::ALL
        .iter()
        .map(|c| (c, classes.iter().filter(|x| *x == c).count()))
        .filter(|(_, k)| *k > 0)
        .map(|(c, k)| format!("{} {k}", c.name()))
        .collect();
    format!("inconsistent: {}", parts.join(", "))
}

/// Engine events per benchmark × config × invocation, one entry per iteration (in iteration
/// order), from the per-iteration counters of `results.csv`: a compile is an iteration with
/// compile time, OSR entries and deopts are the recorded counts.
pub fn events_by_iteration(rows: &[ResultRow]) -> BTreeMap<(Key, u32), Vec<Events>> {
    let mut by: BTreeMap<(Key, u32), BTreeMap<u32, Events>> = BTreeMap::new();
    for row in rows.iter().filter(|r| r.status.is_ok()) {
        let events = Events {
            compiles: u64::from(row.compile_ns.unwrap_or(0) > 0),
            osr_entries: row.osr_entries.unwrap_or(0),
            deopts: row.deopts.unwrap_or(0),
        };
        by.entry((key_of(row), row.invocation))
            .or_default()
            .insert(row.iteration, events);
    }
    by.into_iter()
        .map(|(k, its)| {
            let len = its.keys().max().map_or(0, |m| *m as usize + 1);
            let mut v = vec![Events::default(); len];
            for (i, e) in its {
                v[i as usize] = e;
            }
            (k, v)
        })
        .collect()
}

/// The JIT-counter plot, or `None` when the run recorded none of the counters.
fn jit_stats(rows: &[ResultRow], layout: &Layout) -> Option<JitStatsPlot> {
    // Per (key, invocation): totals of each counter over the invocation's ok rows.
    let mut totals: BTreeMap<(Key, u32), [Option<f64>; 4]> = BTreeMap::new();
    for row in rows.iter().filter(|r| r.status.is_ok()) {
        let slot = totals
            .entry((key_of(row), row.invocation))
            .or_insert([None; 4]);
        let counters = [
            row.compile_ns,
            row.deopts,
            row.guard_failures,
            row.osr_entries,
        ];
        for (c, counter) in COUNTERS.iter().enumerate() {
            if let Some(v) = counters[c].map(|v| v as f64) {
                slot[c] = Some(slot[c].unwrap_or(0.0) + v * counter.scale);
            }
        }
    }
    if totals.values().all(|t| t.iter().all(Option::is_none)) {
        return None;
    }
    let mut per_key: BTreeMap<Key, Vec<[Option<f64>; 4]>> = BTreeMap::new();
    for ((key, _), t) in totals {
        per_key.entry(key).or_default().push(t);
    }
    let stats = per_key
        .into_iter()
        .map(|(key, invs)| {
            let mut values = [None; 4];
            for (c, slot) in values.iter_mut().enumerate() {
                let xs: Vec<f64> = invs.iter().filter_map(|t| t[c]).collect();
                *slot = stats::median(&xs);
            }
            JitStat {
                benchmark: layout.label(&key.suite, &key.benchmark),
                config: key.config,
                values,
            }
        })
        .collect();
    Some(JitStatsPlot {
        benchmarks: layout
            .benchmarks
            .iter()
            .map(|(s, b)| layout.label(s, b))
            .collect(),
        configs: layout.configs.clone(),
        stats,
    })
}

/// A file-name-safe version of `s`.
pub fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Speedup of every non-reference config over the reference, from the summary rows (the CI
/// is left out when the summary has none, e.g. too few invocations).
pub fn speedups(analysis: &RunAnalysis, layout: &Layout) -> Vec<SpeedupPoint> {
    analysis
        .summary
        .iter()
        .filter(|s| s.config != layout.reference)
        .filter_map(|s| {
            Some(SpeedupPoint {
                benchmark: layout.label(&s.suite, &s.benchmark),
                config: s.config.clone(),
                point: s.speedup?,
                ci: s.speedup_lo.zip(s.speedup_hi),
            })
        })
        .collect()
}
