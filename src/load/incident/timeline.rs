//! The updates of an incident file, their status words, and the incident's written `status`
//! (with the rule that `resolved` without `end` takes the last `resolved` update's time).
//!
//! Never derives the status at an instant: that is `model::state`'s alone.

use super::Check;
use crate::error::Code;
use crate::load::ids::api_id;
use crate::load::raw::RawUpdate;
use crate::load::words::statuses;
use crate::model::{Kind, Status, Time, Update};

impl Check<'_> {
    /// The updates that read whole, sorted by time; warns once when they were written out of
    /// order, and at each one dated before `start` (except a maintenance window's `scheduled`).
    pub(super) fn updates(&mut self, kind: Kind, start: Time, raw: Vec<RawUpdate>) -> Vec<Update> {
        let mut out: Vec<Update> = Vec::with_capacity(raw.len());
        let mut warned_order = false;
        for (i, u) in raw.into_iter().enumerate() {
            let path = format!("updates[{i}]");
            let at = self.time(&format!("{path}.at"), &u.at, kind);
            let status = self
                .report
                .one_of(&format!("{path}.status"), &u.status, &statuses(kind));
            let message = self.text(&format!("{path}.message"), u.message, false);
            let id = (u.id).filter(|id| api_id(&mut self.report, &format!("{path}.id"), id));
            let (Some(at), Some(status)) = (at, status) else {
                continue;
            };
            if !warned_order && out.last().is_some_and(|prev| prev.at > at) {
                warned_order = true;
                self.report.warning(
                    Code::UpdatesOutOfOrder,
                    &format!("{path}.at"),
                    "updates are not in time order; they are shown sorted",
                    Some("keep updates in the order they were posted".into()),
                );
            }
            let planned = kind == Kind::Maintenance && status == Status::Scheduled;
            if at < start && !planned {
                self.report.warning(
                    Code::UpdateBeforeStart,
                    &format!("{path}.at"),
                    "this update is before the incident's start",
                    Some("check its date, or move `start` earlier".into()),
                );
            }
            out.push(Update {
                id,
                at,
                status,
                message,
            });
        }
        out.sort_by_key(|u| u.at);
        out
    }

    /// The `status:` as written. `resolved` without `end` (written, or the last update's)
    /// takes the time of the last resolution as the end: the first of the `resolved` updates
    /// that close the list. Those after it are follow-up notes (a postmortem posted, a credit
    /// paid), which must not move the end.
    pub(super) fn status(
        &mut self,
        kind: Kind,
        written: Option<&str>,
        updates: &[Update],
        end: &mut Option<Time>,
        start: Time,
    ) -> Option<Status> {
        let written = written.and_then(|w| self.report.one_of("status", w, &statuses(kind)));
        let last = updates.last().map(|u| u.status);
        if kind == Kind::Incident && end.is_none() && written.or(last) == Some(Status::Resolved) {
            let closing = updates
                .iter()
                .rev()
                .take_while(|u| u.status == Status::Resolved)
                .last();
            let resolution =
                closing.or_else(|| updates.iter().rev().find(|u| u.status == Status::Resolved));
            match resolution {
                Some(u) => *end = Some(u.at.max(start)),
                None => self.report.error(
                    Code::ResolvedWithoutEnd,
                    if written.is_some() { "status" } else { "" },
                    "the incident is resolved but has no `end`",
                    Some("add `end:` with the time it was resolved, or an update with `status: resolved`".into()),
                ),
            }
        }
        written
    }
}
