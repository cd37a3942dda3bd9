//! A meeting (`content/meetings/*.md`): when and where the partnership meets, its agenda and
//! its papers.

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::check::{FileCheck, non_empty, optional};
use super::governance::{
    self, Action, ActionUpdate, Attendance, Declaration, Minutes, RawAction, RawActionUpdate,
    RawAttendance, RawDeclaration, RawMinutes,
};
use super::{Common, PriorityRef};
use crate::diagnostics::Position;
use crate::values::{Date, MeetingStatus, Time};

#[derive(Debug, Clone)]
pub struct AgendaItem {
    pub title: String,
    pub presenter: Option<String>,
    pub priority: Option<PriorityRef>,
    /// What the meeting decided on this item, as the minutes word it.
    pub decisions: Vec<String>,
    pub actions: Vec<Action>,
}

#[derive(Debug, Clone)]
pub struct MeetingDocument {
    pub title: String,
    /// As written: relative to the meeting file.
    pub file: String,
    pub at: Position,
}

#[derive(Debug, Clone)]
pub struct Meeting {
    pub common: Common,
    pub date: Date,
    /// Where the date was written: problems with the meeting as a whole point here.
    pub date_at: Position,
    pub time: Option<Time>,
    pub venue: Option<String>,
    pub chair: Option<String>,
    /// As written; `None` means "work it out from the date".
    pub status: Option<MeetingStatus>,
    pub status_at: Position,
    pub priorities: Vec<PriorityRef>,
    pub agenda: Vec<AgendaItem>,
    pub documents: Vec<MeetingDocument>,
    pub attendance: Attendance,
    pub declarations: Vec<Declaration>,
    /// As written; a held meeting without it has draft minutes.
    pub minutes: Option<Minutes>,
    /// Progress on earlier actions reported at this meeting.
    pub action_updates: Vec<ActionUpdate>,
}

impl Meeting {
    /// A document's file as a path relative to `content/`, or `None` if it climbs out of it.
    pub fn document_path(&self, document: &MeetingDocument) -> Option<String> {
        let rel_path = &self.common.rel_path;
        let folder = rel_path.rfind('/').map_or("", |i| &rel_path[..=i]);
        crate::routes::normalise(&format!("{folder}{}", document.file.trim()))
    }
}

/// A meeting's front matter, exactly as editors write it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMeeting {
    title: Spanned<String>,
    date: Spanned<String>,
    time: Option<Spanned<String>>,
    venue: Option<String>,
    chair: Option<String>,
    status: Option<Spanned<String>>,
    #[serde(default)]
    priorities: Vec<Spanned<String>>,
    #[serde(default)]
    tags: Vec<Spanned<String>>,
    #[serde(default)]
    agenda: Vec<RawAgendaItem>,
    #[serde(default)]
    documents: Vec<RawDocument>,
    attendance: Option<RawAttendance>,
    #[serde(default)]
    declarations: Vec<RawDeclaration>,
    minutes: Option<RawMinutes>,
    #[serde(default)]
    action_updates: Vec<RawActionUpdate>,
    #[serde(default)]
    draft: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgendaItem {
    title: String,
    presenter: Option<String>,
    priority: Option<Spanned<String>>,
    #[serde(default)]
    decisions: Vec<String>,
    #[serde(default)]
    actions: Vec<RawAction>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDocument {
    title: String,
    file: Spanned<String>,
}

/// `None` when a problem was found; `check` holds it.
pub(super) fn parse_meeting(raw: RawMeeting, check: &mut FileCheck<'_>) -> Option<Meeting> {
    let date = check.date("date", &raw.date);
    let time = optional(raw.time.as_ref(), |t| check.time(t));
    let status = optional(raw.status.as_ref(), |s| check.meeting_status(s));
    let status_at = raw
        .status
        .as_ref()
        .map(|s| check.position(s))
        .unwrap_or_default();
    let tags = check.tags(&raw.tags);
    let priorities = check.priority_refs(&raw.priorities);
    let agenda_len = raw.agenda.len();
    let agenda = agenda(raw.agenda, check);
    let documents = documents(raw.documents, check);
    let declarations = governance::declarations(raw.declarations, agenda_len, check);
    let minutes = governance::minutes(raw.minutes, check);
    let action_updates = governance::action_updates(raw.action_updates, check);
    let (Some(date), Some(time), Some(status), Some(agenda), Some(minutes), Some(action_updates)) =
        (date, time, status, agenda, minutes, action_updates)
    else {
        return None;
    };
    Some(Meeting {
        common: check.common(&raw.title, raw.draft, tags),
        date,
        date_at: check.position(&raw.date),
        time,
        venue: non_empty(raw.venue),
        chair: non_empty(raw.chair),
        status,
        status_at,
        priorities,
        agenda,
        documents,
        attendance: governance::attendance(raw.attendance),
        declarations,
        minutes,
        action_updates,
    })
}

/// `None` when an action on any item had a problem.
fn agenda(raw: Vec<RawAgendaItem>, check: &mut FileCheck<'_>) -> Option<Vec<AgendaItem>> {
    let items: Vec<Option<AgendaItem>> = raw
        .into_iter()
        .map(|item| {
            let actions = governance::actions(item.actions, check);
            Some(AgendaItem {
                title: item.title,
                presenter: non_empty(item.presenter),
                priority: item.priority.as_ref().map(|p| check.priority_ref(p)),
                decisions: item
                    .decisions
                    .into_iter()
                    .filter_map(|d| non_empty(Some(d)))
                    .collect(),
                actions: actions?,
            })
        })
        .collect();
    items.into_iter().collect()
}

fn documents(raw: Vec<RawDocument>, check: &FileCheck<'_>) -> Vec<MeetingDocument> {
    raw.into_iter()
        .map(|d| MeetingDocument {
            at: check.position(&d.file),
            title: d.title,
            file: d.file.value,
        })
        .collect()
}
