//! Waymark turns a partnership's priorities, meetings and updates, written as Markdown files,
//! into a static website for residents.
//!
//! The pipeline, top to bottom, one folder per stage (see ARCHITECTURE.md):
//! `load` (read `site.yaml`, the theme and every file) → `parse` (front matter and Markdown
//! into typed items) → `model` (render bodies, cross-reference, check, list every route) →
//! `render` (templates) → `publish` (feeds, calendars, sitemap, search index) → `output`
//! (link check, minify, write atomically). `incremental` runs the stages for the first build
//! and again for each edit; `build` below is its first build, and `serve` sits on top.

// Diagnostics are returned by value on the error path, once per file at most; boxing them
// would add noise to every signature for no measurable gain.
#![allow(clippy::result_large_err)]

// The stages are the crate's own business; what the binary, the tests and the fuzz target use is
// named below, so the public API stays small.
pub(crate) mod diagnostics;
pub(crate) mod html;
pub(crate) mod incremental;
pub(crate) mod limits;
pub(crate) mod load;
pub(crate) mod model;
pub(crate) mod output;
pub(crate) mod parse;
pub(crate) mod publish;
pub(crate) mod render;
pub(crate) mod routes;
pub(crate) mod scaffold;
pub(crate) mod serve;
pub(crate) mod values;
pub(crate) mod watch;

pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use incremental::{Changes, Output, Session};
pub use load::{CONFIG_FILE, count_markdown_files};
pub use output::write::Swap;
pub use output::{Contents, OutputFile};
pub use scaffold::{NewKind, highest_priority_number, init_site, new_file};
pub use serve::{PreviewOptions, run as serve};
pub use values::Date;

/// What the fuzz target (`fuzz/`) drives directly: reading, parsing and rendering one content
/// file the way a build does. Not a stable API.
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::load::{Section, read_source};
    pub use crate::model::render_body;
    pub use crate::parse::content::{Item, parse};
    pub use crate::parse::markdown::LinkTargets;
}

use std::path::{Path, PathBuf};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub base_url: Option<String>,
    pub include_drafts: bool,
    /// The date that decides which meetings are upcoming.
    pub today: Date,
    /// Collapse whitespace and drop comments in pages (what `waymark build` does unless told
    /// `--no-minify`).
    pub minify: bool,
    /// Treat warnings as errors.
    pub deny_warnings: bool,
}

/// A built site, in memory.
pub struct Built {
    pub files: Vec<OutputFile>,
    /// Problems that do not stop the build.
    pub warnings: Diagnostics,
    /// How many content files were read.
    pub source_count: usize,
}

/// Why a build wrote nothing.
#[derive(Debug)]
pub enum BuildError {
    /// The output folder would have replaced the site's own files.
    UnsafeOutput(Diagnostic),
    /// The site has problems (or warnings, with `deny_warnings`).
    Problems(Diagnostics),
    /// The site is fine but could not be written.
    WriteFailed(String),
}

/// Everything up to writing: the files of the site, or every problem found. This is the first
/// build of an incremental session, so the preview and `build` can never disagree.
pub fn build_in_memory(options: &BuildOptions) -> Result<Built, Diagnostics> {
    let mut session = Session::new(options.clone());
    let mut files = session.rebuild(&Changes::Everything, options.today)?.files;
    let warnings = session.warnings();
    let with_warnings = |mut problems: Diagnostics| {
        problems.extend(warnings.clone());
        problems
    };
    if let Some(search) = session.search_index().map_err(with_warnings)? {
        files.extend(search.files);
    }
    if let Some(site) = session.site() {
        output::paths::check(site, &files).map_err(with_warnings)?;
        output::links::check(site, &files).map_err(with_warnings)?;
    }
    if options.deny_warnings && !warnings.is_empty() {
        return Err(warnings);
    }
    if options.minify {
        output::minify::minify_site(&mut files);
    }
    Ok(Built {
        files,
        warnings,
        source_count: session.source_count(),
    })
}

/// What `waymark build` does: refuses an `output` that would replace the site's own files,
/// builds, and replaces `output` with the new site only if everything succeeded; says how.
pub fn build(options: &BuildOptions, output: &Path) -> Result<(Built, Swap), BuildError> {
    output::destination::check_destination(&options.root, output)
        .map_err(BuildError::UnsafeOutput)?;
    let built = build_in_memory(options).map_err(BuildError::Problems)?;
    let swap = output::write::write_site(output, &built.files).map_err(BuildError::WriteFailed)?;
    Ok((built, swap))
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
