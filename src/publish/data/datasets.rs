//! The datasets `/data/` publishes, each described once and made from the `Site`: what each
//! field means, and the record of each published item. Drafts are never in the `Site`, so never
//! here. A new dataset is one more `Dataset` in [`DATASETS`] (and its `Kind::Ref`s, if other
//! datasets refer to it).
//!
//! Every list is in one order that does not depend on the day: priorities by number, meetings
//! and updates oldest first, decisions and actions in the order meetings agreed them, and what
//! each record lists in the order its file gives.

use std::borrow::Cow;
use std::collections::HashMap;

use super::schema::{Child, Dataset, Field, Kind, Link};
use super::write::{Record, Value};
use crate::html::urls::encode_uri;
use crate::model::governance::{ActionEntry, MinutesState, Source};
use crate::model::{MeetingEntry, Site};
use crate::parse::content::ActionUpdate;
use crate::values::{ActionStatus, Better, MeetingStatus, Status};

/// Every dataset, in the order `/data/` and `datapackage.json` list them.
pub static DATASETS: [&Dataset; 6] = [
    &PRIORITIES,
    &MEETINGS,
    &UPDATES,
    &DECISIONS,
    &ACTIONS,
    &INDICATORS,
];

const fn field(name: &'static str, kind: Kind, description: &'static str) -> Field {
    Field {
        name,
        kind,
        optional: false,
        description,
    }
}

const fn optional(name: &'static str, kind: Kind, description: &'static str) -> Field {
    Field {
        name,
        kind,
        optional: true,
        description,
    }
}

const ID: &str = "The address of its page on this website, which never changes while the page exists: use it to tell records apart and to link them.";
const SLUG: &str = "The last part of its address, made from its file name.";
const TAGS: &str = "The topics it is tagged with. In CSV files, the tags' short names (as in their pages' addresses), separated by spaces.";
const ACTION_STATUS: &str = "Where the action stands: open, in-progress, done or dropped.";

static AGENDA_ITEM_OF_MEETING: &[Link] = &[Link {
    fields: &["meeting", "item"],
    table: "agenda-items",
    reference: &["meeting", "item"],
}];

static REPORTED: &[Field] = &[
    field("action", Kind::Ref("actions"), "The action reported on."),
    field("status", Kind::Word(ActionStatus::WORDS), ACTION_STATUS),
    optional("note", Kind::Text, "What was reported, as written."),
];

pub static PRIORITIES: Dataset = Dataset {
    name: "priorities",
    title: "Priorities",
    description: "The partnership's priorities: what each aims to do, who leads it and how it is progressing.",
    fields: &[
        field("id", Kind::Url, ID),
        field("slug", Kind::Text, SLUG),
        field(
            "number",
            Kind::Integer,
            "Its number in the partnership's plan.",
        ),
        field("title", Kind::Text, "Its name."),
        optional(
            "short_title",
            Kind::Text,
            "A shorter name, used where space is tight.",
        ),
        field(
            "status",
            Kind::Word(Status::WORDS),
            "How it is progressing: not-started, on-track, at-risk, off-track or complete.",
        ),
        optional("lead", Kind::Text, "Who leads it."),
        optional("updated", Kind::Date, "When its status was last reviewed."),
        optional("summary", Kind::Text, "What it aims to do, in a sentence."),
        field("tags", Kind::Tags, TAGS),
        field(
            "open_actions",
            Kind::Integer,
            "How many actions agreed for it are neither done nor dropped.",
        ),
        field(
            "overdue_actions",
            Kind::Integer,
            "How many of those were due before the site was published.",
        ),
        field(
            "status_history",
            Kind::Rows {
                fields: &[
                    field(
                        "date",
                        Kind::Date,
                        "The date of the update that recorded it.",
                    ),
                    field("status", Kind::Word(Status::WORDS), "The new status."),
                    field(
                        "update",
                        Kind::Ref("updates"),
                        "The update that recorded it.",
                    ),
                ],
                table: None,
            },
            "Each change of its status, oldest first (in CSV files: status-changes.csv).",
        ),
    ],
    key: &["id"],
    links: &[],
    records: priorities,
};

