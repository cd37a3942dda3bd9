//! The meetings index (upcoming soonest first, then past ones by year) and each meeting's page.

use std::borrow::Cow;
use std::ops::Range;

use crate::model::route_table::Route;
use crate::model::{MeetingEntry, Site};
use crate::render::pages::{Content, HOME_TRAIL, Listing, PageJob, numbered};
use crate::render::site::Crumb;
use crate::render::views::governance::{
    ActionStatusView, ActionView, AttendanceView, DeclarationView, MatterArisingView, MinutesView,
    history_views,
};
use crate::render::views::pages::{
    AgendaItemView, DocumentView, MeetingPageView, MeetingView, MeetingsView, YearView,
};
use crate::render::views::{
    CommonView, DateText, MeetingStatusView, MeetingSummaryView, PriorityLinkView, tag_views,
};
use crate::routes;

/// Page `number` of the meetings index.
pub fn index_job<'a>(site: &'a Site, route: &'a Route, number: usize) -> PageJob<'a> {
    let (listing, title) = numbered(
        site,
        routes::MEETINGS,
        "Meetings",
        site.meetings.len(),
        number,
    );
    PageJob {
        route,
        template: "meetings.html",
        section: "meetings",
        title,
        trail: HOME_TRAIL,
        content: Content::Meetings(listing),
    }
}

pub fn job<'a>(route: &'a Route, entry: &'a MeetingEntry) -> PageJob<'a> {
    PageJob {
        route,
        template: "meeting.html",
        section: "meetings",
        title: Cow::Borrowed(&entry.page.item.common.title),
        trail: &[Crumb::Home, Crumb::Meetings],
        content: Content::Meeting(entry),
    }
}

/// Whether the meeting is today or later, whatever its status.
pub fn is_upcoming(site: &Site, entry: &MeetingEntry) -> bool {
    entry.page.item.date >= site.today
}

/// The meetings in the listing's range of the index order: upcoming ones soonest first, then
/// past ones newest first, grouped by year.
pub fn index_view<'a>(
    site: &'a Site,
    listing: &'a Listing,
    common: CommonView<'a>,
) -> MeetingsView<'a> {
    // `site.meetings` is oldest first, so the upcoming ones are its tail.
    let first_upcoming = site.meetings.partition_point(|m| !is_upcoming(site, m));
    let upcoming_count = site.meetings.len() - first_upcoming;
    let in_order = |i: usize| {
        if i < upcoming_count {
            &site.meetings[first_upcoming + i]
        } else {
            &site.meetings[first_upcoming - 1 - (i - upcoming_count)]
        }
    };
    let range: Range<usize> = listing.range.clone();
    let upcoming = range
        .clone()
        .filter(|&i| i < upcoming_count)
        .map(|i| MeetingSummaryView::new(in_order(i)))
        .collect();
    let past = range.filter(|&i| i >= upcoming_count).map(in_order);
    MeetingsView {
        common,
        upcoming,
        past_years: by_year(past),
        pagination: listing.pagination.as_ref(),
    }
}

/// Consecutive meetings of the same year, grouped.
fn by_year<'a>(meetings: impl Iterator<Item = &'a MeetingEntry>) -> Vec<YearView<'a>> {
    let mut years: Vec<YearView<'_>> = Vec::new();
    for entry in meetings {
        let year = entry.page.item.date.year();
        match years.last_mut() {
            Some(group) if group.year == year => {
                group.meetings.push(MeetingSummaryView::new(entry));
            }
            _ => years.push(YearView {
                year,
                meetings: vec![MeetingSummaryView::new(entry)],
            }),
        }
    }
    years
}

pub fn view<'a>(
    site: &'a Site,
    entry: &'a MeetingEntry,
    common: CommonView<'a>,
) -> MeetingPageView<'a> {
    let m = &entry.page.item;
    let link = |slug: &str| site.priority(slug).map(PriorityLinkView::new);
    let meeting = MeetingView {
        title: &m.common.title,
        url: &entry.page.url,
        date: DateText::new(m.date),
        time: m.time.map(|t| t.twelve_hour()),
        time_24h: m.time.map(|t| t.to_string()),
        venue: m.venue.as_deref(),
        chair: m.chair.as_deref(),
        status: MeetingStatusView::new(entry.status),
        upcoming: is_upcoming(site, entry),
        calendar_url: entry
            .calendar_path(site.today)
            .map(|p| site.config.base_url.join(&p)),
        priorities: m.priorities.iter().filter_map(|r| link(&r.slug)).collect(),
        agenda: m
            .agenda
            .iter()
            .enumerate()
            .map(|(i, a)| AgendaItemView {
                number: i + 1,
                title: &a.title,
                presenter: a.presenter.as_deref(),
                priority: a.priority.as_ref().and_then(|r| link(&r.slug)),
                decisions: &a.decisions,
                actions: a
                    .actions
                    .iter()
                    .filter_map(|action| site.action_index.get(action.id.key()))
                    .map(|&i| ActionView::new(site, &site.actions[i]))
                    .collect(),
            })
            .collect(),
        documents: documents(entry),
        tags: tag_views(&m.common.tags, &common.site.urls),
        content: &entry.page.html,
        attendance: AttendanceView {
            present: &m.attendance.present,
            apologies: &m.attendance.apologies,
            in_attendance: &m.attendance.in_attendance,
            recorded: m.attendance.is_recorded(),
        },
        declarations: m
            .declarations
            .iter()
            .map(|d| DeclarationView {
                name: &d.name,
                item_number: d.item,
                item_title: &m.agenda[d.item - 1].title,
                interest: &d.interest,
            })
            .collect(),
        minutes: MinutesView::new(site, entry.minutes),
        matters_arising: matters_arising(site, entry),
    };
    MeetingPageView { common, meeting }
}

fn matters_arising<'a>(site: &'a Site, entry: &'a MeetingEntry) -> Vec<MatterArisingView<'a>> {
    entry
        .matters_arising
        .iter()
        .map(|matter| {
            let action = &site.actions[matter.action];
            MatterArisingView {
                action: ActionView::new(site, action),
                status_before: ActionStatusView::new(matter.status_before),
                reported_here: matter.reported_here.map(|h| {
                    let mut history = history_views(site, action);
                    history.swap_remove(h)
                }),
            }
        })
        .collect()
}

fn documents(entry: &MeetingEntry) -> Vec<DocumentView<'_>> {
    entry
        .documents
        .iter()
        .map(|d| DocumentView {
            title: &d.title,
            url: &d.url,
            file_type: &d.file_type,
            size: d.size.map(format_size),
        })
        .collect()
}

fn format_size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} bytes"),
        b if b < 1024 * 1024 => format!("{:.0} KB", (b as f64 / 1024.0).ceil()),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}
