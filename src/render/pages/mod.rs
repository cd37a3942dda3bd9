//! One render job per route of the site, and the view each page's template gets. The route
//! table (`model::route_table`) says which pages exist and where; the modules here, one per
//! family, say what each kind of page shows.

mod data;
mod governance;
mod home;
mod meetings;
mod priorities;
mod site_pages;
mod tags;
mod updates;

use std::borrow::Cow;
use std::ops::Range;

use serde::Serialize;

use crate::model::governance::ActionEntry;
use crate::model::pagination::{PaginationView, page_ranges, pagination};
use crate::model::route_table::{Route, RouteKind};
use crate::model::{MeetingEntry, PriorityEntry, Published, Site, TagIndex};
use crate::parse::content::{Page, Update};
use crate::render::site::Crumb;
use crate::render::views::CommonView;
use crate::render::views::pages::NotFoundView;

/// A page to render: its route, its template, and what it shows.
pub struct PageJob<'a> {
    /// Where the page goes, and what kind of page it is.
    pub route: &'a Route,
    pub template: &'static str,
    pub section: &'static str,
    pub title: Cow<'a, str>,
    /// The breadcrumbs above the page's heading.
    pub trail: &'static [Crumb],
    pub content: Content<'a>,
}

/// What a page shows, which decides its view.
pub enum Content<'a> {
    Home,
    Priorities,
    Priority(&'a PriorityEntry),
    Meetings(Listing),
    Meeting(&'a MeetingEntry),
    Updates(Listing),
    Update(&'a Published<Update>),
    Actions(Listing),
    Action(&'a ActionEntry),
    Decisions(Listing),
    Page(&'a Published<Page>),
    Tags,
    Tag(&'a TagIndex, Listing),
    Search,
    Accessibility,
    Data,
    NotFound,
}

/// One page of a long index: which of its items it lists, and the links to the other pages.
pub struct Listing {
    pub range: Range<usize>,
    pub pagination: Option<PaginationView>,
}

const HOME_TRAIL: &[Crumb] = &[Crumb::Home];

/// Every page of the site, in the order of the route table.
#[cfg(test)]
pub fn page_jobs(site: &Site) -> Vec<PageJob<'_>> {
    site.routes
        .iter()
        .map(|route| page_job(site, route))
        .collect()
}

/// The job for the page at `route`: the family of its kind fills it in.
pub fn page_job<'a>(site: &'a Site, route: &'a Route) -> PageJob<'a> {
    match route.kind {
        RouteKind::Home => home::job(site, route),
        RouteKind::Priorities => priorities::index_job(route),
        RouteKind::Priority(i) => priorities::job(route, &site.priorities[i]),
        RouteKind::Meetings { page } => meetings::index_job(site, route, page),
        RouteKind::Meeting(i) => meetings::job(route, &site.meetings[i]),
        RouteKind::Updates { page } => updates::index_job(site, route, page),
        RouteKind::Update(i) => updates::job(route, &site.updates[i]),
        RouteKind::Actions { page } => governance::actions_job(site, route, page),
        RouteKind::Action(i) => governance::action_job(route, &site.actions[i]),
        RouteKind::Decisions { page } => governance::decisions_job(site, route, page),
        RouteKind::Page(i) => site_pages::free_page(route, &site.pages[i]),
        RouteKind::AccessibilityStatement => site_pages::accessibility(route),
        RouteKind::Data => data::job(route),
        RouteKind::Tags => tags::index_job(route),
        RouteKind::Tag { tag, page } => tags::job(site, route, &site.tags[tag], page),
        RouteKind::Search => site_pages::search(route),
        RouteKind::NotFound => site_pages::not_found(route),
    }
}

/// Takes a page's view, whatever its type: to render it, or to inspect it in tests.
pub trait ViewSink {
    type Output;
    fn take(self, view: &impl Serialize) -> Self::Output;
}

impl<'a> PageJob<'a> {
    /// Hands this page's view, `common` and the template's own variables, to `sink`.
    pub fn view<S: ViewSink>(
        &'a self,
        site: &'a Site,
        common: CommonView<'a>,
        sink: S,
    ) -> S::Output {
        match &self.content {
            Content::Home => sink.take(&home::view(site, common)),
            Content::Priorities => sink.take(&priorities::index_view(site, common)),
            Content::Priority(entry) => sink.take(&priorities::view(site, entry, common)),
            Content::Meetings(listing) => sink.take(&meetings::index_view(site, listing, common)),
            Content::Meeting(entry) => sink.take(&meetings::view(site, entry, common)),
            Content::Updates(listing) => sink.take(&updates::index_view(site, listing, common)),
            Content::Update(update) => sink.take(&updates::view(site, update, common)),
            Content::Actions(listing) => {
                sink.take(&governance::actions_view(site, listing, common))
            }
            Content::Action(action) => sink.take(&governance::action_view(site, action, common)),
            Content::Decisions(listing) => {
                sink.take(&governance::decisions_view(site, listing, common))
            }
            Content::Page(page) => sink.take(&site_pages::free_page_view(page, common)),
            Content::Tags => sink.take(&tags::index_view(site, common)),
            Content::Tag(tag, listing) => sink.take(&tags::view(tag, listing, common)),
            Content::Search => sink.take(&site_pages::search_view(site, common)),
            Content::Accessibility => sink.take(&site_pages::accessibility_view(site, common)),
            Content::Data => sink.take(&data::view(site, common)),
            Content::NotFound => sink.take(&NotFoundView { common }),
        }
    }
}

/// A section's own page (`priorities/`, `tags/`, `search/`) at `route`, below Home.
fn section_index<'a>(
    route: &'a Route,
    template: &'static str,
    section: &'static str,
    title: &'static str,
    content: Content<'a>,
) -> PageJob<'a> {
    PageJob {
        route,
        template,
        section,
        title: title.into(),
        trail: HOME_TRAIL,
        content,
    }
}

/// Page `number` of an index of `count` items whose first page is at `folder`: the items it
/// lists, and its title (the index's, with the page number from page 2 on).
fn numbered<'a>(
    site: &Site,
    folder: &str,
    title: &'a str,
    count: usize,
    number: usize,
) -> (Listing, Cow<'a, str>) {
    let ranges = page_ranges(count);
    let listing = Listing {
        range: ranges[number - 1].clone(),
        pagination: pagination(&site.config.base_url.join(folder), &ranges, number),
    };
    let title = if number == 1 {
        Cow::Borrowed(title)
    } else {
        Cow::Owned(format!("{title} (page {number} of {})", ranges.len()))
    };
    (listing, title)
}
