//! `waymark check` on a corpus of malformed sites, one defect each: every defect must produce a
//! precise diagnostic (file, line, column, code, message, hint), compared verbatim with
//! `check/base/expected/<defect>.txt`, and nothing may panic.

use std::fs;
use std::path::Path;

use crate::site_test::{BLESS_VAR, SiteTest, blessing, files_below, testsuite_dir, waymark};

/// The small valid site (`check/base`) with `files` laid over it (`None` deletes the file).
fn site_with(files: &[(&str, Option<&[u8]>)]) -> SiteTest {
    let mut site = SiteTest::new("check/base");
    for (path, contents) in files {
        site = match contents {
            Some(contents) => site.file(path, contents),
            None => site.without(path),
        };
    }
    site
}

/// The diagnostics of `waymark check --format json`, one line each: `file:line:column code: message`.
fn check_lines(root: &Path) -> (i32, String) {
    let run = waymark(&[
        "check",
        "--format",
        "json",
        "--root",
        root.to_str().expect("UTF-8"),
    ]);
    assert!(
        !run.stderr.contains("panicked"),
        "waymark panicked: {}",
        run.stderr
    );
    let json: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", run.stdout));
    let lines: Vec<String> = json
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|d| {
            let field = |k: &str| match &d[k] {
                serde_json::Value::Null => "-".to_string(),
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            format!(
                "{}:{}:{} {} {}: {}\n  hint: {}",
                field("file"),
                field("line"),
                field("column"),
                field("severity"),
                field("code"),
                field("message"),
                field("hint")
            )
        })
        .collect();
    let report = lines
        .join("\n")
        .replace(&root.display().to_string(), "<root>");
    (run.code.unwrap_or(-1), report)
}

/// Compares a report with `check/base/expected/<name>.txt` (`WAYMARK_BLESS=1` rewrites it).
fn check_report(site: &SiteTest, name: &str, report: &str) {
    site.check_expected(&format!("{name}.txt"), &format!("{report}\n"));
}

/// One test per line: the defect's name (also the name of its expected report) and the files
/// that, laid over the valid base site, make it.
macro_rules! defects {
    ($($name:ident: $files:expr;)*) => {
        $(
            #[test]
            fn $name() {
                let site = site_with($files);
                let (code, report) = check_lines(&site.root);
                assert_eq!(code, 1, "expected errors, got:\n{report}");
                check_report(&site, stringify!($name), &report);
            }
        )*

        /// Every defect in the table, for finding expected reports that belong to none.
        const DEFECTS: &[&str] = &[$(stringify!($name)),*];
    };
}

fn md(text: &str) -> Option<&[u8]> {
    Some(text.as_bytes())
}

