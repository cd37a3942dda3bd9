//! One view per template, holding every variable the template reads: the common part
//! (`site`, `section`, `page_title`, `meta`, `breadcrumbs`) flattened in, then its own.

use serde::Serialize;

use crate::model::pagination::PaginationView;
use crate::render::views::governance::{
    ActionView, AttendanceView, DeclarationView, MatterArisingView, MinutesView,
};
use crate::render::views::indicators::IndicatorView;
use crate::render::views::{
    CommonView, DateText, MeetingStatusView, MeetingSummaryView, PageView, PriorityLinkView,
    StatusCountView, StatusView, TagSummaryView, TagView, TaggedItemView, UpdateSummaryView,
};

/// `home.html`.
#[derive(Serialize)]
pub struct HomeView<'a> {
    #[serde(flatten)]
    pub common: CommonView<'a>,
    /// `content/_index.md`, when there is one.
    pub intro: Option<PageView<'a>>,
    pub priorities: Vec<PriorityLinkView<'a>>,
    pub upcoming_meetings: Vec<MeetingSummaryView<'a>>,
    pub latest_updates: Vec<UpdateSummaryView<'a>>,
    pub status_counts: Vec<StatusCountView>,
}

/// `priorities.html`.
#[derive(Serialize)]
pub struct PrioritiesView<'a> {
    #[serde(flatten)]
    pub common: CommonView<'a>,
    pub priorities: Vec<PriorityLinkView<'a>>,
    pub status_counts: Vec<StatusCountView>,
}

/// `priority.html`.
#[derive(Serialize)]
pub struct PriorityPageView<'a> {
    #[serde(flatten)]
    pub common: CommonView<'a>,
    pub priority: PriorityView<'a>,
    pub timeline: Vec<TimelineView<'a>>,
    pub status_history: Vec<StatusChangeView<'a>>,
    /// What is measured, in the order written.
    pub indicators: Vec<IndicatorView<'a>>,
}

#[derive(Serialize)]
pub struct PriorityView<'a> {
    pub title: &'a str,
    pub short_title: &'a str,
    pub number: u32,
    pub status: StatusView,
    pub lead: Option<&'a str>,
    pub updated: Option<DateText>,
    pub summary: Option<&'a str>,
    pub tags: Vec<TagView<'a>>,
    pub url: &'a str,
    pub content: &'a str,
    /// Its actions neither done nor dropped, and of those the overdue.
    pub open_actions: usize,
    pub overdue_actions: usize,
}

/// A meeting or update about a priority, on the priority's page.
#[derive(Serialize)]
pub struct TimelineView<'a> {
    pub date: DateText,
    pub kind: &'static str,
    pub is_meeting: bool,
    pub title: &'a str,
    pub url: &'a str,
    pub agenda_items: &'a [String],
    pub status_change: Option<StatusView>,
    pub meeting_status: Option<MeetingStatusView>,
    /// A meeting's decisions on the priority's agenda items.
    pub decisions: &'a [String],
    /// The actions a meeting raised for the priority.
    pub actions: Vec<ActionView<'a>>,
    /// True for a new figure of one of the priority's indicators.
    pub is_figure: bool,
    /// A figure's value and period: "412 offences in 2020 Q3".
    pub figure: Option<&'a str>,
}

#[derive(Serialize)]
pub struct StatusChangeView<'a> {
    pub date: DateText,
    pub status: StatusView,
    pub update_title: &'a str,
    pub update_url: &'a str,
}

/// `meetings.html`: one page of the meetings index.
#[derive(Serialize)]
pub struct MeetingsView<'a> {
    #[serde(flatten)]
    pub common: CommonView<'a>,
    pub upcoming: Vec<MeetingSummaryView<'a>>,
    pub past_years: Vec<YearView<'a>>,
    pub pagination: Option<&'a PaginationView>,
}

#[derive(Serialize)]
pub struct YearView<'a> {
    pub year: u16,
    pub meetings: Vec<MeetingSummaryView<'a>>,
}

/// `meeting.html`.
#[derive(Serialize)]
pub struct MeetingPageView<'a> {
    #[serde(flatten)]
    pub common: CommonView<'a>,
    pub meeting: MeetingView<'a>,
}

