//! Meeting calendars (RFC 5545): `meetings.ics` with every meeting, for residents to subscribe
//! to, and one file per meeting behind its "Add to calendar" link. Times are wall-clock times
//! in the site's time zone, described by a VTIMEZONE; a meeting without a time is all-day.
//! The actions calendar (`actions.ics`, one to-do per action) is in [`actions`], written with
//! the same helpers.

use std::fmt::Write as _;

use rayon::prelude::*;

use crate::html::urls::encode_uri;
use crate::model::{MeetingEntry, Site};
use crate::output::{Contents, OutputFile};
use crate::values::zone::{Observance, format_offset};
use crate::values::{Date, MeetingStatus};

mod actions;
pub use crate::routes::CALENDAR;
pub use actions::actions_calendar;
/// Longest line allowed before folding, in bytes, without the line break.
const LINE_LIMIT: usize = 75;

/// `meetings.ics` and one file per meeting still to come.
pub fn calendars(site: &Site) -> Vec<OutputFile> {
    let all: Vec<&MeetingEntry> = site.meetings.iter().collect();
    let name = format!("{} meetings", site.config.title);
    let mut files = vec![OutputFile {
        path: CALENDAR.to_string(),
        contents: Contents::Bytes(calendar(site, &name, &all).into_bytes()),
    }];
    let single: Vec<OutputFile> = site
        .meetings
        .par_iter()
        .filter_map(|entry| {
            Some(OutputFile {
                path: entry.calendar_path(site.today)?,
                contents: Contents::Bytes(
                    calendar(site, &entry.page.item.common.title, &[entry]).into_bytes(),
                ),
            })
        })
        .collect();
    files.extend(single);
    files
}

fn calendar(site: &Site, name: &str, meetings: &[&MeetingEntry]) -> String {
    let config = &site.config;
    let zone = &config.timezone;
    let mut out = Lines::default();
    out.line("BEGIN:VCALENDAR");
    out.line("VERSION:2.0");
    out.line("PRODID:-//Waymark//Waymark meetings calendar//EN");
    out.line("CALSCALE:GREGORIAN");
    out.line("METHOD:PUBLISH");
    out.line(&format!("NAME:{}", text(name)));
    out.line(&format!("X-WR-CALNAME:{}", text(name)));
    if let Some(description) = &config.description {
        out.line(&format!("X-WR-CALDESC:{}", text(description)));
    }
    out.line(&format!("X-WR-TIMEZONE:{}", zone.name()));
    out.line("REFRESH-INTERVAL;VALUE=DURATION:P1D");
    out.line("X-PUBLISHED-TTL:P1D");
    let mut timed: Vec<Date> = meetings
        .iter()
        .filter(|m| m.page.item.time.is_some())
        .map(|m| m.page.item.date)
        .collect();
    if meetings.is_empty() {
        // A calendar needs at least one component: before the first meeting is published,
        // the time zone it will use stands in.
        timed.push(site.today);
    }
    if let (Some(first), Some(last)) = (timed.iter().min(), timed.iter().max()) {
        timezone(&mut out, zone.name(), &zone.observances(*first, *last));
    }
    let host = host_and_path(&config.base_url.absolute);
    let events: Vec<String> = meetings
        .par_iter()
        .map(|meeting| {
            let mut lines = Lines::default();
            event(&mut lines, site, meeting, &host);
            lines.text
        })
        .collect();
    for text in events {
        out.text.push_str(&text);
    }
    out.line("END:VCALENDAR");
    out.text
}

fn timezone(out: &mut Lines, name: &str, observances: &[Observance]) {
    out.line("BEGIN:VTIMEZONE");
    out.line(&format!("TZID:{name}"));
    for o in observances {
        let kind = if o.daylight { "DAYLIGHT" } else { "STANDARD" };
        out.line(&format!("BEGIN:{kind}"));
        out.line(&format!("DTSTART:{}", o.local_start));
        out.line(&format!(
            "TZOFFSETFROM:{}",
            format_offset(o.offset_from, false)
        ));
        out.line(&format!("TZOFFSETTO:{}", format_offset(o.offset_to, false)));
        if !o.abbreviation.is_empty() && !o.abbreviation.starts_with(['+', '-']) {
            out.line(&format!("TZNAME:{}", text(&o.abbreviation)));
        }
        out.line(&format!("END:{kind}"));
    }
    out.line("END:VTIMEZONE");
}

