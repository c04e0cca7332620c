//! The presentation of a micro-benchmark run (`harness micro`): one table with, per benchmark
//! × config, criterion's estimate of the median time per iteration with its confidence
//! interval beside the instruction count gungraun measured for the same code, each value in
//! its own unit (ns, µs, ms); and one distribution plot per benchmark group (`compile`,
//! `run`, ...) with every criterion sample.
//!
//! The table is written to the run folder as `micro.csv` (columns: `benchmark`, `config`,
//! `samples`, `median_ns`, `median_lo_ns`, `median_hi_ns`, `mean_ns`, `instructions`; empty
//! when not measured), so `harness report` re-makes it from the files alone.
//!
//! criterion runs every benchmark in one process: its intervals (a bootstrap over its samples,
//! see its book, "Analysis Process") show the noise within that process, not between
//! processes; the page and the terminal say so.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, Table};
use serde::{Deserialize, Serialize};

use super::data::{Invocation, Key};
use super::figures::{slug, Figure, Layout};
use super::html::escape;
use crate::exec::Measure;
use crate::plots::distribution::{DistributionPlot, Group};
use crate::plots::render;
use crate::units;

/// The file name inside a micro run folder.
pub const FILE: &str = "micro.csv";

/// What the page and the terminal say about the intervals.
pub const NOTE: &str = "Intervals are criterion's, over its samples within one process: they do not include the variation between processes.";

/// One benchmark × config of a micro run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MicroRow {
    pub benchmark: String,
    pub config: String,
    /// criterion samples (0 if the benchmark was only counted).
    pub samples: usize,
    pub median_ns: Option<f64>,
    pub median_lo_ns: Option<f64>,
    pub median_hi_ns: Option<f64>,
    pub mean_ns: Option<f64>,
    /// Instructions of one iteration (gungraun, callgrind's `Ir`).
    pub instructions: Option<u64>,
}

impl MicroRow {
    /// The group of the benchmark: the first part of `GROUP/NAME`.
    pub fn group(&self) -> &str {
        group_of(&self.benchmark)
    }
}

/// `compile` of `compile/adds1000`.
pub fn group_of(benchmark: &str) -> &str {
    benchmark.split('/').next().unwrap_or(benchmark)
}

/// Writes `micro.csv`.
pub fn write(dir: &Path, rows: &[MicroRow]) -> Result<()> {
    crate::output::results::write_csv(&dir.join(FILE), rows)
}

/// Reads `micro.csv`, or `None` if the run folder has none (not a micro run).
pub fn read(dir: &Path) -> Result<Option<Vec<MicroRow>>> {
    let path = dir.join(FILE);
    if !path.exists() {
        return Ok(None);
    }
    let mut reader =
        csv::Reader::from_path(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let rows: Result<Vec<MicroRow>, _> = reader.deserialize().collect();
    Ok(Some(rows.with_context(|| {
        format!("{}: not a micro.csv", path.display())
    })?))
}

fn time(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| units::format(v, Measure::Wall))
}

fn interval(r: &MicroRow) -> String {
    match (r.median_ns, r.median_lo_ns, r.median_hi_ns) {
        (Some(p), Some(lo), Some(hi)) => units::format_interval(p, lo, hi, Measure::Wall),
        _ => "-".into(),
    }
}

fn count(v: Option<u64>) -> String {
    v.map_or("-".into(), |v| {
        units::format(v as f64, Measure::Instructions)
    })
}

/// The table for the terminal (fits 100 columns).
pub fn terminal_table(rows: &[MicroRow]) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    let counted = rows.iter().any(|r| r.instructions.is_some());
    let mut header = vec!["benchmark", "config", "median time", "95% CI (criterion)"];
    if counted {
        header.push("instructions");
    }
    table.set_header(header);
    for r in rows {
        let mut cells = vec![
            Cell::new(&r.benchmark),
            Cell::new(&r.config),
            Cell::new(time(r.median_ns)).set_alignment(CellAlignment::Right),
            Cell::new(interval(r)),
        ];
        if counted {
            cells.push(Cell::new(count(r.instructions)).set_alignment(CellAlignment::Right));
        }
        table.add_row(cells);
    }
    format!("{table}\nCI: criterion's, over its samples in one process (not between processes).")
}

