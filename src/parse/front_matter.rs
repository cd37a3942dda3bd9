//! Splits a content file into its YAML front matter and Markdown body, and reads the YAML into
//! typed structs. Line numbers in every error count lines of the whole Markdown file.

use serde::de::DeserializeOwned;
use serde_saphyr::granit_parser::ErrorKind;
use serde_saphyr::localizer::ExternalMessageSource;

use crate::diagnostics::{Diagnostic, did_you_mean};

/// A content file cut at its `---` fences. Line numbers are 1-based lines of the whole file.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    pub yaml: &'a str,
    pub yaml_first_line: u32,
    pub body: &'a str,
    pub body_first_line: u32,
}

/// Cuts `text` (already free of BOM and CRLF) into front matter and body.
pub fn split(text: &str) -> Result<Document<'_>, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error("empty-file", "this file is empty").with_hint(
            "start the file with a front matter block: a line `---`, then `title: …`, then another `---`",
        ));
    }
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        return Err(Diagnostic::error("missing-front-matter", "the file does not start with `---`")
            .at(text, 1, 1)
            .with_hint("the first line must be exactly `---`, followed by the front matter (title, date, …) and a closing `---`"));
    }
    let yaml_start = (first_line_end + 1).min(text.len());
    let mut offset = yaml_start;
    let mut line = 2u32;
    while offset < text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        if text[offset..end].trim_end() == "---" {
            let body_start = (end + 1).min(text.len());
            return Ok(Document {
                yaml: &text[yaml_start..offset],
                yaml_first_line: 2,
                body: &text[body_start..],
                body_first_line: line + 1,
            });
        }
        offset = end + 1;
        line += 1;
    }
    Err(
        Diagnostic::error("unclosed-front-matter", "the front matter is never closed")
            .at(text, 1, 1)
            .with_hint("add a line with exactly `---` after the last front matter field, before the text of the page"),
    )
}

/// Limits that make hostile YAML (alias bombs, deep nesting) fail in milliseconds.
fn yaml_options() -> serde_saphyr::Options {
    use crate::limits::front_matter as limit;
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: limit::MAX_DEPTH,
            max_aliases: limit::MAX_ALIASES,
            max_anchors: limit::MAX_ANCHORS,
            max_events: limit::MAX_EVENTS,
            max_nodes: limit::MAX_NODES,
            max_documents: 1,
            max_total_scalar_bytes: limit::MAX_TOTAL_SCALAR_BYTES,
            max_recorded_anchor_events: limit::MAX_RECORDED_ANCHOR_EVENTS,
        },
    }
}

/// Reads the front matter into `T`. `text` is the whole file, so errors can show the offending
/// line.
pub fn parse<T: DeserializeOwned>(document: &Document<'_>, text: &str) -> Result<T, Diagnostic> {
    // An empty block deserializes like an empty mapping so "missing title" is the message,
    // rather than a complaint about YAML null.
    if let Some(problem) = control_character(document, text) {
        return Err(problem);
    }
    if let Some(problem) = curly_quotes(document, text) {
        return Err(problem);
    }
    if let Some(problem) = tab_indentation(document, text) {
        return Err(problem);
    }
    let yaml = if document.yaml.trim().is_empty() {
        "{}"
    } else {
        document.yaml
    };
    serde_saphyr::from_str_with_options::<T>(yaml, yaml_options())
        .map_err(|error| yaml_diagnostic(&error, document, text))
}

/// A tab in a line's indentation. YAML never allows it, and the parser notices it only later,
/// often on the line above; this points at the tab itself.
fn tab_indentation(document: &Document<'_>, text: &str) -> Option<Diagnostic> {
    let (index, column) = document
        .yaml
        .split('\n')
        .enumerate()
        .find_map(|(index, line)| {
            let rest = line.trim_start_matches([' ', '\t']);
            let indent = &line[..line.len() - rest.len()];
            // Inside a `|` block a tab after the spaces is text; before a key or a list item it
            // is indentation.
            let structural = rest.starts_with("- ") || rest.contains(": ") || rest.ends_with(':');
            let tab = indent.find('\t')?;
            (tab == 0 || structural).then_some((index, tab))
        })?;
    let line = document.yaml_first_line + index as u32;
    Some(
        Diagnostic::error(
            "tab-indentation",
            "this line is indented with a tab; front matter must be indented with spaces",
        )
        .at(text, line, column as u32 + 1)
        .with_hint(
            "replace the tab with spaces (two for each level), the same as the lines around it",
        ),
    )
}

