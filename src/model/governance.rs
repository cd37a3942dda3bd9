//! The governance record across the site: every action with its history and current status
//! (the action register), every decision, the state of each meeting's minutes and the matters
//! arising each meeting carries forward. Built once from the published meetings and updates,
//! with every problem only the whole site can see (unknown ids, updates dated before the
//! action, approvals by a meeting that cannot have given them).

use std::collections::{HashMap, HashSet};

use super::{MeetingEntry, Published, Site};
use crate::diagnostics::{Diagnostic, did_you_mean, edit_distance};
use crate::load::CONTENT_DIR;
use crate::parse::content::{Action, ActionUpdate, Common, Meeting, Update};
use crate::values::{ActionStatus, Date, MeetingStatus, MinutesStatus};

/// One action in the register.
#[derive(Debug, Clone)]
pub struct ActionEntry {
    pub action: Action,
    /// The meeting that raised it (an index into `Site::meetings`) and its agenda item
    /// (counted from 0).
    pub meeting: usize,
    pub item: usize,
    /// Its place in the order actions were agreed: meeting by meeting, as each agenda lists them.
    pub order: usize,
    /// Its own priority, else its agenda item's (a slug).
    pub priority: Option<String>,
    /// Every reported update, oldest first.
    pub history: Vec<ActionHistoryEntry>,
    /// The newest update's status; open when none.
    pub status: ActionStatus,
    /// Due before today and neither done nor dropped.
    pub overdue: bool,
}

impl ActionEntry {
    /// Where it stood just before `date`: the newest update dated earlier.
    pub fn status_before(&self, date: Date) -> ActionStatus {
        self.history
            .iter()
            .rev()
            .find(|h| h.date < date)
            .map_or(ActionStatus::Open, |h| h.status)
    }
}

#[derive(Debug, Clone)]
pub struct ActionHistoryEntry {
    pub date: Date,
    pub status: ActionStatus,
    pub note: Option<String>,
    pub source: Source,
}

/// The meeting or update that reported something, as an index into the site's lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Meeting(usize),
    Update(usize),
}

/// One decision, as the minutes word it.
#[derive(Debug, Clone)]
pub struct DecisionEntry {
    pub text: String,
    /// Index into `Site::meetings`, and the agenda item counted from 0.
    pub meeting: usize,
    pub item: usize,
    pub priority: Option<String>,
}

/// Whether a meeting's minutes are a correct record yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MinutesState {
    /// Scheduled or cancelled: there are no minutes.
    NotHeld,
    /// Held, on a site that records nothing about minutes or attendance anywhere: saying
    /// "draft" would be a claim the site never made.
    NotRecorded,
    Draft,
    /// Approved at this meeting (an index into `Site::meetings`).
    Approved {
        at: usize,
    },
}

/// An earlier meeting's action that a meeting carries forward, or reports on.
#[derive(Debug, Clone)]
pub struct MatterArising {
    /// Index into `Site::actions`.
    pub action: usize,
    pub status_before: ActionStatus,
    /// The update this meeting recorded for it: an index into the action's history.
    pub reported_here: Option<usize>,
}

/// The site's governance record, and the problems found in it.
#[derive(Debug, Default)]
pub struct Governance {
    /// In register order: overdue first, then open and in progress by due date, then done and
    /// dropped.
    pub actions: Vec<ActionEntry>,
    /// Action key (lower-case id) → index into `actions`.
    pub action_index: HashMap<String, usize>,
    /// Newest first.
    pub decisions: Vec<DecisionEntry>,
    /// One per meeting, in the site's meeting order.
    pub minutes: Vec<MinutesState>,
    pub matters_arising: Vec<Vec<MatterArising>>,
    pub problems: Vec<Diagnostic>,
}

/// Where an action was raised, for ordering and messages.
struct Raised<'a> {
    action: &'a Action,
    meeting: usize,
    item: usize,
    priority: Option<String>,
}

