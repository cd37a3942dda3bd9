//! Content-hashed names for theme files (`style.css` → `style.1a2b3c4d5e.css`), so a host can
//! tell browsers to cache them for ever: a changed file gets a new name. Stylesheets are
//! rewritten to point at the hashed names of the fonts, images and stylesheets they use.

use std::collections::{BTreeMap, HashMap};

use sha2::{Digest, Sha256};

use crate::diagnostics::Diagnostic;
use crate::html::urls;
use crate::load::theme::{Origin, Theme};
use crate::output::{Contents, OutputFile};

/// Files whose names browsers and tools look for (favicon.ico, robots.txt, manifests) keep
/// them; these kinds are only ever reached through the theme's own links.
const HASHED_EXTENSIONS: &[&str] = &[
    "css", "js", "mjs", "woff", "woff2", "ttf", "otf", "eot", "svg", "png", "jpg", "jpeg", "gif",
    "webp", "avif",
];
const HASH_LENGTH: usize = 10;

/// The theme's static files as they are published.
#[derive(Debug, Default)]
pub struct ThemeAssets {
    pub files: Vec<ThemeOutput>,
    /// Theme path (`style.css`) to its published path relative to the site (`style.….css`).
    pub names: BTreeMap<String, String>,
}

#[derive(Debug)]
pub struct ThemeOutput {
    pub file: OutputFile,
    /// Where it came from, for messages: `themes/default/static/style.css`.
    pub display_path: String,
}

/// Reads, hashes and (for stylesheets) rewrites every static file of `theme`.
pub fn theme_assets(theme: &Theme) -> Result<ThemeAssets, Diagnostic> {
    let mut names = BTreeMap::new();
    let mut contents: HashMap<&str, Vec<u8>> = HashMap::new();
    let mut stylesheets = Vec::new();
    for (path, file) in &theme.static_files {
        let bytes = match &file.origin {
            Origin::Embedded(bytes) => bytes.to_vec(),
            Origin::Site(source) => std::fs::read(source).map_err(|e| {
                Diagnostic::error(
                    "unreadable-file",
                    format!("cannot read this theme file: {e}"),
                )
                .in_file(&file.display_path)
            })?,
        };
        match extension(path) {
            Some("css") => stylesheets.push(path.as_str()),
            Some(ext) if HASHED_EXTENSIONS.contains(&ext) => {
                names.insert(path.clone(), hashed_name(path, &bytes));
            }
            _ => {
                names.insert(path.clone(), path.clone());
            }
        }
        contents.insert(path, bytes);
    }
    // A stylesheet's name depends on the names inside it, so those are settled first.
    let mut visiting = Vec::new();
    for sheet in &stylesheets {
        settle_stylesheet(sheet, &mut contents, &mut names, &mut visiting, theme)?;
    }
    let files = theme
        .static_files
        .iter()
        .filter_map(|(path, file)| {
            let published = names.get(path)?.clone();
            let body = match (&file.origin, extension(path)) {
                (Origin::Embedded(bytes), ext) if ext != Some("css") => Contents::Embedded(bytes),
                _ => Contents::Bytes(contents.remove(path.as_str())?),
            };
            Some(ThemeOutput {
                file: OutputFile {
                    path: published,
                    contents: body,
                },
                display_path: file.display_path.clone(),
            })
        })
        .collect();
    Ok(ThemeAssets { files, names })
}

fn settle_stylesheet<'a>(
    sheet: &'a str,
    contents: &mut HashMap<&'a str, Vec<u8>>,
    names: &mut BTreeMap<String, String>,
    visiting: &mut Vec<&'a str>,
    theme: &'a Theme,
) -> Result<(), Diagnostic> {
    if names.contains_key(sheet) {
        return Ok(());
    }
    if visiting.contains(&sheet) {
        let display = theme
            .static_files
            .get(sheet)
            .map_or(sheet, |f| f.display_path.as_str());
        return Err(Diagnostic::error(
            "stylesheet-cycle",
            format!(
                "stylesheets import each other in a circle: {} → {sheet}",
                visiting.join(" → ")
            ),
        )
        .in_file(display)
        .with_hint("remove one of the @import lines"));
    }
    visiting.push(sheet);
    let text =
        String::from_utf8_lossy(contents.get(sheet).map_or(&[][..], Vec::as_slice)).into_owned();
    for reference in css_references(&text) {
        let target = resolve_relative(sheet, &text[reference.clone()]);
        if let Some((key, _)) = theme.static_files.get_key_value(target.as_str())
            && extension(key) == Some("css")
        {
            settle_stylesheet(key, contents, names, visiting, theme)?;
        }
    }
    visiting.pop();
    let rewritten = rewrite_references(sheet, &text, names);
    let name = hashed_name(sheet, rewritten.as_bytes());
    names.insert(sheet.to_string(), name);
    contents.insert(sheet, rewritten.into_bytes());
    Ok(())
}

