//! The translation backlog that ends `candor check`'s text, for a comms lead at a glance: per
//! language of the site other than the main one, how many texts still show in the main language,
//! in how many incidents (the newest first, as the site lists them) and in status.yaml.
//!
//! Never part of the machine formats (docs/check-format.md keeps them as they are: the per-file
//! `candor::untranslated-text` warnings carry the same facts), and never reads a file.

use crate::model::{Site, Translations};
use std::fmt::Write;

/// How many incidents a line names before "and N more".
const NAMED: usize = 3;

/// The lines of the backlog, or nothing when every text is translated or the site has one
/// language.
pub(super) fn backlog(site: &Site) -> String {
    let config = &site.config;
    let lines: Vec<String> = (config.languages.iter().skip(1))
        .filter_map(|language| line(site, language))
        .collect();
    if lines.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "candor: translation backlog (shown in `{}` until translated):\n",
        config.language
    );
    for l in lines {
        let _ = writeln!(out, "  {l}");
    }
    out
}

/// `ko: 12 texts untranslated in 3 incidents (a 8, b 3, c 1) and 2 in status.yaml`.
fn line(site: &Site, language: &str) -> Option<String> {
    let missing = |t: &Translations| t.untranslated().get(language).map_or(0, Vec::len);
    let incidents: Vec<(&str, usize)> = (site.incidents.iter())
        .map(|i| (i.slug.as_str(), missing(&i.translations)))
        .filter(|(_, n)| *n > 0)
        .collect();
    let own = missing(&site.config.translations);
    let total = own + incidents.iter().map(|(_, n)| n).sum::<usize>();
    if total == 0 {
        return None;
    }
    let mut out = format!("{language}: {} untranslated", count(total, "text"));
    if !incidents.is_empty() {
        let named = (incidents.iter().take(NAMED))
            .map(|(slug, n)| format!("{slug} {n}"))
            .collect::<Vec<_>>()
            .join(", ");
        let more = match incidents.len().saturating_sub(NAMED) {
            0 => String::new(),
            n => format!(", and {n} more"),
        };
        let _ = write!(
            out,
            " in {} ({named}{more})",
            count(incidents.len(), "incident")
        );
    }
    match (own, incidents.is_empty()) {
        (0, _) => {}
        (_, true) => out.push_str(" in status.yaml"),
        (own, false) => {
            let _ = write!(out, " and {own} in status.yaml");
        }
    }
    Some(out)
}

/// `1 text`, `3 texts`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
