//! The list of pages to render, one family per module, and the view each page's template gets.

mod home;
mod meetings;
mod priorities;
mod site_pages;
mod tags;
mod updates;

use std::borrow::Cow;
use std::ops::Range;

use serde::Serialize;

use crate::model::pagination::{PaginationView, page_folder, page_ranges, pagination};
use crate::model::{MeetingEntry, PriorityEntry, Published, Site, TagIndex};
use crate::parse::content::{Page, Update};
use crate::render::metadata::About;
use crate::render::site::Crumb;
use crate::render::views::CommonView;
use crate::render::views::pages::NotFoundView;

/// A page to render: its template, where it goes, and what it shows.
pub struct PageJob<'a> {
    pub template: &'static str,
    /// Output path, e.g. `meetings/index.html`.
    pub path: String,
    pub section: &'static str,
    pub title: Cow<'a, str>,
    pub about: About<'a>,
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
    Page(&'a Published<Page>),
    Tags,
    Tag(&'a TagIndex, Listing),
    Search,
    Accessibility,
    NotFound,
}

/// One page of a long index: which of its items it lists, and the links to the other pages.
pub struct Listing {
    pub range: Range<usize>,
    pub pagination: Option<PaginationView>,
}

const HOME_TRAIL: &[Crumb] = &[Crumb::Home];

/// Every page of the site, in the order they are written.
pub fn page_jobs(site: &Site) -> Vec<PageJob<'_>> {
    let mut jobs = vec![home::job(site)];
    jobs.extend(priorities::jobs(site));
    jobs.extend(meetings::jobs(site));
    jobs.extend(updates::jobs(site));
    jobs.extend(site_pages::free_pages(site));
    jobs.extend(tags::jobs(site));
    jobs.push(site_pages::search(site));
    jobs.extend(site_pages::accessibility(site));
    jobs.push(site_pages::not_found());
    jobs
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
            Content::Priority(entry) => sink.take(&priorities::view(entry, common)),
            Content::Meetings(listing) => sink.take(&meetings::index_view(site, listing, common)),
            Content::Meeting(entry) => sink.take(&meetings::view(site, entry, common)),
            Content::Updates(listing) => sink.take(&updates::index_view(site, listing, common)),
            Content::Update(update) => sink.take(&updates::view(site, update, common)),
            Content::Page(page) => sink.take(&site_pages::free_page_view(page, common)),
            Content::Tags => sink.take(&tags::index_view(site, common)),
            Content::Tag(tag, listing) => sink.take(&tags::view(tag, listing, common)),
            Content::Search => sink.take(&site_pages::search_view(site, common)),
            Content::Accessibility => sink.take(&site_pages::accessibility_view(site, common)),
            Content::NotFound => sink.take(&NotFoundView { common }),
        }
    }
}

/// The first page of a site index (`priorities/`, `tags/`, …) at `folder`.
fn section_index<'a>(
    template: &'static str,
    folder: &'static str,
    title: &'static str,
    description: String,
    content: Content<'a>,
) -> PageJob<'a> {
    PageJob {
        template,
        path: format!("{folder}index.html"),
        section: folder.trim_end_matches('/'),
        title: title.into(),
        about: About::Listing {
            site_path: folder,
            description,
        },
        trail: HOME_TRAIL,
        content,
    }
}

/// One index (meetings, updates, a tag) split over as many pages as it needs.
struct Index<'a> {
    site: &'a Site,
    template: &'static str,
    section: &'static str,
    /// The site-relative folder of the first page, e.g. `updates/`.
    folder: &'a str,
    title: &'a str,
    /// What the first page is about; later pages are about the same, at their own address.
    about: About<'a>,
    trail: &'static [Crumb],
}

impl<'a> Index<'a> {
    /// One job per page of `count` items; `content` says what a page with a listing shows.
    fn jobs(self, count: usize, content: impl Fn(Listing) -> Content<'a>) -> Vec<PageJob<'a>> {
        let ranges = page_ranges(count);
        let index_url = self.site.config.base_url.join(self.folder);
        (1..=ranges.len())
            .map(|number| {
                let listing = Listing {
                    range: ranges[number - 1].clone(),
                    pagination: pagination(&index_url, &ranges, number),
                };
                PageJob {
                    template: self.template,
                    path: format!("{}index.html", page_folder(self.folder, number)),
                    section: self.section,
                    title: self.title_of(number, ranges.len()),
                    about: self.about_of(number),
                    trail: self.trail,
                    content: content(listing),
                }
            })
            .collect()
    }

    fn title_of(&self, number: usize, total: usize) -> Cow<'a, str> {
        if number == 1 {
            Cow::Borrowed(self.title)
        } else {
            Cow::Owned(format!("{} (page {number} of {total})", self.title))
        }
    }

    fn about_of(&self, number: usize) -> About<'a> {
        if number == 1 {
            self.about.clone()
        } else {
            About::LaterPage {
                first: Box::new(self.about.clone()),
                site_path: page_folder(self.folder, number),
            }
        }
    }
}
