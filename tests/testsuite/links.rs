//! Links: internal links rewritten to page URLs, attachments copied, every link under the base
//! URL's path, and the link check that stops a build with a dead link.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;

use crate::site_test::{Diagnostic, Page, SiteTest};

const BASE: &str = "https://example.org/community-safety/";

// ---- Links and attachments ----------------------------------------------------------------

#[test]
fn internal_links_are_rewritten_to_page_urls() {
    let site = SiteTest::new("links/internal");
    site.build();
    let guide = site.page("guide/");
    assert_eq!(
        guide.attrs("main li a", "href"),
        [
            "/priorities/county-lines/",
            "/priorities/county-lines/#the-plan",
            "/meetings/2026-03-05-board/",
            "/meetings/2026-03-05-board/#decisions",
            "/meetings/minutes.pdf",
            "#contents",
            "/tags/",
            "https://www.gov.uk/",
            "mailto:safety@example.org",
        ]
    );
    assert_eq!(guide.attrs("main img", "src"), ["/logo.png"]);
    assert_internal_links_resolve(&site, "/");
}

#[test]
fn attachments_are_copied_and_documents_show_type_and_size() {
    let site = SiteTest::new("links/internal");
    site.build();
    for (source, published) in [
        ("content/meetings/minutes.pdf", "meetings/minutes.pdf"),
        (
            "content/meetings/papers/actions.xlsx",
            "meetings/papers/actions.xlsx",
        ),
        ("content/pages/logo.png", "logo.png"),
    ] {
        let original = fs::read(site.root.join(source)).expect("read the fixture file");
        let copied = fs::read(site.out(published))
            .unwrap_or_else(|e| panic!("{published} was not copied: {e}"));
        assert_eq!(original, copied, "{published} is a byte-for-byte copy");
    }
    let meeting = site.page("meetings/2026-03-05-board/");
    assert_eq!(
        meeting.texts("ul.documents > li"),
        [
            "Minutes PDF, 3 KB",
            "Action log XLSX, 500 bytes",
            "Annual report PDF"
        ]
    );
    assert_eq!(
        meeting.attrs("ul.documents a", "href"),
        [
            "/meetings/minutes.pdf",
            "/meetings/papers/actions.xlsx",
            "https://example.org/files/annual-report.pdf"
        ]
    );
    assert_eq!(
        meeting.attrs(".minutes a", "href"),
        ["/meetings/minutes.pdf", "/meetings/papers/actions.xlsx"]
    );
}

// ---- Base URL ------------------------------------------------------------------------------

/// Checks every `href` and `src` in every page: internal ones start with `base_path` and name a
/// file that was written (and, with a `#fragment`, an element with that id); the rest are
/// absolute web, mail or same-page links.
fn assert_internal_links_resolve(site: &SiteTest, base_path: &str) {
    let files = site.output_files();
    let pages: BTreeMap<&String, Page> = files
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| {
            let html = scraper::Html::parse_document(&String::from_utf8_lossy(bytes));
            (
                path,
                Page {
                    name: path.clone(),
                    html,
                },
            )
        })
        .collect();
    let ids = |page: &Page| -> BTreeSet<String> { page.attrs("[id]", "id").into_iter().collect() };
    for (path, page) in &pages {
        let urls = page
            .attrs("[href]", "href")
            .into_iter()
            .chain(page.attrs("[src]", "src"));
        for url in urls {
            if let Some(fragment) = url.strip_prefix('#') {
                assert!(ids(page).contains(fragment), "{path}: no id for {url}");
                continue;
            }
            if ["https://", "http://", "mailto:", "webcal://"]
                .iter()
                .any(|s| url.starts_with(s))
            {
                continue;
            }
            let rest = url
                .strip_prefix(base_path)
                .unwrap_or_else(|| panic!("{path}: {url} does not start with {base_path}"));
            let (file, fragment) = match rest.split_once('#') {
                Some((file, fragment)) => (file, Some(fragment)),
                None => (rest, None),
            };
            let file = if file.is_empty() || file.ends_with('/') {
                format!("{file}index.html")
            } else {
                file.to_string()
            };
            assert!(
                files.contains_key(&file),
                "{path}: {url} leads to no file ({file})"
            );
            if let Some(fragment) = fragment {
                let target = &pages[&file];
                assert!(ids(target).contains(fragment), "{path}: {url}: no such id");
            }
        }
    }
}

