//! The pipeline's driver, for `build` and the preview alike. A `Session` runs load → parse →
//! model → render → publish for the first build and keeps every file's text, parse result and
//! rendered body and the assembled site, so after an edit it re-reads, re-parses and re-renders
//! only what the edit can change (`dependents`). Hands on `Output`: the files to add or
//! replace and those that disappeared. Its output always equals a full build (tested).

pub mod dependents;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

use crate::BuildOptions;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::incremental::dependents::Affected;
use crate::load::theme::{self, Theme};
use crate::load::{self, Asset, Section};
use crate::model::Site;
use crate::output::OutputFile;
use crate::parse::config::{self, Config};
use crate::parse::content::Item;
use crate::parse::markdown::{AnchorLink, LinkTargets, Rendered};
use crate::render;
use crate::routes;
use crate::values::Date;

mod model;
mod sources;

use model::draft_pages;
use sources::{Touched, classify};

/// What changed on disk since the last rebuild.
#[derive(Debug, Clone)]
pub enum Changes {
    /// Start again from the files on disk (the first build, or the watcher lost track).
    Everything,
    /// These paths (absolute, or relative to the site root) were written, created or removed.
    Paths(BTreeSet<PathBuf>),
}

/// The result of a successful rebuild: how to bring the previous output up to date.
#[derive(Debug)]
pub struct Output {
    /// `files` is the whole site and replaces the previous output.
    pub complete: bool,
    /// Files that are new or may have changed, in the order `render_site` gives them.
    pub files: Vec<OutputFile>,
    /// Output paths that no longer exist.
    pub removed: Vec<String>,
    pub pages_rendered: usize,
    /// Output paths of pages made from drafts (only when drafts are included).
    pub draft_pages: BTreeSet<String>,
    /// Where the pages of the drafts left out would be (only when drafts are left out): each
    /// output path (`updates/x/index.html`) with the draft's file, relative to the site folder
    /// (`content/updates/x.md`), so the preview can say why there is no page there.
    pub left_out_drafts: BTreeMap<String, String>,
    /// Output paths of copied files (attachments, static and theme files) whose bytes changed
    /// on disk.
    pub touched: BTreeSet<String>,
    /// Warnings this rebuild found that the last successful one did not (after a complete
    /// build, all of them). `Session::warnings` has them all.
    pub new_warnings: Diagnostics,
}

pub struct Session {
    options: BuildOptions,
    state: Option<State>,
}

/// Everything known after the last rebuild, successful or not.
struct State {
    today: Date,
    config: Config,
    theme: Theme,
    /// Problems the last walk of `content/` and `static/` found (unreadable files, files in
    /// the wrong place); while there are any, every rebuild walks again.
    load_problems: Diagnostics,
    /// Content-relative paths of Markdown files the last walk could not read.
    unreadable: Vec<String>,
    /// Every Markdown file under `content/`, by path relative to it.
    sources: BTreeMap<String, SourceRecord>,
    failures: BTreeMap<String, Vec<Diagnostic>>,
    /// What rendering each body in `site` found, besides its HTML (which lives in `site`).
    bodies: HashMap<String, BodyRecord>,
    /// Drafts left out, for link messages.
    drafts: HashSet<String>,
    /// The same drafts: where each would be published, and its documents (a meeting's), which
    /// stay unpublished with it.
    left_out: BTreeMap<String, LeftOutDraft>,
    /// Every file to copy; `site.assets` leaves out draft meetings' documents.
    assets: Vec<Asset>,
    targets: LinkTargets,
    /// The assembled site; its items are the last versions of each file that parsed.
    site: Option<Site>,
    /// Problems of the assembled model as a whole (body problems are kept per body).
    model_problems: Vec<Diagnostic>,
    pending: Pending,
    last: LastOutput,
    /// The last rebuild succeeded and its search index is not written yet.
    search_stale: bool,
    /// The site was assembled again since the open data was last written: a change of front
    /// matter or files, not of bodies alone.
    data_stale: bool,
}

