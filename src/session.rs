//! A long-lived build, for the preview server. It keeps every file's text, parse result and
//! rendered body and the assembled site, so after an edit it re-reads, re-parses and re-renders
//! only what the edit can change. Its output always equals `build_in_memory` on the same files.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::BuildOptions;
use crate::config::{self, Config};
use crate::content::{self, Common, Item};
use crate::dependents::{self, Affected, Footprint, ItemChange};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::markdown::{AnchorLink, LinkTargets, Rendered};
use crate::render::{self, OutputFile};
use crate::site::{self, BodyFacts, Published, Site};
use crate::source::{self, Asset, Section, SourceFile};
use crate::theme::{self, Theme};
use crate::values::Date;

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
    /// Every Markdown file under `content/`, by path relative to it.
    sources: BTreeMap<String, SourceRecord>,
    failures: BTreeMap<String, Vec<Diagnostic>>,
    /// What rendering each body in `site` found, besides its HTML (which lives in `site`).
    bodies: HashMap<String, BodyRecord>,
    /// Drafts left out, for link messages.
    drafts: HashSet<String>,
    /// Documents of the draft meetings left out, which stay unpublished with them.
    draft_documents: BTreeMap<String, Vec<String>>,
    /// Every file to copy; `site.assets` leaves out draft meetings' documents.
    assets: Vec<Asset>,
    targets: LinkTargets,
    /// The assembled site; its items are the last versions of each file that parsed.
    site: Option<Site>,
    /// Problems of the assembled model as a whole (body problems are kept per body).
    model_problems: Vec<Diagnostic>,
    pending: Pending,
    last: LastOutput,
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
}

/// What is at a changed path now.
enum Found {
    File(u64),
    Nothing,
    Unclear,
}

/// What a changed path is to the site.
#[derive(Debug, PartialEq, Eq)]
enum Touched {
    Config,
    /// A file of the theme in use; `Some` for a static file, with its output path.
    Theme(Option<String>),
    Markdown(String),
    Attachment,
    Ignored,
}

impl Session {
    /// `options.today` is ignored; each rebuild says which day it is.
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            state: None,
        }
    }

    /// Brings the site up to date with `changes`. After an error the next rebuild still covers
    /// every change since the last success.
    pub fn rebuild(&mut self, changes: &Changes, today: Date) -> Result<Output, Diagnostics> {
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

    fn full(&mut self, today: Date) -> Result<Output, Diagnostics> {
        self.state = None;
        let root = &self.options.root;
        let config = config::load(root, self.options.base_url.as_deref()).map_err(single)?;
        let theme = theme::load(root, &config.theme).map_err(single)?;
        let sources = source::load(root)?;
        let targets = LinkTargets::default();
        let mut state = State {
            today,
            config,
            theme,
            load_problems: sources.problems,
            sources: BTreeMap::new(),
            failures: BTreeMap::new(),
            bodies: HashMap::new(),
            drafts: HashSet::new(),
            draft_documents: BTreeMap::new(),
            assets: sources.assets,
            targets,
            site: None,
            model_problems: Vec::new(),
            pending: Pending {
                complete: true,
                ..Pending::default()
            },
            last: LastOutput::default(),
        };
        state.take_sources(sources.files, self.options.include_drafts);
        self.state.insert(state).finish()
    }
}

fn single(diagnostic: Diagnostic) -> Diagnostics {
    let mut problems = Diagnostics::default();
    problems.push(diagnostic);
    problems
}

/// Decides what `path` is: anything outside `site.yaml`, `content/`, `static/` and the theme in
/// use, and editors' temporary files, do not matter.
fn classify(root: &Path, path: &Path, theme_name: &str) -> Touched {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut parts = Vec::new();
    for component in rel.components() {
        match component {
            std::path::Component::Normal(name) => parts.push(name.to_string_lossy()),
            _ => return Touched::Ignored,
        }
    }
    if parts.iter().any(|p| source::is_ignored_name(p)) {
        return Touched::Ignored;
    }
    let parts: Vec<&str> = parts.iter().map(|p| p.as_ref()).collect();
    match parts.as_slice() {
        [config::CONFIG_FILE] => Touched::Config,
        // The themes folder itself, or the theme in use, appeared or went away.
        ["themes"] => Touched::Theme(None),
        ["themes", name, rest @ ..] if *name == theme_name => match rest {
            ["static", file @ ..] if !file.is_empty() => Touched::Theme(Some(file.join("/"))),
            _ => Touched::Theme(None),
        },
        [source::CONTENT_DIR, rest @ ..] if rest.last().is_some_and(|n| n.ends_with(".md")) => {
            Touched::Markdown(rest.join("/"))
        }
        [source::CONTENT_DIR, ..] | [source::STATIC_DIR, ..] => Touched::Attachment,
        _ => Touched::Ignored,
    }
}

