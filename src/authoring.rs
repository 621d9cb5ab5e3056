//! `new`, `update` and `init`: write incident files, and edit them as text so that every byte
//! the team wrote (comments, order, quoting) stays as it was.
//!
//! The text edits (`edit_append_update`, `edit_mark_restored`) are pure functions; the public
//! functions around them read `status.yaml` for the zone, check the words, and write atomically.
//! Every edit is verified before anything is written: the new text must parse to exactly the old
//! YAML plus the intended change, so a layout these edits do not understand is refused, never
//! corrupted.

use crate::error::IoError;
use crate::load::did_you_mean;
use crate::model::{Impact, Kind, Status, Time, parse_word};
use chrono::{Duration, DurationRound, SecondsFormat};
use chrono_tz::Tz;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use yaml_serde::{Mapping, Value};

/// The impact of a `--service` given without its `--impact`. Someone who names a service while
/// opening an incident most likely sees it down, and understating an outage on the public page
/// is the worse mistake; the next update or an edit lowers it.
pub const DEFAULT_IMPACT: Impact = Impact::MajorOutage;

/// Longest slug part made from a title; the date prefix comes on top.
const MAX_SLUG: usize = 60;

/// Column at which the templates' comments start, as in format.md.
const COMMENT_COLUMN: usize = 36;

/// A failure of `new`, `update` or `init`; nothing was written when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum AuthoringError {
    #[error(transparent)]
    Io(#[from] IoError),
    #[error("no status.yaml in {}", .0.display())]
    NoSite(PathBuf),
    #[error("{} already has a status.yaml", .0.display())]
    SiteExists(PathBuf),
    /// Too large, not UTF-8, not YAML, or a setting this command needs is wrong.
    #[error("{}: {message}", path.display())]
    Unreadable { path: PathBuf, message: String },
    #[error("`{0}` is not an incident slug")]
    BadSlug(String),
    #[error("no incident `{slug}`: {} does not exist", path.display())]
    NoIncident {
        slug: String,
        path: PathBuf,
        similar: Option<String>,
    },
    #[error("unknown impact `{0}`")]
    UnknownImpact(String),
    #[error("unknown service `{id}`")]
    UnknownService { id: String, known: Vec<String> },
    /// A command-line value that cannot be written (an empty title, too many `--impact`).
    #[error("{message}")]
    Invalid {
        message: String,
        help: Option<String>,
    },
    #[error("{}: {error}", path.display())]
    Edit { path: PathBuf, error: EditError },
}

impl AuthoringError {
    /// What to do about it, for the `= help:` line.
    pub fn help(&self) -> Option<String> {
        match self {
            AuthoringError::Io(_) => None,
            AuthoringError::NoSite(root) => Some(format!(
                "run `candor init {}` to create a site there, or pass --root",
                root.display()
            )),
            AuthoringError::SiteExists(_) => Some(
                "init only creates new sites; edit that status.yaml, or choose another folder"
                    .into(),
            ),
            AuthoringError::Unreadable { .. } => {
                Some("run `candor check` to see the problem and where it is".into())
            }
            AuthoringError::BadSlug(_) => Some(
                "give the incident's slug: its file name in incidents/ without `.yaml`, \
                 like `2022-10-15-pangyo-fire`"
                    .into(),
            ),
            AuthoringError::NoIncident { similar, .. } => {
                similar.as_ref().map(|s| format!("did you mean `{s}`?"))
            }
            AuthoringError::UnknownImpact(word) => {
                let words: Vec<&str> = Impact::ALL.iter().map(|i| i.as_str()).collect();
                Some(words_help(word, &words))
            }
            AuthoringError::UnknownService { id, known } if known.is_empty() => Some(format!(
                "status.yaml lists no services; add `{id}` there first"
            )),
            AuthoringError::UnknownService { id, known } => {
                Some(match did_you_mean(id, known.iter().map(String::as_str)) {
                    Some(close) => format!(
                        "did you mean `{close}`? known services: {}",
                        known.join(", ")
                    ),
                    None => format!(
                        "known services: {} (add it to status.yaml first)",
                        known.join(", ")
                    ),
                })
            }
            AuthoringError::Invalid { help, .. } => help.clone(),
            AuthoringError::Edit { error, .. } => error.help(),
        }
    }
}

/// Why a text edit was refused. The text functions know no path; `AuthoringError::Edit` adds it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EditError {
    #[error("the file does not parse as YAML: {0}")]
    Unparsable(String),
    #[error("unknown status `{word}` for {what}")]
    UnknownStatus {
        word: String,
        what: &'static str,
        allowed: Vec<&'static str>,
    },
    #[error("service `{service}` is not in this incident")]
    ServiceNotListed {
        service: String,
        listed: Vec<String>,
    },
    #[error("`{key}` is written in flow style, which this command does not edit")]
    FlowStyle { key: String, help: String },
    #[error("{0}")]
    Invalid(String),
    #[error("cannot edit this file safely: {0}")]
    Uneditable(String),
}

impl EditError {
    pub fn help(&self) -> Option<String> {
        match self {
            EditError::Unparsable(_) => {
                Some("run `candor check` to see where, and fix it first".into())
            }
            EditError::UnknownStatus { word, allowed, .. } => Some(words_help(word, allowed)),
            EditError::ServiceNotListed { listed, .. } if listed.is_empty() => Some(
                "this incident lists no services; add the entry under `services:` by hand".into(),
            ),
            EditError::ServiceNotListed { listed, .. } => Some(format!(
                "this incident lists: {}; to add a service, add its entry under `services:` by hand",
                listed.join(", ")
            )),
            EditError::FlowStyle { help, .. } => Some(help.clone()),
            EditError::Invalid(_) => None,
            EditError::Uneditable(_) => {
                Some("make this change by hand; nothing was written".into())
            }
        }
    }
}

/// One change to an incident file, as `candor update` asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit<'a> {
    /// Append an update stamped now.
    Update { status: &'a str, message: &'a str },
    /// Mark a service of the incident restored now.
    Restored { service: &'a str },
}

/// Pairs `--service` and `--impact` in order: the n-th `--impact` goes with the n-th
/// `--service`, and a service without one gets `DEFAULT_IMPACT` (`major_outage`).
pub fn pair_impacts(
    services: &[String],
    impacts: &[String],
) -> Result<Vec<(String, String)>, AuthoringError> {
    if impacts.len() > services.len() {
        return Err(AuthoringError::Invalid {
            message: format!("{} --impact for {} --service", impacts.len(), services.len()),
            help: Some("each --impact goes with the --service before it: `--service api --impact partial_outage`".into()),
        });
    }
    Ok(services
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let impact = impacts
                .get(i)
                .map_or(DEFAULT_IMPACT.as_str(), String::as_str);
            (id.clone(), impact.to_owned())
        })
        .collect())
}

