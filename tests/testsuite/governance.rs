//! The governance record beyond the pages: the actions calendar (`actions.ics`, read back with
//! the ical parser), decisions, actions and progress in the Atom feed, and actions and decisions
//! in the search index. The fixture `governance/record` has three held meetings and one to
//! come, actions open, in progress, done, dropped, overdue and without a due date, progress
//! reported at meetings and in an update, and decisions. (The checks of the record are in
//! check.rs's `defects!` table, with the other problems `waymark check` reports.)

use std::collections::BTreeMap;

use crate::calendar::{assert_folded, parse_calendar, value};
use crate::site_test::SiteTest;

const BASE: &str = "https://example.org/community-safety/";
const HOST: &str = "example.org/community-safety";

type Properties = Vec<ical::property::Property>;

fn param(properties: &[ical::property::Property], name: &str, param: &str) -> Option<String> {
    properties
        .iter()
        .find(|p| p.name == name)?
        .params
        .as_ref()?
        .iter()
        .find(|(n, _)| n == param)
        .map(|(_, v)| v.join(","))
}

fn has(properties: &[ical::property::Property], name: &str) -> bool {
    properties.iter().any(|p| p.name == name)
}

/// RFC 5545 TEXT unescaping.
fn unescape(text: &str) -> String {
    text.replace("\\n", "\n")
        .replace("\\,", ",")
        .replace("\\;", ";")
        .replace("\\\\", "\\")
}

/// The to-dos of `actions.ics` in the order written, by UID.
fn todos(site: &SiteTest) -> Vec<(String, Properties)> {
    let text = site.read("actions.ics");
    assert_folded(&text);
    let calendar = parse_calendar(&text);
    assert!(calendar.events.is_empty() && calendar.timezones.is_empty());
    calendar
        .todos
        .into_iter()
        .map(|todo| (value(&todo.properties, "UID"), todo.properties))
        .collect()
}

#[test]
fn actions_calendar_has_one_todo_per_action_in_register_order() {
    let site = SiteTest::new("governance/record").built();
    let text = site.read("actions.ics");
    let calendar = parse_calendar(&text);
    assert_eq!(value(&calendar.properties, "VERSION"), "2.0");
    assert_eq!(value(&calendar.properties, "METHOD"), "PUBLISH");
    assert_eq!(
        value(&calendar.properties, "X-WR-CALNAME"),
        "Testshire Community Safety Partnership: actions"
    );
    let uids: Vec<String> = todos(&site).into_iter().map(|(uid, _)| uid).collect();
    // Overdue first, then open and in progress by due date (undated last), then done and
    // dropped; every id in lower case, apart from the meetings' UIDs.
    let expected: Vec<String> = ["a-3", "a-2", "a-5", "a-6", "a-1", "b-7"]
        .iter()
        .map(|key| format!("action-{key}@{HOST}"))
        .collect();
    assert_eq!(uids, expected);
}