struct LeftOutDraft {
    site_path: String,
    documents: Vec<String>,
}

struct SourceRecord {
    section: Section,
    text: String,
}

struct BodyRecord {
    anchor_links: Vec<AnchorLink>,
    /// What rendering found (broken links, editorial warnings), as `markdown::render` gives it.
    problems: Vec<Diagnostic>,
    link_lookups: Vec<String>,
    /// What `site::check_bodies` says about this body: its problems and broken anchors.
    checked: Vec<Diagnostic>,
    /// Rendered since the last check.
    fresh: bool,
}

impl BodyRecord {
    fn take_from(rendered: &mut Rendered) -> BodyRecord {
        BodyRecord {
            anchor_links: std::mem::take(&mut rendered.anchor_links),
            problems: std::mem::take(&mut rendered.problems),
            link_lookups: std::mem::take(&mut rendered.link_lookups),
            checked: Vec::new(),
            fresh: true,
        }
    }
}

/// Work found since the last successful rebuild; it survives failed rebuilds, so the output
/// that finally succeeds covers every change since the last output.
#[derive(Default)]
struct Pending {
    /// Parse results not yet in `site`; `None` when the file is gone or is a draft left out.
    staged: BTreeMap<String, Option<Item>>,
    /// An attachment appeared, disappeared or changed size.
    assets_changed: bool,
    /// Output paths of copied files (attachments, static and theme files) whose bytes changed.
    touched_files: BTreeSet<String>,
    rescan: bool,
    theme: bool,
    /// The theme was loaded again: its static files may have come or gone.
    theme_changed: bool,
    pages: Affected,
    /// Pages may have appeared or disappeared.
    reshaped: bool,
    complete: bool,
}

/// What the last successful rebuild handed out.
#[derive(Default)]
struct LastOutput {
    pages: HashSet<String>,
    copied: HashSet<String>,
    /// Feeds, calendars and sitemap files.
    standard: HashSet<String>,
    /// The search index's files.
    search: HashSet<String>,
    /// The open data's files.
    data: HashSet<String>,
}

