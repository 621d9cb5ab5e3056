//! `candor deploy`: publishes the built output folder to every target of status.yaml's
//! `deploy:` list — a folder, a host over rsync/SSH, S3-compatible storage — moving only the
//! files whose bytes changed, in an order that never shows a page before what it needs
//! (`plan.rs`), and reporting each target on its own: one that fails stops no other. A
//! target served at an address of its own gets a copy built for that address (`mirror.rs`).
//!
//! Never builds the output itself (it publishes what `candor build` left), never reads a
//! credential from YAML and never puts one in a message, and never removes a file from a
//! target that holds files but not candor's marker (`plan::MARKER`). Never prints: the
//! report says what happened.

mod folder;
mod mirror;
pub use mirror::MirrorError;
pub mod plan;
mod rsync;
mod s3;

use crate::error::{IoError, WriteError};
use crate::model::Time;
use crate::model::deploy::{Target, TargetKind};
use crate::output::{MARKER as OUTPUT_MARKER, OutputLock, Waiting};
use md5::{Digest, Md5};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What to publish, and where from.
#[derive(Debug, Clone)]
pub struct DeployOptions {
    /// The site root: relative `folder` targets are relative to it.
    pub root: PathBuf,
    /// The built output folder.
    pub output: PathBuf,
    /// Only the targets of these names; every target when empty.
    pub only: Vec<String>,
    /// Plan and report, change nothing (a mirror's copy is still built, beside the output).
    pub dry_run: bool,
    /// The instant a mirror's copy is built at: the output's own build time when known (`watch`),
    /// else `--now` or the clock.
    pub now: Time,
    /// Whether a mirror's copy shows drafts, as the output does (`watch --drafts`).
    pub drafts: bool,
}

/// One built file, read once under the output lock.
#[derive(Debug, PartialEq, Eq)]
pub struct LocalFile {
    /// Relative, `/`-separated.
    pub path: String,
    pub bytes: Vec<u8>,
    /// Hex MD5 of `bytes`: what S3 gives as the ETag of an object put in one piece.
    pub md5: String,
}

/// What happened at one target.
#[derive(Debug)]
pub struct TargetOutcome {
    pub name: String,
    /// `folder ../mirror`, `s3://bucket/prefix/`, `rsync host:/path`; with `, served at URL`
    /// when the target has an address of its own.
    pub place: String,
    pub result: Result<Moved, TargetError>,
}

/// The files a deploy moved (or, with `--dry-run`, would move), in the order it moved them.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Moved {
    pub uploaded: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
}

/// Why nothing was published anywhere.
#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    #[error("status.yaml names no deploy target")]
    NoTargets,
    #[error("status.yaml names no deploy target `{0}` (it names: {1})")]
    UnknownTarget(String, String),
    #[error("{} holds no built site", .0.display())]
    NotBuilt(PathBuf),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error(transparent)]
    Io(#[from] IoError),
    #[error(transparent)]
    Walk(#[from] crate::error::WalkError),
    #[error(transparent)]
    Load(#[from] crate::error::LoadError),
}

/// Why one target was not (wholly) published.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error(
        "it holds {0} {what} and no `{marker}` file, so candor did not publish \
         there: nothing was changed; empty it, or name a folder of its own",
        marker = plan::MARKER,
        what = if *.0 == 1 { "file or folder" } else { "files or folders" }
    )]
    NotOurs(usize),
    #[error("the target is inside the output folder, which every build replaces")]
    InsideOutput,
    #[error(transparent)]
    Io(#[from] IoError),
    #[error("{0}")]
    Storage(String),
    #[error("the copy for {base_url} was not built: {error}")]
    Mirror {
        base_url: String,
        /// Shared by every target served at that address: the copy is built once.
        error: std::sync::Arc<MirrorError>,
    },
    #[error("rsync could not be started ({0}): install rsync, or publish with another target")]
    NoRsync(std::io::Error),
    #[error("rsync failed (exit {code}): {stderr}")]
    Rsync { code: i32, stderr: String },
}

/// The targets of status.yaml, checked as `candor check` checks them: any error there (a
/// target's or not) is `LoadError::Invalid`, so nothing is published from a broken site.
pub fn targets(root: &Path) -> Result<Vec<Target>, DeployError> {
    let status = crate::load::load_status(root, crate::theme::languages)?;
    let errors: Vec<_> = (status.diagnostics.into_iter())
        .filter(crate::error::Diagnostic::is_error)
        .collect();
    match status.context {
        Some(mut context) if errors.is_empty() => {
            // A target at the site's own address is served the output as it is.
            for target in &mut context.deploy {
                if target.base_url.as_ref() == Some(&context.config.base_url) {
                    target.base_url = None;
                }
            }
            Ok(context.deploy)
        }
        _ => Err(crate::error::LoadError::Invalid(errors).into()),
    }
}

