//! The sample site built in-process as of many instants (format.md, "As of the build time"):
//! every output tells the same state, and nothing dated after the instant appears anywhere.
//!
//! What is dated comes from the site as written (`candor::check`); what each instant should
//! show is worked out here from the format's rules, never from candor's own `State`.

use crate::support::*;
use candor::model::{Impact, Incident, Kind, Severity, Site, Status, Time};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const FIRE: &str = "2022-10-15-pangyo-data-center-fire";
const WINDOW: &str = "2022-08-23-mail-storage-maintenance";

fn t(s: &str) -> Time {
    DateTime::parse_from_rfc3339(s)
        .unwrap_or_else(|e| panic!("{s}: {e}"))
        .to_utc()
}

/// A KST wall-clock time of the sample: `kst("2022-10-15T15:30")`.
fn kst(s: &str) -> Time {
    t(&format!("{s}:00+09:00"))
}

fn seoul() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).expect("KST")
}

/// An instant as messages name it.
fn show(at: Time) -> String {
    at.with_timezone(&seoul())
        .format("%Y-%m-%dT%H:%M%:z")
        .to_string()
}

/// Every 9 hours across the fire and the days after (so the instants fall at every time of
/// day: a build takes a few hundred milliseconds in debug), the maintenance window's
/// announcement and phases, and the minutes around the fire's start and end.
fn instants() -> Vec<Time> {
    let mut out: Vec<Time> = (0..=26)
        .map(|k| kst("2022-10-15T12:00") + Duration::hours(9 * k))
        .collect();
    let edges = [
        "2022-08-16T09:00",
        "2022-08-16T10:00",
        "2022-08-23T01:59",
        "2022-08-23T02:00",
        "2022-08-23T03:00",
        "2022-08-23T04:39",
        "2022-08-23T04:41",
        "2022-08-23T05:00",
        "2022-08-23T05:01",
        "2022-10-15T15:29",
        "2022-10-15T15:30",
        "2022-10-15T15:31",
        "2022-10-20T22:59",
        "2022-10-20T23:00",
        "2022-10-20T23:01",
    ];
    out.extend(edges.map(kst));
    out.sort();
    out.dedup();
    out
}

fn options(root: &Path, output: PathBuf, now: Time) -> candor::Options {
    candor::Options {
        root: root.to_path_buf(),
        output,
        base_url: None,
        now,
        clock: now,
        drafts: false,
        strict: false,
    }
}

/// The sample site (a private copy), as written, with the snippets of its dated entries.
struct Sample {
    root: tempfile::TempDir,
    written: Site,
    strings: Value,
    snippets: Vec<Snippet>,
}

/// A distinctive run of words of one dated entry, as a reader sees it.
struct Snippet {
    slug: String,
    at: Time,
    what: String,
    text: String,
    update: bool,
}

/// Built as of `at` into a folder of its own.
struct Built {
    at: Time,
    _dir: tempfile::TempDir,
    out: PathBuf,
}

impl Sample {
    fn new() -> Sample {
        let root = tempfile::tempdir().expect("tempdir");
        copy_dir(&repo().join("incidents"), &root.path().join("incidents"));
        std::fs::copy(repo().join("status.yaml"), root.path().join("status.yaml")).expect("copy");
        let late = kst("2023-06-01T00:00");
        let unused = root.path().join("never-written");
        let written = candor::check(&options(root.path(), unused, late))
            .unwrap_or_else(|e| panic!("the sample loads: {e}"))
            .site;
        let en = read(&repo().join("themes/default/i18n/en.yaml"));
        let strings: Value = yaml_serde::from_str(&en).expect("en.yaml");
        let snippets = snippets(&written, &strings);
        Sample {
            root,
            written,
            strings,
            snippets,
        }
    }

    fn build(&self, at: Time) -> Built {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("public");
        candor::build(&options(self.root.path(), out.clone(), at))
            .unwrap_or_else(|e| panic!("build as of {}: {e}", show(at)));
        Built { at, _dir: dir, out }
    }

    /// A UI string of the default theme's English.
    fn word(&self, key: &str) -> &str {
        self.strings[key]
            .as_str()
            .unwrap_or_else(|| panic!("en.yaml has no {key}"))
    }

    fn incident(&self, slug: &str) -> &Incident {
        (self.written.incidents.iter())
            .find(|i| i.slug == slug)
            .unwrap_or_else(|| panic!("the sample has {slug}"))
    }
}

impl Built {
    fn raw(&self, rel: &str) -> String {
        read(&self.out.join(rel))
    }

    fn json(&self, rel: &str) -> Value {
        serde_json::from_str(&self.raw(rel))
            .unwrap_or_else(|e| panic!("{} {rel}: {e}", show(self.at)))
    }

    fn exists(&self, rel: &str) -> bool {
        self.out.join(rel).exists()
    }
}

/// Failures collected over a test, so one run reports all of them.
#[derive(Default)]
struct Report(Vec<String>);

