//! Each priority's indicators with their figures checked and in order, from `values:` or a
//! CSV file beside the priority, and what they say in words: the headline residents read
//! first ("412 offences in 2020 Q3: down 8% on 2019 Q3, better than a year before").

use std::collections::HashMap;

use crate::diagnostics::{Diagnostic, Position};
use crate::limits::{MAX_INDICATOR_CSV_BYTES, MAX_INDICATOR_CSV_SHOWN, MAX_INDICATOR_FIGURES};
use crate::load::{Asset, CONTENT_DIR};
use crate::parse::content::{Figures, Indicator, Priority, RawFigure};
use crate::routes;
use crate::values::{Better, Date, Period};

/// One indicator, ready to show.
#[derive(Debug, Clone)]
pub struct IndicatorEntry {
    pub indicator: Indicator,
    /// In period order; never empty.
    pub figures: Vec<Figure>,
    /// The figures as a CSV file (`period,value,note`), written beside the priority's page.
    pub csv_path: String,
    pub csv: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub period: Period,
    pub value: f64,
    pub note: Option<String>,
}

/// The newest figure compared with the one a year before it (or, without one, the one
/// before it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    pub from: usize,
    /// Percent, when the earlier figure is not zero.
    pub percent: Option<f64>,
    pub difference: f64,
    pub year_on_year: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judgement {
    Better,
    Worse,
    Same,
}

impl IndicatorEntry {
    pub fn latest(&self) -> &Figure {
        self.figures.last().expect("an indicator has figures")
    }

    pub fn change(&self) -> Option<Change> {
        let last = self.figures.len().checked_sub(1)?;
        let latest = self.latest();
        let year_before = latest.period.granularity().per_year().and_then(|_| {
            let wanted = latest.period.year_before()?;
            self.figures.iter().position(|f| f.period == wanted)
        });
        let (from, year_on_year) = match year_before {
            Some(i) => (i, true),
            None if last > 0 => (last - 1, false),
            None => return None,
        };
        let before = self.figures[from].value;
        let difference = latest.value - before;
        let percent = (before != 0.0).then(|| difference / before.abs() * 100.0);
        Some(Change {
            from,
            percent,
            difference,
            year_on_year,
        })
    }

    /// Whether the change is for the better, judged by which way is better.
    pub fn judge(&self, change: &Change) -> Judgement {
        match (change.difference.partial_cmp(&0.0), self.indicator.better) {
            (Some(std::cmp::Ordering::Less), Better::Lower)
            | (Some(std::cmp::Ordering::Greater), Better::Higher) => Judgement::Better,
            (Some(std::cmp::Ordering::Equal) | None, _) => Judgement::Same,
            _ => Judgement::Worse,
        }
    }

    /// Whether the newest figure meets the target.
    pub fn meets_target(&self) -> Option<bool> {
        let target = self.indicator.target?;
        let value = self.latest().value;
        Some(match self.indicator.better {
            Better::Lower => value <= target,
            Better::Higher => value >= target,
        })
    }

    /// A number with the indicator's unit: "412 offences", "42%", "£1,200", "£50m".
    pub fn with_unit(&self, value: f64) -> String {
        with_unit(value, self.indicator.unit.as_deref())
    }

    /// "412 offences in 2020 Q3: down 8% on 2019 Q3, better than a year before; target 1,200
    /// (met)". Direction is said in words, never only by colour.
    pub fn headline(&self) -> String {
        let latest = self.latest();
        let mut text = format!(
            "{} in {}",
            self.with_unit(latest.value),
            latest.period.label()
        );
        if let Some(change) = self.change() {
            text.push_str(": ");
            text.push_str(&self.change_words(&change));
        }
        if let Some(target) = self.indicator.target {
            let met = match self.meets_target() {
                Some(true) => "met",
                _ => "not met",
            };
            text.push_str(&format!("; target {} ({met})", self.with_unit(target)));
        }
        text
    }

    /// "down 8%" (or "up £3m" when the earlier figure is zero) and "a year before" or "the
    /// figure before": the parts both ways of telling a change share.
    fn movement(&self, change: &Change) -> (String, &'static str) {
        let direction = if change.difference > 0.0 {
            "up"
        } else {
            "down"
        };
        let amount = match change.percent {
            Some(percent) => format!("{}%", format_number(percent.abs().round())),
            None => self.with_unit(change.difference.abs()),
        };
        let when = if change.year_on_year {
            "a year before"
        } else {
            "the figure before"
        };
        (format!("{direction} {amount}"), when)
    }