#[test]
fn base_url_with_a_path_prefixes_every_internal_link() {
    let site = SiteTest::new("build/whole-site");
    site.build_with(&["--base-url", "https://example.org/sub/"]);
    assert_internal_links_resolve(&site, "/sub/");
    // Spot checks of each kind of link.
    let meeting = site.page("meetings/2026-03-05-board/");
    assert_eq!(
        meeting.attrs(".minutes a", "href"),
        [
            "/sub/priorities/county-lines/#the-plan",
            "/sub/meetings/minutes.pdf"
        ]
    );
    assert_eq!(
        meeting.attrs("ul.documents a", "href"),
        ["/sub/meetings/minutes.pdf"]
    );
    let stylesheet = site.page("").attrs("link[rel=stylesheet]", "href");
    assert!(
        stylesheet.len() == 1
            && stylesheet[0].starts_with("/sub/style.")
            && stylesheet[0].ends_with(".css"),
        "{stylesheet:?}"
    );
    assert_eq!(
        site.page("priorities/county-lines/")
            .attrs("main img", "src"),
        ["/sub/priorities/map.png"]
    );
    assert_eq!(
        site.page("").attrs("main .intro p a", "href")[..2],
        ["/sub/priorities/county-lines/", "/sub/tags/"]
    );
}

#[test]
fn base_url_at_the_domain_root_keeps_links_from_the_root() {
    let site = SiteTest::new("build/whole-site");
    site.build();
    assert_internal_links_resolve(&site, "/");
}

// ---- Hosting under a sub-path, and the link check ------------------------------------------

/// Every URL in every HTML attribute, with the page it is on.
fn all_links(site: &SiteTest) -> Vec<(String, String)> {
    let mut links = Vec::new();
    for path in site.output_paths().iter().filter(|p| p.ends_with(".html")) {
        let html = site.page(path);
        for element in html.select("[href], [src]") {
            for name in ["href", "src"] {
                if let Some(url) = element.value().attr(name) {
                    links.push((path.clone(), url.to_string()));
                }
            }
        }
    }
    links
}

fn assert_stays_under(site: &SiteTest, base: &str) {
    let path = &base[base[8..].find('/').unwrap() + 8..];
    let host = &base[..base.len() - path.len()];
    for (page, url) in all_links(site) {
        if url.starts_with('/') {
            assert!(url.starts_with(path), "{page}: {url} escapes {path}");
        } else if url.starts_with(host) || url.starts_with("webcal:") {
            let absolute = url.replacen("webcal://", "https://", 1);
            assert!(absolute.starts_with(base), "{page}: {url} escapes {base}");
        }
    }
    for file in site
        .output_paths()
        .iter()
        .filter(|p| p.ends_with(".xml") || p.ends_with(".ics"))
    {
        let text = site.read(file).replace("\r\n ", "");
        for (at, _) in text.match_indices(host) {
            assert!(
                text[at..].starts_with(base),
                "{file}: {}",
                &text[at..at + 60]
            );
        }
    }
}

#[test]
fn sub_path_links_never_escape_the_base_path() {
    let site = SiteTest::new("links/subpath").built();
    assert_stays_under(&site, BASE);
    let home = site.page("index.html");
    let stylesheet = home.attr("link[rel=stylesheet]", "href").unwrap();
    assert!(stylesheet.starts_with("/community-safety/style."));
    assert!(site.exists(stylesheet.strip_prefix("/community-safety/").unwrap()));
}

