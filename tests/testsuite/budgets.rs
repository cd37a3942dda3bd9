//! Hostile content files: each builds within the memory and time budget or is refused, naming the file
//! and the limit (issue "Never lose an editor's files", section 3). Inputs are generated here,
//! about 1 MB each: big enough that the old behaviour blew far past the budget.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::site_test::{SiteTest, command};

/// Peak memory allowed for a 1 MB file: the budget is 1 GiB for 10 MB.
const BUDGET_KB: u64 = 200 * 1024;
const TIME_LIMIT: Duration = Duration::from_secs(20);

fn site(body: &str) -> SiteTest {
    SiteTest::empty()
        .file(
            "site.yaml",
            "title: T\nbase_url: https://example.org/\n\
             accessibility: {compliance: partial, reviewed: 2026-11-01}\n",
        )
        .file("content/pages/x.md", format!("---\ntitle: X\n---\n{body}"))
}

/// Builds `site` as JSON, watching its peak memory (VmHWM) while it runs; a build past the
/// budget or the time limit is stopped and the test fails. Returns stdout.
fn build_within_budget(site: &SiteTest) -> String {
    let root = site.temp_dir().join("site");
    let output = site.temp_dir().join("public");
    let mut child = command()
        .args(["build", "--format", "json", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&output)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run waymark");
    let status = format!("/proc/{}/status", child.id());
    let started = Instant::now();
    let mut peak = 0;
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).expect("read stdout");
        text
    });
    while child.try_wait().expect("wait").is_none() {
        peak = peak.max(high_water_kb(&status));
        if peak > BUDGET_KB || started.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("over budget: {peak} kB after {:?}", started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    reader.join().expect("stdout reader")
}

/// VmHWM of a running process in kB, or 0 once it is gone.
fn high_water_kb(status: &str) -> u64 {
    std::fs::read_to_string(status)
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn problems(stdout: &str) -> Vec<serde_json::Value> {
    let json = stdout.lines().find(|l| l.starts_with('[')).unwrap_or("[]");
    serde_json::from_str(json).expect("JSON problems")
}

#[test]
fn one_paragraph_of_long_sentences_builds_and_reports_a_screenful() {
    let sentence = format!("{} end. ", vec!["word"; 49].join(" "));
    let site = site(&format!("{}\n", sentence.repeat(4_000)));
    let problems = problems(&build_within_budget(&site));
    let long: Vec<_> = problems
        .iter()
        .filter(|p| p["code"] == "long-sentence")
        .collect();
    let summary = long.last().expect("a summary");
    assert_eq!(
        summary["message"],
        "and 3,980 more long-sentence warnings in this file"
    );
    assert_eq!(summary["file"], "content/pages/x.md");
    assert!(site.exists("x/index.html"));
}

#[test]
fn quotes_nested_200_deep_are_refused_at_their_line() {
    let quote = format!("{}a\n\n", "> ".repeat(200));
    let site = site(&quote.repeat(2_500));
    let problems = problems(&build_within_budget(&site));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["code"], "nesting-too-deep");
    assert_eq!(
        problems[0]["message"],
        "block quotes are nested 200 deep here; the limit is 32"
    );
    assert_eq!(problems[0]["file"], "content/pages/x.md");
    assert_eq!(problems[0]["line"], 4);
}

#[test]
fn a_file_of_emphasis_openers_is_refused_naming_the_limit() {
    let site = site(&"*a **a ".repeat(430_000));
    let problems = problems(&build_within_budget(&site));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["code"], "too-much-markup");
    assert_eq!(
        problems[0]["message"],
        "this file has 1,290,000 line breaks and Markdown marks (* _ ` [ ] < > | ! ~ \\ & @, list markers and web addresses); the limit is 1,000,000"
    );
    assert_eq!(problems[0]["file"], "content/pages/x.md");
}

/// 1 MB of ordinary Markdown with 12,000 warnings: placing each warning once read the file
/// from its start, which took time in the square of its length.
#[test]
fn a_page_of_ordinary_markup_under_the_limits_builds() {
    let paragraph = "Some *emphasis*, a [link](https://example.org/) and `code`.\n\n> A quote.\n\n";
    let site = site(&paragraph.repeat(12_000));
    build_within_budget(&site);
    assert!(site.exists("x/index.html"));
}

/// 1 MB of links to a heading that does not exist: each error once read the file from its
/// start to find its line.
#[test]
fn thousands_of_broken_anchors_are_reported_as_a_screenful() {
    let site = site(&"See [the plan](#nope) now.\n\n".repeat(36_000));
    let problems = problems(&build_within_budget(&site));
    assert_eq!(problems.len(), 21, "{problems:?}");
    assert_eq!(
        problems[20]["message"],
        "and 35,980 more broken-anchor errors in this file"
    );
    assert_eq!(problems[20]["severity"], "error");
}
