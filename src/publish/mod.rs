//! Stage 5, publish: takes the `Site` and the rendered pages; hands on the files that let the
//! site be deployed and followed besides its pages: Atom feeds, meeting calendars and the
//! actions calendar, the sitemap and robots.txt, indicators' CSV downloads, the open data
//! under `/data/`, and the search index.

pub mod calendar;
pub mod data;
pub mod feeds;
pub mod search;
pub mod sitemap;

use std::collections::{HashMap, HashSet};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::output::OutputFile;

/// A site may replace the generated robots.txt with its own `static/robots.txt` (to keep a
/// preview out of search engines, say); any other file at a generated address is a mistake,
/// reported like every other clash of addresses. `copied` holds the output paths of the files
/// copied into the site (theme, `static/`, files beside the content).
///
/// The standard files but the search index and the open data, which the preview server writes
/// after the pages (see [`search_index_files`]): they take longer than all the rest of a small
/// rebuild.
pub fn standard_files_but_search(
    site: &Site,
    copied: &HashSet<&str>,
) -> Result<Vec<OutputFile>, Diagnostics> {
    generated(site, copied, feeds_calendars_and_sitemap(site))
}

/// The search index alone, checked like the other standard files: it is made from every page,
/// so the preview writes it after the pages an edit changed.
pub fn search_index_files(
    site: &Site,
    copied: &HashSet<&str>,
) -> Result<Vec<OutputFile>, Diagnostics> {
    generated(site, copied, search_index(site))
}

/// The open data under `/data/`, checked like the other standard files. Made from every item's
/// front matter, so the preview writes it after the pages, and only when front matter changed.
pub fn data_files(site: &Site, copied: &HashSet<&str>) -> Result<Vec<OutputFile>, Diagnostics> {
    generated(site, copied, data::files(site))
}

fn feeds_calendars_and_sitemap(site: &Site) -> Vec<OutputFile> {
    let mut generated = feeds::feeds(site);
    generated.extend(calendar::calendars(site));
    generated.extend(calendar::actions_calendar(site));
    generated.extend(sitemap::files(site));
    generated.extend(indicator_files(site));
    generated
}

/// Each indicator's figures as CSV, for the "Download the data" link beside its chart.
fn indicator_files(site: &Site) -> impl Iterator<Item = OutputFile> + '_ {
    site.priorities
        .iter()
        .flat_map(|p| &p.indicators)
        .map(|entry| OutputFile {
            path: entry.csv_path.clone(),
            contents: crate::output::Contents::Bytes(entry.csv.clone().into_bytes()),
        })
}

fn search_index(site: &Site) -> Vec<OutputFile> {
    search::index_files(&search::site_docs(site))
}

/// The `candidates` no copied file replaces, or an error for each a copied file would replace.
fn generated(
    site: &Site,
    taken: &HashSet<&str>,
    candidates: Vec<OutputFile>,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let supplied_by: HashMap<&str, String> = site
        .assets
        .iter()
        .map(|a| (a.output_rel.as_str(), a.display_path()))
        .collect();
    let mut problems = Diagnostics::default();
    let mut generated = Vec::new();
    for file in candidates {
        if !taken.contains(file.path.as_str()) {
            generated.push(file);
        } else if file.path != sitemap::ROBOTS {
            let shown = supplied_by
                .get(file.path.as_str())
                .cloned()
                .unwrap_or_else(|| file.path.clone());
            problems.push(
                Diagnostic::error(
                    "duplicate-url",
                    format!(
                        "this file would replace the {} Waymark writes at /{}",
                        describe(&file.path),
                        file.path
                    ),
                )
                .in_file(shown)
                .with_hint("rename or move the file: each address on the site can hold one file"),
            );
        }
    }
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(generated)
}

fn describe(path: &str) -> &'static str {
    if path.starts_with(crate::routes::DATA) {
        "open data file"
    } else if path.starts_with(search::INDEX_DIR) {
        "search index"
    } else if path.ends_with(".xml") && path != sitemap::SITEMAP {
        "news feed"
    } else if path.ends_with(".ics") {
        "calendar"
    } else {
        "sitemap"
    }
}
