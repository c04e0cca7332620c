//! The Environment section's table of shards, for a run made by `harness merge`: where each
//! shard ran (machine, OS, CPU governor, load), from which build and when, since a merged
//! run's numbers come from several machines and a reader must be able to tell them apart.

use std::fmt::Write as _;

use serde_json::Value;

use super::html::escape;

/// The table for `run.json`'s `shards` (written by `harness merge`), or `None` for a run that
/// was not merged.
pub fn table(json: &Value) -> Option<String> {
    let shards = json.get("shards")?.as_array()?;
    let text = |v: &Value, p: &str| {
        v.pointer(p)
            .and_then(Value::as_str)
            .map_or("-".to_string(), escape)
    };
    let mut machines: Vec<String> = Vec::new();
    let mut t = String::from(
        "<h3>Shards</h3><table><tr><th>shard</th><th>run</th><th>machine</th><th>OS</th>\
         <th>CPU governor</th><th>load at start / end (1 min)</th><th>commit</th>\
         <th>started</th><th>finished</th><th>invocations</th></tr>",
    );
    for s in shards {
        let cores = s
            .pointer("/machine/cores")
            .and_then(Value::as_u64)
            .map_or(String::new(), |c| format!(", {c} cores"));
        let machine = format!("{}{cores}", text(s, "/machine/cpu_model"));
        if !machines.contains(&machine) {
            machines.push(machine.clone());
        }
        let load = |p: &str| {
            s.pointer(p)
                .and_then(|v| v.get(0))
                .and_then(Value::as_f64)
                .map_or("?".to_string(), |l| format!("{l:.2}"))
        };
        let counts = s
            .get("status_counts")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| format!("{} {v}", escape(k)))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        let commit: String = text(s, "/git/commit").chars().take(12).collect();
        let _ = write!(
            t,
            "<tr><td>{}</td><td><code>{}</code></td><td>{machine}</td><td>{}, kernel {}</td>\
             <td>{}</td><td class=\"num\">{} / {}</td><td><code>{commit}</code></td><td>{}</td>\
             <td>{}</td><td>{counts}</td></tr>",
            text(s, "/shard"),
            text(s, "/run_id"),
            text(s, "/machine/os"),
            text(s, "/machine/kernel"),
            text(s, "/machine/cpu_governor"),
            load("/machine/load_average_start"),
            load("/machine/load_average_end"),
            text(s, "/started_at"),
            text(s, "/finished_at"),
        );
    }
    t.push_str("</table>");
    let note = if machines.len() > 1 {
        format!(
            "<p class=\"bad\">The shards ran on {} machine types: wall times are comparable \
             only within one machine type, so these medians and intervals mix machines. Run \
             every shard on one machine type (one CI runner label) to compare configs or \
             commits.</p>",
            machines.len()
        )
    } else {
        "<p class=\"meta\">Every shard ran on the same machine type; wall times of shards are \
         comparable only within one machine type.</p>"
            .to_string()
    };
    Some(t + &note)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_shard_gets_a_row_and_mixed_machines_a_warning() {
        let shard = |k: &str, cpu: &str| {
            json!({"shard": k, "run_id": format!("id-{k}"), "git": {"commit": "abc"},
                   "machine": {"cpu_model": cpu, "cores": 4, "load_average_start": [1.5, 1.0, 1.0]}})
        };
        let same = table(&json!({"shards": [shard("1/2", "EPYC"), shard("2/2", "EPYC")]})).unwrap();
        assert!(same.contains("id-1/2") && same.contains("id-2/2") && same.contains("1.50"));
        assert!(!same.contains("class=\"bad\""));
        let mixed =
            table(&json!({"shards": [shard("1/2", "EPYC"), shard("2/2", "Xeon <x>")]})).unwrap();
        assert!(mixed.contains("2 machine types") && mixed.contains("Xeon &lt;x&gt;"));
        assert!(table(&json!({"run_id": "r"})).is_none());
    }
}
