//! The `candor` command: parse the arguments, read the clock, call the library, print what it
//! says, exit with the code it gives (0; 1 for broken input; 2 for usage and I/O).
//!
//! The only place candor prints, decides on colour, or reads the clock (`SOURCE_DATE_EPOCH`,
//! else the system clock). Never builds text or maps an error to a code itself: `candor::report`
//! and `candor::live::command` do.

use candor::diagnostic::Color;
use candor::live::watch::Clock;
use candor::report::{self, Printout};
use candor::typed::SiteZone;
use clap::Parser;
use cli::*;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

mod cli;

// A build makes millions of small strings and template values; glibc's malloc and free were
// 17 % of its CPU (docs/decisions.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    survive_file_size_limit();
    let cli = Cli::parse();
    let color = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        Color::Always
    } else {
        Color::Never
    };
    let mut warnings = Vec::new();
    let mut printout =
        run(cli.command, color, &mut warnings).unwrap_or_else(|message| report::usage(&message));
    // The typed times' warnings come first: they say when everything after happened.
    printout.stderr = warnings.concat() + &printout.stderr;
    eprint!("{}", printout.stderr);
    print!("{}", printout.stdout);
    ExitCode::from(printout.code)
}

/// Runs one command to its end; `Err` is a bad argument or environment variable (exit 2).
/// `warnings` receives what the times typed on the command line gave.
fn run(command: Command, color: Color, warnings: &mut Vec<String>) -> Result<Printout, String> {
    use candor::authoring;
    Ok(match command {
        Command::Build(args) => {
            let options = options(&args.site, args.output, args.base_url, warnings)?;
            let started = Instant::now();
            let waiting = &mut |w: &candor::output::Waiting| eprint!("{}", report::waiting(w));
            let result = candor::build_waiting(&options, waiting);
            report::build(result, started.elapsed(), color)
        }
        Command::Check(args) => match options(&args.site, None, None, warnings) {
            Ok(mut options) => {
                // `check --now T` asks whether the site is right at T: a time after T is
                // measured from T, not the clock (docs/decisions.md).
                options.clock = options.now;
                let result = candor::check(&options);
                report::check(&result, args.format.into(), color, &options.root)
            }
            Err(message) => report::usage_as(args.format.into(), &message),
        },
        Command::Watch(args) => {
            let deploy = args.deploy.then(|| candor::deploy::DeployOptions {
                root: args.build.site.root.clone(),
                output: (args.build.output.clone())
                    .unwrap_or_else(|| args.build.site.root.join("public")),
                only: Vec::new(),
                dry_run: false,
                // Set from the build's options in `live`.
                now: chrono::DateTime::UNIX_EPOCH,
                drafts: false,
            });
            live(args.build, &args.watch, None, deploy, color, warnings)?
        }
        Command::Serve(args) => {
            let serve = candor::live::serve::ServeOptions {
                bind: args.bind,
                port: args.port,
                allowed_hosts: args.allow_hosts,
                ..Default::default()
            };
            live(args.build, &args.watch, Some(serve), None, color, warnings)?
        }
        Command::New(args) => {
            let mut zone = SiteZone::of(&args.root).writing();
            let now = stamp_time(&mut zone, args.now.as_deref())?;
            let start = zone.read_opt("--start", args.start.as_deref())?;
            let end = zone.read_opt("--end", args.end.as_deref())?;
            let new = args.incident(start.unwrap_or(now), end);
            warnings.append(&mut zone.warnings);
            report::authoring(authoring::new_incident(&args.root, &new, now), color)
        }
        Command::Update(args) => {
            args.lang_alone()?;
            args.note_alone()?;
            let mut zone = SiteZone::of(&args.root).writing();
            let now = stamp_time(&mut zone, args.now.as_deref())?;
            warnings.append(&mut zone.warnings);
            let written = authoring::edit_incident(&args.root, &args.slug, &args.edits(), now);
            report::authoring(written, color)
        }
        Command::Import(ImportSource::Statuspage(args)) => {
            // A new site: its times are UTC until its status.yaml says otherwise.
            let mut zone = SiteZone::of(&args.root);
            let now = stamp_time(&mut zone, args.now.as_deref())?;
            let written = authoring::import_statuspage(&args.root, &args.sources, now);
            report::authoring(written, color)
        }
        Command::Init(args) => {
            // A new site's status.yaml says `timezone: UTC`.
            let mut zone = SiteZone::of(&args.dir);
            let now = stamp_time(&mut zone, args.now.as_deref())?;
            report::init(authoring::init(&args.dir, now), &args.dir, color)
        }
        Command::Deploy(args) => {
            let mut zone = SiteZone::of(&args.root);
            let now = zone.read_opt("--now", args.now.as_deref())?;
            warnings.append(&mut zone.warnings);
            let options = candor::deploy::DeployOptions {
                now: now.map_or_else(clock, Ok)?,
                drafts: false,
                output: args.output.unwrap_or_else(|| args.root.join("public")),
                root: args.root,
                only: args.targets,
                dry_run: args.dry_run,
            };
            let waiting = &mut |w: &candor::output::Waiting| eprint!("{}", report::waiting(w));
            let result = candor::deploy::targets(&options.root)
                .and_then(|targets| candor::deploy::deploy(&options, &targets, waiting));
            report::deploy(result, options.dry_run, args.verbose, color)
        }
        Command::Replay(args) => {
            let mut zone = SiteZone::of(&args.root);
            let span = candor::replay::Span {
                from: zone.read("--from", &args.from)?,
                to: zone.read("--to", &args.to)?,
                every: candor::replay::parse_duration(&args.every)
                    .map_err(|e| format!("--every: {e}"))?,
            };
            let base = candor::Options {
                now: span.from,
                clock: clock()?,
                output: args.output,
                root: args.root,
                base_url: base_url_flag(args.base_url)?,
                drafts: args.drafts,
                strict: false,
            };
            warnings.append(&mut zone.warnings);
            let started = Instant::now();
            let result = candor::replay::replay(&base, &span);
            report::replay(result, &base.output, started.elapsed(), color)
        }
    })
}