pub static MEETINGS: Dataset = Dataset {
    name: "meetings",
    title: "Meetings",
    description: "The partnership's meetings, past and to come: when and where, the agenda, who attended, what was decided and the papers.",
    fields: &[
        field("id", Kind::Url, ID),
        field("slug", Kind::Text, SLUG),
        field("title", Kind::Text, "The meeting's name."),
        field("date", Kind::Date, "The day it is or was held."),
        optional(
            "time",
            Kind::Time,
            "When it starts, on the 24-hour clock, in the time zone given by timezone.",
        ),
        field(
            "timezone",
            Kind::Text,
            "The time zone of its time, as an IANA name such as Europe/London.",
        ),
        optional("venue", Kind::Text, "Where it is held."),
        optional("chair", Kind::Text, "Who chairs it."),
        field(
            "status",
            Kind::Word(MeetingStatus::WORDS),
            "scheduled (still to come), held or cancelled.",
        ),
        field(
            "minutes",
            Kind::Word(&["not-held", "not-recorded", "draft", "approved"]),
            "The state of its minutes: not-held (no meeting, no minutes), not-recorded (the site does not say), draft, or approved as a correct record.",
        ),
        optional(
            "minutes_approved_at",
            Kind::Ref("meetings"),
            "The meeting that approved the minutes, when they are approved.",
        ),
        field("tags", Kind::Tags, TAGS),
        field(
            "priorities",
            Kind::Refs {
                to: "priorities",
                column: "priority",
                table: Some(Child {
                    name: "meeting-priorities",
                    title: "Priorities discussed at meetings",
                    description: "Which priorities each meeting discussed, one row for each meeting and priority.",
                    parent: "meeting",
                    key: &[],
                    links: &[],
                }),
            },
            "The priorities it discussed.",
        ),
        field(
            "agenda",
            Kind::Rows {
                fields: &[
                    field(
                        "item",
                        Kind::Integer,
                        "Its number on the agenda, counting from 1.",
                    ),
                    field("title", Kind::Text, "What the item is about."),
                    optional("presenter", Kind::Text, "Who presents it."),
                    optional(
                        "priority",
                        Kind::Ref("priorities"),
                        "The priority it concerns.",
                    ),
                    field(
                        "decisions",
                        Kind::Texts,
                        "What the meeting decided on it, as the minutes word it (in CSV files: decisions.csv).",
                    ),
                    field(
                        "actions",
                        Kind::Refs {
                            to: "actions",
                            column: "action",
                            table: None,
                        },
                        "The actions it agreed (in CSV files: actions.csv).",
                    ),
                ],
                table: Some(Child {
                    name: "agenda-items",
                    title: "Agenda items",
                    description: "Each item on each meeting's agenda, in agenda order.",
                    parent: "meeting",
                    key: &["item"],
                    links: &[],
                }),
            },
            "Its agenda, in order.",
        ),
        field(
            "attendance",
            Kind::Rows {
                fields: &[
                    field(
                        "name",
                        Kind::Text,
                        "The person or organisation, as the minutes name them.",
                    ),
                    field(
                        "role",
                        Kind::Word(&["present", "apologies", "in-attendance"]),
                        "present (a member who attended), apologies (a member who sent apologies) or in-attendance (an officer or guest).",
                    ),
                ],
                table: Some(Child {
                    name: "attendance",
                    title: "Attendance",
                    description: "Who attended each meeting, who sent apologies and who else was in attendance, as the minutes record them.",
                    parent: "meeting",
                    key: &[],
                    links: &[],
                }),
            },
            "Who attended, as the minutes record it.",
        ),
        field(
            "declarations",
            Kind::Rows {
                fields: &[
                    field("item", Kind::Integer, "The agenda item it was declared on."),
                    field("name", Kind::Text, "Who declared it."),
                    field("interest", Kind::Text, "The interest declared."),
                ],
                table: Some(Child {
                    name: "declarations",
                    title: "Declarations of interest",
                    description: "Interests declared at each meeting, with the agenda item each was declared on.",
                    parent: "meeting",
                    key: &[],
                    links: AGENDA_ITEM_OF_MEETING,
                }),
            },
            "Declarations of interest.",
        ),
        field(
            "documents",
            Kind::Rows {
                fields: &[
                    field("title", Kind::Text, "The document's title."),
                    field("url", Kind::Url, "Where to download it."),
                    field("format", Kind::Text, "Its file type, such as PDF."),
                    optional("bytes", Kind::Integer, "Its size in bytes."),
                ],
                table: Some(Child {
                    name: "documents",
                    title: "Meeting papers",
                    description: "The papers published with each meeting, with where to download them.",
                    parent: "meeting",
                    key: &[],
                    links: &[],
                }),
            },
            "Its papers.",
        ),
        field(
            "action_updates",
            Kind::Rows {
                fields: REPORTED,
                table: None,
            },
            "Progress reported at the meeting on earlier actions (in CSV files: action-updates.csv).",
        ),
    ],
    key: &["id"],
    links: &[],
    records: meetings,
};

