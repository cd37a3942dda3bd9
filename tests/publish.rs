//! Publishing: feeds, calendars, structured data, sitemap, hosting under a sub-path, hashed
//! theme files, minified output and the link check, on the fixture sites in
//! tests/fixtures/publish/. Feeds and calendars are read back with real parsers (feed-rs, ical),
//! XML with roxmltree and HTML with scraper.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use scraper::{Html, Selector};
use tempfile::TempDir;
use waymark::BuildOptions;
use waymark::values::Date;

const BASE: &str = "https://example.org/community-safety/";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/publish")
        .join(name)
}

fn today() -> Date {
    Date::parse("2024-06-01").unwrap()
}

/// A built site in a temporary folder.
struct Built {
    _dir: TempDir,
    out: PathBuf,
}

impl Built {
    fn read(&self, path: &str) -> String {
        fs::read_to_string(self.out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn exists(&self, path: &str) -> bool {
        self.out.join(path).is_file()
    }

    /// Every file written, relative to the output folder.
    fn files(&self) -> BTreeSet<String> {
        walkdir::WalkDir::new(&self.out)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&self.out)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect()
    }

    fn html(&self, path: &str) -> Html {
        Html::parse_document(&self.read(path))
    }
}

fn build_with(root: &Path, base_url: Option<&str>, include_drafts: bool) -> Built {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let options = BuildOptions {
        root: root.to_path_buf(),
        base_url: base_url.map(str::to_string),
        include_drafts,
        today: today(),
        minify: true,
        deny_warnings: false,
    };
    if let Err(error) = waymark::build(&options, &out) {
        panic!("build failed: {error:?}");
    }
    Built { _dir: dir, out }
}

fn build(name: &str) -> Built {
    build_with(&fixture(name), None, false)
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

fn attr(html: &Html, css: &str, name: &str) -> Option<String> {
    select(html, css)
        .first()
        .and_then(|e| e.value().attr(name))
        .map(str::to_string)
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

// ---- Feeds ----------------------------------------------------------------------------------

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
    let site = build("subpath");
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
    let site = build("subpath");
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
    let html = Html::parse_fragment(body);
    for element in select(&html, "[href], [src]") {
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
    let site = build("subpath");
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
    let site = build("subpath");
    let alternates = |path: &str| -> Vec<(String, String)> {
        let html = site.html(path);
        select(&html, "link[rel=alternate]")
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

// ---- Calendars ------------------------------------------------------------------------------

fn parse_calendar(text: &str) -> ical::parser::ical::component::IcalCalendar {
    let mut calendars = ical::IcalParser::new(BufReader::new(text.as_bytes()));
    let calendar = calendars
        .next()
        .expect("one calendar")
        .expect("ical reads it");
    assert!(calendars.next().is_none());
    calendar
}

fn property<'a>(
    properties: &'a [ical::property::Property],
    name: &str,
) -> Option<&'a ical::property::Property> {
    properties.iter().find(|p| p.name == name)
}

fn value(properties: &[ical::property::Property], name: &str) -> String {
    property(properties, name)
        .and_then(|p| p.value.clone())
        .unwrap_or_else(|| panic!("no {name}"))
}

fn param(properties: &[ical::property::Property], name: &str, param: &str) -> Option<String> {
    property(properties, name)?
        .params
        .as_ref()?
        .iter()
        .find(|(n, _)| n == param)
        .map(|(_, v)| v.join(","))
}

/// RFC 5545 TEXT unescaping.
fn unescape(text: &str) -> String {
    text.replace("\\n", "\n")
        .replace("\\,", ",")
        .replace("\\;", ";")
        .replace("\\\\", "\\")
}

/// Every line ends in CRLF and is at most 75 bytes long.
fn assert_folded(text: &str) {
    assert!(text.ends_with("\r\n"));
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{} bytes: {line:?}", line.len());
        assert!(!line.contains('\n') && !line.contains('\r'));
    }
}

#[test]
fn meetings_calendar_has_one_event_per_meeting() {
    let site = build("subpath");
    let text = site.read("meetings.ics");
    assert_folded(&text);
    let calendar = parse_calendar(&text);
    assert_eq!(value(&calendar.properties, "VERSION"), "2.0");
    assert_eq!(value(&calendar.properties, "METHOD"), "PUBLISH");
    let events: BTreeMap<String, &ical::parser::ical::component::IcalEvent> = calendar
        .events
        .iter()
        .map(|e| (value(&e.properties, "UID"), e))
        .collect();
    let uids: Vec<&str> = events.keys().map(String::as_str).collect();
    assert_eq!(
        uids,
        vec![
            "board-2019-03-11@example.org/community-safety",
            "board-2020-01-16@example.org/community-safety",
            "board-2020-04-16@example.org/community-safety",
            "board-2020-07-16@example.org/community-safety",
            "board-2099-01-21@example.org/community-safety",
        ],
        "one event per published meeting; the draft is left out"
    );
    let july = &events["board-2020-07-16@example.org/community-safety"].properties;
    assert_eq!(value(july, "DTSTART"), "20200716T100000");
    assert_eq!(
        param(july, "DTSTART", "TZID").as_deref(),
        Some("Europe/London")
    );
    assert_eq!(
        unescape(&value(july, "LOCATION")),
        "Council Chamber, Town Hall; Main Street"
    );
    assert_eq!(value(july, "STATUS"), "CONFIRMED");
    assert_eq!(
        value(july, "URL"),
        format!("{BASE}meetings/board-2020-07-16/")
    );
    assert_eq!(value(july, "SUMMARY"), "Partnership board");
    assert!(unescape(&value(july, "DESCRIPTION")).contains("1. County lines: progress report\n"));

    let cancelled = &events["board-2020-04-16@example.org/community-safety"].properties;
    assert_eq!(value(cancelled, "STATUS"), "CANCELLED");

    let all_day = &events["board-2019-03-11@example.org/community-safety"].properties;
    assert_eq!(value(all_day, "DTSTART"), "20190311");
    assert_eq!(param(all_day, "DTSTART", "VALUE").as_deref(), Some("DATE"));
    assert_eq!(value(all_day, "DTEND"), "20190312");
    assert_eq!(
        unescape(&value(all_day, "LOCATION")),
        "The Very Long Named Community Hall and Conference Centre, 123 Extremely Long Road Name, Testshire, TS1 1AA"
    );
    for event in events.values() {
        assert!(value(&event.properties, "DTSTAMP").ends_with('Z'));
    }
}

#[test]
fn calendar_describes_london_time_with_a_vtimezone() {
    let site = build("subpath");
    let calendar = parse_calendar(&site.read("meetings.ics"));
    assert_eq!(calendar.timezones.len(), 1);
    let zone = &calendar.timezones[0];
    assert_eq!(value(&zone.properties, "TZID"), "Europe/London");
    let starts: Vec<(String, String, String)> = zone
        .transitions
        .iter()
        .map(|t| {
            (
                value(&t.properties, "DTSTART"),
                value(&t.properties, "TZOFFSETFROM"),
                value(&t.properties, "TZOFFSETTO"),
            )
        })
        .collect();
    // In force at the first timed meeting (January 2020: GMT since October 2019) …
    assert_eq!(
        starts[0],
        ("20191027T020000".into(), "+0100".into(), "+0000".into())
    );
    // … and covering the summer meeting, BST from 29 March 2020.
    assert!(starts.contains(&("20200329T010000".into(), "+0000".into(), "+0100".into())));
    // … through the last meeting, in 2099.
    assert!(starts.iter().any(|(start, _, _)| start.starts_with("2099")));
}

#[test]
fn only_meetings_still_to_come_offer_a_calendar_file() {
    let site = build("subpath");
    let path = "meetings/board-2099-01-21/board-2099-01-21.ics";
    let text = site.read(path);
    assert_folded(&text);
    let calendar = parse_calendar(&text);
    assert_eq!(calendar.events.len(), 1);
    assert_eq!(
        value(&calendar.events[0].properties, "DTSTART"),
        "20990121T180000"
    );
    let page = site.html("meetings/board-2099-01-21/index.html");
    assert_eq!(
        attr(&page, ".add-to-calendar a", "href").as_deref(),
        Some("/community-safety/meetings/board-2099-01-21/board-2099-01-21.ics")
    );
    assert!(!site.exists("meetings/board-2020-07-16/board-2020-07-16.ics"));
    let past = site.html("meetings/board-2020-07-16/index.html");
    assert!(select(&past, ".add-to-calendar").is_empty());
}

#[test]
fn drafts_appear_only_when_asked_for() {
    let site = build_with(&fixture("subpath"), None, true);
    let calendar = parse_calendar(&site.read("meetings.ics"));
    assert_eq!(calendar.events.len(), 6);
    let feed = parse_feed(&site.read("atom.xml"));
    let ids = entry_ids(&feed);
    assert!(ids.contains(&format!("{BASE}meetings/board-2020-10-01/").as_str()));
    assert!(ids.contains(&format!("{BASE}updates/unfinished/").as_str()));
}

#[test]
fn a_new_site_without_meetings_or_updates_has_a_valid_feed_and_calendar() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("subpath"), dir.path());
    fs::remove_dir_all(dir.path().join("content/meetings")).unwrap();
    fs::remove_dir_all(dir.path().join("content/updates")).unwrap();
    fs::write(
        dir.path().join("content/priorities/serious-violence.md"),
        "---\ntitle: Reducing serious violence\nnumber: 2\nstatus: at-risk\n---\nNo meetings yet.\n",
    )
    .unwrap();
    let site = build_with(dir.path(), None, false);
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
fn timezone_setting_moves_meeting_times() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("subpath"), dir.path());
    let config = dir.path().join("site.yaml");
    let text = fs::read_to_string(&config).unwrap() + "timezone: America/New_York\n";
    fs::write(&config, text).unwrap();
    let site = build_with(dir.path(), None, false);
    let calendar = parse_calendar(&site.read("meetings.ics"));
    assert_eq!(
        value(&calendar.timezones[0].properties, "TZID"),
        "America/New_York"
    );
    let july = calendar
        .events
        .iter()
        .find(|e| value(&e.properties, "UID").starts_with("board-2020-07-16"))
        .unwrap();
    assert_eq!(
        param(&july.properties, "DTSTART", "TZID").as_deref(),
        Some("America/New_York")
    );
    assert!(
        site.read("atom.xml")
            .contains("<updated>2020-07-16T10:00:00-04:00</updated>")
    );
}

