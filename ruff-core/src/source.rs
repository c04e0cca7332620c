//! Reading a program's source file, with the rules every tool applies before lexing
//! (docs/LIMITS.md, "Source files").
//!
//! The source must be a regular file (a symbolic link to one is fine) of at most
//! [`MAX_SOURCE_BYTES`]. Reading anything else fails early with a message naming the file:
//! `/dev/zero` or `/dev/urandom` would never end, opening a FIFO blocks until some other
//! process writes to it, and a directory cannot be read at all. The size cap bounds the
//! memory the front end needs (tokens and syntax tree are a few dozen times the source).

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// The largest source file the tools accept: 16 MiB. Far beyond any hand-written program;
/// the front end needs up to about 120 bytes of memory per source byte (measured on a sum of
/// 10 million terms), so a file at the cap stays around 2 GB.
pub const MAX_SOURCE_BYTES: u64 = 16 << 20;

/// The bytes of the source file at `path`, or a message (`cannot read 'PATH': why`) for an
/// input error (exit 64 in the tools).
pub fn read_source(path: &Path) -> Result<Vec<u8>, String> {
    let fail = |why: String| format!("cannot read '{}': {why}", path.display());
    // `metadata` follows symbolic links and opens nothing, so a FIFO is refused before
    // `open` could block on it.
    let meta = std::fs::metadata(path).map_err(|e| fail(e.to_string()))?;
    check_kind(&meta).map_err(fail)?;
    check_size(meta.len()).map_err(fail)?;
    let file = File::open(path).map_err(|e| fail(e.to_string()))?;
    // The path may have been replaced between the two looks; the open file decides.
    let meta = file.metadata().map_err(|e| fail(e.to_string()))?;
    check_kind(&meta).map_err(fail)?;
    let mut bytes = Vec::new();
    // One byte past the cap tells a file that grew after the check.
    file.take(MAX_SOURCE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(e.to_string()))?;
    check_size(bytes.len() as u64).map_err(fail)?;
    Ok(bytes)
}

fn check_kind(meta: &std::fs::Metadata) -> Result<(), String> {
    if meta.is_file() {
        return Ok(());
    }
    Err(format!(
        "not a regular file ({})",
        kind_name(&meta.file_type())
    ))
}

fn check_size(len: u64) -> Result<(), String> {
    if len <= MAX_SOURCE_BYTES {
        return Ok(());
    }
    Err(format!(
        "the file is larger than {MAX_SOURCE_BYTES} bytes (16 MiB), the most a source file may have"
    ))
}

fn kind_name(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_dir() {
        "a directory"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_regular_file() {
        let dir = std::env::temp_dir().join(format!("ruff-source-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("ok.ruff");
        std::fs::write(&path, b"print(1)\n").unwrap();
        assert_eq!(read_source(&path).unwrap(), b"print(1)\n");
        let err = read_source(&dir).unwrap_err();
        assert!(err.ends_with("not a regular file (a directory)"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn devices_are_refused_without_reading() {
        let err = read_source(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(
            err,
            "cannot read '/dev/zero': not a regular file (a character device)"
        );
    }

    #[test]
    fn the_size_cap_is_inclusive() {
        assert!(check_size(MAX_SOURCE_BYTES).is_ok());
        let err = check_size(MAX_SOURCE_BYTES + 1).unwrap_err();
        assert!(err.contains("larger than 16777216 bytes"), "{err}");
    }
}