pub static UPDATES: Dataset = Dataset {
    name: "updates",
    title: "Updates",
    description: "News about the partnership's work, with the changes of priorities' status and the progress on actions each reports.",
    fields: &[
        field("id", Kind::Url, ID),
        field("slug", Kind::Text, SLUG),
        field("title", Kind::Text, "Its headline."),
        field("date", Kind::Date, "When it was published."),
        field("tags", Kind::Tags, TAGS),
        field(
            "priorities",
            Kind::Refs {
                to: "priorities",
                column: "priority",
                table: Some(Child {
                    name: "update-priorities",
                    title: "Priorities in updates",
                    description: "Which priorities each update is about, one row for each update and priority.",
                    parent: "update",
                    key: &[],
                    links: &[],
                }),
            },
            "The priorities it is about.",
        ),
        field(
            "status_changes",
            Kind::Rows {
                fields: &[
                    field(
                        "priority",
                        Kind::Ref("priorities"),
                        "The priority whose status changed.",
                    ),
                    field(
                        "status",
                        Kind::Word(Status::WORDS),
                        "Its new status: not-started, on-track, at-risk, off-track or complete.",
                    ),
                ],
                table: Some(Child {
                    name: "status-changes",
                    title: "Changes of status",
                    description: "Each change of a priority's status, with the update that recorded it: the history of how each priority has progressed.",
                    parent: "update",
                    key: &[],
                    links: &[],
                }),
            },
            "The changes of status it records.",
        ),
        field(
            "action_updates",
            Kind::Rows {
                fields: REPORTED,
                table: None,
            },
            "Progress it reports on actions (in CSV files: action-updates.csv).",
        ),
    ],
    key: &["id"],
    links: &[],
    records: updates,
};

pub static DECISIONS: Dataset = Dataset {
    name: "decisions",
    title: "Decisions",
    description: "Every decision the partnership's meetings recorded, as the minutes word it, with the meeting and agenda item.",
    fields: &[
        field(
            "meeting",
            Kind::Ref("meetings"),
            "The meeting that decided it.",
        ),
        field("date", Kind::Date, "The date of that meeting."),
        field("item", Kind::Integer, "The agenda item it was decided on."),
        field(
            "number",
            Kind::Integer,
            "Its place among that item's decisions, counting from 1.",
        ),
        field(
            "decision",
            Kind::Text,
            "What was decided, as the minutes word it.",
        ),
        optional(
            "priority",
            Kind::Ref("priorities"),
            "The priority the agenda item concerns.",
        ),
    ],
    key: &["meeting", "item", "number"],
    links: AGENDA_ITEM_OF_MEETING,
    records: decisions,
};