/// Publishes `options.output` to each of `targets` (those named in `options.only`), holding
/// the output's lock throughout so no build swaps the site mid-way.
pub fn deploy(
    options: &DeployOptions,
    targets: &[Target],
    on_wait: &mut dyn FnMut(&Waiting),
) -> Result<Vec<TargetOutcome>, DeployError> {
    let chosen = choose(targets, &options.only)?;
    let lock = OutputLock::acquire(&options.output, on_wait)?;
    let files = read_output(lock.output())?;
    Ok(publish(options, &chosen, lock.output(), &files))
}

/// Publishes already read `files` of the output `out` (whose lock the caller holds) to each
/// target; a target with an address of its own gets the copy built for it, once per address.
pub fn publish(
    options: &DeployOptions,
    targets: &[&Target],
    out: &Path,
    files: &[LocalFile],
) -> Vec<TargetOutcome> {
    let mut mirrors = BTreeMap::new();
    (targets.iter())
        .map(|target| {
            let result = match &target.base_url {
                None => publish_one(options, &target.kind, out, files),
                Some(url) => match mirrors
                    .entry(url.as_str())
                    .or_insert_with(|| mirror::build(options, url).map_err(std::sync::Arc::new))
                {
                    Ok((dir, files)) => publish_one(options, &target.kind, dir, files),
                    Err(error) => Err(TargetError::Mirror {
                        base_url: url.clone(),
                        error: error.clone(),
                    }),
                },
            };
            let place = match &target.base_url {
                Some(url) => format!("{}, served at {url}", target.kind.describe()),
                None => target.kind.describe(),
            };
            TargetOutcome {
                name: target.name.clone(),
                place,
                result,
            }
        })
        .collect()
}

fn publish_one(
    options: &DeployOptions,
    kind: &TargetKind,
    out: &Path,
    files: &[LocalFile],
) -> Result<Moved, TargetError> {
    match kind {
        TargetKind::Folder(folder) => {
            let folder = options.root.join(folder);
            folder::publish(&folder, &[out, &options.output], files, options.dry_run)
        }
        TargetKind::Rsync(to) => rsync::publish(to, out, files, options.dry_run),
        TargetKind::S3(bucket) => s3::publish(bucket, files, options.dry_run),
    }
}

/// The targets to publish to: those named, in status.yaml's order, or all of them.
pub fn choose<'a>(targets: &'a [Target], only: &[String]) -> Result<Vec<&'a Target>, DeployError> {
    if targets.is_empty() {
        return Err(DeployError::NoTargets);
    }
    if let Some(unknown) = only.iter().find(|n| !targets.iter().any(|t| &t.name == *n)) {
        let names: Vec<&str> = targets.iter().map(|t| t.name.as_str()).collect();
        return Err(DeployError::UnknownTarget(
            unknown.clone(),
            names.join(", "),
        ));
    }
    Ok((targets.iter())
        .filter(|t| only.is_empty() || only.contains(&t.name))
        .collect())
}

/// Every file of the built site but candor's own marker, with its digest.
pub fn read_output(out: &Path) -> Result<Vec<LocalFile>, DeployError> {
    if !out.join(OUTPUT_MARKER).is_file() {
        return Err(DeployError::NotBuilt(out.to_path_buf()));
    }
    let paths = crate::walk::files(out, out, crate::walk::Depth::All)?;
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        let relative = relative(out, &path);
        if relative == OUTPUT_MARKER {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| IoError::new("reading", &path, e))?;
        files.push(LocalFile {
            md5: md5_hex(&bytes),
            path: relative,
            bytes,
        });
    }
    Ok(files)
}

pub fn md5_hex(bytes: &[u8]) -> String {
    Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `path` below `dir`, `/`-separated.
fn relative(dir: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    (rel.components())
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The marker's own entry in a plan's remote listing, written before anything else.
fn marker_file() -> LocalFile {
    LocalFile {
        path: plan::MARKER.to_owned(),
        bytes: plan::MARKER_TEXT.as_bytes().to_vec(),
        md5: md5_hex(plan::MARKER_TEXT.as_bytes()),
    }
}

/// The planned moves as the report lists them.
fn moved(plan: &plan::Plan) -> Moved {
    Moved {
        uploaded: plan.uploads.iter().map(|f| f.path.clone()).collect(),
        removed: plan.removals.clone(),
        unchanged: plan.unchanged,
    }
}

/// Shared by the folder and S3 targets: refuse a target that is not ours, then plan.
fn checked_plan<'a>(
    local: &'a [LocalFile],
    remote: &BTreeMap<String, String>,
) -> Result<plan::Plan<'a>, TargetError> {
    if !plan::is_ours(remote) {
        return Err(TargetError::NotOurs(remote.len()));
    }
    Ok(plan::plan(local, remote))
}