/// Byte ranges of the targets of `url(…)` and `@import "…"` in a stylesheet.
fn css_references(css: &str) -> Vec<std::ops::Range<usize>> {
    let mut found = Vec::new();
    let bytes = css.as_bytes();
    let lower = css.to_ascii_lowercase();
    for (at, token) in lower
        .match_indices("url(")
        .chain(lower.match_indices("@import"))
    {
        let mut i = at + token.len();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let (start, end) = match bytes.get(i) {
            Some(&quote @ (b'"' | b'\'')) => {
                let end = memchr::memchr(quote, &bytes[i + 1..]).map_or(bytes.len(), |e| i + 1 + e);
                (i + 1, end)
            }
            _ if token == "url(" => {
                let end = memchr::memchr(b')', &bytes[i..]).map_or(bytes.len(), |e| i + e);
                (i, end)
            }
            _ => continue,
        };
        let target = css[start..end].trim_end();
        let is_local = !target.is_empty()
            && !target.starts_with('#')
            && !target.starts_with('/')
            && !target.contains(':');
        if is_local {
            found.push(start..start + target.len());
        }
    }
    found.sort_by_key(|r| r.start);
    found.dedup();
    found
}

fn rewrite_references(sheet: &str, css: &str, names: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(css.len());
    let mut copied = 0;
    for range in css_references(css) {
        let reference = &css[range.clone()];
        let (path, suffix) = match reference.find(['?', '#']) {
            Some(i) => reference.split_at(i),
            None => (reference, ""),
        };
        let target = resolve_relative(sheet, path);
        if let Some(published) = names.get(&target) {
            out.push_str(&css[copied..range.start]);
            out.push_str(&relative_to(sheet, published));
            out.push_str(suffix);
            copied = range.end;
        }
    }
    out.push_str(&css[copied..]);
    out
}

/// `fonts/a.woff2` referenced from `css/site.css` is `css/fonts/a.woff2` (decoded; query and
/// fragment dropped). Both are relative to the theme's static folder, which acts as the root.
fn resolve_relative(from: &str, reference: &str) -> String {
    let from_root = urls::resolve_path(&format!("/{from}"), reference).unwrap_or_default();
    from_root.trim_start_matches('/').to_string()
}

/// The path from the folder of `from` to `to`, both relative to the theme's static folder.
fn relative_to(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut path = "../".repeat(from_dirs.len() - common);
    path.push_str(&to_parts[common..].join("/"));
    path
}

fn extension(path: &str) -> Option<&str> {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map(|(_, ext)| ext)
}

/// `css/style.css` with contents hashing to 1a2b… becomes `css/style.1a2b3c4d5e.css`.
fn hashed_name(path: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest
        .iter()
        .take(HASH_LENGTH / 2)
        .map(|b| format!("{b:02x}"))
        .collect();
    match path.rsplit_once('.') {
        Some((stem, ext)) if !stem.ends_with('/') && !ext.contains('/') => {
            format!("{stem}.{hex}.{ext}")
        }
        _ => format!("{path}.{hex}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::theme::ThemeFile;

    fn theme(files: &[(&str, &'static str)]) -> Theme {
        let mut theme = Theme::default();
        for (path, text) in files {
            theme.static_files.insert(
                path.to_string(),
                ThemeFile {
                    display_path: format!("themes/t/static/{path}"),
                    origin: Origin::Embedded(text.as_bytes()),
                },
            );
        }
        theme
    }

    #[test]
    fn names_files_by_their_contents() {
        let a = theme_assets(&theme(&[("style.css", "body{}"), ("favicon.ico", "x")])).unwrap();
        let b = theme_assets(&theme(&[("style.css", "body{ }")])).unwrap();
        let name = &a.names["style.css"];
        assert!(
            name.starts_with("style.") && name.ends_with(".css") && name.len() == 20,
            "{name}"
        );
        assert_ne!(name, &b.names["style.css"]);
        assert_eq!(a.names["favicon.ico"], "favicon.ico");
    }

    #[test]
    fn points_stylesheets_at_hashed_names() {
        let assets = theme_assets(&theme(&[
            ("css/site.css", "@import \"base.css\"; a { background: url(../img/a.png?v=1) } b { background: url(data:x) }"),
            ("css/base.css", "p { background: url('/abs.png') }"),
            ("img/a.png", "PNG"),
        ]))
        .unwrap();
        let site = assets
            .files
            .iter()
            .find(|f| f.file.path == assets.names["css/site.css"])
            .unwrap();
        let Contents::Bytes(bytes) = &site.file.contents else {
            panic!()
        };
        let text = String::from_utf8(bytes.clone()).unwrap();
        let base = assets.names["css/base.css"]
            .strip_prefix("css/")
            .unwrap()
            .to_string();
        let image = &assets.names["img/a.png"];
        assert!(text.contains(&format!("@import \"{base}\"")), "{text}");
        assert!(text.contains(&format!("url(../{image}?v=1)")), "{text}");
        assert!(text.contains("url(data:x)"), "{text}");
    }

    #[test]
    fn reports_stylesheets_importing_each_other() {
        let error = theme_assets(&theme(&[
            ("a.css", "@import 'b.css';"),
            ("b.css", "@import 'a.css';"),
        ]))
        .unwrap_err();
        assert_eq!(error.code, "stylesheet-cycle");
    }
}
