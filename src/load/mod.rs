//! Reads `status.yaml` and `incidents/*.yaml`, checks every rule of format.md, and builds the
//! model. Every problem of every file is collected, so a team under stress fixes each file once.
//! This file holds the reading (the one reader of status.yaml, `load_status`, which `authoring`
//! uses too; the incident files, listed by `walk`) and YAML errors turned into diagnostics.
//!
//! Never imports render or theme (a theme's languages come in `LoadOptions`), never reads the
//! clock, never prints.

mod gate;
mod incident;
mod index;
pub mod raw;
mod report;
mod site;
pub mod words;

pub use incident::load_incident;
pub use site::{BaseUrlError, SiteContext, parse_base_url};
// `live` checks a folder name with it before removing the folder.

use crate::error::{Code, Diagnostic, IoError, LoadError, Outside, WalkError};
use crate::model::{Incident, Site, Time};
use crate::output::fingerprint::{self, Fingerprint};
use crate::walk::{self, Depth};
use rayon::prelude::*;
use report::{Report, line_text, place};
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};
use words::did_you_mean;

/// A file over this size is refused before it is read whole.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// The build time (warnings about an expected end, a long-open incident).
    pub now: Time,
    /// The clock (the warning about a mistyped year).
    pub clock: Time,
    pub drafts: bool,
    /// The interface languages of a theme, by its name: `language:` is checked against them,
    /// and the loader need not know where themes live (the caller passes `theme::languages`).
    pub languages: Languages,
}

/// The languages a theme of the site at `root` offers (`en`, `ko`): its i18n file stems.
pub type Languages = fn(root: &Path, theme: &str) -> Vec<String>;

/// A valid site and the warnings found while loading it.
#[derive(Debug)]
pub struct Loaded {
    pub site: Site,
    pub warnings: Vec<Diagnostic>,
    /// Every input file read (status.yaml, then the incident files in name order), with a
    /// digest of its bytes: what a rebuild compares, so it need not read the files again.
    pub files: Vec<(PathBuf, Fingerprint)>,
}

/// Loads and checks the whole site under `root`.
pub fn load(root: &Path, options: &LoadOptions) -> Result<Loaded, LoadError> {
    let status = load_status(root, options.languages)?;
    let (context, mut diagnostics) = (status.context, status.diagnostics);
    let mut incidents = Vec::new();
    let mut files: Vec<(PathBuf, Fingerprint)> = status
        .digest
        .map(|digest| (root.join("status.yaml"), digest))
        .into_iter()
        .collect();
    for (path, outcome) in load_files(root, context.as_ref(), options)? {
        diagnostics.extend(outcome.diagnostics);
        incidents.extend(outcome.incident);
        files.extend(outcome.digest.map(|digest| (path, digest)));
    }
    match context {
        Some(context) if !diagnostics.iter().any(Diagnostic::is_error) => Ok(Loaded {
            site: context.site(incidents),
            warnings: diagnostics,
            files,
        }),
        _ => Err(LoadError::Invalid(diagnostics)),
    }
}

/// Loads every file of `incidents/`, in parallel, in file-name order. An outcome's incident is
/// `None` when the file has errors, or when it is a draft and drafts are not shown.
pub fn load_files(
    root: &Path,
    context: Option<&SiteContext>,
    options: &LoadOptions,
) -> Result<Vec<(PathBuf, FileOutcome)>, LoadError> {
    incident_files(root)?
        .into_par_iter()
        .map(|path| load_file(root, &path, context, options).map(|outcome| (path, outcome)))
        .collect::<Result<_, IoError>>()
        .map_err(LoadError::from)
}

/// What loading status.yaml gave: the settings and services incidents are checked against
/// (`None` when it does not parse at all), its problems, and a digest of its bytes.
#[derive(Debug)]
pub struct StatusOutcome {
    pub context: Option<SiteContext>,
    pub diagnostics: Vec<Diagnostic>,
    pub digest: Option<Fingerprint>,
}

/// What to tell someone who ran candor where there is no `status.yaml`: when `root` lies inside
/// a site (run from `incidents/`), where that site's root is; else how to start a site there.
pub fn no_site_help(root: &Path) -> String {
    match enclosing_site(root) {
        Some(site) => format!(
            "this folder is inside the site at `{}`: run candor there, or pass `--root {}`",
            site.display(),
            site.display()
        ),
        None => format!(
            "run `candor init {}` to create a site there, or pass --root",
            root.display()
        ),
    }
}