#[test]
fn each_todo_says_what_who_when_and_where_it_stands() {
    let site = SiteTest::new("governance/record").built();
    let todos: BTreeMap<String, Properties> = todos(&site).into_iter().collect();
    let todo = |key: &str| &todos[&format!("action-{key}@{HOST}")];

    // Open and overdue: no progress reported, so stamped with the meeting that raised it.
    let a3 = todo("a-3");
    assert_eq!(value(a3, "STATUS"), "NEEDS-ACTION");
    assert_eq!(value(a3, "DUE"), "20260930");
    assert_eq!(param(a3, "DUE", "VALUE").as_deref(), Some("DATE"));
    assert_eq!(value(a3, "DTSTAMP"), "20260611T000000Z");
    assert_eq!(value(a3, "URL"), format!("{BASE}actions/a-3/"));
    // A summary longer than a line is folded, and unfolds to the id and the action.
    assert_eq!(
        unescape(&value(a3, "SUMMARY")),
        "A-3: Commission a survey of residents' views on night-time safety in every town centre, with the results reported to the board"
    );
    assert_eq!(
        unescape(&value(a3, "DESCRIPTION")),
        "Owner: Police and Crime Commissioner's office\n\
         Due: 30 September 2026 (overdue)\n\
         Status: Open\n\
         Raised at: Partnership board, 11 June 2026 (agenda item 1: County lines: the partnership plan)\n\
         \n\
         The action and its progress: https://example.org/community-safety/actions/a-3/"
    );
    assert_eq!(value(a3, "CATEGORIES"), "County lines");
    assert!(!has(a3, "COMPLETED") && !has(a3, "PERCENT-COMPLETE"));

    // In progress: the newest report has no note, so the newest note is given as well.
    let a2 = todo("a-2");
    assert_eq!(value(a2, "STATUS"), "IN-PROCESS");
    assert_eq!(value(a2, "DTSTAMP"), "20261112T000000Z");
    assert_eq!(value(a2, "LAST-MODIFIED"), "20261112T000000Z");
    assert_eq!(
        value(a2, "SUMMARY"),
        "A-2: Map youth provision\\, street by street\\, across the county",
        "commas are escaped"
    );
    let description = unescape(&value(a2, "DESCRIPTION"));
    assert!(
        description.contains(
            "Latest update, 12 November 2026 (Partnership board): In progress\n\
             Latest note, 20 October 2026 (Autumn progress report): Half of the county is mapped.\n"
        ),
        "{description}"
    );

    // Done: completed on the day it was reported done, at 00:00 UTC as RFC 5545 requires.
    // Progress was reported as "a-1": the register's id is the one shown.
    let a1 = todo("a-1");
    assert_eq!(value(a1, "STATUS"), "COMPLETED");
    assert_eq!(value(a1, "COMPLETED"), "20260910T000000Z");
    assert_eq!(value(a1, "PERCENT-COMPLETE"), "100");
    assert_eq!(value(a1, "DUE"), "20260701");
    assert!(value(a1, "SUMMARY").starts_with("A-1: "));
    assert!(
        unescape(&value(a1, "DESCRIPTION")).contains(
            "Latest update, 10 September 2026 (Partnership board): Done. Sent to all partners on 20 June.\n"
        )
    );

    // Dropped, with no due date: the note's semicolon and line break are escaped.
    let b7 = todo("b-7");
    assert_eq!(value(b7, "STATUS"), "CANCELLED");
    assert!(!has(b7, "DUE") && !has(b7, "COMPLETED") && !has(b7, "CATEGORIES"));
    let raw = value(b7, "DESCRIPTION");
    assert!(
        raw.contains("Folded into the licensing review\\; see its report.\\nThe charter"),
        "{raw}"
    );
    assert!(unescape(&raw).contains("Due: no date set\n"));

    // Open without a due date, raised at the last meeting.
    let a6 = todo("a-6");
    assert_eq!(value(a6, "STATUS"), "NEEDS-ACTION");
    assert!(!has(a6, "DUE"));
    assert!(unescape(&value(a6, "DESCRIPTION")).contains(
        "Raised at: Partnership board, 12 November 2026 (agenda item 2: Night-time economy)"
    ));

    for properties in todos.values() {
        assert!(value(properties, "DTSTAMP").ends_with("T000000Z"));
        let url = value(properties, "URL");
        let page = format!("{}index.html", url.trim_start_matches(BASE));
        assert!(site.exists(&page), "{url} is the action's page");
    }
}

#[test]
fn actions_calendar_lines_are_folded_crlf_and_the_same_on_every_build() {
    let site = SiteTest::new("governance/record").built();
    let first = site.read("actions.ics");
    assert!(first.contains("\r\n "), "long lines are folded");
    assert!(
        !first.replace("\r\n", "").contains('\n'),
        "every line ends in CRLF"
    );
    site.build();
    assert_eq!(site.read("actions.ics"), first, "byte for byte");
}

#[test]
fn a_site_without_actions_has_no_actions_calendar() {
    let site = SiteTest::new("calendar/london-meetings").built();
    assert!(site.exists("meetings.ics"));
    assert!(!site.exists("actions.ics"));
}

