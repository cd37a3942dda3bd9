//! Cross-references: each priority's timeline and status history from the meetings and
//! updates that name it, the tag index, and meetings' documents resolved to the files copied.

use std::collections::{BTreeMap, HashMap};

use super::governance::Governance;
use super::indicators::IndicatorEntry;
use super::{
    DocumentLink, Kind, MeetingEntry, PriorityEntry, Published, StatusChangeEntry, TagIndex,
    TaggedItem, TimelineEntry,
};
use crate::diagnostics::Diagnostic;
use crate::load::{Asset, CONTENT_DIR};
use crate::parse::content::{Meeting, MeetingDocument, Priority, Update};
use crate::parse::markdown;
use crate::routes;
use crate::values::{Date, Status, Tag};

/// A meeting's documents as links: web addresses as written, files resolved to where they are
/// copied (with their size). Every document that is neither is reported.
pub(super) fn resolve_documents(
    meeting: &Meeting,
    files: &HashMap<&str, &Asset>,
    base_path: &str,
) -> (Vec<DocumentLink>, Vec<Diagnostic>) {
    let mut documents = Vec::new();
    let mut problems = Vec::new();
    for document in &meeting.documents {
        match resolve_document(meeting, document, files, base_path) {
            Ok(link) => documents.push(link),
            Err(problem) => problems.push(problem),
        }
    }
    (documents, problems)
}

fn resolve_document(
    meeting: &Meeting,
    document: &MeetingDocument,
    files: &HashMap<&str, &Asset>,
    base_path: &str,
) -> Result<DocumentLink, Diagnostic> {
    let rel_path = &meeting.common.rel_path;
    let problem = |code, message: String, hint: &str| {
        Diagnostic::error(code, message)
            .in_file(format!("{CONTENT_DIR}/{rel_path}"))
            .at(&meeting.common.text, document.at.line, document.at.column)
            .with_hint(hint.to_string())
    };
    let link = |url: String, size: Option<u64>| DocumentLink {
        title: document.title.clone(),
        url,
        file_type: file_type(&document.file),
        size,
    };
    let lower = document.file.trim().to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return Ok(link(document.file.trim().to_string(), None));
    }
    if !markdown::is_safe_url(&document.file) || document.file.contains(':') {
        return Err(problem(
            "unsafe-url",
            format!(
                "document file \"{}\" is not a file path or web address",
                document.file.escape_debug()
            ),
            "give a file path relative to this meeting file, or an https:// address",
        ));
    }
    let wanted = meeting.document_path(document);
    match wanted.as_deref().and_then(|p| files.get(p)) {
        Some(asset) => Ok(link(
            format!("{base_path}{}", asset.output_rel),
            Some(asset.size),
        )),
        None => Err(problem(
            "missing-document",
            format!("document file \"{}\" does not exist", document.file),
            &format!(
                "put the file in content/{} (paths are relative to this meeting file) or correct the name",
                routes::parent_folder(rel_path)
            ),
        )),
    }
}

/// The upper-case extension of a document's file name ("PDF"), or "File" when it has none.
fn file_type(file: &str) -> String {
    file.rsplit_once('.')
        .map(|(_, ext)| {
            ext.split(['?', '#'])
                .next()
                .unwrap_or(ext)
                .to_ascii_uppercase()
        })
        .filter(|ext| !ext.is_empty() && ext.len() <= 5 && !ext.contains('/'))
        .unwrap_or_else(|| "File".to_string())
}

