//! The checks every kind's front matter shares: dates, times, statuses, tags and titles turned
//! into values, with each problem collected (not returned) so one run reports them all.

use serde::de::DeserializeOwned;
use serde_saphyr::Spanned;

use super::{Common, PriorityRef};
use crate::diagnostics::{Diagnostic, Position};
use crate::load::SourceFile;
use crate::parse::front_matter::{self, Document};
use crate::values::{
    ActionId, ActionStatus, Better, Date, MeetingStatus, MinutesStatus, Status, Tag, Time, slugify,
    suggest_date, suggest_time,
};

/// One file being parsed, and every problem found in its front matter so far.
pub(super) struct FileCheck<'a> {
    file: &'a SourceFile,
    document: Document<'a>,
    problems: Vec<Diagnostic>,
}

impl<'a> FileCheck<'a> {
    pub(super) fn new(file: &'a SourceFile, document: Document<'a>) -> FileCheck<'a> {
        FileCheck {
            file,
            document,
            problems: Vec::new(),
        }
    }

    /// The front matter as editors wrote it. YAML that cannot be read is the file's only
    /// problem: nothing else can be checked.
    pub(super) fn read<T: DeserializeOwned>(&self) -> Result<T, Vec<Diagnostic>> {
        front_matter::parse(&self.document, &self.file.text).map_err(|d| vec![d])
    }

    /// The item when nothing was wrong, else every problem found.
    pub(super) fn finish<T>(self, item: Option<T>) -> Result<T, Vec<Diagnostic>> {
        match item {
            Some(item) if self.problems.is_empty() => Ok(item),
            _ => Err(self.problems),
        }
    }

    pub(super) fn position<T>(&self, spanned: &Spanned<T>) -> Position {
        Position {
            line: self.document.yaml_first_line + spanned.referenced.line().max(1) as u32 - 1,
            column: spanned.referenced.column().max(1) as u32,
        }
    }

    pub(super) fn problem(
        &mut self,
        at: Position,
        code: &'static str,
        message: String,
        hint: String,
    ) {
        self.problems.push(
            Diagnostic::error(code, message)
                .at(&self.file.text, at.line, at.column)
                .with_hint(hint),
        );
    }

    /// What every kind shares; checks the title.
    pub(super) fn common(
        &mut self,
        title: &Spanned<String>,
        draft: bool,
        tags: Vec<Tag>,
    ) -> Common {
        let title = self.title(title);
        let file = self.file;
        Common {
            rel_path: file.rel_path.clone(),
            slug: slugify(file.stem()),
            title: title.trim().to_string(),
            draft,
            tags,
            text: file.text.clone(),
            body_offset: file.text.len() - self.document.body.len(),
            body_first_line: self.document.body_first_line,
        }
    }

    pub(super) fn date(&mut self, field: &str, value: &Spanned<String>) -> Option<Date> {
        Date::parse(value.value.trim())
            .map_err(|message| {
                let at = self.position(value);
                let hint = match suggest_date(value.value.trim()) {
                    Some(meant) => format!("write {meant}: dates are written YYYY-MM-DD"),
                    None => "write dates as YYYY-MM-DD, e.g. 2020-09-17".into(),
                };
                self.problem(at, "invalid-date", format!("{field}: {message}"), hint);
            })
            .ok()
    }

    pub(super) fn time(&mut self, value: &Spanned<String>) -> Option<Time> {
        Time::parse(value.value.trim())
            .map_err(|message| {
                let at = self.position(value);
                let hint = match suggest_time(value.value.trim()) {
                    Some(meant) => {
                        format!("write \"{meant}\": times are written \"HH:MM\" in quotes, on the 24-hour clock")
                    }
                    None => "write times as \"HH:MM\" in quotes, e.g. time: \"14:00\"".into(),
                };
                self.problem(at, "invalid-time", format!("time: {message}"), hint);
            })
            .ok()
    }

    pub(super) fn status(&mut self, value: &Spanned<String>) -> Option<Status> {
        self.keyword(value, "status", Status::parse, Status::WORDS)
    }

    pub(super) fn meeting_status(&mut self, value: &Spanned<String>) -> Option<MeetingStatus> {
        self.keyword(
            value,
            "meeting status",
            MeetingStatus::parse,
            MeetingStatus::WORDS,
        )
    }

    pub(super) fn better(&mut self, value: &Spanned<String>) -> Option<Better> {
        self.keyword(value, "direction", Better::parse, Better::WORDS)
    }

    pub(super) fn action_status(&mut self, value: &Spanned<String>) -> Option<ActionStatus> {
        self.keyword(
            value,
            "action status",
            ActionStatus::parse,
            ActionStatus::WORDS,
        )
    }

    pub(super) fn minutes_status(&mut self, value: &Spanned<String>) -> Option<MinutesStatus> {
        self.keyword(
            value,
            "minutes status",
            MinutesStatus::parse,
            MinutesStatus::WORDS,
        )
    }

    pub(super) fn action_id(&mut self, value: &Spanned<String>) -> Option<ActionId> {
        ActionId::parse(&value.value)
            .map_err(|message| {
                let at = self.position(value);
                self.problem(
                    at,
                    "invalid-action-id",
                    message,
                    "write the action's reference with letters, digits and hyphens only, e.g. id: A-2020-09-03".into(),
                );
            })
            .ok()
    }

    /// Text that must say something: a blank one is reported with `example` as the hint.
    pub(super) fn required_text(
        &mut self,
        value: &Spanned<String>,
        field: &str,
        example: &str,
    ) -> Option<String> {
        let text = value.value.trim();
        if text.is_empty() {
            let at = self.position(value);
            self.problem(
                at,
                "empty-value",
                format!("\"{field}\" has no value"),
                format!("write {example}"),
            );
            return None;
        }
        Some(text.to_string())
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
            let hint = match meant(&value.value, words) {
                Some(word) => format!("did you mean \"{word}\"? allowed: {}", words.join(", ")),
                None => suggestion(&value.value, words),
            };
            self.problem(
                at,
                "unknown-status",
                format!("unknown {what} \"{}\"", value.value),
                hint,
            );
        }
        parsed
    }

    pub(super) fn tags(&mut self, values: &[Spanned<String>]) -> Vec<Tag> {
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
                        message.to_string(),
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

    pub(super) fn priority_ref(&self, value: &Spanned<String>) -> PriorityRef {
        PriorityRef {
            slug: value.value.trim().to_string(),
            at: self.position(value),
        }
    }

    pub(super) fn priority_refs(&self, values: &[Spanned<String>]) -> Vec<PriorityRef> {
        values.iter().map(|p| self.priority_ref(p)).collect()
    }
}

