//! `harness baseline save` and `harness compare` on synthetic run folders with known answers:
//! A/A gives no change (exit 0), a planted 10% slowdown is a regression (exit 1), instruction
//! counts compare exactly, and a missing, corrupt or mismatched baseline is exit 2 with a
//! message, never a panic.

#[path = "report_support/mod.rs"]
mod support;

use support::{harness, stderr, stdout, write_run, Spec};

fn code(o: &std::process::Output) -> i32 {
    o.status.code().expect("exited normally")
}

#[test]
fn a_a_runs_show_no_change_for_many_seeds() {
    let tmp = tempfile::tempdir().unwrap();
    let base = write_run(
        &tmp.path().join("base"),
        &Spec {
            seed: 100,
            ..Spec::default()
        },
    );
    for seed in 0..5 {
        let run = write_run(
            &tmp.path().join(format!("aa{seed}")),
            &Spec {
                seed,
                ..Spec::default()
            },
        );
        let o = harness(
            tmp.path(),
            &["compare", base.to_str().unwrap(), run.to_str().unwrap()],
        );
        assert_eq!(code(&o), 0, "seed {seed}: {}{}", stdout(&o), stderr(&o));
        assert!(stdout(&o).contains("0 regression(s)"), "{}", stdout(&o));
    }
}

