//! What each command says when it ends — the text for stdout and stderr — and the code it exits
//! with. `exit_code` is the one mapping of errors to exit codes.
//!
//! Never prints (the binary writes a `Printout`), never reads a clock (the binary measures the
//! elapsed time it is given), never decides on colour (the binary passes it).

use crate::authoring::{AuthoringError, EditError, Written};
use crate::deploy::{DeployError, TargetOutcome};
use crate::diagnostic::{self, Color};
use crate::error::{Code, Diagnostic, Error, LoadError, RenderError, WriteError};
use crate::output::Waiting;
use crate::replay::{ReplayError, ReplayReport};
use crate::{BuildReport, load};
use std::fmt::Write;
use std::path::Path;
use std::time::Duration;

mod backlog;
mod github;
mod json;
mod sarif;

/// What a finished command prints, and its exit code. The binary writes `stderr`, then
/// `stdout`, each as it is (every line ends in `\n`), and exits with `code`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Printout {
    pub stdout: String,
    pub stderr: String,
    /// 0, or what `exit_code` gives.
    pub code: u8,
}

/// What a command failed with, as far as the exit code goes.
#[derive(Debug, Clone, Copy)]
pub enum Failure<'a> {
    Build(&'a Error),
    Authoring(&'a AuthoringError),
    /// A bad argument or environment variable, a port taken, a watcher that cannot start.
    Usage,
}

/// The exit code of a failed command: 1 when an input file is broken (the site's YAML, a theme
/// template, an incident an edit cannot parse, a file an edit would make fail `check`: the
/// message shows where), 2 for everything else (usage, I/O, an output folder candor did not
/// make). Scripts tell the two apart.
pub fn exit_code(failure: Failure) -> u8 {
    match failure {
        Failure::Build(
            Error::Load(LoadError::Invalid(_))
            | Error::Render(RenderError::Template(_) | RenderError::Theme(_)),
        )
        | Failure::Authoring(
            AuthoringError::Flag(crate::authoring::FlagError {
                against_file: true, ..
            })
            | AuthoringError::Unreadable { .. }
            | AuthoringError::Refused { .. }
            | AuthoringError::Edit {
                error: EditError::Unparsable(_) | EditError::AlreadyRestored { .. },
                ..
            },
        ) => 1,
        Failure::Build(_) | Failure::Authoring(_) | Failure::Usage => 2,
    }
}

/// `error: MESSAGE` on stderr, exit 2.
pub fn usage(message: &str) -> Printout {
    Printout {
        stderr: format!("error: {message}\n"),
        code: exit_code(Failure::Usage),
        ..Printout::default()
    }
}

/// A failed `build` (or the first build of `watch`): each diagnostic and the count, or the
/// error, then that nothing was written.
pub fn error(e: &Error, color: Color) -> Printout {
    let stderr = match e {
        Error::Load(LoadError::Invalid(found)) => format!(
            "{}candor: {}; nothing was written\n",
            diagnostics(found, color),
            diagnostic::summary(found)
        ),
        Error::Load(LoadError::NoSite(root)) => {
            return usage(&format!(
                "no status.yaml in {}\n  = help: {}",
                root.display(),
                load::no_site_help(root)
            ));
        }
        _ => format!("error: {e}\n\ncandor: {}\n", left_behind(e)),
    };
    Printout {
        stderr,
        code: exit_code(Failure::Build(e)),
        ..Printout::default()
    }
}

/// What a failed build left in the output folder, as it is: most failures come before the
/// swap, which is one step, so the previous site is whole.
pub fn left_behind(e: &Error) -> &'static str {
    match e {
        Error::Write(WriteError::Io(_)) => {
            "the new site was not swapped in; the previous one is untouched"
        }
        Error::Write(WriteError::Stranded { .. }) => {
            "the new site was not swapped in, and the previous one is not in place (see above)"
        }
        Error::Write(WriteError::Partly(_)) => {
            "some pages were written in place before the failure; the rest are as they were, \
             until a rebuild succeeds"
        }
        _ => "nothing was written",
    }
}

/// What a build says when another build holds its output folder, before it waits for it.
pub fn waiting(w: &Waiting) -> String {
    let pid = w.pid.map(|pid| format!(" (pid {pid})")).unwrap_or_default();
    format!(
        "candor: waiting for another build of {}{pid} to finish…\n",
        w.output.display()
    )
}

/// Each diagnostic rendered rustc style, a blank line after each.
pub fn diagnostics(found: &[Diagnostic], color: Color) -> String {
    found.iter().fold(String::new(), |mut out, d| {
        let _ = writeln!(out, "{}", diagnostic::render(d, color));
        out
    })
}

/// `candor build`: its warnings, then what it wrote in how long (`elapsed`, measured by the caller).
pub fn build(result: Result<BuildReport, Error>, elapsed: Duration, color: Color) -> Printout {
    match result {
        Ok(report) => Printout {
            stderr: diagnostics(&report.warnings, color),
            stdout: format!(
                "candor: {} files written, {} unchanged, in {} ms\n",
                report.written,
                report.unchanged,
                elapsed.as_millis()
            ),
            code: 0,
        },
        Err(e) => error(&e, color),
    }
}

