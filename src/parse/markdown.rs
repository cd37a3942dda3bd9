//! Markdown to HTML (comrak, GitHub-flavoured), with internal links resolved to page URLs,
//! unsafe URLs dropped, raw HTML left out and heading ids collected for anchor checks.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt::Write as _;

use comrak::nodes::{AstNode, NodeValue};
use comrak::{Anchorizer, Arena, Options};

use crate::diagnostics::Position;
use crate::diagnostics::{Diagnostic, Placer};
use crate::html::scan::{Scanner, Token};

mod limits;
mod links;

pub use links::is_safe_url;
use links::{LinkResolver, Resolved};

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
    /// Errors (broken links) and warnings (missing alt text, vague link text, …).
    pub problems: Vec<Diagnostic>,
    /// Content-relative paths this body's links were looked up under, found or not: the only
    /// entries of `LinkTargets` its HTML and problems depend on, so an incremental build knows
    /// which bodies a new, removed or renamed file affects.
    pub link_lookups: Vec<String>,
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
    /// The level the body's top headings become: 2 under the page's `h1`, 3 where the theme
    /// puts the body under its own `h2` (meeting minutes).
    pub top_level: u8,
    /// Whether the site publishes (sanitised) HTML written in Markdown.
    pub allow_raw_html: bool,
}

fn comrak_options(allow_raw_html: bool) -> Options<'static> {
    let mut options = Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.autolink = true;
    options.extension.footnotes = true;
    options.extension.tasklist = true;
    // Raw HTML is replaced by a comment unless the site opts in, and then it is sanitised
    // (see `sanitise`), so editors' pasted markup never reaches residents as-is.
    options.render.r#unsafe = allow_raw_html;
    options
}

pub fn render(body: &Body<'_>, targets: &LinkTargets) -> Rendered {
    // The parser needs memory for every element; a file too dense with them is refused before
    // it gets there.
    if let Err(refused) = limits::check(body) {
        return Rendered {
            problems: vec![refused],
            ..Rendered::default()
        };
    }
    let mut rendered = parse_and_render(body, targets);
    rendered.problems = crate::diagnostics::cap_per_kind(std::mem::take(&mut rendered.problems));
    rendered
}

fn parse_and_render(body: &Body<'_>, targets: &LinkTargets) -> Rendered {
    let allow_raw_html = body.allow_raw_html;
    let options = comrak_options(allow_raw_html);
    let arena = Arena::new();
    let root = comrak::parse_document(&arena, body.markdown, &options);
    let mut rendered = Rendered::default();
    let mut anchorizer = Anchorizer::new();
    let shift = heading_shift(root, body.top_level);
    lint(root, body, shift, &mut rendered.problems);
    let mut placer = Placer::new(body.file_text);
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
                let mut resolver = LinkResolver {
                    body,
                    placer: &mut placer,
                    targets,
                    out: &mut rendered,
                };
                match resolver.resolve(&link.url, at) {
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
    let mut html = String::with_capacity(body.markdown.len() * 5 / 4);
    let ids = rendered.heading_ids.iter().cloned().collect();
    // Writing into a String cannot fail.
    let _ = BodyHtml::format_document(root, &options, &mut html, ids);
    let html = headed_footnotes(html, body.top_level);
    let html = if allow_raw_html {
        sanitise(&html)
    } else {
        html
    };
    rendered.html = wrap_tables(&html, &table_labels(root));
    rendered
}

/// Each table's accessible name, in document order: "Table: " and its column headings.
/// Tables written as raw HTML (when a site allows it) are named "Table".
fn table_labels<'a>(root: &'a AstNode<'a>) -> Vec<String> {
    let mut labels = Vec::new();
    for node in root.descendants() {
        match &node.data().value {
            NodeValue::Table(_) => {
                let headings: Vec<String> = node
                    .first_child()
                    .map(|header| {
                        header
                            .children()
                            .map(|cell| {
                                cell.collect_text()
                                    .split_whitespace()
                                    .collect::<Vec<_>>()
                                    .join(" ")
                            })
                            .filter(|text| !text.is_empty())
                            .collect()
                    })
                    .unwrap_or_default();
                labels.push(if headings.is_empty() {
                    "Table".to_string()
                } else {
                    format!("Table: {}", headings.join(", "))
                });
            }
            NodeValue::HtmlBlock(block) => {
                let opened = block.literal.to_ascii_lowercase().matches("<table").count();
                labels.extend(std::iter::repeat_n("Table".to_string(), opened));
            }
            NodeValue::HtmlInline(literal) => {
                let opened = literal.to_ascii_lowercase().matches("<table").count();
                labels.extend(std::iter::repeat_n("Table".to_string(), opened));
            }
            _ => {}
        }
    }
    labels
}

