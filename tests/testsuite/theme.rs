//! The default theme's promises that need no browser: every page within the performance budget
//! and free of external requests, the accessible page skeleton on every page, the generated
//! accessibility statement, pagination of long indexes and the search index. Most tests build
//! `theme/sample-site`, a copy of the bundled sample site, for its breadth: seven priorities, every
//! kind of meeting, an accessibility page of its own. (tests/browser/ checks the bundled sample
//! site itself in Chromium with axe-core and the Nu Html Checker.)

use std::collections::BTreeSet;

use crate::site_test::{Page, SiteTest, text_of};

/// A page's HTML, CSS and JavaScript together must stay under this (search index excluded).
const BUDGET_BYTES: usize = 50 * 1024;

/// The copy of the bundled sample site, built.
fn sample() -> SiteTest {
    SiteTest::new("theme/sample-site").built()
}

// ---- Budget ----------------------------------------------------------------------------------

/// The files a browser fetches to show a page: its stylesheets and scripts.
fn subresources(html: &Page) -> Vec<String> {
    let mut urls = html.attrs("link[rel=stylesheet]", "href");
    urls.extend(html.attrs("script[src]", "src"));
    urls
}

#[test]
fn every_page_with_its_css_and_js_is_under_50_kb() {
    let site = sample();
    let files = site.output_files();
    let mut weights: Vec<(usize, String)> = Vec::new();
    for path in site.html_pages() {
        let html = site.page(&path);
        let mut bytes = files[&path].len();
        for url in subresources(&html) {
            let rel = url.trim_start_matches('/');
            let file = files
                .get(rel)
                .unwrap_or_else(|| panic!("{path} loads {url}, which the site does not have"));
            bytes += file.len();
        }
        weights.push((bytes, path));
    }
    weights.sort();
    let (heaviest, page) = weights.last().expect("the site has pages");
    assert!(
        *heaviest < BUDGET_BYTES,
        "{page} weighs {heaviest} bytes with its CSS and JS; the budget is {BUDGET_BYTES}"
    );
    assert!(weights.len() > 20, "every page was weighed");
}

#[test]
fn no_page_loads_anything_from_another_host() {
    let site = sample();
    let loaders = "link[href]:not([rel=canonical]):not([rel=alternate]), script[src], img[src], \
                   iframe, object, embed, video, audio, source, track, input[src]";
    for path in site.html_pages() {
        let html = site.page(&path);
        for element in html.select(loaders) {
            let value = element.value();
            let url = value.attr("href").or(value.attr("src")).unwrap_or("");
            assert!(
                url.starts_with('/') && !url.starts_with("//"),
                "{path}: <{}> loads {url:?} from outside the site",
                value.name()
            );
        }
        // JSON-LD is data, not a script that runs.
        for script in html.select("script:not([type=\"application/ld+json\"])") {
            assert!(
                script.value().attr("defer").is_some() || script.value().attr("async").is_some(),
                "{path}: a script blocks rendering"
            );
        }
    }
    let css = site.read(&site.theme_file("style.css"));
    for forbidden in ["@import", "@font-face", "url(", "http:", "https:"] {
        assert!(!css.contains(forbidden), "style.css contains {forbidden}");
    }
    let script = site.read(&site.theme_file("search.js"));
    assert!(
        !script.contains("http"),
        "search.js talks only to this site"
    );
}

#[test]
fn only_the_search_page_has_a_script() {
    let site = sample();
    for path in site.html_pages() {
        let scripts = site.page(&path).attrs("script", "src");
        if path == "search/index.html" {
            assert_eq!(scripts, [format!("/{}", site.theme_file("search.js"))]);
        } else {
            assert!(scripts.is_empty(), "{path} has {scripts:?}");
        }
    }
}

// ---- Page skeleton ---------------------------------------------------------------------------

