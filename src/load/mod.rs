//! Reads `status.yaml` and `incidents/*.yaml`, checks every rule of format.md, and builds the
//! model. Every problem of every file is collected, so a team under stress fixes each file once.
//! This file holds the reading (the one reader of status.yaml, `load_status`, which `authoring`
//! uses too; the incident files, listed by `walk`); `yaml.rs` turns YAML text into raw structs
//! and its errors into diagnostics.
//!
//! Never imports render or theme (a theme's languages come in `LoadOptions`), never reads the
//! clock, never prints.

mod deploy;
mod gate;
mod ids;
mod incident;
mod index;
mod languages;
pub mod raw;
mod report;
mod site;
mod text;
pub mod words;
mod yaml;
mod zone;

pub use ids::duplicate_ids;
pub use incident::load_incident;
pub use site::{BaseUrlError, SiteContext, parse_base_url};
use yaml::parse_yaml;
// `live` checks a folder name with it before removing the folder.

use crate::error::{Code, Diagnostic, IoError, LoadError, Outside, SymlinkLoop, WalkError};
use crate::model::{Incident, Site, Time};
use crate::output::fingerprint::{self, Fingerprint};
use crate::walk::{self, Depth};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

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
pub type Languages = fn(root: &Path, theme: &str) -> ThemeLanguages;

/// What a theme says about its interface languages, for the check of `language:`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThemeLanguages {
    /// The stems of its `i18n/LANG.yaml` files, sorted.
    pub available: Vec<String>,
    /// By language: the keys of `en.yaml` its file lacks (shown in English), sorted.
    pub untranslated: std::collections::BTreeMap<String, Vec<String>>,
    /// Why the theme cannot be used (its folder is missing, or it leads outside the site), as
    /// the build would refuse it: `check` then says so at `theme:`.
    pub unusable: Option<String>,
}

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
    diagnostics.extend(duplicate_ids(&incidents));
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
    load_listed(root, incident_files(root)?, context, options)
}

/// Loads the files `incident_files` listed, in parallel, in the order given.
pub fn load_listed(
    root: &Path,
    files: Vec<PathBuf>,
    context: Option<&SiteContext>,
    options: &LoadOptions,
) -> Result<Vec<(PathBuf, FileOutcome)>, LoadError> {
    files
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
    let mut files =
        walk::files(root, &root.join("incidents"), Depth::Top).map_err(|e| refused(root, e))?;
    files.retain(|path| is_incident_file(path));
    Ok(files)
}

/// One path of `incidents/` under the policy of `incident_files`, for a live rebuild that knows
/// which paths changed (listing 10,000 files at every save cost more than the rebuild): `None`
/// when it is gone or not an incident file; a link out of the site or a loop is refused as the
/// walk refuses it.
pub fn incident_file(root: &Path, path: &Path) -> Result<Option<PathBuf>, LoadError> {
    let file = walk::entry(root, path).map_err(|e| refused(root, e))?;
    Ok((file && is_incident_file(path)).then(|| path.to_path_buf()))
}

/// What the walk refused, as diagnostics on the links (an unreadable folder stays an I/O error).
fn refused(root: &Path, e: WalkError) -> LoadError {
    match e {
        WalkError::Io(e) => e.into(),
        WalkError::Outside(out) => {
            LoadError::Invalid(out.iter().map(|o| outside(root, o)).collect())
        }
        WalkError::Loops(loops) => {
            let each = |l: &SymlinkLoop| symlink_loop(root, &l.link, l.back_to.as_deref());
            LoadError::Invalid(loops.iter().map(each).collect())
        }
    }
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
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            return Ok(Err(not_utf8(
                &rel,
                e.as_bytes(),
                e.utf8_error().valid_up_to(),
            )));
        }
    };
    if let Some((at, c)) = text::unprintable(&text) {
        return Ok(Err(unprintable(&rel, &text, at, c)));
    }
    Ok(Ok(text))
}

/// A file that is not UTF-8, at the line and column of its first bad byte (the text before it
/// is UTF-8): a Latin-1 `é` from an old editor, or a UTF-16 file.
fn not_utf8(rel: &str, bytes: &[u8], valid: usize) -> Diagnostic {
    let shown = String::from_utf8_lossy(bytes);
    let lines = report::Lines::new(&shown);
    // Up to `valid` the lossy text is the file's own, byte for byte.
    let pos = lines.position(valid);
    let bad = bytes.get(valid).copied().unwrap_or(0);
    let mut d = Diagnostic::error(
        Code::NotUtf8,
        rel,
        format!(
            "file is not UTF-8: byte 0x{bad:02X} at line {}, column {} (byte {valid} of the file)",
            pos.line, pos.column
        ),
    )
    .with_help(
        "save it as UTF-8 (in most editors: \"Save with encoding\" or \"Reopen with \
         encoding\", then UTF-8); this byte is often a Latin-1 or Windows-1252 letter",
    );
    report::place(&mut d, lines.text(pos.line), pos.line, pos.column);
    d.span = 1;
    d
}

/// A character no YAML file may hold (a NUL, an escape from a terminal), at its place: the
/// YAML reader would stop there with an error about whatever it was reading.
fn unprintable(rel: &str, source: &str, at: usize, c: char) -> Diagnostic {
    let lines = report::Lines::new(source);
    let pos = lines.position(at);
    let line_break = matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}');
    let (message, help) = if line_break {
        (
            format!(
                "the file holds U+{:04X}, a line separator that YAML reads as a line break \
                 in the middle of a line",
                u32::from(c)
            ),
            "replace it with a space, or with a real line break in a `|` text (it often comes \
             from text pasted out of a word processor or a web page)",
        )
    } else {
        (
            format!(
                "the file holds U+{:04X}, a control character no YAML file may hold",
                u32::from(c)
            ),
            "remove it: no text of a status page needs it (a NUL often comes from pasted binary \
             data, or from a file saved as UTF-16: save it as UTF-8)",
        )
    };
    let mut d = Diagnostic::error(Code::UnprintableCharacter, rel, message).with_help(help);
    report::place(&mut d, lines.text(pos.line), pos.line, pos.column);
    d.span = 1;
    d
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