/// Optional text left blank (`lead: ""`) means the same as leaving the key out.
pub(super) fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

/// Checks an optional field: `Some(None)` when absent, `None` when present but invalid.
pub(super) fn optional<T>(
    value: Option<&Spanned<String>>,
    check: impl FnOnce(&Spanned<String>) -> Option<T>,
) -> Option<Option<T>> {
    match value {
        None => Some(None),
        Some(value) => check(value).map(Some),
    }
}

/// The word meant by another word for it that editors use: "completed" for `done`, "on track"
/// for `on-track`. Only words in `allowed` are suggested.
fn meant(written: &str, allowed: &[&str]) -> Option<&'static str> {
    const SYNONYMS: &[(&str, &str)] = &[
        ("complete", "done"),
        ("completed", "done"),
        ("finished", "done"),
        ("closed", "done"),
        ("achieved", "done"),
        ("ongoing", "in-progress"),
        ("started", "in-progress"),
        ("underway", "in-progress"),
        ("in progress", "in-progress"),
        ("in_progress", "in-progress"),
        ("cancelled", "dropped"),
        ("withdrawn", "dropped"),
        ("not started", "not-started"),
        ("on track", "on-track"),
        ("at risk", "at-risk"),
        ("off track", "off-track"),
        ("done", "complete"),
        ("finished", "complete"),
        ("postponed", "cancelled"),
        ("approve", "approved"),
        ("agreed", "approved"),
    ];
    let written = written.trim().to_lowercase();
    SYNONYMS
        .iter()
        .find(|(word, target)| *word == written && allowed.contains(target))
        .map(|(_, target)| *target)
}

fn suggestion(word: &str, allowed: &[&str]) -> String {
    let list = format!("allowed: {}", allowed.join(", "));
    match crate::diagnostics::did_you_mean(word, allowed.iter().copied()) {
        Some(close) => format!("did you mean \"{close}\"? {list}"),
        None => list,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_words_for_a_status_suggest_the_one_meant() {
        let actions = ActionStatus::WORDS;
        assert_eq!(meant("Completed", actions), Some("done"));
        assert_eq!(meant("in progress", actions), Some("in-progress"));
        assert_eq!(meant("finished", Status::WORDS), Some("complete"));
        assert_eq!(meant("done", Status::WORDS), Some("complete"));
        assert_eq!(meant("done", actions), None);
        assert_eq!(meant("postponed", MeetingStatus::WORDS), Some("cancelled"));
    }
}
