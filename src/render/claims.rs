//! The files copied into the site beside the pages: the theme's static files and the site's
//! own, each claiming its output path so that no two files share an address.

use std::collections::HashMap;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::theme::Theme;
use crate::model::Site;
use crate::output::{Contents, OutputFile};
use crate::render::fingerprint;
use crate::routes;

/// The theme's static files (with fingerprinted names), then the files copied from `content/`
/// and `static/`, as they follow the pages at `page_paths`; an error for each that would take a
/// page's address or another file's.
pub fn copied_files<'a>(
    site: &Site,
    theme: &Theme,
    page_paths: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let theme_assets = fingerprint::theme_assets(theme).map_err(Diagnostics::from)?;
    let mut problems = Diagnostics::default();
    let mut files = Vec::with_capacity(theme_assets.files.len() + site.assets.len());
    let mut claims = OutputClaims::new(page_paths);
    for theme_file in theme_assets.files {
        if let Some(problem) = claims.claim(&theme_file.file.path, &theme_file.display_path) {
            problems.push(problem);
            continue;
        }
        files.push(theme_file.file);
    }
    for asset in &site.assets {
        if let Some(problem) = claims.claim(&asset.output_rel, &asset.display_path()) {
            problems.push(problem);
            continue;
        }
        files.push(OutputFile {
            path: asset.output_rel.clone(),
            contents: Contents::CopyOf(asset.source.clone()),
        });
    }
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(files)
}

/// Which output paths are taken, and by what. Files are written in parallel, so two files for
/// one path would leave either one, or a mix of both, in the site.
struct OutputClaims {
    /// Output path to the file that claimed it; `None` for a page Waymark renders.
    taken: HashMap<String, Option<String>>,
}

impl OutputClaims {
    fn new<'a>(pages: impl IntoIterator<Item = &'a str>) -> Self {
        OutputClaims {
            taken: pages
                .into_iter()
                .map(|path| (path.to_string(), None))
                .collect(),
        }
    }

    /// Takes `path` for the file shown as `shown`, or explains what already has it.
    fn claim(&mut self, path: &str, shown: &str) -> Option<Diagnostic> {
        let message = match self.taken.get(path) {
            None => {
                self.taken.insert(path.to_string(), Some(shown.to_string()));
                return None;
            }
            Some(None) => {
                let url = routes::site_path_of_file(path).unwrap_or(path);
                format!("this file would replace the page Waymark writes at /{url}")
            }
            Some(Some(first)) => {
                format!("this file would be published at /{path}, the same address as {first}")
            }
        };
        Some(
            Diagnostic::error("duplicate-url", message)
                .in_file(shown)
                .with_hint("rename or move the file: each address on the site can hold one file"),
        )
    }
}
