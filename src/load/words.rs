//! The fixed words users may write (a status, a severity, an impact …), and the "did you mean"
//! for a word that is none of them, with `strsim`'s edit distance.
//!
//! Never reads the disk; never decides what is an error (it words the help, `Report` files it).

use crate::error::Code;
use crate::model::{Change, CommitmentStatus, Impact, Kind, Severity, Status};

/// A key's fixed set of words, as format.md lists them: what `Report::one_of` reads a word
/// against, and how it words the error when the word is none of them.
pub struct Words<T: 'static> {
    /// The error reads "unknown {noun} `word`{scope}".
    pub noun: &'static str,
    /// After the word in the error, to say whose words these are (` for an incident`), or empty.
    pub scope: &'static str,
    /// In the order the help lists them.
    pub all: &'static [T],
    /// The word a user writes for each.
    pub word: fn(T) -> &'static str,
    /// The code of the error for a word that is none of them.
    pub code: Code,
    /// The word of this set that means what `text` means in a neighbouring set (a window's
    /// `completed` for an incident's `resolved`), for the help.
    pub counterpart: fn(&str) -> Option<&'static str>,
}

fn no_counterpart(_: &str) -> Option<&'static str> {
    None
}

/// An incident's status word said of a maintenance window.
fn window_counterpart(text: &str) -> Option<&'static str> {
    match text {
        "resolved" => Some("completed"),
        "investigating" | "identified" | "monitoring" => Some("in_progress"),
        _ => None,
    }
}

/// A maintenance window's status word said of an incident.
fn incident_counterpart(text: &str) -> Option<&'static str> {
    match text {
        "completed" => Some("resolved"),
        "in_progress" => Some("identified"),
        _ => None,
    }
}

pub const KIND: Words<Kind> = Words {
    noun: "kind",
    scope: "",
    all: &[Kind::Incident, Kind::Maintenance],
    word: kind_word,
    code: Code::UnknownKind,
    counterpart: no_counterpart,
};

pub const SEVERITY: Words<Severity> = Words {
    noun: "severity",
    scope: "",
    all: &Severity::ALL,
    word: Severity::as_str,
    code: Code::UnknownSeverity,
    counterpart: no_counterpart,
};

pub const IMPACT: Words<Impact> = Words {
    noun: "impact",
    scope: "",
    all: &Impact::ALL,
    word: Impact::as_str,
    code: Code::UnknownImpact,
    counterpart: no_counterpart,
};

pub const CHANGE: Words<Change> = Words {
    noun: "change",
    scope: "",
    all: &Change::ALL,
    word: Change::as_str,
    code: Code::UnknownChange,
    counterpart: no_counterpart,
};

pub const COMMITMENT_STATUS: Words<CommitmentStatus> = Words {
    noun: "commitment status",
    scope: "",
    all: &CommitmentStatus::ALL,
    word: CommitmentStatus::as_str,
    code: Code::UnknownCommitmentStatus,
    counterpart: no_counterpart,
};

/// The statuses of an incident, or those of a maintenance window.
pub fn statuses(kind: Kind) -> Words<Status> {
    Words {
        noun: "status",
        scope: match kind {
            Kind::Incident => " for an incident",
            Kind::Maintenance => " for a maintenance window",
        },
        all: Status::allowed(kind),
        word: Status::as_str,
        code: Code::UnknownStatus,
        counterpart: match kind {
            Kind::Incident => incident_counterpart,
            Kind::Maintenance => window_counterpart,
        },
    }
}

fn kind_word(kind: Kind) -> &'static str {
    match kind {
        Kind::Incident => "incident",
        Kind::Maintenance => "maintenance",
    }
}

impl<T: Copy> Words<T> {
    /// The one whose word is exactly `text`.
    pub fn find(&self, text: &str) -> Option<T> {
        self.all.iter().copied().find(|&v| (self.word)(v) == text)
    }

