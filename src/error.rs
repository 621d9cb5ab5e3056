//! Error types of the library, one enum per stage, and the `Diagnostic` users read.
//!
//! Never formats for a terminal (`diagnostic.rs` renders) and never picks an exit code
//! (`report::exit_code` does).

pub use crate::diagnostic::code::Code;
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
    /// What kind of fault it is: the stable code CI tools filter on.
    pub code: Code,
    /// The level the check gave it before `--strict` made a warning an error.
    pub promoted_from: Option<Level>,
    pub message: String,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    /// 1-based line and column, when the problem has a place in the file.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The text of that line, and how many characters the caret underlines. A long line is
    /// shown as a window around the column, `…` standing for the first and last character
    /// when the line goes on beyond them.
    pub source_line: Option<String>,
    /// The column of the line that `source_line` starts at: 1 unless a long line was cut.
    pub source_from: usize,
    pub span: usize,
    pub help: Option<String>,
    /// The text to write instead, where there is one sure fix.
    pub suggestion: Option<Suggestion>,
}

/// A replacement a tool may apply: the characters from `column` up to (not including)
/// `end_column` of `line` become `replacement`. 1-based, counting characters, as `Diagnostic`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub line: usize,
    pub column: usize,
    pub end_column: usize,
    pub replacement: String,
}

impl Diagnostic {
    /// An error of kind `code` in `file` (relative to the site root, `/`-separated), with no
    /// place in it yet.
    pub fn error(code: Code, file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            level: Level::Error,
            code,
            promoted_from: None,
            message: message.into(),
            file: file.to_owned(),
            line: None,
            column: None,
            source_line: None,
            source_from: 1,
            span: 1,
            help: None,
            suggestion: None,
        }
    }

    /// A warning in `file`, as `error` makes an error.
    pub fn warning(code: Code, file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            level: Level::Warning,
            ..Diagnostic::error(code, file, message)
        }
    }

    /// This warning as an error, as `--strict` counts it, remembering that it was a warning.
    pub fn promoted(mut self) -> Diagnostic {
        if self.level == Level::Warning {
            self.level = Level::Error;
            self.promoted_from = Some(Level::Warning);
        }
        self
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

/// A symlink met by a walk (or a folder on the way to it) whose target lies outside the folder
/// the walk is confined to (`walk`'s policy).
#[derive(Debug, thiserror::Error)]
#[error(
    "refusing {}: it is a symlink to {}, outside {}; candor reads no file outside the site, \
     so copy the file into the site, or point the link at a file inside it",
    link.display(), target.display(), within.display()
)]
pub struct Outside {
    /// The link as the walk met it (below the walk's folder).
    pub link: PathBuf,
    /// Where it leads, resolved.
    pub target: PathBuf,
    /// The folder no walk may leave: the site root, or the output folder.
    pub within: PathBuf,
}

/// A folder could not be listed, or links in it lead out of the site or loop.
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error(transparent)]
    Io(#[from] IoError),
    /// Links that lead out of the site: every one the walk met.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Outside(Vec<Outside>),
    /// Symlinks that lead back to themselves (`a` → `b` → `a`) or to a folder that holds them:
    /// every one the walk met, so a user fixes them all at once.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Loops(Vec<SymlinkLoop>),
}

/// A symlink that leads back to itself or to a folder that holds it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{} is a symlink loop{}: point it at a file or folder, or remove it",
    link.display(),
    back_to.as_ref().map(|a| format!(" (it leads back to {}, which holds it)", a.display())).unwrap_or_default()
)]
pub struct SymlinkLoop {
    pub link: PathBuf,
    /// The folder it leads back to, when it is a folder loop.
    pub back_to: Option<PathBuf>,
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

impl From<WalkError> for RenderError {
    /// A theme file linked from outside the site is the theme author's to fix, like a template.
    fn from(e: WalkError) -> RenderError {
        match e {
            WalkError::Io(e) => RenderError::Io(e),
            e @ (WalkError::Outside(_) | WalkError::Loops(_)) => RenderError::Theme(e.to_string()),
        }
    }
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
    /// The two-rename swap failed half way: the old site was moved aside and could not be
    /// moved back. Only where the output cannot be swapped in one step.
    #[error(
        "{source}; the previous site could not be moved back either: it is in {}; \
         rename it to {} to serve it again",
        old.display(), out.display()
    )]
    Stranded {
        out: PathBuf,
        old: PathBuf,
        source: IoError,
    },
    /// A write in place (`watch`, `serve`) failed after some of its files were written.
    #[error(transparent)]
    Partly(Box<WriteError>),
}

impl WriteError {
    /// This error, as `Partly` when files were written in place before it.
    pub fn after(self, written: bool) -> WriteError {
        match self {
            WriteError::Partly(_) => self,
            e if written => WriteError::Partly(Box::new(e)),
            e => e,
        }
    }
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