/// Writes `incidents/YYYY-MM-DD-SLUG.yaml` for a new incident starting `now`, with its first
/// `investigating` update, and returns its path. The date is `now`'s in the site timezone; an
/// existing file is never replaced (`-2`, `-3`, … are appended). `services` are (id, impact word)
/// pairs, checked against the impact words and the services of status.yaml. The severity is
/// `major` when a service has a `major_outage`, else `minor`; `critical` is the team's call.
pub fn new_incident(
    root: &Path,
    title: &str,
    services: &[(String, String)],
    now: Time,
) -> Result<PathBuf, AuthoringError> {
    let site = SiteInfo::read(root)?;
    let title = title.trim();
    if title.is_empty() || title.contains(['\n', '\r']) {
        return Err(AuthoringError::Invalid {
            message: "the title must be one line of text".into(),
            help: Some("like `candor new \"Login fails for some users\"`".into()),
        });
    }
    let mut hit: Vec<(&str, Impact, &str)> = Vec::with_capacity(services.len());
    for (id, word) in services {
        let impact =
            Impact::parse(word).ok_or_else(|| AuthoringError::UnknownImpact(word.clone()))?;
        let Some((_, name)) = site.services.iter().find(|(known, _)| known == id) else {
            let known = site.services.iter().map(|(k, _)| k.clone()).collect();
            return Err(AuthoringError::UnknownService {
                id: id.clone(),
                known,
            });
        };
        if hit.iter().any(|(seen, _, _)| *seen == id.as_str()) {
            return Err(AuthoringError::Invalid {
                message: format!("--service {id} is given twice"),
                help: None,
            });
        }
        hit.push((id.as_str(), impact, name.as_str()));
    }
    let start = stamp(now, site.tz);
    let text = incident_text(title, &hit, &start).map_err(|error| AuthoringError::Edit {
        path: root.join("incidents"),
        error,
    })?;
    let stem = format!(
        "{}-{}",
        now.with_timezone(&site.tz).format("%Y-%m-%d"),
        slugify(title)
    );
    Ok(write_new(&root.join("incidents"), &stem, &text)?)
}

/// Appends an update stamped `now` to the end of the incident's `updates:` list.
pub fn append_update(
    root: &Path,
    slug: &str,
    status: &str,
    message: &str,
    now: Time,
) -> Result<PathBuf, AuthoringError> {
    edit_incident(root, slug, &[Edit::Update { status, message }], now)
}

/// Sets `restored:` of one service of the incident to `now`.
pub fn mark_restored(
    root: &Path,
    slug: &str,
    service: &str,
    now: Time,
) -> Result<PathBuf, AuthoringError> {
    edit_incident(root, slug, &[Edit::Restored { service }], now)
}

/// Applies `edits` in order to `incidents/SLUG.yaml` and writes the file once, atomically: if any
/// edit is refused, the file stays as it was. `slug` may also be given as `incidents/SLUG.yaml`.
pub fn edit_incident(
    root: &Path,
    slug: &str,
    edits: &[Edit],
    now: Time,
) -> Result<PathBuf, AuthoringError> {
    let slug = parse_slug(slug)?;
    if edits.is_empty() {
        return Err(AuthoringError::Invalid {
            message: "nothing to change".into(),
            help: Some("give --status and --message, or --restored SERVICE".into()),
        });
    }
    let site = SiteInfo::read(root)?;
    let path = root.join("incidents").join(format!("{slug}.yaml"));
    if !path.is_file() {
        let stems = incident_stems(root);
        let similar = did_you_mean(slug, stems.iter().map(String::as_str)).map(str::to_owned);
        return Err(AuthoringError::NoIncident {
            slug: slug.to_owned(),
            path,
            similar,
        });
    }
    let at = stamp(now, site.tz);
    let mut text = read_text(root, &path)?;
    for edit in edits {
        let edited = match *edit {
            Edit::Update { status, message } => edit_append_update(&text, &at, status, message),
            Edit::Restored { service } => edit_mark_restored(&text, service, &at),
        };
        text = edited.map_err(|error| AuthoringError::Edit {
            path: path.clone(),
            error,
        })?;
    }
    write_atomic(&path, &text)?;
    Ok(path)
}

/// Scaffolds a site in `dir`: a commented `status.yaml`, one resolved example incident two days
/// before `now` (it builds without warnings at `now`), and a `.gitignore` with `/public` when the
/// folder has none. Refuses a folder that already has a `status.yaml`. Returns the files written.
pub fn init(dir: &Path, now: Time) -> Result<Vec<PathBuf>, AuthoringError> {
    let status = dir.join("status.yaml");
    if status.exists() {
        return Err(AuthoringError::SiteExists(dir.to_path_buf()));
    }
    fs::create_dir_all(dir).map_err(|e| IoError::new("creating", dir, e))?;
    if !create_new(&status, STATUS_YAML)? {
        return Err(AuthoringError::SiteExists(dir.to_path_buf()));
    }
    let mut written = vec![status];
    let (stem, text) = example_incident(now);
    written.push(write_new(&dir.join("incidents"), &stem, &text)?);
    let gitignore = dir.join(".gitignore");
    if create_new(&gitignore, "/public\n")? {
        written.push(gitignore);
    }
    Ok(written)
}

/// Reads a slug argument: `SLUG`, `SLUG.yaml` or `incidents/SLUG.yaml`, and checks it against
/// `[a-z0-9][a-z0-9-]*`, which also keeps `../` and absolute paths out.
pub fn parse_slug(arg: &str) -> Result<&str, AuthoringError> {
    let slug = arg.strip_prefix("incidents/").unwrap_or(arg);
    let slug = slug.strip_suffix(".yaml").unwrap_or(slug);
    let mut chars = slug.chars();
    let valid = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if valid {
        Ok(slug)
    } else {
        Err(AuthoringError::BadSlug(arg.to_owned()))
    }
}

/// A title as a slug of `[a-z0-9-]`, at most `MAX_SLUG` long, cut at a word; `incident` when
/// the title has no ASCII letter or digit.
pub fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().filter(|c| !matches!(c, '\'' | '’')) {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    if slug.len() > MAX_SLUG {
        // Only ASCII was pushed, so any byte index is a char boundary.
        let cut = slug[..=MAX_SLUG]
            .rfind('-')
            .filter(|&i| i > 0)
            .unwrap_or(MAX_SLUG);
        slug.truncate(cut);
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "incident".to_owned()
    } else {
        slug.to_owned()
    }
}

/// Appends an update (`at`, `status`, `message` as a block scalar) at the end of the `updates:`
/// list, in the list's own indentation, leaving every other byte of `text` as it was.
pub fn edit_append_update(
    text: &str,
    at: &str,
    status: &str,
    message: &str,
) -> Result<String, EditError> {
    let old = parse_mapping(text)?;
    let kind = match old.get("kind").and_then(Value::as_str) {
        Some("maintenance") => Kind::Maintenance,
        _ => Kind::Incident,
    };
    let allowed = Status::allowed(kind);
    if parse_word(allowed, status, Status::as_str).is_none() {
        return Err(EditError::UnknownStatus {
            word: status.to_owned(),
            what: if kind == Kind::Maintenance {
                "a maintenance window"
            } else {
                "an incident"
            },
            allowed: allowed.iter().map(|s| s.as_str()).collect(),
        });
    }
    let message = normalize_message(message)?;
    let lines = lines(text);
    let eol = line_ending(text);
    let (dash, key) = list_style(&lines);
    let new_text = match find_block(&lines, "updates") {
        None if old.get("updates").is_some() => {
            return Err(EditError::Uneditable(
                "`updates:` is not at the start of a line".into(),
            ));
        }
        None => {
            let mut out = text.to_owned();
            if !out.is_empty() && !out.ends_with('\n') {
                out.push_str(eol);
            }
            out.push_str("updates:");
            out.push_str(eol);
            for line in update_lines(dash, key, at, status, &message) {
                out.push_str(&line);
                out.push_str(eol);
            }
            out
        }
        Some(block) => {
            let (value, comment) = split_comment(block.value);
            match value {
                "" => {
                    let items = items(&lines, &block, "updates")?;
                    let (dash, key) = match items.last() {
                        Some(item) => (item.dash, item.key_indent.unwrap_or(item.dash + 2)),
                        None => (dash, key),
                    };
                    let after = items.last().map_or(block.key_line, |item| item.last);
                    insert_after(
                        text,
                        &lines,
                        after,
                        None,
                        &update_lines(dash, key, at, status, &message),
                        eol,
                    )
                }
                "[]" | "~" | "null" => {
                    let key_line = format!("updates:{comment}");
                    let new = update_lines(dash, key, at, status, &message);
                    insert_after(text, &lines, block.key_line, Some(&key_line), &new, eol)
                }
                _ => {
                    return Err(EditError::FlowStyle {
                        key: "updates".into(),
                        help: "write it as a block list, each update starting with `- at:` on its own line".into(),
                    });
                }
            }
        }
    };
    let mut expected = old;
    let mut update = Mapping::new();
    update.insert("at".into(), at.into());
    update.insert("status".into(), status.into());
    update.insert("message".into(), format!("{message}\n").into());
    match expected.get_mut("updates") {
        Some(Value::Sequence(list)) => list.push(Value::Mapping(update)),
        Some(other) => *other = Value::Sequence(vec![Value::Mapping(update)]),
        None => {
            expected.insert(
                "updates".into(),
                Value::Sequence(vec![Value::Mapping(update)]),
            );
        }
    }
    verify(&new_text, &expected)
}

