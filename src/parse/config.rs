//! `site.yaml`: the site-wide settings, validated into a `Config`.

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::html::urls::percent_decode;
use crate::load::CONFIG_FILE;
use crate::parse::front_matter::{self, Document};
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
    /// The open data's licence: see [`licence`].
    licence: Option<serde_saphyr::Spanned<licence::RawLicence>>,
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
    /// What the open data (`/data/`) is published under: the Open Government Licence v3.0
    /// unless `licence` says otherwise.
    pub licence: Licence,
}

/// What the generated accessibility statement says (used when the site has no
/// `content/pages/accessibility.md` of its own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accessibility {
    /// As declared; when not given, `partial` if `issues` lists anything, else `full`.
    pub compliance: Compliance,
    /// Content known not to meet WCAG 2.2 AA, one sentence each.
    pub issues: Vec<String>,
    /// When the statement was last reviewed.
    pub reviewed: Option<Date>,
    /// A telephone number for accessibility problems.
    pub phone: Option<String>,
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
        licence,
    })
}

fn accessibility(raw: Option<RawAccessibility>, text: &str) -> Result<Accessibility, Diagnostic> {
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
    let compliance = match raw.compliance {
        Some(spanned) => Compliance::parse(&spanned.value).ok_or_else(|| {
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
        })?,
        None if issues.is_empty() => Compliance::Full,
        None => Compliance::Partial,
    };
    let reviewed = match raw.reviewed {
        Some(spanned) => Some(Date::parse(spanned.value.trim()).map_err(|message| {
            let at = spanned.referenced;
            Diagnostic::error(
                "invalid-accessibility",
                format!("accessibility: reviewed: {message}"),
            )
            .at(text, at.line() as u32, at.column() as u32)
            .with_hint("write the date the statement was last reviewed as YYYY-MM-DD, e.g. reviewed: 2026-11-02")
        })?),
        None => None,
    };
    let phone = raw
        .phone
        .map(|phone| phone.trim().to_string())
        .filter(|phone| !phone.is_empty());
    Ok(Accessibility {
        compliance,
        issues,
        reviewed,
        phone,
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
        let plain = parse("title: T\nbase_url: https://x.org/\n", None).unwrap();
        assert_eq!(plain.accessibility.compliance, Compliance::Full);
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
                "did you mean \"language\"? allowed keys: title, description, base_url, language, organisation, theme, contact_email, allow_raw_html, timezone, accessibility, licence"
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

    #[test]
    fn requires_base_url() {
        assert_eq!(parse("title: T\n", None).unwrap_err().code, "missing-field");
        assert!(parse("title: T\n", Some("https://x.org/")).is_ok());
    }
}