/// A value in curly quotes, as Word types them. YAML reads them as letters, so the quotes would
/// be published as part of a title, and a colon inside them breaks the file with a message about
/// quoting that the editor thinks they have done.
fn curly_quotes(document: &Document<'_>, text: &str) -> Option<Diagnostic> {
    const CURLY: [char; 4] = ['\u{201C}', '\u{201D}', '\u{2018}', '\u{2019}'];
    for (index, line) in document.yaml.split('\n').enumerate() {
        // The value after `key:` or a list's `- `.
        let value_start = match line.find(": ") {
            Some(colon) if !line[..colon].contains(CURLY) => colon + 2,
            _ => match line.trim_start().strip_prefix("- ") {
                Some(rest) => line.len() - rest.len(),
                None => continue,
            },
        };
        let value = &line[value_start..];
        let trimmed = value.trim_start();
        if !trimmed.starts_with(CURLY) {
            continue;
        }
        let column = line[..value_start + value.len() - trimmed.len()]
            .chars()
            .count()
            + 1;
        let line = document.yaml_first_line + index as u32;
        return Some(
            Diagnostic::error(
                "curly-quotes",
                "this value is in curly quotes (“ ” or ‘ ’), as Word types them; front matter only understands straight quotes",
            )
            .at(text, line, column as u32)
            .with_hint("these are curly quotes from Word; type straight quotes \" instead, or none. To show curly quotes, put the whole value in straight quotes: \"“Safer Streets” week\""),
        );
    }
    None
}

/// An invisible control character (NUL, BEL, ESC, …) pasted into the front matter: HTML, XML
/// feeds and calendars cannot hold it. Tabs and line breaks are fine where YAML allows them.
fn control_character(document: &Document<'_>, text: &str) -> Option<Diagnostic> {
    let (line_index, line) = document
        .yaml
        .split('\n')
        .enumerate()
        .find(|(_, line)| line.chars().any(is_forbidden_control))?;
    let (column, found) = line
        .chars()
        .enumerate()
        .find(|(_, c)| is_forbidden_control(*c))?;
    let line = document.yaml_first_line + line_index as u32;
    Some(
        Diagnostic::error(
            "control-character",
            format!(
                "this line holds an invisible control character (U+{:04X}), which cannot go into a web page, feed or calendar",
                found as u32
            ),
        )
        .at(text, line, column as u32 + 1)
        .with_hint("delete it: retype the text around it, or paste it again as plain text"),
    )
}

fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\r')
}

fn yaml_diagnostic(error: &serde_saphyr::Error, document: &Document<'_>, text: &str) -> Diagnostic {
    let formatter = serde_saphyr::UserMessageFormatter;
    let options = serde_saphyr::render_options! {
        formatter: &formatter,
        snippets: serde_saphyr::SnippetMode::Off,
    };
    let rendered = error.render_with_options(options);
    let message = strip_location_suffix(&rendered);
    let at = error.location().filter(|l| l.line() > 0).map(|l| {
        let line = document.yaml_first_line + l.line() as u32 - 1;
        (line, l.column() as u32)
    });
    let key = at
        .and_then(|(line, _)| text.lines().nth(line as usize - 1))
        .and_then(key_on_line);
    let (code, message, hint) = explain(classify(error), message, key);
    // Without a location, point at the opening `---`.
    let (line, column) = at.unwrap_or((document.yaml_first_line.saturating_sub(1).max(1), 1));
    Diagnostic::error(code, message)
        .with_hint(hint)
        .at(text, line, column)
}

/// serde-saphyr ends plain messages with " at line N, column M"; we show the location ourselves,
/// counted in the Markdown file rather than in the YAML block.
fn strip_location_suffix(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) => &message[..i],
        None => message,
    }
}

