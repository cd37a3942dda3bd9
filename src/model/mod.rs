//! The model: every published item with its URL and rendered body, cross-referenced (which
//! meetings and updates concern each priority, what carries each tag) and checked as a whole.

pub mod pagination;
pub mod route_table;

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::load::config::Config;
use crate::load::{Asset, CONTENT_DIR};
use crate::parse::content::{Common, Item, Meeting, Page, Priority, PriorityRef, Update};
use crate::parse::markdown::{self, AnchorLink, Body, LinkTargets};
use crate::routes;
use crate::values::{Date, MeetingStatus, Status, Tag, slugify};
use route_table::{Route, route_table};

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
}

#[derive(Debug)]
pub struct MeetingEntry {
    pub page: Published<Meeting>,
    pub status: MeetingStatus,
    pub documents: Vec<DocumentLink>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Priority,
    Meeting,
    Update,
    Page,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Priority => "priority",
            Kind::Meeting => "meeting",
            Kind::Update => "update",
            Kind::Page => "page",
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
}

#[derive(Debug, Clone)]
pub struct StatusChangeEntry {
    pub date: Date,
    pub status: Status,
    pub update_title: String,
    pub update_url: String,
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
    pub assets: Vec<Asset>,
    /// Every page, listed once: see [`route_table`].
    pub routes: Vec<Route>,
}

/// Where the generated accessibility statement goes when the site has no page of its own there.
pub const ACCESSIBILITY_PATH: &str = routes::ACCESSIBILITY;
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
        !self.pages.iter().any(|p| p.site_path == ACCESSIBILITY_PATH)
    }

    pub fn priority(&self, slug: &str) -> Option<&PriorityEntry> {
        self.priorities
            .iter()
            .find(|p| p.page.item.common.slug == slug)
    }

    pub fn page_count(&self) -> usize {
        self.priorities.len()
            + self.meetings.len()
            + self.updates.len()
            + self.pages.len()
            + self.tags.len()
    }
}