impl Session {
    /// `options.today` is ignored; each rebuild says which day it is.
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            state: None,
        }
    }

    /// Brings the site up to date with `changes`, all but its search index (see
    /// [`Session::search_index`]). After an error the next rebuild still covers every change
    /// since the last success.
    pub fn rebuild(&mut self, changes: &Changes, today: Date) -> Result<Output, Diagnostics> {
        let result = self.rebuild_all_but_search(changes, today);
        if let Some(state) = self.state.as_mut() {
            state.search_stale = result.is_ok();
        }
        result
    }

    /// The search index and the open data of the site as last rebuilt, when a successful
    /// rebuild has not had them yet: their files, and those that are gone. The preview server
    /// asks for them after serving the rebuilt pages, because on a big site they take far
    /// longer to build than the pages one edit changes. A rebuild followed by this equals a
    /// full build.
    pub fn search_index(&mut self) -> Result<Option<Output>, Diagnostics> {
        let Some(state) = self.state.as_mut() else {
            return Ok(None);
        };
        let Some(site) = state.site.as_ref().filter(|_| state.search_stale) else {
            return Ok(None);
        };
        let copied: HashSet<&str> = state.last.copied.iter().map(String::as_str).collect();
        let mut files = crate::publish::search_index_files(site, &copied)?;
        let paths: HashSet<String> = files.iter().map(|f| f.path.clone()).collect();
        let mut removed: BTreeSet<String> = state.last.search.difference(&paths).cloned().collect();
        // A body edited alone leaves the open data as it was: it is written again only after
        // a change it can show.
        let data_paths = if state.data_stale {
            let data = crate::publish::data_files(site, &copied)?;
            let data_paths: HashSet<String> = data.iter().map(|f| f.path.clone()).collect();
            removed.extend(state.last.data.difference(&data_paths).cloned());
            files.extend(data);
            Some(data_paths)
        } else {
            None
        };
        let output = Output {
            complete: false,
            files,
            removed: removed.into_iter().collect(),
            pages_rendered: 0,
            draft_pages: draft_pages(site),
            left_out_drafts: state.left_out_drafts(),
            touched: BTreeSet::new(),
            new_warnings: Diagnostics::default(),
        };
        state.last.search = paths;
        if let Some(data_paths) = data_paths {
            state.last.data = data_paths;
            state.data_stale = false;
        }
        state.search_stale = false;
        Ok(Some(output))
    }

    fn rebuild_all_but_search(
        &mut self,
        changes: &Changes,
        today: Date,
    ) -> Result<Output, Diagnostics> {
        let paths = match (changes, &self.state) {
            (Changes::Paths(paths), Some(state)) if state.today == today => paths,
            _ => return self.full(today),
        };
        let root = self.options.root.clone();
        let theme_name = self.state.as_ref().map_or("", |s| &s.config.theme);
        let touched: Vec<(PathBuf, Touched)> = paths
            .iter()
            .map(|path| (path.clone(), classify(&root, path, theme_name)))
            .collect();
        if touched.iter().any(|(_, t)| *t == Touched::Config) {
            return self.full(today);
        }
        let include_drafts = self.options.include_drafts;
        let Some(state) = self.state.as_mut() else {
            return self.full(today);
        };
        for (path, touched) in touched {
            state.note(&root, &path, touched, include_drafts);
        }
        if !state.load_problems.is_empty() {
            state.pending.rescan = true;
        }
        state.refresh(&root, include_drafts)?;
        state.finish()
    }

    /// Every warning of the site as last built, as `build_in_memory` would give them.
    pub fn warnings(&self) -> Diagnostics {
        self.state.as_ref().map(State::problems).unwrap_or_default()
    }

    /// The site as last assembled.
    pub fn site(&self) -> Option<&Site> {
        self.state.as_ref().and_then(|s| s.site.as_ref())
    }

    /// How many content files the last rebuild read, drafts and unreadable files included.
    pub fn source_count(&self) -> usize {
        self.state
            .as_ref()
            .map_or(0, |s| s.sources.len() + s.unreadable.len())
    }

    fn full(&mut self, today: Date) -> Result<Output, Diagnostics> {
        self.state = None;
        let root = &self.options.root;
        let text = load::read_config(root)?;
        let config = config::parse_file(&text, self.options.base_url.as_deref())?;
        let theme = theme::load(root, &config.theme).map_err(Diagnostics::from)?;
        let sources = load::load(root)?;
        let targets = LinkTargets::default();
        let mut state = State {
            today,
            config,
            theme,
            load_problems: sources.problems,
            unreadable: sources.unreadable,
            sources: BTreeMap::new(),
            failures: BTreeMap::new(),
            bodies: HashMap::new(),
            drafts: HashSet::new(),
            left_out: BTreeMap::new(),
            assets: sources.assets,
            targets,
            site: None,
            model_problems: Vec::new(),
            pending: Pending {
                complete: true,
                ..Pending::default()
            },
            last: LastOutput::default(),
            search_stale: false,
            data_stale: true,
        };
        state.take_sources(sources.files, self.options.include_drafts);
        self.state.insert(state).finish()
    }
}

impl State {
    /// Applies what is pending, checks the result and renders what changed.
    /// After a good build, files that cannot be read or parsed are reported alone: the site
    /// keeps their last good versions until they are fixed, so checking the rest against it
    /// would mislead. Before any, the rest is checked without them, so one run reports every
    /// problem in the site.
    fn finish(&mut self) -> Result<Output, Diagnostics> {
        let failed = self.load_problems.has_errors() || !self.failures.is_empty();
        if failed && !self.pending.complete {
            return Err(self.file_problems());
        }
        let model_before = self.apply_staged();
        if failed {
            let mut problems = self.file_problems();
            self.check_bodies();
            problems.extend(self.problems());
            return Err(problems);
        }
        let mut new_warnings = Diagnostics::default();
        if let Some(before) = model_before {
            new_warnings.extend(added(&before, &self.model_problems));
        }
        new_warnings.extend(self.check_bodies());
        let body_errors = self.bodies.values().flat_map(|b| &b.checked);
        let has_errors = self
            .model_problems
            .iter()
            .chain(body_errors)
            .any(|p| p.severity == Severity::Error);
        if has_errors {
            return Err(self.problems());
        }
        if self.pending.complete {
            new_warnings = self.problems();
        }
        self.render_output(new_warnings)
    }