/// The register, decisions, minutes and matters arising of `meetings` (in site order, oldest
/// first) and `updates`. `meeting_files_failed` is true when a meeting file could not be read:
/// its actions are unknown, so ids are not reported as missing.
pub fn assemble(
    meetings: &[MeetingEntry],
    updates: &[Published<Update>],
    today: Date,
    meeting_files_failed: bool,
    draft_files: &HashSet<String>,
) -> Governance {
    let mut problems = Vec::new();
    let raised = raised_actions(meetings, &mut problems);
    let index: HashMap<String, usize> = raised
        .iter()
        .enumerate()
        .map(|(i, r)| (r.action.id.key().to_string(), i))
        .collect();
    let mut history: Vec<Vec<ActionHistoryEntry>> = vec![Vec::new(); raised.len()];
    let reports = meetings
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let m = &m.page.item;
            (Source::Meeting(i), m.date, &m.action_updates, &m.common)
        })
        .chain(updates.iter().enumerate().map(|(i, u)| {
            let u = &u.item;
            (Source::Update(i), u.date, &u.action_updates, &u.common)
        }));
    for (source, date, action_updates, common) in reports {
        for update in action_updates {
            let Some(&i) = index.get(update.id.key()) else {
                if !meeting_files_failed {
                    problems.push(unknown_action(update, common, &raised));
                }
                continue;
            };
            let raised_on = meetings[raised[i].meeting].page.item.date;
            if date < raised_on {
                problems.push(update_before_action(
                    update,
                    common,
                    date,
                    &meetings[raised[i].meeting].page.item,
                ));
                continue;
            }
            history[i].push(ActionHistoryEntry {
                date,
                status: update.status,
                note: update.note.clone(),
                source,
            });
        }
    }
    let mut actions: Vec<ActionEntry> = raised
        .into_iter()
        .zip(history)
        .enumerate()
        .map(|(order, (r, mut history))| {
            // Meetings before updates on the same day: the order the sites lists them in.
            history.sort_by_key(|h| (h.date, matches!(h.source, Source::Update(_))));
            let status = history.last().map_or(ActionStatus::Open, |h| h.status);
            let overdue = !status.is_closed() && r.action.due.is_some_and(|due| due < today);
            ActionEntry {
                action: r.action.clone(),
                meeting: r.meeting,
                item: r.item,
                order,
                priority: r.priority,
                history,
                status,
                overdue,
            }
        })
        .collect();
    sort_register(&mut actions, meetings);
    let action_index = actions
        .iter()
        .enumerate()
        .map(|(i, a)| (a.action.id.key().to_string(), i))
        .collect();
    let minutes = minutes_states(meetings, today, draft_files, &mut problems);
    let mut governance = Governance {
        actions,
        action_index,
        decisions: decisions(meetings),
        minutes,
        matters_arising: Vec::new(),
        problems,
    };
    governance.matters_arising = (0..meetings.len())
        .map(|i| matters_arising(&governance, i, meetings))
        .collect();
    governance
}

fn file(common: &Common) -> String {
    format!("{CONTENT_DIR}/{}", common.rel_path)
}

/// Every action in meeting order, each id once: a second use of an id is reported with both
/// places.
fn raised_actions<'a>(
    meetings: &'a [MeetingEntry],
    problems: &mut Vec<Diagnostic>,
) -> Vec<Raised<'a>> {
    let mut raised: Vec<Raised<'a>> = Vec::new();
    let mut seen: HashMap<&str, (&Common, &Action)> = HashMap::new();
    for (m, meeting) in meetings.iter().enumerate() {
        let common = &meeting.page.item.common;
        for (i, item) in meeting.page.item.agenda.iter().enumerate() {
            for action in &item.actions {
                if let Some((first_file, first)) = seen.get(action.id.key()) {
                    let place = if first_file.rel_path == common.rel_path {
                        format!("on line {} of this file", first.id_at.line)
                    } else {
                        format!("in {}, line {}", file(first_file), first.id_at.line)
                    };
                    // `a-1` and `A-1` are one id: say so, or the editor sees no clash.
                    let written = if first.id.as_str() == action.id.as_str() {
                        String::new()
                    } else {
                        format!(
                            ", written \"{}\" (capitals do not make a different id)",
                            first.id
                        )
                    };
                    problems.push(
                        Diagnostic::error(
                            "duplicate-action-id",
                            format!(
                                "action id \"{}\" is already used {place}{written}",
                                action.id
                            ),
                        )
                        .in_file(file(common))
                        .at(&common.text, action.id_at.line, action.id_at.column)
                        .with_hint(
                            "every action needs its own id, so progress reports can name it; give this one the next free number",
                        ),
                    );
                    continue;
                }
                seen.insert(action.id.key(), (common, action));
                let priority = action.priority.as_ref().or(item.priority.as_ref());
                raised.push(Raised {
                    action,
                    meeting: m,
                    item: i,
                    priority: priority.map(|p| p.slug.clone()),
                });
            }
        }
    }
    raised
}

