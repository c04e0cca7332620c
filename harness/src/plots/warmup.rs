//! Warm-up of one benchmark as small multiples: one panel per config, iteration time against
//! iteration number. Each invocation is a thin line and the median across invocations a bold
//! one (drawn while at least half the invocations still run); the steady state (from the median first steady iteration on) is one shaded band with
//! the steady-state value dashed across it; under each panel three lanes mark the iterations
//! in which the JIT compiled, entered compiled code by OSR, or deoptimized. A reader sees at a
//! glance whether the value the statistics use is the settled part of the series and which
//! engine event caused a slow iteration (Barrett et al. 2017 draw run-sequence plots alike;
//! small multiples after Tufte, "The Visual Display of Quantitative Information").
//!
//! Axes start at zero, so noise looks as big as it is. An iteration far above the others
//! (more than [`CLIP_FACTOR`] × the 90th percentile, typically a compile) is clipped to the
//! top edge and marked, with the largest value named in the panel title.

use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::key::{self, diamond, Item, Marker};
use super::{category_label, colour, err, tick, Plot, FONT_FAMILY, GRID};
use crate::exec::Measure;
use crate::stats::{median, quantile};
use crate::units;

/// Engine events of one iteration (counts; zero when none or not recorded).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Events {
    pub compiles: u64,
    pub osr_entries: u64,
    pub deopts: u64,
}

/// One invocation's series (in the measure's base unit) with its steady-state start and the
/// engine events of each iteration (`events[i]` belongs to `series[i]`; may be shorter).
#[derive(Clone, Debug)]
pub struct Curve {
    pub invocation: u32,
    pub series: Vec<f64>,
    pub steady_start: usize,
    pub events: Vec<Events>,
}

/// One config's panel.
#[derive(Clone, Debug)]
pub struct Panel {
    pub config: String,
    /// Palette index of the config (the same colour in every plot of a report).
    pub colour: usize,
    /// The panel's heading after the config name, e.g. "warmup (5 of 5 invocations)".
    pub class: String,
    pub curves: Vec<Curve>,
    /// The steady-state value of the summary (median of the invocation values).
    pub level: Option<f64>,
}

pub struct WarmupPlot {
    pub title: String,
    pub measure: Measure,
    pub panels: Vec<Panel>,
}

/// Values above this many times the 90th percentile are clipped.
pub const CLIP_FACTOR: f64 = 2.5;

const WIDTH: u32 = 1100;
const PANEL_HEIGHT: u32 = 330;
const EVENT_STRIP: u32 = 104;
const TITLE: u32 = 34;
const KEY_FONT: u32 = 13;

impl WarmupPlot {
    fn columns(&self) -> usize {
        if self.panels.len() > 1 {
            2
        } else {
            1
        }
    }

    fn key(&self) -> Vec<Item> {
        let ink = RGBColor(90, 90, 90).to_rgba();
        vec![
            Item::new(Marker::Line(ink, 1), "one invocation"),
            Item::new(
                Marker::Line(ink, 3),
                "median of invocations (while half or more run)",
            ),
            Item::new(Marker::Band(BLACK.to_rgba(), 0.10), "steady state"),
            Item::new(Marker::Dashed(ink), "steady-state value"),
            Item::new(Marker::TriangleUp(ink), "clipped (value in title)"),
            Item::new(Marker::TriangleDown(ink), "compile"),
            Item::new(Marker::Diamond(ink), "OSR entry"),
            Item::new(Marker::Cross(ink), "deopt"),
            Item::new(
                Marker::Square(RGBAColor(90, 90, 90, 0.35)),
                "paler event: in fewer of the invocations",
            ),
        ]
    }

    fn key_height(&self) -> u32 {
        key::lines_needed(&self.key(), WIDTH - 16, KEY_FONT) * key::line_height(KEY_FONT) + 6
    }
}