/// A write past `ulimit -f` raises SIGXFSZ, whose default kills the process half way through a
/// build with no word. With a handler the write fails instead (EFBIG), and the build reports it
/// with the file's path, its staging folder removed and the previous site untouched.
fn survive_file_size_limit() {
    #[cfg(unix)]
    {
        let seen = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        // Cannot fail for SIGXFSZ, which may be handled; if it did, the default stays.
        let _ = signal_hook::flag::register(signal_hook::consts::SIGXFSZ, seen);
    }
}

/// `watch`, and `serve` when `serve` is given, printing each rebuild as it happens.
fn live(
    build: BuildArgs,
    flags: &WatchFlags,
    serve: Option<candor::live::serve::ServeOptions>,
    mut deploy: Option<candor::deploy::DeployOptions>,
    color: Color,
    warnings: &mut Vec<String>,
) -> Result<Printout, String> {
    let options = options(&build.site, build.output, build.base_url, warnings)?;
    if let Some(deploy) = &mut deploy {
        // A mirror's copy is built as the output is: at its instant (moved on by the clock at
        // each deploy when it runs), with its drafts.
        deploy.now = options.now;
        deploy.drafts = options.drafts;
    }
    // A session runs until stopped: what the typed times gave is said before it starts.
    eprint!("{}", warnings.drain(..).collect::<String>());
    // With --now (or SOURCE_DATE_EPOCH) the site stays at that instant; without, it follows
    // the clock: each rebuild and each tick reads it here.
    let pinned = build.site.now.is_some() || matches!(pinned_clock(), Ok(Some(_)));
    let now = system_clock;
    let live = candor::live::command::LiveOptions {
        watch: flags.options(),
        serve,
        clock: if pinned {
            Clock::Pinned
        } else {
            Clock::Running(&now)
        },
        color,
        deploy,
    };
    Ok(candor::live::command::run(options, live, &mut |text| {
        eprint!("{text}")
    }))
}

fn options(
    site: &SiteArgs,
    output: Option<PathBuf>,
    base_url: Option<String>,
    warnings: &mut Vec<String>,
) -> Result<candor::Options, String> {
    let clock = clock()?;
    let mut zone = SiteZone::of(&site.root);
    let now = zone.read_opt("--now", site.now.as_deref())?;
    warnings.append(&mut zone.warnings);
    Ok(candor::Options {
        output: output.unwrap_or_else(|| site.root.join("public")),
        root: site.root.clone(),
        base_url: base_url_flag(base_url)?,
        // The build time: `--now`, else the clock.
        now: now.unwrap_or(clock),
        clock,
        drafts: site.drafts,
        strict: site.strict,
    })
}

/// `SOURCE_DATE_EPOCH` (a clock pinned for reproducible builds), else the system clock:
/// the only place candor reads the time.
fn clock() -> Result<candor::model::Time, String> {
    Ok(pinned_clock()?.unwrap_or_else(system_clock))
}

/// The system clock to the whole second: a page shows an instant to the second at most, and a
/// `datetime` with nine fractional digits is not valid HTML (and made every build rewrite an
/// open incident's page).
fn system_clock() -> candor::model::Time {
    use chrono::SubsecRound;
    chrono::Utc::now().trunc_subsecs(0)
}

fn pinned_clock() -> Result<Option<candor::model::Time>, String> {
    let Some(epoch) = std::env::var_os("SOURCE_DATE_EPOCH") else {
        return Ok(None);
    };
    let secs: i64 = epoch
        .to_str()
        .and_then(|s| s.trim().parse().ok())
        .ok_or("SOURCE_DATE_EPOCH must be a number of seconds")?;
    // The times every time in the input must fall in: a clock far outside them overflowed
    // the day arithmetic, or showed a year no date format writes.
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| candor::model::time::in_instants(&secs.to_string(), t))
        .and_then(Result::ok)
        .map(Some)
        .ok_or_else(|| {
            let range = candor::model::time::instants();
            format!(
                "SOURCE_DATE_EPOCH is out of range: candor reads times from {} to {}",
                range.start(),
                range.end()
            )
        })
}

/// `--base-url`, held to the rules of status.yaml's `base_url` and written the same way.
fn base_url_flag(text: Option<String>) -> Result<Option<String>, String> {
    text.map(|text| {
        candor::load::parse_base_url(&text)
            .map_err(|e| format!("--base-url: {}; {}", e.message, e.help))
    })
    .transpose()
}

/// `--now`, else the clock. Authoring stamps what a person does now, so SOURCE_DATE_EPOCH
/// (a reproducible-build setting) does not apply here.
fn stamp_time(zone: &mut SiteZone, now: Option<&str>) -> Result<candor::model::Time, String> {
    Ok(zone.read_opt("--now", now)?.unwrap_or_else(system_clock))
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
