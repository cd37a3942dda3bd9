//! `licence:` in site.yaml: the licence the open data (`/data/`) is published under. Either a
//! known short name (`licence: CC-BY-4.0`) or the licence written out (`licence: {name, path,
//! title}`); the Open Government Licence v3.0 when the key is absent.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;

use crate::diagnostics::{Diagnostic, did_you_mean};

/// A licence as a Data Package names it: an Open Definition id, the licence's address and
/// its title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Licence {
    /// e.g. `OGL-UK-3.0`; letters, digits, `.`, `_` and `-` only.
    pub name: Option<String>,
    /// The licence text's address (always `http(s)://…`).
    pub path: String,
    pub title: String,
}

/// The licences a site can name by their Open Definition id: (id, address, title).
const KNOWN: &[(&str, &str, &str)] = &[
    (
        "OGL-UK-3.0",
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "Open Government Licence v3.0",
    ),
    (
        "CC-BY-4.0",
        "https://creativecommons.org/licenses/by/4.0/",
        "Creative Commons Attribution 4.0 International",
    ),
    (
        "CC-BY-SA-4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
        "Creative Commons Attribution-ShareAlike 4.0 International",
    ),
    (
        "CC0-1.0",
        "https://creativecommons.org/publicdomain/zero/1.0/",
        "Creative Commons Zero v1.0 Universal",
    ),
    (
        "ODC-BY-1.0",
        "https://opendatacommons.org/licenses/by/1-0/",
        "Open Data Commons Attribution License v1.0",
    ),
    (
        "ODbL-1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
        "Open Data Commons Open Database License v1.0",
    ),
    (
        "PDDL-1.0",
        "https://opendatacommons.org/licenses/pddl/1-0/",
        "Open Data Commons Public Domain Dedication and License v1.0",
    ),
];

impl Licence {
    /// The Open Government Licence v3.0, which UK public bodies publish under by default.
    pub fn default_licence() -> Licence {
        known(KNOWN[0].0).expect("the default licence is known")
    }

    /// The short names a site may write.
    pub fn known_names() -> impl Iterator<Item = &'static str> {
        KNOWN.iter().map(|(name, _, _)| *name)
    }
}

impl Default for Licence {
    fn default() -> Licence {
        Licence::default_licence()
    }
}

/// A known licence by its id, in any letter case.
fn known(name: &str) -> Option<Licence> {
    KNOWN
        .iter()
        .find(|(known, _, _)| known.eq_ignore_ascii_case(name.trim()))
        .map(|(name, path, title)| Licence {
            name: Some(name.to_string()),
            path: path.to_string(),
            title: title.to_string(),
        })
}

/// `licence:` as written: a short name, or the licence's fields. Read by hand rather than as an
/// untagged enum, which would lose the positions of the fields and the name of an unknown key.
pub(super) enum RawLicence {
    Name(String),
    Fields(Box<RawLicenceFields>),
}

impl<'de> Deserialize<'de> for RawLicence {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RawLicence, D::Error> {
        struct Shape;
        impl<'de> Visitor<'de> for Shape {
            type Value = RawLicence;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a licence's short name, or its name, path and title")
            }

            fn visit_str<E: de::Error>(self, name: &str) -> Result<RawLicence, E> {
                Ok(RawLicence::Name(name.to_string()))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawLicence, A::Error> {
                RawLicenceFields::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|fields| RawLicence::Fields(Box::new(fields)))
            }
        }
        deserializer.deserialize_any(Shape)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLicenceFields {
    name: Option<Spanned<String>>,
    path: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
}

fn problem<T>(spanned: &Spanned<T>, text: &str, message: String, hint: String) -> Diagnostic {
    let at = spanned.referenced;
    Diagnostic::error("invalid-licence", message)
        .at(text, at.line() as u32, at.column() as u32)
        .with_hint(hint)
}

fn known_list() -> String {
    Licence::known_names().collect::<Vec<_>>().join(", ")
}

/// The licence `raw` names, or the default; `text` is site.yaml, for positions.
pub(super) fn licence(raw: Option<Spanned<RawLicence>>, text: &str) -> Result<Licence, Diagnostic> {
    let Some(raw) = raw else {
        return Ok(Licence::default_licence());
    };
    match raw.value {
        RawLicence::Name(ref name) => known(name).ok_or_else(|| {
            let hint = match did_you_mean(name.trim(), Licence::known_names()) {
                Some(close) => format!("did you mean \"{close}\"? Known licences: {}", known_list()),
                None => format!(
                    "write one of {}, or the licence in full: `licence: {{name: …, path: https://…, title: …}}`",
                    known_list()
                ),
            };
            problem(
                &raw,
                text,
                format!("licence: \"{}\" is not a licence Waymark knows", name.trim()),
                hint,
            )
        }),
        RawLicence::Fields(fields) => licence_fields(*fields, text),
    }
}

fn licence_fields(raw: RawLicenceFields, text: &str) -> Result<Licence, Diagnostic> {
    let name = match &raw.name {
        Some(spanned) => {
            let name = spanned.value.trim();
            let plain = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
            if !plain {
                return Err(problem(
                    spanned,
                    text,
                    format!("licence: name \"{}\" is not a licence id", name.escape_debug()),
                    "write the licence's Open Definition id, letters, digits, dots and dashes only, e.g. name: CC-BY-4.0".to_string(),
                ));
            }
            Some(name.to_string())
        }
        None => None,
    };
    let from_name = name.as_deref().and_then(known);
    let path = match &raw.path {
        Some(spanned) => {
            let path = spanned.value.trim();
            let web = (path.starts_with("https://") || path.starts_with("http://"))
                && url::Url::parse(path).is_ok_and(|u| u.has_host())
                && !path.contains(char::is_whitespace);
            if !web {
                return Err(problem(
                    spanned,
                    text,
                    format!("licence: path \"{}\" is not a web address", path.escape_debug()),
                    "write the address of the licence's text, starting with https://, e.g. path: https://creativecommons.org/licenses/by/4.0/".to_string(),
                ));
            }
            path.to_string()
        }
        None => match &from_name {
            Some(known) => known.path.clone(),
            None => {
                let (line, column) = raw
                    .name
                    .as_ref()
                    .or(raw.title.as_ref())
                    .map_or((1, 1), |s| {
                        (s.referenced.line() as u32, s.referenced.column() as u32)
                    });
                return Err(Diagnostic::error(
                    "invalid-licence",
                    "licence: a licence Waymark does not know needs a `path`, the address of its text",
                )
                .at(text, line, column)
                .with_hint(format!(
                    "add `path: https://…` under `licence:`, or use one of the licences Waymark knows: {}",
                    known_list()
                )));
            }
        },
    };
    let title = match &raw.title {
        Some(spanned) if !spanned.value.trim().is_empty() => spanned.value.trim().to_string(),
        _ => match (&from_name, &name) {
            (Some(known), _) => known.title.clone(),
            (None, Some(name)) => name.clone(),
            (None, None) => path.clone(),
        },
    };
    Ok(Licence {
        name: name.map(|n| from_name.map_or(n, |k| k.name.expect("known licences have ids"))),
        path,
        title,
    })
}

#[cfg(test)]
mod tests {
    use crate::parse::config::{Licence, parse};