#[rustfmt::skip]
defects! {
    yaml_bad_indentation: &[("content/pages/a.md", md("---\ntitle: A\n  summary: b\n---\n"))];
    yaml_tab_indentation: &[("content/pages/a.md", md("---\ntitle: A\nsummary:\n\t- b\n---\n"))];
    curly_quotes_around_a_title: &[("content/pages/a.md", md("---\ntitle: “Our plan for safer streets”\n---\nText.\n"))];
    curly_quotes_around_a_value_with_a_colon: &[("content/pages/a.md", md("---\ntitle: About\nsummary: ‘Safer streets: our plan’\n---\nText.\n"))];
    tab_indentation_in_a_nested_list: &[("content/meetings/strategy-2026-10-15.md", md("---\ntitle: Strategy Group\ndate: 2026-10-15\nagenda:\n  - title: Budget\n\tpresenter: Chief Inspector\n---\n"))];
    yaml_unclosed_quote: &[("content/pages/a.md", md("---\ntitle: \"About us\nsummary: b\n---\n"))];
    missing_front_matter: &[("content/pages/a.md", md("# About\n\nText.\n"))];
    unclosed_front_matter: &[("content/pages/a.md", md("---\ntitle: About\n\nText.\n"))];
    empty_file: &[("content/pages/a.md", md(""))];
    unknown_key_with_suggestion: &[("content/priorities/county-lines.md", md("---\ntitle: County lines\nnumber: 1\nstaus: on-track\n---\n"))];
    unknown_key_in_agenda_item: &[("content/meetings/strategy-2026-10-15.md", md("---\ntitle: Strategy Group\ndate: 2026-10-15\nagenda:\n  - title: Budget\n    presentr: Chief Inspector\n---\n"))];
    missing_required_key: &[("content/pages/a.md", md("---\nsummary: About\n---\nText.\n"))];
    wrong_type: &[("content/priorities/county-lines.md", md("---\ntitle: County lines\nnumber: first\nstatus: on-track\n---\n"))];
    impossible_date: &[("content/meetings/strategy-2026-10-15.md", md("---\ntitle: Strategy Group\ndate: 2019-02-30\n---\n"))];
    impossible_time: &[("content/meetings/strategy-2026-10-15.md", md("---\ntitle: Strategy Group\ndate: 2019-02-20\ntime: \"25:61\"\n---\n"))];
    british_date_gets_its_iso_form: &[("content/meetings/strategy-2026-10-15.md", md("---\ntitle: Strategy Group\ndate: 12/03/2026\n---\n"))];
    twelve_hour_time_gets_its_24_hour_form: &[("content/meetings/strategy-2026-10-15.md", md("---\ntitle: Strategy Group\ndate: 2026-03-12\ntime: 2pm\n---\n"))];
    unknown_status: &[("content/priorities/county-lines.md", md("---\ntitle: County lines\nnumber: 1\nstatus: on-trak\n---\n"))];
    unknown_meeting_status: &[("content/meetings/strategy-2026-10-15.md", md("---\ntitle: Strategy Group\ndate: 2026-10-15\nstatus: postponed\n---\n"))];
    duplicate_priority_number: &[("content/priorities/serious-violence.md", md("---\ntitle: Serious violence\nnumber: 1\nstatus: at-risk\n---\n"))];
    duplicate_url_differing_in_case: &[("content/pages/About.md", md("---\ntitle: About\n---\nA.\n")), ("content/pages/about.md", md("---\ntitle: About us\n---\nB.\n"))];
    page_slug_collides_with_section: &[("content/pages/priorities.md", md("---\ntitle: Priorities\n---\nText.\n"))];
    unknown_priority_in_meeting: &[("content/meetings/strategy-2026-10-15.md", md("---\ntitle: Strategy Group\ndate: 2026-10-15\npriorities: [county-line]\n---\n"))];
    unknown_priority_in_agenda: &[("content/meetings/strategy-2026-10-15.md", md("---\ntitle: Strategy Group\ndate: 2026-10-15\nagenda:\n  - title: Knife crime\n    priority: knife-crime\n---\n"))];
    unknown_priority_in_update: &[("content/updates/u.md", md("---\ntitle: Update\ndate: 2026-10-20\npriorities: [countylines]\nstatus_changes:\n  - priority: serious-violence\n    status: at-risk\n---\nText.\n"))];
    broken_link_with_a_near_namesake: &[("content/updates/progress-report-2026-11-20.md", md("---\ntitle: November report\ndate: 2026-11-20\n---\nText.\n")), ("content/pages/a.md", md("---\ntitle: A\n---\n\nSee [the report](../updates/progress-report-2026-11.md#knife-crime).\n"))];
    broken_internal_link: &[("content/pages/a.md", md("---\ntitle: A\n---\n\nSee [the plan](@/priorities/county-line.md).\n"))];
    broken_relative_link: &[("content/pages/a.md", md("---\ntitle: A\n---\n\nSee [the meeting](../meetings/strategy.md).\n"))];
    broken_anchor: &[("content/pages/a.md", md("---\ntitle: A\n---\n\nSee [the plan](@/priorities/county-lines.md#plans).\n"))];
    missing_document: &[("content/meetings/strategy-2026-10-15.md", md("---\ntitle: Strategy Group\ndate: 2026-10-15\ndocuments:\n  - title: Minutes\n    file: minutes.pdf\n---\n"))];
    script_url_in_document: &[("content/meetings/strategy-2026-10-15.md", md("---\ntitle: Strategy Group\ndate: 2026-10-15\ndocuments:\n  - title: Minutes\n    file: \"java\\tscript:alert(1)\"\n---\n"))];
    not_utf8: &[("content/pages/a.md", Some(b"---\ntitle: Caf\xe9\n---\n"))];
    missing_site_yaml: &[("site.yaml", None)];
    invalid_site_yaml: &[("site.yaml", md("title: T\nbase_url: example.org\nlanguge: en\n"))];
    invalid_base_url: &[("site.yaml", md("title: T\nbase_url: example.org\n"))];
    template_syntax_error: &[("themes/default/templates/page.html", md("{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title </h1>\n{% endblock content %}\n")), ("content/pages/a.md", md("---\ntitle: A\n---\nText.\n"))];
    template_render_error: &[("themes/default/templates/page.html", md("{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.titel }}</h1>\n{% endblock content %}\n")), ("content/pages/a.md", md("---\ntitle: A\n---\nText.\n"))];
    unknown_section: &[("content/news/a.md", md("---\ntitle: A\n---\n"))];
    nested_content: &[("content/meetings/2026/a.md", md("---\ntitle: A\ndate: 2026-01-01\n---\n"))];
    unknown_theme: &[("site.yaml", md("title: T\nbase_url: https://example.org/\ntheme: civic\n"))];
    empty_value: &[("content/pages/a.md", md("---\ntitle:\n---\nText.\n"))];
    empty_title: &[("content/pages/a.md", md("---\ntitle: \"  \"\n---\nText.\n"))];
    unquoted_colon_in_value: &[("content/pages/a.md", md("---\ntitle: A\nsummary: Update: March 2020\n---\nText.\n"))];
    duplicate_key: &[("content/pages/a.md", md("---\ntitle: A\ntitle: B\n---\nText.\n"))];
    indicator_bad_period: &[("content/priorities/county-lines.md", md("---\ntitle: County lines\nnumber: 1\nstatus: on-track\nupdated: 2026-10-01\nindicators:\n  - id: seizures\n    title: Drug seizures\n    better: higher\n    source: Police\n    values:\n      - {period: Q1 2026, value: 12}\n---\nText.\n"))];
    indicator_mixed_periods: &[("content/priorities/county-lines.md", md("---\ntitle: County lines\nnumber: 1\nstatus: on-track\nupdated: 2026-10-01\nindicators:\n  - id: seizures\n    title: Drug seizures\n    better: higher\n    source: Police\n    values:\n      - {period: 2026-Q1, value: 12}\n      - {period: 2026-05, value: 14}\n---\nText.\n"))];
    indicator_duplicate_period: &[("content/priorities/county-lines.md", md("---\ntitle: County lines\nnumber: 1\nstatus: on-track\nupdated: 2026-10-01\nindicators:\n  - id: seizures\n    title: Drug seizures\n    better: higher\n    source: Police\n    values:\n      - {period: 2026-Q1, value: 12}\n      - {period: 2026-Q1, value: 14}\n---\nText.\n"))];
    indicator_value_not_a_number: &[("content/priorities/county-lines.md", md("---\ntitle: County lines\nnumber: 1\nstatus: on-track\nupdated: 2026-10-01\nindicators:\n  - id: seizures\n    title: Drug seizures\n    better: higher\n    source: Police\n    values:\n      - {period: 2026-Q1, value: n/a}\n---\nText.\n"))];
    indicator_without_source: &[("content/priorities/county-lines.md", md("---\ntitle: County lines\nnumber: 1\nstatus: on-track\nupdated: 2026-10-01\nindicators:\n  - id: seizures\n    title: Drug seizures\n    better: higher\n    values:\n      - {period: 2026-Q1, value: 12}\n---\nText.\n"))];
    indicator_unknown_key: &[("content/priorities/county-lines.md", md("---\ntitle: County lines\nnumber: 1\nstatus: on-track\nupdated: 2026-10-01\nindicators:\n  - id: seizures\n    title: Drug seizures\n    better: higher\n    source: Police\n    targit: 20\n    values:\n      - {period: 2026-Q1, value: 12}\n---\nText.\n"))];
    indicator_better_mistyped: &[("content/priorities/county-lines.md", md("---\ntitle: County lines\nnumber: 1\nstatus: on-track\nupdated: 2026-10-01\nindicators:\n  - id: seizures\n    title: Drug seizures\n    better: lowr\n    source: Police\n    values:\n      - {period: 2026-Q1, value: 12}\n---\nText.\n"))];
    indicator_values_and_file: &[("content/priorities/county-lines.md", md("---\ntitle: County lines\nnumber: 1\nstatus: on-track\nupdated: 2026-10-01\nindicators:\n  - id: seizures\n    title: Drug seizures\n    better: higher\n    source: Police\n    file: seizures.csv\n    values:\n      - {period: 2026-Q1, value: 12}\n---\nText.\n"))];
    indicator_csv_missing: &[("content/priorities/county-lines.md", md("---\ntitle: County lines\nnumber: 1\nstatus: on-track\nupdated: 2026-10-01\nindicators:\n  - id: seizures\n    title: Drug seizures\n    better: higher\n    source: Police\n    file: seizure.csv\n---\nText.\n")), ("content/priorities/seizures.csv", md("period,value\n2026-Q1,12\n"))];
    indicator_csv_header: &[("content/priorities/county-lines.md", md("---\ntitle: County lines\nnumber: 1\nstatus: on-track\nupdated: 2026-10-01\nindicators:\n  - id: seizures\n    title: Drug seizures\n    better: higher\n    source: Police\n    file: seizures.csv\n---\nText.\n")), ("content/priorities/seizures.csv", md("Quarter,Seizures\n2026-Q1,12\n"))];
    indicator_csv_value: &[("content/priorities/county-lines.md", md("---\ntitle: County lines\nnumber: 1\nstatus: on-track\nupdated: 2026-10-01\nindicators:\n  - id: seizures\n    title: Drug seizures\n    better: higher\n    source: Police\n    file: seizures.csv\n---\nText.\n")), ("content/priorities/seizures.csv", md("period,value,note\n2026-Q1,12,\n2026-Q2,\"1,200\",Provisional\n2026-Q2,14,\n"))];
    // The governance record: actions, progress reports, minutes and declarations.
    duplicate_action_id: &[("content/meetings/strategy-2026-10-15.md", md("---\ntitle: Strategy Group\ndate: 2026-10-15\nagenda:\n  - title: Knife crime\n    actions:\n      - id: A-1\n        action: Map knife crime hotspots\n        owner: Police\n        due: 2026-12-01\n---\n")), ("content/meetings/strategy-2026-11-12.md", md("---\ntitle: Strategy Group\ndate: 2026-11-12\nagenda:\n  - title: Night-time economy\n    actions:\n      - id: a-1\n        action: Invite the licensing team\n        owner: Chair\n---\n"))];
    unknown_action_with_a_near_id: &[("content/meetings/strategy-2026-10-15.md", md("---\ntitle: Strategy Group\ndate: 2026-10-15\nagenda:\n  - title: Knife crime\n    actions:\n      - id: HC-101\n        action: Map knife crime hotspots\n        owner: Police\n      - id: HC-102\n        action: Brief schools\n        owner: Education\n---\n")), ("content/updates/u.md", md("---\ntitle: November report\ndate: 2026-11-20\naction_updates:\n  - id: HC-1O1\n    status: done\n---\nText.\n"))];
    unknown_action_when_no_meeting_raised_one: &[("content/updates/u.md", md("---\ntitle: November report\ndate: 2026-11-20\naction_updates:\n  - id: A-1\n    status: done\n---\nText.\n"))];
    duplicate_action_id_in_one_file: &[("content/meetings/strategy-2026-10-15.md", md("---\ntitle: Strategy Group\ndate: 2026-10-15\nagenda:\n  - title: Knife crime\n    actions:\n      - id: A-1\n        action: Map knife crime hotspots\n        owner: Police\n  - title: Budget\n    actions:\n      - id: A-1\n        action: Cost the plan\n        owner: Treasurer\n---\n"))];
    unknown_action_among_equally_near_ids: &[("content/meetings/strategy-2026-10-15.md", md("---\ntitle: Strategy Group\ndate: 2026-10-15\nagenda:\n  - title: Knife crime\n    actions:\n      - id: A-1\n        action: Map knife crime hotspots\n        owner: Police\n      - id: A-2\n        action: Brief schools\n        owner: Education\n      - id: A-4\n        action: Cost the plan\n        owner: Treasurer\n---\n")), ("content/updates/u.md", md("---\ntitle: November report\ndate: 2026-11-20\naction_updates:\n  - id: A-3\n    status: done\n---\nText.\n"))];
    action_update_before_action: &[("content/meetings/strategy-2026-10-15.md", md("---\ntitle: Strategy Group\ndate: 2026-10-15\nagenda:\n  - title: Knife crime\n    actions:\n      - id: A-1\n        action: Map knife crime hotspots\n        owner: Police\n        due: 2026-12-01\n---\n")), ("content/updates/u.md", md("---\ntitle: October report\ndate: 2026-10-01\naction_updates:\n  - id: A-1\n    status: in-progress\n---\nText.\n"))];
    approval_by_an_unknown_meeting: &[("content/meetings/strategy-2026-10-15.md", md("---\ntitle: Strategy Group\ndate: 2026-10-15\nminutes:\n  status: approved\n  approved_at: strategy-2026-11-21\n---\n")), ("content/meetings/strategy-2026-11-12.md", md("---\ntitle: Strategy Group\ndate: 2026-11-12\n---\n"))];
    approval_by_a_draft_meeting: &[("content/meetings/strategy-2026-10-15.md", md("---\ntitle: Strategy Group\ndate: 2026-10-15\nminutes:\n  status: approved\n  approved_at: strategy-2026-11-12\n---\n")), ("content/meetings/strategy-2026-11-12.md", md("---\ntitle: Strategy Group\ndate: 2026-11-12\ndraft: true\n---\n"))];
    approval_by_the_meeting_itself: &[("content/meetings/strategy-2026-10-15.md", md("---\ntitle: Strategy Group\ndate: 2026-10-15\nminutes:\n  status: approved\n  approved_at: strategy-2026-10-15\n---\n"))];
    approval_by_an_earlier_meeting: &[("content/meetings/strategy-2026-11-12.md", md("---\ntitle: Strategy Group\ndate: 2026-11-12\nminutes:\n  status: approved\n  approved_at: strategy-2026-10-15\n---\n"))];
    approval_by_a_cancelled_meeting: &[("content/meetings/strategy-2026-10-15.md", md("---\ntitle: Strategy Group\ndate: 2026-10-15\nminutes:\n  status: approved\n  approved_at: strategy-2026-11-12\n---\n")), ("content/meetings/strategy-2026-11-12.md", md("---\ntitle: Strategy Group\ndate: 2026-11-12\nstatus: cancelled\n---\n"))];
    approval_by_a_meeting_not_yet_held: &[("content/meetings/strategy-2026-10-15.md", md("---\ntitle: Strategy Group\ndate: 2026-10-15\nminutes:\n  status: approved\n  approved_at: strategy-2026-12-10\n---\n")), ("content/meetings/strategy-2026-12-10.md", md("---\ntitle: Strategy Group\ndate: 2026-12-10\n---\n"))];
    approved_minutes_without_approved_at: &[("content/meetings/strategy-2026-10-15.md", md("---\ntitle: Strategy Group\ndate: 2026-10-15\nminutes:\n  status: approved\n---\n"))];
    draft_minutes_with_approved_at: &[("content/meetings/strategy-2026-10-15.md", md("---\ntitle: Strategy Group\ndate: 2026-10-15\nminutes:\n  status: draft\n  approved_at: strategy-2026-11-12\n---\n")), ("content/meetings/strategy-2026-11-12.md", md("---\ntitle: Strategy Group\ndate: 2026-11-12\n---\n"))];
    minutes_of_a_cancelled_meeting: &[("content/meetings/strategy-2026-10-15.md", md("---\ntitle: Strategy Group\ndate: 2026-10-15\nstatus: cancelled\nminutes:\n  status: draft\n---\n"))];
    minutes_of_a_meeting_to_come: &[("content/meetings/strategy-2026-12-10.md", md("---\ntitle: Strategy Group\ndate: 2026-12-10\nminutes:\n  status: draft\n---\n"))];
    declaration_on_an_item_not_on_the_agenda: &[("content/meetings/strategy-2026-10-15.md", md("---\ntitle: Strategy Group\ndate: 2026-10-15\nagenda:\n  - title: Knife crime\n  - title: Budget\ndeclarations:\n  - name: Cllr Jones\n    item: 3\n    interest: Governor of a school in the pilot\n---\n"))];
    invalid_action_id: &[("content/meetings/strategy-2026-10-15.md", md("---\ntitle: Strategy Group\ndate: 2026-10-15\nagenda:\n  - title: Knife crime\n    actions:\n      - id: A 1\n        action: Map knife crime hotspots\n        owner: Police\n---\n"))];
    unknown_action_status: &[("content/meetings/strategy-2026-10-15.md", md("---\ntitle: Strategy Group\ndate: 2026-10-15\nagenda:\n  - title: Knife crime\n    actions:\n      - id: A-1\n        action: Map knife crime hotspots\n        owner: Police\n        due: 2026-12-01\naction_updates:\n  - id: A-1\n    status: complete\n---\n"))];
}

