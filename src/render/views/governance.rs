//! The views of the governance record: actions wherever they appear (register, their own page,
//! meeting pages, priority timelines), decisions, attendance, declarations and minutes.

use serde::Serialize;

use crate::model::Site;
use crate::model::governance::{ActionEntry, DecisionEntry, MinutesState, Source};
use crate::model::pagination::PaginationView;
use crate::render::views::{CommonView, DateText, PriorityLinkView};
use crate::routes;
use crate::values::ActionStatus;

/// An action's status, with a flag per status so templates test a flag, not a word.
#[derive(Serialize)]
pub struct ActionStatusView {
    pub word: &'static str,
    pub label: &'static str,
    pub open: bool,
    pub in_progress: bool,
    pub done: bool,
    pub dropped: bool,
}

impl ActionStatusView {
    pub fn new(status: ActionStatus) -> ActionStatusView {
        ActionStatusView {
            word: status.as_str(),
            label: status.label(),
            open: status == ActionStatus::Open,
            in_progress: status == ActionStatus::InProgress,
            done: status == ActionStatus::Done,
            dropped: status == ActionStatus::Dropped,
        }
    }
}

/// A meeting named as a link with its date.
#[derive(Serialize)]
pub struct MeetingLinkView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub date: DateText,
}

impl<'a> MeetingLinkView<'a> {
    pub fn new(site: &'a Site, meeting: usize) -> MeetingLinkView<'a> {
        let entry = &site.meetings[meeting];
        MeetingLinkView {
            title: &entry.page.item.common.title,
            url: &entry.page.url,
            date: DateText::new(entry.page.item.date),
        }
    }
}

/// Where an action was raised or a decision taken: the meeting and its agenda item.
#[derive(Serialize)]
pub struct AgendaPlaceView<'a> {
    pub meeting: MeetingLinkView<'a>,
    /// Counted from 1, as the agenda numbers it.
    pub item_number: usize,
    pub item_title: &'a str,
}

impl<'a> AgendaPlaceView<'a> {
    fn new(site: &'a Site, meeting: usize, item: usize) -> AgendaPlaceView<'a> {
        AgendaPlaceView {
            meeting: MeetingLinkView::new(site, meeting),
            item_number: item + 1,
            item_title: &site.meetings[meeting].page.item.agenda[item].title,
        }
    }
}

/// One action, wherever it is listed.
#[derive(Serialize)]
pub struct ActionView<'a> {
    pub id: &'a str,
    /// Its own page.
    pub url: String,
    pub action: &'a str,
    pub owner: &'a str,
    pub due: Option<DateText>,
    /// Where it stands now: the newest update's status.
    pub status: ActionStatusView,
    /// Due before today and neither done nor dropped.
    pub overdue: bool,
    pub raised: AgendaPlaceView<'a>,
    pub priority: Option<PriorityLinkView<'a>>,
    /// The newest update's note, if it has one.
    pub latest_note: Option<&'a str>,
}

impl<'a> ActionView<'a> {
    pub fn new(site: &'a Site, action: &'a ActionEntry) -> ActionView<'a> {
        ActionView {
            id: action.action.id.as_str(),
            url: action_url(site, action),
            action: &action.action.action,
            owner: &action.action.owner,
            due: action.action.due.map(DateText::new),
            status: ActionStatusView::new(action.status),
            overdue: action.overdue,
            raised: AgendaPlaceView::new(site, action.meeting, action.item),
            priority: priority_link(site, action.priority.as_deref()),
            latest_note: action.history.last().and_then(|h| h.note.as_deref()),
        }
    }
}

/// The priority named by `slug`, when the site has it.
fn priority_link<'a>(site: &'a Site, slug: Option<&str>) -> Option<PriorityLinkView<'a>> {
    slug.and_then(|slug| site.priority(slug))
        .map(PriorityLinkView::new)
}

pub fn action_url(site: &Site, action: &ActionEntry) -> String {
    format!(
        "{}{}",
        site.config.base_url.path,
        routes::action(action.action.id.key())
    )
}

/// One reported update of an action.
#[derive(Serialize)]
pub struct ActionHistoryView<'a> {
    pub date: DateText,
    pub status: ActionStatusView,
    pub note: Option<&'a str>,
    /// The meeting or progress update that reported it.
    pub reported_in: ReportView<'a>,
}

#[derive(Serialize)]
pub struct ReportView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    /// `"meeting"` or `"update"`.
    pub kind: &'static str,
}