impl State {
    /// Takes note of one changed path; anything it cannot settle alone waits for a rescan.
    fn note(&mut self, root: &Path, path: &Path, touched: Touched, include_drafts: bool) {
        let path = if path.is_absolute() {
            path.to_path_buf()
        } else {
            root.join(path)
        };
        let found = match std::fs::metadata(&path) {
            Ok(metadata) if metadata.is_file() => Found::File(metadata.len()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Found::Nothing,
            // A folder appeared or disappeared, or the path cannot be read: walk everything.
            _ => Found::Unclear,
        };
        match (touched, found) {
            (Touched::Config | Touched::Ignored, _) => {}
            (Touched::Theme(static_file), _) => {
                self.pending.theme = true;
                self.pending.touched_files.extend(static_file);
            }
            (_, Found::Unclear) => self.pending.rescan = true,
            (Touched::Markdown(rel), Found::File(size)) => {
                self.read_markdown(&path, rel, size, include_drafts)
            }
            (Touched::Markdown(rel), Found::Nothing) => self.forget_markdown(rel),
            (Touched::Attachment, Found::File(size)) => {
                match self.assets.iter_mut().find(|a| a.source == path) {
                    Some(asset) => {
                        self.pending.touched_files.insert(asset.output_rel.clone());
                        if asset.size != size {
                            asset.size = size;
                            self.pending.assets_changed = true;
                        }
                    }
                    None => self.pending.rescan = true,
                }
            }
            (Touched::Attachment, Found::Nothing) => {
                // A file, or a whole folder, went away.
                let content_rel = path.strip_prefix(root.join(source::CONTENT_DIR)).ok();
                let had_files = self.assets.iter().any(|a| a.source.starts_with(&path))
                    || content_rel.is_some_and(|folder| {
                        self.sources
                            .keys()
                            .any(|rel| Path::new(rel).starts_with(folder))
                    });
                if had_files {
                    self.pending.rescan = true;
                }
            }
        }
    }

    fn read_markdown(&mut self, path: &Path, rel: String, size: u64, include_drafts: bool) {
        let section = match self.sources.get(&rel) {
            Some(record) => Ok(record.section),
            None => source::classify(&rel),
        };
        let read =
            section.and_then(|section| source::read_source(path, rel.clone(), section, size));
        match read {
            Ok(file) => self.take_source(file, include_drafts),
            Err(problem) => {
                let problem = match problem.file {
                    Some(_) => problem,
                    None => problem.in_file(Path::new(source::CONTENT_DIR).join(&rel)),
                };
                self.fail(rel, vec![problem]);
            }
        }
    }

    fn forget_markdown(&mut self, rel: String) {
        self.failures.remove(&rel);
        self.drafts.remove(&rel);
        self.draft_documents.remove(&rel);
        if self.sources.remove(&rel).is_some() {
            self.pending.staged.insert(rel, None);
        }
    }

    /// Re-reads what `note` could not settle: the file list, or the theme.
    fn refresh(&mut self, root: &Path, include_drafts: bool) -> Result<(), Diagnostics> {
        if self.pending.theme {
            let theme = theme::load(root, &self.config.theme).map_err(single)?;
            let static_paths = |t: &Theme| t.static_files.keys().cloned().collect::<Vec<_>>();
            if theme.templates != self.theme.templates
                || static_paths(&theme) != static_paths(&self.theme)
            {
                self.pending.pages.all = true;
            }
            self.theme = theme;
            self.pending.theme = false;
            self.pending.theme_changed = true;
        }
        if self.pending.rescan {
            let sources = source::load(root)?;
            self.take_rescan(sources, include_drafts);
            self.pending.rescan = false;
        }
        Ok(())
    }

    fn take_rescan(&mut self, sources: source::Sources, include_drafts: bool) {
        self.load_problems = sources.problems;
        let present: HashSet<&str> = sources.files.iter().map(|f| f.rel_path.as_str()).collect();
        let gone: Vec<String> = self
            .sources
            .keys()
            .filter(|rel| !present.contains(rel.as_str()))
            .cloned()
            .collect();
        for rel in gone {
            self.forget_markdown(rel);
        }
        let changed: Vec<SourceFile> = sources
            .files
            .into_iter()
            .filter(|f| {
                let known = self.sources.get(&f.rel_path);
                known.is_none_or(|r| r.text != f.text) || self.failures.contains_key(&f.rel_path)
            })
            .collect();
        self.take_sources(changed, include_drafts);
        if sources.assets != self.assets {
            let before: HashMap<&str, &Asset> = self
                .assets
                .iter()
                .map(|a| (a.output_rel.as_str(), a))
                .collect();
            for asset in &sources.assets {
                if before.get(asset.output_rel.as_str()) != Some(&asset) {
                    self.pending.touched_files.insert(asset.output_rel.clone());
                }
            }
            self.assets = sources.assets;
            self.pending.assets_changed = true;
        }
    }

    fn take_sources(&mut self, files: Vec<SourceFile>, include_drafts: bool) {
        let parsed: Vec<(SourceFile, Result<Item, Vec<Diagnostic>>)> = files
            .into_par_iter()
            .map(|file| {
                let parsed = content::parse(&file);
                (file, parsed)
            })
            .collect();
        for (file, parsed) in parsed {
            self.take_parsed(file, parsed, include_drafts);
        }
    }

    fn take_source(&mut self, file: SourceFile, include_drafts: bool) {
        let unchanged = self
            .sources
            .get(&file.rel_path)
            .is_some_and(|r| r.text == file.text)
            && !self.failures.contains_key(&file.rel_path);
        if !unchanged {
            let parsed = content::parse(&file);
            self.take_parsed(file, parsed, include_drafts);
        }
    }

    fn take_parsed(
        &mut self,
        file: SourceFile,
        parsed: Result<Item, Vec<Diagnostic>>,
        include_drafts: bool,
    ) {
        let rel = file.rel_path.clone();
        self.sources.insert(
            rel.clone(),
            SourceRecord {
                section: file.section,
                text: file.text,
            },
        );
        match parsed {
            Ok(item) => {
                self.failures.remove(&rel);
                let left_out = item.common().draft && !include_drafts;
                if left_out {
                    self.drafts.insert(rel.clone());
                    self.draft_documents
                        .insert(rel.clone(), crate::documents_of(&item));
                } else {
                    self.drafts.remove(&rel);
                    self.draft_documents.remove(&rel);
                }
                self.pending.staged.insert(rel, (!left_out).then_some(item));
            }
            Err(problems) => self.fail(rel, problems),
        }
    }

    fn fail(&mut self, rel: String, problems: Vec<Diagnostic>) {
        // The site keeps the last version that parsed until this file is fixed.
        self.pending.staged.remove(&rel);
        self.failures.insert(rel, problems);
    }

    /// Applies what is pending, checks the result and renders what changed.
    /// Files that cannot be read or parsed are reported alone: the site keeps their last good
    /// versions until they are fixed, so checking the rest against it would mislead.
    fn finish(&mut self) -> Result<Output, Diagnostics> {
        if self.load_problems.has_errors() || !self.failures.is_empty() {
            let mut problems = self.load_problems.clone();
            problems.extend(self.failures.values().flatten().cloned());
            return Err(problems);
        }
        let model_before = self.apply_staged();
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

    /// Every problem of the current site: its model's, then its bodies'.
    fn problems(&self) -> Diagnostics {
        let mut problems = Diagnostics::default();
        problems.extend(self.model_problems.iter().cloned());
        problems.extend(self.bodies.values().flat_map(|b| b.checked.iter().cloned()));
        problems
    }

    /// Runs `site::check_bodies` on the bodies rendered since the last check and on those that
    /// link to headings (with the bodies they link to); every other body's result still holds.
    /// Returns the problems that were not there before.
    fn check_bodies(&mut self) -> Vec<Diagnostic> {
        let Some(site) = &self.site else {
            return Vec::new();
        };
        let mut involved: HashSet<&str> = HashSet::new();
        for (rel, body) in &self.bodies {
            if body.fresh || !body.anchor_links.is_empty() {
                involved.insert(rel);
                involved.extend(body.anchor_links.iter().map(|l| l.target.as_str()));
            }
        }
        if involved.is_empty() {
            return Vec::new();
        }
        // Usually one or two bodies: comparing names beats hashing ten thousand.
        let wanted: Vec<&str> = involved.iter().copied().collect();
        let found = site::check_bodies(
            published(site)
                .filter(|p| wanted.contains(&p.common.rel_path.as_str()))
                .map(|p| body_facts(&p, &self.bodies)),
        );
        let involved: Vec<String> = involved.into_iter().map(str::to_string).collect();
        let mut by_file: HashMap<String, Vec<Diagnostic>> = HashMap::new();
        for problem in found {
            let file = problem
                .file
                .as_ref()
                .map(|f| f.to_string_lossy().into_owned());
            by_file
                .entry(file.unwrap_or_default())
                .or_default()
                .push(problem);
        }
        let mut new = Vec::new();
        for rel in involved {
            let Some(body) = self.bodies.get_mut(&rel) else {
                continue;
            };
            let file = format!("{}/{rel}", source::CONTENT_DIR);
            let checked = by_file.remove(&file).unwrap_or_default();
            new.extend(added(&body.checked, &checked));
            body.checked = checked;
            body.fresh = false;
        }
        new
    }

    /// Brings the site up to date; returns the model's problems from before if it was
    /// assembled again.
    fn apply_staged(&mut self) -> Option<Vec<Diagnostic>> {
        let before = std::mem::take(&mut self.model_problems);
        match self.site.take() {
            None => self.assemble_all(),
            Some(mut site) if self.only_bodies_changed(&site) => {
                self.patch_bodies(&mut site);
                self.site = Some(site);
                self.model_problems = before;
                return None;
            }
            Some(site) => self.reassemble(site),
        }
        Some(before)
    }

    fn assemble_all(&mut self) {
        let items: Vec<Item> = std::mem::take(&mut self.pending.staged)
            .into_values()
            .flatten()
            .collect();
        let assets = self.published_assets(&items);
        self.targets = self.link_targets(&items, &assets);
        self.bodies.clear();
        let bodies = self.render_bodies(items);
        self.assemble(bodies, assets);
        self.pending.pages.all = true;
        self.pending.reshaped = true;
    }

    /// The files to copy: all but the documents of draft meetings left out.
    fn published_assets<'a>(&self, items: impl IntoIterator<Item = &'a Item>) -> Vec<Asset> {
        let drafts: HashSet<String> = self.draft_documents.values().flatten().cloned().collect();
        crate::without_draft_documents(self.assets.clone(), &drafts, items)
    }

    fn link_targets<'a>(
        &self,
        items: impl IntoIterator<Item = &'a Item>,
        assets: &[Asset],
    ) -> LinkTargets {
        // No file has failed: rebuilds with failures stop before this.
        let failed = HashSet::new();
        let base_path = &self.config.base_url.path;
        site::link_targets(items, assets, self.drafts.clone(), failed, base_path)
    }

