//! Hostile content must never reach residents as markup: a corpus of XSS payloads is put in
//! Markdown bodies and in every front matter field shown on a page, the site is built with and
//! without `allow_raw_html`, and every output page is parsed as HTML and searched for anything
//! that could run script.

use crate::site_test::SiteTest;

// ---- Safety --------------------------------------------------------------------------------

#[test]
fn raw_html_and_script_links_never_reach_the_output() {
    let site = SiteTest::new("xss/raw-html");
    site.build();
    let page = site.page("pasted/");
    assert!(
        page.select("main script, main div[onclick], main img[onerror]")
            .is_empty()
    );
    for element in page.select("main *") {
        for (name, value) in element.value().attrs() {
            assert!(!name.starts_with("on"), "event handler {name}={value}");
            let squashed: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            for scheme in ["javascript:", "vbscript:", "data:"] {
                assert!(
                    !squashed.starts_with(scheme),
                    "{name}={value:?} reached the page"
                );
            }
            assert!(
                !value.contains("alert("),
                "{name}={value:?} reached the page"
            );
        }
    }
    // The words of unsafe links stay, without the link; the safe link is kept.
    assert_eq!(
        page.texts("main li"),
        [
            "plain",
            "upper case",
            "tab inside",
            "entity tab",
            "entity letter",
            "data",
            "vb",
            "reference",
            "javascript:alert(10)",
            "",
            "a safe link"
        ]
    );
    assert_eq!(page.attrs("main a", "href"), ["https://www.gov.uk/"]);
    assert!(
        page.text("main p").contains("image and an HTML link"),
        "the text around raw HTML stays"
    );
}

const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    // A full address, so the image is not a broken link on the page (the build checks those).
    "<img src=https://example.org/x.png onerror=alert(1)>",
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<a href=\"javascript:alert(1)\">raw link</a>",
    "[md link](javascript:alert(1))",
    "[mixed case](JaVaScRiPt:alert(1))",
    "[tab entity](java&#9;script:alert(1))",
    "[newline entity](java&#10;script:alert(1))",
    "[entity j](&#106;avascript:alert(1))",
    "[colon entity](javascript&colon;alert(1))",
    "[vbscript](vbscript:msgbox(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![image](javascript:alert(1))",
    "<body onload=alert(1)>",
    "<div style=\"background:url(javascript:alert(1))\">styled</div>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<form action=\"javascript:alert(1)\"><input type=submit></form>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<details open ontoggle=alert(1)>x</details>",
    "<a href=\" javascript:alert(1)\">space</a>",
    "\"><script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</script>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<link rel=stylesheet href=\"javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<a href=\"&#x6A;avascript:alert(1)\">hex entity</a>",
    "<textarea><script>alert(1)</script></textarea>",
    "<noscript><p title=\"</noscript><img src=https://example.org/x.png onerror=alert(1)>\"></noscript>",
    "<style>@import 'javascript:alert(1)';</style>",
    "<video><source onerror=\"alert(1)\"></video>",
    "[autolink](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    "{{ site.title }}{% raw %}",
];

fn yaml_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A site with every payload in a page body and in front matter shown on pages.
fn hostile_site(allow_raw_html: bool) -> SiteTest {
    let mut site = SiteTest::empty()
        .file(
            "site.yaml",
            format!(
                "title: XSS test\nbase_url: https://example.org/\nallow_raw_html: {allow_raw_html}\n"
            ),
        )
        .file("content/meetings/paper.pdf", "%PDF-1.4");
    for (i, payload) in PAYLOADS.iter().enumerate() {
        let q = yaml_quoted(payload);
        let tag = yaml_quoted(&format!("{payload}x"));
        site = site
            .file(
                &format!("content/pages/p{i}.md"),
                format!(
                    "---\ntitle: {q}\nsummary: {q}\n---\n\nBefore.\n\n{payload}\n\nInline {payload} text.\n"
                ),
            )
            .file(
                &format!("content/priorities/p{i}.md"),
                format!(
                    "---\ntitle: {q}\nshort_title: {q}\nnumber: {i}\nstatus: on-track\nlead: {q}\nsummary: {q}\ntags: [{tag}]\n---\n\n{payload}\n"
                ),
            )
            .file(
                &format!("content/meetings/m{i}.md"),
                format!(
                    "---\ntitle: {q}\ndate: 2026-01-{:02}\nvenue: {q}\nchair: {q}\npriorities: [p{i}]\nagenda:\n  - title: {q}\n    presenter: {q}\n    priority: p{i}\ndocuments:\n  - title: {q}\n    file: paper.pdf\n---\n\n{payload}\n",
                    i % 28 + 1
                ),
            )
            .file(
                &format!("content/updates/u{i}.md"),
                format!(
                    "---\ntitle: {q}\ndate: 2026-02-{:02}\nstatus_changes:\n  - priority: p{i}\n    status: at-risk\n---\n\n{payload}\n",
                    i % 28 + 1
                ),
            );
    }
    site
}