#[test]
fn base_url_flag_moves_the_site_for_previews() {
    let preview = "https://preview.example.net/pr-42/";
    let site = SiteTest::new("links/subpath");
    site.build_with(&["--base-url", preview]);
    assert_stays_under(&site, preview);
    let page = site.page("meetings/board-2020-07-16/index.html");
    assert_eq!(
        page.attr("link[rel=canonical]", "href"),
        Some(format!("{preview}meetings/board-2020-07-16/"))
    );
    assert!(
        site.read("atom.xml")
            .contains(&format!("<id>{preview}atom.xml</id>"))
    );
    assert!(
        site.read("sitemap.xml")
            .contains(&format!("<loc>{preview}</loc>"))
    );
    assert!(
        !site
            .read("meetings.ics")
            .contains("example.org/community-safety")
    );
}

/// The sub-path site with a page `content/pages/broken.md` whose text is `body`.
fn site_with_page(body: &str) -> SiteTest {
    SiteTest::new("links/subpath").file(
        "content/pages/broken.md",
        format!("---\ntitle: Broken\n---\n{body}\n"),
    )
}

/// Builds `site`, insists it fails, and returns the dead links reported.
fn build_errors(site: &SiteTest) -> Vec<Diagnostic> {
    let problems = site.build_failing().diagnostics();
    problems
        .into_iter()
        .filter(|p| p.code == "dead-link")
        .collect()
}

#[test]
fn a_dead_internal_link_stops_the_build_and_leaves_public_untouched() {
    let site = site_with_page("See [the plan](/plans/2020/) and [the report](report.pdf).");
    let public = &site.output;
    fs::create_dir_all(public).unwrap();
    fs::write(public.join("index.html"), "the old site").unwrap();
    let problems = build_errors(&site);
    // Each at the link in its Markdown file, quoted as the editor wrote it, with advice by what
    // it points at.
    let found: Vec<(&str, &str, &str)> = problems
        .iter()
        .map(|p| (p.location.as_str(), p.message.as_str(), p.hint.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "content/pages/broken.md:4:16",
                "the link \"/plans/2020/\" leads to /community-safety/plans/2020/, but the build wrote no file there; it is on /community-safety/broken/ (from content/pages/broken.md)",
                "no page is published at that address: to link to a page, write its Markdown file, e.g. `@/meetings/<file>.md`; Waymark then writes the right address and checks it"
            ),
            (
                "content/pages/broken.md:4:47",
                "the link \"report.pdf\" leads to /community-safety/broken/report.pdf, but the build wrote no file there; it is on /community-safety/broken/ (from content/pages/broken.md)",
                "check the spelling, or put report.pdf next to the Markdown file that links to it, or under static/"
            ),
        ]
    );
    assert_eq!(
        fs::read_to_string(public.join("index.html")).unwrap(),
        "the old site"
    );
    assert_eq!(fs::read_dir(public).unwrap().count(), 1);
}

#[test]
fn full_addresses_are_left_to_their_owners() {
    // The council's own website, on the same host but outside the partnership's sub-path, is
    // not this build's to check.
    let site = site_with_page(
        "Back to the [council](https://example.org/) or [elsewhere](//example.org/x/).",
    )
    .built();
    let page = site.page("broken/index.html");
    let links: Vec<&str> = page
        .select("main a")
        .iter()
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(links, vec!["https://example.org/", "//example.org/x/"]);
}

#[test]
fn a_broken_template_link_is_reported_once_for_all_its_pages() {
    let site = SiteTest::new("links/subpath").file(
        "themes/default/templates/tag.html",
        "{% extends \"base.html\" %}{% block content %}<a href=\"/contact/\">Contact</a>{% endblock content %}",
    );
    let problems = build_errors(&site);
    assert_eq!(problems.len(), 1, "{problems:?}");
    let message = &problems[0].message;
    assert!(message.contains("\"/contact/\""), "{message}");
    assert!(message.contains("outside the site's address"), "{message}");
    // Four tag pages: three named, one counted.
    assert!(
        message.contains("/community-safety/tags/county-lines/, "),
        "{message}"
    );
    assert!(message.ends_with("and 1 more page"), "{message}");
    assert!(problems[0].hint.contains("theme template"));
}
