//! Smaller pages without changing what residents see: comments go, runs of spaces and blank
//! lines collapse to one, and whitespace inside `<head>` goes. Tags, attributes and the text
//! of `<pre>`, `<textarea>`, `<script>` and `<style>` are copied exactly, so every link and
//! every rendered line stays as it was. Stylesheets lose comments and spare whitespace.
//!
//! General-purpose minifiers were measured on a 10,000-page site: they saved about 4% more
//! but took longer than the whole rest of the build, and rewrote attributes in ways that theme
//! authors would not expect.

use rayon::prelude::*;

use crate::html::scan::{Scanner, Token, end_tag_start, is_space};
use crate::output::{Contents, OutputFile};

/// Elements whose text is shown (or run) exactly as written.
const VERBATIM_ELEMENTS: &[&str] = &["pre", "textarea", "script", "style"];

/// Minifies the generated HTML and the theme's stylesheets; files copied from the site's own
/// folders are left exactly as they are.
pub fn minify_site(files: &mut [OutputFile]) {
    files.par_iter_mut().for_each(|file| {
        let is_html = file.path.ends_with(".html");
        if !is_html && !file.path.ends_with(".css") {
            return;
        }
        let mut bytes = match std::mem::replace(&mut file.contents, Contents::Bytes(Vec::new())) {
            Contents::Bytes(bytes) => bytes,
            Contents::Embedded(bytes) => bytes.to_vec(),
            copied @ Contents::CopyOf(_) => {
                file.contents = copied;
                return;
            }
        };
        if is_html {
            html_in_place(&mut bytes);
        } else if let Ok(text) = std::str::from_utf8(&bytes) {
            bytes = css(text).into_bytes();
        }
        file.contents = Contents::Bytes(bytes);
    });
}

#[cfg(test)]
pub fn html(input: &str) -> String {
    let mut bytes = input.as_bytes().to_vec();
    html_in_place(&mut bytes);
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Minifies a page where it lies: the output is never longer than what it has read, so it is
/// written over the input, with no second copy of the page. Every cut is at an ASCII
/// character, so UTF-8 text stays whole.
fn html_in_place(buf: &mut Vec<u8>) {
    let mut out = Compactor { buf, written: 0 };
    let mut scanner = Scanner::default();
    let mut in_head = false;
    while let Some(token) = scanner.next(out.buf) {
        match token {
            Token::Text(text) => push_text(&mut out, text, in_head),
            // `<title>` text shows as any other text does; scripts and styles run as written.
            Token::RawText {
                range,
                element: "title",
            } => {
                push_text(&mut out, range, in_head);
            }
            Token::RawText { range, .. } => out.copy(range),
            Token::Comment(range) if !out.buf[range.clone()].starts_with(b"<!--[if") => {}
            Token::Comment(range) | Token::Declaration(range) => out.copy(range),
            Token::EndTag(tag) => {
                in_head &= !tag.is(out.buf, "head");
                out.copy(tag.range);
            }
            Token::StartTag(tag) => {
                in_head |= tag.is(out.buf, "head");
                let verbatim = VERBATIM_ELEMENTS.iter().find(|v| tag.is(out.buf, v));
                out.copy(tag.range.clone());
                if let Some(verbatim) = verbatim {
                    let close = end_tag_start(out.buf, tag.range.end, verbatim);
                    out.copy(tag.range.end..close);
                    scanner.skip_to(close);
                }
            }
        }
    }
    let written = out.written;
    buf.truncate(written);
}

/// Writes into the front of the buffer it reads from; writing never overtakes reading.
struct Compactor<'a> {
    buf: &'a mut Vec<u8>,
    written: usize,
}

impl Compactor<'_> {
    fn copy(&mut self, range: std::ops::Range<usize>) {
        let length = range.len();
        self.buf.copy_within(range, self.written);
        self.written += length;
    }

    fn last(&self) -> Option<u8> {
        self.written.checked_sub(1).map(|i| self.buf[i])
    }

    /// A removed comment can leave two runs side by side; they collapse into one too.
    fn space(&mut self, space: u8) {
        match self.last() {
            Some(b'\n') => {}
            Some(b' ') => {
                if space == b'\n' {
                    self.buf[self.written - 1] = b'\n';
                }
            }
            _ => {
                self.buf[self.written] = space;
                self.written += 1;
            }
        }
    }
}

/// Text between tags, with each run of whitespace made one character: a newline if the run
/// had one, else a space. Browsers show both the same way outside `<pre>`.
fn push_text(out: &mut Compactor<'_>, text: std::ops::Range<usize>, in_head: bool) {
    let bytes = &out.buf[text.clone()];
    if in_head && bytes.iter().all(|&b| is_space(b)) {
        return;
    }
    // Most text has nothing to collapse and is moved whole; the search is vectorised.
    if !needs_collapsing(bytes, out.last()) {
        out.copy(text);
        return;
    }
    let mut at = text.start;
    while at < text.end {
        let word_end = out.buf[at..text.end]
            .iter()
            .position(|&b| is_space(b))
            .map_or(text.end, |i| at + i);
        out.copy(at..word_end);
        let run_end = out.buf[word_end..text.end]
            .iter()
            .position(|&b| !is_space(b))
            .map_or(text.end, |i| word_end + i);
        if run_end > word_end {
            let newline = out.buf[word_end..run_end].contains(&b'\n');
            out.space(if newline { b'\n' } else { b' ' });
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

    proptest::proptest! {
        /// Whatever the markup, minifying changes only whitespace (outside `<pre>` and the
        /// other verbatim elements) and is done in one go.
        #[test]
        fn changes_nothing_but_whitespace(parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "<p>", "</p>", "<pre>", "</pre>", "<a href=\"/x  y/\">", "</a>", " ", "  ", "\n",
                "\n\n", "\t", "word", "é", "<head>", "</head>", "<title>", "</title>", "<br/>",
                "<b title='a > b'>", "</b>",
            ]),
            0..40,
        )) {
            let page: String = parts.concat();
            let once = html(&page);
            let squeeze = |s: &str| s.split_whitespace().collect::<String>();
            proptest::prop_assert_eq!(squeeze(&once), squeeze(&page));
            proptest::prop_assert_eq!(html(&once), once.clone());
            proptest::prop_assert!(once.len() <= page.len());
        }
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
