//! Warm-up curves of one benchmark: iteration time against iteration number, one panel per
//! config and one line per invocation. Changepoints found by PELT are marked with triangles
//! and each invocation's steady state (its last segment) is shaded, so a reader can see at a
//! glance whether the value the statistics use really is the settled part of the series
//! (Barrett et al. 2017 draw their run-sequence plots the same way).

use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::{colour, draw_legend, err, padded, Plot, FONT_FAMILY};

/// One invocation's series (display units) with its changepoints and steady-state start.
#[derive(Clone, Debug)]
pub struct Curve {
    pub invocation: u32,
    pub series: Vec<f64>,
    pub changepoints: Vec<usize>,
    pub steady_start: usize,
}

/// One config's panel.
#[derive(Clone, Debug)]
pub struct Panel {
    pub config: String,
    /// The steady-state class over invocations (flat, warmup, ..., inconsistent).
    pub class: String,
    pub curves: Vec<Curve>,
}

pub struct WarmupPlot {
    pub title: String,
    pub unit: String,
    pub panels: Vec<Panel>,
}

const PANEL_HEIGHT: u32 = 230;

impl Plot for WarmupPlot {
    fn size(&self) -> (u32, u32) {
        (1000, 50 + PANEL_HEIGHT * self.panels.len().max(1) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()> {
        let root = root.titled(&self.title, (FONT_FAMILY, 20)).map_err(err)?;
        let areas = root.split_evenly((self.panels.len().max(1), 1));
        for (panel, area) in self.panels.iter().zip(areas.iter()) {
            draw_panel(panel, &self.unit, area)?;
        }
        Ok(())
    }
}

fn draw_panel<DB: DrawingBackend>(
    panel: &Panel,
    unit: &str,
    area: &DrawingArea<DB, Shift>,
) -> Result<()> {
    let values = panel.curves.iter().flat_map(|c| c.series.iter().copied());
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
        (l.min(v), h.max(v))
    });
    if !lo.is_finite() {
        return Ok(());
    }
    let (lo, hi) = padded(lo.min(hi), hi, 0.08);
    let len = panel
        .curves
        .iter()
        .map(|c| c.series.len())
        .max()
        .unwrap_or(1);
    let x_max = (len.max(2) - 1) as f64;
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!("{} — steady state: {}", panel.config, panel.class),
            (FONT_FAMILY, 15),
        )
        .margin(8)
        .x_label_area_size(30)
        .y_label_area_size(70)
        .build_cartesian_2d(-0.3..x_max + 0.3, lo.max(0.0)..hi)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("iteration")
        .y_desc(unit)
        .x_labels(len.min(20))
        .x_label_formatter(&|v| format!("{v:.0}"))
        .label_style((FONT_FAMILY, 12))
        .draw()
        .map_err(err)?;

    for (i, curve) in panel.curves.iter().enumerate() {
        let c = colour(i);
        let steady = &curve.series[curve.steady_start.min(curve.series.len())..];
        if !steady.is_empty() {
            // Shade the steady segment: its iteration span and the band of its values.
            let (s_lo, s_hi) = steady
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
                    (l.min(*v), h.max(*v))
                });
            // Padded by 3% of the axis so that a noise-free series still shows a band.
            let pad = (hi - lo) * 0.03;
            let x0 = curve.steady_start as f64 - 0.3;
            let x1 = (curve.series.len() - 1) as f64 + 0.3;
            chart
                .draw_series([Rectangle::new(
                    [(x0, s_lo - pad), (x1, s_hi + pad)],
                    c.mix(0.18).filled(),
                )])
                .map_err(err)?;
        }
        let points: Vec<(f64, f64)> = curve
            .series
            .iter()
            .enumerate()
            .map(|(x, y)| (x as f64, *y))
            .collect();
        chart
            .draw_series(LineSeries::new(points.clone(), c.stroke_width(2)))
            .map_err(err)?
            .label(format!("invocation {}", curve.invocation))
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], c.stroke_width(2)));
        chart
            .draw_series(points.iter().map(|p| Circle::new(*p, 2, c.filled())))
            .map_err(err)?;
        // A changepoint is the first iteration of a new segment.
        chart
            .draw_series(
                curve
                    .changepoints
                    .iter()
                    .filter_map(|&cp| points.get(cp))
                    .map(|p| TriangleMarker::new(*p, 7, BLACK.filled())),
            )
            .map_err(err)?;
    }
    if panel.curves.len() <= 10 {
        draw_legend(&mut chart, SeriesLabelPosition::UpperRight, 11)?;
    }
    Ok(())
}
