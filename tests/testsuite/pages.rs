//! The pages residents read: priority timelines and status history, the meetings index,
//! drafts and tag pages, each on a fixture site made for it.

use std::collections::BTreeSet;

use crate::site_test::{Page, SiteTest, text_of};

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
                agenda_items: li.select(&selector).map(text_of).collect(),
                status_change: one("p > strong.status").map(text_of),
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
    let site = SiteTest::new("pages/timeline");
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
    // The whole <main> of the page, as expected/priorities/county-lines/index.html holds it.
    site.check_all_main_files();
}

#[test]
fn priority_page_shows_status_history_oldest_first() {
    let site = SiteTest::new("pages/timeline");
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
    let site = SiteTest::new("pages/timeline");
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
        let text = text_of(element);
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
    let site = SiteTest::new("pages/meetings-index");
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
    site.check_main_file("meetings/index.html");
}

/// Eight meetings called "Board" must not give eight links that all say "Board" (WCAG 2.4.4):
/// each link's text names its date.
#[test]
fn meeting_links_say_which_meeting_they_lead_to() {
    let site = SiteTest::new("pages/meetings-index");
    site.build();
    let links = site.page("meetings/").texts(".event-body > a");
    assert_eq!(
        links,
        [
            "Board, 23 November 2026",
            "Board, 10 December 2026",
            "Board, 14 January 2027",
            "Board, 9 July 2026",
            "Board, 12 February 2026",
            "Board, 11 September 2025",
            "Board, 6 March 2025",
            "Board, 2 May 2024",
        ]
    );
    assert_eq!(
        site.page("")
            .texts("section[aria-labelledby=meetings-heading] .event-body > a"),
        [
            "Board, 23 November 2026",
            "Board, 10 December 2026",
            "Board, 14 January 2027"
        ]
    );
}

#[test]
fn future_meetings_are_published_and_cancelled_ones_say_so() {
    let site = SiteTest::new("pages/meetings-index");
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
    // A held meeting whose minutes are not written yet says so, under the same heading.
    assert_eq!(second_heading("meetings/2025-03-06-board/"), "Minutes");
    assert_eq!(
        site.page("meetings/2025-03-06-board/")
            .text(".minutes-to-follow"),
        "Minutes to follow."
    );
    // A cancelled meeting's note says why, never under "Minutes".
    assert_eq!(
        second_heading("meetings/2026-07-09-board/"),
        "Why it was cancelled"
    );
    assert_eq!(
        site.page("meetings/2026-07-09-board/").text(".prose"),
        "About the Board of 2026-07-09."
    );

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
    let site = SiteTest::new("pages/drafts");
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
        ["/about/", "/accessibility/", "/tags/", "/data/"],
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
    let site = SiteTest::new("pages/drafts");
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
    let site = SiteTest::new("pages/draft-link");
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

// ---- Tags --------------------------------------------------------------------------------------

#[test]
fn tag_pages_list_exactly_the_tagged_items() {
    let site = SiteTest::new("pages/tags");
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
            "Meeting: March board, 5 March 2026 5 March 2026",
            "Update: Spring progress 1 June 2026",
        ]
    );
    assert_eq!(items("county-lines"), ["Priority: Tackling county lines"]);
    assert_eq!(
        items("knife-crime"),
        ["Meeting: April board, 16 April 2026 16 April 2026"]
    );
    assert_eq!(
        site.page("tags/").texts("main li"),
        ["County Lines (1)", "Knife Crime (1)", "Young People (4)"]
    );
}

