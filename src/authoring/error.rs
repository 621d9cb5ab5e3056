//! The errors of `new`, `update` and `init`, and the `= help:` line each one gets.
//!
//! Never words a fixed-word error of its own: those come from `load::words`, as `check`'s do.

use crate::error::{Diagnostic, IoError};
use crate::load::words::statuses;
use crate::model::Kind;
use std::path::{Path, PathBuf};

/// A failure of `new`, `update` or `init`; nothing was written when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum AuthoringError {
    #[error(transparent)]
    Io(#[from] IoError),
    #[error("no status.yaml in {}", .0.display())]
    NoSite(PathBuf),
    #[error("{} already has a status.yaml", .0.display())]
    SiteExists(PathBuf),
    /// Too large, not UTF-8, not YAML, or a setting this command needs is wrong.
    #[error("{}: {message}", path.display())]
    Unreadable { path: PathBuf, message: String },
    #[error("`{0}` is not an incident slug")]
    BadSlug(String),
    #[error("no incident `{slug}`: {} does not exist", path.display())]
    NoIncident {
        slug: String,
        path: PathBuf,
        similar: Option<String>,
    },
    /// A value typed on the command line: a word or an id that is not one, and the like.
    #[error("{}", .0.message)]
    Flag(super::FlagError),
    /// A command-line value that cannot be written (an empty title, too many `--impact`).
    #[error("{message}")]
    Invalid {
        message: String,
        help: Option<String>,
    },
    #[error("{}: {error}", path.display())]
    Edit { path: PathBuf, error: EditError },
    /// The file, as it is or as this command would write it, fails `candor check`: its
    /// diagnostics (errors and warnings, as `check` words them) come with it.
    #[error("{}", refused_message(path, *before, diagnostics))]
    Refused {
        /// The file (or, for `init`, the folder) that would fail.
        path: PathBuf,
        /// The file failed `check` before this command touched it.
        before: bool,
        diagnostics: Vec<Diagnostic>,
    },
}

impl From<super::FlagError> for AuthoringError {
    fn from(error: super::FlagError) -> Self {
        AuthoringError::Flag(error)
    }
}

fn refused_message(path: &Path, before: bool, diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let above = match errors {
        1 => "the error above".to_owned(),
        n => format!("the {n} errors above"),
    };
    if before {
        format!("{} already fails `candor check` ({above})", path.display())
    } else {
        format!(
            "this would make {} fail `candor check` ({above})",
            path.display()
        )
    }
}

impl AuthoringError {
    /// What to do about it, for the `= help:` line.
    pub fn help(&self) -> Option<String> {
        match self {
            AuthoringError::Io(_) => None,
            AuthoringError::NoSite(root) => Some(crate::load::no_site_help(root)),
            AuthoringError::SiteExists(_) => Some(
                "init only creates new sites; edit that status.yaml, or choose another folder"
                    .into(),
            ),
            AuthoringError::Unreadable { .. } => {
                Some("run `candor check` to see the problem and where it is".into())
            }
            AuthoringError::BadSlug(_) => Some(
                "give the incident's slug: its file name in incidents/ without `.yaml`, \
                 like `2022-10-15-pangyo-fire`"
                    .into(),
            ),
            AuthoringError::NoIncident { similar, .. } => {
                similar.as_ref().map(|s| format!("did you mean `{s}`?"))
            }
            AuthoringError::Flag(error) => error.help.clone(),
            AuthoringError::Invalid { help, .. } => help.clone(),
            AuthoringError::Edit { error, .. } => error.help(),
            // A build stops at a file that fails `check`, so writing one would hold back this
            // post and every later one; the file as it was loses nothing (docs/decisions.md).
            AuthoringError::Refused { before: true, .. } => Some(
                "fix what the errors above name (they were there before this command), then run \
                 the command again; until then no build publishes anything"
                    .into(),
            ),
            AuthoringError::Refused { before: false, .. } => Some(
                "the file stays as it was; change what the errors above name (a shorter \
                 message; another time: add `--now \"YYYY-MM-DD HH:MM\"`), then run the command \
                 again"
                    .into(),
            ),
        }
    }

