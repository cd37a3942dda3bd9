//! Stage 1, load: disk to memory. Takes the site folder; hands on `Sources` (every Markdown file
//! under `content/` as decoded text, every other file to copy as an `Asset`, problems with
//! single files), the text of `site.yaml` and the `Theme`. Walks only inside the site folder.
//! Nothing here knows what a priority or a meeting is.

pub mod theme;

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// The site's settings, at the top of the site folder.
pub const CONFIG_FILE: &str = "site.yaml";
pub const CONTENT_DIR: &str = "content";
pub const STATIC_DIR: &str = "static";
/// Where a site keeps its own themes.
pub const THEMES_DIR: &str = "themes";
/// Everything in a site folder that an editor writes. The output folder may never be one of
/// these, hold one, or lie inside one: building would replace the editor's work.
pub const SITE_SOURCES: &[&str] = &[CONFIG_FILE, CONTENT_DIR, STATIC_DIR, THEMES_DIR];
pub use crate::limits::MAX_FILE_BYTES;

/// The folder under `content/` a Markdown file lives in, which decides what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    Home,
    Priorities,
    Meetings,
    Updates,
    Pages,
}

impl Section {
    fn from_folder(folder: &str) -> Option<Section> {
        match folder {
            "priorities" => Some(Section::Priorities),
            "meetings" => Some(Section::Meetings),
            "updates" => Some(Section::Updates),
            "pages" => Some(Section::Pages),
            _ => None,
        }
    }
}

/// A Markdown file, read and decoded. `rel_path` is relative to `content/`, with `/` separators.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub rel_path: String,
    pub section: Section,
    pub text: String,
}

impl SourceFile {
    /// The path editors see in messages: relative to the site root.
    pub fn display_path(&self) -> PathBuf {
        Path::new(CONTENT_DIR).join(&self.rel_path)
    }

    /// The file name without `.md`.
    pub fn stem(&self) -> &str {
        let name = self.rel_path.rsplit('/').next().unwrap_or(&self.rel_path);
        name.strip_suffix(".md").unwrap_or(name)
    }
}

/// A file copied to the output unchanged.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Asset {
    pub source: PathBuf,
    /// Where it goes, relative to the output folder, with `/` separators.
    pub output_rel: String,
    /// For assets under `content/`: the path relative to `content/`, for resolving links.
    pub content_rel: Option<String>,
    pub size: u64,
}

impl Asset {
    /// The path editors see in messages: relative to the site root.
    pub fn display_path(&self) -> String {
        match &self.content_rel {
            Some(rel) => format!("{CONTENT_DIR}/{rel}"),
            None => format!("{STATIC_DIR}/{}", self.output_rel),
        }
    }
}

#[derive(Debug, Default)]
pub struct Sources {
    pub files: Vec<SourceFile>,
    pub assets: Vec<Asset>,
    /// Problems with single files. They do not stop loading, so that the other files are
    /// still checked and one run reports every problem.
    pub problems: Diagnostics,
    /// Content-relative paths of Markdown files that could not be read.
    pub unreadable: Vec<String>,
}

/// The text of `root/site.yaml`, for `parse::config`.
pub fn read_config(root: &Path) -> Result<String, Diagnostic> {
    let path = root.join(CONFIG_FILE);
    let bytes = fs::read(&path).map_err(|error| {
        let message = if error.kind() == std::io::ErrorKind::NotFound {
            format!("there is no {CONFIG_FILE} in {}", root.display())
        } else {
            format!("cannot read {CONFIG_FILE}: {error}")
        };
        Diagnostic::error("missing-config", message)
            .in_file(CONFIG_FILE)
            .with_hint("run Waymark in the site folder (the one with site.yaml and content/), or pass --root DIR; `waymark init DIR` creates a new site")
    })?;
    decode(&bytes).map_err(|d| d.in_file(CONFIG_FILE))
}

