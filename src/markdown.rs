//! Markdown to HTML (comrak, GitHub-flavoured), with internal links resolved to page URLs,
//! unsafe URLs dropped, raw HTML left out and heading ids collected for anchor checks.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::sync::Mutex;

use comrak::nodes::{AstNode, NodeValue};
use comrak::{Anchorizer, Arena, Options};

use crate::content::Position;
use crate::diagnostics::Diagnostic;

/// Where each Markdown file and attachment under `content/` is published.
#[derive(Debug, Default)]
pub struct LinkTargets {
    /// Content-relative `.md` path to its public URL path (including any base path).
    pub pages: HashMap<String, String>,
    /// Content-relative path of every other file to its public URL path.
    pub files: HashMap<String, String>,
    /// Drafts left out of this build, for a clearer message when something links to one.
    pub drafts: HashSet<String>,
    /// Files that could not be read or parsed: their problems are reported already, and a
    /// link to one is not reported as broken too.
    pub failed: HashSet<String>,
    /// The site's base path (`/` or `/sub/`), for links written from the site root.
    pub base_path: String,
}

/// A link to a heading, checked once every page's headings are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorLink {
    /// Content-relative path of the page linked to.
    pub target: String,
    pub anchor: String,
    pub at: Position,
}

#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub heading_ids: Vec<String>,
    pub anchor_links: Vec<AnchorLink>,
    pub problems: Vec<Diagnostic>,
}

/// What to render and where it sits in its file.
pub struct Body<'a> {
    pub markdown: &'a str,
    /// Line of the file the body starts on, so positions count lines of the whole file.
    pub first_line: u32,
    /// The file's path relative to `content/`; relative links resolve from its folder.
    pub rel_path: &'a str,
    /// The whole file, for showing the offending line.
    pub file_text: &'a str,
}

fn comrak_options() -> Options<'static> {
    let mut options = Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.autolink = true;
    options.extension.footnotes = true;
    options.extension.tasklist = true;
    // Raw HTML is replaced by a comment: editors' pasted markup never reaches residents.
    options.render.r#unsafe = false;
    options
}

pub fn render(body: &Body<'_>, targets: &LinkTargets) -> Rendered {
    let options = comrak_options();
    let arena = Arena::new();
    let root = comrak::parse_document(&arena, body.markdown, &options);
    let mut rendered = Rendered::default();
    let mut anchorizer = Anchorizer::new();
    let shift = heading_shift(root);
    let mut unsafe_nodes = Vec::new();
    for node in root.descendants() {
        let mut data = node.data_mut();
        let at = Position {
            line: body.first_line + data.sourcepos.start.line as u32 - 1,
            column: data.sourcepos.start.column as u32,
        };
        match &mut data.value {
            NodeValue::Heading(heading) => {
                heading.level = (heading.level + shift).min(6);
                drop(data);
                rendered
                    .heading_ids
                    .push(anchorizer.anchorize(&node.collect_text()));
            }
            NodeValue::Link(link) | NodeValue::Image(link) => {
                match resolve_link(&link.url, body, targets, at, &mut rendered) {
                    Resolved::Keep => {}
                    Resolved::Rewrite(url) => link.url = url,
                    Resolved::Drop => unsafe_nodes.push(node),
                }
            }
            _ => {}
        }
    }
    for node in unsafe_nodes {
        unwrap_node(node);
    }
    let adapter = HeadingIds {
        ids: Mutex::new(rendered.heading_ids.iter().cloned().collect()),
    };
    let mut plugins = comrak::options::Plugins::default();
    plugins.render.heading_adapter = Some(&adapter);
    let mut html = String::with_capacity(body.markdown.len() * 5 / 4);
    // Writing into a String cannot fail.
    let _ = comrak::format_html_with_plugins(root, &options, &mut html, &plugins);
    rendered.html = html;
    rendered
}

/// The page title is the only `h1`; if the body uses `#` headings, every level moves down one.
fn heading_shift<'a>(root: &'a AstNode<'a>) -> u8 {
    let uses_h1 = root
        .descendants()
        .any(|node| matches!(node.data().value, NodeValue::Heading(ref h) if h.level == 1));
    u8::from(uses_h1)
}

