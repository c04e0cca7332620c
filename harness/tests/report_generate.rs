//! `harness report` on a synthetic run folder: PNG and SVG plots are written, `index.html`
//! references exactly images that exist and decode as PNG, and a failed invocation is listed.

#[path = "report_support/mod.rs"]
mod support;

use support::{harness, stderr, write_run, Spec};

/// The `src` attributes of every `<img>` in `html`.
fn img_sources(html: &str) -> Vec<String> {
    html.split("<img ")
        .skip(1)
        .filter_map(|tag| {
            let start = tag.find("src=\"")? + 5;
            let end = tag[start..].find('"')? + start;
            Some(tag[start..end].to_string())
        })
        .collect()
}

#[test]
fn report_writes_plots_and_a_page_that_references_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_run(
        &tmp.path().join("run"),
        &Spec {
            plant_failure: true,
            ..Spec::default()
        },
    );
    let o = harness(tmp.path(), &["report", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
    let sources = img_sources(&html);
    for expected in [
        "plots/speedup.png",
        "plots/jit-stats.png",
        "plots/warmup-synth-fib.png",
        "plots/dist-synth-loop.png",
    ] {
        assert!(
            sources.iter().any(|s| s == expected),
            "{expected} in {sources:?}"
        );
    }
    for src in &sources {
        let bytes = std::fs::read(dir.join(src)).unwrap_or_else(|_| panic!("{src} exists"));
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{src} is a PNG");
        let svg = dir.join(src.replace(".png", ".svg"));
        let svg = std::fs::read_to_string(&svg).unwrap();
        assert!(
            svg.contains("<svg") && svg.contains("<text"),
            "{} has text",
            src
        );
    }
    // Environment and method come from run.json; the failure is listed.
    assert!(html.contains("Synthetic CPU"));
    assert!(html.contains("PELT"));
    assert!(html.contains("wrong-output"));
    assert!(!html.contains("{{"), "every placeholder filled");
}

#[test]
fn report_of_a_missing_run_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let o = harness(tmp.path(), &["report", "does-not-exist"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a directory"), "{}", stderr(&o));
}