#[test]
fn tags_differing_in_case_or_punctuation_are_one_tag() {
    let site = SiteTest::new("pages/tags");
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

/// The home page's own text (`content/_index.md`) comes first, under the heading and before
/// the dashboard, as docs/content.md says.
#[test]
fn the_home_page_text_comes_before_the_dashboard() {
    let site = SiteTest::new("build/whole-site");
    site.build();
    let home = site.page("");
    let blocks: Vec<String> = home
        .select("main > *")
        .into_iter()
        .map(|e| {
            let class = e.value().attr("class").unwrap_or_default();
            format!("{}.{class}", e.value().name())
        })
        .collect();
    assert_eq!(
        blocks[..3],
        ["div.hero", "div.prose intro", "section.dashboard"]
    );
    assert!(home.text(".intro").starts_with("Read about county lines"));
}

// ---- The governance record -----------------------------------------------------------------

/// Each action card on a page: its id, its status words and its owner.
fn action_cards(page: &Page, within: &str) -> Vec<(String, String, String)> {
    page.select(&format!("{within} li.action"))
        .into_iter()
        .map(|card| {
            let card = Page::from_element(card);
            (
                card.text(".action-id"),
                card.texts("dd .status").join(" "),
                card.texts("dt + dd")[0].clone(),
            )
        })
        .collect()
}

fn card(id: &str, status: &str, owner: &str) -> (String, String, String) {
    (id.into(), status.into(), owner.into())
}

#[test]
fn the_action_register_lists_overdue_then_open_then_closed() {
    let site = SiteTest::new("pages/governance-record");
    site.build();
    let register = site.page("actions/");
    assert_eq!(
        register.texts("main h2"),
        ["Overdue", "Open and in progress", "Done and dropped"]
    );
    assert_eq!(
        action_cards(&register, "main"),
        [
            card("A-4", "Open Overdue", "Chair"),
            card("A-2", "Open", "Council"),
            card("A-1", "Done", "Police"),
            card("A-3", "Done", "Police"),
        ]
    );
    assert_eq!(
        register.text(".action-counts"),
        "4 actions: 1 overdue, 2 open or in progress, 2 done, 0 dropped"
    );
    // Every mention of an action leads to its own page, named by its id in lower case.
    assert_eq!(
        register.attrs(".action-title a", "href"),
        [
            "/actions/a-4/",
            "/actions/a-2/",
            "/actions/a-1/",
            "/actions/a-3/"
        ]
    );
    assert_eq!(
        register
            .attrs("nav[aria-label=Main] a", "href")
            .last()
            .map(String::as_str),
        Some("/actions/")
    );
}

#[test]
fn an_actions_page_gives_its_whole_history() {
    let site = SiteTest::new("pages/governance-record");
    site.build();
    let page = site.page("actions/a-1/");
    assert_eq!(page.text("h1"), "Publish the plan");
    assert_eq!(page.text(".caption"), "Action A-1");
    assert_eq!(
        page.texts(".action-history > li"),
        [
            "5 March 2026: agreed at Board",
            "4 June 2026: In progress reported in the meeting Board Drafted.",
            "1 July 2026: Done reported in the update Summer progress Published on 1 July.",
        ]
    );
    assert_eq!(
        page.attrs(".action-history a", "href"),
        [
            "/meetings/2026-03-05-board/",
            "/meetings/2026-06-04-board/",
            "/updates/2026-07-01-progress/"
        ]
    );
}

#[test]
fn a_meeting_page_shows_its_record_and_carries_open_actions_forward() {
    let site = SiteTest::new("pages/governance-record");
    site.build();
    let first = site.page("meetings/2026-03-05-board/");
    assert_eq!(
        first.text(".minutes-status"),
        "Approved as a correct record at the meeting on 4 June 2026"
    );
    assert_eq!(
        first.attrs(".minutes-status a", "href"),
        ["/meetings/2026-06-04-board/"]
    );
    assert_eq!(
        first.texts(".attendance dt"),
        ["Present", "Apologies", "In attendance"]
    );
    assert_eq!(
        first.texts(".attendance li"),
        [
            "Chief Executive (chair)",
            "Police",
            "Public Health",
            "Community Safety Manager (minutes)"
        ]
    );
    assert_eq!(
        first.texts(".declarations li"),
        ["Councillor A. Smith, on item 2 (County lines update): Trustee of a youth charity"]
    );
    assert_eq!(
        first.texts(".agenda .outcome-decisions li"),
        ["Agreed the knife crime plan.", "Noted the update."]
    );
    assert_eq!(
        action_cards(&first, ".agenda"),
        [
            card("A-1", "Done", "Police"),
            card("A-2", "Open", "Council"),
            card("A-3", "Done", "Police"),
        ]
    );
    assert!(first.select(".matters-arising").is_empty());

    // The next meeting carries forward everything still open on its date, and records what
    // it heard; the editor copied nothing.
    let second = site.page("meetings/2026-06-04-board/");
    assert_eq!(
        second.text(".minutes-status"),
        "Draft minutes: not yet approved"
    );
    let arising: Vec<Vec<String>> = second
        .select(".matters-arising > li")
        .into_iter()
        .map(|li| Page::from_element(li).texts("dd"))
        .collect();
    assert_eq!(
        arising,
        [
            vec![
                "Police",
                "30 April 2026",
                "Board, 5 March 2026",
                "Open",
                "In progress Drafted.",
                "Done"
            ],
            vec![
                "Council",
                "31 December 2026",
                "Board, 5 March 2026",
                "Open",
                "Open"
            ],
            vec![
                "Police",
                "No date set",
                "Board, 5 March 2026",
                "Open",
                "Done Mapped.",
                "Done"
            ],
        ]
    );

    // A meeting still to come lists what is open now: not the done ones.
    let next = site.page("meetings/2026-12-10-board/");
    assert_eq!(next.texts(".matters-arising .action-id"), ["A-2", "A-4"]);
    assert!(next.select(".minutes-status").is_empty());
}

#[test]
fn decisions_are_listed_newest_first_with_their_meeting_and_item() {
    let site = SiteTest::new("pages/governance-record");
    site.build();
    let decisions = site.page("decisions/");
    assert_eq!(
        decisions.texts(".decision"),
        [
            "Agreed the knife crime plan. Board, 5 March 2026, item 1: Knife crime plan Priority 1: Reducing knife crime",
            "Noted the update. Board, 5 March 2026, item 2: County lines update Priority 2: Tackling county lines",
        ]
    );
}

#[test]
fn priority_pages_and_the_home_page_count_open_and_overdue_actions() {
    let site = SiteTest::new("pages/governance-record");
    site.build();
    let home = site.page("");
    assert_eq!(
        home.texts(".card-actions"),
        ["1 open action, 1 overdue", "1 open action, none overdue"]
    );
    let knife = site.page("priorities/knife-crime/");
    assert_eq!(
        knife.texts(".summary-row dd")[1],
        "1 open action, 1 overdue (all actions)"
    );
    // The meeting that agreed actions for the priority shows them in its timeline, with their
    // decisions; an action for another priority appears on that priority's timeline.
    let knife_timeline = knife.texts(".timeline .action-id");
    assert_eq!(knife_timeline, ["A-4", "A-1"]);
    let county = site.page("priorities/county-lines/");
    assert_eq!(county.texts(".timeline .action-id"), ["A-2", "A-3"]);
    assert_eq!(
        county.texts(".timeline .outcome-decisions li"),
        ["Noted the update."]
    );
}

/// The register, each action's page, the meeting that agreed it and its priority's timeline
/// say the same about every action.
#[test]
fn every_page_agrees_on_each_actions_status() {
    let site = SiteTest::new("pages/governance-record");
    site.build();
    let statuses = |page: &Page, within: &str| -> Vec<(String, String)> {
        action_cards(page, within)
            .into_iter()
            .map(|(id, status, _)| (id, status))
            .collect()
    };
    let mut register = statuses(&site.page("actions/"), "main");
    register.sort();
    let mut on_meetings = Vec::new();
    for meeting in ["meetings/2026-03-05-board/", "meetings/2026-06-04-board/"] {
        on_meetings.extend(statuses(&site.page(meeting), ".agenda"));
    }
    on_meetings.sort();
    let mut on_priorities = Vec::new();
    for priority in ["priorities/knife-crime/", "priorities/county-lines/"] {
        on_priorities.extend(statuses(&site.page(priority), ".timeline"));
    }
    on_priorities.sort();
    let on_own_pages: Vec<(String, String)> = register
        .iter()
        .map(|(id, _)| {
            let page = site.page(&format!("actions/{}/", id.to_lowercase()));
            (id.clone(), page.texts(".summary-list dd .status").join(" "))
        })
        .collect();
    assert_eq!(on_meetings, register);
    assert_eq!(on_priorities, register);
    assert_eq!(on_own_pages, register);
}

/// Actions without any decision: the register is written and links to no decisions page.
#[test]
fn a_register_without_decisions_links_to_none() {
    let file = "content/meetings/2026-03-05-board.md";
    let site = SiteTest::new("pages/governance-record");
    let text = std::fs::read_to_string(site.root.join(file)).unwrap();
    let without: String = text
        .lines()
        .filter(|l| {
            !l.contains("decisions:") && !l.contains("- Agreed the") && !l.contains("- Noted the")
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let site = site.file(file, without);
    site.build();
    let register = site.page("actions/");
    assert!(register.select("a[href='/decisions/']").is_empty());
    assert!(!site.output_paths().contains("decisions/index.html"));
}