// ---- Structured data and head -----------------------------------------------------------------

fn json_ld(site: &Built, path: &str) -> serde_json::Value {
    let html = site.html(path);
    let scripts = select(&html, "script[type=\"application/ld+json\"]");
    assert_eq!(scripts.len(), 1, "{path}");
    serde_json::from_str(&scripts[0].inner_html()).unwrap()
}

#[test]
fn meeting_pages_describe_an_event() {
    let site = build("subpath");
    let event = json_ld(&site, "meetings/board-2020-07-16/index.html");
    assert_eq!(event["@context"], "https://schema.org");
    assert_eq!(event["@type"], "Event");
    assert_eq!(event["name"], "Partnership board");
    assert_eq!(event["startDate"], "2020-07-16T10:00:00+01:00");
    assert_eq!(event["eventStatus"], "https://schema.org/EventScheduled");
    assert_eq!(event["location"]["@type"], "Place");
    assert_eq!(
        event["location"]["name"],
        "Council Chamber, Town Hall; Main Street"
    );
    assert_eq!(event["organizer"]["name"], "Testshire County Council");
    assert_eq!(event["url"], format!("{BASE}meetings/board-2020-07-16/"));
    let cancelled = json_ld(&site, "meetings/board-2020-04-16/index.html");
    assert_eq!(
        cancelled["eventStatus"],
        "https://schema.org/EventCancelled"
    );
    let all_day = json_ld(&site, "meetings/board-2019-03-11/index.html");
    assert_eq!(all_day["startDate"], "2019-03-11");
}