/// Each priority with its timeline and status history, from the meetings and updates that
/// reference it.
pub(super) fn link_priorities(
    priorities: Vec<Published<Priority>>,
    mut indicators: HashMap<String, Vec<IndicatorEntry>>,
    meetings: &[MeetingEntry],
    updates: &[Published<Update>],
    governance: &Governance,
) -> Vec<PriorityEntry> {
    let mut priorities: Vec<PriorityEntry> = priorities
        .into_iter()
        .map(|page| {
            let indicators = indicators
                .remove(&page.item.common.slug)
                .unwrap_or_default();
            let timeline = figure_entries(&page, &indicators);
            PriorityEntry {
                page,
                timeline,
                status_history: Vec::new(),
                open_actions: 0,
                overdue_actions: 0,
                indicators,
            }
        })
        .collect();
    let index: HashMap<String, usize> = priorities
        .iter()
        .enumerate()
        .map(|(i, p)| (p.page.item.common.slug.clone(), i))
        .collect();
    // Each meeting's actions by the priority they serve, in register order.
    let mut actions_by_meeting: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for (a, action) in governance.actions.iter().enumerate() {
        let Some(&p) = action.priority.as_ref().and_then(|slug| index.get(slug)) else {
            continue;
        };
        if !action.status.is_closed() {
            priorities[p].open_actions += 1;
            priorities[p].overdue_actions += usize::from(action.overdue);
        }
        actions_by_meeting
            .entry((action.meeting, p))
            .or_default()
            .push(a);
    }
    for (m, meeting) in meetings.iter().enumerate() {
        add_meeting(&mut priorities, &index, meeting, |p| {
            actions_by_meeting.remove(&(m, p)).unwrap_or_default()
        });
    }
    for update in updates {
        add_update(&mut priorities, &index, update);
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

/// The newest figures of each indicator on a priority's timeline: more would bury its meetings
/// and updates, and the chart and table beside it show the whole series.
const FIGURES_ON_TIMELINE: usize = 12;

/// The newest figures of the priority's indicators, each dated by the end of its period.
fn figure_entries(page: &Published<Priority>, indicators: &[IndicatorEntry]) -> Vec<TimelineEntry> {
    indicators
        .iter()
        .flat_map(|entry| {
            let newest = entry.figures.len().saturating_sub(FIGURES_ON_TIMELINE);
            entry.figures[newest..]
                .iter()
                .map(move |figure| TimelineEntry {
                    date: figure.period.end(),
                    kind: Kind::Figure,
                    title: entry.indicator.title.clone(),
                    url: format!("{}#indicator-{}", page.url, entry.indicator.id),
                    agenda_items: Vec::new(),
                    status_change: None,
                    meeting_status: None,
                    decisions: Vec::new(),
                    actions: Vec::new(),
                    figure: Some(format!(
                        "{} in {}",
                        entry.with_unit(figure.value),
                        figure.period.label()
                    )),
                })
        })
        .collect()
}

/// A meeting on the timeline of every priority it names, with its agenda items, decisions and
/// actions about each; `actions_for(p)` gives the actions it raised for priority `p`.
fn add_meeting(
    priorities: &mut [PriorityEntry],
    index: &HashMap<String, usize>,
    meeting: &MeetingEntry,
    mut actions_for: impl FnMut(usize) -> Vec<usize>,
) {
    let m = &meeting.page.item;
    let mut about: BTreeMap<usize, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for reference in &m.priorities {
        if let Some(&i) = index.get(&reference.slug) {
            about.entry(i).or_default();
        }
    }
    for item in &m.agenda {
        if let Some(&i) = item.priority.as_ref().and_then(|r| index.get(&r.slug)) {
            let (titles, decisions) = about.entry(i).or_default();
            titles.push(item.title.clone());
            decisions.extend(item.decisions.iter().cloned());
        }
    }
    // An action for a priority the item is not about still puts the meeting on its timeline.
    for item in &m.agenda {
        for action in &item.actions {
            if let Some(&i) = action.priority.as_ref().and_then(|r| index.get(&r.slug)) {
                about.entry(i).or_default();
            }
        }
    }
    for (i, (agenda_items, decisions)) in about {
        priorities[i].timeline.push(TimelineEntry {
            date: m.date,
            kind: Kind::Meeting,
            title: m.common.title.clone(),
            url: meeting.page.url.clone(),
            agenda_items,
            status_change: None,
            meeting_status: Some(meeting.status),
            decisions,
            actions: actions_for(i),
            figure: None,
        });
    }
}

/// An update on the timeline of every priority it names, and its status changes in their
/// histories.
fn add_update(
    priorities: &mut [PriorityEntry],
    index: &HashMap<String, usize>,
    update: &Published<Update>,
) {
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
                update_file: u.common.rel_path.clone(),
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
            decisions: Vec::new(),
            actions: Vec::new(),
            figure: None,
        });
    }
}

/// Every tag with what carries it: priorities in number order, then meetings newest first,
/// then updates newest first.
pub(super) fn index_tags(
    priorities: &[PriorityEntry],
    meetings: &[MeetingEntry],
    updates: &[Published<Update>],
    base_path: &str,
) -> Vec<TagIndex> {
    let mut tags: BTreeMap<String, TagIndex> = BTreeMap::new();
    let mut add = |tags_of: &[Tag], kind: Kind, title: &str, url: &str, date: Option<Date>| {
        for tag in tags_of {
            let index = tags.entry(tag.slug.clone()).or_insert_with(|| TagIndex {
                tag: tag.clone(),
                url: format!("{base_path}{}", routes::tag(&tag.slug)),
                site_path: routes::tag(&tag.slug),
                items: Vec::new(),
            });
            index.items.push(TaggedItem {
                kind,
                title: title.to_string(),
                url: url.to_string(),
                date,
            });
        }
    };
    for priority in priorities {
        let p = &priority.page;
        let common = &p.item.common;
        add(
            &common.tags,
            Kind::Priority,
            &common.title,
            &p.url,
            p.item.updated,
        );
    }
    for meeting in meetings.iter().rev() {
        let m = &meeting.page;
        let common = &m.item.common;
        add(
            &common.tags,
            Kind::Meeting,
            &common.title,
            &m.url,
            Some(m.item.date),
        );
    }
    for update in updates {
        let common = &update.item.common;
        add(
            &common.tags,
            Kind::Update,
            &common.title,
            &update.url,
            Some(update.item.date),
        );
    }
    tags.into_values().collect()
}
