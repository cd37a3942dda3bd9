//! Atom feeds, read back with feed-rs and checked against RFC 4287 on the XML itself: the site
//! feed, priority and tag feeds, full text with absolute links, drafts, and a site with no news.

use std::collections::{BTreeMap, BTreeSet};

use crate::calendar::{assert_folded, parse_calendar, value};
use crate::metadata::json_ld;
use crate::site_test::{Page, SiteTest};

const BASE: &str = "https://example.org/community-safety/";

fn parse_feed(text: &str) -> feed_rs::model::Feed {
    let feed = feed_rs::parser::parse(text.as_bytes()).expect("feed-rs reads the feed");
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    feed
}

fn entry_ids(feed: &feed_rs::model::Feed) -> Vec<&str> {
    feed.entries.iter().map(|e| e.id.as_str()).collect()
}

/// The elements RFC 4287 requires, checked on the XML itself: feed-rs forgives their absence.
fn assert_rfc4287(text: &str, base: &str) {
    let document = roxmltree::Document::parse(text).expect("well-formed XML");
    let feed = document.root_element();
    let atom = "http://www.w3.org/2005/Atom";
    assert_eq!(feed.tag_name().namespace(), Some(atom));
    assert_eq!(feed.tag_name().name(), "feed");
    let count = |node: roxmltree::Node, name: &str| {
        node.children()
            .filter(|c| c.tag_name().name() == name && c.tag_name().namespace() == Some(atom))
            .count()
    };
    let rfc3339 = |value: &str| {
        let b = value.as_bytes();
        value.len() >= 20
            && b[4] == b'-'
            && b[7] == b'-'
            && b[10] == b'T'
            && b[13] == b':'
            && (value.ends_with('Z') || value[19..].starts_with(['+', '-']))
    };
    for name in ["id", "title", "updated", "author"] {
        assert_eq!(count(feed, name), 1, "feed needs one <{name}>");
    }
    let self_links = feed
        .children()
        .filter(|c| c.tag_name().name() == "link" && c.attribute("rel") == Some("self"));
    assert_eq!(self_links.count(), 1);
    for node in document
        .descendants()
        .filter(|n| n.tag_name().name() == "updated")
    {
        let value = node.text().unwrap_or("");
        assert!(rfc3339(value), "not an RFC 3339 date: {value}");
    }
    for entry in feed.children().filter(|c| c.tag_name().name() == "entry") {
        for name in ["id", "title", "updated", "content"] {
            assert_eq!(count(entry, name), 1, "entry needs one <{name}>");
        }
        let alternate = entry
            .children()
            .find(|c| c.tag_name().name() == "link" && c.attribute("rel") == Some("alternate"))
            .expect("entry has an alternate link");
        assert!(alternate.attribute("href").unwrap().starts_with(base));
    }
}

#[test]
fn site_feed_holds_updates_and_held_meetings_only() {
    let site = SiteTest::new("feeds/news").built();
    let text = site.read("atom.xml");
    assert_rfc4287(&text, BASE);
    let feed = parse_feed(&text);
    assert_eq!(feed.id, format!("{BASE}atom.xml"));
    // Newest first; no drafts, no cancelled meeting, no meeting still to come.
    assert_eq!(
        entry_ids(&feed),
        vec![
            format!("{BASE}updates/progress-2020-09/"),
            format!("{BASE}meetings/board-2020-07-16/"),
            format!("{BASE}updates/plan-2020-02/"),
            format!("{BASE}meetings/board-2020-01-16/"),
            format!("{BASE}meetings/board-2019-03-11/"),
        ]
    );
    assert_eq!(
        feed.updated.unwrap().to_rfc3339(),
        "2020-09-24T00:00:00+00:00"
    );
    assert!(text.contains("<updated>2020-09-24T00:00:00Z</updated>"));
    // A meeting's time is its London wall-clock time: BST in July, GMT in January.
    assert!(text.contains("<updated>2020-07-16T10:00:00+01:00</updated>"));
    assert!(text.contains("<updated>2020-01-16T14:30:00+00:00</updated>"));
    assert!(text.contains("<updated>2019-03-11T00:00:00Z</updated>"));
}

