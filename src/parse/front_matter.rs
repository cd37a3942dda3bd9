//! Splits a content file into its YAML front matter and Markdown body, and reads the YAML into
//! typed structs. Line numbers in every error count lines of the whole Markdown file.

use serde::de::DeserializeOwned;

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
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: 32,
            max_aliases: 100,
            max_anchors: 100,
            max_events: 100_000,
            max_nodes: 50_000,
            max_documents: 1,
            max_total_scalar_bytes: 4 * 1024 * 1024,
            max_recorded_anchor_events: 10_000,
        },
    }
}

/// Reads the front matter into `T`. `fields` lists the keys `T` accepts, for spelling hints.
/// `text` is the whole file, so errors can show the offending line.
pub fn parse<T: DeserializeOwned>(
    document: &Document<'_>,
    text: &str,
    fields: &[&str],
) -> Result<T, Diagnostic> {
    // An empty block deserializes like an empty mapping so "missing title" is the message,
    // rather than a complaint about YAML null.
    let yaml = if document.yaml.trim().is_empty() {
        "{}"
    } else {
        document.yaml
    };
    serde_saphyr::from_str_with_options::<T>(yaml, yaml_options())
        .map_err(|error| yaml_diagnostic(&error, document, text, fields))
}

fn yaml_diagnostic(
    error: &serde_saphyr::Error,
    document: &Document<'_>,
    text: &str,
    fields: &[&str],
) -> Diagnostic {
    let formatter = serde_saphyr::UserMessageFormatter;
    let options = serde_saphyr::render_options! {
        formatter: &formatter,
        snippets: serde_saphyr::SnippetMode::Off,
    };
    let rendered = error.render_with_options(options);
    let message = strip_location_suffix(&rendered);
    let line = error
        .location()
        .filter(|l| l.line() > 0)
        .map(|l| document.yaml_first_line + l.line() as u32 - 1);
    let key = line
        .and_then(|line| text.lines().nth(line as usize - 1))
        .and_then(key_on_line);
    let (code, message, hint) = explain(message, fields, key);
    let diagnostic = Diagnostic::error(code, message);
    let diagnostic = match hint {
        Some(hint) => diagnostic.with_hint(hint),
        None => diagnostic,
    };
    match error.location().filter(|l| l.line() > 0) {
        Some(location) => {
            let line = document.yaml_first_line + location.line() as u32 - 1;
            diagnostic.at(text, line, location.column() as u32)
        }
        None => diagnostic.at(text, document.yaml_first_line.saturating_sub(1).max(1), 1),
    }
}

/// serde-saphyr ends plain messages with " at line N, column M"; we show the location ourselves,
/// counted in the Markdown file rather than in the YAML block.
fn strip_location_suffix(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) => &message[..i],
        None => message,
    }
}

/// Turns a YAML library message into a stable code, a plain-English message and a hint.
fn explain(
    message: &str,
    fields: &[&str],
    key: Option<&str>,
) -> (&'static str, String, Option<String>) {
    let allowed = || format!("allowed keys: {}", fields.join(", "));
    if let Some(name) = between(message, "unknown field `", "`") {
        let hint = match did_you_mean(name, fields.iter().copied()) {
            Some(close) => format!("did you mean \"{close}\"? {}", allowed()),
            None => allowed(),
        };
        return (
            "unknown-key",
            format!("unknown front matter key \"{name}\""),
            Some(hint),
        );
    }
    if let Some(name) = between(message, "missing field `", "`") {
        return (
            "missing-field",
            format!("the required key \"{name}\" is missing"),
            Some(format!("add a line `{name}: …` to the front matter")),
        );
    }
    if message.contains("budget") || message.contains("limit") || message.contains("depth") {
        return (
            "yaml-too-complex",
            format!("the front matter is too large or too deeply nested: {message}"),
            Some("front matter should be a short list of simple fields; remove anchors (&), aliases (*) and deep nesting".to_string()),
        );
    }
    if is_type_error(message) {
        let wanted = expected_kind(message);
        let message = match (key, wanted) {
            (Some(key), Some(wanted)) => format!("\"{key}\" must be {wanted}"),
            (None, Some(wanted)) => format!("this value must be {wanted}"),
            _ => message.to_string(),
        };
        return ("wrong-type", message, Some(type_hint(wanted)));
    }
    if message.contains("null is not allowed") {
        let message = match key {
            Some(key) => format!("\"{key}\" has no value"),
            None => "a key has no value".to_string(),
        };
        return (
            "empty-value",
            message,
            Some(
                "write the value after the colon, or delete the line if the key is optional"
                    .to_string(),
            ),
        );
    }
    if message.contains("duplicate") {
        return (
            "duplicate-key",
            message.to_string(),
            Some("each key may appear once; delete one of them".to_string()),
        );
    }
    if message.contains("mapping values are not allowed") {
        return (
            "yaml-syntax",
            format!("the front matter is not valid YAML: {message}"),
            Some("a value with a colon and a space in it must be in quotes, e.g. summary: \"Update: March 2020\"; otherwise check the indentation".to_string()),
        );
    }
    (
        "yaml-syntax",
        format!("the front matter is not valid YAML: {message}"),
        Some("check indentation (spaces, not tabs), that every quote is closed, and that each field is `key: value`".to_string()),
    )
}

/// serde's type errors read "invalid type: …", "invalid value: …" or "invalid u32"; other
/// messages starting "invalid" (e.g. "invalid trailing content") are YAML syntax errors.
fn is_type_error(message: &str) -> bool {
    let Some(rest) = message.strip_prefix("invalid ") else {
        return message.contains("expected a")
            || message.contains("expected one of")
            || message.contains("expected sequence")
            || message.contains("expected mapping")
            || message.contains("expected string");
    };
    let word = rest.split([' ', ':', ',']).next().unwrap_or("");
    matches!(
        word,
        "type"
            | "value"
            | "length"
            | "u8"
            | "u16"
            | "u32"
            | "u64"
            | "i32"
            | "i64"
            | "f32"
            | "f64"
            | "bool"
            | "boolean"
            | "string"
    )
}

/// What the library expected, in editors' words.
fn expected_kind(message: &str) -> Option<&'static str> {
    let words = [
        ("sequence", "a list"),
        ("u32", "a whole number"),
        ("u64", "a whole number"),
        ("i64", "a whole number"),
        ("integer", "a whole number"),
        ("bool", "true or false"),
        ("sequence start", "a list"),
        ("map", "a set of `key: value` fields"),
        ("struct", "a set of `key: value` fields"),
        ("string", "text"),
    ];
    words
        .iter()
        .find(|(word, _)| message.contains(word))
        .map(|(_, kind)| *kind)
}

fn type_hint(wanted: Option<&str>) -> String {
    match wanted {
        Some("a list") => {
            "write each item on its own line starting with `- `, or in brackets: `[a, b]`"
                .to_string()
        }
        Some("a whole number") => "write digits only, e.g. `number: 3`".to_string(),
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

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)? + from;
    Some(&text[from..to])
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
        let document = split(text)?;
        parse(&document, text, &["title", "draft"])
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
}