    fn assemble(&mut self, bodies: Vec<(Item, Rendered)>, assets: Vec<Asset>) {
        let config = self.config.clone();
        let (site, problems) =
            site::assemble_rendered(bodies, config, self.today, assets, &self.targets);
        self.model_problems = problems.sorted();
        self.site = Some(site);
    }

    /// Renders bodies in parallel, keeping what each found.
    fn render_bodies(&mut self, items: Vec<Item>) -> Vec<(Item, Rendered)> {
        let targets = &self.targets;
        let raw_html = self.config.allow_raw_html;
        let mut bodies: Vec<(Item, Rendered)> = items
            .into_par_iter()
            .map(|item| {
                let rendered = site::render_body(&item, targets, raw_html);
                (item, rendered)
            })
            .collect();
        for (item, rendered) in &mut bodies {
            let rel = item.common().rel_path.clone();
            self.bodies.insert(rel, BodyRecord::take_from(rendered));
        }
        bodies
    }

    /// True when every staged change is a new body for an item whose front matter and file
    /// name stay the same: then nothing but those items' own pages can change.
    fn only_bodies_changed(&self, site: &Site) -> bool {
        const PATCH_LIMIT: usize = 16;
        if self.pending.assets_changed || self.pending.staged.len() > PATCH_LIMIT {
            return false;
        }
        self.pending.staged.iter().all(|(rel, item)| {
            let old = published(site).find(|p| p.common.rel_path == *rel);
            match (old, item) {
                (Some(old), Some(new)) => same_front_matter(old.common, new.common()),
                _ => false,
            }
        })
    }

