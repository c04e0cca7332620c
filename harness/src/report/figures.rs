//! Turns the analysed run into the plot descriptions of [`crate::plots`] and renders them into
//! `RUN_DIR/plots/`. Returns what was drawn so the HTML page can reference exactly the files
//! that exist.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;

use crate::plots::distribution::{DistributionPlot, Group};
use crate::plots::jitstats::{JitStat, JitStatsPlot, COUNTERS};
use crate::plots::speedup::{SpeedupPlot, SpeedupPoint};
use crate::plots::warmup::{Curve, Panel, WarmupPlot};
use crate::plots::{self, render};
use crate::stats::{self, ratio_ci, rng_for, Statistic, DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES};

use super::analysis::Analysed;
use super::data::{Key, Measure, Row};

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

/// Speedup of every non-reference config over the reference, per benchmark.
pub fn speedups(analysed: &BTreeMap<Key, Analysed>, layout: &Layout, seed: u64) -> Vec<(Key, stats::Estimate)> {
    let mut out = Vec::new();
    for (key, a) in analysed {
        if key.config == layout.reference {
            continue;
        }
        let reference = Key { config: layout.reference.clone(), ..key.clone() };
        let Some(r) = analysed.get(&reference) else { continue };
        let mut rng = rng_for(seed, &format!("speedup/{key}"));
        // Times: reference / config > 1 means the config is faster.
        let est = ratio_ci(&r.values(), &a.values(), Statistic::Median, DEFAULT_RESAMPLES, DEFAULT_CONFIDENCE, &mut rng);
        out.push((key.clone(), est));
    }
    out
}

/// Draws every figure into `plots_dir`.
pub fn draw_all(
    analysed: &BTreeMap<Key, Analysed>,
    rows: &[Row],
    speedup: &[(Key, stats::Estimate)],
    layout: &Layout,
    plots_dir: &Path,
) -> Result<Vec<Figure>> {
    std::fs::create_dir_all(plots_dir)?;
    let measure = Measure::Wall;
    let mut figures = Vec::new();

    if !speedup.is_empty() {
        let plot = SpeedupPlot {
            reference: layout.reference.clone(),
            benchmarks: layout.benchmarks.iter().map(|(s, b)| layout.label(s, b)).collect(),
            configs: layout.configs.iter().filter(|c| **c != layout.reference).cloned().collect(),
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
            caption: format!("Speedup over {} per benchmark (median of invocation values, 95% bootstrap CI).", layout.reference),
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
        let keys: Vec<(&String, &Analysed)> = layout
            .configs
            .iter()
            .filter_map(|c| {
                let key = Key { suite: suite.clone(), benchmark: bench.clone(), config: c.clone() };
                analysed.get(&key).map(|a| (c, a))
            })
            .collect();
        if keys.is_empty() {
            continue;
        }
        let scale = measure.scale();
        let warmup = WarmupPlot {
            title: format!("{label}: warm-up (iteration time per invocation)"),
            unit: measure.unit().into(),
            panels: keys
                .iter()
                .map(|(config, a)| Panel {
                    config: (*config).clone(),
                    class: a.class(),
                    curves: a
                        .invocations
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
            caption: format!("{label}: warm-up curves; triangles mark changepoints, shading the steady state."),
        });
        let dist = DistributionPlot {
            title: format!("{label}: steady-state iteration times per config"),
            unit: measure.unit().into(),
            groups: keys
                .iter()
                .map(|(config, a)| Group {
                    config: (*config).clone(),
                    iterations: a
                        .invocations
                        .iter()
                        .flat_map(|(inv, s)| inv.series[s.steady_start.min(inv.series.len())..].iter().map(|v| v * scale))
                        .collect(),
                    invocations: a.values().iter().map(|v| v * scale).collect(),
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
fn jit_stats(rows: &[Row], layout: &Layout) -> Option<JitStatsPlot> {
    // Per (key, invocation): totals of each counter over the invocation's ok rows.
    let mut totals: BTreeMap<(Key, u32), [Option<f64>; 4]> = BTreeMap::new();
    for row in rows.iter().filter(|r| r.status == "ok") {
        let slot = totals.entry((row.key(), row.invocation)).or_insert([None; 4]);
        for (c, (name, _, scale)) in COUNTERS.iter().enumerate() {
            if let Some(v) = row.extra(name) {
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
                if !xs.is_empty() {
                    *slot = Some(stats::median(&xs));
                }
            }
            JitStat { benchmark: layout.label(&key.suite, &key.benchmark), config: key.config, values }
        })
        .collect();
    Some(JitStatsPlot {
        benchmarks: layout.benchmarks.iter().map(|(s, b)| layout.label(s, b)).collect(),
        configs: layout.configs.clone(),
        stats,
    })
}

/// A file-name-safe version of `s`.
pub fn slug(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .collect()
}

/// Keeps `plots` referenced so that its font registration is linked even when no figure is
/// drawn (an empty run still gets a page).
pub fn ensure_font() {
    plots::register_font();
}