    /// The problems of files that could not be read or parsed.
    fn file_problems(&self) -> Diagnostics {
        let mut problems = self.load_problems.clone();
        problems.extend(self.failures.values().flatten().cloned());
        problems
    }

    /// Content-relative paths of the files left out because they could not be read or parsed.
    fn failed_paths(&self) -> HashSet<String> {
        let failures = self.failures.keys().cloned();
        failures.chain(self.unreadable.iter().cloned()).collect()
    }

    /// Every problem of the current site: its files' (warnings only, or it would not have
    /// been built), its model's, then its bodies'.
    fn problems(&self) -> Diagnostics {
        let mut problems = self.load_problems.clone();
        problems.extend(self.model_problems.iter().cloned());
        problems.extend(self.bodies.values().flat_map(|b| b.checked.iter().cloned()));
        problems
    }

    /// Renders the pages that may have changed, lists the copied files and what disappeared.
    fn render_output(&mut self, new_warnings: Diagnostics) -> Result<Output, Diagnostics> {
        let Some(site) = &self.site else {
            return Err(Diagnostics::from(Diagnostic::error(
                "internal",
                "the site was not assembled; please report this",
            )));
        };
        let with_problems = |mut problems: Diagnostics| {
            problems.extend(self.problems());
            problems
        };
        let pages = self.changed_pages(site).map_err(with_problems)?;
        let pages_now = pages.paths.as_ref().unwrap_or(&self.last.pages);
        let copied = self.copied(site, pages_now).map_err(with_problems)?;
        let copied_now: HashSet<&str> = match &copied {
            Some(copied) => copied.iter().map(|f| f.path.as_str()).collect(),
            None => self.last.copied.iter().map(String::as_str).collect(),
        };
        let standard = self
            .standard_files(site, &pages.files, &copied_now)
            .map_err(with_problems)?;
        let pages_rendered = pages.files.len();
        let mut files = pages.files;
        let mut removed = BTreeSet::new();
        let standard_paths: HashSet<String> = standard.iter().map(|f| f.path.clone()).collect();
        files.extend(standard);
        removed.extend(self.last.standard.difference(&standard_paths).cloned());
        let copied_paths = copied.map(|copied| {
            let paths: HashSet<String> = copied.iter().map(|f| f.path.clone()).collect();
            files.extend(self.copied_to_send(copied));
            let gone = |p: &&String| !pages_now.contains(*p) && !paths.contains(*p);
            removed.extend(self.last.copied.iter().filter(gone).cloned());
            if pages.paths.is_some() {
                removed.extend(self.last.pages.iter().filter(gone).cloned());
            }
            paths
        });
        let output = Output {
            complete: self.pending.complete,
            files,
            removed: removed.into_iter().collect(),
            pages_rendered,
            draft_pages: draft_pages(site),
            left_out_drafts: self.left_out_drafts(),
            touched: self.pending.touched_files.clone(),
            new_warnings,
        };
        if let Some(paths) = pages.paths {
            self.last.pages = paths;
        }
        if let Some(paths) = copied_paths {
            self.last.copied = paths;
        }
        self.last.standard = standard_paths;
        self.pending = Pending::default();
        Ok(output)
    }

    /// Where the pages of the drafts left out would be, by output path, with their files.
    fn left_out_drafts(&self) -> BTreeMap<String, String> {
        self.left_out
            .iter()
            .map(|(rel, draft)| {
                let file = format!("{}/{rel}", load::CONTENT_DIR);
                (routes::page_file(&draft.site_path), file)
            })
            .collect()
    }

