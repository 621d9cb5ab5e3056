//! File events → a batch of `Change`s: what to watch, what to ignore, and a short debounce;
//! and a tick each second, so a running watch follows the clock without any file event.
//!
//! Watch folders, not files: editors save by writing a temp file and renaming it over the
//! original (zola #2266). Never watch the output or `.git`, or a build triggers itself
//! (cobalt #833). One batch of events, one rebuild (mdBook #2133).
//!
//! Waits are sleeps, never timed waits on a channel: a sleep is relative, while a timed wait is
//! an absolute deadline on the monotonic clock, which a faked clock (libfaketime, as tests of
//! time use) moves away from the kernel's.
//!
//! Never prints (each outcome goes to the caller's `report`) and never reads the wall clock
//! but through the `Clock` it is handed.

use crate::error::Error;
use crate::live::links::Links;
use crate::live::session::{Change, Rebuild, Session};
use crate::model::Time;
use notify::{RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::time::{Duration, Instant};

/// How often a running watch looks at the clock.
const TICK: Duration = Duration::from_secs(1);
/// How often the debounce looks for more events.
const DEBOUNCE_STEP: Duration = Duration::from_millis(1);

/// What the watch's threads send: a file event, or a second gone by.
pub(crate) enum Signal {
    Event(notify::Result<notify::Event>),
    Tick,
}

/// What `Watch::next` hands over.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    /// A batch of changes (possibly empty: events that matter to no page).
    Changes(Vec<Change>),
    /// A second went by without a file event.
    Tick,
}

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
    events: Receiver<Signal>,
    root: PathBuf,
    output: PathBuf,
    options: WatchOptions,
    /// Incident files that are links, and the folders of their targets, watched beside
    /// `incidents/`: an edit of a target is an edit of the link.
    links: Links,
    link_folders: BTreeSet<PathBuf>,
}

