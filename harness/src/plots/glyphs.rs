//! Text for the PNG plots, laid out correctly. plotters 0.3.7 rasterizes `ab_glyph` text by
//! drawing each glyph's outline at the pen position and ignoring the glyph's side bearing,
//! so a glyph with a negative bearing is pushed right into its neighbour: "jit" renders as
//! "j|it" with the `j` hook over the `i`, in every plot, and the baseline sits half a line
//! too high. [`GlyphBackend`] wraps a pixel backend and draws text itself: each outline is
//! placed at its own pixel bounds (pen position + bearing), kerning applied, the baseline at
//! the font's ascent. Everything else is passed through to the wrapped backend unchanged.
//!
//! The SVG files are not affected (they carry `<text>` elements the viewer lays out).

use ab_glyph::{point, Font, FontRef, OutlinedGlyph, PxScale, ScaleFont};
use plotters::prelude::DrawingBackend;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

use super::FONT;

/// A pixel backend whose text is laid out by [`layout`].
pub struct GlyphBackend<DB> {
    inner: DB,
    font: FontRef<'static>,
}

impl<DB> GlyphBackend<DB> {
    /// Wraps `inner`; text is drawn with the bundled font.
    pub fn new(inner: DB) -> GlyphBackend<DB> {
        GlyphBackend {
            inner,
            font: bundled_font(),
        }
    }
}

/// The bundled font (the bytes are a valid TTF compiled into the binary; a test parses them).
pub fn bundled_font() -> FontRef<'static> {
    FontRef::try_from_slice(FONT).expect("bundled font parses")
}

/// Width in pixels of `text` at `size` px, as drawn in the PNG files.
pub fn text_width(size: f64, text: &str) -> u32 {
    layout(&bundled_font(), size, text).width.ceil() as u32
}

/// A line of text laid out at the origin: glyph outlines with the baseline at the font's
/// ascent, the box `(width, height)` spanning ascent to descent.
pub struct Line {
    pub glyphs: Vec<OutlinedGlyph>,
    pub width: f32,
    pub height: f32,
}

/// Lays out `text` at pixel size `size` (plotters' font size: the height of ascent to
/// descent, as `ab_glyph::PxScale`).
pub fn layout(font: &FontRef<'static>, size: f64, text: &str) -> Line {
    let scale = PxScale::from(size as f32);
    let scaled = font.as_scaled(scale);
    let mut caret = 0.0f32;
    let mut previous = None;
    let mut glyphs = Vec::new();
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            caret += scaled.kern(p, id);
        }
        let glyph = id.with_scale_and_position(scale, point(caret, scaled.ascent()));
        caret += scaled.h_advance(id);
        previous = Some(id);
        if let Some(outlined) = font.outline_glyph(glyph) {
            glyphs.push(outlined);
        }
    }
    Line {
        glyphs,
        width: caret,
        height: scaled.ascent() - scaled.descent(),
    }
}

impl<DB: DrawingBackend> DrawingBackend for GlyphBackend<DB> {
    type ErrorType = DB::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.blit_bitmap(pos, size, src)
    }

    fn estimate_text_size<TStyle: BackendTextStyle>(
        &self,
        text: &str,
        style: &TStyle,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let line = layout(&self.font, style.size(), text);
        Ok((line.width.ceil() as u32, line.height.ceil() as u32))
    }

    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let line = layout(&self.font, style.size(), text);
        // The anchor is a point of the text's box; shift the box so that point is at `pos`.
        let anchor = style.anchor();
        let dx = match anchor.h_pos {
            HPos::Left => 0.0,
            HPos::Center => -line.width / 2.0,
            HPos::Right => -line.width,
        };
        let dy = match anchor.v_pos {
            VPos::Top => 0.0,
            VPos::Center => -line.height / 2.0,
            VPos::Bottom => -line.height,
        };
        let transform = style.transform();
        let (w, h) = self.get_size();
        let mut result = Ok(());
        for glyph in &line.glyphs {
            let bounds = glyph.px_bounds();
            glyph.draw(|x, y, coverage| {
                if result.is_err() || coverage <= 0.0 {
                    return;
                }
                let gx = (bounds.min.x + x as f32 + dx).round() as i32;
                let gy = (bounds.min.y + y as f32 + dy).round() as i32;
                let (tx, ty) = transform.transform(gx, gy);
                let (px, py) = (pos.0 + tx, pos.1 + ty);
                if px >= 0 && py >= 0 && (px as u32) < w && (py as u32) < h {
                    let pixel = BackendColor {
                        alpha: color.alpha * f64::from(coverage.min(1.0)),
                        rgb: color.rgb,
                    };
                    result = self.inner.draw_pixel((px, py), pixel);
                }
            });
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn font() -> FontRef<'static> {
        FontRef::try_from_slice(FONT).unwrap()
    }

    #[test]
    fn glyphs_do_not_overlap_their_neighbours() {
        // `j` has a negative left bearing: drawn at the pen position (plotters' bug) its
        // hook lands inside the `i` before it.
        let line = layout(&font(), 20.0, "ijk");
        let b: Vec<_> = line.glyphs.iter().map(|g| g.px_bounds()).collect();
        assert_eq!(b.len(), 3);
        assert!(b[0].max.x <= b[1].min.x + 1.0, "i {:?} j {:?}", b[0], b[1]);
        assert!(b[1].min.x < b[1].max.x && b[1].max.x <= b[2].max.x);
        // Descender of `j` below the baseline, ascender of `k` above it.
        let baseline = font().as_scaled(PxScale::from(20.0)).ascent();
        assert!(b[1].max.y > baseline && b[2].min.y < baseline - 10.0);
        assert!(line.width > 10.0 && line.height >= 20.0 - 0.5);
    }

    #[test]
    fn width_grows_with_text_and_size() {
        let f = font();
        assert!(layout(&f, 12.0, "interp").width < layout(&f, 12.0, "interp-prof").width);
        assert!(layout(&f, 12.0, "jit").width < layout(&f, 24.0, "jit").width);
        assert_eq!(layout(&f, 12.0, "").width, 0.0);
    }
}