#[test]
fn every_page_has_the_accessible_skeleton() {
    let site = sample();
    for path in site.html_pages() {
        let html = site.page(&path);
        assert_eq!(html.attrs("html", "lang"), ["en-GB"], "{path}");
        assert_eq!(html.select("title").len(), 1, "{path}: one <title>");
        assert_eq!(html.texts("main h1").len(), 1, "{path}: one <h1>");
        let first_link = html.select("body a").into_iter().next().expect("links");
        assert_eq!(
            (
                first_link.value().attr("href"),
                text_of(first_link).as_str()
            ),
            (Some("#main-content"), "Skip to main content"),
            "{path}: the skip link comes first"
        );
        assert_eq!(html.select("main#main-content").len(), 1, "{path}");
        assert_eq!(
            html.select("nav[aria-label=Main]").len(),
            1,
            "{path}: main navigation"
        );
        assert!(
            html.attrs("footer a", "href")
                .contains(&"/accessibility/".to_string()),
            "{path}: the footer links to the accessibility statement"
        );
        let searches = html.attrs("form[role=search]", "action");
        assert_eq!(searches, ["/search/"], "{path}: one search form");
        for input in html.select("input") {
            let id = input.value().attr("id").expect("inputs have ids");
            assert_eq!(
                html.select(&format!("label[for={id}]")).len(),
                1,
                "{path}: #{id} has a label"
            );
        }
        let heading_levels: Vec<u8> = html
            .select("main h1, main h2, main h3, main h4")
            .iter()
            .map(|h| h.value().name()[1..].parse().expect("heading level"))
            .collect();
        for pair in heading_levels.windows(2) {
            assert!(
                pair[1] <= pair[0] + 1,
                "{path}: headings skip a level: {heading_levels:?}"
            );
        }
    }
}

#[test]
fn statuses_are_always_written_as_words() {
    let site = sample();
    let words = [
        "Not started",
        "On track",
        "At risk",
        "Off track",
        "Complete",
        "Scheduled",
        "Held",
        "Cancelled",
    ];
    let mut seen = BTreeSet::new();
    for path in site.html_pages() {
        for status in site.page(&path).texts(".status") {
            assert!(
                words.contains(&status.as_str()),
                "{path}: status {status:?}"
            );
            seen.insert(status);
        }
    }
    assert!(seen.len() >= 4, "statuses seen: {seen:?}");
}

#[test]
fn home_page_shows_a_card_per_priority_with_number_title_status_and_last_update() {
    let site = sample();
    let home = site.page("");
    let cards = home.select(".card-list > li.card");
    assert_eq!(cards.len(), 7);
    let first = Page::fragment("the first card", &cards[0].html());
    assert_eq!(first.texts(".card-caption"), ["Priority 1"]);
    assert_eq!(first.attrs("h3 a", "href"), ["/priorities/county-lines/"]);
    assert_eq!(first.texts("h3 a"), ["County lines"]);
    assert_eq!(first.texts(".status"), ["On track"]);
    assert_eq!(
        first.texts(".card-meta"),
        ["Last updated 24 September 2020"]
    );
    assert_eq!(
        home.texts(".status-summary"),
        ["7 priorities: 5 On track 2 At risk"]
    );
}

#[test]
fn meeting_pages_list_facts_agenda_in_order_and_documents_with_type_and_size() {
    let site = sample();
    let meeting = site.page("meetings/hcssg-2020-09-17/");
    assert_eq!(
        meeting.texts(".summary-list dt"),
        ["Date", "Venue", "Chair", "Status", "Priorities discussed"]
    );
    assert_eq!(meeting.select("ol.agenda > li").len(), 6);
    assert_eq!(meeting.texts(".documents .file-meta"), ["TXT, 24 KB"]);
    let breadcrumbs = meeting.attrs("nav[aria-label=Breadcrumb] a", "href");
    assert_eq!(breadcrumbs, ["/", "/meetings/"]);
}

