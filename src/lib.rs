//! Waymark turns a partnership's priorities, meetings and updates, written as Markdown files,
//! into a static website for residents.
//!
//! The pipeline, top to bottom:
//! `load` (walk files) → `parse` (front matter) → `model` (render bodies, cross-reference,
//! check) → `render` (templates; then feeds, calendars and sitemap) → `check links` (every
//! internal link leads to a written file) → `write` (atomically).

// Diagnostics are returned by value on the error path, once per file at most; boxing them
// would add noise to every signature for no measurable gain.
#![allow(clippy::result_large_err)]

pub mod diagnostics;
pub mod html;
pub mod incremental;
pub mod load;
pub mod model;
pub mod output;
pub mod parse;
pub mod publish;
pub mod render;
pub mod routes;
pub mod scaffold;
pub mod serve;
pub mod values;
pub mod watch;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use diagnostics::{Diagnostic, Diagnostics};
use model::Site;
use output::OutputFile;
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
    let config = load::config::load(root, options.base_url.as_deref()).map_err(single)?;
    let theme = load::theme::load(root, &config.theme).map_err(single)?;
    let sources = load::load(root)?;
    let source_count = sources.files.len() + sources.unreadable.len();
    // A file that cannot be read or parsed is left out and the rest are still checked, so one
    // run reports every problem in the site.
    let mut problems = sources.problems;
    let parsed = parse_all(&sources.files, options.include_drafts);
    let assets = without_draft_documents(sources.assets, &parsed.draft_documents, &parsed.items);
    problems.extend(parsed.problems);
    let inputs = model::Inputs {
        config,
        today: options.today,
        assets,
        drafts: parsed.drafts,
        failed: sources
            .unreadable
            .into_iter()
            .chain(parsed.failed)
            .collect(),
    };
    let (site, warnings) = match model::assemble(parsed.items, inputs) {
        Ok((site, warnings)) if !problems.has_errors() => (site, warnings),
        Ok((_, warnings)) => {
            problems.extend(warnings);
            return Err(problems);
        }
        Err(more) => {
            problems.extend(more);
            return Err(problems);
        }
    };
    let with_warnings = |mut problems: Diagnostics| {
        problems.extend(warnings.clone());
        problems
    };
    let mut files = render::render_site(&site, &theme).map_err(with_warnings)?;
    publish::add_standard_files(&site, &mut files).map_err(with_warnings)?;
    output::links::check(&site, &files).map_err(with_warnings)?;
    Ok(Built {
        site,
        files,
        warnings,
        source_count,
    })
}

/// Builds the site and replaces `output` with it only if everything succeeded.
/// Refuses an `output` that would replace the site's own files.
pub fn build(options: &BuildOptions, output: &Path) -> Result<Built, Diagnostics> {
    output::write::check_destination(&options.root, output).map_err(single)?;
    let built = build_in_memory(options)?;
    output::write::write_site(output, &built.files)
        .map_err(|message| single(Diagnostic::error("write-failed", message)))?;
    Ok(built)
}

/// The parsed files, sorted into those to publish, drafts left out and failures.
struct Parsed {
    items: Vec<parse::content::Item>,
    /// Content-relative paths of drafts left out.
    drafts: HashSet<String>,
    /// Content-relative paths of documents attached to draft meetings.
    draft_documents: HashSet<String>,
    /// Content-relative paths of files whose front matter has problems.
    failed: Vec<String>,
    problems: Diagnostics,
}

/// Parses every file in parallel; drafts are dropped here unless wanted.
fn parse_all(files: &[load::SourceFile], include_drafts: bool) -> Parsed {
    let results: Vec<Result<parse::content::Item, Vec<Diagnostic>>> =
        files.par_iter().map(parse::content::parse).collect();
    let mut parsed = Parsed {
        items: Vec::with_capacity(results.len()),
        drafts: HashSet::new(),
        draft_documents: HashSet::new(),
        failed: Vec::new(),
        problems: Diagnostics::default(),
    };
    for (file, result) in files.iter().zip(results) {
        match result {
            Ok(item) if item.common().draft && !include_drafts => {
                parsed.drafts.insert(item.common().rel_path.clone());
                parsed.draft_documents.extend(documents_of(&item));
            }
            Ok(item) => parsed.items.push(item),
            Err(file_problems) => {
                parsed.problems.extend(file_problems);
                parsed.failed.push(file.rel_path.clone());
            }
        }
    }
    parsed
}

/// Papers attached only to draft meetings stay unpublished with them: draft minutes must not
/// reach residents through their attachments. `published` are the items to publish.
pub fn without_draft_documents<'a>(
    assets: Vec<load::Asset>,
    draft_documents: &HashSet<String>,
    published: impl IntoIterator<Item = &'a parse::content::Item>,
) -> Vec<load::Asset> {
    if draft_documents.is_empty() {
        return assets;
    }
    let published: HashSet<String> = published.into_iter().flat_map(documents_of).collect();
    assets
        .into_iter()
        .filter(|asset| match &asset.content_rel {
            Some(rel) => !draft_documents.contains(rel) || published.contains(rel),
            None => true,
        })
        .collect()
}

/// Content-relative paths of the documents an item attaches (only meetings have any).
pub fn documents_of(item: &parse::content::Item) -> Vec<String> {
    match item {
        parse::content::Item::Meeting(meeting) => meeting
            .documents
            .iter()
            .filter_map(|d| meeting.document_path(d))
            .collect(),
        _ => Vec::new(),
    }
}

/// The largest priority `number` in the site at `root` (0 if none can be read), so
/// `waymark new priority` can suggest the next one.
pub fn highest_priority_number(root: &Path) -> u32 {
    let Ok(sources) = load::load(root) else {
        return 0;
    };
    sources
        .files
        .iter()
        .filter(|f| f.section == load::Section::Priorities)
        .filter_map(|f| match parse::content::parse(f) {
            Ok(parse::content::Item::Priority(p)) => Some(p.number),
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
