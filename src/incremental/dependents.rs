//! Which pages of the site can change when one item changes: the page-level dependencies of
//! `render::render_site`, written down so an incremental rebuild re-renders only those pages.
//! `tests/serve.rs` checks them by comparing incremental output with a full build.

use std::collections::BTreeSet;

use crate::model::route_table::{Route, RouteKind};
use crate::model::{self, Site};
use crate::parse::content::Item;

/// The output path of the page published at `site_path` (`priorities/x/` → `priorities/x/index.html`).
pub fn page_path(site_path: &str) -> String {
    crate::routes::page_file(site_path)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Home,
    Page,
    Priority,
    Meeting,
    Update,
}

/// What of an item shows on pages other than its own.
#[derive(Debug, Clone)]
pub struct Footprint {
    shape: Shape,
    own_page: String,
    slug: String,
    tags: Vec<String>,
    /// Slugs of the priorities a meeting or update refers to.
    priorities: Vec<String>,
    /// Everything lists and other items' pages show of it (`render`'s summary views and
    /// priority links): when this is the same after a change, only its own page and the
    /// priorities it refers to can differ.
    listing: String,
    /// Its part of the governance record, with what other pages show of it (title, date,
    /// status): empty when it has none. Actions and decisions appear on every meeting page
    /// (matters arising), the register, the decisions, priority pages and the home page.
    record: String,
    /// Whether it records decisions, actions, action updates or the state of its minutes.
    has_record: bool,
}

impl Footprint {
    pub fn of(item: &Item) -> Footprint {
        let common = item.common();
        let title = &common.title;
        let tags = &common.tags;
        let (shape, priorities, listing) = match item {
            Item::Home(_) => (Shape::Home, Vec::new(), String::new()),
            Item::Page(_) => (Shape::Page, Vec::new(), String::new()),
            Item::Priority(p) => {
                // The home page's card gives the first indicator's trend.
                let headline = p.indicators.first();
                let shown = (
                    title,
                    &p.short_title,
                    p.number,
                    p.status,
                    p.updated,
                    tags,
                    headline,
                );
                (Shape::Priority, Vec::new(), format!("{shown:?}"))
            }
            Item::Meeting(m) => {
                let referenced = m.priorities.iter();
                let on_agenda = m.agenda.iter().filter_map(|a| a.priority.as_ref());
                let for_actions = m.agenda.iter().flat_map(|a| &a.actions);
                let for_actions = for_actions.filter_map(|a| a.priority.as_ref());
                let slugs = referenced.chain(on_agenda).chain(for_actions);
                let shown = (title, m.date, m.time, &m.venue, m.status, tags);
                let slugs = slugs.map(|r| r.slug.clone()).collect();
                (Shape::Meeting, slugs, format!("{shown:?}"))
            }
            Item::Update(u) => {
                let referenced = u.priorities.iter();
                let changed = u.status_changes.iter().map(|c| &c.priority);
                let slugs = referenced.chain(changed).map(|r| r.slug.clone());
                (
                    Shape::Update,
                    slugs.collect(),
                    format!("{:?}", (title, u.date, tags)),
                )
            }
        };
        let mut keeps_record = false;
        let record = match item {
            Item::Meeting(m) => {
                let outcomes: Vec<_> = m
                    .agenda
                    .iter()
                    .map(|a| (&a.title, &a.priority, &a.decisions, &a.actions))
                    .filter(|(_, _, decisions, actions)| {
                        !decisions.is_empty() || !actions.is_empty()
                    })
                    .collect();
                let has_record =
                    !outcomes.is_empty() || m.minutes.is_some() || !m.action_updates.is_empty();
                // Every meeting's date and status decide which actions its page carries
                // forward, and which meeting can approve minutes.
                let shown = (title, m.date, m.status, &m.common.slug);
                if has_record {
                    keeps_record = true;
                    format!("{shown:?}{outcomes:?}{:?}{:?}", m.minutes, m.action_updates)
                } else {
                    format!("{shown:?}")
                }
            }
            Item::Update(u) if !u.action_updates.is_empty() => {
                keeps_record = true;
                format!("{:?}", (title, u.date, &u.action_updates))
            }
            _ => String::new(),
        };
        Footprint {
            shape,
            own_page: page_path(&model::site_path_of(item)),
            slug: common.slug.clone(),
            tags: tags.iter().map(|t| t.slug.clone()).collect(),
            priorities,
            listing,
            record,
            has_record: keeps_record,
        }
    }
}

