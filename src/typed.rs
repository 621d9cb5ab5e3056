//! Times typed on the command line (`--now`, `--start`, `--from` …), read as a time written in
//! an incident file is: a naive `2026-11-29 05:20` in the site's zone (status.yaml's
//! `timezone`), an offset checked against that zone.
//!
//! `main.rs` hands the text over; this reads status.yaml for the zone (the loader, its one
//! reader) and never reads the clock or prints: a slip comes back as a warning's text.

use crate::model::Time;
use crate::model::time::{ErrorKind, example, parse_typed};
use chrono_tz::Tz;
use std::path::Path;

/// The zone of one site, and the warnings the times read in it gave.
#[derive(Debug, Clone)]
pub struct SiteZone {
    pub tz: Tz,
    pub warnings: Vec<String>,
    /// The times typed are written into incident files (`new`, `update`): any offset other
    /// than the zone's is worth a word, since the file and the page show the zone's time.
    writes: bool,
}

impl SiteZone {
    /// The zone of the site at `root`; UTC when it has no status.yaml or one that does not
    /// give a zone (the command then reports why, as `check` does).
    pub fn of(root: &Path) -> SiteZone {
        let tz = crate::load::load_status(root, crate::theme::languages)
            .ok()
            .and_then(|status| status.context)
            .map_or(Tz::UTC, |context| context.config.timezone);
        SiteZone {
            tz,
            warnings: Vec::new(),
            writes: false,
        }
    }

    /// The same zone, for times that a command writes into an incident file.
    pub fn writing(self) -> SiteZone {
        SiteZone {
            writes: true,
            ..self
        }
    }

    /// Reads the time typed after `flag`; `Err` is the usage error to print.
    pub fn read(&mut self, flag: &str, text: &str) -> Result<Time, String> {
        let typed = parse_typed(text)
            .and_then(|typed| typed.resolve(self.tz).map(|t| (typed, t)))
            .map_err(|e| match e.kind {
                ErrorKind::Unreadable => format!(
                    "{flag}: {}; write `2022-10-15 15:30` (read in {}), or RFC 3339 like `{}`",
                    e.message,
                    self.tz.name(),
                    example(self.tz)
                ),
                _ => format!("{flag}: {}; {}", e.message, e.help),
            })?;
        let slip = typed.0.offset_slip(self.tz);
        let elsewhere = self.writes.then(|| typed.0.elsewhere(self.tz)).flatten();
        if let Some(slip) = slip.or(elsewhere) {
            self.warnings.push(format!(
                "warning: {flag}: {}\n  = help: {}\n",
                slip.message, slip.help
            ));
        }
        Ok(typed.1)
    }

    /// `read` for an optional flag.
    pub fn read_opt(&mut self, flag: &str, text: Option<&str>) -> Result<Option<Time>, String> {
        text.map(|text| self.read(flag, text)).transpose()
    }
}
