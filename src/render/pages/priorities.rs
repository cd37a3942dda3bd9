//! The priorities index and each priority's page, with its timeline and status history.

use std::borrow::Cow;

use crate::model::route_table::Route;
use crate::model::{PriorityEntry, Site};
use crate::render::pages::{Content, PageJob, section_index};
use crate::render::site::Crumb;
use crate::render::views::governance::ActionView;
use crate::render::views::indicators::IndicatorView;
use crate::render::views::pages::{
    PrioritiesView, PriorityPageView, PriorityView, StatusChangeView, TimelineView,
};
use crate::render::views::{
    CommonView, DateText, MeetingStatusView, StatusView, priority_links, status_counts, tag_views,
};

pub fn index_job(route: &Route) -> PageJob<'_> {
    section_index(
        route,
        "priorities.html",
        "priorities",
        "Priorities",
        Content::Priorities,
    )
}

pub fn job<'a>(route: &'a Route, entry: &'a PriorityEntry) -> PageJob<'a> {
    PageJob {
        route,
        template: "priority.html",
        section: "priorities",
        title: Cow::Borrowed(&entry.page.item.common.title),
        trail: &[Crumb::Home, Crumb::Priorities],
        content: Content::Priority(entry),
    }
}

pub fn index_view<'a>(site: &'a Site, common: CommonView<'a>) -> PrioritiesView<'a> {
    PrioritiesView {
        common,
        priorities: priority_links(site),
        status_counts: status_counts(site),
    }
}

pub fn view<'a>(
    site: &'a Site,
    entry: &'a PriorityEntry,
    common: CommonView<'a>,
) -> PriorityPageView<'a> {
    let p = &entry.page.item;
    let priority = PriorityView {
        title: &p.common.title,
        short_title: p.short_title.as_deref().unwrap_or(&p.common.title),
        number: p.number,
        status: StatusView::new(p.status),
        lead: p.lead.as_deref(),
        updated: p.updated.map(DateText::new),
        summary: p.summary.as_deref(),
        tags: tag_views(&p.common.tags, &common.site.urls),
        url: &entry.page.url,
        content: &entry.page.html,
        open_actions: entry.open_actions,
        overdue_actions: entry.overdue_actions,
    };
    let timeline = entry
        .timeline
        .iter()
        .map(|t| TimelineView {
            date: DateText::new(t.date),
            kind: t.kind.as_str(),
            is_meeting: t.kind == crate::model::Kind::Meeting,
            title: &t.title,
            url: &t.url,
            agenda_items: &t.agenda_items,
            status_change: t.status_change.map(StatusView::new),
            meeting_status: t.meeting_status.map(MeetingStatusView::new),
            decisions: &t.decisions,
            actions: t
                .actions
                .iter()
                .map(|&i| ActionView::new(site, &site.actions[i]))
                .collect(),
            is_figure: t.kind == crate::model::Kind::Figure,
            figure: t.figure.as_deref(),
        })
        .collect();
    let status_history = entry
        .status_history
        .iter()
        .map(|h| StatusChangeView {
            date: DateText::new(h.date),
            status: StatusView::new(h.status),
            update_title: &h.update_title,
            update_url: &h.update_url,
        })
        .collect();
    let base_path = &site.config.base_url.path;
    PriorityPageView {
        common,
        priority,
        timeline,
        status_history,
        indicators: entry
            .indicators
            .iter()
            .map(|i| IndicatorView::new(i, base_path))
            .collect(),
    }
}