/// One source file's item before and after a change; `None` when absent (new, deleted, a
/// draft left out, or not parsed yet).
pub struct ItemChange {
    pub before: Option<Footprint>,
    pub after: Option<Footprint>,
    /// Only the Markdown body changed (front matter and file name are the same), so only the
    /// item's own page can change.
    pub body_only: bool,
}

/// Pages to render again, by output path.
#[derive(Debug, Default)]
pub struct Affected {
    pub all: bool,
    pub pages: BTreeSet<String>,
}

impl Affected {
    pub fn wants(&self, path: &str) -> bool {
        self.all || self.pages.contains(path)
    }
}

/// Adds the pages `change` can alter to `affected`; `site` is the site after the change.
pub fn add_affected(change: &ItemChange, site: &Site, affected: &mut Affected) {
    let both = change.before.iter().chain(change.after.iter());
    for footprint in both.clone() {
        affected.pages.insert(footprint.own_page.clone());
    }
    if change.body_only {
        return;
    }
    let listed_alike = match (&change.before, &change.after) {
        (Some(before), Some(after)) => before.listing == after.listing,
        _ => false,
    };
    let record_before = change.before.as_ref().map(|f| f.record.as_str());
    let record_after = change.after.as_ref().map(|f| f.record.as_str());
    let keeps_record = |f: &Option<Footprint>| f.as_ref().is_some_and(|f| f.has_record);
    let involved = keeps_record(&change.before) || keeps_record(&change.after);
    if record_before != record_after && (involved || !site.actions.is_empty()) {
        add_governance_pages(site, affected);
    }
    for footprint in both {
        match footprint.shape {
            // The home intro appears on the home page only; a free page's title and address
            // are in every page's footer, which `site_view_key` notices.
            Shape::Home | Shape::Page => {}
            Shape::Priority if listed_alike => {}
            Shape::Priority => {
                add_list_pages(site, affected);
                add_tag_pages(site, &footprint.tags, affected);
                add_pages_referring_to(site, &footprint.slug, affected);
            }
            Shape::Meeting | Shape::Update => {
                if !listed_alike {
                    add_list_pages(site, affected);
                    add_tag_pages(site, &footprint.tags, affected);
                }
                // Their timelines show agenda items and status changes, not only the listing.
                for slug in &footprint.priorities {
                    if let Some(priority) = site.priority(slug) {
                        affected.pages.insert(page_path(&priority.page.site_path));
                    }
                }
            }
        }
    }
}

/// The home page and the section indexes (every numbered page of them) list priorities,
/// meetings, updates and tags; the search page lists the tags too.
fn add_list_pages(site: &Site, affected: &mut Affected) {
    let lists = site.routes.iter().filter(|route| lists_items(route.kind));
    affected.pages.extend(lists.map(Route::output_file));
}

/// Whether a page of this kind lists priorities, meetings, updates or tags, so that what lists
/// show of an item changes it. Exhaustive, so a new page kind must answer.
fn lists_items(kind: RouteKind) -> bool {
    match kind {
        RouteKind::Home
        | RouteKind::Priorities
        | RouteKind::Meetings { .. }
        | RouteKind::Updates { .. }
        | RouteKind::Tags
        | RouteKind::Search => true,
        // They list meetings by title and date, and priorities by name.
        RouteKind::Actions { .. } | RouteKind::Action(_) | RouteKind::Decisions { .. } => true,
        // A tag's pages list only what carries the tag: `add_tag_pages`.
        RouteKind::Tag { .. } => false,
        RouteKind::Priority(_)
        | RouteKind::Meeting(_)
        | RouteKind::Update(_)
        | RouteKind::Page(_)
        | RouteKind::AccessibilityStatement
        | RouteKind::NotFound => false,
        // It describes the files, never their contents: only site.yaml (its licence) changes it.
        RouteKind::Data => false,
    }
}

