//! Stage 3, model: takes the parsed `Item`s, the `Config` and the assets; renders every body,
//! resolves links, cross-references (which meetings and updates concern each priority, what
//! carries each tag), checks the site as a whole and lists every page once in the route table.
//! Hands on an immutable `Site` and its problems.

mod checks;
pub mod governance;
pub mod indicators;
pub mod pagination;
mod relations;
pub mod route_table;
mod settings;

use std::collections::{HashMap, HashSet};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::Asset;
use crate::parse::config::Config;
use crate::parse::content::{Item, Meeting, Page, Priority, Update};
use crate::parse::markdown::{self, Body, LinkTargets};
use crate::routes;
use crate::values::{Date, MeetingStatus, Status, Tag, slugify};
use governance::{ActionEntry, DecisionEntry, MatterArising, MinutesState};
use indicators::IndicatorEntry;
use route_table::{Route, route_table};

pub use checks::{BodyFacts, check_bodies};
use checks::{
    check_priority_refs, editorial_warnings, find_duplicate_numbers, find_url_collisions,
};
use relations::{index_tags, link_priorities, resolve_documents};
/// An item that made it into the site, with where it lives and its body as HTML.
#[derive(Debug)]
pub struct Published<T> {
    pub item: T,
    /// Public path, including any base path: `/priorities/county-lines/`.
    pub url: String,
    /// Path relative to the site root: `priorities/county-lines/`.
    pub site_path: String,
    pub html: String,
    pub heading_ids: Vec<String>,
}

#[derive(Debug)]
pub struct PriorityEntry {
    pub page: Published<Priority>,
    /// Everything that references this priority, newest first.
    pub timeline: Vec<TimelineEntry>,
    /// Status changes recorded by updates, oldest first.
    pub status_history: Vec<StatusChangeEntry>,
    /// Its actions (by `Site::actions` index) not done or dropped, and of those the overdue.
    pub open_actions: usize,
    pub overdue_actions: usize,
    /// What is measured, in the order written; the first is the headline.
    pub indicators: Vec<IndicatorEntry>,
}

impl MeetingEntry {
    /// The meeting's own calendar file (`meetings/x/x.ics`). Only meetings still to come have
    /// one: adding a past meeting to a calendar helps nobody, and `meetings.ics` keeps the
    /// record of every meeting.
    pub fn calendar_path(&self, today: Date) -> Option<String> {
        let meeting = &self.page;
        (meeting.item.date >= today)
            .then(|| routes::meeting_calendar(&meeting.site_path, &meeting.item.common.slug))
    }
}

#[derive(Debug)]
pub struct MeetingEntry {
    pub page: Published<Meeting>,
    pub status: MeetingStatus,
    pub documents: Vec<DocumentLink>,
    pub minutes: MinutesState,
    /// Earlier actions still open on its date, and those it reported on.
    pub matters_arising: Vec<MatterArising>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Priority,
    Meeting,
    Update,
    Page,
    /// A new figure of one of a priority's indicators, on its timeline.
    Figure,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Priority => "priority",
            Kind::Meeting => "meeting",
            Kind::Update => "update",
            Kind::Page => "page",
            Kind::Figure => "figure",
        }
    }
}

#[derive(Debug, Clone)]
pub struct TimelineEntry {
    pub date: Date,
    pub kind: Kind,
    pub title: String,
    pub url: String,
    /// Agenda items of a meeting that concern the priority.
    pub agenda_items: Vec<String>,
    pub status_change: Option<Status>,
    pub meeting_status: Option<MeetingStatus>,
    /// A meeting's decisions on the priority's agenda items.
    pub decisions: Vec<String>,
    /// The actions a meeting raised for the priority (indexes into `Site::actions`).
    pub actions: Vec<usize>,
    /// A figure: the value with its unit and period, "412 offences in 2020 Q3".
    pub figure: Option<String>,
}

#[derive(Debug, Clone)]
pub struct StatusChangeEntry {
    pub date: Date,
    pub status: Status,
    pub update_title: String,
    pub update_url: String,
    /// The update's file, relative to `content/`.
    pub update_file: String,
}

#[derive(Debug, Clone)]
pub struct DocumentLink {
    pub title: String,
    pub url: String,
    /// Upper-case file extension, e.g. "PDF".
    pub file_type: String,
    pub size: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct TaggedItem {
    pub kind: Kind,
    pub title: String,
    pub url: String,
    pub date: Option<Date>,
}

#[derive(Debug, Clone)]
pub struct TagIndex {
    pub tag: Tag,
    pub url: String,
    pub site_path: String,
    pub items: Vec<TaggedItem>,
}

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub today: Date,
    pub home: Option<Published<Page>>,
    /// In `number` order.
    pub priorities: Vec<PriorityEntry>,
    /// Oldest first.
    pub meetings: Vec<MeetingEntry>,
    /// Newest first.
    pub updates: Vec<Published<Update>>,
    /// By URL.
    pub pages: Vec<Published<Page>>,
    /// By slug.
    pub tags: Vec<TagIndex>,
    /// The action register, in its order: see [`governance::Governance::actions`].
    pub actions: Vec<ActionEntry>,
    /// Lower-case action id → index into `actions`.
    pub action_index: HashMap<String, usize>,
    /// Newest first.
    pub decisions: Vec<DecisionEntry>,
    pub assets: Vec<Asset>,
    /// Every page, listed once: see [`route_table`].
    pub routes: Vec<Route>,
}