/// Puts each table in a named, focusable region that scrolls sideways on its own, so a wide
/// table never makes the whole page scroll at 320 px (WCAG reflow) and keyboard users can
/// still scroll it. Tables written as raw HTML may hold tables of their own: only the
/// outermost is wrapped.
fn wrap_tables(html: &str, labels: &[String]) -> String {
    if !html.contains("<table") {
        return html.to_string();
    }
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() + labels.len() * 80);
    let mut copied = 0;
    let mut depth = 0usize;
    let mut number = 0;
    let mut scanner = Scanner::default();
    while let Some(token) = scanner.next(bytes) {
        match token {
            Token::StartTag(tag) if tag.is(bytes, "table") => {
                if depth == 0 {
                    let label = labels.get(number).map_or("Table", String::as_str);
                    number += 1;
                    out.push_str(&html[copied..tag.range.start]);
                    out.push_str(
                        "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"",
                    );
                    out.push_str(&crate::html::xml::escape(label));
                    out.push_str("\">");
                    copied = tag.range.start;
                }
                depth += 1;
            }
            Token::EndTag(tag) if depth > 0 && tag.is(bytes, "table") => {
                depth -= 1;
                if depth == 0 {
                    out.push_str(&html[copied..tag.range.end]);
                    out.push_str("</div>");
                    copied = tag.range.end;
                }
            }
            _ => {}
        }
    }
    out.push_str(&html[copied..]);
    if depth > 0 {
        out.push_str("</div>");
    }
    out
}

/// Footnotes get a heading of the body's top level: a section without one is hard to find
/// by heading and the HTML checker flags it.
fn headed_footnotes(html: String, level: u8) -> String {
    const FOOTNOTES: &str = "<section class=\"footnotes\" data-footnotes>";
    if !html.contains(FOOTNOTES) {
        return html;
    }
    html.replacen(
        FOOTNOTES,
        &format!("{FOOTNOTES}\n<h{level} class=\"footnotes-heading\">Notes</h{level}>"),
        1,
    )
}

/// Raw HTML, when a site allows it, keeps only harmless markup: no scripts, styles, event
/// handlers, frames or forms, and only web, mail and phone links.
fn sanitise(html: &str) -> String {
    ammonia::Builder::default()
        .add_generic_attributes(&["id"])
        // The task list markers above; nothing else of raw HTML may hide from screen readers.
        .add_tag_attributes("span", &["aria-hidden"])
        .add_allowed_classes("span", &["task-marker", "visually-hidden"])
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .clean(html)
        .to_string()
}

/// Editorial warnings: things that make a page harder to use for some residents.
fn lint<'a>(root: &'a AstNode<'a>, body: &Body<'_>, shift: u8, out: &mut Vec<Diagnostic>) {
    let mut previous_level = body.top_level - 1;
    let mut placer = Placer::new(body.file_text);
    for node in root.descendants() {
        let data = node.data();
        let line = body.first_line + data.sourcepos.start.line as u32 - 1;
        let column = data.sourcepos.start.column as u32;
        let mut warn = |code, message: String, hint: &str| {
            let problem = Diagnostic::warning(code, message).with_hint(hint);
            out.push(placer.place(problem, line, column));
        };
        match &data.value {
            NodeValue::Heading(heading) => {
                let level = (heading.level + shift).min(6);
                if level > previous_level + 1 {
                    warn(
                        "heading-skip",
                        format!("heading level jumps from {previous_level} to {level}"),
                        "use the next level down (## after the title, ### inside a ## section) so screen-reader users can follow the structure",
                    );
                }
                previous_level = level;
            }
            NodeValue::Image(image) => {
                if let Some(message) = alt_problem(&node.collect_text(), &image.url) {
                    warn(
                        "image-missing-alt",
                        message,
                        "describe the image in the brackets: ![A map of the county's districts](map.png)",
                    );
                }
            }
            NodeValue::Link(link) => {
                if let Some((code, message, hint)) = link_problem(node, &link.url) {
                    warn(code, message, hint);
                }
            }
            NodeValue::HtmlBlock(_) | NodeValue::HtmlInline(_) if !body.allow_raw_html => warn(
                "raw-html-omitted",
                "HTML in the text is not published".to_string(),
                "write it in Markdown instead, or set `allow_raw_html: true` in site.yaml to publish safe HTML",
            ),
            NodeValue::Paragraph => {
                for (words, start) in crate::parse::prose::long_sentences(&node.collect_text()) {
                    warn(
                        "long-sentence",
                        format!("a sentence of {words} words (\"{start}\")"),
                        "split it: sentences under 25 words are easiest to read; over 35 lose many readers",
                    );
                }
            }
            _ => {}
        }
    }
}

