//! The command line: every command and option of `candor`, typed (clap derive), and how a
//! few of them map onto the library's option types.
//!
//! Never reads files, the environment or the clock, and never checks a value beyond its type:
//! `main.rs` and the library do.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// `candor --version`: the package version and the commit built (`build.rs`).
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("CANDOR_COMMIT"), ")");

#[derive(Parser)]
#[command(
    name = "candor",
    version = VERSION,
    about = "A static status page and incident timeline from YAML incident logs"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Build the site into the output folder
    Build(BuildArgs),
    /// Check every file and print every error and warning at once
    Check(CheckArgs),
    /// Build, serve the site on 127.0.0.1 with live reload, and rebuild on every change
    Serve(ServeArgs),
    /// Build, then rebuild what each change affects, until stopped (no server)
    Watch(WatchArgs),
    /// Start a new incident (or, with --maintenance, announce a maintenance window), posted now
    New(NewArgs),
    /// Post to an incident, stamped now: an update, a service's new impact or restoration, a
    /// statement; or translate an update (--lang)
    Update(UpdateArgs),
    /// Create a new status site: status.yaml, an example incident, .gitignore
    Init(InitArgs),
    /// Build the site as it stood at each instant of a span, with pages stepping through them
    Replay(ReplayArgs),
    /// Publish the built site to the targets of status.yaml's `deploy:` list
    Deploy(DeployArgs),
    /// Create a new site from another status page's saved export
    #[command(subcommand)]
    Import(ImportSource),
}

#[derive(clap::Args)]
pub struct DeployArgs {
    /// The site folder (with status.yaml)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The built output folder (default: ROOT/public)
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Publish to this target only, by its name in status.yaml (repeatable)
    #[arg(long = "target", value_name = "NAME")]
    pub targets: Vec<String>,
    /// List what would be uploaded and removed, and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// List every file uploaded and removed
    #[arg(long, short)]
    pub verbose: bool,
    /// Build the copies for targets with a `base_url` of their own as of this time (default:
    /// SOURCE_DATE_EPOCH, else now)
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
}

#[derive(Subcommand)]
pub enum ImportSource {
    /// From Statuspage's API v2 JSON: components.json, incidents.json,
    /// scheduled-maintenances.json (or summary.json), as files or folders of them
    Statuspage(ImportArgs),
}

#[derive(clap::Args)]
pub struct ImportArgs {
    /// The export: JSON files, or folders whose *.json files are read
    #[arg(required = true, value_name = "DIR_OR_FILES")]
    pub sources: Vec<PathBuf>,
    /// The folder to create the site in (created if missing; must have no status.yaml)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The time to check the imported site at: RFC 3339 (default: the clock)
    #[arg(long)]
    pub now: Option<String>,
}

#[derive(clap::Args)]
pub struct NewArgs {
    /// The incident's title, as the public will read it
    pub title: String,
    /// The site folder (with status.yaml and incidents/)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// A service hit, by its id in status.yaml (repeatable)
    #[arg(long = "service", value_name = "ID")]
    pub services: Vec<String>,
    /// The impact: one per --service, in the same order, or one for all of them:
    /// degraded_performance | partial_outage | major_outage (default) | under_maintenance
    /// (with --maintenance, the default)
    #[arg(long = "impact", value_name = "LEVEL")]
    pub impacts: Vec<String>,
    /// When it started: RFC 3339, or `2026-11-29 05:20` in the site timezone (default: now)
    #[arg(long, value_name = "TIME")]
    pub start: Option<String>,
    /// A maintenance window's planned end: RFC 3339, or `2026-11-29 05:20` in the site timezone
    #[arg(long, value_name = "TIME", requires = "maintenance")]
    pub end: Option<String>,
    /// minor | major | critical (default: major when a service has a major_outage, else minor)
    #[arg(long, value_name = "WORD", conflicts_with = "maintenance")]
    pub severity: Option<String>,
    /// The short public account shown in lists and feeds, Markdown
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub summary: Option<String>,
    /// The text of the first update, Markdown (default: a sentence naming the services)
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub message: Option<String>,
    /// Write a maintenance window (--start and --end: the planned window) announced now
    /// with a `scheduled` update
    #[arg(long, requires_all = ["start", "end"])]
    pub maintenance: bool,
    /// The time to stamp the first update with: RFC 3339, or `2026-11-29 05:20` in the site
    /// timezone (default: the clock)
    #[arg(long)]
    pub now: Option<String>,
}

impl NewArgs {
    /// What to write, its times read already (in the site zone).
    pub fn incident(
        &self,
        start: candor::model::Time,
        end: Option<candor::model::Time>,
    ) -> candor::authoring::NewIncident<'_> {
        candor::authoring::NewIncident {
            title: &self.title,
            services: &self.services,
            impacts: &self.impacts,
            start,
            end,
            severity: self.severity.as_deref(),
            summary: self.summary.as_deref(),
            message: self.message.as_deref(),
            maintenance: self.maintenance,
        }
    }
}

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("change").required(true).multiple(true)
    .args(["status", "message", "restored", "impact", "note", "statement", "apology", "lang", "at"])))]