/// What went wrong in the front matter, in the terms editors are told about.
#[derive(Debug)]
enum Problem<'e> {
    /// `allowed` is serde's field list of the struct being read at that level, so a key
    /// mistyped in an agenda item is compared with an agenda item's keys.
    UnknownKey {
        name: &'e str,
        allowed: &'e [&'static str],
    },
    MissingKey(&'static str),
    TooComplex,
    /// What the value should have been, in editors' words, when known.
    WrongType(Option<&'static str>),
    EmptyValue,
    DuplicateKey,
    /// `summary: Update: March`: a colon and a space inside an unquoted value.
    UnquotedColon,
    Syntax,
}

/// Reads the kind of problem from serde-saphyr's error value.
fn classify(error: &serde_saphyr::Error) -> Problem<'_> {
    use serde_saphyr::Error as E;
    match cause(error) {
        E::SerdeUnknownField {
            field, expected, ..
        } => Problem::UnknownKey {
            name: field,
            allowed: expected,
        },
        E::SerdeMissingField { field, .. } => Problem::MissingKey(field),
        E::Budget { .. }
        | E::AliasReplayCounterOverflow { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. } => Problem::TooComplex,
        E::SerdeInvalidType { expected, .. }
        | E::SerdeInvalidValue { expected, .. }
        | E::SerdeInvalidLength { expected, .. } => Problem::WrongType(expected_kind(expected)),
        E::InvalidScalar { ty, .. } => Problem::WrongType(expected_kind(ty)),
        E::InvalidBooleanStrict { .. } => Problem::WrongType(Some("true or false")),
        E::Unexpected { expected, .. } => unexpected(expected),
        E::NullIntoString { .. } | E::InvalidCharNull { .. } => Problem::EmptyValue,
        E::DuplicateMappingKey { .. } => Problem::DuplicateKey,
        E::ExternalMessage { source, .. } => match source.as_ref() {
            ExternalMessageSource::Parser(scan) => parser_problem(scan.kind()),
            _ => Problem::Syntax,
        },
        // Free text from serde's `Error::custom`, which carries nothing else to match on: serde's
        // derive reports a repeated field this way, should one get past serde-saphyr's own
        // duplicate-key check.
        E::Message { msg, .. } if msg.starts_with("duplicate field `") => Problem::DuplicateKey,
        _ => Problem::Syntax,
    }
}

/// The error itself, without the snippet or alias wrappers around it.
fn cause(mut error: &serde_saphyr::Error) -> &serde_saphyr::Error {
    loop {
        error = match error.without_snippet() {
            serde_saphyr::Error::AliasError { error, .. } => error,
            inner => return inner,
        };
    }
}

/// serde-saphyr's "expected …" for a node of the wrong shape: a list, a mapping or text where
/// something else was written. Other "expected …" errors are broken YAML. The library names
/// what it expected with one of a few fixed words rather than a variant, so these are matched
/// whole.
fn unexpected(expected: &str) -> Problem<'static> {
    match expected {
        "sequence start" => Problem::WrongType(Some("a list")),
        "mapping start" => Problem::WrongType(Some("a set of `key: value` fields")),
        "string scalar" => Problem::WrongType(Some("text")),
        _ => Problem::Syntax,
    }
}

fn parser_problem(kind: &ErrorKind) -> Problem<'static> {
    match kind {
        ErrorKind::RecursionLimitExceeded
        | ErrorKind::AnchorCountOverflow
        | ErrorKind::InputByteLimitExceeded { .. }
        | ErrorKind::DirectiveByteLimitExceeded { .. }
        | ErrorKind::TooManyReservedDirectiveParams { .. } => Problem::TooComplex,
        ErrorKind::MappingValueNotAllowed => Problem::UnquotedColon,
        _ => Problem::Syntax,
    }
}

/// What serde expected, in editors' words. serde describes what it expected only as text
/// (`u32`, `a sequence`, `a boolean`, `struct RawDocument`), so this reads the text.
fn expected_kind(expected: &str) -> Option<&'static str> {
    let words = [
        ("sequence", "a list"),
        ("u32", "a whole number"),
        ("u64", "a whole number"),
        ("i64", "a whole number"),
        ("f64", "a number"),
        ("float", "a number"),
        ("integer", "a whole number"),
        ("bool", "true or false"),
        ("map", "a set of `key: value` fields"),
        ("struct", "a set of `key: value` fields"),
        ("string", "text"),
    ];
    words
        .iter()
        .find(|(word, _)| expected.contains(word))
        .map(|(_, kind)| *kind)
}