// ---- Accessibility statement --------------------------------------------------------------------

#[test]
fn writes_the_accessibility_statement_from_site_yaml_when_the_site_has_none() {
    let site = SiteTest::new("theme/statement").built();
    let page = site.page("accessibility/");
    assert_eq!(page.texts("main h1"), ["Accessibility statement"]);
    let body = page.texts("main").join(" ");
    for expected in [
        "published by Testshire County Council",
        "Minutes of meetings before 2021 are scanned PDF files that screen readers cannot read.",
        "Some maps of crime hot spots have no text alternative.",
        "call 0300 555 0100",
        "This website is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard",
        "last reviewed on 5 October 2026",
    ] {
        assert!(
            body.contains(expected),
            "the statement lacks {expected:?}:\n{body}"
        );
    }
    assert!(
        page.attrs("main a", "href")
            .contains(&"mailto:safety@example.org".to_string())
    );
    // Linked from every footer, under the site's base path, and findable by search.
    let footer = site.page("").attrs("footer a", "href");
    assert!(
        footer.contains(&"/community-safety/accessibility/".to_string()),
        "{footer:?}"
    );
    let docs = site.json("search/docs/0.json");
    let titles: Vec<&str> = docs
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|d| d["t"].as_str())
        .collect();
    assert!(titles.contains(&"Accessibility statement"), "{titles:?}");
}

#[test]
fn a_site_with_its_own_accessibility_page_keeps_it() {
    // Its site.yaml has accessibility settings too: the editor's page still wins.
    let site = SiteTest::new("theme/own-statement").built();
    let page = site.page("accessibility/");
    let body = page.texts("main").join(" ");
    assert!(
        body.contains("This statement applies to the website of the Hampshire Community Safety Strategy Group."),
        "the editor's own statement is published"
    );
    let footer = site.page("").texts("footer a");
    let statements = footer
        .iter()
        .filter(|t| t.as_str() == "Accessibility statement")
        .count();
    assert_eq!(statements, 1, "one footer link: {footer:?}");
}

// ---- Pagination ------------------------------------------------------------------------------

/// A site with `count` updates, all tagged "community", dated one day apart.
fn long_site(count: usize) -> SiteTest {
    let mut site = SiteTest::empty().file(
        "site.yaml",
        "title: Longshire\nbase_url: https://example.org/\n",
    );
    for n in 1..=count {
        let (month, day) = (1 + (n - 1) / 28, 1 + (n - 1) % 28);
        site = site.file(
            &format!("content/updates/update-{n:03}.md"),
            format!(
                "---\ntitle: Update {n}\ndate: 2025-{month:02}-{day:02}\ntags: [community]\n---\nText {n}.\n"
            ),
        );
    }
    site
}

#[test]
fn long_indexes_are_split_into_pages_of_20_with_links_between_them() {
    let site = long_site(45).built();
    // Newest first: update 45 leads the first page, update 1 ends the last.
    let titles = |rel: &str| site.page(rel).texts("main ul.dated-list a");
    let mut all = Vec::new();
    for rel in ["updates/", "updates/page/2/", "updates/page/3/"] {
        all.extend(titles(rel));
    }
    let expected: Vec<String> = (1..=45).rev().map(|n| format!("Update {n}")).collect();
    assert_eq!(all, expected);
    assert!(!site.output.join("updates/page/4").exists());
    assert!(
        !site.output.join("updates/page/1").exists(),
        "page 1 is the index itself"
    );

    let second = site.page("updates/page/2/");
    assert_eq!(second.texts("title"), ["Updates (page 2 of 3) – Longshire"]);
    assert_eq!(second.attrs("a[rel=prev]", "href"), ["/updates/"]);
    // Each numbered page is its own page to search engines, and is in the sitemap.
    let canonical = second.attrs("link[rel=canonical]", "href");
    assert_eq!(canonical.len(), 1);
    assert!(canonical[0].ends_with("/updates/page/2/"), "{canonical:?}");
    assert!(
        site.read("sitemap.xml")
            .contains(&format!("<loc>{}</loc>", canonical[0]))
    );
    assert_eq!(second.attrs("a[rel=next]", "href"), ["/updates/page/3/"]);
    assert_eq!(
        second.attrs(".pagination a[aria-current=page]", "href"),
        ["/updates/page/2/"]
    );
    assert_eq!(
        second.texts(".pagination-summary"),
        ["Showing 21 to 40 of 45"]
    );
    // The tag page is split the same way; short indexes have no pagination at all.
    assert_eq!(
        site.page("tags/community/page/3/")
            .select("main .tagged-list li")
            .len(),
        5
    );
    assert!(site.page("meetings/").select(".pagination").is_empty());
}

