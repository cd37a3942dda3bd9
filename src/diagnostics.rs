//! Problems found in a site, each tied to the file (and line and column) an editor must change.

use std::fmt;
use std::path::{Path, PathBuf};

mod per_file;

pub use per_file::{Placer, SourceLines, cap_per_kind, thousands};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Where a value sits in its file, so later checks (unknown priority, duplicate number) can point
/// at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// One problem. `file` is relative to the site root so messages read the same on every machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable identifier, e.g. `unknown-status`; editors and CI can match on it.
    pub code: &'static str,
    pub file: Option<PathBuf>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
    pub hint: Option<String>,
    /// The offending source line, shown under the location with a caret: at most
    /// `SHOWN_LINE_CHARS` characters of it around the column, so a warning on a 1 MB line
    /// does not carry the megabyte.
    pub source_line: Option<String>,
    /// 1-based character column of the caret within `source_line`.
    shown_column: u32,
}

/// How much of a long source line a message shows: a screen's width, enough to recognise it.
const SHOWN_LINE_CHARS: usize = 100;
/// How many of those characters come before the caret when the line is cut.
const SHOWN_BEFORE_CARET: usize = 30;

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: None,
            line: None,
            column: None,
            message: message.into(),
            hint: None,
            source_line: None,
            shown_column: 1,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// The same problem, but one that stops the build.
    pub fn as_error(self) -> Self {
        Diagnostic {
            severity: Severity::Error,
            ..self
        }
    }

    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    /// Points at a 1-based line and column and keeps that line of `text` for display.
    pub fn at(self, text: &str, line: u32, column: u32) -> Self {
        let source = text.lines().nth(line.max(1) as usize - 1);
        self.placed(source, line, column)
    }

    /// [`Diagnostic::at`] for one of many problems in the same file: the line is found in
    /// `lines` without reading the file from its start again.
    pub fn at_line_of(self, lines: &SourceLines<'_>, line: u32, column: u32) -> Self {
        let source = lines.line(line.max(1));
        self.placed(source, line, column)
    }

    fn placed(mut self, source: Option<&str>, line: u32, column: u32) -> Self {
        let column = column.max(1);
        self.line = Some(line.max(1));
        self.column = Some(column);
        let shown = source.map(|l| window(l.trim_end_matches('\r'), column));
        (self.source_line, self.shown_column) = match shown {
            Some((source, shown_column)) => (Some(source), shown_column),
            None => (None, 1),
        };
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    fn sort_key(
        &self,
    ) -> (
        Option<&PathBuf>,
        Option<u32>,
        Option<u32>,
        &'static str,
        &str,
    ) {
        (
            self.file.as_ref(),
            self.line,
            self.column,
            self.code,
            &self.message,
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}[{}]: {}", self.code, self.message)?;
        if let Some(file) = &self.file {
            let mut location = file.display().to_string().replace('\\', "/");
            if let Some(line) = self.line {
                location.push_str(&format!(":{line}"));
                if let Some(column) = self.column {
                    location.push_str(&format!(":{column}"));
                }
            }
            writeln!(f, "  --> {location}")?;
        }
        if let (Some(line), Some(source)) = (self.line, &self.source_line) {
            let gutter = line.to_string();
            let pad = " ".repeat(gutter.len());
            writeln!(f, "{pad} |")?;
            writeln!(f, "{gutter} | {source}")?;
            let caret_at = caret_offset(source, self.shown_column);
            writeln!(f, "{pad} | {}^", " ".repeat(caret_at))?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "  = help: {hint}")?;
        }
        Ok(())
    }
}

/// The part of `line` shown for a caret at 1-based character `column`, and the caret's column
/// in it. A line cut short is marked with `…` where it was cut.
fn window(line: &str, column: u32) -> (String, u32) {
    let column = column as usize;
    let long = line.chars().nth(SHOWN_LINE_CHARS).is_some();
    if !long {
        return (line.to_string(), column as u32);
    }
    let start = column.saturating_sub(1 + SHOWN_BEFORE_CARET);
    let mut shown: String = line.chars().skip(start).take(SHOWN_LINE_CHARS).collect();
    if line.chars().nth(start + SHOWN_LINE_CHARS).is_some() {
        shown.push('…');
    }
    if start == 0 {
        return (shown, column as u32);
    }
    (format!("…{shown}"), (column - start + 1) as u32)
}

/// Columns count characters, not bytes, so the caret lines up under non-ASCII text.
fn caret_offset(source: &str, column: u32) -> usize {
    source
        .chars()
        .take(column.saturating_sub(1) as usize)
        .count()
}

