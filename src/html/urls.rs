//! Addresses: percent-coding, schemes, finding the URLs in a page's attributes, and resolving
//! a link from the page it is on the way a browser does (WHATWG rules, through the `url`
//! crate).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use std::ops::Range;

use url::Url;

use crate::html::scan::{Scanner, Token, is_space};

/// What may stay as written where only URI characters may appear: RFC 3986's unreserved and
/// reserved characters, and `%` so that existing escapes survive.
const URI_KEEPS: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@')
    .remove(b'%')
    .remove(b'?')
    .remove(b'#')
    .remove(b'[')
    .remove(b']');

/// What one path segment keeps: only RFC 3986's unreserved characters.
const SEGMENT_KEEPS: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Attributes whose value is one URL.
const URL_ATTRIBUTES: &[&str] = &["href", "src", "poster", "action"];

/// Resolution needs an absolute base; this host is reserved (RFC 2606) and never shown.
const NOWHERE: &str = "http://waymark.invalid";

/// A path or address made safe where only URI characters may appear (sitemaps, calendars):
/// bytes outside the URI set, such as letters with accents, are percent-encoded.
pub fn encode_uri(text: &str) -> String {
    utf8_percent_encode(text, URI_KEEPS).to_string()
}

/// One path segment with everything but unreserved characters percent-encoded.
pub fn encode_segment(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT_KEEPS).to_string()
}

