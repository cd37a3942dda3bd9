//! `site.yaml`: the site-wide settings, validated into a `Config`.

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Position, did_you_mean};
use crate::html::urls::percent_decode;
use crate::load::{CONFIG_FILE, STATIC_DIR};
use crate::parse::front_matter::{self, Document};
use crate::values::colour::{Colour, MINIMUM_TEXT_CONTRAST, ratio_text};
use crate::values::zone::Zone;
use crate::values::{Compliance, Date};

mod licence;
pub use licence::Licence;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    description: Option<String>,
    base_url: Option<serde_saphyr::Spanned<String>>,
    language: Option<String>,
    organisation: Option<String>,
    theme: Option<serde_saphyr::Spanned<String>>,
    contact_email: Option<String>,
    #[serde(default)]
    allow_raw_html: bool,
    timezone: Option<serde_saphyr::Spanned<String>>,
    accessibility: Option<RawAccessibility>,
    logo: Option<RawLogo>,
    brand_colour: Option<serde_saphyr::Spanned<String>>,
    /// The open data's licence: see [`licence`].
    licence: Option<serde_saphyr::Spanned<licence::RawLicence>>,
}

/// `logo:` in site.yaml: a picture in `static/` and the words it shows.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLogo {
    file: Option<serde_saphyr::Spanned<String>>,
    alt: Option<serde_saphyr::Spanned<String>>,
}

/// `accessibility:` in site.yaml: what the generated accessibility statement declares.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccessibility {
    compliance: Option<serde_saphyr::Spanned<String>>,
    #[serde(default)]
    issues: Vec<String>,
    reviewed: Option<serde_saphyr::Spanned<String>>,
    phone: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: Option<String>,
    pub base_url: BaseUrl,
    pub language: String,
    pub organisation: Option<String>,
    pub theme: String,
    pub contact_email: Option<String>,
    /// Lets HTML written in Markdown through, sanitised. Off unless the site opts in.
    pub allow_raw_html: bool,
    /// Where meeting times are wall-clock times: Europe/London unless `timezone` says otherwise.
    pub timezone: Zone,
    pub accessibility: Accessibility,
    /// The organisation's logo, shown in the header.
    pub logo: Option<Logo>,
    /// The header's colour, instead of the theme's; white text is readable on it (checked).
    pub brand_colour: Option<Colour>,
    /// The text of site.yaml, for problems found once the site is assembled (an accessibility
    /// statement not reviewed, a logo file that is not there) to point into.
    pub text: String,
    /// What the open data (`/data/`) is published under: the Open Government Licence v3.0
    /// unless `licence` says otherwise.
    pub licence: Licence,
}

/// `logo:` in site.yaml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    /// As written, from the site folder: `static/images/logo.svg`.
    pub file: String,
    /// Where it is published, relative to the site root: `images/logo.svg`.
    pub site_path: String,
    /// What the logo shows, for people who cannot see it.
    pub alt: String,
    pub file_at: Position,
    pub alt_at: Position,
}

/// The picture formats every browser shows, as file extensions.
pub const LOGO_EXTENSIONS: &[&str] = &["svg", "png", "jpg", "jpeg", "webp", "gif"];

/// The text the default theme draws on `brand_colour` (its header, the dates of upcoming
/// meetings, the current page number), in each colour scheme: (scheme, colour, its name). The
/// theme uses the brand colour unchanged in both schemes, and each is checked.
const TEXT_ON_BRAND: [(&str, Colour, &str); 2] = [
    ("light", Colour::WHITE, "white"),
    ("dark", Colour::WHITE, "white"),
];

/// What the generated accessibility statement says (used when the site has no
/// `content/pages/accessibility.md` of its own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accessibility {
    /// What the statement declares. `compliance` as written once `reviewed` says when someone
    /// checked; until then "partially compliant" (or "not compliant", when declared): a site
    /// nobody has checked cannot honestly claim to be fully compliant.
    pub compliance: Compliance,
    /// `compliance` as written.
    pub declared: Option<Compliance>,
    /// Content known not to meet WCAG 2.2 AA, one sentence each.
    pub issues: Vec<String>,
    /// When the statement was last reviewed.
    pub reviewed: Option<Date>,
    /// A telephone number for accessibility problems.
    pub phone: Option<String>,
    /// Where `accessibility:` and `reviewed:` are in site.yaml, when written.
    pub at: Option<Position>,
    pub reviewed_at: Option<Position>,
}

impl Accessibility {
    /// Someone checked the site and said how far it complies (in `compliance`, or by listing
    /// `issues`), and when (`reviewed`).
    pub fn assessed(&self) -> bool {
        self.reviewed.is_some() && (self.declared.is_some() || !self.issues.is_empty())
    }
}

