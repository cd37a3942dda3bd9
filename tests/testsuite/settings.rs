//! The `site.yaml` settings editors touch: the generated accessibility statement (what it
//! declares until someone says when they checked the site, and the warnings that remind them)
//! and branding (the logo and brand colour in the header, and every problem with them, verbatim
//! and at its line in site.yaml). Fixture: `settings/branded`, a site with a logo, a brand colour
//! and a reviewed statement; variations edit its site.yaml.

use crate::site_test::{Run, SiteTest};

const BRANDED: &str = "settings/branded";
const LOGO: &str = "static/images/testshire-council.svg";

/// Every problem of a run, one string each: `severity code location: message`, then the hint.
fn problems(run: &Run) -> Vec<String> {
    run.diagnostics()
        .into_iter()
        .map(|d| {
            format!(
                "{} {} {}: {}\n  hint: {}",
                d.severity, d.code, d.location, d.message, d.hint
            )
        })
        .collect()
}

/// The branded site with `from` replaced by `to` in its site.yaml.
fn branded_with(from: &str, to: &str) -> SiteTest {
    let site = SiteTest::new(BRANDED);
    site.edit("site.yaml", from, to);
    site
}

// ---- Branding ------------------------------------------------------------------------------------

#[test]
fn the_header_shows_the_logo_and_the_site_name_on_the_brand_colour() {
    let site = SiteTest::new(BRANDED);
    let run = site.build();
    assert_eq!(problems(&run), Vec::<String>::new(), "builds cleanly");
    let home = site.page("");
    let header = home.select(".site-header a.site-name");
    assert_eq!(header.len(), 1);
    assert_eq!(
        home.attr(".site-header a.site-name", "class").as_deref(),
        Some("site-name site-name-with-logo")
    );
    assert_eq!(
        home.attr("a.site-name img.site-logo", "src").as_deref(),
        Some("/images/testshire-council.svg")
    );
    assert_eq!(
        home.attr("a.site-name img.site-logo", "alt").as_deref(),
        Some("Testshire County Council")
    );
    // The site's name stays text: the link reads "Testshire County Council Testshire
    // Community Safety Partnership".
    assert_eq!(
        home.text("a.site-name span"),
        "Testshire Community Safety Partnership"
    );
    assert_eq!(home.text("head style"), ":root { --brand: #00527a; }");
    assert_eq!(
        home.attr("meta[name=theme-color]", "content").as_deref(),
        Some("#00527a")
    );
    // On every page, and the logo is published from static/ unchanged.
    for page in site.html_pages() {
        let page = site.page(&page);
        assert_eq!(
            page.select("header img.site-logo").len(),
            1,
            "{}",
            page.name
        );
        assert_eq!(page.select("head style").len(), 1, "{}", page.name);
    }
    assert_eq!(
        std::fs::read(site.out("images/testshire-council.svg")).unwrap(),
        std::fs::read(site.path(LOGO)).unwrap()
    );
}

#[test]
fn the_stylesheet_sizes_the_logo_for_small_screens_and_leaves_it_out_of_print() {
    let site = SiteTest::new(BRANDED).built();
    // Published minified: compared without white space.
    let squash = |text: &str| text.split_whitespace().collect::<String>();
    let css = squash(&site.read(&site.theme_file("style.css")));
    for rule in [
        ".site-header{background:var(--brand);color:var(--on-brand);",
        ".site-name-with-logo{display:flex;flex-direction:column;align-items:flex-start;gap:0.5rem}",
        ".site-logo{display:block;height:2.75rem;width:auto;max-width:min(16rem,calc(100vw-2rem));",
    ] {
        assert!(css.contains(rule), "style.css lacks {rule:?}");
    }
    let print = &css[css.find("@mediaprint").expect("print styles")..];
    assert!(print.contains(".site-logo{display:none}"), "{print}");
}

#[test]
fn the_logo_address_has_the_base_path() {
    let site = SiteTest::new(BRANDED);
    site.build_with(&["--base-url", "https://example.org/community-safety/"]);
    let home = site.page("");
    assert_eq!(
        home.attr("img.site-logo", "src").as_deref(),
        Some("/community-safety/images/testshire-council.svg")
    );
}