pub struct UpdateArgs {
    /// The incident: its file name in incidents/, with or without `.yaml`
    pub slug: String,
    /// The site folder (with status.yaml and incidents/)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// investigating | identified | monitoring | resolved (maintenance: scheduled | in_progress | completed)
    #[arg(long, requires = "message")]
    pub status: Option<String>,
    /// The update's text, Markdown. Without --status the update keeps the current status:
    /// after `resolved`, a follow-up note that neither reopens the incident nor moves its end
    // A Markdown list or rule starts with `-`: `--message "- API is back"` is a message, not
    // a flag (clap's own hint, `-- - API…`, would make it the slug).
    #[arg(long, allow_hyphen_values = true)]
    pub message: Option<String>,
    /// Mark this service of the incident restored now (repeatable)
    #[arg(long, value_name = "SERVICE")]
    pub restored: Vec<String>,
    /// With --restored: move the time of a service already restored (it changes what the
    /// page has said)
    #[arg(long, requires = "restored")]
    pub force: bool,
    /// A service's impact changes now, like `--impact voice=partial_outage`: a new stage of
    /// its restoration (a service the incident does not list yet is added, hit from now)
    #[arg(long, value_name = "SERVICE=LEVEL")]
    pub impact: Option<String>,
    /// With --impact: what the change means for people, one line of Markdown
    // Without --impact it is refused by `note_alone`, which says what to add (clap's
    // `requires` would only list flags).
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub note: Option<String>,
    /// A public statement that is not an apology (with --by), quoted on the incident page
    #[arg(long, value_name = "TEXT", requires = "by", allow_hyphen_values = true)]
    pub statement: Option<String>,
    /// A public apology (with --by), quoted on the incident page
    #[arg(long, value_name = "TEXT", requires = "by", allow_hyphen_values = true)]
    pub apology: Option<String>,
    /// Who made the --statement or --apology
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// Their role, like `CEO`
    #[arg(long, value_name = "ROLE", requires = "by")]
    pub role: Option<String>,
    /// Where the --statement or --apology was published (http, https or mailto)
    #[arg(long, value_name = "URL", requires = "by")]
    pub link: Option<String>,
    /// Translate an update already posted: --message is its text in LANG, one of the site's
    /// other languages (added, or replacing the one it has), for the latest update published
    /// or the one --at names
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    /// With --lang: the update to translate, by its time, as the page or the file shows it
    /// (`2026-11-29 05:20` in the site timezone, or RFC 3339)
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// The time to stamp: RFC 3339, or `2026-11-29 05:20` in the site timezone (default: the clock)
    #[arg(long)]
    pub now: Option<String>,
}

impl UpdateArgs {
    /// `--lang` with anything but `--message` (and `--at`), or `--at` without `--lang`: what
    /// to type instead. A translation changes no status or service, and posts nothing new.
    pub fn lang_alone(&self) -> Result<(), String> {
        let Some(lang) = &self.lang else {
            return match self.at {
                Some(_) => Err("--at picks the update that --lang translates, and no --lang is \
                     given\n  = help: add the language and the text, like `--lang ko --message TEXT \
                     --at TIME`; to post an update at another time than now, use --now"
                    .into()),
                None => Ok(()),
            };
        };
        let others = [
            ("--status", self.status.is_some()),
            ("--restored", !self.restored.is_empty()),
            ("--impact", self.impact.is_some()),
            ("--note", self.note.is_some()),
            ("--statement", self.statement.is_some()),
            ("--apology", self.apology.is_some()),
            ("--by", self.by.is_some()),
        ];
        if let Some((flag, _)) = others.iter().find(|(_, given)| *given) {
            return Err(format!(
                "--lang translates an update already posted, and changes nothing else: it cannot \
                 go with {flag}\n  = help: post the update first, without --lang; then run \
                 `candor update {} --lang {lang} --message TEXT` to translate it",
                self.slug
            ));
        }
        if self.message.is_none() {
            return Err(format!(
                "--lang needs the translated text\n  = help: give it as --message, like \
                 `--lang {lang} --message TEXT`"
            ));
        }
        Ok(())
    }

    /// A `--note` with no `--impact` to explain: what to type instead.
    pub fn note_alone(&self) -> Result<(), String> {
        match (&self.note, &self.impact) {
            (Some(_), None) => Err(
                "--note explains a change of impact, and no --impact is given\n  \
                 = help: add the change it explains, like `--impact voice=partial_outage --note \
                 TEXT`; for news that changes no impact, post an update: `--message TEXT`"
                    .into(),
            ),
            _ => Ok(()),
        }
    }

