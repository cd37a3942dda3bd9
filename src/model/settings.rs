//! Checks of site.yaml's settings that need the rest of the site: whether the logo file is in
//! `static/`, and how heavy it is. Each points at its line in site.yaml.

use super::Site;
use crate::diagnostics::{Diagnostic, Position, did_you_mean, thousands};
use crate::load::{CONFIG_FILE, STATIC_DIR};
use crate::parse::config::Logo;

/// A logo bigger than this is loaded with every page: worth making smaller.
const LARGE_LOGO_BYTES: u64 = 100 * 1024;

pub(super) fn check_settings(site: &Site) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    if let Some(logo) = &site.config.logo {
        problems.extend(logo_problems(site, logo));
    }
    problems
}

fn in_config(site: &Site, problem: Diagnostic, at: Option<Position>) -> Diagnostic {
    let problem = problem.in_file(CONFIG_FILE);
    match at {
        Some(at) => problem.at(&site.config.text, at.line, at.column),
        None => problem,
    }
}

/// The logo's file must be in `static/` (it is published from there), small enough to load
/// with every page, and its alt text must say what it shows.
fn logo_problems(site: &Site, logo: &Logo) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let statics: Vec<_> = site
        .assets
        .iter()
        .filter(|asset| asset.content_rel.is_none())
        .collect();
    match statics
        .iter()
        .find(|asset| asset.output_rel == logo.site_path)
    {
        None => {
            let paths: Vec<String> = statics.iter().map(|a| a.display_path()).collect();
            let hint = match did_you_mean(&logo.file, paths.iter().map(String::as_str)) {
                Some(close) => format!("did you mean `file: {close}`?"),
                None => format!(
                    "put the logo file in the site's {STATIC_DIR}/ folder, or correct its name here (capitals count)"
                ),
            };
            let problem = Diagnostic::error(
                "missing-logo",
                format!("logo file \"{}\" does not exist", logo.file),
            )
            .with_hint(hint);
            problems.push(in_config(site, problem, Some(logo.file_at)));
        }
        Some(asset) if asset.size > LARGE_LOGO_BYTES => {
            let problem = Diagnostic::warning(
                "large-logo",
                format!(
                    "logo file \"{}\" is {} KB, and every page loads it",
                    logo.file,
                    thousands(asset.size.div_ceil(1024) as usize)
                ),
            )
            .with_hint("use a smaller version: an SVG, or a PNG about 400 pixels wide, is usually under 50 KB");
            problems.push(in_config(site, problem, Some(logo.file_at)));
        }
        Some(_) => {}
    }
    if logo.vague_alt() {
        let name = site
            .config
            .organisation
            .as_deref()
            .unwrap_or("Hampshire County Council");
        let problem = Diagnostic::warning(
            "vague-logo-alt",
            format!(
                "the logo's alt text \"{}\" does not say what the logo shows",
                logo.alt
            ),
        )
        .with_hint(format!(
            "write the words the logo shows, usually the organisation's name, e.g. `alt: {name}`; screen readers already say that it is a picture"
        ));
        problems.push(in_config(site, problem, Some(logo.alt_at)));
    }
    problems
}