/// The nearest folder above `root` with a `status.yaml`: as `..`, `../..` when `root` is the
/// current folder, else as an absolute path.
fn enclosing_site(root: &Path) -> Option<PathBuf> {
    let absolute = root.canonicalize().ok()?;
    let (depth, site) = (absolute.ancestors().enumerate().skip(1))
        .find(|(_, folder)| folder.join("status.yaml").is_file())?;
    if root == Path::new(".") || root.as_os_str().is_empty() {
        Some(std::iter::repeat_n("..", depth).collect())
    } else {
        Some(site.to_path_buf())
    }
}

/// Reads and checks `status.yaml`, its `language` against the languages of its `theme`.
pub fn load_status(root: &Path, languages: Languages) -> Result<StatusOutcome, LoadError> {
    let status_path = root.join("status.yaml");
    if !status_path.is_file() {
        return Err(LoadError::NoSite(root.to_path_buf()));
    }
    let languages = |theme: &str| languages(root, theme);
    Ok(match read_input(root, &status_path)? {
        Ok(text) => {
            let (context, diagnostics) = site::load_site(&text, &languages);
            StatusOutcome {
                context,
                diagnostics,
                digest: Some(fingerprint::digest(text.as_bytes())),
            }
        }
        Err(refused) => StatusOutcome {
            context: None,
            diagnostics: vec![refused],
            digest: None,
        },
    })
}

/// What loading one incident file gave: the incident when it is valid (and shown: drafts only
/// with `drafts`), and its problems.
#[derive(Debug)]
pub struct FileOutcome {
    pub incident: Option<Incident>,
    pub diagnostics: Vec<Diagnostic>,
    /// Of the file's bytes, when it could be read.
    pub digest: Option<Fingerprint>,
}

/// The `.yaml` and `.yml` files of `incidents/`, sorted by name so messages keep one order;
/// symlinks followed, as `walk` says; a link leading out of the site is the user's to fix.
pub fn incident_files(root: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let mut files = match walk::files(root, &root.join("incidents"), Depth::Top) {
        Ok(files) => files,
        Err(WalkError::Io(e)) => return Err(e.into()),
        Err(WalkError::Outside(out)) => return Err(LoadError::Invalid(vec![outside(root, &out)])),
        Err(WalkError::Loop { link, back_to }) => {
            return Err(LoadError::Invalid(vec![symlink_loop(
                root,
                &link,
                back_to.as_deref(),
            )]));
        }
    };
    files.retain(|path| is_incident_file(path));
    Ok(files)
}

/// A link out of the site as a diagnostic on the link.
fn outside(root: &Path, out: &Outside) -> Diagnostic {
    Diagnostic::error(
        Code::SymlinkOutside,
        &relative(root, &out.link),
        format!(
            "this is a symlink to `{}`, outside the site folder",
            out.target.display()
        ),
    )
    .with_help(format!(
        "candor reads no file outside the site folder `{}`: copy the file into it, or point \
         the link at a file inside it",
        out.within.display()
    ))
}

/// A symlink loop in the site as a diagnostic on the link: the user's to fix, like any input.
fn symlink_loop(root: &Path, link: &Path, back_to: Option<&Path>) -> Diagnostic {
    let message = match back_to {
        Some(folder) => format!(
            "this symlink leads back to `{}`, a folder that holds it: a loop",
            relative(root, folder)
        ),
        None => "this symlink leads back to itself: a loop".to_owned(),
    };
    Diagnostic::error(Code::SymlinkLoop, &relative(root, link), message)
        .with_help("point the link at a file or folder, or remove it".to_owned())
}

/// Whether a path is one `load` reads (or refuses by name): `incidents/*.yaml` and `*.yml`.
pub fn is_incident_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

/// Loads one file of `incidents/`; a `.yml` file is refused with a hint to rename it.
pub fn load_file(
    root: &Path,
    path: &Path,
    context: Option<&SiteContext>,
    options: &LoadOptions,
) -> Result<FileOutcome, IoError> {
    let rel = relative(root, path);
    if path.extension().and_then(|e| e.to_str()) == Some("yml") {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let d = Diagnostic::error(Code::WrongExtension, &rel, "incident files end in `.yaml`")
            .with_help(format!("rename it to `incidents/{stem}.yaml`"));
        return Ok(FileOutcome {
            incident: None,
            diagnostics: vec![d],
            digest: None,
        });
    }
    let ((incident, diagnostics), digest) = match read_input(root, path)? {
        Ok(text) => (
            load_incident(&rel, &text, context, options),
            Some(fingerprint::digest(text.as_bytes())),
        ),
        Err(refused) => ((None, vec![refused]), None),
    };
    Ok(FileOutcome {
        incident: incident.filter(|i| options.drafts || !i.draft),
        diagnostics,
        digest,
    })
}

