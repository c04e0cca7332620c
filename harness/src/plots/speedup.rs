//! Speedup of each config over the reference config, per benchmark, with the bootstrap CI of
//! the ratio as an error bar. The speedup axis is logarithmic: a 2x speedup and a 2x slowdown
//! are the same distance from 1, which is how ratios should be read.

use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::stats::Estimate;

use super::{category_label, colour, draw_legend, err, Plot, FONT_FAMILY};

/// One point: config `config` of `benchmark` is `estimate` times faster than the reference.
#[derive(Clone, Debug)]
pub struct SpeedupPoint {
    pub benchmark: String,
    pub config: String,
    pub estimate: Estimate,
}

pub struct SpeedupPlot {
    pub reference: String,
    pub benchmarks: Vec<String>,
    /// Every config of the run, reference included, so that a config has the same colour in
    /// every plot; the reference itself is not drawn.
    pub configs: Vec<String>,
    pub points: Vec<SpeedupPoint>,
}

impl Plot for SpeedupPlot {
    fn size(&self) -> (u32, u32) {
        let rows = self.benchmarks.len().max(1) as u32;
        (
            1100,
            140 + rows * (18 * self.configs.len().max(1) as u32 + 14),
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()> {
        let n = self.benchmarks.len();
        let finite = self
            .points
            .iter()
            .map(|p| p.estimate)
            .filter(|e| e.lower > 0.0 && e.upper.is_finite());
        let (mut lo, mut hi) = (1.0f64, 1.0f64);
        for e in finite {
            lo = lo.min(e.lower);
            hi = hi.max(e.upper);
        }
        let (lo, hi) = (lo / 1.25, hi * 1.25);
        // Benchmarks top to bottom in the given order: row i sits at y = n - 1 - i.
        let names: Vec<String> = self.benchmarks.iter().rev().cloned().collect();
        let mut chart = ChartBuilder::on(root)
            .caption(
                format!(
                    "Speedup over {} (higher is faster; 95% bootstrap CI)",
                    self.reference
                ),
                (FONT_FAMILY, 20),
            )
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(200)
            .build_cartesian_2d((lo..hi).log_scale(), -0.5..(n as f64 - 0.5))
            .map_err(err)?;
        chart
            .configure_mesh()
            .y_labels(n.max(1) * 2 + 1)
            .y_label_formatter(&|v| category_label(&names, *v))
            .disable_y_mesh()
            .x_desc(format!("speedup vs {} (log scale)", self.reference))
            .x_labels(20)
            .x_label_formatter(&|v| log_label(*v))
            .label_style((FONT_FAMILY, 13))
            .draw()
            .map_err(err)?;
        // The line of no change.
        chart
            .draw_series(LineSeries::new(
                [(1.0, -0.5), (1.0, n as f64 - 0.5)],
                BLACK.mix(0.5),
            ))
            .map_err(err)?;

        let drawn: Vec<(usize, &String)> = self
            .configs
            .iter()
            .enumerate()
            .filter(|(_, c)| **c != self.reference)
            .collect();
        let m = drawn.len().max(1);
        for (j, (colour_index, config)) in drawn.into_iter().enumerate() {
            let c = colour(colour_index);
            // First config on top within a benchmark's band, as in the legend.
            let offset = ((m as f64 - 1.0) / 2.0 - j as f64) * (0.7 / m as f64);
            let rows: Vec<(f64, Estimate)> = self
                .points
                .iter()
                .filter(|p| &p.config == config && p.estimate.point > 0.0)
                .filter_map(|p| {
                    let i = self.benchmarks.iter().position(|b| b == &p.benchmark)?;
                    Some(((n - 1 - i) as f64 + offset, p.estimate))
                })
                .collect();
            chart
                .draw_series(rows.iter().map(|(y, e)| {
                    ErrorBar::new_horizontal(
                        *y,
                        e.lower.max(lo),
                        e.point,
                        e.upper.min(hi),
                        c.stroke_width(2),
                        6,
                    )
                }))
                .map_err(err)?
                .label(config.clone())
                .legend(move |(x, y)| Circle::new((x + 8, y), 4, c.filled()));
            chart
                .draw_series(
                    rows.iter()
                        .map(|(y, e)| Circle::new((e.point, *y), 4, c.filled())),
                )
                .map_err(err)?;
        }
        draw_legend(&mut chart, SeriesLabelPosition::LowerRight, 13)?;
        Ok(())
    }
}

/// Labels only 1, 2 and 5 times a power of ten: on a log axis plotters offers a key point at
/// every integer multiple, and their labels collide at the top of each decade.
fn log_label(v: f64) -> String {
    let mantissa = v / 10f64.powf(v.log10().floor());
    if [1.0, 2.0, 5.0].iter().any(|m| (mantissa - m).abs() < 1e-6) {
        if v < 1.0 {
            format!("{v:.2}x")
        } else {
            format!("{v}x")
        }
    } else {
        String::new()
    }
}
