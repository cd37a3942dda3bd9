//! A free page (`content/pages/*.md`) or the home page's introduction (`content/_index.md`).

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::Common;
use super::check::{FileCheck, non_empty};

#[derive(Debug, Clone)]
pub struct Page {
    pub common: Common,
    pub summary: Option<String>,
}

/// A page's front matter, exactly as editors write it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPage {
    title: Spanned<String>,
    summary: Option<String>,
    #[serde(default)]
    draft: bool,
}

/// Always a page: only the title can be wrong, and `check` records that.
pub(super) fn parse_page(raw: RawPage, check: &mut FileCheck<'_>) -> Page {
    Page {
        common: check.common(&raw.title, raw.draft, Vec::new()),
        summary: non_empty(raw.summary),
    }
}