    fn patch_bodies(&mut self, site: &mut Site) {
        let staged = std::mem::take(&mut self.pending.staged);
        for (rel, item) in staged {
            let Some(item) = item else { continue };
            let raw_html = self.config.allow_raw_html;
            let mut rendered = site::render_body(&item, &self.targets, raw_html);
            let Some(old) = published_mut(site, &rel) else {
                continue;
            };
            self.bodies
                .insert(rel, BodyRecord::take_from(&mut rendered));
            *old.common = into_common(item);
            *old.html = rendered.html;
            *old.heading_ids = rendered.heading_ids;
            let page = dependents::page_path(old.site_path);
            self.pending.pages.pages.insert(page);
        }
    }

    /// Takes the site apart, applies the staged items, re-renders the bodies whose links point
    /// at anything that appeared or disappeared, and assembles it again.
    fn reassemble(&mut self, site: Site) {
        let view_before = dependents::site_view_key(&site);
        let (mut bodies, assets_before) = disassemble(site);
        let mut changes = Vec::new();
        let mut to_render = Vec::new();
        let mut reshaped = false;
        for (rel, new) in std::mem::take(&mut self.pending.staged) {
            let old = bodies.remove(&rel).map(|body| body.0);
            reshaped |= old.is_none() || new.is_none();
            let body_only = match (&old, &new) {
                (Some(old), Some(new)) => same_front_matter(old.common(), new.common()),
                _ => false,
            };
            changes.push(ItemChange {
                before: old.as_ref().map(Footprint::of),
                after: new.as_ref().map(Footprint::of),
                body_only,
            });
            self.bodies.remove(&rel);
            to_render.extend(new);
        }
        let assets = self.published_assets(bodies.values().map(|b| &b.0).chain(&to_render));
        if assets != assets_before {
            self.pending.assets_changed = true;
        }
        if reshaped || self.pending.assets_changed {
            reshaped = true;
            let relinked = self.relink(&mut bodies, &to_render, &assets, &mut changes);
            to_render.extend(relinked);
        }
        for (item, rendered) in self.render_bodies(to_render) {
            let rel = item.common().rel_path.clone();
            bodies.insert(rel, Box::new((item, rendered)));
        }
        self.assemble(bodies.into_values().map(|body| *body).collect(), assets);
        let Some(site) = &self.site else { return };
        let pages = &mut self.pending.pages;
        for change in &changes {
            dependents::add_affected(change, site, pages);
        }
        if self.pending.assets_changed {
            dependents::add_pages_with_documents(site, pages);
        }
        if dependents::site_view_key(site) != view_before {
            pages.all = true;
        }
        self.pending.reshaped |= reshaped;
    }