    /// The help for a word that is none of these: every word, and the closest if close.
    pub fn help(&self, text: &str) -> String {
        let words: Vec<&str> = self.all.iter().map(|&v| (self.word)(v)).collect();
        match (self.counterpart)(text) {
            Some(word) => format!(
                "write `{word}`: `{text}` is not said{}; allowed: {}",
                self.scope,
                words.join(" | ")
            ),
            None => words_help(text, &words),
        }
    }
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo: within a
/// third of the longer one's length in edits (at least one; two letters swapped are one edit),
/// case ignored; the first of equals.
/// Else the one candidate that `word` is the start of, or a whole part of (`partial` for
/// `partial_outage`, `maintenance` for `under_maintenance`): a word typed short.
pub fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let word_lower = word.to_lowercase();
    let candidates: Vec<&str> = candidates.into_iter().collect();
    let close = candidates
        .iter()
        .map(|c| (strsim::osa_distance(&word_lower, &c.to_lowercase()), *c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c);
    close.or_else(|| shortened(&word_lower, &candidates))
}

/// The one candidate that `word` (three letters or more) begins, or is a part of between `_`
/// or `-`; none when two fit.
fn shortened<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    if word.chars().count() < 3 {
        return None;
    }
    let mut fits = candidates.iter().filter(|c| {
        let c = c.to_lowercase();
        c.starts_with(word) || c.split(['_', '-']).any(|part| part == word)
    });
    match (fits.next(), fits.next()) {
        (Some(one), None) => Some(*one),
        _ => None,
    }
}

/// A help line listing the allowed words, with a "did you mean" when one is close.
fn words_help(word: &str, allowed: &[&str]) -> String {
    let list = allowed.join(" | ");
    match did_you_mean(word, allowed.iter().copied()) {
        Some(close) => format!("did you mean `{close}`? allowed: {list}"),
        None => format!("allowed: {list}"),
    }
}

/// The help for an id that status.yaml does not list: the closest one, and all of them.
pub fn unknown_service_help<'k>(id: &str, known: impl IntoIterator<Item = &'k str>) -> String {
    let known: Vec<&str> = known.into_iter().collect();
    match did_you_mean(id, known.iter().copied()) {
        Some(close) => format!(
            "did you mean `{close}`? known services: {}",
            known.join(", ")
        ),
        None => format!(
            "known services: {} (add it to status.yaml first)",
            known.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_incident_word_for_a_window_names_the_window_word() {
        let help = statuses(Kind::Maintenance).help("resolved");
        assert!(
            help.starts_with("write `completed`: `resolved` is not said for a maintenance window"),
            "{help}"
        );
        let help = statuses(Kind::Incident).help("completed");
        assert!(help.starts_with("write `resolved`"), "{help}");
        assert!(
            statuses(Kind::Incident)
                .help("resolvd")
                .contains("did you mean `resolved`")
        );
    }

    #[test]
    fn suggests_a_word_typed_short() {
        let impacts = [
            "degraded_performance",
            "partial_outage",
            "major_outage",
            "under_maintenance",
        ];
        assert_eq!(did_you_mean("partial", impacts), Some("partial_outage"));
        assert_eq!(
            did_you_mean("maintenance", impacts),
            Some("under_maintenance")
        );
        assert_eq!(
            did_you_mean("degraded", impacts),
            Some("degraded_performance")
        );
        // Two fit: no guess.
        assert_eq!(did_you_mean("outage", impacts), None);
        assert_eq!(did_you_mean("pa", impacts), None);
        assert_eq!(did_you_mean("voi", ["voice", "data"]), Some("voice"));
    }

    #[test]
    fn suggests_close_words_only() {
        let keys = ["id", "impact", "from", "stages", "restored", "note"];
        assert_eq!(did_you_mean("restord", keys), Some("restored"));
        assert_eq!(did_you_mean("impcat", keys), Some("impact"));
        assert_eq!(did_you_mean("weather", keys), None);
        assert_eq!(did_you_mean("RESOLVD", ["resolved"]), Some("resolved"));
    }

    #[test]
    fn word_sets_find_exact_words_and_help_with_close_ones() {
        assert_eq!(SEVERITY.find("major"), Some(Severity::Major));
        assert_eq!(SEVERITY.find("Major"), None);
        assert_eq!(KIND.find("maintenance"), Some(Kind::Maintenance));
        assert_eq!(
            statuses(Kind::Maintenance).help("complete"),
            "did you mean `completed`? allowed: scheduled | in_progress | completed"
        );
    }
}
