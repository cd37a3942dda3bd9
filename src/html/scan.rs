//! The one HTML tokenizer: tags with their attributes, comments, declarations, the raw text of
//! `<script>`, `<style>`, `<textarea>` and `<title>`, text, and character references. It
//! follows the HTML tokenizer's rules for where a tag ends (a quote opens a value only after
//! `=`), but builds no tree: it only reports byte ranges, so callers can copy, rewrite or read
//! the page in one pass. Every range starts and ends at an ASCII delimiter, so it is also a
//! character boundary of UTF-8 text.
//!
//! Hand-written over `memchr` because it runs over every page of the site, several times.

use std::ops::Range;

/// Elements whose content is text up to their end tag, never markup.
const RAW_TEXT_ELEMENTS: &[&str] = &["script", "style", "textarea", "title"];

/// HTML's ASCII whitespace.
pub fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// One piece of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// Text between markup, character references still encoded.
    Text(Range<usize>),
    /// The content of a raw-text element, up to its end tag: `element` is its lower-case name.
    RawText {
        range: Range<usize>,
        element: &'static str,
    },
    /// `<name …>`; its attributes are [`Scanner::attributes`] until the next token.
    StartTag(Tag),
    /// `</name …>`.
    EndTag(Tag),
    /// `<!-- … -->`, whole.
    Comment(Range<usize>),
    /// `<!DOCTYPE …>`, `<?…>` and other `<!…>` or `</…>` that name no element.
    Declaration(Range<usize>),
}

/// Where a tag is, and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// From `<` to just past `>` (or the end of the page when it never closes).
    pub range: Range<usize>,
    pub name: Range<usize>,
}

impl Tag {
    /// Whether this is the element `name` (lower case), ignoring the case it is written in.
    pub fn is(&self, bytes: &[u8], name: &str) -> bool {
        bytes[self.name.clone()].eq_ignore_ascii_case(name.as_bytes())
    }
}

/// One attribute of a start tag: its value as written (without quotes, references encoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub name: Range<usize>,
    pub value: Option<Range<usize>>,
}

impl Attribute {
    /// Whether this is the attribute `name` (lower case), ignoring the case it is written in.
    pub fn is(&self, bytes: &[u8], name: &str) -> bool {
        bytes[self.name.clone()].eq_ignore_ascii_case(name.as_bytes())
    }
}

/// Reads tokens one at a time. It does not hold the page, so a caller may write into the part
/// of the buffer already read (the minifier compacts pages in place).
#[derive(Debug, Default)]
pub struct Scanner {
    at: usize,
    raw_text: Option<&'static str>,
    attributes: Vec<Attribute>,
}

impl Scanner {
    /// Continues from `at` (past what the caller has dealt with itself), in ordinary text.
    pub fn skip_to(&mut self, at: usize) {
        self.at = at;
        self.raw_text = None;
    }

    /// The attributes of the last start tag read.
    pub fn attributes(&self) -> &[Attribute] {
        &self.attributes
    }

    /// The next token of `bytes`, which must be the same page on every call.
    pub fn next(&mut self, bytes: &[u8]) -> Option<Token> {
        let start = self.at;
        if start >= bytes.len() {
            return None;
        }
        if let Some(element) = self.raw_text.take() {
            let end = end_tag_start(bytes, start, element);
            self.at = end;
            if end > start {
                return Some(Token::RawText {
                    range: start..end,
                    element,
                });
            }
            if end >= bytes.len() {
                return None;
            }
        }
        let text_end = markup_start(bytes, self.at);
        if text_end > self.at {
            let text = self.at..text_end;
            self.at = text_end;
            return Some(Token::Text(text));
        }
        Some(self.markup(bytes))
    }