#[test]
fn a_logo_whose_alt_text_is_the_site_name_is_not_read_twice() {
    let site = branded_with(
        "alt: Testshire County Council",
        "alt: testshire community safety partnership",
    );
    site.build();
    let home = site.page("");
    assert_eq!(home.attr("img.site-logo", "alt").as_deref(), Some(""));
    assert_eq!(
        home.text("a.site-name"),
        "Testshire Community Safety Partnership"
    );
}

#[test]
fn a_site_without_branding_keeps_the_plain_header() {
    let site = SiteTest::new(BRANDED);
    site.edit(
        "site.yaml",
        "logo:\n  file: static/images/testshire-council.svg\n  alt: Testshire County Council\nbrand_colour: \"#00527A\"\n",
        "",
    );
    site.build();
    let home = site.page("");
    assert_eq!(
        home.attr(".site-header a", "class").as_deref(),
        Some("site-name")
    );
    assert_eq!(
        home.text("a.site-name"),
        "Testshire Community Safety Partnership"
    );
    assert!(home.select("img").is_empty() && home.select("style").is_empty());
    assert!(home.select("meta[name=theme-color]").is_empty());
}

#[test]
fn a_brand_colour_white_text_cannot_be_read_on_is_refused_with_a_shade_that_can() {
    let site = branded_with("\"#00527A\"", "\"#7fb2e5\"");
    let run = site.build_failing();
    assert_eq!(
        problems(&run),
        [
            "error brand-colour-contrast site.yaml:9:15: brand_colour \"#7fb2e5\" has a contrast of 2.23:1 against the white header text (#ffffff) in light and dark mode; it needs at least 4.5:1\n  \
             hint: try a darker shade of the same colour, e.g. `brand_colour: \"#2878c9\"` (4.55:1), so that everyone can read the site's name and menu on it"
        ]
    );
    assert!(!site.output.exists(), "nothing is written");
    // The suggested shade builds.
    site.edit("site.yaml", "\"#7fb2e5\"", "\"#2878c9\"");
    site.build();
}

#[test]
fn brand_colours_that_are_not_hex_are_refused() {
    let cases = [
        (
            "brand_colour: navy",
            "error invalid-brand-colour site.yaml:9:15: brand_colour \"navy\" is not a hex colour such as \"#00527a\"\n  \
             hint: write the colour as # and six (or three) hexadecimal digits, in quotes, e.g. `brand_colour: \"#00527a\"`; your organisation's brand guidelines give it, often as \"HEX\"",
        ),
        (
            "brand_colour: #00527A",
            "error invalid-brand-colour site.yaml:9:15: brand_colour is empty: without quotes, everything from # on is a comment\n  \
             hint: put the colour in quotes: `brand_colour: \"#00527A\"`",
        ),
        (
            "brand_colour: 00527A",
            "error invalid-brand-colour site.yaml:9:15: brand_colour \"00527A\" is not a hex colour such as \"#00527a\"\n  \
             hint: write a # in front, in quotes: `brand_colour: \"#00527A\"`",
        ),
    ];
    for (line, expected) in cases {
        let site = branded_with("brand_colour: \"#00527A\"", line);
        assert_eq!(problems(&site.build_failing()), [expected], "{line}");
    }
}

