//! `sitemap.xml` lists every page and nothing else, with valid `lastmod` dates, and `robots.txt`
//! points to it.

use std::collections::{BTreeMap, BTreeSet};

use crate::Date;
use crate::site_test::{SiteTest, today};

const BASE: &str = "https://example.org/community-safety/";

#[test]
fn sitemap_lists_every_page_and_nothing_else() {
    let site = SiteTest::new("sitemap/every-page").built();
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
        .output_paths()
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
    let site = SiteTest::new("sitemap/every-page").built();
    let robots = site.read("robots.txt");
    assert!(robots.contains("User-agent: *\n"));
    assert!(robots.contains(&format!("\nSitemap: {BASE}sitemap.xml\n")));
}
