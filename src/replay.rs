//! `candor replay`: the site as it stood at each instant of a span, each one built exactly as
//! `candor build --now INSTANT` builds it (through `crate::build`), plus pages stepping through
//! them. Never prints; never writes into a folder that `candor replay` did not make.
//!
//! The replay folder holds `FOLDER/` per instant (`plan::folder_name`), the `.candor-state-FOLDER`
//! record each build keeps beside its output, `step/FOLDER.html`, `index.html`, and the marker
//! `.candor-replay`. `index.html` is removed first and written last, so a replay that stops part
//! way leaves no index; each step folder is whole either way, as every build swaps in atomically.

mod pages;
mod plan;

pub use pages::STEP_FOLDER;
pub use plan::{
    DurationError, DurationProblem, MAX_INSTANTS, folder_name, format_duration, instants,
    is_folder_name, parse_duration,
};

use crate::error::{Diagnostic, IoError};
use crate::model::Time;
use crate::{Error, Options};
use chrono::Duration;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The file that marks a folder as written by `candor replay`, so a later replay may write
/// into it and remove its stale steps.
pub const MARKER: &str = ".candor-replay";
const MARKER_TEXT: &str = "This folder is written by `candor replay`; a replay into it rebuilds \
                           its steps and removes the ones it no longer lists.\n";

/// The instants to replay: from `from` to `to` (included when it falls on a step), `every` apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from: Time,
    pub to: Time,
    pub every: Duration,
}

#[derive(Debug)]
pub struct ReplayReport {
    /// How many instants were built.
    pub steps: usize,
    /// Files written and left unchanged, over every step's build.
    pub written: usize,
    pub unchanged: usize,
    /// The warnings every step's build gave: the ones about the files themselves. A replay of
    /// the past makes times "in the future" by design, and those warnings name the build time,
    /// so they differ from step to step and would otherwise repeat once per step.
    pub warnings: Vec<Diagnostic>,
    /// How many other warnings some steps gave (`candor check --now INSTANT` lists them).
    pub varying_warnings: usize,
    /// The page to open: `index.html` in the replay folder.
    pub index: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error("--to {to} is before --from {from}")]
    Backwards { from: String, to: String },
    #[error("the step between instants must be longer than zero")]
    NotForward,
    #[error(
        "--every {every} makes {count} instants, more than the {} a replay writes; \
         choose --every {suggestion} or longer, or a shorter span",
        plan::group_thousands(MAX_INSTANTS as i64)
    )]
    TooMany {
        count: String,
        every: String,
        suggestion: String,
    },
    /// The site does not load (errors in its files, no status.yaml): what `build` reports.
    /// Nothing was written.
    #[error(transparent)]
    Site(Error),
    /// The build of one instant failed; the steps before it stay written, no index is.
    #[error("building the site as of {at}: {source}")]
    Step {
        at: String,
        #[source]
        source: Error,
    },
    #[error(
        "refusing to write into {0}: it is not empty and `candor replay` did not make it \
         (no {MARKER} marker); choose another --output or empty it yourself"
    )]
    NotOurs(PathBuf),
    #[error("reading the overall status in {path}: {source}")]
    Status {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error(transparent)]
    Io(#[from] IoError),
}

/// Builds the site at every instant of `span` into `base.output`, one folder per instant, and
/// writes the pages that step through them. Each build gets a clone of `base` with only `now`
/// and `output` changed (`base.now` itself is not used).
pub fn replay(base: &Options, span: &Span) -> Result<ReplayReport, ReplayError> {
    let instants = plan::instants(span.from, span.to, span.every)?;
    // Load once before writing anything: a site with errors fails here, as `build` would.
    let loaded = crate::check(&Options {
        now: span.from,
        ..base.clone()
    })
    .map_err(ReplayError::Site)?;
    let dir = &base.output;
    claim(dir)?;
    remove_file(&dir.join("index.html"))?;
    let mut report = ReplayReport {
        steps: 0,
        written: 0,
        unchanged: 0,
        warnings: Vec::new(),
        varying_warnings: 0,
        index: dir.join("index.html"),
    };
    let mut warnings = Warnings::default();
    let mut steps = Vec::with_capacity(instants.len());
    for at in instants {
        let output = dir.join(folder_name(at));
        let options = Options {
            now: at,
            output: output.clone(),
            ..base.clone()
        };
        let built = crate::build(&options).map_err(|source| ReplayError::Step {
            at: plan::rfc3339(at),
            source,
        })?;
        report.steps += 1;
        report.written += built.written;
        report.unchanged += built.unchanged;
        warnings.add(built.warnings);
        steps.push(read_status(&output, at)?);
    }
    let config = &loaded.site.config;
    let every = format_duration(span.every);
    let context = pages::Context {
        title: &config.title,
        timezone: config.timezone,
        every: &every,
    };
    // The index last: once it is there, every step it links is.
    let mut files = pages::pages(&context, &steps);
    files.rotate_left(1);
    for (path, text) in &files {
        write_if_changed(&dir.join(path), text.as_bytes())?;
    }
    let kept: BTreeSet<String> = steps.iter().map(|s| folder_name(s.at)).collect();
    prune(dir, &kept)?;
    (report.warnings, report.varying_warnings) = warnings.finish();
    Ok(report)
}