    /// The pages to send: every page whose inputs changed (all of them on a complete build).
    /// When pages may have come or gone, also every page path of the site now.
    fn changed_pages(&self, site: &Site) -> Result<ChangedPages, Diagnostics> {
        let pending = &self.pending;
        let last = &self.last;
        // Theme files have content-hashed names that every page links to.
        let reshaped = pending.complete || pending.reshaped || pending.theme_changed;
        if !reshaped {
            let files =
                render::render_pages(site, &self.theme, &mut |path| pending.pages.wants(path))?;
            return Ok(ChangedPages { files, paths: None });
        }
        let mut paths = HashSet::with_capacity(last.pages.len());
        let mut wanted = |path: &str| {
            paths.insert(path.to_string());
            pending.complete
                || pending.theme_changed
                || pending.pages.wants(path)
                || !last.pages.contains(path)
        };
        let files = render::render_pages(site, &self.theme, &mut wanted)?;
        Ok(ChangedPages {
            files,
            paths: Some(paths),
        })
    }

    /// Every copied file (attachments, static and theme files), when the list may have changed.
    fn copied(
        &self,
        site: &Site,
        pages_now: &HashSet<String>,
    ) -> Result<Option<Vec<OutputFile>>, Diagnostics> {
        let pending = &self.pending;
        // Copied files change only with the file list, the theme or what is on disk.
        let copying = pending.complete
            || pending.reshaped
            || pending.assets_changed
            || pending.theme_changed
            || !pending.touched_files.is_empty();
        if !copying {
            return Ok(None);
        }
        let pages = pages_now.iter().map(|p| p.as_str());
        render::copied_files(site, &self.theme, pages).map(Some)
    }

    /// The copied files the preview does not have yet, or has in an old version.
    fn copied_to_send(&self, copied: Vec<OutputFile>) -> impl Iterator<Item = OutputFile> + '_ {
        let pending = &self.pending;
        let everything = pending.complete || pending.assets_changed || pending.theme_changed;
        copied.into_iter().filter(move |f| {
            everything
                || pending.touched_files.contains(&f.path)
                || !self.last.copied.contains(&f.path)
        })
    }

    /// Feeds, calendars and the sitemap carry bodies, titles and dates from everywhere, so
    /// they are written anew on every rebuild; a site's own robots.txt wins over Waymark's,
    /// and any other `copied` file at their addresses is an error.
    fn standard_files(
        &self,
        site: &Site,
        pages: &[OutputFile],
        copied: &HashSet<&str>,
    ) -> Result<Vec<OutputFile>, Diagnostics> {
        let mut standard = crate::publish::standard_files_but_search(site, copied)?;
        // This rebuild's copied files when it listed them: on the first build the last list
        // is empty, and a site's own robots.txt must still win.
        let site_robots =
            copied.contains(routes::ROBOTS) || pages.iter().any(|f| f.path == routes::ROBOTS);
        standard.retain(|f| !(site_robots && f.path == routes::ROBOTS));
        Ok(standard)
    }
}

/// Pages rendered by one rebuild.
struct ChangedPages {
    files: Vec<OutputFile>,
    /// Every page path of the site, when pages may have come or gone.
    paths: Option<HashSet<String>>,
}

/// The problems in `after` that are not in `before`.
fn added(before: &[Diagnostic], after: &[Diagnostic]) -> Vec<Diagnostic> {
    type Key<'a> = (
        &'a Option<PathBuf>,
        Option<u32>,
        Option<u32>,
        &'a str,
        &'a str,
    );
    fn key(d: &Diagnostic) -> Key<'_> {
        (&d.file, d.line, d.column, d.code, &d.message)
    }
    let known: HashSet<Key<'_>> = before.iter().map(key).collect();
    after
        .iter()
        .filter(|d| !known.contains(&key(d)))
        .cloned()
        .collect()
}
