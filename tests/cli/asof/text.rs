//! Outputs read as a reader sees them: visible text, the slugs and statuses a page or an API
//! document shows, and the times it states. It only reads; whether a reading is right is for
//! `checks` to say.

use super::seoul;
use candor::model::Time;
use chrono::{DateTime, NaiveDate};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Tags dropped (each counts as a space), whitespace collapsed.
pub(super) fn visible(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            c => out.push(c),
        }
    }
    collapse(&out)
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// XML content unescaped once: a feed's `content` is escaped HTML.
pub(super) fn unxml(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Every string of a JSON document, one per line.
fn json_strings(v: &Value, out: &mut String) {
    match v {
        Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        Value::Array(list) => list.iter().for_each(|x| json_strings(x, out)),
        Value::Object(map) => map.values().for_each(|x| json_strings(x, out)),
        _ => {}
    }
}

/// The text a reader of the output file `rel` sees; `None` for files that are not text.
pub(super) fn readable(rel: &str, raw: &str) -> Option<String> {
    let ext = rel.rsplit('.').next().unwrap_or("");
    if rel.starts_with("static/") || rel.starts_with('.') {
        return None;
    }
    Some(match ext {
        "html" | "svg" => visible(raw),
        "atom" | "rss" | "xml" => visible(&unxml(raw)),
        "json" => {
            let v: Value = serde_json::from_str(raw).unwrap_or_else(|e| panic!("{rel}: {e}"));
            let mut out = String::new();
            json_strings(&v, &mut out);
            collapse(&out)
        }
        "ics" => collapse(
            &raw.replace("\r\n ", "")
                .replace("\\n", " ")
                .replace("\\,", ",")
                .replace("\\;", ";"),
        ),
        _ => collapse(raw),
    })
}

/// `text` with `{name}` placeholders filled.
pub(super) fn fill(text: &str, pairs: &[(&str, &str)]) -> String {
    let mut out = text.to_owned();
    for (name, value) in pairs {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Reading the outputs.

pub(super) fn between<'a>(text: &'a str, from: &str, to: &str) -> Option<&'a str> {
    let start = text.find(from)? + from.len();
    let rest = &text[start..];
    rest.find(to).map(|end| &rest[..end])
}

/// The slug of an API incident or window, from its shortlink.
pub(super) fn slug_of(x: &Value) -> String {
    let link = x["shortlink"].as_str().unwrap_or("");
    let slug = link.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    slug.to_owned()
}

pub(super) fn slugs(list: &Value) -> BTreeSet<String> {
    list.as_array().into_iter().flatten().map(slug_of).collect()
}

/// The incidents linked from the front page's section headed `heading` (`active-h`, …).
pub(super) fn section_slugs(index: &str, heading: &str) -> BTreeSet<String> {
    let Some(start) = index.find(&format!("aria-labelledby=\"{heading}\"")) else {
        return BTreeSet::new();
    };
    let rest = &index[start..];
    let section = &rest[..rest.find("</section>").unwrap_or(rest.len())];
    (section.split("href=\"incidents/").skip(1))
        .filter_map(|s| s.split('/').next())
        .map(str::to_owned)
        .collect()
}

/// Each service on the front page, by name: the status word of its `lvl-` mark.
pub(super) fn front_services(index: &str) -> BTreeMap<String, String> {
    (index.split("<a class=\"service-name\"").skip(1))
        .filter_map(|chunk| {
            let name = between(chunk, ">", "</a>")?;
            let status = between(chunk, "class=\"status lvl-", "\"")?;
            Some((name.replace("&amp;", "&"), status.to_owned()))
        })
        .collect()
}

/// The status word of an incident page's header badge.
pub(super) fn page_status(page: &str) -> Option<&str> {
    let head = &page[page.find("class=\"incident-head")?..];
    between(head, "class=\"badge st-", "\"")
}

/// `<time datetime>` values, read as instants (a bare date: its midnight in Seoul).
pub(super) fn datetimes(html: &str) -> Vec<(String, Option<Time>)> {
    (html.split("datetime=\"").skip(1))
        .filter_map(|s| s.split('"').next())
        .map(|s| (s.to_owned(), parse_time(s)))
        .collect()
}

pub(super) fn parse_time(s: &str) -> Option<Time> {
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let midnight = d.and_hms_opt(0, 0, 0)?.and_local_timezone(seoul());
        return midnight.single().map(|t| t.to_utc());
    }
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.to_utc())
}

/// The page without its expected-end marks (`<span class="expected">…</span>`).
pub(super) fn without_expected(html: &str) -> String {
    let mut out = html.to_owned();
    let open = "<span class=\"expected\">";
    while let Some(k) = out.find(open) {
        let end = out[k..].find("</span>").map_or(out.len(), |e| k + e + 7);
        out.replace_range(k..end, "");
    }
    out
}

/// Every timestamp of a JSON document under a key that says when something happened or was
/// posted (not a window's planned `scheduled_for`/`scheduled_until`).
pub(super) fn json_stamps(v: &Value, out: &mut Vec<(String, String)>) {
    const KEYS: [&str; 6] = [
        "created_at",
        "updated_at",
        "resolved_at",
        "display_at",
        "monitoring_at",
        "started_at",
    ];
    match v {
        Value::Array(list) => list.iter().for_each(|x| json_stamps(x, out)),
        Value::Object(map) => {
            for (k, x) in map {
                if let (true, Value::String(s)) = (KEYS.contains(&k.as_str()), x) {
                    out.push((k.clone(), s.clone()));
                }
                json_stamps(x, out);
            }
        }
        _ => {}
    }
}
