//! Problems in the content of a fixture site, reported by `waymark build` with their code,
//! file:line:column, message and hint, and all of a build's problems in one run.

use crate::site_test::{Diagnostic, SiteTest};

// ---- Problems in the content --------------------------------------------------------------

/// Builds an error fixture and returns its only problem, which must have `code`.
fn only_error(fixture: &str, code: &str) -> Diagnostic {
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
    site.check_expected("diagnostics.json", &site.redact(&run.diagnostics_json()));
}