fn unknown_action(update: &ActionUpdate, common: &Common, raised: &[Raised<'_>]) -> Diagnostic {
    let hint = match nearest_ids(update.id.as_str(), raised).as_slice() {
        [close] => format!(
            "did you mean \"{close}\"? Progress can only be reported on an action a published meeting raised in its agenda's `actions:`"
        ),
        [first @ .., last] if !first.is_empty() => format!(
            "did you mean {} or \"{last}\"? Progress can only be reported on an action a published meeting raised in its agenda's `actions:`",
            first
                .iter()
                .map(|id| format!("\"{id}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ if raised.is_empty() => "no meeting has raised any actions yet: add the action to the `actions:` of the agenda item that raised it, in that meeting's file".to_string(),
        _ => "check the id against the meeting that raised the action; progress can only be reported on an action a published meeting raised in its agenda's `actions:`".to_string(),
    };
    Diagnostic::error(
        "unknown-action",
        format!(
            "action_updates: no meeting raised an action \"{}\"",
            update.id
        ),
    )
    .in_file(file(common))
    .at(&common.text, update.at.line, update.at.column)
    .with_hint(hint)
}

/// The raised ids nearest to `typed`, when a few are equally near: numbered ids are all one
/// edit apart (`A-3` from `A-2` and `A-4`), so picking one of several would be a guess.
fn nearest_ids<'a>(typed: &str, raised: &[Raised<'a>]) -> Vec<&'a str> {
    const MOST_SHOWN: usize = 3;
    let Some(close) = did_you_mean(typed, raised.iter().map(|r| r.action.id.as_str())) else {
        return Vec::new();
    };
    let typed = typed.to_lowercase();
    let distance = edit_distance(&typed, &close.to_lowercase());
    let nearest: Vec<&str> = raised
        .iter()
        .map(|r| r.action.id.as_str())
        .filter(|id| edit_distance(&typed, &id.to_lowercase()) == distance)
        .collect();
    match nearest.len() {
        // `did_you_mean` found it by a part of the id (`7` in `A-7`), not by spelling.
        0 => vec![close],
        n if n <= MOST_SHOWN => nearest,
        _ => Vec::new(),
    }
}

fn update_before_action(
    update: &ActionUpdate,
    common: &Common,
    date: Date,
    raised_by: &Meeting,
) -> Diagnostic {
    Diagnostic::error(
        "action-update-before-action",
        format!(
            "action_updates: action \"{}\" was raised at the meeting on {}, after this report's date, {}",
            update.id,
            raised_by.date.long_form(),
            date.long_form()
        ),
    )
    .in_file(file(common))
    .at(&common.text, update.at.line, update.at.column)
    .with_hint(format!(
        "progress can only be reported after the action was raised: check this file's `date`, or the id (the action was raised in {})",
        file(&raised_by.common)
    ))
}

/// Overdue first (most overdue first), then open and in progress by due date (undated last),
/// then done and dropped, newest raised first; ties in the order raised.
fn sort_register(actions: &mut [ActionEntry], meetings: &[MeetingEntry]) {
    actions.sort_by(|a, b| {
        let group = |a: &ActionEntry| match (a.overdue, a.status.is_closed()) {
            (true, _) => 0,
            (false, false) => 1,
            (false, true) => 2,
        };
        let raised = |a: &ActionEntry| meetings[a.meeting].page.item.date;
        let due = |a: &ActionEntry| (a.action.due.is_none(), a.action.due);
        group(a).cmp(&group(b)).then_with(|| {
            if group(a) == 2 {
                raised(b).cmp(&raised(a))
            } else {
                due(a).cmp(&due(b))
            }
        })
    });
}

fn decisions(meetings: &[MeetingEntry]) -> Vec<DecisionEntry> {
    let mut decisions = Vec::new();
    for (m, meeting) in meetings.iter().enumerate().rev() {
        for (i, item) in meeting.page.item.agenda.iter().enumerate() {
            for text in &item.decisions {
                decisions.push(DecisionEntry {
                    text: text.clone(),
                    meeting: m,
                    item: i,
                    priority: item.priority.as_ref().map(|p| p.slug.clone()),
                });
            }
        }
    }
    decisions
}

/// Each meeting's minutes: approved at a later, held meeting, or draft; none when not held.
fn minutes_states(
    meetings: &[MeetingEntry],
    today: Date,
    draft_files: &HashSet<String>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<MinutesState> {
    let keeps_record = keeps_record(meetings);
    let by_slug: HashMap<&str, usize> = meetings
        .iter()
        .enumerate()
        .map(|(i, m)| (m.page.item.common.slug.as_str(), i))
        .collect();
    meetings
        .iter()
        .map(|meeting| {
            let m = &meeting.page.item;
            if meeting.status != MeetingStatus::Held {
                if let Some(minutes) = &m.minutes {
                    problems.push(minutes_not_held(m, meeting.status, minutes.at.line, minutes.at.column));
                }
                return MinutesState::NotHeld;
            }
            let Some(minutes) = &m.minutes else {
                return if keeps_record {
                    MinutesState::Draft
                } else {
                    MinutesState::NotRecorded
                };
            };
            let (MinutesStatus::Approved, Some(approver)) = (minutes.status, &minutes.approved_at) else {
                return MinutesState::Draft;
            };
            let problem = |message: String, hint: String| {
                Diagnostic::error("invalid-approval", message)
                    .in_file(file(&m.common))
                    .at(&m.common.text, approver.at.line, approver.at.column)
                    .with_hint(hint)
            };
            let Some(&at) = by_slug.get(approver.slug.as_str()) else {
                let draft = format!("meetings/{}.md", approver.slug);
                if draft_files.contains(&draft) {
                    problems.push(problem(
                        format!("minutes: approved_at \"{}\": that meeting is a draft, so it is not published", approver.slug),
                        format!("publish content/{draft} (delete its `draft: true`), or keep these minutes `status: draft` until it is published"),
                    ));
                    return MinutesState::Draft;
                }
                let hint = {
                    let slugs = meetings.iter().map(|m| m.page.item.common.slug.as_str());
                    match did_you_mean(&approver.slug, slugs) {
                        Some(close) => format!("did you mean \"{close}\"? Write the file name of the meeting that approved the minutes, without .md"),
                        None => "write the file name of the meeting that approved the minutes, without .md, e.g. approved_at: hcssg-2020-12-10".to_string(),
                    }
                };
                problems.push(problem(
                    format!("minutes: approved_at: there is no meeting \"{}\"", approver.slug),
                    hint,
                ));
                return MinutesState::Draft;
            };
            let approving = &meetings[at];
            let a = &approving.page.item;
            let wrong = if std::ptr::eq(approving, meeting) {
                Some("a meeting cannot approve its own minutes".to_string())
            } else if a.date < m.date {
                Some(format!("the meeting that approved them, on {}, was held before this one", a.date.long_form()))
            } else if approving.status == MeetingStatus::Cancelled {
                Some(format!("the meeting on {} was cancelled", a.date.long_form()))
            } else if a.date > today {
                Some(format!("the meeting on {} has not been held yet", a.date.long_form()))
            } else {
                None
            };
            match wrong {
                Some(why) => {
                    problems.push(problem(
                        format!("minutes: approved_at \"{}\": {why}", approver.slug),
                        "minutes are approved at a later meeting, usually the next one: write that meeting's file name, or `status: draft` until it has met".to_string(),
                    ));
                    MinutesState::Draft
                }
                None => MinutesState::Approved { at },
            }
        })
        .collect()
}

fn minutes_not_held(m: &Meeting, status: MeetingStatus, line: u32, column: u32) -> Diagnostic {
    let (why, hint) = match status {
        MeetingStatus::Cancelled => (
            "this meeting was cancelled, so it has no minutes",
            "delete the `minutes:` lines; say why it was cancelled in the text below the front matter",
        ),
        _ => (
            "this meeting has not been held yet, so it has no minutes",
            "delete the `minutes:` lines until the meeting has been held; if it has, set `status: held`",
        ),
    };
    Diagnostic::error("minutes-not-held", format!("minutes: {why}"))
        .in_file(file(&m.common))
        .at(&m.common.text, line, column)
        .with_hint(hint)
}

/// The actions of earlier meetings still open on meeting `m`'s date, and every action it
/// reported on, in the order they were agreed.
fn matters_arising(
    governance: &Governance,
    m: usize,
    meetings: &[MeetingEntry],
) -> Vec<MatterArising> {
    let date = meetings[m].page.item.date;
    let mut matters: Vec<MatterArising> = governance
        .actions
        .iter()
        .enumerate()
        .filter_map(|(i, action)| {
            let reported_here = action
                .history
                .iter()
                .position(|h| h.source == Source::Meeting(m));
            let raised_earlier = meetings[action.meeting].page.item.date < date;
            let status_before = action.status_before(date);
            let carried = raised_earlier && !status_before.is_closed();
            (carried || reported_here.is_some()).then_some(MatterArising {
                action: i,
                status_before,
                reported_here,
            })
        })
        .collect();
    matters.sort_by_key(|matter| governance.actions[matter.action].order);
    matters
}

/// Whether any meeting records its attendance or the state of its minutes: only then are
/// minutes without `minutes:` drafts, and missing attendance worth a warning.
fn keeps_record(meetings: &[MeetingEntry]) -> bool {
    meetings.iter().any(|m| {
        let m = &m.page.item;
        m.attendance.is_recorded() || m.minutes.is_some()
    })
}

/// Warnings about the record as a whole: overdue actions; and, once the site keeps a record
/// of attendance or minutes at all, held meetings without attendance and draft minutes a
/// later meeting could have approved.
pub fn warnings(site: &Site) -> Vec<Diagnostic> {
    let (meetings, today) = (&site.meetings, site.today);
    let mut warnings = Vec::new();
    for action in site.actions.iter().filter(|a| a.overdue) {
        let m = &meetings[action.meeting].page.item;
        let due = action
            .action
            .due
            .expect("only actions with a due date are overdue");
        warnings.push(
            Diagnostic::warning(
                "overdue-action",
                format!(
                    "action \"{}\" was due on {} and is still {}",
                    action.action.id,
                    due.long_form(),
                    action.status.label().to_lowercase()
                ),
            )
            .in_file(file(&m.common))
            .at(&m.common.text, action.action.id_at.line, action.action.id_at.column)
            .with_hint(
                "when progress is reported, add it to the `action_updates:` of the meeting or update that reports it (e.g. `- {id: A-1, status: done, note: …}`); if the date moved, change `due:`",
            ),
        );
    }
    if !keeps_record(meetings) {
        return warnings;
    }
    let last_held = meetings
        .iter()
        .filter(|m| m.status == MeetingStatus::Held && m.page.item.date <= today)
        .map(|m| m.page.item.date)
        .max();
    for meeting in meetings {
        let minutes = &meeting.minutes;
        let m = &meeting.page.item;
        if meeting.status != MeetingStatus::Held {
            continue;
        }
        let date_at = m.date_at;
        if !m.attendance.is_recorded() {
            warnings.push(
                Diagnostic::warning("no-attendance", "this meeting was held, but who attended is not recorded")
                    .in_file(file(&m.common))
                    .at(&m.common.text, date_at.line, date_at.column)
                    .with_hint("add `attendance:` with `present:`, `apologies:` and `in_attendance:` lists, as the minutes record them"),
            );
        }
        // Minutes the file says are approved, by a meeting that cannot have approved them, are
        // an error already: this warning would contradict what the editor wrote.
        let said_approved = m
            .minutes
            .as_ref()
            .is_some_and(|minutes| minutes.status == MinutesStatus::Approved);
        if *minutes == MinutesState::Draft
            && !said_approved
            && last_held.is_some_and(|last| last > m.date)
        {
            let (line, column) = match &m.minutes {
                Some(minutes) => (minutes.at.line, minutes.at.column),
                None => (date_at.line, date_at.column),
            };
            warnings.push(
                Diagnostic::warning(
                    "minutes-not-approved",
                    "these minutes are still a draft, but a later meeting has been held",
                )
                .in_file(file(&m.common))
                .at(&m.common.text, line, column)
                .with_hint("if the next meeting agreed them as a correct record, add `minutes: {status: approved, approved_at: <that meeting's file name>}`"),
            );
        }
    }
    warnings
}