    /// The markup that starts at `self.at`, which `markup_start` found.
    fn markup(&mut self, bytes: &[u8]) -> Token {
        let start = self.at;
        let rest = &bytes[start + 1..];
        if rest.starts_with(b"!--") {
            self.at = find(bytes, start + 4, b"-->").map_or(bytes.len(), |end| end + 3);
            return Token::Comment(start..self.at);
        }
        let closing = rest[0] == b'/';
        let name_start = start + 1 + usize::from(closing);
        if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            self.at = memchr::memchr(b'>', rest).map_or(bytes.len(), |end| start + 2 + end);
            return Token::Declaration(start..self.at);
        }
        let mut name_end = name_start;
        while name_end < bytes.len()
            && !is_space(bytes[name_end])
            && !matches!(bytes[name_end], b'>' | b'/')
        {
            name_end += 1;
        }
        self.attributes.clear();
        self.at = read_attributes(bytes, name_end, &mut self.attributes);
        let tag = Tag {
            range: start..self.at,
            name: name_start..name_end,
        };
        if closing {
            return Token::EndTag(tag);
        }
        self.raw_text = RAW_TEXT_ELEMENTS
            .iter()
            .find(|raw| tag.is(bytes, raw))
            .copied();
        Token::StartTag(tag)
    }
}

/// Where the next tag, comment or declaration starts at or after `from` (a `<` followed by a
/// letter, `/`, `!` or `?`), or the end: any other `<` is text.
fn markup_start(bytes: &[u8], from: usize) -> usize {
    let mut at = from;
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + offset;
        match bytes.get(start + 1) {
            Some(b) if b.is_ascii_alphabetic() || matches!(b, b'/' | b'!' | b'?') => return start,
            None => return bytes.len(),
            _ => at = start + 1,
        }
    }
    bytes.len()
}

/// Reads attributes from just after a tag's name into `found`; returns where the tag ends,
/// past its `>`.
fn read_attributes(bytes: &[u8], from: usize, found: &mut Vec<Attribute>) -> usize {
    let len = bytes.len();
    let mut i = from;
    loop {
        while i < len && (is_space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        if i >= len {
            return len;
        }
        if bytes[i] == b'>' {
            return i + 1;
        }
        let name_start = i;
        // The first character may be `=` or a quote: both are part of the name there.
        i += 1;
        while i < len && !is_space(bytes[i]) && !matches!(bytes[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = name_start..i;
        while i < len && is_space(bytes[i]) {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            found.push(Attribute { name, value: None });
            continue;
        }
        i += 1;
        while i < len && is_space(bytes[i]) {
            i += 1;
        }
        let value = match bytes.get(i) {
            Some(&quote @ (b'"' | b'\'')) => {
                let end = memchr::memchr(quote, &bytes[i + 1..]).map_or(len, |e| i + 1 + e);
                let value = i + 1..end;
                i = (end + 1).min(len);
                value
            }
            _ => {
                let start = i;
                while i < len && !is_space(bytes[i]) && bytes[i] != b'>' {
                    i += 1;
                }
                start..i
            }
        };
        found.push(Attribute {
            name,
            value: Some(value),
        });
    }
}

/// Where `</element` next starts (any case, followed by space, `/`, `>` or the end) at or
/// after `from`, or the end: the end of raw text, or of a `<pre>` kept exactly.
pub fn end_tag_start(bytes: &[u8], from: usize, element: &str) -> usize {
    let mut at = from;
    while let Some(offset) = memchr::memmem::find(&bytes[at..], b"</") {
        let start = at + offset;
        let name_end = start + 2 + element.len();
        let name = bytes.get(start + 2..name_end);
        if name.is_some_and(|n| n.eq_ignore_ascii_case(element.as_bytes()))
            && bytes
                .get(name_end)
                .is_none_or(|&b| is_space(b) || matches!(b, b'/' | b'>'))
        {
            return start;
        }
        at = start + 2;
    }
    bytes.len()
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(bytes.get(from..)?, needle).map(|i| from + i)
}

/// A piece of the text of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Words as written.
    Text(&'a str),
    /// A character reference and what it stands for; `None` for an `&` that starts none.
    Reference(Option<char>),
    /// A tag, comment, declaration, or script or style, in place of which there is no text.
    Markup,
}

/// The run of plain text or the character reference at the start of `rest`, which has no
/// markup, and `rest` moved past it. `None` when `rest` is empty.
fn next_piece<'a>(rest: &mut &'a str) -> Option<Piece<'a>> {
    let text = *rest;
    if text.is_empty() {
        return None;
    }
    let at = memchr::memchr(b'&', text.as_bytes()).unwrap_or(text.len());
    if at > 0 {
        *rest = &text[at..];
        return Some(Piece::Text(&text[..at]));
    }
    let reference = character_reference(text);
    *rest = &text[reference.map_or(1, |(_, used)| used)..];
    Some(Piece::Reference(reference.map(|(c, _)| c)))
}

/// The pieces of `html` in order: runs of text, character references, and markup.
pub fn text_pieces(html: &str) -> TextPieces<'_> {
    TextPieces {
        html,
        scanner: Scanner::default(),
        rest: "",
    }
}