impl Plot for WarmupPlot {
    fn size(&self) -> (u32, u32) {
        let rows = self.panels.len().max(1).div_ceil(self.columns()) as u32;
        (WIDTH, TITLE + self.key_height() + rows * PANEL_HEIGHT)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()> {
        let root = root.titled(&self.title, (FONT_FAMILY, 20)).map_err(err)?;
        let (key_area, panels) = root.split_vertically(self.key_height());
        key::draw_key(&key_area, &self.key(), KEY_FONT)?;
        let columns = self.columns();
        let rows = self.panels.len().max(1).div_ceil(columns);
        let areas = panels.split_evenly((rows, columns));
        for (panel, area) in self.panels.iter().zip(areas.iter()) {
            draw_panel(panel, self.measure, area)?;
        }
        Ok(())
    }
}

fn draw_panel<DB: DrawingBackend>(
    panel: &Panel,
    measure: Measure,
    area: &DrawingArea<DB, Shift>,
) -> Result<()> {
    let all: Vec<f64> = panel
        .curves
        .iter()
        .flat_map(|c| c.series.iter().copied())
        .filter(|v| v.is_finite())
        .collect();
    if all.is_empty() {
        return Ok(());
    }
    let max = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let robust = quantile(&all, 0.9).unwrap_or(max);
    let clip = (max > CLIP_FACTOR * robust && robust > 0.0).then_some(CLIP_FACTOR * robust);
    // The unit of the axis top, so tick labels stay below 1000 (`15 ms`, not `15000 µs`)
    // on an axis that starts at zero.
    let unit = units::unit_for(clip.unwrap_or(max) * 1.08, measure);
    let scaled = |v: f64| v * unit.scale;
    let top = scaled(clip.unwrap_or(max)) * 1.08;
    let top = if top > 0.0 { top } else { 1.0 };
    let len = panel
        .curves
        .iter()
        .map(|c| c.series.len())
        .max()
        .unwrap_or(1);
    let x_range = -0.5..(len as f64 - 0.5);
    let x_ticks = len.clamp(2, 12);
    let c = colour(panel.colour);

    let mut heading = format!("{} — {}", panel.config, panel.class);
    if clip.is_some() {
        heading.push_str(&format!("; clipped, max {}", units::format(max, measure)));
    }
    let (main, strip) = area.split_vertically(area.dim_in_pixel().1 - EVENT_STRIP);
    let mut chart = ChartBuilder::on(&main)
        .caption(heading, (FONT_FAMILY, 15))
        .margin_left(8)
        .margin_right(16)
        .margin_top(6)
        .x_label_area_size(0)
        .y_label_area_size(72)
        .build_cartesian_2d(x_range.clone(), 0.0..top)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_labels(x_ticks)
        .y_labels(6)
        .y_desc(format!("iteration time ({})", unit.name))
        .y_label_formatter(&|v| tick(*v))
        .bold_line_style(GRID)
        .max_light_lines(0)
        .label_style((FONT_FAMILY, 12))
        .axis_desc_style((FONT_FAMILY, 13))
        .draw()
        .map_err(err)?;

    // The steady state: from the median first steady iteration to the end.
    let starts: Vec<f64> = panel.curves.iter().map(|c| c.steady_start as f64).collect();
    let start = median(&starts).unwrap_or(0.0).round();
    chart
        .draw_series([Rectangle::new(
            [(start - 0.5, 0.0), (len as f64 - 0.5, top)],
            BLACK.mix(0.07).filled(),
        )])
        .map_err(err)?;
    let clamp = |v: f64| scaled(v).min(top);
    for curve in &panel.curves {
        let points = curve
            .series
            .iter()
            .enumerate()
            .map(|(x, y)| (x as f64, clamp(*y)));
        chart
            .draw_series(LineSeries::new(points, c.mix(0.45).stroke_width(1)))
            .map_err(err)?;
    }
    let medians: Vec<(f64, f64)> = median_curve(&panel.curves)
        .into_iter()
        .map(|(i, m)| (i as f64, clamp(m)))
        .collect();
    chart
        .draw_series(LineSeries::new(medians.clone(), c.stroke_width(3)))
        .map_err(err)?;
    if let Some(level) = panel.level {
        chart
            .draw_series(DashedLineSeries::new(
                [
                    (start - 0.5, clamp(level)),
                    (len as f64 - 0.5, clamp(level)),
                ],
                6,
                4,
                BLACK.mix(0.7).stroke_width(2),
            ))
            .map_err(err)?;
    }
    if let Some(limit) = clip {
        let clipped = panel.curves.iter().flat_map(|c| {
            c.series
                .iter()
                .enumerate()
                .filter(move |(_, v)| **v > limit)
                .map(|(x, _)| x as f64)
        });
        chart
            .draw_series(clipped.map(|x| {
                EmptyElement::at((x, top))
                    + Polygon::new(vec![(-6, 10), (6, 10), (0, 0)], BLACK.mix(0.75).filled())
            }))
            .map_err(err)?;
    }

    draw_events(panel, &strip, x_range, x_ticks)
}

/// The bold line: per iteration, the median across the invocations that ran it, for as long
/// as at least half of them did. Iterating until stable, invocations stop at different
/// lengths; a "median" of the one or two that ran longest would be drawn as bold as the
/// rest and read as the typical run.
pub fn median_curve(curves: &[Curve]) -> Vec<(usize, f64)> {
    let len = curves.iter().map(|c| c.series.len()).max().unwrap_or(0);
    let half = curves.len().div_ceil(2);
    (0..len)
        .map_while(|i| {
            let at: Vec<f64> = curves
                .iter()
                .filter_map(|c| c.series.get(i).copied())
                .collect();
            (at.len() >= half).then(|| median(&at).map(|m| (i, m)))
        })
        .flatten()
        .collect()
}

/// The three event lanes under a panel, sharing its x axis (same margins and label area, so
/// iteration `i` is at the same pixel column in both).
fn draw_events<DB: DrawingBackend>(
    panel: &Panel,
    area: &DrawingArea<DB, Shift>,
    x_range: std::ops::Range<f64>,
    x_ticks: usize,
) -> Result<()> {
    const LANES: [&str; 3] = ["deopt", "OSR", "compile"];
    let names: Vec<String> = LANES.iter().map(|s| s.to_string()).collect();
    let mut chart = ChartBuilder::on(area)
        .margin_left(8)
        .margin_right(16)
        .margin_top(8)
        .x_label_area_size(38)
        .y_label_area_size(72)
        .build_cartesian_2d(x_range, -0.5..2.5)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_labels(x_ticks)
        .y_labels(7)
        .x_label_formatter(&|v| tick(*v))
        .y_label_formatter(&|v| category_label(&names, *v))
        .x_desc("iteration")
        .disable_y_mesh()
        .bold_line_style(GRID)
        .max_light_lines(0)
        .label_style((FONT_FAMILY, 11))
        .axis_desc_style((FONT_FAMILY, 13))
        .draw()
        .map_err(err)?;
    let len = panel
        .curves
        .iter()
        .map(|c| c.series.len())
        .max()
        .unwrap_or(0);
    let invocations = panel.curves.len().max(1) as f64;
    for i in 0..len {
        let with = |f: fn(&Events) -> u64| {
            panel
                .curves
                .iter()
                .filter(|c| c.events.get(i).is_some_and(|e| f(e) > 0))
                .count() as f64
        };
        let share = [
            with(|e| e.deopts),
            with(|e| e.osr_entries),
            with(|e| e.compiles),
        ];
        for (lane, count) in share.iter().enumerate() {
            if *count == 0.0 {
                continue;
            }
            let ink = BLACK.mix(0.25 + 0.65 * count / invocations);
            let at = (i as f64, lane as f64);
            let shape: Vec<(i32, i32)> = match lane {
                2 => vec![(-5, -4), (5, -4), (0, 5)],
                1 => diamond((0, 0), 5),
                _ => Vec::new(),
            };
            if lane == 0 {
                chart
                    .draw_series([EmptyElement::at(at)
                        + PathElement::new([(-4, -4), (4, 4)], ink.stroke_width(2))
                        + PathElement::new([(-4, 4), (4, -4)], ink.stroke_width(2))])
                    .map_err(err)?;
            } else {
                chart
                    .draw_series([EmptyElement::at(at) + Polygon::new(shape, ink.filled())])
                    .map_err(err)?;
            }
        }
    }
    Ok(())
}