/// Every page the governance record shows on: meeting pages (matters arising, approvals),
/// priority pages and the home page (action counts), and the register and decisions.
fn add_governance_pages(site: &Site, affected: &mut Affected) {
    let shows_record = |kind: RouteKind| match kind {
        RouteKind::Home
        | RouteKind::Priority(_)
        | RouteKind::Meeting(_)
        | RouteKind::Actions { .. }
        | RouteKind::Action(_)
        | RouteKind::Decisions { .. } => true,
        RouteKind::Priorities
        | RouteKind::Meetings { .. }
        | RouteKind::Updates { .. }
        | RouteKind::Update(_)
        | RouteKind::Page(_)
        | RouteKind::AccessibilityStatement
        | RouteKind::Data
        | RouteKind::Tags
        | RouteKind::Tag { .. }
        | RouteKind::Search
        | RouteKind::NotFound => false,
    };
    let pages = site.routes.iter().filter(|route| shows_record(route.kind));
    affected.pages.extend(pages.map(Route::output_file));
}

/// Every numbered page of the tags in `tag_slugs`.
fn add_tag_pages(site: &Site, tag_slugs: &[String], affected: &mut Affected) {
    let pages = site.routes.iter().filter(|route| match route.kind {
        RouteKind::Tag { tag, .. } => tag_slugs.contains(&site.tags[tag].tag.slug),
        _ => false,
    });
    affected.pages.extend(pages.map(Route::output_file));
}

/// Meeting and update pages show the title, number and status of the priorities they refer to.
fn add_pages_referring_to(site: &Site, slug: &str, affected: &mut Affected) {
    for meeting in &site.meetings {
        let m = &meeting.page.item;
        let refers = m.priorities.iter().any(|r| r.slug == slug)
            || m.agenda
                .iter()
                .any(|a| a.priority.as_ref().is_some_and(|r| r.slug == slug));
        if refers {
            affected.pages.insert(page_path(&meeting.page.site_path));
        }
    }
    for update in &site.updates {
        let u = &update.item;
        let refers = u.priorities.iter().any(|r| r.slug == slug)
            || u.status_changes.iter().any(|c| c.priority.slug == slug);
        if refers {
            affected.pages.insert(page_path(&update.site_path));
        }
    }
}

/// What every page shows about the site as a whole besides its configuration and theme: the
/// navigation (an Updates link only when there are updates) and the footer's page links.
#[derive(Debug, PartialEq, Eq)]
pub struct SiteViewKey {
    has_updates: bool,
    has_decisions: bool,
    has_actions: bool,
    footer_pages: Vec<(String, String)>,
}

pub fn site_view_key(site: &Site) -> SiteViewKey {
    SiteViewKey {
        has_updates: !site.updates.is_empty(),
        has_decisions: !site.decisions.is_empty(),
        has_actions: !site.actions.is_empty(),
        footer_pages: site
            .pages
            .iter()
            .map(|p| (p.item.common.title.clone(), p.url.clone()))
            .collect(),
    }
}

/// Meeting pages list their documents with file sizes, and priorities may chart figures
/// from a CSV file (their cards on the home page give the trend), so a changed attachment
/// affects them.
pub fn add_pages_with_documents(site: &Site, affected: &mut Affected) {
    for meeting in &site.meetings {
        if !meeting.page.item.documents.is_empty() {
            affected.pages.insert(page_path(&meeting.page.site_path));
        }
    }
    let from_files = |p: &&crate::model::PriorityEntry| {
        p.page
            .item
            .indicators
            .iter()
            .any(|i| matches!(i.figures, crate::parse::content::Figures::File { .. }))
    };
    let charted: Vec<_> = site.priorities.iter().filter(from_files).collect();
    for priority in &charted {
        affected.pages.insert(page_path(&priority.page.site_path));
    }
    if !charted.is_empty() {
        affected.pages.insert(page_path(""));
    }
}