/// `candor deploy`: a line per target on stdout (with each file moved, when `list`), each
/// failed target on stderr; exit 2 when any target failed, whatever the others did.
pub fn deploy(
    result: Result<Vec<TargetOutcome>, DeployError>,
    dry_run: bool,
    list: bool,
    color: Color,
) -> Printout {
    let outcomes = match result {
        Ok(outcomes) => outcomes,
        Err(DeployError::Load(e)) => return error(&Error::Load(e), color),
        Err(e @ DeployError::NoTargets) => {
            return usage(&format!(
                "{e}\n  = help: add a `deploy:` list to status.yaml (docs/deploy.md)"
            ));
        }
        Err(e @ DeployError::NotBuilt(_)) => {
            return usage(&format!(
                "{e}\n  = help: run `candor build` first, or pass the output folder with --output"
            ));
        }
        Err(e) => return usage(&format!("{e}; nothing was published")),
    };
    let mut out = Printout::default();
    let (upload, remove) = if dry_run {
        ("would upload", "would remove")
    } else {
        ("uploaded", "removed")
    };
    let failed = outcomes.iter().filter(|o| o.result.is_err()).count();
    for outcome in &outcomes {
        match &outcome.result {
            Ok(moved) => {
                let _ = writeln!(
                    out.stdout,
                    "candor: {} ({}): {} {upload}, {} {remove}, {} unchanged",
                    outcome.name,
                    outcome.place,
                    moved.uploaded.len(),
                    moved.removed.len(),
                    moved.unchanged
                );
                if list || dry_run {
                    for path in &moved.uploaded {
                        let _ = writeln!(out.stdout, "  upload {path}");
                    }
                    for path in &moved.removed {
                        let _ = writeln!(out.stdout, "  remove {path}");
                    }
                }
            }
            Err(e) => {
                let _ = writeln!(
                    out.stderr,
                    "error: {} ({}): {e}",
                    outcome.name, outcome.place
                );
            }
        }
    }
    if failed > 0 {
        let _ = writeln!(
            out.stderr,
            "candor: {failed} of {} targets failed; {}",
            outcomes.len(),
            if failed == outcomes.len() {
                "nothing was published"
            } else {
                "the others were published"
            }
        );
        out.code = exit_code(Failure::Usage);
    }
    out
}

/// How `candor check` shows what it found (docs/check-format.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// rustc style on stderr, then the count.
    Text,
    /// One JSON object on stdout (`json.rs`).
    Json,
    /// GitHub Actions workflow commands on stdout, one per diagnostic; the text on stderr.
    Github,
    /// A SARIF 2.1.0 log on stdout; the text on stderr.
    Sarif,
}

/// Why a run could not check at all (exit 2), as the machine formats report it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    pub code: Code,
    pub message: String,
    pub help: Option<String>,
}

/// `candor check` of the site at `root`: every diagnostic, exit 1 when any is an error, 2 when
/// the check could not run; in `format`, the failure too.
pub fn check(
    result: &Result<load::Loaded, Error>,
    format: Format,
    color: Color,
    root: &Path,
) -> Printout {
    let (found, code) = match result {
        Ok(loaded) => (&loaded.warnings, 0),
        Err(e @ Error::Load(LoadError::Invalid(found))) => (found, exit_code(Failure::Build(e))),
        Err(e) => return failed_as(format, error(e, color), failure_of(e)),
    };
    // The backlog of a site that loads: a site with errors has more urgent news.
    let backlog = result
        .as_ref()
        .map_or_else(|_| String::new(), |l| backlog::backlog(&l.site));
    let text = format!(
        "{}{backlog}candor: {}\n",
        diagnostics(found, color),
        diagnostic::summary(found)
    );
    let path = |file: &str| in_repository(root, file);
    let stdout = match format {
        Format::Text => {
            return Printout {
                stderr: text,
                code,
                ..Printout::default()
            };
        }
        Format::Json => format!("{}\n", json::diagnostics(found)),
        Format::Github => github::annotations(found, &path),
        Format::Sarif => format!("{}\n", sarif::log(found, None, &path)),
    };
    // The machine formats keep stderr for people reading a CI log; JSON alone on stdout.
    let stderr = if format == Format::Json {
        String::new()
    } else {
        text
    };
    Printout {
        stdout,
        stderr,
        code,
    }
}

/// A usage error (exit 2) of `check` in `format`: the text on stderr, and for a machine format
/// the failure on stdout.
pub fn usage_as(format: Format, message: &str) -> Printout {
    let failure = Failed {
        code: Code::Usage,
        message: message.to_owned(),
        help: None,
    };
    failed_as(format, usage(message), failure)
}

fn failed_as(format: Format, text: Printout, failure: Failed) -> Printout {
    let stdout = match format {
        Format::Text => return text,
        Format::Json => format!("{}\n", json::failed(&failure)),
        Format::Github => github::failed(&failure),
        Format::Sarif => format!("{}\n", sarif::log(&[], Some(&failure), &|f| f.to_owned())),
    };
    Printout { stdout, ..text }
}

