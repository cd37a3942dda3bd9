//! Checks of the site as a whole: links to headings that do not exist, two pages at one
//! address, duplicate priority numbers, references to unknown priorities, and the editorial
//! warnings only the whole site can give (out-of-date priorities, meetings left "scheduled").

use std::collections::{HashMap, HashSet};

use super::route_table::Route;
use super::{MeetingEntry, Published, Site};
use crate::diagnostics::{Diagnostic, Placer, cap_per_kind, did_you_mean};
use crate::load::CONTENT_DIR;
use crate::parse::content::{Common, Priority, PriorityRef, Update};
use crate::parse::markdown::AnchorLink;
use crate::values::MeetingStatus;

/// What the body checks need to know about one rendered body.
pub struct BodyFacts<'a> {
    pub common: &'a Common,
    pub heading_ids: &'a [String],
    pub anchor_links: &'a [AnchorLink],
    pub problems: &'a [Diagnostic],
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
        let mut placer = Placer::new(&common.text);
        let broken_anchors = body
            .anchor_links
            .iter()
            .filter_map(|link| check_anchor(link, &headings, &mut placer))
            .collect();
        let mut found = body
            .problems
            .iter()
            .cloned()
            .chain(cap_per_kind(broken_anchors))
            .peekable();
        if found.peek().is_some() {
            let file = format!("{CONTENT_DIR}/{}", common.rel_path);
            problems.extend(found.map(|problem| problem.in_file(&file)));
        }
    }
    problems
}

/// A priority not updated for this many days is flagged: residents may think work stopped.
const STALE_AFTER_DAYS: i64 = 183;

/// Warnings that need the whole site: out-of-date priorities, meetings still marked scheduled
/// after their date, and pages with nothing in them.
pub(super) fn editorial_warnings(site: &Site) -> Vec<Diagnostic> {
    let mut warnings = stale_priorities(site);
    warnings.extend(status_mismatches(site));
    warnings.extend(past_scheduled_meetings(site));
    warnings.extend(empty_bodies(site));
    warnings.extend(super::governance::warnings(site));
    warnings
}

fn file(rel: &str) -> String {
    format!("{CONTENT_DIR}/{rel}")
}

fn stale_priorities(site: &Site) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let today = site.today.days_since_epoch();
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
    warnings
}

/// A priority whose `status` is not the one its newest status change gave it: one of the two
/// was not updated, and residents would read two answers.
fn status_mismatches(site: &Site) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for entry in &site.priorities {
        let p = &entry.page.item;
        let Some(newest) = entry.status_history.last() else {
            continue;
        };
        if newest.status == p.status {
            continue;
        }
        warnings.push(
            Diagnostic::warning(
                "status-mismatch",
                format!(
                    "this priority's status is \"{}\", but the newest update, content/{} ({}), changed it to \"{}\"",
                    p.status.as_str(),
                    newest.update_file,
                    newest.date.long_form(),
                    newest.status.as_str()
                ),
            )
            .in_file(file(&p.common.rel_path))
            .at(&p.common.text, p.status_at.line, p.status_at.column)
            .with_hint(format!(
                "set `status: {}` here if that is still true, or record the newer status in an update's `status_changes`",
                newest.status.as_str()
            )),
        );
    }
    warnings
}

fn past_scheduled_meetings(site: &Site) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
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
    warnings
}

fn empty_bodies(site: &Site) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
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

/// Two pages of the route table at the same address: the second would silently replace the
/// first, so both are named. The problem is reported in an editor's file; Waymark's own pages
/// are named as the built-in ones. Copied files are checked when the output is assembled.
pub(super) fn find_url_collisions(routes: &[Route]) -> Vec<Diagnostic> {
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

pub(super) fn find_duplicate_numbers(priorities: &[Published<Priority>]) -> Vec<Diagnostic> {
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

pub(super) fn used_numbers(priorities: &[Published<Priority>]) -> String {
    let numbers: std::collections::BTreeSet<u32> =
        priorities.iter().map(|p| p.item.number).collect();
    numbers
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every reference to a priority that is not one: a typo, a draft, or a priority removed.
pub(super) fn check_priority_refs(
    meetings: &[MeetingEntry],
    updates: &[Published<Update>],
    slugs: &[&str],
    failed: &HashSet<String>,
    drafts: &HashSet<String>,
) -> Vec<Diagnostic> {
    let known: HashSet<&str> = slugs
        .iter()
        .copied()
        .chain(failed.iter().map(String::as_str))
        .collect();
    priority_refs(meetings, updates)
        .filter(|(reference, _, _)| !known.contains(reference.slug.as_str()))
        .map(|(reference, field, common)| unknown_priority(reference, field, common, slugs, drafts))
        .collect()
}

/// Every priority reference in meetings and updates, with the field it is in and its file.
fn priority_refs<'a>(
    meetings: &'a [MeetingEntry],
    updates: &'a [Published<Update>],
) -> impl Iterator<Item = (&'a PriorityRef, &'static str, &'a Common)> {
    let in_meetings = meetings.iter().flat_map(|meeting| {
        let m = &meeting.page.item;
        let listed = m.priorities.iter().map(|r| (r, "priorities"));
        let agenda = m.agenda.iter().filter_map(|a| a.priority.as_ref());
        let agenda = agenda.map(|r| (r, "agenda priority"));
        let actions = m.agenda.iter().flat_map(|a| &a.actions);
        let actions = actions.filter_map(|a| a.priority.as_ref());
        let actions = actions.map(|r| (r, "action priority"));
        listed
            .chain(agenda)
            .chain(actions)
            .map(move |(r, field)| (r, field, &m.common))
    });
    let in_updates = updates.iter().flat_map(|update| {
        let u = &update.item;
        let listed = u.priorities.iter().map(|r| (r, "priorities"));
        let changes = u.status_changes.iter();
        let changes = changes.map(|c| (&c.priority, "status_changes priority"));
        listed
            .chain(changes)
            .map(move |(r, field)| (r, field, &u.common))
    });
    in_meetings.chain(in_updates)
}

fn unknown_priority(
    reference: &PriorityRef,
    field: &str,
    common: &Common,
    slugs: &[&str],
    drafts: &HashSet<String>,
) -> Diagnostic {
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
        None => format!("use the priority's file name without .md; priorities are: {listed}"),
    };
    Diagnostic::error(
        "unknown-priority",
        format!(
            "{field} refers to \"{}\", which is not a priority",
            reference.slug
        ),
    )
    .in_file(file(&common.rel_path))
    .at(&common.text, reference.at.line, reference.at.column)
    .with_hint(hint)
}

pub(super) fn check_anchor(
    link: &AnchorLink,
    headings: &HashMap<&str, HashSet<&str>>,
    placer: &mut Placer<'_>,
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
    let problem = Diagnostic::error(
        "broken-anchor",
        format!(
            "link to \"#{}\", a heading that does not exist in content/{}",
            link.anchor, link.target
        ),
    )
    .with_hint(hint);
    Some(placer.place(problem, link.at.line, link.at.column))
}
