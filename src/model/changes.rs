//! What each update of an incident says about the services it hits, as Statuspage's
//! `affected_components` do: every service the incident has hit by the update's time, with its
//! status at the previous update and at this one. Stages and restorations that fall between two
//! updates show at the next one (Statuspage changes a component's status with an update), so an
//! unchanged service is listed too (`old` = `new`), as real pages list it.
//!
//! Pure arithmetic on one incident as it stood at an instant (`State`'s incidents), never the
//! clock; never imports load or render.

use super::state::ended_at;
use super::{Affected, Impact, Incident, Kind, Time};

/// One service's status at an update: before it (at the previous update) and after it.
/// `None` is operational.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceChange<'a> {
    pub service: &'a str,
    pub old: Option<Impact>,
    pub new: Option<Impact>,
}

/// For each of `i`'s updates, in its order (oldest first), the services it lists; empty when
/// the incident had hit none yet. `now`: the instant `i` stands at, for a window's end.
pub fn update_changes(i: &Incident, now: Time) -> Vec<Vec<ServiceChange<'_>>> {
    let mut previous: Option<Time> = None;
    let mut out = Vec::with_capacity(i.updates.len());
    for u in &i.updates {
        let listed = i.services.iter().filter(|a| listed_at(i, a, u.at));
        out.push(
            listed
                .map(|a| ServiceChange {
                    service: &a.id,
                    old: previous.and_then(|p| status_at(i, a, p, now)),
                    new: status_at(i, a, u.at, now),
                })
                .collect(),
        );
        previous = Some(u.at);
    }
    out
}

/// Whether an update at `at` lists `a`: an incident lists a service from the time it was hit;
/// a maintenance window lists its services from its announcement on, as Statuspage lists a
/// window's components (operational until the work starts).
fn listed_at(i: &Incident, a: &Affected, at: Time) -> bool {
    i.kind == Kind::Maintenance || a.from <= at
}

/// The impact `i` has on `a` at `t`: from its `from`, through its stages, until it is
/// restored (or the incident or window ended). `None`: operational.
pub fn status_at(i: &Incident, a: &Affected, t: Time, now: Time) -> Option<Impact> {
    let back = a.restored.or_else(|| ended_at(i, now));
    if t < a.from || back.is_some_and(|r| r <= t) {
        return None;
    }
    let stage = a.stages.iter().rev().find(|s| s.at <= t);
    Some(stage.map_or(a.impact, |s| s.impact))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Stage, Status, Text, Update};
    use chrono::{TimeZone, Utc};

    fn t(h: u32) -> Time {
        Utc.with_ymd_and_hms(2022, 10, 15, h, 0, 0)
            .single()
            .expect("valid")
    }

    fn update(h: u32, status: Status) -> Update {
        let message = Text::new(String::new(), false);
        Update {
            id: None,
            at: t(h),
            status,
            message,
        }
    }

    fn affected(id: &str, from: u32, stages: &[(u32, Impact)], restored: Option<u32>) -> Affected {
        Affected {
            id: id.to_owned(),
            impact: Impact::MajorOutage,
            from: t(from),
            stages: (stages.iter())
                .map(|&(h, impact)| Stage {
                    at: t(h),
                    impact,
                    note: None,
                })
                .collect(),
            restored: restored.map(t),
            note: None,
        }
    }

    fn incident(services: Vec<Affected>, updates: Vec<Update>, end: Option<u32>) -> Incident {
        Incident {
            slug: "fire".into(),
            id: None,
            id_written: None,
            title: "Fire".into(),
            kind: Kind::Incident,
            severity: None,
            start: t(1),
            end: end.map(t),
            expected_end: None,
            written_status: None,
            status: if end.is_some() {
                Status::Resolved
            } else {
                Status::Identified
            },
            summary: None,
            cause: None,
            services,
            updates,
            apologies: vec![],
            statements: vec![],
            leadership: vec![],
            compensation: vec![],
            commitments: vec![],
            postmortem: None,
            postmortem_url: None,
            sources: vec![],
            draft: false,
            translations: Default::default(),
            last_dated: t(1),
        }
    }

    #[test]
    fn stages_between_updates_show_at_the_next_update_and_unchanged_services_stay_listed() {
        use Impact::{
            DegradedPerformance as Degraded, MajorOutage as Major, PartialOutage as Partial,
        };
        let i = incident(
            vec![
                affected("talk", 1, &[(3, Partial), (5, Degraded)], Some(7)),
                affected("mail", 4, &[], None),
            ],
            vec![
                update(2, Status::Investigating),
                update(6, Status::Identified),
                update(8, Status::Resolved),
            ],
            Some(8),
        );
        let changes = update_changes(&i, t(12));
        let c = |service, old, new| ServiceChange { service, old, new };
        assert_eq!(changes[0], vec![c("talk", None, Some(Major))]);
        // Two stages of talk before 06:00 collapse into one change; mail was hit at 04:00.
        assert_eq!(
            changes[1],
            vec![
                c("talk", Some(Major), Some(Degraded)),
                c("mail", None, Some(Major))
            ]
        );
        // talk came back at 07:00, mail with the incident's end at 08:00.
        assert_eq!(
            changes[2],
            vec![
                c("talk", Some(Degraded), None),
                c("mail", Some(Major), None)
            ]
        );
    }

    #[test]
    fn an_update_before_any_service_is_hit_lists_none() {
        let i = incident(
            vec![affected("talk", 3, &[], None)],
            vec![update(2, Status::Investigating)],
            None,
        );
        assert_eq!(update_changes(&i, t(12)), vec![vec![]]);
    }
}
