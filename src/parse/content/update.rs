//! An update (`content/updates/*.md`): news about the partnership's work, which may record a
//! priority's change of status.

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::check::FileCheck;
use super::governance::{self, ActionUpdate, RawActionUpdate};
use super::{Common, PriorityRef};
use crate::values::{Date, Status};

#[derive(Debug, Clone)]
pub struct StatusChange {
    pub priority: PriorityRef,
    pub status: Status,
}

#[derive(Debug, Clone)]
pub struct Update {
    pub common: Common,
    pub date: Date,
    pub priorities: Vec<PriorityRef>,
    pub status_changes: Vec<StatusChange>,
    /// Progress on actions, dated by the update.
    pub action_updates: Vec<ActionUpdate>,
}

/// An update's front matter, exactly as editors write it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawUpdate {
    title: Spanned<String>,
    date: Spanned<String>,
    #[serde(default)]
    priorities: Vec<Spanned<String>>,
    #[serde(default)]
    status_changes: Vec<RawStatusChange>,
    #[serde(default)]
    action_updates: Vec<RawActionUpdate>,
    #[serde(default)]
    tags: Vec<Spanned<String>>,
    #[serde(default)]
    draft: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStatusChange {
    priority: Spanned<String>,
    status: Spanned<String>,
}

/// `None` when a problem was found; `check` holds it.
pub(super) fn parse_update(raw: RawUpdate, check: &mut FileCheck<'_>) -> Option<Update> {
    let date = check.date("date", &raw.date);
    let tags = check.tags(&raw.tags);
    let priorities = check.priority_refs(&raw.priorities);
    let status_changes = status_changes(&raw.status_changes, check);
    let action_updates = governance::action_updates(raw.action_updates, check);
    let (Some(date), Some(status_changes), Some(action_updates)) =
        (date, status_changes, action_updates)
    else {
        return None;
    };
    Some(Update {
        common: check.common(&raw.title, raw.draft, tags),
        date,
        priorities,
        status_changes,
        action_updates,
    })
}

/// Every change checked, so each mistyped status is reported; `None` if any was.
fn status_changes(raw: &[RawStatusChange], check: &mut FileCheck<'_>) -> Option<Vec<StatusChange>> {
    let changes: Vec<Option<StatusChange>> = raw
        .iter()
        .map(|change| {
            let priority = check.priority_ref(&change.priority);
            check
                .status(&change.status)
                .map(|status| StatusChange { priority, status })
        })
        .collect();
    changes.into_iter().collect()
}
