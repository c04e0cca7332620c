//! Engine configurations: the named presets of ARCHITECTURE §3 plus knobs, written
//! `PRESET` or `PRESET:knob=value[:knob=value...]` by the CLI, the harness, CSV files and plots.

use std::fmt;

/// What runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Preset {
    /// Bytecode interpreter only; no type profiling.
    Interp,
    /// Interpreter with type profiling on; never compiles.
    InterpProf,
    /// Baseline JIT: generic operations through runtime helpers, no speculation.
    Jit,
    /// Type-specialized JIT with guards and deoptimization (the default).
    JitSpec,
    /// Specialized, with loop-invariant type guards hoisted to entry and loop headers.
    JitSpecHoist,
}

impl Preset {
    pub const ALL: [Preset; 5] = [
        Preset::Interp,
        Preset::InterpProf,
        Preset::Jit,
        Preset::JitSpec,
        Preset::JitSpecHoist,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Preset::Interp => "interp",
            Preset::InterpProf => "interp-prof",
            Preset::Jit => "jit",
            Preset::JitSpec => "jit-spec",
            Preset::JitSpecHoist => "jit-spec-hoist",
        }
    }

    pub fn from_name(name: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.name() == name)
    }

    /// True if the interpreter records type feedback and counters.
    pub fn profiles(self) -> bool {
        self != Preset::Interp
    }

    /// The code the preset compiles while speculation is allowed; `None` if it never
    /// compiles. The one table of what each preset compiles: the VM's tiering policy and the
    /// tier both go by it.
    pub fn code(self) -> Option<CodeKind> {
        match self {
            Preset::Interp | Preset::InterpProf => None,
            Preset::Jit => Some(CodeKind::Baseline),
            Preset::JitSpec => Some(CodeKind::Specialized),
            Preset::JitSpecHoist => Some(CodeKind::Hoisted),
        }
    }

    /// True if hot code is handed to a compile tier.
    pub fn compiles(self) -> bool {
        self.code().is_some()
    }

    pub fn specializes(self) -> bool {
        self.code().is_some_and(CodeKind::specializes)
    }

    pub fn hoists(self) -> bool {
        self.code().is_some_and(CodeKind::hoists)
    }
}

/// Which code a compile makes. The core decides it from the preset and the function's
/// history; the tier only follows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeKind {
    /// Every instruction through the generic runtime helpers, no speculation: `jit`, and
    /// a function's last recompile under any preset (`max-recompiles` reached), whose code
    /// has no guards and no traps, so it never deoptimizes and is never replaced.
    Baseline,
    /// Type-specialized from feedback behind guards, with deoptimization (`jit-spec`).
    Specialized,
    /// Specialized, with loop-invariant guards hoisted (`jit-spec-hoist`).
    Hoisted,
}

impl CodeKind {
    pub fn specializes(self) -> bool {
        self != CodeKind::Baseline
    }

    pub fn hoists(self) -> bool {
        self == CodeKind::Hoisted
    }

    /// As `--trace-jit` prints it.
    pub fn name(self) -> &'static str {
        match self {
            CodeKind::Baseline => "baseline",
            CodeKind::Specialized => "specialized",
            CodeKind::Hoisted => "specialized+hoisted",
        }
    }
}

/// One knob a config string may set: its name, the values it accepts and its default.
pub struct Knob {
    pub name: &'static str,
    pub min: u64,
    pub max: u64,
    /// What the knob means (`ruff --help`, error messages, docs/LIMITS.md).
    pub about: &'static str,
    get: fn(&Config) -> u64,
    set: fn(&mut Config, u64),
}

/// Default of `max-compile-instructions`: bytecode instructions of the largest function the
/// JIT compiles. Compile time grows with function size (Cranelift's register allocator is
/// superlinear in long straight-line code); about 0.5 s at this size in the worst shapes
/// measured (docs/LIMITS.md). Real functions are far smaller (the largest in `suites/` has
/// under 200 instructions).
pub const DEFAULT_MAX_COMPILE_INSTRUCTIONS: u64 = 5_000;
/// Default of `max-compile-registers`: registers (locals and temporaries) of the largest
/// function the JIT compiles.
pub const DEFAULT_MAX_COMPILE_REGISTERS: u64 = 1_000;

/// Default of `max-recompiles`.
pub const DEFAULT_MAX_RECOMPILES: u64 = 4;

/// Default of `max-memory`: no limit but the machine's (`u64::MAX`).
pub const UNLIMITED_MEMORY: u64 = u64::MAX;

