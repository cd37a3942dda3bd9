//! What the preview adds to pages as it serves them: the live-reload script, the overlay that
//! lists the problems of a failed rebuild, the notice that lists the warnings of a good one,
//! the banner on drafts, the page shown at the address of a draft left out, and the page shown
//! when no build has succeeded yet. Built pages themselves are never changed.

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::html::xml::escape;

/// The problems of the last rebuild, as HTML ready to add to pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems {
    pub summary: String,
    pub html: String,
}

impl Problems {
    pub fn new(problems: &Diagnostics) -> Problems {
        let errors = problems.error_count();
        let warnings = problems.warning_count();
        let summary = format!(
            "{errors} error{}, {warnings} warning{}",
            plural(errors),
            plural(warnings)
        );
        let items: String = problems.clone().into_iter().map(|d| item(&d)).collect();
        let html = format!("<ol style=\"{LIST}\">{items}</ol>");
        Problems { summary, html }
    }

    /// The warnings of a site that built, `None` when it has none. The list stops after
    /// [`WARNINGS_SHOWN`], sorted by file and line so it reads the same after every rebuild.
    pub fn warnings(problems: &Diagnostics) -> Option<Problems> {
        let count = problems.warning_count();
        if count == 0 {
            return None;
        }
        let summary = format!("{count} warning{}", plural(count));
        let warnings = problems
            .clone()
            .sorted()
            .into_iter()
            .filter(|d| d.severity == Severity::Warning);
        let items: String = warnings.take(WARNINGS_SHOWN).map(|d| item(&d)).collect();
        let mut html = format!("<ol style=\"{LIST}\">{items}</ol>");
        if count > WARNINGS_SHOWN {
            html.push_str(&format!(
                "<p style=\"margin:0\">… and {} more. Run <code>waymark check</code> to see \
                 them all.</p>",
                count - WARNINGS_SHOWN
            ));
        }
        Some(Problems { summary, html })
    }
}

/// How many warnings the notice lists: it is added to every page served, and a few dozen are
/// as many as anyone fixes before saving again.
pub const WARNINGS_SHOWN: usize = 50;

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// One problem as the terminal shows it: location, the line with a caret, and the hint.
fn item(problem: &Diagnostic) -> String {
    format!(
        "<li style=\"margin:0 0 1rem\"><pre style=\"{PRE}\">{}</pre></li>",
        escape(problem.to_string().trim_end())
    )
}

const FONT: &str =
    "font:16px/1.5 system-ui,-apple-system,'Segoe UI',Arial,sans-serif;color:#0b0c0c";
const LIST: &str = "margin:1rem 0 0;padding:0 0 0 1.5rem";
const PRE: &str = "margin:0;white-space:pre-wrap;overflow-wrap:anywhere;\
    font:15px/1.45 ui-monospace,Menlo,Consolas,monospace;background:#f3f2f1;padding:.75rem";

/// The overlay shown over the last good version of every page while the site has problems.
pub fn overlay(problems: &Problems) -> String {
    format!(
        "<div id=\"waymark-problems\" role=\"alert\" style=\"position:fixed;top:0;left:0;\
         right:0;max-height:85vh;overflow:auto;z-index:2147483647;background:#fff;\
         border-bottom:6px solid #d4351c;box-shadow:0 4px 16px rgba(0,0,0,.3);\
         padding:1rem 1.5rem;{FONT}\">\
         <button type=\"button\" onclick=\"this.parentNode.remove()\" style=\"float:right;\
         font:inherit;padding:.25rem .75rem\">Hide</button>\
         <p style=\"margin:0;font-weight:bold;font-size:1.2rem\">The site could not be rebuilt: {}</p>\
         <p style=\"margin:.25rem 0 0\">This is the last version that built. Fix the problems \
         below and save; the page updates by itself.</p>{}</div>",
        escape(&problems.summary),
        problems.html
    )
}