impl Diagnostic {
    /// The message as a compiler shows it, through miette: location, source line, caret, help.
    /// Colour only when `colour` (a terminal that wants it).
    pub fn render(&self, colour: bool) -> String {
        let theme = if colour {
            miette::GraphicalTheme::unicode()
        } else {
            miette::GraphicalTheme::unicode_nocolor()
        };
        let handler = miette::GraphicalReportHandler::new_themed(theme)
            .with_links(false)
            .with_width(100)
            .with_context_lines(0);
        // Text from a hostile file must not drive the terminal (ESC sequences can rewrite the
        // screen or the window title), so control characters are shown as symbols.
        let shown = Diagnostic {
            message: printable(&self.message),
            hint: self.hint.as_deref().map(printable),
            source_line: self.source_line.as_deref().map(printable),
            file: self
                .file
                .as_ref()
                .map(|f| PathBuf::from(printable(&f.to_string_lossy()))),
            ..self.clone()
        };
        let mut out = String::new();
        // Rendering into a String cannot fail.
        let _ = handler.render_report(&mut out, &Report::new(&shown));
        out
    }

    /// One object for `--format json`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "file": self.file.as_ref().map(|f| f.display().to_string().replace('\\', "/")),
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "source_line": self.source_line,
        })
    }
}

/// Adapts a `Diagnostic` to miette, which draws the report.
#[derive(Debug)]
struct Report<'a> {
    diagnostic: &'a Diagnostic,
    heading: String,
    snippet: Option<Snippet>,
}

impl<'a> Report<'a> {
    fn new(diagnostic: &'a Diagnostic) -> Self {
        let file = diagnostic
            .file
            .as_ref()
            .map(|f| f.display().to_string().replace('\\', "/"));
        let snippet = match (&file, diagnostic.line, &diagnostic.source_line) {
            (Some(name), Some(line), Some(text)) => Some(Snippet {
                name: name.clone(),
                text: format!("{text}\n"),
                line: line as usize - 1,
                // The caret's column in the file: where it sits in the shown part, plus what
                // was cut off before it.
                column: caret_offset(text, diagnostic.shown_column)
                    + (diagnostic.column.unwrap_or(1) - diagnostic.shown_column) as usize,
                caret: text
                    .char_indices()
                    .nth(caret_offset(text, diagnostic.shown_column))
                    .map_or(text.len(), |(i, _)| i),
            }),
            _ => None,
        };
        // Without a source line to show, the location goes in the heading.
        let heading = match (&file, &snippet, diagnostic.line) {
            (Some(file), None, Some(line)) => format!("{file}:{line}: {}", diagnostic.message),
            (Some(file), None, None) => format!("{file}: {}", diagnostic.message),
            _ => diagnostic.message.clone(),
        };
        Report {
            diagnostic,
            heading,
            snippet,
        }
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.heading)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diagnostic.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic
            .hint
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.snippet.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let snippet = self.snippet.as_ref()?;
        let width = usize::from(snippet.caret < snippet.text.len() - 1);
        let label = miette::LabeledSpan::new(Some("here".to_string()), snippet.caret, width);
        Some(Box::new(std::iter::once(label)))
    }
}

/// The one offending line of a file, numbered as in the file.
#[derive(Debug)]
struct Snippet {
    name: String,
    text: String,
    /// 0-based line number of `text` in its file.
    line: usize,
    /// Byte offset of the caret within `text`.
    caret: usize,
    /// 0-based character column of the caret, for the `file:line:column` header.
    column: usize,
}

impl miette::SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        _span: &miette::SourceSpan,
        _before: usize,
        _after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            self.text.as_bytes(),
            (0, self.text.len()).into(),
            self.line,
            self.column,
            1,
        )))
    }
}

/// The 1-based line and column (in characters) of the byte `offset` of `text`.
pub fn line_and_column(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line as u32, column as u32)
}

/// `text` with every control character but line breaks and tabs replaced by its visible symbol
/// (ESC becomes ␛).
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c as u32 {
            0x0A | 0x09 => c,
            code @ 0x00..=0x1F => char::from_u32(0x2400 + code).unwrap_or('\u{FFFD}'),
            0x7F => '\u{2421}',
            _ if c.is_control() => '\u{FFFD}',
            _ => c,
        })
        .collect()
}

/// Every problem found in one run, reported together.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn error_count(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warning_count(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by file and position so output is the same whatever order threads finished in.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup();
        self.items
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics {
            items: vec![diagnostic],
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.sorted().into_iter()
    }
}

