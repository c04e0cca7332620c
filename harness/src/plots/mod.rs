//! Plots of a run, drawn with `plotters` into PNG (for the HTML report and quick viewing) and
//! SVG (for papers and zooming). Every plot is written by one function generic over the
//! drawing backend, so the two files always show the same picture.
//!
//! Text is drawn with DejaVu Sans bundled in `harness/assets/` (licence next to it) and
//! registered with plotters' `ab_glyph` renderer at first use: plotters' default font path
//! needs fontconfig development files, which a fresh CI machine lacks (see DEPENDENCIES.md).

pub mod distribution;
pub mod glyphs;
pub mod jitstats;
pub mod key;
pub mod speedup;
pub mod warmup;

use std::path::Path;
use std::sync::Once;

use anyhow::{anyhow, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

/// The bundled font; the family name is the one plotters' own defaults ask for.
pub(crate) const FONT: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
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
        // plotters' own bitmap text places glyphs wrongly; see `glyphs`.
        let root = glyphs::GlyphBackend::new(BitMapBackend::new(&png, size)).into_drawing_area();
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

/// Grid lines: one light line per labelled tick, no minor lines (dense minor grids print as
/// a grey wash).
pub const GRID: RGBAColor = RGBAColor(0, 0, 0, 0.09);

/// Tick label: up to three decimals, trailing zeros dropped (`12`, `2.5`, `0.02`).
pub fn tick(v: f64) -> String {
    let text = format!("{v:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.to_string()
    }
}

/// A value label: three significant digits for measures (`2.43`, `28.3`, `142`), whole
/// numbers as they are.
pub fn value_label(v: f64) -> String {
    if v.fract() == 0.0 {
        return format!("{v:.0}");
    }
    match v.abs() {
        a if a >= 100.0 => format!("{v:.0}"),
        a if a >= 10.0 => format!("{v:.1}"),
        _ => format!("{v:.2}"),
    }
}

/// The 1-2-5 values in `[lo, hi]` (`lo > 0`): ticks of a log axis that read as round
/// numbers. At least two, falling back to the ends when the range holds fewer.
pub fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let mut out = Vec::new();
    if !(lo > 0.0 && hi > lo && hi.is_finite()) {
        return out;
    }
    let mut decade = 10f64.powf(lo.log10().floor());
    while decade <= hi {
        for m in [1.0, 2.0, 5.0] {
            let v = decade * m;
            if v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9) {
                out.push(v);
            }
        }
        decade *= 10.0;
    }
    if out.len() < 2 {
        out = vec![lo, hi];
    }
    out
}

/// True if values spanning `lo..hi` are better read on a log axis: they differ by more than
/// five times, so on a linear axis the small ones would be slivers near zero.
pub fn wants_log_axis(lo: f64, hi: f64) -> bool {
    lo > 0.0 && hi / lo > 5.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_read_as_round_numbers() {
        assert_eq!(tick(12.0), "12");
        assert_eq!(tick(2.5), "2.5");
        assert_eq!(tick(0.02), "0.02");
        assert_eq!(tick(-0.0001), "0");
        assert_eq!(value_label(2.427), "2.43");
        assert_eq!(value_label(28.253), "28.3");
        assert_eq!(value_label(33.0), "33");
        assert_eq!(log_ticks(0.3, 60.0), [0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0]);
        assert_eq!(log_ticks(1.1, 1.9), [1.1, 1.9]);
        assert!(log_ticks(0.0, 1.0).is_empty());
        assert!(wants_log_axis(0.5, 11.0) && !wants_log_axis(2.0, 9.0));
    }
}
