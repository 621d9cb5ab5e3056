//! Error types of the library, one enum per stage, and the `Diagnostic` users read.
//!
//! Never formats for a terminal (`diagnostic.rs` renders) and never picks an exit code
//! (`report::exit_code` does).

use std::path::PathBuf;

/// How bad a problem is: an error stops the build, a warning is shown and the build goes on
/// (unless `--strict`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
}

/// One problem in one input file, with everything needed to show it rustc style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub level: Level,
    pub message: String,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    /// 1-based line and column, when the problem has a place in the file.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The text of that line, and how many characters the caret underlines.
    pub source_line: Option<String>,
    pub span: usize,
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error in `file` (relative to the site root, `/`-separated), with no place in it yet.
    pub fn error(file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            level: Level::Error,
            message: message.into(),
            file: file.to_owned(),
            line: None,
            column: None,
            source_line: None,
            span: 1,
            help: None,
        }
    }

    /// A warning in `file`, as `error` makes an error.
    pub fn warning(file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            level: Level::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    /// Adds what to do about it: the `= help:` line.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }
}

/// An I/O failure, always with the path it concerns.
#[derive(Debug, thiserror::Error)]
#[error("{action} {path}: {source}")]
pub struct IoError {
    pub action: &'static str,
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

impl IoError {
    /// `action` is what was being done, shown before the path: `reading`, `writing`.
    pub fn new(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> IoError {
        IoError {
            action,
            path: path.into(),
            source,
        }
    }
}

/// Loading and checking the input failed.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("no status.yaml in {0}")]
    NoSite(PathBuf),
    #[error(transparent)]
    Io(#[from] IoError),
    /// The input has errors; the list holds the warnings too, in file order.
    #[error("the input has {} error(s)", .0.iter().filter(|d| d.is_error()).count())]
    Invalid(Vec<Diagnostic>),
}

/// Rendering failed: the theme, or reading one of its files.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A theme template failed to parse or render: the theme's name, Tera's message, and the
    /// template's path in the site with line and column.
    #[error("{0}")]
    Template(String),
    #[error("theme: {0}")]
    Theme(String),
    #[error(transparent)]
    Io(#[from] IoError),
}

/// Writing the output failed, or was refused to keep a folder safe.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("refusing to write {0}: an output path must stay inside the output folder")]
    UnsafePath(String),
    #[error(
        "refusing to replace {0}: it is not empty and candor did not create it (no .candor marker); \
         choose another --output or empty it yourself"
    )]
    NotOurs(PathBuf),
    #[error(transparent)]
    Io(#[from] IoError),
}

/// Any failure of `build` or `check`, by stage.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Write(#[from] WriteError),
}
