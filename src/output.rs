//! Writing output files atomically: each goes to a temp file in its own folder first, and only
//! when every file of the run is staged are they renamed into place. A reader never sees half a
//! report, and a failed run leaves the previous files intact.

use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{Error, Result};

fn stage(path: &Path, contents: &str) -> Result<NamedTempFile> {
    let err = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".hipaa-scan-")
        .tempfile_in(dir)
        .map_err(err)?;
    tmp.write_all(contents.as_bytes()).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    Ok(tmp)
}

/// Writes one file atomically.
pub fn write_atomic(path: &Path, contents: &str) -> Result<()> {
    write_all_atomic(&[(path.to_path_buf(), contents.to_string())])
}

/// Writes several files; none is replaced unless all could be staged.
pub fn write_all_atomic(files: &[(PathBuf, String)]) -> Result<()> {
    let staged = files
        .iter()
        .map(|(path, contents)| stage(path, contents).map(|t| (path, t)))
        .collect::<Result<Vec<_>>>()?;
    for (path, tmp) in staged {
        tmp.persist(path).map_err(|e| Error::Write {
            path: path.to_path_buf(),
            source: e.error,
        })?;
    }
    Ok(())
}