#[test]
fn logo_problems_are_reported_at_their_line_in_site_yaml() {
    let missing = SiteTest::new(BRANDED).without(LOGO);
    assert_eq!(
        problems(&missing.build_failing()),
        [
            "error missing-logo site.yaml:7:9: logo file \"static/images/testshire-council.svg\" does not exist\n  \
             hint: put the logo file in the site's static/ folder, or correct its name here (capitals count)"
        ]
    );
    let misspelt = branded_with("images/testshire-council", "images/Testshire-Council");
    assert_eq!(
        problems(&misspelt.build_failing()),
        [
            "error missing-logo site.yaml:7:9: logo file \"static/images/Testshire-Council.svg\" does not exist\n  \
             hint: did you mean `file: static/images/testshire-council.svg`?"
        ]
    );
    let outside = branded_with("file: static/images/", "file: images/");
    assert_eq!(
        problems(&outside.build_failing()),
        [
            "error invalid-logo site.yaml:7:9: logo file \"images/testshire-council.svg\" is not in the static/ folder\n  \
             hint: put the logo in the site's static/ folder and write its path from the site folder, e.g. `file: static/images/testshire-council.svg`"
        ]
    );
    let bitmap = branded_with("testshire-council.svg", "testshire-council.bmp");
    assert_eq!(
        problems(&bitmap.build_failing()),
        [
            "error invalid-logo site.yaml:7:9: logo file \"static/images/testshire-council.bmp\" is a .bmp file, which not every browser shows\n  \
             hint: save the logo as SVG (sharp at every size) or PNG, and write that file's name; JPEG, WebP and GIF work too"
        ]
    );
    let no_alt = branded_with("  alt: Testshire County Council\n", "");
    assert_eq!(
        problems(&no_alt.build_failing()),
        [
            "error missing-logo-alt site.yaml:6:1: logo has no alt text\n  \
             hint: add `alt:` under `logo:`: the words the logo shows, usually the organisation's name, e.g. `alt: Hampshire County Council`. People who cannot see the logo hear or read this instead"
        ]
    );
    let one_line = branded_with(
        "logo:\n  file: static/images/testshire-council.svg\n  alt: Testshire County Council\n",
        "logo: static/images/testshire-council.svg\n",
    );
    assert_eq!(
        problems(&one_line.build_failing()),
        [
            "error invalid-logo site.yaml:6:7: logo needs two fields under it, `file:` and `alt:`, not a file name on its line\n  \
             hint: write it as three lines: `logo:`, then `  file: static/images/testshire-council.svg` and `  alt: Hampshire County Council` (the words the logo shows, usually the organisation's name), each indented by two spaces"
        ]
    );
}

#[test]
fn vague_alt_text_and_a_heavy_logo_are_warned_about() {
    let site = branded_with("alt: Testshire County Council", "alt: Council logo");
    site.write(LOGO, vec![b' '; 150 * 1024]);
    let run = site.build();
    assert_eq!(
        problems(&run),
        [
            "warning large-logo site.yaml:7:9: logo file \"static/images/testshire-council.svg\" is 150 KB, and every page loads it\n  \
             hint: use a smaller version: an SVG, or a PNG about 400 pixels wide, is usually under 50 KB",
            "warning vague-logo-alt site.yaml:8:8: the logo's alt text \"Council logo\" does not say what the logo shows\n  \
             hint: write the words the logo shows, usually the organisation's name, e.g. `alt: Testshire County Council`; screen readers already say that it is a picture",
        ]
    );
    let denied = site.run(&["--deny-warnings"]);
    assert_eq!(denied.code, Some(1), "{}", denied.stderr);
}

// ---- The generated accessibility statement -----------------------------------------------------

const REVIEWED: &str = "accessibility:\n  compliance: full\n  reviewed: 2026-10-05\n";

#[test]
fn a_reviewed_statement_declares_what_site_yaml_says() {
    let site = SiteTest::new(BRANDED).built();
    let statement = site.page("accessibility/").texts("main").join(" ");
    assert!(statement.contains("This website is fully compliant with the Web Content Accessibility Guidelines version 2.2 AA standard."), "{statement}");
    assert!(statement.contains("This statement was last reviewed on 5 October 2026."));
    assert!(
        !statement.contains("not yet finished checking"),
        "{statement}"
    );
}