#[test]
fn feed_entries_carry_full_text_with_absolute_links() {
    let site = SiteTest::new("feeds/news").built();
    let feed = parse_feed(&site.read("atom.xml"));
    let meeting = feed
        .entries
        .iter()
        .find(|e| e.id.ends_with("meetings/board-2020-07-16/"))
        .unwrap();
    assert_eq!(
        meeting.title.as_ref().unwrap().content,
        "Partnership board, 16 July 2020"
    );
    let body = meeting.content.as_ref().unwrap().body.as_ref().unwrap();
    assert!(body.contains("county lines arrests rose"), "{body}");
    assert!(body.contains(&format!("href=\"{BASE}priorities/serious-violence/\"")));
    assert!(body.contains(&format!(
        "href=\"{BASE}meetings/papers/report-2020-07.pdf\""
    )));
    assert!(body.contains(&format!("src=\"{BASE}meetings/papers/chart.png\"")));
    let html = Page::fragment("the feed entry", body);
    for element in html.select("[href], [src]") {
        let url = element
            .value()
            .attr("href")
            .or(element.value().attr("src"))
            .unwrap();
        assert!(
            url.starts_with("https://") || url.starts_with("mailto:"),
            "relative link in feed: {url}"
        );
    }
    let terms: Vec<&str> = meeting.categories.iter().map(|c| c.term.as_str()).collect();
    assert_eq!(terms, vec!["quarterly-review", "young-people"]);
}

#[test]
fn priority_and_tag_feeds_follow_their_pages() {
    let site = SiteTest::new("feeds/news").built();
    let text = site.read("priorities/serious-violence/atom.xml");
    assert_rfc4287(&text, BASE);
    let feed = parse_feed(&text);
    assert_eq!(
        entry_ids(&feed),
        vec![
            format!("{BASE}updates/progress-2020-09/"),
            format!("{BASE}updates/plan-2020-02/"),
            format!("{BASE}meetings/board-2019-03-11/"),
        ]
    );
    let county = parse_feed(&site.read("priorities/county-lines/atom.xml"));
    // The status change names county lines; the meeting still to come is not in a feed.
    assert_eq!(
        entry_ids(&county),
        vec![
            format!("{BASE}updates/progress-2020-09/"),
            format!("{BASE}meetings/board-2020-07-16/"),
        ]
    );
    let tag = parse_feed(&site.read("tags/young-people/atom.xml"));
    assert_eq!(
        entry_ids(&tag),
        vec![
            format!("{BASE}updates/progress-2020-09/"),
            format!("{BASE}meetings/board-2020-07-16/"),
        ]
    );
    // A tag on priorities only still gets a valid, empty feed.
    let text = site.read("tags/serious-violence/atom.xml");
    assert_rfc4287(&text, BASE);
    assert!(parse_feed(&text).entries.is_empty());
}

#[test]
fn pages_link_to_their_feeds() {
    let site = SiteTest::new("feeds/news").built();
    let alternates = |path: &str| -> Vec<(String, String)> {
        let html = site.page(path);
        html.select("link[rel=alternate]")
            .iter()
            .map(|l| {
                (
                    l.value().attr("type").unwrap().to_string(),
                    l.value().attr("href").unwrap().to_string(),
                )
            })
            .collect()
    };
    let atom = "application/atom+xml".to_string();
    let home = alternates("index.html");
    assert!(home.contains(&(atom.clone(), format!("{BASE}atom.xml"))));
    assert!(home.contains(&("text/calendar".into(), format!("{BASE}meetings.ics"))));
    let priority = alternates("priorities/county-lines/index.html");
    assert_eq!(
        priority[0],
        (
            atom.clone(),
            format!("{BASE}priorities/county-lines/atom.xml")
        )
    );
    let tag = alternates("tags/young-people/index.html");
    assert_eq!(tag[0], (atom, format!("{BASE}tags/young-people/atom.xml")));
}

