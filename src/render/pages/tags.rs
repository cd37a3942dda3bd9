//! The index of tags and each tag's page of everything carrying it.

use crate::model::{Site, TagIndex};
use crate::render::metadata::About;
use crate::render::pages::{Content, Index, Listing, PageJob, section_index};
use crate::render::site::Crumb;
use crate::render::views::pages::{TagPageView, TagsView};
use crate::render::views::{CommonView, TagView, TaggedItemView, tag_summaries};

pub fn jobs(site: &Site) -> Vec<PageJob<'_>> {
    let description = format!(
        "Topics of the priorities, meetings and updates of {}.",
        site.config.title
    );
    let mut jobs = vec![section_index(
        "tags.html",
        "tags/",
        "Tags",
        description,
        Content::Tags,
    )];
    for tag in &site.tags {
        let index = Index {
            site,
            template: "tag.html",
            section: "tags",
            folder: &tag.site_path,
            title: &tag.tag.name,
            about: About::Tag(tag),
            trail: &[Crumb::Home, Crumb::Tags],
        };
        jobs.extend(index.jobs(tag.items.len(), |listing| Content::Tag(tag, listing)));
    }
    jobs
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