/// A stable code, a plain-English message and a hint for each kind of problem. `message` is
/// the library's own wording, shown where no plainer one is known.
fn explain(
    problem: Problem<'_>,
    message: &str,
    key: Option<&str>,
) -> (&'static str, String, String) {
    const SYNTAX_HINT: &str = "check indentation (spaces, not tabs), that every quote is closed, and that each field is `key: value`";
    match problem {
        Problem::UnknownKey { name, allowed } => {
            let list = format!("allowed keys: {}", allowed.join(", "));
            let hint = match did_you_mean(name, allowed.iter().copied()) {
                Some(close) => format!("did you mean \"{close}\"? {list}"),
                None => list,
            };
            let message = format!("unknown front matter key \"{name}\"");
            ("unknown-key", message, hint)
        }
        Problem::MissingKey(name) => (
            "missing-field",
            format!("the required key \"{name}\" is missing"),
            format!("add a line `{name}: …` to the front matter"),
        ),
        Problem::TooComplex => (
            "yaml-too-complex",
            format!("the front matter is too large or too deeply nested: {message}"),
            "front matter should be a short list of simple fields; remove anchors (&), aliases (*) and deep nesting".to_string(),
        ),
        Problem::WrongType(wanted) => {
            let message = match (key, wanted) {
                (Some(key), Some(wanted)) => format!("\"{key}\" must be {wanted}"),
                (None, Some(wanted)) => format!("this value must be {wanted}"),
                _ => message.to_string(),
            };
            ("wrong-type", message, type_hint(wanted))
        }
        Problem::EmptyValue => (
            "empty-value",
            match key {
                Some(key) => format!("\"{key}\" has no value"),
                None => "a key has no value".to_string(),
            },
            "write the value after the colon, or delete the line if the key is optional"
                .to_string(),
        ),
        Problem::DuplicateKey => (
            "duplicate-key",
            message.to_string(),
            "each key may appear once; delete one of them".to_string(),
        ),
        Problem::UnquotedColon => (
            "yaml-syntax",
            format!("the front matter is not valid YAML: {message}"),
            "a value with a colon and a space in it must be in quotes, e.g. summary: \"Update: March 2020\"; otherwise check the indentation".to_string(),
        ),
        Problem::Syntax => (
            "yaml-syntax",
            format!("the front matter is not valid YAML: {message}"),
            SYNTAX_HINT.to_string(),
        ),
    }
}

fn type_hint(wanted: Option<&str>) -> String {
    match wanted {
        Some("a list") => {
            "write each item on its own line starting with `- `, or in brackets: `[a, b]`"
                .to_string()
        }
        Some("a whole number") => "write digits only, e.g. `number: 3`".to_string(),
        Some("a number") => "write a number such as 412 or 12.5, without units or thousands commas (`1200`, not `1,200`); leave out a figure you do not have".to_string(),
        Some("true or false") => "write `true` or `false`".to_string(),
        Some("text") => {
            "put the value in quotes if it looks like a number, date or list".to_string()
        }
        _ => "check the value's type: text, a number, a list or `true`/`false`".to_string(),
    }
}