/// A link whose text does not say where it goes: vague words, or the address itself.
fn link_problem<'a>(
    node: &'a AstNode<'a>,
    url: &str,
) -> Option<(&'static str, String, &'static str)> {
    let text = node.collect_text();
    if crate::parse::prose::is_vague_link_text(&text) {
        Some((
            "vague-link-text",
            format!(
                "link text \"{}\" does not say where the link goes",
                text.trim()
            ),
            "use words that make sense on their own, e.g. [the September 2020 progress report](…)",
        ))
    } else if text.trim() == url.trim_start_matches("mailto:") && url.contains("://") {
        Some((
            "bare-url",
            format!("the web address {} is shown as the link text", text.trim()),
            "write [what the page is](address) so the link reads well aloud",
        ))
    } else {
        None
    }
}

/// How far to move every heading down so the body's highest heading sits at `top_level`: the
/// page title is the only `h1`, whatever level editors start at.
fn heading_shift<'a>(root: &'a AstNode<'a>, top_level: u8) -> u8 {
    let highest = root
        .descendants()
        .filter_map(|node| match node.data().value {
            NodeValue::Heading(ref h) => Some(h.level),
            _ => None,
        })
        .min();
    highest.map_or(0, |level| top_level.saturating_sub(level))
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

// comrak's HTML, but for two kinds of node. Headings get the ids collected while walking the
// document, handed over in the same order. Task list items (`- [x] Done`) show a box drawn in
// text with their state in words: comrak's disabled checkboxes have no label, so screen
// readers would announce an unnamed control.
comrak::create_formatter!(BodyHtml<VecDeque<String>>, {
    NodeValue::Heading(ref heading) => |context, entering| {
        if entering {
            let id = context.user.pop_front().unwrap_or_default();
            context.cr()?;
            write!(context, "<h{} id=\"{}\">", heading.level, crate::html::xml::escape(&id))?;
        } else {
            write!(context, "</h{}>", heading.level)?;
        }
    },
    NodeValue::TaskItem(ref task) => |context, node, entering| {
        let in_list = node
            .parent()
            .is_some_and(|parent| matches!(parent.data().value, NodeValue::List(_)));
        if entering {
            context.cr()?;
            if in_list {
                context.write_str("<li>")?;
            }
            context.write_str(if task.symbol.is_some() {
                "<span class=\"task-marker\" aria-hidden=\"true\">\u{2611}</span> <span class=\"visually-hidden\">Done: </span>"
            } else {
                "<span class=\"task-marker\" aria-hidden=\"true\">\u{2610}</span> <span class=\"visually-hidden\">Not done: </span>"
            })?;
        } else if in_list {
            context.write_str("</li>")?;
            context.lf()?;
        }
    },
});

/// Words that say an image is there but not what it shows: a screen reader already says "image".
const EMPTY_ALTS: &[&str] = &[
    "image",
    "picture",
    "photo",
    "photograph",
    "img",
    "graphic",
    "pic",
    "chart",
    "map",
    "logo",
    "screenshot",
    "diagram",
];

