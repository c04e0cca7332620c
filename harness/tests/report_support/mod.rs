//! Synthetic run folders for the report and gate tests: seeded, so every test sees the same
//! data, with known answers planted (a shift of the mean, a warm-up, a failed invocation).

#![allow(dead_code)] // each test binary uses a different part

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub const HEADER: &str = "run_id,suite,benchmark,config,invocation,iteration,wall_ns,status,\
instructions,compile_ns,deopts,guard_failures,osr_entries,max_rss_kb";

/// What to generate.
#[derive(Clone, Debug)]
pub struct Spec {
    pub suite: String,
    pub benchmarks: Vec<(String, f64)>,
    pub configs: Vec<(String, f64)>,
    pub invocations: u32,
    pub iterations: u32,
    /// Multiplies every time and instruction count (1.10 = a planted 10% slowdown).
    pub factor: f64,
    /// Relative noise of an iteration (uniform, ±) and of an invocation's level.
    pub noise: f64,
    pub seed: u64,
    /// Mark invocation 0 of the first benchmark × last config as `wrong-output`.
    pub plant_failure: bool,
}

impl Default for Spec {
    fn default() -> Self {
        Spec {
            suite: "synth".into(),
            benchmarks: vec![("fib".into(), 20e6), ("loop".into(), 8e6)],
            configs: vec![
                ("interp".into(), 1.0),
                ("jit".into(), 0.5),
                ("jit-spec".into(), 0.25),
            ],
            invocations: 5,
            iterations: 12,
            factor: 1.0,
            noise: 0.02,
            seed: 1,
            plant_failure: false,
        }
    }
}

/// Writes `dir/results.csv` and `dir/run.json` for `spec`; returns `dir`.
pub fn write_run(dir: &Path, spec: &Spec) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let run_id = dir.file_name().unwrap().to_string_lossy().to_string();
    let mut csv = format!("{HEADER}\n");
    for (b, (bench, base)) in spec.benchmarks.iter().enumerate() {
        for (c, (config, speed)) in spec.configs.iter().enumerate() {
            let jit = config.starts_with("jit");
            for inv in 0..spec.invocations {
                let failed =
                    spec.plant_failure && b == 0 && c == spec.configs.len() - 1 && inv == 0;
                let status = if failed { "wrong-output" } else { "ok" };
                let level = 1.0 + rng.gen_range(-spec.noise..=spec.noise) / 2.0;
                let instr = (base * speed * spec.factor * 3.0).round() as u64;
                for it in 0..spec.iterations {
                    // Iteration 0 parses and compiles: a warm-up the changepoint analysis finds.
                    let warm = if it == 0 {
                        2.5
                    } else if it == 1 && jit {
                        1.6
                    } else {
                        1.0
                    };
                    let noise = 1.0 + rng.gen_range(-spec.noise..=spec.noise);
                    let wall = (base * speed * spec.factor * level * warm * noise) as u64;
                    let compile = if jit && it < 2 {
                        150_000 + 10_000 * b as u64
                    } else {
                        0
                    };
                    let deopts = u64::from(jit && config == "jit-spec" && it == 1);
                    let osr = u64::from(jit && it == 0);
                    let _ = writeln!(
                        csv,
                        "{run_id},{},{bench},{config},{inv},{it},{wall},{status},{instr},{compile},{deopts},{deopts},{osr},5000",
                        spec.suite
                    );
                }
            }
        }
    }
    std::fs::write(dir.join("results.csv"), csv).unwrap();
    let json = format!(
        r#"{{"schema_version":1,"run_id":"{run_id}","harness_version":"0.1.0","git":{{"commit":"abc123","dirty":false}},"machine":{{"cpu_model":"Synthetic CPU","cores":2}},"configs":["interp","jit","jit-spec"],"reference":"interp","method":{{"seed":{},"resamples":10000,"confidence":0.95}}}}"#,
        spec.seed
    );
    std::fs::write(dir.join("run.json"), json).unwrap();
    std::fs::write(dir.join("summary.csv"), "suite,benchmark,config\n").unwrap();
    dir.to_path_buf()
}

/// Runs the harness binary in `cwd` with `args`.
pub fn harness(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_harness"))
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("the harness binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
