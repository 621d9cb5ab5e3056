//! `status.yaml` → the site's `Config` and `Service` list, and the URL rule every input shares.
//!
//! Never reads the disk: `load_status` hands in the text, and the theme's languages come as a
//! function.

use super::ids::api_id;
use super::parse_yaml;
use super::report::Report;
use crate::error::{Code, Diagnostic};
use crate::load::raw::{RawLink, RawSite};
use crate::model::slug::is_slug;
use crate::model::time::parse_moment;
use crate::model::{Config, Link, Service, Weights};
use chrono_tz::Tz;
use std::collections::HashSet;

/// What incidents are checked against: the site's settings and its services.
#[derive(Debug, Clone)]
pub struct SiteContext {
    pub config: Config,
    pub services: Vec<Service>,
    /// Where `candor deploy` publishes; the build never reads it.
    pub deploy: Vec<crate::model::deploy::Target>,
}

impl SiteContext {
    /// The site of these settings and incidents, in the order every list shows them.
    pub fn site(&self, incidents: Vec<crate::model::Incident>) -> crate::model::Site {
        let mut site = crate::model::Site {
            config: self.config.clone(),
            services: self.services.clone(),
            incidents: incidents.into_iter().map(std::sync::Arc::new).collect(),
        };
        site.sort_incidents();
        site
    }

    pub fn service_ids(&self) -> impl Iterator<Item = &str> {
        self.services.iter().map(|s| s.id.as_str())
    }
}

/// A major incident stays at the top of the front page at most as long as it stays on it at all.
const MAJOR_INCIDENT_DAYS_MAX: u32 = crate::model::state::RECENT_DAYS as u32;

pub(super) fn site_keys(path: &str) -> &'static [&'static str] {
    match shape(path).as_str() {
        "uptime" => &["days", "weights"],
        "uptime.weights" => &["major_outage", "partial_outage", "degraded_performance"],
        "services" => &[
            "id",
            "name",
            "group",
            "description",
            "since",
            "component_id",
        ],
        "links" => &["title", "url"],
        "deploy" => &[
            "name", "folder", "rsync", "s3", "prefix", "region", "endpoint",
        ],
        _ => &[
            "title",
            "page_id",
            "description",
            "base_url",
            "language",
            "languages",
            "timezone",
            "theme",
            "major_incident_days",
            "stale_after_minutes",
            "uptime",
            "services",
            "links",
            "deploy",
        ],
    }
}

