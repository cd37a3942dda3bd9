//! The four kinds of content (priorities, meetings, updates, pages), parsed from a source file's
//! front matter into validated types. Markdown bodies are rendered later, once every page's
//! URL is known.

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diagnostics::Diagnostic;
use crate::diagnostics::Position;
use crate::load::{Section, SourceFile};
use crate::parse::front_matter::{self, Document};
use crate::values::{Date, MeetingStatus, Status, Tag, Time, slugify};

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
pub struct Priority {
    pub common: Common,
    pub short_title: Option<String>,
    pub number: u32,
    pub number_at: Position,
    pub status: Status,
    pub lead: Option<String>,
    pub updated: Option<Date>,
    pub updated_at: Position,
    pub summary: Option<String>,
}

#[derive(Debug, Clone)]
pub struct AgendaItem {
    pub title: String,
    pub presenter: Option<String>,
    pub priority: Option<PriorityRef>,
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
    pub time: Option<Time>,
    pub venue: Option<String>,
    pub chair: Option<String>,
    /// As written; `None` means "work it out from the date".
    pub status: Option<MeetingStatus>,
    pub status_at: Position,
    pub priorities: Vec<PriorityRef>,
    pub agenda: Vec<AgendaItem>,
    pub documents: Vec<MeetingDocument>,
}

impl Meeting {
    /// A document's file as a path relative to `content/`, or `None` if it climbs out of it.
    pub fn document_path(&self, document: &MeetingDocument) -> Option<String> {
        let rel_path = &self.common.rel_path;
        let folder = rel_path.rfind('/').map_or("", |i| &rel_path[..=i]);
        crate::routes::normalise(&format!("{folder}{}", document.file.trim()))
    }
}

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
}

