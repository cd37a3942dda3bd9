//! A priority (`content/priorities/*.md`): one of the partnership's numbered aims, with how it
//! is progressing.

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::Common;
use super::check::{FileCheck, non_empty, optional};
use super::indicator::{self, Indicator, RawIndicator};
use crate::diagnostics::Position;
use crate::values::{Date, Status};

#[derive(Debug, Clone)]
pub struct Priority {
    pub common: Common,
    pub short_title: Option<String>,
    pub number: u32,
    pub number_at: Position,
    pub status: Status,
    pub status_at: Position,
    pub lead: Option<String>,
    pub updated: Option<Date>,
    pub updated_at: Position,
    pub summary: Option<String>,
    /// What is measured and the figures, in the order written; the first is the headline.
    pub indicators: Vec<Indicator>,
}

/// A priority's front matter, exactly as editors write it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPriority {
    title: Spanned<String>,
    short_title: Option<String>,
    number: Spanned<u32>,
    status: Spanned<String>,
    lead: Option<String>,
    updated: Option<Spanned<String>>,
    summary: Option<String>,
    #[serde(default)]
    tags: Vec<Spanned<String>>,
    #[serde(default)]
    indicators: Vec<RawIndicator>,
    #[serde(default)]
    draft: bool,
}

/// `None` when a problem was found; `check` holds it.
pub(super) fn parse_priority(raw: RawPriority, check: &mut FileCheck<'_>) -> Option<Priority> {
    let status = check.status(&raw.status);
    let updated = optional(raw.updated.as_ref(), |u| check.date("updated", u));
    let tags = check.tags(&raw.tags);
    let indicators = indicator::indicators(raw.indicators, check);
    let (Some(status), Some(updated), Some(indicators)) = (status, updated, indicators) else {
        return None;
    };
    Some(Priority {
        common: check.common(&raw.title, raw.draft, tags),
        short_title: non_empty(raw.short_title),
        number: raw.number.value,
        number_at: check.position(&raw.number),
        status,
        status_at: check.position(&raw.status),
        lead: non_empty(raw.lead),
        updated,
        updated_at: raw
            .updated
            .as_ref()
            .map(|u| check.position(u))
            .unwrap_or_default(),
        summary: non_empty(raw.summary),
        indicators,
    })
}
