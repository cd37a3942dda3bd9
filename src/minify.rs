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
        let source: &[u8] = match &file.contents {
            Contents::Bytes(bytes) => bytes,
            Contents::Embedded(bytes) => bytes,
            Contents::CopyOf(_) => return,
        };
        let minified = if file.path.ends_with(".html") {
            html_bytes(source)
        } else if file.path.ends_with(".css") {
            match std::str::from_utf8(source) {
                Ok(text) => css(text).into_bytes(),
                Err(_) => return,
            }
        } else {
            return;
        };
        file.contents = Contents::Bytes(minified);
    });
}

pub fn html(input: &str) -> String {
    let minified = html_bytes(input.as_bytes());
    String::from_utf8(minified)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Works on bytes: every cut is at an ASCII character, so UTF-8 text stays whole without
/// being validated again.
fn html_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut in_head = false;
    let mut at = 0;
    while at < bytes.len() {
        let Some(offset) = memchr::memchr(b'<', &bytes[at..]) else {
            push_text(&mut out, &bytes[at..], in_head);
            break;
        };
        let start = at + offset;
        push_text(&mut out, &bytes[at..start], in_head);
        let rest = &bytes[start..];
        if rest.starts_with(b"<!--") && !rest.starts_with(b"<!--[if") {
            at =
                memchr::memmem::find(&rest[4..], b"-->").map_or(bytes.len(), |e| start + 4 + e + 3);
            continue;
        }
        let end = tag_end(bytes, start);
        let tag = &bytes[start..end];
        out.extend_from_slice(tag);
        at = end;
        let name = tag_name(tag);
        if name.eq_ignore_ascii_case(b"head") {
            in_head = true;
        } else if name.eq_ignore_ascii_case(b"/head") {
            in_head = false;
        } else if let Some(verbatim) = VERBATIM_ELEMENTS
            .iter()
            .find(|v| name.eq_ignore_ascii_case(v.as_bytes()))
        {
            let close = closing_tag(bytes, at, verbatim);
            out.extend_from_slice(&bytes[at..close]);
            at = close;
        }
    }
    out
}

/// Text between tags, with each run of whitespace made one character: a newline if the run
/// had one, else a space. Browsers show both the same way outside `<pre>`.
fn push_text(out: &mut Vec<u8>, text: &[u8], in_head: bool) {
    if in_head && text.iter().all(|&b| is_space(b)) {
        return;
    }
    // Most text has nothing to collapse and is copied whole; the search is vectorised.
    if !needs_collapsing(text, out.last().copied()) {
        out.extend_from_slice(text);
        return;
    }
    let mut at = 0;
    while at < text.len() {
        let word_end = text[at..]
            .iter()
            .position(|&b| is_space(b))
            .map_or(text.len(), |i| at + i);
        out.extend_from_slice(&text[at..word_end]);
        let run_end = text[word_end..]
            .iter()
            .position(|&b| !is_space(b))
            .map_or(text.len(), |i| word_end + i);
        if run_end > word_end {
            let newline = text[word_end..run_end].contains(&b'\n');
            push_space(out, if newline { b'\n' } else { b' ' });
        }
        at = run_end;
    }
}

/// Whether `text` has a run of two or more whitespace characters, or one other than a space
/// or newline, or starts a run with what was written before it.
fn needs_collapsing(text: &[u8], before: Option<u8>) -> bool {
    let Some(&first) = text.first() else {
        return false;
    };
    if is_space(first) && before.is_some_and(is_space) {
        return true;
    }
    if memchr::memchr3(b'\t', b'\r', b'\x0c', text).is_some()
        || memchr::memmem::find(text, b"  ").is_some()
    {
        return true;
    }
    memchr::memchr_iter(b'\n', text)
        .any(|i| (i > 0 && is_space(text[i - 1])) || text.get(i + 1).is_some_and(|&b| is_space(b)))
}

fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// A removed comment can leave two runs side by side; they collapse into one too.
fn push_space(out: &mut Vec<u8>, space: u8) {
    match out.last() {
        Some(b'\n') => {}
        Some(b' ') => {
            if space == b'\n' {
                out.pop();
                out.push(b'\n');
            }
        }
        _ => out.push(space),
    }
}

/// Where the tag starting at `start` ends, past its `>`, minding quoted attribute values.
fn tag_end(bytes: &[u8], start: usize) -> usize {
    let mut at = start + 1;
    while let Some(offset) = memchr::memchr3(b'>', b'"', b'\'', &bytes[at..]) {
        let i = at + offset;
        let quote = bytes[i];
        if quote == b'>' {
            return i + 1;
        }
        // A quote opens a value only after `=` (or space before it); else it is part of a name.
        let opens = bytes[i - 1] == b'=' || bytes[i - 1].is_ascii_whitespace();
        at = if opens {
            memchr::memchr(quote, &bytes[i + 1..]).map_or(bytes.len(), |e| i + 1 + e + 1)
        } else {
            i + 1
        };
    }
    bytes.len()
}

fn tag_name(tag: &[u8]) -> &[u8] {
    let inner = tag.strip_prefix(b"<").unwrap_or(tag);
    let closing = inner.starts_with(b"/");
    let end = inner
        .iter()
        .position(|&c| is_space(c) || c == b'>' || (c == b'/' && !closing))
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