    /// The edits asked for, in the order they are applied: the words typed are checked
    /// before what the file already says (a service restored), so a typo is named first.
    pub fn edits(&self) -> Vec<candor::authoring::Edit<'_>> {
        use candor::authoring::Edit;
        let mut edits = Vec::new();
        if let (Some(language), Some(message)) = (&self.lang, &self.message) {
            return vec![Edit::Translate {
                language,
                message,
                at: self.at.as_deref(),
            }];
        }
        if let Some(message) = &self.message {
            edits.push(Edit::Update {
                status: self.status.as_deref(),
                message,
            });
        }
        if let Some(change) = &self.impact {
            edits.push(Edit::Stage {
                change,
                note: self.note.as_deref(),
            });
        }
        let by = self.by.as_deref().unwrap_or_default();
        let role = self.role.as_deref();
        let link = self.link.as_deref();
        for (apology, text) in [(false, &self.statement), (true, &self.apology)] {
            if let Some(statement) = text {
                edits.push(Edit::Statement {
                    apology,
                    by,
                    role,
                    statement,
                    link,
                });
            }
        }
        edits.extend(self.restored.iter().map(|service| Edit::Restored {
            service,
            force: self.force,
        }));
        edits
    }
}

#[derive(clap::Args)]
pub struct InitArgs {
    /// The folder to create the site in (created if missing)
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Now: the day uptime counts from, and when the example window is announced (it is
    /// tomorrow); RFC 3339, or naive in UTC (default: the clock)
    #[arg(long)]
    pub now: Option<String>,
}

#[derive(clap::Args)]
pub struct ReplayArgs {
    /// The site folder (with status.yaml and incidents/)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The first instant: RFC 3339, or `2026-11-29 05:20` in the site timezone
    #[arg(long, value_name = "TIME")]
    pub from: String,
    /// The last instant, included when it falls on a step: RFC 3339, or naive in the site timezone
    #[arg(long, value_name = "TIME")]
    pub to: String,
    /// The step between instants: `30m`, `6h`, `1d`, `1h30m`
    // Hyphen values reach the parser, which explains why `-1h` cannot be a step.
    #[arg(long, value_name = "DURATION", allow_hyphen_values = true)]
    pub every: String,
    /// The folder to write into: one folder per instant, and index.html stepping through them
    #[arg(long, value_name = "DIR")]
    pub output: PathBuf,
    /// Override base_url of status.yaml
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include incidents marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
}

#[derive(clap::Args)]
pub struct SiteArgs {
    /// The site folder (with status.yaml and incidents/)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The build time: RFC 3339, or `2026-11-29 05:20` in the site timezone (default:
    /// SOURCE_DATE_EPOCH, else the clock)
    #[arg(long)]
    pub now: Option<String>,
    /// Include incidents marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Treat warnings as errors
    #[arg(long)]
    pub strict: bool,
}

#[derive(clap::Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The output folder (default: ROOT/public)
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Override base_url of status.yaml
    #[arg(long)]
    pub base_url: Option<String>,
}

#[derive(clap::Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub build: BuildArgs,
    #[command(flatten)]
    pub watch: WatchFlags,
    /// Publish every rebuild that changed a file to status.yaml's `deploy:` targets
    #[arg(long)]
    pub deploy: bool,
}

#[derive(clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub build: BuildArgs,
    #[command(flatten)]
    pub watch: WatchFlags,
    /// The address to listen on (127.0.0.1: only this machine can see the preview; 0.0.0.0:
    /// every machine that can reach this one)
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// The port to listen on; the next free one is taken when it is busy
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// A host name the preview may be opened at, besides IP addresses and localhost
    /// (repeatable): requests naming any other are refused, against DNS rebinding
    #[arg(long = "allow-host", value_name = "NAME")]
    pub allow_hosts: Vec<String>,
}

#[derive(clap::Args)]
pub struct WatchFlags {
    /// Poll for changes instead of native events (WSL2 /mnt/c, Docker volumes, NFS)
    #[arg(long)]
    pub poll: bool,
    /// How often to poll, in milliseconds
    #[arg(long, default_value_t = 300, value_name = "MS")]
    pub poll_interval: u64,
    /// Quiet time after the last change before rebuilding, in milliseconds
    #[arg(long, default_value_t = 10, value_name = "MS")]
    pub debounce: u64,
}

impl WatchFlags {
    pub fn options(&self) -> candor::live::watch::WatchOptions {
        candor::live::watch::WatchOptions {
            debounce: std::time::Duration::from_millis(self.debounce),
            poll: self
                .poll
                .then(|| std::time::Duration::from_millis(self.poll_interval)),
        }
    }
}

#[derive(clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// How to print the result
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Json,
    /// GitHub Actions annotations
    Github,
    /// SARIF 2.1.0, for code scanning
    Sarif,
}

impl From<Format> for candor::report::Format {
    fn from(format: Format) -> candor::report::Format {
        match format {
            Format::Text => candor::report::Format::Text,
            Format::Json => candor::report::Format::Json,
            Format::Github => candor::report::Format::Github,
            Format::Sarif => candor::report::Format::Sarif,
        }
    }
}
