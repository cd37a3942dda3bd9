//! `sitemap.xml` (sitemaps.org 0.9) listing every public page with the date its content last
//! changed, and `robots.txt` pointing search engines to it.

use std::fmt::Write as _;

use crate::html::urls::encode_uri;
use crate::html::xml::escape;
use crate::model::Site;
use crate::output::{Contents, OutputFile};
use crate::values::Date;

pub use crate::routes::{ROBOTS, SITEMAP};
/// The sitemaps.org limit per file; bigger sites get an index of several files.
const URLS_PER_FILE: usize = 50_000;
const NAMESPACE: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// One page: its path relative to the site root and when its content last changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapEntry {
    pub site_path: String,
    pub lastmod: Option<Date>,
}

/// Every page a resident can reach, in the order the site lists them, from the route table.
pub fn entries(site: &Site) -> Vec<SitemapEntry> {
    site.routes
        .iter()
        .filter(|route| route.in_sitemap())
        .map(|route| entry(&route.site_path, route.lastmod))
        .collect()
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
