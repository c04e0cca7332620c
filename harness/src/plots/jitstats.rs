//! JIT counters per benchmark and config: compile time, deopts, guard failures and OSR
//! entries, each the median over invocations of the per-invocation total (the counters are
//! per-iteration deltas in `results.csv`). One panel per counter, grouped horizontal bars
//! with the value written at the end of each bar; the key above the panels names the configs
//! (configs that never recorded a non-zero counter, such as the interpreter, are left out).

use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::key::{self, Item, Marker};
use super::{category_label, colour, err, tick, value_label, Plot, FONT_FAMILY, GRID};

/// A counter shown in one panel.
#[derive(Clone, Copy, Debug)]
pub struct Counter {
    /// The `results.csv` column.
    pub column: &'static str,
    pub title: &'static str,
    /// The value axis title, with its unit.
    pub axis: &'static str,
    /// Raw value to display value.
    pub scale: f64,
    /// Whole counts (integer ticks) rather than a measure.
    pub count: bool,
}

/// The counters shown, in panel order.
pub const COUNTERS: [Counter; 4] = [
    Counter {
        column: "compile_ns",
        title: "compile time",
        axis: "milliseconds per invocation",
        scale: 1e-6,
        count: false,
    },
    Counter {
        column: "deopts",
        title: "deoptimizations",
        axis: "deopts per invocation",
        scale: 1.0,
        count: true,
    },
    Counter {
        column: "guard_failures",
        title: "guard failures",
        axis: "guard failures per invocation",
        scale: 1.0,
        count: true,
    },
    Counter {
        column: "osr_entries",
        title: "on-stack replacement",
        axis: "OSR entries per invocation",
        scale: 1.0,
        count: true,
    },
];

/// Median per-invocation totals of one benchmark × config, in [`COUNTERS`] order (display
/// units); `None` where the column was not recorded.
#[derive(Clone, Debug)]
pub struct JitStat {
    pub benchmark: String,
    pub config: String,
    pub values: [Option<f64>; 4],
}

pub struct JitStatsPlot {
    pub benchmarks: Vec<String>,
    /// Every config of the run (fixes the colours); only those with data are drawn.
    pub configs: Vec<String>,
    pub stats: Vec<JitStat>,
}

const WIDTH: u32 = 1200;
const KEY_FONT: u32 = 13;

impl JitStatsPlot {
    /// Configs with at least one non-zero counter, with their palette index.
    fn drawn(&self) -> Vec<(usize, &String)> {
        self.configs
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                self.stats
                    .iter()
                    .any(|s| &s.config == *c && s.values.iter().flatten().any(|v| *v > 0.0))
            })
            .collect()
    }

    fn key(&self) -> Vec<Item> {
        self.drawn()
            .into_iter()
            .map(|(i, c)| Item::new(Marker::Square(colour(i).to_rgba()), c.clone()))
            .collect()
    }

    fn key_height(&self) -> u32 {
        key::lines_needed(&self.key(), WIDTH - 16, KEY_FONT) * key::line_height(KEY_FONT) + 4
    }
}

impl Plot for JitStatsPlot {
    fn size(&self) -> (u32, u32) {
        let rows = self.benchmarks.len().max(1) as u32;
        let panel = 90 + rows * (11 * self.drawn().len().max(1) as u32 + 10);
        (WIDTH, 40 + self.key_height() + 2 * panel)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()> {
        let root = root
            .titled(
                "JIT counters per invocation (median over invocations)",
                (FONT_FAMILY, 20),
            )
            .map_err(err)?;
        let (key_area, panels) = root.split_vertically(self.key_height());
        key::draw_key(&key_area, &self.key(), KEY_FONT)?;
        let areas = panels.split_evenly((2, 2));
        for (c, area) in areas.iter().enumerate() {
            self.draw_counter(c, area)?;
        }
        Ok(())
    }
}

impl JitStatsPlot {
    fn draw_counter<DB: DrawingBackend>(
        &self,
        counter: usize,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<()> {
        let spec = COUNTERS[counter];
        let n = self.benchmarks.len();
        let max = self
            .stats
            .iter()
            .filter_map(|s| s.values[counter])
            .fold(0.0f64, f64::max);
        // Room on the right for the value labels; at least a few whole counts.
        let x_max = match (max > 0.0, spec.count) {
            (true, _) => max * 1.2,
            (false, true) => 4.0,
            (false, false) => 1.0,
        };
        let names: Vec<String> = self.benchmarks.iter().rev().cloned().collect();
        let mut chart = ChartBuilder::on(area)
            .caption(spec.title, (FONT_FAMILY, 15))
            .margin(8)
            .margin_right(20)
            .x_label_area_size(40)
            .y_label_area_size(170)
            .build_cartesian_2d(0.0..x_max, -0.5..(n as f64 - 0.5))
            .map_err(err)?;
        let count = spec.count;
        chart
            .configure_mesh()
            .y_labels(2 * n.max(1) + 1)
            .y_label_formatter(&|v| category_label(&names, *v))
            .x_labels(6)
            .x_label_formatter(&|v| match count && v.fract().abs() > 1e-9 {
                true => String::new(),
                false => tick(*v),
            })
            .x_desc(spec.axis)
            .disable_y_mesh()
            .bold_line_style(GRID)
            .max_light_lines(0)
            .label_style((FONT_FAMILY, 11))
            .axis_desc_style((FONT_FAMILY, 12))
            .draw()
            .map_err(err)?;
        let drawn = self.drawn();
        let m = drawn.len().max(1);
        let band = 0.8 / m as f64;
        let text_ink = BLACK.mix(0.75);
        let label = TextStyle::from((FONT_FAMILY, 10).into_font())
            .color(&text_ink)
            .pos(Pos::new(HPos::Left, VPos::Center));
        for (j, (colour_index, config)) in drawn.into_iter().enumerate() {
            let c = colour(colour_index);
            for s in self.stats.iter().filter(|s| &s.config == config) {
                let (Some(i), Some(v)) = (
                    self.benchmarks.iter().position(|b| b == &s.benchmark),
                    s.values[counter],
                ) else {
                    continue;
                };
                // First config on top within a benchmark's band, as in the key.
                let y = (n - 1 - i) as f64 + 0.4 - (j + 1) as f64 * band;
                chart
                    .draw_series([Rectangle::new([(0.0, y), (v, y + band * 0.9)], c.filled())])
                    .map_err(err)?;
                if v > 0.0 {
                    chart
                        .draw_series([EmptyElement::at((v, y + band * 0.45))
                            + Text::new(value_label(v), (4, 0), label.clone())])
                        .map_err(err)?;
                }
            }
        }
        Ok(())
    }
}
