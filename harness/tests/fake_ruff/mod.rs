//! A stand-in for the `ruff` binary, shared by the harness's end-to-end tests: a shell script
//! that speaks the `ruff bench` protocol and whose behaviour is picked by the content of the
//! program file: `crash`, `hang`, `fail`, `wrong` (iteration 1 prints a wrong result), `slow`
//! (0.3 s per iteration), anything else prints `Result: 42` per iteration.

#![allow(dead_code)] // each test binary uses a different part

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

pub const FAKE_RUFF: &str = r#"#!/bin/sh
# Stand-in for `ruff bench FILE --config C --iterations N --records PATH`; the program file's
# content picks the behaviour.
file=$2; n=1; rec=/dev/stderr
shift 2
while [ $# -gt 0 ]; do
  case $1 in --iterations) n=$2; shift 2;; --records) rec=$2; shift 2;; *) shift;; esac
done
mode=$(cat "$file")
case $mode in
  crash) kill -SEGV $$;;
  hang) exec sleep 30;;
  fail) echo "x.ruff:1:1: runtime error: boom" >&2; exit 70;;
esac
i=0
while [ $i -lt $n ]; do
  out="Result: 42"
  if [ "$mode" = wrong ] && [ $i -eq 1 ]; then out="Result: 41"; fi
  echo "$out"
  if [ "$mode" = slow ]; then sleep 0.3; fi
  echo "{\"iteration\":$i,\"wall_ns\":$((1000 + i)),\"stdout_bytes\":11,\"deopts\":0}" >> "$rec"
  i=$((i+1))
done
"#;

/// Writes the fake as `dir/ruff` (executable) and returns its path.
pub fn install(dir: &Path) -> PathBuf {
    let ruff = dir.join("ruff");
    std::fs::write(&ruff, FAKE_RUFF).unwrap();
    std::fs::set_permissions(&ruff, std::fs::Permissions::from_mode(0o755)).unwrap();
    ruff
}