/// Reads everything under `root/content` and `root/static`, in sorted order. Fails only
/// without a `content/` folder; problems with single files are in `Sources::problems`.
pub fn load(root: &Path) -> Result<Sources, Diagnostics> {
    let mut problems = Diagnostics::default();
    let content_dir = root.join(CONTENT_DIR);
    if !content_dir.is_dir() {
        problems.push(
            Diagnostic::error("missing-content", format!("there is no {CONTENT_DIR}/ folder in {}", root.display()))
                .with_hint("put priorities in content/priorities/, meetings in content/meetings/, updates in content/updates/ and pages in content/pages/"),
        );
        return Err(problems);
    }
    let (markdown, mut assets) = content_files(root, &content_dir, &mut problems);
    let static_dir = root.join(STATIC_DIR);
    if static_dir.is_dir() {
        for (path, rel, size) in walk(root, &static_dir, &mut problems) {
            assets.push(Asset {
                source: path,
                output_rel: rel,
                content_rel: None,
                size,
            });
        }
    }
    let (files, unreadable) = read_all(markdown, &mut problems);
    Ok(Sources {
        files,
        assets,
        problems,
        unreadable,
    })
}

/// A Markdown file found under `content/`, not read yet: path, relative path, section, size.
type Found = (PathBuf, String, Section, u64);

/// The Markdown files under `content/`, and every other file there as an asset to copy.
fn content_files(
    root: &Path,
    content_dir: &Path,
    problems: &mut Diagnostics,
) -> (Vec<Found>, Vec<Asset>) {
    let mut markdown = Vec::new();
    let mut assets = Vec::new();
    for (path, rel, size) in walk(root, content_dir, problems) {
        if rel.ends_with(".md") {
            match classify(&rel) {
                Ok(section) => markdown.push((path, rel, section, size)),
                Err(problem) => problems.push(problem.in_file(Path::new(CONTENT_DIR).join(&rel))),
            }
        } else if let Some(meant) = meant_as_markdown(&rel) {
            // Copied as it is, it would publish its front matter raw; nor is it a page.
            problems.push(
                Diagnostic::warning(
                    "not-read-as-content",
                    "this file is not read as a page, because its name does not end in .md, so it was not published",
                )
                .in_file(Path::new(CONTENT_DIR).join(&rel))
                .with_hint(format!("rename it to {meant}")),
            );
        } else {
            // Pages live at the site root, so their files do too.
            let output_rel = rel.strip_prefix("pages/").unwrap_or(&rel).to_string();
            assets.push(Asset {
                source: path,
                output_rel,
                content_rel: Some(rel),
                size,
            });
        }
    }
    (markdown, assets)
}

/// The name an editor meant for a file under `content/` that is named like Markdown but will not
/// be read as a page: `privacy.md.txt`, `Cookies.MD`, `x.markdown`, `notes.mdown`.
fn meant_as_markdown(rel: &str) -> Option<String> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let lower = name.to_ascii_lowercase();
    let stem_len = [".md.txt", ".markdown", ".mdown", ".mkdn", ".mkd", ".md"]
        .iter()
        .find(|ending| lower.ends_with(*ending))
        .map(|ending| name.len() - ending.len())?;
    let meant = format!("{}.md", &name[..stem_len]);
    (meant != name).then_some(meant)
}

/// Reads and decodes the Markdown files in parallel; those that cannot be read are reported
/// and listed by their path relative to `content/`.
fn read_all(markdown: Vec<Found>, problems: &mut Diagnostics) -> (Vec<SourceFile>, Vec<String>) {
    let read: Vec<(String, Result<SourceFile, Diagnostic>)> = markdown
        .into_par_iter()
        .map(|(path, rel_path, section, size)| {
            (
                rel_path.clone(),
                read_source(&path, rel_path, section, size),
            )
        })
        .collect();
    let mut files = Vec::with_capacity(read.len());
    let mut unreadable = Vec::new();
    for (rel_path, result) in read {
        match result {
            Ok(file) => files.push(file),
            Err(problem) => {
                problems.push(problem);
                unreadable.push(rel_path);
            }
        }
    }
    (files, unreadable)
}

/// Files below `dir` as (absolute path, relative path with `/`, size), sorted, skipping
/// hidden files and editors' temporary files, which are never site content. Links are
/// followed only while they stay inside the site folder `root`: a link out of it (to
/// `/etc/passwd`, to `~/.ssh/`) is skipped with a warning, so a contributor's pull request can
/// never publish the files of the machine that builds it, and a link to `/` is never walked.
fn walk(root: &Path, dir: &Path, problems: &mut Diagnostics) -> Vec<(PathBuf, String, u64)> {
    let mut links = Containment::new(root);
    // The folder itself may be reached through a link (`static -> /`).
    if let Some(outside) = links.outside_site(root, dir) {
        problems.push(outside);
        return Vec::new();
    }
    let mut found = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            let ignored =
                entry.depth() > 0 && is_ignored_name(&entry.file_name().to_string_lossy());
            !ignored && links.admits(entry)
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                problems.push(walk_problem(root, dir, &error));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        found.push((entry.into_path(), rel, size));
    }
    problems.extend(links.warnings(root));
    found
}