pub static ACTIONS: Dataset = Dataset {
    name: "actions",
    title: "Actions",
    description: "The action register: everything meetings asked someone to do, who owns it, when it is due, where it stands and every update on it.",
    fields: &[
        field("id", Kind::Url, ID),
        field(
            "reference",
            Kind::Text,
            "The action's reference as the minutes give it, such as A-2020-09-03.",
        ),
        field("action", Kind::Text, "What is to be done."),
        field("owner", Kind::Text, "Who is to do it."),
        optional("due", Kind::Date, "When it is due."),
        field(
            "meeting",
            Kind::Ref("meetings"),
            "The meeting that agreed it.",
        ),
        field("item", Kind::Integer, "The agenda item it was agreed on."),
        optional(
            "priority",
            Kind::Ref("priorities"),
            "The priority it serves: its own, or its agenda item's.",
        ),
        field(
            "status",
            Kind::Word(ActionStatus::WORDS),
            "Where it stands now, from its latest update: open, in-progress, done or dropped.",
        ),
        field(
            "overdue",
            Kind::Boolean,
            "true when it was due before the site was published and is neither done nor dropped.",
        ),
        field(
            "history",
            Kind::Rows {
                fields: &[
                    field(
                        "number",
                        Kind::Integer,
                        "Its place in the action's history, counting from 1.",
                    ),
                    field(
                        "date",
                        Kind::Date,
                        "The date of the meeting or update that reported it.",
                    ),
                    field("status", Kind::Word(ActionStatus::WORDS), ACTION_STATUS),
                    optional("note", Kind::Text, "What was reported, as written."),
                    optional(
                        "meeting",
                        Kind::Ref("meetings"),
                        "The meeting that reported it, if a meeting did.",
                    ),
                    optional(
                        "update",
                        Kind::Ref("updates"),
                        "The update that reported it, if an update did.",
                    ),
                ],
                table: Some(Child {
                    name: "action-updates",
                    title: "Updates on actions",
                    description: "Every update on every action, oldest first: the history of each action.",
                    parent: "action",
                    key: &["number"],
                    links: &[],
                }),
            },
            "Every update on it, oldest first.",
        ),
    ],
    key: &["id"],
    links: AGENDA_ITEM_OF_MEETING,
    records: actions,
};

pub static INDICATORS: Dataset = Dataset {
    name: "indicators",
    title: "Indicators",
    description: "What the partnership measures for each priority, which way is better, the target and every figure, as the charts on the priorities' pages show them.",
    fields: &[
        field(
            "id",
            Kind::Url,
            "The address of the indicator on its priority's page (the page's address and #indicator- with its short name).",
        ),
        field(
            "indicator",
            Kind::Text,
            "Its short name, unique within its priority, such as knife-crime-offences.",
        ),
        field(
            "priority",
            Kind::Ref("priorities"),
            "The priority it measures.",
        ),
        field("title", Kind::Text, "What is measured."),
        optional(
            "unit",
            Kind::Text,
            "The unit of its figures, such as offences, % or £m.",
        ),
        field(
            "better",
            Kind::Word(Better::WORDS),
            "Which way is good news: lower or higher.",
        ),
        optional(
            "target",
            Kind::Number,
            "The figure the partnership aims for.",
        ),
        field("source", Kind::Text, "Where the figures come from."),
        field(
            "csv",
            Kind::Url,
            "Its figures alone as a CSV file, as the \"Download the data\" link gives them.",
        ),
        field(
            "values",
            Kind::Rows {
                fields: &[
                    field(
                        "period",
                        Kind::Text,
                        "The period the figure is for: a year (2020), a quarter (2020-Q3), a month (2020-07) or a day (2020-07-14).",
                    ),
                    field("end", Kind::Date, "The last day of the period."),
                    field(
                        "value",
                        Kind::Number,
                        "The figure, in the indicator's unit.",
                    ),
                    optional("note", Kind::Text, "A note on the figure, as written."),
                ],
                table: Some(Child {
                    name: "indicator-values",
                    title: "Indicator figures",
                    description: "Every figure of every indicator, oldest first within each.",
                    parent: "indicator",
                    key: &["period"],
                    links: &[],
                }),
            },
            "Its figures, oldest first.",
        ),
    ],
    key: &["id"],
    links: &[],
    records: indicators,
};

