//! JIT counters per benchmark and config: compile time, deopts, guard failures and OSR
//! entries, each the median over invocations of the per-invocation total (the counters are
//! per-iteration deltas in `results.csv`). Four panels of grouped horizontal bars.

use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::{category_label, colour, draw_legend, err, Plot, FONT_FAMILY};

/// The counters shown, with panel titles: (results.csv column, title, scale to display).
pub const COUNTERS: [(&str, &str, f64); 4] = [
    ("compile_ns", "compile time (ms)", 1e-6),
    ("deopts", "deopts", 1.0),
    ("guard_failures", "guard failures", 1.0),
    ("osr_entries", "OSR entries", 1.0),
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
    pub configs: Vec<String>,
    pub stats: Vec<JitStat>,
}

impl Plot for JitStatsPlot {
    fn size(&self) -> (u32, u32) {
        let rows = self.benchmarks.len().max(1) as u32;
        let panel = 70 + rows * (10 * self.configs.len().max(1) as u32 + 10);
        (1200, 40 + 2 * panel)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()> {
        let root = root
            .titled(
                "JIT counters per invocation (median over invocations)",
                (FONT_FAMILY, 20),
            )
            .map_err(err)?;
        let areas = root.split_evenly((2, 2));
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
        let n = self.benchmarks.len();
        let max = self
            .stats
            .iter()
            .filter_map(|s| s.values[counter])
            .fold(0.0f64, f64::max);
        // Headroom on the right keeps the legend of the first panel off the bars.
        let x_max = if max > 0.0 { max * 1.45 } else { 1.0 };
        let names: Vec<String> = self.benchmarks.iter().rev().cloned().collect();
        let mut chart = ChartBuilder::on(area)
            .caption(COUNTERS[counter].1, (FONT_FAMILY, 15))
            .margin(8)
            .x_label_area_size(28)
            .y_label_area_size(170)
            .build_cartesian_2d(0.0..x_max, -0.5..(n as f64 - 0.5))
            .map_err(err)?;
        chart
            .configure_mesh()
            .y_labels(2 * n.max(1) + 1)
            .y_label_formatter(&|v| category_label(&names, *v))
            .disable_y_mesh()
            .label_style((FONT_FAMILY, 11))
            .draw()
            .map_err(err)?;
        let m = self.configs.len().max(1);
        let band = 0.8 / m as f64;
        for (j, config) in self.configs.iter().enumerate() {
            let c = colour(j);
            let bars: Vec<Rectangle<(f64, f64)>> = self
                .stats
                .iter()
                .filter(|s| &s.config == config)
                .filter_map(|s| {
                    let i = self.benchmarks.iter().position(|b| b == &s.benchmark)?;
                    let v = s.values[counter]?;
                    let y = (n - 1 - i) as f64 - 0.4 + j as f64 * band;
                    Some(Rectangle::new([(0.0, y), (v, y + band * 0.9)], c.filled()))
                })
                .collect();
            chart
                .draw_series(bars)
                .map_err(err)?
                .label(config.clone())
                .legend(move |(x, y)| Rectangle::new([(x, y - 4), (x + 10, y + 4)], c.filled()));
        }
        if counter == 0 {
            draw_legend(&mut chart, SeriesLabelPosition::UpperRight, 11)?;
        }
        Ok(())
    }
}
