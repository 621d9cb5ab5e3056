//! Times typed on the command line (`--now`, `--start`, `--from` …), read as a time written in
//! an incident file is: a naive `2026-11-29 05:20` in the site's zone (status.yaml's
//! `timezone`), an offset checked against that zone.
//!
//! `main.rs` hands the text over; this reads status.yaml for the zone (the loader, its one
//! reader) and never reads the clock or prints: a slip comes back as a warning's text.

use crate::model::Time;
use crate::model::time::parse_typed;
use chrono_tz::Tz;
use std::path::Path;

/// The zone of one site, and the warnings the times read in it gave.
#[derive(Debug, Clone)]
pub struct SiteZone {
    pub tz: Tz,
    pub warnings: Vec<String>,
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
        }
    }

    /// Reads the time typed after `flag`; `Err` is the usage error to print.
    pub fn read(&mut self, flag: &str, text: &str) -> Result<Time, String> {
        let typed = parse_typed(text)
            .and_then(|typed| typed.resolve(self.tz).map(|t| (typed, t)))
            .map_err(|e| format!("{flag}: {}; {}", e.message, e.help))?;
        if let Some(slip) = typed.0.offset_slip(self.tz) {
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