    /// After files appeared or disappeared: new link targets, and the bodies (taken out of
    /// `bodies`) whose links were looked up under a target that moved.
    fn relink(
        &mut self,
        bodies: &mut Bodies,
        new_items: &[Item],
        assets: &[Asset],
        changes: &mut Vec<ItemChange>,
    ) -> Vec<Item> {
        let items = bodies.values().map(|body| &body.0).chain(new_items);
        let targets = self.link_targets(items, assets);
        let moved = moved_targets(&self.targets, &targets);
        self.targets = targets;
        let relinked: Vec<&String> = self
            .bodies
            .iter()
            .filter(|(_, b)| b.link_lookups.iter().any(|k| moved.contains(k.as_str())))
            .map(|(rel, _)| rel)
            .collect();
        let mut items = Vec::new();
        for rel in relinked {
            if let Some(body) = bodies.remove(rel) {
                let footprint = Footprint::of(&body.0);
                changes.push(ItemChange {
                    before: Some(footprint.clone()),
                    after: Some(footprint),
                    body_only: true,
                });
                items.push(body.0);
            }
        }
        items
    }

    /// Renders the pages that may have changed, lists the copied files and what disappeared.
    fn render_output(&mut self, new_warnings: Diagnostics) -> Result<Output, Diagnostics> {
        let Some(site) = &self.site else {
            return Err(single(Diagnostic::error(
                "internal",
                "the site was not assembled; please report this",
            )));
        };
        let pending = &self.pending;
        let last = &self.last;
        let reshaped = pending.complete || pending.reshaped;
        let mut page_paths = HashSet::new();
        let rendered = if reshaped {
            page_paths.reserve(last.pages.len());
            let mut wanted = |path: &str| {
                page_paths.insert(path.to_string());
                pending.complete || pending.pages.wants(path) || !last.pages.contains(path)
            };
            render::render_pages(site, &self.theme, &mut wanted)
        } else {
            render::render_pages(site, &self.theme, &mut |path| pending.pages.wants(path))
        };
        let pages_now = if reshaped { &page_paths } else { &last.pages };
        // Copied files change only with the file list, the theme or what is on disk.
        let copying = reshaped
            || pending.assets_changed
            || pending.theme_changed
            || !pending.touched_files.is_empty();
        let copied = rendered.and_then(|pages| {
            let copied = if copying {
                let pages = pages_now.iter().map(|p| p.as_str());
                Some(render::copied_files(site, &self.theme, pages)?)
            } else {
                None
            };
            Ok((pages, copied))
        });
        let (mut files, copied) = copied.map_err(|mut problems| {
            problems.extend(self.problems());
            problems
        })?;
        let pages_rendered = files.len();
        let mut removed = BTreeSet::new();
        let mut copied_paths = None;
        if let Some(copied) = copied {
            let paths: HashSet<String> = copied.iter().map(|f| f.path.clone()).collect();
            let everything = pending.complete || pending.assets_changed || pending.theme_changed;
            files.extend(copied.into_iter().filter(|f| {
                everything
                    || pending.touched_files.contains(&f.path)
                    || !last.copied.contains(&f.path)
            }));
            let gone = |p: &&String| !pages_now.contains(*p) && !paths.contains(*p);
            removed.extend(last.copied.iter().filter(gone).cloned());
            if reshaped {
                removed.extend(last.pages.iter().filter(gone).cloned());
            }
            copied_paths = Some(paths);
        }
        let output = Output {
            complete: pending.complete,
            files,
            removed: removed.into_iter().collect(),
            pages_rendered,
            draft_pages: draft_pages(site),
            touched: pending.touched_files.clone(),
            new_warnings,
        };
        if reshaped {
            self.last.pages = page_paths;
        }
        if let Some(paths) = copied_paths {
            self.last.copied = paths;
        }
        self.pending = Pending::default();
        Ok(output)
    }
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

/// Link-target keys whose address appeared, disappeared or changed, or that became or stopped
/// being a draft.
fn moved_targets(before: &LinkTargets, after: &LinkTargets) -> HashSet<String> {
    let mut moved = HashSet::new();
    for (old, new) in [(&before.pages, &after.pages), (&before.files, &after.files)] {
        for (key, url) in old {
            if new.get(key) != Some(url) {
                moved.insert(key.clone());
            }
        }
        for key in new.keys() {
            if !old.contains_key(key) {
                moved.insert(key.clone());
            }
        }
    }
    moved.extend(before.drafts.symmetric_difference(&after.drafts).cloned());
    moved
}

fn same_front_matter(old: &Common, new: &Common) -> bool {
    old.rel_path == new.rel_path
        && old.text[..old.body_offset] == new.text[..new.body_offset]
        && old.draft == new.draft
}

fn into_common(item: Item) -> Common {
    match item {
        Item::Home(p) | Item::Page(p) => p.common,
        Item::Priority(p) => p.common,
        Item::Meeting(m) => m.common,
        Item::Update(u) => u.common,
    }
}

/// Items with their rendered bodies, by path. Boxed, as items are large and the map moves its
/// values around.
type Bodies = BTreeMap<String, Box<(Item, Rendered)>>;

/// One published item, seen without its kind.
struct PublishedRef<'a> {
    common: &'a Common,
    heading_ids: &'a [String],
    site_path: &'a str,
}