/// Suggests the closest of `candidates` to a misspelt `word`, if one is close enough to be a typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = word.to_lowercase();
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    let close = candidates
        .iter()
        .map(|c| (edit_distance(&word, &c.to_lowercase()), *c))
        .filter(|(d, c)| *d <= c.chars().count().div_ceil(3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c);
    // `due_date` for `due`, `action_id` for `id`: one part of a longer name is the key meant.
    close.or_else(|| {
        let parts: Vec<&str> = word.split(['_', '-', ' ']).collect();
        (parts.len() > 1)
            .then(|| {
                candidates
                    .iter()
                    .find(|c| parts.contains(&c.to_lowercase().as_str()))
                    .copied()
            })
            .flatten()
    })
}

/// Edits (insert, delete, replace, or swap two neighbours: `itme` for `item`) from `a` to `b`.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut before_previous: Vec<usize> = Vec::new();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let mut best = (previous[j] + cost)
                .min(previous[j + 1] + 1)
                .min(current[j] + 1);
            if i > 0 && j > 0 && *ca == b[j - 1] && a[i - 1] == *cb {
                best = best.min(before_previous[j - 1] + 1);
            }
            current.push(best);
        }
        before_previous = std::mem::replace(&mut previous, current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_spelling() {
        assert_eq!(did_you_mean("staus", ["status", "title"]), Some("status"));
        assert_eq!(did_you_mean("zzz", ["status", "title"]), None);
        assert_eq!(did_you_mean("due_date", ["id", "due"]), Some("due"));
        assert_eq!(did_you_mean("action-id", ["id", "due"]), Some("id"));
    }

    #[test]
    fn displays_location_and_caret() {
        let text = "---\nstatus: on-trak\n---\n";
        let d = Diagnostic::error("unknown-status", "unknown status \"on-trak\"")
            .in_file("content/priorities/x.md")
            .at(text, 2, 9)
            .with_hint("allowed: on-track");
        let shown = d.to_string();
        assert!(shown.contains("--> content/priorities/x.md:2:9"), "{shown}");
        assert!(
            shown.contains("2 | status: on-trak\n  |         ^"),
            "{shown}"
        );
        assert!(shown.contains("= help: allowed: on-track"), "{shown}");
    }

    #[test]
    fn shows_only_a_window_of_a_long_line() {
        let text = format!("---\n{}BAD{}\n---\n", "a".repeat(500), "b".repeat(500));
        let d = Diagnostic::error("x", "m")
            .in_file("content/pages/x.md")
            .at(&text, 2, 501);
        let source = d.source_line.as_deref().unwrap();
        assert_eq!(source.chars().count(), 102, "{source}");
        assert!(source.starts_with('…') && source.ends_with('…'), "{source}");
        let shown = d.to_string();
        assert!(shown.contains("--> content/pages/x.md:2:501"), "{shown}");
        assert!(
            shown.contains(&format!("  |  {}^", " ".repeat(30))),
            "{shown}"
        );
        assert!(
            shown.contains(&format!("2 | …{}BAD", "a".repeat(30))),
            "{shown}"
        );
        let rendered = d.render(false);
        assert!(rendered.contains("content/pages/x.md:2:501"), "{rendered}");
    }

    #[test]
    fn control_characters_from_a_file_never_reach_the_terminal() {
        let text = "---\ntitle: \"\u{1b}]0;owned\u{7}Bad\u{1b}[2J\"\n---\n";
        let d = Diagnostic::error("control-character", "quoted \u{1b}[31mred")
            .in_file("content/pages/a\u{1b}.md")
            .at(text, 2, 9)
            .with_hint("hint \u{1b}[0m");
        let shown = d.render(false);
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
            "{shown:?}"
        );
        assert!(shown.contains("title: \"␛]0;owned␇Bad␛[2J\""), "{shown}");
        assert!(shown.contains("quoted ␛[31mred"), "{shown}");
    }

    #[test]
    fn renders_through_miette_with_file_line_and_column() {
        let text = "---\ntitle: T\nstatus: on-trak\n---\n";
        let d = Diagnostic::error("unknown-status", "unknown status \"on-trak\"")
            .in_file("content/priorities/x.md")
            .at(text, 3, 9)
            .with_hint("allowed: on-track");
        let shown = d.render(false);
        assert!(shown.contains("unknown-status"), "{shown}");
        assert!(shown.contains("content/priorities/x.md:3:9"), "{shown}");
        assert!(shown.contains("3 │ status: on-trak"), "{shown}");
        assert!(shown.contains("help: allowed: on-track"), "{shown}");
    }
}
