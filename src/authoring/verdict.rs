//! The one check that every file `new`, `update` and `init` write goes through before it is
//! written: the full loader, as `candor check` runs it. An incident file goes through
//! `load::load_file` (the size limit, UTF-8, every rule of format.md, its services against
//! status.yaml's), `init`'s status.yaml through `load::load_status`: the exact text, under the
//! name it will have, so any rule the loader gains applies here too.
//!
//! Never writes a file of the site: the texts are checked in a private folder of the system's
//! temp dir (or, when that is unusable, a hidden one beside where the file goes), removed
//! afterwards. Never decides what a verdict means; the callers do.

use super::AuthoringError;
use crate::error::{Diagnostic, IoError, LoadError};
use crate::load::{self, LoadOptions, SiteContext};
use crate::model::Time;
use std::fs;
use std::path::{Path, PathBuf};

/// The status.yaml the incident files are checked against.
pub(super) enum Status<'a> {
    /// Loaded from the site (`new`, `update`).
    Loaded(&'a SiteContext),
    /// To be written with the incidents (`init`).
    Text(&'a str),
}

/// Every diagnostic that `candor check --now NOW` gives these files: status.yaml's when it is
/// given as text, then those of each `(file name, text)` of `incidents/`, in order. `now` is
/// both the build time and the clock, so the warnings are those of the instant stamped.
/// `near` is a folder the command writes in anyway, for when the temp dir is unusable.
pub(super) fn check_files(
    status: Status,
    incidents: &[(&str, &str)],
    now: Time,
    near: &Path,
) -> Result<Vec<Diagnostic>, AuthoringError> {
    let scratch = Scratch::new(&std::env::temp_dir()).or_else(|e| {
        if near.is_dir() {
            Scratch::new(near)
        } else {
            Err(e)
        }
    })?;
    let mut found = Vec::new();
    let from_text;
    let context = match status {
        Status::Loaded(context) => Some(context),
        Status::Text(text) => {
            scratch.put("status.yaml", text)?;
            let outcome =
                load::load_status(&scratch.root, crate::theme::languages).map_err(|e| match e {
                    LoadError::Io(e) => AuthoringError::Io(e),
                    LoadError::NoSite(root) => AuthoringError::NoSite(root),
                    LoadError::Invalid(diagnostics) => AuthoringError::Refused {
                        path: PathBuf::from("status.yaml"),
                        before: false,
                        diagnostics,
                    },
                })?;
            found.extend(outcome.diagnostics);
            from_text = outcome.context;
            from_text.as_ref()
        }
    };
    let options = LoadOptions {
        now,
        clock: now,
        drafts: true,
        languages: crate::theme::languages,
    };
    for (name, text) in incidents {
        let path = scratch.put(&format!("incidents/{name}"), text)?;
        let outcome = load::load_file(&scratch.root, &path, context, &options)?;
        found.extend(outcome.diagnostics);
    }
    Ok(found)
}

/// A private folder standing in for the site root while the loader reads the texts.
struct Scratch {
    root: PathBuf,
}

impl Scratch {
    /// A new folder in `base`, hidden. `create_dir` fails on a name that exists (a link
    /// included), so the folder is ours alone. Neither the loader nor `watch` looks at a
    /// hidden folder, should it be in a site.
    fn new(base: &Path) -> Result<Scratch, IoError> {
        let mut n = 0u32;
        loop {
            let root = base.join(format!(".candor-check-{}-{n}", std::process::id()));
            match fs::create_dir(&root) {
                Ok(()) => return Ok(Scratch { root }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
                Err(e) => return Err(IoError::new("creating", root, e)),
            }
        }
    }

    /// Writes `text` to `rel` (`/`-separated) below the folder; returns its path.
    fn put(&self, rel: &str, text: &str) -> Result<PathBuf, IoError> {
        let path = rel
            .split('/')
            .fold(self.root.clone(), |p, part| p.join(part));
        if let Some(parent) = path.parent().filter(|p| *p != Path::new("")) {
            fs::create_dir_all(parent).map_err(|e| IoError::new("creating", parent, e))?;
        }
        fs::write(&path, text).map_err(|e| IoError::new("writing", &path, e))?;
        Ok(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // Best effort: a leftover folder in the temp dir harms nothing.
        let _ = fs::remove_dir_all(&self.root);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authoring::template::STATUS_YAML;
    use crate::authoring::tests::utc;

    #[test]
    fn the_loaders_diagnostics_come_back_under_the_files_own_name() {
        let now = utc("2024-01-01T12:00:00Z");
        let incident = "title: X\nstart: 2024-01-01T10:00:00Z\nservices:\n  - id: apii\n    impact: major_outage\n";
        let found = check_files(
            Status::Text(STATUS_YAML),
            &[("2024-01-01-x.yaml", incident)],
            now,
            Path::new("."),
        )
        .expect("checked");
        let error = found.iter().find(|d| d.is_error()).expect("an error");
        assert_eq!(error.file, "incidents/2024-01-01-x.yaml");
        assert_eq!(error.line, Some(4));
        assert!(error.help.as_deref().is_some_and(|h| h.contains("`api`")));

        let big = format!(
            "title: X\nstart: 2024-01-01T10:00:00Z\ncause: |\n{}",
            "  a log line\n".repeat(100_000)
        );
        let found = check_files(
            Status::Text(STATUS_YAML),
            &[("2024-01-01-x.yaml", &big)],
            now,
            Path::new("."),
        )
        .expect("checked");
        assert!(
            found
                .iter()
                .any(|d| d.message.contains("the limit is 1048576")),
            "{found:?}"
        );
    }
}
