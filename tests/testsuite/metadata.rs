//! What search engines and link previews read from each page's head: schema.org JSON-LD for
//! meetings and the organisation, descriptions, Open Graph and canonical addresses.

use crate::site_test::SiteTest;

const BASE: &str = "https://example.org/community-safety/";

pub fn json_ld(site: &SiteTest, path: &str) -> serde_json::Value {
    let html = site.page(path);
    let scripts = html.select("script[type=\"application/ld+json\"]");
    assert_eq!(scripts.len(), 1, "{path}");
    serde_json::from_str(&scripts[0].inner_html()).unwrap()
}

#[test]
fn meeting_pages_describe_an_event() {
    let site = SiteTest::new("metadata/structured-data").built();
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
    let site = SiteTest::new("metadata/structured-data").built();
    let organisation = json_ld(&site, "index.html");
    assert_eq!(organisation["@type"], "GovernmentOrganization");
    assert_eq!(organisation["name"], "Testshire County Council");
    assert_eq!(organisation["url"], BASE);
    assert_eq!(organisation["email"], "safety@example.org");
}

#[test]
fn every_page_has_description_opengraph_and_canonical_address() {
    let site = SiteTest::new("metadata/structured-data").built();
    for path in site.output_paths().iter().filter(|p| p.ends_with(".html")) {
        let html = site.page(path);
        let description = html
            .attr("meta[name=description]", "content")
            .unwrap_or_default();
        assert!(
            description.len() > 20,
            "{path}: description {description:?}"
        );
        for property in ["og:title", "og:type", "og:description", "og:site_name"] {
            let selector = format!("meta[property=\"{property}\"]");
            assert!(
                html.attr(&selector, "content").is_some(),
                "{path}: {property}"
            );
        }
        let canonical = html.attr("link[rel=canonical]", "href");
        if path == "404.html" {
            assert_eq!(canonical, None);
            assert_eq!(
                html.attr("meta[name=robots]", "content").as_deref(),
                Some("noindex")
            );
        } else {
            let expected = format!("{BASE}{}", path.strip_suffix("index.html").unwrap());
            assert_eq!(canonical.as_deref(), Some(expected.as_str()), "{path}");
            assert_eq!(
                html.attr("meta[property=\"og:url\"]", "content").as_deref(),
                Some(expected.as_str())
            );
        }
    }
    let priority = site.page("priorities/county-lines/index.html");
    assert_eq!(
        priority
            .attr("meta[name=description]", "content")
            .as_deref(),
        Some(
            "Partners work together to disrupt county lines gangs & protect the children they exploit."
        )
    );
}
