//! UI strings of a theme (`i18n/LANG.yaml`), and the dates and durations written with them.
//! Never reads the disk (the theme hands it the file's text) and never reads the clock.

use crate::model::Time;
use chrono::{DateTime, Datelike, Offset, SecondsFormat, Timelike};
use chrono_tz::OffsetName;
use chrono_tz::Tz;
use serde_json::{Map, Value};
use std::fmt::Write;

/// One instant written out in the site's language and zone.
pub struct WrittenTime {
    /// "15 Oct 2022"
    pub date: String,
    /// "15:30 KST"
    pub clock: String,
    /// "15 Oct 2022, 15:30 KST"
    pub datetime: String,
    /// "2022-10-15T15:30:00+09:00": RFC 3339 in the zone, for `<time datetime>`.
    pub iso: String,
}

/// The strings of one language, with English filling any key a translation lacks.
#[derive(Debug, Clone)]
pub struct Strings {
    map: Map<String, Value>,
    /// The language's name in itself (`language_name`) as its own file writes it: English's
    /// would name another language.
    name: Option<String>,
}

impl Strings {
    /// `base` is the English file, `lang` the chosen language's (the same file for `en`).
    pub fn new(base: Map<String, Value>, lang: Map<String, Value>) -> Strings {
        let name = (lang.get("language_name").and_then(Value::as_str)).map(str::to_owned);
        let mut map = base;
        map.extend(lang);
        Strings { map, name }
    }

    /// The language's name in itself ("한국어"), as the language switcher shows it; `None`
    /// when the theme's file for it does not say.
    pub fn language_name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    pub fn as_map(&self) -> &Map<String, Value> {
        &self.map
    }

    /// A string by key; the key itself when missing, so a gap shows instead of breaking.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.map.get(key).and_then(Value::as_str).unwrap_or(key)
    }

    fn list_item<'a>(&'a self, key: &'a str, index: usize) -> &'a str {
        self.map
            .get(key)
            .and_then(|v| v.get(index))
            .and_then(Value::as_str)
            .unwrap_or(key)
    }

    /// `["{count} incident", "{count} incidents"]` picked by `n`: the first form for 1, the
    /// second for any other count. A language without plurals (Korean, Indonesian) gives one
    /// string, used for every count. A form without `{count}` (older themes: `["day", "days"]`)
    /// follows the number after a space.
    pub fn plural(&self, key: &str, n: i64) -> String {
        let forms = self.map.get(key).and_then(Value::as_array);
        let form = match forms {
            Some(forms) if forms.len() > 1 && n != 1 => forms[1].as_str(),
            Some(forms) => forms.first().and_then(Value::as_str),
            None => self.map.get(key).and_then(Value::as_str),
        };
        let form = form.unwrap_or(key);
        if form.contains("{count}") {
            fill(form, &[("count", &n.to_string())])
        } else {
            format!("{n} {form}")
        }
    }

    pub fn date(&self, t: Time, tz: Tz) -> String {
        self.local_date(&t.with_timezone(&tz))
    }

    /// The date as the restoration chart's axis writes it (`chart_date_format`), which may
    /// leave out the year where the language's date is long (Korean `10월 16일`).
    pub fn chart_date(&self, t: Time, tz: Tz) -> String {
        self.formatted_date(&t.with_timezone(&tz), "chart_date_format")
    }

    fn local_date(&self, local: &DateTime<Tz>) -> String {
        self.formatted_date(local, "date_format")
    }

    fn formatted_date(&self, local: &DateTime<Tz>, format: &str) -> String {
        let month = local.month0() as usize;
        let mut out = String::with_capacity(16);
        fill_into(&mut out, self.get(format), |name, out| {
            match name {
                "day" => push_number(out, local.day(), 1),
                "month" => push_number(out, local.month(), 1),
                "month_short" => out.push_str(self.list_item("month_short", month)),
                "month_long" => out.push_str(self.list_item("month_long", month)),
                "year" => {
                    let _ = write!(out, "{}", local.year());
                }
                _ => return false,
            }
            true
        });
        out
    }

    pub fn month(&self, year: i32, month0: u32) -> String {
        fill(
            self.get("month_format"),
            &[
                ("month_long", self.list_item("month_long", month0 as usize)),
                (
                    "month_short",
                    self.list_item("month_short", month0 as usize),
                ),
                ("month", &(month0 + 1).to_string()),
                ("year", &year.to_string()),
            ],
        )
    }

    pub fn datetime(&self, t: Time, tz: Tz) -> String {
        self.written(t, tz).datetime
    }

    /// The date alone, the clock time with its zone, both together and the RFC 3339 form, from
    /// one conversion to the zone: pages show hundreds of thousands of times, so this is on the
    /// hot path of a build, and it writes each string once, with no string per number.
    pub fn written(&self, t: Time, tz: Tz) -> WrittenTime {
        let local = t.with_timezone(&tz);
        let date = self.local_date(&local);
        let mut time = String::with_capacity(8);
        fill_into(&mut time, self.get("time_format"), |name, out| {
            match name {
                "hour" => push_number(out, local.hour(), 2),
                "minute" => push_number(out, local.minute(), 2),
                // A 12-hour clock: Korean writes 오후 3:30.
                "hour12" => push_number(out, (local.hour() + 11) % 12 + 1, 1),
                "am_pm" => out.push_str(self.list_item("am_pm", usize::from(local.hour() >= 12))),
                _ => return false,
            }
            true
        });
        let zone = local.offset().abbreviation();
        let zone_text;
        let zone = match zone {
            Some(zone) => zone,
            None => {
                zone_text = local.format("%Z").to_string();
                &zone_text
            }
        };
        let datetime = fill(
            self.get("datetime_format"),
            &[("date", &date), ("time", &time), ("zone", zone)],
        );
        let mut clock = time;
        clock.push(' ');
        clock.push_str(zone);
        WrittenTime {
            date,
            clock,
            datetime,
            iso: rfc3339(&local),
        }
    }

    /// "4 days 7 hours": the two largest units, so long outages read at a glance.
    pub fn duration(&self, seconds: i64) -> String {
        let minutes = seconds / 60;
        if minutes < 1 {
            return self.get("duration_less_than_minute").to_owned();
        }
        let parts = [
            (minutes / 1440, "duration_day"),
            (minutes / 60 % 24, "duration_hour"),
            (minutes % 60, "duration_minute"),
        ];
        let first = parts.iter().position(|(n, _)| *n > 0).unwrap_or(2);
        parts[first..]
            .iter()
            .take(2)
            .filter(|(n, _)| *n > 0)
            .map(|(n, key)| self.plural(key, *n))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// "99.87", or "99,87" in a language that writes a decimal comma (`decimal_separator`).
    pub fn percent(&self, fraction: f64) -> String {
        let text = percent(fraction);
        match self.get("decimal_separator") {
            "." | "decimal_separator" => text,
            separator => text.replace('.', separator),
        }
    }
}