/// Where the site is published. `path` is the part after the host, always starting and ending
/// with `/`, so the site works at a domain root or under a sub-path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// e.g. `https://example.org/safety/`
    pub absolute: String,
    /// e.g. `/safety/`
    pub path: String,
}

impl BaseUrl {
    /// Reads the address a site is published at. The host is read by the `url` crate
    /// (international names, IPv6, ports); the path is kept as written, decoded, since every
    /// path Waymark compares against it is decoded too.
    pub fn parse(text: &str) -> Result<BaseUrl, String> {
        let text = text.trim();
        let rest = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
            .ok_or_else(|| format!("\"{text}\" must start with https:// or http://"))?;
        let path = rest
            .find(['/', '\\', '?', '#'])
            .map_or("", |at| &rest[at..]);
        if path.contains(['?', '#', ' ', '\\', '"', '<', '>']) {
            return Err(format!(
                "\"{text}\" may only have a plain path after the host (no ?, #, spaces or quotes)"
            ));
        }
        let url = url::Url::parse(text)
            .ok()
            .filter(|url| url.has_host() && url.username().is_empty() && url.password().is_none())
            .ok_or_else(|| format!("\"{text}\" does not have a valid host name"))?;
        let path = percent_decode(url.path());
        let path = path.trim_matches('/');
        let path = if path.is_empty() {
            "/".to_string()
        } else {
            format!("/{path}/")
        };
        Ok(BaseUrl {
            absolute: format!("{}{path}", url.origin().ascii_serialization()),
            path,
        })
    }

    /// `https://example.org` for `https://example.org/sub/`.
    pub fn origin(&self) -> &str {
        &self.absolute[..self.absolute.len() - self.path.len()]
    }

    /// The public path for a site-relative URL such as `priorities/x/`.
    pub fn join(&self, site_relative: &str) -> String {
        format!("{}{}", self.path, site_relative.trim_start_matches('/'))
    }

    /// The absolute address of a site path, for feeds, calendars and other sites.
    pub fn absolute_url(&self, site_path: &str) -> String {
        format!("{}{site_path}", self.absolute)
    }
}

/// Reads `site.yaml`'s text (from [`crate::load::read_config`]) into a `Config`; problems name
/// the file.
pub fn parse_file(text: &str, base_url_override: Option<&str>) -> Result<Config, Diagnostic> {
    parse(text, base_url_override).map_err(|d| d.in_file(CONFIG_FILE))
}

/// `theme:` names a folder in `themes/`, and nothing else: a path would read a theme from
/// outside the site folder.
fn theme_name(spanned: &serde_saphyr::Spanned<String>, text: &str) -> Result<String, Diagnostic> {
    let name = spanned.value.trim();
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', ':'])
        && !name.chars().any(char::is_control);
    if plain {
        return Ok(name.to_string());
    }
    let at = spanned.referenced;
    Err(Diagnostic::error(
        "unknown-theme",
        format!("theme \"{}\" is not the name of a folder in themes/", name.escape_debug()),
    )
    .at(text, at.line() as u32, at.column() as u32)
    .with_hint("write the name of a folder inside the site's themes/ folder, e.g. `theme: council`, or remove the line to use the built-in theme"))
}

pub fn parse(text: &str, base_url_override: Option<&str>) -> Result<Config, Diagnostic> {
    let document = Document {
        yaml: text,
        yaml_first_line: 1,
        body: "",
        body_first_line: 1,
    };
    if let Some(problem) = logo_written_as_a_path(text) {
        return Err(problem);
    }
    let raw: RawConfig = front_matter::parse(&document, text)?;
    let base_url = match (base_url_override, &raw.base_url) {
        (Some(url), _) => BaseUrl::parse(url).map_err(|message| {
            Diagnostic::error("invalid-base-url", format!("--base-url {message}"))
        })?,
        (None, Some(spanned)) => BaseUrl::parse(&spanned.value).map_err(|message| {
            let at = spanned.referenced;
            Diagnostic::error("invalid-base-url", format!("base_url {message}"))
                .at(text, at.line() as u32, at.column() as u32)
                .with_hint("write the full address the site is published at, e.g. `base_url: https://www.example.gov.uk/community-safety/`")
        })?,
        (None, None) => {
            return Err(Diagnostic::error("missing-field", "the required key \"base_url\" is missing")
                .at(text, 1, 1)
                .with_hint("add `base_url: https://…/`, the address the site is published at (or pass --base-url)"));
        }
    };
    let timezone = match &raw.timezone {
        None => Zone::london(),
        Some(spanned) => Zone::parse(&spanned.value).map_err(|message| {
            let at = spanned.referenced;
            let names = Zone::known_names();
            let hint = match did_you_mean(spanned.value.trim(), names.iter().map(String::as_str)) {
                Some(close) => format!("did you mean \"{close}\"? Time zones are IANA names such as Europe/London"),
                None => "write an IANA time zone name such as Europe/London or Europe/Dublin, or remove the line for Europe/London".to_string(),
            };
            Diagnostic::error("invalid-timezone", format!("timezone: {message}"))
                .at(text, at.line() as u32, at.column() as u32)
                .with_hint(hint)
        })?,
    };
    let accessibility = accessibility(raw.accessibility, text)?;
    let licence = licence::licence(raw.licence, text)?;
    let theme = match &raw.theme {
        Some(spanned) => theme_name(spanned, text)?,
        None => "default".to_string(),
    };
    let logo = match raw.logo {
        Some(raw) => Some(logo(raw, text)?),
        None => None,
    };
    let brand_colour = brand_colour(raw.brand_colour.as_ref(), text)?;
    Ok(Config {
        title: raw.title,
        description: raw.description,
        base_url,
        language: raw.language.unwrap_or_else(|| "en-GB".to_string()),
        organisation: raw.organisation,
        theme,
        contact_email: raw.contact_email,
        allow_raw_html: raw.allow_raw_html,
        timezone,
        accessibility,
        logo,
        brand_colour,
        text: text.to_string(),
        licence,
    })
}

