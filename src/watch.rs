//! File events → a batch of `Change`s: what to watch, what to ignore, and a short debounce.
//!
//! Watch folders, not files: editors save by writing a temp file and renaming it over the
//! original (zola #2266). Never watch the output or `.git`, or a build triggers itself
//! (cobalt #833). One batch of events, one rebuild (mdBook #2133).

use crate::error::Error;
use crate::model::Time;
use crate::session::{Change, Rebuild, Session};
use notify::{RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// Quiet time after the last event before a batch is handed over.
    pub debounce: Duration,
    /// Poll the file system instead of native events (WSL2 `/mnt/c`, Docker volumes, NFS).
    pub poll: Option<Duration>,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions {
            debounce: Duration::from_millis(10),
            poll: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("watching {path}: {source}")]
pub struct WatchError {
    path: PathBuf,
    #[source]
    source: notify::Error,
}

/// What a changed path means for the site under `root`, whose output is `output`.
pub fn classify(root: &Path, output: &Path, path: &Path) -> Option<Change> {
    if path.starts_with(output) || is_noise(path) {
        return None;
    }
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let first = parts.next()?;
    let second = parts.next();
    let deeper = parts.next().is_some();
    match (first.as_ref(), second.as_deref(), deeper) {
        ("status.yaml", None, _) => Some(Change::Status),
        ("themes", _, _) => Some(Change::Theme),
        ("incidents", None, _) => Some(Change::Unknown),
        ("incidents", Some(_), false) if crate::load::is_incident_file(path) => {
            Some(Change::Incident(path.to_path_buf()))
        }
        _ => None,
    }
}

/// Editors' temporary and backup files (`foo.yaml~`, `.foo.yaml.swp`, vim's `4913`, emacs `#foo#`).
fn is_noise(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || path.components().any(|c| c.as_os_str() == ".git")
}

/// A running watcher; dropping it stops the events.
pub struct Watch {
    /// The native watcher; `None` when polling (the poller's thread feeds the same channel).
    watcher: Option<notify::RecommendedWatcher>,
    events: Receiver<notify::Result<notify::Event>>,
    root: PathBuf,
    output: PathBuf,
    options: WatchOptions,
}

impl Watch {
    /// Watches `root` (for status.yaml and folders coming and going), `incidents/` and `themes/`.
    pub fn start(root: &Path, output: &Path, options: WatchOptions) -> Result<Watch, WatchError> {
        let (tx, events) = channel();
        let watcher = match options.poll {
            Some(interval) => {
                crate::poll::start(crate::session::resolved(root), interval, tx);
                None
            }
            None => {
                let mut watcher = notify::recommended_watcher(tx).map_err(|e| error(root, e))?;
                watcher
                    .watch(root, RecursiveMode::NonRecursive)
                    .map_err(|e| error(root, e))?;
                Some(watcher)
            }
        };
        // Events carry absolute, resolved paths: compare them with resolved ones.
        let absolute = crate::session::resolved;
        let mut watch = Watch {
            watcher,
            events,
            root: absolute(root),
            output: absolute(output),
            options,
        };
        watch.watch_children();
        Ok(watch)
    }

    /// (Re-)adds the watches on `incidents/` and `themes/`, which may have been created or
    /// re-created since (a folder deleted and made again is a new inode to inotify).
    fn watch_children(&mut self) {
        let Some(watcher) = self.watcher.as_mut() else {
            return;
        };
        for (dir, mode) in [
            ("incidents", RecursiveMode::NonRecursive),
            ("themes", RecursiveMode::Recursive),
        ] {
            let path = self.root.join(dir);
            if path.is_dir() {
                let _ = watcher.unwatch(&path);
                let _ = watcher.watch(&path, mode);
            }
        }
    }

    /// Blocks until a batch of changes is ready: the first relevant event, then every other
    /// until `debounce` passes without one. `None` when the watcher is gone.
    pub fn next_batch(&mut self) -> Option<Vec<Change>> {
        let mut batch = BTreeSet::new();
        loop {
            let event = if batch.is_empty() {
                self.events.recv().ok()?
            } else {
                let deadline = Instant::now() + self.options.debounce;
                match self
                    .events
                    .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                {
                    Ok(event) => event,
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            };
            match event {
                // Reading a file is an event too (inotify's open and close): the build's own
                // reads would wake it up forever.
                Ok(event) if matches!(event.kind, notify::EventKind::Access(_)) => {}
                Ok(event) => {
                    for path in &event.paths {
                        batch.extend(classify(&self.root, &self.output, path));
                    }
                }
                // Lost events (a queue overflow): rebuild everything rather than miss an edit.
                Err(_) => {
                    batch.insert(Change::Unknown);
                }
            }
        }
        if batch
            .iter()
            .any(|c| matches!(c, Change::Unknown | Change::Theme))
        {
            self.watch_children();
        }
        Some(batch.into_iter().collect())
    }
}

fn error(path: &Path, source: notify::Error) -> WatchError {
    WatchError {
        path: path.to_path_buf(),
        source,
    }
}

/// What happened in one round of the watch loop, for the caller to print or serve.
pub enum Outcome<'a> {
    Built {
        changes: &'a [Change],
        rebuild: &'a Rebuild,
        elapsed: Duration,
    },
    Failed {
        changes: &'a [Change],
        error: &'a Error,
    },
}

/// Rebuilds `session` for each batch of changes, forever (until the watcher stops).
/// `now` gives the build time of each rebuild; `report` hears every outcome.
pub fn run(
    session: &mut Session,
    watch: &mut Watch,
    now: &dyn Fn() -> Time,
    report: &mut dyn FnMut(Outcome),
) {
    while let Some(changes) = watch.next_batch() {
        if changes.is_empty() {
            continue;
        }
        let started = Instant::now();
        match session.rebuild(&changes, now()) {
            Ok(rebuild) => report(Outcome::Built {
                changes: &changes,
                rebuild: &rebuild,
                elapsed: started.elapsed(),
            }),
            Err(error) => report(Outcome::Failed {
                changes: &changes,
                error: &error,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_changes() {
        let root = Path::new("/site");
        let out = Path::new("/site/public");
        let c = |p: &str| classify(root, out, Path::new(p));
        assert_eq!(c("/site/status.yaml"), Some(Change::Status));
        assert_eq!(
            c("/site/incidents/a.yaml"),
            Some(Change::Incident(PathBuf::from("/site/incidents/a.yaml")))
        );
        assert_eq!(
            c("/site/incidents/a.yml"),
            Some(Change::Incident(PathBuf::from("/site/incidents/a.yml")))
        );
        assert_eq!(c("/site/incidents"), Some(Change::Unknown));
        assert_eq!(
            c("/site/themes/mine/templates/index.html"),
            Some(Change::Theme)
        );
        for ignored in [
            "/site/public/index.html",
            "/site/incidents/a.yaml~",
            "/site/incidents/.a.yaml.swp",
            "/site/incidents/4913",
            "/site/incidents/notes.txt",
            "/site/.git/index",
            "/site/README.md",
            "/site/incidents/sub/a.yaml",
        ] {
            assert_eq!(c(ignored), None, "{ignored}");
        }
    }
}
