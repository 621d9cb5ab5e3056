//! What was said about an incident beside its status updates — apologies and statements — as one
//! list, for the outputs that tell both with the updates (the feeds, the API's update bodies).
//!
//! Never orders or words them: each output sorts by `time::day_last` and words them its own way.

use super::{Incident, Moment, Text};

/// Which of the two an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaidKind {
    Apology,
    Statement,
}

impl SaidKind {
    /// The theme string that heads it: "Apology by {by}", "Statement by {by}".
    pub fn string_key(self) -> &'static str {
        match self {
            SaidKind::Apology => "timeline_apology",
            SaidKind::Statement => "timeline_statement",
        }
    }
}

/// One apology or statement: who said what, and when (a statement may give a bare date).
#[derive(Debug, Clone, Copy)]
pub struct Said<'a> {
    pub kind: SaidKind,
    pub at: Moment,
    pub by: &'a str,
    pub role: Option<&'a str>,
    pub statement: &'a Text,
}

impl Incident {
    /// The apologies, then the statements, as written.
    pub fn said(&self) -> impl Iterator<Item = Said<'_>> {
        let apologies = self.apologies.iter().map(|a| Said {
            kind: SaidKind::Apology,
            at: Moment {
                at: a.at,
                date_only: false,
            },
            by: &a.by,
            role: a.role.as_deref(),
            statement: &a.statement,
        });
        let statements = self.statements.iter().map(|s| Said {
            kind: SaidKind::Statement,
            at: s.at,
            by: &s.by,
            role: s.role.as_deref(),
            statement: &s.statement,
        });
        apologies.chain(statements)
    }
}
