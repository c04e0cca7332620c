//! Turning what an executor saw into a verified [`Outcome`]: exit status first (timeout,
//! crash by signal, non-zero exit), then the records (one per requested iteration, numbered
//! 0..N; a program without `run` legitimately gives exactly one), then the answer of every
//! iteration. `ruff bench` tells how many stdout bytes each iteration wrote, so stdout is split
//! per iteration and each part is checked on its own (rules in `suites/README.md`); without
//! those counts the whole stdout must hold one correct answer per iteration.
//!
//! Anything unexpected is a failure with a message, never a silent number.

use super::{Exit, Outcome, RawOutcome, Request, Status};
use crate::manifest::Expected;

/// Verifies `raw` for `request`.
pub fn judge(request: &Request, raw: RawOutcome) -> Outcome {
    let (status, message) = match check(request, &raw) {
        Ok(()) => (Status::Ok, String::new()),
        Err(failure) => failure,
    };
    Outcome {
        status,
        iterations: raw.iterations,
        max_rss_kb: raw.max_rss_kb,
        elapsed_ns: raw.elapsed_ns,
        message,
    }
}

fn check(request: &Request, raw: &RawOutcome) -> Result<(), (Status, String)> {
    match raw.exit {
        Exit::TimedOut => {
            return Err((
                Status::Timeout,
                format!("killed after the {:?} timeout", request.timeout),
            ))
        }
        Exit::Signal(sig) => {
            return Err((
                Status::Crash,
                format!("killed by signal {sig} ({})", signal_name(sig)),
            ))
        }
        Exit::Code(0) => {}
        Exit::Code(code) => {
            return Err((
                Status::Error,
                format!("exit code {code}: {}", stderr_excerpt(&raw.stderr)),
            ))
        }
    }
    if let Some(note) = &raw.note {
        return Err((Status::Error, note.clone()));
    }
    let n = raw.iterations.len();
    let count_ok = match request.until_stable {
        None => n == request.iterations as usize || n == 1,
        Some(_) => (1..=request.iterations as usize).contains(&n),
    };
    if !count_ok {
        return Err((
            Status::Error,
            format!(
                "{n} iteration records for {} requested iterations",
                request.iterations
            ),
        ));
    }
    if let Some((i, it)) = raw
        .iterations
        .iter()
        .enumerate()
        .find(|(i, it)| it.iteration as usize != *i)
    {
        return Err((
            Status::Error,
            format!("record {i} is numbered {}", it.iteration),
        ));
    }
    let stdout = String::from_utf8_lossy(&raw.stdout);
    let wrong = |m: String| Err((Status::WrongOutput, m));
    match split_per_iteration(raw) {
        Some(parts) => {
            for (i, part) in parts.iter().enumerate() {
                if let Err(m) = check_part(&request.benchmark.expected, part) {
                    return wrong(format!("iteration {i}: {m}"));
                }
            }
        }
        None => {
            if let Err(m) = check_whole(&request.benchmark.expected, &stdout, n) {
                return wrong(m);
            }
        }
    }
    Ok(())
}

/// Splits stdout by the records' `stdout_bytes`, if every record has it and they add up.
fn split_per_iteration(raw: &RawOutcome) -> Option<Vec<String>> {
    let sizes: Option<Vec<u64>> = raw.iterations.iter().map(|it| it.stdout_bytes).collect();
    let sizes = sizes?;
    if sizes.iter().sum::<u64>() != raw.stdout.len() as u64 {
        return None;
    }
    let mut at = 0usize;
    Some(
        sizes
            .iter()
            .map(|&s| {
                let part = String::from_utf8_lossy(&raw.stdout[at..at + s as usize]).into_owned();
                at += s as usize;
                part
            })
            .collect(),
    )
}

/// The values of the `Result:` lines of `text`, trimmed.
pub fn result_lines(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|l| l.trim_start().strip_prefix("Result:"))
        .map(str::trim)
        .collect()
}

fn check_part(expected: &Expected, part: &str) -> Result<(), String> {
    match expected {
        Expected::Result(want) => match result_lines(part).as_slice() {
            [got] if got == want => Ok(()),
            [got] => Err(format!("expected `Result: {want}`, got `Result: {got}`")),
            [] => Err(format!(
                "expected `Result: {want}`, no `Result:` line in {:?}",
                excerpt(part)
            )),
            many => Err(format!("expected one `Result:` line, got {}", many.len())),
        },
        Expected::Stdout(want) if want == part => Ok(()),
        Expected::Stdout(want) => Err(format!(
            "expected stdout {:?}, got {:?}",
            excerpt(want),
            excerpt(part)
        )),
    }
}