/// The notice of the warnings of a site that built, in the bottom corner of every page: one
/// line until opened, so it covers little of the page and stops nothing (warnings are not
/// urgent, so it is not an alert). Opened, it lists them as the terminal does. A space as tall
/// as the closed notice ends the page, so the end of the page can be scrolled clear of it.
pub fn warnings_notice(warnings: &Problems) -> String {
    format!(
        "<div aria-hidden=\"true\" style=\"height:4rem\"></div>\
         <details id=\"waymark-warnings\" style=\"position:fixed;bottom:.75rem;right:.75rem;\
         z-index:2147483646;box-sizing:border-box;max-width:min(44rem,calc(100vw - 1.5rem));\
         max-height:calc(100vh - 1.5rem);overflow:auto;margin:0;background:#fff;\
         border:2px solid #0b0c0c;box-shadow:0 2px 8px rgba(0,0,0,.3);{FONT}\">\
         <summary style=\"position:sticky;top:0;cursor:pointer;padding:.4rem .75rem;\
         background:#ffdd00;color:#0b0c0c;font-weight:bold\">{}</summary>\
         <div style=\"padding:.75rem 1rem 0\">\
         <p style=\"margin:0\">The site built, but Waymark has warnings about it: things that \
         make pages harder to use or out of date. Fix them and save; this page updates by \
         itself.</p>{}</div></details>",
        escape(&warnings.summary),
        warnings.html
    )
}

/// The page served at the address a draft would have, when drafts are left out. `file` is the
/// draft's Markdown file, relative to the site folder.
pub fn left_out_draft_page(file: &str) -> String {
    let file = escape(file);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>This page is a draft – Waymark preview</title></head>\
         <body style=\"margin:0;padding:1.5rem;{FONT}\"><main id=\"waymark-left-out-draft\" \
         style=\"max-width:40rem\">\
         <h1 style=\"margin:0 0 1rem\">This page is a draft</h1>\
         <p>It is made from <code>{file}</code>, which has <code>draft: true</code> in it. \
         Drafts are not published.</p>\
         <p>To preview drafts, stop the preview (Ctrl+C) and run \
         <code style=\"white-space:nowrap\">waymark serve --drafts</code>.</p>\
         <p>To publish this page, remove <code>draft: true</code> from <code>{file}</code> \
         and save; this page then updates by itself.</p></main></body></html>"
    )
}

/// The page served for every address before any build has succeeded.
pub fn problems_page(problems: &Problems) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Problems – Waymark preview</title></head>\
         <body style=\"margin:0;padding:1.5rem;{FONT}\">\
         <h1 style=\"margin:0;color:#d4351c\">The site could not be built: {}</h1>\
         <p>Fix the problems below and save; this page updates by itself.</p>{}</body></html>",
        escape(&problems.summary),
        problems.html
    )
}

/// The page served while the first build is still running, after requests stop waiting for it.
pub fn not_built_page() -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Building – Waymark preview</title></head>\
         <body style=\"margin:0;padding:1.5rem;{FONT}\"><h1>The site is still being built</h1>\
         <p>This page updates by itself when it is ready.</p></body></html>"
    )
}

/// The banner at the top of a page made from a draft.
pub fn draft_banner() -> String {
    format!(
        "<div id=\"waymark-draft\" role=\"note\" style=\"background:#ffdd00;\
         border-bottom:4px solid #0b0c0c;padding:.5rem 1rem;text-align:center;{FONT}\">\
         <strong>Draft</strong> – this page is not published. The preview shows it because \
         it was started with --drafts.</div>"
    )
}

/// `html` with `top` added just after the `<body>` tag and `bottom` just before `</body>`
/// (either at the ends when there is no such tag).
pub fn insert(html: &str, top: &str, bottom: &str) -> String {
    let mut out = String::with_capacity(html.len() + top.len() + bottom.len());
    let body_open = find_ignore_case(html, "<body", 0)
        .and_then(|start| html[start..].find('>').map(|end| start + end + 1));
    let body_close = rfind_ignore_case(html, "</body");
    let (head, rest) = match body_open {
        Some(at) => html.split_at(at),
        None => ("", html),
    };
    out.push_str(head);
    out.push_str(top);
    match body_close.and_then(|at| at.checked_sub(head.len())) {
        Some(at) => {
            out.push_str(&rest[..at]);
            out.push_str(bottom);
            out.push_str(&rest[at..]);
        }
        None => {
            out.push_str(rest);
            out.push_str(bottom);
        }
    }
    out
}

