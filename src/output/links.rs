//! Links in the built site: finds every `href`, `src`, `srcset` and `poster` in generated HTML,
//! checks each internal one leads to a file the build wrote (so a deploy never publishes a dead
//! link), and makes them absolute for feed readers.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::config::BaseUrl;
use crate::model::Site;
use crate::output::{Contents, OutputFile};

/// Attributes whose value is one URL.
const URL_ATTRIBUTES: &[&str] = &["href", "src", "poster", "action"];
/// Elements whose content is text up to their end tag, never markup.
const RAW_TEXT_ELEMENTS: &[&str] = &["script", "style", "textarea", "title"];
/// A broken link on this many pages is reported once, with the first few pages named.
const PAGES_NAMED: usize = 3;

/// Calls `found` with the byte range of every URL in an attribute of `html`, as written
/// (still entity-encoded). Ranges start and end at ASCII delimiters, so they are also
/// character boundaries of the text.
pub fn for_each_url(bytes: &[u8], mut found: impl FnMut(Range<usize>)) {
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + offset;
        let rest = &bytes[start + 1..];
        at = if rest.starts_with(b"!--") {
            find(bytes, start + 4, b"-->").map_or(bytes.len(), |end| end + 3)
        } else if rest.first().is_some_and(u8::is_ascii_alphabetic) {
            let (end, name) = scan_tag(bytes, start + 1, &mut found);
            match RAW_TEXT_ELEMENTS
                .iter()
                .find(|raw| name.eq_ignore_ascii_case(raw.as_bytes()))
            {
                Some(raw) => crate::output::minify::closing_tag(bytes, end, raw),
                None => end,
            }
        } else if matches!(rest.first(), Some(b'/' | b'!' | b'?')) {
            memchr::memchr(b'>', rest).map_or(bytes.len(), |end| start + 2 + end)
        } else {
            start + 1
        };
    }
}

/// Reads one start tag from just after `<`; returns where it ends and the element's name.
fn scan_tag<'a>(
    bytes: &'a [u8],
    from: usize,
    found: &mut impl FnMut(Range<usize>),
) -> (usize, &'a [u8]) {
    let mut i = from;
    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' && bytes[i] != b'/' {
        i += 1;
    }
    let name = &bytes[from..i];
    loop {
        while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() {
            return (bytes.len(), name);
        }
        if bytes[i] == b'>' {
            return (i + 1, name);
        }
        let name_start = i;
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let attribute = &bytes[name_start..i];
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        let value = match bytes.get(i) {
            Some(&quote @ (b'"' | b'\'')) => {
                let end = memchr::memchr(quote, &bytes[i + 1..]).map_or(bytes.len(), |e| i + 1 + e);
                let value = i + 1..end;
                i = (end + 1).min(bytes.len());
                value
            }
            _ => {
                let start = i;
                while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' {
                    i += 1;
                }
                start..i
            }
        };
        if URL_ATTRIBUTES
            .iter()
            .any(|a| attribute.eq_ignore_ascii_case(a.as_bytes()))
        {
            found(value);
        } else if attribute.eq_ignore_ascii_case(b"srcset") {
            srcset_urls(bytes, value, found);
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

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(bytes.get(from..)?, needle).map(|i| from + i)
}

fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Where a link in a page leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A full address (`https://…`, `//host/…`, `mailto:`…). Even on this site's own host it
    /// may be served by something other than this build (a council's main website around a
    /// partnership's sub-path), so it is not checked.
    External,
    /// `#section` or an empty link: this page.
    SamePage,
    /// A path on this host, decoded, from the root: `/sub/priorities/x/`.
    Path(String),
}