/// The table for the report's Summary section.
pub fn html_table(rows: &[MicroRow]) -> String {
    let counted = rows.iter().any(|r| r.instructions.is_some());
    let mut t = String::from(
        "<table><tr><th>benchmark</th><th>config</th><th>samples</th><th>median time</th>\
         <th>95% CI</th><th>mean time</th>",
    );
    if counted {
        t.push_str("<th>instructions</th>");
    }
    t.push_str("</tr>");
    for r in rows {
        let _ = write!(
            t,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td>",
            escape(&r.benchmark),
            escape(&r.config),
            r.samples,
            time(r.median_ns),
            interval(r),
            time(r.mean_ns),
        );
        if counted {
            let _ = write!(t, "<td class=\"num\">{}</td>", count(r.instructions));
        }
        t.push_str("</tr>");
    }
    let counts = if counted {
        "instruction counts (one iteration, exactly repeatable) from gungraun under callgrind; \"-\" where a tool did not measure the benchmark"
    } else {
        "no instruction counts (run <code>harness micro --instructions</code> for them)"
    };
    let _ = write!(
        t,
        "</table><p class=\"meta\">Times from criterion, {counts}. {NOTE}</p>"
    );
    t
}

/// One distribution plot per group: every criterion sample of every benchmark × config of
/// the group, on a log axis when they differ by more than 5x.
pub fn group_figures(
    series: &BTreeMap<Key, Vec<Invocation>>,
    layout: &Layout,
    plots_dir: &Path,
) -> Result<Vec<Figure>> {
    let mut groups: Vec<(String, Vec<Group>)> = Vec::new();
    for (suite, bench) in &layout.benchmarks {
        for (colour, config) in layout.configs.iter().enumerate() {
            let key = Key {
                suite: suite.clone(),
                benchmark: bench.clone(),
                config: config.clone(),
            };
            let Some(invs) = series.get(&key) else {
                continue;
            };
            let samples: Vec<f64> = invs.iter().flat_map(|i| i.series.clone()).collect();
            let name = group_of(bench).to_string();
            let label = bench
                .strip_prefix(&format!("{name}/"))
                .unwrap_or(bench)
                .to_string();
            let entry = match groups.iter_mut().find(|(g, _)| *g == name) {
                Some(e) => e,
                None => {
                    groups.push((name, Vec::new()));
                    groups.last_mut().expect("just pushed")
                }
            };
            entry.1.push(Group {
                config: format!("{label} {config}"),
                colour,
                iterations: samples,
                invocations: Vec::new(),
            });
        }
    }
    let mut figures = Vec::new();
    for (group, members) in groups {
        let plot = DistributionPlot {
            title: format!("{group}: time per iteration, every criterion sample"),
            measure: Measure::Wall,
            dot_meaning: "criterion sample (mean of a batch)".into(),
            value_name: "time per iteration".into(),
            groups: members,
        };
        let name = format!("micro-{}", slug(&group));
        render(&plot, plots_dir, &name)?;
        figures.push(Figure {
            name,
            caption: format!(
                "Group {group}: one column per benchmark and config; dots are criterion's samples (each the mean time per iteration of a batch), the box their middle half with the median{}.",
                if plot.log_axis() { "; log scale, the benchmarks differ by more than 5x" } else { "" }
            ),
        });
    }
    Ok(figures)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(benchmark: &str, config: &str, median: Option<f64>, instr: Option<u64>) -> MicroRow {
        MicroRow {
            benchmark: benchmark.into(),
            config: config.into(),
            samples: 20,
            median_ns: median,
            median_lo_ns: median.map(|m| m * 0.99),
            median_hi_ns: median.map(|m| m * 1.02),
            mean_ns: median,
            instructions: instr,
        }
    }

    #[test]
    fn each_value_gets_its_own_unit_and_the_table_fits_100_columns() {
        let rows = vec![
            row(
                "compile/adds1000",
                "jit-spec",
                Some(1_020_000.0),
                Some(12_300_000),
            ),
            row("cache/call", "interp", Some(21.4), None),
            row("profile/record1024", "default", None, Some(15_387)),
        ];
        let text = terminal_table(&rows);
        assert!(
            text.contains("1.02 ms") && text.contains("[1.01, 1.04] ms"),
            "{text}"
        );
        assert!(
            text.contains("21.4 ns") && text.contains("12.3 M instr"),
            "{text}"
        );
        assert!(text.contains("15.4 k instr"), "{text}");
        assert!(!text.contains("0.000"), "{text}");
        for line in text.lines() {
            assert!(line.chars().count() <= 100, "{line}");
        }
        assert_eq!(rows[0].group(), "compile");
    }

    #[test]
    fn micro_csv_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let rows = vec![
            row("compile/adds1000", "jit", Some(1.5e6), None),
            row("run/loop10k", "jit-spec", Some(3.0e4), Some(90_000)),
        ];
        write(dir.path(), &rows).unwrap();
        assert_eq!(read(dir.path()).unwrap(), Some(rows));
        assert_eq!(read(&dir.path().join("nope")).unwrap(), None);
    }
}
