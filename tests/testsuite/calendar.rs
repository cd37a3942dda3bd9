//! The meetings calendar (`meetings.ics`) and the calendar file of each meeting still to come,
//! read back with the ical parser: one event per meeting, London time with a VTIMEZONE, folded
//! lines, and the site's timezone setting.

use std::collections::BTreeMap;
use std::io::BufReader;

use crate::site_test::SiteTest;

const BASE: &str = "https://example.org/community-safety/";

pub fn parse_calendar(text: &str) -> ical::parser::ical::component::IcalCalendar {
    let mut calendars = ical::IcalParser::new(BufReader::new(text.as_bytes()));
    let calendar = calendars
        .next()
        .expect("one calendar")
        .expect("ical reads it");
    assert!(calendars.next().is_none());
    calendar
}

fn property<'a>(
    properties: &'a [ical::property::Property],
    name: &str,
) -> Option<&'a ical::property::Property> {
    properties.iter().find(|p| p.name == name)
}

pub fn value(properties: &[ical::property::Property], name: &str) -> String {
    property(properties, name)
        .and_then(|p| p.value.clone())
        .unwrap_or_else(|| panic!("no {name}"))
}

fn param(properties: &[ical::property::Property], name: &str, param: &str) -> Option<String> {
    property(properties, name)?
        .params
        .as_ref()?
        .iter()
        .find(|(n, _)| n == param)
        .map(|(_, v)| v.join(","))
}

/// RFC 5545 TEXT unescaping.
fn unescape(text: &str) -> String {
    text.replace("\\n", "\n")
        .replace("\\,", ",")
        .replace("\\;", ";")
        .replace("\\\\", "\\")
}

/// Every line ends in CRLF and is at most 75 bytes long.
pub fn assert_folded(text: &str) {
    assert!(text.ends_with("\r\n"));
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{} bytes: {line:?}", line.len());
        assert!(!line.contains('\n') && !line.contains('\r'));
    }
}

#[test]
fn meetings_calendar_has_one_event_per_meeting() {
    let site = SiteTest::new("calendar/london-meetings").built();
    let text = site.read("meetings.ics");
    assert_folded(&text);
    let calendar = parse_calendar(&text);
    assert_eq!(value(&calendar.properties, "VERSION"), "2.0");
    assert_eq!(value(&calendar.properties, "METHOD"), "PUBLISH");
    let events: BTreeMap<String, &ical::parser::ical::component::IcalEvent> = calendar
        .events
        .iter()
        .map(|e| (value(&e.properties, "UID"), e))
        .collect();
    let uids: Vec<&str> = events.keys().map(String::as_str).collect();
    assert_eq!(
        uids,
        vec![
            "board-2019-03-11@example.org/community-safety",
            "board-2020-01-16@example.org/community-safety",
            "board-2020-04-16@example.org/community-safety",
            "board-2020-07-16@example.org/community-safety",
            "board-2099-01-21@example.org/community-safety",
        ],
        "one event per published meeting; the draft is left out"
    );
    let july = &events["board-2020-07-16@example.org/community-safety"].properties;
    assert_eq!(value(july, "DTSTART"), "20200716T100000");
    assert_eq!(
        param(july, "DTSTART", "TZID").as_deref(),
        Some("Europe/London")
    );
    assert_eq!(
        unescape(&value(july, "LOCATION")),
        "Council Chamber, Town Hall; Main Street"
    );
    assert_eq!(value(july, "STATUS"), "CONFIRMED");
    assert_eq!(
        value(july, "URL"),
        format!("{BASE}meetings/board-2020-07-16/")
    );
    assert_eq!(value(july, "SUMMARY"), "Partnership board");
    assert!(unescape(&value(july, "DESCRIPTION")).contains("1. County lines: progress report\n"));

    let cancelled = &events["board-2020-04-16@example.org/community-safety"].properties;
    assert_eq!(value(cancelled, "STATUS"), "CANCELLED");

    let all_day = &events["board-2019-03-11@example.org/community-safety"].properties;
    assert_eq!(value(all_day, "DTSTART"), "20190311");
    assert_eq!(param(all_day, "DTSTART", "VALUE").as_deref(), Some("DATE"));
    assert_eq!(value(all_day, "DTEND"), "20190312");
    assert_eq!(
        unescape(&value(all_day, "LOCATION")),
        "The Very Long Named Community Hall and Conference Centre, 123 Extremely Long Road Name, Testshire, TS1 1AA"
    );
    for event in events.values() {
        assert!(value(&event.properties, "DTSTAMP").ends_with('Z'));
    }
}

#[test]
fn calendar_describes_london_time_with_a_vtimezone() {
    let site = SiteTest::new("calendar/london-meetings").built();
    let calendar = parse_calendar(&site.read("meetings.ics"));
    assert_eq!(calendar.timezones.len(), 1);
    let zone = &calendar.timezones[0];
    assert_eq!(value(&zone.properties, "TZID"), "Europe/London");
    let starts: Vec<(String, String, String)> = zone
        .transitions
        .iter()
        .map(|t| {
            (
                value(&t.properties, "DTSTART"),
                value(&t.properties, "TZOFFSETFROM"),
                value(&t.properties, "TZOFFSETTO"),
            )
        })
        .collect();
    // In force at the first timed meeting (January 2020: GMT since October 2019) …
    assert_eq!(
        starts[0],
        ("20191027T020000".into(), "+0100".into(), "+0000".into())
    );
    // … and covering the summer meeting, BST from 29 March 2020.
    assert!(starts.contains(&("20200329T010000".into(), "+0000".into(), "+0100".into())));
    // … through the last meeting, in 2099.
    assert!(starts.iter().any(|(start, _, _)| start.starts_with("2099")));
}

#[test]
fn only_meetings_still_to_come_offer_a_calendar_file() {
    let site = SiteTest::new("calendar/london-meetings").built();
    let path = "meetings/board-2099-01-21/board-2099-01-21.ics";
    let text = site.read(path);
    assert_folded(&text);
    let calendar = parse_calendar(&text);
    assert_eq!(calendar.events.len(), 1);
    assert_eq!(
        value(&calendar.events[0].properties, "DTSTART"),
        "20990121T180000"
    );
    let page = site.page("meetings/board-2099-01-21/index.html");
    assert_eq!(
        page.attr(".add-to-calendar a", "href").as_deref(),
        Some("/community-safety/meetings/board-2099-01-21/board-2099-01-21.ics")
    );
    assert!(!site.exists("meetings/board-2020-07-16/board-2020-07-16.ics"));
    let past = site.page("meetings/board-2020-07-16/index.html");
    assert!(past.select(".add-to-calendar").is_empty());
}

#[test]
fn timezone_setting_moves_meeting_times() {
    let site = SiteTest::new("calendar/london-meetings");
    let text = site.read_source("site.yaml") + "timezone: America/New_York\n";
    let site = site.file("site.yaml", text).built();
    let calendar = parse_calendar(&site.read("meetings.ics"));
    assert_eq!(
        value(&calendar.timezones[0].properties, "TZID"),
        "America/New_York"
    );
    let july = calendar
        .events
        .iter()
        .find(|e| value(&e.properties, "UID").starts_with("board-2020-07-16"))
        .unwrap();
    assert_eq!(
        param(&july.properties, "DTSTART", "TZID").as_deref(),
        Some("America/New_York")
    );
    assert!(
        site.read("atom.xml")
            .contains("<updated>2020-07-16T10:00:00-04:00</updated>")
    );
}
