//! Links in the built site: every `href`, `src`, `srcset` and `poster` in generated HTML
//! (found by `html::urls::for_each_url`) that is internal must lead to a file the build wrote,
//! so a deploy never publishes a dead link.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::html::scan::decode_entities;
use crate::html::urls::{self, for_each_url};
use crate::model::Site;
use crate::output::{Contents, OutputFile};
use crate::parse::config::BaseUrl;

/// A broken link on this many pages is reported once, with the first few pages named.
const PAGES_NAMED: usize = 3;

/// Where a link in a page leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A full address (`https://…`, `//host/…`, `mailto:`…). Even on this site's own host it
    /// may be served by something other than this build (a council's main website around a
    /// partnership's sub-path), so it is not checked.
    External,
    /// `#section` or an empty link: this page.
    SamePage,
    /// A path on this host, decoded, from the root: `/sub/priorities/x/`.
    Path(String),
}

/// Resolves `url`, found on the page at public path `page_path` (e.g. `/sub/meetings/`), the
/// way a browser would.
pub fn resolve(url: &str, page_path: &str) -> Target {
    let url = decode_entities(url.trim());
    if url.is_empty() || url.starts_with('#') {
        return Target::SamePage;
    }
    if urls::is_absolute(&url) {
        return Target::External;
    }
    match urls::resolve_path(page_path, &url) {
        Some(path) => Target::Path(path),
        None => Target::External,
    }
}

/// The files the build writes, and the folders that have an `index.html`, for looking links
/// up without building a string for each.
struct Written<'a> {
    files: HashSet<&'a str>,
    folders: HashSet<&'a str>,
}

