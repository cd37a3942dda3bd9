//! Checks of site.yaml's settings that need the rest of the site: whether the generated
//! accessibility statement has been reviewed (only when Waymark writes it, and as of the build's
//! day), and whether the logo file is in `static/`. Each points at its line in site.yaml.

use super::Site;
use crate::diagnostics::{Diagnostic, Position, did_you_mean, thousands};
use crate::load::{CONFIG_FILE, STATIC_DIR};
use crate::parse::config::Logo;
use crate::values::Date;

/// A logo bigger than this is loaded with every page: worth making smaller.
const LARGE_LOGO_BYTES: u64 = 100 * 1024;

pub(super) fn check_settings(site: &Site) -> Vec<Diagnostic> {
    let mut problems = accessibility_review(site);
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

/// The same day a year earlier (28 February for 29 February).
fn a_year_before(date: Date) -> Date {
    let (year, month) = (date.year().saturating_sub(1), date.month());
    (0..4)
        .find_map(|back| {
            let day = date.day().saturating_sub(back);
            Date::parse(&format!("{year:04}-{month:02}-{day:02}")).ok()
        })
        .unwrap_or(date)
}

/// The generated statement must say when it was checked, and be checked again every year
/// (the accessibility regulations ask for a yearly review). A site with its own statement
/// page keeps its own dates.
fn accessibility_review(site: &Site) -> Vec<Diagnostic> {
    if !site.generates_accessibility_statement() {
        return Vec::new();
    }
    let a = &site.config.accessibility;
    let today = site.today;
    let example = format!("`reviewed: {today}`");
    let own_page = "or write your own statement in content/pages/accessibility.md";
    let Some(reviewed) = a.reviewed else {
        let says = match a.declared {
            Some(declared) if declared != a.compliance => format!(
                "says \"{}\", not \"{}\",",
                a.compliance.label(),
                declared.label()
            ),
            _ => format!("says \"{}\"", a.compliance.label()),
        };
        let hint = match a.at {
            Some(_) => format!(
                "once you have checked the site against WCAG 2.2 AA, add {example} under `accessibility:` in site.yaml (the date you checked it) and set `compliance:` to full, partial or none; {own_page}"
            ),
            None => format!(
                "once you have checked the site against WCAG 2.2 AA, add `accessibility:` to site.yaml with `compliance:` (full, partial or none) and {example} under it (the date you checked it); {own_page}"
            ),
        };
        let problem = Diagnostic::warning(
            "accessibility-not-reviewed",
            format!(
                "the accessibility statement Waymark writes {says} because site.yaml does not say when it was last reviewed"
            ),
        )
        .with_hint(hint);
        return vec![in_config(site, problem, a.at)];
    };
    if reviewed < a_year_before(today) {
        let problem = Diagnostic::warning(
            "accessibility-review-old",
            format!(
                "the accessibility statement was last reviewed on {}, more than a year ago",
                reviewed.long_form()
            ),
        )
        .with_hint(format!(
            "check the site against WCAG 2.2 AA again, update `issues:` and `compliance:` under `accessibility:`, then set {example} (the date you checked it); statements must be reviewed every year"
        ));
        return vec![in_config(site, problem, a.reviewed_at)];
    }
    if a.declared.is_none() && a.issues.is_empty() {
        let problem = Diagnostic::warning(
            "accessibility-compliance-missing",
            format!(
                "the accessibility statement Waymark writes says \"{}\" because site.yaml does not say how far the site complies",
                a.compliance.label()
            ),
        )
        .with_hint("add `compliance:` under `accessibility:` in site.yaml: full, partial or none, as your last check found (with `issues:` listing what does not meet WCAG 2.2 AA)");
        return vec![in_config(site, problem, a.at)];
    }
    Vec::new()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_before_is_the_same_day_or_the_last_of_february() {
        let date = |text: &str| Date::parse(text).expect("a date");
        assert_eq!(a_year_before(date("2026-11-23")), date("2025-11-23"));
        assert_eq!(a_year_before(date("2028-02-29")), date("2027-02-28"));
        assert_eq!(a_year_before(date("2026-01-01")), date("2025-01-01"));
    }
}