/// Reads an input file, refusing a link out of the site (`walk`'s policy) and a file over
/// `MAX_FILE_BYTES` before reading it whole, and drops a UTF-8 byte-order mark at its start
/// (Windows editors write one; YAML allows it there), so the first key is read as written and
/// columns count from the first visible character.
/// The inner `Err` is a diagnostic for the user (too large, not UTF-8); the outer one an I/O failure.
pub fn read_input(root: &Path, path: &Path) -> Result<Result<String, Diagnostic>, IoError> {
    let rel = relative(root, path);
    if let Err(out) = walk::inside(root, path) {
        return Ok(Err(outside(root, &out)));
    }
    let size = std::fs::metadata(path)
        .map_err(|e| IoError::new("reading", path, e))?
        .len();
    if size > MAX_FILE_BYTES {
        return Ok(Err(Diagnostic::error(
            Code::FileTooLarge,
            &rel,
            format!("file is {size} bytes; the limit is {MAX_FILE_BYTES} (1 MiB)"),
        )
        .with_help("split it, or move long texts to a postmortem_url")));
    }
    let mut bytes = std::fs::read(path).map_err(|e| IoError::new("reading", path, e))?;
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    Ok(String::from_utf8(bytes).map_err(|e| {
        Diagnostic::error(
            Code::NotUtf8,
            &rel,
            format!("file is not UTF-8 (byte {})", e.utf8_error().valid_up_to()),
        )
        .with_help("save it as UTF-8")
    }))
}

/// U+FEFF as UTF-8.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The path of `path` below `root`, with `/` separators, as messages show it.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Parses YAML into a raw struct; a failure becomes one diagnostic at its line. The gate reads
/// the text first wherever it may find something (`gate::needs_check`), so yaml_serde never
/// expands an alias nor reads deep nesting; and it reads a file yaml_serde failed on, so a
/// syntax error is reported as such even where yaml_serde first met a missing key.
fn parse_yaml<T: DeserializeOwned>(
    report: &mut Report,
    allowed_keys: &dyn Fn(&str) -> &'static [&'static str],
) -> Option<T> {
    if is_empty(report.source) {
        report
            .diagnostics
            .push(empty_file(report.file, report.source));
        return None;
    }
    let gated = gate::needs_check(report.source);
    if gated && refused(report) {
        return None;
    }
    match yaml_serde::from_str::<T>(report.source) {
        Ok(value) => {
            comments_in_text(report);
            Some(value)
        }
        Err(err) => {
            if !gated && refused(report) {
                return None;
            }
            let d = yaml_diagnostic(report, &err, allowed_keys);
            report.diagnostics.push(d);
            None
        }
    }
}

/// Whether a YAML text holds no document: nothing but blank lines, comments and `---`/`...`.
fn is_empty(source: &str) -> bool {
    source.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---" || l == "..."
    })
}

/// An empty file, at its first line: what it must hold at least, rather than the first key
/// serde found missing, which it places past the file's end.
fn empty_file(file: &str, source: &str) -> Diagnostic {
    let (message, help) = if file == "status.yaml" {
        (
            "status.yaml is empty",
            "write at least `title: …` and `base_url: https://…` (`candor init` writes a whole one)",
        )
    } else {
        (
            "this incident file is empty",
            "write at least `title: …` and `start: …` (`candor new \"TITLE\"` writes a whole one)",
        )
    };
    let mut d = Diagnostic::error(Code::EmptyFile, file, message).with_help(help);
    place(
        &mut d,
        line_text(source, 1).filter(|_| !source.is_empty()),
        1,
        1,
    );
    d.span = 1;
    d
}

/// The number of the last line of `source` that holds anything, a line break ending it or not.
fn last_line(source: &str) -> usize {
    let body = source.trim_end_matches(['\n', '\r', ' ', '\t']);
    report::Lines::new(body).count().max(1)
}

/// A warning for each prose value a ` #` cuts short; a file without `#` is not read again.
fn comments_in_text(report: &mut Report) {
    if !report.source.contains('#') {
        return;
    }
    for cut in gate::cut_by_comment(report.source) {
        let mut d = Diagnostic::warning(cut.code, report.file, cut.message).with_help(cut.help);
        let (line, column) = (cut.at.line, cut.at.column);
        place(&mut d, line_text(report.source, line), line, column);
        d.span = cut.width.unwrap_or(d.span);
        d.suggestion = cut.suggestion.map(|s| *s);
        report.diagnostics.push(d);
    }
}