impl Report {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.0.push(what());
        }
    }

    fn finish(self) {
        let shown: Vec<&str> = self.0.iter().take(60).map(String::as_str).collect();
        assert!(
            self.0.is_empty(),
            "{} failed checks (first {}):\n{}",
            self.0.len(),
            shown.len(),
            shown.join("\n")
        );
    }
}

// ---------------------------------------------------------------------------------------------
// What the format says each instant shows, from the site as written.

/// Whether the public could see `i` at `at`: an incident from its start, a window from its
/// first update (its announcement).
fn published(i: &Incident, at: Time) -> bool {
    match i.kind {
        Kind::Incident => i.start <= at,
        Kind::Maintenance => i.updates.first().is_none_or(|u| u.at <= at),
    }
}

/// The status word of `i` at `at`: an incident is resolved once its end has passed, else it
/// has the latest open status posted; a window runs by its own times, and a `completed` post
/// closes it early (the sample's window posts nothing that goes backwards).
fn status_at(i: &Incident, at: Time) -> &'static str {
    let posted: Vec<Status> = (i.updates.iter())
        .filter(|u| u.at <= at)
        .map(|u| u.status)
        .collect();
    match i.kind {
        Kind::Incident if i.end.is_some_and(|e| e <= at) => "resolved",
        Kind::Incident => (posted.iter().rev())
            .find(|s| **s != Status::Resolved)
            .map_or("investigating", |s| s.as_str()),
        Kind::Maintenance => {
            if posted.contains(&Status::Completed) || i.end.is_some_and(|e| e <= at) {
                "completed"
            } else if i.start <= at || posted.contains(&Status::InProgress) {
                "in_progress"
            } else {
                "scheduled"
            }
        }
    }
}

/// Whether `i` is unresolved (an incident) or running (a window) at `at`.
fn hitting(i: &Incident, at: Time) -> bool {
    published(i, at)
        && match i.kind {
            Kind::Incident => status_at(i, at) != "resolved",
            Kind::Maintenance => status_at(i, at) == "in_progress",
        }
}

/// The current impact of `i` on service `id` at `at`, if it hits it then.
fn impact_of(i: &Incident, id: &str, at: Time) -> Option<Impact> {
    if !hitting(i, at) {
        return None;
    }
    let a = i.services.iter().find(|a| a.id == id)?;
    if a.from > at || a.restored.is_some_and(|r| r <= at) {
        return None;
    }
    let stage = a.stages.iter().rev().find(|s| s.at <= at);
    Some(stage.map_or(a.impact, |s| s.impact))
}

/// A service's status word: the worst impact of what hits it now.
fn service_status(site: &Site, id: &str, at: Time) -> &'static str {
    (site.incidents.iter())
        .filter_map(|i| impact_of(i, id, at))
        .max()
        .map_or("operational", Impact::as_str)
}

/// Statuspage's indicator: the worst severity and current impact of the unresolved incidents;
/// `maintenance` when a running window is all that is going on.
fn indicator_at(site: &Site, at: Time) -> &'static str {
    let words = ["none", "maintenance", "minor", "major", "critical"];
    let mut worst = 0;
    for i in site.incidents.iter().filter(|i| hitting(i, at)) {
        if i.kind == Kind::Maintenance {
            worst = worst.max(1);
            continue;
        }
        let severity = match i.severity {
            Some(Severity::Critical) => 4,
            Some(Severity::Major) => 3,
            Some(Severity::Minor) => 2,
            None => 0,
        };
        worst = worst.max(severity);
        for a in &i.services {
            worst = worst.max(match impact_of(i, &a.id, at) {
                Some(Impact::MajorOutage) => 3,
                Some(Impact::PartialOutage | Impact::DegradedPerformance) => 2,
                _ => 0,
            });
        }
    }
    words[worst]
}

// ---------------------------------------------------------------------------------------------
// Text as a reader sees it.

