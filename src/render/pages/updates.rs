//! The updates index and each update's page.

use std::borrow::Cow;

use crate::model::{Published, Site};
use crate::parse::content::Update;
use crate::render::metadata::About;
use crate::render::pages::{Content, HOME_TRAIL, Index, Listing, PageJob};
use crate::render::site::Crumb;
use crate::render::views::pages::{StatusChangeLinkView, UpdatePageView, UpdateView, UpdatesView};
use crate::render::views::{
    CommonView, DateText, PriorityLinkView, StatusView, UpdateSummaryView, tag_views,
};

pub fn jobs(site: &Site) -> Vec<PageJob<'_>> {
    let index = Index {
        site,
        template: "updates.html",
        section: "updates",
        folder: "updates/",
        title: "Updates",
        about: About::Listing {
            site_path: "updates/",
            description: format!("Progress updates from {}.", site.config.title),
        },
        trail: HOME_TRAIL,
    };
    let mut jobs = index.jobs(site.updates.len(), Content::Updates);
    jobs.extend(site.updates.iter().map(|update| PageJob {
        template: "update.html",
        path: format!("{}index.html", update.site_path),
        section: "updates",
        title: Cow::Borrowed(&update.item.common.title),
        about: About::Update(update),
        trail: &[Crumb::Home, Crumb::Updates],
        content: Content::Update(update),
    }));
    jobs
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