/// `services[2].stages[0]` → `services.stages`: the shape of a path without its indexes.
pub(super) fn shape(path: &str) -> String {
    path.split('.')
        .map(|p| p.split('[').next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join(".")
}

/// `languages` gives the languages a theme has UI strings for, by the theme's name.
pub fn load_site(
    text: &str,
    languages: &dyn Fn(&str) -> super::ThemeLanguages,
) -> (Option<SiteContext>, Vec<Diagnostic>) {
    let mut report = Report::new("status.yaml", text);
    let Some(raw) = parse_yaml::<RawSite>(&mut report, &site_keys) else {
        return (None, report.diagnostics);
    };
    let context = site_context(raw, &mut report, languages);
    (Some(context), report.diagnostics)
}

fn site_context(
    raw: RawSite,
    report: &mut Report,
    languages: &dyn Fn(&str) -> super::ThemeLanguages,
) -> SiteContext {
    let timezone = super::zone::timezone(raw.timezone.as_deref(), report);
    let mut theme = raw.theme.unwrap_or_else(|| "default".to_owned());
    // The name becomes a path, `themes/NAME`: an absolute path or `..` would read a theme from
    // outside the site, so only a plain folder name is a theme.
    let plain = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if theme.is_empty() || !theme.chars().all(plain) {
        report.error(
            Code::InvalidThemeName,
            "theme",
            format!("`{theme}` is not a theme name"),
            Some("write the name of a folder in `themes/` (letters, digits, `-`, `_`), or leave `theme` out for the built-in one".into()),
        );
        theme = "default".to_owned();
    }
    let site_languages = super::languages::site_languages(report, raw.language, raw.languages);
    let offered = languages(&theme);
    if let Some(why) = &offered.unusable {
        report.error(
            Code::UnusableTheme,
            "theme",
            why.clone(),
            Some("write the name of a folder in `themes/` of this site, or leave `theme` out for the built-in one".into()),
        );
    }
    for (language, path) in &site_languages {
        if !offered.available.contains(language) {
            report.error(
                Code::UnknownLanguage,
                path,
                format!("no theme has UI strings for language `{language}`"),
                Some(format!("available: {}", offered.available.join(", "))),
            );
        } else if let Some(missing) = offered.untranslated.get(language) {
            super::languages::missing_ui_strings(report, &theme, language, missing);
        }
    }
    let languages: Vec<String> = site_languages.into_iter().map(|(l, _)| l).collect();
    let texts = super::languages::Texts {
        languages: &languages,
    };
    let mut translations = crate::model::Translations::default();
    let title = texts.line(report, "title", raw.title, &mut translations);
    let description =
        (raw.description).map(|d| texts.main(report, "description", d, &mut translations));
    let base_url = parse_base_url(&raw.base_url).unwrap_or_else(|e| {
        report.error(Code::InvalidBaseUrl, "base_url", e.message, Some(e.help));
        raw.base_url
    });
    let uptime_days = raw.uptime.days.unwrap_or(90);
    if !(1..=3650).contains(&uptime_days) {
        report.error(
            Code::InvalidUptimeDays,
            "uptime.days",
            format!("uptime.days is {uptime_days}"),
            Some("use a number of days from 1 to 3650".to_owned()),
        );
    }
    let major_incident_days = raw.major_incident_days.unwrap_or(7);
    if major_incident_days > MAJOR_INCIDENT_DAYS_MAX {
        report.error(
            Code::InvalidMajorIncidentDays,
            "major_incident_days",
            format!("major_incident_days is {major_incident_days}"),
            Some(format!(
                "use a number of days from 0 (off) to {MAJOR_INCIDENT_DAYS_MAX}: the front page lists what ended in the last {MAJOR_INCIDENT_DAYS_MAX} days"
            )),
        );
    }
    let stale_after_minutes = raw.stale_after_minutes.unwrap_or(120);
    if stale_after_minutes > 10_080 {
        report.error(
            Code::InvalidStaleAfter,
            "stale_after_minutes",
            format!("stale_after_minutes is {stale_after_minutes}"),
            Some("use a number of minutes from 0 (never warn) to 10080 (a week)".to_owned()),
        );
    }
    let defaults = Weights::default();
    let weights = Weights {
        major_outage: weight(report, "major_outage", raw.uptime.weights.major_outage)
            .unwrap_or(defaults.major_outage),
        partial_outage: weight(report, "partial_outage", raw.uptime.weights.partial_outage)
            .unwrap_or(defaults.partial_outage),
        degraded_performance: weight(
            report,
            "degraded_performance",
            raw.uptime.weights.degraded_performance,
        )
        .unwrap_or(defaults.degraded_performance),
    };
    let services = services(raw.services, report, timezone, (texts, &mut translations));
    let links = links(report, "links", raw.links, (texts, &mut translations));
    super::languages::untranslated(report, &languages[0], &translations);
    let page_id = raw.page_id.filter(|id| api_id(report, "page_id", id));
    let deploy = super::deploy::targets(raw.deploy, report);
    SiteContext {
        config: Config {
            title,
            page_id,
            description,
            base_url,
            language: languages[0].clone(),
            languages,
            translations,
            timezone,
            theme,
            uptime_days,
            weights,
            major_incident_days: major_incident_days.min(MAJOR_INCIDENT_DAYS_MAX),
            stale_after_minutes,
            links,
        },
        services,
        deploy,
    }
}

fn weight(report: &mut Report, key: &str, value: Option<f64>) -> Option<f64> {
    let value = value?;
    if (0.0..=1.0).contains(&value) {
        Some(value)
    } else {
        report.error(
            Code::InvalidWeight,
            &format!("uptime.weights.{key}"),
            format!("weight {value} is outside 0 to 1"),
            Some(
                "a weight is the share of the time that counts as downtime, from 0.0 to 1.0".into(),
            ),
        );
        None
    }
}

/// Where a file's texts go: its languages, and its `Translations`.
type Into<'t> = (
    super::languages::Texts<'t>,
    &'t mut crate::model::Translations,
);

fn services(
    raw: Vec<crate::load::raw::RawService>,
    report: &mut Report,
    tz: Tz,
    (texts, into): Into,
) -> Vec<Service> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(raw.len());
    for (i, s) in raw.into_iter().enumerate() {
        if !is_slug(&s.id) {
            report.error(
                Code::InvalidServiceId,
                &format!("services[{i}].id"),
                format!("service id `{}` is not allowed", s.id),
                Some("ids use lowercase letters, digits and `-`, starting with a letter or digit, like `kakao-talk`".into()),
            );
        }
        if !seen.insert(s.id.clone()) {
            report.error(
                Code::DuplicateServiceId,
                &format!("services[{i}].id"),
                format!("service id `{}` is listed twice", s.id),
                Some("give each service its own id".into()),
            );
        }
        let since = s.since.as_deref().and_then(|text| {
            parse_moment(text, tz)
                .map_err(|e| {
                    report.error(
                        e.kind.into(),
                        &format!("services[{i}].since"),
                        e.message,
                        Some(e.help),
                    )
                })
                .ok()
        });
        let path = format!("services[{i}].component_id");
        let component_id = (s.component_id).filter(|id| api_id(report, &path, id));
        let group = (s.group).map(|g| texts.line(report, &format!("services[{i}].group"), g, into));
        out.push(Service {
            id: s.id,
            component_id,
            name: texts.line(report, &format!("services[{i}].name"), s.name, into),
            group: group.clone(),
            group_key: group,
            description: (s.description)
                .map(|d| texts.main(report, &format!("services[{i}].description"), d, into)),
            since: since.map(|m| m.at),
        });
    }
    out
}