/// The keys of `en` that `lang` lacks, sorted: these show in English on a `lang` page.
pub fn untranslated(en: &Map<String, Value>, lang: &Map<String, Value>) -> Vec<String> {
    let mut keys: Vec<String> = en
        .keys()
        .filter(|k| !lang.contains_key(*k))
        .cloned()
        .collect();
    keys.sort();
    keys
}

/// "99.87": two decimals, never rounded up to 100 while any downtime counts.
pub fn percent(fraction: f64) -> String {
    let hundredths = (fraction * 10000.0).floor() / 100.0;
    format!("{hundredths:.2}")
}

/// Replaces `{name}` placeholders.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    fill_into(&mut out, template, |name, out| {
        values
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| out.push_str(v))
            .is_some()
    });
    out
}

/// Appends `template` to `out`, each `{name}` written by `value(name, out)`, which says whether
/// it knew the name (an unknown placeholder stays as written). One pass over the template: it
/// runs for every date on every page.
pub fn fill_into(out: &mut String, template: &str, value: impl Fn(&str, &mut String) -> bool) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if value(&after[..close], out) => rest = &after[close + 1..],
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

/// `n` in decimal, zero-padded to at least `width` digits (at most 2).
fn push_number(out: &mut String, n: u32, width: usize) {
    if n < 10 {
        if width == 2 {
            out.push('0');
        }
        out.push(char::from(b'0' + n as u8));
    } else {
        let _ = write!(out, "{n}");
    }
}