impl Watch {
    /// Watches `root` (for status.yaml and folders coming and going), `incidents/` and `themes/`.
    pub fn start(root: &Path, output: &Path, options: WatchOptions) -> Result<Watch, WatchError> {
        let (tx, events) = channel();
        start_ticker(tx.clone());
        let watcher = match options.poll {
            Some(interval) => {
                crate::live::poll::start(crate::live::session::resolved(root), interval, tx);
                None
            }
            None => {
                let handler = move |event| {
                    let _ = tx.send(Signal::Event(event));
                };
                let mut watcher =
                    notify::recommended_watcher(handler).map_err(|e| error(root, e))?;
                watcher
                    .watch(root, RecursiveMode::NonRecursive)
                    .map_err(|e| error(root, e))?;
                Some(watcher)
            }
        };
        // Events carry absolute, resolved paths: compare them with resolved ones.
        let absolute = crate::live::session::resolved;
        let mut watch = Watch {
            watcher,
            events,
            root: absolute(root),
            output: absolute(output),
            options,
            links: Links::default(),
            link_folders: BTreeSet::new(),
        };
        watch.watch_children();
        watch.watch_links();
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

    /// Looks for links in `incidents/` again and watches the folders of their targets.
    fn watch_links(&mut self) {
        self.links = Links::scan(&self.root);
        let Some(watcher) = self.watcher.as_mut() else {
            return;
        };
        let folders = self.links.folders();
        for gone in self.link_folders.difference(&folders) {
            let _ = watcher.unwatch(gone);
        }
        let incidents = self.root.join("incidents");
        for new in folders.difference(&self.link_folders) {
            if *new != incidents {
                let _ = watcher.watch(new, RecursiveMode::NonRecursive);
            }
        }
        self.link_folders = folders;
    }

    /// Blocks until a batch of changes is ready — the first relevant event, then every other
    /// until `debounce` passes without one — or a tick comes with no event pending. `None`
    /// when the watcher is gone.
    pub fn next_signal(&mut self) -> Option<Next> {
        let mut batch = BTreeSet::new();
        loop {
            match self.events.recv().ok()? {
                Signal::Tick => return Some(Next::Tick),
                Signal::Event(event) => {
                    if self.take(event, &mut batch) {
                        break;
                    }
                }
            }
        }
        // Debounce: look each millisecond; done once `debounce` passed with no relevant event.
        let mut last = Instant::now();
        while last.elapsed() < self.options.debounce {
            std::thread::sleep(DEBOUNCE_STEP.min(self.options.debounce));
            loop {
                match self.events.try_recv() {
                    Ok(Signal::Event(event)) => {
                        if self.take(event, &mut batch) {
                            last = Instant::now();
                        }
                    }
                    Ok(Signal::Tick) => {}
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => return None,
                }
            }
        }
        if batch
            .iter()
            .any(|c| matches!(c, Change::Unknown | Change::Theme))
        {
            self.watch_children();
        }
        // A link made, removed or pointed elsewhere: its target's folder to watch changes.
        let links_moved = batch.iter().any(|c| match c {
            Change::Unknown => true,
            Change::Incident(path) => path.is_symlink() || self.links.is_link(path),
            _ => false,
        });
        if links_moved {
            self.watch_links();
        }
        Some(Next::Changes(batch.into_iter().collect()))
    }

    /// Adds what `event` means to `batch`; whether it was an event that counts (file reads
    /// do not).
    fn take(&self, event: notify::Result<notify::Event>, batch: &mut BTreeSet<Change>) -> bool {
        match event {
            // Reading a file is an event too (inotify's open and close): the build's own
            // reads would wake it up forever.
            Ok(event) if matches!(event.kind, notify::EventKind::Access(_)) => false,
            Ok(event) => {
                for path in &event.paths {
                    batch.extend(classify(&self.root, &self.output, path));
                    batch.extend(self.links.changes(path));
                }
                true
            }
            // Lost events (a queue overflow): rebuild everything rather than miss an edit.
            Err(_) => {
                batch.insert(Change::Unknown);
                true
            }
        }
    }
}

/// Sends a tick each second until the watch is dropped.
fn start_ticker(tx: Sender<Signal>) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(TICK);
            if tx.send(Signal::Tick).is_err() {
                return;
            }
        }
    });
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
    /// The clock reached the next change of the site: the pages that depend on the time
    /// were rendered again as of `at`.
    Ticked {
        at: Time,
        rebuild: &'a Rebuild,
        elapsed: Duration,
    },
    Failed {
        changes: &'a [Change],
        error: &'a Error,
    },
}

/// Where a running watch takes the build time from.
#[derive(Clone, Copy)]
pub enum Clock<'a> {
    /// `--now` or `SOURCE_DATE_EPOCH`: the site stays at the instant of the first build.
    Pinned,
    /// The clock, read through this function (only the binary reads the real one).
    Running(&'a dyn Fn() -> Time),
}

/// Rebuilds `session` for each batch of changes and, with a running clock, each time the
/// clock reaches the session's next tick, until the watcher stops. `report` hears every outcome.
pub fn run(
    session: &mut Session,
    watch: &mut Watch,
    clock: Clock,
    report: &mut dyn FnMut(Outcome),
) {
    while let Some(next) = watch.next_signal() {
        let started = Instant::now();
        match next {
            Next::Changes(changes) => {
                if changes.is_empty() {
                    continue;
                }
                let at = match clock {
                    Clock::Pinned => session.instant(),
                    Clock::Running(now) => now(),
                };
                match session.rebuild(&changes, at) {
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
            Next::Tick => {
                let Clock::Running(now) = clock else {
                    continue;
                };
                let at = now();
                if session.next_tick().is_none_or(|due| due > at) {
                    continue;
                }
                match session.tick(at) {
                    Ok(rebuild) => report(Outcome::Ticked {
                        at,
                        rebuild: &rebuild,
                        elapsed: started.elapsed(),
                    }),
                    Err(error) => report(Outcome::Failed {
                        changes: &[],
                        error: &error,
                    }),
                }
            }
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
