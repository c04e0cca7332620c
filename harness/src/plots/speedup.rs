//! Speedup of each config over the reference config, per benchmark, with the bootstrap CI of
//! the ratio as an error bar and the value written beside it. The speedup axis is
//! logarithmic (a 2x speedup and a 2x slowdown are the same distance from 1, which is how
//! ratios should be read) with grid lines only at the labelled 1-2-5 values. A filled dot
//! marks a speedup whose CI excludes 1 (a significant difference), an open one a CI that
//! includes 1 or is missing; the key above the chart says so.

use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::key::{self, Item, Marker};
use super::{category_label, colour, err, log_ticks, tick, Plot, FONT_FAMILY, GRID};

/// One point: config `config` of `benchmark` is `point` times as fast as the reference.
#[derive(Clone, Debug)]
pub struct SpeedupPoint {
    pub benchmark: String,
    pub config: String,
    pub point: f64,
    /// The confidence interval, when the run has enough invocations for one.
    pub ci: Option<(f64, f64)>,
}

impl SpeedupPoint {
    /// True if the CI excludes 1.
    pub fn significant(&self) -> bool {
        self.ci.is_some_and(|(lo, hi)| lo > 1.0 || hi < 1.0)
    }
}

pub struct SpeedupPlot {
    pub reference: String,
    pub benchmarks: Vec<String>,
    /// Every config of the run, reference included, so that a config has the same colour in
    /// every plot; the reference itself is not drawn.
    pub configs: Vec<String>,
    pub points: Vec<SpeedupPoint>,
    /// The confidence level of the intervals, e.g. 0.95.
    pub confidence: f64,
}

const WIDTH: u32 = 1100;
const KEY_FONT: u32 = 13;

impl SpeedupPlot {
    fn drawn(&self) -> Vec<(usize, &String)> {
        self.configs
            .iter()
            .enumerate()
            .filter(|(_, c)| **c != self.reference)
            .collect()
    }

    fn key(&self) -> Vec<Item> {
        let mut items: Vec<Item> = self
            .drawn()
            .into_iter()
            .map(|(i, c)| Item::new(Marker::Square(colour(i).to_rgba()), c.clone()))
            .collect();
        let ink = RGBColor(60, 60, 60).to_rgba();
        let pct = (self.confidence * 100.0).round();
        items.push(Item::new(
            Marker::Dot(ink),
            format!("{pct}% CI excludes 1 (significant)"),
        ));
        items.push(Item::new(Marker::Ring(ink), "CI includes 1, or no CI"));
        items.push(Item::new(Marker::Line(ink, 2), format!("{pct}% CI")));
        items
    }

    fn key_height(&self) -> u32 {
        key::lines_needed(&self.key(), WIDTH - 16, KEY_FONT) * key::line_height(KEY_FONT) + 4
    }
}

impl Plot for SpeedupPlot {
    fn size(&self) -> (u32, u32) {
        let rows = self.benchmarks.len().max(1) as u32;
        let per_config = 18 * self.drawn().len().max(1) as u32;
        (WIDTH, 120 + self.key_height() + rows * (per_config + 14))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()> {
        let n = self.benchmarks.len();
        let (mut lo, mut hi) = (1.0f64, 1.0f64);
        for p in &self.points {
            let (l, h) = p.ci.unwrap_or((p.point, p.point));
            if l > 0.0 && h.is_finite() {
                lo = lo.min(l);
                hi = hi.max(h);
            }
        }
        // Room on the right for the value labels.
        let (lo, hi) = (lo / 1.25, hi * 1.6);
        let root = root
            .titled(
                &format!("Speedup over {} (higher is faster)", self.reference),
                (FONT_FAMILY, 20),
            )
            .map_err(err)?;
        let (key_area, chart_area) = root.split_vertically(self.key_height());
        key::draw_key(&key_area, &self.key(), KEY_FONT)?;
        // Benchmarks top to bottom in the given order: row i sits at y = n - 1 - i.
        let names: Vec<String> = self.benchmarks.iter().rev().cloned().collect();
        let mut chart = ChartBuilder::on(&chart_area)
            .margin(12)
            .margin_right(24)
            .x_label_area_size(44)
            .y_label_area_size(200)
            .build_cartesian_2d(
                (lo..hi).log_scale().with_key_points(log_ticks(lo, hi)),
                -0.5..(n as f64 - 0.5),
            )
            .map_err(err)?;
        chart
            .configure_mesh()
            .y_labels(n.max(1) * 2 + 1)
            .y_label_formatter(&|v| category_label(&names, *v))
            .disable_y_mesh()
            .x_desc(format!(
                "speedup: time under {} / time under the config (log scale)",
                self.reference
            ))
            .x_label_formatter(&|v| format!("{}x", tick(*v)))
            .bold_line_style(GRID)
            .max_light_lines(0)
            .label_style((FONT_FAMILY, 13))
            .axis_desc_style((FONT_FAMILY, 13))
            .draw()
            .map_err(err)?;
        // The line of no change.
        chart
            .draw_series(LineSeries::new(
                [(1.0, -0.5), (1.0, n as f64 - 0.5)],
                BLACK.mix(0.6).stroke_width(1),
            ))
            .map_err(err)?;

        let drawn = self.drawn();
        let m = drawn.len().max(1);
        let text_ink = BLACK.mix(0.8);
        let label = TextStyle::from((FONT_FAMILY, 11).into_font())
            .color(&text_ink)
            .pos(Pos::new(HPos::Left, VPos::Center));
        for (j, (colour_index, config)) in drawn.into_iter().enumerate() {
            let c = colour(colour_index);
            // First config on top within a benchmark's band, as in the key.
            let offset = ((m as f64 - 1.0) / 2.0 - j as f64) * (0.7 / m as f64);
            for p in self
                .points
                .iter()
                .filter(|p| &p.config == config && p.point > 0.0)
            {
                let Some(i) = self.benchmarks.iter().position(|b| b == &p.benchmark) else {
                    continue;
                };
                let y = (n - 1 - i) as f64 + offset;
                let mut right = p.point;
                if let Some((l, h)) = p.ci {
                    chart
                        .draw_series([ErrorBar::new_horizontal(
                            y,
                            l.max(lo),
                            p.point,
                            h.min(hi),
                            c.stroke_width(2),
                            6,
                        )])
                        .map_err(err)?;
                    right = h.min(hi);
                }
                let dot = if p.significant() {
                    Circle::new((p.point, y), 5, c.filled())
                } else {
                    Circle::new((p.point, y), 5, WHITE.filled())
                };
                chart.draw_series([dot]).map_err(err)?;
                if !p.significant() {
                    chart
                        .draw_series([Circle::new((p.point, y), 5, c.stroke_width(2))])
                        .map_err(err)?;
                }
                chart
                    .draw_series([EmptyElement::at((right, y))
                        + Text::new(format!("{:.2}x", p.point), (8, 0), label.clone())])
                    .map_err(err)?;
            }
        }
        Ok(())
    }
}