/// RFC 3339 with the zone's offset, as chrono writes it, without going through its formatter
/// for the common case (years 0–9999, whole seconds).
fn rfc3339(local: &DateTime<Tz>) -> String {
    let year = local.year();
    if !(0..=9999).contains(&year) || local.nanosecond() != 0 {
        return local.to_rfc3339_opts(SecondsFormat::AutoSi, false);
    }
    let offset = local.offset().fix().local_minus_utc();
    let (sign, offset) = if offset < 0 {
        ('-', -offset)
    } else {
        ('+', offset)
    };
    let mut out = String::with_capacity(25);
    let _ = write!(
        out,
        "{year:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        local.month(),
        local.day(),
        local.hour(),
        local.minute(),
        local.second(),
        offset / 3600,
        offset / 60 % 60
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en() -> Strings {
        let text = include_str!("../../themes/default/i18n/en.yaml");
        let map: Map<String, Value> = yaml_serde::from_str(text).expect("en.yaml parses");
        Strings::new(map.clone(), map)
    }

    fn lang(code: &str) -> Strings {
        let base: Map<String, Value> =
            yaml_serde::from_str(include_str!("../../themes/default/i18n/en.yaml")).expect("en");
        let text = match code {
            "ko" => include_str!("../../themes/default/i18n/ko.yaml"),
            _ => include_str!("../../themes/default/i18n/id.yaml"),
        };
        Strings::new(base, yaml_serde::from_str(text).expect("LANG.yaml parses"))
    }

    fn seoul(text: &str) -> (Time, Tz) {
        let t = chrono::DateTime::parse_from_rfc3339(text)
            .expect("time")
            .with_timezone(&chrono::Utc);
        (t, "Asia/Seoul".parse().expect("zone"))
    }

    #[test]
    fn korean_writes_its_own_dates_durations_and_counts() {
        let ko = lang("ko");
        let (t, tz) = seoul("2022-10-15T15:30:00+09:00");
        assert_eq!(ko.datetime(t, tz), "2022년 10월 15일 오후 3:30 KST");
        let (morning, _) = seoul("2022-10-16T00:05:00+09:00");
        assert_eq!(ko.written(morning, tz).clock, "오전 12:05 KST");
        assert_eq!(ko.month(2022, 9), "2022년 10월");
        assert_eq!(ko.duration(86400 + 23 * 3600 + 59), "1일 23시간");
        assert_eq!(ko.duration(20), "1분 미만");
        assert_eq!(ko.plural("day_incidents", 1), "장애 1건");
        assert_eq!(ko.plural("day_incidents", 3), "장애 3건");
        assert_eq!(ko.percent(0.99254), "99.25");
    }

    #[test]
    fn indonesian_writes_its_own_dates_durations_and_numbers() {
        let id = lang("id");
        let (t, tz) = seoul("2022-10-15T15:30:00+09:00");
        assert_eq!(id.datetime(t, tz), "15 Oktober 2022 15.30 KST");
        assert_eq!(id.duration(86400 + 23 * 3600), "1 hari 23 jam");
        assert_eq!(id.duration(2 * 86400), "2 hari");
        assert_eq!(id.plural("day_incidents", 2), "2 insiden");
        assert_eq!(id.percent(0.99254), "99,25");
        assert_eq!(
            fill(
                id.get("uptime_percent"),
                &[("percent", &id.percent(0.99254))]
            ),
            "99,25\u{a0}% waktu aktif"
        );
    }

    #[test]
    fn an_older_theme_with_bare_unit_words_still_counts() {
        let mut old = Map::new();
        old.insert("duration_day".into(), serde_json::json!(["day", "days"]));
        let s = Strings::new(old.clone(), old);
        assert_eq!(s.duration(2 * 86400), "2 days");
        assert_eq!(s.percent(0.5), "50.00", "no decimal_separator: a point");
    }

    #[test]
    fn durations_read_like_people_write_them() {
        let s = en();
        assert_eq!(s.duration(4 * 86400 + 7 * 3600 + 12 * 60), "4 days 7 hours");
        assert_eq!(s.duration(3600), "1 hour");
        assert_eq!(s.duration(90 * 60), "1 hour 30 minutes");
        assert_eq!(s.duration(86400 + 5 * 60), "1 day");
        assert_eq!(s.duration(20), "less than a minute");
    }

    #[test]
    fn fill_replaces_known_placeholders_only() {
        assert_eq!(
            fill("{a} and {b} {c", &[("a", "1"), ("b", "{a}")]),
            "1 and {a} {c"
        );
        assert_eq!(fill("{unknown}", &[("a", "1")]), "{unknown}");
    }

    #[test]
    fn rfc3339_is_written_as_chrono_writes_it() {
        let s = en();
        for (text, zone) in [
            ("2022-10-15T15:30:00+09:00", "Asia/Seoul"),
            ("2022-10-15T06:30:07Z", "UTC"),
            ("2024-03-10T02:30:00-05:00", "America/St_Johns"),
            ("2022-10-15T15:30:00.250+09:00", "Asia/Kolkata"),
            ("0999-01-02T03:04:05Z", "Europe/Berlin"),
        ] {
            let t = chrono::DateTime::parse_from_rfc3339(text)
                .expect("time")
                .with_timezone(&chrono::Utc);
            let tz: Tz = zone.parse().expect("zone");
            assert_eq!(
                s.written(t, tz).iso,
                t.with_timezone(&tz).to_rfc3339(),
                "{text} in {zone}"
            );
        }
    }

    #[test]
    fn datetimes_show_the_zone_abbreviation() {
        let s = en();
        let t = chrono::DateTime::parse_from_rfc3339("2022-10-15T15:30:00+09:00")
            .expect("time")
            .with_timezone(&chrono::Utc);
        let seoul: Tz = "Asia/Seoul".parse().expect("zone");
        assert_eq!(s.datetime(t, seoul), "15 Oct 2022, 15:30 KST");
        assert_eq!(s.plural("day_incidents", 2), "2 incidents");
    }
}
