//! The profiling flags of `ruff run` and `ruff bench` (issue 11, docs/PROFILING.md):
//! `--events PATH` (JIT events as JSON lines), `--profile PATH` (the sampling profiler's
//! folded stacks), `--profile-timeline PATH`, `--profile-interval-us`. `--perf-map` is the
//! tier's (`perf_map.rs`), set up in `make_engine`.
//!
//! `Observers::attach` runs before the program is loaded; `finish` stops the timer and
//! writes the files once the run is over (also after a runtime error, so a failing
//! program can be profiled too).

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::time::Duration;

use ruff_core::events::JsonLines;
use ruff_core::sampler::Timer;
use ruff_core::Engine;

use super::{EngineArgs, Exit};

/// The file name perf map symbols carry: the program's base name (`prog.ruff`).
pub(super) fn symbol_file_name(file: &Path) -> String {
    file.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.to_string_lossy().into_owned())
}

/// The running profiling machinery of one `ruff` process.
pub(super) struct Observers {
    timer: Option<Timer>,
    profile: Option<PathBuf>,
    timeline: Option<PathBuf>,
}

fn cannot_write(path: &Path, e: std::io::Error) -> Exit {
    Exit::usage(format!("cannot write '{}': {e}", path.display()))
}

impl Observers {
    pub(super) fn attach(engine: &mut Engine, args: &EngineArgs) -> Result<Observers, Exit> {
        if let Some(path) = &args.events {
            let file = File::create(path).map_err(|e| cannot_write(path, e))?;
            engine.set_event_sink(Box::new(JsonLines::new(BufWriter::new(file))));
        }
        let mut timer = None;
        if let Some(path) = &args.profile {
            // Fail before running, not after: the output must be writable.
            File::create(path).map_err(|e| cannot_write(path, e))?;
            engine.start_profile();
            let interval = Duration::from_micros(args.profile_interval_us);
            timer = Some(Timer::start(interval).map_err(|e| Exit {
                code: 70,
                message: Some(format!("ruff: cannot start the sampler thread: {e}")),
            })?);
        }
        Ok(Observers {
            timer,
            profile: args.profile.clone(),
            timeline: args.profile_timeline.clone(),
        })
    }

    /// Stops sampling and writes the profile files.
    pub(super) fn finish(self, engine: &mut Engine) -> Result<(), Exit> {
        drop(self.timer);
        let Some(path) = self.profile else {
            return Ok(());
        };
        let profile = engine.take_profile().unwrap_or_default();
        std::fs::write(&path, profile.folded()).map_err(|e| cannot_write(&path, e))?;
        if let Some(t) = self.timeline {
            std::fs::write(&t, profile.timeline_csv()).map_err(|e| cannot_write(&t, e))?;
        }
        Ok(())
    }
}
