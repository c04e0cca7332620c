//! The key of a plot: a strip of "marker + words" items drawn in its own area above or below
//! the charts, never over data. Every mark a plot uses is explained here, in the image itself,
//! so a PNG pasted into a chat or an issue still says what its symbols mean.

use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{err, FONT_FAMILY};

/// How an item's sample is drawn (all 16 px wide, centred on the text line).
#[derive(Clone, Copy, Debug)]
pub enum Marker {
    /// A line of this colour and stroke width.
    Line(RGBAColor, u32),
    /// A dashed line.
    Dashed(RGBAColor),
    /// A filled square (a bar, a box).
    Square(RGBAColor),
    /// A translucent band.
    Band(RGBAColor, f64),
    /// A filled dot.
    Dot(RGBAColor),
    /// An open circle.
    Ring(RGBAColor),
    /// A filled diamond.
    Diamond(RGBAColor),
    /// A downward triangle.
    TriangleDown(RGBAColor),
    /// An upward triangle.
    TriangleUp(RGBAColor),
    /// A cross.
    Cross(RGBAColor),
}

/// One entry of a key.
#[derive(Clone, Debug)]
pub struct Item {
    pub marker: Marker,
    pub label: String,
}

impl Item {
    pub fn new(marker: Marker, label: impl Into<String>) -> Item {
        Item {
            marker,
            label: label.into(),
        }
    }
}

/// Height in pixels of a key line at `font` px.
pub fn line_height(font: u32) -> u32 {
    font + 10
}

/// How many lines `items` take in `width` pixels at `font` px (for sizing the figure).
pub fn lines_needed(items: &[Item], width: u32, font: u32) -> u32 {
    let mut lines = 1;
    let mut x = 0;
    for item in items {
        let w = item_width(item, font);
        if x > 0 && x + w > width {
            lines += 1;
            x = 0;
        }
        x += w;
    }
    lines
}

/// Width of an item: sample, gap, text, spacing.
fn item_width(item: &Item, font: u32) -> u32 {
    22 + super::glyphs::text_width(f64::from(font), &item.label) + 20
}

/// Draws `items` left to right on `area`, wrapping to further lines as needed.
pub fn draw_key<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[Item],
    font: u32,
) -> Result<()> {
    let (width, _) = area.dim_in_pixel();
    let line = line_height(font) as i32;
    let text_ink = BLACK.mix(0.85);
    let style = TextStyle::from((FONT_FAMILY, font).into_font())
        .color(&text_ink)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let (mut x, mut y) = (8i32, line / 2);
    for item in items {
        let w = item_width(item, font) as i32;
        if x > 8 && x + w > width as i32 {
            x = 8;
            y += line;
        }
        draw_sample(area, item.marker, (x + 8, y))?;
        area.draw(&Text::new(item.label.clone(), (x + 22, y), style.clone()))
            .map_err(err)?;
        x += w;
    }
    Ok(())
}

fn draw_sample<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    marker: Marker,
    (x, y): (i32, i32),
) -> Result<()> {
    match marker {
        Marker::Line(c, w) => area.draw(&PathElement::new(
            [(x - 8, y), (x + 8, y)],
            c.stroke_width(w),
        )),
        Marker::Dashed(c) => {
            for dx in [-8, -2, 4] {
                area.draw(&PathElement::new(
                    [(x + dx, y), (x + dx + 4, y)],
                    c.stroke_width(2),
                ))
                .map_err(err)?;
            }
            Ok(())
        }
        Marker::Square(c) => area.draw(&Rectangle::new(
            [(x - 6, y - 6), (x + 6, y + 6)],
            c.filled(),
        )),
        Marker::Band(c, alpha) => area.draw(&Rectangle::new(
            [(x - 8, y - 7), (x + 8, y + 7)],
            RGBAColor(c.0, c.1, c.2, c.3 * alpha).filled(),
        )),
        Marker::Dot(c) => area.draw(&Circle::new((x, y), 4, c.filled())),
        Marker::Ring(c) => area.draw(&Circle::new((x, y), 4, c.stroke_width(2))),
        Marker::Diamond(c) => area.draw(&Polygon::new(diamond((x, y), 6), c.filled())),
        Marker::TriangleDown(c) => area.draw(&Polygon::new(
            vec![(x - 6, y - 5), (x + 6, y - 5), (x, y + 6)],
            c.filled(),
        )),
        Marker::TriangleUp(c) => area.draw(&Polygon::new(
            vec![(x - 6, y + 5), (x + 6, y + 5), (x, y - 6)],
            c.filled(),
        )),
        Marker::Cross(c) => {
            area.draw(&PathElement::new(
                [(x - 5, y - 5), (x + 5, y + 5)],
                c.stroke_width(2),
            ))
            .map_err(err)?;
            area.draw(&PathElement::new(
                [(x - 5, y + 5), (x + 5, y - 5)],
                c.stroke_width(2),
            ))
        }
    }
    .map_err(err)
}

/// The corners of a diamond of half-size `r` pixels around `(x, y)`.
pub fn diamond((x, y): (i32, i32), r: i32) -> Vec<(i32, i32)> {
    vec![(x - r, y), (x, y - r), (x + r, y), (x, y + r)]
}