#[test]
fn an_unreviewed_statement_says_partially_compliant_and_warns_at_the_accessibility_block() {
    let site = branded_with(REVIEWED, "accessibility:\n  compliance: full\n");
    let run = site.build();
    assert_eq!(
        problems(&run),
        [
            "warning accessibility-not-reviewed site.yaml:10:1: the accessibility statement Waymark writes says \"partially compliant\", not \"fully compliant\", because site.yaml does not say when it was last reviewed\n  \
             hint: once you have checked the site against WCAG 2.2 AA, add `reviewed: 2026-11-23` under `accessibility:` in site.yaml (the date you checked it) and set `compliance:` to full, partial or none; or write your own statement in content/pages/accessibility.md"
        ]
    );
    let statement = site.page("accessibility/").texts("main").join(" ");
    for expected in [
        "This website is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard.",
        "We have not yet finished checking the whole website against the standard, so we do not claim that it meets it in full.",
        "This statement has not been reviewed yet.",
    ] {
        assert!(
            statement.contains(expected),
            "lacks {expected:?}:\n{statement}"
        );
    }
    assert!(!statement.contains("fully compliant"), "{statement}");
}

#[test]
fn a_site_yaml_without_accessibility_settings_gets_the_honest_default_and_a_warning() {
    let site = branded_with(REVIEWED, "");
    let run = site.build();
    assert_eq!(
        problems(&run),
        [
            "warning accessibility-not-reviewed site.yaml: the accessibility statement Waymark writes says \"partially compliant\" because site.yaml does not say when it was last reviewed\n  \
             hint: once you have checked the site against WCAG 2.2 AA, add `accessibility:` to site.yaml with `compliance:` (full, partial or none) and `reviewed: 2026-11-23` under it (the date you checked it); or write your own statement in content/pages/accessibility.md"
        ]
    );
    let statement = site.page("accessibility/").texts("main").join(" ");
    assert!(statement.contains("This website is partially compliant"));
    // Warnings stop the build only when asked to.
    let denied = site.run(&["--deny-warnings"]);
    assert_eq!(denied.code, Some(1), "{}", denied.stderr);
}

#[test]
fn a_review_more_than_a_year_old_is_warned_about_at_its_date() {
    // The tests' today is 2026-11-23: a year before is 2025-11-23, which is still fine.
    let year_ago = branded_with("reviewed: 2026-10-05", "reviewed: 2025-11-23");
    assert_eq!(problems(&year_ago.build()), Vec::<String>::new());
    let older = branded_with("reviewed: 2026-10-05", "reviewed: 2025-11-22");
    let run = older.build();
    assert_eq!(
        problems(&run),
        [
            "warning accessibility-review-old site.yaml:12:13: the accessibility statement was last reviewed on 22 November 2025, more than a year ago\n  \
             hint: check the site against WCAG 2.2 AA again, update `issues:` and `compliance:` under `accessibility:`, then set `reviewed: 2026-11-23` (the date you checked it); statements must be reviewed every year"
        ]
    );
    // It still says what was declared then.
    let statement = older.page("accessibility/").texts("main").join(" ");
    assert!(
        statement.contains("This website is fully compliant"),
        "{statement}"
    );
}

#[test]
fn a_review_date_without_a_compliance_says_partially_compliant() {
    let site = branded_with("  compliance: full\n", "");
    let run = site.build();
    assert_eq!(
        problems(&run),
        [
            "warning accessibility-compliance-missing site.yaml:10:1: the accessibility statement Waymark writes says \"partially compliant\" because site.yaml does not say how far the site complies\n  \
             hint: add `compliance:` under `accessibility:` in site.yaml: full, partial or none, as your last check found (with `issues:` listing what does not meet WCAG 2.2 AA)"
        ]
    );
    let statement = site.page("accessibility/").texts("main").join(" ");
    assert!(statement.contains("This website is partially compliant"));
}

#[test]
fn a_site_with_its_own_statement_is_not_warned() {
    let site = branded_with(REVIEWED, "").file(
        "content/pages/accessibility.md",
        "---\ntitle: Accessibility statement\n---\nOur own statement, reviewed by the council.\n",
    );
    let run = site.build();
    assert_eq!(problems(&run), Vec::<String>::new());
    let statement = site.page("accessibility/").texts("main").join(" ");
    assert!(statement.contains("Our own statement"), "{statement}");
}
