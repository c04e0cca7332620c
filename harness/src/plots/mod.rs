//! Plots of a run, drawn with `plotters` into PNG (for the HTML report and quick viewing) and
//! SVG (for papers and zooming). Every plot is written by one function generic over the
//! drawing backend, so the two files always show the same picture.
//!
//! Text is drawn with DejaVu Sans bundled in `harness/assets/` (licence next to it) and
//! registered with plotters' `ab_glyph` renderer at first use: plotters' default font path
//! needs fontconfig development files, which a fresh CI machine lacks (see DEPENDENCIES.md).

pub mod distribution;
pub mod jitstats;
pub mod speedup;
pub mod warmup;

use std::path::Path;
use std::sync::Once;

use anyhow::{anyhow, Result};
use plotters::coord::{CoordTranslate, Shift};
use plotters::prelude::*;
use plotters::style::FontStyle;

/// The bundled font; the family name is the one plotters' own defaults ask for.
const FONT: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
pub const FONT_FAMILY: &str = "sans-serif";

/// Registers the bundled font (idempotent; every entry point that draws calls it).
pub fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for style in [FontStyle::Normal, FontStyle::Bold] {
            // The bytes are a valid TTF compiled into the binary; failure is a build error.
            if plotters::style::register_font(FONT_FAMILY, style, FONT).is_err() {
                eprintln!("warning: the bundled font could not be registered");
            }
        }
    });
}

/// A picture that can be drawn on any backend.
pub trait Plot {
    /// Size in pixels (SVG uses the same numbers as user units).
    fn size(&self) -> (u32, u32);
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()>;
}

/// Draws `plot` to `DIR/NAME.png` and `DIR/NAME.svg`.
pub fn render(plot: &impl Plot, dir: &Path, name: &str) -> Result<()> {
    register_font();
    let size = plot.size();
    let png = dir.join(format!("{name}.png"));
    {
        let root = BitMapBackend::new(&png, size).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        plot.draw(&root)?;
        root.present()
            .map_err(|e| anyhow!("writing {}: {e:?}", png.display()))?;
    }
    let svg = dir.join(format!("{name}.svg"));
    {
        let root = SVGBackend::new(&svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        plot.draw(&root)?;
        root.present()
            .map_err(|e| anyhow!("writing {}: {e:?}", svg.display()))?;
    }
    Ok(())
}

/// Plotters' errors are generic over the backend; the message is all we need.
pub fn err<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow!("drawing failed: {e:?}")
}

/// Draws the series legend at `position` in the style all plots share (a translucent white
/// box with a thin border), so the figures of one report look alike.
pub fn draw_legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
    font_size: u32,
) -> Result<()> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.4))
        .label_font((FONT_FAMILY, font_size))
        .draw()
        .map_err(err)
}

/// Colour of series `i`: a colour-blind-safe palette (Okabe & Ito 2008), cycled.
pub fn colour(i: usize) -> RGBColor {
    const OKABE_ITO: [RGBColor; 8] = [
        RGBColor(0, 114, 178),
        RGBColor(230, 159, 0),
        RGBColor(0, 158, 115),
        RGBColor(204, 121, 167),
        RGBColor(86, 180, 233),
        RGBColor(213, 94, 0),
        RGBColor(240, 228, 66),
        RGBColor(0, 0, 0),
    ];
    OKABE_ITO[i % OKABE_ITO.len()]
}

/// Label of a category axis at position `v`: the name when `v` is (close to) an integer
/// index, nothing in between (plotters places key points on a continuous scale).
pub fn category_label(names: &[String], v: f64) -> String {
    let i = v.round();
    if (v - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < names.len() {
        names[i as usize].clone()
    } else {
        String::new()
    }
}

/// `[lo, hi]` widened by `pad` of its span on each side (never empty).
pub fn padded(lo: f64, hi: f64, pad: f64) -> (f64, f64) {
    let span = (hi - lo).abs().max(hi.abs() * 1e-3).max(1e-9);
    (lo - span * pad, hi + span * pad)
}