/// Runs the gate over the report's file; a refusal becomes its diagnostic.
fn refused(report: &mut Report) -> bool {
    let Err(refusal) = gate::check(report.source) else {
        return false;
    };
    let mut d =
        Diagnostic::error(refusal.code, report.file, refusal.message).with_help(refusal.help);
    let (line, column) = (refusal.at.line, refusal.at.column);
    place(&mut d, line_text(report.source, line), line, column);
    d.span = refusal.width.unwrap_or(d.span);
    d.suggestion = refusal.suggestion.map(|s| *s);
    report.diagnostics.push(d);
    true
}

fn yaml_diagnostic(
    report: &mut Report,
    err: &yaml_serde::Error,
    allowed_keys: &dyn Fn(&str) -> &'static [&'static str],
) -> Diagnostic {
    let text = strip_marks(&err.to_string());
    let (path, message) = match text.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') => (path.to_owned(), rest.to_owned()),
        _ => (String::new(), text.clone()),
    };
    let mut d = Diagnostic::error(Code::YamlSyntax, report.file, String::new());
    let at = if path.is_empty() || path == "." {
        String::new()
    } else {
        format!(" in {}", entry_name(&path))
    };
    if let Some(key) = between(&message, "unknown field `", "`") {
        let allowed = allowed_keys(&path);
        d.code = Code::UnknownField;
        d.message = format!("unknown key `{key}`{at}");
        d.help = Some(match did_you_mean(key, allowed.iter().copied()) {
            Some(close) => format!(
                "did you mean `{close}`? allowed here: {}",
                allowed.join(", ")
            ),
            None => format!("allowed here: {}", allowed.join(", ")),
        });
    } else if let Some(key) = between(&message, "duplicate field `", "`") {
        // yaml_serde places this at the entry (1:1 for the file's own keys): find the second one.
        let full = if path.is_empty() || path == "." {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        };
        d.code = Code::DuplicateKey;
        d.message = format!("`{key}` is written twice{at}");
        if let Some(second) = report.repeated_key(&full) {
            d.help = Some(match report_value_line(report, &full) {
                Some(first) => format!("keep one: the first `{key}:` is on line {first}"),
                None => format!("keep one `{key}:`"),
            });
            report.place(&mut d, second);
            return d;
        }
        d.help = Some(format!("keep one `{key}:`"));
    } else if let Some(key) = between(&message, "missing field `", "`") {
        d.code = Code::MissingField;
        d.message = format!("missing key `{key}`{at}");
        d.help = Some(format!("add `{key}:` to this entry"));
    } else if message.starts_with("invalid type") {
        d.code = Code::WrongType;
        d.message = format!(
            "wrong type{at}: {}",
            readable_type(message.trim_start_matches("invalid type: "))
        );
    } else {
        // yaml_serde's other errors are values it could not read as the type (`-1` for days).
        if !message.contains("while ") && !message.contains("expected key") {
            d.code = Code::WrongType;
        }
        d.message = if at.is_empty() {
            message
        } else {
            format!("{message}{at}")
        };
    }
    if d.message.contains("did not find expected") || d.message.contains("mapping values") {
        d.help = Some("check the indentation and quoting of this line and the one above".into());
    }
    let (mut line, mut column) = err.location().map_or((1, 1), |l| (l.line(), l.column()));
    // libyaml places some errors at the end of the input, past its last line: show that line.
    let last = last_line(report.source);
    if line > last {
        line = last;
        column = line_text(report.source, line).map_or(1, |t| t.chars().count().max(1));
    }
    place(&mut d, line_text(report.source, line), line, column);
    d
}

/// A field path as people count: `services[0].stages[1]` is "stage #2 of service #1", and a
/// path with no list in it stays a path (`` `uptime.weights` ``). Entries count from 1, as
/// docs/decisions.md says, in every message.
pub fn entry_name(path: &str) -> String {
    if !path.contains('[') {
        return format!("`{path}`");
    }
    let parts: Vec<String> = path
        .split('.')
        .map(|segment| match segment.split_once('[') {
            Some((list, index)) => {
                let n = index
                    .trim_end_matches(']')
                    .parse::<usize>()
                    .map_or(0, |i| i + 1);
                format!("{} #{n}", singular(list))
            }
            None => format!("`{segment}`"),
        })
        .collect();
    parts.into_iter().rev().collect::<Vec<_>>().join(" of ")
}

