//! Indicators as a priority's front matter writes them: what is measured, which way is better,
//! where the figures come from, and the figures themselves (inline, or a CSV file beside the
//! priority). The figures are checked in the model, one way for both sources, because a CSV
//! file is read only once every file is known.

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::check::{FileCheck, non_empty};
use crate::diagnostics::Position;
use crate::values::Better;

#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// Letters, digits and hyphens, unique within the priority: the CSV download's name.
    pub id: String,
    pub id_at: Position,
    pub title: String,
    /// Shown after numbers ("412 offences"); "%" and "£" are written the usual way.
    pub unit: Option<String>,
    pub better: Better,
    pub target: Option<f64>,
    /// Where the figures come from: required, so every figure has an origin.
    pub source: String,
    pub figures: Figures,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Figures {
    /// `values:` as written, checked later.
    Inline(Vec<RawFigure>),
    /// `file:` as written, relative to the priority file.
    File { path: String, at: Position },
}

/// One figure before its period is checked.
#[derive(Debug, Clone, PartialEq)]
pub struct RawFigure {
    pub period: String,
    pub period_at: Position,
    pub value: f64,
    pub note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIndicator {
    id: Spanned<String>,
    title: Spanned<String>,
    unit: Option<String>,
    better: Spanned<String>,
    target: Option<f64>,
    source: Spanned<String>,
    values: Option<Vec<RawValue>>,
    file: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawValue {
    period: Spanned<String>,
    value: f64,
    note: Option<String>,
}

/// Every indicator checked, so each problem is reported; `None` if any had one.
pub(super) fn indicators(
    raw: Vec<RawIndicator>,
    check: &mut FileCheck<'_>,
) -> Option<Vec<Indicator>> {
    let mut seen: Vec<(String, u32)> = Vec::new();
    let mut indicators = Vec::new();
    let mut ok = true;
    for raw in raw {
        let id_at = check.position(&raw.id);
        let id = raw.id.value.trim().to_string();
        let id_ok = check_id(&id, id_at, check);
        if let Some((_, line)) = seen.iter().find(|(seen, _)| *seen == id) {
            check.problem(
                id_at,
                "duplicate-indicator",
                format!("indicator id \"{id}\" is already used on line {line}"),
                "give each indicator of a priority its own id".into(),
            );
            ok = false;
        }
        seen.push((id.clone(), id_at.line));
        let title = check.required_text(
            &raw.title,
            "title",
            "what is measured, e.g. title: Knife crime offences recorded in Hampshire",
        );
        let source = check.required_text(
            &raw.source,
            "source",
            "where the figures come from, e.g. source: Hampshire Constabulary",
        );
        let better = check.better(&raw.better);
        let figures = match (raw.values, raw.file) {
            (Some(values), None) => Some(Figures::Inline(
                values
                    .into_iter()
                    .map(|v| RawFigure {
                        period_at: check.position(&v.period),
                        period: v.period.value,
                        value: v.value,
                        note: non_empty(v.note),
                    })
                    .collect(),
            )),
            (None, Some(file)) => Some(Figures::File {
                at: check.position(&file),
                path: file.value.trim().to_string(),
            }),
            (Some(_), Some(file)) => {
                let at = check.position(&file);
                check.problem(
                    at,
                    "indicator-figures",
                    format!("indicator \"{id}\" has both `values` and `file`"),
                    "keep one: the figures written here under `values:`, or a CSV file named by `file:`".into(),
                );
                None
            }
            (None, None) => {
                check.problem(
                    id_at,
                    "indicator-figures",
                    format!("indicator \"{id}\" has no figures"),
                    "add `values:` (a list of `- {period: 2020-Q1, value: 412}`) or `file:` naming a CSV file with the columns period,value,note".into(),
                );
                None
            }
        };
        if raw.target.is_some_and(|target| !target.is_finite()) {
            check.problem(
                id_at,
                "wrong-type",
                format!("indicator \"{id}\": the target is not a number"),
                "write the target as a number, e.g. target: 1200".into(),
            );
            ok = false;
        }
        match (id_ok, title, source, better, figures) {
            (true, Some(title), Some(source), Some(better), Some(figures)) => {
                indicators.push(Indicator {
                    id,
                    id_at,
                    title,
                    unit: non_empty(raw.unit),
                    better,
                    target: raw.target,
                    source,
                    figures,
                })
            }
            _ => ok = false,
        }
    }
    ok.then_some(indicators)
}

fn check_id(id: &str, at: Position, check: &mut FileCheck<'_>) -> bool {
    let fine = !id.is_empty()
        && id.len() <= 60
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-');
    if !fine {
        check.problem(
            at,
            "invalid-indicator-id",
            format!("indicator id \"{}\" is not a short name in lower case", id.escape_debug()),
            "use lower-case letters, digits and hyphens, e.g. id: knife-crime-offences; it names the indicator's CSV download".into(),
        );
    }
    fine
}
