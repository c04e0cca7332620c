//! The public engine API, used by the `ruff` binary, the harness and tests.
//!
//! An `Engine` holds one configuration, optionally a compile tier, and at most one loaded
//! program with its VM (globals persist between `run_main` and `call_global`, which is how
//! `ruff bench` runs a program's `run()` entry repeatedly in one process).
//!
//! ```
//! use ruff_core::{Config, Engine};
//!
//! let mut engine = Engine::new(Config::parse("interp").unwrap());
//! engine.set_output(Box::new(std::io::sink()));
//! engine.load("demo.ruff", b"func add(a, b) { return a + b }\nprint(add(1, 2))\n").unwrap();
//! engine.run_main().unwrap();
//! assert!(engine.has_function("add", 2));
//! let sum = engine.call_global("add", &[ruff_core::Value::Int(2), ruff_core::Value::Int(3)]).unwrap();
//! assert!(matches!(sum, ruff_core::Value::Int(5)));
//! ```
//!
//! Errors carry their position and trace; `render_error` formats them for stderr:
//!
//! ```
//! use ruff_core::{Config, Engine};
//!
//! let mut engine = Engine::new(Config::default());
//! engine.set_output(Box::new(std::io::sink()));
//! engine.load("bad.ruff", b"x := 1 / 0\n").unwrap();
//! let err = engine.run_main().unwrap_err();
//! assert_eq!(err.exit_code(), 70);
//! assert!(engine.render_error(&err).starts_with("bad.ruff:1:8: runtime error: division by zero"));
//! ```

use std::io::Write;
use std::rc::Rc;

use crate::bytecode::{disasm, Program};
use crate::config::Config;
use crate::error::Error;
use crate::stats::Stats;
use crate::tier::CompileTier;
use crate::value::Value;
use crate::vm::Vm;
use crate::{builtins, compiler, parser};

/// Parses and compiles `source` to bytecode without running it (compile errors:
/// `ErrorKind::Compile`, exit 65). `Engine::load` does this first; compile-only tools (the
/// JIT's benchmarks and planner tests) use it directly.
pub fn compile(source: &[u8]) -> Result<Program, Error> {
    let ast = parser::parse(source)?;
    compiler::compile(&ast)
}

/// Runs Ruff programs under one configuration.
pub struct Engine {
    config: Config,
    /// The tier until a program is loaded (then the VM owns it).
    tier: Option<Box<dyn CompileTier>>,
    /// The output until a program is loaded (then the VM owns it).
    output: Option<Box<dyn Write>>,
    file_name: String,
    source: String,
    program: Option<Rc<Program>>,
    vm: Option<Box<Vm>>,
    trace_jit: bool,
    /// The event sink until a program is loaded (then the VM owns it).
    events: Option<Box<dyn crate::events::EventSink>>,
    /// The profile until a program is loaded (then the VM owns it).
    profile: Option<Box<crate::sampler::Profile>>,
}

impl Engine {
    /// An engine without a compile tier: `jit*` presets then run interpreted (with profiling).
    pub fn new(config: Config) -> Engine {
        builtins::init_clock();
        // The time origin of event and sample timestamps: the engine's start.
        crate::sampler::epoch();
        Engine {
            config,
            tier: None,
            output: Some(Box::new(std::io::stdout())),
            file_name: String::new(),
            source: String::new(),
            program: None,
            vm: None,
            trace_jit: false,
            events: None,
            profile: None,
        }
    }

    /// An engine that hands hot code to `tier` (when the preset compiles).
    pub fn with_tier(config: Config, tier: Box<dyn CompileTier>) -> Engine {
        let mut engine = Engine::new(config);
        engine.tier = Some(tier);
        engine
    }

