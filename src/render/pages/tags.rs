//! The index of tags and each tag's page of everything carrying it.

use crate::model::route_table::Route;
use crate::model::{Site, TagIndex};
use crate::render::pages::{Content, Listing, PageJob, numbered, section_index};
use crate::render::site::Crumb;
use crate::render::views::pages::{TagPageView, TagsView};
use crate::render::views::{CommonView, TagView, TaggedItemView, tag_summaries};

pub fn index_job(route: &Route) -> PageJob<'_> {
    section_index(route, "tags.html", "tags", "Tags", Content::Tags)
}

/// Page `number` of the list of everything carrying `tag`.
pub fn job<'a>(site: &Site, route: &'a Route, tag: &'a TagIndex, number: usize) -> PageJob<'a> {
    let (listing, title) = numbered(site, &tag.site_path, &tag.tag.name, tag.items.len(), number);
    PageJob {
        route,
        template: "tag.html",
        section: "tags",
        title,
        trail: &[Crumb::Home, Crumb::Tags],
        content: Content::Tag(tag, listing),
    }
}

pub fn index_view<'a>(site: &'a Site, common: CommonView<'a>) -> TagsView<'a> {
    TagsView {
        common,
        tags: tag_summaries(site),
    }
}

pub fn view<'a>(
    tag: &'a TagIndex,
    listing: &'a Listing,
    common: CommonView<'a>,
) -> TagPageView<'a> {
    TagPageView {
        common,
        tag: TagView::of_index(tag),
        items: tag.items[listing.range.clone()]
            .iter()
            .map(TaggedItemView::new)
            .collect(),
        pagination: listing.pagination.as_ref(),
    }
}