/// Browsers drop ASCII whitespace and control characters inside a URL's scheme.
fn runs_script(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_control() && !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| cleaned.starts_with(s))
}

fn assert_no_script(html: &str, page: &str) {
    let document = scraper::Html::parse_document(html);
    let everything = scraper::Selector::parse("*").unwrap();
    for element in document.select(&everything) {
        let name = element.value().name();
        // Structured data is a data block that never runs; it must still be intact JSON, which
        // shows no payload broke out of it.
        if name == "script" && element.value().attr("type") == Some("application/ld+json") {
            let json = element.text().collect::<String>();
            assert!(
                serde_json::from_str::<serde_json::Value>(&json).is_ok(),
                "{}: structured data is not JSON: {json}",
                page
            );
            continue;
        }
        if is_theme_search(element) {
            continue;
        }
        assert!(
            !matches!(
                name,
                "script"
                    | "iframe"
                    | "object"
                    | "embed"
                    | "form"
                    | "base"
                    | "style"
                    | "svg"
                    | "math"
                    | "textarea"
            ),
            "{}: <{name}> reached the page",
            page
        );
        if name == "meta" {
            assert!(
                element.value().attr("http-equiv").is_none(),
                "{}: meta http-equiv reached the page",
                page
            );
        }
        for (attribute, value) in element.value().attrs() {
            let attribute = attribute.to_ascii_lowercase();
            assert!(
                !attribute.starts_with("on"),
                "{}: event handler {attribute} on <{name}>",
                page
            );
            assert!(
                attribute != "style",
                "{}: style attribute on <{name}>",
                page
            );
            if matches!(
                attribute.as_str(),
                "href"
                    | "src"
                    | "action"
                    | "formaction"
                    | "data"
                    | "xlink:href"
                    | "srcset"
                    | "poster"
            ) {
                assert!(
                    !runs_script(value),
                    "{}: {attribute}=\"{value}\" on <{name}>",
                    page
                );
            }
        }
    }
}

/// The theme's own search: the form on every page that submits to the search page, and the
/// search page's script file. Content can never produce either.
/// `/search.<hash>.js`: the theme's script under its content-hashed name.
fn is_theme_script_address(src: &str) -> bool {
    src.strip_prefix("/search.")
        .and_then(|rest| rest.strip_suffix(".js"))
        .is_some_and(|hash| hash.len() == 10 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn is_theme_search(element: scraper::ElementRef<'_>) -> bool {
    let value = element.value();
    match value.name() {
        "form" => {
            value.attr("role") == Some("search")
                && value.attr("action") == Some("/search/")
                && value.attrs().all(|(a, _)| !a.starts_with("on"))
        }
        "script" => {
            value.attr("src").is_some_and(is_theme_script_address)
                && value.attr("defer").is_some()
                && element.text().all(|t| t.trim().is_empty())
        }
        _ => false,
    }
}

fn check_site(allow_raw_html: bool) {
    assert!(PAYLOADS.len() >= 30);
    let site = hostile_site(allow_raw_html);
    site.build();
    let pages = site.html_pages();
    assert!(
        pages.len() > PAYLOADS.len() * 4,
        "only {} pages built",
        pages.len()
    );
    for page in &pages {
        assert_no_script(&site.read(page), page);
    }
    // Content is data, never template code.
    let literal = site.read("p35/index.html");
    assert!(
        literal.contains("{{ site.title }}"),
        "template syntax in content must stay literal"
    );
}

#[test]
fn raw_html_is_omitted_by_default() {
    check_site(false);
}

#[test]
fn raw_html_is_sanitised_when_allowed() {
    check_site(true);
}

#[test]
fn allowed_raw_html_keeps_harmless_markup() {
    let site = SiteTest::empty()
        .file(
            "site.yaml",
            "title: T\nbase_url: https://example.org/\nallow_raw_html: true\n",
        )
        .file(
            "content/pages/a.md",
            "---\ntitle: A\n---\n\n<abbr title=\"Community Safety Partnership\">CSP</abbr> and <kbd>Ctrl</kbd>\n",
        );
    site.build();
    let page = site.read("a/index.html");
    assert!(
        page.contains("<abbr title=\"Community Safety Partnership\">CSP</abbr>"),
        "{page}"
    );
}
