//! The command line: every command and option of `candor`, typed (clap derive), and how a
//! few of them map onto the library's option types.
//!
//! Never reads files, the environment or the clock, and never checks a value beyond its type:
//! `main.rs` and the library do.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "candor",
    version,
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
    /// Start a new incident file, stamped now
    New(NewArgs),
    /// Append an update stamped now to an incident, and/or mark services restored now
    Update(UpdateArgs),
    /// Create a new status site: status.yaml, an example incident, .gitignore
    Init(InitArgs),
    /// Build the site as it stood at each instant of a span, with pages stepping through them
    Replay(ReplayArgs),
    /// Create a new site from another status page's saved export
    #[command(subcommand)]
    Import(ImportSource),
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
    /// The impact on the --service in the same position: degraded_performance | partial_outage |
    /// major_outage (default) | under_maintenance
    #[arg(long = "impact", value_name = "LEVEL")]
    pub impacts: Vec<String>,
    /// The time to stamp: RFC 3339 (default: the clock)
    #[arg(long)]
    pub now: Option<String>,
}

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("change").required(true).multiple(true).args(["status", "restored"])))]
pub struct UpdateArgs {
    /// The incident: its file name in incidents/, with or without `.yaml`
    pub slug: String,
    /// The site folder (with status.yaml and incidents/)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// investigating | identified | monitoring | resolved (maintenance: scheduled | in_progress | completed)
    #[arg(long, requires = "message")]
    pub status: Option<String>,
    /// The update's text, Markdown
    // A Markdown list or rule starts with `-`: `--message "- API is back"` is a message, not
    // a flag (clap's own hint, `-- - API…`, would make it the slug).
    #[arg(long, requires = "status", allow_hyphen_values = true)]
    pub message: Option<String>,
    /// Mark this service of the incident restored now (repeatable)
    #[arg(long, value_name = "SERVICE")]
    pub restored: Vec<String>,
    /// The time to stamp: RFC 3339 (default: the clock)
    #[arg(long)]
    pub now: Option<String>,
}

#[derive(clap::Args)]
pub struct InitArgs {
    /// The folder to create the site in (created if missing)
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The time the example incident is dated from: RFC 3339 (default: the clock)
    #[arg(long)]
    pub now: Option<String>,
}

#[derive(clap::Args)]
pub struct ReplayArgs {
    /// The site folder (with status.yaml and incidents/)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The first instant: RFC 3339
    #[arg(long, value_name = "TIME")]
    pub from: String,
    /// The last instant, included when it falls on a step: RFC 3339
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
    /// The build time: RFC 3339 (default: SOURCE_DATE_EPOCH, else the clock)
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
