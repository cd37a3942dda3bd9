//! `waymark build` end to end: where pages are written, the summary it prints, the output
//! folder it replaces (and the folders it refuses to replace), minified and deterministic output,
//! and unusual but valid input.

use std::collections::BTreeSet;
use std::fs;

use crate::site_test::{Page, SiteTest, files_below, waymark, waymark_in};

// ---- Where pages are written ---------------------------------------------------------------

#[test]
fn writes_pages_at_pretty_urls() {
    let site = SiteTest::new("build/whole-site");
    site.build();
    // The search index's term shards depend on every word of the site; theme.rs checks them.
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
        // The open data: its page, each dataset as JSON with its schema, the CSV tables and
        // the data package (tests/testsuite/data.rs).
        "data/index.html",
        "data/datapackage.json",
        "data/priorities.json",
        "data/meetings.json",
        "data/updates.json",
        "data/decisions.json",
        "data/actions.json",
        "data/indicators.json",
        "data/schema/priorities.schema.json",
        "data/schema/meetings.schema.json",
        "data/schema/updates.schema.json",
        "data/schema/decisions.schema.json",
        "data/schema/actions.schema.json",
        "data/schema/indicators.schema.json",
        "data/priorities.csv",
        "data/meetings.csv",
        "data/meeting-priorities.csv",
        "data/agenda-items.csv",
        "data/attendance.csv",
        "data/declarations.csv",
        "data/documents.csv",
        "data/updates.csv",
        "data/update-priorities.csv",
        "data/status-changes.csv",
        "data/decisions.csv",
        "data/actions.csv",
        "data/action-updates.csv",
        "data/indicators.csv",
        "data/indicator-values.csv",
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
    let site = SiteTest::new("build/whole-site");
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
        .strip_prefix("Built 18 pages in ")
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
    let site = SiteTest::new("build/whole-site");
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
    let site = SiteTest::new("build/whole-site");
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
    let site = SiteTest::new("build/whole-site");
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
    let site = SiteTest::new("build/whole-site");
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
    let site = SiteTest::new("build/whole-site");
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
    let site = SiteTest::new("build/whole-site");
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
    let site = SiteTest::new("build/whole-site");
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
    let site = SiteTest::new("build/whole-site");
    fs::create_dir_all(site.out("old-section")).expect("create public/");
    fs::write(site.out("old-section/index.html"), "stale").expect("write a stale page");
    site.build();
    assert!(!site.out("old-section").exists(), "stale files are gone");
    assert!(site.out("index.html").is_file());
}
// ---- Determinism ---------------------------------------------------------------------------