/// Replaces a link by its text (or removes an image), keeping the document well-formed.
fn unwrap_node<'a>(node: &'a AstNode<'a>) {
    let is_image = matches!(node.data().value, NodeValue::Image(_));
    if !is_image {
        while let Some(child) = node.first_child() {
            child.detach();
            node.insert_before(child);
        }
    }
    node.detach();
}

enum Resolved {
    Keep,
    Rewrite(String),
    Drop,
}

fn resolve_link(
    url: &str,
    body: &Body<'_>,
    targets: &LinkTargets,
    at: Position,
    out: &mut Rendered,
) -> Resolved {
    if !is_safe_url(url) {
        return Resolved::Drop;
    }
    if let Some(anchor) = url.strip_prefix('#') {
        if !anchor.is_empty() {
            out.anchor_links.push(AnchorLink {
                target: body.rel_path.to_string(),
                anchor: percent_decode(anchor),
                at,
            });
        }
        return Resolved::Keep;
    }
    if has_scheme(url) || url.starts_with("//") {
        return Resolved::Keep;
    }
    let (path, fragment) = match url.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (url, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    if let Some(from_root) = path.strip_prefix('/') {
        return Resolved::Rewrite(format!(
            "{}{}{}",
            targets.base_path,
            from_root,
            fragment_suffix(fragment)
        ));
    }
    let target = match path.strip_prefix("@/") {
        Some(content_path) => normalise(content_path),
        None => normalise(&format!("{}{}", parent_folder(body.rel_path), path)),
    };
    let decoded = target.as_deref().map(percent_decode);
    let is_markdown = path.ends_with(".md") || path.starts_with("@/");
    if let Some(target) = &decoded {
        if let Some(page_url) = targets.pages.get(target) {
            if let Some(anchor) = fragment.filter(|f| !f.is_empty()) {
                out.anchor_links.push(AnchorLink {
                    target: target.clone(),
                    anchor: percent_decode(anchor),
                    at,
                });
            }
            return Resolved::Rewrite(format!("{page_url}{}", fragment_suffix(fragment)));
        }
        if let Some(file_url) = targets.files.get(target) {
            return Resolved::Rewrite(format!("{file_url}{}", fragment_suffix(fragment)));
        }
    }
    if decoded.as_ref().is_some_and(|t| targets.failed.contains(t)) {
        return Resolved::Keep;
    }
    if is_markdown {
        let shown = decoded.unwrap_or_else(|| path.to_string());
        let hint = if targets.drafts.contains(&shown) {
            format!(
                "content/{shown} is a draft, so it is not published; remove `draft: true` from it or remove this link"
            )
        } else {
            "write internal links as `@/priorities/<file>.md` or a path relative to this file, e.g. `../meetings/<file>.md`".to_string()
        };
        out.problems.push(
            Diagnostic::error(
                "broken-link",
                format!("link to \"{url}\", which does not exist"),
            )
            .at(body.file_text, at.line, at.column)
            .with_hint(hint),
        );
    }
    Resolved::Keep
}

fn fragment_suffix(fragment: Option<&str>) -> String {
    fragment.map(|f| format!("#{f}")).unwrap_or_default()
}

fn parent_folder(rel_path: &str) -> &str {
    rel_path.rfind('/').map_or("", |i| &rel_path[..=i])
}

/// Collapses `.` and `..`; `None` when the path climbs out of `content/`.
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            decoded.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        decoded.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

fn has_scheme(url: &str) -> bool {
    scheme(url).is_some()
}

fn scheme(url: &str) -> Option<String> {
    let colon = url.find(':')?;
    let candidate = &url[..colon];
    let valid = !candidate.is_empty()
        && candidate.starts_with(|c: char| c.is_ascii_alphabetic())
        && candidate
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| candidate.to_ascii_lowercase())
}

