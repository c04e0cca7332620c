//! `ruff run FILE`: run a program once.

use super::{load, make_engine, prepare, Exit, RunArgs};

pub(super) fn run(args: RunArgs) -> Result<(), Exit> {
    let (config, source) = prepare(&args.file, &args.engine)?;
    let mut engine = make_engine(&config, &args.engine, &args.file);
    let observers = super::observe::Observers::attach(&mut engine, &args.engine)?;
    load(&mut engine, &args.file, &source)?;
    if args.dump_bytecode {
        eprint!("{}", engine.dump_bytecode());
    }
    let result = engine.run_main();
    observers.finish(&mut engine)?;
    // The counters go to stderr so they never mix with the program's output.
    let report_stats = |engine: &ruff_core::Engine| {
        if args.stats {
            eprintln!("{}", engine.stats().to_json());
        }
    };
    match result {
        Ok(()) => {
            report_stats(&engine);
            Ok(())
        }
        Err(e) => {
            // run_main flushed the program's output before returning the error.
            let text = engine.render_error(&e);
            report_stats(&engine);
            Err(Exit {
                code: e.exit_code(),
                message: Some(text),
            })
        }
    }
}