    fn licence_of(yaml: &str) -> Result<Licence, crate::diagnostics::Diagnostic> {
        parse(&format!("title: T\nbase_url: https://x.org/\n{yaml}"), None).map(|c| c.licence)
    }

    #[test]
    fn defaults_to_the_open_government_licence() {
        let licence = licence_of("").unwrap();
        assert_eq!(licence.name.as_deref(), Some("OGL-UK-3.0"));
        assert_eq!(
            licence.path,
            "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
        );
        assert_eq!(licence.title, "Open Government Licence v3.0");
    }

    #[test]
    fn reads_a_known_short_name_in_any_case() {
        let licence = licence_of("licence: cc-by-4.0\n").unwrap();
        assert_eq!(licence.name.as_deref(), Some("CC-BY-4.0"));
        assert_eq!(licence.path, "https://creativecommons.org/licenses/by/4.0/");
    }

    #[test]
    fn reads_a_licence_written_out() {
        let yaml = "licence:\n  name: Our-Licence-1.0\n  path: https://example.org/licence/\n  title: Our licence\n";
        let licence = licence_of(yaml).unwrap();
        assert_eq!(licence.name.as_deref(), Some("Our-Licence-1.0"));
        assert_eq!(licence.path, "https://example.org/licence/");
        assert_eq!(licence.title, "Our licence");
        let known = licence_of("licence: {name: CC0-1.0}\n").unwrap();
        assert_eq!(known.title, "Creative Commons Zero v1.0 Universal");
        let path_only = licence_of("licence: {path: \"https://example.org/l\"}\n").unwrap();
        assert_eq!(path_only.name, None);
        assert_eq!(path_only.title, "https://example.org/l");
    }

    #[test]
    fn reports_bad_licences_where_they_are() {
        let unknown = licence_of("licence: CC-BY-4\n").unwrap_err();
        assert_eq!(unknown.code, "invalid-licence");
        assert_eq!((unknown.line, unknown.column), (Some(3), Some(10)));
        assert!(
            unknown
                .hint
                .unwrap()
                .starts_with("did you mean \"CC-BY-4.0\"?")
        );
        let path = licence_of("licence:\n  name: X-1\n  path: example.org/l\n").unwrap_err();
        assert_eq!((path.code, path.line), ("invalid-licence", Some(5)));
        assert!(
            path.message.contains("not a web address"),
            "{}",
            path.message
        );
        let no_path = licence_of("licence:\n  name: X-1\n").unwrap_err();
        assert_eq!((no_path.code, no_path.line), ("invalid-licence", Some(4)));
        let name = licence_of("licence:\n  name: \"CC BY\"\n  path: https://x.org/\n").unwrap_err();
        assert_eq!((name.code, name.line), ("invalid-licence", Some(4)));
    }

    #[test]
    fn reports_unknown_keys_of_a_licence() {
        let problem =
            licence_of("licence:\n  name: CC-BY-4.0\n  url: https://x.org/\n").unwrap_err();
        assert_eq!(
            (problem.code, problem.line),
            ("unknown-key", Some(5)),
            "{problem:?}"
        );
        assert_eq!(problem.message, "unknown front matter key \"url\"");
        assert_eq!(
            problem.hint.as_deref(),
            Some("allowed keys: name, path, title")
        );
    }
}
