//! `check` finds, before anything is written, every output path a system could not write:
//! a file where a page needs a folder, a name longer than file systems allow, two names that
//! are one on macOS and Windows, a copied file at the address of a feed, calendar or the search
//! index; and it refuses control characters in front matter. Each is reported with the file to
//! change, and `build` writes nothing.

use crate::site_test::SiteTest;

/// Every error of `waymark check` as (code, location, message, hint).
fn errors(site: &SiteTest) -> Vec<(String, String, String, String)> {
    let run = site.command(&["check", "--format", "json"]);
    assert_eq!(run.code, Some(1), "check should fail: {}", run.stdout);
    run.diagnostics()
        .into_iter()
        .filter(|d| d.severity == "error")
        .map(|d| (d.code, d.location, d.message, d.hint))
        .collect()
}

fn row(code: &str, location: &str, message: &str, hint: &str) -> (String, String, String, String) {
    (code.into(), location.into(), message.into(), hint.into())
}

fn page(title: &str) -> String {
    format!("---\ntitle: {title}\n---\nText.\n")
}

#[test]
fn a_file_where_a_page_needs_a_folder_is_reported_by_check() {
    let site = SiteTest::new("build/whole-site").file("static/about", "a file called about");
    assert_eq!(
        errors(&site),
        [row(
            "file-folder-clash",
            "static/about",
            "this file would be published at /about, where content/pages/about.md needs a folder of that name",
            "rename one of them: a name on the website can be a file or a folder, not both"
        )]
    );
    site.build_failing();
    assert!(!site.output.exists(), "nothing was written");
}

#[test]
fn a_tag_too_long_for_a_file_name_is_reported_at_the_tag() {
    let tag = "safer streets ".repeat(20);
    let priority = format!(
        "---\ntitle: Knife crime\nnumber: 3\nstatus: on-track\ntags: [\"{}\"]\n---\nText.\n",
        tag.trim()
    );
    let site =
        SiteTest::new("build/whole-site").file("content/priorities/knife-crime.md", priority);
    let slug = "safer-streets-".repeat(20);
    let slug = slug.trim_end_matches('-');
    assert_eq!(
        errors(&site),
        [row(
            "name-too-long",
            "content/priorities/knife-crime.md:5:9",
            &format!(
                "a name in the address /tags/… is {} bytes long (\"{}…\"); file systems and web hosts allow at most 255",
                slug.len(),
                &slug[..40]
            ),
            "shorten it: tags and file names work best as a few words"
        )]
    );
}

#[test]
fn pages_whose_names_differ_only_in_how_an_accent_is_stored_are_one_address() {
    let (composed, decomposed) = ("caf\u{e9}", "cafe\u{301}");
    let site = SiteTest::new("build/whole-site")
        .file(&format!("content/pages/{composed}.md"), page("Caf\u{e9} A"))
        .file(
            &format!("content/pages/{decomposed}.md"),
            page("Caf\u{e9} B"),
        );
    // Files are read in sorted order, and the decomposed name sorts first.
    assert_eq!(
        errors(&site),
        [row(
            "duplicate-url",
            &format!("content/pages/{composed}.md"),
            &format!(
                "this page would be published at /{composed}/, the same address as content/pages/{decomposed}.md"
            ),
            "rename one of the files; file names that differ only in capitals or punctuation give the same address"
        )]
    );
}

#[test]
fn files_whose_names_are_one_on_macos_and_windows_are_reported() {
    let (composed, decomposed) = ("caf\u{e9}", "cafe\u{301}");
    let site = SiteTest::new("build/whole-site")
        .file(&format!("static/{composed}.pdf"), "A")
        .file(&format!("static/{decomposed}.pdf"), "B")
        .file("static/Minutes.pdf", "C")
        .file("static/minutes.pdf", "D");
    let same_on_hosts = "rename one of them: names that differ only in capitals, or in how an accented letter is stored, are one name there";
    assert_eq!(
        errors(&site),
        [
            row(
                "duplicate-url",
                &format!("static/{composed}.pdf"),
                &format!(
                    "this would be published at /{composed}.pdf, which macOS, Windows and most web hosts take to be the same address as /{decomposed}.pdf, from static/{decomposed}.pdf"
                ),
                same_on_hosts
            ),
            row(
                "duplicate-url",
                "static/minutes.pdf",
                "this would be published at /minutes.pdf, which macOS, Windows and most web hosts take to be the same address as /Minutes.pdf, from static/Minutes.pdf",
                same_on_hosts
            ),
        ]
    );
}

#[test]
fn control_characters_in_front_matter_are_refused_where_they_are() {
    let site = SiteTest::new("build/whole-site").file(
        "content/pages/pasted.md",
        "---\ntitle: Pasted\nsummary: \"Red\u{1b}[31m text\"\n---\nText.\n",
    );
    assert_eq!(
        errors(&site),
        [row(
            "control-character",
            "content/pages/pasted.md:3:14",
            "this line holds an invisible control character (U+001B), which cannot go into a web page, feed or calendar",
            "delete it: retype the text around it, or paste it again as plain text"
        )]
    );
    // Tabs and line breaks are fine where YAML allows them.
    let fine = SiteTest::new("build/whole-site").file(
        "content/pages/tabbed.md",
        "---\ntitle: Tabbed\nsummary: \"a\tb\"\n---\nText.\n",
    );
    fine.build();
}

#[test]
fn a_copied_file_cannot_take_the_address_of_a_feed_calendar_or_the_search_index() {
    let hint = "rename or move the file: each address on the site can hold one file";
    let site = SiteTest::new("build/whole-site")
        .file("static/atom.xml", "<feed/>")
        .file("static/meetings.ics", "BEGIN:VCALENDAR");
    assert_eq!(
        errors(&site),
        [
            row(
                "duplicate-url",
                "static/atom.xml",
                "this file would replace the news feed Waymark writes at /atom.xml",
                hint
            ),
            row(
                "duplicate-url",
                "static/meetings.ics",
                "this file would replace the calendar Waymark writes at /meetings.ics",
                hint
            ),
        ]
    );
    site.build_failing();
    assert!(!site.output.exists(), "nothing was written");
    let search = SiteTest::new("build/whole-site").file("static/search/manifest.json", "{}");
    assert_eq!(
        errors(&search),
        [row(
            "duplicate-url",
            "static/search/manifest.json",
            "this file would replace the search index Waymark writes at /search/manifest.json",
            hint
        )]
    );
    // The one exception: a site's own robots.txt replaces Waymark's.
    let robots = SiteTest::new("build/whole-site")
        .file("static/robots.txt", "User-agent: *\nDisallow: /\n")
        .built();
    assert_eq!(robots.read("robots.txt"), "User-agent: *\nDisallow: /\n");
}