fn published(site: &Site) -> impl Iterator<Item = PublishedRef<'_>> {
    fn view<T>(p: &Published<T>, common: fn(&T) -> &Common) -> PublishedRef<'_> {
        PublishedRef {
            common: common(&p.item),
            heading_ids: &p.heading_ids,
            site_path: &p.site_path,
        }
    }
    let home = site.home.iter().map(|p| view(p, |i| &i.common));
    let priorities = site.priorities.iter().map(|e| view(&e.page, |i| &i.common));
    let meetings = site.meetings.iter().map(|e| view(&e.page, |i| &i.common));
    let updates = site.updates.iter().map(|p| view(p, |i| &i.common));
    let pages = site.pages.iter().map(|p| view(p, |i| &i.common));
    home.chain(priorities)
        .chain(meetings)
        .chain(updates)
        .chain(pages)
}

fn body_facts<'a>(p: &PublishedRef<'a>, bodies: &'a HashMap<String, BodyRecord>) -> BodyFacts<'a> {
    let record = bodies.get(&p.common.rel_path);
    BodyFacts {
        common: p.common,
        heading_ids: p.heading_ids,
        anchor_links: record.map_or(&[], |r| &r.anchor_links),
        problems: record.map_or(&[], |r| &r.problems),
    }
}