#[test]
fn a_copied_file_cannot_take_the_actions_calendars_address() {
    let site = SiteTest::new("governance/record").file("static/actions.ics", "BEGIN:VCALENDAR");
    let run = site.build_failing();
    let problem = run.error("duplicate-url");
    assert_eq!(problem.location, "static/actions.ics");
    assert_eq!(
        problem.message,
        "this file would replace the calendar Waymark writes at /actions.ics"
    );
}

// ---- Feeds -----------------------------------------------------------------------------------

/// The HTML content of the site feed's entry at `page` (relative to the base URL).
fn feed_entry(site: &SiteTest, page: &str) -> String {
    let feed = feed_rs::parser::parse(site.read("atom.xml").as_bytes()).expect("a feed");
    let id = format!("{BASE}{page}");
    let entry = feed
        .entries
        .iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("no entry {id}"));
    entry
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .expect("the entry has content")
}

#[test]
fn a_held_meetings_feed_entry_gives_its_decisions_actions_and_progress() {
    let site = SiteTest::new("governance/record").built();
    let june = feed_entry(&site, "meetings/board-2026-06-11/");
    assert!(
        june.contains(
            "<h2>Decisions</h2>\n<ul>\n<li>Agreed the county lines plan, with the changes Testshire Police proposed; it runs to March 2027. <em>(item 1, County lines: the partnership plan)</em></li>\n</ul>\n"
        ),
        "{june}"
    );
    assert!(
        june.contains(&format!(
            "<li><a href=\"{BASE}actions/a-1/\">A-1</a>: Circulate the revised plan to partners. <strong>Owner:</strong> Community Safety Manager. <strong>Due:</strong> 1 July 2026.</li>"
        )),
        "{june}"
    );
    assert!(
        june.contains(&format!(
            "<li><a href=\"{BASE}actions/b-7/\">B-7</a>: Draft a night-time economy charter. <strong>Owner:</strong> Licensing Team.</li>"
        )),
        "an action without a due date: {june}"
    );
    // Decisions and actions come before the minutes, which can be long.
    let order: Vec<usize> = [
        "<h2>Agenda</h2>",
        "<h2>Decisions</h2>",
        "<h2>Actions</h2>",
        "<h2>Minutes</h2>",
    ]
    .iter()
    .map(|h| june.find(h).unwrap_or_else(|| panic!("no {h}: {june}")))
    .collect();
    assert!(order.is_sorted(), "{june}");
    assert!(
        !june.contains("Progress on actions"),
        "nothing was reported at it"
    );

    let september = feed_entry(&site, "meetings/board-2026-09-10/");
    assert!(
        september.contains(&format!(
            "<h2>Progress on actions</h2>\n<ul>\n<li><a href=\"{BASE}actions/a-1/\">A-1</a> (Circulate the revised plan to partners): now done. Sent to all partners on 20 June.</li>\n"
        )),
        "reported as a-1, shown as the register writes it: {september}"
    );
    assert!(september.contains("<li>Approved the minutes of 11 June 2026 as a correct record. <em>(item 1, Minutes of the last meeting)</em></li>"));
}

#[test]
fn an_updates_feed_entry_gives_the_progress_it_reports() {
    let site = SiteTest::new("governance/record").built();
    let update = feed_entry(&site, "updates/progress-2026-10-20/");
    assert!(
        update.contains(&format!(
            "<h2>Progress on actions</h2>\n<ul>\n<li><a href=\"{BASE}actions/a-2/\">A-2</a> (Map youth provision, street by street, across the county): now in progress. Half of the county is mapped.</li>\n</ul>\n<p>Work on the plan goes on.</p>"
        )),
        "{update}"
    );
}

// ---- Search ----------------------------------------------------------------------------------

