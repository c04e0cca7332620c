//! Units for people: a measured value is shown in the unit that gives it one to three digits
//! before the point (`637 µs`, not `0.000637 s` or `0.001 ms`), with three significant digits.
//! The terminal table, the HTML report and the plots all format through here, so a value
//! reads the same everywhere. Values are in the measure's base unit: nanoseconds for wall
//! time, single instructions for instruction counts.

use crate::exec::Measure;

/// A display unit: raw value × `scale` = value in `name`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Unit {
    pub name: &'static str,
    pub scale: f64,
}

const TIME: [Unit; 4] = [
    Unit {
        name: "ns",
        scale: 1.0,
    },
    Unit {
        name: "µs",
        scale: 1e-3,
    },
    Unit {
        name: "ms",
        scale: 1e-6,
    },
    Unit {
        name: "s",
        scale: 1e-9,
    },
];

const COUNT: [Unit; 4] = [
    Unit {
        name: "instr",
        scale: 1.0,
    },
    Unit {
        name: "k instr",
        scale: 1e-3,
    },
    Unit {
        name: "M instr",
        scale: 1e-6,
    },
    Unit {
        name: "G instr",
        scale: 1e-9,
    },
];

fn ladder(measure: Measure) -> &'static [Unit; 4] {
    match measure {
        Measure::Wall => &TIME,
        Measure::Instructions => &COUNT,
    }
}

/// The largest unit in which `magnitude` is at least 1 (the smallest unit for 0 or NaN).
pub fn unit_for(magnitude: f64, measure: Measure) -> Unit {
    let units = ladder(measure);
    let m = magnitude.abs();
    units
        .iter()
        .rev()
        .find(|u| m * u.scale >= 1.0 - 1e-9)
        .copied()
        .unwrap_or(units[0])
}

/// One unit for a set of values shown together (an axis, a column of related numbers): the
/// one of their median magnitude, so most of them read with one to three digits.
pub fn unit_for_all(values: &[f64], measure: Measure) -> Unit {
    let mut finite: Vec<f64> = values
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .map(f64::abs)
        .collect();
    if finite.is_empty() {
        return ladder(measure)[0];
    }
    finite.sort_by(f64::total_cmp);
    unit_for(finite[finite.len() / 2], measure)
}

/// `v` in `unit` with three significant digits (at least no decimals): `637`, `63.7`, `6.37`.
pub fn number(v: f64, unit: Unit) -> String {
    let x = v * unit.scale;
    let decimals = match x.abs() {
        a if a >= 100.0 => 0,
        a if a >= 10.0 => 1,
        _ => 2,
    };
    format!("{x:.decimals$}")
}

/// `v` with its own unit: `637 µs`, `12.3 ms`, `1.50 G instr`.
pub fn format(v: f64, measure: Measure) -> String {
    let unit = unit_for(v, measure);
    format!("{} {}", number(v, unit), unit.name)
}

/// A confidence interval with one unit for both ends (the unit of the point estimate), so the
/// two ends compare at a glance: `[589, 796] µs`.
pub fn format_interval(point: f64, lo: f64, hi: f64, measure: Measure) -> String {
    let unit = unit_for(point, measure);
    format!("[{}, {}] {}", number(lo, unit), number(hi, unit), unit.name)
}

/// The measure of a `summary.csv` `measure` cell (`wall_ns` or `instructions`).
pub fn measure_of_column(name: &str) -> Measure {
    if name == "instructions" {
        Measure::Instructions
    } else {
        Measure::Wall
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_unit_per_value() {
        assert_eq!(format(637_060.0, Measure::Wall), "637 µs");
        assert_eq!(format(12_345_678.0, Measure::Wall), "12.3 ms");
        assert_eq!(format(999.0, Measure::Wall), "999 ns");
        assert_eq!(format(3.2, Measure::Wall), "3.20 ns");
        assert_eq!(format(1.5e9, Measure::Wall), "1.50 s");
        assert_eq!(format(2.5e10, Measure::Wall), "25.0 s");
        assert_eq!(format(1.5e9, Measure::Instructions), "1.50 G instr");
        assert_eq!(format(0.0, Measure::Wall), "0.00 ns");
    }

    #[test]
    fn intervals_share_the_point_estimates_unit() {
        assert_eq!(
            format_interval(637_060.0, 589_140.0, 1_390_000.0, Measure::Wall),
            "[589, 1390] µs"
        );
    }

    #[test]
    fn a_set_takes_the_unit_of_its_median() {
        let u = unit_for_all(&[500.0, 2_000.0, 40_000.0, f64::NAN], Measure::Wall);
        assert_eq!(u.name, "µs");
        assert_eq!(unit_for_all(&[], Measure::Wall).name, "ns");
    }
}
