//! The headline of `harness run` end to end, on suites/smoke with the real `ruff` (built next
//! to `harness` by `cargo test --workspace`): it is the first thing on stdout, every line
//! printed (stdout and stderr) fits 100 columns, and the same headline is in run.json and is
//! the first section of index.html.

use std::path::{Path, PathBuf};
use std::process::Command;

fn ruff_next_to_harness() -> PathBuf {
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_harness"));
    let dir = exe.parent().unwrap();
    [dir.join("ruff"), dir.join("../release/ruff")]
        .into_iter()
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "no ruff binary next to {}: run `cargo build -p ruff-jit` with the same profile, \
                 or `cargo test --workspace`",
                exe.display()
            )
        })
}

#[test]
fn smoke_run_prints_the_headline_first_within_100_columns() {
    let smoke = Path::new(env!("CARGO_MANIFEST_DIR")).join("../suites/smoke");
    let tmp = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_harness"))
        .args([
            "run",
            smoke.to_str().unwrap(),
            "-n",
            "3",
            "-i",
            "4",
            "--ruff",
        ])
        .arg(ruff_next_to_harness())
        .arg("--out")
        .arg(tmp.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stdout}\n{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0], "verified: all 36 invocations printed the expected result",
        "{stdout}"
    );
    assert!(
        lines[1].starts_with("speedup over interp (geometric mean of 3 benchmarks, 95% CI"),
        "{stdout}"
    );
    for config in ["jit", "jit-spec", "jit-spec-hoist"] {
        let line = lines[2..5]
            .iter()
            .find(|l| l.split_whitespace().next() == Some(config))
            .unwrap_or_else(|| panic!("no headline line for {config}:\n{stdout}"));
        assert!(
            line.contains("x [") && line.contains("faster on "),
            "{line}"
        );
    }
    // The table comes after the headline.
    let table = lines
        .iter()
        .position(|l| l.starts_with("benchmark "))
        .unwrap();
    assert!(table > 4, "{stdout}");
    for line in stdout.lines().chain(stderr.lines()) {
        assert!(
            line.chars().count() <= 100,
            "{} columns: {line}",
            line.chars().count()
        );
    }

    let run_dir = std::fs::read_dir(tmp.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run_dir.join("run.json")).unwrap()).unwrap();
    let h = &json["headline"];
    assert_eq!(h["invocations"], 36, "{h}");
    assert_eq!(h["ok"], 36, "{h}");
    assert_eq!(h["reference"], "interp", "{h}");
    assert_eq!(h["configs"].as_array().unwrap().len(), 3, "{h}");
    let spec = &h["configs"][1];
    assert_eq!(spec["config"], "jit-spec");
    let (g, lo, hi) = (
        spec["geomean"].as_f64().unwrap(),
        spec["lower"].as_f64().unwrap(),
        spec["upper"].as_f64().unwrap(),
    );
    assert!(lo <= g && g <= hi, "{spec}");
    // The terminal shows the run.json numbers.
    assert!(
        lines[3].contains(&format!("x [{}, ", harness::table::ratio(lo))),
        "{}",
        lines[3]
    );

    let html = std::fs::read_to_string(run_dir.join("index.html")).unwrap();
    let headline = html
        .find("<section id=\"headline\">")
        .expect("a Headline section");
    let first_section = html.find("<section id=").unwrap();
    assert_eq!(headline, first_section, "Headline is the first section");
    assert!(html[headline..].contains("Verified: all 36 invocations printed the expected result."));
}