impl<'a> ReportView<'a> {
    fn new(site: &'a Site, source: Source) -> ReportView<'a> {
        match source {
            Source::Meeting(i) => ReportView {
                title: &site.meetings[i].page.item.common.title,
                url: &site.meetings[i].page.url,
                kind: "meeting",
            },
            Source::Update(i) => ReportView {
                title: &site.updates[i].item.common.title,
                url: &site.updates[i].url,
                kind: "update",
            },
        }
    }
}

pub fn history_views<'a>(site: &'a Site, action: &'a ActionEntry) -> Vec<ActionHistoryView<'a>> {
    action
        .history
        .iter()
        .map(|h| ActionHistoryView {
            date: DateText::new(h.date),
            status: ActionStatusView::new(h.status),
            note: h.note.as_deref(),
            reported_in: ReportView::new(site, h.source),
        })
        .collect()
}

/// `action.html`: one action's page.
#[derive(Serialize)]
pub struct ActionPageView<'a> {
    #[serde(flatten)]
    pub common: CommonView<'a>,
    pub action: ActionView<'a>,
    /// Every update, oldest first.
    pub history: Vec<ActionHistoryView<'a>>,
}

/// How many actions of the whole register are in each state.
#[derive(Serialize)]
pub struct ActionCountsView {
    pub overdue: usize,
    /// Open or in progress, overdue ones included.
    pub open: usize,
    pub done: usize,
    pub dropped: usize,
    pub total: usize,
}

impl ActionCountsView {
    pub fn new(site: &Site) -> ActionCountsView {
        let count = |f: &dyn Fn(&ActionEntry) -> bool| site.actions.iter().filter(|a| f(a)).count();
        ActionCountsView {
            overdue: count(&|a| a.overdue),
            open: count(&|a| !a.status.is_closed()),
            done: count(&|a| a.status == ActionStatus::Done),
            dropped: count(&|a| a.status == ActionStatus::Dropped),
            total: site.actions.len(),
        }
    }
}

/// A run of the register's rows under one heading: overdue, open and in progress, or closed.
#[derive(Serialize)]
pub struct ActionGroupView<'a> {
    pub heading: &'static str,
    /// `overdue`, `open` or `closed`.
    pub word: &'static str,
    pub actions: Vec<ActionView<'a>>,
}

/// `actions.html`: one page of the action register.
#[derive(Serialize)]
pub struct ActionsView<'a> {
    #[serde(flatten)]
    pub common: CommonView<'a>,
    pub counts: ActionCountsView,
    /// The actions on this page, in register order, grouped.
    pub groups: Vec<ActionGroupView<'a>>,
    pub pagination: Option<&'a PaginationView>,
    /// Every action as a to-do list for calendar apps (absolute).
    pub calendar_url: String,
    /// The list of decisions, when the site has recorded any.
    pub decisions_url: Option<String>,
}

/// One decision, wherever it is listed.
#[derive(Serialize)]
pub struct DecisionView<'a> {
    pub text: &'a str,
    pub taken: AgendaPlaceView<'a>,
    pub priority: Option<PriorityLinkView<'a>>,
}

impl<'a> DecisionView<'a> {
    pub fn new(site: &'a Site, decision: &'a DecisionEntry) -> DecisionView<'a> {
        DecisionView {
            text: &decision.text,
            taken: AgendaPlaceView::new(site, decision.meeting, decision.item),
            priority: priority_link(site, decision.priority.as_deref()),
        }
    }
}

/// `decisions.html`: one page of every decision, newest first.
#[derive(Serialize)]
pub struct DecisionsView<'a> {
    #[serde(flatten)]
    pub common: CommonView<'a>,
    pub decisions: Vec<DecisionView<'a>>,
    pub pagination: Option<&'a PaginationView>,
}

/// Who was at a meeting.
#[derive(Serialize)]
pub struct AttendanceView<'a> {
    pub present: &'a [String],
    pub apologies: &'a [String],
    pub in_attendance: &'a [String],
    /// Whether any of the three lists has a name.
    pub recorded: bool,
}

#[derive(Serialize)]
pub struct DeclarationView<'a> {
    pub name: &'a str,
    pub item_number: usize,
    pub item_title: &'a str,
    pub interest: &'a str,
}

/// Whether a held meeting's minutes are approved; absent for meetings not held.
#[derive(Serialize)]
pub struct MinutesView<'a> {
    pub approved: bool,
    /// The meeting that approved them as a correct record.
    pub approved_at: Option<MeetingLinkView<'a>>,
}

impl<'a> MinutesView<'a> {
    pub fn new(site: &'a Site, state: MinutesState) -> Option<MinutesView<'a>> {
        match state {
            MinutesState::NotHeld | MinutesState::NotRecorded => None,
            MinutesState::Draft => Some(MinutesView {
                approved: false,
                approved_at: None,
            }),
            MinutesState::Approved { at } => Some(MinutesView {
                approved: true,
                approved_at: Some(MeetingLinkView::new(site, at)),
            }),
        }
    }
}

/// An earlier action a meeting carried forward or reported on.
#[derive(Serialize)]
pub struct MatterArisingView<'a> {
    pub action: ActionView<'a>,
    /// Where it stood before the meeting.
    pub status_before: ActionStatusView,
    /// What the meeting recorded about it, if anything.
    pub reported_here: Option<ActionHistoryView<'a>>,
}