/// Only web, mail and phone links, or relative ones, may reach residents. Browsers ignore tabs,
/// newlines and other control characters inside a scheme, so they are removed before checking.
pub fn is_safe_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_control() && !c.is_whitespace())
        .collect();
    match scheme(&cleaned) {
        None => true,
        Some(scheme) => matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel"),
    }
}

/// Gives headings the ids collected while walking the document, in the same order.
struct HeadingIds {
    ids: Mutex<VecDeque<String>>,
}

impl comrak::adapters::HeadingAdapter for HeadingIds {
    fn enter(
        &self,
        output: &mut dyn fmt::Write,
        heading: &comrak::adapters::HeadingMeta,
        _sourcepos: Option<comrak::nodes::Sourcepos>,
    ) -> fmt::Result {
        let id = self
            .ids
            .lock()
            .ok()
            .and_then(|mut ids| ids.pop_front())
            .unwrap_or_default();
        write!(
            output,
            "<h{} id=\"{}\">",
            heading.level,
            escape_attribute(&id)
        )
    }

    fn exit(
        &self,
        output: &mut dyn fmt::Write,
        heading: &comrak::adapters::HeadingMeta,
    ) -> fmt::Result {
        write!(output, "</h{}>", heading.level)
    }
}

fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> LinkTargets {
        let mut targets = LinkTargets {
            base_path: "/".into(),
            ..Default::default()
        };
        targets.pages.insert(
            "priorities/serious-violence.md".into(),
            "/priorities/serious-violence/".into(),
        );
        targets
            .pages
            .insert("meetings/m.md".into(), "/meetings/m/".into());
        targets.files.insert(
            "meetings/minutes.pdf".into(),
            "/meetings/minutes.pdf".into(),
        );
        targets
    }

    fn render_md(markdown: &str) -> Rendered {
        let body = Body {
            markdown,
            first_line: 5,
            rel_path: "meetings/m.md",
            file_text: markdown,
        };
        render(&body, &targets())
    }

    #[test]
    fn resolves_internal_links_keeping_anchors() {
        let out = render_md(
            "[a](@/priorities/serious-violence.md#plan) [b](../priorities/serious-violence.md) [c](minutes.pdf)",
        );
        assert!(
            out.html
                .contains("href=\"/priorities/serious-violence/#plan\""),
            "{}",
            out.html
        );
        assert!(out.html.contains("href=\"/priorities/serious-violence/\""));
        assert!(out.html.contains("href=\"/meetings/minutes.pdf\""));
        assert_eq!(out.anchor_links[0].anchor, "plan");
        assert!(out.problems.is_empty());
    }

    #[test]
    fn reports_broken_links_with_file_line() {
        let out = render_md("Intro\n\nSee [x](@/priorities/nope.md).");
        assert_eq!(out.problems.len(), 1);
        assert_eq!(out.problems[0].code, "broken-link");
        assert_eq!(out.problems[0].line, Some(7));
    }

    #[test]
    fn drops_script_urls_and_raw_html() {
        let out = render_md(
            "[x](javascript:alert(1)) [y](java\tscript:alert(1)) <script>alert(1)</script>",
        );
        assert!(!out.html.contains("javascript"), "{}", out.html);
        assert!(!out.html.contains("<script"), "{}", out.html);
        assert!(out.html.contains('x'));
    }

    #[test]
    fn gives_headings_ids_and_demotes_h1() {
        let out = render_md("# Plan\n\n## Plan\n");
        assert!(
            out.html.contains("<h2 id=\"plan\">Plan</h2>"),
            "{}",
            out.html
        );
        assert!(
            out.html.contains("<h3 id=\"plan-1\">Plan</h3>"),
            "{}",
            out.html
        );
        assert_eq!(out.heading_ids, vec!["plan", "plan-1"]);
    }

    #[test]
    fn rewrites_root_links_under_base_path() {
        let mut t = targets();
        t.base_path = "/sub/".into();
        let body = Body {
            markdown: "[x](/tags/)",
            first_line: 1,
            rel_path: "pages/a.md",
            file_text: "",
        };
        assert!(render(&body, &t).html.contains("href=\"/sub/tags/\""));
    }
}