/// See [`text_pieces`].
pub struct TextPieces<'a> {
    html: &'a str,
    scanner: Scanner,
    /// What is left of the text token being read.
    rest: &'a str,
}

impl<'a> Iterator for TextPieces<'a> {
    type Item = Piece<'a>;

    fn next(&mut self) -> Option<Piece<'a>> {
        if let Some(piece) = next_piece(&mut self.rest) {
            return Some(piece);
        }
        loop {
            match self.scanner.next(self.html.as_bytes())? {
                Token::Text(range) => self.rest = &self.html[range],
                Token::RawText { range, element } if !matches!(element, "script" | "style") => {
                    self.rest = &self.html[range];
                }
                _ => return Some(Piece::Markup),
            }
            if let Some(piece) = next_piece(&mut self.rest) {
                return Some(piece);
            }
        }
    }
}

/// Undoes the character references templates and Markdown write in text and attributes.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(piece) = next_piece(&mut rest) {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Reference(c) => out.push(c.unwrap_or('&')),
            Piece::Markup => {}
        }
    }
    out
}

/// The text of a fragment of HTML with its tags left out (not replaced by spaces) and
/// character references decoded.
pub fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    for piece in text_pieces(html) {
        match piece {
            Piece::Text(words) => text.push_str(words),
            Piece::Reference(c) => text.push(c.unwrap_or('&')),
            Piece::Markup => {}
        }
    }
    text
}