    /// "down 8% on 2019 Q3, better than a year before", or "no change on 2019 Q3".
    pub fn change_words(&self, change: &Change) -> String {
        let before = self.figures[change.from].period.label();
        let (moved, when) = self.movement(change);
        match self.judge(change) {
            Judgement::Same => format!("no change on {before}"),
            Judgement::Better => format!("{moved} on {before}, better than {when}"),
            Judgement::Worse => format!("{moved} on {before}, worse than {when}"),
        }
    }

    /// For the home page's card: "down 8% on a year before: better", or the newest figure.
    pub fn trend_words(&self) -> String {
        match self.change() {
            Some(change) => {
                let (moved, when) = self.movement(&change);
                match self.judge(&change) {
                    Judgement::Same => format!("no change on {when}"),
                    Judgement::Better => format!("{moved} on {when}: better"),
                    Judgement::Worse => format!("{moved} on {when}: worse"),
                }
            }
            None => format!(
                "{} in {}",
                self.with_unit(self.latest().value),
                self.latest().period.label()
            ),
        }
    }
}

/// A number as GOV.UK writes it: thousands separated by commas, at most two decimals, no
/// trailing zeros.
pub fn format_number(value: f64) -> String {
    let negative = value < 0.0;
    let rounded = (value.abs() * 100.0).round() / 100.0;
    let whole = rounded.trunc() as u64;
    let fraction = ((rounded - rounded.trunc()) * 100.0).round() as u64;
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if fraction > 0 {
        let decimals = format!("{fraction:02}");
        grouped.push('.');
        grouped.push_str(decimals.trim_end_matches('0'));
    }
    if negative && (whole > 0 || fraction > 0) {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// A number with a unit, written the usual way: "42%", "£1,200", "£50m", "412 offences".
pub fn with_unit(value: f64, unit: Option<&str>) -> String {
    let number = format_number(value);
    match unit {
        None => number,
        Some("%") => format!("{number}%"),
        Some(unit) if unit.starts_with(['£', '$', '€']) => {
            let symbol = unit.chars().next().expect("not empty");
            let rest = &unit[symbol.len_utf8()..];
            match number.strip_prefix('-') {
                Some(positive) => format!("-{symbol}{positive}{rest}"),
                None => format!("{symbol}{number}{rest}"),
            }
        }
        Some(unit) => format!("{number} {unit}"),
    }
}

/// A figure as the CSV download writes it: as short as it can be, never in exponent form.
fn csv_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        let text = format!("{value}");
        if text.contains('e') {
            format!("{value:.6}")
        } else {
            text
        }
    }
}

/// The indicators of one priority, each with its figures checked; problems found in the
/// priority file or its CSV files are returned with them (warnings included).
pub fn assemble(
    priority: &Priority,
    site_path: &str,
    files: &HashMap<&str, &Asset>,
    today: Date,
) -> (Vec<IndicatorEntry>, Vec<Diagnostic>) {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    let common = &priority.common;
    let file = format!("{CONTENT_DIR}/{}", common.rel_path);
    for indicator in &priority.indicators {
        let source = match &indicator.figures {
            Figures::Inline(raw) => Ok((raw.clone(), file.clone(), common.text.clone())),
            Figures::File { path, at } => read_csv(priority, path, *at, files),
        };
        let (raw, shown_file, text) = match source {
            Ok(read) => read,
            Err(found) => {
                problems.extend(found);
                continue;
            }
        };
        let problem = |code: &'static str, at: Position, message: String, hint: String| {
            Diagnostic::error(code, message)
                .in_file(&shown_file)
                .at(&text, at.line, at.column)
                .with_hint(hint)
        };
        match check_figures(indicator, &raw, problem) {
            Ok((figures, warnings)) => {
                let mut found: Vec<Diagnostic> = warnings
                    .into_iter()
                    .map(|(at, message, hint)| {
                        Diagnostic::warning("indicator-order", message)
                            .in_file(&shown_file)
                            .at(&text, at.line, at.column)
                            .with_hint(hint)
                    })
                    .collect();
                let entry = entry(indicator.clone(), figures, site_path);
                if let Some(old) = out_of_date(&entry, today) {
                    found.push(
                        Diagnostic::warning("indicator-out-of-date", old)
                            .in_file(&file)
                            .at(&common.text, indicator.id_at.line, indicator.id_at.column)
                            .with_hint("add the newer figures, or delete the indicator if it is no longer measured"),
                    );
                }
                problems.extend(found);
                entries.push(entry);
            }
            Err(found) => problems.extend(found),
        }
    }
    (entries, problems)
}

