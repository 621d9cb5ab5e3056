//! `status.yaml` → the site's `Config` and `Service` list, and the URL rule every input shares.
//!
//! Never reads the disk: `load_status` hands in the text, and the theme's languages come as a
//! function.

use super::parse_yaml;
use super::report::Report;
use super::words::did_you_mean;
use crate::error::Diagnostic;
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

pub(super) fn site_keys(path: &str) -> &'static [&'static str] {
    match shape(path).as_str() {
        "uptime" => &["days", "weights"],
        "uptime.weights" => &["major_outage", "partial_outage", "degraded_performance"],
        "services" => &["id", "name", "group", "description", "since"],
        "links" => &["title", "url"],
        _ => &[
            "title",
            "description",
            "base_url",
            "language",
            "timezone",
            "theme",
            "uptime",
            "services",
            "links",
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
    languages: &dyn Fn(&str) -> Vec<String>,
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
    languages: &dyn Fn(&str) -> Vec<String>,
) -> SiteContext {
    let timezone = match raw.timezone.as_deref() {
        None => Tz::UTC,
        Some(name) => name.parse::<Tz>().unwrap_or_else(|_| {
            let close = did_you_mean(name, chrono_tz::TZ_VARIANTS.iter().map(|t| t.name()));
            let help = match close {
                Some(c) => format!("did you mean `{c}`? use an IANA name like `Asia/Seoul`"),
                None => "use an IANA name like `Asia/Seoul` or `UTC`".to_owned(),
            };
            report.error("timezone", format!("unknown timezone `{name}`"), Some(help));
            Tz::UTC
        }),
    };
    let theme = raw.theme.unwrap_or_else(|| "default".to_owned());
    let language = raw.language.unwrap_or_else(|| "en".to_owned());
    let available = languages(&theme);
    if !available.contains(&language) {
        report.error(
            "language",
            format!("no theme has UI strings for language `{language}`"),
            Some(format!("available: {}", available.join(", "))),
        );
    }
    check_url(report, "base_url", &raw.base_url);
    let base_url = if raw.base_url.ends_with('/') {
        raw.base_url
    } else {
        format!("{}/", raw.base_url)
    };
    let uptime_days = raw.uptime.days.unwrap_or(90);
    if !(1..=3650).contains(&uptime_days) {
        report.error(
            "uptime.days",
            format!("uptime.days is {uptime_days}"),
            Some("use a number of days from 1 to 3650".to_owned()),
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
    let services = services(raw.services, report, timezone);
    let links = links(report, "links", raw.links);
    SiteContext {
        config: Config {
            title: raw.title,
            description: raw.description,
            base_url,
            language,
            timezone,
            theme,
            uptime_days,
            weights,
            links,
        },
        services,
    }
}

fn weight(report: &mut Report, key: &str, value: Option<f64>) -> Option<f64> {
    let value = value?;
    if (0.0..=1.0).contains(&value) {
        Some(value)
    } else {
        report.error(
            &format!("uptime.weights.{key}"),
            format!("weight {value} is outside 0 to 1"),
            Some(
                "a weight is the share of the time that counts as downtime, from 0.0 to 1.0".into(),
            ),
        );
        None
    }
}

fn services(raw: Vec<crate::load::raw::RawService>, report: &mut Report, tz: Tz) -> Vec<Service> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(raw.len());
    for (i, s) in raw.into_iter().enumerate() {
        if !is_slug(&s.id) {
            report.error(
                &format!("services[{i}].id"),
                format!("service id `{}` is not allowed", s.id),
                Some("ids use lowercase letters, digits and `-`, starting with a letter or digit, like `kakao-talk`".into()),
            );
        }
        if !seen.insert(s.id.clone()) {
            report.error(
                &format!("services[{i}].id"),
                format!("service id `{}` is listed twice", s.id),
                Some("give each service its own id".into()),
            );
        }
        let since = s.since.as_deref().and_then(|text| {
            parse_moment(text, tz)
                .map_err(|e| report.error(&format!("services[{i}].since"), e.message, Some(e.help)))
                .ok()
        });
        out.push(Service {
            id: s.id,
            name: s.name,
            group: s.group,
            description: s.description,
            since: since.map(|m| m.at),
        });
    }
    out
}

pub(super) fn links(report: &mut Report, key: &str, raw: Vec<RawLink>) -> Vec<Link> {
    raw.into_iter()
        .enumerate()
        .map(|(i, l)| {
            check_url(report, &format!("{key}[{i}].url"), &l.url);
            Link {
                title: l.title,
                url: l.url,
            }
        })
        .collect()
}

/// URLs in `link`, `url`, `postmortem_url`, `base_url` and `links` must be web or mail addresses.
pub(super) fn check_url(report: &mut Report, path: &str, url: &str) {
    let lower = url.trim().to_ascii_lowercase();
    let ok = ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p) && lower.len() > p.len());
    if !ok {
        report.error(
            path,
            format!("`{url}` is not an http, https or mailto URL"),
            Some("write a full address like `https://example.com/notice`".into()),
        );
    }
}