fn indicators(site: &Site) -> Vec<Record<'_>> {
    site.priorities
        .iter()
        .flat_map(|entry| {
            entry.indicators.iter().map(move |indicator| {
                let i = &indicator.indicator;
                let values = indicator
                    .figures
                    .iter()
                    .map(|figure| {
                        Record::new(vec![
                            ("period", Value::Text(Cow::Owned(figure.period.to_string()))),
                            ("end", Value::Date(figure.period.end())),
                            ("value", Value::Number(figure.value)),
                            ("note", Value::optional_text(figure.note.as_deref())),
                        ])
                    })
                    .collect();
                let id = format!(
                    "{}#indicator-{}",
                    address(site, &entry.page.site_path),
                    i.id
                );
                Record::new(vec![
                    ("id", Value::Text(Cow::Owned(id))),
                    ("indicator", Value::text(i.id.as_str())),
                    ("priority", url(site, &entry.page.site_path)),
                    ("title", Value::text(i.title.as_str())),
                    ("unit", Value::optional_text(i.unit.as_deref())),
                    ("better", Value::text(i.better.as_str())),
                    ("target", i.target.map_or(Value::Null, Value::Number)),
                    ("source", Value::text(i.source.as_str())),
                    ("csv", url(site, &indicator.csv_path)),
                    ("values", Value::Rows(values)),
                ])
            })
        })
        .collect()
}

/// The absolute, percent-encoded address of a site path.
fn address(site: &Site, site_path: &str) -> String {
    encode_uri(&site.config.base_url.absolute_url(site_path))
}

fn url<'a>(site: &Site, site_path: &str) -> Value<'a> {
    Value::Text(Cow::Owned(address(site, site_path)))
}

/// The address of each priority, by slug: meetings and updates refer to priorities by slug.
struct Priorities<'s>(HashMap<&'s str, String>);

impl<'s> Priorities<'s> {
    fn of(site: &'s Site) -> Priorities<'s> {
        Priorities(
            site.priorities
                .iter()
                .map(|p| {
                    (
                        p.page.item.common.slug.as_str(),
                        address(site, &p.page.site_path),
                    )
                })
                .collect(),
        )
    }

    /// The address of priority `slug`, if the site has it.
    fn url<'a>(&self, slug: Option<&str>) -> Value<'a> {
        match slug.and_then(|slug| self.0.get(slug)) {
            Some(url) => Value::Text(Cow::Owned(url.clone())),
            None => Value::Null,
        }
    }

    /// The addresses of the priorities among `slugs` the site has.
    fn urls<'a, 'r>(&self, slugs: impl Iterator<Item = &'r str>) -> Value<'a> {
        let urls = slugs.filter_map(|slug| self.0.get(slug));
        Value::List(urls.map(|url| Cow::Owned(url.clone())).collect())
    }
}

fn action_url(site: &Site, action: &ActionEntry) -> String {
    address(site, &crate::routes::action(action.action.id.key()))
}

fn priorities(site: &Site) -> Vec<Record<'_>> {
    site.priorities
        .iter()
        .map(|entry| {
            let p = &entry.page.item;
            let history = entry
                .status_history
                .iter()
                .map(|change| {
                    Record::new(vec![
                        ("date", Value::Date(change.date)),
                        ("status", Value::text(change.status.as_str())),
                        ("update", update_url(site, &change.update_url)),
                    ])
                })
                .collect();
            Record::new(vec![
                ("id", url(site, &entry.page.site_path)),
                ("slug", Value::text(p.common.slug.as_str())),
                ("number", Value::Integer(i64::from(p.number))),
                ("title", Value::text(p.common.title.as_str())),
                (
                    "short_title",
                    Value::optional_text(p.short_title.as_deref()),
                ),
                ("status", Value::text(p.status.as_str())),
                ("lead", Value::optional_text(p.lead.as_deref())),
                ("updated", Value::optional_date(p.updated)),
                ("summary", Value::optional_text(p.summary.as_deref())),
                ("tags", Value::Tags(&p.common.tags)),
                ("open_actions", Value::count(entry.open_actions)),
                ("overdue_actions", Value::count(entry.overdue_actions)),
                ("status_history", Value::Rows(history)),
            ])
        })
        .collect()
}

/// An update's absolute address from its public path (`/base/updates/x/`).
fn update_url<'a>(site: &Site, public_path: &str) -> Value<'a> {
    let origin = site.config.base_url.origin();
    Value::Text(Cow::Owned(encode_uri(&format!("{origin}{public_path}"))))
}

fn minutes_word(minutes: MinutesState) -> &'static str {
    match minutes {
        MinutesState::NotHeld => "not-held",
        MinutesState::NotRecorded => "not-recorded",
        MinutesState::Draft => "draft",
        MinutesState::Approved { .. } => "approved",
    }
}