fn entry(indicator: Indicator, figures: Vec<Figure>, site_path: &str) -> IndicatorEntry {
    let mut csv = String::from("period,value,note\r\n");
    for figure in &figures {
        csv.push_str(&format!("{},{},", figure.period, csv_number(figure.value)));
        if let Some(note) = &figure.note {
            csv.push_str(&csv_field(note));
        }
        csv.push_str("\r\n");
    }
    IndicatorEntry {
        csv_path: routes::indicator_csv(site_path, &indicator.id),
        indicator,
        figures,
        csv,
    }
}

/// RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// "the newest figure …" when the newest figure's period ended more than a year before today.
fn out_of_date(entry: &IndicatorEntry, today: Date) -> Option<String> {
    let latest = entry.latest();
    let age = today.days_since_epoch() - latest.period.end().days_since_epoch();
    (age > 366).then(|| {
        format!(
            "the newest figure of indicator \"{}\" is for {}, more than a year ago",
            entry.indicator.id,
            latest.period.label()
        )
    })
}

type Warning = (Position, String, String);

/// The figures in period order, or every problem with them: a period that is not one, a
/// granularity other than the first figure's, a period given twice, a value that is not a
/// finite number. Figures out of order are a warning.
fn check_figures(
    indicator: &Indicator,
    raw: &[RawFigure],
    problem: impl Fn(&'static str, Position, String, String) -> Diagnostic,
) -> Result<(Vec<Figure>, Vec<Warning>), Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let id = &indicator.id;
    if raw.is_empty() {
        problems.push(problem(
            "indicator-figures",
            indicator.id_at,
            format!("indicator \"{id}\" has no figures"),
            "add at least one figure: a period and a value".into(),
        ));
        return Err(problems);
    }
    if raw.len() > MAX_INDICATOR_FIGURES {
        problems.push(problem(
            "too-many-figures",
            raw[MAX_INDICATOR_FIGURES].period_at,
            format!(
                "indicator \"{id}\" has {} figures; at most {MAX_INDICATOR_FIGURES} can be charted",
                raw.len()
            ),
            "publish a coarser series (months or quarters instead of days), or split it".into(),
        ));
        return Err(problems);
    }
    let mut figures: Vec<(Figure, Position)> = Vec::new();
    for figure in raw {
        let period = match Period::parse(&figure.period) {
            Ok(period) => period,
            Err(message) => {
                problems.push(problem(
                    "invalid-period",
                    figure.period_at,
                    message,
                    "periods are written YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD, the same way for every figure of an indicator".into(),
                ));
                continue;
            }
        };
        if !figure.value.is_finite() {
            problems.push(problem(
                "invalid-value",
                figure.period_at,
                format!("the value for {period} is not a number"),
                "write a number such as 412 or 12.5".into(),
            ));
            continue;
        }
        if let Some((first, _)) = figures.first()
            && first.period.granularity() != period.granularity()
        {
            problems.push(problem(
                "mixed-periods",
                figure.period_at,
                format!(
                    "period \"{}\" is {}, but the first figure's is {}",
                    figure.period.trim(),
                    period.granularity().shape(),
                    first.period.granularity().shape()
                ),
                "give every figure of one indicator the same kind of period; make a second indicator for another kind".into(),
            ));
            continue;
        }
        if let Some((_, at)) = figures.iter().find(|(f, _)| f.period == period) {
            problems.push(problem(
                "duplicate-period",
                figure.period_at,
                format!("period {period} already has a figure, on line {}", at.line),
                "give each period one figure; delete or correct one of them".into(),
            ));
            continue;
        }
        if let Some((last, _)) = figures.last()
            && last.period > period
            && warnings.is_empty()
        {
            warnings.push((
                figure.period_at,
                format!("period {period} comes after {}: the figures are out of order", last.period),
                "list the figures oldest first; Waymark sorts them, but a reader of the file may not".into(),
            ));
        }
        figures.push((
            Figure {
                period,
                value: figure.value,
                note: figure.note.clone(),
            },
            figure.period_at,
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut figures: Vec<Figure> = figures.into_iter().map(|(f, _)| f).collect();
    figures.sort_by_key(|f| f.period);
    Ok((figures, warnings))
}

/// The figures of an indicator's CSV file, with the file's name and text for messages.
fn read_csv(
    priority: &Priority,
    path: &str,
    at: Position,
    files: &HashMap<&str, &Asset>,
) -> Result<(Vec<RawFigure>, String, String), Vec<Diagnostic>> {
    let common = &priority.common;
    let in_priority = |code: &'static str, message: String, hint: String| {
        vec![
            Diagnostic::error(code, message)
                .in_file(format!("{CONTENT_DIR}/{}", common.rel_path))
                .at(&common.text, at.line, at.column)
                .with_hint(hint),
        ]
    };
    let folder = routes::parent_folder(&common.rel_path);
    let wanted = routes::normalise(&format!("{folder}{path}"));
    if !path.to_ascii_lowercase().ends_with(".csv") {
        return Err(in_priority(
            "indicator-file",
            format!("indicator file \"{path}\" is not a CSV file"),
            "save the figures as CSV (comma-separated values; most spreadsheets can) with the columns period,value,note".into(),
        ));
    }
    let Some(asset) = wanted.as_deref().and_then(|p| files.get(p)) else {
        return Err(in_priority(
            "indicator-file",
            format!("indicator file \"{path}\" does not exist"),
            format!(
                "put the CSV file in content/{folder} (paths are relative to this priority file) or correct the name"
            ),
        ));
    };
    let shown = asset.display_path();
    if asset.size > MAX_INDICATOR_CSV_BYTES {
        return Err(in_priority(
            "file-too-large",
            format!("indicator file \"{path}\" is larger than {MAX_INDICATOR_CSV_SHOWN}"),
            "an indicator's figures fit in far less; check it is the right file".into(),
        ));
    }
    let bytes = std::fs::read(&asset.source).map_err(|error| {
        in_priority(
            "unreadable-file",
            format!("indicator file \"{path}\" could not be read: {error}"),
            "check the file's permissions".into(),
        )
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => {
            return Err(in_priority(
                "indicator-file",
                format!("indicator file \"{path}\" is not UTF-8 text"),
                "save it from your spreadsheet as \"CSV UTF-8 (comma delimited)\"".into(),
            ));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
    let in_csv = |code: &'static str, line: u32, column: u32, message: String, hint: &str| {
        Diagnostic::error(code, message)
            .in_file(&shown)
            .at(&text, line, column)
            .with_hint(hint.to_string())
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut figures = Vec::new();
    let mut problems = Vec::new();
    let mut has_note = false;
    for (index, record) in reader.records().enumerate() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(1, |p| p.line() as u32);
                problems.push(in_csv(
                    "invalid-csv",
                    line,
                    1,
                    format!("this line cannot be read as CSV: {error}"),
                    "check the quotes on this line: a field that starts with \" must end with \"",
                ));
                break;
            }
        };
        let line = record
            .position()
            .map_or(index as u32 + 1, |p| p.line() as u32);
        let fields: Vec<&str> = record.iter().collect();
        if index == 0 {
            let header: Vec<String> = fields
                .iter()
                .map(|f| f.trim().to_ascii_lowercase())
                .collect();
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            match header.as_slice() {
                ["period", "value"] => {}
                ["period", "value", "note"] => has_note = true,
                _ => {
                    problems.push(in_csv(
                        "csv-header",
                        line,
                        1,
                        format!("the first line is \"{}\", not the column names period,value,note", fields.join(",")),
                        "make the first line exactly: period,value,note (or period,value when there are no notes)",
                    ));
                    break;
                }
            }
            continue;
        }
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let wanted = if has_note { 3 } else { 2 };
        if fields.len() > wanted || fields.len() < 2 {
            problems.push(in_csv(
                "invalid-csv",
                line,
                1,
                format!("this line has {} columns; the file has {wanted}", fields.len()),
                "write one period and one value per line (and a note, if the file has that column); put a note with commas in double quotes",
            ));
            continue;
        }
        let column = |k: usize| -> u32 {
            1 + fields[..k]
                .iter()
                .map(|f| f.chars().count() as u32 + 1)
                .sum::<u32>()
        };
        let value_text = fields[1].trim();
        let Ok(value) = value_text.parse::<f64>() else {
            problems.push(in_csv(
                "invalid-value",
                line,
                column(1),
                format!("value \"{value_text}\" is not a number"),
                "write a number such as 412 or 12.5, without units or thousands commas; leave out a period with no figure",
            ));
            continue;
        };
        figures.push(RawFigure {
            period: fields[0].to_string(),
            period_at: Position { line, column: 1 },
            value,
            note: fields
                .get(2)
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty()),
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok((figures, shown, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_numbers_the_gov_uk_way() {
        assert_eq!(format_number(1200.0), "1,200");
        assert_eq!(format_number(1234567.891), "1,234,567.89");
        assert_eq!(format_number(12.5), "12.5");
        assert_eq!(format_number(-3.0), "-3");
        assert_eq!(with_unit(42.0, Some("%")), "42%");
        assert_eq!(with_unit(50.0, Some("£m")), "£50m");
        assert_eq!(with_unit(1200.0, Some("£")), "£1,200");
        assert_eq!(with_unit(412.0, Some("offences")), "412 offences");
        assert_eq!(csv_number(412.0), "412");
        assert_eq!(csv_number(12.5), "12.5");
    }
}