// ---- Search ----------------------------------------------------------------------------------

#[test]
fn the_search_index_covers_every_page_and_finds_words_through_their_shard() {
    let site = sample();
    let manifest = site.json("search/manifest.json");
    let count = manifest["docs"].as_u64().expect("a count") as usize;
    let chunk = manifest["chunk"].as_u64().expect("a chunk size") as usize;
    // 7 priorities, 7 meetings, 3 updates, 2 pages and the home page.
    assert_eq!(count, 20);
    let mut docs = Vec::new();
    for n in 0..count.div_ceil(chunk) {
        let part = site.json(&format!("search/docs/{n}.json"));
        docs.extend(part.as_array().expect("an array").clone());
    }
    assert_eq!(docs.len(), count);
    for doc in &docs {
        let url = doc["u"].as_str().expect("a URL");
        assert!(
            site.output
                .join(url.trim_start_matches('/'))
                .join("index.html")
                .is_file()
                || url == "/",
            "{url} is a page"
        );
        assert!(
            ["priority", "meeting", "update", "page"].contains(&doc["k"].as_str().unwrap_or(""))
        );
    }

    // "lockdown" is only in the body of the cancelled April 2020 meeting and the updates.
    let shards: Vec<String> = manifest["shards"]
        .as_array()
        .expect("shards")
        .iter()
        .map(|s| s.as_str().expect("a key").to_string())
        .collect();
    let mut sorted = shards.clone();
    sorted.sort();
    assert_eq!(shards, sorted, "shard keys are sorted");
    let key = shards
        .iter()
        .filter(|k| "lockdown".starts_with(k.as_str()))
        .max_by_key(|k| k.len())
        .expect("a shard for lockdown");
    let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
    let shard = site.json(&format!("search/terms/{hex}.json"));
    let postings = shard["lockdown"].as_array().expect("lockdown is indexed");
    let mut doc = 0;
    let mut found = Vec::new();
    for pair in postings.chunks(2) {
        doc += pair[0].as_u64().expect("a gap") as usize;
        found.push(docs[doc]["u"].as_str().expect("a URL").to_string());
    }
    assert!(
        found.contains(&"/meetings/hcssg-2020-04-16/".to_string()),
        "{found:?}"
    );
    // Stop words are left out of every shard.
    for key in &shards {
        let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
        let shard = site.json(&format!("search/terms/{hex}.json"));
        for word in ["the", "and", "of"] {
            assert!(shard.get(word).is_none(), "{word:?} is indexed in {key}");
        }
    }
}

#[test]
fn the_search_page_works_without_javascript_by_offering_topics() {
    let site = sample();
    let page = site.page("search/");
    assert_eq!(page.attrs("main form", "action"), ["/search/"]);
    assert_eq!(page.attrs("main form input", "name"), ["q"]);
    assert!(page.texts(".search-no-script")[0].contains("need JavaScript"));
    let topics = page.attrs(".tag-index a", "href");
    let tags = site.page("tags/").attrs(".tag-index a", "href");
    assert_eq!(topics, tags, "every topic is offered");
}
