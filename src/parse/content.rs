//! The four kinds of content (priorities, meetings, updates, pages), parsed from a source file's
//! front matter into validated types. Markdown bodies are rendered later, once every page's
//! URL is known. Each kind has a module with its type, its front matter as editors write it,
//! and the parsing from one to the other; `check` holds the checks they share.

mod check;
mod meeting;
mod page;
mod priority;
mod update;

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
            "did you mean \"priorities\"? allowed keys: title, date, priorities, status_changes, tags, draft"
        );
        assert_eq!(
            hint(
                Section::Meetings,
                "---\ntitle: T\ndate: 2020-01-01\nvenu: V\n---\n"
            ),
            "did you mean \"venue\"? allowed keys: title, date, time, venue, chair, status, priorities, tags, agenda, documents, draft"
        );
        assert_eq!(
            hint(
                Section::Meetings,
                "---\ntitle: T\ndate: 2020-01-01\nagenda:\n  - title: A\n    presentr: P\n---\n"
            ),
            "did you mean \"presenter\"? allowed keys: title, presenter, priority"
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
    }
}
