//! The site as served: the output files of the last good build in memory, what changed with
//! each rebuild (for live reload), and the response for one file, with the preview's
//! additions to pages, or for the address of a draft left out.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use crate::incremental::Output;
use crate::output::Contents;
use crate::serve::live_reload::{self, Change};
use crate::serve::overlay::{self, Problems};
use crate::serve::reply::{Payload, Reply};
use crate::serve::request_path::{self, Target};

#[derive(Default)]
pub struct ServedSite {
    /// Shared with the responses being sent, so a slow download holds no copy of its file.
    pub files: HashMap<String, Arc<Contents>>,
    pub drafts: BTreeSet<String>,
    /// Output paths of the pages that drafts left out would be, with the drafts' files.
    pub left_out_drafts: BTreeMap<String, String>,
    /// Problems of the last rebuild, shown over every page until a rebuild succeeds.
    pub problems: Option<Problems>,
    /// Warnings of the last successful rebuild, noted on every page while there are no
    /// problems.
    pub warnings: Option<Problems>,
    /// Whether any build has succeeded.
    pub built: bool,
    pub generation: u64,
}

/// What a page needs besides the site: where copied files may be read from, and the name of
/// this run of the server for the live-reload script.
pub struct Context<'a> {
    pub site_root: &'a Path,
    pub instance: &'a str,
}

impl ServedSite {
    /// Applies a rebuild's output and says which pages changed.
    pub fn apply(&mut self, output: Output) -> Change {
        let mut changed: BTreeSet<String> = BTreeSet::new();
        let mut previous = if output.complete {
            std::mem::take(&mut self.files)
        } else {
            HashMap::new()
        };
        for path in &output.removed {
            self.files.remove(path);
            changed.insert(path.clone());
        }
        for file in output.files {
            let before = previous.remove(&file.path);
            let before = before
                .as_deref()
                .or_else(|| self.files.get(&file.path).map(|c| &**c));
            let same = match (before, &file.contents) {
                (Some(Contents::Bytes(a)), Contents::Bytes(b)) => a == b,
                (Some(Contents::Embedded(a)), Contents::Embedded(b)) => a == b,
                (Some(Contents::CopyOf(a)), Contents::CopyOf(b)) => {
                    a == b && !output.touched.contains(&file.path)
                }
                _ => false,
            };
            if !same {
                changed.insert(file.path.clone());
            }
            self.files.insert(file.path, Arc::new(file.contents));
        }
        changed.extend(previous.into_keys());
        changed.extend(
            self.drafts
                .symmetric_difference(&output.draft_pages)
                .cloned(),
        );
        self.drafts = output.draft_pages;
        let moved = self
            .left_out_drafts
            .iter()
            .filter(|(path, file)| output.left_out_drafts.get(*path) != Some(file));
        changed.extend(moved.map(|(path, _)| path.clone()));
        let added = output
            .left_out_drafts
            .keys()
            .filter(|path| !self.left_out_drafts.contains_key(*path));
        changed.extend(added.cloned());
        self.left_out_drafts = output.left_out_drafts;
        let recovered = self.problems.take().is_some() || !self.built;
        self.built = true;
        self.generation += 1;
        sort_changes(changed, self.generation, recovered)
    }

    /// The response for one output file; HTML pages get the preview's additions.
    pub fn file_response(&self, context: &Context, path: &str, status: u16) -> Option<Reply> {
        let contents = self.files.get(path)?;
        let content_type = request_path::content_type(path);
        if content_type.starts_with("text/html") {
            return Some(Reply::html(status, self.page(context, path, contents)?));
        }
        let body = match &**contents {
            Contents::Bytes(_) | Contents::Embedded(_) => Payload::Shared(Arc::clone(contents)),
            Contents::CopyOf(source) => {
                let file = open_copied(context.site_root, source)?;
                let length = file.metadata().ok()?.len();
                Payload::File(file, length)
            }
        };
        Some(Reply {
            status,
            content_type,
            extra: None,
            body,
        })
    }

    /// Applies the warnings of a successful rebuild; says whether the pages must show others.
    pub fn set_warnings(&mut self, warnings: Option<Problems>) -> bool {
        let changed = self.warnings != warnings;
        self.warnings = warnings;
        changed
    }

    /// The answer for an address with no file, when a draft left out would be there: a page
    /// that says so (with status 404, as there is no page), or the move to its folder's address.
    pub fn left_out_draft_response(
        &self,
        context: &Context,
        request_target: &str,
    ) -> Option<Reply> {
        let exists = |path: &str| self.left_out_drafts.contains_key(path);
        match request_path::resolve(request_target, exists) {
            Target::File(path) => {
                let page = overlay::left_out_draft_page(self.left_out_drafts.get(&path)?);
                let bottom = self.bottom(context, &path);
                Some(Reply::html(404, overlay::insert(&page, "", &bottom)))
            }
            Target::Redirect(location) => Some(Reply::moved(location)),
            Target::NotFound => None,
        }
    }

    /// A page with the draft banner, the live-reload script and the problems overlay or the
    /// warnings notice added.
    fn page(&self, context: &Context, path: &str, contents: &Contents) -> Option<String> {
        let copied;
        let bytes: &[u8] = match contents {
            Contents::Bytes(bytes) => bytes,
            Contents::Embedded(bytes) => bytes,
            Contents::CopyOf(source) => {
                copied = std::fs::read(inside_site(context.site_root, source)?).ok()?;
                &copied
            }
        };
        let html = String::from_utf8_lossy(bytes);
        let top = if self.drafts.contains(path) {
            overlay::draft_banner()
        } else {
            String::new()
        };
        Some(overlay::insert(&html, &top, &self.bottom(context, path)))
    }