    /// An engine for `config` whose tier `make_tier` makes, called only if the config
    /// compiles: an interpreter preset never pays for a tier's setup. (Whether and when the
    /// running program compiles is then the VM's tiering policy, `vm/tiering.rs`.)
    pub fn tiered(
        config: Config,
        make_tier: impl FnOnce(&Config) -> Box<dyn CompileTier>,
    ) -> Engine {
        if config.preset.compiles() {
            let tier = make_tier(&config);
            Engine::with_tier(config, tier)
        } else {
            Engine::new(config)
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Where `print` output goes (default: stdout). Output is buffered and flushed at the end
    /// of `run_main`/`call_global`, before an error is returned, and past 64 KiB.
    pub fn set_output(&mut self, out: Box<dyn Write>) {
        match self.vm.as_mut() {
            Some(vm) => vm.set_writer(out),
            None => self.output = Some(out),
        }
    }

    /// `--trace-jit`: report compiles and deopts on stderr.
    pub fn set_trace_jit(&mut self, on: bool) {
        self.trace_jit = on;
        if let Some(vm) = self.vm.as_mut() {
            vm.set_trace_jit(on);
        }
    }

    /// `--events`: JIT events (compiles, OSR entries, deopts, recompiles) go to `sink`.
    pub fn set_event_sink(&mut self, sink: Box<dyn crate::events::EventSink>) {
        match self.vm.as_mut() {
            Some(vm) => vm.set_event_sink(Some(sink)),
            None => self.events = Some(sink),
        }
    }

    /// `--profile`: record a sample of the Ruff stack whenever the sampler's timer has
    /// ticked (the caller runs the `sampler::Timer`).
    pub fn start_profile(&mut self) {
        let profile = Box::new(crate::sampler::Profile::new());
        match self.vm.as_mut() {
            Some(vm) => vm.set_profile(Some(profile)),
            None => self.profile = Some(profile),
        }
    }

    /// The samples recorded since `start_profile` (sampling stops).
    pub fn take_profile(&mut self) -> Option<Box<crate::sampler::Profile>> {
        match self.vm.as_mut() {
            Some(vm) => vm.take_profile(),
            None => self.profile.take(),
        }
    }

    /// Parses and compiles `source` (compile errors: `ErrorKind::Compile`, exit 65) and
    /// prepares a VM for it. `file_name` is used in error messages.
    pub fn load(&mut self, file_name: &str, source: &[u8]) -> Result<(), Error> {
        self.file_name = file_name.to_string();
        self.source = String::from_utf8_lossy(source).into_owned();
        let program = Rc::new(compile(source)?);
        // A second load reuses the tier and the output of the first VM.
        if let Some(mut old) = self.vm.take() {
            old.flush_output();
            self.tier = self.tier.take().or_else(|| old.take_tier());
            self.output = Some(old.take_writer());
            self.events = self.events.take().or_else(|| old.take_event_sink());
            self.profile = self.profile.take().or_else(|| old.take_profile());
        }
        let out = self
            .output
            .take()
            .unwrap_or_else(|| Box::new(std::io::stdout()));
        let mut vm = Vm::new(program.clone(), self.config.clone(), self.tier.take(), out);
        vm.set_trace_jit(self.trace_jit);
        vm.set_event_sink(self.events.take());
        vm.set_profile(self.profile.take());
        self.program = Some(program);
        self.vm = Some(vm);
        Ok(())
    }

    fn vm(&mut self) -> Result<&mut Vm, Error> {
        self.vm
            .as_deref_mut()
            .ok_or_else(|| Error::runtime(Default::default(), "no program loaded"))
    }

    /// Runs the loaded program's top-level code. Output is flushed before returning.
    pub fn run_main(&mut self) -> Result<(), Error> {
        let _limit = crate::mem::Limit::set(self.config.max_memory);
        let vm = self.vm()?;
        let result = vm.run_main();
        vm.flush_output();
        result
    }

    /// Calls the global function `name` with `args` (after `run_main` defined it).
    pub fn call_global(&mut self, name: &str, args: &[Value]) -> Result<Value, Error> {
        let _limit = crate::mem::Limit::set(self.config.max_memory);
        let vm = self.vm()?;
        let callee = match vm.global_slot(name).map(|g| vm.global(g).clone()) {
            Some(v) if !matches!(v, Value::Undef) => v,
            _ => {
                return Err(Error::runtime(
                    Default::default(),
                    format!("undefined variable '{name}'"),
                ))
            }
        };
        let result = vm.call_value(&callee, args);
        vm.flush_output();
        result
    }

    /// True if the global `name` currently holds a function taking `arity` parameters.
    pub fn has_function(&self, name: &str, arity: usize) -> bool {
        let Some(vm) = self.vm.as_deref() else {
            return false;
        };
        match vm.global_slot(name).map(|g| vm.global(g)) {
            Some(Value::Func(c)) => c.proto.arity as usize == arity && !c.proto.is_method,
            _ => false,
        }
    }

    /// The counters so far (all zero before a program is loaded).
    pub fn stats(&self) -> Stats {
        self.vm
            .as_ref()
            .map(|vm| vm.stats().clone())
            .unwrap_or_default()
    }

    /// The full stderr text of `err` for the loaded file.
    pub fn render_error(&self, err: &Error) -> String {
        err.render(&self.file_name, &self.source)
    }

    /// The disassembled bytecode of the loaded program (empty before `load`).
    pub fn dump_bytecode(&self) -> String {
        self.program
            .as_ref()
            .map(|p| disasm::disassemble(p))
            .unwrap_or_default()
    }
}
