//! `candor watch` and `candor serve` as one run: the watcher, a first full build, the server
//! (for `serve`), then a rebuild of what each change touches, each told as text through a
//! callback. A failed rebuild keeps the last good site, and the server serving it.
//!
//! Never prints (the caller's `say` does) and never reads the wall clock itself: it reads the
//! one the binary hands it in `Clock` (a stopwatch times each rebuild, as `watch::run` does).

use crate::Options;
use crate::diagnostic::{self, Color};
use crate::error::{Diagnostic, Error, LoadError};
use crate::live::serve::{ServeOptions, Server};
use crate::live::session::{Change, Session};
use crate::live::watch::{self, Clock, Outcome, Watch, WatchOptions};
use crate::report::{self, Printout};
use std::path::Path;
use std::time::Instant;

/// What `watch` and `serve` take beside the build's options.
pub struct LiveOptions<'a> {
    pub watch: WatchOptions,
    /// `Some` for `serve`: where to listen.
    pub serve: Option<ServeOptions>,
    /// `Pinned` under `--now` or `SOURCE_DATE_EPOCH` (the site stays at that instant), else
    /// the binary's clock, read at each rebuild and each tick.
    pub clock: Clock<'a>,
    pub color: Color,
    /// `watch --deploy`: publish after every rebuild that changed a file, to status.yaml's
    /// targets as they stand then.
    pub deploy: Option<crate::deploy::DeployOptions>,
}

/// Runs until the watcher stops. `say` gets each piece of progress as stderr text ending in
/// `\n`: the first build, the address, every rebuild. Returns what to print on the way out: an
/// empty success once the watcher stops, or why the run could not start (no site, an output
/// folder candor must not touch, a taken port, a watcher that failed).
pub fn run(options: Options, live: LiveOptions, say: &mut dyn FnMut(&str)) -> Printout {
    let color = live.color;
    let mut session = Session::new(options);
    let (root, output) = (
        session.options().root.clone(),
        session.options().output.clone(),
    );
    let started = Instant::now();
    // Watching starts before the first build reads a file, so a save while it runs is an event
    // that rebuilds, not an edit the site never shows. Its error waits: no site at all is
    // the first thing to say.
    let watching = Watch::start(&root, &output, live.watch);
    let first_changes = [Change::Unknown];
    let at = match live.clock {
        Clock::Pinned => session.instant(),
        Clock::Running(now) => now(),
    };
    let first = session.rebuild(&first_changes, at);
    if let Err(error @ (Error::Load(LoadError::NoSite(_)) | Error::Write(_))) = &first {
        // Nothing to watch, or an output folder we must never touch.
        return report::error(error, color);
    }
    let mut watch = match watching {
        Ok(w) => w,
        Err(e) => return report::usage(&e.to_string()),
    };
    let server = match live.serve.map(|o| Server::start(output.clone(), &o)) {
        Some(Ok(server)) => Some(server),
        Some(Err(e)) => return report::usage(&e.to_string()),
        None => None,
    };
    let handle = server.as_ref().map(Server::handle);
    let deploy = live.deploy;
    // The first build publishes whatever it wrote (the targets may be older than `public/`);
    // a deploy with a failed target is tried again after the next build, changed or not.
    let owed = std::cell::Cell::new(true);
    let tell = |outcome: Outcome, say: &mut dyn FnMut(&str)| {
        say(&outcome_text(&outcome, &root, color));
        if let Some(options) = &deploy {
            // A mirror's copy is built as of the output's instant: the clock's, when it runs.
            let now = match live.clock {
                Clock::Pinned => options.now,
                Clock::Running(now) => now(),
            };
            let options = crate::deploy::DeployOptions {
                now,
                ..options.clone()
            };
            owed.set(publish(&options, &outcome, owed.get(), color, say));
        }
        if let Some(handle) = &handle {
            match &outcome {
                Outcome::Built { .. } => handle.reload(),
                Outcome::Ticked { rebuild, .. } if rebuild.written + rebuild.removed > 0 => {
                    handle.reload()
                }
                Outcome::Ticked { .. } => {}
                Outcome::Failed { error, .. } => handle.show_errors(&overlay_diagnostics(error)),
            }
        }
    };
    let first = match &first {
        Ok(rebuild) => Outcome::Built {
            changes: &first_changes,
            rebuild,
            elapsed: started.elapsed(),
        },
        Err(error) => Outcome::Failed {
            changes: &first_changes,
            error,
        },
    };
    tell(first, say);
    say(&match &server {
        Some(server) => format!(
            "candor: serving {} at {} and watching {} (Ctrl-C to stop)\n",
            output.display(),
            server.url(),
            root.display()
        ),
        None => format!("candor: watching {} (Ctrl-C to stop)\n", root.display()),
    });
    watch::run(&mut session, &mut watch, live.clock, &mut |outcome| {
        tell(outcome, say)
    });
    Printout::default()
}

