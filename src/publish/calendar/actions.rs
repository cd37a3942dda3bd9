//! The actions calendar (`actions.ics`): every action of the register as a to-do (VTODO), so
//! partners and residents can follow the partnership's promises in a calendar or task app.
//! Dates only, so no time zone is needed: a due date is all-day (`DUE;VALUE=DATE`), and the
//! timestamps RFC 5545 requires in UTC are the content's own dates at 00:00 UTC, never the
//! clock, so the same content always gives the same file.
//!
//! Written only when some published meeting has raised an action: a calendar without
//! components is valid, but some clients refuse to subscribe to one, and a site that records no
//! actions has nothing to offer there.

use std::fmt::Write as _;

use super::{Lines, compact, host_and_path, text};
use crate::html::urls::encode_uri;
use crate::model::Site;
use crate::model::governance::{ActionEntry, Source};
use crate::output::{Contents, OutputFile};
use crate::routes;
use crate::values::{ActionStatus, Date};

use crate::routes::ACTIONS_CALENDAR;

/// `actions.ics`, or nothing when no meeting has raised an action.
pub fn actions_calendar(site: &Site) -> Option<OutputFile> {
    if site.actions.is_empty() {
        return None;
    }
    Some(OutputFile {
        path: ACTIONS_CALENDAR.to_string(),
        contents: Contents::Bytes(calendar(site).into_bytes()),
    })
}

fn calendar(site: &Site) -> String {
    let config = &site.config;
    let name = format!("{}: actions", config.title);
    let mut out = Lines::default();
    out.line("BEGIN:VCALENDAR");
    out.line("VERSION:2.0");
    out.line("PRODID:-//Waymark//Waymark actions calendar//EN");
    out.line("CALSCALE:GREGORIAN");
    out.line("METHOD:PUBLISH");
    out.line(&format!("NAME:{}", text(&name)));
    out.line(&format!("X-WR-CALNAME:{}", text(&name)));
    out.line(&format!(
        "X-WR-CALDESC:{}",
        text("What each meeting asked someone to do: who owns it, when it is due and where it stands.")
    ));
    out.line("REFRESH-INTERVAL;VALUE=DURATION:P1D");
    out.line("X-PUBLISHED-TTL:P1D");
    let host = host_and_path(&config.base_url.absolute);
    for action in &site.actions {
        todo(&mut out, site, action, &host);
    }
    out.line("END:VCALENDAR");
    out.text
}

fn todo(out: &mut Lines, site: &Site, entry: &ActionEntry, host: &str) {
    let action = &entry.action;
    let url = encode_uri(
        &site
            .config
            .base_url
            .absolute_url(&routes::action(action.id.key())),
    );
    let raised_on = site.meetings[entry.meeting].page.item.date;
    // When the action last changed: its newest progress report, else the meeting that raised
    // it. Content dates only, so a rebuild of the same content writes the same file.
    let changed = entry.history.last().map_or(raised_on, |h| h.date);
    out.line("BEGIN:VTODO");
    // `action-` keeps an action's UID apart from a meeting's (`<slug>@…`) in `meetings.ics`,
    // should an id and a meeting's file name ever be the same.
    out.line(&format!("UID:action-{}@{host}", action.id.key()));
    out.line(&format!("DTSTAMP:{}", midnight_utc(changed)));
    out.line(&format!("LAST-MODIFIED:{}", midnight_utc(changed)));
    out.line(&format!(
        "SUMMARY:{}",
        text(&format!("{}: {}", action.id, action.action))
    ));
    out.line(&format!(
        "DESCRIPTION:{}",
        text(&description(site, entry, &url))
    ));
    if let Some(due) = action.due {
        out.line(&format!("DUE;VALUE=DATE:{}", compact(due)));
    }
    out.line(&format!("STATUS:{}", status(entry.status)));
    if entry.status == ActionStatus::Done {
        // RFC 5545 wants a UTC date-time; the minutes record only the day it was reported done.
        out.line(&format!("COMPLETED:{}", midnight_utc(changed)));
        out.line("PERCENT-COMPLETE:100");
    }
    if let Some(priority) = entry.priority.as_deref().and_then(|p| site.priority(p)) {
        let title = &priority.page.item;
        let name = title.short_title.as_deref().unwrap_or(&title.common.title);
        out.line(&format!("CATEGORIES:{}", text(name)));
    }
    out.line(&format!("URL:{url}"));
    out.line("END:VTODO");
}

/// RFC 5545's to-do statuses: open needs action, in progress is in process.
fn status(status: ActionStatus) -> &'static str {
    match status {
        ActionStatus::Open => "NEEDS-ACTION",
        ActionStatus::InProgress => "IN-PROCESS",
        ActionStatus::Done => "COMPLETED",
        ActionStatus::Dropped => "CANCELLED",
    }
}

/// `20200716T000000Z`
fn midnight_utc(date: Date) -> String {
    format!("{}T000000Z", compact(date))
}

/// Who owns it, when it is due, where it stands, where it was raised and the newest progress:
/// what a task app shows under the title.
fn description(site: &Site, entry: &ActionEntry, url: &str) -> String {
    let action = &entry.action;
    let meeting = &site.meetings[entry.meeting].page.item;
    let mut text = String::new();
    let _ = writeln!(text, "Owner: {}", action.owner);
    match action.due {
        Some(due) if entry.overdue => {
            let _ = writeln!(text, "Due: {} (overdue)", due.long_form());
        }
        Some(due) => {
            let _ = writeln!(text, "Due: {}", due.long_form());
        }
        None => text.push_str("Due: no date set\n"),
    }
    let _ = writeln!(text, "Status: {}", entry.status.label());
    let _ = write!(
        text,
        "Raised at: {}, {}",
        meeting.common.title,
        meeting.date.long_form()
    );
    if let Some(item) = meeting.agenda.get(entry.item) {
        let _ = write!(text, " (agenda item {}: {})", entry.item + 1, item.title);
    }
    text.push('\n');
    if let Some(latest) = entry.history.last() {
        let _ = write!(
            text,
            "Latest update, {} ({}): {}",
            latest.date.long_form(),
            reported_by(site, latest.source),
            latest.status.label()
        );
        match &latest.note {
            Some(note) => {
                let _ = writeln!(text, ". {note}");
            }
            None => text.push('\n'),
        }
        // A report that only confirms the status says nothing new: the newest note still does.
        let noted = entry.history.iter().rev().find(|h| h.note.is_some());
        if latest.note.is_none()
            && let Some(earlier) = noted
            && let Some(note) = &earlier.note
        {
            let _ = writeln!(
                text,
                "Latest note, {} ({}): {note}",
                earlier.date.long_form(),
                reported_by(site, earlier.source)
            );
        }
    }
    let _ = write!(text, "\nThe action and its progress: {url}");
    text
}

/// The title of the meeting or update that reported progress.
fn reported_by(site: &Site, source: Source) -> &str {
    match source {
        Source::Meeting(i) => &site.meetings[i].page.item.common.title,
        Source::Update(i) => &site.updates[i].item.common.title,
    }
}
