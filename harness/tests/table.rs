//! The terminal table of `harness run`, from summary rows the analysis makes of synthetic
//! results: within 100 columns by default whatever the names, speedups whose CI excludes 1
//! marked, the reference named, each benchmark's name once, a legend; `--wide` has every
//! column; failures get a column only when there are some.

use harness::analysis::{analyse, AnalysisOptions, SummaryRow};
use harness::exec::{Measure, Status};
use harness::output::results::ResultRow;
use harness::table::{render, WIDTH};

/// Rows of `benchmarks` × configs (interp 10 ms, jit 9.9 ms, jit-spec 1 ms) with 5
/// invocations of 8 iterations each and a little seeded noise; `crash` makes one jit-spec
/// invocation of the first benchmark crash.
fn rows(benchmarks: &[&str], crash: bool) -> Vec<ResultRow> {
    use rand::Rng;
    let mut out = Vec::new();
    for b in benchmarks {
        for (config, ns) in [("interp", 10e6), ("jit", 9.9e6), ("jit-spec", 1e6)] {
            for inv in 0..5u32 {
                let mut rng = harness::stats::rng_for(u64::from(inv), &format!("{b}/{config}"));
                let level = ns * (1.0 + rng.gen_range(-0.03..0.03));
                let failed = crash && *b == benchmarks[0] && config == "jit-spec" && inv == 2;
                for it in 0..8u32 {
                    out.push(ResultRow {
                        run_id: "r".into(),
                        suite: "s".into(),
                        benchmark: b.to_string(),
                        config: config.into(),
                        invocation: inv,
                        iteration: it,
                        wall_ns: Some((level * (1.0 + rng.gen_range(-0.01..0.01))) as u64),
                        status: if failed { Status::Crash } else { Status::Ok },
                        instructions: None,
                        compile_ns: None,
                        deopts: None,
                        guard_failures: None,
                        osr_entries: None,
                        max_rss_kb: None,
                        compiles: None,
                        other_cpu: None,
                        steal: None,
                        load_1m: None,
                        cpu_mhz: None,
                    });
                }
            }
        }
    }
    out
}

fn summary(benchmarks: &[&str], crash: bool) -> Vec<SummaryRow> {
    let options = AnalysisOptions {
        measure: Measure::Wall,
        reference: "interp".into(),
        seed: 3,
        resamples: 2000,
        confidence: 0.95,
    };
    analyse(&rows(benchmarks, crash), &options).summary
}

#[test]
fn the_default_table_fits_100_columns_and_marks_significant_speedups() {
    let long = "a_benchmark_with_a_name_much_longer_than_any_column_should_be";
    let s = summary(&["fib", long], false);
    let text = render(&s, 0.95, false);
    for line in text.lines() {
        assert!(
            line.chars().count() <= WIDTH,
            "{} wide: {line}",
            line.chars().count()
        );
    }
    let lines: Vec<&str> = text.lines().collect();
    // The 10x speedup of jit-spec is marked; jit's 1% is within noise, not marked.
    let spec = lines.iter().find(|l| l.contains("jit-spec")).unwrap();
    assert!(spec.contains("x [") && spec.contains("] *"), "{spec}");
    let jit = lines.iter().find(|l| l.contains(" jit ")).unwrap();
    assert!(jit.contains("x [") && !jit.contains("] *"), "{jit}");
    assert!(lines
        .iter()
        .any(|l| l.contains("interp") && l.contains("reference")));
    // Each benchmark named once; the long name cut with an ellipsis.
    assert_eq!(lines.iter().filter(|l| l.starts_with("fib ")).count(), 1);
    assert!(text.contains('…'), "{text}");
    // The long name is cut in the middle, keeping its end.
    assert!(text.contains("…any_column_should_be"), "{text}");
    // One legend line; the † line only when a median carries the mark.
    let legend = lines
        .iter()
        .position(|l| l.starts_with("* 95% CI excludes 1 · steady: f flat"))
        .unwrap();
    let daggers = lines[..legend].iter().any(|l| l.contains('†'));
    assert_eq!(
        lines
            .get(legend + 1)
            .is_some_and(|l| l.starts_with("† no steady state")),
        daggers,
        "{text}"
    );
    assert!(
        text.contains("10.1 ms") && text.contains("1.02 ms"),
        "{text}"
    );
    assert!(
        !text.contains("failed"),
        "no failure column without failures"
    );
}

