//! Free pages from `content/pages/`, and the pages every site has: search, the generated
//! accessibility statement and the 404 page.

use std::borrow::Cow;

use crate::model::{ACCESSIBILITY_PATH, ACCESSIBILITY_SUMMARY, Published, Site};
use crate::parse::content::Page;
use crate::publish::search::INDEX_DIR;
use crate::render::metadata::About;
use crate::render::pages::{Content, HOME_TRAIL, PageJob, section_index};
use crate::render::views::pages::{
    AccessibilityPageView, AccessibilityView, FreePageView, SearchView,
};
use crate::render::views::{CommonView, DateText, PageView, StatusView, tag_summaries};

pub fn free_pages(site: &Site) -> impl Iterator<Item = PageJob<'_>> {
    site.pages.iter().map(|page| PageJob {
        template: "page.html",
        path: format!("{}index.html", page.site_path),
        section: "page",
        title: Cow::Borrowed(&page.item.common.title),
        about: About::Page(page),
        trail: HOME_TRAIL,
        content: Content::Page(page),
    })
}

pub fn free_page_view<'a>(page: &'a Published<Page>, common: CommonView<'a>) -> FreePageView<'a> {
    FreePageView {
        common,
        page: PageView::new(page),
    }
}

pub fn search(site: &Site) -> PageJob<'_> {
    let description = format!(
        "Search the priorities, meetings and updates of {}.",
        site.config.title
    );
    section_index(
        "search.html",
        "search/",
        "Search",
        description,
        Content::Search,
    )
}

pub fn search_view<'a>(site: &'a Site, common: CommonView<'a>) -> SearchView<'a> {
    SearchView {
        index_url: format!("{}{INDEX_DIR}", common.site.base_path),
        tags: tag_summaries(site),
        common,
    }
}

/// The accessibility statement, unless the site has a page of its own at its address.
pub fn accessibility(site: &Site) -> Option<PageJob<'_>> {
    site.generates_accessibility_statement().then(|| PageJob {
        template: "accessibility.html",
        path: format!("{ACCESSIBILITY_PATH}index.html"),
        section: "page",
        title: "Accessibility statement".into(),
        about: About::Listing {
            site_path: ACCESSIBILITY_PATH,
            description: ACCESSIBILITY_SUMMARY.to_string(),
        },
        trail: HOME_TRAIL,
        content: Content::Accessibility,
    })
}

pub fn accessibility_view<'a>(site: &'a Site, common: CommonView<'a>) -> AccessibilityPageView<'a> {
    let config = &site.config;
    let a = &config.accessibility;
    let statement = AccessibilityView {
        compliance: StatusView {
            word: a.compliance.as_str(),
            label: a.compliance.label(),
        },
        issues: &a.issues,
        reviewed: a.reviewed.map(DateText::new),
        phone: a.phone.as_deref(),
        email: config.contact_email.as_deref(),
        organisation: config.organisation.as_deref().unwrap_or(&config.title),
        summary: ACCESSIBILITY_SUMMARY,
    };
    AccessibilityPageView { common, statement }
}

pub fn not_found() -> PageJob<'static> {
    PageJob {
        template: "404.html",
        path: "404.html".into(),
        section: "404",
        title: "Page not found".into(),
        about: About::NotFound,
        trail: &[],
        content: Content::NotFound,
    }
}
