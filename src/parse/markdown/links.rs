//! Links in a Markdown body: internal ones resolved to page and file URLs (anchors noted for
//! checking once every page's headings are known), unsafe ones reported and dropped.

use super::{AnchorLink, Body, LinkTargets, Rendered};
use crate::diagnostics::{Diagnostic, Placer, Position, did_you_mean};
use crate::html::urls::{is_absolute, percent_decode, scheme};
use crate::routes::{normalise, parent_folder};

/// What becomes of a link.
pub(super) enum Resolved {
    Keep,
    Rewrite(String),
    Drop,
}

/// Where links of one body are looked up, and where what is learnt about them goes.
pub(super) struct LinkResolver<'a, 'p> {
    pub(super) body: &'a Body<'a>,
    /// Places each problem in `body.file_text`.
    pub(super) placer: &'a mut Placer<'p>,
    pub(super) targets: &'a LinkTargets,
    pub(super) out: &'a mut Rendered,
}

/// A link in a body: as written, split at its fragment, and where it is.
struct Link<'u> {
    url: &'u str,
    /// Without query or fragment.
    path: &'u str,
    fragment: Option<&'u str>,
    at: Position,
}

impl LinkResolver<'_, '_> {
    /// What to do with the link to `url` at `at`; an unsafe link is reported and dropped.
    pub(super) fn resolve(&mut self, url: &str, at: Position) -> Resolved {
        if !is_safe_url(url) {
            let problem = Diagnostic::warning(
                "unsafe-link-removed",
                format!(
                    "the link to \"{}\" was removed: only web, email and phone links are published",
                    url.escape_debug()
                ),
            )
            .with_hint(
                "link to an https:// address, a mailto: address or another page of the site",
            );
            let problem = self.placer.place(problem, at.line, at.column);
            self.out.problems.push(problem);
            return Resolved::Drop;
        }
        if let Some(anchor) = url.strip_prefix('#') {
            if !anchor.is_empty() {
                self.out.anchor_links.push(AnchorLink {
                    target: self.body.rel_path.to_string(),
                    anchor: percent_decode(anchor),
                    at,
                });
            }
            return Resolved::Keep;
        }
        if is_absolute(url) {
            return Resolved::Keep;
        }
        let (path, fragment) = match url.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (url, None),
        };
        let path = path.split('?').next().unwrap_or(path);
        if let Some(from_root) = path.strip_prefix('/') {
            return Resolved::Rewrite(format!(
                "{}{}{}",
                self.targets.base_path,
                from_root,
                fragment_suffix(fragment)
            ));
        }
        self.in_content(&Link {
            url,
            path,
            fragment,
            at,
        })
    }

    /// A link to a page or file under `content/`, from the site's top (`@/…`) or from this
    /// body's folder.
    fn in_content(&mut self, link: &Link<'_>) -> Resolved {
        let target = match link.path.strip_prefix("@/") {
            Some(content_path) => normalise(content_path),
            None => normalise(&format!(
                "{}{}",
                parent_folder(self.body.rel_path),
                link.path
            )),
        };
        let decoded = target.as_deref().map(percent_decode);
        if let Some(target) = &decoded {
            self.out.link_lookups.push(target.clone());
            if let Some(page_url) = self.targets.pages.get(target) {
                if let Some(anchor) = link.fragment.filter(|f| !f.is_empty()) {
                    self.out.anchor_links.push(AnchorLink {
                        target: target.clone(),
                        anchor: percent_decode(anchor),
                        at: link.at,
                    });
                }
                let suffix = fragment_suffix(link.fragment);
                return Resolved::Rewrite(format!("{page_url}{suffix}"));
            }
            if let Some(file_url) = self.targets.files.get(target) {
                let suffix = fragment_suffix(link.fragment);
                return Resolved::Rewrite(format!("{file_url}{suffix}"));
            }
        }
        let failed = decoded
            .as_ref()
            .is_some_and(|t| self.targets.failed.contains(t));
        let is_markdown = link.path.ends_with(".md") || link.path.starts_with("@/");
        if is_markdown && !failed {
            let shown = decoded.unwrap_or_else(|| link.path.to_string());
            self.broken(link, &shown);
        }
        Resolved::Keep
    }

    fn broken(&mut self, link: &Link<'_>, shown: &str) {
        let hint = if self.targets.drafts.contains(shown) {
            format!(
                "content/{shown} is a draft, so it is not published; remove `draft: true` from it or remove this link"
            )
        } else if let Some(near) = self.namesake(shown) {
            let written = match link.path.rsplit_once('/') {
                Some((folder, _)) => format!("{folder}/{near}"),
                None => near.to_string(),
            };
            format!(
                "did you mean \"{written}{}\"? (content/{}{near} exists)",
                fragment_suffix(link.fragment),
                parent_folder(shown)
            )
        } else {
            "write internal links as `@/priorities/<file>.md` or a path relative to this file, e.g. `../meetings/<file>.md`".to_string()
        };
        let problem = Diagnostic::error(
            "broken-link",
            format!("link to \"{}\", which does not exist", link.url),
        )
        .with_hint(hint);
        let problem = self.placer.place(problem, link.at.line, link.at.column);
        self.out.problems.push(problem);
    }
}

impl LinkResolver<'_, '_> {
    /// The file name of a page in the same folder as the missing `shown` (a content path) whose
    /// name is close to it or starts like it: `progress-2026-11.md` for `progress-2026-11-20.md`.
    fn namesake(&self, shown: &str) -> Option<&str> {
        let folder = parent_folder(shown);
        let wanted = shown[folder.len()..].trim_end_matches(".md");
        let names = self.targets.pages.keys().filter_map(|rel| {
            let name = rel.strip_prefix(folder)?;
            (!name.contains('/')).then_some(name)
        });
        let stems: Vec<&str> = names.map(|n| n.trim_end_matches(".md")).collect();
        let starts_alike = stems
            .iter()
            .filter(|stem| {
                stem.len() > 3 && (stem.starts_with(wanted) || wanted.starts_with(**stem))
            })
            .min_by_key(|stem| stem.len().abs_diff(wanted.len()));
        let stem = starts_alike
            .copied()
            .or_else(|| did_you_mean(wanted, stems.iter().copied()))?;
        let name = &self
            .targets
            .pages
            .get_key_value(&format!("{folder}{stem}.md"))?
            .0[folder.len()..];
        Some(name)
    }
}

fn fragment_suffix(fragment: Option<&str>) -> String {
    fragment.map(|f| format!("#{f}")).unwrap_or_default()
}

/// Only web, mail and phone links, or relative ones, may reach residents. Browsers ignore tabs,
/// newlines and other control characters inside a scheme, so they are removed before checking.
pub fn is_safe_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_control() && !c.is_whitespace())
        .collect();
    match scheme(&cleaned) {
        None => true,
        Some(scheme) => ["http", "https", "mailto", "tel"]
            .iter()
            .any(|safe| scheme.eq_ignore_ascii_case(safe)),
    }
}
