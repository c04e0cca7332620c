//! The tier's Cranelift JIT modules, one per optimization level, and which one compiles a
//! function.
//!
//! Cranelift fixes the optimization level in the ISA, hence in the module, so a tier that
//! compiles at two levels needs two modules. Code in either may call code in the other:
//! compiled code reaches other functions through raw entry pointers (the direct-call
//! table), never through module-relative symbols, except a function's own two entries,
//! which are always defined in the same module.
//!
//! Why two levels (docs/DESIGN.md, "Compile cost"): the mid-end (`opt_level=speed`: e-graph
//! GVN, LICM, redundant-load elimination) pays off where code repeats within one entry, in
//! loops; it made up a quarter of all compile work on the AWFY programs, whose compiled
//! functions are mostly short loop-free methods, for little gain there. Loop-free code is
//! compiled at `opt_level=none`; a function with a loop, when it specializes, at `speed`.

use cranelift_codegen::settings::{self, Configurable};
use cranelift_jit::{JITBuilder, JITModule};
use ruff_core::abi::bytecode::{FuncProto, Instr};

/// Index in `CraneliftTier::modules` of the module compiling at `opt_level=none`.
pub const QUICK: usize = 0;
/// Index of the module compiling at `opt_level=speed`, when the preset specializes.
pub const OPTIMIZING: usize = 1;

/// The modules the tier compiles into: `[QUICK]`, plus `OPTIMIZING` when `specializes`.
pub fn create(specializes: bool) -> Result<Vec<JITModule>, String> {
    let mut modules = vec![module("none")?];
    if specializes {
        modules.push(module("speed")?);
    }
    Ok(modules)
}

/// The module that compiles `proto` (into `count` modules): the optimizing one for
/// specialized code with a loop, the quick one for everything else (loop-free code, and
/// the baseline's chains of helper calls, which leave the optimizer little to find).
pub fn for_function(proto: &FuncProto, specialized: bool, count: usize) -> usize {
    let has_loop = proto
        .code
        .iter()
        .any(|i| matches!(i, Instr::LoopBack { .. }));
    if specialized && has_loop && count > OPTIMIZING {
        OPTIMIZING
    } else {
        QUICK
    }
}

/// A JIT module for the host at `opt_level`.
fn module(opt_level: &str) -> Result<JITModule, String> {
    let mut flags = settings::builder();
    let mut set = |k: &str, v: &str| {
        flags
            .set(k, v)
            .map_err(|e| format!("cranelift setting {k}: {e}"))
    };
    set("opt_level", opt_level)?;
    set("use_colocated_libcalls", "false")?;
    set("is_pic", "false")?;
    // The IR verifier costs a large share of compile time; keep it for debug builds.
    set(
        "enable_verifier",
        if cfg!(debug_assertions) {
            "true"
        } else {
            "false"
        },
    )?;
    let isa = cranelift_native::builder()
        .map_err(|e| format!("host not supported by cranelift: {e}"))?
        .finish(settings::Flags::new(flags))
        .map_err(|e| format!("cranelift isa: {e}"))?;
    let builder = JITBuilder::with_isa(isa, cranelift_module::default_libcall_names());
    Ok(JITModule::new(builder))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proto(src: &str, name: &str) -> std::rc::Rc<FuncProto> {
        let program = ruff_core::compile(src.as_bytes()).expect("test program compiles");
        program
            .protos
            .iter()
            .find(|p| &*p.display_name == name)
            .cloned()
            .expect("the function exists")
    }

    const SRC: &str = "func flat(a) { return a + 1 }\n\
                       func looped(n) { t := 0\n while t < n { t = t + 1 }\n return t }\n";

    #[test]
    fn only_specialized_code_with_a_loop_is_optimized() {
        let (flat, looped) = (proto(SRC, "flat"), proto(SRC, "looped"));
        assert_eq!(for_function(&flat, true, 2), QUICK);
        assert_eq!(for_function(&looped, true, 2), OPTIMIZING);
        // The baseline (a preset's, or a function's final recompile) is never optimized.
        assert_eq!(for_function(&looped, false, 2), QUICK);
        // A preset without specialization has only the quick module.
        assert_eq!(for_function(&looped, true, 1), QUICK);
    }

    #[test]
    fn the_modules_compile_at_their_levels() {
        use cranelift_module::Module;
        let level = |m: &JITModule| m.isa().flags().opt_level().to_string();
        let both = create(true).expect("host supported");
        assert_eq!(both.len(), 2);
        assert_eq!(level(&both[QUICK]), "none");
        assert_eq!(level(&both[OPTIMIZING]), "speed");
        assert_eq!(create(false).expect("host supported").len(), 1);
    }
}