fn check_whole(expected: &Expected, stdout: &str, n: usize) -> Result<(), String> {
    match expected {
        Expected::Result(want) => {
            let lines = result_lines(stdout);
            if lines.len() != n {
                return Err(format!("expected {n} `Result:` lines, got {}", lines.len()));
            }
            match lines.iter().find(|l| *l != want) {
                Some(got) => Err(format!("expected `Result: {want}`, got `Result: {got}`")),
                None => Ok(()),
            }
        }
        Expected::Stdout(want) if want.repeat(n) == stdout => Ok(()),
        Expected::Stdout(want) => Err(format!(
            "expected stdout {:?} per iteration, got {:?}",
            excerpt(want),
            excerpt(stdout)
        )),
    }
}

fn excerpt(text: &str) -> String {
    text.chars().take(200).collect()
}

/// The first few lines of stderr, for messages.
pub fn stderr_excerpt(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text.lines().take(3).collect();
    if lines.is_empty() {
        "(no stderr)".to_string()
    } else {
        excerpt(&lines.join(" | "))
    }
}

fn signal_name(sig: i32) -> &'static str {
    match sig {
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGABRT => "SIGABRT",
        libc::SIGBUS => "SIGBUS",
        libc::SIGILL => "SIGILL",
        libc::SIGFPE => "SIGFPE",
        libc::SIGKILL => "SIGKILL",
        libc::SIGTERM => "SIGTERM",
        _ => "signal",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::{Iteration, Measure};
    use crate::manifest::Benchmark;
    use std::time::Duration;

    fn bench(expected: Expected) -> Benchmark {
        Benchmark::new("b", "b.ruff", expected)
    }

    fn raw(exit: Exit, stdout: &str, sizes: &[Option<u64>]) -> RawOutcome {
        RawOutcome {
            exit,
            stdout: stdout.as_bytes().to_vec(),
            stderr: b"boom\n".to_vec(),
            iterations: sizes
                .iter()
                .enumerate()
                .map(|(i, &s)| Iteration {
                    iteration: i as u32,
                    wall_ns: 10,
                    stdout_bytes: s,
                    ..Default::default()
                })
                .collect(),
            max_rss_kb: None,
            elapsed_ns: 0,
            note: None,
        }
    }

    fn status(b: &Benchmark, n: u32, r: RawOutcome) -> (Status, String) {
        let req = Request {
            suite: "s",
            benchmark: b,
            config: "interp",
            invocation: 0,
            iterations: n,
            until_stable: None,
            timeout: Duration::from_secs(1),
            measure: Measure::Wall,
        };
        let o = judge(&req, r);
        (o.status, o.message)
    }

    #[test]
    fn per_iteration_results_are_checked() {
        let b = bench(Expected::Result("42".into()));
        let ok = raw(
            Exit::Code(0),
            "Result: 42\nResult:42\n",
            &[Some(11), Some(10)],
        );
        assert_eq!(status(&b, 2, ok).0, Status::Ok);
        let bad = raw(
            Exit::Code(0),
            "Result: 42\nResult: 41\n",
            &[Some(11), Some(11)],
        );
        let (s, m) = status(&b, 2, bad);
        assert_eq!(s, Status::WrongOutput);
        assert!(m.contains("iteration 1") && m.contains("41"), "{m}");
        // Without byte counts the whole stdout must hold one answer per iteration.
        let short = raw(Exit::Code(0), "Result: 42\n", &[None, None]);
        assert_eq!(status(&b, 2, short).0, Status::WrongOutput);
    }

    #[test]
    fn exact_stdout_and_plain_scripts() {
        let b = bench(Expected::Stdout("hi\n".into()));
        assert_eq!(
            status(&b, 5, raw(Exit::Code(0), "hi\n", &[Some(3)])).0,
            Status::Ok
        );
        assert_eq!(
            status(&b, 1, raw(Exit::Code(0), "ho\n", &[Some(3)])).0,
            Status::WrongOutput
        );
        assert_eq!(
            status(&b, 3, raw(Exit::Code(0), "hi\nhi\n", &[None, None])).0,
            Status::Error
        );
    }

    #[test]
    fn exits_map_to_statuses() {
        let b = bench(Expected::Result("1".into()));
        assert_eq!(
            status(&b, 1, raw(Exit::TimedOut, "", &[])).0,
            Status::Timeout
        );
        assert_eq!(
            status(&b, 1, raw(Exit::Signal(11), "", &[])).1,
            "killed by signal 11 (SIGSEGV)"
        );
        let (s, m) = status(&b, 1, raw(Exit::Code(70), "", &[]));
        assert_eq!((s, m.as_str()), (Status::Error, "exit code 70: boom"));
    }
}
