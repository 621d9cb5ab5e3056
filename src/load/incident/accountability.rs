//! What the organisation said and did about an incident: apologies, leadership changes,
//! compensation and commitments, each checked as format.md describes it.
//!
//! Never judges the words themselves: only dates, links and the fixed words are checked.

use super::Check;
use crate::load::raw::OneLine;
use crate::load::raw::{RawApology, RawCommitment, RawCompensation, RawLeadership, RawStatement};
use crate::load::site::check_url;
use crate::load::words::{CHANGE, COMMITMENT_STATUS};
use crate::model::{Apology, Commitment, Compensation, Kind, Leadership, Statement};

impl Check<'_> {
    /// The apologies that read whole, by time.
    pub(super) fn apologies(&mut self, kind: Kind, raw: Vec<RawApology>) -> Vec<Apology> {
        let mut out = Vec::with_capacity(raw.len());
        for (i, a) in raw.into_iter().enumerate() {
            let path = format!("apologies[{i}]");
            let at = self.time(&format!("{path}.at"), &a.at, kind);
            let statement = self.text(&format!("{path}.statement"), a.statement, false);
            let link = self.link(&path, a.link);
            let by = self.name(&format!("{path}.by"), a.by);
            let role = (a.role).map(|r| self.words(&format!("{path}.role"), r));
            if let Some(at) = at {
                out.push(Apology {
                    index: i,
                    at,
                    by,
                    role,
                    statement,
                    link,
                });
            }
        }
        out.sort_by_key(|a| a.at);
        out
    }

    /// The statements that read whole, by time (a date counts as that day's start).
    pub(super) fn statements(&mut self, raw: Vec<RawStatement>) -> Vec<Statement> {
        let mut out = Vec::with_capacity(raw.len());
        for (i, s) in raw.into_iter().enumerate() {
            let path = format!("statements[{i}]");
            let at = self.moment(&format!("{path}.at"), &s.at);
            let statement = self.text(&format!("{path}.statement"), s.statement, false);
            let link = self.link(&path, s.link);
            let by = self.name(&format!("{path}.by"), s.by);
            let role = (s.role).map(|r| self.words(&format!("{path}.role"), r));
            if let Some(at) = at {
                out.push(Statement {
                    index: i,
                    at,
                    by,
                    role,
                    statement,
                    link,
                });
            }
        }
        out.sort_by_key(|s| s.at.at);
        out
    }

    /// The leadership changes that read whole, by time.
    pub(super) fn leadership(&mut self, raw: Vec<RawLeadership>) -> Vec<Leadership> {
        let mut out = Vec::with_capacity(raw.len());
        for (i, l) in raw.into_iter().enumerate() {
            let path = format!("leadership[{i}]");
            let at = self.moment(&format!("{path}.at"), &l.at);
            let change = self
                .report
                .one_of(&format!("{path}.change"), &l.change, &CHANGE);
            let note = l.note.map(|n| self.text(&format!("{path}.note"), n, false));
            let link = self.link(&path, l.link);
            let person = self.name(&format!("{path}.person"), l.person);
            let role = self.words(&format!("{path}.role"), l.role);
            if let (Some(at), Some(change)) = (at, change) {
                out.push(Leadership {
                    index: i,
                    at,
                    person,
                    role,
                    change,
                    note,
                    link,
                });
            }
        }
        out.sort_by_key(|l| l.at.at);
        out
    }

    /// Every compensation entry, in the order written; a date that does not read is dropped.
    pub(super) fn compensation(&mut self, raw: Vec<RawCompensation>) -> Vec<Compensation> {
        raw.into_iter()
            .enumerate()
            .map(|(i, c)| {
                let path = format!("compensation[{i}]");
                Compensation {
                    index: i,
                    at: c
                        .at
                        .as_deref()
                        .and_then(|t| self.moment(&format!("{path}.at"), t)),
                    for_whom: self.words(&format!("{path}.for"), c.for_whom),
                    description: self.text(&format!("{path}.description"), c.description, false),
                }
            })
            .collect()
    }

    /// The commitments with a known status, in the order written.
    pub(super) fn commitments(&mut self, raw: Vec<RawCommitment>) -> Vec<Commitment> {
        let mut out = Vec::with_capacity(raw.len());
        for (i, c) in raw.into_iter().enumerate() {
            let path = format!("commitments[{i}]");
            let status =
                self.report
                    .one_of(&format!("{path}.status"), &c.status, &COMMITMENT_STATUS);
            let note = c.note.map(|n| self.text(&format!("{path}.note"), n, false));
            let what = self.words(&format!("{path}.what"), c.what);
            let due = (c.due).map(|d| self.words(&format!("{path}.due"), d));
            if let Some(status) = status {
                out.push(Commitment {
                    index: i,
                    what,
                    due,
                    status,
                    note,
                });
            }
        }
        out
    }

    /// The `link` of the entry at `path`: one line, and a web or mail address.
    fn link(&mut self, path: &str, link: Option<OneLine>) -> Option<String> {
        let path = format!("{path}.link");
        let link = link?.checked(&mut self.report, &path);
        check_url(&mut self.report, &path, &link);
        Some(link)
    }
}
