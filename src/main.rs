//! The `candor` command: parse arguments, read the clock, call the library, print, exit 0/1/2.

use candor::diagnostic::{self, Color};
use candor::error::{Diagnostic, Error, LoadError, RenderError};
use clap::Parser;
use cli::*;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

mod cli;

// A build makes millions of small strings and template values; glibc's malloc and free were
// 17 % of its CPU (docs/decisions.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        Color::Always
    } else {
        Color::Never
    };
    match cli.command {
        Command::Build(args) => run_build(args, color),
        Command::Check(args) => run_check(args, color),
        Command::Serve(args) => run_serve(args, color),
        Command::Watch(args) => run_watch(args, color),
        Command::New(args) => run_new(args),
        Command::Update(args) => run_update(args),
        Command::Init(args) => run_init(args),
        Command::Replay(args) => run_replay(args, color),
    }
}

fn options(
    site: &SiteArgs,
    output: Option<PathBuf>,
    base_url: Option<String>,
) -> Result<candor::Options, String> {
    let clock = clock()?;
    Ok(candor::Options {
        output: output.unwrap_or_else(|| site.root.join("public")),
        root: site.root.clone(),
        base_url,
        now: build_time(site.now.as_deref(), clock)?,
        clock,
        drafts: site.drafts,
        strict: site.strict,
    })
}

/// The build time: `--now`, else the clock.
fn build_time(
    now: Option<&str>,
    clock: candor::model::Time,
) -> Result<candor::model::Time, String> {
    match now {
        Some(text) => parse_time("--now", text),
        None => Ok(clock),
    }
}

/// `SOURCE_DATE_EPOCH` (a clock pinned for reproducible builds), else the system clock:
/// the only place candor reads the time.
fn clock() -> Result<candor::model::Time, String> {
    match pinned_clock()? {
        Some(t) => Ok(t),
        None => Ok(chrono::Utc::now()),
    }
}

fn pinned_clock() -> Result<Option<candor::model::Time>, String> {
    let Some(epoch) = std::env::var_os("SOURCE_DATE_EPOCH") else {
        return Ok(None);
    };
    let secs: i64 = epoch
        .to_str()
        .and_then(|s| s.trim().parse().ok())
        .ok_or("SOURCE_DATE_EPOCH must be a number of seconds")?;
    chrono::DateTime::from_timestamp(secs, 0)
        .map(Some)
        .ok_or_else(|| "SOURCE_DATE_EPOCH is out of range".to_owned())
}

/// A time given on the command line: RFC 3339, or naive in UTC.
fn parse_time(flag: &str, text: &str) -> Result<candor::model::Time, String> {
    candor::model::time::parse_timestamp(text, chrono_tz::Tz::UTC)
        .map_err(|e| format!("{flag}: {}; {}", e.message, e.help))
}

