//! The route table: every page of the built site, listed once, in the order the site lists
//! them. Rendering (one job per route), the search index, the sitemap, the link check's map
//! from pages back to their Markdown files, URL-collision detection and the preview's
//! dependents all read this one list, so a new page kind is one entry here (see
//! ADDING_A_PAGE_KIND.md). Nothing may depend on the order beyond the sitemap's.

use crate::load::CONTENT_DIR;
use crate::model::Site;
use crate::model::pagination::page_ranges;
use crate::routes;
use crate::values::Date;

/// One page of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// Relative to the site root: `priorities/county-lines/`, `""` for home.
    pub site_path: String,
    pub kind: RouteKind,
    /// The Markdown file the page is made from, as shown in messages (`content/…`).
    pub source: Option<String>,
    /// When the page's content last changed, as far as the content says; never after today.
    pub lastmod: Option<Date>,
}

/// What a page shows. Indexes point into the site's lists; numbered list pages count from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteKind {
    Home,
    Priorities,
    Priority(usize),
    Meetings {
        page: usize,
    },
    Meeting(usize),
    Updates {
        page: usize,
    },
    Update(usize),
    /// The action register, paginated; each action's own page (an index into `Site::actions`).
    Actions {
        page: usize,
    },
    Action(usize),
    Decisions {
        page: usize,
    },
    Page(usize),
    AccessibilityStatement,
    /// The open data page, which explains the files beside it (`publish::data`).
    Data,
    Tags,
    Tag {
        tag: usize,
        page: usize,
    },
    Search,
    NotFound,
}

impl Route {
    /// The file the page is written to.
    pub fn output_file(&self) -> String {
        routes::page_file(&self.site_path)
    }

    /// Whether the sitemap lists the page: every page a resident can reach.
    pub fn in_sitemap(&self) -> bool {
        self.kind != RouteKind::NotFound
    }
}

/// Every page of `site`. Dates after today (a meeting still to come) say nothing about when a
/// page changed, so they are left out of `lastmod`.
pub fn route_table(site: &Site) -> Vec<Route> {
    let dates = Dates::of(site);
    let mut table = Table::default();
    let everything = [
        newest(&dates.priorities),
        newest(&dates.meetings),
        newest(&dates.updates),
    ];
    let home_source = site.home.as_ref().map(|h| h.item.common.rel_path.as_str());
    table.push("", RouteKind::Home, home_source, newest(&everything));
    table.push(
        routes::PRIORITIES,
        RouteKind::Priorities,
        None,
        newest(&dates.priorities),
    );
    for (i, (p, date)) in site.priorities.iter().zip(&dates.priorities).enumerate() {
        let source = Some(p.page.item.common.rel_path.as_str());
        table.push(&p.page.site_path, RouteKind::Priority(i), source, *date);
    }
    table.list(
        routes::MEETINGS,
        site.meetings.len(),
        newest(&dates.meetings),
        |page| RouteKind::Meetings { page },
    );
    for (i, (m, date)) in site.meetings.iter().zip(&dates.meetings).enumerate() {
        let source = Some(m.page.item.common.rel_path.as_str());
        table.push(&m.page.site_path, RouteKind::Meeting(i), source, *date);
    }
    table.list(
        routes::UPDATES,
        site.updates.len(),
        newest(&dates.updates),
        |page| RouteKind::Updates { page },
    );
    for (i, (u, date)) in site.updates.iter().zip(&dates.updates).enumerate() {
        let source = Some(u.item.common.rel_path.as_str());
        table.push(&u.site_path, RouteKind::Update(i), source, *date);
    }
    governance_routes(&mut table, site);
    site_wide_routes(&mut table, site, &dates);
    table.routes
}

