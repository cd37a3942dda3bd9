//! `sitemap.xml` (sitemaps.org 0.9) listing every public page with the date its content last
//! changed, and `robots.txt` pointing search engines to it.

use std::fmt::Write as _;

use crate::links::encode_uri;
use crate::render::{Contents, OutputFile};
use crate::site::Site;
use crate::values::Date;
use crate::xml::escape;

pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";
/// The sitemaps.org limit per file; bigger sites get an index of several files.
const URLS_PER_FILE: usize = 50_000;
const NAMESPACE: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// One page: its path relative to the site root and when its content last changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapEntry {
    pub site_path: String,
    pub lastmod: Option<Date>,
}

/// Every page a resident can reach, in the order the site lists them. Dates after `today`
/// (a meeting still to come) say nothing about when the page changed, so they are left out.
pub fn entries(site: &Site) -> Vec<SitemapEntry> {
    let known = |date: Option<Date>| date.filter(|d| *d <= site.today);
    let mut entries = Vec::new();
    let priority_dates: Vec<Option<Date>> = site
        .priorities
        .iter()
        .map(|p| {
            let timeline = p
                .timeline
                .iter()
                .map(|t| t.date)
                .filter(|d| *d <= site.today);
            known(p.page.item.updated).into_iter().chain(timeline).max()
        })
        .collect();
    let meeting_dates: Vec<Option<Date>> = site
        .meetings
        .iter()
        .map(|m| known(Some(m.page.item.date)))
        .collect();
    let update_dates: Vec<Option<Date>> = site
        .updates
        .iter()
        .map(|u| known(Some(u.item.date)))
        .collect();
    let tag_dates: Vec<Option<Date>> = site
        .tags
        .iter()
        .map(|t| t.items.iter().filter_map(|i| known(i.date)).max())
        .collect();
    let newest = |dates: &[Option<Date>]| dates.iter().flatten().max().copied();
    let everything = [
        newest(&priority_dates),
        newest(&meeting_dates),
        newest(&update_dates),
    ];
    entries.push(entry("", newest(&everything)));
    entries.push(entry("priorities/", newest(&priority_dates)));
    for (p, date) in site.priorities.iter().zip(&priority_dates) {
        entries.push(entry(&p.page.site_path, *date));
    }
    entries.push(entry("meetings/", newest(&meeting_dates)));
    for (m, date) in site.meetings.iter().zip(&meeting_dates) {
        entries.push(entry(&m.page.site_path, *date));
    }
    entries.push(entry("updates/", newest(&update_dates)));
    for (u, date) in site.updates.iter().zip(&update_dates) {
        entries.push(entry(&u.site_path, *date));
    }
    for page in &site.pages {
        entries.push(entry(&page.site_path, None));
    }
    entries.push(entry("tags/", newest(&tag_dates)));
    for (t, date) in site.tags.iter().zip(&tag_dates) {
        entries.push(entry(&t.site_path, *date));
    }
    entries
}

fn entry(site_path: &str, lastmod: Option<Date>) -> SitemapEntry {
    SitemapEntry {
        site_path: site_path.to_string(),
        lastmod,
    }
}

/// `sitemap.xml` (an index when there are more pages than one file may list) and `robots.txt`.
pub fn files(site: &Site) -> Vec<OutputFile> {
    let absolute = &site.config.base_url.absolute;
    let entries = entries(site);
    let mut files = Vec::new();
    if entries.len() <= URLS_PER_FILE {
        files.push(text_file(SITEMAP, urlset(absolute, &entries)));
    } else {
        let mut index = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"{NAMESPACE}\">\n"
        );
        for (number, chunk) in entries.chunks(URLS_PER_FILE).enumerate() {
            let path = format!("sitemap-{}.xml", number + 1);
            let _ = write!(
                index,
                "<sitemap><loc>{}</loc>",
                escape(&format!("{absolute}{path}"))
            );
            if let Some(date) = chunk.iter().filter_map(|e| e.lastmod).max() {
                let _ = write!(index, "<lastmod>{date}</lastmod>");
            }
            index.push_str("</sitemap>\n");
            files.push(text_file(&path, urlset(absolute, chunk)));
        }
        index.push_str("</sitemapindex>\n");
        files.push(text_file(SITEMAP, index));
    }
    files.push(text_file(ROBOTS, robots(site)));
    files
}

fn urlset(absolute: &str, entries: &[SitemapEntry]) -> String {
    let mut xml = String::with_capacity(entries.len() * 120 + 200);
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"{NAMESPACE}\">\n"
    );
    for entry in entries {
        let _ = write!(
            xml,
            "<url><loc>{}</loc>",
            escape(&encode_uri(&format!("{absolute}{}", entry.site_path)))
        );
        if let Some(date) = entry.lastmod {
            let _ = write!(xml, "<lastmod>{date}</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// Crawlers only read `/robots.txt` at the root of a host; at a sub-path this file is there
/// for the host's owner to copy from.
fn robots(site: &Site) -> String {
    format!(
        "# {}\nUser-agent: *\nDisallow:\n\nSitemap: {}{SITEMAP}\n",
        site.config.title.replace(['\n', '\r'], " "),
        site.config.base_url.absolute
    )
}

fn text_file(path: &str, text: String) -> OutputFile {
    OutputFile {
        path: path.to_string(),
        contents: Contents::Bytes(text.into_bytes()),
    }
}
