//! Free pages from `content/pages/`, and the pages every site has: search, the generated
//! accessibility statement and the 404 page.

use std::borrow::Cow;

use crate::model::route_table::Route;
use crate::model::{ACCESSIBILITY_SUMMARY, Published, Site};
use crate::parse::content::Page;
use crate::render::pages::{Content, HOME_TRAIL, PageJob, section_index};
use crate::render::views::pages::{
    AccessibilityPageView, AccessibilityView, FreePageView, SearchView,
};
use crate::render::views::{CommonView, DateText, PageView, StatusView, tag_summaries};
use crate::routes;

pub fn free_page<'a>(route: &'a Route, page: &'a Published<Page>) -> PageJob<'a> {
    PageJob {
        route,
        template: "page.html",
        section: "page",
        title: Cow::Borrowed(&page.item.common.title),
        trail: HOME_TRAIL,
        content: Content::Page(page),
    }
}

pub fn free_page_view<'a>(page: &'a Published<Page>, common: CommonView<'a>) -> FreePageView<'a> {
    FreePageView {
        common,
        page: PageView::new(page),
    }
}

pub fn search(route: &Route) -> PageJob<'_> {
    section_index(route, "search.html", "search", "Search", Content::Search)
}

pub fn search_view<'a>(site: &'a Site, common: CommonView<'a>) -> SearchView<'a> {
    SearchView {
        index_url: format!("{}{}", common.site.base_path, routes::SEARCH_INDEX),
        tags: tag_summaries(site),
        common,
    }
}

/// The generated accessibility statement (the route table leaves it out when the site has a
/// page of its own at its address).
pub fn accessibility(route: &Route) -> PageJob<'_> {
    PageJob {
        route,
        template: "accessibility.html",
        section: "page",
        title: "Accessibility statement".into(),
        trail: HOME_TRAIL,
        content: Content::Accessibility,
    }
}

pub fn accessibility_view<'a>(site: &'a Site, common: CommonView<'a>) -> AccessibilityPageView<'a> {
    let config = &site.config;
    let a = &config.accessibility;
    let statement = AccessibilityView {
        compliance: StatusView {
            word: a.compliance.as_str(),
            label: a.compliance.label(),
        },
        assessed: a.assessed(),
        issues: &a.issues,
        reviewed: a.reviewed.map(DateText::new),
        phone: a.phone.as_deref(),
        email: config.contact_email.as_deref(),
        organisation: config.organisation.as_deref().unwrap_or(&config.title),
        summary: ACCESSIBILITY_SUMMARY,
    };
    AccessibilityPageView { common, statement }
}

pub fn not_found(route: &Route) -> PageJob<'_> {
    PageJob {
        route,
        template: "404.html",
        section: "404",
        title: "Page not found".into(),
        trail: &[],
        content: Content::NotFound,
    }
}