/// Resolves `url`, found on the page at public path `page_path` (e.g. `/sub/meetings/`), the
/// way a browser would.
pub fn resolve(url: &str, page_path: &str) -> Target {
    let url = decode_entities(url.trim());
    if url.is_empty() || url.starts_with('#') {
        return Target::SamePage;
    }
    let without_fragment = url.split('#').next().unwrap_or("");
    let path = without_fragment.split('?').next().unwrap_or("");
    if path.starts_with("//") || split_scheme(path).is_some() {
        return Target::External;
    }
    let from_root = if path.starts_with('/') {
        path.to_string()
    } else {
        let folder = page_path.rfind('/').map_or("/", |i| &page_path[..=i]);
        format!("{folder}{path}")
    };
    Target::Path(crate::parse::markdown::percent_decode(&normalise(
        &from_root,
    )))
}

/// The files the build writes, and the folders that have an `index.html`, for looking links
/// up without building a string for each.
struct Written<'a> {
    files: HashSet<&'a str>,
    folders: HashSet<&'a str>,
}

impl<'a> Written<'a> {
    fn new(files: &'a [OutputFile]) -> Written<'a> {
        Written {
            files: files.iter().map(|f| f.path.as_str()).collect(),
            folders: files
                .iter()
                .filter_map(|f| f.path.strip_suffix("index.html"))
                .filter(|folder| folder.is_empty() || folder.ends_with('/'))
                .collect(),
        }
    }

    /// Whether a path from the host root is served by a file the build wrote.
    fn serves(&self, path: &str, base_path: &str) -> bool {
        let rel = match path.strip_prefix(base_path) {
            Some(rel) => rel,
            // `/sub` for a site at `/sub/`: hosts answer it with the folder.
            None => return path.len() + 1 == base_path.len() && base_path.starts_with(path),
        };
        if rel.is_empty() || rel.ends_with('/') {
            self.folders.contains(rel)
        } else {
            // A host answers `/x` with `/x/` when only the folder exists.
            self.files.contains(rel) || self.folders.contains(format!("{rel}/").as_str())
        }
    }
}

/// Checks every internal link of every generated page. One problem per broken link, naming
/// the pages it is on and, where known, the content file that makes each page.
pub fn check(site: &Site, files: &[OutputFile]) -> Result<(), Diagnostics> {
    let base = &site.config.base_url;
    let written = Written::new(files);
    let broken: Vec<(String, String, &str)> = files
        .par_iter()
        .filter(|f| f.path.ends_with(".html"))
        .flat_map_iter(|file| {
            let html: &[u8] = match &file.contents {
                Contents::Bytes(bytes) => bytes,
                _ => &[],
            };
            let page_path = base.join(file.path.strip_suffix("index.html").unwrap_or(&file.path));
            let mut dead = Vec::new();
            for_each_url(html, |range| {
                let Ok(url) = std::str::from_utf8(&html[range]) else {
                    return;
                };
                // Most links are plain paths from the root, looked up as they are.
                let plain = url.starts_with('/')
                    && !url.starts_with("//")
                    && !url.contains("/.")
                    && !url.contains(['&', '%', '?', '#', ' ', '\t', '\n']);
                if plain && written.serves(url, &base.path) {
                    return;
                }
                if let Target::Path(path) = resolve(url, &page_path)
                    && !written.serves(&path, &base.path)
                {
                    dead.push((path, decode_entities(url), file.path.as_str()));
                }
            });
            dead
        })
        .collect();
    if broken.is_empty() {
        return Ok(());
    }
    // Keyed by where the link leads, so one template mistake is one problem.
    let mut by_target: BTreeMap<String, (String, Vec<&str>)> = BTreeMap::new();
    for (path, url, page) in broken {
        let entry = by_target.entry(path).or_insert_with(|| (url, Vec::new()));
        entry.1.push(page);
    }
    let sources = source_files(site);
    let mut problems = Diagnostics::default();
    for (resolved, (url, mut pages)) in by_target {
        pages.sort_unstable();
        pages.dedup();
        problems.push(dead_link(&url, &resolved, &pages, &sources, base));
    }
    Err(problems)
}

fn dead_link(
    url: &str,
    resolved: &str,
    pages: &[&str],
    sources: &HashMap<String, String>,
    base: &BaseUrl,
) -> Diagnostic {
    let describe = |page: &str| {
        let public = base.join(page.strip_suffix("index.html").unwrap_or(page));
        match sources.get(page) {
            Some(source) => format!("{public} (from {source})"),
            None => public,
        }
    };
    let mut named: Vec<String> = pages
        .iter()
        .take(PAGES_NAMED)
        .map(|p| describe(p))
        .collect();
    let more = pages.len().saturating_sub(PAGES_NAMED);
    let on = match (named.len(), more) {
        (_, 0) if named.len() > 1 => {
            let last = named.pop().unwrap_or_default();
            format!("{} and {last}", named.join(", "))
        }
        (_, 0) => named.join(""),
        (_, 1) => format!("{} and 1 more page", named.join(", ")),
        (_, more) => format!("{} and {more} more pages", named.join(", ")),
    };
    let outside = !resolved.starts_with(&base.path) && format!("{resolved}/") != base.path;
    let (message, hint) = if outside {
        (
            format!(
                "the link \"{url}\" leads to {resolved}, outside the site's address {}",
                base.absolute
            ),
            format!(
                "links must stay under {}: in Markdown write links to pages as `@/section/file.md` (Waymark adds the address); in templates start them with {{{{ site.base_path }}}}",
                base.path
            ),
        )
    } else {
        (
            format!("the link \"{url}\" leads to {resolved}, but the build wrote no file there"),
            "check the spelling, or add the file under static/ (or next to the Markdown file that links to it)".to_string(),
        )
    };
    let on_many = if pages.len() > 1 {
        "; a link on many pages usually comes from a theme template"
    } else {
        ""
    };
    let mut problem = Diagnostic::error("dead-link", format!("{message}; it is on {on}"))
        .with_hint(format!("{hint}{on_many}"));
    if let Some(source) = sources.get(pages[0]) {
        problem = problem.in_file(source);
    }
    problem
}

/// Output page to the content file it is made from.
fn source_files(site: &Site) -> HashMap<String, String> {
    site.routes
        .iter()
        .filter_map(|route| Some((route.output_file(), route.source.clone()?)))
        .collect()
}

/// `html` with every link absolute, for reading outside the site (feed readers). `page_url`
/// is the absolute address of the page the HTML belongs to.
pub fn absolutize(html: &str, page_url: &str, base: &BaseUrl) -> String {
    let origin = origin_of(base);
    let page_path = &page_url[origin.len().min(page_url.len())..];
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut copied = 0;
    for_each_url(html.as_bytes(), |range| {
        let url = html[range.clone()].trim();
        let absolute = if url.starts_with('#') {
            Some(format!("{page_url}{url}"))
        } else if url.starts_with("//") || split_scheme(url).is_some() || url.is_empty() {
            None
        } else if url.starts_with('/') {
            Some(format!("{origin}{url}"))
        } else {
            let folder = page_path.rfind('/').map_or("/", |i| &page_path[..=i]);
            let (path, suffix) = match url.find(['?', '#']) {
                Some(i) => url.split_at(i),
                None => (url, ""),
            };
            Some(format!(
                "{origin}{}{suffix}",
                normalise(&format!("{folder}{path}"))
            ))
        };
        if let Some(absolute) = absolute {
            out.push_str(&html[copied..range.start]);
            out.push_str(&absolute);
            copied = range.end;
        }
    });
    out.push_str(&html[copied..]);
    out
}

/// A path or address made safe where only URI characters may appear (sitemaps, calendars):
/// bytes outside the URI set, such as letters with accents, are percent-encoded.
pub fn encode_uri(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@%?#[]".contains(&byte);
        if keep {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `https://example.org` for `https://example.org/sub/`.
pub fn origin_of(base: &BaseUrl) -> &str {
    let end = base.absolute.len().saturating_sub(base.path.len());
    &base.absolute[..end]
}

fn split_scheme(url: &str) -> Option<(String, &str)> {
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| (scheme.to_ascii_lowercase(), &url[colon + 1..]))
}

/// Collapses `.` and `..` in a path from the root, as browsers do (never above the root).
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let last = segments.len().saturating_sub(1);
    for (i, segment) in segments.iter().enumerate() {
        match *segment {
            "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
        if i == last && matches!(*segment, "." | "..") {
            parts.push("");
        }
    }
    format!("/{}", parts.join("/"))
}

/// Undoes the character references templates and Markdown write in attributes.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = character_reference(rest);
        match decoded {
            Some((c, used)) => {
                out.push(c);
                rest = &rest[used..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character reference at the start of `text` (which starts with `&`): the character it
/// stands for and how many bytes it takes, or `None` for an ampersand that starts none.
/// Waymark's own HTML uses only these named references, and numeric ones.
pub fn character_reference(text: &str) -> Option<(char, usize)> {
    let end = text
        .get(1..)?
        .find(';')
        .map(|i| i + 1)
        .filter(|&end| end <= 10)?;
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

    fn urls(html: &str) -> Vec<&str> {
        let mut found = Vec::new();
        for_each_url(html.as_bytes(), |range| found.push(&html[range]));
        found
    }

    fn base(url: &str) -> BaseUrl {
        BaseUrl::parse(url).unwrap()
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
    fn resolves_links_like_a_browser() {
        let on = "/sub/meetings/m/";
        assert_eq!(resolve("#x", on), Target::SamePage);
        assert_eq!(resolve("mailto:a@b.c", on), Target::External);
        assert_eq!(resolve("https://example.org/sub/a/", on), Target::External);
        assert_eq!(resolve("//example.org/sub/a/", on), Target::External);
        assert_eq!(
            resolve("../x.pdf?v=1#p", on),
            Target::Path("/sub/meetings/x.pdf".into())
        );
        assert_eq!(
            resolve("/sub/a%20b.pdf", on),
            Target::Path("/sub/a b.pdf".into())
        );
        assert_eq!(
            resolve("/sub/a&amp;b/", on),
            Target::Path("/sub/a&b/".into())
        );
        assert_eq!(resolve("../../../..", on), Target::Path("/".into()));
    }

    #[test]
    fn finds_the_file_a_path_is_served_from() {
        let files: Vec<OutputFile> = ["index.html", "a/index.html", "f.pdf"]
            .into_iter()
            .map(|path| OutputFile {
                path: path.to_string(),
                contents: Contents::Bytes(Vec::new()),
            })
            .collect();
        let written = Written::new(&files);
        assert!(written.serves("/sub/", "/sub/"));
        assert!(written.serves("/sub", "/sub/"));
        assert!(written.serves("/sub/a", "/sub/"));
        assert!(written.serves("/sub/a/", "/sub/"));
        assert!(written.serves("/sub/f.pdf", "/sub/"));
        assert!(!written.serves("/f.pdf", "/sub/"));
        assert!(!written.serves("/sub/b/", "/sub/"));
        assert!(!written.serves("/su", "/sub/"));
    }

    #[test]
    fn makes_links_absolute() {
        let sub = base("https://example.org/sub/");
        let html = "<a href=\"/sub/a/\">a</a> <a href=\"#n\">n</a> <img src=\"pic.png\"> \
            <a href=\"https://x.org/\">x</a> <a href=\"../b/?q=1\">b</a>";
        assert_eq!(
            absolutize(html, "https://example.org/sub/meetings/m/", &sub),
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
    }

    #[test]
    fn decodes_character_references() {
        assert_eq!(
            decode_entities("a&amp;b&#x2F;c&#47;&bogus;"),
            "a&b/c/&bogus;"
        );
    }
}