fn find_ignore_case(haystack: &str, needle: &str, from: usize) -> Option<usize> {
    let bytes = haystack.as_bytes();
    let needle = needle.as_bytes();
    (from..=bytes.len().checked_sub(needle.len())?)
        .find(|&i| bytes[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

fn rfind_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let bytes = haystack.as_bytes();
    let needle = needle.as_bytes();
    (0..=bytes.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| bytes[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_inside_the_body() {
        let page = "<html><BODY class=\"x\"><p>Hi</p></Body></html>";
        assert_eq!(
            insert(page, "[top]", "[end]"),
            "<html><BODY class=\"x\">[top]<p>Hi</p>[end]</Body></html>"
        );
        assert_eq!(insert("<p>Hi</p>", "[top]", "[end]"), "[top]<p>Hi</p>[end]");
    }

    #[test]
    fn shows_problems_escaped_with_location_and_hint() {
        let mut problems = Diagnostics::default();
        problems.push(
            Diagnostic::error("unknown-status", "unknown status \"<b>\"")
                .in_file("content/priorities/x.md")
                .at("---\nstatus: <b>\n", 2, 9)
                .with_hint("allowed: on-track"),
        );
        let shown = Problems::new(&problems);
        assert_eq!(shown.summary, "1 error, 0 warnings");
        assert!(
            shown.html.contains("--&gt; content/priorities/x.md:2:9"),
            "{}",
            shown.html
        );
        assert!(shown.html.contains("unknown status &quot;&lt;b&gt;&quot;"));
        assert!(shown.html.contains("= help: allowed: on-track"));
        assert!(overlay(&shown).contains("role=\"alert\""));
    }

    #[test]
    fn notes_warnings_collapsed_and_sorted_and_only_warnings() {
        assert_eq!(Problems::warnings(&Diagnostics::default()), None);
        let mut problems = Diagnostics::default();
        problems.push(
            Diagnostic::warning("image-missing-alt", "image has no alternative text")
                .in_file("content/pages/b.md")
                .at("---\n---\n![](<x>.png)\n", 3, 1)
                .with_hint("describe the image"),
        );
        problems.push(Diagnostic::warning("empty-body", "no text").in_file("content/pages/a.md"));
        let shown = Problems::warnings(&problems).unwrap();
        assert_eq!(shown.summary, "2 warnings");
        let first = shown.html.find("content/pages/a.md").unwrap();
        let second = shown.html.find("--&gt; content/pages/b.md:3:1").unwrap();
        assert!(first < second, "sorted by file: {}", shown.html);
        assert!(
            shown.html.contains("3 | ![](&lt;x&gt;.png)\n  | ^"),
            "{}",
            shown.html
        );
        assert!(shown.html.contains("= help: describe the image"));
        let notice = warnings_notice(&shown);
        assert!(notice.contains("<details id=\"waymark-warnings\" style=\"position:fixed;"));
        assert!(!notice.contains("<details open"), "collapsed");
        assert!(notice.contains(">2 warnings</summary>"), "{notice}");
        assert!(!notice.contains("role="), "not an alert: {notice}");

        problems.push(Diagnostic::error("x", "an error is not a warning"));
        let one = Problems::warnings(&problems).unwrap();
        assert!(!one.html.contains("an error"));
    }

    #[test]
    fn lists_a_few_dozen_warnings_and_counts_the_rest() {
        let mut problems = Diagnostics::default();
        for n in 0..WARNINGS_SHOWN + 3 {
            problems.push(
                Diagnostic::warning("empty-body", "no text")
                    .in_file(format!("content/pages/p{n:03}.md")),
            );
        }
        let shown = Problems::warnings(&problems).unwrap();
        assert_eq!(shown.summary, format!("{} warnings", WARNINGS_SHOWN + 3));
        assert_eq!(shown.html.matches("<li ").count(), WARNINGS_SHOWN);
        assert!(
            shown.html.ends_with(
                "<p style=\"margin:0\">… and 3 more. Run <code>waymark check</code> to see them all.</p>"
            ),
            "{}",
            shown.html
        );
    }

    #[test]
    fn the_page_of_a_draft_left_out_names_its_file_and_says_how_to_see_it() {
        let page = left_out_draft_page("content/updates/<x>.md");
        assert!(page.contains("<h1 style=\"margin:0 0 1rem\">This page is a draft</h1>"));
        assert!(page.contains(
            "<p>It is made from <code>content/updates/&lt;x&gt;.md</code>, which has \
             <code>draft: true</code> in it. Drafts are not published.</p>"
        ));
        assert!(page.contains(
            "<p>To preview drafts, stop the preview (Ctrl+C) and run \
             <code style=\"white-space:nowrap\">waymark serve --drafts</code>.</p>"
        ));
        assert!(page.contains(
            "<p>To publish this page, remove <code>draft: true</code> from \
             <code>content/updates/&lt;x&gt;.md</code> and save; this page then updates by \
             itself.</p>"
        ));
    }
}