/// Undoes `%XX` escapes; invalid escapes stay as written, and bytes that are not UTF-8 become
/// U+FFFD.
pub fn percent_decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// The bytes `%XX` escapes stand for, or `None` when a `%` starts no escape: for callers that
/// must refuse what cannot be read one way only.
pub fn percent_decode_exact(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let well_formed = memchr::memchr_iter(b'%', bytes).all(|at| {
        bytes
            .get(at + 1..at + 3)
            .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    well_formed.then(|| percent_decode_str(text).collect())
}

/// The scheme `url` starts with (`https` in `https://…`, `mailto` in `mailto:…`), as written:
/// compare it ignoring case. `None` for a relative reference.
pub fn scheme(url: &str) -> Option<&str> {
    let colon = url.find(':')?;
    let candidate = &url[..colon];
    let valid = candidate.starts_with(|c: char| c.is_ascii_alphabetic())
        && candidate
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'));
    valid.then_some(candidate)
}

/// Whether `url` names its own host or scheme (`https://…`, `//host/…`, `mailto:…`) rather
/// than a place on the site it is written in.
pub fn is_absolute(url: &str) -> bool {
    url.starts_with("//") || scheme(url).is_some()
}

/// The path from the root that the relative `reference` leads to from `from` (itself a path
/// from the root, `/sub/meetings/m/`), decoded, without query or fragment. `..` never climbs
/// above the root. `None` for what no browser could resolve.
pub fn resolve_path(from: &str, reference: &str) -> Option<String> {
    if !from.starts_with('/') {
        return None;
    }
    let page = Url::parse(&format!("{NOWHERE}{from}")).ok()?;
    let url = page.join(reference).ok()?;
    Some(percent_decode(url.path()))
}

/// `reference`, found on the page at the absolute address `page_url`, as an absolute address.
/// `None` when it is one already, or names nothing (empty).
pub fn absolute(reference: &str, page_url: &str) -> Option<String> {
    if reference.is_empty() || is_absolute(reference) {
        return None;
    }
    if reference.starts_with('#') {
        return Some(format!("{page_url}{reference}"));
    }
    Url::parse(page_url)
        .and_then(|page| page.join(reference))
        .ok()
        .map(String::from)
}

/// Calls `found` with the byte range of every URL in an attribute of `html`, as written
/// (still entity-encoded). Ranges start and end at ASCII delimiters, so they are also
/// character boundaries of the text.
pub fn for_each_url(bytes: &[u8], mut found: impl FnMut(Range<usize>)) {
    let mut scanner = Scanner::default();
    while let Some(token) = scanner.next(bytes) {
        if !matches!(token, Token::StartTag(_)) {
            continue;
        }
        for attribute in scanner.attributes() {
            let Some(value) = attribute.value.clone() else {
                continue;
            };
            if URL_ATTRIBUTES.iter().any(|a| attribute.is(bytes, a)) {
                found(value);
            } else if attribute.is(bytes, "srcset") {
                srcset_urls(bytes, value, &mut found);
            }
        }
    }
}

/// `srcset="a.png 1x, b.png 2x"`: each candidate's URL.
fn srcset_urls(bytes: &[u8], value: Range<usize>, found: &mut impl FnMut(Range<usize>)) {
    let mut i = value.start;
    while i < value.end {
        while i < value.end && (is_space(bytes[i]) || bytes[i] == b',') {
            i += 1;
        }
        let start = i;
        while i < value.end && !is_space(bytes[i]) {
            i += 1;
        }
        let mut end = i;
        while end > start && bytes[end - 1] == b',' {
            end -= 1;
        }
        if end > start {
            found(start..end);
        }
        while i < value.end && bytes[i] != b',' {
            i += 1;
        }
    }
}

/// `html` with every link absolute, for reading outside the site (feed readers). `page_url`
/// is the absolute address of the page the HTML belongs to.
pub fn absolutize(html: &str, page_url: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut copied = 0;
    for_each_url(html.as_bytes(), |range| {
        if let Some(absolute) = absolute(html[range.clone()].trim(), page_url) {
            out.push_str(&html[copied..range.start]);
            out.push_str(&absolute);
            copied = range.end;
        }
    });
    out.push_str(&html[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(html: &str) -> Vec<&str> {
        let mut found = Vec::new();
        for_each_url(html.as_bytes(), |range| found.push(&html[range]));
        found
    }

    #[test]
    fn finds_urls_in_attributes_only() {
        let html = "<p>href=\"/no\"</p><a class=x href=\"/a/\">a</a><img alt='i' src='/i.png'>\
            <!-- <a href=\"/comment\"> --><script>var a = '<a href=\"/script\">';</script>\
            <link rel=stylesheet href=/s.css><img srcset=\"/1.png 1x, /2.png 2x\">";
        assert_eq!(
            urls(html),
            vec!["/a/", "/i.png", "/s.css", "/1.png", "/2.png"]
        );
    }

    #[test]
    fn makes_links_absolute() {
        let html = "<a href=\"/sub/a/\">a</a> <a href=\"#n\">n</a> <img src=\"pic.png\"> \
            <a href=\"https://x.org/\">x</a> <a href=\"../b/?q=1\">b</a>";
        assert_eq!(
            absolutize(html, "https://example.org/sub/meetings/m/"),
            "<a href=\"https://example.org/sub/a/\">a</a> \
             <a href=\"https://example.org/sub/meetings/m/#n\">n</a> \
             <img src=\"https://example.org/sub/meetings/m/pic.png\"> \
             <a href=\"https://x.org/\">x</a> \
             <a href=\"https://example.org/sub/meetings/b/?q=1\">b</a>"
        );
    }

    #[test]
    fn encodes_addresses_for_uri_only_places() {
        assert_eq!(
            encode_uri("https://example.org/tags/diogelwch-cymunedol-ŵ/"),
            "https://example.org/tags/diogelwch-cymunedol-%C5%B5/"
        );
        assert_eq!(encode_uri("/a b.pdf"), "/a%20b.pdf");
        assert_eq!(encode_uri("/a b.pdf?x=1&y=%41#z"), "/a%20b.pdf?x=1&y=%41#z");
        assert_eq!(encode_segment("café a/b"), "caf%C3%A9%20a%2Fb");
    }

    #[test]
    fn decodes_escapes_leaving_bad_ones_as_written() {
        assert_eq!(percent_decode("a%20b%zz%2"), "a b%zz%2");
        assert_eq!(percent_decode("caf%C3%A9"), "café");
        assert_eq!(percent_decode_exact("a%2fb"), Some(b"a/b".to_vec()));
        assert_eq!(percent_decode_exact("a%2"), None);
        assert_eq!(percent_decode_exact("%zz"), None);
    }

    #[test]
    fn reads_schemes() {
        assert_eq!(scheme("HTTPS://example.org"), Some("HTTPS"));
        assert_eq!(scheme("mailto:a@b.c"), Some("mailto"));
        assert_eq!(scheme("a/b:c"), None);
        assert_eq!(scheme(":x"), None);
        assert_eq!(scheme("1a:x"), None);
        assert!(is_absolute("//host/x") && !is_absolute("/x") && !is_absolute("x.png"));
    }

    #[test]
    fn resolves_paths_like_a_browser() {
        let on = "/sub/meetings/m/";
        assert_eq!(
            resolve_path(on, "../x.pdf?v=1#p").as_deref(),
            Some("/sub/meetings/x.pdf")
        );
        assert_eq!(resolve_path(on, "../../../..").as_deref(), Some("/"));
        assert_eq!(
            resolve_path(on, "a%20b/.").as_deref(),
            Some("/sub/meetings/m/a b/")
        );
        assert_eq!(
            resolve_path("/css/site.css", "fonts/é.woff2").as_deref(),
            Some("/css/fonts/é.woff2")
        );
    }

    #[test]
    fn makes_references_absolute() {
        let page = "https://example.org/sub/meetings/m/";
        assert_eq!(
            absolute("#n", page).as_deref(),
            Some("https://example.org/sub/meetings/m/#n")
        );
        assert_eq!(
            absolute("/sub/a/", page).as_deref(),
            Some("https://example.org/sub/a/")
        );
        assert_eq!(
            absolute("../b/?q=1", page).as_deref(),
            Some("https://example.org/sub/meetings/b/?q=1")
        );
        assert_eq!(absolute("https://x.org/", page), None);
        assert_eq!(absolute("", page), None);
    }
}