impl<'a> Written<'a> {
    fn new(files: &'a [OutputFile]) -> Written<'a> {
        Written {
            files: files.iter().map(|f| f.path.as_str()).collect(),
            folders: files
                .iter()
                .filter_map(|f| f.path.strip_suffix("index.html"))
                .filter(|folder| folder.is_empty() || folder.ends_with('/'))
                .collect(),
        }
    }

    /// Whether a path from the host root is served by a file the build wrote.
    fn serves(&self, path: &str, base_path: &str) -> bool {
        let rel = match path.strip_prefix(base_path) {
            Some(rel) => rel,
            // `/sub` for a site at `/sub/`: hosts answer it with the folder.
            None => return path.len() + 1 == base_path.len() && base_path.starts_with(path),
        };
        if rel.is_empty() || rel.ends_with('/') {
            self.folders.contains(rel)
        } else {
            // A host answers `/x` with `/x/` when only the folder exists.
            self.files.contains(rel) || self.folders.contains(format!("{rel}/").as_str())
        }
    }
}

/// Checks every internal link of every generated page. One problem per broken link, naming
/// the pages it is on and, where known, the content file that makes each page.
pub fn check(site: &Site, files: &[OutputFile]) -> Result<(), Diagnostics> {
    let base = &site.config.base_url;
    let written = Written::new(files);
    let mut broken: Vec<(String, String, &str)> = files
        .par_iter()
        .filter(|f| f.path.ends_with(".html"))
        .flat_map_iter(|file| {
            let html: &[u8] = match &file.contents {
                Contents::Bytes(bytes) => bytes,
                _ => &[],
            };
            let page_path = base.join(file.path.strip_suffix("index.html").unwrap_or(&file.path));
            let mut dead = Vec::new();
            for_each_url(html, |range| {
                let Ok(url) = std::str::from_utf8(&html[range]) else {
                    return;
                };
                // Most links are plain paths from the root, looked up as they are.
                let plain = url.starts_with('/')
                    && !url.starts_with("//")
                    && !url.contains("/.")
                    && !url.contains(['&', '%', '?', '#', ' ', '\t', '\n']);
                if plain && written.serves(url, &base.path) {
                    return;
                }
                if let Target::Path(path) = resolve(url, &page_path)
                    && !written.serves(&path, &base.path)
                {
                    dead.push((path, decode_entities(url), file.path.as_str()));
                }
            });
            dead
        })
        .collect();
    if broken.is_empty() {
        return Ok(());
    }
    // Keyed by where the link leads, so one template mistake is one problem; sorted first, so
    // the spelling shown does not depend on the order of the files.
    broken.sort_unstable();
    let mut by_target: BTreeMap<String, (String, Vec<&str>)> = BTreeMap::new();
    for (path, url, page) in broken {
        let entry = by_target.entry(path).or_insert_with(|| (url, Vec::new()));
        entry.1.push(page);
    }
    Err(report(site, by_target))
}

fn dead_link(
    url: &str,
    resolved: &str,
    pages: &[&str],
    sources: &HashMap<String, String>,
    base: &BaseUrl,
) -> Diagnostic {
    let describe = |page: &str| {
        let public = base.join(page.strip_suffix("index.html").unwrap_or(page));
        match sources.get(page) {
            Some(source) => format!("{public} (from {source})"),
            None => public,
        }
    };
    let mut named: Vec<String> = pages
        .iter()
        .take(PAGES_NAMED)
        .map(|p| describe(p))
        .collect();
    let more = pages.len().saturating_sub(PAGES_NAMED);
    let on = match (named.len(), more) {
        (_, 0) if named.len() > 1 => {
            let last = named.pop().unwrap_or_default();
            format!("{} and {last}", named.join(", "))
        }
        (_, 0) => named.join(""),
        (_, 1) => format!("{} and 1 more page", named.join(", ")),
        (_, more) => format!("{} and {more} more pages", named.join(", ")),
    };
    let outside = !resolved.starts_with(&base.path) && format!("{resolved}/") != base.path;
    let (message, hint) = if outside {
        (
            format!(
                "the link \"{url}\" leads to {resolved}, outside the site's address {}",
                base.absolute
            ),
            format!(
                "links must stay under {}: in Markdown write links to pages as `@/section/file.md` (Waymark adds the address); in templates start them with {{{{ site.base_path }}}}",
                base.path
            ),
        )
    } else {
        (
            format!("the link \"{url}\" leads to {resolved}, but the build wrote no file there"),
            missing_hint(resolved),
        )
    };
    let on_many = if pages.len() > 1 {
        "; a link on many pages usually comes from a theme template"
    } else {
        ""
    };
    let mut problem = Diagnostic::error("dead-link", format!("{message}; it is on {on}"))
        .with_hint(format!("{hint}{on_many}"));
    if let Some(source) = sources.get(pages[0]) {
        problem = problem.in_file(source);
    }
    problem
}

/// One problem per dead target, at the link where the editor wrote it and quoted as written,
/// when the first page it is on comes from a Markdown file that has it.
fn report(site: &Site, by_target: BTreeMap<String, (String, Vec<&str>)>) -> Diagnostics {
    let base = &site.config.base_url;
    let sources = source_files(site);
    let texts = source_texts(site);
    let mut problems = Diagnostics::default();
    for (resolved, (url, mut pages)) in by_target {
        pages.sort_unstable();
        pages.dedup();
        let problem = dead_link(&url, &resolved, &pages, &sources, base);
        // Point at the link where the editor wrote it, and quote it as written.
        let written = texts
            .get(pages[0])
            .and_then(|text| written_link(text, &url, &resolved, base).map(|w| (*text, w)));
        problems.push(match written {
            Some((text, (line, column, as_written))) => {
                let mut problem = problem.at(text, line, column);
                let quoted = (format!("\"{url}\""), format!("\"{as_written}\""));
                problem.message = problem.message.replacen(&quoted.0, &quoted.1, 1);
                problem
            }
            None => problem,
        });
    }
    problems
}

/// Advice by what a dead link points at: a page (an address ending in `/`, or without a file
/// extension) or a file.
fn missing_hint(resolved: &str) -> String {
    let name = resolved.rsplit('/').next().unwrap_or_default();
    let is_file = name.contains('.') && !name.ends_with(".html");
    if is_file {
        format!(
            "check the spelling, or put {name} next to the Markdown file that links to it, or under static/"
        )
    } else {
        "no page is published at that address: to link to a page, write its Markdown file, e.g. `@/meetings/<file>.md`; Waymark then writes the right address and checks it".to_string()
    }
}

/// Output page to the text of the Markdown file it is made from.
fn source_texts(site: &Site) -> HashMap<String, &str> {
    let commons = site
        .home
        .iter()
        .map(|h| (&h.site_path, &h.item.common))
        .chain(
            site.priorities
                .iter()
                .map(|p| (&p.page.site_path, &p.page.item.common)),
        )
        .chain(
            site.meetings
                .iter()
                .map(|m| (&m.page.site_path, &m.page.item.common)),
        )
        .chain(site.updates.iter().map(|u| (&u.site_path, &u.item.common)))
        .chain(site.pages.iter().map(|p| (&p.site_path, &p.item.common)));
    commons
        .map(|(site_path, common)| (crate::routes::page_file(site_path), common.text.as_str()))
        .collect()
}

/// The first Markdown link in `text` (`](target)`) that leads to the dead `url`: written as it
/// is, written from the site root (Waymark adds the base path), or naming the missing file.
/// Its 1-based line and column, and the target as written.
fn written_link<'t>(
    text: &'t str,
    url: &str,
    resolved: &str,
    base: &BaseUrl,
) -> Option<(u32, u32, &'t str)> {
    let file_name = resolved
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    let matches = |target: &str| {
        target == url
            || base.join(target) == url
            || (!file_name.is_empty() && target.trim_end_matches('/').ends_with(file_name))
    };
    let mut from = 0;
    while let Some(found) = text[from..].find("](") {
        let start = from + found + 2;
        let rest = &text[start..];
        let end = rest.find([')', ' ', '\n']).unwrap_or(rest.len());
        let target = rest[..end].trim_start_matches('<').trim_end_matches('>');
        if !target.is_empty() && matches(target) {
            let (line, column) = crate::diagnostics::line_and_column(text, start);
            return Some((line, column, target));
        }
        from = start;
    }
    None
}