/// `watch --deploy`: after a build that changed a file (or any build while a deploy is `owed`),
/// publish, and tell each target's line. Returns whether a deploy is still owed: a build
/// failed while one was, or a target failed. The watcher's debounce makes one build of a burst
/// of saves, and events that arrive while a deploy runs wait for it, so a burst makes one
/// deploy.
fn publish(
    options: &crate::deploy::DeployOptions,
    outcome: &Outcome,
    owed: bool,
    color: Color,
    say: &mut dyn FnMut(&str),
) -> bool {
    let changed = match outcome {
        Outcome::Built { rebuild, .. } | Outcome::Ticked { rebuild, .. } => {
            rebuild.written + rebuild.removed > 0
        }
        Outcome::Failed { .. } => return owed,
    };
    if !changed && !owed {
        return false;
    }
    let result = crate::deploy::targets(&options.root)
        .and_then(|targets| crate::deploy::deploy(options, &targets, &mut |_| {}));
    let failed = match &result {
        Ok(outcomes) => outcomes.iter().any(|o| o.result.is_err()),
        Err(_) => true,
    };
    let printout = report::deploy(result, false, false, color);
    say(&format!("{}{}", printout.stdout, printout.stderr));
    failed
}

/// The diagnostics an error shows in the browser overlay; a non-input error becomes one.
fn overlay_diagnostics(error: &Error) -> Vec<Diagnostic> {
    match error {
        Error::Load(LoadError::Invalid(d)) => d.clone(),
        other => vec![Diagnostic::error(
            crate::error::Code::Build,
            "(build)",
            other.to_string(),
        )],
    }
}

/// One round of the watch as the terminal shows it: warnings or errors, then one line saying
/// what changed and what was written in how long.
pub fn outcome_text(outcome: &Outcome, root: &Path, color: Color) -> String {
    match outcome {
        Outcome::Built {
            changes,
            rebuild,
            elapsed,
        } => format!(
            "{}candor: {} — {} {} rendered, {} files written, {} unchanged, {} removed, in {} ms\n",
            report::diagnostics(&rebuild.warnings, color),
            describe(changes, root),
            rebuild.rendered,
            if rebuild.full { "pages (all)" } else { "pages" },
            rebuild.written,
            rebuild.unchanged,
            rebuild.removed,
            elapsed.as_millis()
        ),
        Outcome::Ticked {
            at,
            rebuild,
            elapsed,
        } => format!(
            "candor: as of {} — {} pages rendered, {} files written, {} unchanged, {} removed, in {} ms\n",
            at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            rebuild.rendered,
            rebuild.written,
            rebuild.unchanged,
            rebuild.removed,
            elapsed.as_millis()
        ),
        Outcome::Failed { error, .. } => {
            let what = match error {
                Error::Load(LoadError::Invalid(d)) => format!(
                    "{}candor: {}\n",
                    report::diagnostics(d, color),
                    diagnostic::summary(d)
                ),
                other => format!("error: {other}\n"),
            };
            let left = match error {
                Error::Write(crate::error::WriteError::Partly(_)) => report::left_behind(error),
                Error::Write(crate::error::WriteError::Stranded { .. }) => {
                    report::left_behind(error)
                }
                _ => "the last good site stays in place",
            };
            format!("{what}candor: {left}\n")
        }
    }
}

/// The changes of one batch, named for a person: `status.yaml`, `theme`, `site`, or an
/// incident file relative to `root`, comma-separated.
pub fn describe(changes: &[Change], root: &Path) -> String {
    let names: Vec<String> = changes
        .iter()
        .map(|c| match c {
            Change::Status => "status.yaml".to_owned(),
            Change::Theme => "theme".to_owned(),
            Change::Unknown => "site".to_owned(),
            Change::Incident(p) => p.strip_prefix(root).unwrap_or(p).display().to_string(),
        })
        .collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::session::Rebuild;
    use std::path::PathBuf;
    use std::time::Duration;

    #[test]
    fn a_batch_names_its_files_relative_to_the_root() {
        let changes = [
            Change::Status,
            Change::Incident(PathBuf::from("/site/incidents/a.yaml")),
            Change::Unknown,
        ];
        assert_eq!(
            describe(&changes, Path::new("/site")),
            "status.yaml, incidents/a.yaml, site"
        );
    }

    #[test]
    fn a_rebuild_is_one_line_and_a_failure_says_the_site_stays() {
        let rebuild = Rebuild {
            rendered: 3,
            written: 2,
            unchanged: 40,
            ..Rebuild::default()
        };
        let built = Outcome::Built {
            changes: &[Change::Theme],
            rebuild: &rebuild,
            elapsed: Duration::from_millis(7),
        };
        assert_eq!(
            outcome_text(&built, Path::new("/site"), Color::Never),
            "candor: theme — 3 pages rendered, 2 files written, 40 unchanged, 0 removed, in 7 ms\n"
        );
        let error = Error::from(LoadError::Invalid(vec![Diagnostic::error(
            crate::error::Code::YamlSyntax,
            "status.yaml",
            "x",
        )]));
        let failed = Outcome::Failed {
            changes: &[],
            error: &error,
        };
        assert_eq!(
            outcome_text(&failed, Path::new("/site"), Color::Never),
            "error: x\n --> status.yaml\n\ncandor: 1 error, 0 warnings\ncandor: the last good site stays in place\n"
        );
    }
}