fn run_build(args: BuildArgs, color: Color) -> ExitCode {
    let options = match options(&args.site, args.output, args.base_url) {
        Ok(o) => o,
        Err(message) => return usage_error(&message),
    };
    let started = std::time::Instant::now();
    match candor::build(&options) {
        Ok(report) => {
            print_diagnostics(&report.warnings, color);
            println!(
                "candor: {} files written, {} unchanged, in {} ms",
                report.written,
                report.unchanged,
                started.elapsed().as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(e) => report_error(&e, color),
    }
}

fn run_check(args: CheckArgs, color: Color) -> ExitCode {
    let options = match options(&args.site, None, None) {
        Ok(o) => o,
        Err(message) => return usage_error(&message),
    };
    let result = candor::check(&options);
    let diagnostics = match &result {
        Ok(loaded) => loaded.warnings.clone(),
        Err(Error::Load(LoadError::Invalid(d))) => d.clone(),
        Err(e) => return report_error(e, color),
    };
    match args.format {
        Format::Json => println!("{}", diagnostics_json(&diagnostics)),
        Format::Text => {
            print_diagnostics(&diagnostics, color);
            eprintln!("candor: {}", diagnostic::summary(&diagnostics));
        }
    }
    if result.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn run_watch(args: WatchArgs, color: Color) -> ExitCode {
    run_live(args.build, &args.watch, None, color)
}

fn run_serve(args: ServeArgs, color: Color) -> ExitCode {
    let serve = candor::live::serve::ServeOptions {
        bind: args.bind,
        port: args.port,
        ..Default::default()
    };
    run_live(args.build, &args.watch, Some(serve), color)
}

/// `watch`, and `serve` when `serve` is given: a first full build, then a rebuild of what each
/// change touches. A failed rebuild keeps the last good site (and the server serving it).
fn run_live(
    build: BuildArgs,
    flags: &WatchFlags,
    serve: Option<candor::live::serve::ServeOptions>,
    color: Color,
) -> ExitCode {
    use candor::live::watch::Outcome;
    let options = match options(&build.site, build.output, build.base_url) {
        Ok(o) => o,
        Err(message) => return usage_error(&message),
    };
    // With --now (or SOURCE_DATE_EPOCH) the site stays at that instant; without, it follows
    // the clock: each rebuild and each tick reads it here.
    let pinned = build.site.now.is_some() || matches!(pinned_clock(), Ok(Some(_)));
    let start = options.now;
    let now = move || if pinned { start } else { chrono::Utc::now() };
    let mut session = candor::live::session::Session::new(options);
    let (root, output) = (
        session.options().root.clone(),
        session.options().output.clone(),
    );
    let started = std::time::Instant::now();
    let first_changes = [candor::live::session::Change::Unknown];
    let first = session.rebuild(&first_changes, now());
    if let Err(error @ (Error::Load(LoadError::NoSite(_)) | Error::Write(_))) = &first {
        // Nothing to watch, or an output folder we must never touch.
        return report_error(error, color);
    }
    let server = match serve.map(|o| candor::live::serve::Server::start(output.clone(), &o)) {
        Some(Ok(server)) => Some(server),
        Some(Err(e)) => return usage_error(&e.to_string()),
        None => None,
    };
    let handle = server.as_ref().map(candor::live::serve::Server::handle);
    let mut report = |outcome: Outcome| {
        print_outcome(&outcome, &root, color);
        if let Some(handle) = &handle {
            match &outcome {
                Outcome::Built { .. } => handle.reload(),
                Outcome::Ticked { rebuild, .. } if rebuild.written + rebuild.removed > 0 => {
                    handle.reload()
                }
                Outcome::Ticked { .. } => {}
                Outcome::Failed { error, .. } => handle.show_errors(&error_diagnostics(error)),
            }
        }
    };
    match &first {
        Ok(rebuild) => report(Outcome::Built {
            changes: &first_changes,
            rebuild,
            elapsed: started.elapsed(),
        }),
        Err(error) => report(Outcome::Failed {
            changes: &first_changes,
            error,
        }),
    }
    let mut watch = match candor::live::watch::Watch::start(&root, &output, flags.options()) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match &server {
        Some(server) => eprintln!(
            "candor: serving {} at {} and watching {} (Ctrl-C to stop)",
            output.display(),
            server.url(),
            root.display()
        ),
        None => eprintln!("candor: watching {} (Ctrl-C to stop)", root.display()),
    }
    let clock = if pinned {
        candor::live::watch::Clock::Pinned
    } else {
        candor::live::watch::Clock::Running(&now)
    };
    candor::live::watch::run(&mut session, &mut watch, clock, &mut report);
    ExitCode::SUCCESS
}

/// The diagnostics an error shows in the browser overlay; a non-input error becomes one.
fn error_diagnostics(error: &Error) -> Vec<Diagnostic> {
    match error {
        Error::Load(LoadError::Invalid(d)) => d.clone(),
        other => vec![Diagnostic::error("(build)", other.to_string())],
    }
}

fn print_outcome(outcome: &candor::live::watch::Outcome, root: &std::path::Path, color: Color) {
    use candor::live::watch::Outcome;
    match outcome {
        Outcome::Built {
            changes,
            rebuild,
            elapsed,
        } => {
            print_diagnostics(&rebuild.warnings, color);
            eprintln!(
                "candor: {} — {} {} rendered, {} files written, {} unchanged, {} removed, in {} ms",
                describe(changes, root),
                rebuild.rendered,
                if rebuild.full { "pages (all)" } else { "pages" },
                rebuild.written,
                rebuild.unchanged,
                rebuild.removed,
                elapsed.as_millis()
            );
        }
        Outcome::Ticked {
            at,
            rebuild,
            elapsed,
        } => {
            eprintln!(
                "candor: as of {} — {} pages rendered, {} files written, {} unchanged, {} removed, in {} ms",
                at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                rebuild.rendered,
                rebuild.written,
                rebuild.unchanged,
                rebuild.removed,
                elapsed.as_millis()
            );
        }
        Outcome::Failed { error, .. } => {
            match error {
                Error::Load(LoadError::Invalid(d)) => {
                    print_diagnostics(d, color);
                    eprintln!("candor: {}", diagnostic::summary(d));
                }
                other => eprintln!("error: {other}"),
            }
            eprintln!("candor: the last good site stays in place");
        }
    }
}

fn describe(changes: &[candor::live::session::Change], root: &std::path::Path) -> String {
    use candor::live::session::Change;
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

fn run_replay(args: ReplayArgs, color: Color) -> ExitCode {
    use candor::replay::ReplayError;
    let span = match replay_span(&args) {
        Ok(span) => span,
        Err(message) => return usage_error(&message),
    };
    let clock = match clock() {
        Ok(clock) => clock,
        Err(message) => return usage_error(&message),
    };
    let base = candor::Options {
        now: span.from,
        clock,
        output: args.output,
        root: args.root,
        base_url: args.base_url,
        drafts: args.drafts,
        strict: false,
    };
    let started = std::time::Instant::now();
    match candor::replay::replay(&base, &span) {
        Ok(report) => {
            print_diagnostics(&report.warnings, color);
            if report.varying_warnings > 0 {
                eprintln!(
                    "candor: {} more warning(s) hold at some instants only (`candor check --now TIME` lists them)",
                    report.varying_warnings
                );
            }
            println!(
                "candor: replayed {} instants into {} ({} files written, {} unchanged, in {} ms); open {}",
                report.steps,
                base.output.display(),
                report.written,
                report.unchanged,
                started.elapsed().as_millis(),
                report.index.display()
            );
            ExitCode::SUCCESS
        }
        Err(ReplayError::Site(e)) => report_error(&e, color),
        Err(ReplayError::Step { at, source }) => {
            let code = report_error(&source, color);
            eprintln!(
                "candor: replay stopped at {at}; the instants before it stay built, without index.html"
            );
            code
        }
        Err(e) => usage_error(&e.to_string()),
    }
}

fn replay_span(args: &ReplayArgs) -> Result<candor::replay::Span, String> {
    Ok(candor::replay::Span {
        from: parse_time("--from", &args.from)?,
        to: parse_time("--to", &args.to)?,
        every: candor::replay::parse_duration(&args.every).map_err(|e| format!("--every: {e}"))?,
    })
}

/// `--now`, else the clock. Authoring stamps what a person does now, so SOURCE_DATE_EPOCH
/// (a reproducible-build setting) does not apply here.
fn stamp_time(now: Option<&str>) -> Result<candor::model::Time, String> {
    match now {
        Some(text) => candor::model::time::parse_timestamp(text, chrono_tz::Tz::UTC)
            .map_err(|e| format!("--now: {}; {}", e.message, e.help)),
        None => Ok(chrono::Utc::now()),
    }
}

fn run_new(args: NewArgs) -> ExitCode {
    let now = match stamp_time(args.now.as_deref()) {
        Ok(t) => t,
        Err(message) => return usage_error(&message),
    };
    let result =
        candor::authoring::pair_impacts(&args.services, &args.impacts).and_then(|services| {
            candor::authoring::new_incident(&args.root, &args.title, &services, now)
        });
    report_written(result.map(|path| vec![path]))
}

fn run_update(args: UpdateArgs) -> ExitCode {
    use candor::authoring::Edit;
    let now = match stamp_time(args.now.as_deref()) {
        Ok(t) => t,
        Err(message) => return usage_error(&message),
    };
    let mut edits: Vec<Edit> = args
        .restored
        .iter()
        .map(|service| Edit::Restored { service })
        .collect();
    if let (Some(status), Some(message)) = (&args.status, &args.message) {
        edits.push(Edit::Update { status, message });
    }
    let result = candor::authoring::edit_incident(&args.root, &args.slug, &edits, now);
    report_written(result.map(|path| vec![path]))
}

fn run_init(args: InitArgs) -> ExitCode {
    let now = match stamp_time(args.now.as_deref()) {
        Ok(t) => t,
        Err(message) => return usage_error(&message),
    };
    report_written(candor::authoring::init(&args.dir, now))
}

/// Prints each file written on stdout; or the error and its help once on stderr: exit 1 when
/// an input file is broken (`candor check` shows where), else 2.
fn report_written(result: Result<Vec<PathBuf>, candor::authoring::AuthoringError>) -> ExitCode {
    use candor::authoring::{AuthoringError, EditError};
    match result {
        Ok(paths) => {
            for path in paths {
                println!("{}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            if let Some(help) = e.help() {
                eprintln!("  = help: {help}");
            }
            eprintln!("candor: nothing was written");
            match e {
                AuthoringError::Unreadable { .. }
                | AuthoringError::Edit {
                    error: EditError::Unparsable(_),
                    ..
                } => ExitCode::from(1),
                _ => ExitCode::from(2),
            }
        }
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic], color: Color) {
    for d in diagnostics {
        eprintln!("{}", diagnostic::render(d, color));
    }
}

fn diagnostics_json(diagnostics: &[Diagnostic]) -> String {
    let items: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            serde_json::json!({
                "level": if d.is_error() { "error" } else { "warning" },
                "file": d.file,
                "line": d.line,
                "column": d.column,
                "message": d.message,
                "help": d.help,
            })
        })
        .collect();
    serde_json::json!({
        "errors": diagnostics.iter().filter(|d| d.is_error()).count(),
        "warnings": diagnostics.iter().filter(|d| !d.is_error()).count(),
        "diagnostics": items,
    })
    .to_string()
}

/// Prints an error once and picks the exit code: 1 for input problems, 2 for usage and I/O.
fn report_error(e: &Error, color: Color) -> ExitCode {
    match e {
        Error::Load(LoadError::Invalid(diagnostics)) => {
            print_diagnostics(diagnostics, color);
            eprintln!(
                "candor: {}; nothing was written",
                diagnostic::summary(diagnostics)
            );
            ExitCode::from(1)
        }
        Error::Load(LoadError::NoSite(root)) => usage_error(&format!(
            "no status.yaml in {}\n  = help: run `candor init {}` to create a site there, or pass --root",
            root.display(),
            root.display()
        )),
        Error::Render(RenderError::Template(_) | RenderError::Theme(_)) => {
            eprintln!("error: {e}\ncandor: nothing was written");
            ExitCode::from(1)
        }
        _ => {
            eprintln!("error: {e}\ncandor: nothing was written");
            ExitCode::from(2)
        }
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
