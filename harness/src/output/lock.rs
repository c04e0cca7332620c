//! The run-folder lock: whoever writes a run folder (`harness run`, `harness run --resume`,
//! `harness ab`) holds `RUN_DIR/.lock` for the whole run, so two writers can never interleave
//! or replace each other's `results.csv`.
//!
//! The lock is an advisory `flock(2)` on the file, held through its open descriptor: the
//! kernel releases it when the process ends however it ends, so a crashed or killed run
//! never leaves a lock that blocks the folder. The file also holds the owner's pid, which is
//! only information: for the refusal message ("locked by pid N") and for the note when a
//! later writer finds the pid of a process that no longer runs (its lock was released by the
//! kernel; the file is simply taken over).

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// The lock file inside a run folder.
pub const FILE: &str = ".lock";

/// A held run-folder lock; released when dropped (or when the process ends).
#[derive(Debug)]
pub struct RunLock {
    /// Kept open: closing the descriptor releases the `flock`.
    _file: File,
    path: PathBuf,
}

/// What [`RunLock::acquire`] found in the lock file before taking it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Previous {
    /// No lock file, or one without a pid.
    None,
    /// The pid of an earlier writer that no longer runs (a crashed or killed run).
    Stale(u32),
}

impl RunLock {
    /// Takes the lock of run folder `dir` (which must exist). Fails, naming the owner's pid,
    /// if another process holds it. Prints a note when taking over a dead writer's file.
    pub fn acquire(dir: &Path) -> Result<RunLock> {
        let (lock, previous) = RunLock::try_acquire(dir)?;
        if let Previous::Stale(pid) = previous {
            eprintln!(
                "note: {}: taking over the lock of pid {pid}, which no longer runs (an \
                 interrupted run)",
                lock.path.display()
            );
        }
        Ok(lock)
    }

    /// [`RunLock::acquire`] without the note, returning what was found instead.
    pub fn try_acquire(dir: &Path) -> Result<(RunLock, Previous)> {
        let path = dir.join(FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .with_context(|| format!("cannot open the run lock {}", path.display()))?;
        // SAFETY: `file` is an open descriptor owned by this function; flock only reads it.
        let r = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        let mut text = String::new();
        let _ = file.read_to_string(&mut text);
        let owner: Option<u32> = text.trim().parse().ok();
        if r != 0 {
            let err = std::io::Error::last_os_error();
            if err.raw_os_error() == Some(libc::EWOULDBLOCK) {
                match owner {
                    Some(pid) => bail!(
                        "run folder {} is being written by another harness (pid {pid}, lock {}); \
                         wait for it to finish or stop it first",
                        dir.display(),
                        path.display()
                    ),
                    None => bail!(
                        "run folder {} is being written by another harness (lock {})",
                        dir.display(),
                        path.display()
                    ),
                }
            }
            return Err(err).with_context(|| format!("cannot lock {}", path.display()));
        }
        let previous = match owner {
            Some(pid) if pid != std::process::id() => Previous::Stale(pid),
            _ => Previous::None,
        };
        file.set_len(0)?;
        file.rewind()?;
        writeln!(file, "{}", std::process::id())?;
        file.flush()?;
        Ok((RunLock { _file: file, path }, previous))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_is_refused_with_the_owner_pid_and_a_dead_one_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        // A lock file left by a process that no longer holds it.
        std::fs::write(dir.path().join(FILE), "4194999\n").unwrap();
        let (held, previous) = RunLock::try_acquire(dir.path()).unwrap();
        assert_eq!(previous, Previous::Stale(4_194_999));
        let text = std::fs::read_to_string(dir.path().join(FILE)).unwrap();
        assert_eq!(text.trim(), std::process::id().to_string());

        // flock locks belong to the open file description, so a second open in this very
        // process conflicts just as another process would.
        let err = RunLock::try_acquire(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains(&format!("pid {}", std::process::id())),
            "{err}"
        );
        drop(held);
        let (_again, previous) = RunLock::try_acquire(dir.path()).unwrap();
        assert_eq!(previous, Previous::None, "our own pid is not stale");
    }
}