/// Sets `restored: at` in the `services:` entry whose `id` is `service`: replaces the value of
/// an existing `restored:` line, or adds the line after the entry's last line.
pub fn edit_mark_restored(text: &str, service: &str, at: &str) -> Result<String, EditError> {
    let old = parse_mapping(text)?;
    let listed: Vec<String> = old
        .get("services")
        .and_then(Value::as_sequence)
        .map(|list| {
            list.iter()
                .filter_map(|s| s.get("id").and_then(Value::as_str).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let Some(index) = listed.iter().position(|id| id == service) else {
        return Err(EditError::ServiceNotListed {
            service: service.to_owned(),
            listed,
        });
    };
    let lines = lines(text);
    let block = find_block(&lines, "services")
        .ok_or_else(|| EditError::Uneditable("`services:` is not at the start of a line".into()))?;
    if !split_comment(block.value).0.is_empty() {
        return Err(EditError::FlowStyle {
            key: "services".into(),
            help: "write it as a block list, each service starting with `- id:` on its own line"
                .into(),
        });
    }
    let items = items(&lines, &block, "services")?;
    let count = old
        .get("services")
        .and_then(Value::as_sequence)
        .map_or(0, Vec::len);
    let Some(item) = items.get(index).filter(|_| items.len() == count) else {
        return Err(EditError::Uneditable(
            "the `services:` list has a layout this command cannot follow".into(),
        ));
    };
    let Some(key) = item.key_indent else {
        return Err(EditError::FlowStyle {
            key: format!("services[{index}]"),
            help: format!(
                "write the entry as a block, one key per line:\n    - id: {service}\n      impact: …\n  then run this again"
            ),
        });
    };
    let eol = line_ending(text);
    let mut new_text = None;
    for i in item.first..=item.last {
        let Some(line) = lines.get(i) else { break };
        let keyed = if i == item.first {
            line.rest().get(1..).map(str::trim_start)
        } else {
            (line.indent() == key).then(|| line.rest())
        };
        let Some(after) = keyed.and_then(|k| k.strip_prefix("restored:")) else {
            continue;
        };
        if !(after.is_empty() || after.starts_with([' ', '\t'])) {
            continue;
        }
        let head = &line.text[..line.text.len() - after.len()];
        let (value, _) = split_comment(after);
        let replaced = if value.is_empty() {
            format!("{head} {at}{after}")
        } else {
            let start = after.len() - after.trim_start().len();
            let tail = &after[start + value.len()..];
            format!("{head}{}{at}{tail}", &after[..start])
        };
        new_text = Some(insert_after(text, &lines, i, Some(&replaced), &[], eol));
        break;
    }
    let new_text = new_text.unwrap_or_else(|| {
        let line = format!("{}restored: {at}", " ".repeat(key));
        insert_after(text, &lines, item.last, None, &[line], eol)
    });
    let mut expected = old;
    let entry = expected
        .get_mut("services")
        .and_then(|s| s.get_mut(index))
        .and_then(Value::as_mapping_mut)
        .ok_or_else(|| EditError::Uneditable("the service entry is not a mapping".into()))?;
    entry.insert("restored".into(), at.into());
    verify(&new_text, &expected)
}

// ---- Reading the layout of a YAML file, line by line ----

/// One line: its text without the line ending, where it starts and where the next one starts.
struct Line<'t> {
    text: &'t str,
    start: usize,
    end: usize,
    /// The last line of a file may have no line ending.
    terminated: bool,
}

impl Line<'_> {
    fn indent(&self) -> usize {
        self.text.len() - self.rest().len()
    }
    fn rest(&self) -> &str {
        self.text.trim_start_matches(' ')
    }
    fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
    fn is_comment(&self) -> bool {
        self.rest().starts_with('#')
    }
    fn is_content(&self) -> bool {
        !self.is_blank() && !self.is_comment()
    }
    /// A block sequence entry: `- …` or a bare `-`.
    fn is_entry(&self) -> bool {
        let rest = self.rest();
        rest == "-" || rest.starts_with("- ")
    }
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for raw in text.split_inclusive('\n') {
        let body = raw.strip_suffix('\n').unwrap_or(raw);
        out.push(Line {
            text: body.strip_suffix('\r').unwrap_or(body),
            start,
            end: start + raw.len(),
            terminated: raw.ends_with('\n'),
        });
        start += raw.len();
    }
    out
}

fn line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if text[..i].ends_with('\r') => "\r\n",
        _ => "\n",
    }
}

/// A top-level key and the lines of its value.
struct Block<'t> {
    key_line: usize,
    /// The text after `key:` on the key's own line.
    value: &'t str,
    /// The last line of the value that is not blank and not a comment at column 0 (those belong
    /// to what follows); `key_line` when the value has no lines below the key.
    last: usize,
}

fn find_block<'t>(lines: &[Line<'t>], key: &str) -> Option<Block<'t>> {
    let value_of = |line: &Line<'t>| {
        let after = line.text.strip_prefix(key)?.strip_prefix(':')?;
        (after.is_empty() || after.starts_with([' ', '\t'])).then_some(after)
    };
    let (key_line, value) = lines
        .iter()
        .enumerate()
        .find_map(|(i, l)| value_of(l).map(|v| (i, v)))?;
    let mut last = key_line;
    for (i, line) in lines.iter().enumerate().skip(key_line + 1) {
        if line.is_blank() || (line.indent() == 0 && line.is_comment()) {
            continue;
        }
        // A list may sit at column 0 under its key (`updates:\n- at: …`); anything else there ends it.
        if line.indent() == 0 && !line.is_entry() {
            break;
        }
        last = i;
    }
    Some(Block {
        key_line,
        value,
        last,
    })
}

/// One entry of a block list.
struct Item {
    first: usize,
    last: usize,
    dash: usize,
    /// The indentation of the entry's keys; `None` for a flow entry (`- { id: x }`).
    key_indent: Option<usize>,
}

