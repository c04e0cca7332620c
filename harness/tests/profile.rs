//! `harness profile` and `harness run --profile` with the real `ruff` (issue 11): the folded
//! stacks of a program whose time is in one function put >= 80% of the samples there, a
//! program that deopts at a known line has that line in deopts.csv, the flamegraph SVG names
//! the Ruff functions, and a run's report gets its Profiles section (checked in Chromium by
//! scripts/check-report.sh when Chromium is installed).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `hot` holds nearly all the time; `add` deopts at line 2 when given strings.
const PROGRAM: &str = "func add(a, b) {\n  return a + b\n}\nfunc hot(n) {\n  s := 0\n  \
    for i in range(n) {\n    s = (s + i * 7) % 1000003\n  }\n  return s\n}\nfunc run() {\n  \
    s := 0\n  for i in range(300) { s = add(s, i) }\n  t := add(\"a\", \"b\")\n  \
    print(\"Result:\", hot(2000000) + s, t)\n}\nrun()\n";

fn harness(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_harness"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run harness")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The real `ruff`, built into the same target folder (`cargo test --workspace` builds it).
fn ruff() -> PathBuf {
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_harness"));
    let ruff = exe.parent().unwrap().join("ruff");
    assert!(
        ruff.is_file(),
        "no ruff next to {}: `cargo test --workspace` builds it",
        exe.display()
    );
    ruff
}

fn suite(dir: &Path) {
    let s = dir.join("prof");
    std::fs::create_dir_all(&s).unwrap();
    std::fs::write(s.join("hot.ruff"), PROGRAM).unwrap();
    std::fs::write(
        s.join("suite.toml"),
        "[suite]\nname = \"prof\"\n[[benchmark]]\nname = \"hot\"\nfile = \"hot.ruff\"\n\
         result = \"44997 ab\"\n",
    )
    .unwrap();
}

#[test]
fn profile_writes_stacks_deopts_flamegraph_and_timeline() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    suite(d);
    let ruff = ruff();
    let o = harness(
        &[
            "profile",
            "prof",
            "--bench",
            "hot",
            "--config",
            "jit-spec",
            "-i",
            "6",
            "--interval-us",
            "250",
            "--out",
            "out",
            "--ruff",
            ruff.to_str().unwrap(),
        ],
        d,
    );
    assert!(o.status.success(), "{}", text(&o));
    let out = d.join("out");
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();

    // >= 80% of the samples have `hot` as their innermost Ruff frame.
    let (mut total, mut in_hot) = (0u64, 0u64);
    for line in read("profile.folded").lines() {
        let (stack, n) = line.rsplit_once(' ').unwrap();
        let n: u64 = n.parse().unwrap();
        total += n;
        let inner = stack.split(';').rfind(|f| !f.starts_with('[')).unwrap();
        if inner.starts_with("hot:") || inner == "hot [jit]" {
            in_hot += n;
        }
    }
    assert!(total >= 20, "{total} samples");
    assert!(in_hot * 100 >= total * 80, "{in_hot} of {total} in hot");

    // The deopt of `add` at line 2 (`a + b`, column 12), a type guard.
    let deopts = read("deopts.csv");
    assert!(
        deopts
            .lines()
            .any(|l| l.starts_with("add,2,12,") && l.contains(",type_guard,")),
        "{deopts}"
    );
    let compiles = read("compiles.csv");
    assert!(
        compiles
            .lines()
            .any(|l| l.contains(",add,2,call,specialized,")),
        "{compiles}"
    );

    let svg = read("flamegraph.svg");
    // A frame is `NAME:LINE` when interpreted and `NAME [jit]` when compiled; which one a
    // function gets depends on when its compile lands, so either names it.
    let names = |f: &str| svg.contains(&format!("{f}:")) || svg.contains(&format!("{f} [jit]"));
    assert!(names("hot") && names("run"), "the SVG names the functions");
    assert!(
        svg.contains("rgb(0,158,115)"),
        "compiled frames are coloured as such"
    );
    for f in [
        "timeline.png",
        "timeline.svg",
        "summary.txt",
        "profile.json",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let summary = text(&o);
    assert!(summary.contains("hottest functions"), "{summary}");
    assert!(summary.contains("add line 2:12 (type_guard)"), "{summary}");
    let json: serde_json::Value = serde_json::from_str(&read("profile.json")).unwrap();
    assert_eq!(json["deopt_sites"][0]["source"], "return a + b");
}

#[test]
fn profile_refuses_an_unknown_benchmark() {
    let tmp = tempfile::tempdir().unwrap();
    suite(tmp.path());
    let o = harness(&["profile", "prof", "--bench", "nope"], tmp.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("no benchmark 'nope' in suite 'prof' (benchmarks: hot)"));
}

#[test]
fn run_with_profile_adds_the_profiles_section() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    suite(d);
    let ruff = ruff();
    let o = harness(
        &[
            "run",
            "prof",
            "-c",
            "interp,jit-spec",
            "-n",
            "1",
            "-i",
            "2",
            "--profile",
            "--out",
            "reports",
            "--ruff",
            ruff.to_str().unwrap(),
        ],
        d,
    );
    assert!(o.status.success(), "{}", text(&o));
    let run_dir = std::fs::read_dir(d.join("reports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir())
        .unwrap();
    // Measured rows: 1 invocation x 2 iterations x 2 configs, never a profiled one.
    let results = std::fs::read_to_string(run_dir.join("results.csv")).unwrap();
    assert_eq!(results.lines().count(), 1 + 4, "{results}");
    for config in ["interp", "jit-spec"] {
        let p = run_dir.join(format!("profiles/prof-hot-{config}"));
        assert!(p.join("flamegraph.svg").is_file(), "{}", p.display());
    }
    let html = std::fs::read_to_string(run_dir.join("index.html")).unwrap();
    assert!(html.contains("<a href=\"#profiles\">Profiles</a>"));
    assert!(html.contains("<section id=\"profiles\">"));
    assert!(html.contains("profiles/prof-hot-jit-spec/flamegraph.svg"));
    assert!(
        html.contains("<code>return a + b</code>"),
        "deopt site with its source"
    );

    let chromium = ["chromium", "chromium-browser"].iter().any(|c| {
        Command::new("sh")
            .args(["-c", &format!("command -v {c}")])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if !chromium {
        eprintln!("skipped the browser check: chromium is not installed");
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/check-report.sh");
    let check = Command::new("bash")
        .arg(script)
        .arg(&run_dir)
        .output()
        .unwrap();
    let out = text(&check);
    assert!(check.status.success(), "{out}");
    assert!(out.contains("check-report: #profiles:"), "{out}");
}
