//! Writing output files atomically: each goes to a temp file in its own folder first, and only
//! when every file of the run is staged are they renamed into place. A reader never sees half a
//! report, and a failed run leaves the previous files intact.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{Error, Result};

fn stage(
    path: &Path,
    write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> Result<NamedTempFile> {
    let err = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".hipaa-scan-")
        .tempfile_in(dir)
        .map_err(err)?;
    {
        let mut w = BufWriter::new(tmp.as_file());
        write(&mut w).map_err(err)?;
        w.flush().map_err(err)?;
    }
    tmp.as_file().sync_all().map_err(err)?;
    Ok(tmp)
}

/// Writes one file atomically.
pub fn write_atomic(path: &Path, contents: &str) -> Result<()> {
    write_files_atomic(&[path.to_path_buf()], |_, w| {
        w.write_all(contents.as_bytes())
    })
}

/// Writes `paths[i]` with `write(i, ...)`; none is replaced unless all could be staged.
pub fn write_files_atomic<F>(paths: &[PathBuf], mut write: F) -> Result<()>
where
    F: FnMut(usize, &mut dyn Write) -> std::io::Result<()>,
{
    let mut staged = Vec::with_capacity(paths.len());
    for (i, path) in paths.iter().enumerate() {
        staged.push(stage(path, &mut |w| write(i, w))?);
    }
    for (path, tmp) in paths.iter().zip(staged) {
        tmp.persist(path).map_err(|e| Error::Write {
            path: path.to_path_buf(),
            source: e.error,
        })?;
    }
    Ok(())
}
