//! The plot kinds: the decisions they make from data (log axis, significance marks, event
//! lanes, panel headings) and that each renders to a PNG and an SVG that carry their key.

use harness::exec::Measure;
use harness::output::results::ResultRow;
use harness::plots::distribution::{DistributionPlot, Group};
use harness::plots::speedup::{SpeedupPlot, SpeedupPoint};
use harness::plots::warmup::{Curve, Events, Panel, WarmupPlot};
use harness::plots::{render, Plot};
use harness::report::figures::{class_heading, events_by_iteration};
use harness::stats::SteadyClass;

fn group(config: &str, colour: usize, around: f64) -> Group {
    Group {
        config: config.into(),
        colour,
        iterations: (0..20)
            .map(|i| around * (1.0 + 0.01 * f64::from(i % 5)))
            .collect(),
        invocations: vec![around, around * 1.02, around * 0.99],
    }
}

fn distribution(groups: Vec<Group>) -> DistributionPlot {
    DistributionPlot {
        title: "fib: steady-state times per config".into(),
        measure: Measure::Wall,
        dot_meaning: "steady-state iteration".into(),
        value_name: "steady-state time".into(),
        groups,
    }
}

#[test]
fn distributions_use_a_log_axis_only_when_configs_differ_by_more_than_5x() {
    let far = distribution(vec![group("interp", 0, 11e6), group("jit-spec", 1, 0.6e6)]);
    assert!(far.log_axis());
    let near = distribution(vec![group("interp", 0, 11e6), group("jit", 1, 9e6)]);
    assert!(!near.log_axis());
    let single = distribution(vec![group("interp", 0, 11e6)]);
    assert!(!single.log_axis());
}

#[test]
fn a_speedup_is_significant_when_its_ci_excludes_1() {
    let p = |ci| SpeedupPoint {
        benchmark: "fib".into(),
        config: "jit".into(),
        point: 1.5,
        ci,
    };
    assert!(p(Some((1.1, 2.0))).significant());
    assert!(p(Some((0.2, 0.9))).significant());
    assert!(!p(Some((0.9, 2.0))).significant());
    assert!(
        !p(None).significant(),
        "no CI (too few invocations) is never significant"
    );
}

#[test]
fn panel_headings_give_the_class_or_the_split() {
    use SteadyClass::*;
    assert_eq!(class_heading(&[Warmup; 5]), "warmup (5 of 5 invocations)");
    assert_eq!(
        class_heading(&[Flat, Warmup, Flat, NoSteadyState]),
        "inconsistent: flat 2, warmup 1, no-steady-state 1"
    );
}

fn row(invocation: u32, iteration: u32, compile_ns: u64, osr: u64, deopts: u64) -> ResultRow {
    ResultRow {
        run_id: "r".into(),
        suite: "s".into(),
        benchmark: "fib".into(),
        config: "jit-spec".into(),
        invocation,
        iteration,
        wall_ns: Some(1000),
        status: harness::exec::Status::Ok,
        instructions: None,
        compile_ns: Some(compile_ns),
        deopts: Some(deopts),
        guard_failures: Some(0),
        osr_entries: Some(osr),
        max_rss_kb: None,
        compiles: Some(u64::from(compile_ns > 0)),
        other_cpu: None,
        steal: None,
        load_1m: None,
        cpu_mhz: None,
    }
}

#[test]
fn events_come_from_the_per_iteration_counters() {
    let rows = vec![
        row(0, 1, 0, 0, 3),
        row(0, 0, 2_000_000, 1, 0),
        row(0, 2, 0, 0, 0),
        row(1, 0, 0, 0, 0),
    ];
    let events = events_by_iteration(&rows);
    let first: Vec<Events> = events.values().next().unwrap().clone();
    assert_eq!(
        first,
        [
            Events {
                compiles: 1,
                osr_entries: 1,
                deopts: 0
            },
            Events {
                compiles: 0,
                osr_entries: 0,
                deopts: 3
            },
            Events::default(),
        ]
    );
    assert_eq!(events.len(), 2);
}