/// Which links a walk follows: those that stay inside the site folder and do not lead to a
/// folder they are already inside.
struct Containment {
    /// The site folder with every link resolved.
    site: PathBuf,
    /// Links skipped, with where they lead.
    outside: Vec<(PathBuf, PathBuf)>,
    loops: Vec<(PathBuf, PathBuf)>,
}

impl Containment {
    fn new(root: &Path) -> Containment {
        Containment {
            site: fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
            outside: Vec::new(),
            loops: Vec::new(),
        }
    }

    /// A warning when `dir` (or a folder it is in) is a link that leads out of the site.
    fn outside_site(&self, root: &Path, dir: &Path) -> Option<Diagnostic> {
        let target = fs::canonicalize(dir).ok()?;
        let shown = dir.strip_prefix(root).unwrap_or(dir);
        (!target.starts_with(&self.site)).then(|| outside_warning(shown, &target))
    }

    fn admits(&mut self, entry: &walkdir::DirEntry) -> bool {
        if !entry.path_is_symlink() {
            return true;
        }
        let Ok(target) = fs::canonicalize(entry.path()) else {
            // A dangling link: reported by the walk as a file that cannot be read.
            return true;
        };
        let link = entry.path().to_path_buf();
        if !target.starts_with(&self.site) {
            self.outside.push((link, target));
            return false;
        }
        let holder = link.parent().and_then(|p| fs::canonicalize(p).ok());
        if holder.is_some_and(|holder| holder.starts_with(&target)) {
            self.loops.push((link, target));
            return false;
        }
        true
    }

    /// A warning for each link skipped, naming it (relative to `root`) and where it leads.
    fn warnings(self, root: &Path) -> Vec<Diagnostic> {
        let shown = |link: &Path| link.strip_prefix(root).unwrap_or(link).to_path_buf();
        let loops = self.loops.iter().map(|(link, target)| {
            let target = target.strip_prefix(&self.site).unwrap_or(target);
            loop_warning(shown(link), &target.display().to_string())
        });
        let outside = self
            .outside
            .iter()
            .map(|(link, target)| outside_warning(&shown(link), target));
        loops.chain(outside).collect()
    }
}

fn outside_warning(link: &Path, target: &Path) -> Diagnostic {
    Diagnostic::warning(
        "link-outside-site",
        format!(
            "this is a link to {}, outside the site folder, so it was not published",
            target.display()
        ),
    )
    .in_file(link)
    .with_hint(
        "copy what it points to into the site folder instead of linking to it, or remove the link",
    )
}

fn loop_warning(link: PathBuf, target: &str) -> Diagnostic {
    let target = if target.is_empty() {
        "the site folder"
    } else {
        target
    };
    Diagnostic::warning(
        "link-loop",
        format!(
            "this is a link to {target}, a folder it is already inside, so it was not followed"
        ),
    )
    .in_file(link)
    .with_hint("remove the link: a folder cannot contain itself")
}

/// A folder that links back to one of its own parents is walked once, with a warning; any
/// other failure is a file that cannot be read.
fn walk_problem(root: &Path, dir: &Path, error: &walkdir::Error) -> Diagnostic {
    let path = error.path().unwrap_or(dir);
    let shown = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    if let Some(ancestor) = error.loop_ancestor() {
        let ancestor = ancestor.strip_prefix(root).unwrap_or(ancestor);
        return loop_warning(shown, &ancestor.display().to_string());
    }
    Diagnostic::error(
        "unreadable-file",
        format!("cannot read {}: {error}", path.display()),
    )
}

/// How many Markdown files are under `dir`, for summaries when loading failed part-way.
pub fn count_markdown_files(root: &Path) -> usize {
    let dir = root.join(CONTENT_DIR);
    walk(root, &dir, &mut Diagnostics::default())
        .iter()
        .filter(|(_, rel, _)| rel.ends_with(".md"))
        .count()
}

