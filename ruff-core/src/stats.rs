//! Counters of what the engine did (ARCHITECTURE §4), read through the engine API and
//! printed as JSON by `ruff run --stats` and per iteration by `ruff bench`.

/// JIT and interpreter counters. All fields only grow during a run, so a per-iteration
/// record is the difference of two snapshots (`Stats::delta`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub functions_compiled: u64,
    pub loops_compiled: u64,
    /// Functions that could not be compiled (they stay interpreted), with the reasons.
    pub compile_failures: u64,
    pub compile_ns: u64,
    pub machine_code_bytes: u64,
    pub bytecode_instructions_compiled: u64,
    pub guards_emitted: u64,
    pub guard_failures: u64,
    pub deopts: u64,
    pub recompilations: u64,
    pub osr_entries: u64,
    /// Calls that entered compiled code from the interpreter or from compiled code.
    pub compiled_calls: u64,
    /// Calls interpreted.
    pub interpreted_calls: u64,
}

impl Stats {
    /// `self - earlier`, field by field.
    pub fn delta(&self, earlier: &Stats) -> Stats {
        Stats {
            functions_compiled: self.functions_compiled - earlier.functions_compiled,
            loops_compiled: self.loops_compiled - earlier.loops_compiled,
            compile_failures: self.compile_failures - earlier.compile_failures,
            compile_ns: self.compile_ns - earlier.compile_ns,
            machine_code_bytes: self.machine_code_bytes - earlier.machine_code_bytes,
            bytecode_instructions_compiled: self.bytecode_instructions_compiled
                - earlier.bytecode_instructions_compiled,
            guards_emitted: self.guards_emitted - earlier.guards_emitted,
            guard_failures: self.guard_failures - earlier.guard_failures,
            deopts: self.deopts - earlier.deopts,
            recompilations: self.recompilations - earlier.recompilations,
            osr_entries: self.osr_entries - earlier.osr_entries,
            compiled_calls: self.compiled_calls - earlier.compiled_calls,
            interpreted_calls: self.interpreted_calls - earlier.interpreted_calls,
        }
    }

    /// The counters as `(name, value)` pairs, in a fixed order (for JSON and CSV).
    pub fn fields(&self) -> [(&'static str, u64); 13] {
        [
            ("functions_compiled", self.functions_compiled),
            ("loops_compiled", self.loops_compiled),
            ("compile_failures", self.compile_failures),
            ("compile_ns", self.compile_ns),
            ("machine_code_bytes", self.machine_code_bytes),
            (
                "bytecode_instructions_compiled",
                self.bytecode_instructions_compiled,
            ),
            ("guards_emitted", self.guards_emitted),
            ("guard_failures", self.guard_failures),
            ("deopts", self.deopts),
            ("recompilations", self.recompilations),
            ("osr_entries", self.osr_entries),
            ("compiled_calls", self.compiled_calls),
            ("interpreted_calls", self.interpreted_calls),
        ]
    }

    /// One-line JSON object.
    pub fn to_json(&self) -> String {
        let body: Vec<String> = self
            .fields()
            .iter()
            .map(|(k, v)| format!("\"{k}\":{v}"))
            .collect();
        format!("{{{}}}", body.join(","))
    }
}