#[test]
fn drafts_appear_only_when_asked_for() {
    let site = SiteTest::new("feeds/news");
    site.build_with(&["--drafts"]);
    let calendar = parse_calendar(&site.read("meetings.ics"));
    assert_eq!(calendar.events.len(), 6);
    let feed = parse_feed(&site.read("atom.xml"));
    let ids = entry_ids(&feed);
    assert!(ids.contains(&format!("{BASE}meetings/board-2020-10-01/").as_str()));
    assert!(ids.contains(&format!("{BASE}updates/unfinished/").as_str()));
}

#[test]
fn a_new_site_without_meetings_or_updates_has_a_valid_feed_and_calendar() {
    let site = SiteTest::new("feeds/news")
        .without("content/meetings")
        .without("content/updates")
        .file(
            "content/priorities/serious-violence.md",
            "---\ntitle: Reducing serious violence\nnumber: 2\nstatus: at-risk\n---\nNo meetings yet.\n",
        )
        .built();
    let text = site.read("atom.xml");
    assert_rfc4287(&text, BASE);
    assert!(parse_feed(&text).entries.is_empty());
    // With no news yet, the feed dates from the newest date in the content.
    assert!(text.contains("<updated>2020-09-24T00:00:00Z</updated>"));
    let text = site.read("meetings.ics");
    assert_folded(&text);
    let calendar = parse_calendar(&text);
    assert!(calendar.events.is_empty());
    assert_eq!(
        calendar.timezones.len(),
        1,
        "a calendar holds at least one component"
    );
}

#[test]
fn sample_site_publishes_feeds_calendar_and_sitemap_that_parse() {
    // The bundled sample site's breadth: seven meetings of every kind, three updates.
    let site = SiteTest::new("theme/sample-site").built();
    let base = "https://example.org/";
    let text = site.read("atom.xml");
    assert_rfc4287(&text, base);
    let feed = parse_feed(&text);
    let ids = entry_ids(&feed);
    // Three updates and five held meetings; the cancelled and the future meeting are not news.
    assert_eq!(ids.len(), 8, "{ids:?}");
    assert!(!ids.contains(&"https://example.org/meetings/hcssg-2020-04-16/"));
    assert!(!ids.contains(&"https://example.org/meetings/hcssg-2027-01-21/"));
    for priority in site
        .output_paths()
        .iter()
        .filter(|f| f.ends_with("atom.xml"))
    {
        assert_rfc4287(&site.read(priority), base);
    }

    let text = site.read("meetings.ics");
    assert_folded(&text);
    let calendar = parse_calendar(&text);
    let status: BTreeMap<String, String> = calendar
        .events
        .iter()
        .map(|e| (value(&e.properties, "UID"), value(&e.properties, "STATUS")))
        .collect();
    assert_eq!(status.len(), 7);
    assert_eq!(status["hcssg-2020-04-16@example.org"], "CANCELLED");
    assert_eq!(status["hcssg-2020-07-16@example.org"], "CONFIRMED");
    assert!(site.exists("meetings/hcssg-2027-01-21/hcssg-2027-01-21.ics"));

    let sitemap = site.read("sitemap.xml");
    let document = roxmltree::Document::parse(&sitemap).unwrap();
    let listed: BTreeSet<String> = document
        .descendants()
        .filter(|n| n.tag_name().name() == "loc")
        .map(|n| n.text().unwrap().to_string())
        .collect();
    let pages: BTreeSet<String> = site
        .output_paths()
        .into_iter()
        .filter(|p| p.ends_with("index.html"))
        .map(|p| format!("{base}{}", p.strip_suffix("index.html").unwrap()))
        .collect();
    assert_eq!(listed, pages);
    let event = json_ld(&site, "meetings/hcssg-2020-04-16/index.html");
    assert_eq!(event["eventStatus"], "https://schema.org/EventCancelled");
}