#[test]
fn home_page_describes_the_organisation() {
    let site = build("subpath");
    let organisation = json_ld(&site, "index.html");
    assert_eq!(organisation["@type"], "GovernmentOrganization");
    assert_eq!(organisation["name"], "Testshire County Council");
    assert_eq!(organisation["url"], BASE);
    assert_eq!(organisation["email"], "safety@example.org");
}

#[test]
fn every_page_has_description_opengraph_and_canonical_address() {
    let site = build("subpath");
    for path in site.files().iter().filter(|p| p.ends_with(".html")) {
        let html = site.html(path);
        let description = attr(&html, "meta[name=description]", "content").unwrap_or_default();
        assert!(
            description.len() > 20,
            "{path}: description {description:?}"
        );
        for property in ["og:title", "og:type", "og:description", "og:site_name"] {
            let selector = format!("meta[property=\"{property}\"]");
            assert!(
                attr(&html, &selector, "content").is_some(),
                "{path}: {property}"
            );
        }
        let canonical = attr(&html, "link[rel=canonical]", "href");
        if path == "404.html" {
            assert_eq!(canonical, None);
            assert_eq!(
                attr(&html, "meta[name=robots]", "content").as_deref(),
                Some("noindex")
            );
        } else {
            let expected = format!("{BASE}{}", path.strip_suffix("index.html").unwrap());
            assert_eq!(canonical.as_deref(), Some(expected.as_str()), "{path}");
            assert_eq!(
                attr(&html, "meta[property=\"og:url\"]", "content").as_deref(),
                Some(expected.as_str())
            );
        }
    }
    let priority = site.html("priorities/county-lines/index.html");
    assert_eq!(
        attr(&priority, "meta[name=description]", "content").as_deref(),
        Some(
            "Partners work together to disrupt county lines gangs & protect the children they exploit."
        )
    );
}

