//! The template contract: one view per template (in `pages`), and here the parts they share:
//! the site, dates, statuses, links and the summaries that several templates list.
//! docs/themes.md documents every field; the test in `docs` keeps the two in step.

pub mod data;
pub mod governance;
pub mod indicators;
pub mod pages;

#[cfg(test)]
mod docs;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Kind, MeetingEntry, PriorityEntry, Published, Site, TagIndex, TaggedItem};
use crate::parse::content::{Page, Update};
use crate::render::metadata::PageMetaView;
use crate::values::{Date, MeetingStatus, Status, Tag};

/// What every template receives, whatever the page.
#[derive(Serialize)]
pub struct CommonView<'a> {
    pub site: &'a SiteView<'a>,
    /// The part of the site the page belongs to, for marking the current menu item.
    pub section: &'static str,
    pub page_title: &'a str,
    pub meta: PageMetaView,
    /// The links above the page's heading, from the home page down to the page's parent.
    pub breadcrumbs: Vec<LinkView>,
}

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub language: &'a str,
    pub organisation: Option<&'a str>,
    pub contact_email: Option<&'a str>,
    pub base_url: &'a str,
    pub base_path: &'a str,
    /// Every section's address, so templates never paste addresses together.
    pub urls: UrlsView,
    pub nav: Vec<LinkView>,
    pub footer_links: Vec<LinkView>,
    pub stylesheet: String,
    /// Each theme static file (`style.css`) to its public, content-hashed address.
    pub assets: BTreeMap<String, String>,
    /// `en_GB`: the language as OpenGraph writes it.
    pub locale: String,
    /// The site's Atom feed of updates and held meetings (absolute).
    pub feed_url: String,
    /// The meetings calendar (absolute), and the same as a `webcal:` address that calendar
    /// apps subscribe to.
    pub calendar_url: String,
    pub calendar_subscribe_url: String,
    /// The search page, where every page's search form submits its query as `q`.
    pub search_url: String,
    /// The theme's `search.js`, or empty when the theme has none.
    pub search_script: String,
    /// The accessibility statement: the site's own `accessibility` page, or the generated one.
    pub accessibility_url: String,
    /// `logo` from site.yaml, for the header.
    pub logo: Option<LogoView<'a>>,
    /// `brand_colour` from site.yaml as `#rrggbb`; white text is readable on it (4.5:1).
    pub brand_colour: Option<String>,
}

/// The organisation's logo: a picture in the site's `static/` folder.
#[derive(Serialize)]
pub struct LogoView<'a> {
    /// Its public address, base path included.
    pub url: String,
    /// What it shows, for people who cannot see it.
    pub alt: &'a str,
    /// The alt text is the site's title, which the header shows beside the logo anyway: the
    /// picture can then be skipped by screen readers (`alt=""`).
    pub repeats_title: bool,
}

/// The public path of each section of the site, base path included.
#[derive(Serialize, Clone)]
pub struct UrlsView {
    pub home: String,
    pub priorities: String,
    pub meetings: String,
    pub updates: String,
    pub tags: String,
    pub search: String,
    pub accessibility: String,
    /// The action register and the list of decisions. The navigation links to them only
    /// when the site has any.
    pub actions: String,
    pub decisions: String,
    /// The open data page, linked from every page's footer.
    pub data: String,
}

#[derive(Serialize, Clone)]
pub struct LinkView {
    pub title: String,
    pub url: String,
    /// The section this link leads to, for marking the current one.
    pub section: &'static str,
}

#[derive(Serialize)]
pub struct DateText {
    pub iso: String,
    pub long: String,
    pub weekday: &'static str,
    pub year: u16,
    /// Day of the month, e.g. `21`.
    pub day: u8,
    /// Short month name, e.g. `"Mar"` (`"Sept"` for September, as GOV.UK writes it).
    pub month_short: &'static str,
}

impl DateText {
    pub fn new(date: Date) -> DateText {
        DateText {
            iso: date.to_string(),
            long: date.long_form(),
            weekday: date.weekday_name(),
            year: date.year(),
            day: date.day(),
            month_short: date.short_month_name(),
        }
    }
}

/// A priority's status, or the compliance of the accessibility statement.
#[derive(Serialize)]
pub struct StatusView {
    pub word: &'static str,
    pub label: &'static str,
}

impl StatusView {
    pub fn new(status: Status) -> StatusView {
        StatusView {
            word: status.as_str(),
            label: status.label(),
        }
    }
}

/// A meeting's status, with a flag per status so templates test a flag, not a word.
#[derive(Serialize)]
pub struct MeetingStatusView {
    pub word: &'static str,
    pub label: &'static str,
    pub scheduled: bool,
    pub held: bool,
    pub cancelled: bool,
}

impl MeetingStatusView {
    pub fn new(status: MeetingStatus) -> MeetingStatusView {
        MeetingStatusView {
            word: status.as_str(),
            label: status.label(),
            scheduled: status == MeetingStatus::Scheduled,
            held: status == MeetingStatus::Held,
            cancelled: status == MeetingStatus::Cancelled,
        }
    }
}

/// How many priorities have one status, for the dashboard's summary line.
#[derive(Serialize)]
pub struct StatusCountView {
    pub status: StatusView,
    pub count: usize,
}

/// Every status in use, in the order of the status scale, with how many priorities have it.
pub fn status_counts(site: &Site) -> Vec<StatusCountView> {
    Status::ALL
        .iter()
        .map(|&status| StatusCountView {
            status: StatusView::new(status),
            count: site
                .priorities
                .iter()
                .filter(|p| p.page.item.status == status)
                .count(),
        })
        .filter(|c| c.count > 0)
        .collect()
}