/// The generated accessibility statement's summary, also shown in search results.
pub const ACCESSIBILITY_SUMMARY: &str =
    "How accessible this website is, and how to tell us about a problem.";

impl Site {
    /// The site with its route table, made from everything else in `parts`.
    fn new(parts: Site) -> Site {
        let routes = route_table(&parts);
        Site { routes, ..parts }
    }

    /// Whether Waymark writes the accessibility statement, because the site has no page there.
    pub fn generates_accessibility_statement(&self) -> bool {
        !self
            .pages
            .iter()
            .any(|p| p.site_path == routes::ACCESSIBILITY)
    }

    pub fn priority(&self, slug: &str) -> Option<&PriorityEntry> {
        self.priorities
            .iter()
            .find(|p| p.page.item.common.slug == slug)
    }
}

pub fn site_path_of(item: &Item) -> String {
    let slug = &item.common().slug;
    match item {
        Item::Home(_) => String::new(),
        Item::Priority(_) => routes::priority(slug),
        Item::Meeting(_) => routes::meeting(slug),
        Item::Update(_) => routes::update(slug),
        Item::Page(_) => routes::page(slug),
    }
}

/// Renders one item's Markdown body, resolving its links against `targets`.
pub fn render_body(item: &Item, targets: &LinkTargets, allow_raw_html: bool) -> markdown::Rendered {
    let common = item.common();
    let body = Body {
        markdown: common.body(),
        first_line: common.body_first_line,
        rel_path: &common.rel_path,
        file_text: &common.text,
        top_level: if matches!(item, Item::Meeting(_)) {
            3
        } else {
            2
        },
        allow_raw_html,
    };
    markdown::render(&body, targets)
}

/// Cross-references bodies already rendered (against `targets`) into the site, with the
/// problems found in the model as a whole; body problems are `check_bodies`' job. The site is
/// returned even when there are errors, so a long-lived build can keep it.
pub fn assemble_rendered(
    bodies: Vec<(Item, markdown::Rendered)>,
    config: Config,
    today: Date,
    assets: Vec<Asset>,
    targets: &LinkTargets,
) -> (Site, Diagnostics) {
    let mut problems = Diagnostics::default();
    let base_path = config.base_url.path.clone();
    let items = publish_items(bodies, &assets, &base_path, today);
    problems.extend(items.problems);
    problems.extend(find_duplicate_numbers(&items.priorities));
    let slugs: Vec<&str> = items
        .priorities
        .iter()
        .map(|p| p.item.common.slug.as_str())
        .collect();
    problems.extend(check_priority_refs(
        &items.meetings,
        &items.updates,
        &slugs,
        &failed_priorities(targets),
        &targets.drafts,
    ));
    let meeting_files_failed = targets.failed.iter().any(|f| f.starts_with("meetings/"));
    let governance = governance::assemble(
        &items.meetings,
        &items.updates,
        today,
        meeting_files_failed,
        &targets.drafts,
    );
    problems.extend(governance.problems.iter().cloned());
    let mut meetings = items.meetings;
    for ((meeting, minutes), arising) in meetings
        .iter_mut()
        .zip(&governance.minutes)
        .zip(governance.matters_arising.iter())
    {
        meeting.minutes = *minutes;
        meeting.matters_arising = arising.clone();
    }
    let priorities = link_priorities(
        items.priorities,
        items.indicators,
        &meetings,
        &items.updates,
        &governance,
    );
    let tags = index_tags(&priorities, &meetings, &items.updates, &base_path);
    let site = Site::new(Site {
        config,
        today,
        home: items.home,
        priorities,
        meetings,
        updates: items.updates,
        pages: items.pages,
        tags,
        actions: governance.actions,
        action_index: governance.action_index,
        decisions: governance.decisions,
        assets,
        routes: Vec::new(),
    });
    problems.extend(find_url_collisions(&site.routes));
    problems.extend(editorial_warnings(&site));
    problems.extend(settings::check_settings(&site));
    (site, problems)
}

/// Priorities whose files could not be parsed: references to them are not reported again.
fn failed_priorities(targets: &LinkTargets) -> HashSet<String> {
    targets
        .failed
        .iter()
        .filter_map(|rel| rel.strip_prefix("priorities/"))
        .map(|name| slugify(name.trim_end_matches(".md")))
        .collect()
}

/// The items with their addresses and bodies, each list in the order the site shows it.
struct PublishedItems {
    home: Option<Published<Page>>,
    /// Not yet linked to the meetings and updates that concern them.
    priorities: Vec<Published<Priority>>,
    meetings: Vec<MeetingEntry>,
    updates: Vec<Published<Update>>,
    pages: Vec<Published<Page>>,
    /// Each priority's indicators, by slug.
    indicators: HashMap<String, Vec<IndicatorEntry>>,
    problems: Vec<Diagnostic>,
}

