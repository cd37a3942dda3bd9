//! Keeping track of the site's files between rebuilds: what a changed path is, reading and
//! parsing what changed, and walking the folders again when a single path cannot say.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;

use super::{LeftOutDraft, SourceRecord, State};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::theme::{self, Theme};
use crate::load::{self, Asset, SourceFile};
use crate::parse::content::{self, Item};

/// What is at a changed path now.
pub(super) enum Found {
    File(u64),
    Nothing,
    Unclear,
}

/// What a changed path is to the site.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Touched {
    Config,
    /// A file of the theme in use; `Some` for a static file, with its output path.
    Theme(Option<String>),
    Markdown(String),
    Attachment,
    Ignored,
}

/// Decides what `path` is: anything outside `site.yaml`, `content/`, `static/` and the theme in
/// use, and editors' temporary files, do not matter.
pub(super) fn classify(root: &Path, path: &Path, theme_name: &str) -> Touched {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut parts = Vec::new();
    for component in rel.components() {
        match component {
            std::path::Component::Normal(name) => parts.push(name.to_string_lossy()),
            _ => return Touched::Ignored,
        }
    }
    if parts.iter().any(|p| load::is_ignored_name(p)) {
        return Touched::Ignored;
    }
    let parts: Vec<&str> = parts.iter().map(|p| p.as_ref()).collect();
    match parts.as_slice() {
        [load::CONFIG_FILE] => Touched::Config,
        // The themes folder itself, or the theme in use, appeared or went away.
        ["themes"] => Touched::Theme(None),
        ["themes", name, rest @ ..] if *name == theme_name => match rest {
            ["static", file @ ..] if !file.is_empty() => Touched::Theme(Some(file.join("/"))),
            _ => Touched::Theme(None),
        },
        [load::CONTENT_DIR, rest @ ..] if rest.last().is_some_and(|n| n.ends_with(".md")) => {
            Touched::Markdown(rest.join("/"))
        }
        [load::CONTENT_DIR, ..] | [load::STATIC_DIR, ..] => Touched::Attachment,
        _ => Touched::Ignored,
    }
}

impl State {
    /// Takes note of one changed path; anything it cannot settle alone waits for a rescan.
    pub(super) fn note(
        &mut self,
        root: &Path,
        path: &Path,
        touched: Touched,
        include_drafts: bool,
    ) {
        let path = if path.is_absolute() {
            path.to_path_buf()
        } else {
            root.join(path)
        };
        let found = match std::fs::metadata(&path) {
            // A link may lead out of the site: the full walk decides what is published.
            _ if is_link_or_outside(root, &path) => Found::Unclear,
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
                        // An indicator's figures may live in a CSV file: its text, not only
                        // its size, is part of the site.
                        let figures = asset.output_rel.to_ascii_lowercase().ends_with(".csv");
                        if asset.size != size || figures {
                            asset.size = size;
                            self.pending.assets_changed = true;
                        }
                    }
                    None => self.pending.rescan = true,
                }
            }
            (Touched::Attachment, Found::Nothing) => {
                // A file, or a whole folder, went away.
                let content_rel = path.strip_prefix(root.join(load::CONTENT_DIR)).ok();
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
            None => load::classify(&rel),
        };
        let read = section.and_then(|section| load::read_source(path, rel.clone(), section, size));
        match read {
            Ok(file) => self.take_source(file, include_drafts),
            Err(problem) => {
                let problem = match problem.file {
                    Some(_) => problem,
                    None => problem.in_file(Path::new(load::CONTENT_DIR).join(&rel)),
                };
                self.fail(rel, vec![problem]);
            }
        }
    }

    fn forget_markdown(&mut self, rel: String) {
        self.failures.remove(&rel);
        self.drafts.remove(&rel);
        self.left_out.remove(&rel);
        if self.sources.remove(&rel).is_some() {
            self.pending.staged.insert(rel, None);
        }
    }

    /// Re-reads what `note` could not settle: the file list, or the theme.
    pub(super) fn refresh(&mut self, root: &Path, include_drafts: bool) -> Result<(), Diagnostics> {
        if self.pending.theme {
            let theme = theme::load(root, &self.config.theme).map_err(Diagnostics::from)?;
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
            let sources = load::load(root)?;
            self.take_rescan(sources, include_drafts);
            self.pending.rescan = false;
        }
        Ok(())
    }

    fn take_rescan(&mut self, sources: load::Sources, include_drafts: bool) {
        self.load_problems = sources.problems;
        self.unreadable = sources.unreadable;
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

    pub(super) fn take_sources(&mut self, files: Vec<SourceFile>, include_drafts: bool) {
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
                    let draft = LeftOutDraft {
                        site_path: crate::model::site_path_of(&item),
                        documents: crate::model::documents_of(&item),
                    };
                    self.left_out.insert(rel.clone(), draft);
                } else {
                    self.drafts.remove(&rel);
                    self.left_out.remove(&rel);
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
}

/// Whether `path` is a link, or lies (through a linked folder) outside the site folder.
fn is_link_or_outside(root: &Path, path: &Path) -> bool {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let outside = match (std::fs::canonicalize(root), std::fs::canonicalize(path)) {
        (Ok(root), Ok(path)) => !path.starts_with(root),
        _ => false,
    };
    is_link || outside
}