/// A free page (`content/pages/*.md`) or the home intro (`content/_index.md`).
#[derive(Debug, Clone)]
pub struct Page {
    pub common: Common,
    pub summary: Option<String>,
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

// ---- Raw front matter, exactly as editors write it -------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPriority {
    title: Spanned<String>,
    short_title: Option<String>,
    number: Spanned<u32>,
    status: Spanned<String>,
    lead: Option<String>,
    updated: Option<Spanned<String>>,
    summary: Option<String>,
    #[serde(default)]
    tags: Vec<Spanned<String>>,
    #[serde(default)]
    draft: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgendaItem {
    title: String,
    presenter: Option<String>,
    priority: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDocument {
    title: String,
    file: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeeting {
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
    #[serde(default)]
    draft: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStatusChange {
    priority: Spanned<String>,
    status: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUpdate {
    title: Spanned<String>,
    date: Spanned<String>,
    #[serde(default)]
    priorities: Vec<Spanned<String>>,
    #[serde(default)]
    status_changes: Vec<RawStatusChange>,
    #[serde(default)]
    tags: Vec<Spanned<String>>,
    #[serde(default)]
    draft: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    title: Spanned<String>,
    summary: Option<String>,
    #[serde(default)]
    draft: bool,
}

// ---- Parsing ------------------------------------------------------------------------------------

/// Collects every problem in one file's front matter rather than stopping at the first.
struct FileCheck<'a> {
    text: &'a str,
    yaml_first_line: u32,
    problems: Vec<Diagnostic>,
}

impl<'a> FileCheck<'a> {
    fn position<T>(&self, spanned: &Spanned<T>) -> Position {
        Position {
            line: self.yaml_first_line + spanned.referenced.line().max(1) as u32 - 1,
            column: spanned.referenced.column().max(1) as u32,
        }
    }

    fn problem(&mut self, at: Position, code: &'static str, message: String, hint: String) {
        self.problems.push(
            Diagnostic::error(code, message)
                .at(self.text, at.line, at.column)
                .with_hint(hint),
        );
    }

    fn date(&mut self, field: &str, value: &Spanned<String>) -> Option<Date> {
        Date::parse(value.value.trim())
            .map_err(|message| {
                let at = self.position(value);
                self.problem(
                    at,
                    "invalid-date",
                    format!("{field}: {message}"),
                    "write dates as YYYY-MM-DD, e.g. 2020-09-17".into(),
                );
            })
            .ok()
    }

    fn time(&mut self, value: &Spanned<String>) -> Option<Time> {
        Time::parse(value.value.trim())
            .map_err(|message| {
                let at = self.position(value);
                self.problem(
                    at,
                    "invalid-time",
                    format!("time: {message}"),
                    "write times as \"HH:MM\" in quotes, e.g. time: \"14:00\"".into(),
                );
            })
            .ok()
    }

    fn status(&mut self, value: &Spanned<String>) -> Option<Status> {
        self.keyword(value, "status", Status::parse, Status::WORDS)
    }

    fn meeting_status(&mut self, value: &Spanned<String>) -> Option<MeetingStatus> {
        self.keyword(
            value,
            "meeting status",
            MeetingStatus::parse,
            MeetingStatus::WORDS,
        )
    }

    /// One of a closed set of words, with the closest suggested when it is mistyped.
    fn keyword<T>(
        &mut self,
        value: &Spanned<String>,
        what: &str,
        parse: fn(&str) -> Option<T>,
        words: &[&str],
    ) -> Option<T> {
        let parsed = parse(&value.value);
        if parsed.is_none() {
            let at = self.position(value);
            self.problem(
                at,
                "unknown-status",
                format!("unknown {what} \"{}\"", value.value),
                suggestion(&value.value, words),
            );
        }
        parsed
    }

    fn tags(&mut self, values: &[Spanned<String>]) -> Vec<Tag> {
        let mut tags: Vec<Tag> = Vec::new();
        for value in values {
            match Tag::parse(&value.value) {
                Ok(tag) if tags.iter().all(|t| t.slug != tag.slug) => tags.push(tag),
                Ok(_) => {}
                Err(message) => {
                    let at = self.position(value);
                    self.problem(
                        at,
                        "invalid-tag",
                        message,
                        "use words, e.g. `tags: [county lines, young people]`".into(),
                    );
                }
            }
        }
        tags
    }

    /// Titles are headings and link texts: a blank one would leave a page without a name.
    fn title(&mut self, value: &Spanned<String>) -> String {
        let title = value.value.trim().to_string();
        if title.is_empty() {
            let at = self.position(value);
            self.problem(
                at,
                "empty-title",
                "the title is empty".to_string(),
                "write the page's name after `title:`, e.g. title: County lines".into(),
            );
        }
        title
    }

    fn priority_ref(&self, value: &Spanned<String>) -> PriorityRef {
        PriorityRef {
            slug: value.value.trim().to_string(),
            at: self.position(value),
        }
    }
}

/// Optional text left blank (`lead: ""`) means the same as leaving the key out.
fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

/// Checks an optional field: `Some(None)` when absent, `None` when present but invalid.
fn optional<T>(
    value: Option<&Spanned<String>>,
    check: impl FnOnce(&Spanned<String>) -> Option<T>,
) -> Option<Option<T>> {
    match value {
        None => Some(None),
        Some(value) => check(value).map(Some),
    }
}

fn suggestion(word: &str, allowed: &[&str]) -> String {
    let list = format!("allowed: {}", allowed.join(", "));
    match crate::diagnostics::did_you_mean(word, allowed.iter().copied()) {
        Some(close) => format!("did you mean \"{close}\"? {list}"),
        None => list,
    }
}

/// Parses one file's front matter into its kind. Every problem found is returned.
pub fn parse(file: &SourceFile) -> Result<Item, Vec<Diagnostic>> {
    let display = file.display_path();
    parse_text(file).map_err(|problems| problems.into_iter().map(|d| d.in_file(&display)).collect())
}

fn parse_text(file: &SourceFile) -> Result<Item, Vec<Diagnostic>> {
    let text = file.text.as_str();
    let document = front_matter::split(text).map_err(|d| vec![d])?;
    let mut check = FileCheck {
        text,
        yaml_first_line: document.yaml_first_line,
        problems: Vec::new(),
    };
    let item = match file.section {
        Section::Priorities => {
            let raw: RawPriority = front_matter::parse(&document, text).map_err(|d| vec![d])?;
            let status = check.status(&raw.status);
            let updated = optional(raw.updated.as_ref(), |u| check.date("updated", u));
            let tags = check.tags(&raw.tags);
            let number_at = check.position(&raw.number);
            let updated_at = raw
                .updated
                .as_ref()
                .map(|u| check.position(u))
                .unwrap_or_default();
            match (status, updated) {
                (Some(status), Some(updated)) => Some(Item::Priority(Priority {
                    common: common(file, &document, check.title(&raw.title), raw.draft, tags),
                    short_title: non_empty(raw.short_title),
                    number: raw.number.value,
                    number_at,
                    status,
                    lead: non_empty(raw.lead),
                    updated,
                    updated_at,
                    summary: non_empty(raw.summary),
                })),
                _ => None,
            }
        }
        Section::Meetings => {
            let raw: RawMeeting = front_matter::parse(&document, text).map_err(|d| vec![d])?;
            let date = check.date("date", &raw.date);
            let time = optional(raw.time.as_ref(), |t| check.time(t));
            let status = optional(raw.status.as_ref(), |s| check.meeting_status(s));
            let status_at = raw
                .status
                .as_ref()
                .map(|s| check.position(s))
                .unwrap_or_default();
            let tags = check.tags(&raw.tags);
            let priorities = raw
                .priorities
                .iter()
                .map(|p| check.priority_ref(p))
                .collect();
            let agenda = raw
                .agenda
                .into_iter()
                .map(|item| AgendaItem {
                    title: item.title,
                    presenter: non_empty(item.presenter),
                    priority: item.priority.as_ref().map(|p| check.priority_ref(p)),
                })
                .collect();
            let documents = raw
                .documents
                .into_iter()
                .map(|d| MeetingDocument {
                    at: check.position(&d.file),
                    title: d.title,
                    file: d.file.value,
                })
                .collect();
            match (date, time, status) {
                (Some(date), Some(time), Some(status)) => Some(Item::Meeting(Meeting {
                    common: common(file, &document, check.title(&raw.title), raw.draft, tags),
                    date,
                    time,
                    venue: non_empty(raw.venue),
                    chair: non_empty(raw.chair),
                    status,
                    status_at,
                    priorities,
                    agenda,
                    documents,
                })),
                _ => None,
            }
        }
        Section::Updates => {
            let raw: RawUpdate = front_matter::parse(&document, text).map_err(|d| vec![d])?;
            let date = check.date("date", &raw.date);
            let tags = check.tags(&raw.tags);
            let priorities = raw
                .priorities
                .iter()
                .map(|p| check.priority_ref(p))
                .collect();
            let status_changes: Vec<Option<StatusChange>> = raw
                .status_changes
                .iter()
                .map(|change| {
                    let priority = check.priority_ref(&change.priority);
                    check
                        .status(&change.status)
                        .map(|status| StatusChange { priority, status })
                })
                .collect();
            match (date, status_changes.iter().all(Option::is_some)) {
                (Some(date), true) => Some(Item::Update(Update {
                    common: common(file, &document, check.title(&raw.title), raw.draft, tags),
                    date,
                    priorities,
                    status_changes: status_changes.into_iter().flatten().collect(),
                })),
                _ => None,
            }
        }
        Section::Pages | Section::Home => {
            let raw: RawPage = front_matter::parse(&document, text).map_err(|d| vec![d])?;
            let page = Page {
                common: common(
                    file,
                    &document,
                    check.title(&raw.title),
                    raw.draft,
                    Vec::new(),
                ),
                summary: non_empty(raw.summary),
            };
            Some(if file.section == Section::Home {
                Item::Home(page)
            } else {
                Item::Page(page)
            })
        }
    };
    match item {
        Some(item) if check.problems.is_empty() => Ok(item),
        _ => Err(check.problems),
    }
}

fn common(
    file: &SourceFile,
    document: &Document<'_>,
    title: String,
    draft: bool,
    tags: Vec<Tag>,
) -> Common {
    let body_offset = file.text.len() - document.body.len();
    Common {
        rel_path: file.rel_path.clone(),
        slug: slugify(file.stem()),
        title: title.trim().to_string(),
        draft,
        tags,
        text: file.text.clone(),
        body_offset,
        body_first_line: document.body_first_line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