/// Every knob, in the order `Display` writes them.
pub const KNOBS: [Knob; 8] = [
    Knob {
        name: "threshold",
        min: 1,
        max: u32::MAX as u64,
        about: "calls before a function is compiled",
        get: |c| c.threshold as u64,
        set: |c, v| c.threshold = v as u32,
    },
    Knob {
        name: "osr-threshold",
        min: 1,
        max: u32::MAX as u64,
        about: "loop back-edges before on-stack replacement enters compiled code",
        get: |c| c.osr_threshold as u64,
        set: |c, v| c.osr_threshold = v as u32,
    },
    Knob {
        name: "max-deopts",
        min: 1,
        max: u32::MAX as u64,
        about: "deopts of one function before it is recompiled without the failing speculation",
        get: |c| c.max_deopts as u64,
        set: |c, v| c.max_deopts = v as u32,
    },
    Knob {
        name: "max-recompiles",
        min: 1,
        max: u32::MAX as u64,
        about: "recompiles of one function (after deopts or traps); the last one is made \
                without speculation, so that code never deopts and is never replaced",
        get: |c| c.max_recompiles as u64,
        set: |c, v| c.max_recompiles = v as u32,
    },
    Knob {
        name: "max-compile-instructions",
        min: 1,
        max: u32::MAX as u64,
        about:
            "bytecode instructions of the largest function compiled; larger ones stay interpreted",
        get: |c| c.max_compile_instructions as u64,
        set: |c, v| c.max_compile_instructions = v as u32,
    },
    Knob {
        name: "max-compile-registers",
        min: 1,
        max: crate::bytecode::MAX_REGS as u64,
        about: "registers of the largest function compiled; larger ones stay interpreted",
        get: |c| c.max_compile_registers as u64,
        set: |c, v| c.max_compile_registers = v as u32,
    },
    Knob {
        name: "max-memory",
        min: 1,
        max: u64::MAX,
        about: "live heap bytes a program may grow its strings, arrays and dicts to; beyond \
                it growing one is the runtime error `out of memory` (default: no limit)",
        get: |c| c.max_memory,
        set: |c, v| c.max_memory = v,
    },
    Knob {
        name: "fail-guards",
        min: 0,
        max: 1,
        about: "1: every guard of specialized code fails, so compiled code deoptimizes at its \
                first one (a test of the deopt paths: the output must not change)",
        get: |c| c.fail_guards as u64,
        set: |c, v| c.fail_guards = v == 1,
    },
];

/// A resolved engine configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub preset: Preset,
    /// Calls before a function is compiled.
    pub threshold: u32,
    /// Loop back-edges before on-stack replacement enters compiled code.
    pub osr_threshold: u32,
    /// Deopts of one function before it is recompiled without the failing speculation.
    pub max_deopts: u32,
    /// Recompiles of one function; the last is made without speculation and is final. This
    /// bounds the compile work a function can cause to `max_recompiles + 1` compiles.
    pub max_recompiles: u32,
    /// Functions with more bytecode instructions stay interpreted.
    pub max_compile_instructions: u32,
    /// Functions with more registers stay interpreted.
    pub max_compile_registers: u32,
    /// Live heap bytes (`mem::live_bytes`) past which growing a string, array or dict is
    /// `out of memory`; `UNLIMITED_MEMORY` for none.
    pub max_memory: u64,
    /// Every guard of specialized code fails (`fail-guards=1`): a test of deoptimization.
    pub fail_guards: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config::preset(Preset::JitSpec)
    }
}