fn event(out: &mut Lines, site: &Site, entry: &MeetingEntry, host: &str) {
    let m = &entry.page.item;
    let url = encode_uri(&format!(
        "{}{}",
        site.config.base_url.absolute, entry.page.site_path
    ));
    out.line("BEGIN:VEVENT");
    out.line(&format!("UID:{}@{host}", m.common.slug));
    // When the entry was last changed is not recorded anywhere; the meeting's own date keeps
    // the file the same from one build to the next.
    out.line(&format!("DTSTAMP:{}T000000Z", compact(m.date)));
    match m.time {
        Some(time) => out.line(&format!(
            "DTSTART;TZID={}:{}T{:02}{:02}00",
            site.config.timezone.name(),
            compact(m.date),
            time.hour(),
            time.minute()
        )),
        None => {
            out.line(&format!("DTSTART;VALUE=DATE:{}", compact(m.date)));
            let next = Date::from_days_since_epoch(m.date.days_since_epoch() + 1);
            out.line(&format!("DTEND;VALUE=DATE:{}", compact(next)));
        }
    }
    out.line(&format!("SUMMARY:{}", text(&m.common.title)));
    if let Some(venue) = &m.venue {
        out.line(&format!("LOCATION:{}", text(venue)));
    }
    out.line(&format!("DESCRIPTION:{}", text(&description(entry, &url))));
    let status = if entry.status == MeetingStatus::Cancelled {
        "CANCELLED"
    } else {
        "CONFIRMED"
    };
    out.line(&format!("STATUS:{status}"));
    if !m.common.tags.is_empty() {
        let tags: Vec<String> = m.common.tags.iter().map(|t| text(&t.name)).collect();
        out.line(&format!("CATEGORIES:{}", tags.join(",")));
    }
    out.line(&format!("URL:{url}"));
    out.line("END:VEVENT");
}

fn description(entry: &MeetingEntry, url: &str) -> String {
    let m = &entry.page.item;
    let mut text = String::new();
    if entry.status == MeetingStatus::Cancelled {
        text.push_str("This meeting is cancelled.\n\n");
    }
    if let Some(chair) = &m.chair {
        let _ = write!(text, "Chair: {chair}\n\n");
    }
    if !m.agenda.is_empty() {
        text.push_str("Agenda:\n");
        for (number, item) in m.agenda.iter().enumerate() {
            let _ = writeln!(text, "{}. {}", number + 1, item.title);
        }
        text.push('\n');
    }
    let _ = write!(text, "Agenda, papers and minutes: {url}");
    text
}

/// `20200716`
fn compact(date: Date) -> String {
    format!("{:04}{:02}{:02}", date.year(), date.month(), date.day())
}

/// A TEXT value: backslash, semicolon, comma and line breaks escaped; other control
/// characters left out, as iCalendar does not allow them.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// `example.org/safety` for a UID that stays the same wherever the file is read.
fn host_and_path(absolute: &str) -> String {
    let rest = absolute.split_once("://").map_or(absolute, |(_, r)| r);
    rest.trim_end_matches('/').to_string()
}

/// Content lines, each folded to at most 75 bytes and ended with CRLF (RFC 5545 3.1).
#[derive(Default)]
struct Lines {
    text: String,
}

impl Lines {
    fn line(&mut self, line: &str) {
        let mut rest = line;
        let mut limit = LINE_LIMIT;
        while rest.len() > limit {
            let mut cut = limit;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            self.text.push_str(&rest[..cut]);
            self.text.push_str("\r\n ");
            rest = &rest[cut..];
            // The leading space of a continuation line counts towards its length.
            limit = LINE_LIMIT - 1;
        }
        self.text.push_str(rest);
        self.text.push_str("\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_long_lines_between_characters() {
        let mut lines = Lines::default();
        let long = format!("SUMMARY:{}", "é".repeat(60));
        lines.line(&long);
        for line in lines.text.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} bytes: {line}", line.len());
        }
        let unfolded = lines.text.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{long}\r\n"));
    }

    #[test]
    fn escapes_text_values() {
        assert_eq!(
            text("Room 1, Town Hall; Main St\\East\nFloor 2"),
            "Room 1\\, Town Hall\\; Main St\\\\East\\nFloor 2"
        );
    }
}
