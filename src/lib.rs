//! Waymark turns a partnership's priorities, meetings and updates, written as Markdown files,
//! into a static website for residents.
//!
//! The pipeline, top to bottom:
//! `load` (walk files) → `parse` (front matter) → `model` (render bodies, cross-reference,
//! check) → `render` (templates; then feeds, calendars and sitemap) → `check links` (every
//! internal link leads to a written file) → `write` (atomically).

pub mod calendar;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod feeds;
pub mod fingerprint;
pub mod front_matter;
pub mod links;
pub mod markdown;
pub mod metadata;
pub mod minify;
pub mod output;
pub mod prose;
pub mod publish;
pub mod render;
pub mod scaffold;
pub mod site;
pub mod sitemap;
pub mod source;
pub mod theme;
pub mod values;
pub mod xml;
pub mod zone;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use diagnostics::{Diagnostic, Diagnostics};
use render::OutputFile;
use site::Site;
use values::Date;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub base_url: Option<String>,
    pub include_drafts: bool,
    /// The date that decides which meetings are upcoming.
    pub today: Date,
}

/// A built site, in memory.
pub struct Built {
    pub site: Site,
    pub files: Vec<OutputFile>,
    /// Problems that do not stop the build.
    pub warnings: Diagnostics,
    /// How many content files were read.
    pub source_count: usize,
}

/// Everything up to writing: returns the files of the site, or every problem found.
pub fn build_in_memory(options: &BuildOptions) -> Result<Built, Diagnostics> {
    let root = options.root.as_path();
    let config = config::load(root, options.base_url.as_deref()).map_err(single)?;
    let theme = theme::load(root, &config.theme).map_err(single)?;
    let sources = source::load(root)?;
    let source_count = sources.files.len();
    let (items, drafts) = parse_all(&sources.files, options.include_drafts)?;
    let inputs = site::Inputs {
        config,
        today: options.today,
        assets: sources.assets,
        drafts,
    };
    let (site, warnings) = site::assemble(items, inputs)?;
    let with_warnings = |mut problems: Diagnostics| {
        problems.extend(warnings.clone());
        problems
    };
    let mut files = render::render_site(&site, &theme).map_err(with_warnings)?;
    publish::add_standard_files(&site, &mut files);
    links::check(&site, &files).map_err(with_warnings)?;
    Ok(Built {
        site,
        files,
        warnings,
        source_count,
    })
}

/// Builds the site and replaces `output` with it only if everything succeeded.
pub fn build(options: &BuildOptions, output: &Path) -> Result<Built, Diagnostics> {
    let built = build_in_memory(options)?;
    output::write_site(output, &built.files)
        .map_err(|message| single(Diagnostic::error("write-failed", message)))?;
    Ok(built)
}

/// Parses every file in parallel; drafts are dropped here unless wanted.
fn parse_all(
    files: &[source::SourceFile],
    include_drafts: bool,
) -> Result<(Vec<content::Item>, HashSet<String>), Diagnostics> {
    let parsed: Vec<Result<content::Item, Vec<Diagnostic>>> =
        files.par_iter().map(content::parse).collect();
    let mut problems = Diagnostics::default();
    let mut items = Vec::with_capacity(parsed.len());
    let mut drafts = HashSet::new();
    for result in parsed {
        match result {
            Ok(item) if item.common().draft && !include_drafts => {
                drafts.insert(item.common().rel_path.clone());
            }
            Ok(item) => items.push(item),
            Err(file_problems) => problems.extend(file_problems),
        }
    }
    if problems.has_errors() {
        return Err(problems);
    }
    Ok((items, drafts))
}

/// The largest priority `number` in the site at `root` (0 if none can be read), so
/// `waymark new priority` can suggest the next one.
pub fn highest_priority_number(root: &Path) -> u32 {
    let Ok(sources) = source::load(root) else {
        return 0;
    };
    sources
        .files
        .iter()
        .filter(|f| f.section == source::Section::Priorities)
        .filter_map(|f| match content::parse(f) {
            Ok(content::Item::Priority(p)) => Some(p.number),
            _ => None,
        })
        .max()
        .unwrap_or(0)
}

fn single(diagnostic: Diagnostic) -> Diagnostics {
    let mut problems = Diagnostics::default();
    problems.push(diagnostic);
    problems
}

/// Today's date in UTC, or the date of `SOURCE_DATE_EPOCH` when set, so a build can be
/// reproduced exactly later.
pub fn today() -> Date {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    Date::from_days_since_epoch(seconds.div_euclid(86_400))
}
