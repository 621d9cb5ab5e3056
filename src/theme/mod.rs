//! The theme: the built-in one embedded in the binary, a site's `themes/NAME/` overriding it
//! file by file, Tera set up over both, and the UI strings of the site's language.
//!
//! Its folders are listed by `walk` (sorted, symlinks followed, a loop an error). Never writes,
//! and never renders a page itself (render does, through `Theme::render`).

pub mod assets;
pub mod i18n;

use crate::error::{IoError, RenderError};
use crate::load::ThemeLanguages;
use crate::theme::i18n::Strings;
use crate::walk::{self, Depth};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::Path;

/// Every file of `themes/default/`, embedded. A test checks that none is missing.
pub const BUILTIN: &[(&str, &[u8])] = &[
    (
        "templates/base.html",
        include_bytes!("../../themes/default/templates/base.html"),
    ),
    (
        "templates/index.html",
        include_bytes!("../../themes/default/templates/index.html"),
    ),
    (
        "templates/incident.html",
        include_bytes!("../../themes/default/templates/incident.html"),
    ),
    (
        "templates/history.html",
        include_bytes!("../../themes/default/templates/history.html"),
    ),
    (
        "templates/service.html",
        include_bytes!("../../themes/default/templates/service.html"),
    ),
    (
        "templates/404.html",
        include_bytes!("../../themes/default/templates/404.html"),
    ),
    (
        "templates/partials.html",
        include_bytes!("../../themes/default/templates/partials.html"),
    ),
    (
        "static/style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "static/local-time.js",
        include_bytes!("../../themes/default/static/local-time.js"),
    ),
    (
        "static/favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
    (
        "i18n/en.yaml",
        include_bytes!("../../themes/default/i18n/en.yaml"),
    ),
    (
        "i18n/id.yaml",
        include_bytes!("../../themes/default/i18n/id.yaml"),
    ),
    (
        "i18n/ko.yaml",
        include_bytes!("../../themes/default/i18n/ko.yaml"),
    ),
];

/// A loaded theme: templates ready to render, static files, and the chosen language's strings.
pub struct Theme {
    /// The folder name under `themes/` (`default` for the built-in one), for messages.
    pub name: String,
    pub tera: tera::Tera,
    /// Output path under `static/` → bytes, sorted so the output order is stable; each file
    /// under its own name and its content-hashed one.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// `static/style.css` → `static/style.3f9a1c2e.css`: what pages link to (`asset` in templates).
    pub assets: BTreeMap<String, String>,
    pub strings: Strings,
}

/// The languages a site may choose with `theme` under `root` (those with an `i18n/LANG.yaml`),
/// and the keys of `en.yaml` each one lacks.
pub fn languages(root: &Path, theme: &str) -> ThemeLanguages {
    let mut files: BTreeMap<String, Vec<u8>> = BUILTIN
        .iter()
        .filter(|(name, _)| name.starts_with("i18n/"))
        .map(|(name, bytes)| ((*name).to_owned(), bytes.to_vec()))
        .collect();
    // A folder that cannot be listed or read offers only the built-in files here;
    // `Theme::load` reports why.
    let dir = root.join("themes").join(theme).join("i18n");
    if let Err(_unreported) = collect(root, &dir, "i18n", &mut files) {
        files.retain(|name, _| BUILTIN.iter().any(|(n, _)| n == name));
    }
    let en = i18n(&files, "en").unwrap_or_default();
    let mut offered = ThemeLanguages {
        unusable: unusable(root, theme),
        ..ThemeLanguages::default()
    };
    for name in files.keys() {
        let Some(lang) = name
            .strip_prefix("i18n/")
            .and_then(|n| n.strip_suffix(".yaml"))
            .filter(|n| !n.contains('/'))
        else {
            continue;
        };
        offered.available.push(lang.to_owned());
        // A file that does not parse is reported by `Theme::load`, with its error.
        if let Ok(strings) = i18n(&files, lang) {
            let missing = i18n::untranslated(&en, &strings);
            if !missing.is_empty() {
                offered.untranslated.insert(lang.to_owned(), missing);
            }
        }
    }
    offered
}

/// All files of the theme: the built-in ones, replaced or joined by the site's own.
/// Why `Theme::load` would refuse the theme `name` under `root`, if it would: the same checks
/// (the folder exists; every file of it is inside the site), so `check` agrees with `build`.
fn unusable(root: &Path, name: &str) -> Option<String> {
    let dir = root.join("themes").join(name);
    if name != "default" && !dir.is_dir() {
        return Some(format!(
            "theme `{name}` not found: there is no folder themes/{name}"
        ));
    }
    // Listing is enough to find a link outside or a loop; the files are read once, by
    // `Theme::load`, not on every load of status.yaml.
    ["templates", "static", "i18n"]
        .iter()
        .find_map(|sub| walk::files(root, &dir.join(sub), Depth::All).err())
        .map(|e| RenderError::from(e).to_string())
        .map(|message| {
            message
                .strip_prefix("theme: ")
                .unwrap_or(&message)
                .to_owned()
        })
}

fn files(root: &Path, theme: &str) -> Result<BTreeMap<String, Vec<u8>>, RenderError> {
    let mut out: BTreeMap<String, Vec<u8>> = BUILTIN
        .iter()
        .map(|(name, bytes)| ((*name).to_owned(), bytes.to_vec()))
        .collect();
    let dir = root.join("themes").join(theme);
    for sub in ["templates", "static", "i18n"] {
        collect(root, &dir.join(sub), sub, &mut out)?;
    }
    Ok(out)
}

/// Reads every file under `dir` into `out`, keyed `prefix/PATH` with `/` separators. A name
/// that is not UTF-8 cannot be a template or an output path, so it is left out.
fn collect(
    root: &Path,
    dir: &Path,
    prefix: &str,
    out: &mut BTreeMap<String, Vec<u8>>,
) -> Result<(), RenderError> {
    for path in walk::files(root, dir, Depth::All)? {
        let rel = path.strip_prefix(dir).unwrap_or(&path);
        let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
        let Some(parts) = parts else { continue };
        let bytes = std::fs::read(&path).map_err(|e| IoError::new("reading", &path, e))?;
        out.insert(format!("{prefix}/{}", parts.join("/")), bytes);
    }
    Ok(())
}

impl Theme {
    pub fn load(root: &Path, name: &str, language: &str) -> Result<Theme, RenderError> {
        let dir = root.join("themes").join(name);
        if name != "default" && !dir.is_dir() {
            return Err(RenderError::Theme(format!(
                "theme `{name}` not found: expected the folder {}",
                dir.display()
            )));
        }
        let files = files(root, name)?;
        let mut tera = tera::Tera::new();
        // Built-in templates stay reachable as `builtin/NAME` so an override can extend them.
        tera.set_fallback_prefixes(["builtin/"])
            .map_err(|e| RenderError::Template(e.to_string()))?;
        let mut templates = Vec::new();
        for (name, bytes) in BUILTIN {
            if let Some(t) = name.strip_prefix("templates/") {
                templates.push((format!("builtin/{t}"), text(name, bytes)?));
            }
        }
        for (name, bytes) in &files {
            let Some(t) = name.strip_prefix("templates/") else {
                continue;
            };
            let builtin = BUILTIN
                .iter()
                .any(|(n, b)| n == name && *b == bytes.as_slice());
            if !builtin {
                templates.push((t.to_owned(), text(name, bytes)?));
            }
        }
        tera.add_raw_templates(templates)
            .map_err(|e| RenderError::Template(tera_message(&e, name)))?;
        let mut static_files = files
            .iter()
            .filter(|(n, _)| n.starts_with("static/"))
            .map(|(n, b)| (n.clone(), b.clone()))
            .collect();
        let assets = assets::fingerprint(&mut static_files);
        let strings = Strings::new(i18n(&files, "en")?, i18n(&files, language)?);
        Ok(Theme {
            name: name.to_owned(),
            tera,
            static_files,
            assets,
            strings,
        })
    }

    pub fn render(&self, template: &str, context: &tera::Context) -> Result<String, RenderError> {
        self.tera
            .render(template, context)
            .map_err(|e| RenderError::Template(tera_message(&e, &self.name)))
    }
}

fn text(name: &str, bytes: &[u8]) -> Result<String, RenderError> {
    String::from_utf8(bytes.to_vec())
        .map_err(|_| RenderError::Theme(format!("{name} is not UTF-8")))
}

fn i18n(
    files: &BTreeMap<String, Vec<u8>>,
    language: &str,
) -> Result<Map<String, Value>, RenderError> {
    let name = format!("i18n/{language}.yaml");
    let bytes = files
        .get(&name)
        .ok_or_else(|| RenderError::Theme(format!("no {name} in the theme")))?;
    yaml_serde::from_slice(bytes).map_err(|e| RenderError::Theme(format!("{name}: {e}")))
}

/// Tera's error with its causes, which carry the template's file:line:col, pointed at the file
/// the user edits: Tera knows a template by its name (`404.html`), the user by its path in the
/// site (`themes/mine/templates/404.html`). Tera starts its message with its own `error: `, which
/// the CLI adds already.
fn tera_message(e: &tera::Error, theme: &str) -> String {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(&format!("\n  caused by: {s}"));
        source = s.source();
    }
    let message = format!(
        "theme `{theme}`: {}",
        message.strip_prefix("error: ").unwrap_or(&message)
    );
    let site_path = format!(" --> themes/{theme}/templates/");
    let message = message.replace(" --> builtin/", " --> (built-in theme) templates/");
    message
        .lines()
        .map(|line| match line.strip_prefix(" --> ") {
            Some(rest) if !rest.starts_with('(') => format!("{site_path}{rest}"),
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `{name}` placeholders of a value (a string, or the strings of a list).
    fn placeholders(value: &Value) -> std::collections::BTreeSet<String> {
        let texts: Vec<&str> = match value {
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            other => other.as_str().into_iter().collect(),
        };
        let out = std::cell::RefCell::new(std::collections::BTreeSet::new());
        for text in texts {
            i18n::fill_into(&mut String::new(), text, |name, _| {
                out.borrow_mut().insert(name.to_owned());
                true
            });
        }
        out.into_inner()
    }

    /// The placeholders a `*_format` key may use: each language orders its own dates.
    fn format_placeholders(key: &str) -> &'static [&'static str] {
        match key {
            "date_format" | "chart_date_format" => {
                &["day", "month", "month_short", "month_long", "year"]
            }
            "month_format" | "calendar_month_format" => {
                &["month", "month_short", "month_long", "year"]
            }
            "time_format" => &["hour", "minute", "hour12", "am_pm"],
            "datetime_format" => &["date", "time", "zone"],
            _ => &[],
        }
    }

    #[test]
    fn every_language_of_the_default_theme_has_exactly_the_keys_and_placeholders_of_english() {
        let files: BTreeMap<String, Vec<u8>> = BUILTIN
            .iter()
            .map(|(n, b)| ((*n).to_owned(), b.to_vec()))
            .collect();
        let en = i18n(&files, "en").expect("en.yaml");
        let langs: Vec<&str> = BUILTIN
            .iter()
            .filter_map(|(n, _)| n.strip_prefix("i18n/")?.strip_suffix(".yaml"))
            .filter(|l| *l != "en")
            .collect();
        assert!(langs.contains(&"ko") && langs.contains(&"id"), "{langs:?}");
        for lang in langs {
            let strings = i18n(&files, lang).expect("LANG.yaml parses");
            let missing = i18n::untranslated(&en, &strings);
            let extra = i18n::untranslated(&strings, &en);
            assert!(missing.is_empty(), "{lang}.yaml lacks {missing:?}");
            assert!(
                extra.is_empty(),
                "{lang}.yaml has keys en.yaml lacks: {extra:?}"
            );
            for (key, value) in &strings {
                let found = placeholders(value);
                if key.ends_with("_format") {
                    let allowed = format_placeholders(key);
                    assert!(
                        found.iter().all(|p| allowed.contains(&p.as_str())),
                        "{lang}.yaml {key}: {found:?} outside {allowed:?}"
                    );
                } else {
                    assert_eq!(found, placeholders(&en[key]), "{lang}.yaml {key}");
                }
                // Lists of names (months, AM/PM) have one item each; counted words may have
                // fewer forms (one, in a language without plurals).
                if let (Value::Array(ours), Value::Array(theirs)) = (value, &en[key])
                    && !key.starts_with("duration_")
                    && key != "day_incidents"
                {
                    assert_eq!(ours.len(), theirs.len(), "{lang}.yaml {key}: one per item");
                }
            }
        }
    }

    #[test]
    fn a_site_translation_lacking_keys_is_reported_with_them() {
        let site = tempfile::tempdir().expect("temp dir");
        let dir = site.path().join("themes/mine/i18n");
        std::fs::create_dir_all(&dir).expect("theme folder");
        std::fs::write(dir.join("fr.yaml"), "nav_status: État\n").expect("fr.yaml");
        let offered = languages(site.path(), "mine");
        assert!(offered.available.contains(&"fr".to_owned()));
        assert!(offered.available.contains(&"ko".to_owned()));
        let missing = &offered.untranslated["fr"];
        assert!(missing.contains(&"nav_history".to_owned()));
        assert!(!missing.contains(&"nav_status".to_owned()));
        assert!(!offered.untranslated.contains_key("ko"), "ko is complete");
    }

    #[test]
    fn every_file_of_the_default_theme_is_embedded() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk = BTreeMap::new();
        for sub in ["templates", "static", "i18n"] {
            collect(&dir, &dir.join(sub), sub, &mut on_disk).expect("the default theme reads");
        }
        for (name, bytes) in &on_disk {
            let embedded = BUILTIN.iter().find(|(n, _)| n == name);
            assert!(
                embedded.is_some(),
                "{name} is in themes/default but not in BUILTIN"
            );
            assert_eq!(embedded.map(|(_, b)| *b), Some(bytes.as_slice()), "{name}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_loop_in_the_theme_is_an_error_naming_it() {
        let site = tempfile::tempdir().expect("tempdir");
        let static_dir = site.path().join("themes/mine/static/css");
        std::fs::create_dir_all(&static_dir).expect("mkdir");
        let link = static_dir.join("again");
        std::os::unix::fs::symlink(site.path().join("themes/mine/static"), &link).expect("symlink");
        match Theme::load(site.path(), "mine", "en") {
            Err(RenderError::Theme(message)) => {
                assert!(message.contains(&link.display().to_string()), "{message}");
                assert!(message.contains("symlink loop"), "{message}");
            }
            Err(other) => panic!("another error: {other}"),
            Ok(_) => panic!("a theme with a loop loaded"),
        }
    }
}