/// The action register, each action's page and the decisions, when the site has any. Their
/// dates are those of the meetings and updates that raised or reported them.
fn governance_routes(table: &mut Table, site: &Site) {
    let known = |date: Date| (date <= site.today).then_some(date);
    let meeting_date = |m: usize| site.meetings[m].page.item.date;
    let action_dates: Vec<Option<Date>> = site
        .actions
        .iter()
        .map(|a| {
            let raised = known(meeting_date(a.meeting));
            let reported = a.history.iter().filter_map(|h| known(h.date)).max();
            raised.max(reported)
        })
        .collect();
    if !site.actions.is_empty() {
        table.list(
            routes::ACTIONS,
            site.actions.len(),
            newest(&action_dates),
            |page| RouteKind::Actions { page },
        );
        for (i, (action, date)) in site.actions.iter().zip(&action_dates).enumerate() {
            let raised_in = &site.meetings[action.meeting].page.item.common.rel_path;
            let path = routes::action(action.action.id.key());
            table.push(&path, RouteKind::Action(i), Some(raised_in), *date);
        }
    }
    if !site.decisions.is_empty() {
        let newest_decision = site
            .decisions
            .iter()
            .map(|d| known(meeting_date(d.meeting)))
            .max()
            .flatten();
        table.list(
            routes::DECISIONS,
            site.decisions.len(),
            newest_decision,
            |page| RouteKind::Decisions { page },
        );
    }
}

/// The editors' free pages, then the pages every site has: the accessibility statement (unless
/// the site has its own), the open data, tags, search and the 404 page.
fn site_wide_routes(table: &mut Table, site: &Site, dates: &Dates) {
    for (i, page) in site.pages.iter().enumerate() {
        let source = Some(page.item.common.rel_path.as_str());
        table.push(&page.site_path, RouteKind::Page(i), source, None);
    }
    if site.generates_accessibility_statement() {
        table.push(
            routes::ACCESSIBILITY,
            RouteKind::AccessibilityStatement,
            None,
            None,
        );
    }
    table.push(routes::DATA, RouteKind::Data, None, None);
    table.push(routes::TAGS, RouteKind::Tags, None, newest(&dates.tags));
    for (i, (t, date)) in site.tags.iter().zip(&dates.tags).enumerate() {
        table.list(&t.site_path, t.items.len(), *date, |page| RouteKind::Tag {
            tag: i,
            page,
        });
    }
    table.push(routes::SEARCH, RouteKind::Search, None, None);
    table.push(routes::NOT_FOUND, RouteKind::NotFound, None, None);
}

#[derive(Default)]
struct Table {
    routes: Vec<Route>,
}

impl Table {
    fn push(
        &mut self,
        site_path: &str,
        kind: RouteKind,
        source: Option<&str>,
        lastmod: Option<Date>,
    ) {
        self.routes.push(Route {
            site_path: site_path.to_string(),
            kind,
            source: source.map(|rel| format!("{CONTENT_DIR}/{rel}")),
            lastmod,
        });
    }

    /// A paginated list of `items` in `folder`: its first page carries the list's date; later
    /// pages hold older items, whose date the first page already gives.
    fn list(
        &mut self,
        folder: &str,
        items: usize,
        lastmod: Option<Date>,
        kind: impl Fn(usize) -> RouteKind,
    ) {
        self.push(folder, kind(1), None, lastmod);
        for number in 2..=page_ranges(items).len() {
            self.push(
                &routes::numbered_page(folder, number),
                kind(number),
                None,
                None,
            );
        }
    }
}

/// The date each item's page last changed, list by list.
struct Dates {
    priorities: Vec<Option<Date>>,
    meetings: Vec<Option<Date>>,
    updates: Vec<Option<Date>>,
    tags: Vec<Option<Date>>,
}

impl Dates {
    fn of(site: &Site) -> Dates {
        let known = |date: Option<Date>| date.filter(|d| *d <= site.today);
        let priorities = site
            .priorities
            .iter()
            .map(|p| {
                let timeline = p
                    .timeline
                    .iter()
                    .map(|t| t.date)
                    .filter(|d| *d <= site.today);
                known(p.page.item.updated).into_iter().chain(timeline).max()
            })
            .collect();
        Dates {
            priorities,
            meetings: site
                .meetings
                .iter()
                .map(|m| known(Some(m.page.item.date)))
                .collect(),
            updates: site
                .updates
                .iter()
                .map(|u| known(Some(u.item.date)))
                .collect(),
            tags: site
                .tags
                .iter()
                .map(|t| t.items.iter().filter_map(|i| known(i.date)).max())
                .collect(),
        }
    }
}

fn newest(dates: &[Option<Date>]) -> Option<Date> {
    dates.iter().flatten().max().copied()
}
