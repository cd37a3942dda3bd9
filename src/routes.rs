//! Every address of the built site. A site path is relative to the site root and names a
//! folder (`priorities/county-lines/`, `""` for home) or a file (`atom.xml`); the output file of
//! a folder is its `index.html`, and [`site_path_of_file`] is the inverse the preview server
//! uses. Nothing else in Waymark writes an address by hand: adding a page kind starts here.
//!
//! This module depends on nothing else in the crate, so every stage can use it.

/// The priority index and each priority's folder.
pub const PRIORITIES: &str = "priorities/";
/// The meeting index (paginated) and each meeting's folder.
pub const MEETINGS: &str = "meetings/";
/// The update index (paginated) and each update's folder.
pub const UPDATES: &str = "updates/";
/// The tag index and each tag's folder.
pub const TAGS: &str = "tags/";
/// The search page; its index files sit in the same folder.
pub const SEARCH: &str = "search/";
/// The folder of the search index's files.
pub const SEARCH_INDEX: &str = SEARCH;
/// The generated accessibility statement, unless the site has its own page there.
pub const ACCESSIBILITY: &str = "accessibility/";
/// The page static hosts serve for a missing address.
pub const NOT_FOUND: &str = "404.html";
/// The site-wide Atom feed.
pub const SITE_FEED: &str = "atom.xml";
/// The calendar of every meeting.
pub const CALENDAR: &str = "meetings.ics";
/// The action register (paginated) and each action's folder.
pub const ACTIONS: &str = "actions/";
/// Every action as a calendar to-do.
pub const ACTIONS_CALENDAR: &str = "actions.ics";
/// Every decision, newest first (paginated).
pub const DECISIONS: &str = "decisions/";
/// The open data: its page, and every data file in the same folder.
pub const DATA: &str = "data/";
/// The JSON Schemas of the data's JSON files.
pub const DATA_SCHEMAS: &str = "data/schema/";
/// The Frictionless Data Package describing the data's CSV files.
pub const DATA_PACKAGE: &str = "data/datapackage.json";
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";
/// The folder, inside a list's own, that holds its numbered pages: `updates/page/2/`.
pub const PAGE_FOLDER: &str = "page/";

pub fn priority(slug: &str) -> String {
    format!("{PRIORITIES}{slug}/")
}

pub fn meeting(slug: &str) -> String {
    format!("{MEETINGS}{slug}/")
}

pub fn update(slug: &str) -> String {
    format!("{UPDATES}{slug}/")
}

/// A page from `content/pages/`, published at the site root.
pub fn page(slug: &str) -> String {
    format!("{slug}/")
}

/// An action's own page, named by its id in lower case so every way of writing the id leads
/// there: `actions/a-2020-09-03/`.
pub fn action(key: &str) -> String {
    format!("{ACTIONS}{key}/")
}

/// An indicator's figures as CSV, in its priority's folder: `priorities/knife-crime/knife-crime-offences.csv`.
pub fn indicator_csv(priority_folder: &str, indicator_id: &str) -> String {
    format!("{priority_folder}{indicator_id}.csv")
}

pub fn tag(slug: &str) -> String {
    format!("{TAGS}{slug}/")
}

/// The folder of page `number` of the list in folder `index`: the list itself for page 1,
/// then `updates/page/2/`, … Numbered pages sit under `page/` so they can never take the
/// address of an item.
pub fn numbered_page(index: &str, number: usize) -> String {
    if number == 1 {
        index.to_string()
    } else {
        format!("{index}{PAGE_FOLDER}{number}/")
    }
}

/// A data file: `data/meetings.csv`.
pub fn data_file(name: &str, extension: &str) -> String {
    format!("{DATA}{name}.{extension}")
}

/// The JSON Schema of a dataset's JSON file: `data/schema/meetings.schema.json`.
pub fn data_schema(name: &str) -> String {
    format!("{DATA_SCHEMAS}{name}.schema.json")
}

/// The feed of a priority or tag page, beside it: `priorities/x/atom.xml`.
pub fn feed_beside(site_path: &str) -> String {
    format!("{site_path}{SITE_FEED}")
}

/// A meeting's own calendar file, in its folder and named after it so a download reads well:
/// `meetings/x/x.ics`.
pub fn meeting_calendar(meeting_folder: &str, slug: &str) -> String {
    format!("{meeting_folder}{slug}.ics")
}

/// The output file of a site path: a folder's `index.html`, or the file itself.
pub fn page_file(site_path: &str) -> String {
    if site_path.is_empty() || site_path.ends_with('/') {
        format!("{site_path}index.html")
    } else {
        site_path.to_string()
    }
}

/// The folder a page file is the index of (`a/index.html` → `a/`), or `None` for other files.
pub fn site_path_of_file(file: &str) -> Option<&str> {
    if file == "index.html" {
        return Some("");
    }
    file.strip_suffix("index.html").filter(|f| f.ends_with('/'))
}

/// The folder part of a content-relative path, with its trailing `/` (`""` at the top).
pub fn parent_folder(rel_path: &str) -> &str {
    rel_path.rfind('/').map_or("", |i| &rel_path[..=i])
}

/// Collapses `.` and `..`; `None` when the path climbs out of `content/`.
pub fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_files_and_their_inverse_agree() {
        for site_path in [
            "",
            "meetings/",
            "meetings/page/2/",
            "priorities/x/",
            "about/",
        ] {
            assert_eq!(site_path_of_file(&page_file(site_path)), Some(site_path));
        }
        assert_eq!(page_file(SITE_FEED), "atom.xml");
        assert_eq!(site_path_of_file("atom.xml"), None);
        assert_eq!(site_path_of_file("notindex.html"), None);
    }

    #[test]
    fn numbered_pages_never_take_an_item_address() {
        assert_eq!(numbered_page(UPDATES, 1), "updates/");
        assert_eq!(numbered_page(UPDATES, 3), "updates/page/3/");
        assert_ne!(numbered_page(UPDATES, 2), update("2"));
    }

    #[test]
    fn content_paths_normalise_inside_content_only() {
        assert_eq!(
            normalise("meetings/../pages/./a.md").as_deref(),
            Some("pages/a.md")
        );
        assert_eq!(normalise("../site.yaml"), None);
        assert_eq!(parent_folder("meetings/a.md"), "meetings/");
        assert_eq!(parent_folder("a.md"), "");
    }
}
