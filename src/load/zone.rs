//! status.yaml's `timezone`: an IANA name, suggested from the list by its city part when it is
//! not one (`Toronto` → `America/Toronto`), and a warning for a fixed-offset zone, which
//! never follows daylight saving time and so drifts an hour from the people's clocks.
//!
//! Never reads the clock or a file.

use super::report::Report;
use super::words::did_you_mean;
use crate::error::Code;
use chrono_tz::Tz;

/// The zone `name` (UTC when none is given); an unknown name is an error with the closest
/// IANA names, and a fixed-offset one a warning naming a city zone.
pub(super) fn timezone(name: Option<&str>, report: &mut Report) -> Tz {
    let Some(name) = name else { return Tz::UTC };
    match name.parse::<Tz>() {
        Ok(tz) => {
            if let Some(cities) = fixed_offset(tz) {
                report.warning(
                    Code::FixedOffsetZone,
                    "timezone",
                    format!("`{name}` is a fixed offset: it never changes for daylight saving time"),
                    Some(format!(
                        "write the zone of a city whose clocks your readers keep, like {cities}: times are then shown as they read them all year"
                    )),
                );
            }
            tz
        }
        Err(_) => {
            let help = match suggest(name) {
                Some(c) => format!(
                    "did you mean `{c}`? use an IANA name, a region and a city like `America/Toronto`"
                ),
                None => "use an IANA name, a region and a city like `America/Toronto`, or `UTC`"
                    .to_owned(),
            };
            let message = format!("unknown timezone `{name}`");
            report.error(Code::UnknownTimezone, "timezone", message, Some(help));
            Tz::UTC
        }
    }
}

/// The IANA name closest to `name`: by the whole name, else by the city (its last part), as
/// a person writes `Toronto` or `new york` for `America/Toronto` or `America/New_York`.
fn suggest(name: &str) -> Option<&'static str> {
    let names = || chrono_tz::TZ_VARIANTS.iter().map(|t| t.name());
    let wanted = city(name.trim()).replace(' ', "_");
    // A city part matched exactly (in any case) beats a near spelling of a whole name.
    let canonical = |n: &&'static str| !n.starts_with("US/") && !n.starts_with("Etc/");
    if let Some(exact) = names()
        .filter(canonical)
        .find(|n| n.contains('/') && city(n).eq_ignore_ascii_case(&wanted))
    {
        return Some(exact);
    }
    let cities = names().filter(canonical).filter(|n| n.contains('/'));
    let by_city = did_you_mean(&wanted, cities.clone().map(|n: &'static str| city(n)))
        .and_then(|c| cities.clone().find(|n| city(n) == c));
    by_city.or_else(|| did_you_mean(name, names()))
}

/// The last part of a zone name: its city.
fn city(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

/// City zones to suggest for a fixed-offset zone, or `None` for a zone that keeps the local
/// rules (UTC itself is meant as UTC).
fn fixed_offset(tz: Tz) -> Option<&'static str> {
    let name = tz.name();
    let cities = match name {
        "EST" | "EST5EDT" => "`America/Toronto` or `America/New_York`",
        "CST6CDT" => "`America/Chicago` or `America/Winnipeg`",
        "MST" | "MST7MDT" => "`America/Edmonton`, `America/Denver` or `America/Phoenix`",
        "PST8PDT" => "`America/Vancouver` or `America/Los_Angeles`",
        "HST" => "`Pacific/Honolulu`",
        "CET" | "MET" => "`Europe/Paris` or `Europe/Berlin`",
        "EET" => "`Europe/Athens` or `Europe/Helsinki`",
        "WET" => "`Europe/Lisbon`",
        _ if name.starts_with("Etc/GMT") && name.len() > "Etc/GMT".len() && name != "Etc/GMT0" => {
            "`America/Toronto` or `Europe/Berlin`"
        }
        _ => return None,
    };
    Some(cities)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_city_alone_finds_its_zone() {
        assert_eq!(suggest("Toronto"), Some("America/Toronto"));
        assert_eq!(suggest("new york"), Some("America/New_York"));
        assert_eq!(suggest("Torontoo"), Some("America/Toronto"));
        assert_eq!(suggest("Amerca/Toronto"), Some("America/Toronto"));
        assert_eq!(suggest("Asia/Soeul"), Some("Asia/Seoul"));
    }

    #[test]
    fn fixed_offsets_are_named_and_city_zones_are_not() {
        for fixed in ["EST", "Etc/GMT+5", "MST"] {
            assert!(
                fixed_offset(fixed.parse().expect("zone")).is_some(),
                "{fixed}"
            );
        }
        for city in ["America/Toronto", "UTC", "Asia/Seoul", "Etc/UTC", "Etc/GMT"] {
            assert!(
                fixed_offset(city.parse().expect("zone")).is_none(),
                "{city}"
            );
        }
    }
}
