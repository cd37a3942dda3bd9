//! Smaller pages without changing what residents see: comments go, runs of spaces and blank
//! lines collapse to one, and whitespace inside `<head>` goes. Tags, attributes and the text
//! of `<pre>`, `<textarea>`, `<script>` and `<style>` are copied exactly, so every link and
//! every rendered line stays as it was. Stylesheets lose comments and spare whitespace.
//!
//! General-purpose minifiers were measured on a 10,000-page site: they saved about 4% more
//! but took longer than the whole rest of the build, and rewrote attributes in ways that theme
//! authors would not expect.

use rayon::prelude::*;

use crate::render::{Contents, OutputFile};

/// Elements whose text is shown (or run) exactly as written.
const VERBATIM_ELEMENTS: &[&str] = &["pre", "textarea", "script", "style"];

/// Minifies the generated HTML and the theme's stylesheets; files copied from the site's own
/// folders are left exactly as they are.
pub fn minify_site(files: &mut [OutputFile]) {
    files.par_iter_mut().for_each(|file| {
        let minify: fn(&str) -> String = if file.path.ends_with(".html") {
            html
        } else if file.path.ends_with(".css") {
            css
        } else {
            return;
        };
        let source: &[u8] = match &file.contents {
            Contents::Bytes(bytes) => bytes,
            Contents::Embedded(bytes) => bytes,
            Contents::CopyOf(_) => return,
        };
        if let Ok(text) = std::str::from_utf8(source) {
            file.contents = Contents::Bytes(minify(text).into_bytes());
        }
    });
}

pub fn html(input: &str) -> String {
    let bytes = input.as_bytes();
    let mut out = String::with_capacity(input.len());
    let mut in_head = false;
    let mut at = 0;
    while at < bytes.len() {
        let Some(offset) = memchr::memchr(b'<', &bytes[at..]) else {
            push_text(&mut out, &input[at..], in_head);
            break;
        };
        let start = at + offset;
        push_text(&mut out, &input[at..start], in_head);
        let rest = &bytes[start..];
        if rest.starts_with(b"<!--") && !rest.starts_with(b"<!--[if") {
            at =
                memchr::memmem::find(&rest[4..], b"-->").map_or(bytes.len(), |e| start + 4 + e + 3);
            continue;
        }
        let end = tag_end(bytes, start);
        let tag = &input[start..end];
        out.push_str(tag);
        at = end;
        let name = tag_name(tag);
        if name.eq_ignore_ascii_case("head") {
            in_head = true;
        } else if name.eq_ignore_ascii_case("/head") {
            in_head = false;
        } else if let Some(verbatim) = VERBATIM_ELEMENTS
            .iter()
            .find(|v| name.eq_ignore_ascii_case(v))
        {
            let close = closing_tag(bytes, at, verbatim);
            out.push_str(&input[at..close]);
            at = close;
        }
    }
    out
}

/// Text between tags, with each run of whitespace made one character: a newline if the run
/// had one, else a space. Browsers show both the same way outside `<pre>`.
fn push_text(out: &mut String, text: &str, in_head: bool) {
    if in_head && text.bytes().all(|b| b.is_ascii_whitespace()) {
        return;
    }
    let mut run: Option<char> = None;
    for c in text.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
            run = Some(if c == '\n' || run == Some('\n') {
                '\n'
            } else {
                ' '
            });
        } else {
            if let Some(space) = run.take() {
                push_space(out, space);
            }
            out.push(c);
        }
    }
    if let Some(space) = run {
        push_space(out, space);
    }
}

/// A removed comment can leave two runs side by side; they collapse into one too.
fn push_space(out: &mut String, space: char) {
    match out.as_bytes().last() {
        Some(b'\n') => {}
        Some(b' ') => {
            if space == '\n' {
                out.pop();
                out.push('\n');
            }
        }
        _ => out.push(space),
    }
}

