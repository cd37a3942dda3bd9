//! What the search index holds: one document per page of the route table worth finding.

use std::borrow::Cow;

use crate::model::route_table::{Route, RouteKind};
use crate::model::{ACCESSIBILITY_SUMMARY, MeetingEntry, PriorityEntry, Published, Site};
use crate::parse::content::{Page, Update};
use crate::publish::search::Doc;

/// Every page of `site` worth finding, from the route table, in a stable order: priorities,
/// meetings (newest first, as people look for them), updates, then home and the other pages.
/// A document's number is its place in this order.
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
        RouteKind::Actions { .. } | RouteKind::Action(_) | RouteKind::Decisions { .. } => None,
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
        title: "Accessibility statement",
        url: Cow::Owned(site.config.base_url.join(&route.site_path)),
        date: None,
        status: None,
        summary: Some(ACCESSIBILITY_SUMMARY),
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
        title: &p.common.title,
        url: Cow::Borrowed(&entry.page.url),
        date: p.updated.map(|d| d.long_form()),
        status: Some(p.status.label()),
        summary: p.summary.as_deref(),
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
    }
    meta.extend(entry.documents.iter().map(|d| d.title.as_str()));
    meta.extend(m.common.tags.iter().map(|t| t.name.as_str()));
    Doc {
        kind: "meeting",
        title: &m.common.title,
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
        title: &u.common.title,
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
        title: &page.item.common.title,
        url: Cow::Borrowed(&page.url),
        date: None,
        status: None,
        summary: page.item.summary.as_deref(),
        meta: Vec::new(),
        body_html: &page.html,
    }
}