/// Where a top-level `key:` starts in site.yaml, for problems about a value that is missing
/// or empty (which has no position of its own).
fn key_position(text: &str, key: &str) -> Option<Position> {
    let prefix = format!("{key}:");
    text.lines().enumerate().find_map(|(index, line)| {
        line.starts_with(&prefix).then_some(Position {
            line: index as u32 + 1,
            column: 1,
        })
    })
}

fn position(spanned: &serde_saphyr::Location) -> Position {
    Position {
        line: spanned.line() as u32,
        column: spanned.column() as u32,
    }
}

/// `logo: static/logo.svg` on one line: the logo needs its alt text too, so it is two fields.
fn logo_written_as_a_path(text: &str) -> Option<Diagnostic> {
    let (index, line) = text
        .lines()
        .enumerate()
        .find(|(_, line)| line.starts_with("logo:"))?;
    let value = line["logo:".len()..].trim_start();
    if value.is_empty() || value.starts_with(['{', '#', '&', '*', '!']) {
        return None;
    }
    let column = line.len() - value.len() + 1;
    let file = value.trim_matches(['"', '\'']);
    Some(
        Diagnostic::error(
            "invalid-logo",
            "logo needs two fields under it, `file:` and `alt:`, not a file name on its line",
        )
        .at(text, index as u32 + 1, column as u32)
        .with_hint(format!(
            "write it as three lines: `logo:`, then `  file: {file}` and `  alt: Hampshire County Council` (the words the logo shows, usually the organisation's name), each indented by two spaces"
        )),
    )
}

/// `logo:` checked as far as the text allows: a path into `static/` of a picture browsers
/// show, and alt text. Whether the file is there is checked with the site's files.
fn logo(raw: RawLogo, text: &str) -> Result<Logo, Diagnostic> {
    let logo_at = key_position(text, "logo").unwrap_or(Position { line: 1, column: 1 });
    let problem = |code: &'static str, message: String, at: Position| {
        Diagnostic::error(code, message).at(text, at.line, at.column)
    };
    let Some(file) = raw.file else {
        return Err(problem("invalid-logo", "logo has no `file:`".to_string(), logo_at)
            .with_hint("add `file:` under `logo:`, the logo's path from the site folder, e.g. `file: static/logo.svg`"));
    };
    let file_at = position(&file.referenced);
    let written = file.value.trim().to_string();
    let site_path = written
        .strip_prefix(STATIC_DIR)
        .and_then(|rest| rest.strip_prefix('/'))
        .filter(|rest| {
            !rest.is_empty()
                && !rest.contains('\\')
                && rest
                    .split('/')
                    .all(|part| !part.is_empty() && part != "." && part != "..")
        });
    let Some(site_path) = site_path else {
        let suggestion = format!(
            "{STATIC_DIR}/{}",
            written
                .trim_start_matches(['/', '\\', '.'])
                .trim_start_matches("static/")
        );
        return Err(problem(
            "invalid-logo",
            format!("logo file \"{}\" is not in the static/ folder", written.escape_debug()),
            file_at,
        )
        .with_hint(format!(
            "put the logo in the site's static/ folder and write its path from the site folder, e.g. `file: {suggestion}`"
        )));
    };
    let extension = site_path
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    if !LOGO_EXTENSIONS.contains(&extension.as_str()) {
        let kind = if extension.is_empty() || extension.contains('/') {
            "has no file type (such as .svg or .png) at the end of its name".to_string()
        } else {
            format!("is a .{extension} file, which not every browser shows")
        };
        return Err(problem(
            "invalid-logo",
            format!("logo file \"{}\" {kind}", written.escape_debug()),
            file_at,
        )
        .with_hint("save the logo as SVG (sharp at every size) or PNG, and write that file's name; JPEG, WebP and GIF work too"));
    }
    let alt_hint = "add `alt:` under `logo:`: the words the logo shows, usually the organisation's name, e.g. `alt: Hampshire County Council`. People who cannot see the logo hear or read this instead";
    let Some(alt) = raw.alt else {
        return Err(problem(
            "missing-logo-alt",
            "logo has no alt text".to_string(),
            logo_at,
        )
        .with_hint(alt_hint));
    };
    let alt_at = position(&alt.referenced);
    let alt_text = alt.value.split_whitespace().collect::<Vec<_>>().join(" ");
    if alt_text.is_empty() {
        return Err(problem(
            "missing-logo-alt",
            "logo's alt text is empty".to_string(),
            alt_at,
        )
        .with_hint(alt_hint));
    }
    Ok(Logo {
        site_path: site_path.to_string(),
        file: written,
        alt: alt_text,
        file_at,
        alt_at,
    })
}

