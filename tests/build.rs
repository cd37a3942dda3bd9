//! `waymark build` end to end: each test copies a fixture site from tests/fixtures/build/,
//! runs the real binary on it and checks the files it wrote or the problems it printed.
//!
//! Expected files under a fixture's `expected/` folder are rewritten with `WAYMARK_BLESS=1`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;

use common::{Page, SiteTest, files_below, waymark, waymark_in};

// ---- Where pages are written ---------------------------------------------------------------

#[test]
fn writes_pages_at_pretty_urls() {
    let site = SiteTest::new("whole-site");
    site.build();
    // The search index's term shards depend on every word of the site; tests/theme.rs checks them.
    let mut written: BTreeSet<String> = site
        .output_files()
        .into_keys()
        .filter(|path| !path.starts_with("search/terms/"))
        .collect();
    // The theme's files are named by their contents (style.<hash>.css), for caching.
    let mut theme_files = Vec::new();
    for (stem, extension) in [("style.", ".css"), ("search.", ".js")] {
        let named: Vec<String> = written
            .iter()
            .filter(|f| f.starts_with(stem) && f.ends_with(extension))
            .cloned()
            .collect();
        assert_eq!(named.len(), 1, "{named:?}");
        written.remove(&named[0]);
        theme_files.push(named[0].clone());
    }
    let expected: BTreeSet<String> = [
        "index.html",
        "404.html",
        "priorities/index.html",
        "priorities/county-lines/index.html",
        "priorities/serious-violence/index.html",
        "meetings/index.html",
        "meetings/2026-03-05-board/index.html",
        "meetings/2027-01-14-board/index.html",
        "updates/index.html",
        "updates/2026-06-01-progress/index.html",
        "about/index.html",
        "tags/index.html",
        "tags/county-lines/index.html",
        "tags/knife-crime/index.html",
        "tags/young-people/index.html",
        // The site has no accessibility page of its own, so Waymark writes one.
        "accessibility/index.html",
        // Search: the page and the index (the script is named by its contents, above).
        "search/index.html",
        "search/manifest.json",
        "search/docs/0.json",
        // Files beside content keep their place; pages' files go to the site root.
        "priorities/map.png",
        "meetings/minutes.pdf",
        "leaflet.pdf",
        // static/ is copied as it is (its robots.txt replaces the generated one).
        "robots.txt",
        "images/logo.svg",
        // Feeds, calendars and the sitemap.
        "atom.xml",
        "priorities/county-lines/atom.xml",
        "priorities/serious-violence/atom.xml",
        "tags/county-lines/atom.xml",
        "tags/knife-crime/atom.xml",
        "tags/young-people/atom.xml",
        "meetings.ics",
        "meetings/2027-01-14-board/2027-01-14-board.ics",
        "sitemap.xml",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(written, expected);

    let headings = [
        ("", "Keeping Testshire safe"),
        ("404.html", "Page not found"),
        ("priorities/", "Priorities"),
        ("priorities/county-lines/", "Tackling county lines"),
        ("meetings/", "Meetings"),
        ("meetings/2027-01-14-board/", "Partnership board"),
        ("updates/", "Updates"),
        ("updates/2026-06-01-progress/", "Progress in spring 2026"),
        ("about/", "About the partnership"),
        ("tags/", "Tags"),
        ("tags/young-people/", "Tagged “Young People”"),
    ];
    for (url, heading) in headings {
        let h1 = site.page(url).text("main h1");
        assert!(
            h1.starts_with(heading),
            "/{url}: h1 is {h1:?}, not {heading:?}"
        );
    }
    let css = site.read(&theme_files[0]);
    assert!(css.contains(".status-on-track"), "style.css is the theme's");
}

#[test]
fn prints_a_summary_and_writes_where_output_says() {
    let site = SiteTest::new("whole-site");
    let output = site.temp_dir().join("deploy/preview/site");
    let root = site.root.to_str().expect("UTF-8 path");
    let run = waymark(&[
        "build",
        "--root",
        root,
        "--output",
        output.to_str().expect("UTF-8"),
    ])
    .success();

    let line = run.stdout.trim();
    let rest = line
        .strip_prefix("Built 17 pages in ")
        .unwrap_or_else(|| panic!("unexpected summary: {line}"));
    let (seconds, folder) = rest
        .split_once(" s into ")
        .unwrap_or_else(|| panic!("unexpected summary: {line}"));
    assert!(seconds.parse::<f64>().is_ok(), "seconds in {line}");
    assert_eq!(folder, output.display().to_string());
    assert!(output.join("index.html").is_file());
    assert!(
        !site.root.join("public").exists(),
        "nothing written to the default place"
    );

    let quiet = waymark(&["build", "--root", root, "--quiet"]).success();
    assert_eq!(quiet.stdout, "", "--quiet prints nothing");
    assert!(
        site.root.join("public/index.html").is_file(),
        "without --output the site goes to ROOT/public"
    );
}

// ---- Output folder ---------------------------------------------------------------------------

#[test]
fn failed_build_leaves_existing_output_untouched() {
    let site = SiteTest::new("errors/unknown-status");
    fs::create_dir_all(&site.output).expect("create public/");
    fs::write(site.out("marker.txt"), "the live site").expect("write the marker");

    let run = site.build_failing();
    assert_eq!(run.code, Some(1));
    assert_eq!(site.read("marker.txt"), "the live site");
    assert_eq!(site.output_files().len(), 1, "nothing added to public/");
    let leftovers: Vec<String> = fs::read_dir(site.temp_dir())
        .expect("list the temporary folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name != "site" && name != "public")
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
    assert!(
        site.redact(&run.stderr)
            .ends_with("The site was not built; [TMP]/public was left as it was.\n"),
        "{}",
        run.stderr
    );
}

// ---- An output folder never replaces what the editor wrote ---------------------------------

/// Runs `waymark build` in `cwd` (relative to the test's temporary folder) with `args`, and
/// checks that it refuses with exactly `message` and `hint`, leaving every file as it was.
fn refuses_output(site: &SiteTest, cwd: &str, args: &[&str], message: &str, hint: &str) {
    let temp = site.temp_dir();
    let before = files_below(temp);
    let mut all = vec!["build", "--format", "json"];
    all.extend(args);
    let run = waymark_in(&temp.join(cwd), &all);
    assert_eq!(
        run.code,
        Some(2),
        "`waymark {}`: {}",
        all.join(" "),
        run.stderr
    );
    let problem = run.error("unsafe-output");
    assert_eq!(site.redact(&problem.message), message);
    assert_eq!(problem.hint, hint);
    assert!(
        run.stderr.ends_with("Nothing was built or deleted.\n"),
        "{}",
        run.stderr
    );
    assert!(
        files_below(temp) == before,
        "`waymark {}` changed files",
        all.join(" ")
    );
}

const SEPARATE: &str = "write the website to a folder of its own, such as --output public (the default) or a folder outside the site";

#[test]
fn output_that_is_the_site_folder_is_refused() {
    let site = SiteTest::new("whole-site");
    let message = |shown: &str| {
        format!(
            "--output {shown} is the site folder itself; building there would delete site.yaml, content/ and everything else you wrote"
        )
    };
    refuses_output(&site, "site", &["--output", "."], &message("."), SEPARATE);
    refuses_output(
        &site,
        "",
        &["--root", "site", "--output", "site"],
        &message("site"),
        SEPARATE,
    );
    refuses_output(
        &site,
        "site",
        &["--output", "content/.."],
        &message("content/.."),
        SEPARATE,
    );
}

#[test]
fn output_above_the_site_folder_is_refused() {
    let site = SiteTest::new("whole-site");
    fs::create_dir_all(site.temp_dir().join("w")).expect("create w/");
    fs::rename(&site.root, site.temp_dir().join("w/site")).expect("move the site into w/");
    let message = |shown: &str| {
        format!(
            "--output {shown} holds the site folder ([TMP]/w/site); building there would delete the site and everything else in {shown}"
        )
    };
    refuses_output(
        &site,
        "",
        &["--root", "w/site", "--output", "w"],
        &message("w"),
        SEPARATE,
    );
    refuses_output(
        &site,
        "w/site",
        &["--output", ".."],
        &message(".."),
        SEPARATE,
    );
    refuses_output(
        &site,
        "w/site/content",
        &["--root", "..", "--output", "../../.."],
        &message("../../.."),
        SEPARATE,
    );
}

#[test]
fn output_that_is_or_is_inside_a_source_folder_is_refused() {
    let site = SiteTest::new("whole-site");
    for source in ["content", "static", "themes"] {
        refuses_output(
            &site,
            "site",
            &["--output", source],
            &format!(
                "--output {source} is the site's {source}/; building there would delete what you wrote in it"
            ),
            SEPARATE,
        );
        let inside = format!("{source}/public");
        refuses_output(
            &site,
            "site",
            &["--output", &inside],
            &format!(
                "--output {inside} is inside the site's {source}/; building there would mix the website into what you wrote, and the next build would read it back in"
            ),
            SEPARATE,
        );
    }
    refuses_output(
        &site,
        "",
        &["--root", "site", "--output", "site/content/meetings"],
        "--output site/content/meetings is inside the site's content/; building there would mix the website into what you wrote, and the next build would read it back in",
        SEPARATE,
    );
}

#[test]
fn output_that_is_a_file_is_refused() {
    let site = SiteTest::new("whole-site");
    let hint = "name a folder for the website instead, such as --output public (the default)";
    refuses_output(
        &site,
        "site",
        &["--output", "site.yaml"],
        "--output site.yaml is a file; building there would replace it with the website",
        hint,
    );
    fs::write(site.temp_dir().join("notes.txt"), "mine").expect("write a file");
    refuses_output(
        &site,
        "site",
        &["--output", "../notes.txt"],
        "--output ../notes.txt is a file; building there would replace it with the website",
        hint,
    );
}

#[cfg(unix)]
#[test]
fn output_through_a_symlink_to_a_source_folder_is_refused() {
    let site = SiteTest::new("whole-site");
    std::os::unix::fs::symlink(site.root.join("content"), site.temp_dir().join("out"))
        .expect("link out -> site/content");
    refuses_output(
        &site,
        "",
        &["--root", "site", "--output", "out"],
        "--output out is the site's content/; building there would delete what you wrote in it",
        SEPARATE,
    );
}

#[test]
fn output_that_is_another_site_or_a_repository_is_refused() {
    let site = SiteTest::new("whole-site");
    let repository = site.temp_dir().join("repo/.git");
    fs::create_dir_all(&repository).expect("create repo/.git");
    fs::write(repository.join("HEAD"), "ref: refs/heads/main\n").expect("write HEAD");
    refuses_output(
        &site,
        "site",
        &["--output", "../repo"],
        "--output ../repo holds .git, so it is another site or a repository; building there would delete everything in it",
        SEPARATE,
    );
    let other = site.temp_dir().join("other");
    fs::create_dir_all(&other).expect("create other/");
    fs::write(other.join("site.yaml"), "title: Other\n").expect("write other/site.yaml");
    refuses_output(
        &site,
        "site",
        &["--output", "../other"],
        "--output ../other holds site.yaml, so it is another site or a repository; building there would delete everything in it",
        SEPARATE,
    );
}

#[test]
fn output_in_a_separate_folder_still_builds() {
    let site = SiteTest::new("whole-site");
    let sources = files_below(&site.root);
    waymark_in(&site.root, &["build", "--quiet"]).success();
    assert!(site.root.join("public/index.html").is_file());
    waymark_in(
        &site.root,
        &["build", "--quiet", "--output", "../elsewhere"],
    )
    .success();
    assert!(site.temp_dir().join("elsewhere/index.html").is_file());
    let mut after = files_below(&site.root);
    after.retain(|path, _| !path.starts_with("public/"));
    assert!(after == sources, "a build changed the site's own files");
}

#[test]
fn successful_build_replaces_the_whole_output_folder() {
    let site = SiteTest::new("whole-site");
    fs::create_dir_all(site.out("old-section")).expect("create public/");
    fs::write(site.out("old-section/index.html"), "stale").expect("write a stale page");
    site.build();
    assert!(!site.out("old-section").exists(), "stale files are gone");
    assert!(site.out("index.html").is_file());
}

// ---- Priorities: timeline and status history ---------------------------------------------

/// One timeline entry as residents see it.
#[derive(Debug, PartialEq, Eq)]
struct Entry {
    date: String,
    kind: String,
    href: String,
    agenda_items: Vec<String>,
    status_change: Option<String>,
}

fn timeline(page: &Page) -> Vec<Entry> {
    page.select("ol.timeline > li")
        .into_iter()
        .map(|li| {
            let one = |css: &str| {
                let selector = scraper::Selector::parse(css).expect("valid selector");
                li.select(&selector).next()
            };
            let kind = li
                .value()
                .classes()
                .find_map(|c| c.strip_prefix("timeline-").filter(|k| *k != "entry"))
                .unwrap_or_default()
                .to_string();
            let selector = scraper::Selector::parse("ul > li").expect("valid selector");
            Entry {
                date: one("time")
                    .and_then(|t| t.value().attr("datetime"))
                    .unwrap_or_default()
                    .to_string(),
                kind,
                href: one("h3 a")
                    .and_then(|a| a.value().attr("href"))
                    .unwrap_or_default()
                    .to_string(),
                agenda_items: li.select(&selector).map(common::text_of).collect(),
                status_change: one("p > strong.status").map(common::text_of),
            }
        })
        .collect()
}

fn entry(date: &str, kind: &str, href: &str, agenda: &[&str], status: Option<&str>) -> Entry {
    Entry {
        date: date.into(),
        kind: kind.into(),
        href: href.into(),
        agenda_items: agenda.iter().map(|s| s.to_string()).collect(),
        status_change: status.map(String::from),
    }
}

#[test]
fn priority_timeline_shows_meetings_and_updates_newest_first() {
    let site = SiteTest::new("timeline");
    site.build();
    let page = site.page("priorities/county-lines/");
    assert_eq!(
        timeline(&page),
        vec![
            // A meeting still to come, through `priorities:`.
            entry(
                "2027-02-04",
                "meeting",
                "/meetings/2027-02-04-board/",
                &[],
                None
            ),
            // An update through `status_changes:`.
            entry(
                "2026-05-20",
                "update",
                "/updates/2026-05-20-second-quarter/",
                &[],
                Some("At risk")
            ),
            // A meeting through an agenda item's `priority:`; only that item is named.
            entry(
                "2026-04-16",
                "meeting",
                "/meetings/2026-04-16-board/",
                &["Agenda item: County lines report"],
                None
            ),
            // An update through `priorities:`.
            entry(
                "2026-03-01",
                "update",
                "/updates/2026-03-01-first-quarter/",
                &[],
                None
            ),
            entry(
                "2026-01-15",
                "meeting",
                "/meetings/2026-01-15-board/",
                &[],
                None
            ),
            entry(
                "2025-12-01",
                "update",
                "/updates/2025-12-01-baseline/",
                &[],
                Some("On track")
            ),
        ]
    );
    // The other priority's timeline has only what refers to it.
    let other = site.page("priorities/serious-violence/");
    let hrefs: Vec<String> = timeline(&other).into_iter().map(|e| e.href).collect();
    assert_eq!(
        hrefs,
        [
            "/updates/2026-06-30-violence/",
            "/meetings/2026-04-16-board/",
            "/meetings/2026-02-10-violence-group/"
        ]
    );
    site.assert_expected(
        "priorities/county-lines/main.html",
        &main_element(&site.read("priorities/county-lines/index.html")),
    );
}

#[test]
fn priority_page_shows_status_history_oldest_first() {
    let site = SiteTest::new("timeline");
    site.build();
    let page = site.page("priorities/county-lines/");
    assert_eq!(
        page.texts("ol.status-history > li"),
        [
            "1 December 2025: On track (Baseline report)",
            "20 May 2026: At risk (Second quarter report)"
        ]
    );
    assert_eq!(
        page.attrs("ol.status-history a", "href"),
        [
            "/updates/2025-12-01-baseline/",
            "/updates/2026-05-20-second-quarter/"
        ]
    );
    assert_eq!(page.text("dl.summary-list strong.status"), "At risk");
    assert!(
        site.page("priorities/serious-violence/")
            .select("ol.status-history")
            .is_empty(),
        "no history without status changes"
    );
}

#[test]
fn meeting_and_update_pages_link_to_their_priorities() {
    let site = SiteTest::new("timeline");
    site.build();
    let meeting = site.page("meetings/2026-04-16-board/");
    assert_eq!(
        meeting.links("ol.agenda a"),
        [
            (
                "/priorities/county-lines/".to_string(),
                "Priority 1: Tackling county lines".to_string()
            ),
            (
                "/priorities/serious-violence/".to_string(),
                "Priority 2: Reducing serious violence".to_string()
            ),
        ]
    );
    let update = site.page("updates/2026-05-20-second-quarter/");
    assert_eq!(
        update.texts("main h2 + ul > li"),
        ["Tackling county lines: now At risk"]
    );
    assert_eq!(
        update.attrs("main h2 + ul a", "href"),
        ["/priorities/county-lines/"]
    );
}

// ---- Meetings --------------------------------------------------------------------------------

/// The meetings index read top to bottom: each list item with the headings above it.
fn meetings_index(page: &Page) -> Vec<(String, String, String)> {
    let mut rows = Vec::new();
    let (mut section, mut year) = (String::new(), String::new());
    for element in page.select("main h2, main h3, main li") {
        let text = common::text_of(element);
        match element.value().name() {
            "h2" => (section, year) = (text, String::new()),
            "h3" => year = text,
            _ => {
                let link = scraper::Selector::parse("a").expect("valid selector");
                let href = element
                    .select(&link)
                    .next()
                    .and_then(|a| a.value().attr("href"))
                    .unwrap_or_default();
                let cancelled = if text.ends_with("Cancelled") {
                    " (cancelled)"
                } else {
                    ""
                };
                rows.push((section.clone(), year.clone(), format!("{href}{cancelled}")));
            }
        }
    }
    rows
}

#[test]
fn meetings_index_lists_upcoming_first_then_past_by_year() {
    let site = SiteTest::new("meetings-index");
    site.build();
    let row = |section: &str, year: &str, meeting: &str| {
        (section.to_string(), year.to_string(), meeting.to_string())
    };
    let upcoming = "Upcoming meetings";
    let past = "Past meetings";
    assert_eq!(
        meetings_index(&site.page("meetings/")),
        [
            // Today's meeting is still upcoming; soonest first.
            row(upcoming, "", "/meetings/2026-11-23-board/"),
            row(upcoming, "", "/meetings/2026-12-10-board/ (cancelled)"),
            row(upcoming, "", "/meetings/2027-01-14-board/"),
            // Past meetings: newest year first, newest first within a year.
            row(past, "2026", "/meetings/2026-07-09-board/ (cancelled)"),
            row(past, "2026", "/meetings/2026-02-12-board/"),
            row(past, "2025", "/meetings/2025-09-11-board/"),
            row(past, "2025", "/meetings/2025-03-06-board/"),
            row(past, "2024", "/meetings/2024-05-02-board/"),
        ]
    );
    site.assert_expected(
        "meetings/main.html",
        &main_element(&site.read("meetings/index.html")),
    );
}

#[test]
fn future_meetings_are_published_and_cancelled_ones_say_so() {
    let site = SiteTest::new("meetings-index");
    site.build();
    let status = |url: &str| site.page(url).text("dl.summary-list strong.status");
    let second_heading = |url: &str| site.page(url).texts("main h2").join(" / ");

    assert_eq!(status("meetings/2027-01-14-board/"), "Scheduled");
    assert_eq!(
        second_heading("meetings/2027-01-14-board/"),
        "About this meeting"
    );
    assert_eq!(status("meetings/2026-11-23-board/"), "Scheduled");
    assert_eq!(status("meetings/2026-02-12-board/"), "Held");
    assert_eq!(second_heading("meetings/2026-02-12-board/"), "Minutes");

    for cancelled in ["meetings/2026-12-10-board/", "meetings/2026-07-09-board/"] {
        assert_eq!(status(cancelled), "Cancelled");
        assert_eq!(
            site.page(cancelled).text(".notice-cancelled"),
            "This meeting was cancelled."
        );
    }
    assert!(
        site.page("meetings/2027-01-14-board/")
            .select(".notice-cancelled")
            .is_empty()
    );

    let home = site.page("");
    assert_eq!(
        home.attrs("section[aria-labelledby=meetings-heading] li a", "href"),
        [
            "/meetings/2026-11-23-board/",
            "/meetings/2026-12-10-board/",
            "/meetings/2027-01-14-board/"
        ]
    );
}

// ---- Drafts ------------------------------------------------------------------------------------

/// Pages and files of drafts, including a paper attached only to a draft meeting.
const DRAFT_PAGES: [&str; 6] = [
    "priorities/new-strategy/index.html",
    "meetings/planning-notes.pdf",
    "meetings/2026-10-08-planning/index.html",
    "updates/2026-09-01-strategy/index.html",
    "plans/index.html",
    "tags/strategy/index.html",
];

#[test]
fn drafts_are_left_out_without_the_drafts_flag() {
    let site = SiteTest::new("drafts");
    site.build();
    for draft in DRAFT_PAGES {
        assert!(!site.out(draft).exists(), "{draft} was published");
    }
    assert_eq!(
        site.page("priorities/").attrs("main a", "href"),
        ["/priorities/county-lines/"]
    );
    assert_eq!(
        site.page("meetings/").attrs("main a", "href"),
        ["/meetings/2026-10-01-board/"]
    );
    assert!(site.page("updates/").attrs("main a", "href").is_empty());
    assert_eq!(
        site.page("tags/").attrs("main a", "href"),
        ["/tags/young-people/"]
    );
    let home = site.page("");
    assert_eq!(
        home.attrs("footer nav a", "href"),
        ["/about/", "/accessibility/", "/tags/"],
        "no footer link to the draft page"
    );
    assert!(
        !home
            .texts("nav[aria-label=Main] a")
            .contains(&"Updates".to_string()),
        "no Updates section when every update is a draft"
    );
}

#[test]
fn drafts_are_published_with_the_drafts_flag() {
    let site = SiteTest::new("drafts");
    site.build_with(&["--drafts"]);
    for draft in DRAFT_PAGES {
        assert!(site.out(draft).is_file(), "{draft} was not published");
    }
    let strategy = site.page("priorities/new-strategy/");
    let hrefs: Vec<String> = timeline(&strategy).into_iter().map(|e| e.href).collect();
    assert_eq!(
        hrefs,
        [
            "/meetings/2026-10-08-planning/",
            "/updates/2026-09-01-strategy/"
        ]
    );
    assert_eq!(
        site.page("tags/strategy/").attrs("main li a", "href"),
        [
            "/priorities/new-strategy/",
            "/meetings/2026-10-08-planning/"
        ]
    );
}

#[test]
fn linking_to_a_draft_is_an_error_naming_the_draft() {
    let site = SiteTest::new("draft-link");
    let run = site.build_failing();
    let problems = run.diagnostics();
    assert_eq!(problems.len(), 2, "{}", run.stderr);
    assert_eq!(problems[0].code, "broken-link");
    assert_eq!(problems[0].location, "content/pages/about.md:4:6");
    assert!(
        problems[0]
            .hint
            .starts_with("content/pages/plans.md is a draft, so it is not published"),
        "{}",
        problems[0].hint
    );
    assert_eq!(problems[1].code, "broken-link");
    assert_eq!(problems[1].location, "content/pages/about.md:6:10");
    assert!(
        problems[1]
            .hint
            .starts_with("content/priorities/new-strategy.md is a draft"),
        "{}",
        problems[1].hint
    );

    site.build_with(&["--drafts"]);
    assert_eq!(
        site.page("about/").attrs("main a", "href"),
        ["/plans/", "/priorities/new-strategy/"]
    );
}

// ---- Links and attachments ----------------------------------------------------------------

#[test]
fn internal_links_are_rewritten_to_page_urls() {
    let site = SiteTest::new("links");
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
    let site = SiteTest::new("links");
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

// ---- Tags --------------------------------------------------------------------------------------

#[test]
fn tag_pages_list_exactly_the_tagged_items() {
    let site = SiteTest::new("tags");
    site.build();
    let tag_folders: BTreeSet<String> = site
        .output_files()
        .into_keys()
        .filter_map(|path| {
            path.strip_prefix("tags/")
                .and_then(|p| p.strip_suffix("/index.html"))
                .map(String::from)
        })
        .collect();
    assert_eq!(
        tag_folders,
        BTreeSet::from([
            "county-lines".into(),
            "knife-crime".into(),
            "young-people".into()
        ])
    );
    let items = |tag: &str| site.page(&format!("tags/{tag}/")).texts("main li");
    assert_eq!(
        items("young-people"),
        [
            "Priority: Tackling county lines",
            "Priority: Preventing exploitation",
            "Meeting: March board 5 March 2026",
            "Update: Spring progress 1 June 2026",
        ]
    );
    assert_eq!(items("county-lines"), ["Priority: Tackling county lines"]);
    assert_eq!(items("knife-crime"), ["Meeting: April board 16 April 2026"]);
    assert_eq!(
        site.page("tags/").texts("main li"),
        ["County Lines (1)", "Knife Crime (1)", "Young People (4)"]
    );
}

#[test]
fn tags_differing_in_case_or_punctuation_are_one_tag() {
    let site = SiteTest::new("tags");
    site.build();
    let tag_links = |url: &str| site.page(url).attrs("ul.tags a", "href");
    assert_eq!(
        tag_links("priorities/exploitation/"),
        ["/tags/young-people/"],
        "`young-people` is the tag `Young People`"
    );
    assert_eq!(
        tag_links("meetings/2026-03-05-board/"),
        ["/tags/young-people/"],
        "`young_people` is the tag `Young People`"
    );
    assert_eq!(
        tag_links("updates/2026-06-01-progress/"),
        ["/tags/young-people/"],
        "one item tagged three ways has the tag once"
    );
    assert_eq!(
        site.page("tags/young-people/").text("main h1"),
        "Tagged “Young People”"
    );
}

// ---- Determinism ---------------------------------------------------------------------------

#[test]
fn two_builds_of_the_same_site_are_byte_identical() {
    for fixture in ["whole-site", "timeline", "tags"] {
        // Two copies in different folders: output must not depend on where the site is.
        let first = SiteTest::new(fixture);
        let second = SiteTest::new(fixture);
        first.build();
        second.build();
        let (a, b) = (first.output_files(), second.output_files());
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            b.keys().collect::<Vec<_>>(),
            "{fixture}: the same files"
        );
        for (path, bytes) in &a {
            assert!(
                bytes == &b[path],
                "{fixture}: {path} differs between builds"
            );
        }
    }
}

// ---- Problems in the content --------------------------------------------------------------

/// Builds an error fixture and returns its only problem, which must have `code`.
fn only_error(fixture: &str, code: &str) -> common::Diagnostic {
    let site = SiteTest::new(&format!("errors/{fixture}"));
    let run = site.build_failing();
    assert!(!site.output.exists(), "a failed build writes nothing");
    assert_eq!(run.summary(), "1 error, 0 warnings");
    run.error(code)
}

#[test]
fn reports_an_unknown_front_matter_key_at_its_line() {
    let problem = only_error("unknown-key", "unknown-key");
    assert_eq!(problem.message, "unknown front matter key \"stauts\"");
    assert_eq!(problem.location, "content/priorities/county-lines.md:4:1");
    assert_eq!(problem.source.as_deref(), Some("stauts: on-track"));
    assert!(
        problem.hint.starts_with("did you mean \"status\"?"),
        "{}",
        problem.hint
    );
}

#[test]
fn reports_an_unknown_status_at_its_column() {
    let problem = only_error("unknown-status", "unknown-status");
    assert_eq!(problem.message, "unknown status \"on-trak\"");
    assert_eq!(problem.location, "content/priorities/county-lines.md:4:9");
    assert_eq!(
        problem.hint,
        "did you mean \"on-track\"? allowed: not-started, on-track, at-risk, off-track, complete"
    );
}

#[test]
fn reports_an_impossible_date() {
    let problem = only_error("impossible-date", "invalid-date");
    assert_eq!(
        problem.message,
        "date: \"2026-02-30\" is not a real date: February 2026 has 28 days"
    );
    assert_eq!(problem.location, "content/meetings/2026-02-30-board.md:3:7");
}

#[test]
fn reports_a_duplicate_priority_number_naming_both_files() {
    let problem = only_error("duplicate-number", "duplicate-number");
    assert_eq!(
        problem.message,
        "priority number 3 is also used by content/priorities/county-lines.md"
    );
    assert_eq!(problem.location, "content/priorities/knife-crime.md:3:9");
    assert_eq!(problem.source.as_deref(), Some("number: 3"));
}

#[test]
fn reports_each_unknown_priority_reference() {
    let site = SiteTest::new("errors/unknown-priority");
    let run = site.build_failing();
    let found: Vec<(String, String, String)> = run
        .diagnostics()
        .into_iter()
        .map(|d| (d.code, d.location, d.message))
        .collect();
    let expect = |location: &str, message: &str| {
        (
            "unknown-priority".to_string(),
            location.to_string(),
            message.to_string(),
        )
    };
    assert_eq!(
        found,
        [
            expect(
                "content/meetings/2026-03-05-board.md:4:14",
                "priorities refers to \"county-line\", which is not a priority"
            ),
            expect(
                "content/meetings/2026-03-05-board.md:7:15",
                "agenda priority refers to \"youth-violence\", which is not a priority"
            ),
            expect(
                "content/updates/2026-06-01-progress.md:5:15",
                "status_changes priority refers to \"countylines\", which is not a priority"
            ),
        ]
    );
    assert!(
        run.diagnostics()[0]
            .hint
            .starts_with("did you mean \"county-lines\"?")
    );
}

#[test]
fn reports_broken_internal_links_at_their_position() {
    let site = SiteTest::new("errors/broken-link");
    let run = site.build_failing();
    let found: Vec<(String, String)> = run
        .diagnostics()
        .into_iter()
        .map(|d| (d.location, d.message))
        .collect();
    assert_eq!(
        found,
        [
            (
                "content/pages/about.md:4:17".to_string(),
                "link to \"@/priorities/county-line.md\", which does not exist".to_string()
            ),
            (
                "content/pages/about.md:6:11".to_string(),
                "link to \"../meetings/2026-03-05-board.md\", which does not exist".to_string()
            ),
        ]
    );
    assert!(run.diagnostics().iter().all(|d| d.code == "broken-link"));
}

#[test]
fn reports_broken_anchors_with_the_heading_meant() {
    let site = SiteTest::new("errors/broken-anchor");
    let run = site.build_failing();
    let found: Vec<(String, String, String)> = run
        .diagnostics()
        .into_iter()
        .map(|d| (d.location, d.message, d.hint))
        .collect();
    assert_eq!(
        found,
        [
            (
                "content/pages/about.md:6:6".to_string(),
                "link to \"#the-plna\", a heading that does not exist in content/priorities/county-lines.md".to_string(),
                "did you mean \"#the-plan\"?".to_string()
            ),
            (
                "content/pages/about.md:7:9".to_string(),
                "link to \"#who-we-were\", a heading that does not exist in content/pages/about.md".to_string(),
                "did you mean \"#who-we-are\"?".to_string()
            ),
        ]
    );
}

#[test]
fn reports_a_missing_document_file() {
    let problem = only_error("missing-document", "missing-document");
    assert_eq!(
        problem.message,
        "document file \"minutes.pdf\" does not exist"
    );
    assert_eq!(
        problem.location,
        "content/meetings/2026-03-05-board.md:6:11"
    );
    assert_eq!(problem.source.as_deref(), Some("    file: minutes.pdf"));
}

#[test]
fn reports_a_file_that_is_not_utf8() {
    let problem = only_error("not-utf8", "not-utf8");
    assert_eq!(
        problem.message,
        "this file is not UTF-8 text: byte 14 (0xE9) is not valid UTF-8"
    );
    assert_eq!(problem.location, "content/pages/cafe.md:2:11");
}

#[test]
fn reports_a_missing_site_yaml() {
    let site = SiteTest::new("errors/missing-config");
    let run = site.build_failing();
    let problem = run.error("missing-config");
    assert_eq!(problem.location, "site.yaml");
    assert_eq!(
        site.redact(&problem.message),
        "there is no site.yaml in [TMP]/site"
    );
    assert!(problem.hint.contains("--root DIR"), "{}", problem.hint);
}

#[test]
fn reports_pages_that_would_share_an_address() {
    let site = SiteTest::new("errors/url-collision");
    let run = site.build_failing();
    let found: Vec<(String, String, String)> = run
        .diagnostics()
        .into_iter()
        .map(|d| (d.code, d.location, d.message))
        .collect();
    assert_eq!(
        found,
        [
            (
                "duplicate-url".to_string(),
                "content/pages/about.md".to_string(),
                "this page would be published at /about/, the same address as content/pages/About.md".to_string()
            ),
            (
                "duplicate-url".to_string(),
                "content/pages/priorities.md".to_string(),
                "this page would be published at /priorities/, the same address as the built-in /priorities/ index".to_string()
            ),
        ]
    );
}

#[test]
fn reports_files_that_would_replace_a_page_or_another_file() {
    let site = SiteTest::new("errors/file-replaces-page");
    let run = site.build_failing();
    let found: Vec<(String, String, String)> = run
        .diagnostics()
        .into_iter()
        .map(|d| (d.code, d.location, d.message))
        .collect();
    let expect = |location: &str, message: &str| {
        (
            "duplicate-url".to_string(),
            location.to_string(),
            message.to_string(),
        )
    };
    assert_eq!(
        found,
        [
            expect(
                "static/404.html",
                "this file would replace the page Waymark writes at /404.html"
            ),
            expect(
                "static/index.html",
                "this file would replace the page Waymark writes at /"
            ),
            expect(
                "static/leaflet.pdf",
                "this file would be published at /leaflet.pdf, the same address as content/pages/leaflet.pdf"
            ),
            // static/style.css clashes with nothing: the theme's stylesheet is published
            // under a content-hashed name (style.<hash>.css).
            expect(
                "static/tags/index.html",
                "this file would replace the page Waymark writes at /tags/"
            ),
        ]
    );
}

#[test]
fn reports_a_file_name_without_letters_or_digits() {
    let problem = only_error("file-name-without-letters", "invalid-file-name");
    assert_eq!(problem.location, "content/priorities/_.md");
    assert!(problem.message.contains("\"_.md\""), "{}", problem.message);
}

#[test]
fn reports_every_problem_of_a_build_in_one_run() {
    let site = SiteTest::new("errors/all-at-once");
    let run = site.build_failing();
    let found: Vec<(String, String)> = run
        .diagnostics()
        .into_iter()
        .map(|d| (d.code, d.location))
        .collect();
    let expect = |code: &str, location: &str| (code.to_string(), location.to_string());
    assert_eq!(
        found,
        [
            // Files that cannot be read, parsed or linked are all reported together, sorted by
            // file; links and references to files that failed are not reported twice.
            expect("invalid-date", "content/meetings/2026-02-30-board.md:3:7"),
            expect(
                "unknown-priority",
                "content/meetings/2026-03-05-board.md:7:15"
            ),
            expect(
                "missing-document",
                "content/meetings/2026-03-05-board.md:10:11"
            ),
            expect("broken-link", "content/pages/about.md:4:63"),
            expect("broken-anchor", "content/pages/about.md:6:12"),
            expect("unknown-key", "content/pages/help.md:3:1"),
            expect("unknown-status", "content/priorities/county-lines.md:4:9"),
            expect("not-utf8", "content/updates/2026-06-01-progress.md:5:8"),
        ]
    );
    assert_eq!(run.summary(), "8 errors, 0 warnings");
    site.assert_expected("diagnostics.json", &site.redact(&run.diagnostics_json()));
}

// ---- Unusual but valid input ------------------------------------------------------------

#[test]
fn builds_valid_edge_cases() {
    let site = SiteTest::new("valid-edge-cases");
    site.build();
    // A file saved on Windows with a byte-order mark and CRLF line ends.
    let windows = site.page("priorities/windows/");
    assert_eq!(windows.text("main h1"), "Written on Windows");
    assert_eq!(windows.attrs("main h2[id]", "id"), ["saved-with-a-bom"]);
    assert_eq!(windows.attrs("main p a", "href"), ["/no/#why-no"]);
    assert!(!site.read("priorities/windows/index.html").contains('\r'));
    // YAML 1.2: `no` and `yes` are words, not booleans.
    let no = site.page("no/");
    assert_eq!(no.text("main h1"), "no");
    assert_eq!(no.text("main p.lead"), "yes");
    // A quoted 24-hour time.
    let meeting = site.page("meetings/2026-12-03-board/");
    assert_eq!(
        meeting.attrs("dl.summary-list time", "datetime"),
        ["2026-12-03T09:30"]
    );
    assert_eq!(
        meeting.text("dl.summary-list time"),
        "Thursday 3 December 2026, 9:30am"
    );
}

// ---- Safety --------------------------------------------------------------------------------

#[test]
fn raw_html_and_script_links_never_reach_the_output() {
    let site = SiteTest::new("raw-html");
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
    let site = SiteTest::new("whole-site");
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
    let site = SiteTest::new("whole-site");
    site.build();
    assert_internal_links_resolve(&site, "/");
}

/// The `<main>` element of a page exactly as written, for comparing with an expected file.
fn main_element(html: &str) -> String {
    let start = html.find("<main").expect("the page has a <main>");
    let end = html.find("</main>").expect("the page closes <main>") + "</main>".len();
    format!("{}\n", &html[start..end])
}
