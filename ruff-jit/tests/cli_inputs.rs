//! Hostile inputs to the `ruff` binary (issue 14, item 6): a source that is not a regular
//! file or is too large, and numeric flags out of range, are usage errors (exit 64) with a
//! message naming the file or the valid range, for `ruff run` and `ruff bench` alike. Nothing
//! may hang: every process here is killed after a deadline and that counts as a failure.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// Runs `ruff ARGS`; panics if it has not ended within 60 seconds (after killing it).
fn ruff(args: &[&str]) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_ruff"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start ruff");
    let pid = child.id().to_string();
    let (send, receive) = std::sync::mpsc::channel();
    // The pipes are drained while the child runs, so a long message cannot block it.
    std::thread::spawn(move || send.send(child.wait_with_output()));
    match receive.recv_timeout(Duration::from_secs(60)) {
        Ok(output) => output.expect("collect ruff's output"),
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &pid]).status();
            panic!("ruff {args:?} did not end within 60 s");
        }
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `ruff run FILE` and `ruff bench FILE --iterations 2` both exit 64 with `needle` in the
/// message and print nothing on stdout.
fn refused(file: &Path, needle: &str) {
    let f = file.to_str().unwrap();
    for args in [
        vec!["run", f],
        vec!["run", f, "--config", "jit-spec:threshold=1"],
        vec!["bench", f, "--iterations", "2"],
    ] {
        let out = ruff(&args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(64), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(
            err.starts_with(&format!("ruff: cannot read '{f}': ")),
            "{args:?}: {err}"
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn devices_directories_and_missing_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    refused(
        Path::new("/dev/zero"),
        "not a regular file (a character device)",
    );
    refused(
        Path::new("/dev/urandom"),
        "not a regular file (a character device)",
    );
    refused(dir.path(), "not a regular file (a directory)");
    refused(
        &dir.path().join("missing.ruff"),
        "No such file or directory",
    );
}

#[test]
fn a_fifo_is_refused_without_waiting_for_a_writer() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.ruff");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    refused(&fifo, "not a regular file (a FIFO)");
}

#[test]
fn a_file_over_16_mib_is_refused_and_one_at_the_cap_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let cap = ruff_core::source::MAX_SOURCE_BYTES;
    // Sparse files: no disk space, all NUL bytes (a lexical error if it were lexed).
    let big = dir.path().join("big.ruff");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(cap + 1)
        .unwrap();
    refused(&big, "larger than 16777216 bytes (16 MiB)");
    // A link to it is judged by the file it points to.
    let link = dir.path().join("link.ruff");
    std::os::unix::fs::symlink(&big, &link).unwrap();
    refused(&link, "larger than 16777216 bytes");
    // At the cap exactly the file is read and lexed: the first NUL is an error at 1:1.
    let at_cap = dir.path().join("cap.ruff");
    let mut bytes = vec![b' '; cap as usize - 1];
    bytes.push(b'@');
    std::fs::write(&at_cap, &bytes).unwrap();
    let out = ruff(&["run", at_cap.to_str().unwrap(), "--config", "interp"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(65), "{err}");
    assert!(
        err.contains(":1:16777216: error: unexpected character '@'"),
        "{err}"
    );
}

#[test]
fn links_to_regular_files_and_invalid_utf8_work_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let ok = dir.path().join("ok.ruff");
    std::fs::write(&ok, "print(7)\n").unwrap();
    let link = dir.path().join("link.ruff");
    std::os::unix::fs::symlink(&ok, &link).unwrap();
    let out = ruff(&["run", link.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "7\n");

    let bad = dir.path().join("bad.ruff");
    std::fs::write(&bad, b"print(1)\nx := \"a\xffb\"\n").unwrap();
    for config in ["interp", "jit-spec:threshold=1"] {
        let out = ruff(&["run", bad.to_str().unwrap(), "--config", config]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(65), "{config}: {err}");
        assert!(
            err.contains("bad.ruff:2:8: error: source is not valid UTF-8"),
            "{config}: {err}"
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn numeric_flags_of_bench_are_usage_errors_outside_their_range() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("b.ruff");
    std::fs::write(&p, "print(0)\nfunc run() { print(1) }\n").unwrap();
    let f = p.to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["--iterations", "0"], "0 is not in 1..=4294967295"),
        (&["--iterations", "-1"], "'-1'"),
        (&["--iterations", "4294967296"], "--iterations"),
        (&["--iterations", "1e20"], "--iterations"),
        (&["--iterations", "NaN"], "--iterations"),
        (&["--until-stable", "0"], "0 is not in 1..=1000"),
        (&["--until-stable", "1001"], "1001 is not in 1..=1000"),
        (
            &["--until-stable", "3", "--max-iterations", "0"],
            "0 is not in 1..=4294967295",
        ),
        (
            &["--until-stable", "3", "--max-time", "NaN"],
            "expected a number of seconds from 0 to 86400, got 'NaN'",
        ),
        (
            &["--until-stable", "3", "--max-time", "-1"],
            "from 0 to 86400, got '-1'",
        ),
        (
            &["--until-stable", "3", "--max-time", "inf"],
            "from 0 to 86400, got 'inf'",
        ),
        (
            &["--until-stable", "3", "--max-time", "1e20"],
            "from 0 to 86400, got '1e20'",
        ),
        (
            &["--until-stable", "3", "--max-time", "86400.5"],
            "from 0 to 86400",
        ),
        (
            &["--iterations", "2", "--until-stable", "3"],
            "cannot be used with",
        ),
        (&[], "--iterations"),
    ];
    for (flags, needle) in cases {
        let mut args = vec!["bench", f];
        args.extend_from_slice(flags);
        let out = ruff(&args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(64), "{flags:?}: {err}");
        assert!(err.contains(needle), "{flags:?}: {err}");
        assert!(out.stdout.is_empty(), "{flags:?}: nothing may run");
    }
    // The ends of the ranges are accepted.
    let out = ruff(&[
        "bench",
        f,
        "--until-stable",
        "1000",
        "--max-iterations",
        "2",
        "--max-time",
        "0",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "0\n", "max-time 0: iteration 0 only");
    let out = ruff(&["bench", f, "--iterations", "2"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "0\n1\n");
}
