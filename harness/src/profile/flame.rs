//! The flamegraph of a profile (`profile.folded` -> `flamegraph.svg`), drawn by the
//! `inferno` crate, with every frame coloured by the tier it ran in (the label conventions
//! of `ruff_core::sampler`): interpreted frames blue, compiled frames green, runtime
//! helpers orange, the compiler red, `[direct calls]` pale green.

use anyhow::{Context, Result};
use inferno::flamegraph::color::{Color, PaletteMap};
use inferno::flamegraph::{self, Options};

/// The fill of each tier's frames (colour-blind-safe: Okabe & Ito 2008).
pub const TIER_COLOURS: [(&str, Color); 4] = [
    (
        "interp",
        Color {
            r: 86,
            g: 180,
            b: 233,
        },
    ),
    (
        "jit",
        Color {
            r: 0,
            g: 158,
            b: 115,
        },
    ),
    (
        "helper",
        Color {
            r: 230,
            g: 159,
            b: 0,
        },
    ),
    (
        "compiling",
        Color {
            r: 213,
            g: 94,
            b: 0,
        },
    ),
];

fn colour_of(tier: &str) -> Color {
    TIER_COLOURS.iter().find(|(t, _)| *t == tier).map_or(
        Color {
            r: 200,
            g: 200,
            b: 200,
        },
        |(_, c)| *c,
    )
}

/// The tier a single frame label stands for.
pub fn frame_tier(frame: &str) -> &'static str {
    if frame == "[helper]" {
        "helper"
    } else if frame.starts_with("[compile") {
        "compiling"
    } else if frame.ends_with(" [jit]") || frame == "[direct calls]" {
        "jit"
    } else {
        "interp"
    }
}

/// Draws the folded stacks `folded` as an SVG flamegraph titled `title`.
pub fn flamegraph_svg(folded: &str, title: &str) -> Result<Vec<u8>> {
    let mut palette = PaletteMap::default();
    for line in folded.lines() {
        let stack = line.rsplit_once(' ').map_or(line, |(s, _)| s);
        for frame in stack.split(';') {
            if palette.get(frame).is_none() {
                let mut c = colour_of(frame_tier(frame));
                if frame == "[direct calls]" {
                    c = Color {
                        r: 170,
                        g: 220,
                        b: 190,
                    };
                }
                palette.insert(frame, c);
            }
        }
    }
    let mut options = Options::default();
    options.title = title.to_string();
    options.subtitle = Some(
        "blue: interpreter, green: compiled code, orange: runtime helper, red: compiling"
            .to_string(),
    );
    options.count_name = "samples".to_string();
    options.palette_map = Some(&mut palette);
    options.deterministic = true;
    let mut svg = Vec::new();
    if folded.trim().is_empty() {
        // inferno refuses an empty profile; say so in the picture's place.
        return Ok(empty_svg(title).into_bytes());
    }
    flamegraph::from_lines(&mut options, folded.lines(), &mut svg)
        .context("drawing the flamegraph")?;
    Ok(svg)
}

/// A placeholder SVG for a run too short to take a sample.
fn empty_svg(title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"600\" height=\"60\">\
         <text x=\"10\" y=\"30\">{}: no samples (the run was shorter than the sampling \
         interval)</text></svg>",
        title.replace('&', "&amp;").replace('<', "&lt;")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_get_their_tier() {
        assert_eq!(frame_tier("fib:3"), "interp");
        assert_eq!(frame_tier("fib:3 [jit]"), "jit");
        assert_eq!(frame_tier("[helper]"), "helper");
        assert_eq!(frame_tier("[compile fib]"), "compiling");
    }

    #[test]
    fn the_svg_names_the_ruff_functions_in_their_colours() {
        let folded = "<main>:9;run:6;fib:3 [jit] 90\n<main>:9;run:6;[compile fib] 10\n";
        let svg = String::from_utf8(flamegraph_svg(folded, "fib").unwrap()).unwrap();
        assert!(svg.contains("fib:3 [jit]"), "{svg}");
        assert!(svg.contains("run:6"));
        assert!(svg.contains("rgb(0,158,115)"), "compiled frames are green");
        assert!(svg.contains("rgb(213,94,0)"), "the compiler is red");
    }
}
