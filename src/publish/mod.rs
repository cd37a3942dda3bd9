//! Stage 5, publish: takes the `Site` and the rendered pages; hands on the files that let the
//! site be deployed and followed besides its pages: Atom feeds, meeting calendars, the sitemap
//! and robots.txt, the open data under `/data/`, and the search index.

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
/// reported like every other clash of addresses.
///
/// The standard files but the search index, which the preview server writes after the pages
/// (see [`add_search_index`]): it takes longer than all the rest of a small rebuild.
pub fn add_standard_files_but_search(
    site: &Site,
    files: &mut Vec<OutputFile>,
) -> Result<(), Diagnostics> {
    add_generated(site, files, feeds_calendars_and_sitemap(site))
}

/// The search index alone, checked like the other standard files.
pub fn add_search_index(site: &Site, files: &mut Vec<OutputFile>) -> Result<(), Diagnostics> {
    add_generated(site, files, search_index(site))
}

fn feeds_calendars_and_sitemap(site: &Site) -> Vec<OutputFile> {
    let mut generated = feeds::feeds(site);
    generated.extend(calendar::calendars(site));
    generated.extend(sitemap::files(site));
    generated.extend(data::files(site));
    generated
}

fn search_index(site: &Site) -> Vec<OutputFile> {
    search::index_files(&search::site_docs(site))
}

fn add_generated(
    site: &Site,
    files: &mut Vec<OutputFile>,
    candidates: Vec<OutputFile>,
) -> Result<(), Diagnostics> {
    let taken: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
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
    files.extend(generated);
    Ok(())
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
