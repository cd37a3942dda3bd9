//! Output paths every system can write, checked before anything is written so that `check`
//! finds what `build` would trip on: no file where another file needs a folder, no part of a
//! name longer than file systems allow, and no two paths that are one name on macOS, Windows
//! and most web hosts (which ignore capitals and how an accented letter is stored).

use std::collections::{BTreeMap, HashMap, HashSet};

use unicode_normalization::UnicodeNormalization;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::model::route_table::RouteKind;
use crate::output::OutputFile;

pub use crate::limits::MAX_NAME_BYTES;

pub fn check(site: &Site, files: &[OutputFile]) -> Result<(), Diagnostics> {
    let origins = Origins::of(site);
    let paths: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut problems = Diagnostics::default();
    let mut folders_reported = HashSet::new();
    let mut long_reported = HashSet::new();
    let mut folded: HashMap<String, &str> = HashMap::new();
    let mut sorted: Vec<&str> = paths.iter().copied().collect();
    sorted.sort_unstable();
    for path in sorted {
        for (end, _) in path.match_indices('/') {
            let folder = &path[..end];
            if paths.contains(folder) && folders_reported.insert(folder) {
                problems.push(file_in_place_of_folder(folder, path, &origins));
            }
        }
        if let Some(part) = path.split('/').find(|part| part.len() > MAX_NAME_BYTES) {
            // Once for each long name, not for every file below it.
            let up_to = &path[..path.find(part).unwrap_or(0) + part.len()];
            if long_reported.insert(up_to) {
                problems.push(name_too_long(up_to, part, &origins));
            }
        }
        let key: String = path.nfc().collect::<String>().to_lowercase();
        if let Some(first) = folded.insert(key, path) {
            problems.push(one_name_elsewhere(first, path, &origins));
        }
    }
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(())
}

fn file_in_place_of_folder(folder: &str, inside: &str, origins: &Origins<'_>) -> Diagnostic {
    origins.locate(
        Diagnostic::error(
            "file-folder-clash",
            format!(
                "this file would be published at /{folder}, where {} needs a folder of that name",
                origins.describe(inside)
            ),
        )
        .with_hint("rename one of them: a name on the website can be a file or a folder, not both"),
        folder,
    )
}

fn name_too_long(path: &str, part: &str, origins: &Origins<'_>) -> Diagnostic {
    let shown: String = part.chars().take(40).collect();
    origins.locate(
        Diagnostic::error(
            "name-too-long",
            format!(
                "a name in the address /{}… is {} bytes long (\"{shown}…\"); file systems and web hosts allow at most {MAX_NAME_BYTES}",
                &path[..path.len() - part.len()],
                part.len()
            ),
        )
        .with_hint("shorten it: tags and file names work best as a few words"),
        path,
    )
}

fn one_name_elsewhere(first: &str, path: &str, origins: &Origins<'_>) -> Diagnostic {
    origins.locate(
        Diagnostic::error(
            "duplicate-url",
            format!(
                "this would be published at /{path}, which macOS, Windows and most web hosts take to be the same address as /{first}, from {}",
                origins.describe(first)
            ),
        )
        .with_hint("rename one of them: names that differ only in capitals, or in how an accented letter is stored, are one name there"),
        path,
    )
}

/// Where each output file comes from, to point editors at the file to change.
struct Origins<'a> {
    /// Output path to the file it is made from (`content/…`, `static/…`).
    files: BTreeMap<String, String>,
    /// A tag's folder (`tags/x/`) to the file, text, line and column of the tag where it is
    /// first written.
    tags: BTreeMap<String, (String, &'a str, u32, u32)>,
}

impl<'a> Origins<'a> {
    fn of(site: &'a Site) -> Origins<'a> {
        let mut files: BTreeMap<String, String> = site
            .assets
            .iter()
            .map(|a| (a.output_rel.clone(), a.display_path()))
            .collect();
        let mut tags = BTreeMap::new();
        for route in &site.routes {
            if let Some(source) = &route.source {
                files.insert(route.output_file(), source.clone());
            }
            if let RouteKind::Tag { tag, page: 1 } = route.kind
                && let Some(place) = tag_place(site, &site.tags[tag].tag)
            {
                tags.insert(route.site_path.clone(), place);
            }
        }
        Origins { files, tags }
    }

    /// `diagnostic` in the file that `path` (a file, or a folder of files) comes from.
    fn locate(&self, diagnostic: Diagnostic, path: &str) -> Diagnostic {
        if let Some(source) = self.files.get(path) {
            return diagnostic.in_file(source);
        }
        let within = |folder: &String| path.starts_with(folder.trim_end_matches('/'));
        let tag = self.tags.iter().find(|(folder, _)| within(folder));
        if let Some((_, (file, text, line, column))) = tag {
            return diagnostic.in_file(file).at(text, *line, *column);
        }
        let folder = format!("{path}/");
        match self
            .files
            .iter()
            .find(|(output, _)| output.starts_with(&folder))
        {
            Some((_, source)) => diagnostic.in_file(source),
            None => diagnostic,
        }
    }

    fn describe(&self, path: &str) -> String {
        match self.files.get(path) {
            Some(source) => source.clone(),
            None => format!("/{path}, which Waymark writes"),
        }
    }
}

/// The first file (priorities, then meetings, then updates) that carries `tag`, and where the
/// tag is written in it.
fn tag_place<'a>(site: &'a Site, tag: &crate::values::Tag) -> Option<(String, &'a str, u32, u32)> {
    let commons = site
        .priorities
        .iter()
        .map(|p| &p.page.item.common)
        .chain(site.meetings.iter().map(|m| &m.page.item.common))
        .chain(site.updates.iter().map(|u| &u.item.common));
    for common in commons {
        if common.tags.iter().any(|t| t.slug == tag.slug) {
            let (line, column) = position_of(&common.text, &tag.name);
            let file = format!("{}/{}", crate::load::CONTENT_DIR, common.rel_path);
            return Some((file, &common.text, line, column));
        }
    }
    None
}

/// The 1-based line and column of the first `needle` in `text` (1, 1 if it is not there).
fn position_of(text: &str, needle: &str) -> (u32, u32) {
    text.find(needle)
        .map_or((1, 1), |at| crate::diagnostics::line_and_column(text, at))
}