// ---- Sitemap and robots.txt -------------------------------------------------------------------

#[test]
fn sitemap_lists_every_page_and_nothing_else() {
    let site = build("subpath");
    let text = site.read("sitemap.xml");
    let document = roxmltree::Document::parse(&text).unwrap();
    let urlset = document.root_element();
    let namespace = Some("http://www.sitemaps.org/schemas/sitemap/0.9");
    assert_eq!(urlset.tag_name().name(), "urlset");
    assert_eq!(urlset.tag_name().namespace(), namespace);
    let mut listed = BTreeMap::new();
    for url in urlset.children().filter(|n| n.is_element()) {
        assert_eq!(url.tag_name().name(), "url");
        let children: Vec<_> = url.children().filter(|n| n.is_element()).collect();
        assert!(
            children
                .iter()
                .all(|c| c.tag_name().namespace() == namespace)
        );
        let names: Vec<&str> = children.iter().map(|c| c.tag_name().name()).collect();
        assert!(names == ["loc"] || names == ["loc", "lastmod"], "{names:?}");
        let loc = children[0].text().unwrap().to_string();
        assert!(loc.starts_with(BASE) && loc.len() < 2048);
        let lastmod = children.get(1).map(|c| c.text().unwrap().to_string());
        if let Some(date) = &lastmod {
            let date = Date::parse(date).expect("lastmod is a W3C date");
            assert!(date <= today(), "lastmod in the future: {date}");
        }
        assert!(listed.insert(loc, lastmod).is_none(), "listed twice");
    }
    let pages: BTreeSet<String> = site
        .files()
        .into_iter()
        .filter(|p| p.ends_with("index.html"))
        .map(|p| format!("{BASE}{}", p.strip_suffix("index.html").unwrap()))
        .collect();
    let listed_urls: BTreeSet<String> = listed.keys().cloned().collect();
    assert_eq!(listed_urls, pages);
    assert_eq!(
        listed[&format!("{BASE}meetings/board-2020-07-16/")].as_deref(),
        Some("2020-07-16")
    );
    assert_eq!(listed[&format!("{BASE}meetings/board-2099-01-21/")], None);
    assert_eq!(listed[BASE].as_deref(), Some("2020-09-24"));
    assert_eq!(
        listed[&format!("{BASE}priorities/county-lines/")].as_deref(),
        Some("2020-09-24")
    );
}