fn meetings(site: &Site) -> Vec<Record<'_>> {
    let priorities = Priorities::of(site);
    let origin = site.config.base_url.origin();
    let timezone = site.config.timezone.name();
    site.meetings
        .iter()
        .map(|entry| {
            let m = &entry.page.item;
            let approved_at = match entry.minutes {
                MinutesState::Approved { at } => url(site, &site.meetings[at].page.site_path),
                _ => Value::Null,
            };
            let agenda = m
                .agenda
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let actions = item
                        .actions
                        .iter()
                        .filter_map(|a| site.action_index.get(a.id.key()))
                        .map(|&a| Cow::Owned(action_url(site, &site.actions[a])))
                        .collect();
                    Record::new(vec![
                        ("item", Value::count(i + 1)),
                        ("title", Value::text(item.title.as_str())),
                        ("presenter", Value::optional_text(item.presenter.as_deref())),
                        (
                            "priority",
                            priorities.url(item.priority.as_ref().map(|p| p.slug.as_str())),
                        ),
                        (
                            "decisions",
                            Value::List(
                                item.decisions
                                    .iter()
                                    .map(|d| Cow::Borrowed(d.as_str()))
                                    .collect(),
                            ),
                        ),
                        ("actions", Value::List(actions)),
                    ])
                })
                .collect();
            let attendance = [
                ("present", &m.attendance.present),
                ("apologies", &m.attendance.apologies),
                ("in-attendance", &m.attendance.in_attendance),
            ]
            .into_iter()
            .flat_map(|(role, names)| {
                names.iter().map(move |name| {
                    Record::new(vec![
                        ("name", Value::text(name.as_str())),
                        ("role", Value::text(role)),
                    ])
                })
            })
            .collect();
            let declarations = m
                .declarations
                .iter()
                .map(|d| {
                    Record::new(vec![
                        ("item", Value::count(d.item)),
                        ("name", Value::text(d.name.as_str())),
                        ("interest", Value::text(d.interest.as_str())),
                    ])
                })
                .collect();
            let documents = entry
                .documents
                .iter()
                .map(|d| {
                    Record::new(vec![
                        ("title", Value::text(d.title.as_str())),
                        (
                            "url",
                            Value::text(encode_uri(&format!("{origin}{}", d.url))),
                        ),
                        ("format", Value::text(d.file_type.as_str())),
                        (
                            "bytes",
                            d.size.map_or(Value::Null, |s| {
                                Value::Integer(i64::try_from(s).unwrap_or(i64::MAX))
                            }),
                        ),
                    ])
                })
                .collect();
            let discussed = priorities.urls(m.priorities.iter().map(|p| p.slug.as_str()));
            Record::new(vec![
                ("id", url(site, &entry.page.site_path)),
                ("slug", Value::text(m.common.slug.as_str())),
                ("title", Value::text(m.common.title.as_str())),
                ("date", Value::Date(m.date)),
                ("time", m.time.map_or(Value::Null, Value::Time)),
                ("timezone", Value::text(timezone)),
                ("venue", Value::optional_text(m.venue.as_deref())),
                ("chair", Value::optional_text(m.chair.as_deref())),
                ("status", Value::text(entry.status.as_str())),
                ("minutes", Value::text(minutes_word(entry.minutes))),
                ("minutes_approved_at", approved_at),
                ("tags", Value::Tags(&m.common.tags)),
                ("priorities", discussed),
                ("agenda", Value::Rows(agenda)),
                ("attendance", Value::Rows(attendance)),
                ("declarations", Value::Rows(declarations)),
                ("documents", Value::Rows(documents)),
                ("action_updates", reported(site, &m.action_updates)),
            ])
        })
        .collect()
}

/// Progress reported by a meeting or update, on actions the register has.
fn reported<'a>(site: &'a Site, updates: &'a [ActionUpdate]) -> Value<'a> {
    let rows = updates
        .iter()
        .filter_map(|u| {
            let &i = site.action_index.get(u.id.key())?;
            Some(Record::new(vec![
                ("action", Value::text(action_url(site, &site.actions[i]))),
                ("status", Value::text(u.status.as_str())),
                ("note", Value::optional_text(u.note.as_deref())),
            ]))
        })
        .collect();
    Value::Rows(rows)
}

