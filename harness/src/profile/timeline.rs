//! The tier timeline of a profile: the share of samples per tier (interpreter, compiled
//! code, runtime helpers, compiler) in equal time bins over the run, as stacked bars, with
//! each compile marked by a vertical line and each deopt by a tick above the bars.
//! Drawn with the harness's plot machinery (`crate::plots::render`: PNG and SVG).

use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::flame::TIER_COLOURS;
use crate::plots::{err, tick, Plot, FONT_FAMILY, GRID};

/// Bins of the timeline.
const BINS: usize = 80;

/// One sample record of `timeline.csv` (`t_ms,tier,samples`).
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    pub t_ms: f64,
    pub tier: String,
    pub weight: u32,
}

/// Parses `timeline.csv` (rows that do not parse are skipped). A row of weight w holds
/// the w ticks counted since the previous check (`ruff_core::sampler`): they are spread
/// back over the w intervals before it, where they happened, as samples of weight 1.
pub fn parse_samples(text: &str, interval_ms: f64) -> Vec<Sample> {
    let mut out = Vec::new();
    for l in text.lines().skip(1) {
        let mut f = l.split(',');
        let (Some(t), Some(tier), Some(w)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        let (Ok(t_ms), Ok(w)) = (t.parse::<f64>(), w.parse::<u32>()) else {
            continue;
        };
        for k in 0..w {
            out.push(Sample {
                t_ms: (t_ms - k as f64 * interval_ms).max(0.0),
                tier: tier.to_string(),
                weight: 1,
            });
        }
    }
    out
}

pub struct Timeline {
    pub title: String,
    pub samples: Vec<Sample>,
    pub compiles: Vec<f64>,
    pub deopts: Vec<f64>,
}

impl Timeline {
    /// `(start, end)` of the time axis in ms.
    fn span(&self) -> (f64, f64) {
        let times = self
            .samples
            .iter()
            .map(|s| s.t_ms)
            .chain(self.compiles.iter().copied())
            .chain(self.deopts.iter().copied());
        let (lo, hi) = times.fold((f64::MAX, f64::MIN), |(a, b), t| (a.min(t), b.max(t)));
        if lo > hi {
            (0.0, 1.0)
        } else {
            (lo.min(0.0), hi.max(lo + 1.0))
        }
    }

    /// Per bin, the share of each tier (in `TIER_COLOURS` order); bins without samples are
    /// all zero.
    pub fn shares(&self) -> Vec<[f64; 4]> {
        let (lo, hi) = self.span();
        let width = (hi - lo) / BINS as f64;
        let mut bins = vec![[0.0f64; 4]; BINS];
        for s in &self.samples {
            let b = (((s.t_ms - lo) / width) as usize).min(BINS - 1);
            if let Some(k) = TIER_COLOURS.iter().position(|(t, _)| *t == s.tier) {
                bins[b][k] += s.weight as f64;
            }
        }
        for b in &mut bins {
            let total: f64 = b.iter().sum();
            if total > 0.0 {
                b.iter_mut().for_each(|v| *v /= total);
            }
        }
        bins
    }
}

fn rgb(c: inferno::flamegraph::color::Color) -> RGBColor {
    RGBColor(c.r, c.g, c.b)
}

impl Plot for Timeline {
    fn size(&self) -> (u32, u32) {
        (900, 320)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()> {
        let (lo, hi) = self.span();
        let (plot_area, key_area) = root.split_horizontally(790);
        let mut chart = ChartBuilder::on(&plot_area)
            .caption(&self.title, (FONT_FAMILY, 15))
            .margin(10)
            .x_label_area_size(36)
            .y_label_area_size(56)
            .build_cartesian_2d(lo..hi, 0.0..1.12)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("time since start (ms)")
            .y_desc("share of samples")
            .x_label_formatter(&|v| tick(*v))
            .y_label_formatter(&|v| if *v <= 1.0 { tick(*v) } else { String::new() })
            .bold_line_style(GRID)
            .max_light_lines(0)
            .label_style((FONT_FAMILY, 11))
            .axis_desc_style((FONT_FAMILY, 12))
            .draw()
            .map_err(err)?;
        let width = (hi - lo) / BINS as f64;
        for (i, shares) in self.shares().iter().enumerate() {
            let x0 = lo + i as f64 * width;
            let mut y = 0.0;
            for (k, share) in shares.iter().enumerate() {
                if *share <= 0.0 {
                    continue;
                }
                let colour = rgb(TIER_COLOURS[k].1);
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x0, y), (x0 + width, y + share)],
                        colour.filled(),
                    )))
                    .map_err(err)?;
                y += share;
            }
        }
        let compile_colour = RGBColor(120, 0, 0);
        chart
            .draw_series(self.compiles.iter().map(|t| {
                PathElement::new(vec![(*t, 0.0), (*t, 1.06)], compile_colour.stroke_width(1))
            }))
            .map_err(err)?;
        chart
            .draw_series(
                self.deopts
                    .iter()
                    .map(|t| TriangleMarker::new((*t, 1.08), 4, BLACK.filled())),
            )
            .map_err(err)?;
        // The key, beside the plot so it never hides a bar.
        let font = (FONT_FAMILY, 11).into_font().color(&BLACK);
        for (k, (tier, c)) in TIER_COLOURS.iter().enumerate() {
            let y = 40 + 20 * k as i32;
            key_area
                .draw(&Rectangle::new([(4, y - 5), (14, y + 5)], rgb(*c).filled()))
                .map_err(err)?;
            key_area
                .draw(&Text::new(*tier, (20, y - 6), font.clone()))
                .map_err(err)?;
        }
        let y = 40 + 20 * TIER_COLOURS.len() as i32;
        key_area
            .draw(&PathElement::new(
                vec![(9, y - 6), (9, y + 6)],
                compile_colour,
            ))
            .map_err(err)?;
        key_area
            .draw(&Text::new("compile", (20, y - 6), font.clone()))
            .map_err(err)?;
        key_area
            .draw(&TriangleMarker::new((9, y + 20), 4, BLACK.filled()))
            .map_err(err)?;
        key_area
            .draw(&Text::new("deopt", (20, y + 14), font))
            .map_err(err)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_of_a_bin_sum_to_one() {
        let t = Timeline {
            title: String::new(),
            samples: parse_samples(
                "t_ms,tier,samples\n1.0,interp,3\n1.0,jit,1\n99.0,jit,2\n",
                0.1,
            ),
            compiles: vec![2.0],
            deopts: vec![],
        };
        let shares = t.shares();
        let first = shares.iter().find(|b| b.iter().sum::<f64>() > 0.0).unwrap();
        assert_eq!(first, &[0.75, 0.25, 0.0, 0.0]);
        assert_eq!(shares[BINS - 1], [0.0, 1.0, 0.0, 0.0]);
    }
}