fn publish_items(
    bodies: Vec<(Item, markdown::Rendered)>,
    assets: &[Asset],
    base_path: &str,
    today: Date,
) -> PublishedItems {
    let files: HashMap<&str, &Asset> = assets
        .iter()
        .filter_map(|a| a.content_rel.as_deref().map(|rel| (rel, a)))
        .collect();
    let mut items = PublishedItems {
        home: None,
        priorities: Vec::new(),
        meetings: Vec::new(),
        updates: Vec::new(),
        pages: Vec::new(),
        indicators: HashMap::new(),
        problems: Vec::new(),
    };
    for (item, rendered) in bodies {
        let site_path = site_path_of(&item);
        match item {
            Item::Home(page) => {
                items.home = Some(Published::new(page, site_path, base_path, rendered));
            }
            Item::Page(page) => {
                let page = Published::new(page, site_path, base_path, rendered);
                items.pages.push(page);
            }
            Item::Update(update) => {
                let update = Published::new(update, site_path, base_path, rendered);
                items.updates.push(update);
            }
            Item::Priority(priority) => {
                let (indicators, problems) =
                    indicators::assemble(&priority, &site_path, &files, today);
                items.problems.extend(problems);
                items
                    .indicators
                    .insert(priority.common.slug.clone(), indicators);
                let priority = Published::new(priority, site_path, base_path, rendered);
                items.priorities.push(priority);
            }
            Item::Meeting(meeting) => {
                let (documents, problems) = resolve_documents(&meeting, &files, base_path);
                items.problems.extend(problems);
                let status = meeting.status.unwrap_or(if meeting.date < today {
                    MeetingStatus::Held
                } else {
                    MeetingStatus::Scheduled
                });
                items.meetings.push(MeetingEntry {
                    page: Published::new(meeting, site_path, base_path, rendered),
                    status,
                    documents,
                    // Filled in once every meeting and update is known: `governance`.
                    minutes: MinutesState::NotHeld,
                    matters_arising: Vec::new(),
                });
            }
        }
    }
    items.sort();
    items
}

impl<T> Published<T> {
    fn new(item: T, site_path: String, base_path: &str, body: markdown::Rendered) -> Self {
        Published {
            item,
            url: format!("{base_path}{site_path}"),
            site_path,
            html: body.html,
            heading_ids: body.heading_ids,
        }
    }
}

impl PublishedItems {
    fn sort(&mut self) {
        self.priorities.sort_by(|a, b| {
            (a.item.number, &a.item.common.slug).cmp(&(b.item.number, &b.item.common.slug))
        });
        self.meetings.sort_by(|a, b| {
            let (a, b) = (&a.page.item, &b.page.item);
            (a.date, a.time, &a.common.slug).cmp(&(b.date, b.time, &b.common.slug))
        });
        self.updates.sort_by(|a, b| {
            (b.item.date, &a.item.common.slug).cmp(&(a.item.date, &b.item.common.slug))
        });
        self.pages.sort_by(|a, b| a.url.cmp(&b.url));
    }
}

/// Where every page and file under `content/` is published, for resolving links in bodies.
pub fn link_targets<'a>(
    items: impl IntoIterator<Item = &'a Item>,
    assets: &[Asset],
    drafts: HashSet<String>,
    failed: HashSet<String>,
    base_path: &str,
) -> LinkTargets {
    LinkTargets {
        pages: items
            .into_iter()
            .map(|item| {
                (
                    item.common().rel_path.clone(),
                    format!("{base_path}{}", site_path_of(item)),
                )
            })
            .collect(),
        files: assets
            .iter()
            .filter_map(|a| {
                a.content_rel
                    .clone()
                    .map(|rel| (rel, format!("{base_path}{}", a.output_rel)))
            })
            .collect(),
        drafts,
        failed,
        base_path: base_path.to_string(),
    }
}

/// Papers attached only to draft meetings stay unpublished with them: draft minutes must not
/// reach residents through their attachments. `published` are the items to publish.
pub fn without_draft_documents<'a>(
    assets: Vec<Asset>,
    draft_documents: &HashSet<String>,
    published: impl IntoIterator<Item = &'a Item>,
) -> Vec<Asset> {
    if draft_documents.is_empty() {
        return assets;
    }
    let published: HashSet<String> = published.into_iter().flat_map(documents_of).collect();
    assets
        .into_iter()
        .filter(|asset| match &asset.content_rel {
            Some(rel) => !draft_documents.contains(rel) || published.contains(rel),
            None => true,
        })
        .collect()
}

/// Content-relative paths of the documents an item attaches (only meetings have any).
pub fn documents_of(item: &Item) -> Vec<String> {
    match item {
        Item::Meeting(meeting) => meeting
            .documents
            .iter()
            .filter_map(|d| meeting.document_path(d))
            .collect(),
        _ => Vec::new(),
    }
}