/// Every document of the search index, in order.
fn search_docs(site: &SiteTest) -> Vec<serde_json::Value> {
    let manifest = site.json("search/manifest.json");
    let count = manifest["docs"].as_u64().expect("a count") as usize;
    let chunk = manifest["chunk"].as_u64().expect("a chunk size") as usize;
    let mut docs = Vec::new();
    for n in 0..count.div_ceil(chunk) {
        let part = site.json(&format!("search/docs/{n}.json"));
        docs.extend(part.as_array().expect("an array").clone());
    }
    assert_eq!(docs.len(), count);
    docs
}

/// The addresses of the documents holding `word`, as the index's shards list them.
fn found(site: &SiteTest, docs: &[serde_json::Value], word: &str) -> Vec<String> {
    let manifest = site.json("search/manifest.json");
    let key = manifest["shards"]
        .as_array()
        .expect("shards")
        .iter()
        .filter_map(|s| s.as_str())
        .filter(|k| word.starts_with(k))
        .max_by_key(|k| k.len())
        .unwrap_or_else(|| panic!("no shard for {word}"))
        .to_string();
    let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
    let shard = site.json(&format!("search/terms/{hex}.json"));
    let postings = shard[word].as_array().cloned().unwrap_or_default();
    let mut doc = 0;
    postings
        .chunks(2)
        .map(|pair| {
            doc += pair[0].as_u64().expect("a gap") as usize;
            docs[doc]["u"].as_str().expect("a URL").to_string()
        })
        .collect()
}

#[test]
fn each_action_is_a_search_document_leading_to_its_page() {
    let site = SiteTest::new("governance/record").built();
    let docs = search_docs(&site);
    let actions: Vec<&serde_json::Value> = docs.iter().filter(|d| d["k"] == "action").collect();
    let urls: Vec<&str> = actions.iter().filter_map(|d| d["u"].as_str()).collect();
    assert_eq!(
        urls,
        [
            "/community-safety/actions/a-3/",
            "/community-safety/actions/a-2/",
            "/community-safety/actions/a-5/",
            "/community-safety/actions/a-6/",
            "/community-safety/actions/a-1/",
            "/community-safety/actions/b-7/",
        ],
        "in register order"
    );
    for url in &urls {
        let page = format!("{}index.html", url.trim_start_matches("/community-safety/"));
        assert!(site.exists(&page), "{url} is the action's page");
    }
    let a3 = actions[0];
    assert_eq!(
        a3["t"],
        "A-3: Commission a survey of residents' views on night-time safety in every town centre, with the results reported to the board"
    );
    assert_eq!(a3["d"], "30 September 2026");
    assert_eq!(a3["s"], "Open, overdue");
    assert_eq!(
        a3["x"],
        "Owner: Police and Crime Commissioner's office. Due 30 September 2026. Raised at Partnership board, 11 June 2026."
    );
    let a2 = actions[1];
    assert_eq!(a2["s"], "In progress");
    assert_eq!(
        a2["x"],
        "Owner: Youth Service. Due 31 December 2026. Raised at Partnership board, 11 June 2026. Latest: Half of the county is mapped."
    );
    let b7 = actions[5];
    assert_eq!(b7["s"], "Dropped");
    assert!(b7["d"].is_null(), "no due date");

    // Found by its words, its owner and its progress notes.
    for word in ["survey", "commissioner"] {
        assert_eq!(
            found(&site, &docs, word),
            ["/community-safety/actions/a-3/"],
            "{word}"
        );
    }
    assert!(
        found(&site, &docs, "licensing").contains(&"/community-safety/actions/b-7/".to_string())
    );
    assert_eq!(
        found(&site, &docs, "mapped"),
        ["/community-safety/actions/a-2/"]
    );
}

#[test]
fn a_decision_is_found_on_the_meeting_that_took_it() {
    let site = SiteTest::new("governance/record").built();
    let docs = search_docs(&site);
    // Only in a decision of the September meeting.
    assert_eq!(
        found(&site, &docs, "incidents"),
        ["/community-safety/meetings/board-2026-09-10/"]
    );
    assert!(
        docs.iter().all(|d| d["k"] != "decision"),
        "decisions are read on their meeting's page"
    );
}