/// Where the tag starting at `start` ends, past its `>`, minding quoted attribute values.
fn tag_end(bytes: &[u8], start: usize) -> usize {
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate().skip(start + 1) {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') if bytes[i - 1] == b'=' || bytes[i - 1].is_ascii_whitespace() => {
                quote = Some(b)
            }
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    bytes.len()
}

fn tag_name(tag: &str) -> &str {
    let inner = tag.trim_start_matches('<');
    let end = inner
        .find(|c: char| {
            c.is_ascii_whitespace() || c == '>' || (c == '/' && !inner.starts_with('/'))
        })
        .unwrap_or(inner.len());
    &inner[..end]
}

fn closing_tag(bytes: &[u8], from: usize, element: &str) -> usize {
    let mut at = from;
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + offset;
        let name = bytes.get(start + 2..start + 2 + element.len());
        if bytes.get(start + 1) == Some(&b'/')
            && name.is_some_and(|n| n.eq_ignore_ascii_case(element.as_bytes()))
        {
            return start;
        }
        at = start + 1;
    }
    bytes.len()
}

/// Comments (but `/*! … */` notices) and spare whitespace out; strings copied exactly.
pub fn css(input: &str) -> String {
    let bytes = input.as_bytes();
    let mut out = String::with_capacity(input.len());
    let mut pending_space = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'/' && bytes.get(i + 1) == Some(&b'*') && bytes.get(i + 2) != Some(&b'!') {
            i = memchr::memmem::find(&bytes[i + 2..], b"*/").map_or(bytes.len(), |e| i + 2 + e + 2);
            pending_space = true;
            continue;
        }
        if b.is_ascii_whitespace() {
            pending_space = true;
            i += 1;
            continue;
        }
        let tight = |c: u8| matches!(c, b'{' | b'}' | b';' | b',');
        if pending_space && !out.is_empty() && !tight(b) && !out.bytes().last().is_some_and(tight) {
            out.push(' ');
        }
        pending_space = false;
        let end = match b {
            b'"' | b'\'' => string_end(bytes, i),
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                memchr::memmem::find(&bytes[i + 2..], b"*/").map_or(bytes.len(), |e| i + 2 + e + 2)
            }
            _ => i + input[i..].chars().next().map_or(1, char::len_utf8),
        };
        if b == b'}' && out.ends_with(';') {
            out.pop();
        }
        out.push_str(&input[i..end]);
        i = end;
    }
    out
}

fn string_end(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapses_whitespace_but_keeps_tags_and_pre() {
        let page = "<!DOCTYPE html>\n<html>\n<head>\n  <meta charset=\"utf-8\">\n  <title>A  b</title>\n</head>\n<body>\n\n\n<p>One   two\n\n three <!-- note --> four</p>\n<pre>  keep\n\n  this </pre>\n<a href=\"/x/\" title='a > b'>x</a> <a href=\"/y/\">y</a>\n</body>\n</html>\n";
        assert_eq!(
            html(page),
            "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>A b</title></head>\n<body>\n<p>One two\nthree four</p>\n<pre>  keep\n\n  this </pre>\n<a href=\"/x/\" title='a > b'>x</a> <a href=\"/y/\">y</a>\n</body>\n</html>\n"
        );
    }

    #[test]
    fn keeps_scripts_exactly() {
        let page = "<script type=\"application/ld+json\">{\"a\":  \"<b>\"}</script>  <p>x</p>";
        assert_eq!(
            html(page),
            "<script type=\"application/ld+json\">{\"a\":  \"<b>\"}</script> <p>x</p>"
        );
    }

    #[test]
    fn minifies_stylesheets() {
        let sheet = "/* theme */\nbody {\n  color: red;\n  font-family: \"A  B\", sans-serif;\n}\n\na:hover , b { x: y }\n/*! licence */";
        assert_eq!(
            css(sheet),
            "body{color: red;font-family: \"A  B\",sans-serif}a:hover,b{x: y}/*! licence */"
        );
    }
}
