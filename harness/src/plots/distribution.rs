//! Distribution of one benchmark's times per config: every steady-state iteration as a
//! jittered dot, a box from the first to the third quartile with the median, and the
//! invocation values (the statistical unit) as larger diamonds. Showing the raw points next
//! to the summary lets a reader spot bimodality that a box alone would hide.

use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::stats::quantile;

use super::{category_label, colour, err, padded, Plot, FONT_FAMILY};

/// One config's data (display units).
#[derive(Clone, Debug)]
pub struct Group {
    pub config: String,
    /// Steady-state iterations of every invocation.
    pub iterations: Vec<f64>,
    /// One value per invocation.
    pub invocations: Vec<f64>,
}

pub struct DistributionPlot {
    pub title: String,
    pub unit: String,
    pub groups: Vec<Group>,
}

impl Plot for DistributionPlot {
    fn size(&self) -> (u32, u32) {
        (1000, 360)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()> {
        let all = self
            .groups
            .iter()
            .flat_map(|g| g.iterations.iter().chain(&g.invocations));
        let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(*v), h.max(*v))
        });
        if !lo.is_finite() {
            return Ok(());
        }
        let (lo, hi) = padded(lo, hi, 0.08);
        let names: Vec<String> = self.groups.iter().map(|g| g.config.clone()).collect();
        let n = names.len().max(1);
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, (FONT_FAMILY, 18))
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(70)
            .build_cartesian_2d(-0.5..(n as f64 - 0.5), lo.max(0.0)..hi)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(2 * n + 1)
            .x_label_formatter(&|v| category_label(&names, *v))
            .disable_x_mesh()
            .y_desc(&self.unit)
            .label_style((FONT_FAMILY, 13))
            .draw()
            .map_err(err)?;

        for (i, group) in self.groups.iter().enumerate() {
            let c = colour(i);
            let x = i as f64;
            let quartile = |q| quantile(&group.iterations, q);
            let (Some(q1), Some(q2), Some(q3)) = (quartile(0.25), quartile(0.5), quartile(0.75))
            else {
                continue; // no iterations
            };
            chart
                .draw_series([
                    Rectangle::new([(x - 0.25, q1), (x + 0.25, q3)], c.mix(0.2).filled()),
                    Rectangle::new([(x - 0.25, q1), (x + 0.25, q3)], c.stroke_width(1)),
                ])
                .map_err(err)?;
            chart
                .draw_series(LineSeries::new(
                    [(x - 0.25, q2), (x + 0.25, q2)],
                    c.stroke_width(3),
                ))
                .map_err(err)?;
            // Deterministic jitter (a low-discrepancy sequence), so re-rendering a report
            // gives the same picture.
            chart
                .draw_series(group.iterations.iter().enumerate().map(|(k, v)| {
                    let jitter = ((k as f64 * 0.618_033_988_75).fract() - 0.5) * 0.4;
                    Circle::new((x + jitter, *v), 2, c.mix(0.6).filled())
                }))
                .map_err(err)?;
            chart
                .draw_series(group.invocations.iter().map(|v| {
                    Polygon::new(
                        diamond(x + 0.33, *v, 0.04, (hi - lo) * 0.012),
                        BLACK.mix(0.8).filled(),
                    )
                }))
                .map_err(err)?;
        }
        Ok(())
    }
}

fn diamond(x: f64, y: f64, dx: f64, dy: f64) -> Vec<(f64, f64)> {
    vec![(x - dx, y), (x, y + dy), (x + dx, y), (x, y - dy)]
}