/// Renders `plot` and returns the SVG text (the PNG is checked to exist and to be a PNG).
fn rendered(plot: &impl Plot, name: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    render(plot, dir.path(), name).unwrap();
    let png = std::fs::read(dir.path().join(format!("{name}.png"))).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    std::fs::read_to_string(dir.path().join(format!("{name}.svg"))).unwrap()
}

#[test]
fn every_plot_kind_explains_its_marks_in_the_image() {
    let svg = rendered(
        &distribution(vec![group("interp", 0, 11e6), group("jit-spec", 1, 0.6e6)]),
        "dist",
    );
    for words in ["log scale", "invocation value", "middle half", "ms"] {
        assert!(svg.contains(words), "distribution: {words}");
    }

    let curve = |inv: u32, slow: f64| Curve {
        invocation: inv,
        series: (0..10).map(|i| if i == 0 { slow } else { 1e6 }).collect(),
        steady_start: 1,
        events: vec![Events {
            compiles: 1,
            osr_entries: 0,
            deopts: 0,
        }],
    };
    let warmup = WarmupPlot {
        title: "fib: warm-up".into(),
        measure: Measure::Wall,
        panels: vec![Panel {
            config: "jit-spec".into(),
            colour: 1,
            class: "warmup (2 of 2 invocations)".into(),
            curves: vec![curve(0, 9e6), curve(1, 3e6)],
            level: Some(1e6),
        }],
    };
    let svg = rendered(&warmup, "warmup");
    for words in [
        "median of invocations",
        "steady state",
        "compile",
        "deopt",
        "OSR",
    ] {
        assert!(svg.contains(words), "warm-up: {words}");
    }
    // 9 ms at iteration 0 is far above the rest: clipped, and the maximum named.
    assert!(svg.contains("clipped, max 9.00 ms"), "clip note");

    let speedup = SpeedupPlot {
        reference: "interp".into(),
        benchmarks: vec!["fib".into()],
        configs: vec!["interp".into(), "jit".into()],
        points: vec![SpeedupPoint {
            benchmark: "fib".into(),
            config: "jit".into(),
            point: 2.5,
            ci: Some((2.0, 3.0)),
        }],
        confidence: 0.95,
    };
    let svg = rendered(&speedup, "speedup");
    for words in ["CI excludes 1", "2.50x", "log scale"] {
        assert!(svg.contains(words), "speedup: {words}");
    }
}

#[test]
fn the_median_curve_stops_when_fewer_than_half_the_invocations_run() {
    let curve = |invocation: u32, len: usize, level: f64| Curve {
        invocation,
        series: vec![level; len],
        steady_start: 0,
        events: Vec::new(),
    };
    // Three invocations of 4 iterations and one of 10: after iteration 3 only one runs.
    let curves = [
        curve(0, 4, 1.0),
        curve(1, 4, 2.0),
        curve(2, 4, 3.0),
        curve(3, 10, 9.0),
    ];
    let m = harness::plots::warmup::median_curve(&curves);
    assert_eq!(m, vec![(0, 2.5), (1, 2.5), (2, 2.5), (3, 2.5)]);
    // Two of four (half) still count.
    let m = harness::plots::warmup::median_curve(&[
        curve(0, 4, 1.0),
        curve(1, 4, 2.0),
        curve(2, 10, 3.0),
        curve(3, 10, 9.0),
    ]);
    assert_eq!(m.len(), 10);
    assert_eq!(m[9], (9, 6.0));
    let m = harness::plots::warmup::median_curve(&[
        curve(0, 6, 1.0),
        curve(1, 6, 3.0),
        curve(2, 8, 5.0),
    ]);
    assert_eq!(m.last(), Some(&(5, 3.0)));
}