#[test]
fn failures_get_a_column_and_wide_shows_everything() {
    let s = summary(&["fib"], true);
    let text = render(&s, 0.95, false);
    assert!(
        text.contains("failed") && text.contains("1 of 5: crash=1"),
        "{text}"
    );
    for line in text.lines() {
        assert!(line.chars().count() <= WIDTH, "{line}");
    }
    let wide = render(&s, 0.95, true);
    for column in [
        "mean",
        "CV",
        "iteration 0",
        "outliers",
        "steady state (f/w/s/p/n/t)",
    ] {
        assert!(wide.contains(column), "{column}: {wide}");
    }
    assert!(wide.lines().any(|l| l.chars().count() > WIDTH));
}

/// Rows of one benchmark under interp whose invocation `inv`'s iteration `it` takes
/// `shape(inv, it)` nanoseconds (20 iterations, 3 invocations).
fn shaped(shape: impl Fn(u32, u32) -> f64) -> Vec<ResultRow> {
    let mut out = rows(&["x"], false);
    out.retain(|r| r.config == "interp" && r.invocation < 3 && r.iteration == 0);
    let template = out[0].clone();
    let mut rows = Vec::new();
    for inv in 0..3 {
        for it in 0..20 {
            rows.push(ResultRow {
                invocation: inv,
                iteration: it,
                wall_ns: Some(shape(inv, it) as u64),
                ..template.clone()
            });
        }
    }
    rows
}

#[test]
fn classes_get_their_own_columns_and_no_steady_state_is_labelled() {
    let options = AnalysisOptions {
        measure: Measure::Wall,
        reference: "interp".into(),
        seed: 3,
        resamples: 1000,
        confidence: 0.95,
    };
    let wiggle = |it: u32| 1.0 + 0.0005 * f64::from((it * 7919) % 11);
    // Invocation 0 warms up for 4 iterations, 1 for 6, 2 is flat: the warm-up column is the
    // median over the two warm-ups only (5 it), not over all three (4 it).
    let warm = shaped(|inv, it| {
        let k = [4, 6, 0][inv as usize];
        1e7 * wiggle(it) * if it < k { 3.0 } else { 1.0 }
    });
    let s = &analyse(&warm, &options).summary[0];
    assert_eq!((s.warmup, s.flat, s.warmup_median), (2, 1, Some(5.0)));

    // An alternation is periodic, with its mean level as the value.
    let alt = shaped(|_, it| 1e7 * wiggle(it) * if it % 2 == 0 { 1.0 } else { 1.5 });
    let s = &analyse(&alt, &options).summary[0];
    assert_eq!(
        (s.steady_class.as_str(), s.period_median),
        ("periodic", Some(2.0))
    );
    assert!((s.median.unwrap() / 1.25e7 - 1.0).abs() < 0.01);
    let text = render(std::slice::from_ref(s), 0.95, false);
    assert!(text.contains("periodic p2"), "{text}");

    // A drift has no steady state: the median is the last segments', marked †.
    let drift = shaped(|_, it| 1e7 * 1.05f64.powi(it as i32));
    let s = &analyse(&drift, &options).summary[0];
    assert_eq!(
        (s.steady_class.as_str(), s.value_basis.as_str()),
        ("no-steady-state", "last-segment")
    );
    assert!(render(std::slice::from_ref(s), 0.95, false).contains("ms†"));

    // A change two iterations before the end of a 20-iteration run: too short, said so.
    let late = shaped(|_, it| 1e7 * wiggle(it) * if it < 18 { 1.0 } else { 2.0 });
    let s = &analyse(&late, &options).summary[0];
    assert_eq!(
        (s.steady_class.as_str(), s.too_short_need),
        ("too-short", Some(6))
    );
    let text = render(std::slice::from_ref(s), 0.95, false);
    assert!(
        text.contains(
            "x interp: too short: need >= 6 iterations after the last change (3 of 3 invocations)"
        ),
        "{text}"
    );
}

#[test]
fn long_notes_wrap_within_100_columns_keeping_every_word() {
    let note = "arithmetic_intensive jit-spec-hoist: too short: need >= 4 iterations after the \
                last change (1 of 5 invocations) and then some more words to pass one hundred";
    let wrapped = harness::table::wrap(note);
    let lines: Vec<&str> = wrapped.lines().collect();
    assert!(lines.len() >= 2, "{wrapped}");
    assert!(
        lines.iter().all(|l| l.chars().count() <= WIDTH),
        "{wrapped}"
    );
    assert!(
        lines[1].starts_with("  ") && !lines[1].starts_with("   "),
        "{wrapped}"
    );
    let words: Vec<&str> = wrapped.split_whitespace().collect();
    assert_eq!(words, note.split_whitespace().collect::<Vec<_>>());
    assert_eq!(harness::table::wrap("short"), "short");
}
