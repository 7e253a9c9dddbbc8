//! Typed errors of the library. The CLI adds context and maps them to exit codes.

use std::fmt;
use std::path::PathBuf;

/// Bad input: a malformed policy, snapshot, config or waiver file. Names where the problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The file (or `<builtin>/...` for embedded files).
    pub file: String,
    /// 1-based line and column, when known.
    pub line: Option<u64>,
    pub column: Option<u64>,
    /// The field path inside the document, e.g. `resources[3].properties.versioning`.
    pub field: Option<String>,
    pub message: String,
}

impl InputError {
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            line: None,
            column: None,
            field: None,
            message: message.into(),
        }
    }

    pub fn at(mut self, line: u64, column: u64) -> Self {
        if line > 0 {
            self.line = Some(line);
            self.column = (column > 0).then_some(column);
        }
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": ")?;
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for InputError {}

/// Errors of the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more problems in input files; all are listed.
    #[error("{}", display_all(.0))]
    Input(Vec<InputError>),
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn display_all(errors: &[InputError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

impl From<InputError> for Error {
    fn from(e: InputError) -> Self {
        Error::Input(vec![e])
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Turns a serde-saphyr error into an [`InputError`] for `file`.
pub(crate) fn yaml_error(file: &str, e: &serde_saphyr::Error) -> InputError {
    let mut err = InputError::new(file, first_line(&e.to_string()));
    if let Some(loc) = e.location() {
        err = err.at(loc.line(), loc.column());
    }
    err
}

/// serde-saphyr's message is `error: line L column C: message` followed by a snippet; keep the
/// message only, since the location is carried separately.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or(message);
    let line = line.strip_prefix("error: ").unwrap_or(line);
    match line.split_once(": ") {
        Some((head, rest)) if head.starts_with("line ") => rest.to_string(),
        _ => line.to_string(),
    }
}

/// An input file that is empty or only whitespace is an error naming the file, never an empty
/// configuration, waiver list, baseline, snapshot or policy set: a truncated file must not
/// quietly drop what it held.
pub fn require_content(text: &str, file: &str, what: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(Error::Input(vec![InputError::new(
            file,
            format!("the file is empty; expected {what}"),
        )]));
    }
    Ok(())
}
