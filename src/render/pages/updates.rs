//! The updates index and each update's page.

use std::borrow::Cow;

use crate::model::route_table::Route;
use crate::model::{Published, Site};
use crate::parse::content::Update;
use crate::render::pages::{Content, HOME_TRAIL, Listing, PageJob, numbered};
use crate::render::site::Crumb;
use crate::render::views::pages::{StatusChangeLinkView, UpdatePageView, UpdateView, UpdatesView};
use crate::render::views::{
    CommonView, DateText, PriorityLinkView, StatusView, UpdateSummaryView, tag_views,
};
use crate::routes;

/// Page `number` of the updates index.
pub fn index_job<'a>(site: &'a Site, route: &'a Route, number: usize) -> PageJob<'a> {
    let (listing, title) = numbered(site, routes::UPDATES, "Updates", site.updates.len(), number);
    PageJob {
        route,
        template: "updates.html",
        section: "updates",
        title,
        trail: HOME_TRAIL,
        content: Content::Updates(listing),
    }
}

pub fn job<'a>(route: &'a Route, update: &'a Published<Update>) -> PageJob<'a> {
    PageJob {
        route,
        template: "update.html",
        section: "updates",
        title: Cow::Borrowed(&update.item.common.title),
        trail: &[Crumb::Home, Crumb::Updates],
        content: Content::Update(update),
    }
}

pub fn index_view<'a>(
    site: &'a Site,
    listing: &'a Listing,
    common: CommonView<'a>,
) -> UpdatesView<'a> {
    UpdatesView {
        common,
        updates: site.updates[listing.range.clone()]
            .iter()
            .map(UpdateSummaryView::new)
            .collect(),
        pagination: listing.pagination.as_ref(),
    }
}

pub fn view<'a>(
    site: &'a Site,
    update: &'a Published<Update>,
    common: CommonView<'a>,
) -> UpdatePageView<'a> {
    let u = &update.item;
    let link = |slug: &str| site.priority(slug).map(PriorityLinkView::new);
    let update = UpdateView {
        title: &u.common.title,
        url: &update.url,
        date: DateText::new(u.date),
        priorities: u.priorities.iter().filter_map(|r| link(&r.slug)).collect(),
        status_changes: u
            .status_changes
            .iter()
            .filter_map(|c| {
                link(&c.priority.slug).map(|priority| StatusChangeLinkView {
                    priority,
                    status: StatusView::new(c.status),
                })
            })
            .collect(),
        tags: tag_views(&u.common.tags, &common.site.urls),
        content: &update.html,
    };
    UpdatePageView { common, update }
}