/// What a check that could not run says to a machine: its code, message and help.
fn failure_of(e: &Error) -> Failed {
    match e {
        Error::Load(LoadError::NoSite(root)) => Failed {
            code: Code::NoSite,
            message: format!("no status.yaml in {}", root.display()),
            help: Some(load::no_site_help(root)),
        },
        Error::Load(LoadError::Io(_)) | Error::Write(_) | Error::Render(RenderError::Io(_)) => {
            Failed {
                code: Code::Io,
                message: e.to_string(),
                help: None,
            }
        }
        _ => Failed {
            code: Code::Build,
            message: e.to_string(),
            help: None,
        },
    }
}

/// A file of the site (relative to its root) as a path from the folder candor runs in, which
/// is the repository's root in CI: `site/incidents/a.yaml` for `--root site`.
fn in_repository(root: &Path, file: &str) -> String {
    let root = root.to_string_lossy().replace('\\', "/");
    let root = root.trim_start_matches("./").trim_end_matches('/');
    if root.is_empty() || root == "." {
        file.to_owned()
    } else {
        format!("{root}/{file}")
    }
}

/// `candor replay` into `output`: the warnings, then what it built; when a step fails, the
/// error and that the steps before it stay.
pub fn replay(
    result: Result<ReplayReport, ReplayError>,
    output: &Path,
    elapsed: Duration,
    color: Color,
) -> Printout {
    match result {
        Ok(report) => {
            let mut stderr = diagnostics(&report.warnings, color);
            if report.varying_warnings > 0 {
                let _ = writeln!(
                    stderr,
                    "candor: {} more warning(s) hold at some instants only (`candor check --now TIME` lists them)",
                    report.varying_warnings
                );
            }
            let stdout = format!(
                "candor: replayed {} instants into {} ({} files written, {} unchanged, in {} ms); open {}\n",
                report.steps,
                output.display(),
                report.written,
                report.unchanged,
                elapsed.as_millis(),
                report.index.display()
            );
            Printout {
                stdout,
                stderr,
                code: 0,
            }
        }
        Err(ReplayError::Site(e)) => error(&e, color),
        Err(ReplayError::Step { at, source }) => {
            let mut printout = error(&source, color);
            let _ = writeln!(
                printout.stderr,
                "candor: replay stopped at {at}; the instants before it stay built, without index.html"
            );
            printout
        }
        Err(e) => usage(&e.to_string()),
    }
}

/// `init`: what `authoring` prints, then, once the site is written, the next steps from an
/// empty site to a published page.
pub fn init(result: Result<Written, AuthoringError>, dir: &Path, color: Color) -> Printout {
    let written = result.is_ok();
    let mut printout = authoring(result, color);
    if written {
        printout.stderr.push_str(&next_steps(dir));
    }
    printout
}

/// The first steps with a new site in `dir`, each a command.
fn next_steps(dir: &Path) -> String {
    let mut out = format!("candor: a new site in {}. Next:\n", dir.display());
    if dir != Path::new(".") {
        let _ = writeln!(out, "  cd {}", dir.display());
    }
    out.push_str(
        "  candor serve          preview at http://127.0.0.1:1111/, rebuilt on every save\n\
         \x20 (edit status.yaml)    your title, base_url, timezone and services\n\
         \x20 candor new \"Title\" --service api --impact partial_outage\n\
         \x20                       when something breaks; `candor update` as it unfolds\n\
         \x20 candor build          writes public/: publish that folder to a static host\n\
         \x20                       (better, to two that do not share a data center);\n\
         \x20                       .github/workflows/status.yml does it on GitHub Pages\n",
    );
    out
}

/// `new`, `update` and `init`: the warnings `check` gives what was written, as `check` shows
/// them, and each file written on stdout; or the error and its help once on stderr (after the
/// diagnostics of a file that fails `check`), and that nothing was written.
pub fn authoring(result: Result<Written, AuthoringError>, color: Color) -> Printout {
    match result {
        Ok(written) => Printout {
            stdout: written.paths.iter().fold(String::new(), |mut out, path| {
                let _ = writeln!(out, "{}", path.display());
                out
            }),
            stderr: (written.said.iter()).fold(
                diagnostics(&written.warnings, color),
                |mut out, s| {
                    let _ = writeln!(out, "candor: {s}");
                    out
                },
            ),
            code: 0,
        },
        Err(e) => {
            let mut stderr = match &e {
                AuthoringError::Refused { diagnostics: d, .. } => diagnostics(d, color),
                _ => String::new(),
            };
            let _ = writeln!(stderr, "error: {e}");
            if let AuthoringError::Flag(flag) = &e {
                let (typed, carets) = flag.pointer();
                let _ = writeln!(stderr, "  --> on the command line: {typed}");
                let _ = writeln!(stderr, "                           {carets}");
            }
            if let Some(help) = e.help() {
                let _ = writeln!(stderr, "  = help: {help}");
            }
            stderr.push_str("candor: nothing was written\n");
            Printout {
                stderr,
                code: exit_code(Failure::Authoring(&e)),
                ..Printout::default()
            }
        }
    }
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