/// Hidden files, vim swap files, emacs lock and backup files, and the probe file vim writes.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// The section a Markdown file belongs to, from its path relative to `content/`.
pub fn classify(rel: &str) -> Result<Section, Diagnostic> {
    let parts: Vec<&str> = rel.split('/').collect();
    match parts.as_slice() {
        ["_index.md"] => Ok(Section::Home),
        [folder, name] => {
            let section = Section::from_folder(folder).ok_or_else(|| {
                Diagnostic::error("unknown-section", format!("Waymark does not know what a file in content/{folder}/ is"))
                    .with_hint("Markdown files belong in content/priorities/, content/meetings/, content/updates/ or content/pages/")
            })?;
            // The address comes from the file name; an empty one would be the section's own
            // index (or, for a page, the site root) and overwrite it.
            if crate::values::slugify(name.trim_end_matches(".md")).is_empty() {
                return Err(Diagnostic::error("invalid-file-name", format!("the file name \"{name}\" has no letters or digits, so it cannot have a web address"))
                    .with_hint("rename the file using words, e.g. county-lines.md; the name becomes the end of the page's address"));
            }
            Ok(section)
        }
        [_] => Err(Diagnostic::error("unknown-section", "only _index.md may sit directly in content/")
            .with_hint("move this file into content/pages/ to make it a page at /<name>/")),
        _ => Err(Diagnostic::error("nested-content", "Markdown files may not be in sub-folders of a section")
            .with_hint("move the file up, directly into content/priorities/, content/meetings/, content/updates/ or content/pages/")),
    }
}

/// Reads one Markdown file; `size` is its length on disk, checked against the limit first.
pub fn read_source(
    path: &Path,
    rel_path: String,
    section: Section,
    size: u64,
) -> Result<SourceFile, Diagnostic> {
    let display = Path::new(CONTENT_DIR).join(&rel_path);
    if size > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            "file-too-large",
            format!(
                "this file is {:.1} MB; the limit is {}",
                size as f64 / 1e6,
                crate::limits::MAX_FILE_SIZE_SHOWN
            ),
        )
        .in_file(&display)
        .with_hint("split the text into several pages, or attach large material as a document"));
    }
    let bytes = std::fs::read(path).map_err(|error| {
        Diagnostic::error("unreadable-file", format!("cannot read this file: {error}"))
            .in_file(&display)
    })?;
    let text = decode(&bytes).map_err(|d| d.in_file(&display))?;
    Ok(SourceFile {
        rel_path,
        section,
        text,
    })
}

/// Bytes to text: UTF-8 only, without a byte-order mark, with `\n` line ends.
pub fn decode(bytes: &[u8]) -> Result<String, Diagnostic> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let offset = error.valid_up_to();
            let before = String::from_utf8_lossy(&bytes[..offset]);
            let (line, column) = crate::diagnostics::line_and_column(&before, before.len());
            return Err(Diagnostic::error(
                "not-utf8",
                format!("this file is not UTF-8 text: byte {offset} (0x{:02X}) is not valid UTF-8", bytes[offset]),
            )
            .at(&before, line, column)
            .with_hint("re-save the file as UTF-8 (in most editors: Save As, then choose the encoding \"UTF-8\")"));
        }
    };
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_bom_and_crlf() {
        assert_eq!(
            decode(b"\xEF\xBB\xBF---\r\ntitle: A\r\n").unwrap(),
            "---\ntitle: A\n"
        );
    }

    #[test]
    fn names_the_offset_of_invalid_utf8() {
        let error = decode(b"---\ntitle: caf\xE9\n").unwrap_err();
        assert_eq!(error.code, "not-utf8");
        assert!(error.message.contains("byte 14"), "{}", error.message);
        assert_eq!((error.line, error.column), (Some(2), Some(11)));
    }

    #[test]
    fn classifies_sections() {
        assert_eq!(classify("priorities/a.md").unwrap(), Section::Priorities);
        assert_eq!(classify("_index.md").unwrap(), Section::Home);
        assert_eq!(classify("news/a.md").unwrap_err().code, "unknown-section");
        assert_eq!(
            classify("meetings/2020/a.md").unwrap_err().code,
            "nested-content"
        );
        assert_eq!(
            classify("pages/_.md").unwrap_err().code,
            "invalid-file-name"
        );
    }
}
