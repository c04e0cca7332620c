//! The `--configs` grammar and its expansion into a matrix of engine configurations
//! (ARCHITECTURE §3 names; parsing of one config is `ruff_core::Config::parse`).
//!
//! ```text
//! list   := spec ((',' | ';') spec)*          --configs may also be given several times
//! spec   := PRESET (':' KNOB '=' values)*
//! values := VALUE (',' VALUE)*                 a comma followed by a number continues the list
//! ```
//!
//! So `interp,jit-spec` is two configs, `jit-spec:threshold=1,10,100` is three, and
//! `interp,jit-spec:threshold=1,10:max-deopts=2,4` is 1 + 2×2 = 5 (knob lists multiply).
//! A comma is a value separator only when the next item is a number; `;` always separates
//! configs. Every expanded config is returned in canonical form (`Config`'s `Display`:
//! defaults omitted), duplicates removed, first occurrence first.
//!
//! A PRESET may also name a peer (`lua5.4`, `luajit`, `python3`, `node`, `native`: a
//! benchmark's twin in another language, [`crate::peers`]); peers take no knobs.

use anyhow::{bail, Result};
use ruff_core::Config;

/// The default configs of `harness run` when neither the CLI nor the suite names any.
pub const DEFAULT_CONFIGS: [&str; 4] = ["interp", "jit", "jit-spec", "jit-spec-hoist"];

/// Expands every `--configs` argument and returns canonical config names in order.
pub fn expand_all<S: AsRef<str>>(args: &[S]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for arg in args {
        for name in expand(arg.as_ref())? {
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    Ok(out)
}

/// Expands one `--configs` value (see the module header).
pub fn expand(text: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for spec in split_specs(text) {
        let spec = spec.trim();
        if spec.is_empty() {
            bail!("empty config in '{text}' (expected e.g. 'interp,jit-spec:threshold=10')");
        }
        let preset = spec.split(':').next().unwrap_or_default();
        if crate::peers::is_peer(preset) {
            if preset != spec {
                bail!("config '{spec}': '{preset}' runs a twin in another language and takes no knobs");
            }
            if !out.iter().any(|c| c == spec) {
                out.push(spec.to_string());
            }
            continue;
        }
        for one in cartesian(spec)? {
            let config = Config::parse(&one).map_err(|e| anyhow::anyhow!("{e}"))?;
            let name = config.to_string();
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    Ok(out)
}

/// Splits a list at `;` and at every `,` not followed by a number.
fn split_specs(text: &str) -> Vec<String> {
    let mut specs = Vec::new();
    let mut current = String::new();
    for (i, ch) in text.char_indices() {
        let rest = &text[i + 1..];
        let next_item = rest.split([',', ';', ':']).next().unwrap_or("");
        let continues_values =
            ch == ',' && !next_item.is_empty() && next_item.parse::<u64>().is_ok();
        if ch == ';' || (ch == ',' && !continues_values) {
            specs.push(std::mem::take(&mut current));
        } else {
            current.push(ch);
        }
    }
    specs.push(current);
    specs
}

/// `PRESET:k=1,2:j=3` -> `PRESET:k=1:j=3`, `PRESET:k=2:j=3`.
fn cartesian(spec: &str) -> Result<Vec<String>> {
    let mut parts = spec.split(':');
    let mut acc = vec![parts.next().unwrap_or_default().to_string()];
    for knob in parts {
        let Some((key, values)) = knob.split_once('=') else {
            // Let Config::parse produce its message for a malformed knob.
            acc.iter_mut().for_each(|a| {
                a.push(':');
                a.push_str(knob);
            });
            continue;
        };
        let values: Vec<&str> = values.split(',').collect();
        acc = acc
            .iter()
            .flat_map(|a| values.iter().map(move |v| format!("{a}:{key}={v}")))
            .collect();
    }
    Ok(acc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commas_separate_configs_and_sweep_values() {
        assert_eq!(expand("interp,jit-spec").unwrap(), ["interp", "jit-spec"]);
        assert_eq!(
            expand("jit-spec:threshold=1,10,100").unwrap(),
            ["jit-spec:threshold=1", "jit-spec:threshold=10", "jit-spec"]
        );
        assert_eq!(
            expand("interp,jit:threshold=1,10:max-deopts=2,4;jit-spec").unwrap(),
            [
                "interp",
                "jit:threshold=1:max-deopts=2",
                "jit:threshold=1:max-deopts=4",
                "jit:threshold=10:max-deopts=2",
                "jit:threshold=10:max-deopts=4",
                "jit-spec"
            ]
        );
    }

    #[test]
    fn repeated_flags_merge_without_duplicates() {
        let args = ["interp", "jit-spec:threshold=100,5", "interp"];
        assert_eq!(
            expand_all(&args).unwrap(),
            ["interp", "jit-spec", "jit-spec:threshold=5"]
        );
    }

    #[test]
    fn peers_are_configs_without_knobs() {
        assert_eq!(
            expand("interp,lua5.4;luajit,python3,node,native,lua5.4").unwrap(),
            ["interp", "lua5.4", "luajit", "python3", "node", "native"]
        );
        assert_eq!(
            expand("jit-spec:threshold=1,10,luajit").unwrap(),
            ["jit-spec:threshold=1", "jit-spec:threshold=10", "luajit"]
        );
        let e = expand("luajit:threshold=1").unwrap_err().to_string();
        assert!(e.contains("takes no knobs"), "{e}");
        let e = expand("lua").unwrap_err().to_string();
        assert!(e.contains("unknown config 'lua'"), "{e}");
    }

    #[test]
    fn bad_names_and_knobs_are_errors() {
        let e = expand("interp,fast").unwrap_err().to_string();
        assert!(e.contains("unknown config 'fast'"), "{e}");
        let e = expand("jit:speed=1,2").unwrap_err().to_string();
        assert!(e.contains("unknown knob 'speed'"), "{e}");
        let e = expand("jit:threshold=x").unwrap_err().to_string();
        assert!(e.contains("whole number"), "{e}");
        assert!(expand("interp,,jit").is_err());
    }
}
