//! What the search index holds: one document per page of the route table worth finding.

use std::borrow::Cow;

use crate::model::route_table::{Route, RouteKind};
use crate::model::{ACCESSIBILITY_SUMMARY, MeetingEntry, PriorityEntry, Published, Site};
use crate::parse::content::{Page, Update};
use crate::publish::search::Doc;
use crate::routes;
use crate::values::ActionStatus;

/// Every page of `site` worth finding, from the route table, in a stable order: priorities,
/// meetings (newest first, as people look for them), updates, then home and the other pages,
/// then the actions in register order. A document's number is its place in this order.
pub fn site_docs(site: &Site) -> Vec<Doc<'_>> {
    let mut docs: Vec<(SearchOrder, Doc<'_>)> = site
        .routes
        .iter()
        .filter_map(|route| searchable(site, route))
        .collect();
    docs.sort_unstable_by_key(|(order, _)| *order);
    docs.into_iter().map(|(_, doc)| doc).collect()
}

/// Where a document sits in the index: its group, then its place in the group.
type SearchOrder = (u8, usize);

/// The document of the page at `route` and its place in the index, or `None` for pages that
/// only list or gather other pages (those are in the index themselves), and for a home page
/// with no text of its own.
fn searchable<'a>(site: &'a Site, route: &Route) -> Option<(SearchOrder, Doc<'a>)> {
    let newest_first = |i: usize| site.meetings.len() - i;
    match route.kind {
        RouteKind::Priority(i) => Some(((0, i), priority_doc(&site.priorities[i]))),
        RouteKind::Meeting(i) => Some(((1, newest_first(i)), meeting_doc(&site.meetings[i]))),
        RouteKind::Update(i) => Some(((2, i), update_doc(&site.updates[i]))),
        RouteKind::Home => site.home.as_ref().map(|home| ((3, 0), page_doc(home))),
        RouteKind::Page(i) => Some(((4, i), page_doc(&site.pages[i]))),
        RouteKind::AccessibilityStatement => Some(((5, 0), accessibility_doc(site, route))),
        RouteKind::Action(i) => Some(((6, i), action_doc(site, i))),
        // Decisions are words of their meeting's document: a search for one leads to the
        // meeting that took it.
        RouteKind::Actions { .. } | RouteKind::Decisions { .. } => None,
        RouteKind::Priorities
        | RouteKind::Meetings { .. }
        | RouteKind::Updates { .. }
        | RouteKind::Tags
        | RouteKind::Tag { .. }
        | RouteKind::Search
        | RouteKind::Data
        | RouteKind::NotFound => None,
    }
}

/// The generated accessibility statement, found by its summary.
fn accessibility_doc<'a>(site: &Site, route: &Route) -> Doc<'a> {
    Doc {
        kind: "page",
        title: Cow::Borrowed("Accessibility statement"),
        url: Cow::Owned(site.config.base_url.join(&route.site_path)),
        date: None,
        status: None,
        summary: Some(Cow::Borrowed(ACCESSIBILITY_SUMMARY)),
        meta: Vec::new(),
        body_html: "",
    }
}

fn priority_doc(entry: &PriorityEntry) -> Doc<'_> {
    let p = &entry.page.item;
    let mut meta: Vec<&str> = Vec::new();
    meta.extend(p.short_title.as_deref());
    meta.extend(p.lead.as_deref());
    meta.extend(p.common.tags.iter().map(|t| t.name.as_str()));
    Doc {
        kind: "priority",
        title: Cow::Borrowed(&p.common.title),
        url: Cow::Borrowed(&entry.page.url),
        date: p.updated.map(|d| d.long_form()),
        status: Some(p.status.label()),
        summary: p.summary.as_deref().map(Cow::Borrowed),
        meta,
        body_html: &entry.page.html,
    }
}

fn meeting_doc(entry: &MeetingEntry) -> Doc<'_> {
    let m = &entry.page.item;
    let mut meta: Vec<&str> = Vec::new();
    meta.extend(m.venue.as_deref());
    meta.extend(m.chair.as_deref());
    for item in &m.agenda {
        meta.push(&item.title);
        meta.extend(item.presenter.as_deref());
        // A decision found by search leads to the meeting that took it, where it is read in
        // the context of its agenda item.
        meta.extend(item.decisions.iter().map(String::as_str));
    }
    meta.extend(entry.documents.iter().map(|d| d.title.as_str()));
    meta.extend(m.common.tags.iter().map(|t| t.name.as_str()));
    Doc {
        kind: "meeting",
        title: Cow::Borrowed(&m.common.title),
        url: Cow::Borrowed(&entry.page.url),
        date: Some(m.date.long_form()),
        status: Some(entry.status.label()),
        summary: None,
        meta,
        body_html: &entry.page.html,
    }
}

fn update_doc(update: &Published<Update>) -> Doc<'_> {
    let u = &update.item;
    Doc {
        kind: "update",
        title: Cow::Borrowed(&u.common.title),
        url: Cow::Borrowed(&update.url),
        date: Some(u.date.long_form()),
        status: None,
        summary: None,
        meta: u.common.tags.iter().map(|t| t.name.as_str()).collect(),
        body_html: &update.html,
    }
}

fn page_doc(page: &Published<Page>) -> Doc<'_> {
    Doc {
        kind: "page",
        title: Cow::Borrowed(&page.item.common.title),
        url: Cow::Borrowed(&page.url),
        date: None,
        status: None,
        summary: page.item.summary.as_deref().map(Cow::Borrowed),
        meta: Vec::new(),
        body_html: &page.html,
    }
}

/// Action `i` of the register, titled by its id and what is to be done, so a search for either
/// finds it; its owner, due date, status and where it was raised say what it is in the results.
fn action_doc(site: &Site, i: usize) -> Doc<'_> {
    let entry = &site.actions[i];
    let action = &entry.action;
    let meeting = &site.meetings[entry.meeting].page.item;
    let mut summary = format!("Owner: {}.", action.owner);
    if let Some(due) = action.due {
        summary.push_str(&format!(" Due {}.", due.long_form()));
    }
    summary.push_str(&format!(
        " Raised at {}, {}.",
        meeting.common.title,
        meeting.date.long_form()
    ));
    let notes = entry.history.iter().rev().filter_map(|h| h.note.as_deref());
    if let Some(note) = notes.clone().next() {
        summary.push_str(&format!(" Latest: {note}"));
    }
    let mut meta: Vec<&str> = Vec::new();
    meta.extend(
        meeting
            .agenda
            .get(entry.item)
            .map(|item| item.title.as_str()),
    );
    if let Some(priority) = entry.priority.as_deref().and_then(|p| site.priority(p)) {
        let p = &priority.page.item;
        meta.push(&p.common.title);
        meta.extend(p.short_title.as_deref());
    }
    // Every note, so progress reported long ago still finds the action.
    meta.extend(notes.skip(1));
    Doc {
        kind: "action",
        title: Cow::Owned(format!("{}: {}", action.id, action.action)),
        url: Cow::Owned(site.config.base_url.join(&routes::action(action.id.key()))),
        date: action.due.map(|d| d.long_form()),
        status: Some(action_status(entry.status, entry.overdue)),
        summary: Some(Cow::Owned(summary)),
        meta,
        body_html: "",
    }
}

/// The status shown in results; an overdue action says so.
fn action_status(status: ActionStatus, overdue: bool) -> &'static str {
    match (status, overdue) {
        (ActionStatus::Open, true) => "Open, overdue",
        (ActionStatus::InProgress, true) => "In progress, overdue",
        (status, _) => status.label(),
    }
}