/// What one entry of a list of format.md is called.
fn singular(list: &str) -> String {
    match list {
        "updates" => "update".to_owned(),
        "services" => "service".to_owned(),
        "stages" => "stage".to_owned(),
        "apologies" => "apology".to_owned(),
        "statements" => "statement".to_owned(),
        "leadership" => "leadership change".to_owned(),
        "compensation" => "compensation entry".to_owned(),
        "commitments" => "commitment".to_owned(),
        "links" => "link".to_owned(),
        "sources" => "source".to_owned(),
        other => format!("entry of `{other}`"),
    }
}

/// The line of the value at `path`, which stands on its key's line in a block mapping.
fn report_value_line(report: &mut Report, path: &str) -> Option<usize> {
    report.value_at(path).map(|p| p.line)
}

/// serde names our structs (`expected struct RawIncident`); users wrote a mapping of keys.
fn readable_type(message: &str) -> String {
    match message.find("expected struct Raw") {
        Some(i) => format!(
            "{}expected keys and values (`key: value` lines)",
            &message[..i]
        ),
        None => message.to_owned(),
    }
}

/// Removes yaml_serde's " at line N column M" (the diagnostic shows the place itself).
fn strip_marks(text: &str) -> String {
    let mut out = text.to_owned();
    while let Some(start) = out.find(" at line ") {
        let tail = &out[start + " at line ".len()..];
        let end = tail
            .find(|c: char| !(c.is_ascii_digit() || c == ' ' || "column".contains(c)))
            .unwrap_or(tail.len());
        out.replace_range(start..start + " at line ".len() + end, "");
    }
    out
}

fn between<'t>(text: &'t str, open: &str, close: &str) -> Option<&'t str> {
    let start = text.find(open)? + open.len();
    let len = text[start..].find(close)?;
    Some(&text[start..start + len])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_struct_names_never_reach_users() {
        let d = yaml_diagnostic_of("[]\n");
        assert_eq!(
            d.message,
            "wrong type: sequence, expected keys and values (`key: value` lines)"
        );
        assert_eq!((d.line, d.column), (Some(1), Some(1)));
    }

    fn yaml_diagnostic_of(text: &str) -> Diagnostic {
        let mut report = Report::new("incidents/a.yaml", text);
        let parsed = parse_yaml::<crate::load::raw::RawIncident>(&mut report, &|_| &[]);
        assert!(parsed.is_none());
        report.diagnostics.remove(0)
    }

    #[test]
    fn entries_count_from_one() {
        assert_eq!(entry_name("updates[7]"), "update #8");
        assert_eq!(
            entry_name("services[0].stages[1]"),
            "stage #2 of service #1"
        );
        assert_eq!(entry_name("uptime.weights"), "`uptime.weights`");
        let d = yaml_diagnostic_of("title: A\nstart: x\nupdates:\n  - at: x\n    mesage: y\n");
        assert_eq!(d.message, "unknown key `mesage` in update #1");
    }

    #[test]
    fn an_empty_status_yaml_names_what_it_needs() {
        let mut report = Report::new("status.yaml", "# to do\n");
        let parsed = parse_yaml::<crate::load::raw::RawSite>(&mut report, &|_| &[]);
        assert!(parsed.is_none());
        let d = &report.diagnostics[0];
        assert_eq!(d.message, "status.yaml is empty");
        assert!(d.help.as_deref().is_some_and(|h| h.contains("base_url")));
        assert_eq!((d.line, d.code), (Some(1), Code::EmptyFile));
    }

    #[test]
    fn an_empty_file_says_so_at_its_first_line() {
        for text in ["", "# nothing yet\n", "\n\n---\n"] {
            let d = yaml_diagnostic_of(text);
            assert_eq!(d.message, "this incident file is empty", "{text:?}");
            assert_eq!((d.line, d.column), (Some(1), Some(1)));
        }
    }

    #[test]
    fn marks_are_stripped() {
        assert_eq!(
            strip_marks("services[0]: unknown field `x` at line 3 column 5"),
            "services[0]: unknown field `x`"
        );
        assert_eq!(
            strip_marks(
                "did not find expected key at line 4 column 1, while parsing a block mapping at line 1 column 1"
            ),
            "did not find expected key, while parsing a block mapping"
        );
    }
}
