//! `sitemap.xml` (sitemaps.org 0.9) listing every public page with the date its content last
//! changed, and `robots.txt` pointing search engines to it.

use std::fmt::Write as _;

use crate::html::urls::encode_uri;
use crate::html::xml::escape;
use crate::model::pagination::{page_folder, page_ranges};
use crate::model::{ACCESSIBILITY_PATH, Site};
use crate::output::{Contents, OutputFile};
use crate::values::Date;

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
    later_pages(&mut entries, "meetings/", site.meetings.len());
    for (m, date) in site.meetings.iter().zip(&meeting_dates) {
        entries.push(entry(&m.page.site_path, *date));
    }
    entries.push(entry("updates/", newest(&update_dates)));
    later_pages(&mut entries, "updates/", site.updates.len());
    for (u, date) in site.updates.iter().zip(&update_dates) {
        entries.push(entry(&u.site_path, *date));
    }
    for page in &site.pages {
        entries.push(entry(&page.site_path, None));
    }
    if site.generates_accessibility_statement() {
        entries.push(entry(ACCESSIBILITY_PATH, None));
    }
    entries.push(entry("tags/", newest(&tag_dates)));
    for (t, date) in site.tags.iter().zip(&tag_dates) {
        entries.push(entry(&t.site_path, *date));
        later_pages(&mut entries, &t.site_path, t.items.len());
    }
    entries.push(entry("search/", None));
    entries
}

/// Pages 2 onwards of a long list, which hold items its first page does not.
fn later_pages(entries: &mut Vec<SitemapEntry>, folder: &str, items: usize) {
    for number in 2..=page_ranges(items).len() {
        entries.push(entry(&page_folder(folder, number), None));
    }
}

fn entry(site_path: &str, lastmod: Option<Date>) -> SitemapEntry {
    SitemapEntry {
        site_path: site_path.to_string(),
        lastmod,
    }
}

/// `sitemap.xml` (an index when there are more pages than one file may list) and `robots.txt`.
pub fn files(site: &Site) -> Vec<OutputFile> {
    let mut files = sitemaps(
        &site.config.base_url.absolute,
        &entries(site),
        URLS_PER_FILE,
    );
    files.push(text_file(ROBOTS, robots(site)));
    files
}

fn sitemaps(absolute: &str, entries: &[SitemapEntry], per_file: usize) -> Vec<OutputFile> {
    if entries.len() <= per_file {
        return vec![text_file(SITEMAP, urlset(absolute, entries))];
    }
    let mut files = Vec::new();
    let mut index = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"{NAMESPACE}\">\n"
    );
    for (number, chunk) in entries.chunks(per_file).enumerate() {
        let path = format!("sitemap-{}.xml", number + 1);
        let _ = write!(
            index,
            "<sitemap><loc>{}</loc>",
            escape(&encode_uri(&format!("{absolute}{path}")))
        );
        if let Some(date) = chunk.iter().filter_map(|e| e.lastmod).max() {
            let _ = write!(index, "<lastmod>{date}</lastmod>");
        }
        index.push_str("</sitemap>\n");
        files.push(text_file(&path, urlset(absolute, chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.push(text_file(SITEMAP, index));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn text(file: &OutputFile) -> &str {
        match &file.contents {
            Contents::Bytes(bytes) => std::str::from_utf8(bytes).unwrap(),
            _ => panic!("generated files are bytes"),
        }
    }

    #[test]
    fn splits_big_sites_into_an_index_of_sitemaps() {
        let date = Date::parse("2020-07-16").ok();
        let entries: Vec<SitemapEntry> = ["", "a/", "b/", "c/", "d/"]
            .iter()
            .map(|p| entry(p, if *p == "c/" { date } else { None }))
            .collect();
        let files = sitemaps("https://x.org/s/", &entries, 2);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml",
                "sitemap.xml"
            ]
        );
        assert_eq!(
            text(&files[3]),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
             <sitemap><loc>https://x.org/s/sitemap-1.xml</loc></sitemap>\n\
             <sitemap><loc>https://x.org/s/sitemap-2.xml</loc><lastmod>2020-07-16</lastmod></sitemap>\n\
             <sitemap><loc>https://x.org/s/sitemap-3.xml</loc></sitemap>\n</sitemapindex>\n"
        );
        assert!(
            text(&files[1])
                .contains("<url><loc>https://x.org/s/c/</loc><lastmod>2020-07-16</lastmod></url>")
        );
        assert_eq!(sitemaps("https://x.org/", &entries, 5).len(), 1);
    }
}