/// The reports of the tests of warnings, which are not defects: the site still builds.
const WARNINGS: &[&str] = &["editorial_warnings", "governance_warnings"];

#[test]
fn every_expected_report_belongs_to_a_test() {
    let reports = files_below(&testsuite_dir("check/base/expected"));
    let stale: Vec<&String> = reports
        .keys()
        .filter(|file| {
            let name = file.strip_suffix(".txt").unwrap_or(file);
            !DEFECTS.contains(&name) && !WARNINGS.contains(&name)
        })
        .collect();
    if blessing() {
        for file in &stale {
            fs::remove_file(testsuite_dir("check/base/expected").join(file))
                .expect("remove a stale report");
        }
    } else {
        assert!(
            stale.is_empty(),
            "expected reports without a test: {stale:?}; run the tests with {BLESS_VAR}=1 to delete them"
        );
    }
}

#[test]
fn alias_bomb_fails_fast() {
    let mut yaml = String::from("---\ntitle: A\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..20 {
        let p = i - 1;
        yaml.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    yaml.push_str("summary: *a19\n---\n");
    let site = site_with(&[("content/pages/a.md", Some(yaml.as_bytes()))]);
    let started = std::time::Instant::now();
    let (code, report) = check_lines(&site.root);
    assert_eq!(code, 1);
    assert!(
        started.elapsed().as_secs() < 5,
        "took {:?}",
        started.elapsed()
    );
    assert!(report.contains("content/pages/a.md:"), "{report}");
    assert!(
        report.contains("yaml-too-complex") || report.contains("unknown-key"),
        "{report}"
    );
}

#[test]
fn absurd_nesting_fails_fast() {
    let yaml = format!(
        "---\ntitle: A\nsummary: {}x{}\n---\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let site = site_with(&[("content/pages/a.md", Some(yaml.as_bytes()))]);
    let (code, report) = check_lines(&site.root);
    assert_eq!(code, 1);
    assert!(report.contains("content/pages/a.md:"), "{report}");
}

#[test]
fn file_over_10_mb_is_refused() {
    let mut text = String::from("---\ntitle: Huge\n---\n");
    text.push_str(&"word ".repeat(2_200_000));
    let site = site_with(&[("content/pages/huge.md", Some(text.as_bytes()))]);
    let (code, report) = check_lines(&site.root);
    assert_eq!(code, 1);
    assert!(
        report.contains("content/pages/huge.md:-:- error file-too-large"),
        "{report}"
    );
}

#[test]
fn reports_every_problem_in_one_run() {
    let site = site_with(&[
        (
            "content/priorities/county-lines.md",
            md("---\ntitle: County lines\nnumber: 1\nstatus: on-trak\n---\n"),
        ),
        (
            "content/meetings/strategy-2026-10-15.md",
            md("---\ntitle: Strategy Group\ndate: 2026-02-30\n---\n"),
        ),
        (
            "content/pages/a.md",
            md("---\ntitle: A\ndarft: true\n---\n"),
        ),
        ("content/pages/b.md", md("")),
    ]);
    let (code, report) = check_lines(&site.root);
    assert_eq!(code, 1);
    for expected in [
        "content/priorities/county-lines.md:4:9 error unknown-status",
        "content/meetings/strategy-2026-10-15.md:3:7 error invalid-date",
        "content/pages/a.md:3:1 error unknown-key",
        "content/pages/b.md:-:- error empty-file",
    ] {
        assert!(
            report.contains(expected),
            "missing {expected} in:\n{report}"
        );
    }
}

#[test]
fn human_output_shows_source_line_and_summary() {
    let site = site_with(&[(
        "content/priorities/county-lines.md",
        md("---\ntitle: County lines\nnumber: 1\nstatus: on-trak\n---\n"),
    )]);
    let run = site.command(&["check"]);
    let stderr = &run.stderr;
    assert_eq!(run.code, Some(1));
    assert!(
        stderr.contains("content/priorities/county-lines.md:4:9"),
        "{stderr}"
    );
    assert!(stderr.contains("4 │ status: on-trak"), "{stderr}");
    assert!(stderr.contains("did you mean \"on-track\"?"), "{stderr}");
    assert!(
        stderr
            .trim_end()
            .ends_with("1 error, 0 warnings in 3 files"),
        "{stderr}"
    );
    assert!(
        !stderr.contains('\u{1b}'),
        "no colour when not on a terminal"
    );
}

#[test]
fn human_output_of_a_duplicate_action_id_shows_the_second_and_names_the_first() {
    let site = site_with(&[
        (
            "content/meetings/strategy-2026-10-15.md",
            md(
                "---\ntitle: Strategy Group\ndate: 2026-10-15\nagenda:\n  - title: Knife crime\n    actions:\n      - id: A-1\n        action: Map knife crime hotspots\n        owner: Police\n        due: 2026-12-01\n---\nThe group met.\n",
            ),
        ),
        (
            "content/meetings/strategy-2026-11-12.md",
            md(
                "---\ntitle: Strategy Group\ndate: 2026-11-12\nagenda:\n  - title: Night-time economy\n    actions:\n      - id: a-1\n        action: Invite the licensing team\n        owner: Chair\n---\n",
            ),
        ),
    ]);
    let run = site.command(&["check"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr,
        r#"duplicate-action-id

  × action id "a-1" is already used in content/meetings/strategy-2026-10-15.md, line 7, written
  │ "A-1" (capitals do not make a different id)
   ╭─[content/meetings/strategy-2026-11-12.md:7:13]
 7 │       - id: a-1
   ·             ┬
   ·             ╰── here
   ╰────
  help: every action needs its own id, so progress reports can name it; give this one the next
        free number

1 error, 0 warnings in 4 files
"#
    );
}

#[test]
fn warnings_do_not_fail_unless_denied() {
    let site = site_with(&[
        (
            "content/pages/a.md",
            md(
                "---\ntitle: A\n---\n\n## One\n\n#### Skipped\n\n![](map.png) [click here](@/priorities/county-lines.md) <https://example.org/x>\n\nThis sentence keeps going and going with one word after another so that it is far longer than anyone can comfortably read in a single breath without losing track of the point it was trying to make.\n",
            ),
        ),
        (
            "content/meetings/old.md",
            md("---\ntitle: Strategy Group\ndate: 2026-01-15\nstatus: scheduled\n---\nAgenda.\n"),
        ),
        (
            "content/priorities/county-lines.md",
            md("---\ntitle: County lines\nnumber: 1\nstatus: on-track\nupdated: 2025-01-01\n---\n"),
        ),
        // Beside the page that shows it, so the image is really there.
        ("content/pages/map.png", Some(b"\x89PNG")),
        (
            "content/updates/autumn-2026.md",
            md(
                "---\ntitle: Autumn report\ndate: 2026-10-20\nstatus_changes:\n  - priority: county-lines\n    status: at-risk\n---\nCounty lines work slowed.\n",
            ),
        ),
    ]);
    let (code, report) = check_lines(&site.root);
    assert_eq!(code, 0, "{report}");
    check_report(&site, "editorial_warnings", &report);
    let denied = site.command(&["check", "--deny-warnings"]);
    assert_eq!(denied.code, Some(1));
}

#[test]
fn governance_warnings_do_not_fail() {
    let site = site_with(&[
        (
            "content/meetings/strategy-2026-10-15.md",
            md(
                "---\ntitle: Strategy Group\ndate: 2026-10-15\nagenda:\n  - title: Knife crime\n    decisions: [Agreed the knife crime plan.]\n    actions:\n      - id: A-1\n        action: Map knife crime hotspots\n        owner: Police\n        due: 2026-11-01\n      - id: A-2\n        action: Brief schools\n        owner: Education\n        due: 2026-11-01\n---\nThe group met.\n",
            ),
        ),
        (
            "content/meetings/strategy-2026-11-12.md",
            md(
                "---\ntitle: Strategy Group\ndate: 2026-11-12\nattendance:\n  present: [Chair, Chief Inspector]\naction_updates:\n  - id: A-2\n    status: done\n---\nThe group met again.\n",
            ),
        ),
    ]);
    let (code, report) = check_lines(&site.root);
    assert_eq!(code, 0, "{report}");
    check_report(&site, "governance_warnings", &report);
}

#[test]
fn missing_root_folder_is_exit_code_2() {
    let run = waymark(&["check", "--root", "/nonexistent/site"]);
    assert_eq!(run.code, Some(2));
}

#[test]
fn valid_edge_cases_build() {
    let deep_list = format!("---\ntitle: Deep\n---\n{}item\n", "- ".repeat(10_000));
    let mut five_mb = String::from("---\ntitle: Long\n---\n");
    while five_mb.len() < 5_000_000 {
        five_mb.push_str(
            "## Section\n\nThe partnership met. It agreed a plan. Partners share information.\n\n",
        );
    }
    let site = site_with(&[
        (
            "content/pages/bom.md",
            Some(b"\xEF\xBB\xBF---\r\ntitle: BOM and CRLF\r\n---\r\n\r\nText.\r\n"),
        ),
        ("content/pages/no.md", md("---\ntitle: no\n---\nText.\n")),
        ("content/pages/deep.md", Some(deep_list.as_bytes())),
        ("content/pages/long.md", Some(five_mb.as_bytes())),
    ]);
    site.build();
    let page = |p: &str| site.read(p);
    assert!(page("bom/index.html").contains("<h1>BOM and CRLF</h1>"));
    assert!(page("no/index.html").contains("<h1>no</h1>"));
    assert!(page("deep/index.html").contains("<li>"));
    assert!(page("long/index.html").len() > 5_000_000);
}

#[test]
fn init_creates_a_site_that_builds_cleanly() {
    let empty = SiteTest::empty();
    let site = empty.temp_dir().join("new-site");
    let path = site.to_str().expect("UTF-8");
    waymark(&["init", path]).success();
    let (code, report) = check_lines(&site);
    // Only the reminder that nobody has checked its accessibility yet: the statement says
    // "partially compliant" until site.yaml says when someone did.
    assert_eq!(code, 0, "{report}");
    assert!(
        report.starts_with("site.yaml:-:- warning accessibility-not-reviewed: ")
            && report.lines().count() == 2,
        "a new site has no problems but its accessibility review:\n{report}"
    );
    let again = waymark(&["init", path]);
    assert_eq!(again.code, Some(2), "init never overwrites a site");

    // Its site.yaml shows the settings a council adds, commented; uncommented, they work.
    let config = site.join("site.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    let uncommented: String = text
        .lines()
        .map(|line| match line.strip_prefix("# ") {
            Some(setting)
                if !line.starts_with("# The")
                    && !line.starts_with("# have")
                    && !line.starts_with("# Your")
                    && !setting.starts_with("logo") =>
            {
                format!("{setting}\n")
            }
            _ => format!("{line}\n"),
        })
        .collect();
    assert!(
        uncommented.contains("\naccessibility:\n  compliance: partial"),
        "{uncommented}"
    );
    std::fs::write(&config, uncommented).unwrap();
    let (code, report) = check_lines(&site);
    assert_eq!(
        (code, report.as_str()),
        (0, ""),
        "the commented settings of a new site work"
    );
}

#[test]
fn init_writes_nothing_into_a_folder_that_holds_its_files_unless_forced() {
    let empty = SiteTest::empty();
    let site = empty.temp_dir().join("council");
    std::fs::create_dir_all(site.join("content/pages")).unwrap();
    std::fs::write(site.join("content/pages/about.md"), "our own page").unwrap();
    let path = site.to_str().expect("UTF-8");
    let refused = waymark(&["init", path]);
    assert_eq!(refused.code, Some(2));
    assert_eq!(
        refused.stderr,
        format!(
            "error: {path} already holds content/pages/about.md, which a new site would replace; nothing was written. Choose an empty folder, or run `waymark init --force {path}` to add only the files that are missing\n"
        )
    );
    assert!(!site.join("site.yaml").exists(), "nothing was written");
    let forced = waymark(&["init", "--force", path]).success();
    assert!(!forced.stdout.contains("about.md"), "{}", forced.stdout);
    assert_eq!(
        std::fs::read_to_string(site.join("content/pages/about.md")).unwrap(),
        "our own page"
    );
    assert!(site.join("site.yaml").is_file());
    let again = waymark(&["init", "--force", path]).success();
    assert_eq!(
        again.stdout,
        format!("{path} already holds every file of a new site; nothing was written.\n")
    );
}

#[test]
fn new_writes_every_kind_with_all_fields_and_never_overwrites() {
    let site = site_with(&[]);
    for (kind, title, expected) in [
        (
            "priority",
            "Reducing knife crime",
            "content/priorities/reducing-knife-crime.md",
        ),
        (
            "meeting",
            "Strategy Group",
            "content/meetings/strategy-group-2027-01-21.md",
        ),
        (
            "update",
            "Winter update: 2027",
            "content/updates/winter-update-2027-2027-01-21.md",
        ),
        ("page", "Contact us", "content/pages/contact-us.md"),
    ] {
        site.command(&["new", kind, title, "--date", "2027-01-21"])
            .success();
        let text = site.read_source(expected);
        assert!(text.contains("draft: true"), "{text}");
        assert!(text.contains(&format!("title: \"{title}\"")), "{text}");
        let again = site.command(&["new", kind, title, "--date", "2027-01-21"]);
        assert_eq!(again.code, Some(1), "{kind} was overwritten");
        assert!(again.stderr.contains("already exists"));
    }
    let priority = site.read_source("content/priorities/reducing-knife-crime.md");
    assert!(
        priority.contains("number: 2 "),
        "next free number after priority 1:\n{priority}"
    );
    // Every field written is valid: the drafts build without errors.
    let output = site.command(&["check", "--drafts", "--format", "json"]);
    let problems: serde_json::Value = serde_json::from_str(&output.stdout).unwrap();
    let errors: Vec<_> = problems
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn build_shows_twenty_warnings_and_counts_the_rest() {
    let pages: Vec<(String, String)> = (0..25)
        .map(|i| {
            (
                format!("content/pages/p{i:02}.md"),
                format!("---\ntitle: Page {i}\n---\n"),
            )
        })
        .collect();
    let files: Vec<(&str, Option<&[u8]>)> = pages
        .iter()
        .map(|(p, t)| (p.as_str(), Some(t.as_bytes())))
        .collect();
    let site = site_with(&files);
    let output = site.command(&["build"]);
    let stderr = &output.stderr;
    assert!(output.code == Some(0), "{stderr}");
    assert_eq!(stderr.matches("empty-body").count(), 20, "{stderr}");
    assert!(
        stderr.contains("… and 5 more; run `waymark check` to see every one."),
        "{stderr}"
    );
    assert!(
        stderr.contains("0 errors, 25 warnings in 28 files"),
        "{stderr}"
    );
    let check = site.command(&["check"]);
    assert_eq!(check.stderr.matches("empty-body").count(), 25);
}