/// Why a config string was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// A knob value: a whole number, with an optional binary suffix `k`, `M` or `G` (or `K`,
/// `m`, `g`) for byte counts. `None` if it is not one or overflows 64 bits.
fn parse_amount(text: &str) -> Option<u64> {
    let (digits, scale) = match text.as_bytes().last()? {
        b'k' | b'K' => (&text[..text.len() - 1], 1u64 << 10),
        b'm' | b'M' => (&text[..text.len() - 1], 1 << 20),
        b'g' | b'G' => (&text[..text.len() - 1], 1 << 30),
        _ => (text, 1),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u64>().ok()?.checked_mul(scale)
}

impl Config {
    pub fn preset(preset: Preset) -> Config {
        Config {
            preset,
            threshold: 100,
            osr_threshold: 1000,
            max_deopts: 10,
            max_recompiles: DEFAULT_MAX_RECOMPILES as u32,
            max_compile_instructions: DEFAULT_MAX_COMPILE_INSTRUCTIONS as u32,
            max_compile_registers: DEFAULT_MAX_COMPILE_REGISTERS as u32,
            max_memory: UNLIMITED_MEMORY,
            fail_guards: false,
        }
    }

    /// Parses `PRESET[:knob=value...]`.
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let mut parts = text.split(':');
        let name = parts.next().unwrap_or_default();
        let preset = Preset::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = Preset::ALL.iter().map(|p| p.name()).collect();
            ConfigError(format!(
                "unknown config '{name}' (expected one of: {})",
                names.join(", ")
            ))
        })?;
        let mut config = Config::preset(preset);
        for part in parts {
            let (key, value) = part.split_once('=').ok_or_else(|| {
                ConfigError(format!(
                    "bad knob '{part}' in config '{text}' (expected knob=value)"
                ))
            })?;
            let knob = KNOBS.iter().find(|k| k.name == key).ok_or_else(|| {
                let names: Vec<&str> = KNOBS.iter().map(|k| k.name).collect();
                ConfigError(format!(
                    "unknown knob '{key}' in config '{text}' (expected one of: {})",
                    names.join(", ")
                ))
            })?;
            let amount = parse_amount(value).filter(|v| (knob.min..=knob.max).contains(v));
            let amount = amount.ok_or_else(|| {
                ConfigError(format!(
                    "knob '{key}' in config '{text}' needs a whole number from {} to {}, got '{value}'",
                    knob.min, knob.max
                ))
            })?;
            (knob.set)(&mut config, amount);
        }
        Ok(config)
    }
}

impl fmt::Display for Config {
    /// The canonical name: the preset, then every knob that differs from its default.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let default = Config::preset(self.preset);
        f.write_str(self.preset.name())?;
        for knob in &KNOBS {
            let value = (knob.get)(self);
            if value != (knob.get)(&default) {
                write!(f, ":{}={value}", knob.name)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_presets_and_knobs() {
        let c = Config::parse("jit-spec:threshold=10:max-deopts=2").unwrap();
        assert_eq!(c.preset, Preset::JitSpec);
        assert_eq!(c.threshold, 10);
        assert_eq!(c.max_deopts, 2);
        assert_eq!(c.to_string(), "jit-spec:threshold=10:max-deopts=2");
        assert_eq!(Config::parse("interp").unwrap().to_string(), "interp");
        let m =
            Config::parse("interp:max-compile-registers=2k:max-compile-instructions=9").unwrap();
        assert_eq!(m.max_compile_registers, 2048);
        assert_eq!(m.max_compile_instructions, 9);
        assert_eq!(
            m.to_string(),
            "interp:max-compile-instructions=9:max-compile-registers=2048"
        );
        assert_eq!(Config::parse(&m.to_string()).unwrap(), m);
        let mem = Config::parse("interp:max-memory=64M").unwrap();
        assert_eq!(mem.max_memory, 64 << 20);
        assert_eq!(mem.to_string(), "interp:max-memory=67108864");
        assert_eq!(Config::parse("jit").unwrap().max_memory, UNLIMITED_MEMORY);
        let f = Config::parse("jit-spec:fail-guards=1").unwrap();
        assert!(f.fail_guards);
        assert_eq!(f.to_string(), "jit-spec:fail-guards=1");
        assert!(!Config::parse("jit-spec:fail-guards=0").unwrap().fail_guards);
        assert!(Config::parse("jit-spec:fail-guards=2").is_err());
    }

    #[test]
    fn rejects_unknown_names_and_knobs() {
        assert!(Config::parse("fast")
            .unwrap_err()
            .0
            .contains("unknown config 'fast'"));
        assert!(Config::parse("jit:speed=3")
            .unwrap_err()
            .0
            .contains("unknown knob 'speed'"));
        assert!(Config::parse("jit:threshold=x")
            .unwrap_err()
            .0
            .contains("whole number"));
        for bad in [
            "0",
            "-1",
            "1e20",
            "4294967296",
            "99999999999999999999999",
            "",
            "3k5",
        ] {
            let err = Config::parse(&format!("jit:threshold={bad}"))
                .unwrap_err()
                .0;
            assert!(
                err.contains("needs a whole number from 1 to 4294967295"),
                "{bad}: {err}"
            );
        }
        assert!(Config::parse("jit:max-compile-registers=65536").is_err());
        assert!(Config::parse("interp:max-memory=0")
            .unwrap_err()
            .0
            .contains("from 1 to 18446744073709551615"));

        assert!(Config::parse("jit:threshold")
            .unwrap_err()
            .0
            .contains("knob=value"));
    }
}