/// Output page to the content file it is made from.
fn source_files(site: &Site) -> HashMap<String, String> {
    site.routes
        .iter()
        .filter_map(|route| Some((route.output_file(), route.source.clone()?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_links_like_a_browser() {
        let on = "/sub/meetings/m/";
        assert_eq!(resolve("#x", on), Target::SamePage);
        assert_eq!(resolve("mailto:a@b.c", on), Target::External);
        assert_eq!(resolve("https://example.org/sub/a/", on), Target::External);
        assert_eq!(resolve("//example.org/sub/a/", on), Target::External);
        assert_eq!(
            resolve("../x.pdf?v=1#p", on),
            Target::Path("/sub/meetings/x.pdf".into())
        );
        assert_eq!(
            resolve("/sub/a%20b.pdf", on),
            Target::Path("/sub/a b.pdf".into())
        );
        assert_eq!(
            resolve("/sub/a&amp;b/", on),
            Target::Path("/sub/a&b/".into())
        );
        assert_eq!(resolve("../../../..", on), Target::Path("/".into()));
    }

    #[test]
    fn finds_the_file_a_path_is_served_from() {
        let files: Vec<OutputFile> = ["index.html", "a/index.html", "f.pdf"]
            .into_iter()
            .map(|path| OutputFile {
                path: path.to_string(),
                contents: Contents::Bytes(Vec::new()),
            })
            .collect();
        let written = Written::new(&files);
        assert!(written.serves("/sub/", "/sub/"));
        assert!(written.serves("/sub", "/sub/"));
        assert!(written.serves("/sub/a", "/sub/"));
        assert!(written.serves("/sub/a/", "/sub/"));
        assert!(written.serves("/sub/f.pdf", "/sub/"));
        assert!(!written.serves("/f.pdf", "/sub/"));
        assert!(!written.serves("/sub/b/", "/sub/"));
        assert!(!written.serves("/su", "/sub/"));
    }
}
