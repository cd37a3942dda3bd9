//! The views of a priority's indicators: the headline, the chart, the figures as a table and
//! the CSV download.

use serde::Serialize;

use crate::model::indicators::{IndicatorEntry, Judgement};
use crate::render::chart::chart;

/// One indicator on its priority's page.
#[derive(Serialize)]
pub struct IndicatorView<'a> {
    /// Also the anchor of its section: `#indicator-<id>`.
    pub id: &'a str,
    pub title: &'a str,
    pub unit: Option<&'a str>,
    /// "Lower is better" or "Higher is better".
    pub better: &'static str,
    pub source: &'a str,
    /// "412 offences in 2020 Q3: down 8% on 2019 Q3, better than a year before; target 1,200 (met)".
    pub headline: String,
    /// `better`, `worse`, `same`, or null with only one figure: for styling, never alone.
    pub judgement: Option<&'static str>,
    /// The target with its unit, e.g. "1,200 offences".
    pub target: Option<String>,
    /// The chart as inline SVG. Output with `| safe`.
    pub chart: String,
    /// Oldest first.
    pub figures: Vec<FigureView<'a>>,
    /// The figures as a CSV file, and its size in words ("1 KB").
    pub csv_url: String,
    pub csv_size: String,
}

#[derive(Serialize)]
pub struct FigureView<'a> {
    /// As editors write it: `2020-Q3`.
    pub period: String,
    /// As residents read it: "2020 Q3".
    pub label: String,
    /// The value with its unit: "412 offences".
    pub value: String,
    pub note: Option<&'a str>,
}

/// A priority's first indicator, for the home page's card.
#[derive(Serialize)]
pub struct IndicatorSummaryView<'a> {
    pub title: &'a str,
    pub headline: String,
    /// "down 8% on a year before: better", or the newest figure when there is one figure.
    pub trend: String,
}

impl<'a> IndicatorView<'a> {
    pub fn new(entry: &'a IndicatorEntry, base_path: &str) -> IndicatorView<'a> {
        let indicator = &entry.indicator;
        let headline = entry.headline();
        let description = describe(entry);
        IndicatorView {
            id: &indicator.id,
            title: &indicator.title,
            unit: indicator.unit.as_deref(),
            better: indicator.better.label(),
            source: &indicator.source,
            judgement: entry.change().map(|c| match entry.judge(&c) {
                Judgement::Better => "better",
                Judgement::Worse => "worse",
                Judgement::Same => "same",
            }),
            target: indicator.target.map(|t| entry.with_unit(t)),
            chart: chart(entry, &description),
            headline,
            figures: entry
                .figures
                .iter()
                .map(|f| FigureView {
                    period: f.period.to_string(),
                    label: f.period.label(),
                    value: entry.with_unit(f.value),
                    note: f.note.as_deref(),
                })
                .collect(),
            csv_url: format!("{base_path}{}", entry.csv_path),
            csv_size: size_in_words(entry.csv.len()),
        }
    }
}

impl<'a> IndicatorSummaryView<'a> {
    pub fn new(entry: &'a IndicatorEntry) -> IndicatorSummaryView<'a> {
        IndicatorSummaryView {
            title: &entry.indicator.title,
            headline: entry.headline(),
            trend: entry.trend_words(),
        }
    }
}

/// The chart's description: the kind of chart, the range and the trend, for screen readers.
fn describe(entry: &IndicatorEntry) -> String {
    let figures = &entry.figures;
    let kind = if figures.len() < 3 {
        "Bar chart"
    } else {
        "Line chart"
    };
    let mut text = format!("{kind} of {} figures. ", figures.len());
    if figures.len() > 1 {
        let (low, high) = figures
            .iter()
            .fold((&figures[0], &figures[0]), |(lo, hi), f| {
                (
                    if f.value < lo.value { f } else { lo },
                    if f.value > hi.value { f } else { hi },
                )
            });
        text.push_str(&format!(
            "Lowest {} in {}; highest {} in {}. ",
            entry.with_unit(low.value),
            low.period.label(),
            entry.with_unit(high.value),
            high.period.label()
        ));
    }
    text.push_str(&format!("Latest: {}.", entry.headline()));
    text
}

/// "1 KB" (rounded up), or bytes below one.
fn size_in_words(bytes: usize) -> String {
    if bytes < 1024 {
        format!("{bytes} bytes")
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}