fn items(lines: &[Line], block: &Block, key: &str) -> Result<Vec<Item>, EditError> {
    let body = block.key_line + 1..block.last + 1;
    let content = || {
        body.clone()
            .filter(|&i| lines.get(i).is_some_and(Line::is_content))
    };
    let Some(first) = content().next().and_then(|i| lines.get(i)) else {
        return Ok(Vec::new());
    };
    if !first.is_entry() {
        return Err(EditError::Uneditable(format!("`{key}` is not a list")));
    }
    let dash = first.indent();
    let starts: Vec<usize> = content()
        .filter(|&i| lines.get(i).is_some_and(|l| l.indent() <= dash))
        .collect();
    if starts.iter().any(|&i| {
        lines
            .get(i)
            .is_some_and(|l| l.indent() < dash || !l.is_entry())
    }) {
        return Err(EditError::Uneditable(format!(
            "the `{key}` list has a layout this command cannot follow"
        )));
    }
    let mut out = Vec::with_capacity(starts.len());
    for (n, &start) in starts.iter().enumerate() {
        let next = starts.get(n + 1).copied().unwrap_or(block.last + 1);
        let inside = |i: &usize| {
            lines
                .get(*i)
                .is_some_and(|l| !l.is_blank() && l.indent() > dash)
        };
        let last = (start + 1..next).rev().find(inside).unwrap_or(start);
        let after_dash = lines
            .get(start)
            .and_then(|l| l.rest().get(1..))
            .unwrap_or("");
        let body = after_dash.trim_start();
        let key_indent = if body.starts_with(['{', '[']) {
            None
        } else if body.is_empty() || body.starts_with('#') {
            let below = (start + 1..next)
                .filter_map(|i| lines.get(i))
                .find(|l| l.is_content());
            Some(below.map_or(dash + 2, Line::indent))
        } else {
            Some(dash + 1 + after_dash.len() - body.len())
        };
        out.push(Item {
            first: start,
            last,
            dash,
            key_indent,
        });
    }
    Ok(out)
}

/// The list indentation a new list should use: the one of `services:` if it has entries, else
/// two spaces (`  - at:`, keys at 4).
fn list_style(lines: &[Line]) -> (usize, usize) {
    find_block(lines, "services")
        .and_then(|b| items(lines, &b, "services").ok())
        .and_then(|items| {
            items
                .into_iter()
                .find_map(|i| i.key_indent.map(|k| (i.dash, k)))
        })
        .unwrap_or((2, 4))
}

/// Splits ` value  # comment` into `value` and `  # comment` (with its leading space).
fn split_comment(after_colon: &str) -> (&str, &str) {
    let body = after_colon.trim_start();
    let len = match body.chars().next() {
        Some(q @ ('"' | '\'')) => body[1..].find(q).map_or(body.len(), |i| i + 2),
        Some('#') | None => 0,
        _ => body
            .find(" #")
            .or_else(|| body.find("\t#"))
            .unwrap_or(body.len()),
    };
    let value = body[..len].trim_end();
    let offset = after_colon.len() - body.len();
    (value, &after_colon[offset + value.len()..])
}

/// `text` with line `index` replaced by `replacement` (if any) and `new` lines inserted after it.
fn insert_after(
    text: &str,
    lines: &[Line],
    index: usize,
    replacement: Option<&str>,
    new: &[String],
    eol: &str,
) -> String {
    let Some(line) = lines.get(index) else {
        return text.to_owned();
    };
    // Line offsets lie just after a `\n` or at the ends of the text: always char boundaries.
    let mut out =
        String::with_capacity(text.len() + new.iter().map(|l| l.len() + 2).sum::<usize>());
    match replacement {
        Some(r) => {
            out.push_str(&text[..line.start]);
            out.push_str(r);
            out.push_str(&text[line.start + line.text.len()..line.end]);
        }
        None => out.push_str(&text[..line.end]),
    }
    if !line.terminated && !new.is_empty() {
        out.push_str(eol);
    }
    for l in new {
        out.push_str(l);
        out.push_str(eol);
    }
    out.push_str(&text[line.end..]);
    out
}

// ---- Writing new YAML ----

fn update_lines(dash: usize, key: usize, at: &str, status: &str, message: &str) -> Vec<String> {
    let key = key.max(dash + 2);
    let pad = " ".repeat(key);
    let mut out = vec![
        format!(
            "{}-{}at: {at}",
            " ".repeat(dash),
            " ".repeat(key - dash - 1)
        ),
        format!("{pad}status: {status}"),
    ];
    out.extend(block_scalar(&pad, "message", message));
    out
}

/// `key: |` and `text` indented below it. Any text is safe in a block scalar; an indentation
/// indicator keeps a first line that starts with spaces (a Markdown code block) as written.
fn block_scalar(pad: &str, key: &str, text: &str) -> Vec<String> {
    let indicator = if text.starts_with(' ') { "2" } else { "" };
    let mut out = vec![format!("{pad}{key}: |{indicator}")];
    out.extend(text.split('\n').map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!("{pad}  {l}")
        }
    }));
    out
}

/// One form for every message: `\n` line ends, no leading blank lines, no trailing whitespace.
fn normalize_message(message: &str) -> Result<String, EditError> {
    let unified = message.replace("\r\n", "\n").replace('\r', "\n");
    if let Some(c) = unified
        .chars()
        .find(|&c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(EditError::Invalid(format!(
            "the message contains a control character (U+{:04X})",
            u32::from(c)
        )));
    }
    let kept: Vec<&str> = unified
        .split('\n')
        .skip_while(|l| l.trim().is_empty())
        .collect();
    let text = kept.join("\n").trim_end().to_owned();
    if text.is_empty() {
        return Err(EditError::Invalid("the message is empty".into()));
    }
    Ok(text)
}

