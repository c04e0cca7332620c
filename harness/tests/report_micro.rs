//! `harness micro --no-run` folds criterion's saved samples into a run folder in the suite-run
//! format (results.csv, summary.csv, run.json, plots, index.html).

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
    let out = tmp.path().join("reports");
    let o = Command::new(env!("CARGO_BIN_EXE_harness"))
        .current_dir(tmp.path())
        .env("CARGO_TARGET_DIR", tmp.path().join("target"))
        .args(["micro", "--no-run", "--out", out.to_str().unwrap()])
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
    assert!(
        csv.contains(",micro,compile/adds1000,jit-spec,0,0,2000000,ok,"),
        "{csv}"
    );
    assert!(
        csv.contains(",micro,profile/record1024,default,0,9,900,ok,"),
        "{csv}"
    );
    for file in [
        "summary.csv",
        "run.json",
        "index.html",
        "plots/dist-micro-compile_adds1000.png",
    ] {
        assert!(run.join(file).is_file(), "{file}");
    }
}
