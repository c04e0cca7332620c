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
use crate::plots::warmup::{Curve, Panel, WarmupPlot};
use crate::stats::{
    self, classify_invocation, classify_invocations, Estimate, InvocationSteadyState,
};

use super::data::{key_of, unit, Invocation, Key, DISPLAY_SCALE};
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

/// Draws every figure into `plots_dir`.
pub fn draw_all(
    analysis: &RunAnalysis,
    series: &BTreeMap<Key, Vec<Invocation>>,
    rows: &[ResultRow],
    layout: &Layout,
    plots_dir: &Path,
) -> Result<Vec<Figure>> {
    std::fs::create_dir_all(plots_dir)?;
    let unit = unit(analysis.options.measure);
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
            points: speedup
                .iter()
                .map(|(k, e)| SpeedupPoint {
                    benchmark: layout.label(&k.suite, &k.benchmark),
                    config: k.config.clone(),
                    estimate: *e,
                })
                .collect(),
        };
        render(&plot, plots_dir, "speedup")?;
        figures.push(Figure {
            name: "speedup".into(),
            caption: format!(
                "Speedup over {} per benchmark (median of invocation values, 95% bootstrap CI).",
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

    for (suite, bench) in &layout.benchmarks {
        let label = layout.label(suite, bench);
        // Per config: each invocation's series with its steady-state analysis (the same
        // function `harness run` uses; recomputed because plots need the segments).
        let keys: Vec<(&String, Vec<(&Invocation, InvocationSteadyState)>)> = layout
            .configs
            .iter()
            .filter_map(|c| {
                let key = Key {
                    suite: suite.clone(),
                    benchmark: bench.clone(),
                    config: c.clone(),
                };
                let invs = series.get(&key)?;
                Some((
                    c,
                    invs.iter()
                        .map(|inv| (inv, classify_invocation(&inv.series)))
                        .collect(),
                ))
            })
            .collect();
        if keys.is_empty() {
            continue;
        }
        let scale = DISPLAY_SCALE;
        let warmup = WarmupPlot {
            title: format!("{label}: warm-up (iteration time per invocation)"),
            unit: unit.into(),
            panels: keys
                .iter()
                .map(|(config, invs)| Panel {
                    config: (*config).clone(),
                    class: classify_invocations(
                        &invs.iter().map(|(_, s)| s.class).collect::<Vec<_>>(),
                    ),
                    curves: invs
                        .iter()
                        .map(|(inv, s)| Curve {
                            invocation: inv.invocation,
                            series: inv.series.iter().map(|v| v * scale).collect(),
                            changepoints: s.changepoints.clone(),
                            steady_start: s.steady_start,
                        })
                        .collect(),
                })
                .collect(),
        };
        let slug = slug(&format!("{suite}-{bench}"));
        render(&warmup, plots_dir, &format!("warmup-{slug}"))?;
        figures.push(Figure {
            name: format!("warmup-{slug}"),
            caption: format!(
                "{label}: warm-up curves; triangles mark changepoints, shading the steady state."
            ),
        });
        let dist = DistributionPlot {
            title: format!("{label}: steady-state iteration times per config"),
            unit: unit.into(),
            groups: keys
                .iter()
                .map(|(config, invs)| Group {
                    config: (*config).clone(),
                    iterations: invs
                        .iter()
                        .flat_map(|(inv, s)| {
                            inv.series[s.steady_start.min(inv.series.len())..]
                                .iter()
                                .map(|v| v * scale)
                        })
                        .collect(),
                    invocations: invs.iter().map(|(_, s)| s.value * scale).collect(),
                })
                .collect(),
        };
        render(&dist, plots_dir, &format!("dist-{slug}"))?;
        figures.push(Figure {
            name: format!("dist-{slug}"),
            caption: format!("{label}: box = quartiles of steady-state iterations, dots = iterations, diamonds = invocation values."),
        });
    }
    Ok(figures)
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
        for (c, (_, _, scale)) in COUNTERS.iter().enumerate() {
            if let Some(v) = counters[c].map(|v| v as f64) {
                slot[c] = Some(slot[c].unwrap_or(0.0) + v * scale);
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

/// Speedup of every non-reference config over the reference, from the summary rows.
pub fn speedups(analysis: &RunAnalysis, layout: &Layout) -> Vec<(Key, Estimate)> {
    analysis
        .summary
        .iter()
        .filter(|s| s.config != layout.reference)
        .filter_map(|s| {
            let est = Estimate {
                point: s.speedup?,
                lower: s.speedup_lo?,
                upper: s.speedup_hi?,
                confidence: analysis.options.confidence,
            };
            let key = Key {
                suite: s.suite.clone(),
                benchmark: s.benchmark.clone(),
                config: s.config.clone(),
            };
            Some((key, est))
        })
        .collect()
}
