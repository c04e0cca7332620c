//! SIGINT and SIGTERM during `harness run`, sent for real to the harness binary (running the
//! stand-in `ruff` whose invocations take 0.6 s): exit 130, the message with the resume
//! command, run.json marked interrupted, only finished invocations on disk, and `--resume`
//! completing the run without losing or repeating an invocation.

#[path = "fake_ruff/mod.rs"]
mod fake_ruff;

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const INVOCATIONS: usize = 3 * 3; // 3 benchmarks x 1 config x 3 invocations
const ITERATIONS: usize = 2;

fn setup(dir: &Path) {
    let suite = dir.join("s");
    std::fs::create_dir_all(&suite).unwrap();
    let mut toml = format!(
        "[suite]\nname = \"s\"\ninvocations = 3\niterations = {ITERATIONS}\nconfigs = [\"interp\"]\n"
    );
    for b in ["a", "b", "c"] {
        std::fs::write(suite.join(format!("{b}.ruff")), "slow").unwrap();
        toml.push_str(&format!(
            "[[benchmark]]\nname = \"{b}\"\nfile = \"{b}.ruff\"\nresult = \"42\"\n"
        ));
    }
    std::fs::write(suite.join("suite.toml"), toml).unwrap();
    fake_ruff::install(dir);
}

fn lines(path: &Path) -> usize {
    std::fs::read_to_string(path).map_or(0, |t| t.lines().count())
}

fn run_dir(out: &Path) -> PathBuf {
    std::fs::read_dir(out)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path()
}

/// Starts a run in its own process group, waits until one invocation has finished, sends
/// `signal` (to the whole group, as a terminal's Ctrl-C does, when `to_group`), and returns
/// the exit code, stderr and run folder.
fn interrupt(dir: &Path, signal: i32, to_group: bool) -> (Option<i32>, String, PathBuf) {
    let out = dir.join("out");
    let child = Command::new(env!("CARGO_BIN_EXE_harness"))
        .args(["run", "s", "--ruff", "ruff", "--out", "out", "--seed", "1"])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let started = Instant::now();
    loop {
        let done = std::fs::read_dir(&out)
            .ok()
            .and_then(|mut d| d.next())
            .map_or(0, |e| lines(&e.unwrap().path().join("invocations.jsonl")));
        if done >= 1 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no invocation finished"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let target = if to_group { -pid } else { pid };
    // SAFETY: kill takes no pointers; the target is our own child (or its process group).
    assert_eq!(unsafe { libc::kill(target, signal) }, 0);
    let o = child.wait_with_output().unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        run_dir(&out),
    )
}

fn check_interrupted(code: Option<i32>, stderr: &str, run: &Path, signal: &str) -> usize {
    assert_eq!(code, Some(130), "{stderr}");
    let done = lines(&run.join("invocations.jsonl"));
    assert!((1..INVOCATIONS).contains(&done), "{done} finished");
    let expected = format!(
        "interrupted by {signal} after {done} of {INVOCATIONS} invocations; resume with: harness run --resume out/"
    );
    assert!(stderr.contains(&expected), "{expected}\n{stderr}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("run.json")).unwrap()).unwrap();
    assert_eq!(json["state"], "interrupted");
    assert_eq!(json["status_counts"]["ok"], done, "{json}");
    // Only finished invocations are on disk: the one in flight left nothing.
    assert_eq!(lines(&run.join("results.csv")), 1 + done * ITERATIONS);
    assert!(!std::fs::read_to_string(run.join("results.csv"))
        .unwrap()
        .contains("crash"));
    done
}

fn resume(dir: &Path, run: &Path) {
    let rel = run.strip_prefix(dir).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_harness"))
        .args(["run", "--resume", rel.to_str().unwrap(), "--ruff", "ruff"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let json = std::fs::read_to_string(run.join("run.json")).unwrap();
    assert!(json.contains("\"state\": \"finished\""), "{json}");
    assert_eq!(lines(&run.join("invocations.jsonl")), INVOCATIONS);
    let csv = std::fs::read_to_string(run.join("results.csv")).unwrap();
    let mut keys: Vec<String> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').skip(2).take(4).collect::<Vec<_>>().join(","))
        .collect();
    assert_eq!(keys.len(), INVOCATIONS * ITERATIONS);
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), INVOCATIONS * ITERATIONS, "no row twice");
}

#[test]
fn ctrl_c_leaves_a_resumable_run_marked_interrupted() {
    let tmp = tempfile::tempdir().unwrap();
    setup(tmp.path());
    let (code, stderr, run) = interrupt(tmp.path(), libc::SIGINT, true);
    check_interrupted(code, &stderr, &run, "SIGINT");
    resume(tmp.path(), &run);
}

#[test]
fn sigterm_to_the_harness_alone_is_handled_the_same_way() {
    let tmp = tempfile::tempdir().unwrap();
    setup(tmp.path());
    let (code, stderr, run) = interrupt(tmp.path(), libc::SIGTERM, false);
    check_interrupted(code, &stderr, &run, "SIGTERM");
    resume(tmp.path(), &run);
}