/// Tags dropped (each counts as a space), whitespace collapsed.
fn visible(html: &str) -> String {
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
fn unxml(text: &str) -> String {
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
fn readable(rel: &str, raw: &str) -> Option<String> {
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
fn fill(text: &str, pairs: &[(&str, &str)]) -> String {
    let mut out = text.to_owned();
    for (name, value) in pairs {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The dated entries of the written site, and a snippet of each that nothing else says.

/// One dated entry: its prose as rendered, or (`label`) the title its timeline line carries.
struct Dated {
    slug: String,
    at: Time,
    what: String,
    text: String,
    label: bool,
    update: bool,
}

fn dated(site: &Site, strings: &Value) -> Vec<Dated> {
    let word = |key: &str| strings[key].as_str().unwrap_or(key).to_owned();
    let mut out = Vec::new();
    for i in &site.incidents {
        let mut push = |at: Time, what: String, text: String, label: bool, update: bool| {
            out.push(Dated {
                slug: i.slug.clone(),
                at,
                what,
                text,
                label,
                update,
            });
        };
        for u in &i.updates {
            let what = format!("the {} update of {}", u.status.as_str(), show(u.at));
            push(
                u.at,
                what,
                visible(candor::markdown::html(&u.message).as_str()),
                false,
                true,
            );
        }
        for a in &i.services {
            let name = site.service(&a.id).map_or(a.id.as_str(), |s| &s.name);
            for s in &a.stages {
                let impact = word(&format!("impact_{}", s.impact.as_str())).to_lowercase();
                let title = fill(
                    &word("timeline_stage"),
                    &[("service", name), ("impact", &impact)],
                );
                let what = format!("{name}'s stage of {}", show(s.at));
                if let Some(note) = &s.note {
                    let text = visible(candor::markdown::html(note).as_str());
                    push(s.at, format!("{what} (note)"), text, false, false);
                }
                push(s.at, format!("{what} (title)"), title, true, false);
            }
            if let Some(r) = a.restored {
                let title = fill(&word("timeline_restored"), &[("service", name)]);
                push(r, format!("{name}'s restoration"), title, true, false);
            }
        }
        for a in &i.apologies {
            let what = format!("the apology by {} of {}", a.by, show(a.at));
            let title = fill(&word("timeline_apology"), &[("by", &a.by)]);
            push(
                a.at,
                what.clone(),
                visible(candor::markdown::html(&a.statement).as_str()),
                false,
                false,
            );
            push(a.at, format!("{what} (title)"), title, true, false);
        }
        for l in &i.leadership {
            let change = word(&format!("change_{}", l.change.as_str()));
            let title = fill(
                &word("timeline_leadership"),
                &[
                    ("person", &l.person),
                    ("role", &l.role),
                    ("change", &change),
                ],
            );
            let what = format!("{}'s leadership change of {}", l.person, show(l.at.at));
            if let Some(note) = &l.note {
                push(
                    l.at.at,
                    what.clone(),
                    visible(candor::markdown::html(note).as_str()),
                    false,
                    false,
                );
            }
            push(l.at.at, format!("{what} (title)"), title, true, false);
        }
        for c in &i.compensation {
            let Some(at) = c.at else { continue };
            let what = format!("the compensation for {} of {}", c.for_whom, show(at.at));
            let title = fill(&word("timeline_compensation"), &[("for", &c.for_whom)]);
            push(
                at.at,
                what.clone(),
                visible(candor::markdown::html(&c.description).as_str()),
                false,
                false,
            );
            push(at.at, format!("{what} (title)"), title, true, false);
        }
    }
    out
}

/// What the site may show at any instant: titles, summaries, causes, notes, and what is shown
/// once an incident is over (commitments, postmortem, undated compensation).
fn undated(site: &Site) -> String {
    let mut out = vec![site.config.title.clone()];
    out.extend(site.config.description.iter().cloned());
    for s in &site.services {
        out.push(s.name.clone());
        out.extend(s.group.iter().cloned());
        out.extend(s.description.iter().cloned());
    }
    for i in &site.incidents {
        out.push(i.title.clone());
        let texts = [&i.summary, &i.cause, &i.postmortem]
            .into_iter()
            .flatten()
            .chain(i.services.iter().filter_map(|a| a.note.as_ref()))
            .chain(i.commitments.iter().filter_map(|c| c.note.as_ref()))
            .chain((i.compensation.iter().filter(|c| c.at.is_none())).map(|c| &c.description));
        out.extend(texts.map(|x| visible(candor::markdown::html(x).as_str())));
        out.extend(i.commitments.iter().map(|c| c.what.clone()));
        out.extend(i.compensation.iter().map(|c| c.for_whom.clone()));
        out.extend(i.sources.iter().map(|s| s.title.clone()));
    }
    out.join(" ¦ ")
}

/// For each dated entry, a run of 3 to 6 plain words (letters and digits only, so Markdown,
/// escaping and punctuation cannot change them) that neither the undated text nor any entry
/// dated earlier contains; for a timeline title, the title itself. Entries with no such run
/// are left out, but every update must have one.
fn snippets(site: &Site, strings: &Value) -> Vec<Snippet> {
    let entries = dated(site, strings);
    let always = undated(site);
    let mut out = Vec::new();
    for e in &entries {
        let earlier: Vec<&str> = (entries.iter())
            .filter(|x| x.at < e.at)
            .map(|x| x.text.as_str())
            .collect();
        let seen = format!("{always} ¦ {}", earlier.join(" ¦ "));
        let fresh = |s: &str| !seen.contains(s);
        let text = if e.label {
            fresh(&e.text).then(|| e.text.clone())
        } else {
            let words: Vec<&str> = e.text.split(' ').collect();
            let plain = |w: &&str| !w.is_empty() && w.chars().all(char::is_alphanumeric);
            (3..=6)
                .rev()
                .flat_map(|n| words.windows(n).map(|w| w.to_vec()).collect::<Vec<_>>())
                .filter(|w| w.iter().all(plain))
                .map(|w| w.join(" "))
                .find(|s| fresh(s))
        };
        assert!(
            text.is_some() || !e.update,
            "{}: {} has no words of its own: {}",
            e.slug,
            e.what,
            e.text
        );
        if let Some(text) = text {
            out.push(Snippet {
                slug: e.slug.clone(),
                at: e.at,
                what: e.what.clone(),
                text,
                update: e.update,
            });
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Reading the outputs.

fn between<'a>(text: &'a str, from: &str, to: &str) -> Option<&'a str> {
    let start = text.find(from)? + from.len();
    let rest = &text[start..];
    rest.find(to).map(|end| &rest[..end])
}

/// The slug of an API incident or window, from its shortlink.
fn slug_of(x: &Value) -> String {
    let link = x["shortlink"].as_str().unwrap_or("");
    let slug = link.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    slug.to_owned()
}

fn slugs(list: &Value) -> BTreeSet<String> {
    list.as_array().into_iter().flatten().map(slug_of).collect()
}

/// The incidents linked from the front page's section headed `heading` (`active-h`, …).
fn section_slugs(index: &str, heading: &str) -> BTreeSet<String> {
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
fn front_services(index: &str) -> BTreeMap<String, String> {
    (index.split("<a class=\"service-name\"").skip(1))
        .filter_map(|chunk| {
            let name = between(chunk, ">", "</a>")?;
            let status = between(chunk, "class=\"status lvl-", "\"")?;
            Some((name.replace("&amp;", "&"), status.to_owned()))
        })
        .collect()
}

/// The status word of an incident page's header badge.
fn page_status(page: &str) -> Option<&str> {
    let head = &page[page.find("class=\"incident-head")?..];
    between(head, "class=\"badge st-", "\"")
}

/// `<time datetime>` values, read as instants (a bare date: its midnight in Seoul).
fn datetimes(html: &str) -> Vec<(String, Option<Time>)> {
    (html.split("datetime=\"").skip(1))
        .filter_map(|s| s.split('"').next())
        .map(|s| (s.to_owned(), parse_time(s)))
        .collect()
}

fn parse_time(s: &str) -> Option<Time> {
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let midnight = d.and_hms_opt(0, 0, 0)?.and_local_timezone(seoul());
        return midnight.single().map(|t| t.to_utc());
    }
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.to_utc())
}

/// The page without its expected-end marks (`<span class="expected">…</span>`).
fn without_expected(html: &str) -> String {
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
fn json_stamps(v: &Value, out: &mut Vec<(String, String)>) {
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

// ---------------------------------------------------------------------------------------------
// The checks of one instant.

fn check_instant(sample: &Sample, b: &Built, r: &mut Report) {
    agreement(sample, b, r);
    nothing_later(sample, b, r);
    times(sample, b, r);
    bars(sample, b, r);
}

/// Every output shows the same indicator, statuses and open incidents, and they are what the
/// format gives for the instant.
fn agreement(sample: &Sample, b: &Built, r: &mut Report) {
    let (site, at, when) = (&sample.written, b.at, show(b.at));
    let status = b.json("api/v2/status.json");
    let summary = b.json("api/v2/summary.json");
    let indicator = status["status"]["indicator"]
        .as_str()
        .unwrap_or("?")
        .to_owned();
    let expected = indicator_at(site, at);
    r.check(indicator == expected, || {
        format!("{when} api/v2/status.json: indicator {indicator}, expected {expected}")
    });
    r.check(summary["status"] == status["status"], || {
        format!(
            "{when} api/v2/summary.json: status {} but status.json says {}",
            summary["status"], status["status"]
        )
    });
    let index = b.raw("index.html");
    r.check(
        index.contains(&format!("class=\"banner banner-{indicator}\"")),
        || format!("{when} index.html: no banner-{indicator}"),
    );
    let banner = between(&index, "<p class=\"banner-text\">", "</p>").unwrap_or("?");
    let words = sample.word(&format!("indicator_{indicator}"));
    r.check(banner == words, || {
        format!("{when} index.html: banner says {banner:?}, indicator {indicator} is {words:?}")
    });
    let badge = b.raw("badge.svg");
    r.check(
        badge.contains(&format!("<title>status: {banner}</title>")),
        || format!("{when} badge.svg does not say {banner:?}: {badge}"),
    );

    // Components: the list, the summary, the front page, the badges, and the format's rules.
    let components = b.json("api/v2/components.json");
    let by_id = |v: &Value| -> BTreeMap<String, String> {
        (v["components"].as_array().into_iter().flatten())
            .map(|c| {
                let id = c["id"].as_str().unwrap_or("?").to_owned();
                (id, c["status"].as_str().unwrap_or("?").to_owned())
            })
            .collect()
    };
    r.check(by_id(&components) == by_id(&summary), || {
        format!("{when} api/v2/components.json and summary.json disagree on component statuses")
    });
    let by_name: BTreeMap<&str, &str> = (components["components"].as_array().into_iter())
        .flatten()
        .filter(|c| c["group"] == false)
        .map(|c| {
            let status = c["status"].as_str().unwrap_or("?");
            (c["name"].as_str().unwrap_or("?"), status)
        })
        .collect();
    let front = front_services(&index);
    for s in &site.services {
        let api = by_name.get(s.name.as_str()).copied().unwrap_or("missing");
        let expected = service_status(site, &s.id, at);
        r.check(api == expected, || {
            format!(
                "{when} api/v2/components.json: {} is {api}, expected {expected}",
                s.name
            )
        });
        let shown = front.get(&s.name).map_or("missing", String::as_str);
        r.check(shown == api, || {
            format!(
                "{when} index.html: {} is lvl-{shown}, components.json says {api}",
                s.name
            )
        });
        let path = format!("services/{}/badge.svg", s.id);
        let words = sample.word(&format!("impact_{api}"));
        let badge = b.raw(&path);
        r.check(
            badge.contains(&format!("<title>{}: {words}</title>", s.name)),
            || format!("{when} {path} does not say {words:?} ({api}): {badge}"),
        );
    }

    // Unresolved incidents: the API, the summary, the front page, the format's rules.
    let unresolved = b.json("api/v2/incidents/unresolved.json");
    let ids = |v: &Value| -> Vec<String> {
        (v.as_array().into_iter().flatten())
            .map(|x| x["id"].as_str().unwrap_or("?").to_owned())
            .collect()
    };
    r.check(
        ids(&unresolved["incidents"]) == ids(&summary["incidents"]),
        || format!("{when} api/v2/incidents/unresolved.json and summary.json list other incidents"),
    );
    for x in unresolved["incidents"].as_array().into_iter().flatten() {
        r.check(
            x["status"] != "resolved" && x["resolved_at"].is_null(),
            || {
                format!(
                    "{when} api/v2/incidents/unresolved.json: {} is {} (resolved_at {})",
                    slug_of(x),
                    x["status"],
                    x["resolved_at"]
                )
            },
        );
    }
    let open: BTreeSet<String> = (site.incidents.iter())
        .filter(|i| i.kind == Kind::Incident && hitting(i, at))
        .map(|i| i.slug.clone())
        .collect();
    let listed = slugs(&unresolved["incidents"]);
    r.check(listed == open, || {
        format!("{when} api/v2/incidents/unresolved.json lists {listed:?}, expected {open:?}")
    });
    let active = section_slugs(&index, "active-h");
    r.check(active == listed, || {
        format!("{when} index.html: current incidents {active:?}, unresolved.json {listed:?}")
    });

    // Maintenance: open windows on the front page; running ones in active.json.
    let windows = slugs(&summary["scheduled_maintenances"]);
    let shown = section_slugs(&index, "maintenance-h");
    r.check(shown == windows, || {
        format!("{when} index.html: maintenance {shown:?}, summary.json {windows:?}")
    });
    let running = b.json("api/v2/scheduled-maintenances/active.json");
    let running = running["scheduled_maintenances"].as_array().cloned();
    let running = running.unwrap_or_default();
    r.check(running.iter().all(|w| w["status"] == "in_progress"), || {
        format!("{when} api/v2/scheduled-maintenances/active.json holds a window not in progress")
    });
    // A running window shows as `maintenance` unless an incident outranks it.
    let agrees = (indicator != "maintenance" || !running.is_empty())
        && (running.is_empty() || indicator != "none");
    r.check(agrees, || {
        let n = running.len();
        format!("{when} scheduled-maintenances/active.json: {n} windows, indicator {indicator}")
    });

    // Each published incident: its status on its page and in the API, as the format says.
    let list = |path: &str, key: &str| -> BTreeMap<String, Value> {
        let v = b.json(path);
        (v[key].as_array().into_iter().flatten())
            .map(|x| (slug_of(x), x.clone()))
            .collect()
    };
    let incidents = list("api/v2/incidents.json", "incidents");
    let maintenances = list(
        "api/v2/scheduled-maintenances.json",
        "scheduled_maintenances",
    );
    for i in site.incidents.iter().filter(|i| published(i, at)) {
        let expected = status_at(i, at);
        let page_path = format!("incidents/{}/index.html", i.slug);
        let Some(page) = b.exists(&page_path).then(|| b.raw(&page_path)) else {
            r.check(false, || format!("{when} {page_path} is missing"));
            continue;
        };
        let on_page = page_status(&page).unwrap_or("none");
        r.check(on_page == expected, || {
            format!("{when} {page_path}: status st-{on_page}, expected {expected}")
        });
        let (file, entries) = match i.kind {
            Kind::Incident => ("api/v2/incidents.json", &incidents),
            Kind::Maintenance => ("api/v2/scheduled-maintenances.json", &maintenances),
        };
        let Some(x) = entries.get(&i.slug) else {
            r.check(false, || format!("{when} {file} does not list {}", i.slug));
            continue;
        };
        r.check(x["status"] == expected, || {
            format!(
                "{when} {file}: {} is {}, expected {expected}",
                i.slug, x["status"]
            )
        });
        let resolved = matches!(expected, "resolved" | "completed");
        r.check(x["resolved_at"].is_null() != resolved, || {
            format!(
                "{when} {file}: {} is {expected} with resolved_at {}",
                i.slug, x["resolved_at"]
            )
        });
    }
}

/// Nothing dated after the instant appears in any output; what is dated at or before it
/// appears on its incident page (and an update in the feeds and the API too); an incident not
/// yet published appears nowhere.
fn nothing_later(sample: &Sample, b: &Built, r: &mut Report) {
    let (site, at, when) = (&sample.written, b.at, show(b.at));
    let files: Vec<(String, String, String)> = (files(&b.out).into_iter())
        .filter_map(|rel| {
            let raw = std::fs::read_to_string(b.out.join(&rel)).ok()?;
            let text = readable(&rel, &raw)?;
            Some((rel, raw, text))
        })
        .collect();
    let text_of = |rel: &str| -> &str {
        (files.iter().find(|(p, _, _)| p == rel)).map_or("", |(_, _, text)| text.as_str())
    };
    for s in sample.snippets.iter().filter(|s| s.at > at) {
        for (rel, _, text) in &files {
            r.check(!text.contains(&s.text), || {
                format!(
                    "{when} {rel} shows {:?}, from {} of {}",
                    s.text, s.what, s.slug
                )
            });
        }
    }
    for s in sample.snippets.iter().filter(|s| s.at <= at) {
        let page = format!("incidents/{}/index.html", s.slug);
        let mut wanted = vec![page];
        if s.update {
            let api = match sample.incident(&s.slug).kind {
                Kind::Incident => "api/v2/incidents.json",
                Kind::Maintenance => "api/v2/scheduled-maintenances.json",
            };
            wanted.extend(["feed.atom", "feed.rss", api].map(str::to_owned));
        }
        for rel in &wanted {
            r.check(text_of(rel).contains(&s.text), || {
                format!(
                    "{when} {rel} does not show {:?}, from {} of {}",
                    s.text, s.what, s.slug
                )
            });
        }
    }
    for i in site.incidents.iter().filter(|i| !published(i, at)) {
        let folder = format!("incidents/{}", i.slug);
        r.check(!b.exists(&folder), || format!("{when} {folder}/ exists"));
        for (rel, raw, text) in &files {
            r.check(!raw.contains(&i.slug) && !text.contains(&i.title), || {
                format!("{when} {rel} names {}, published later", i.slug)
            });
        }
    }
}

/// No time after the instant is stated as having happened: on incident pages (but for the
/// expected end), in the API's stamps, the feeds and the sitemap.
fn times(sample: &Sample, b: &Built, r: &mut Report) {
    let (site, at, when) = (&sample.written, b.at, show(b.at));
    let mut not_after = |rel: &str, what: &str, value: &str, time: Option<Time>| {
        r.check(time.is_some_and(|x| x <= at), || {
            format!("{when} {rel}: {what} {value} is after the instant (or unreadable)")
        });
    };
    for i in site.incidents.iter().filter(|i| published(i, at)) {
        let rel = format!("incidents/{}/index.html", i.slug);
        if i.kind != Kind::Incident || !b.exists(&rel) {
            continue;
        }
        for (value, time) in datetimes(&without_expected(&b.raw(&rel))) {
            not_after(&rel, "<time datetime>", &value, time);
        }
    }
    for rel in files(&b.out.join("api/v2")) {
        let path = format!("api/v2/{rel}");
        let mut stamps = Vec::new();
        json_stamps(&b.json(&path), &mut stamps);
        for (key, value) in stamps {
            not_after(&path, &key, &value, parse_time(&value));
        }
    }
    let atom = b.raw("feed.atom");
    for value in (atom.split("<updated>").skip(1)).filter_map(|s| s.split('<').next()) {
        not_after("feed.atom", "<updated>", value, parse_time(value));
    }
    let rss = b.raw("feed.rss");
    for tag in ["pubDate", "lastBuildDate"] {
        let open = format!("<{tag}>");
        for value in (rss.split(open.as_str()).skip(1)).filter_map(|s| s.split('<').next()) {
            let time = DateTime::parse_from_rfc2822(value).ok().map(|t| t.to_utc());
            not_after("feed.rss", tag, value, time);
        }
    }
    for (rel, feed) in [("feed.atom", &atom), ("feed.rss", &rss)] {
        for (value, time) in datetimes(&unxml(feed)) {
            not_after(rel, "<time datetime> in an entry", &value, time);
        }
    }
    let today = at.with_timezone(&seoul()).format("%Y-%m-%d").to_string();
    let sitemap = b.raw("sitemap.xml");
    for value in (sitemap.split("<lastmod>").skip(1)).filter_map(|s| s.split('<').next()) {
        r.check(value <= today.as_str(), || {
            format!("{when} sitemap.xml: lastmod {value} is after {today}")
        });
    }
}

/// The front page's uptime bars end on the instant's day, and that day shows no impact that
/// had not begun by the instant.
fn bars(sample: &Sample, b: &Built, r: &mut Report) {
    let (site, at, when) = (&sample.written, b.at, show(b.at));
    let local = at.with_timezone(&seoul());
    let today = local.format("%-d %b %Y").to_string();
    let midnight = (local.date_naive().and_hms_opt(0, 0, 0))
        .and_then(|m| m.and_local_timezone(seoul()).single())
        .map_or(at, |m| m.to_utc());
    let index = b.raw("index.html");
    for chunk in index
        .split("<a class=\"service-name\" href=\"services/")
        .skip(1)
    {
        let id = chunk.split('/').next().unwrap_or("?");
        let chunk = &chunk[..chunk.find("class=\"bar-scale\"").unwrap_or(chunk.len())];
        let Some(last) = chunk.split("<li class=\"day ").last() else {
            continue;
        };
        let label = between(last, "<span class=\"vh\">", "</span>").unwrap_or("?");
        r.check(label.starts_with(&format!("{today}: ")), || {
            format!("{when} index.html: {id}'s bar ends on {label:?}, not on {today}")
        });
        // Hit since midnight, for longer than nothing, by what had begun by the instant.
        let hits = |strictly: bool| {
            site.incidents.iter().any(|i| {
                (i.services.iter().filter(|a| a.id == id)).any(|a| {
                    let until = a.restored.or(i.end);
                    let begun = if strictly { a.from < at } else { a.from <= at };
                    begun && until.is_none_or(|u| u > midnight)
                })
            })
        };
        if !hits(false) {
            // At midnight itself nothing of the day has been seen yet: no data is right too.
            let quiet = format!("{today}: no incidents");
            let unseen = format!("{today}: no data");
            r.check(label == quiet || at == midnight && label == unseen, || {
                format!("{when} index.html: {id}'s bar says {label:?} for a quiet day")
            });
        } else if hits(true) {
            r.check(!label.contains("no incidents"), || {
                format!("{when} index.html: {id}'s bar says {label:?}, but it was hit today")
            });
        }
    }
}

// ---------------------------------------------------------------------------------------------

#[test]
fn every_output_tells_the_same_story_at_every_instant() {
    let sample = Sample::new();
    let updates = sample.snippets.iter().filter(|s| s.update).count();
    assert!(
        updates >= 20 && sample.snippets.len() >= 60,
        "{updates} updates, {} snippets",
        sample.snippets.len()
    );
    let mut report = Report::default();
    for at in instants() {
        let built = sample.build(at);
        check_instant(&sample, &built, &mut report);
    }
    report.finish();
}

#[test]
fn the_fire_at_its_worst() {
    let sample = Sample::new();
    let b = sample.build(kst("2022-10-16T12:00"));
    assert_eq!(
        b.json("api/v2/status.json")["status"]["indicator"],
        "critical"
    );
    let page = b.raw(&format!("incidents/{FIRE}/index.html"));
    assert!(
        page.contains("<span class=\"ongoing\">ongoing</span>"),
        "the fire page says ongoing"
    );
    let expected = "<span class=\"expected\">expected to end \
                    <time datetime=\"2022-10-20T23:00:00+09:00\">20 Oct 2022, 23:00 KST</time></span>";
    assert!(
        page.contains(expected),
        "the fire page shows its expected end"
    );
    assert_eq!(page_status(&page), Some("identified"));
    let unresolved = b.json("api/v2/incidents/unresolved.json");
    assert_eq!(
        slugs(&unresolved["incidents"]),
        BTreeSet::from([FIRE.to_owned()])
    );
    let fire = &unresolved["incidents"][0];
    assert_eq!(fire["resolved_at"], Value::Null);
    assert_eq!(fire["impact"], "critical");
    let components = b.json("api/v2/components.json");
    let talk = (components["components"].as_array().into_iter().flatten())
        .find(|c| c["name"] == "KakaoTalk")
        .expect("KakaoTalk is a component");
    assert_eq!(talk["status"], "partial_outage", "texts back since 01:31");
    assert!(section_slugs(&b.raw("index.html"), "active-h").contains(FIRE));
}

#[test]
fn before_the_fire_nothing_of_it_and_after_its_end_resolved_everywhere() {
    let sample = Sample::new();
    let fire = sample.incident(FIRE);
    let before = sample.build(kst("2022-10-15T15:29"));
    assert!(!before.exists(&format!("incidents/{FIRE}")));
    assert_eq!(
        before.json("api/v2/status.json")["status"]["indicator"],
        "none"
    );
    for rel in files(&before.out) {
        let raw = std::fs::read(before.out.join(&rel)).expect("read");
        let raw = String::from_utf8_lossy(&raw);
        assert!(!raw.contains(FIRE) && !raw.contains(&fire.title), "{rel}");
    }

    let open = sample.build(kst("2022-10-20T22:59"));
    let x = &open.json("api/v2/incidents.json")["incidents"][0];
    assert_eq!(
        (slug_of(x), &x["status"]),
        (FIRE.to_owned(), &"monitoring".into())
    );
    assert_eq!(
        open.json("api/v2/status.json")["status"]["indicator"],
        "critical"
    );

    for at in ["2022-10-20T23:00", "2022-10-20T23:01", "2022-10-25T12:00"] {
        let b = sample.build(kst(at));
        let incidents = b.json("api/v2/incidents.json");
        let x = (incidents["incidents"].as_array().into_iter().flatten())
            .find(|x| slug_of(x) == FIRE)
            .expect("the fire is listed");
        assert_eq!(x["status"], "resolved", "{at}");
        assert_eq!(x["resolved_at"], "2022-10-20T23:00:00.000+09:00", "{at}");
        for path in ["api/v2/incidents/unresolved.json", "api/v2/summary.json"] {
            let listed = slugs(&b.json(path)["incidents"]);
            assert!(listed.is_empty(), "{at} {path}: {listed:?}");
        }
        let status = b.json("api/v2/status.json");
        assert_eq!(status["status"]["indicator"], "none", "{at}");
        let components = b.json("api/v2/components.json");
        for c in components["components"].as_array().into_iter().flatten() {
            assert_eq!(c["status"], "operational", "{at} {}", c["name"]);
        }
        let page = b.raw(&format!("incidents/{FIRE}/index.html"));
        assert_eq!(page_status(&page), Some("resolved"), "{at}");
        assert!(!page.contains("class=\"ongoing\""), "{at}");
        assert!(!page.contains("class=\"expected\""), "{at}");
        assert!(
            page.contains(
                "<dt>Ended</dt><dd><time datetime=\"2022-10-20T23:00:00+09:00\">20 Oct 2022, 23:00 KST</time>"
            ),
            "{at}: the page states the end"
        );
        let index = b.raw("index.html");
        assert!(index.contains("class=\"banner banner-none\""), "{at}");
        assert!(section_slugs(&index, "active-h").is_empty(), "{at}");
        assert!(section_slugs(&index, "recent-h").contains(FIRE), "{at}");
        let atom = unxml(&b.raw("feed.atom"));
        let entry = (atom.split("<entry>").skip(1))
            .find(|e| e.contains(FIRE))
            .expect("the fire is in the feed");
        assert!(entry.contains("<strong>Resolved</strong>"), "{at}");
        for s in &sample.written.services {
            let badge = b.raw(&format!("services/{}/badge.svg", s.id));
            assert!(badge.contains(">Operational</text>"), "{at} {}", s.id);
        }
    }
}

#[test]
fn the_maintenance_window_runs_by_its_own_times() {
    let sample = Sample::new();
    let unannounced = sample.build(kst("2022-08-16T09:00"));
    assert!(!unannounced.exists(&format!("incidents/{WINDOW}")));
    let all = unannounced.json("api/v2/scheduled-maintenances.json");
    assert_eq!(all["scheduled_maintenances"], serde_json::json!([]));

    // (instant, status, indicator)
    let phases = [
        ("2022-08-16T10:00", "scheduled", "none"),
        ("2022-08-23T01:59", "scheduled", "none"),
        ("2022-08-23T02:00", "in_progress", "maintenance"),
        ("2022-08-23T03:00", "in_progress", "maintenance"),
        ("2022-08-23T04:39", "in_progress", "maintenance"),
        // The `completed` update of 04:40 closes the window twenty minutes early.
        ("2022-08-23T04:41", "completed", "none"),
        ("2022-08-23T05:00", "completed", "none"),
        ("2022-08-23T05:01", "completed", "none"),
    ];
    for (at, status, indicator) in phases {
        let b = sample.build(kst(at));
        let page = b.raw(&format!("incidents/{WINDOW}/index.html"));
        assert_eq!(page_status(&page), Some(status), "{at}: the window's page");
        let list = |path: &str| b.json(path)["scheduled_maintenances"].clone();
        let window = &list("api/v2/scheduled-maintenances.json")[0];
        assert_eq!(slug_of(window), WINDOW, "{at}");
        assert_eq!(window["status"], status, "{at}");
        let upcoming = list("api/v2/scheduled-maintenances/upcoming.json");
        let active = list("api/v2/scheduled-maintenances/active.json");
        let (want_upcoming, want_active) = match status {
            "scheduled" => (1, 0),
            "in_progress" => (0, 1),
            _ => (0, 0),
        };
        assert_eq!(
            upcoming.as_array().map(Vec::len),
            Some(want_upcoming),
            "{at}"
        );
        assert_eq!(active.as_array().map(Vec::len), Some(want_active), "{at}");
        if want_upcoming == 1 {
            assert_eq!(upcoming[0]["status"], "scheduled", "{at}");
        }
        if want_active == 1 {
            assert_eq!(active[0]["status"], "in_progress", "{at}");
        }
        let page_status = b.json("api/v2/status.json")["status"].clone();
        assert_eq!(page_status["indicator"], indicator, "{at}");
        let description = match indicator {
            "maintenance" => "Service Under Maintenance",
            _ => "All Systems Operational",
        };
        assert_eq!(page_status["description"], description, "{at}");
        let components = b.json("api/v2/components.json");
        let mail = match status {
            "in_progress" => "under_maintenance",
            _ => "operational",
        };
        for name in ["Daum Mail", "Kakao Mail"] {
            let c = (components["components"].as_array().into_iter().flatten())
                .find(|c| c["name"] == name)
                .expect("mail components");
            assert_eq!(c["status"], mail, "{at} {name}");
        }
        let resolved_at = match status {
            "completed" => "2022-08-23T04:40:00.000+09:00".into(),
            _ => Value::Null,
        };
        assert_eq!(window["resolved_at"], resolved_at, "{at}");
        let index = b.raw("index.html");
        let listed = section_slugs(&index, "maintenance-h");
        assert_eq!(
            listed.contains(WINDOW),
            status != "completed",
            "{at}: {listed:?}"
        );
    }
}