#[test]
fn two_builds_of_the_same_site_are_byte_identical() {
    for fixture in ["build/whole-site", "pages/timeline", "pages/tags"] {
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

// ---- Unusual but valid input ------------------------------------------------------------

#[test]
fn builds_valid_edge_cases() {
    let site = SiteTest::new("build/valid-edge-cases");
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

// ---- Quiet, minified and deterministic output --------------------------------------------

#[test]
fn quiet_build_prints_nothing_and_errors_exit_non_zero() {
    let site = SiteTest::new("build/minified");
    let out = site.temp_dir().join("quiet");
    let ok = site
        .command(&["build", "--quiet", "--output", out.to_str().unwrap()])
        .success();
    assert!(ok.stdout.is_empty());
    assert!(out.join("atom.xml").is_file());

    let broken = SiteTest::new("build/minified").file(
        "content/pages/broken.md",
        "---\ntitle: Broken\n---\n[Nowhere](/nowhere/)\n",
    );
    let failed = broken.command(&["build", "--quiet"]);
    assert_eq!(failed.code, Some(1));
    let stderr = &failed.stderr;
    assert!(stderr.contains("dead-link"), "{stderr}");
    assert!(
        !stderr.contains("\x1b["),
        "no colour codes when not on a terminal"
    );
    assert!(!broken.path("public").exists());
}

#[test]
fn minified_pages_keep_every_link_and_word() {
    let site = SiteTest::new("build/minified");
    let (small, full) = (site.temp_dir().join("small"), site.temp_dir().join("full"));
    for (out, extra) in [(&small, None), (&full, Some("--no-minify"))] {
        let mut args = vec!["build", "--quiet", "--output", out.to_str().unwrap()];
        args.extend(extra);
        site.command(&args).success();
    }
    let page = "meetings/board-2020-07-16/index.html";
    let (a, b) = (
        fs::read_to_string(small.join(page)).unwrap(),
        fs::read_to_string(full.join(page)).unwrap(),
    );
    assert!(a.len() < b.len(), "{} >= {}", a.len(), b.len());
    let (a, b) = (Page::parse(page, &a), Page::parse(page, &b));
    let links = |page: &Page| -> Vec<String> {
        page.select("[href]")
            .iter()
            .map(|e| e.value().attr("href").unwrap().to_string())
            .collect()
    };
    assert_eq!(links(&a), links(&b));
    let words = |page: &Page| -> Vec<String> {
        page.html
            .root_element()
            .text()
            .flat_map(|t| t.split_whitespace())
            .map(str::to_string)
            .collect()
    };
    assert_eq!(words(&a), words(&b));
    let css: Vec<_> = fs::read_dir(&small)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".css"))
        .collect();
    assert_eq!(css.len(), 1);
    let minified = fs::read_to_string(small.join(&css[0])).unwrap();
    assert!(!minified.contains("/*") && minified.contains("color"));
}

#[test]
fn builds_are_byte_identical() {
    let first = SiteTest::new("build/minified").built();
    let second = SiteTest::new("build/minified").built();
    assert_eq!(first.output_paths(), second.output_paths());
    for file in first.output_paths() {
        assert_eq!(
            fs::read(first.out(&file)).unwrap(),
            fs::read(second.out(&file)).unwrap(),
            "{file} differs"
        );
    }
}

#[test]
fn theme_files_get_content_hashed_names() {
    let site = SiteTest::new("build/minified").built();
    let files = site.output_paths();
    assert!(!files.contains("style.css"));
    let hashed: Vec<&String> = files
        .iter()
        .filter(|f| f.starts_with("style.") && f.ends_with(".css"))
        .collect();
    assert_eq!(hashed.len(), 1);
    // A site's own stylesheet gets a name of its own.
    // Unminified, so the file is exactly the site's own.
    let custom = SiteTest::new("build/minified")
        .file("themes/default/static/style.css", "body { color: #222; }\n");
    custom.build_with(&["--no-minify"]);
    let custom_css: Vec<String> = custom
        .output_paths()
        .into_iter()
        .filter(|f| f.starts_with("style.") && f.ends_with(".css"))
        .collect();
    assert_eq!(custom_css.len(), 1);
    assert_ne!(&custom_css[0], hashed[0]);
    assert_eq!(custom.read(&custom_css[0]), "body { color: #222; }\n");
}

// ---- Files named like pages that are not read as pages ---------------------------------------

#[test]
fn files_named_like_pages_are_not_published_raw() {
    let page = "---\ntitle: Privacy\n---\nWe keep your data safe.\n";
    let site = SiteTest::new("build/whole-site")
        .file("content/pages/privacy.md.txt", page)
        .file("content/pages/Cookies.MD", page)
        .file("content/updates/spring.markdown", page);
    let run = site.build();
    let warnings: Vec<(String, String, String)> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.code == "not-read-as-content")
        .map(|d| (d.location, d.message, d.hint))
        .collect();
    let message = "this file is not read as a page, because its name does not end in .md, so it was not published";
    let row = |file: &str, meant: &str| {
        (
            file.to_string(),
            message.to_string(),
            format!("rename it to {meant}"),
        )
    };
    assert_eq!(
        warnings,
        [
            row("content/pages/Cookies.MD", "Cookies.md"),
            row("content/pages/privacy.md.txt", "privacy.md"),
            row("content/updates/spring.markdown", "spring.md"),
        ]
    );
    let published = site.output_paths();
    for raw in ["privacy.md.txt", "Cookies.MD", "updates/spring.markdown"] {
        assert!(!published.contains(raw), "{raw} was published raw");
    }
}
