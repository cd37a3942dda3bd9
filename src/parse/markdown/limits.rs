//! Refuses a body the Markdown parser would need too much memory for, before it starts: block
//! quotes nested too deep, or too many marks that each can start an element. (comrak stops
//! nesting lists at 100 on its own; block quotes it nests without end.)

use super::Body;
use crate::diagnostics::{Diagnostic, thousands};
use crate::limits::{MAX_MARKUP_MARKS, MAX_NESTING_DEPTH};

/// Characters that can start a Markdown element (emphasis, code, link, image, HTML, table
/// cell, strikethrough, escape, block quote, entity, email address); with line breaks, the
/// list markers opening lines and the starts of web addresses (`www.`, `://`), an upper bound
/// on the elements the parser makes, give or take a small factor.
const MARKS: &[u8] = b"*_`[]<>|!~\\&@\n";
const IS_MARK: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < MARKS.len() {
        table[MARKS[i] as usize] = true;
        i += 1;
    }
    table
};
/// How web addresses written as plain text, which become links, start.
const ADDRESS_STARTS: &[&str] = &["www.", "://"];

pub(super) fn check(body: &Body<'_>) -> Result<(), Diagnostic> {
    let mut list_markers = 0;
    for (index, line) in body.markdown.lines().enumerate() {
        let opened = Opened::by(line);
        if opened.quotes > MAX_NESTING_DEPTH {
            let line = body.first_line + index as u32;
            return Err(too_deep(body, line, opened.quotes));
        }
        list_markers += opened.list_markers;
    }
    let bytes = body.markdown.as_bytes();
    let addresses: usize = ADDRESS_STARTS
        .iter()
        .map(|start| memchr::memmem::find_iter(bytes, start).count())
        .sum();
    // A table lookup per byte: this runs over every body of every build.
    let marks = list_markers + addresses + bytes.iter().filter(|&&b| IS_MARK[b as usize]).count();
    if marks > MAX_MARKUP_MARKS {
        return Err(Diagnostic::error(
            "too-much-markup",
            format!(
                "this file has {} line breaks and Markdown marks (* _ ` [ ] < > | ! ~ \\ & @, list markers and web addresses); the limit is {}",
                thousands(marks),
                thousands(MAX_MARKUP_MARKS)
            ),
        )
        .with_hint("split the text into several pages"));
    }
    Ok(())
}

fn too_deep(body: &Body<'_>, line: u32, depth: usize) -> Diagnostic {
    Diagnostic::error(
        "nesting-too-deep",
        format!("block quotes are nested {depth} deep here; the limit is {MAX_NESTING_DEPTH}"),
    )
    .at(body.file_text, line, 1)
    .with_hint("a quote inside a quote is rarely needed; remove some of the `>` marks")
}

/// The containers a line opens at its start: `> > - 1. text` opens two block quotes and two
/// lists.
#[derive(Debug, PartialEq, Eq)]
struct Opened {
    quotes: usize,
    /// List items other than `*` (which is a mark already).
    list_markers: usize,
}

impl Opened {
    fn by(line: &str) -> Opened {
        let mut opened = Opened {
            quotes: 0,
            list_markers: 0,
        };
        let mut rest = line.trim_start_matches([' ', '\t']);
        // Most lines are text: only a line starting with a container marker opens anything.
        let starts_container = rest
            .bytes()
            .next()
            .is_some_and(|b| matches!(b, b'>' | b'-' | b'+' | b'*' | b'0'..=b'9'));
        // `- - -` alone is a line across the page, not lists.
        let thematic_break = || {
            line.bytes()
                .all(|b| matches!(b, b'-' | b'*' | b'_' | b' ' | b'\t'))
        };
        if !starts_container || thematic_break() {
            return opened;
        }
        while let Some((marker, after)) = container_marker(rest) {
            opened.quotes += usize::from(marker == '>');
            opened.list_markers += usize::from(marker != '>' && marker != '*');
            rest = after.trim_start_matches([' ', '\t']);
        }
        opened
    }
}

/// The container marker `text` starts with (`>`, `-`, `+`, `*`, or `.` or `)` after a number)
/// and the text after it.
fn container_marker(text: &str) -> Option<(char, &str)> {
    if let Some(after) = text.strip_prefix('>') {
        return Some(('>', after));
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let marker_len = if digits == 0 { 1 } else { digits + 1 };
    let marker = text.get(..marker_len)?;
    let last = marker.chars().last()?;
    let is_marker = match digits {
        0 => matches!(last, '-' | '+' | '*'),
        1..=9 => matches!(last, '.' | ')'),
        _ => false,
    };
    let after = &text[marker_len..];
    let spaced = after.is_empty() || after.starts_with([' ', '\t']);
    (is_marker && spaced).then_some((last, after))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(markdown: &str) -> Body<'_> {
        Body {
            markdown,
            first_line: 4,
            rel_path: "pages/x.md",
            file_text: markdown,
            top_level: 2,
            allow_raw_html: false,
        }
    }

    #[test]
    fn refuses_quotes_nested_past_the_limit_at_their_line() {
        let deep = format!("Intro\n\n{}a\n", "> ".repeat(33));
        let refused = check(&body(&deep)).unwrap_err();
        assert_eq!(refused.code, "nesting-too-deep");
        assert_eq!(
            refused.message,
            "block quotes are nested 33 deep here; the limit is 32"
        );
        assert_eq!(refused.line, Some(6));
        let fine = format!("{}a\n", ">".repeat(32));
        assert!(check(&body(&fine)).is_ok());
        let quoted_lists = format!("{}a\n", "> - 1. ".repeat(33));
        assert_eq!(
            check(&body(&quoted_lists)).unwrap_err().code,
            "nesting-too-deep"
        );
        let lists = format!("{}a\n", "- ".repeat(10_000));
        assert!(check(&body(&lists)).is_ok());
    }

    #[test]
    fn counts_the_containers_a_line_opens() {
        let opened = |line| {
            let Opened {
                quotes,
                list_markers,
            } = Opened::by(line);
            (quotes, list_markers)
        };
        assert_eq!(opened("> > - 1. text"), (2, 2));
        assert_eq!(opened(">>* 2) +"), (2, 2));
        assert_eq!(opened("- - - - -"), (0, 0));
        assert_eq!(opened("-1. 2.5 10000000000. a"), (0, 0));
        assert_eq!(opened("Text - with > marks"), (0, 0));
    }

    #[test]
    fn refuses_too_many_marks() {
        let dense = "*a ".repeat(MAX_MARKUP_MARKS + 1);
        assert_eq!(check(&body(&dense)).unwrap_err().code, "too-much-markup");
        let prose = "Ordinary words, with commas. And full stops.\n".repeat(10_000);
        assert!(check(&body(&prose)).is_ok());
    }
}
