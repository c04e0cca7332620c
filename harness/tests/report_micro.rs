//! `harness micro --no-run` folds criterion's saved samples (and, with `--instructions`,
//! gungraun's counts) into a run folder in the suite-run format (results.csv, summary.csv,
//! run.json, plots, index.html) plus the side-by-side table micro.csv, and prints that table
//! with every value in its own unit.

#[path = "report_support/mod.rs"]
mod support;

use std::process::Command;

fn write_bench(root: &std::path::Path, dir: &str, full_id: &str, per_iter_ns: f64) {
    let new = root.join(dir).join("new");
    std::fs::create_dir_all(&new).unwrap();
    std::fs::write(
        new.join("benchmark.json"),
        format!(r#"{{"group_id":"g","full_id":"{full_id}"}}"#),
    )
    .unwrap();
    let iters: Vec<f64> = (1..=10).map(|i| (i * 10) as f64).collect();
    let times: Vec<f64> = iters.iter().map(|n| n * per_iter_ns).collect();
    std::fs::write(
        new.join("sample.json"),
        serde_json::json!({"sampling_mode": "Linear", "iters": iters, "times": times}).to_string(),
    )
    .unwrap();
    let estimate = |point: f64| {
        serde_json::json!({"point_estimate": point, "standard_error": point * 0.01,
            "confidence_interval": {"confidence_level": 0.95,
                "lower_bound": point * 0.99, "upper_bound": point * 1.02}})
    };
    std::fs::write(
        new.join("estimates.json"),
        serde_json::json!({"mean": estimate(per_iter_ns * 1.01), "median": estimate(per_iter_ns),
            "median_abs_dev": estimate(1.0), "std_dev": estimate(1.0)})
        .to_string(),
    )
    .unwrap();
}

/// A gungraun summary.json (the fields read) for `GROUP_group::function` with case `id`.
fn write_count(root: &std::path::Path, group: &str, id: &str, ir: u64) {
    let dir = root.join(format!(
        "ruff-jit/jit_micro_instructions/{group}_group/{id}"
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("summary.json"),
        serde_json::json!({
            "module_path": format!("jit_micro_instructions::{group}_group::{group}"),
            "id": id,
            "profiles": [{"tool": "Callgrind", "data": {"total": {"metrics": {
                "Ir": {"change": null, "values": {"new": ir}}}}}}]
        })
        .to_string(),
    )
    .unwrap();
}

#[test]
fn criterion_samples_become_a_run_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let criterion = tmp.path().join("target/criterion");
    write_bench(
        &criterion,
        "compile/adds1000_jit-spec",
        "compile/adds1000/jit-spec",
        2_000_000.0,
    );
    write_bench(
        &criterion,
        "compile/adds1000_jit",
        "compile/adds1000/jit",
        1_000_000.0,
    );
    write_bench(
        &criterion,
        "profile/record1024",
        "profile/record1024",
        900.0,
    );
    let gungraun = tmp.path().join("target/gungraun");
    write_count(&gungraun, "compile", "adds1000_jit_spec", 12_300_000);
    write_count(&gungraun, "specialize", "decide1024", 4_200);
    let out = tmp.path().join("reports");
    let o = Command::new(env!("CARGO_BIN_EXE_harness"))
        .current_dir(tmp.path())
        .env("CARGO_TARGET_DIR", tmp.path().join("target"))
        .args([
            "micro",
            "--no-run",
            "--instructions",
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", support::stderr(&o));
    let run = std::fs::read_dir(&out)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let csv = std::fs::read_to_string(run.join("results.csv")).unwrap();
    assert_eq!(
        csv.lines().count(),
        1 + 30,
        "a header and 10 samples per benchmark"
    );
    // Times from criterion, the instruction count of the same benchmark beside them.
    assert!(
        csv.contains(",micro,compile/adds1000,jit-spec,0,0,2000000,ok,12300000,"),
        "{csv}"
    );
    assert!(
        csv.contains(",micro,profile/record1024,default,0,9,900,ok,"),
        "{csv}"
    );
    for file in [
        "summary.csv",
        "micro.csv",
        "run.json",
        "index.html",
        "plots/micro-compile.png",
        "plots/micro-profile.png",
    ] {
        assert!(run.join(file).is_file(), "{file}");
    }
    // One plot per group, not per benchmark.
    let plots = std::fs::read_dir(run.join("plots")).unwrap().count();
    assert_eq!(plots, 2 * 2, "{plots} files: PNG and SVG of 2 groups");
    let table = String::from_utf8_lossy(&o.stdout);
    for needle in [
        "2.00 ms",
        "[1.98, 2.04] ms",
        "12.3 M instr",
        "900 ns",
        "4.20 k instr",
        "criterion",
    ] {
        assert!(table.contains(needle), "{needle}: {table}");
    }
    assert!(!table.contains("0.000"), "{table}");
    let html = std::fs::read_to_string(run.join("index.html")).unwrap();
    assert!(html.contains("12.3 M instr") && html.contains("2.00 ms"));
}