#[test]
fn robots_txt_points_to_the_sitemap() {
    let site = build("subpath");
    let robots = site.read("robots.txt");
    assert!(robots.contains("User-agent: *\n"));
    assert!(robots.contains(&format!("\nSitemap: {BASE}sitemap.xml\n")));
}

// ---- Hosting --------------------------------------------------------------------------------

/// Every URL in every HTML attribute, with the page it is on.
fn all_links(site: &Built) -> Vec<(String, String)> {
    let mut links = Vec::new();
    for path in site.files().iter().filter(|p| p.ends_with(".html")) {
        let html = site.html(path);
        for element in select(&html, "[href], [src]") {
            for name in ["href", "src"] {
                if let Some(url) = element.value().attr(name) {
                    links.push((path.clone(), url.to_string()));
                }
            }
        }
    }
    links
}

fn assert_stays_under(site: &Built, base: &str) {
    let path = &base[base[8..].find('/').unwrap() + 8..];
    let host = &base[..base.len() - path.len()];
    for (page, url) in all_links(site) {
        if url.starts_with('/') {
            assert!(url.starts_with(path), "{page}: {url} escapes {path}");
        } else if url.starts_with(host) || url.starts_with("webcal:") {
            let absolute = url.replacen("webcal://", "https://", 1);
            assert!(absolute.starts_with(base), "{page}: {url} escapes {base}");
        }
    }
    for file in site
        .files()
        .iter()
        .filter(|p| p.ends_with(".xml") || p.ends_with(".ics"))
    {
        let text = site.read(file).replace("\r\n ", "");
        for (at, _) in text.match_indices(host) {
            assert!(
                text[at..].starts_with(base),
                "{file}: {}",
                &text[at..at + 60]
            );
        }
    }
}

#[test]
fn sub_path_links_never_escape_the_base_path() {
    let site = build("subpath");
    assert_stays_under(&site, BASE);
    let home = site.html("index.html");
    let stylesheet = attr(&home, "link[rel=stylesheet]", "href").unwrap();
    assert!(stylesheet.starts_with("/community-safety/style."));
    assert!(site.exists(stylesheet.strip_prefix("/community-safety/").unwrap()));
}

#[test]
fn base_url_flag_moves_the_site_for_previews() {
    let preview = "https://preview.example.net/pr-42/";
    let site = build_with(&fixture("subpath"), Some(preview), false);
    assert_stays_under(&site, preview);
    let page = site.html("meetings/board-2020-07-16/index.html");
    assert_eq!(
        attr(&page, "link[rel=canonical]", "href"),
        Some(format!("{preview}meetings/board-2020-07-16/"))
    );
    assert!(
        site.read("atom.xml")
            .contains(&format!("<id>{preview}atom.xml</id>"))
    );
    assert!(
        site.read("sitemap.xml")
            .contains(&format!("<loc>{preview}</loc>"))
    );
    assert!(
        !site
            .read("meetings.ics")
            .contains("example.org/community-safety")
    );
}

