//! The files that let the built site be deployed and followed, besides its pages: Atom feeds,
//! meeting calendars, the sitemap and robots.txt.

use std::collections::HashSet;

use crate::render::OutputFile;
use crate::site::Site;
use crate::{calendar, feeds, sitemap};

/// Adds the feeds, calendars, sitemap and robots.txt to `files`. A file the site supplies at
/// the same path (say its own `static/robots.txt`) is kept instead of the generated one.
pub fn add_standard_files(site: &Site, files: &mut Vec<OutputFile>) {
    let supplied: HashSet<String> = files.iter().map(|f| f.path.clone()).collect();
    let generated = feeds::feeds(site)
        .into_iter()
        .chain(calendar::calendars(site))
        .chain(sitemap::files(site));
    files.extend(generated.filter(|f| !supplied.contains(&f.path)));
}
