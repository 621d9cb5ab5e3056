//! Tests of `time`.
use super::*;

fn utc(s: &str) -> Time {
    DateTime::parse_from_rfc3339(s)
        .expect("test time")
        .with_timezone(&Utc)
}

#[test]
fn rfc3339_and_naive_forms() {
    let seoul: Tz = "Asia/Seoul".parse().expect("zone");
    let expected = utc("2022-10-15T06:30:00Z");
    for text in [
        "2022-10-15T15:30:00+09:00",
        "2022-10-15T06:30:00Z",
        "2022-10-15 15:30",
        "2022-10-15 15:30:00",
        "2022-10-15T15:30",
    ] {
        assert_eq!(parse_timestamp(text, seoul), Ok(expected), "{text}");
    }
}

#[test]
fn naive_time_in_a_dst_gap_names_both_readings() {
    let berlin: Tz = "Europe/Berlin".parse().expect("zone");
    let err = parse_timestamp("2022-03-27 02:30", berlin).expect_err("gap");
    assert!(err.message.contains("does not exist"), "{}", err.message);
    assert!(
        err.help.contains("2022-03-27T02:30:00+01:00"),
        "{}",
        err.help
    );
    assert!(
        err.help.contains("2022-03-27T02:30:00+02:00"),
        "{}",
        err.help
    );
}

#[test]
fn naive_time_repeated_by_dst_names_both_readings() {
    let berlin: Tz = "Europe/Berlin".parse().expect("zone");
    let err = parse_timestamp("2022-10-30 02:30", berlin).expect_err("fold");
    assert!(
        err.help.contains("+02:00") && err.help.contains("+01:00"),
        "{}",
        err.help
    );
}

#[test]
fn bare_date_is_local_midnight() {
    let seoul: Tz = "Asia/Seoul".parse().expect("zone");
    let m = parse_moment("2022-10-19", seoul).expect("date");
    assert!(m.date_only);
    assert_eq!(m.at, utc("2022-10-18T15:00:00Z"));
}

#[test]
fn times_outside_1900_to_9999_in_any_zone_are_refused() {
    let seoul: Tz = "Asia/Seoul".parse().expect("zone");
    for text in [
        "0001-01-01T00:00:00Z",
        "1899-12-31T23:59:00Z",
        "0000-06-01 12:00",
        "+262142-12-31 23:59",
        "-0044-03-15T12:00",
    ] {
        let err = parse_timestamp(text, seoul).expect_err(text);
        assert_eq!(err.kind, ErrorKind::OutOfRange, "{text}: {}", err.message);
        assert!(err.message.contains("1900 to 9999"), "{}", err.message);
        let err = parse_moment(text, seoul).expect_err(text);
        assert_eq!(err.kind, ErrorKind::OutOfRange, "{text}: {}", err.message);
    }
    for text in ["+262142-12-31", "0999-01-01", "10000-01-01"] {
        let err = parse_moment(text, seoul).expect_err(text);
        assert_ne!(err.kind, ErrorKind::NotInZone, "{text}");
        assert!(err.message.contains(text), "{}", err.message);
    }
    // And a day inside them, so that every zone shows those years.
    for text in [
        "9999-12-31T23:59:00-12:00",
        "9999-12-31T00:00:00Z",
        "1900-01-01T00:00:00+14:00",
        "1900-01-01T23:59:59Z",
    ] {
        let err = parse_timestamp(text, seoul).expect_err(text);
        assert_eq!(err.kind, ErrorKind::OutOfRange, "{text}: {}", err.message);
    }
    assert!(parse_moment("9999-12-31", Tz::UTC).is_err());
    assert!(
        parse_moment("9999-12-31", seoul).is_ok(),
        "9999-12-30 15:00 UTC"
    );
    for text in [
        "9999-12-30T23:59:59Z",
        "1900-01-02T00:00:00Z",
        "9999-12-31 08:59",
    ] {
        assert!(parse_timestamp(text, seoul).is_ok(), "{text}");
    }
    assert!(parse_moment("9999-12-30", seoul).is_ok());
}

#[test]
fn an_offset_other_than_the_zones_is_a_slip_naming_the_expected_one() {
    let toronto: Tz = "America/Toronto".parse().expect("zone");
    let typed = parse_typed("2026-11-29T05:20:00-04:00").expect("time");
    let slip = typed.offset_slip(toronto).expect("slip");
    assert!(slip.message.contains("-05:00"), "{}", slip.message);
    assert!(
        slip.help.contains("2026-11-29T05:20:00-05:00"),
        "{}",
        slip.help
    );
    for fine in [
        "2026-11-29T05:20:00-05:00",
        "2026-07-01T05:20:00-04:00",
        "2026-11-29T10:20:00Z",
        "2026-11-29T02:20:00-08:00",
        "2026-11-29 05:20",
    ] {
        assert_eq!(
            parse_typed(fine).expect("time").offset_slip(toronto),
            None,
            "{fine}"
        );
    }
}

#[test]
fn utc_is_never_a_slip_even_where_it_is_winter_time() {
    let london: Tz = "Europe/London".parse().expect("zone");
    let summer = parse_typed("2024-09-01T00:00:00Z").expect("time");
    assert_eq!(summer.offset_slip(london), None);
    let winter_time_in_summer = parse_typed("2024-09-01T00:00:00+01:00").expect("time");
    assert_eq!(
        winter_time_in_summer.offset_slip(london),
        None,
        "the zone's own"
    );
}

#[test]
fn garbage_is_an_error_with_a_hint() {
    let err = parse_timestamp("2022-13-45T99:00", Tz::UTC).expect_err("bad");
    assert!(err.help.contains("RFC 3339"));
}

#[test]
fn the_example_in_a_hint_has_the_site_zone_offset() {
    let toronto: Tz = "America/Toronto".parse().expect("zone");
    let err = parse_timestamp("5:20 am", toronto).expect_err("unreadable");
    assert!(
        err.help.contains("2022-10-15T15:30:00-04:00"),
        "{}",
        err.help
    );
    assert!(err.help.contains("America/Toronto"), "{}", err.help);
    let err = parse_timestamp("soon", Tz::UTC).expect_err("unreadable");
    assert!(err.help.contains("2022-10-15T15:30:00Z"), "{}", err.help);
}