#[test]
fn theme_files_get_content_hashed_names() {
    let site = build("subpath");
    let files = site.files();
    assert!(!files.contains("style.css"));
    let hashed: Vec<&String> = files
        .iter()
        .filter(|f| f.starts_with("style.") && f.ends_with(".css"))
        .collect();
    assert_eq!(hashed.len(), 1);
    // A site's own stylesheet gets a name of its own.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("subpath"), dir.path());
    let theme = dir.path().join("themes/default/static");
    fs::create_dir_all(&theme).unwrap();
    fs::write(theme.join("style.css"), "body { color: #222; }\n").unwrap();
    let custom = build_with(dir.path(), None, false);
    let custom_css: Vec<String> = custom
        .files()
        .into_iter()
        .filter(|f| f.starts_with("style.") && f.ends_with(".css"))
        .collect();
    assert_eq!(custom_css.len(), 1);
    assert_ne!(&custom_css[0], hashed[0]);
    // Minified, as `waymark build` writes it.
    assert_eq!(custom.read(&custom_css[0]), "body{color: #222}");
}

// ---- Link check -----------------------------------------------------------------------------

fn site_with_page(body: &str) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("subpath"), dir.path());
    fs::write(
        dir.path().join("content/pages/broken.md"),
        format!("---\ntitle: Broken\n---\n{body}\n"),
    )
    .unwrap();
    dir
}

fn build_errors(root: &Path, output: &Path) -> Vec<waymark::diagnostics::Diagnostic> {
    let options = BuildOptions {
        root: root.to_path_buf(),
        base_url: None,
        include_drafts: false,
        today: today(),
        minify: true,
        deny_warnings: false,
    };
    match waymark::build(&options, output) {
        Ok(_) => panic!("the build should fail"),
        Err(waymark::BuildError::Problems(problems)) => problems
            .into_iter()
            .filter(|p| p.code == "dead-link")
            .collect(),
        Err(other) => panic!("expected problems, got {other:?}"),
    }
}

#[test]
fn a_dead_internal_link_stops_the_build_and_leaves_public_untouched() {
    let dir = site_with_page("See [the plan](/plans/2020/) and [the report](report.pdf).");
    let public = dir.path().join("public");
    fs::create_dir_all(&public).unwrap();
    fs::write(public.join("index.html"), "the old site").unwrap();
    let problems = build_errors(dir.path(), &public);
    assert_eq!(problems.len(), 2, "{problems:?}");
    let messages: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(
        messages[0].contains("\"/community-safety/plans/2020/\""),
        "{}",
        messages[0]
    );
    assert!(messages[0].contains("/community-safety/broken/ (from content/pages/broken.md)"));
    assert!(messages[1].contains("\"report.pdf\""));
    assert!(messages[1].contains("/community-safety/broken/report.pdf"));
    assert_eq!(
        problems[0].file.as_deref(),
        Some(Path::new("content/pages/broken.md"))
    );
    assert_eq!(
        fs::read_to_string(public.join("index.html")).unwrap(),
        "the old site"
    );
    assert_eq!(fs::read_dir(&public).unwrap().count(), 1);
}

#[test]
fn full_addresses_are_left_to_their_owners() {
    // The council's own website, on the same host but outside the partnership's sub-path, is
    // not this build's to check.
    let dir = site_with_page(
        "Back to the [council](https://example.org/) or [elsewhere](//example.org/x/).",
    );
    let site = build_with(dir.path(), None, false);
    let page = site.html("broken/index.html");
    let links: Vec<&str> = select(&page, "main a")
        .iter()
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(links, vec!["https://example.org/", "//example.org/x/"]);
}

#[test]
fn a_broken_template_link_is_reported_once_for_all_its_pages() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("subpath"), dir.path());
    let templates = dir.path().join("themes/default/templates");
    fs::create_dir_all(&templates).unwrap();
    fs::write(
        templates.join("tag.html"),
        "{% extends \"base.html\" %}{% block content %}<a href=\"/contact/\">Contact</a>{% endblock content %}",
    )
    .unwrap();
    let problems = build_errors(dir.path(), &dir.path().join("public"));
    assert_eq!(problems.len(), 1, "{problems:?}");
    let message = &problems[0].message;
    assert!(message.contains("\"/contact/\""), "{message}");
    assert!(message.contains("outside the site's address"), "{message}");
    // Four tag pages: three named, one counted.
    assert!(
        message.contains("/community-safety/tags/county-lines/, "),
        "{message}"
    );
    assert!(message.ends_with("and 1 more page"), "{message}");
    assert!(
        problems[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("theme template")
    );
}

