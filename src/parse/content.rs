//! The four kinds of content (priorities, meetings, updates, pages), parsed from a source file's
//! front matter into validated types. Markdown bodies are rendered later, once every page's
//! URL is known. Each kind has a module with its type, its front matter as editors write it,
//! and the parsing from one to the other; `check` holds the checks they share.

mod check;
mod governance;
mod indicator;
mod meeting;
mod page;
mod priority;
mod update;

pub use governance::{Action, ActionUpdate};
pub use indicator::{Figures, Indicator, RawFigure};
pub use meeting::{Meeting, MeetingDocument};
pub use page::Page;
pub use priority::Priority;
pub use update::Update;

use crate::diagnostics::Diagnostic;
use crate::diagnostics::Position;
use crate::load::{Section, SourceFile};
use crate::parse::front_matter;
use crate::values::Tag;
use check::FileCheck;

/// A priority slug as written in a meeting or update, checked against the priorities later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriorityRef {
    pub slug: String,
    pub at: Position,
}

/// What every kind shares: where it came from and its Markdown body.
#[derive(Debug, Clone)]
pub struct Common {
    /// Relative to `content/`, e.g. `meetings/hcssg-2020-07-16.md`.
    pub rel_path: String,
    pub slug: String,
    pub title: String,
    pub draft: bool,
    pub tags: Vec<Tag>,
    /// The whole file text, kept for error messages.
    pub text: String,
    pub body_offset: usize,
    pub body_first_line: u32,
}

impl Common {
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }
}

// One per source file, moved a handful of times per build: the size of the largest kind (a
// meeting, with its governance record) costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Item {
    Home(Page),
    Priority(Priority),
    Meeting(Meeting),
    Update(Update),
    Page(Page),
}

impl Item {
    pub fn common(&self) -> &Common {
        match self {
            Item::Home(p) | Item::Page(p) => &p.common,
            Item::Priority(p) => &p.common,
            Item::Meeting(m) => &m.common,
            Item::Update(u) => &u.common,
        }
    }
}

/// Parses one file's front matter into its kind. Every problem found is returned.
pub fn parse(file: &SourceFile) -> Result<Item, Vec<Diagnostic>> {
    let display = file.display_path();
    parse_text(file).map_err(|problems| problems.into_iter().map(|d| d.in_file(&display)).collect())
}