/// Words that say a picture is there, not what it shows: alt text made only of these (`logo`,
/// `council logo`) tells a screen reader user nothing.
const VAGUE_ALT_WORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "our",
    "my",
    "of",
    "logo",
    "logos",
    "logotype",
    "image",
    "img",
    "picture",
    "pic",
    "photo",
    "icon",
    "graphic",
    "banner",
    "header",
    "brand",
    "branding",
    "emblem",
    "crest",
    "badge",
    "company",
    "council",
    "organisation",
    "organization",
    "site",
    "website",
    "home",
    "homepage",
    "placeholder",
    "alt",
    "text",
    "svg",
    "png",
    "jpg",
    "jpeg",
    "webp",
    "gif",
];

impl Logo {
    /// The alt text says nothing about the logo: only words like "logo" or "image", or the
    /// file's name.
    pub fn vague_alt(&self) -> bool {
        let alt = self.alt.to_lowercase();
        let name = self
            .site_path
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_lowercase();
        let stem = name
            .rsplit_once('.')
            .map_or(name.as_str(), |(stem, _)| stem);
        let is_file_name = alt == name
            || alt == stem
            || alt == self.file.to_lowercase()
            || LOGO_EXTENSIONS
                .iter()
                .any(|ext| alt.ends_with(&format!(".{ext}")));
        let words: Vec<&str> = alt
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        is_file_name || words.iter().all(|w| VAGUE_ALT_WORDS.contains(w))
    }
}

/// `brand_colour`: a hex colour that white text can be read on, in light and dark mode.
fn brand_colour(
    spanned: Option<&serde_saphyr::Spanned<String>>,
    text: &str,
) -> Result<Option<Colour>, Diagnostic> {
    let Some(spanned) = spanned else {
        return unquoted_brand_colour(text).map_or(Ok(None), Err);
    };
    let at = position(&spanned.referenced);
    let written = spanned.value.trim();
    let Some(colour) = Colour::parse_hex(written) else {
        let bare_hex =
            matches!(written.len(), 3 | 6) && written.bytes().all(|b| b.is_ascii_hexdigit());
        let hint = if bare_hex {
            format!("write a # in front, in quotes: `brand_colour: \"#{written}\"`")
        } else {
            "write the colour as # and six (or three) hexadecimal digits, in quotes, e.g. `brand_colour: \"#00527a\"`; your organisation's brand guidelines give it, often as \"HEX\"".to_string()
        };
        return Err(Diagnostic::error(
            "invalid-brand-colour",
            format!(
                "brand_colour \"{}\" is not a hex colour such as \"#00527a\"",
                written.escape_debug()
            ),
        )
        .at(text, at.line, at.column)
        .with_hint(hint));
    };
    let failing: Vec<(&str, Colour, &str)> = TEXT_ON_BRAND
        .iter()
        .copied()
        .filter(|(_, on, _)| colour.contrast(*on) < MINIMUM_TEXT_CONTRAST)
        .collect();
    let Some(&(_, on, on_name)) = failing.first() else {
        return Ok(Some(colour));
    };
    let schemes: Vec<&str> = failing
        .iter()
        .filter(|(_, other, _)| *other == on)
        .map(|(scheme, _, _)| *scheme)
        .collect();
    let ratio = colour.contrast(on);
    let mut problem = Diagnostic::error(
        "brand-colour-contrast",
        format!(
            "brand_colour \"{written}\" has a contrast of {} against the {on_name} header text ({on}) in {} mode; it needs at least 4.5:1",
            ratio_text(ratio),
            schemes.join(" and "),
        ),
    )
    .at(text, at.line, at.column);
    let reason = "so that everyone can read the site's name and menu on it";
    problem = match colour.readable_shade(on, MINIMUM_TEXT_CONTRAST) {
        Some(shade) => {
            let lighter = shade.relative_luminance() > colour.relative_luminance();
            let way = if lighter { "lighter" } else { "darker" };
            problem.with_hint(format!(
                "try a {way} shade of the same colour, e.g. `brand_colour: \"{shade}\"` ({}), {reason}",
                ratio_text(shade.contrast(on))
            ))
        }
        None => problem.with_hint(format!("choose a darker colour, {reason}")),
    };
    Err(problem)
}