#[derive(Serialize)]
pub struct TagView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
}

/// The tags of one item, each linking to its tag page.
pub fn tag_views<'a>(tags: &'a [Tag], urls: &UrlsView) -> Vec<TagView<'a>> {
    tags.iter()
        .map(|t| TagView {
            name: &t.name,
            slug: &t.slug,
            url: format!("{}{}/", urls.tags, t.slug),
        })
        .collect()
}

#[derive(Serialize)]
pub struct TagSummaryView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: &'a str,
    pub count: usize,
}

pub fn tag_summaries(site: &Site) -> Vec<TagSummaryView<'_>> {
    site.tags
        .iter()
        .map(|t| TagSummaryView {
            name: &t.tag.name,
            slug: &t.tag.slug,
            url: &t.url,
            count: t.items.len(),
        })
        .collect()
}

#[derive(Serialize)]
pub struct PriorityLinkView<'a> {
    pub title: &'a str,
    pub short_title: &'a str,
    pub number: u32,
    pub url: &'a str,
    pub status: StatusView,
    pub summary: Option<&'a str>,
    /// The priority's own `updated` date.
    pub updated: Option<DateText>,
    /// The newest progress update about this priority.
    pub latest_update: Option<UpdateSummaryView<'a>>,
    /// Its actions neither done nor dropped, and of those the overdue.
    pub open_actions: usize,
    pub overdue_actions: usize,
    /// Its first indicator, with its trend in words.
    pub headline_indicator: Option<indicators::IndicatorSummaryView<'a>>,
}

impl<'a> PriorityLinkView<'a> {
    pub fn new(entry: &'a PriorityEntry) -> PriorityLinkView<'a> {
        let p = &entry.page.item;
        let latest_update = entry
            .timeline
            .iter()
            .find(|t| t.kind == Kind::Update)
            .map(|t| UpdateSummaryView {
                title: &t.title,
                url: &t.url,
                date: DateText::new(t.date),
            });
        PriorityLinkView {
            title: &p.common.title,
            short_title: p.short_title.as_deref().unwrap_or(&p.common.title),
            number: p.number,
            url: &entry.page.url,
            status: StatusView::new(p.status),
            summary: p.summary.as_deref(),
            updated: p.updated.map(DateText::new),
            latest_update,
            open_actions: entry.open_actions,
            overdue_actions: entry.overdue_actions,
            headline_indicator: entry
                .indicators
                .first()
                .map(indicators::IndicatorSummaryView::new),
        }
    }
}

/// Every priority, in `number` order.
pub fn priority_links(site: &Site) -> Vec<PriorityLinkView<'_>> {
    site.priorities.iter().map(PriorityLinkView::new).collect()
}

#[derive(Serialize)]
pub struct MeetingSummaryView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub date: DateText,
    pub time: Option<String>,
    pub venue: Option<&'a str>,
    pub status: MeetingStatusView,
}

impl<'a> MeetingSummaryView<'a> {
    pub fn new(entry: &'a MeetingEntry) -> MeetingSummaryView<'a> {
        let m = &entry.page.item;
        MeetingSummaryView {
            title: &m.common.title,
            url: &entry.page.url,
            date: DateText::new(m.date),
            time: m.time.map(|t| t.twelve_hour()),
            venue: m.venue.as_deref(),
            status: MeetingStatusView::new(entry.status),
        }
    }
}

#[derive(Serialize)]
pub struct UpdateSummaryView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub date: DateText,
}

impl<'a> UpdateSummaryView<'a> {
    pub fn new(update: &'a Published<Update>) -> UpdateSummaryView<'a> {
        UpdateSummaryView {
            title: &update.item.common.title,
            url: &update.url,
            date: DateText::new(update.item.date),
        }
    }
}

/// A free page, or the home page's own text.
#[derive(Serialize)]
pub struct PageView<'a> {
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub url: &'a str,
    pub content: &'a str,
}

impl<'a> PageView<'a> {
    pub fn new(page: &'a Published<Page>) -> PageView<'a> {
        PageView {
            title: &page.item.common.title,
            summary: page.item.summary.as_deref(),
            url: &page.url,
            content: &page.html,
        }
    }
}

/// One thing carrying a tag, on the tag's page.
#[derive(Serialize)]
pub struct TaggedItemView<'a> {
    pub kind: &'static str,
    pub kind_label: &'static str,
    /// A priority's date is when it was last updated, not when it happened.
    pub is_priority: bool,
    /// Meetings share titles, so their links add the date to say which one.
    pub is_meeting: bool,
    pub title: &'a str,
    pub url: &'a str,
    pub date: Option<DateText>,
}

impl<'a> TaggedItemView<'a> {
    pub fn new(item: &'a TaggedItem) -> TaggedItemView<'a> {
        TaggedItemView {
            kind: item.kind.as_str(),
            kind_label: match item.kind {
                Kind::Priority => "Priority",
                Kind::Meeting => "Meeting",
                Kind::Update => "Update",
                Kind::Page => "Page",
                Kind::Figure => "Figure",
            },
            is_priority: item.kind == Kind::Priority,
            is_meeting: item.kind == Kind::Meeting,
            title: &item.title,
            url: &item.url,
            date: item.date.map(DateText::new),
        }
    }
}

impl<'a> TagView<'a> {
    /// The tag of a tag page, named as its first item spells it.
    pub fn of_index(tag: &'a TagIndex) -> TagView<'a> {
        TagView {
            name: &tag.tag.name,
            slug: &tag.tag.slug,
            url: tag.url.clone(),
        }
    }
}
