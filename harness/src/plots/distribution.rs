//! Distribution of one benchmark's (or one micro-benchmark group's) steady-state times per
//! config: every steady-state iteration as a jittered dot, a box from the first to the third
//! quartile with the median, and the invocation values (the statistical unit) as diamonds.
//! Showing the raw points next to the summary lets a reader spot bimodality that a box alone
//! would hide. A key above the chart explains every mark.
//!
//! When the configs' medians differ by more than five times (interpreter vs JIT), the value
//! axis is logarithmic, so the fast configs are not slivers at zero; otherwise it is linear
//! from zero, so the spread reads relative to the value.

use anyhow::Result;
use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::key::{self, diamond, Item, Marker};
use super::{category_label, colour, err, log_ticks, tick, wants_log_axis, Plot};
use super::{FONT_FAMILY, GRID};
use crate::exec::Measure;
use crate::stats::{median, quantile};
use crate::units::{self, unit_for_all, Unit};

/// One config's data (in the measure's base unit).
#[derive(Clone, Debug)]
pub struct Group {
    pub config: String,
    /// Palette index of the config.
    pub colour: usize,
    /// Steady-state iterations of every invocation.
    pub iterations: Vec<f64>,
    /// One value per invocation.
    pub invocations: Vec<f64>,
}

pub struct DistributionPlot {
    pub title: String,
    pub measure: Measure,
    /// What one dot is, for the key ("steady-state iteration", "criterion sample").
    pub dot_meaning: String,
    /// The value axis title without its unit ("steady-state time", "time per iteration").
    pub value_name: String,
    pub groups: Vec<Group>,
}

const KEY_FONT: u32 = 13;
const WIDTH: u32 = 1000;

impl DistributionPlot {
    fn has_invocations(&self) -> bool {
        self.groups.iter().any(|g| !g.invocations.is_empty())
    }

    fn key(&self) -> Vec<Item> {
        let ink = RGBColor(90, 90, 90).to_rgba();
        let mut items = vec![
            Item::new(Marker::Dot(ink), self.dot_meaning.clone()),
            Item::new(Marker::Band(ink, 0.35), "box: middle half of the dots"),
        ];
        if self.has_invocations() {
            items.push(Item::new(Marker::Line(ink, 3), "median of the dots"));
            items.push(Item::new(
                Marker::Diamond(BLACK.mix(0.8)),
                "invocation value (label: their median)",
            ));
        } else {
            items.push(Item::new(
                Marker::Line(ink, 3),
                "median of the dots (label: its value)",
            ));
        }
        items
    }

    fn width(&self) -> u32 {
        WIDTH.max(180 * self.groups.len() as u32 + 100)
    }

    fn key_height(&self) -> u32 {
        key::lines_needed(&self.key(), self.width() - 16, KEY_FONT) * key::line_height(KEY_FONT) + 4
    }

    /// True if the value axis is logarithmic (see the module header).
    pub fn log_axis(&self) -> bool {
        let medians: Vec<f64> = self
            .groups
            .iter()
            .filter_map(|g| median(&g.iterations))
            .collect();
        let lo = medians.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = medians.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        wants_log_axis(lo, hi)
    }
}

