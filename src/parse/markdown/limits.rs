//! Refuses a body the Markdown parser would need too much memory for, before it starts: block
//! quotes nested too deep, or too many marks that each can start an element.

use super::Body;
use crate::diagnostics::{Diagnostic, thousands};
use crate::limits::{MAX_MARKUP_MARKS, MAX_NESTING_DEPTH};

/// Characters that can start a Markdown element (emphasis, code, link, image, HTML, table
/// cell, strikethrough, escape, block quote); with line breaks, an upper bound on the elements
/// the parser makes, give or take a small factor.
const MARKS: &[u8] = b"*_`[]<>|!~\\\n";

pub(super) fn check(body: &Body<'_>) -> Result<(), Diagnostic> {
    for (index, line) in body.markdown.lines().enumerate() {
        let depth = quote_depth(line);
        if depth > MAX_NESTING_DEPTH {
            let line = body.first_line + index as u32;
            return Err(Diagnostic::error(
                "nesting-too-deep",
                format!(
                    "block quotes are nested {depth} deep here; the limit is {MAX_NESTING_DEPTH}"
                ),
            )
            .at(body.file_text, line, 1)
            .with_hint("a quote inside a quote is rarely needed; remove some of the `>` marks"));
        }
    }
    let marks = body.markdown.bytes().filter(|b| MARKS.contains(b)).count();
    if marks > MAX_MARKUP_MARKS {
        return Err(Diagnostic::error(
            "too-much-markup",
            format!(
                "this file has {} line breaks and Markdown marks (* _ ` [ ] < > | ! ~ \\); the limit is {}",
                thousands(marks),
                thousands(MAX_MARKUP_MARKS)
            ),
        )
        .with_hint("split the text into several pages"));
    }
    Ok(())
}

/// How many `>` open the line, with the spaces between them.
fn quote_depth(line: &str) -> usize {
    let mut depth = 0;
    for byte in line.bytes() {
        match byte {
            b'>' => depth += 1,
            b' ' | b'\t' => {}
            _ => break,
        }
    }
    depth
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
    }

    #[test]
    fn refuses_too_many_marks() {
        let dense = "*a ".repeat(MAX_MARKUP_MARKS + 1);
        assert_eq!(check(&body(&dense)).unwrap_err().code, "too-much-markup");
        let prose = "Ordinary words, with commas. And full stops.\n".repeat(10_000);
        assert!(check(&body(&prose)).is_ok());
    }
}