    /// An edit refused in the file at `path`.
    pub(super) fn in_file(path: &Path, error: EditError) -> AuthoringError {
        AuthoringError::Edit {
            path: path.to_path_buf(),
            error,
        }
    }
}

/// Why a text edit was refused. The text functions know no path; `AuthoringError::Edit` adds it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EditError {
    #[error("the file does not parse as YAML: {0}")]
    Unparsable(String),
    /// A status word that is not one of the incident's kind; worded as `check` words it.
    #[error("unknown status `{word}`{}", statuses(*kind).scope)]
    UnknownStatus { word: String, kind: Kind },
    #[error("service `{service}` is not in this incident")]
    ServiceNotListed {
        service: String,
        listed: Vec<String>,
    },
    #[error("`{service}` is already restored (at {at})")]
    AlreadyRestored { service: String, at: String },
    #[error("`{key}` is written in flow style, which this command does not edit")]
    FlowStyle { key: String, help: String },
    #[error("{0}")]
    Invalid(String),
    /// A character a YAML file cannot hold, or a control character no page should show.
    #[error("the {field} contains {}", describe(*character))]
    Unwritable {
        field: &'static str,
        character: char,
    },
    /// The file has a layout the edit cannot follow, or the edit would not read back as the
    /// old file plus this change. `cause` says which; `by_hand` what to write instead.
    #[error("cannot edit this file safely: {cause}")]
    Uneditable {
        cause: String,
        by_hand: Option<String>,
    },
}

/// A character as a message names it: `U+001B (a control character)`.
fn describe(c: char) -> String {
    let kind = if c.is_control() {
        "a control character"
    } else {
        "a character YAML files cannot hold"
    };
    format!("U+{:04X} ({kind})", u32::from(c))
}

impl EditError {
    /// A layout or read-back refusal naming its cause, with no by-hand text yet.
    pub(super) fn uneditable(cause: impl Into<String>) -> EditError {
        EditError::Uneditable {
            cause: cause.into(),
            by_hand: None,
        }
    }

    /// This error, with what to write by hand when it is an `Uneditable` without one.
    pub(super) fn or_by_hand(self, by_hand: impl FnOnce() -> String) -> EditError {
        match self {
            EditError::Uneditable {
                cause,
                by_hand: None,
            } => EditError::Uneditable {
                cause,
                by_hand: Some(by_hand()),
            },
            other => other,
        }
    }

    /// Refused for what the file holds, not for what the command asked.
    pub(super) fn is_about_the_file(&self) -> bool {
        matches!(
            self,
            EditError::Unparsable(_) | EditError::FlowStyle { .. } | EditError::Uneditable { .. }
        )
    }

    pub fn help(&self) -> Option<String> {
        match self {
            EditError::Unparsable(_) => {
                Some("run `candor check` to see where, and fix it first".into())
            }
            EditError::UnknownStatus { word, kind } => Some(statuses(*kind).help(word)),
            EditError::ServiceNotListed { listed, .. } if listed.is_empty() => Some(
                "this incident lists no services; add the entry under `services:` by hand".into(),
            ),
            EditError::ServiceNotListed { listed, .. } => Some(format!(
                "this incident lists: {}; to add a service, add its entry under `services:` by hand",
                listed.join(", ")
            )),
            EditError::FlowStyle { help, .. } => Some(help.clone()),
            EditError::AlreadyRestored { service, .. } => Some(format!(
                "the page already shows `{service}` restored then; to move that time, run the command again with --force"
            )),
            EditError::Invalid(_) => None,
            EditError::Unwritable { .. } => Some(
                "remove it (a pasted terminal colour code or binary data?) and run the command again"
                    .into(),
            ),
            EditError::Uneditable { by_hand: None, .. } => {
                Some("make this change by hand; nothing was written".into())
            }
            EditError::Uneditable {
                by_hand: Some(by_hand),
                ..
            } => Some(format!(
                "make this change by hand, then run `candor check`; {by_hand}"
            )),
        }
    }
}