impl Plot for DistributionPlot {
    fn size(&self) -> (u32, u32) {
        (self.width(), 400 + self.key_height())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()> {
        let values: Vec<f64> = self
            .groups
            .iter()
            .flat_map(|g| g.iterations.iter().chain(&g.invocations))
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        if values.is_empty() {
            return Ok(());
        }
        // A log axis spans decades: the unit of the median value. A linear axis starts at
        // zero: the unit of its top, so tick labels stay below 1000.
        let unit = if self.log_axis() {
            unit_for_all(&values, self.measure)
        } else {
            let top = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            units::unit_for(top, self.measure)
        };
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min) * unit.scale;
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max) * unit.scale;
        let names: Vec<String> = self
            .groups
            .iter()
            .map(
                |g| match median(&g.invocations).or_else(|| median(&g.iterations)) {
                    None => g.config.clone(),
                    Some(m) => format!("{}: {}", g.config, units::format(m, self.measure)),
                },
            )
            .collect();
        let n = names.len().max(1);
        let log = self.log_axis() && lo > 0.0;
        let root = root.titled(&self.title, (FONT_FAMILY, 18)).map_err(err)?;
        let (key_area, chart_area) = root.split_vertically(self.key_height());
        key::draw_key(&key_area, &self.key(), KEY_FONT)?;
        let x_range = -0.5..(n as f64 - 0.5);
        let y_desc = format!(
            "{} ({}{})",
            self.value_name,
            unit.name,
            if log { ", log scale" } else { "" }
        );
        let mut builder = ChartBuilder::on(&chart_area);
        builder
            .margin(10)
            .margin_right(20)
            .x_label_area_size(32)
            .y_label_area_size(72);
        if log {
            let range = (lo / 1.2)..(hi * 1.2);
            let ticks = log_ticks(range.start, range.end);
            let mut chart = builder
                .build_cartesian_2d(x_range, range.log_scale().with_key_points(ticks))
                .map_err(err)?;
            chart
                .configure_mesh()
                .x_labels(2 * n + 1)
                .x_label_formatter(&|v| category_label(&names, *v))
                .y_label_formatter(&|v| tick(*v))
                .disable_x_mesh()
                .bold_line_style(GRID)
                .max_light_lines(0)
                .y_desc(y_desc)
                .label_style((FONT_FAMILY, 13))
                .axis_desc_style((FONT_FAMILY, 13))
                .draw()
                .map_err(err)?;
            self.draw_groups(&mut chart, unit)
        } else {
            let mut chart = builder
                .build_cartesian_2d(x_range, 0.0..(hi * 1.08).max(1e-9))
                .map_err(err)?;
            chart
                .configure_mesh()
                .x_labels(2 * n + 1)
                .x_label_formatter(&|v| category_label(&names, *v))
                .y_label_formatter(&|v| tick(*v))
                .disable_x_mesh()
                .bold_line_style(GRID)
                .max_light_lines(0)
                .y_desc(y_desc)
                .label_style((FONT_FAMILY, 13))
                .axis_desc_style((FONT_FAMILY, 13))
                .draw()
                .map_err(err)?;
            self.draw_groups(&mut chart, unit)
        }
    }
}

impl DistributionPlot {
    fn draw_groups<DB: DrawingBackend, Y: Ranged<ValueType = f64>>(
        &self,
        chart: &mut ChartContext<DB, Cartesian2d<RangedCoordf64, Y>>,
        unit: Unit,
    ) -> Result<()> {
        for (i, group) in self.groups.iter().enumerate() {
            let c = colour(group.colour);
            let x = i as f64;
            let scaled: Vec<f64> = group.iterations.iter().map(|v| v * unit.scale).collect();
            let quartile = |q| quantile(&scaled, q);
            if let (Some(q1), Some(q2), Some(q3)) = (quartile(0.25), quartile(0.5), quartile(0.75))
            {
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
                // Deterministic jitter (a low-discrepancy sequence), so re-rendering a
                // report gives the same picture.
                chart
                    .draw_series(scaled.iter().enumerate().map(|(k, v)| {
                        let jitter = ((k as f64 * 0.618_033_988_75).fract() - 0.5) * 0.4;
                        Circle::new((x + jitter, *v), 2, c.mix(0.6).filled())
                    }))
                    .map_err(err)?;
            }
            chart
                .draw_series(group.invocations.iter().map(|v| {
                    EmptyElement::at((x + 0.33, v * unit.scale))
                        + Polygon::new(diamond((0, 0), 6), BLACK.mix(0.8).filled())
                }))
                .map_err(err)?;
        }
        Ok(())
    }
}
