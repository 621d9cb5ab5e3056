//! Statuspage's JSON shapes, field for field and in its order, and its value formats: the
//! timestamp (`stamp`), the 12-character id (`api_id`) and the file writer (`json_file`).
//!
//! These structs are the contract with existing clients; they never reuse model structs, so
//! renaming a model field cannot break a client. Never touches the disk.

use super::OutputFile;
use crate::model::{Site, Time};
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

#[derive(Serialize)]
pub(super) struct IncidentUpdate {
    pub(super) id: String,
    pub(super) status: &'static str,
    /// Plain text, as Statuspage's bodies are: Markdown markup and unsafe URLs are gone.
    pub(super) body: String,
    pub(super) incident_id: String,
    pub(super) created_at: String,
    pub(super) updated_at: String,
    pub(super) display_at: String,
    /// We do not know which component an update changed, so we say nothing rather than guess.
    pub(super) affected_components: Option<Vec<()>>,
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
    pub(super) incident_updates: Vec<IncidentUpdate>,
    pub(super) components: Vec<&'a Component<'a>>,
}

#[derive(Serialize)]
pub(super) struct IncidentJson<'a> {
    #[serde(flatten)]
    pub(super) core: Core<'a>,
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

/// A 12-character `[a-z0-9]` id like Statuspage's, the same on every build: FNV-1a 64 of the
/// site's base URL and a namespaced key (`component:api`), so two candor sites never share ids.
pub(super) fn api_id(site: &Site, key: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let bytes = site.config.base_url.bytes().chain([0]).chain(key.bytes());
    for b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    // FNV-1a moves few bits for a change in the last byte (`update:x:1` vs `:2`);
    // splitmix64's finalizer spreads it so neighbouring ids do not look alike.
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^= h >> 31;
    let mut n = h % 36u64.pow(12);
    let mut digits = ['0'; 12];
    for d in digits.iter_mut().rev() {
        *d = char::from_digit((n % 36) as u32, 36).unwrap_or('0');
        n /= 36;
    }
    digits.iter().collect()
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