fn parse_text(file: &SourceFile) -> Result<Item, Vec<Diagnostic>> {
    let document = front_matter::split(&file.text).map_err(|d| vec![d])?;
    let mut check = FileCheck::new(file, document);
    let item = match file.section {
        Section::Priorities => {
            priority::parse_priority(check.read()?, &mut check).map(Item::Priority)
        }
        Section::Meetings => meeting::parse_meeting(check.read()?, &mut check).map(Item::Meeting),
        Section::Updates => update::parse_update(check.read()?, &mut check).map(Item::Update),
        Section::Pages => Some(Item::Page(page::parse_page(check.read()?, &mut check))),
        Section::Home => Some(Item::Home(page::parse_page(check.read()?, &mut check))),
    };
    check.finish(item)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::Status;

    fn parse_as(section: Section, rel_path: &str, text: &str) -> Result<Item, Vec<Diagnostic>> {
        parse(&SourceFile {
            rel_path: rel_path.into(),
            section,
            text: text.into(),
        })
    }

    #[test]
    fn parses_a_priority() {
        let text = "---\ntitle: County lines\nnumber: 1\nstatus: on-track\nupdated: 2020-09-17\ntags: [Young People]\n---\nBody\n";
        let Ok(Item::Priority(p)) =
            parse_as(Section::Priorities, "priorities/County Lines.md", text)
        else {
            panic!()
        };
        assert_eq!(p.common.slug, "county-lines");
        assert_eq!(p.status, Status::OnTrack);
        assert_eq!(p.updated.unwrap().to_string(), "2020-09-17");
        assert_eq!(p.common.tags[0].slug, "young-people");
        assert_eq!(p.common.body(), "Body\n");
    }

    #[test]
    fn reports_every_problem_in_a_meeting() {
        let text = "---\ntitle: HCSSG\ndate: 2019-02-30\ntime: \"25:61\"\nstatus: postponed\n---\n";
        let problems = parse_as(Section::Meetings, "meetings/m.md", text).unwrap_err();
        let codes: Vec<(&str, Option<u32>)> = problems.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(
            codes,
            vec![
                ("invalid-date", Some(3)),
                ("invalid-time", Some(4)),
                ("unknown-status", Some(5))
            ]
        );
        assert!(
            problems[0]
                .file
                .as_ref()
                .unwrap()
                .ends_with("content/meetings/m.md")
        );
    }

    #[test]
    fn suggests_the_status_meant() {
        let text = "---\ntitle: T\nnumber: 2\nstatus: on-trak\n---\n";
        let problems = parse_as(Section::Priorities, "priorities/t.md", text).unwrap_err();
        assert_eq!(problems[0].code, "unknown-status");
        assert_eq!((problems[0].line, problems[0].column), (Some(4), Some(9)));
        assert!(
            problems[0]
                .hint
                .as_deref()
                .unwrap()
                .starts_with("did you mean \"on-track\"?")
        );
    }

    #[test]
    fn reports_wrong_type_at_its_line() {
        let text = "---\ntitle: T\nnumber: three\nstatus: on-track\n---\n";
        let problems = parse_as(Section::Priorities, "priorities/t.md", text).unwrap_err();
        assert_eq!(problems[0].code, "wrong-type");
        assert_eq!(problems[0].line, Some(3));
    }

    /// The allowed keys come from serde's own field list of the struct at that level, so they
    /// cannot drift from the structs, and a key mistyped inside a list item is compared with
    /// that item's keys.
    #[test]
    fn lists_the_allowed_keys_of_each_level() {
        let hint = |section: Section, text: &str| {
            let problems = parse_as(section, "x/t.md", text).unwrap_err();
            assert_eq!(problems[0].code, "unknown-key", "{text}");
            problems[0].hint.clone().unwrap()
        };
        assert_eq!(
            hint(Section::Pages, "---\ntitle: T\nsumary: S\n---\n"),
            "did you mean \"summary\"? allowed keys: title, summary, draft"
        );
        assert_eq!(
            hint(
                Section::Updates,
                "---\ntitle: T\ndate: 2020-01-01\npriorites: [x]\n---\n"
            ),
            "did you mean \"priorities\"? allowed keys: title, date, priorities, status_changes, action_updates, tags, draft"
        );
        assert_eq!(
            hint(
                Section::Meetings,
                "---\ntitle: T\ndate: 2020-01-01\nvenu: V\n---\n"
            ),
            "did you mean \"venue\"? allowed keys: title, date, time, venue, chair, status, priorities, tags, agenda, documents, attendance, declarations, minutes, action_updates, draft"
        );
        assert_eq!(
            hint(
                Section::Meetings,
                "---\ntitle: T\ndate: 2020-01-01\nagenda:\n  - title: A\n    presentr: P\n---\n"
            ),
            "did you mean \"presenter\"? allowed keys: title, presenter, priority, decisions, actions"
        );
        assert_eq!(
            hint(
                Section::Meetings,
                "---\ntitle: T\ndate: 2020-01-01\ndocuments:\n  - title: A\n    path: a.pdf\n---\n"
            ),
            "allowed keys: title, file"
        );
        assert_eq!(
            hint(
                Section::Updates,
                "---\ntitle: T\ndate: 2020-01-01\nstatus_changes:\n  - priority: a\n    stauts: at-risk\n---\n"
            ),
            "did you mean \"status\"? allowed keys: priority, status"
        );
        let meeting = |front: &str| format!("---\ntitle: T\ndate: 2020-01-01\n{front}---\n");
        assert_eq!(
            hint(
                Section::Meetings,
                &meeting(
                    "agenda:\n  - title: A\n    actions:\n      - id: A-1\n        action: X\n        owner: O\n        due_date: 2020-02-01\n"
                )
            ),
            "did you mean \"due\"? allowed keys: id, action, owner, due, priority"
        );
        assert_eq!(
            hint(Section::Meetings, &meeting("attendance:\n  presnt: [A]\n")),
            "did you mean \"present\"? allowed keys: present, apologies, in_attendance"
        );
        assert_eq!(
            hint(
                Section::Meetings,
                &meeting("declarations:\n  - name: A\n    itme: 1\n    interest: I\n")
            ),
            "did you mean \"item\"? allowed keys: name, item, interest"
        );
        assert_eq!(
            hint(
                Section::Meetings,
                &meeting("minutes:\n  status: approved\n  approved: x\n")
            ),
            "did you mean \"approved_at\"? allowed keys: status, approved_at"
        );
        assert_eq!(
            hint(
                Section::Updates,
                &meeting("action_updates:\n  - id: A-1\n    status: done\n    notes: N\n")
            ),
            "did you mean \"note\"? allowed keys: id, status, note"
        );
    }

    /// Code, line, column, message and hint of each problem.
    type Problem = (&'static str, Option<u32>, Option<u32>, String, String);

    fn meeting_problems(front: &str) -> Vec<Problem> {
        let text = format!("---\ntitle: T\ndate: 2020-01-01\n{front}---\n");
        parse_as(Section::Meetings, "meetings/m.md", &text)
            .unwrap_err()
            .into_iter()
            .map(|d| {
                (
                    d.code,
                    d.line,
                    d.column,
                    d.message,
                    d.hint.unwrap_or_default(),
                )
            })
            .collect()
    }

    #[test]
    fn reads_the_governance_record_of_a_meeting() {
        let text = "---\ntitle: Board\ndate: 2020-09-17\nattendance:\n  present: [Chair, \" \", Police]\n  apologies: [Health]\ndeclarations:\n  - {name: Cllr A, item: 1, interest: Trustee}\nminutes: {status: approved, approved_at: board-2020-12-10}\nagenda:\n  - title: Prevent\n    priority: radicalisation\n    decisions: [Agreed the report., \"\"]\n    actions:\n      - id: A-2020-09-03\n        action: Circulate the report\n        owner: Prevent Board\n        due: 2020-10-15\naction_updates:\n  - {id: a-2019-1, status: in-progress, note: \" Started \"}\n---\n";
        let Ok(Item::Meeting(m)) = parse_as(Section::Meetings, "meetings/board.md", text) else {
            panic!()
        };
        assert_eq!(m.attendance.present, ["Chair", "Police"]);
        assert_eq!(m.attendance.apologies, ["Health"]);
        assert!(m.attendance.in_attendance.is_empty());
        assert_eq!(m.declarations[0].item, 1);
        let minutes = m.minutes.unwrap();
        assert_eq!(minutes.approved_at.unwrap().slug, "board-2020-12-10");
        let item = &m.agenda[0];
        assert_eq!(item.decisions, ["Agreed the report."]);
        let action = &item.actions[0];
        assert_eq!(action.id.as_str(), "A-2020-09-03");
        assert_eq!((action.id_at.line, action.id_at.column), (15, 13));
        assert_eq!(action.due.unwrap().to_string(), "2020-10-15");
        assert_eq!(action.owner, "Prevent Board");
        let update = &m.action_updates[0];
        assert_eq!(update.id.key(), "a-2019-1");
        assert_eq!(update.status, crate::values::ActionStatus::InProgress);
        assert_eq!(update.note.as_deref(), Some("Started"));
    }

    #[test]
    fn reports_every_problem_in_a_governance_record() {
        let problems = meeting_problems(
            "agenda:\n  - title: A\n    actions:\n      - id: A 1\n        action: \" \"\n        owner: O\n        due: 15/10/2020\ndeclarations:\n  - {name: N, item: 2, interest: I}\nminutes: {status: aproved}\naction_updates:\n  - {id: A-1, status: finished}\n",
        );
        let short: Vec<_> = problems.iter().map(|p| (p.0, p.1, p.2)).collect();
        assert_eq!(
            short,
            [
                ("invalid-action-id", Some(7), Some(13)),
                ("invalid-date", Some(10), Some(14)),
                ("empty-value", Some(8), Some(17)),
                ("declaration-item-out-of-range", Some(12), Some(21)),
                ("unknown-status", Some(13), Some(19)),
                ("unknown-status", Some(15), Some(23)),
            ]
        );
        assert_eq!(problems[0].3, "the action id \"A 1\" contains a space");
        assert_eq!(
            problems[1].4,
            "write 2020-10-15: dates are written YYYY-MM-DD"
        );
        assert_eq!(problems[2].3, "\"action\" has no value");
        assert_eq!(
            problems[3].3,
            "declarations: item 2 is not on the agenda, which has 1 item"
        );
        assert_eq!(problems[4].3, "unknown minutes status \"aproved\"");
        assert_eq!(
            problems[4].4,
            "did you mean \"approved\"? allowed: draft, approved"
        );
        assert_eq!(
            problems[5].4,
            "did you mean \"done\"? allowed: open, in-progress, done, dropped"
        );
    }

    #[test]
    fn approved_minutes_name_the_meeting_that_approved_them() {
        let missing = meeting_problems("minutes:\n  status: approved\n");
        assert_eq!(missing[0].0, "invalid-approval");
        assert_eq!((missing[0].1, missing[0].2), (Some(5), Some(11)));
        assert_eq!(
            missing[0].3,
            "minutes: approved minutes must say which meeting approved them"
        );
        let draft = meeting_problems("minutes:\n  status: draft\n  approved_at: m2\n");
        assert_eq!(
            (draft[0].0, draft[0].1, draft[0].3.as_str()),
            (
                "invalid-approval",
                Some(6),
                "minutes: `approved_at` is given, but the minutes are `status: draft`"
            )
        );
    }
}