// ---- The command line -------------------------------------------------------------------------

fn waymark(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_waymark"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1717200000")
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn quiet_build_prints_nothing_and_errors_exit_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let root = fixture("subpath");
    let ok = waymark(&[
        "build",
        "--quiet",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(ok.stdout.is_empty());
    assert!(out.join("atom.xml").is_file());

    let broken = site_with_page("[Nowhere](/nowhere/)");
    let failed = waymark(&[
        "build",
        "--quiet",
        "--root",
        broken.path().to_str().unwrap(),
    ]);
    assert_eq!(failed.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("dead-link"), "{stderr}");
    assert!(
        !stderr.contains("\x1b["),
        "no colour codes when not on a terminal"
    );
    assert!(!broken.path().join("public").exists());
}

#[test]
fn minified_pages_keep_every_link_and_word() {
    let dir = tempfile::tempdir().unwrap();
    let root = fixture("subpath");
    let (small, full) = (dir.path().join("small"), dir.path().join("full"));
    for (out, extra) in [(&small, None), (&full, Some("--no-minify"))] {
        let mut args = vec![
            "build",
            "--quiet",
            "--root",
            root.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ];
        args.extend(extra);
        let result = waymark(&args);
        assert!(
            result.status.success(),
            "{}",
            String::from_utf8_lossy(&result.stderr)
        );
    }
    let page = "meetings/board-2020-07-16/index.html";
    let (a, b) = (
        fs::read_to_string(small.join(page)).unwrap(),
        fs::read_to_string(full.join(page)).unwrap(),
    );
    assert!(a.len() < b.len(), "{} >= {}", a.len(), b.len());
    let (a, b) = (Html::parse_document(&a), Html::parse_document(&b));
    let links = |html: &Html| -> Vec<String> {
        select(html, "[href]")
            .iter()
            .map(|e| e.value().attr("href").unwrap().to_string())
            .collect()
    };
    assert_eq!(links(&a), links(&b));
    let words = |html: &Html| -> Vec<String> {
        html.root_element()
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
    let first = build("subpath");
    let second = build("subpath");
    assert_eq!(first.files(), second.files());
    for file in first.files() {
        assert_eq!(
            fs::read(first.out.join(&file)).unwrap(),
            fs::read(second.out.join(&file)).unwrap(),
            "{file} differs"
        );
    }
}

// ---- The bundled sample site ------------------------------------------------------------------

#[test]
fn sample_site_publishes_feeds_calendar_and_sitemap_that_parse() {
    let site = build_with(Path::new(env!("CARGO_MANIFEST_DIR")), None, false);
    let base = "https://example.org/";
    let text = site.read("atom.xml");
    assert_rfc4287(&text, base);
    let feed = parse_feed(&text);
    let ids = entry_ids(&feed);
    // Three updates and five held meetings; the cancelled and the future meeting are not news.
    assert_eq!(ids.len(), 8, "{ids:?}");
    assert!(!ids.contains(&"https://example.org/meetings/hcssg-2020-04-16/"));
    assert!(!ids.contains(&"https://example.org/meetings/hcssg-2027-01-21/"));
    for priority in site.files().iter().filter(|f| f.ends_with("atom.xml")) {
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
        .files()
        .into_iter()
        .filter(|p| p.ends_with("index.html"))
        .map(|p| format!("{base}{}", p.strip_suffix("index.html").unwrap()))
        .collect();
    assert_eq!(listed, pages);
    let event = json_ld(&site, "meetings/hcssg-2020-04-16/index.html");
    assert_eq!(event["eventStatus"], "https://schema.org/EventCancelled");
}
