//! Statuspage's JSON shapes, field for field and in its order, and its value formats: the
//! timestamp (`stamp`) and the file writer (`json_file`); ids are `model::ids`'.
//!
//! These structs are the contract with existing clients; they never reuse model structs, so
//! renaming a model field cannot break a client. Never touches the disk.

use super::OutputFile;
use crate::model::Time;
use chrono::Offset;
use chrono_tz::Tz;
use serde::Serialize;

/// The status page itself, at the top of every endpoint.
#[derive(Serialize)]
pub(super) struct Page<'a> {
    pub(super) id: String,
    pub(super) name: &'a str,
    pub(super) url: &'a str,
    pub(super) time_zone: &'a str,
    pub(super) updated_at: String,
}

/// The overall status: Statuspage's indicator word and its fixed English description.
#[derive(Serialize)]
pub(super) struct PageStatus {
    pub(super) indicator: &'static str,
    pub(super) description: &'static str,
}

/// A component or a component group: Statuspage lists both in one flat array.
#[derive(Serialize)]
pub(super) struct Component<'a> {
    pub(super) id: String,
    pub(super) name: &'a str,
    pub(super) status: &'static str,
    pub(super) created_at: String,
    pub(super) updated_at: String,
    pub(super) position: usize,
    pub(super) description: Option<&'a str>,
    pub(super) showcase: bool,
    pub(super) start_date: Option<String>,
    pub(super) group_id: Option<String>,
    pub(super) page_id: String,
    pub(super) group: bool,
    pub(super) only_show_if_degraded: bool,
    /// Only group rows carry their children's ids.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) components: Option<Vec<String>>,
}

/// One component in an update: Statuspage names its id `code`.
#[derive(Serialize)]
pub(super) struct AffectedComponent<'a> {
    pub(super) code: String,
    pub(super) name: &'a str,
    pub(super) old_status: &'static str,
    pub(super) new_status: &'static str,
}

#[derive(Serialize)]
pub(super) struct IncidentUpdate<'a> {
    pub(super) id: String,
    pub(super) status: &'static str,
    /// Plain text, as Statuspage's bodies are: Markdown markup and unsafe URLs are gone.
    pub(super) body: String,
    pub(super) incident_id: String,
    pub(super) created_at: String,
    pub(super) updated_at: String,
    pub(super) display_at: String,
    /// Every service the incident had hit by then, with its status at the previous update
    /// and at this one (`model::changes`); null when it had hit none, as Statuspage writes it.
    pub(super) affected_components: Option<Vec<AffectedComponent<'a>>>,
    pub(super) deliver_notifications: bool,
    pub(super) custom_tweet: Option<String>,
    pub(super) tweet_id: Option<String>,
}

/// The fields incidents and scheduled maintenances share, in Statuspage's order.
#[derive(Serialize)]
pub(super) struct Core<'a> {
    pub(super) id: String,
    pub(super) name: &'a str,
    pub(super) status: &'static str,
    pub(super) created_at: String,
    pub(super) updated_at: String,
    pub(super) monitoring_at: Option<String>,
    pub(super) resolved_at: Option<String>,
    pub(super) impact: &'static str,
    pub(super) shortlink: String,
    pub(super) started_at: String,
    pub(super) page_id: &'a str,
    pub(super) incident_updates: Vec<IncidentUpdate<'a>>,
    pub(super) components: Vec<&'a Component<'a>>,
}

#[derive(Serialize)]
pub(super) struct IncidentJson<'a> {
    #[serde(flatten)]
    pub(super) core: Core<'a>,
    /// Statuspage's management fields for a published postmortem, only where there is one:
    /// the text (plain, a `postmortem_url` after it) and when the page first showed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) postmortem_body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) postmortem_published_at: Option<String>,
    /// A field Statuspage leaks from its management model (githubstatus, 2024); always null.
    pub(super) reminder_intervals: Option<Vec<u32>>,
}

#[derive(Serialize)]
pub(super) struct MaintenanceJson<'a> {
    #[serde(flatten)]
    pub(super) core: Core<'a>,
    pub(super) scheduled_for: String,
    pub(super) scheduled_until: String,
}

/// Every endpoint's top level: a subset of `summary.json`'s keys, in its order.
#[derive(Serialize)]
pub(super) struct Envelope<'a> {
    pub(super) page: &'a Page<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) components: Option<&'a [Component<'a>]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) incidents: Option<&'a [IncidentJson<'a>]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) scheduled_maintenances: Option<&'a [MaintenanceJson<'a>]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) status: Option<&'a PageStatus>,
}

/// Statuspage's timestamp: milliseconds, and the page zone's offset at that instant,
/// `Z` when it is zero (`2022-10-15T15:30:00.000+09:00`, `2024-09-16T21:31:02.719Z`).
pub(super) fn stamp(t: Time, tz: Tz) -> String {
    let local = t.with_timezone(&tz);
    if local.offset().fix().local_minus_utc() == 0 {
        t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
    } else {
        local.format("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string()
    }
}

/// The file `api/v2/{path}`: `value` as compact JSON in its struct order, with `<`, `>` and `&`
/// as `\u` escapes, ending in a newline.
pub(super) fn json_file(path: &str, value: &impl Serialize) -> OutputFile {
    let json = serde_json::to_string(value)
        .expect("API structs hold only strings, numbers, bools and lists");
    // `<`, `>` and `&` only occur inside strings, where `\u003c` means the same: a JSON file
    // pasted into a page can then never open a tag.
    let mut bytes = json
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .into_bytes();
    bytes.push(b'\n');
    OutputFile {
        path: format!("api/v2/{path}"),
        bytes,
    }
}