/// The key a YAML line sets, e.g. `number` in `number: three` or `- priority: x`.
fn key_on_line(line: &str) -> Option<&str> {
    let line = line.trim_start().trim_start_matches("- ").trim_start();
    let (key, _) = line.split_once(':')?;
    let key = key.trim();
    (!key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-'))
    .then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Probe {
        title: String,
        #[serde(default)]
        draft: bool,
    }

    fn parse_probe(text: &str) -> Result<Probe, Diagnostic> {
        parse_as(text)
    }

    fn parse_as<T: DeserializeOwned>(text: &str) -> Result<T, Diagnostic> {
        let document = split(text)?;
        parse(&document, text)
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Nested {
        title: String,
        #[serde(default)]
        items: Vec<Item>,
        any: Option<serde_json::Value>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Item {
        label: String,
        #[serde(default)]
        weight: u32,
    }

    #[test]
    fn splits_front_matter_and_counts_body_lines() {
        let text = "---\ntitle: A\n---\nBody\n";
        let document = split(text).unwrap();
        assert_eq!(document.yaml, "title: A\n");
        assert_eq!(document.body, "Body\n");
        assert_eq!(document.body_first_line, 4);
    }

    #[test]
    fn reads_yaml_1_2_strings() {
        assert_eq!(parse_probe("---\ntitle: no\n---\n").unwrap().title, "no");
        assert!(
            parse_probe("---\ntitle: A\ndraft: true\n---\n")
                .unwrap()
                .draft
        );
    }

    #[test]
    fn reports_unknown_key_at_its_line_with_suggestion() {
        let error = parse_probe("---\ntitle: A\ndarft: true\n---\n").unwrap_err();
        assert_eq!(error.code, "unknown-key");
        assert_eq!(error.line, Some(3));
        assert!(
            error
                .hint
                .as_deref()
                .unwrap()
                .contains("did you mean \"draft\"")
        );
    }

    #[test]
    fn reports_missing_and_unclosed_fences() {
        assert_eq!(
            parse_probe("title: A\n").unwrap_err().code,
            "missing-front-matter"
        );
        assert_eq!(
            parse_probe("---\ntitle: A\n").unwrap_err().code,
            "unclosed-front-matter"
        );
        assert_eq!(parse_probe("  \n").unwrap_err().code, "empty-file");
    }

    #[test]
    fn rejects_alias_bombs_quickly() {
        let mut yaml = String::from("---\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            yaml.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        yaml.push_str("title: *a11\n---\n");
        let started = std::time::Instant::now();
        assert!(parse_probe(&yaml).is_err());
        assert!(started.elapsed().as_secs() < 2);
    }

    #[test]
    fn reads_nested_lists() {
        let nested: Nested =
            parse_as("---\ntitle: A\nitems:\n  - label: x\n    weight: 2\nany: [1]\n---\n")
                .unwrap();
        assert_eq!(nested.title, "A");
        assert_eq!(
            (nested.items[0].label.as_str(), nested.items[0].weight),
            ("x", 2)
        );
        assert_eq!(nested.any, Some(serde_json::json!([1])));
    }

    #[test]
    fn lists_the_keys_of_the_level_an_unknown_key_is_at() {
        let error = parse_as::<Nested>("---\ntitle: A\nitems:\n  - label: x\n    wieght: 2\n---\n")
            .unwrap_err();
        assert_eq!(error.code, "unknown-key");
        assert_eq!(error.message, "unknown front matter key \"wieght\"");
        assert_eq!((error.line, error.column), (Some(5), Some(5)));
        assert_eq!(
            error.hint.as_deref(),
            Some("did you mean \"weight\"? allowed keys: label, weight")
        );
        let error = parse_as::<Nested>("---\ntitel: A\n---\n").unwrap_err();
        assert_eq!(
            error.hint.as_deref(),
            Some("did you mean \"title\"? allowed keys: title, items, any")
        );
    }

    #[test]
    fn names_the_wanted_type_in_editors_words() {
        let error = parse_as::<Nested>("---\ntitle: [a, b]\n---\n").unwrap_err();
        assert_eq!(
            (error.code, error.message.as_str()),
            ("wrong-type", "\"title\" must be text")
        );
        let error =
            parse_as::<Nested>("---\ntitle: A\nitems:\n  - label: x\n    weight: heavy\n---\n")
                .unwrap_err();
        assert_eq!(error.message, "\"weight\" must be a whole number");
        let error = parse_as::<Nested>("---\ntitle: A\nitems: none\n---\n").unwrap_err();
        assert_eq!(error.message, "\"items\" must be a list");
        let error = parse_probe("---\ntitle:\n---\n").unwrap_err();
        assert_eq!(
            (error.code, error.message.as_str()),
            ("empty-value", "\"title\" has no value")
        );
    }

    #[test]
    fn tells_syntax_errors_from_type_errors() {
        // An alias with no name is broken YAML, whatever the library's message says.
        let error = parse_probe("---\ntitle: *\n---\n").unwrap_err();
        assert_eq!(error.code, "yaml-syntax");
        let error = parse_probe("---\ntitle: Update: March\n---\n").unwrap_err();
        assert_eq!(error.code, "yaml-syntax");
        assert!(error.hint.unwrap().starts_with("a value with a colon"));
        let error = parse_probe("---\ntitle: A\ntitle: B\n---\n").unwrap_err();
        assert_eq!(error.code, "duplicate-key");
        assert_eq!(error.line, Some(3));
    }

    #[test]
    fn reports_budget_breaches_as_too_complex() {
        let deep = format!(
            "---\ntitle: A\nany: {}x{}\n---\n",
            "[".repeat(40),
            "]".repeat(40)
        );
        assert_eq!(
            parse_as::<Nested>(&deep).unwrap_err().code,
            "yaml-too-complex"
        );
        let mut bomb =
            String::from("---\ntitle: A\nany:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            bomb.push_str(&format!("  a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        bomb.push_str("---\n");
        assert_eq!(
            parse_as::<Nested>(&bomb).unwrap_err().code,
            "yaml-too-complex"
        );
    }
}