/// Everything `assemble` needs besides the parsed items.
pub struct Inputs {
    pub config: Config,
    pub today: Date,
    pub assets: Vec<Asset>,
    /// Content-relative paths of drafts left out, for clearer broken-link messages.
    pub drafts: HashSet<String>,
    /// Content-relative paths of files that could not be read or parsed. Their problems are
    /// already reported, so links and priority references to them are not reported again.
    pub failed: HashSet<String>,
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

/// Builds the cross-referenced site, rendering every body in parallel and reporting every
/// problem found across all files. On success, also returns the warnings.
pub fn assemble(items: Vec<Item>, inputs: Inputs) -> Result<(Site, Diagnostics), Diagnostics> {
    let Inputs {
        config,
        today,
        assets,
        drafts,
        failed,
    } = inputs;
    let targets = link_targets(&items, &assets, drafts, failed, &config.base_url.path);
    let allow_raw_html = config.allow_raw_html;
    let bodies: Vec<(Item, markdown::Rendered)> = items
        .into_par_iter()
        .map(|item| {
            let rendered = render_body(&item, &targets, allow_raw_html);
            (item, rendered)
        })
        .collect();
    let mut problems = Diagnostics::default();
    problems.extend(check_bodies(
        bodies
            .iter()
            .map(|(item, rendered)| BodyFacts::of(item, rendered)),
    ));
    let (site, model_problems) = assemble_rendered(bodies, config, today, assets, &targets);
    problems.extend(model_problems);
    if problems.has_errors() {
        return Err(problems);
    }
    Ok((site, problems))
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

/// What the body checks need to know about one rendered body.
pub struct BodyFacts<'a> {
    pub common: &'a Common,
    pub heading_ids: &'a [String],
    pub anchor_links: &'a [AnchorLink],
    pub problems: &'a [Diagnostic],
}

impl<'a> BodyFacts<'a> {
    pub fn of(item: &'a Item, rendered: &'a markdown::Rendered) -> Self {
        BodyFacts {
            common: item.common(),
            heading_ids: &rendered.heading_ids,
            anchor_links: &rendered.anchor_links,
            problems: &rendered.problems,
        }
    }
}

/// The problems found while rendering bodies, and links to headings that do not exist.
pub fn check_bodies<'a>(bodies: impl IntoIterator<Item = BodyFacts<'a>>) -> Vec<Diagnostic> {
    let bodies: Vec<BodyFacts<'a>> = bodies.into_iter().collect();
    let linked: HashSet<&str> = bodies
        .iter()
        .flat_map(|b| b.anchor_links.iter().map(|l| l.target.as_str()))
        .collect();
    let headings: HashMap<&str, HashSet<&str>> = bodies
        .iter()
        .filter(|b| linked.contains(b.common.rel_path.as_str()))
        .map(|b| {
            let ids = b.heading_ids.iter().map(String::as_str).collect();
            (b.common.rel_path.as_str(), ids)
        })
        .collect();
    let mut problems = Vec::new();
    for body in &bodies {
        let common = body.common;
        let mut found = body
            .problems
            .iter()
            .cloned()
            .chain(
                body.anchor_links
                    .iter()
                    .filter_map(|link| check_anchor(link, &headings, &common.text)),
            )
            .peekable();
        if found.peek().is_some() {
            let file = format!("{CONTENT_DIR}/{}", common.rel_path);
            problems.extend(found.map(|problem| problem.in_file(&file)));
        }
    }
    problems
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
    let priorities = link_priorities(items.priorities, &items.meetings, &items.updates);
    let tags = index_tags(&priorities, &items.meetings, &items.updates, &base_path);
    let site = Site::new(Site {
        config,
        today,
        home: items.home,
        priorities,
        meetings: items.meetings,
        updates: items.updates,
        pages: items.pages,
        tags,
        assets,
        routes: Vec::new(),
    });
    problems.extend(find_url_collisions(&site.routes));
    problems.extend(editorial_warnings(&site));
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

/// A priority not updated for this many days is flagged: residents may think work stopped.
const STALE_AFTER_DAYS: i64 = 183;

/// Warnings that need the whole site: out-of-date priorities, meetings still marked scheduled
/// after their date, and pages with nothing in them.
fn editorial_warnings(site: &Site) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let today = site.today.days_since_epoch();
    let file = |rel: &str| format!("{CONTENT_DIR}/{rel}");
    for entry in &site.priorities {
        let p = &entry.page.item;
        if let Some(updated) = p
            .updated
            .filter(|u| today - u.days_since_epoch() > STALE_AFTER_DAYS)
        {
            warnings.push(
                Diagnostic::warning(
                    "stale-priority",
                    format!(
                        "this priority was last updated on {}, over 6 months ago",
                        updated.long_form()
                    ),
                )
                .in_file(file(&p.common.rel_path))
                .at(&p.common.text, p.updated_at.line, p.updated_at.column)
                .with_hint("publish an update on its progress, then set `updated:` to that date"),
            );
        }
    }
    for entry in &site.meetings {
        let m = &entry.page.item;
        if m.status == Some(MeetingStatus::Scheduled) && m.date < site.today {
            warnings.push(
                Diagnostic::warning(
                    "past-scheduled-meeting",
                    format!(
                        "this meeting is marked scheduled but its date, {}, has passed",
                        m.date.long_form()
                    ),
                )
                .in_file(file(&m.common.rel_path))
                .at(&m.common.text, m.status_at.line, m.status_at.column)
                .with_hint("change `status:` to `held` (and add the minutes) or `cancelled`"),
            );
        }
    }
    let empty_bodies = site
        .priorities
        .iter()
        .map(|p| &p.page.item.common)
        .chain(site.updates.iter().map(|u| &u.item.common))
        .chain(site.pages.iter().map(|p| &p.item.common))
        .filter(|c| c.body().trim().is_empty());
    for common in empty_bodies {
        warnings.push(
            Diagnostic::warning("empty-body", "this page has no text after the front matter")
                .in_file(file(&common.rel_path))
                .at(
                    &common.text,
                    common.body_first_line.saturating_sub(1).max(1),
                    1,
                )
                .with_hint("write the page's text below the closing `---`"),
        );
    }
    warnings
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

/// Two pages of the route table at the same address: the second would silently replace the
/// first, so both are named. The problem is reported in an editor's file; Waymark's own pages
/// are named as the built-in ones. Copied files are checked when the output is assembled.
fn find_url_collisions(routes: &[Route]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut seen: HashMap<&str, &Route> = HashMap::new();
    for route in routes {
        let Some(&first) = seen.get(route.site_path.as_str()) else {
            seen.insert(&route.site_path, route);
            continue;
        };
        let (here, other) = if route.source.is_some() {
            (route, first)
        } else {
            (first, route)
        };
        let Some(file) = &here.source else {
            continue;
        };
        let other = match &other.source {
            Some(source) => source.clone(),
            None => format!("the built-in /{} index", other.site_path),
        };
        problems.push(
            Diagnostic::error("duplicate-url", format!("this page would be published at /{}, the same address as {other}", here.site_path))
                .in_file(file)
                .with_hint("rename one of the files; file names that differ only in capitals or punctuation give the same address"),
        );
    }
    problems
}

fn find_duplicate_numbers(priorities: &[Published<Priority>]) -> Vec<Diagnostic> {
    let mut first_with: HashMap<u32, &str> = HashMap::new();
    let mut problems = Vec::new();
    for priority in priorities {
        let item = &priority.item;
        match first_with.get(&item.number) {
            Some(first) => problems.push(
                Diagnostic::error(
                    "duplicate-number",
                    format!(
                        "priority number {} is also used by content/{first}",
                        item.number
                    ),
                )
                .in_file(format!("{CONTENT_DIR}/{}", item.common.rel_path))
                .at(
                    &item.common.text,
                    item.number_at.line,
                    item.number_at.column,
                )
                .with_hint(format!(
                    "each priority needs its own number; numbers in use: {}",
                    used_numbers(priorities)
                )),
            ),
            None => {
                first_with.insert(item.number, &item.common.rel_path);
            }
        }
    }
    problems
}

fn used_numbers(priorities: &[Published<Priority>]) -> String {
    let numbers: std::collections::BTreeSet<u32> =
        priorities.iter().map(|p| p.item.number).collect();
    numbers
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn check_priority_refs(
    meetings: &[MeetingEntry],
    updates: &[Published<Update>],
    slugs: &[&str],
    failed: &HashSet<String>,
    drafts: &HashSet<String>,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let known: HashSet<&str> = slugs
        .iter()
        .copied()
        .chain(failed.iter().map(String::as_str))
        .collect();
    let mut check = |reference: &PriorityRef, field: &str, rel_path: &str, text: &str| {
        if !known.contains(reference.slug.as_str()) {
            let listed = if slugs.len() <= 12 {
                slugs.join(", ")
            } else {
                format!("{} and {} more", slugs[..12].join(", "), slugs.len() - 12)
            };
            let draft = format!("priorities/{}.md", reference.slug);
            let hint = match did_you_mean(&reference.slug, slugs.iter().copied()) {
                _ if drafts.contains(&draft) => format!(
                    "content/{draft} is a draft, so it is not published; remove `draft: true` from it or remove this reference"
                ),
                Some(close) => format!("did you mean \"{close}\"? priorities are: {listed}"),
                None => {
                    format!("use the priority's file name without .md; priorities are: {listed}")
                }
            };
            problems.push(
                Diagnostic::error(
                    "unknown-priority",
                    format!(
                        "{field} refers to \"{}\", which is not a priority",
                        reference.slug
                    ),
                )
                .in_file(format!("{CONTENT_DIR}/{rel_path}"))
                .at(text, reference.at.line, reference.at.column)
                .with_hint(hint),
            );
        }
    };
    for meeting in meetings {
        let m = &meeting.page.item;
        for reference in &m.priorities {
            check(reference, "priorities", &m.common.rel_path, &m.common.text);
        }
        for reference in m.agenda.iter().filter_map(|a| a.priority.as_ref()) {
            check(
                reference,
                "agenda priority",
                &m.common.rel_path,
                &m.common.text,
            );
        }
    }
    for update in updates {
        let u = &update.item;
        for reference in &u.priorities {
            check(reference, "priorities", &u.common.rel_path, &u.common.text);
        }
        for change in &u.status_changes {
            check(
                &change.priority,
                "status_changes priority",
                &u.common.rel_path,
                &u.common.text,
            );
        }
    }
    problems
}

fn check_anchor(
    link: &AnchorLink,
    headings: &HashMap<&str, HashSet<&str>>,
    text: &str,
) -> Option<Diagnostic> {
    let ids = headings.get(link.target.as_str())?;
    let footnote = link.anchor.starts_with("fn-") || link.anchor.starts_with("fnref-");
    if ids.contains(link.anchor.as_str()) || footnote {
        return None;
    }
    let mut sorted: Vec<&str> = ids.iter().copied().collect();
    sorted.sort_unstable();
    let hint = match did_you_mean(&link.anchor, sorted.iter().copied()) {
        Some(close) => format!("did you mean \"#{close}\"?"),
        None if sorted.is_empty() => format!("content/{} has no headings to link to", link.target),
        None => format!(
            "headings in content/{}: {}",
            link.target,
            sorted
                .iter()
                .map(|s| format!("#{s}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Some(
        Diagnostic::error(
            "broken-anchor",
            format!(
                "link to \"#{}\", a heading that does not exist in content/{}",
                link.anchor, link.target
            ),
        )
        .at(text, link.at.line, link.at.column)
        .with_hint(hint),
    )
}

fn resolve_documents(
    meeting: &Meeting,
    files: &HashMap<&str, &Asset>,
    base_path: &str,
) -> (Vec<DocumentLink>, Vec<Diagnostic>) {
    let mut documents = Vec::new();
    let mut problems = Vec::new();
    let rel_path = &meeting.common.rel_path;
    let folder = rel_path.rfind('/').map_or("", |i| &rel_path[..=i]);
    for document in &meeting.documents {
        let file_type = document
            .file
            .rsplit_once('.')
            .map(|(_, ext)| {
                ext.split(['?', '#'])
                    .next()
                    .unwrap_or(ext)
                    .to_ascii_uppercase()
            })
            .filter(|ext| !ext.is_empty() && ext.len() <= 5 && !ext.contains('/'))
            .unwrap_or_else(|| "File".to_string());
        let problem = |code, message: String, hint: &str| {
            Diagnostic::error(code, message)
                .in_file(format!("{CONTENT_DIR}/{rel_path}"))
                .at(&meeting.common.text, document.at.line, document.at.column)
                .with_hint(hint.to_string())
        };
        let lower = document.file.trim().to_ascii_lowercase();
        if lower.starts_with("https://") || lower.starts_with("http://") {
            documents.push(DocumentLink {
                title: document.title.clone(),
                url: document.file.trim().to_string(),
                file_type,
                size: None,
            });
            continue;
        }
        if !markdown::is_safe_url(&document.file) || document.file.contains(':') {
            problems.push(problem(
                "unsafe-url",
                format!(
                    "document file \"{}\" is not a file path or web address",
                    document.file.escape_debug()
                ),
                "give a file path relative to this meeting file, or an https:// address",
            ));
            continue;
        }
        let wanted = meeting.document_path(document);
        match wanted.as_deref().and_then(|p| files.get(p)) {
            Some(asset) => documents.push(DocumentLink {
                title: document.title.clone(),
                url: format!("{base_path}{}", asset.output_rel),
                file_type,
                size: Some(asset.size),
            }),
            None => problems.push(problem(
                "missing-document",
                format!("document file \"{}\" does not exist", document.file),
                &format!("put the file in content/{folder} (paths are relative to this meeting file) or correct the name"),
            )),
        }
    }
    (documents, problems)
}

/// Each priority with its timeline and status history, from the meetings and updates that
/// reference it.
fn link_priorities(
    priorities: Vec<Published<Priority>>,
    meetings: &[MeetingEntry],
    updates: &[Published<Update>],
) -> Vec<PriorityEntry> {
    let mut priorities: Vec<PriorityEntry> = priorities
        .into_iter()
        .map(|page| PriorityEntry {
            page,
            timeline: Vec::new(),
            status_history: Vec::new(),
        })
        .collect();
    let index: HashMap<String, usize> = priorities
        .iter()
        .enumerate()
        .map(|(i, p)| (p.page.item.common.slug.clone(), i))
        .collect();
    for meeting in meetings {
        let m = &meeting.page.item;
        let mut agenda_by_priority: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for reference in &m.priorities {
            if let Some(&i) = index.get(&reference.slug) {
                agenda_by_priority.entry(i).or_default();
            }
        }
        for item in &m.agenda {
            if let Some(&i) = item.priority.as_ref().and_then(|r| index.get(&r.slug)) {
                agenda_by_priority
                    .entry(i)
                    .or_default()
                    .push(item.title.clone());
            }
        }
        for (i, agenda_items) in agenda_by_priority {
            priorities[i].timeline.push(TimelineEntry {
                date: m.date,
                kind: Kind::Meeting,
                title: m.common.title.clone(),
                url: meeting.page.url.clone(),
                agenda_items,
                status_change: None,
                meeting_status: Some(meeting.status),
            });
        }
    }
    for update in updates {
        let u = &update.item;
        let mut touched: BTreeMap<usize, Option<Status>> = BTreeMap::new();
        for reference in &u.priorities {
            if let Some(&i) = index.get(&reference.slug) {
                touched.entry(i).or_default();
            }
        }
        for change in &u.status_changes {
            if let Some(&i) = index.get(&change.priority.slug) {
                touched.insert(i, Some(change.status));
                priorities[i].status_history.push(StatusChangeEntry {
                    date: u.date,
                    status: change.status,
                    update_title: u.common.title.clone(),
                    update_url: update.url.clone(),
                });
            }
        }
        for (i, status_change) in touched {
            priorities[i].timeline.push(TimelineEntry {
                date: u.date,
                kind: Kind::Update,
                title: u.common.title.clone(),
                url: update.url.clone(),
                agenda_items: Vec::new(),
                status_change,
                meeting_status: None,
            });
        }
    }
    for priority in &mut priorities {
        priority
            .timeline
            .sort_by(|a, b| (b.date, a.kind, &a.url).cmp(&(a.date, b.kind, &b.url)));
        priority
            .status_history
            .sort_by(|a, b| (a.date, &a.update_url).cmp(&(b.date, &b.update_url)));
    }
    priorities
}

fn index_tags(
    priorities: &[PriorityEntry],
    meetings: &[MeetingEntry],
    updates: &[Published<Update>],
    base_path: &str,
) -> Vec<TagIndex> {
    let mut tags: BTreeMap<String, TagIndex> = BTreeMap::new();
    let mut add = |tag: &Tag, item: TaggedItem| {
        tags.entry(tag.slug.clone())
            .or_insert_with(|| TagIndex {
                tag: tag.clone(),
                url: format!("{base_path}{}", routes::tag(&tag.slug)),
                site_path: routes::tag(&tag.slug),
                items: Vec::new(),
            })
            .items
            .push(item);
    };
    for priority in priorities {
        let p = &priority.page;
        for tag in &p.item.common.tags {
            add(
                tag,
                TaggedItem {
                    kind: Kind::Priority,
                    title: p.item.common.title.clone(),
                    url: p.url.clone(),
                    date: p.item.updated,
                },
            );
        }
    }
    for meeting in meetings.iter().rev() {
        let m = &meeting.page;
        for tag in &m.item.common.tags {
            add(
                tag,
                TaggedItem {
                    kind: Kind::Meeting,
                    title: m.item.common.title.clone(),
                    url: m.url.clone(),
                    date: Some(m.item.date),
                },
            );
        }
    }
    for update in updates {
        for tag in &update.item.common.tags {
            add(
                tag,
                TaggedItem {
                    kind: Kind::Update,
                    title: update.item.common.title.clone(),
                    url: update.url.clone(),
                    date: Some(update.item.date),
                },
            );
        }
    }
    tags.into_values().collect()
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