#[derive(Serialize)]
pub struct MeetingView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub date: DateText,
    pub time: Option<String>,
    pub time_24h: Option<String>,
    pub venue: Option<&'a str>,
    pub chair: Option<&'a str>,
    pub status: MeetingStatusView,
    pub upcoming: bool,
    /// This meeting alone as an iCalendar file, for "Add to calendar"; meetings still to come
    /// only.
    pub calendar_url: Option<String>,
    pub priorities: Vec<PriorityLinkView<'a>>,
    pub agenda: Vec<AgendaItemView<'a>>,
    pub documents: Vec<DocumentView<'a>>,
    pub tags: Vec<TagView<'a>>,
    pub content: &'a str,
    pub attendance: AttendanceView<'a>,
    pub declarations: Vec<DeclarationView<'a>>,
    /// Null unless the meeting was held.
    pub minutes: Option<MinutesView<'a>>,
    /// Actions of earlier meetings still open on its date, and those it reported on.
    pub matters_arising: Vec<MatterArisingView<'a>>,
}

#[derive(Serialize)]
pub struct AgendaItemView<'a> {
    /// Counted from 1.
    pub number: usize,
    pub title: &'a str,
    pub presenter: Option<&'a str>,
    pub priority: Option<PriorityLinkView<'a>>,
    pub decisions: &'a [String],
    pub actions: Vec<ActionView<'a>>,
}

#[derive(Serialize)]
pub struct DocumentView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub file_type: &'a str,
    pub size: Option<String>,
}

/// `updates.html`: one page of the updates index.
#[derive(Serialize)]
pub struct UpdatesView<'a> {
    #[serde(flatten)]
    pub common: CommonView<'a>,
    pub updates: Vec<UpdateSummaryView<'a>>,
    pub pagination: Option<&'a PaginationView>,
}

/// `update.html`.
#[derive(Serialize)]
pub struct UpdatePageView<'a> {
    #[serde(flatten)]
    pub common: CommonView<'a>,
    pub update: UpdateView<'a>,
}

#[derive(Serialize)]
pub struct UpdateView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub date: DateText,
    pub priorities: Vec<PriorityLinkView<'a>>,
    pub status_changes: Vec<StatusChangeLinkView<'a>>,
    pub tags: Vec<TagView<'a>>,
    pub content: &'a str,
}

#[derive(Serialize)]
pub struct StatusChangeLinkView<'a> {
    pub priority: PriorityLinkView<'a>,
    pub status: StatusView,
}

/// `page.html`: a free page from `content/pages/`.
#[derive(Serialize)]
pub struct FreePageView<'a> {
    #[serde(flatten)]
    pub common: CommonView<'a>,
    pub page: PageView<'a>,
}

/// `tags.html`.
#[derive(Serialize)]
pub struct TagsView<'a> {
    #[serde(flatten)]
    pub common: CommonView<'a>,
    pub tags: Vec<TagSummaryView<'a>>,
}

/// `tag.html`: one page of a tag's items.
#[derive(Serialize)]
pub struct TagPageView<'a> {
    #[serde(flatten)]
    pub common: CommonView<'a>,
    pub tag: TagView<'a>,
    pub items: Vec<TaggedItemView<'a>>,
    pub pagination: Option<&'a PaginationView>,
}

/// `search.html`.
#[derive(Serialize)]
pub struct SearchView<'a> {
    #[serde(flatten)]
    pub common: CommonView<'a>,
    /// Where `search.js` fetches the index from.
    pub index_url: String,
    /// For browsing by topic when JavaScript is not available.
    pub tags: Vec<TagSummaryView<'a>>,
}

/// `accessibility.html`: the generated accessibility statement.
#[derive(Serialize)]
pub struct AccessibilityPageView<'a> {
    #[serde(flatten)]
    pub common: CommonView<'a>,
    pub statement: AccessibilityView<'a>,
}

/// What the generated accessibility statement says (from `accessibility:` in site.yaml).
#[derive(Serialize)]
pub struct AccessibilityView<'a> {
    /// `full`, `partial` or `none`, with the words "fully compliant", …
    pub compliance: StatusView,
    /// site.yaml says how far the site complies and when it was checked; until then the
    /// statement says "partially compliant" and that the site has not been fully checked.
    pub assessed: bool,
    pub issues: &'a [String],
    pub reviewed: Option<DateText>,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    /// The organisation, or the site title when there is none.
    pub organisation: &'a str,
    /// One sentence on what the statement covers, for the page's lead paragraph.
    pub summary: &'static str,
}

/// `404.html`: nothing beyond the common part.
#[derive(Serialize)]
pub struct NotFoundView<'a> {
    #[serde(flatten)]
    pub common: CommonView<'a>,
}
