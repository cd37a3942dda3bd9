//! The governance record as meetings and updates write it: who attended, declarations of
//! interest, whether the minutes are approved, the decisions and actions of each agenda item,
//! and progress reported on earlier actions. Checked here as far as one file can tell; the
//! model checks what needs the whole site (unknown ids, dates across meetings).

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::PriorityRef;
use super::check::{FileCheck, non_empty, optional};
use crate::diagnostics::Position;
use crate::values::{ActionId, ActionStatus, Date, MinutesStatus};

/// Who was at a meeting. Empty when the minutes record nobody.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attendance {
    pub present: Vec<String>,
    pub apologies: Vec<String>,
    /// Officers and guests who are not members.
    pub in_attendance: Vec<String>,
}

impl Attendance {
    pub fn is_recorded(&self) -> bool {
        !(self.present.is_empty() && self.apologies.is_empty() && self.in_attendance.is_empty())
    }
}

/// A declaration of interest, made on one agenda item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    pub name: String,
    /// Counted from 1, checked against the agenda.
    pub item: usize,
    pub interest: String,
}

/// The state of a held meeting's minutes as the file says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Minutes {
    pub status: MinutesStatus,
    /// The meeting (by slug) that approved them as a correct record; present exactly when
    /// approved.
    pub approved_at: Option<MeetingRef>,
    /// Where `minutes:` was written, for "not allowed on a cancelled meeting".
    pub at: Position,
}

/// A meeting named by its file name, checked against the meetings later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRef {
    pub slug: String,
    pub at: Position,
}

/// Something a meeting asked someone to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub id: ActionId,
    pub id_at: Position,
    pub action: String,
    pub owner: String,
    /// Minutes do not always set a date.
    pub due: Option<Date>,
    /// Its own priority, else the agenda item's.
    pub priority: Option<PriorityRef>,
}

/// Progress on an action, reported by the meeting or update that carries it (and dated by it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionUpdate {
    pub id: ActionId,
    /// Where the id was written.
    pub at: Position,
    pub status: ActionStatus,
    pub note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAttendance {
    #[serde(default)]
    present: Vec<String>,
    #[serde(default)]
    apologies: Vec<String>,
    #[serde(default)]
    in_attendance: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDeclaration {
    name: String,
    item: Spanned<u32>,
    interest: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMinutes {
    status: Spanned<String>,
    approved_at: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAction {
    id: Spanned<String>,
    action: Spanned<String>,
    owner: Spanned<String>,
    due: Option<Spanned<String>>,
    priority: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawActionUpdate {
    id: Spanned<String>,
    status: Spanned<String>,
    note: Option<String>,
}

pub(super) fn attendance(raw: Option<RawAttendance>) -> Attendance {
    let names = |list: Vec<String>| -> Vec<String> {
        list.into_iter()
            .filter_map(|n| non_empty(Some(n)))
            .collect()
    };
    raw.map(|raw| Attendance {
        present: names(raw.present),
        apologies: names(raw.apologies),
        in_attendance: names(raw.in_attendance),
    })
    .unwrap_or_default()
}

/// Each declaration whose item is on the agenda (`agenda_len` items).
pub(super) fn declarations(
    raw: Vec<RawDeclaration>,
    agenda_len: usize,
    check: &mut FileCheck<'_>,
) -> Vec<Declaration> {
    let mut declarations = Vec::new();
    for declaration in raw {
        let item = declaration.item.value as usize;
        if item == 0 || item > agenda_len {
            let at = check.position(&declaration.item);
            let (message, hint) = if agenda_len == 0 {
                (
                    format!("declarations: item {item} is not on the agenda: this meeting has no agenda"),
                    "add the meeting's `agenda:` list, or delete `item:` if the declaration was made at the start of the meeting".to_string(),
                )
            } else {
                (
                    format!(
                        "declarations: item {item} is not on the agenda, which has {agenda_len} item{}",
                        if agenda_len == 1 { "" } else { "s" }
                    ),
                    format!(
                        "write the number of the agenda item the interest was declared on, counting the first item as 1 (1 to {agenda_len})"
                    ),
                )
            };
            check.problem(at, "declaration-item-out-of-range", message, hint);
            continue;
        }
        declarations.push(Declaration {
            name: declaration.name.trim().to_string(),
            item,
            interest: declaration.interest.trim().to_string(),
        });
    }
    declarations
}

/// `Some(None)` when there is no `minutes:`; `None` when it has a problem.
pub(super) fn minutes(
    raw: Option<RawMinutes>,
    check: &mut FileCheck<'_>,
) -> Option<Option<Minutes>> {
    let Some(raw) = raw else {
        return Some(None);
    };
    let status = check.minutes_status(&raw.status)?;
    let at = check.position(&raw.status);
    let approved_at = raw.approved_at.as_ref().map(|m| MeetingRef {
        slug: m.value.trim().to_string(),
        at: check.position(m),
    });
    match (status, &approved_at) {
        (MinutesStatus::Approved, None) => {
            check.problem(
                at,
                "invalid-approval",
                "minutes: approved minutes must say which meeting approved them".into(),
                "add `approved_at:` under `minutes:` with the file name (without .md) of the meeting that agreed them as a correct record, e.g. approved_at: hcssg-2020-12-10".into(),
            );
            None
        }
        (MinutesStatus::Draft, Some(meeting)) => {
            check.problem(
                meeting.at,
                "invalid-approval",
                "minutes: `approved_at` is given, but the minutes are `status: draft`".into(),
                "write `status: approved` if the minutes were agreed at that meeting; otherwise delete the `approved_at` line".into(),
            );
            None
        }
        _ => Some(Some(Minutes {
            status,
            approved_at,
            at,
        })),
    }
}

/// Every action checked, so each problem is reported; `None` if any had one.
pub(super) fn actions(raw: Vec<RawAction>, check: &mut FileCheck<'_>) -> Option<Vec<Action>> {
    let actions: Vec<Option<Action>> = raw.into_iter().map(|a| action(a, check)).collect();
    actions.into_iter().collect()
}

fn action(raw: RawAction, check: &mut FileCheck<'_>) -> Option<Action> {
    let id = check.action_id(&raw.id);
    let due = optional(raw.due.as_ref(), |d| check.date("due", d));
    let text = check.required_text(
        &raw.action,
        "action",
        "what is to be done, e.g. action: Circulate the draft report to partners",
    );
    let owner = check.required_text(
        &raw.owner,
        "owner",
        "who will do it: a person's role or an organisation, e.g. owner: Community Safety Manager",
    );
    let (Some(id), Some(due), Some(action), Some(owner)) = (id, due, text, owner) else {
        return None;
    };
    Some(Action {
        id_at: check.position(&raw.id),
        id,
        action,
        owner,
        due,
        priority: raw.priority.as_ref().map(|p| check.priority_ref(p)),
    })
}

pub(super) fn action_updates(
    raw: Vec<RawActionUpdate>,
    check: &mut FileCheck<'_>,
) -> Option<Vec<ActionUpdate>> {
    let updates: Vec<Option<ActionUpdate>> = raw
        .into_iter()
        .map(|update| {
            let id = check.action_id(&update.id);
            let status = check.action_status(&update.status);
            Some(ActionUpdate {
                id: id?,
                at: check.position(&update.id),
                status: status?,
                note: non_empty(update.note),
            })
        })
        .collect();
    updates.into_iter().collect()
}