/// What is wrong with an image's alternative text: missing, a word that describes nothing, or
/// the file name (which is what a screen reader falls back to anyway).
fn alt_problem(alt: &str, url: &str) -> Option<String> {
    let alt = alt.trim();
    if alt.is_empty() {
        return Some("image has no alternative text".to_string());
    }
    let lower = alt.to_lowercase();
    if EMPTY_ALTS.contains(&lower.as_str()) {
        return Some(format!(
            "the alternative text \"{alt}\" says there is an image, not what it shows"
        ));
    }
    let file = url.rsplit('/').next().unwrap_or(url);
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    let file_name =
        !file.is_empty() && (lower == file.to_lowercase() || lower == stem.to_lowercase());
    file_name.then(|| {
        format!("the alternative text \"{alt}\" is the file name, not what the image shows")
    })
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
            top_level: 2,
            allow_raw_html: false,
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
    fn wide_tables_scroll_in_a_named_focusable_region() {
        let html =
            render_md("| Ward | Incidents *2025* |\n|---|---|\n| North | 3 |\n\nAfter.\n").html;
        assert!(
            html.starts_with("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Table: Ward, Incidents 2025\"><table>"),
            "{html}"
        );
        assert!(html.contains("</table></div>\n<p>After.</p>"), "{html}");
        let nested =
            "<table><tr><td><table><tr><td>in</td></tr></table></td></tr></table><p>out</p>";
        let wrapped = wrap_tables(nested, &["Table".to_string()]);
        assert_eq!(wrapped.matches("<div").count(), 1, "{wrapped}");
        assert!(
            wrapped.ends_with("</table></td></tr></table></div><p>out</p>"),
            "{wrapped}"
        );
        assert_eq!(wrap_tables("<tablet>", &[]), "<tablet>");
    }

    #[test]
    fn footnotes_have_a_heading_at_the_body_top_level() {
        let html = render_md("Text.[^a]\n\n[^a]: The source.\n").html;
        assert!(
            html.contains("<section class=\"footnotes\" data-footnotes>\n<h2 class=\"footnotes-heading\">Notes</h2>"),
            "{html}"
        );
    }

    #[test]
    fn task_list_items_say_whether_they_are_done() {
        for allow_raw_html in [false, true] {
            let body = Body {
                markdown: "- [x] Publish the figures\n- [ ] Add 2026\n",
                first_line: 1,
                rel_path: "pages/a.md",
                file_text: "",
                top_level: 2,
                allow_raw_html,
            };
            let html = render(&body, &targets()).html;
            assert!(!html.contains("<input"), "{html}");
            assert!(
                html.contains("<span class=\"task-marker\" aria-hidden=\"true\">\u{2611}</span> <span class=\"visually-hidden\">Done: </span>Publish the figures"),
                "{html}"
            );
            assert!(html.contains("Not done: </span>Add 2026"), "{html}");
        }
    }

    #[test]
    fn sanitises_raw_html_when_allowed() {
        let body = Body {
            markdown: "<b onclick=\"x()\">bold</b><script>alert(1)</script>\n\n## Plan",
            first_line: 1,
            rel_path: "pages/a.md",
            file_text: "",
            top_level: 2,
            allow_raw_html: false,
        };
        let body = Body {
            allow_raw_html: true,
            ..body
        };
        let html = render(&body, &targets()).html;
        assert!(html.contains("<b>bold</b>"), "{html}");
        assert!(
            !html.contains("script") && !html.contains("onclick"),
            "{html}"
        );
        assert!(html.contains("id=\"plan\""), "{html}");
    }

    #[test]
    fn alternative_text_that_describes_nothing_is_a_warning() {
        for (markdown, message) in [
            (
                "![image](x.png)",
                "the alternative text \"image\" says there is an image, not what it shows",
            ),
            (
                "![Picture](x.png)",
                "the alternative text \"Picture\" says there is an image, not what it shows",
            ),
            (
                "![map-2020.png](img/map-2020.png)",
                "the alternative text \"map-2020.png\" is the file name, not what the image shows",
            ),
            (
                "![map-2020](img/map-2020.png)",
                "the alternative text \"map-2020\" is the file name, not what the image shows",
            ),
        ] {
            let out = render_md(markdown);
            let found: Vec<(&str, &str)> = out
                .problems
                .iter()
                .map(|d| (d.code, d.message.as_str()))
                .collect();
            assert_eq!(found, vec![("image-missing-alt", message)], "{markdown}");
        }
        assert!(
            render_md("![The county's districts in 2020](map-2020.png)")
                .problems
                .is_empty()
        );
    }

    #[test]
    fn warns_about_inaccessible_markdown() {
        let out = render_md(
            "## A\n\n#### B\n\n![](x.png) [click here](@/meetings/m.md) <https://example.org>\n",
        );
        let codes: Vec<&str> = out.problems.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            vec![
                "heading-skip",
                "image-missing-alt",
                "vague-link-text",
                "bare-url"
            ]
        );
        assert!(
            out.problems
                .iter()
                .all(|d| d.severity == crate::diagnostics::Severity::Warning)
        );
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
            top_level: 2,
            allow_raw_html: false,
        };
        assert!(render(&body, &t).html.contains("href=\"/sub/tags/\""));
    }
}