/// A one-line string as a YAML scalar: plain when it reads back as itself, else double-quoted.
fn yaml_scalar(text: &str) -> String {
    let reads_back = |candidate: &str| {
        yaml_serde::from_str::<Value>(&format!("k: {candidate}"))
            .ok()
            .and_then(|v| v.get("k").cloned())
            == Some(Value::String(text.to_owned()))
    };
    if reads_back(text) {
        return text.to_owned();
    }
    let mut quoted = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

fn with_comment(line: String, comment: &str) -> String {
    let width = line.chars().count();
    format!(
        "{line}{}# {comment}",
        " ".repeat(COMMENT_COLUMN.saturating_sub(width).max(1))
    )
}

/// The text of a new incident: `(id, impact, name)` per service hit, all starting at `start`.
fn incident_text(
    title: &str,
    services: &[(&str, Impact, &str)],
    start: &str,
) -> Result<String, EditError> {
    let worst = services.iter().map(|s| s.1).max();
    let severity = if worst == Some(Impact::MajorOutage) {
        "major"
    } else {
        "minor"
    };
    let mut out = vec![
        "# Written by `candor new`. Post updates with `candor update`; run `candor check` after any edit.".to_owned(),
        format!("title: {}", yaml_scalar(title)),
        with_comment(format!("severity: {severity}"), "minor | major | critical"),
        format!("start: {start}"),
        with_comment("# end:".into(), "when it is over; or post an update with `status: resolved`"),
        with_comment("# summary: |".into(), "Markdown: the short public account, in lists and feeds"),
        "#   …".into(),
        with_comment("# cause: |".into(), "Markdown: what happened, once you know"),
        "#   …".into(),
    ];
    if services.is_empty() {
        out.push(with_comment(
            "services: []".into(),
            "what was hit: `- id:` from status.yaml, `impact:`",
        ));
    } else {
        out.push(with_comment(
            "services:".into(),
            "`candor update SLUG --restored ID` marks one restored",
        ));
        for (id, impact, _) in services {
            out.push(format!("  - id: {}", yaml_scalar(id)));
            out.push(with_comment(
                format!("    impact: {}", impact.as_str()),
                "degraded_performance | partial_outage | major_outage",
            ));
        }
    }
    let names: Vec<&str> = services.iter().map(|s| s.2).collect();
    let message = match names.split_last() {
        None => "We are investigating reports of a problem.".to_owned(),
        Some((last, [])) => format!("We are investigating reports of problems with {last}."),
        Some((last, rest)) => format!(
            "We are investigating reports of problems with {} and {last}.",
            rest.join(", ")
        ),
    };
    out.push(with_comment(
        "updates:".into(),
        "oldest first; `candor update SLUG --status S --message M`",
    ));
    out.push(format!("  - at: {start}"));
    out.push(with_comment(
        "    status: investigating".into(),
        "investigating | identified | monitoring | resolved",
    ));
    out.extend(block_scalar(
        "    ",
        "message",
        &format!("{message} We will post an update soon."),
    ));
    let text = out.join("\n") + "\n";
    let parsed = parse_mapping(&text)?;
    if parsed.get("title").and_then(Value::as_str) != Some(title) {
        return Err(EditError::Uneditable(
            "the title does not read back as written".into(),
        ));
    }
    Ok(text)
}

const STATUS_YAML: &str = "\
# The settings and services of this status site, written by `candor init`.
# `candor check` explains any mistake; `candor build` writes the site to public/;
# `candor serve` previews it and rebuilds on every save.
title: Example Status
description: Live status of Example's services
base_url: https://status.example.com/   # where the site is published: feeds and sitemap use it
language: en                            # en | ko | id
timezone: UTC                           # an IANA name like Europe/Berlin; times are shown in it
services:                               # in display order; incidents name them by `id`
  - id: website                         # a-z, 0-9 and -
    name: Website
    group: Example
  - id: api
    name: API
    group: Example
    description: The public REST API
  - id: dashboard
    name: Dashboard
    group: Example
";

/// The example incident of `init`: resolved, two days before `now`, in UTC like STATUS_YAML.
fn example_incident(now: Time) -> (String, String) {
    let t0 = (now - Duration::days(2))
        .duration_trunc(Duration::hours(1))
        .unwrap_or(now - Duration::days(2));
    let at = |minutes: i64| stamp(t0 + Duration::minutes(minutes), Tz::UTC);
    let text = format!(
        "\
# An example incident, written by `candor init`: delete it once you have your own.
# Start one with `candor new \"Title\" --service api --impact partial_outage`.
title: \"Example: slow responses from the API\"
severity: minor                     # minor | major | critical
start: {start}
end: {end}           # present means resolved
summary: |
  Requests to the API were slow or failed for about an hour. No data was lost.
cause: |
  A database index was rebuilt during peak hours. From now on we rebuild indexes only in
  announced maintenance windows.
services:
  - id: api
    impact: partial_outage          # degraded_performance | partial_outage | major_outage
    stages:                         # partial restoration, in time order
      - at: {t30}
        impact: degraded_performance
        note: Most requests succeed again; some are still slow
    restored: {t60}
  - id: website
    impact: degraded_performance
    restored: {t45}
updates:
  - at: {t5}
    status: investigating           # investigating | identified | monitoring | resolved
    message: |
      We are investigating slow responses and errors from the API.
  - at: {t25}
    status: identified
    message: |
      A database maintenance task slowed down the API. We have stopped it.
  - at: {t50}
    status: monitoring
    message: |
      Response times are back to normal. We are watching closely.
  - at: {end}
    status: resolved
    message: |
      This incident has been resolved. Sorry for the trouble.
",
        start = at(0),
        end = at(70),
        t5 = at(5),
        t25 = at(25),
        t30 = at(30),
        t45 = at(45),
        t50 = at(50),
        t60 = at(60),
    );
    (format!("{}-example-slow-api", t0.format("%Y-%m-%d")), text)
}

// ---- Files ----

/// What the edits need from `status.yaml`: its zone and its services as (id, name).
struct SiteInfo {
    tz: Tz,
    services: Vec<(String, String)>,
}

impl SiteInfo {
    fn read(root: &Path) -> Result<SiteInfo, AuthoringError> {
        let path = root.join("status.yaml");
        if !path.is_file() {
            return Err(AuthoringError::NoSite(root.to_path_buf()));
        }
        let text = read_text(root, &path)?;
        let unreadable = |message: String| AuthoringError::Unreadable {
            path: path.clone(),
            message,
        };
        let value: Value = yaml_serde::from_str(&text).map_err(|e| unreadable(e.to_string()))?;
        let tz = match value.get("timezone") {
            None | Some(Value::Null) => Tz::UTC,
            Some(zone) => zone
                .as_str()
                .and_then(|name| name.parse::<Tz>().ok())
                .ok_or_else(|| unreadable("`timezone` is not an IANA zone name".into()))?,
        };
        let services = value
            .get("services")
            .and_then(Value::as_sequence)
            .map(|list| {
                list.iter()
                    .filter_map(|s| {
                        let id = s.get("id")?.as_str()?.to_owned();
                        let name = s
                            .get("name")
                            .and_then(Value::as_str)
                            .unwrap_or(&id)
                            .to_owned();
                        Some((id, name))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(SiteInfo { tz, services })
    }
}

/// An instant as RFC 3339 in the site zone, whole seconds: `2022-10-15T16:12:00+09:00`.
fn stamp(now: Time, tz: Tz) -> String {
    now.with_timezone(&tz)
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn words_help(word: &str, allowed: &[&str]) -> String {
    let list = allowed.join(" | ");
    match did_you_mean(word, allowed.iter().copied()) {
        Some(close) => format!("did you mean `{close}`? allowed: {list}"),
        None => format!("allowed: {list}"),
    }
}

fn parse_mapping(text: &str) -> Result<Mapping, EditError> {
    match yaml_serde::from_str::<Value>(text) {
        Ok(Value::Mapping(m)) => Ok(m),
        Ok(_) => Err(EditError::Uneditable(
            "the file is not a YAML mapping of keys".into(),
        )),
        Err(e) => Err(EditError::Unparsable(e.to_string())),
    }
}

/// The edited text, if it reads back as exactly `expected`.
fn verify(text: &str, expected: &Mapping) -> Result<String, EditError> {
    match parse_mapping(text) {
        Ok(m) if m == *expected => Ok(text.to_owned()),
        _ => Err(EditError::Uneditable(
            "the edited file would not read back as the old one plus this change".into(),
        )),
    }
}

fn read_text(root: &Path, path: &Path) -> Result<String, AuthoringError> {
    crate::load::read_input(root, path)?.map_err(|d| AuthoringError::Unreadable {
        path: path.to_path_buf(),
        message: d.message,
    })
}

fn incident_stems(root: &Path) -> Vec<String> {
    let Ok(read) = fs::read_dir(root.join("incidents")) else {
        return Vec::new();
    };
    read.filter_map(|e| {
        e.ok()?
            .file_name()
            .to_str()?
            .strip_suffix(".yaml")
            .map(str::to_owned)
    })
    .collect()
}

fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

fn write_synced(path: &Path, text: &str) -> Result<(), IoError> {
    let mut file = fs::File::create(path).map_err(|e| IoError::new("writing", path, e))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| IoError::new("writing", path, e))
}

/// Replaces `path` by a temp file renamed over it, so a reader (or `serve`) never sees half a
/// file; keeps its permissions, and writes through a symlink to its target.
fn write_atomic(path: &Path, text: &str) -> Result<(), IoError> {
    let target = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let temp = temp_path(&target);
    write_synced(&temp, text)?;
    if let Ok(meta) = fs::metadata(&target) {
        // Best effort: a file system without permissions keeps the defaults.
        let _ = fs::set_permissions(&temp, meta.permissions());
    }
    fs::rename(&temp, &target).map_err(|e| {
        let _ = fs::remove_file(&temp);
        IoError::new("replacing", &target, e)
    })
}

/// Creates `path` with `text` unless it exists (then `false`), never showing a half-written file.
fn create_new(path: &Path, text: &str) -> Result<bool, IoError> {
    let temp = temp_path(path);
    write_synced(&temp, text)?;
    // A hard link fails if the name is taken, so two writers never replace each other.
    let result = match fs::hard_link(&temp, path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        // No hard links on this file system: check, then rename.
        Err(_) if path.exists() => Ok(false),
        Err(_) => fs::rename(&temp, path)
            .map(|()| true)
            .map_err(|e| IoError::new("writing", path, e)),
    };
    let _ = fs::remove_file(&temp);
    result
}

/// Writes `dir/STEM.yaml`, or `STEM-2.yaml`, `STEM-3.yaml`, … if taken; returns the path.
fn write_new(dir: &Path, stem: &str, text: &str) -> Result<PathBuf, IoError> {
    fs::create_dir_all(dir).map_err(|e| IoError::new("creating", dir, e))?;
    for n in 1..1000 {
        let name = if n == 1 {
            format!("{stem}.yaml")
        } else {
            format!("{stem}-{n}.yaml")
        };
        let path = dir.join(name);
        if !path.exists() && create_new(&path, text)? {
            return Ok(path);
        }
    }
    let taken = std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        "999 files with this name exist",
    );
    Err(IoError::new(
        "writing",
        dir.join(format!("{stem}.yaml")),
        taken,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    const AT: &str = "2022-10-20T09:00:00+09:00";

    fn utc(s: &str) -> Time {
        DateTime::parse_from_rfc3339(s)
            .expect("test time")
            .with_timezone(&Utc)
    }

    /// A file written by hand under stress: comments everywhere, odd quoting, `#` inside block
    /// scalars, a comment between updates, a blank line and a comment before the next key.
    const INCIDENT: &str = r##"# Pangyo fire, as posted. Times are KST.
title: 'Kakao services down: "fire" at Pangyo'   # quoted on purpose
severity: critical
start: "2022-10-15T15:30:00+09:00"
services:
  - impact: major_outage    # id is not the first key here
    id: kakaotalk
    stages:
      - at: 2022-10-16T01:30:00+09:00
        impact: partial_outage
        note: "Text: yes; photos: no"
  - id: kakaopay
    impact: partial_outage
    restored: 2022-10-16T12:00:00+09:00 # approximate
    note: |
      Payments
      # not a comment: part of the note
updates:
  - at: 2022-10-15T16:00:00+09:00
    status: investigating
    message: >-
      We are checking.
  # a comment between items
  - at: "2022-10-15T18:00:00+09:00"
    status: identified
    message: |
      Fire at the data center.

      # Not a comment either.

# Apologies follow.
apologies:
  - at: 2022-10-19T10:00:00+09:00
    by: Hong Eun-taek
    statement: Sorry.
"##;

    /// `text` with `inserted` right after the first occurrence of `after`.
    fn with_inserted(text: &str, after: &str, inserted: &str) -> String {
        let at = text.find(after).expect("anchor in text") + after.len();
        format!("{}{inserted}{}", &text[..at], &text[at..])
    }

    fn last_update(text: &str) -> Mapping {
        let map = parse_mapping(text).expect("parses");
        let list = map
            .get("updates")
            .and_then(Value::as_sequence)
            .expect("updates");
        list.last()
            .and_then(Value::as_mapping)
            .cloned()
            .expect("an update")
    }

    #[test]
    fn an_update_is_inserted_keeping_every_other_byte() {
        let out = edit_append_update(INCIDENT, AT, "monitoring", "Most services are back.")
            .expect("edit");
        let expected = with_inserted(
            INCIDENT,
            "      # Not a comment either.\n",
            "  - at: 2022-10-20T09:00:00+09:00\n    status: monitoring\n    message: |\n      Most services are back.\n",
        );
        assert_eq!(out, expected);
        assert!(
            out.find("apologies:") > out.find("Most services are back."),
            "apologies stay after"
        );
    }

    #[test]
    fn zero_indent_and_wide_lists_keep_their_style() {
        let zero = "title: Zero\nstart: 2024-01-01T00:00:00Z\nupdates:\n- at: 2024-01-01T00:05:00Z\n  status: investigating\n  message: Looking.\napologies: []\n";
        let out = edit_append_update(zero, "2024-01-01T01:00:00Z", "identified", "Found it.")
            .expect("edit");
        let inserted =
            "- at: 2024-01-01T01:00:00Z\n  status: identified\n  message: |\n    Found it.\n";
        assert_eq!(out, with_inserted(zero, "  message: Looking.\n", inserted));

        let wide = "title: Wide\nstart: 2024-01-01T00:00:00Z\nupdates:\n    -   at: 2024-01-01T00:05:00Z\n        status: investigating\n        message: Looking.\n";
        let out = edit_append_update(wide, "2024-01-01T01:00:00Z", "identified", "Found it.")
            .expect("edit");
        let inserted = "    -   at: 2024-01-01T01:00:00Z\n        status: identified\n        message: |\n          Found it.\n";
        assert_eq!(out, format!("{wide}{inserted}"));
    }

    #[test]
    fn any_message_text_reads_back_exactly() {
        for message in [
            "Status: degraded # not \"fixed\" 'yet'\n\nSecond line: ok\n- a list item\n\n    code: block",
            "  starts with spaces: a code block",
            "{ looks: like, flow: yes } & *alias !tag %directive @ `tick`",
            "---\n...\n# heading",
        ] {
            let out = edit_append_update(INCIDENT, AT, "identified", message).expect("edit");
            let update = last_update(&out);
            assert_eq!(
                update.get("message").and_then(Value::as_str),
                Some(format!("{message}\n").as_str())
            );
            assert!(
                out.starts_with(&INCIDENT[..INCIDENT.find("\n\n# Apologies").expect("anchor")])
            );
        }
        let crlf =
            edit_append_update(INCIDENT, AT, "identified", "one\r\ntwo\r\n\r\n").expect("edit");
        assert_eq!(
            last_update(&crlf).get("message").and_then(Value::as_str),
            Some("one\ntwo\n")
        );
    }

    #[test]
    fn empty_or_control_character_messages_are_refused() {
        for message in ["", "  \n\n ", "bell \u{7}"] {
            let err = edit_append_update(INCIDENT, AT, "identified", message).expect_err("refused");
            assert!(matches!(err, EditError::Invalid(_)), "{message:?}: {err:?}");
        }
    }

    #[test]
    fn a_file_without_updates_gets_the_list_at_its_end() {
        // No trailing newline; the new list borrows the zero indentation of `services:`.
        let text =
            "title: X\nstart: 2024-01-01T00:00:00Z\nservices:\n- id: api\n  impact: major_outage";
        let out = edit_append_update(text, "2024-01-01T00:00:00Z", "investigating", "Looking.")
            .expect("edit");
        let expected = format!(
            "{text}\nupdates:\n- at: 2024-01-01T00:00:00Z\n  status: investigating\n  message: |\n    Looking.\n"
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn an_empty_flow_list_is_replaced_and_a_full_one_refused() {
        let text = "title: X\nstart: 2024-01-01T00:00:00Z\nupdates: [] # none yet\napologies: []\n";
        let out = edit_append_update(text, "2024-01-01T00:00:00Z", "investigating", "Looking.")
            .expect("edit");
        let expected = "title: X\nstart: 2024-01-01T00:00:00Z\nupdates: # none yet\n  - at: 2024-01-01T00:00:00Z\n    status: investigating\n    message: |\n      Looking.\napologies: []\n";
        assert_eq!(out, expected);

        let flow = "title: X\nstart: 2024-01-01T00:00:00Z\nupdates: [{at: 2024-01-01T00:00:00Z, status: investigating, message: m}]\n";
        let err = edit_append_update(flow, AT, "resolved", "Done.").expect_err("flow");
        assert!(
            matches!(err, EditError::FlowStyle { ref key, .. } if key == "updates"),
            "{err:?}"
        );
    }

    #[test]
    fn crlf_files_get_crlf_lines() {
        let text = INCIDENT.replace('\n', "\r\n");
        let out = edit_append_update(&text, AT, "monitoring", "Back.\nMostly.").expect("edit");
        let inserted = "  - at: 2022-10-20T09:00:00+09:00\r\n    status: monitoring\r\n    message: |\r\n      Back.\r\n      Mostly.\r\n";
        assert_eq!(
            out,
            with_inserted(&text, "      # Not a comment either.\r\n", inserted)
        );
    }

    #[test]
    fn status_words_follow_the_kind() {
        let err = edit_append_update(INCIDENT, AT, "resovled", "x").expect_err("typo");
        assert_eq!(err.to_string(), "unknown status `resovled` for an incident");
        let help = err.help().expect("help");
        assert!(help.contains("did you mean `resolved`?"), "{help}");
        assert!(
            help.contains("investigating | identified | monitoring | resolved"),
            "{help}"
        );

        let window = "title: M\nkind: maintenance\nstart: 2024-01-01T00:00:00Z\nend: 2024-01-01T02:00:00Z\nupdates:\n  - at: 2024-01-01T00:00:00Z\n    status: scheduled\n    message: Planned.\n";
        assert!(edit_append_update(window, AT, "in_progress", "Started.").is_ok());
        let err = edit_append_update(window, AT, "resolved", "Done.").expect_err("incident word");
        assert!(
            err.to_string().contains("for a maintenance window"),
            "{err}"
        );
        assert!(
            err.help()
                .is_some_and(|h| h.contains("scheduled | in_progress | completed"))
        );
    }

    #[test]
    fn restored_is_inserted_after_the_entry_or_replaced_in_place() {
        // `id` is the second key and the entry ends in a nested list.
        let out = edit_mark_restored(INCIDENT, "kakaotalk", AT).expect("insert");
        let expected = with_inserted(
            INCIDENT,
            "        note: \"Text: yes; photos: no\"\n",
            "    restored: 2022-10-20T09:00:00+09:00\n",
        );
        assert_eq!(out, expected);

        // An existing value is replaced; its comment stays.
        let out = edit_mark_restored(INCIDENT, "kakaopay", AT).expect("replace");
        let expected = INCIDENT.replacen(
            "    restored: 2022-10-16T12:00:00+09:00 # approximate\n",
            "    restored: 2022-10-20T09:00:00+09:00 # approximate\n",
            1,
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn restored_in_zero_indent_lists_and_empty_values() {
        let text = "title: X\nstart: 2024-01-01T00:00:00Z\nservices:\n- id: api\n  impact: major_outage\n- id: web\n  restored:   # not yet\n  impact: partial_outage\nupdates: []\n";
        let out = edit_mark_restored(text, "api", "2024-01-01T03:00:00Z").expect("insert");
        assert_eq!(
            out,
            text.replacen(
                "major_outage\n",
                "major_outage\n  restored: 2024-01-01T03:00:00Z\n",
                1
            )
        );
        let out = edit_mark_restored(text, "web", "2024-01-01T03:00:00Z").expect("replace");
        assert_eq!(
            out,
            text.replacen(
                "restored:   # not yet",
                "restored: 2024-01-01T03:00:00Z   # not yet",
                1
            )
        );
    }

    #[test]
    fn restoring_a_service_not_in_the_incident_lists_those_that_are() {
        let err = edit_mark_restored(INCIDENT, "kakaomap", AT).expect_err("not listed");
        assert_eq!(
            err.to_string(),
            "service `kakaomap` is not in this incident"
        );
        assert!(
            err.help()
                .is_some_and(|h| h.contains("kakaotalk, kakaopay")),
            "{:?}",
            err.help()
        );
    }

    #[test]
    fn a_flow_service_entry_is_refused_with_the_block_form() {
        let text = "title: X\nstart: 2024-01-01T00:00:00Z\nservices:\n  - { id: api, impact: major_outage }\n";
        let err = edit_mark_restored(text, "api", AT).expect_err("flow");
        assert!(matches!(err, EditError::FlowStyle { .. }), "{err:?}");
        assert!(
            err.help().is_some_and(|h| h.contains("- id: api")),
            "{:?}",
            err.help()
        );
    }

    #[test]
    fn slugs_that_leave_the_incidents_folder_are_refused() {
        for bad in [
            "../x",
            "incidents/../x.yaml",
            "/etc/passwd",
            "a/b",
            "",
            "-x",
            "X",
            "a.b",
            "..",
            "a\\b",
        ] {
            assert!(
                matches!(parse_slug(bad), Err(AuthoringError::BadSlug(_))),
                "{bad:?}"
            );
        }
        for good in [
            "2022-10-15-fire",
            "2022-10-15-fire.yaml",
            "incidents/2022-10-15-fire.yaml",
        ] {
            assert_eq!(parse_slug(good).expect("slug"), "2022-10-15-fire");
        }
        let site = tempfile::tempdir().expect("tempdir");
        fs::write(site.path().join("status.yaml"), STATUS_YAML).expect("write");
        let err = append_update(
            site.path(),
            "../status",
            "identified",
            "x",
            utc("2024-01-01T00:00:00Z"),
        );
        assert!(matches!(err, Err(AuthoringError::BadSlug(_))));
        assert_eq!(
            fs::read_to_string(site.path().join("status.yaml")).expect("read"),
            STATUS_YAML
        );
    }

    #[test]
    fn titles_become_short_ascii_slugs() {
        assert_eq!(
            slugify("Kakao services down: fire at Pangyo!"),
            "kakao-services-down-fire-at-pangyo"
        );
        assert_eq!(slugify("Can't log in"), "cant-log-in");
        assert_eq!(slugify("  --API--  "), "api");
        assert_eq!(slugify("판교 데이터센터 화재"), "incident");
        let long = slugify(&"word ".repeat(30));
        assert!(long.len() <= MAX_SLUG && long.ends_with("word"), "{long}");
    }

    #[test]
    fn titles_read_back_as_written() {
        for title in [
            "Plain title",
            "Errors: API",
            "# hash",
            "\"quoted\"",
            "true",
            "123",
            "a #b",
            "back\\slash",
            "- dash",
            "it's",
        ] {
            let yaml = format!("title: {}", yaml_scalar(title));
            let value: Value = yaml_serde::from_str(&yaml).expect("parses");
            assert_eq!(
                value.get("title").and_then(Value::as_str),
                Some(title),
                "{yaml}"
            );
        }
        assert_eq!(yaml_scalar("Plain title"), "Plain title");
    }

    fn site_with_status() -> tempfile::TempDir {
        let site = tempfile::tempdir().expect("tempdir");
        fs::write(site.path().join("status.yaml"), STATUS_YAML).expect("write");
        site
    }

    fn check(root: &Path, now: Time) -> Result<crate::load::Loaded, crate::error::Error> {
        crate::check(&crate::Options {
            root: root.to_path_buf(),
            output: root.join("public"),
            base_url: None,
            now,
            drafts: false,
            strict: true,
        })
    }

    #[test]
    fn a_new_incident_checks_clean_and_never_replaces_a_file() {
        let site = site_with_status();
        let now = utc("2024-03-10T23:30:15.5Z");
        let services = pair_impacts(
            &["api".into(), "website".into()],
            &["partial_outage".into()],
        )
        .expect("pairs");
        assert_eq!(
            services[1].1, "major_outage",
            "a service without --impact gets the default"
        );
        let title = "API: errors \"500\" # bad";
        let path = new_incident(site.path(), title, &services, now).expect("new");
        assert_eq!(
            path,
            site.path()
                .join("incidents/2024-03-10-api-errors-500-bad.yaml")
        );
        let text = fs::read_to_string(&path).expect("read");
        assert!(
            text.contains("severity: major") && text.contains("start: 2024-03-10T23:30:15Z"),
            "{text}"
        );
        assert!(text.contains("problems with API and Website."), "{text}");
        let loaded = check(site.path(), now).expect("checks with --strict");
        assert_eq!(
            loaded.site.incidents.first().map(|i| i.title.as_str()),
            Some(title)
        );

        let again = new_incident(site.path(), title, &[], now).expect("new");
        assert_eq!(
            again,
            site.path()
                .join("incidents/2024-03-10-api-errors-500-bad-2.yaml")
        );
        assert_eq!(
            fs::read_to_string(&path).expect("read"),
            text,
            "the first file is untouched"
        );
        check(site.path(), now).expect("an incident without services checks too");
    }

    #[test]
    fn a_new_incident_uses_the_site_zone_for_name_and_times() {
        let site = tempfile::tempdir().expect("tempdir");
        let status = STATUS_YAML.replace("timezone: UTC", "timezone: Asia/Seoul");
        fs::write(site.path().join("status.yaml"), status).expect("write");
        let path =
            new_incident(site.path(), "Fire", &[], utc("2022-10-15T06:30:00Z")).expect("new");
        assert!(path.ends_with("2022-10-15-fire.yaml"));
        let path =
            new_incident(site.path(), "Late", &[], utc("2022-10-15T15:30:00Z")).expect("new");
        assert!(path.ends_with("2022-10-16-late.yaml"), "{}", path.display());
        assert!(
            fs::read_to_string(path)
                .expect("read")
                .contains("start: 2022-10-16T00:30:00+09:00")
        );
    }

    #[test]
    fn unknown_services_and_impacts_are_named() {
        let site = site_with_status();
        let now = utc("2024-01-01T00:00:00Z");
        let err = new_incident(
            site.path(),
            "X",
            &[("apii".into(), "major_outage".into())],
            now,
        )
        .expect_err("service");
        assert!(err.help().is_some_and(
            |h| h.contains("did you mean `api`?") && h.contains("website, api, dashboard")
        ));
        let err = new_incident(site.path(), "X", &[("api".into(), "down".into())], now)
            .expect_err("impact");
        assert!(
            err.help().is_some_and(|h| h.contains("partial_outage")),
            "{:?}",
            err.help()
        );
        let err = pair_impacts(
            &["api".into()],
            &["major_outage".into(), "partial_outage".into()],
        );
        assert!(matches!(err, Err(AuthoringError::Invalid { .. })));
        assert!(
            !site.path().join("incidents").exists(),
            "nothing was written"
        );
    }

    #[test]
    fn update_and_restored_edit_the_file_once_and_it_still_checks() {
        let site = site_with_status();
        let start = utc("2024-03-10T10:00:00Z");
        let path = new_incident(
            site.path(),
            "Slow API",
            &[("api".into(), "partial_outage".into())],
            start,
        )
        .expect("new");
        let slug = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("stem")
            .to_owned();
        let before = fs::read_to_string(&path).expect("read");
        let later = utc("2024-03-10T11:00:00Z");
        let bad = [
            Edit::Restored { service: "api" },
            Edit::Update {
                status: "fixed",
                message: "x",
            },
        ];
        assert!(edit_incident(site.path(), &slug, &bad, later).is_err());
        assert_eq!(
            fs::read_to_string(&path).expect("read"),
            before,
            "a refused edit writes nothing"
        );
        let edits = [
            Edit::Restored { service: "api" },
            Edit::Update {
                status: "resolved",
                message: "Fixed.",
            },
        ];
        edit_incident(site.path(), &slug, &edits, later).expect("edit");
        let after = fs::read_to_string(&path).expect("read");
        assert!(
            after.contains("    restored: 2024-03-10T11:00:00Z\n"),
            "{after}"
        );
        let loaded = check(site.path(), later).expect("checks");
        assert_eq!(
            loaded.site.incidents.first().and_then(|i| i.end),
            Some(later),
            "resolved by the update"
        );
    }

    #[test]
    fn init_makes_a_site_that_checks_without_warnings() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("status");
        let now = utc("2024-03-01T00:20:00Z");
        let written = init(&root, now).expect("init");
        assert_eq!(written.len(), 3, "{written:?}");
        assert_eq!(
            fs::read_to_string(root.join(".gitignore")).expect("read"),
            "/public\n"
        );
        assert!(
            root.join("incidents/2024-02-28-example-slow-api.yaml")
                .is_file()
        );
        let loaded = check(&root, now).expect("checks with --strict");
        assert_eq!(loaded.site.incidents.len(), 1);
        assert!(matches!(
            init(&root, now),
            Err(AuthoringError::SiteExists(_))
        ));

        let other = dir.path().join("other");
        fs::create_dir_all(&other).expect("mkdir");
        fs::write(other.join(".gitignore"), "target\n").expect("write");
        assert_eq!(
            init(&other, now).expect("init").len(),
            2,
            "an existing .gitignore is kept"
        );
        assert_eq!(
            fs::read_to_string(other.join(".gitignore")).expect("read"),
            "target\n"
        );
    }

    /// The lines of `new` are those of `old` with one line inserted or one line replaced.
    fn one_line_changed(old: &str, new: &str) -> bool {
        let (a, b): (Vec<&str>, Vec<&str>) = (
            old.split_inclusive('\n').collect(),
            new.split_inclusive('\n').collect(),
        );
        let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
        let suffix = a
            .iter()
            .rev()
            .zip(b.iter().rev())
            .take_while(|(x, y)| x == y)
            .count();
        let kept = prefix + suffix.min(a.len() - prefix);
        b.len() - kept == 1 && a.len() - kept <= 1
    }

    #[test]
    fn every_incident_of_the_repository_can_be_updated_and_restored() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut folders = vec![repo.join("incidents")];
        for entry in fs::read_dir(repo.join("tests/fixtures/real"))
            .expect("fixtures")
            .flatten()
        {
            folders.push(entry.path().join("incidents"));
        }
        let mut seen = 0;
        for file in folders
            .iter()
            .flat_map(|f| fs::read_dir(f).into_iter().flatten().flatten())
        {
            let text = fs::read_to_string(file.path()).expect("read");
            let name = file.path().display().to_string();
            let map = parse_mapping(&text).expect("fixture parses");
            let status = if map.get("kind").and_then(Value::as_str) == Some("maintenance") {
                "in_progress"
            } else {
                "monitoring"
            };
            let out = edit_append_update(&text, AT, status, "Still: \"here\" # ok")
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let prefix = text
                .bytes()
                .zip(out.bytes())
                .take_while(|(a, b)| a == b)
                .count();
            assert!(out.ends_with(&text[prefix..]), "{name}: only an insertion");
            for service in map
                .get("services")
                .and_then(Value::as_sequence)
                .into_iter()
                .flatten()
            {
                let id = service.get("id").and_then(Value::as_str).expect("id");
                match edit_mark_restored(&text, id, AT) {
                    Ok(out) => assert!(one_line_changed(&text, &out), "{name} {id}"),
                    Err(EditError::FlowStyle { .. }) => {}
                    Err(e) => panic!("{name} {id}: {e}"),
                }
            }
            seen += 1;
        }
        assert!(seen >= 8, "found {seen} incident files");
    }
}