fn draft_pages(site: &Site) -> BTreeSet<String> {
    published(site)
        .filter(|p| p.common.draft)
        .map(|p| dependents::page_path(p.site_path))
        .collect()
}

/// One published item's parts that a new body replaces.
struct PublishedMut<'a> {
    common: &'a mut Common,
    html: &'a mut String,
    heading_ids: &'a mut Vec<String>,
    site_path: &'a str,
}

fn published_mut<'a>(site: &'a mut Site, rel: &str) -> Option<PublishedMut<'a>> {
    fn view<T>(p: &mut Published<T>, common: fn(&mut T) -> &mut Common) -> PublishedMut<'_> {
        PublishedMut {
            common: common(&mut p.item),
            html: &mut p.html,
            heading_ids: &mut p.heading_ids,
            site_path: &p.site_path,
        }
    }
    let is = |c: &Common| c.rel_path == rel;
    if let Some(home) = site.home.as_mut().filter(|p| is(&p.item.common)) {
        return Some(view(home, |i| &mut i.common));
    }
    if let Some(e) = site.priorities.iter_mut().find(|e| is(&e.page.item.common)) {
        return Some(view(&mut e.page, |i| &mut i.common));
    }
    if let Some(e) = site.meetings.iter_mut().find(|e| is(&e.page.item.common)) {
        return Some(view(&mut e.page, |i| &mut i.common));
    }
    if let Some(p) = site.updates.iter_mut().find(|p| is(&p.item.common)) {
        return Some(view(p, |i| &mut i.common));
    }
    let page = site.pages.iter_mut().find(|p| is(&p.item.common))?;
    Some(view(page, |i| &mut i.common))
}

/// The site's items with their rendered bodies, ready to assemble again, and its copied files.
fn disassemble(site: Site) -> (Bodies, Vec<Asset>) {
    fn take<T>(p: Published<T>, kind: fn(T) -> Item) -> (String, Box<(Item, Rendered)>) {
        let item = kind(p.item);
        let rendered = Rendered {
            html: p.html,
            heading_ids: p.heading_ids,
            ..Rendered::default()
        };
        (item.common().rel_path.clone(), Box::new((item, rendered)))
    }
    let Site {
        home,
        priorities,
        meetings,
        updates,
        pages,
        assets,
        ..
    } = site;
    let home = home.into_iter().map(|p| take(p, Item::Home));
    let priorities = priorities.into_iter().map(|e| take(e.page, Item::Priority));
    let meetings = meetings.into_iter().map(|e| take(e.page, Item::Meeting));
    let updates = updates.into_iter().map(|p| take(p, Item::Update));
    let pages = pages.into_iter().map(|p| take(p, Item::Page));
    let bodies = home
        .chain(priorities)
        .chain(meetings)
        .chain(updates)
        .chain(pages)
        .collect();
    (bodies, assets)
}
