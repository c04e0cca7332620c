//! The trend plot of one benchmark × config over commits: the median of each run with its
//! confidence interval as an error bar, joined by a line, and each significant change (the
//! gate's test against the previous point) marked — a red upward triangle for a regression
//! (more time), a green downward one for an improvement — with the change in percent.

use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::trend::Point;
use crate::gate::compare::Verdict;
use crate::plots::key::{self, Item, Marker};
use crate::plots::{category_label, colour, err, padded, tick, Plot, FONT_FAMILY, GRID};

pub struct TrendPlot {
    pub title: String,
    /// One label per run of the history (short commit), oldest first.
    pub labels: Vec<String>,
    pub points: Vec<Point>,
    /// Unit of the y axis, and the factor from raw values to it.
    pub unit: &'static str,
    pub scale: f64,
    pub confidence: f64,
}

const REGRESSION: RGBColor = RGBColor(200, 0, 32);
const IMPROVEMENT: RGBColor = RGBColor(0, 140, 80);
const KEY_FONT: u32 = 13;

impl TrendPlot {
    fn width(&self) -> u32 {
        (240 + 70 * self.labels.len() as u32).clamp(640, 1400)
    }

    fn key(&self) -> Vec<Item> {
        let pct = (self.confidence * 100.0).round();
        vec![
            Item::new(Marker::Dot(colour(0).to_rgba()), "median"),
            Item::new(Marker::Line(colour(0).to_rgba(), 2), format!("{pct}% CI")),
            Item::new(
                Marker::Square(REGRESSION.to_rgba()),
                "regression vs the previous point",
            ),
            Item::new(Marker::Square(IMPROVEMENT.to_rgba()), "improvement"),
        ]
    }

    fn key_height(&self) -> u32 {
        key::lines_needed(&self.key(), self.width() - 16, KEY_FONT) * key::line_height(KEY_FONT) + 4
    }
}

impl Plot for TrendPlot {
    fn size(&self) -> (u32, u32) {
        (self.width(), 380 + self.key_height())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()> {
        let n = self.labels.len().max(1);
        let values: Vec<f64> = self
            .points
            .iter()
            .flat_map(|p| {
                let (lo, hi) =
                    p.ci.or(p.median.map(|m| (m, m)))
                        .unwrap_or((f64::NAN, f64::NAN));
                [lo, hi]
            })
            .filter(|v| v.is_finite())
            .map(|v| v * self.scale)
            .collect();
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = if lo.is_finite() {
            padded(lo, hi, 0.15)
        } else {
            (0.0, 1.0)
        };
        let root = root.titled(&self.title, (FONT_FAMILY, 18)).map_err(err)?;
        let (key_area, chart_area) = root.split_vertically(self.key_height());
        key::draw_key(&key_area, &self.key(), KEY_FONT)?;
        let mut chart = ChartBuilder::on(&chart_area)
            .margin(12)
            .margin_right(24)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(-0.5..(n as f64 - 0.5), lo..hi)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(n * 2 + 1)
            .x_label_formatter(&|v| category_label(&self.labels, *v))
            .disable_x_mesh()
            .x_desc("commit (oldest first)")
            .y_desc(format!("median ({})", self.unit))
            .y_label_formatter(&|v| tick(*v))
            .bold_line_style(GRID)
            .max_light_lines(0)
            .label_style((FONT_FAMILY, 12))
            .axis_desc_style((FONT_FAMILY, 13))
            .draw()
            .map_err(err)?;
        let c = colour(0);
        let line: Vec<(f64, f64)> = self
            .points
            .iter()
            .filter_map(|p| Some((p.index as f64, p.median? * self.scale)))
            .collect();
        chart
            .draw_series(LineSeries::new(line.clone(), c.mix(0.5).stroke_width(1)))
            .map_err(err)?;
        for p in &self.points {
            let Some(m) = p.median.map(|m| m * self.scale) else {
                continue;
            };
            let x = p.index as f64;
            if let Some((l, h)) = p.ci {
                chart
                    .draw_series([ErrorBar::new_vertical(
                        x,
                        l * self.scale,
                        m,
                        h * self.scale,
                        c.stroke_width(2),
                        8,
                    )])
                    .map_err(err)?;
            }
            chart
                .draw_series([Circle::new((x, m), 4, c.filled())])
                .map_err(err)?;
            let Some(change) = p.change.filter(|ch| super::trend::significant(ch.verdict)) else {
                continue;
            };
            let (ink, tip) = match change.verdict {
                Verdict::Regression => (REGRESSION, 1),
                _ => (IMPROVEMENT, -1),
            };
            // A triangle beside the point, pointing up for more time, down for less.
            let marker = EmptyElement::at((x, m))
                + Polygon::new(
                    vec![(12, -9 * tip), (6, 3 * tip), (18, 3 * tip)],
                    ink.filled(),
                )
                + Text::new(
                    format!("{:+.1}%", change.point * 100.0),
                    (22, -4),
                    TextStyle::from((FONT_FAMILY, 12).into_font())
                        .color(&ink)
                        .pos(Pos::new(HPos::Left, VPos::Center)),
                );
            chart.draw_series([marker]).map_err(err)?;
        }
        Ok(())
    }
}