/// `brand_colour: #00527a` without quotes: YAML reads everything from `#` as a comment, so the
/// value is empty and the colour would be silently ignored.
fn unquoted_brand_colour(text: &str) -> Option<Diagnostic> {
    let (index, line) = text
        .lines()
        .enumerate()
        .find(|(_, line)| line.starts_with("brand_colour:"))?;
    let rest = &line["brand_colour:".len()..];
    let value = rest.trim_start();
    let comment = value.strip_prefix('#')?;
    let column = line.len() - value.len() + 1;
    let colour = comment.split_whitespace().next().unwrap_or("");
    Some(
        Diagnostic::error(
            "invalid-brand-colour",
            "brand_colour is empty: without quotes, everything from # on is a comment",
        )
        .at(text, index as u32 + 1, column as u32)
        .with_hint(format!(
            "put the colour in quotes: `brand_colour: \"#{colour}\"`"
        )),
    )
}

fn accessibility(raw: Option<RawAccessibility>, text: &str) -> Result<Accessibility, Diagnostic> {
    let at = raw.as_ref().and(key_position(text, "accessibility"));
    let raw = raw.unwrap_or(RawAccessibility {
        compliance: None,
        issues: Vec::new(),
        reviewed: None,
        phone: None,
    });
    let issues: Vec<String> = raw
        .issues
        .into_iter()
        .map(|issue| issue.trim().to_string())
        .filter(|issue| !issue.is_empty())
        .collect();
    let declared = match raw.compliance {
        Some(spanned) => Some(Compliance::parse(&spanned.value).ok_or_else(|| {
            let at = spanned.referenced;
            Diagnostic::error(
                "invalid-accessibility",
                format!("accessibility: unknown compliance \"{}\"", spanned.value),
            )
            .at(text, at.line() as u32, at.column() as u32)
            .with_hint(format!(
                "write how far the site meets WCAG 2.2 AA, one of: {}",
                Compliance::WORDS.join(", ")
            ))
        })?),
        None => None,
    };
    let (reviewed, reviewed_at) = match raw.reviewed {
        Some(spanned) => {
            let date = Date::parse(spanned.value.trim()).map_err(|message| {
                let at = spanned.referenced;
                Diagnostic::error(
                    "invalid-accessibility",
                    format!("accessibility: reviewed: {message}"),
                )
                .at(text, at.line() as u32, at.column() as u32)
                .with_hint("write the date the statement was last reviewed as YYYY-MM-DD, e.g. reviewed: 2026-11-02")
            })?;
            (Some(date), Some(position(&spanned.referenced)))
        }
        None => (None, None),
    };
    // A declaration counts once someone says when they checked; not compliant needs no check.
    let compliance = match (declared, reviewed) {
        (Some(Compliance::NotCompliant), _) => Compliance::NotCompliant,
        (Some(declared), Some(_)) => declared,
        _ => Compliance::Partial,
    };
    let phone = raw
        .phone
        .map(|phone| phone.trim().to_string())
        .filter(|phone| !phone.is_empty());
    Ok(Accessibility {
        compliance,
        declared,
        issues,
        reviewed,
        phone,
        at,
        reviewed_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_sub_path() {
        let url = BaseUrl::parse("https://example.org/safety").unwrap();
        assert_eq!(url.path, "/safety/");
        assert_eq!(url.absolute, "https://example.org/safety/");
        assert_eq!(url.join("/priorities/x/"), "/safety/priorities/x/");
        assert_eq!(BaseUrl::parse("https://example.org").unwrap().path, "/");
        assert!(BaseUrl::parse("example.org").is_err());
    }

    #[test]
    fn base_url_reads_hosts_ports_and_origin() {
        let url = BaseUrl::parse("https://Example.ORG:8443/a/../safety//").unwrap();
        assert_eq!(url.absolute, "https://example.org:8443/safety/");
        assert_eq!(url.origin(), "https://example.org:8443");
        let default_port = BaseUrl::parse("http://example.org:80").unwrap();
        assert_eq!(default_port.absolute, "http://example.org/");
        assert_eq!(default_port.origin(), "http://example.org");
        let idn = BaseUrl::parse("https://bücher.example/").unwrap();
        assert_eq!(idn.origin(), "https://xn--bcher-kva.example");
        let ipv6 = BaseUrl::parse("http://[::1]:8000/site").unwrap();
        assert_eq!(ipv6.absolute, "http://[::1]:8000/site/");
        assert_eq!(
            BaseUrl::parse("https://exa mple.org/").unwrap_err(),
            "\"https://exa mple.org/\" does not have a valid host name"
        );
        assert_eq!(
            BaseUrl::parse("https://user@example.org/").unwrap_err(),
            "\"https://user@example.org/\" does not have a valid host name"
        );
        assert_eq!(
            BaseUrl::parse("https://example.org/a?b").unwrap_err(),
            "\"https://example.org/a?b\" may only have a plain path after the host (no ?, #, spaces or quotes)"
        );
    }

    #[test]
    fn defaults_language_and_theme() {
        let config = parse("title: T\nbase_url: https://x.org/\n", None).unwrap();
        assert_eq!(config.language, "en-GB");
        assert_eq!(config.theme, "default");
    }

    #[test]
    fn reads_the_time_zone() {
        let config = parse("title: T\nbase_url: https://x.org/\n", None).unwrap();
        assert_eq!(config.timezone.name(), "Europe/London");
        let text = "title: T\nbase_url: https://x.org/\ntimezone: Europe/Dublin\n";
        assert_eq!(parse(text, None).unwrap().timezone.name(), "Europe/Dublin");
        let text = "title: T\nbase_url: https://x.org/\ntimezone: Europe/Lundon\n";
        let problem = parse(text, None).unwrap_err();
        assert_eq!(problem.code, "invalid-timezone");
        assert_eq!((problem.line, problem.column), (Some(3), Some(11)));
        assert!(problem.hint.unwrap().contains("Europe/London"));
    }

    #[test]
    fn reads_the_accessibility_statement_fields() {
        let yaml = "title: T\nbase_url: https://x.org/\naccessibility:\n  issues:\n    - Old PDFs are scanned.\n    - \"  \"\n  reviewed: 2026-11-02\n  phone: \" 0300 555 0100 \"\n";
        let a = parse(yaml, None).unwrap().accessibility;
        assert_eq!(a.compliance, Compliance::Partial, "issues imply partial");
        assert_eq!(a.issues, ["Old PDFs are scanned."]);
        assert_eq!(
            a.reviewed.map(|d| d.to_string()).as_deref(),
            Some("2026-11-02")
        );
        assert_eq!(a.phone.as_deref(), Some("0300 555 0100"));
        assert_eq!(a.at, Some(Position { line: 3, column: 1 }));
        assert_eq!(
            a.reviewed_at,
            Some(Position {
                line: 7,
                column: 13
            })
        );
        assert!(a.assessed(), "issues and a review date");
    }

    fn accessibility_of(block: &str) -> Accessibility {
        let text = format!("title: T\nbase_url: https://x.org/\n{block}");
        parse(&text, None).unwrap().accessibility
    }

    #[test]
    fn the_statement_is_partially_compliant_until_someone_says_when_they_checked() {
        let plain = accessibility_of("");
        assert_eq!(plain.compliance, Compliance::Partial);
        assert_eq!((plain.declared, plain.at), (None, None));
        assert!(!plain.assessed());
        let unchecked = accessibility_of("accessibility:\n  compliance: full\n");
        assert_eq!(unchecked.compliance, Compliance::Partial);
        assert_eq!(unchecked.declared, Some(Compliance::Full));
        assert!(!unchecked.assessed());
        let checked =
            accessibility_of("accessibility:\n  compliance: full\n  reviewed: 2026-11-02\n");
        assert_eq!(checked.compliance, Compliance::Full);
        assert!(checked.assessed());
        let undeclared = accessibility_of("accessibility:\n  reviewed: 2026-11-02\n");
        assert_eq!(undeclared.compliance, Compliance::Partial);
        assert!(!undeclared.assessed());
        // Saying the site does not comply needs no review to be honest.
        let none = accessibility_of("accessibility:\n  compliance: none\n");
        assert_eq!(none.compliance, Compliance::NotCompliant);
    }

    #[test]
    fn reports_bad_accessibility_fields_where_they_are() {
        let bad = "title: T\nbase_url: https://x.org/\naccessibility:\n  compliance: mostly\n";
        let problem = parse(bad, None).unwrap_err();
        assert_eq!(problem.code, "invalid-accessibility");
        assert!(
            problem.message.contains("\"mostly\""),
            "{}",
            problem.message
        );
        assert_eq!(problem.line, Some(4));
        let date = "title: T\nbase_url: https://x.org/\naccessibility:\n  reviewed: 2026-02-30\n";
        let problem = parse(date, None).unwrap_err();
        assert_eq!(problem.line, Some(4));
        assert!(problem.message.contains("reviewed"), "{}", problem.message);
    }

    #[test]
    fn suggests_keys_of_the_level_they_are_at() {
        let top = parse("title: T\nbase_url: https://x.org/\nlanguge: en\n", None).unwrap_err();
        assert_eq!(top.code, "unknown-key");
        assert_eq!(
            top.hint.as_deref(),
            Some(
                "did you mean \"language\"? allowed keys: title, description, base_url, language, organisation, theme, contact_email, allow_raw_html, timezone, accessibility, logo, brand_colour, licence"
            )
        );
        let nested = "title: T\nbase_url: https://x.org/\naccessibility:\n  complience: full\n";
        let problem = parse(nested, None).unwrap_err();
        assert_eq!((problem.code, problem.line), ("unknown-key", Some(4)));
        assert_eq!(
            problem.hint.as_deref(),
            Some("did you mean \"compliance\"? allowed keys: compliance, issues, reviewed, phone")
        );
    }

    fn config_with(extra: &str) -> Result<Config, Diagnostic> {
        parse(
            &format!("title: T\nbase_url: https://x.org/\n{extra}"),
            None,
        )
    }

    /// `code line:column message`, then the hint.
    fn problem_with(extra: &str) -> String {
        let problem = config_with(extra).expect_err("a problem");
        format!(
            "{} {}:{} {}\nhint: {}",
            problem.code,
            problem.line.unwrap_or(0),
            problem.column.unwrap_or(0),
            problem.message,
            problem.hint.unwrap_or_default()
        )
    }

    #[test]
    fn reads_brand_colours_in_three_and_six_digits() {
        let colour = |extra: &str| {
            config_with(extra)
                .unwrap()
                .brand_colour
                .map(|c| c.to_string())
        };
        assert_eq!(
            colour("brand_colour: \"#00527A\"\n").as_deref(),
            Some("#00527a")
        );
        assert_eq!(
            colour("brand_colour: \"#036\"\n").as_deref(),
            Some("#003366")
        );
        assert_eq!(
            colour("brand_colour: '#005ea5'\n").as_deref(),
            Some("#005ea5")
        );
        assert_eq!(colour(""), None);
    }

    #[test]
    fn refuses_brand_colours_that_are_not_hex() {
        assert_eq!(
            problem_with("brand_colour: blue\n"),
            "invalid-brand-colour 3:15 brand_colour \"blue\" is not a hex colour such as \"#00527a\"\n\
             hint: write the colour as # and six (or three) hexadecimal digits, in quotes, e.g. `brand_colour: \"#00527a\"`; your organisation's brand guidelines give it, often as \"HEX\""
        );
        assert_eq!(
            problem_with("brand_colour: 00527a\n"),
            "invalid-brand-colour 3:15 brand_colour \"00527a\" is not a hex colour such as \"#00527a\"\n\
             hint: write a # in front, in quotes: `brand_colour: \"#00527a\"`"
        );
        assert_eq!(
            problem_with("brand_colour: #00527a\n"),
            "invalid-brand-colour 3:15 brand_colour is empty: without quotes, everything from # on is a comment\n\
             hint: put the colour in quotes: `brand_colour: \"#00527a\"`"
        );
        for bad in [
            "\"#00527\"",
            "\"#00527aff\"",
            "\"rgb(0, 82, 122)\"",
            "\"# 00527a\"",
        ] {
            let problem = config_with(&format!("brand_colour: {bad}\n")).unwrap_err();
            assert_eq!(problem.code, "invalid-brand-colour", "{bad}");
        }
    }

    #[test]
    fn refuses_brand_colours_white_text_cannot_be_read_on() {
        assert_eq!(
            problem_with("brand_colour: \"#7fb2e5\"\n"),
            "brand-colour-contrast 3:15 brand_colour \"#7fb2e5\" has a contrast of 2.23:1 against the white header text (#ffffff) in light and dark mode; it needs at least 4.5:1\n\
             hint: try a darker shade of the same colour, e.g. `brand_colour: \"#2878c9\"` (4.55:1), so that everyone can read the site's name and menu on it"
        );
        assert_eq!(
            problem_with("brand_colour: \"#777\"\n"),
            "brand-colour-contrast 3:15 brand_colour \"#777\" has a contrast of 4.48:1 against the white header text (#ffffff) in light and dark mode; it needs at least 4.5:1\n\
             hint: try a darker shade of the same colour, e.g. `brand_colour: \"#767676\"` (4.54:1), so that everyone can read the site's name and menu on it"
        );
        // Just enough, and plenty.
        assert!(config_with("brand_colour: \"#767676\"\n").is_ok());
        assert!(config_with("brand_colour: \"#000\"\n").is_ok());
    }

    #[test]
    fn reads_the_logo() {
        let logo =
            config_with("logo:\n  file: static/images/logo.SVG\n  alt: \" Testshire  Council \"\n")
                .unwrap()
                .logo
                .unwrap();
        assert_eq!(logo.file, "static/images/logo.SVG");
        assert_eq!(logo.site_path, "images/logo.SVG");
        assert_eq!(logo.alt, "Testshire Council");
        assert_eq!(logo.file_at, Position { line: 4, column: 9 });
        assert_eq!(logo.alt_at, Position { line: 5, column: 8 });
        assert!(!logo.vague_alt());
    }

    #[test]
    fn refuses_a_logo_without_a_file_in_static_or_alt_text() {
        assert_eq!(
            problem_with("logo: static/logo.svg\n"),
            "invalid-logo 3:7 logo needs two fields under it, `file:` and `alt:`, not a file name on its line\n\
             hint: write it as three lines: `logo:`, then `  file: static/logo.svg` and `  alt: Hampshire County Council` (the words the logo shows, usually the organisation's name), each indented by two spaces"
        );
        assert_eq!(
            problem_with("logo:\n  alt: Testshire Council\n"),
            "invalid-logo 3:1 logo has no `file:`\n\
             hint: add `file:` under `logo:`, the logo's path from the site folder, e.g. `file: static/logo.svg`"
        );
        assert_eq!(
            problem_with("logo:\n  file: images/logo.svg\n  alt: Testshire Council\n"),
            "invalid-logo 4:9 logo file \"images/logo.svg\" is not in the static/ folder\n\
             hint: put the logo in the site's static/ folder and write its path from the site folder, e.g. `file: static/images/logo.svg`"
        );
        for outside in [
            "static/../site.yaml",
            "/static/logo.svg",
            "static/",
            "static\\\\logo.svg",
        ] {
            let problem =
                config_with(&format!("logo:\n  file: \"{outside}\"\n  alt: T\n")).unwrap_err();
            assert_eq!(problem.code, "invalid-logo", "{outside}");
        }
        assert_eq!(
            problem_with("logo:\n  file: static/logo.bmp\n  alt: Testshire Council\n"),
            "invalid-logo 4:9 logo file \"static/logo.bmp\" is a .bmp file, which not every browser shows\n\
             hint: save the logo as SVG (sharp at every size) or PNG, and write that file's name; JPEG, WebP and GIF work too"
        );
        assert_eq!(
            problem_with("logo:\n  file: static/logo\n  alt: Testshire Council\n"),
            "invalid-logo 4:9 logo file \"static/logo\" has no file type (such as .svg or .png) at the end of its name\n\
             hint: save the logo as SVG (sharp at every size) or PNG, and write that file's name; JPEG, WebP and GIF work too"
        );
        let alt_hint = "hint: add `alt:` under `logo:`: the words the logo shows, usually the organisation's name, e.g. `alt: Hampshire County Council`. People who cannot see the logo hear or read this instead";
        assert_eq!(
            problem_with("logo:\n  file: static/logo.svg\n"),
            format!("missing-logo-alt 3:1 logo has no alt text\n{alt_hint}")
        );
        assert_eq!(
            problem_with("logo:\n  file: static/logo.svg\n  alt: \"  \"\n"),
            format!("missing-logo-alt 5:8 logo's alt text is empty\n{alt_hint}")
        );
        let unknown = config_with("logo:\n  file: static/logo.svg\n  alts: T\n").unwrap_err();
        assert_eq!(
            unknown.hint.as_deref(),
            Some("did you mean \"alt\"? allowed keys: file, alt")
        );
    }

    #[test]
    fn finds_alt_text_that_says_nothing() {
        let logo = |alt: &str| Logo {
            file: "static/img/hcc-logo.png".to_string(),
            site_path: "img/hcc-logo.png".to_string(),
            alt: alt.to_string(),
            file_at: Position::default(),
            alt_at: Position::default(),
        };
        for vague in [
            "logo",
            "Logo",
            "Image",
            "our logo",
            "Council logo",
            "the logo.",
            "hcc-logo",
            "hcc-logo.png",
            "banner.jpg",
            "static/img/hcc-logo.png",
        ] {
            assert!(logo(vague).vague_alt(), "{vague}");
        }
        for clear in [
            "Hampshire County Council",
            "HCC",
            "Hampshire County Council logo",
            "Safer Streets",
        ] {
            assert!(!logo(clear).vague_alt(), "{clear}");
        }
    }

    #[test]
    fn requires_base_url() {
        assert_eq!(parse("title: T\n", None).unwrap_err().code, "missing-field");
        assert!(parse("title: T\n", Some("https://x.org/")).is_ok());
    }
}