/// The character reference at the start of `text` (which starts with `&`): the character it
/// stands for and how many bytes it takes, or `None` for an ampersand that starts none.
/// Waymark's own HTML uses only these named references, and numeric ones.
pub fn character_reference(text: &str) -> Option<(char, usize)> {
    // The longest reference written is 10 bytes with its `&`, so the `;` is looked for only
    // that far: a lone `&` in a long text costs nothing.
    let bytes = text.as_bytes();
    let end = 1 + memchr::memchr(b';', bytes.get(1..bytes.len().min(11))?)?;
    let name = &text[1..end];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        _ => name
            .strip_prefix("#x")
            .or_else(|| name.strip_prefix("#X"))
            .map(|hex| u32::from_str_radix(hex, 16))
            .or_else(|| name.strip_prefix('#').map(str::parse::<u32>))?
            .ok()
            .and_then(char::from_u32)?,
    };
    Some((c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_character_references() {
        assert_eq!(
            decode_entities("a&amp;b&#x2F;c&#47;&bogus;"),
            "a&b/c/&bogus;"
        );
    }

    fn tokens(html: &str) -> Vec<(String, &str)> {
        let mut scanner = Scanner::default();
        let mut found = Vec::new();
        while let Some(token) = scanner.next(html.as_bytes()) {
            let (kind, range) = match token {
                Token::Text(range) => ("text".to_string(), range),
                Token::RawText { range, element } => (format!("raw {element}"), range),
                Token::StartTag(tag) => {
                    let names: Vec<&str> = scanner
                        .attributes()
                        .iter()
                        .map(|a| &html[a.name.clone()])
                        .collect();
                    (format!("<{} {names:?}", &html[tag.name]), tag.range)
                }
                Token::EndTag(tag) => (format!("</{}", &html[tag.name]), tag.range),
                Token::Comment(range) => ("comment".to_string(), range),
                Token::Declaration(range) => ("declaration".to_string(), range),
            };
            found.push((kind, &html[range]));
        }
        found
    }

    #[test]
    fn splits_a_page_into_tags_text_and_comments() {
        let html = "<!DOCTYPE html><p class=x>a < b &amp; c<!-- <i> --></P><?php x ?>";
        assert_eq!(
            tokens(html),
            vec![
                ("declaration".to_string(), "<!DOCTYPE html>"),
                ("<p [\"class\"]".to_string(), "<p class=x>"),
                ("text".to_string(), "a < b &amp; c"),
                ("comment".to_string(), "<!-- <i> -->"),
                ("</P".to_string(), "</P>"),
                ("declaration".to_string(), "<?php x ?>"),
            ]
        );
    }

    #[test]
    fn ends_tags_at_the_first_unquoted_angle_bracket() {
        let html = "<b title='a > b' data-x = \"c>d\" it's=ok hidden/>t<a 'x>'>";
        let found = tokens(html);
        assert_eq!(
            found[0],
            (
                "<b [\"title\", \"data-x\", \"it's\", \"hidden\"]".to_string(),
                "<b title='a > b' data-x = \"c>d\" it's=ok hidden/>"
            )
        );
        assert_eq!(found[1], ("text".to_string(), "t"));
        assert_eq!(found[2], ("<a [\"'x\"]".to_string(), "<a 'x>"));
        assert_eq!(found[3], ("text".to_string(), "'>"));
    }

    #[test]
    fn reads_values_quoted_unquoted_and_missing() {
        let html = "<img src=/a.png alt='A \"b\"' title = \"t\" ismap>";
        let mut scanner = Scanner::default();
        scanner.next(html.as_bytes());
        let values: Vec<Option<&str>> = scanner
            .attributes()
            .iter()
            .map(|a| a.value.clone().map(|v| &html[v]))
            .collect();
        assert_eq!(values, [Some("/a.png"), Some("A \"b\""), Some("t"), None]);
    }

    #[test]
    fn keeps_raw_text_whole_up_to_its_end_tag() {
        let html = "<script>if (a<b) x('</p>')</scripts></SCRIPT ><title>A <b></title>";
        assert_eq!(
            tokens(html),
            vec![
                ("<script []".to_string(), "<script>"),
                ("raw script".to_string(), "if (a<b) x('</p>')</scripts>"),
                ("</SCRIPT".to_string(), "</SCRIPT >"),
                ("<title []".to_string(), "<title>"),
                ("raw title".to_string(), "A <b>"),
                ("</title".to_string(), "</title>"),
            ]
        );
        assert_eq!(end_tag_start(b"<pre>x</PRE>", 5, "pre"), 6);
        assert_eq!(end_tag_start(b"<pre>x</prefix>", 5, "pre"), 15);
    }

    #[test]
    fn reads_the_text_of_a_fragment() {
        assert_eq!(
            plain_text(
                "Fish &amp; <a href=\"/c/\" title=\"a>b\">chips</a>&nbsp;<script>x</script>!"
            ),
            "Fish & chips\u{a0}!"
        );
        let pieces: Vec<Piece<'_>> = text_pieces("a&lt;<br>&bogus").collect();
        assert_eq!(
            pieces,
            [
                Piece::Text("a"),
                Piece::Reference(Some('<')),
                Piece::Markup,
                Piece::Reference(None),
                Piece::Text("bogus")
            ]
        );
    }

    proptest::proptest! {
        /// Whatever the markup, the tokens cover the page in order, each byte once, and
        /// every range starts and ends on a character boundary.
        #[test]
        fn tokens_cover_the_page_once(parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "<p>", "</p>", "<a href=\"/x y/\">", "<b title='a > b'>", "<!-- c -->", "<!--",
                "-->", "<script>", "</script>", "<title>", "</TITLE >", "<!DOCTYPE html>", "<",
                ">", "</", "'", "\"", "=", " ", "\n", "word", "é", "&amp;", "&", "<br/>", "<?x?>",
            ]),
            0..40,
        )) {
            let page: String = parts.concat();
            let mut scanner = Scanner::default();
            let mut at = 0;
            while let Some(token) = scanner.next(page.as_bytes()) {
                let range = match token {
                    Token::Text(range) | Token::Comment(range) | Token::Declaration(range) => range,
                    Token::RawText { range, .. } => range,
                    Token::StartTag(tag) | Token::EndTag(tag) => tag.range,
                };
                proptest::prop_assert_eq!(range.start, at);
                proptest::prop_assert!(range.end > range.start);
                proptest::prop_assert!(page.is_char_boundary(range.end));
                at = range.end;
            }
            proptest::prop_assert_eq!(at, page.len());
        }
    }
}
