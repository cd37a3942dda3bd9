//! Themes: the default theme is compiled into the binary; a site's own
//! `themes/<name>/templates/` and `themes/<name>/static/` files replace it file by file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diagnostics::Diagnostic;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Where a theme file came from, for error messages and copying.
#[derive(Debug, Clone)]
pub enum Origin {
    Embedded(&'static [u8]),
    Site(PathBuf),
}

#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// Path shown in messages: `themes/<name>/templates/base.html`.
    pub display_path: String,
    pub origin: Origin,
}

#[derive(Debug, Default)]
pub struct Theme {
    /// Template name (`base.html`) to its source text and display path.
    pub templates: BTreeMap<String, (String, String)>,
    /// Output path (`style.css`) to the file.
    pub static_files: BTreeMap<String, ThemeFile>,
}

/// The default theme with `root/themes/<name>/` laid over it.
pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
    let mut theme = Theme::default();
    collect_embedded(&DEFAULT_THEME, &mut theme);
    let site_theme = root.join(crate::load::THEMES_DIR).join(name);
    if site_theme.is_dir() {
        overlay(root, &site_theme, name, &mut theme)?;
    } else if name != "default" {
        return Err(Diagnostic::error("unknown-theme", format!("theme \"{name}\" was not found: there is no themes/{name}/ folder"))
            .in_file(crate::load::CONFIG_FILE)
            .with_hint("remove the `theme:` line to use the built-in default theme, or create themes/<name>/templates/"));
    }
    Ok(theme)
}

fn collect_embedded(dir: &'static Dir<'static>, theme: &mut Theme) {
    for entry in dir.entries() {
        if let Some(sub) = entry.as_dir() {
            collect_embedded(sub, theme);
        } else if let Some(file) = entry.as_file() {
            let path = file.path().to_string_lossy().replace('\\', "/");
            let display_path = format!("themes/default/{path}");
            if let Some(name) = path.strip_prefix("templates/") {
                let text = String::from_utf8_lossy(file.contents()).into_owned();
                theme
                    .templates
                    .insert(name.to_string(), (text, display_path));
            } else if let Some(name) = path.strip_prefix("static/") {
                theme.static_files.insert(
                    name.to_string(),
                    ThemeFile {
                        display_path,
                        origin: Origin::Embedded(file.contents()),
                    },
                );
            }
        }
    }
}

/// Lays the site's theme files over the built-in ones. Links that leave the site folder are
/// refused, as in `content/` and `static/`; a theme is code, so here that stops the build.
fn overlay(
    root: &Path,
    site_theme: &Path,
    name: &str,
    theme: &mut Theme,
) -> Result<(), Diagnostic> {
    for (folder, is_template) in [("templates", true), ("static", false)] {
        let dir = site_theme.join(folder);
        if !dir.is_dir() {
            continue;
        }
        let mut problems = crate::diagnostics::Diagnostics::default();
        let files = super::walk(root, &dir, &mut problems);
        if let Some(problem) = problems.into_iter().next() {
            return Err(problem.as_error());
        }
        for (path, rel, _) in files {
            let display_path = format!("themes/{name}/{folder}/{rel}");
            if is_template {
                let bytes = std::fs::read(&path).map_err(|e| {
                    Diagnostic::error("unreadable-file", format!("cannot read this template: {e}"))
                        .in_file(&display_path)
                })?;
                let text = crate::load::decode(&bytes).map_err(|d| d.in_file(&display_path))?;
                theme.templates.insert(rel, (text, display_path));
            } else {
                let origin = Origin::Site(path);
                theme.static_files.insert(
                    rel,
                    ThemeFile {
                        display_path,
                        origin,
                    },
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embeds_the_default_theme() {
        let theme = load(Path::new("/nonexistent"), "default").unwrap();
        for name in [
            "base.html",
            "home.html",
            "priority.html",
            "meeting.html",
            "tag.html",
            "404.html",
        ] {
            assert!(theme.templates.contains_key(name), "missing {name}");
        }
        assert!(theme.static_files.contains_key("style.css"));
    }

    #[test]
    fn reports_a_missing_named_theme() {
        assert_eq!(
            load(Path::new("/nonexistent"), "civic").unwrap_err().code,
            "unknown-theme"
        );
    }
}