    /// What ends every page: the live-reload script, then the problems overlay or, when there
    /// are no problems, the warnings notice.
    fn bottom(&self, context: &Context, path: &str) -> String {
        let mut bottom = live_reload::script(path, self.generation, context.instance);
        if let Some(problems) = &self.problems {
            bottom.push_str(&overlay::overlay(problems));
        } else if let Some(warnings) = &self.warnings {
            bottom.push_str(&overlay::warnings_notice(warnings));
        }
        bottom
    }
}

/// Sorts changed output paths into what pages do about them.
fn sort_changes(changed: BTreeSet<String>, generation: u64, all: bool) -> Change {
    let mut change = Change {
        generation,
        all,
        ..Change::default()
    };
    for path in changed {
        match path.rsplit_once('.').map(|(_, e)| e) {
            Some("html") => change.pages.push(path),
            Some("css") => change.styles.push(path),
            // Data that pages link to or fetch but do not show as they load: feeds,
            // calendars, the sitemap and the search index. Reloading would change nothing.
            Some("xml" | "ics" | "json" | "txt") => {}
            _ => change.other = true,
        }
    }
    change
}

/// Opens a file the site copies, only if it really is inside the site's folder: a symbolic
/// link in `static/` or `content/` pointing elsewhere is not followed.
fn open_copied(site_root: &Path, source: &Path) -> Option<std::fs::File> {
    std::fs::File::open(inside_site(site_root, source)?).ok()
}

/// Where `source` really is, if that is inside the site's folder.
fn inside_site(site_root: &Path, source: &Path) -> Option<std::path::PathBuf> {
    let real = source.canonicalize().ok()?;
    real.starts_with(site_root).then_some(real)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostics;

    #[test]
    fn reports_changed_pages_styles_and_drafts() {
        let mut site = ServedSite::default();
        let output = |files: Vec<(&str, &str)>, complete| Output {
            complete,
            files: files
                .into_iter()
                .map(|(path, text)| crate::output::OutputFile {
                    path: path.into(),
                    contents: Contents::Bytes(text.as_bytes().to_vec()),
                })
                .collect(),
            removed: Vec::new(),
            pages_rendered: 0,
            draft_pages: BTreeSet::new(),
            left_out_drafts: BTreeMap::new(),
            touched: BTreeSet::new(),
            new_warnings: Diagnostics::default(),
        };
        let first = site.apply(output(vec![("index.html", "a"), ("style.css", "s")], true));
        assert!(first.all, "the first build reloads everything");
        let second = site.apply(output(
            vec![
                ("index.html", "a"),
                ("x/index.html", "b"),
                ("style.css", "t"),
            ],
            true,
        ));
        assert!(!second.all);
        assert_eq!(second.pages, vec!["x/index.html".to_string()]);
        assert_eq!(second.styles, vec!["style.css".to_string()]);
        let third = site.apply(output(vec![("index.html", "a")], false));
        assert!(third.is_empty(), "{third:?}");
    }

    #[test]
    fn reports_drafts_left_out_that_came_went_or_moved() {
        let mut site = ServedSite::default();
        let output = |drafts: &[(&str, &str)]| Output {
            complete: false,
            files: Vec::new(),
            removed: Vec::new(),
            pages_rendered: 0,
            draft_pages: BTreeSet::new(),
            left_out_drafts: drafts
                .iter()
                .map(|(path, file)| (path.to_string(), file.to_string()))
                .collect(),
            touched: BTreeSet::new(),
            new_warnings: Diagnostics::default(),
        };
        let x = ("x/index.html", "content/pages/x.md");
        let y = ("y/index.html", "content/pages/y.md");
        assert_eq!(site.apply(output(&[x])).pages, vec!["x/index.html"]);
        assert!(site.apply(output(&[x])).pages.is_empty());
        let moved = site.apply(output(&[("x/index.html", "content/pages/z.md"), y]));
        assert_eq!(moved.pages, vec!["x/index.html", "y/index.html"]);
        assert_eq!(site.apply(output(&[])).pages.len(), 2);
        assert!(site.left_out_drafts.is_empty());
    }

    #[test]
    fn answers_the_address_of_a_draft_left_out() {
        let mut site = ServedSite {
            built: true,
            ..ServedSite::default()
        };
        site.left_out_drafts
            .insert("x/index.html".into(), "content/pages/x.md".into());
        let context = Context {
            site_root: Path::new("/"),
            instance: "run",
        };
        let body = |reply: Reply| match reply.body {
            Payload::Owned(bytes) => String::from_utf8(bytes).unwrap(),
            _ => panic!("a page made here"),
        };
        let reply = site.left_out_draft_response(&context, "/x/?q").unwrap();
        assert_eq!(reply.status, 404);
        let page = body(reply);
        assert!(page.contains("<code>content/pages/x.md</code>"), "{page}");
        assert!(
            page.contains("data-waymark-path=\"x/index.html\""),
            "{page}"
        );
        let moved = site.left_out_draft_response(&context, "/x").unwrap();
        assert_eq!(moved.status, 301);
        assert_eq!(moved.extra, Some(("Location", "/x/".to_string())));
        assert!(site.left_out_draft_response(&context, "/y/").is_none());
    }
}
