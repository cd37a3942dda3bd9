//! Only what is inside the site folder is published. A link out of it (to `/etc/passwd`, to a
//! folder elsewhere on the machine that builds the site) is skipped with a warning, a link to a
//! folder it is already inside is not followed, and links inside the site keep working.
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::symlink;
use std::time::{Duration, Instant};

use crate::site_test::{SiteTest, files_below};

/// The link warnings of a build: (file, message, hint), with the temporary folder as `[TMP]`.
fn link_warnings(site: &SiteTest, run: &crate::site_test::Run) -> Vec<(String, String, String)> {
    run.diagnostics()
        .into_iter()
        .filter(|d| d.code.starts_with("link-"))
        .map(|d| {
            assert_eq!(d.severity, "warning");
            (d.location, site.redact(&d.message), d.hint)
        })
        .collect()
}

const COPY_INSTEAD: &str =
    "copy what it points to into the site folder instead of linking to it, or remove the link";

#[test]
fn links_out_of_the_site_are_not_published() {
    let site = SiteTest::new("build/whole-site");
    let outside = site.temp_dir().join("outside");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("secret.txt"), "the runner's secret").unwrap();
    symlink("/etc/passwd", site.path("static/passwd.txt")).unwrap();
    symlink(&outside, site.path("content/pages/private")).unwrap();
    symlink(outside.join("secret.txt"), site.path("static/secret.txt")).unwrap();
    let run = site.build();
    let outside_site = |target: &str| {
        format!("this is a link to {target}, outside the site folder, so it was not published")
    };
    assert_eq!(
        link_warnings(&site, &run),
        [
            (
                "content/pages/private".to_string(),
                outside_site("[TMP]/outside"),
                COPY_INSTEAD.to_string()
            ),
            (
                "static/passwd.txt".to_string(),
                outside_site("/etc/passwd"),
                COPY_INSTEAD.to_string()
            ),
            (
                "static/secret.txt".to_string(),
                outside_site("[TMP]/outside/secret.txt"),
                COPY_INSTEAD.to_string()
            ),
        ]
    );
    let published = files_below(&site.output);
    for path in ["passwd.txt", "secret.txt", "private/secret.txt"] {
        assert!(!published.contains_key(path), "{path} was published");
    }
    let leaked = published
        .iter()
        .filter(|(_, bytes)| bytes.windows(19).any(|w| w == b"the runner's secret"))
        .count();
    assert_eq!(leaked, 0);
}

#[test]
fn a_link_to_the_root_of_the_disk_is_never_walked() {
    let site = SiteTest::new("build/whole-site");
    symlink("/", site.path("static/root")).unwrap();
    let started = Instant::now();
    let run = site.build();
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(
        link_warnings(&site, &run),
        [(
            "static/root".to_string(),
            "this is a link to /, outside the site folder, so it was not published".to_string(),
            COPY_INSTEAD.to_string()
        )]
    );
    assert!(!site.exists("root"));
}

#[test]
fn a_link_to_a_folder_it_is_inside_is_not_followed() {
    let site = SiteTest::new("build/whole-site");
    symlink("..", site.path("static/loop")).unwrap();
    symlink("..", site.path("static/images/up")).unwrap();
    let run = site.build();
    let hint = "remove the link: a folder cannot contain itself".to_string();
    assert_eq!(
        link_warnings(&site, &run),
        [
            (
                "static/images/up".to_string(),
                "this is a link to static, a folder it is already inside, so it was not followed"
                    .to_string(),
                hint.clone()
            ),
            (
                "static/loop".to_string(),
                "this is a link to the site folder, a folder it is already inside, so it was not followed"
                    .to_string(),
                hint
            ),
        ]
    );
    assert!(!site.exists("loop"));
    assert!(!site.exists("images/up"));
}

#[test]
fn links_inside_the_site_keep_working() {
    let site = SiteTest::new("build/whole-site");
    symlink(
        "../../content/pages/leaflet.pdf",
        site.path("static/images/leaflet.pdf"),
    )
    .unwrap();
    symlink("images", site.path("static/pictures")).unwrap();
    let run = site.build();
    assert!(link_warnings(&site, &run).is_empty());
    let published = files_below(&site.output);
    assert_eq!(published["images/leaflet.pdf"], published["leaflet.pdf"]);
    assert_eq!(published["pictures/logo.svg"], published["images/logo.svg"]);
}

#[test]
fn a_source_folder_that_is_a_link_out_of_the_site_is_not_walked() {
    let site = SiteTest::new("build/whole-site");
    let outside = site.temp_dir().join("elsewhere");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("secret.txt"), "the runner's secret").unwrap();
    fs::remove_dir_all(site.path("static")).unwrap();
    symlink(&outside, site.path("static")).unwrap();
    let run = site.build();
    assert_eq!(
        link_warnings(&site, &run),
        [(
            "static".to_string(),
            "this is a link to [TMP]/elsewhere, outside the site folder, so it was not published"
                .to_string(),
            COPY_INSTEAD.to_string()
        )]
    );
    assert!(!site.exists("secret.txt"));
}

#[test]
fn a_theme_cannot_read_from_outside_the_site() {
    let outside = "/etc";
    let site = SiteTest::new("build/whole-site");
    let config = site.read_source("site.yaml");
    site.write("site.yaml", format!("{config}theme: ../../..{outside}\n"));
    let run = site.run(&[]).failure();
    let problem = run.error("unknown-theme");
    assert_eq!(
        problem.message,
        format!("theme \"../../..{outside}\" is not the name of a folder in themes/")
    );
    assert_eq!(
        problem.hint,
        "write the name of a folder inside the site's themes/ folder, e.g. `theme: council`, or remove the line to use the built-in theme"
    );
    // A theme file that links out of the site stops the build.
    let site = SiteTest::new("build/whole-site");
    let config = site.read_source("site.yaml");
    site.write("site.yaml", format!("{config}theme: council\n"));
    fs::create_dir_all(site.path("themes/council/static")).unwrap();
    symlink("/etc/passwd", site.path("themes/council/static/passwd.txt")).unwrap();
    let run = site.run(&[]).failure();
    let problem = run.error("link-outside-site");
    assert_eq!(problem.location, "themes/council/static/passwd.txt");
    assert!(!site.output.exists());
}
