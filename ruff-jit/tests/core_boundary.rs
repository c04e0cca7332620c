//! The JIT reads the core only through `ruff_core::abi` and the engine API (DESIGN.md
//! "Compiled code"): this test reads every source file of the crate and fails on any other
//! path into `ruff_core`. (The VM itself is private to the core, so the compiler already
//! refuses the most tempting shortcut; this catches the public modules that are meant for
//! the core's own tests, such as `values` or `heap`.)

use std::path::{Path, PathBuf};

/// What `ruff_core::X` may name from the JIT's sources.
const ALLOWED: &[&str] = &[
    // The binary interface: layout, calling convention, helpers, instruction set, feedback.
    "abi",
    // The engine API the `ruff` binary uses (`stability`: the `ruff bench --until-stable`
    // rule it shares with the harness).
    "stability",
    // How the `ruff` binary reads a program's file (regular file, size cap).
    "source",
    // The profiling tools' engine API: the event sink and the sampling profiler.
    "events",
    "sampler",
    "Config",
    "Preset",
    "Engine",
    "Error",
    "ErrorKind",
    "Stats",
    "Value",
    "compile",
    "error",
];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The names `ruff_core::` is followed by in `text` (each member of a `{...}` group).
fn roots(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("ruff_core") {
        let rest = &text[at + "ruff_core".len()..];
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // part of a longer name
        }
        if let Some(rest) = rest.strip_prefix("::") {
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').expect("closed use group");
                for item in group[..end].split(',') {
                    let name: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        out.push(name);
                    }
                }
            } else {
                out.push(
                    rest.chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect(),
                );
            }
        } else if rest.trim_start().starts_with("as ") || rest.starts_with(';') {
            // `use ruff_core as x;` / `use ruff_core;` would hide the paths from this test.
            out.push(format!(
                "ruff_core{}",
                rest.lines().next().unwrap_or_default()
            ));
        }
    }
    out
}

#[test]
fn the_jit_uses_only_the_abi_and_the_engine_api() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    assert!(files.len() > 10, "found the sources in {}", src.display());
    let mut bad = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable source");
        for root in roots(&text) {
            if !ALLOWED.contains(&root.as_str()) {
                bad.push(format!("{}: ruff_core::{root}", file.display()));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "paths into the core outside abi and the engine API:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_scanner_sees_every_form_of_path() {
    let text = "use ruff_core::abi::tag;\nuse ruff_core::{Config, values::truthy};\n\
                let x = ruff_core::heap::ArrayObj::new();\nuse ruff_core as rc;\nmy_ruff_core::x";
    assert_eq!(
        roots(text),
        vec!["abi", "Config", "values", "heap", "ruff_core as rc;"]
    );
}
