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

    /// True if hot code is handed to a compile tier.
    pub fn compiles(self) -> bool {
        matches!(self, Preset::Jit | Preset::JitSpec | Preset::JitSpecHoist)
    }

    pub fn specializes(self) -> bool {
        matches!(self, Preset::JitSpec | Preset::JitSpecHoist)
    }

    pub fn hoists(self) -> bool {
        self == Preset::JitSpecHoist
    }
}

/// The knobs a config string may set.
pub const KNOBS: [&str; 3] = ["threshold", "osr-threshold", "max-deopts"];

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

impl Config {
    pub fn preset(preset: Preset) -> Config {
        Config {
            preset,
            threshold: 100,
            osr_threshold: 1000,
            max_deopts: 10,
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
        for knob in parts {
            let (key, value) = knob.split_once('=').ok_or_else(|| {
                ConfigError(format!(
                    "bad knob '{knob}' in config '{text}' (expected knob=value)"
                ))
            })?;
            let value: u32 = value.parse().map_err(|_| {
                ConfigError(format!(
                    "knob '{key}' in config '{text}' needs a whole number, got '{value}'"
                ))
            })?;
            match key {
                "threshold" => config.threshold = value,
                "osr-threshold" => config.osr_threshold = value,
                "max-deopts" => config.max_deopts = value,
                _ => {
                    return Err(ConfigError(format!(
                        "unknown knob '{key}' in config '{text}' (expected one of: {})",
                        KNOBS.join(", ")
                    )))
                }
            }
        }
        Ok(config)
    }
}

impl fmt::Display for Config {
    /// The canonical name: the preset, then every knob that differs from its default.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let default = Config::preset(self.preset);
        f.write_str(self.preset.name())?;
        if self.threshold != default.threshold {
            write!(f, ":threshold={}", self.threshold)?;
        }
        if self.osr_threshold != default.osr_threshold {
            write!(f, ":osr-threshold={}", self.osr_threshold)?;
        }
        if self.max_deopts != default.max_deopts {
            write!(f, ":max-deopts={}", self.max_deopts)?;
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
        assert!(Config::parse("jit:threshold")
            .unwrap_err()
            .0
            .contains("knob=value"));
    }
}
