//! The services an incident file says were hit: each one's id against status.yaml, its impact,
//! its window (`from` … `restored`, inside the incident's `start` … `end`) and the stages
//! strictly inside that window.
//!
//! Never flattens or weighs impacts: that is `model::uptime`'s.

use super::Check;
use crate::error::Code;
use crate::load::raw::{RawAffected, RawStage};
use crate::load::words::{IMPACT, unknown_service_help};
use crate::model::{Affected, Impact, Kind, Stage, Time};
use std::collections::HashSet;

impl Check<'_> {
    /// The services that read whole; a service listed twice, a missing impact or a window
    /// outside the incident's is an error.
    pub(super) fn services(
        &mut self,
        kind: Kind,
        start: Time,
        end: Option<Time>,
        raw: Vec<RawAffected>,
    ) -> Vec<Affected> {
        let mut seen = HashSet::new();
        let mut out = Vec::with_capacity(raw.len());
        for (i, a) in raw.into_iter().enumerate() {
            let path = format!("services[{i}]");
            self.known_service(&format!("{path}.id"), &a.id);
            if !seen.insert(a.id.clone()) {
                self.report.error(
                    Code::ServiceListedTwice,
                    &format!("{path}.id"),
                    format!("service `{}` is listed twice in this incident", a.id),
                    Some("use `stages` for a service whose impact changed over time".into()),
                );
            }
            let impact = match (a.impact.as_deref(), kind) {
                (Some(word), _) => self.report.one_of(&format!("{path}.impact"), word, &IMPACT),
                (None, Kind::Maintenance) => Some(Impact::UnderMaintenance),
                (None, Kind::Incident) => {
                    self.report.error(
                        Code::MissingField,
                        &path,
                        "missing key `impact`",
                        Some("add `impact:` (degraded_performance | partial_outage | major_outage | under_maintenance)".into()),
                    );
                    None
                }
            };
            let from = match a.from.as_deref() {
                Some(t) => self.time(&format!("{path}.from"), t, kind).inspect(|&f| {
                    self.window_rule(
                        &format!("{path}.from"),
                        f < start,
                        "`from` is before the incident's start",
                    );
                    self.window_rule(
                        &format!("{path}.from"),
                        end.is_some_and(|e| f > e),
                        "`from` is after the incident's end",
                    );
                }),
                None => Some(start),
            };
            let restored = a
                .restored
                .as_deref()
                .and_then(|t| self.time(&format!("{path}.restored"), t, kind));
            if let (Some(f), Some(r)) = (from, restored) {
                self.window_rule(
                    &format!("{path}.restored"),
                    r < f,
                    "`restored` is before the service was hit (`from`)",
                );
            }
            if let (Some(r), Some(e)) = (restored, end) {
                self.window_rule(
                    &format!("{path}.restored"),
                    r > e,
                    "`restored` is after the incident's `end`",
                );
            }
            let window_end = restored.or(end);
            let stages = self.stages(&path, kind, from, window_end, a.stages);
            let note = a.note.map(|n| self.text(&format!("{path}.note"), n, false));
            if let (Some(impact), Some(from)) = (impact, from) {
                out.push(Affected {
                    id: a.id,
                    impact,
                    from,
                    stages,
                    restored,
                    note,
                });
            }
        }
        out
    }

    fn window_rule(&mut self, path: &str, broken: bool, message: &str) {
        if broken {
            self.report.error(
                Code::ServiceWindow,
                path,
                message,
                Some("a service's window runs from `from` (not before `start`) to `restored` (not after `end`)".into()),
            );
        }
    }

    /// An id status.yaml does not list is an error; unchecked when status.yaml did not parse.
    fn known_service(&mut self, path: &str, id: &str) {
        let Some(context) = self.context else { return };
        if context.service_ids().any(|s| s == id) {
            return;
        }
        let help = unknown_service_help(id, context.service_ids());
        self.report.error(
            Code::UnknownService,
            path,
            format!("unknown service \"{id}\""),
            Some(help),
        );
    }

    fn stages(
        &mut self,
        service_path: &str,
        kind: Kind,
        from: Option<Time>,
        window_end: Option<Time>,
        raw: Vec<RawStage>,
    ) -> Vec<Stage> {
        let mut out: Vec<Stage> = Vec::with_capacity(raw.len());
        for (j, s) in raw.into_iter().enumerate() {
            let path = format!("{service_path}.stages[{j}]");
            let at = self.time(&format!("{path}.at"), &s.at, kind);
            let impact = self
                .report
                .one_of(&format!("{path}.impact"), &s.impact, &IMPACT);
            let note = s.note.map(|n| self.text(&format!("{path}.note"), n, true));
            let Some(at) = at else { continue };
            let after = out.last().map(|p| p.at).or(from);
            if after.is_some_and(|a| at <= a) {
                let (code, what) = if out.is_empty() {
                    (
                        Code::StageOutsideWindow,
                        "the start of the service's impact (its `from`, else the incident's `start`)",
                    )
                } else {
                    (Code::StagesOutOfOrder, "the stage before it")
                };
                self.report.error(
                    code,
                    &format!("{path}.at"),
                    format!("stage #{} is not after {what}", j + 1),
                    Some("stages lie strictly inside the service's window, in time order".into()),
                );
            } else if window_end.is_some_and(|e| at >= e) {
                self.report.error(
                    Code::StageOutsideWindow,
                    &format!("{path}.at"),
                    format!("stage #{} is not before the service was restored", j + 1),
                    Some("stages lie strictly inside the service's window; the last one ends at `restored` (or `end`)".into()),
                );
            }
            if let Some(impact) = impact {
                out.push(Stage { at, impact, note });
            }
        }
        out
    }
}