#[test]
fn a_planted_ten_percent_slowdown_is_a_regression() {
    let tmp = tempfile::tempdir().unwrap();
    let base = write_run(
        &tmp.path().join("base"),
        &Spec {
            seed: 1,
            ..Spec::default()
        },
    );
    let slow = write_run(
        &tmp.path().join("slow"),
        &Spec {
            seed: 2,
            factor: 1.10,
            ..Spec::default()
        },
    );
    let md = tmp.path().join("gate.md");
    let o = harness(
        tmp.path(),
        &[
            "compare",
            base.to_str().unwrap(),
            slow.to_str().unwrap(),
            "--markdown",
            md.to_str().unwrap(),
        ],
    );
    assert_eq!(code(&o), 1, "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    // 2 benchmarks x 3 configs, every one slower by 10%.
    assert!(out.contains("6 regression(s)"), "{out}");
    let md = std::fs::read_to_string(md).unwrap();
    assert!(md.contains("| synth/fib | jit-spec |"), "{md}");
    assert!(md.contains("**regression**"), "{md}");

    // The same data judged with a 15% threshold is not a regression; faster is an improvement.
    let o = harness(
        tmp.path(),
        &[
            "compare",
            base.to_str().unwrap(),
            slow.to_str().unwrap(),
            "--threshold",
            "15%",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let fast = write_run(
        &tmp.path().join("fast"),
        &Spec {
            seed: 3,
            factor: 0.8,
            ..Spec::default()
        },
    );
    let o = harness(
        tmp.path(),
        &["compare", base.to_str().unwrap(), fast.to_str().unwrap()],
    );
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("6 improvement(s)"), "{}", stdout(&o));
}

#[test]
fn instruction_counts_compare_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let base = write_run(
        &tmp.path().join("base"),
        &Spec {
            seed: 1,
            ..Spec::default()
        },
    );
    let same = write_run(
        &tmp.path().join("same"),
        &Spec {
            seed: 9,
            ..Spec::default()
        },
    );
    let o = harness(
        tmp.path(),
        &[
            "compare",
            base.to_str().unwrap(),
            same.to_str().unwrap(),
            "--measure",
            "instructions",
        ],
    );
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("[+0.00%, +0.00%]"), "{}", stdout(&o));

    let plus1 = write_run(
        &tmp.path().join("plus1"),
        &Spec {
            seed: 9,
            factor: 1.01,
            ..Spec::default()
        },
    );
    let o = harness(
        tmp.path(),
        &[
            "compare",
            base.to_str().unwrap(),
            plus1.to_str().unwrap(),
            "--measure",
            "instructions",
        ],
    );
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    // The CI of deterministic counts collapses to the point value.
    assert!(
        stdout(&o).contains("+1.00%  [+1.00%, +1.00%]"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn missing_corrupt_and_mismatched_baselines_are_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let run = write_run(&tmp.path().join("run"), &Spec::default());
    let run = run.to_str().unwrap();

    let o = harness(tmp.path(), &["compare", "no-such-baseline", run]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("baseline `no-such-baseline` not found"),
        "{}",
        stderr(&o)
    );

    let corrupt = tmp.path().join("reports/baselines/corrupt");
    std::fs::create_dir_all(&corrupt).unwrap();
    std::fs::write(corrupt.join("results.csv"), "this is,not\na results file\n").unwrap();
    let o = harness(tmp.path(), &["compare", "corrupt", run]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("results.csv:1: the header must start with `run_id,"),
        "{}",
        stderr(&o)
    );

    std::fs::write(
        corrupt.join("results.csv"),
        format!(
            "{}\nr,synth,fib,interp,0,zero,12,ok,,,,,,\n",
            support::HEADER
        ),
    )
    .unwrap();
    let o = harness(tmp.path(), &["compare", "corrupt", run]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("corrupt baseline"), "{}", stderr(&o));

    let other = write_run(
        &tmp.path().join("other"),
        &Spec {
            suite: "other".into(),
            ..Spec::default()
        },
    );
    let o = harness(tmp.path(), &["compare", other.to_str().unwrap(), run]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("mismatched suites"), "{}", stderr(&o));

    // A benchmark of the baseline that only failed in the run cannot be judged.
    let failing = write_run(
        &tmp.path().join("failing"),
        &Spec {
            plant_failure: true,
            invocations: 1,
            ..Spec::default()
        },
    );
    let o = harness(tmp.path(), &["compare", run, failing.to_str().unwrap()]);
    assert_eq!(code(&o), 2, "{}", stdout(&o));
    assert!(
        stderr(&o).contains("no successful invocation"),
        "{}",
        stderr(&o)
    );

    // Wall-only results judged on instructions.
    let wall_only = tmp.path().join("wall-only");
    std::fs::create_dir_all(&wall_only).unwrap();
    std::fs::write(
        wall_only.join("results.csv"),
        "run_id,suite,benchmark,config,invocation,iteration,wall_ns,status\nr,synth,fib,interp,0,0,100,ok\n",
    )
    .unwrap();
    let o = harness(
        tmp.path(),
        &[
            "compare",
            wall_only.to_str().unwrap(),
            wall_only.to_str().unwrap(),
            "--measure",
            "instructions",
        ],
    );
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("no `instructions` values"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn baseline_save_copies_the_latest_run_and_compare_finds_it_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    write_run(
        &tmp.path().join("reports/2026-01-01T00-00-00-aaaaaa"),
        &Spec::default(),
    );
    let o = harness(tmp.path(), &["baseline", "save", "main"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let saved = tmp.path().join("reports/baselines/main");
    for file in ["results.csv", "summary.csv", "run.json"] {
        assert!(saved.join(file).is_file(), "{file} copied");
    }
    let run = tmp.path().join("reports/2026-01-01T00-00-00-aaaaaa");
    let o = harness(tmp.path(), &["compare", "main", run.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));

    let o = harness(
        tmp.path(),
        &["baseline", "save", "bad name!", run.to_str().unwrap()],
    );
    assert_eq!(code(&o), 2);
    let o = harness(tmp.path(), &["baseline", "save", "x", "/nonexistent/run"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("not a directory"), "{}", stderr(&o));
}

#[test]
fn pairs_judge_a_planted_variant_against_its_original() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = Spec {
        benchmarks: vec![("sum".into(), 10e6), ("sum_plus10".into(), 11e6)],
        ..Spec::default()
    };
    let run = write_run(&tmp.path().join("run"), &spec);
    let run = run.to_str().unwrap();
    let o = harness(
        tmp.path(),
        &["compare", run, run, "--pair", "sum=sum_plus10"],
    );
    assert_eq!(code(&o), 1, "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("3 regression(s)"), "{}", stdout(&o));
    let o = harness(tmp.path(), &["compare", run, run, "--pair", "sum=nope"]);
    assert_eq!(code(&o), 2);
}

#[test]
fn an_overloaded_machine_is_reported_in_wall_mode() {
    let tmp = tempfile::tempdir().unwrap();
    let base = write_run(&tmp.path().join("base"), &Spec::default());
    let run = write_run(
        &tmp.path().join("run"),
        &Spec {
            seed: 5,
            ..Spec::default()
        },
    );
    std::fs::write(
        run.join("run.json"),
        r#"{"machine":{"cores":2,"load_average_start":[9.5,9.0,8.0]},"method":{"seed":1}}"#,
    )
    .unwrap();
    let args = ["compare", base.to_str().unwrap(), run.to_str().unwrap()];
    let o = harness(tmp.path(), &args);
    assert_eq!(code(&o), 2, "no verdict on a busy machine: {}", stdout(&o));
    assert!(
        stderr(&o).contains("machine was busy")
            && stderr(&o).contains("overloaded machine (load average 9.5 on 2 cores)"),
        "{}",
        stderr(&o)
    );
    assert!(!stdout(&o).contains("regression(s)"), "{}", stdout(&o));
    let o = harness(tmp.path(), &[&args[..], &["--allow-noisy"]].concat());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("judged anyway"), "{}", stderr(&o));
    let o = harness(
        tmp.path(),
        &[&args[..], &["--measure", "instructions"]].concat(),
    );
    assert_eq!(code(&o), 0, "counts do not care about load: {}", stderr(&o));
}

/// Adds the noise columns to every row of a synthetic run, as if each invocation ran beside
/// `other_cpu` cores of other work.
fn add_noise(dir: &std::path::Path, other_cpu: f64) {
    let path = dir.join("results.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        out.push_str(line);
        out.push_str(if i == 0 {
            ",compiles,other_cpu,steal,load_1m,cpu_mhz\n"
        } else {
            ""
        });
        if i > 0 {
            out.push_str(&format!(",0,{other_cpu},0.001,1.5,2600\n"));
        }
    }
    std::fs::write(path, out).unwrap();
}

#[test]
fn compare_prints_the_noise_first_and_refuses_a_busy_side() {
    let tmp = tempfile::tempdir().unwrap();
    let base = write_run(&tmp.path().join("base"), &Spec::default());
    let run = write_run(
        &tmp.path().join("run"),
        &Spec {
            seed: 5,
            factor: 1.2, // would be a regression
            ..Spec::default()
        },
    );
    add_noise(&base, 0.05);
    add_noise(&run, 1.0); // a CPU hog on the other core
    let args = ["compare", base.to_str().unwrap(), run.to_str().unwrap()];
    let o = harness(tmp.path(), &args);
    assert_eq!(code(&o), 2, "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("noise: baseline: 0 of 30 invocations busy")
            && out.contains("noise: run: 30 of 30 invocations busy"),
        "{out}"
    );
    assert!(stderr(&o).contains("machine was busy"), "{}", stderr(&o));
    // Judged anyway on request: the verdict comes after the noise state.
    let o = harness(tmp.path(), &[&args[..], &["--allow-noisy"]].concat());
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(out.find("noise:").unwrap() < out.find("regression(s)").unwrap());
    // A quiet run against a quiet baseline is judged as usual.
    let quiet = write_run(
        &tmp.path().join("quiet"),
        &Spec {
            seed: 6,
            ..Spec::default()
        },
    );
    add_noise(&quiet, 0.1);
    let o = harness(
        tmp.path(),
        &["compare", base.to_str().unwrap(), quiet.to_str().unwrap()],
    );
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
}

/// Issue 16's corrupt baselines: each is refused by `baseline save` and by `compare` with
/// exit 2 naming the file, the line and the rule, never judged.
#[test]
fn corrupt_baselines_are_refused_naming_file_line_and_rule() {
    let tmp = tempfile::tempdir().unwrap();
    let run = write_run(&tmp.path().join("run"), &Spec::default());
    let good = std::fs::read_to_string(run.join("results.csv")).unwrap();
    let lines: Vec<&str> = good.lines().collect();
    let header = lines[0];
    let body = &lines[1..];
    let joined = |rows: Vec<String>| format!("{header}\n{}\n", rows.join("\n"));
    let with_status = |status: &str| {
        body.iter()
            .map(|l| {
                let mut f: Vec<&str> = l.split(',').collect();
                f[7] = status;
                f.join(",")
            })
            .collect::<Vec<_>>()
    };
    let cases: Vec<(&str, String, &str, usize)> = vec![
        (
            "every row duplicated",
            joined(
                body.iter()
                    .flat_map(|l| [l.to_string(), l.to_string()])
                    .collect(),
            ),
            "unique",
            3,
        ),
        (
            "cut mid-line",
            good[..good.len() - 20].to_string(),
            "complete",
            lines.len(),
        ),
        (
            "wall_ns 0",
            joined(
                body.iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let mut f: Vec<&str> = l.split(',').collect();
                        if i == 4 {
                            f[6] = "0";
                        }
                        f.join(",")
                    })
                    .collect(),
            ),
            "positive",
            6,
        ),
        (
            "every row error",
            joined(with_status("error")),
            "ok per pair",
            2,
        ),
    ];
    for (what, text, rule, line) in cases {
        let dir = tmp.path().join(what.replace(' ', "-"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(run.join("run.json"), dir.join("run.json")).unwrap();
        std::fs::write(dir.join("results.csv"), &text).unwrap();
        let needle = format!("results.csv:{line}: ");
        let o = harness(
            tmp.path(),
            &["baseline", "save", "bad", dir.to_str().unwrap()],
        );
        assert_eq!(code(&o), 2, "save, {what}: {}", stdout(&o));
        assert!(
            stderr(&o).contains(&needle) && stderr(&o).contains(&format!("[rule: {rule}]")),
            "save, {what}: {}",
            stderr(&o)
        );
        let o = harness(
            tmp.path(),
            &["compare", dir.to_str().unwrap(), run.to_str().unwrap()],
        );
        assert_eq!(code(&o), 2, "compare, {what}: {}", stdout(&o));
        assert!(
            stderr(&o).contains(&needle) && stderr(&o).contains(&format!("[rule: {rule}]")),
            "compare, {what}: {}",
            stderr(&o)
        );
        assert!(
            !stdout(&o).contains("regression"),
            "no verdict: {}",
            stdout(&o)
        );
    }
    assert!(!tmp.path().join("reports/baselines/bad").exists());
}