pub(super) fn links(
    report: &mut Report,
    key: &str,
    raw: Vec<RawLink>,
    (texts, into): Into,
) -> Vec<Link> {
    raw.into_iter()
        .enumerate()
        .map(|(i, l)| {
            let url = l.url.checked(report, &format!("{key}[{i}].url"));
            check_url(report, &format!("{key}[{i}].url"), &url);
            Link {
                title: texts.line(report, &format!("{key}[{i}].title"), l.title, into),
                url,
            }
        })
        .collect()
}

/// URLs in `link`, `url`, `postmortem_url` and `links` must be web or mail addresses
/// (`base_url` has rules of its own: `parse_base_url`).
pub(super) fn check_url(report: &mut Report, path: &str, url: &str) {
    let lower = url.trim().to_ascii_lowercase();
    let ok = ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p) && lower.len() > p.len());
    if !ok {
        report.error(
            Code::InvalidUrl,
            path,
            format!("`{url}` is not an http, https or mailto URL"),
            Some("write a full address like `https://example.com/notice`".into()),
        );
    }
}

/// Why a `base_url` (status.yaml's or `--base-url`) cannot be used, and what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct BaseUrlError {
    pub message: String,
    pub help: String,
}

/// `base_url` as the absolute address every feed, the sitemap, robots.txt and the calendar
/// start from: http or https with a host, no user name or password (it is published), no query
/// or fragment (page paths are appended to it), no whitespace or control character (a line
/// break would start a new line of `robots.txt` or `maintenance.ics`), and a final `/`, added
/// when missing. Returns it as the `url` crate writes it: host in lowercase (an IDN in
/// punycode), the path percent-encoded, so every format can take it as it is.
pub fn parse_base_url(text: &str) -> Result<String, BaseUrlError> {
    const EXAMPLE: &str =
        "write the address the site is published at, like `https://status.example.com/`";
    let fail = |message: String, help: &str| BaseUrlError {
        message,
        help: help.to_owned(),
    };
    // Checked before parsing: the URL standard silently drops tabs and line breaks.
    if let Some(c) = text.chars().find(|c| c.is_control() || c.is_whitespace()) {
        let what = match c {
            '\r' | '\n' => "a line break",
            '\t' => "a tab",
            c if c.is_whitespace() => "a space",
            _ => "a control character",
        };
        return Err(fail(
            format!("the address contains {what}"),
            "write the address on one line with no spaces (encode a space in a path as `%20`)",
        ));
    }
    let shown = text.escape_debug();
    let mut url = match url::Url::parse(text) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            return Err(fail(
                format!("`{shown}` is not a full address"),
                "start it with `https://`, like `https://status.example.com/`",
            ));
        }
        Err(e) => return Err(fail(format!("`{shown}` is not a valid URL: {e}"), EXAMPLE)),
    };
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(fail(
            format!("`{shown}` is not an http or https address"),
            EXAMPLE,
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(fail(
            "the address contains a user name or password".to_owned(),
            "it is published in every feed and the sitemap: remove the `user:password@` part",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(fail(
            format!("`{shown}` has a query (`?`) or a fragment (`#`)"),
            "page paths are added after `base_url`: end it with the folder, like `https://example.com/status/`",
        ));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url.into())
}

#[cfg(test)]
mod base_url_tests {
    use super::parse_base_url;

    #[test]
    fn a_base_url_gets_its_final_slash_and_a_normal_form() {
        let ok = |text: &str| parse_base_url(text).expect(text);
        assert_eq!(
            ok("https://status.example.com/"),
            "https://status.example.com/"
        );
        assert_eq!(
            ok("https://status.example.com"),
            "https://status.example.com/"
        );
        assert_eq!(
            ok("https://org.github.io/status"),
            "https://org.github.io/status/"
        );
        assert_eq!(
            ok("HTTP://Status.Example.COM:8080/a%20b"),
            "http://status.example.com:8080/a%20b/"
        );
        assert_eq!(ok("http://[::1]:8000"), "http://[::1]:8000/");
        let idn = ok("https://상태.example/");
        assert!(idn.starts_with("https://xn--") && idn.is_ascii(), "{idn}");
    }

    #[test]
    fn a_base_url_that_would_break_a_format_is_refused() {
        for (text, says) in [
            ("https://status.example.com/\r\nDisallow: /", "line break"),
            ("https://status.example.com/\nX-EVIL:1", "line break"),
            ("https://status.example.com/\u{1b}[31m", "control character"),
            ("https://status.example.com/a b/", "a space"),
            ("status.example.com", "not a full address"),
            ("ftp://status.example.com/", "not an http or https address"),
            ("mailto:ops@example.com", "not an http or https address"),
            ("javascript:alert(1)//", "not an http or https address"),
            (
                "https://user:secret@status.example.com/",
                "user name or password",
            ),
            ("https://status.example.com/?utm=1", "query"),
            ("https://status.example.com/#top", "fragment"),
            ("https://", "not a valid URL"),
            ("", "not a full address"),
        ] {
            let e = parse_base_url(text).expect_err(text);
            assert!(e.message.contains(says), "{text:?}: {}", e.message);
            assert!(
                !e.message.contains('\n') && !e.message.contains('\r'),
                "{text:?}"
            );
        }
    }
}