/// The warnings common to every step, and every distinct one seen, by where and what they say.
#[derive(Default)]
struct Warnings {
    common: Option<Vec<Diagnostic>>,
    seen: BTreeSet<WarningKey>,
}

type WarningKey = (String, Option<usize>, Option<usize>, String);

impl Warnings {
    fn add(&mut self, step: Vec<Diagnostic>) {
        let keys: BTreeSet<WarningKey> = step.iter().map(key).collect();
        match &mut self.common {
            Some(common) => common.retain(|d| keys.contains(&key(d))),
            None => self.common = Some(step),
        }
        self.seen.extend(keys);
    }

    /// The common warnings, and how many others there were.
    fn finish(self) -> (Vec<Diagnostic>, usize) {
        let common = self.common.unwrap_or_default();
        let varying = self.seen.len().saturating_sub(common.len());
        (common, varying)
    }
}

fn key(d: &Diagnostic) -> WarningKey {
    (d.file.clone(), d.line, d.column, d.message.clone())
}

/// Makes `dir` the replay folder: missing or empty, or marked by an earlier replay.
fn claim(dir: &Path) -> Result<(), ReplayError> {
    let marker = dir.join(MARKER);
    if dir.exists() && !marker.is_file() {
        let empty = dir.is_dir()
            && std::fs::read_dir(dir)
                .map_err(|e| IoError::new("reading", dir, e))?
                .next()
                .is_none();
        if !empty {
            return Err(ReplayError::NotOurs(dir.to_path_buf()));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| IoError::new("creating", dir, e))?;
    std::fs::write(&marker, MARKER_TEXT).map_err(|e| IoError::new("writing", &marker, e))?;
    Ok(())
}

/// The overall status one step's site shows, from its Statuspage-compatible `status.json`, so
/// the index says exactly what a client of that site read at that instant.
fn read_status(site: &Path, at: Time) -> Result<pages::Step, ReplayError> {
    #[derive(serde::Deserialize)]
    struct File {
        status: Status,
    }
    #[derive(serde::Deserialize)]
    struct Status {
        indicator: String,
        description: String,
    }
    let path = site.join("api/v2/status.json");
    let bytes = std::fs::read(&path).map_err(|e| IoError::new("reading", &path, e))?;
    let file: File =
        serde_json::from_slice(&bytes).map_err(|source| ReplayError::Status { path, source })?;
    Ok(pages::Step {
        at,
        indicator: file.status.indicator,
        description: file.status.description,
    })
}

/// Writes a page through a temporary file and a rename, unless it already holds these bytes
/// (its mtime stays, as `build` keeps it for unchanged files).
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<(), IoError> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| IoError::new("creating", parent, e))?;
    }
    let temp = path.with_extension("candor-tmp");
    std::fs::write(&temp, bytes).map_err(|e| IoError::new("writing", &temp, e))?;
    std::fs::rename(&temp, path).map_err(|e| IoError::new("renaming", &temp, e))
}

/// Removes what earlier replays into `dir` wrote for instants this one does not list: step
/// folders (only those a build marked as candor's), their build records and step pages.
fn prune(dir: &Path, kept: &BTreeSet<String>) -> Result<(), IoError> {
    let stale = |folder: &str| is_folder_name(folder) && !kept.contains(folder);
    for (name, path) in entries(dir)? {
        // What `output` keeps beside a build's folder: its record, lock, staging and old copies.
        match crate::output::owner(&name) {
            Some(folder) if stale(folder) => remove(&path)?,
            None if stale(&name) && path.join(crate::output::MARKER).is_file() => remove(&path)?,
            _ => {}
        }
    }
    let step_dir = dir.join(STEP_FOLDER);
    if step_dir.is_dir() {
        for (name, path) in entries(&step_dir)? {
            if name.strip_suffix(".html").is_some_and(stale) {
                remove(&path)?;
            }
        }
    }
    Ok(())
}

fn entries(dir: &Path) -> Result<Vec<(String, PathBuf)>, IoError> {
    let read = std::fs::read_dir(dir).map_err(|e| IoError::new("reading", dir, e))?;
    let mut out = Vec::new();
    for entry in read {
        let entry = entry.map_err(|e| IoError::new("reading", dir, e))?;
        // A name that is not UTF-8 is nothing replay wrote.
        if let Ok(name) = entry.file_name().into_string() {
            out.push((name, entry.path()));
        }
    }
    Ok(out)
}

fn remove(path: &Path) -> Result<(), IoError> {
    let result = if path.is_dir() {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    };
    result.map_err(|e| IoError::new("removing", path, e))
}

fn remove_file(path: &Path) -> Result<(), IoError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(IoError::new("removing", path, e))
        }
        _ => Ok(()),
    }
}