fn updates(site: &Site) -> Vec<Record<'_>> {
    let priorities = Priorities::of(site);
    let mut updates: Vec<_> = site.updates.iter().collect();
    updates.sort_by(|a, b| {
        (a.item.date, &a.item.common.slug).cmp(&(b.item.date, &b.item.common.slug))
    });
    updates
        .into_iter()
        .map(|update| {
            let u = &update.item;
            let changes = u
                .status_changes
                .iter()
                .map(|c| (priorities.url(Some(&c.priority.slug)), c.status))
                .filter(|(priority, _)| !matches!(priority, Value::Null))
                .map(|(priority, status)| {
                    Record::new(vec![
                        ("priority", priority),
                        ("status", Value::text(status.as_str())),
                    ])
                })
                .collect();
            Record::new(vec![
                ("id", url(site, &update.site_path)),
                ("slug", Value::text(u.common.slug.as_str())),
                ("title", Value::text(u.common.title.as_str())),
                ("date", Value::Date(u.date)),
                ("tags", Value::Tags(&u.common.tags)),
                (
                    "priorities",
                    priorities.urls(u.priorities.iter().map(|p| p.slug.as_str())),
                ),
                ("status_changes", Value::Rows(changes)),
                ("action_updates", reported(site, &u.action_updates)),
            ])
        })
        .collect()
}

fn decisions(site: &Site) -> Vec<Record<'_>> {
    let priorities = Priorities::of(site);
    let mut records = Vec::new();
    for entry in &site.meetings {
        let m = &entry.page.item;
        for (i, item) in m.agenda.iter().enumerate() {
            for (n, decision) in item.decisions.iter().enumerate() {
                records.push(Record::new(vec![
                    ("meeting", url(site, &entry.page.site_path)),
                    ("date", Value::Date(m.date)),
                    ("item", Value::count(i + 1)),
                    ("number", Value::count(n + 1)),
                    ("decision", Value::text(decision.as_str())),
                    (
                        "priority",
                        priorities.url(item.priority.as_ref().map(|p| p.slug.as_str())),
                    ),
                ]));
            }
        }
    }
    records
}

fn actions(site: &Site) -> Vec<Record<'_>> {
    let priorities = Priorities::of(site);
    let mut actions: Vec<&ActionEntry> = site.actions.iter().collect();
    actions.sort_by_key(|a| a.order);
    let source_url = |source: Source, wanted_meeting: bool| -> Value<'_> {
        match (source, wanted_meeting) {
            (Source::Meeting(m), true) => url(site, &site.meetings[m].page.site_path),
            (Source::Update(u), false) => url(site, &site.updates[u].site_path),
            _ => Value::Null,
        }
    };
    actions
        .into_iter()
        .map(|entry| {
            let a = &entry.action;
            let meeting: &MeetingEntry = &site.meetings[entry.meeting];
            let history = entry
                .history
                .iter()
                .enumerate()
                .map(|(n, h)| {
                    Record::new(vec![
                        ("number", Value::count(n + 1)),
                        ("date", Value::Date(h.date)),
                        ("status", Value::text(h.status.as_str())),
                        ("note", Value::optional_text(h.note.as_deref())),
                        ("meeting", source_url(h.source, true)),
                        ("update", source_url(h.source, false)),
                    ])
                })
                .collect();
            Record::new(vec![
                ("id", Value::text(action_url(site, entry))),
                ("reference", Value::text(a.id.as_str())),
                ("action", Value::text(a.action.as_str())),
                ("owner", Value::text(a.owner.as_str())),
                ("due", Value::optional_date(a.due)),
                ("meeting", url(site, &meeting.page.site_path)),
                ("item", Value::count(entry.item + 1)),
                ("priority", priorities.url(entry.priority.as_deref())),
                ("status", Value::text(entry.status.as_str())),
                ("overdue", Value::Boolean(entry.overdue)),
                ("history", Value::Rows(history)),
            ])
        })
        .collect()
}
