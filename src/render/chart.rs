//! An indicator's chart, drawn at build time as inline SVG: no JavaScript, no image file.
//! Bars for fewer than three periods, a line from three up; the target as a labelled dashed
//! line; axis labels as text; the newest value labelled, so nothing is told by colour alone.
//! Colours come from the page's stylesheet (`chart-*` classes), so dark mode and print follow
//! the theme. The SVG is `role="img"` with a title and a description that states the trend.

use std::fmt::Write;

use crate::html::xml::escape;
use crate::model::indicators::{IndicatorEntry, format_number};

const WIDTH: f64 = 560.0;
const HEIGHT: f64 = 300.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = 48.0;
/// Room for one period's label along the bottom ("2026 Q3", "Sept 2026"), so none overlap.
const LABEL_ROOM: f64 = 96.0;

/// The chart of `entry`; `description` states the trend in words.
pub fn chart(entry: &IndicatorEntry, description: &str) -> String {
    let id = &entry.indicator.id;
    let figures = &entry.figures;
    let values: Vec<f64> = figures.iter().map(|f| f.value).collect();
    let target = entry.indicator.target;
    let (low, high, ticks) = scale(&values, target);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let y = |v: f64| TOP + plot_h - (v - low) / (high - low) * plot_h;
    let n = figures.len();
    let slot = plot_w / n as f64;
    let x = |i: usize| LEFT + slot * (i as f64 + 0.5);
    let mut svg = String::new();
    let title = format!(
        "{}, {} to {}",
        entry.indicator.title,
        figures[0].period.label(),
        figures[n - 1].period.label()
    );
    let _ = write!(
        svg,
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" \
         aria-labelledby=\"chart-{id}-title chart-{id}-desc\" preserveAspectRatio=\"xMidYMid meet\">\
         <title id=\"chart-{id}-title\">{}</title><desc id=\"chart-{id}-desc\">{}</desc>",
        escape(&title),
        escape(description)
    );
    // Grid lines and the value axis, labelled in the indicator's unit.
    for tick in &ticks {
        let ty = y(*tick);
        let _ = write!(
            svg,
            "<line class=\"chart-grid\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{ty:.1}\" y2=\"{ty:.1}\"/>\
             <text class=\"chart-label\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            WIDTH - RIGHT,
            LEFT - 8.0,
            ty + 5.0,
            escape(&format_number(*tick))
        );
    }
    let _ = write!(
        svg,
        "<line class=\"chart-axis\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{:.1}\" y2=\"{:.1}\"/>",
        WIDTH - RIGHT,
        y(low),
        y(low)
    );
    if n < 3 {
        let bar_w = (slot * 0.5).min(120.0);
        for (i, value) in values.iter().enumerate() {
            let (top, bottom) = (y(value.max(0.0_f64.max(low))), y(low.max(0.0).min(*value)));
            let _ = write!(
                svg,
                "<rect class=\"chart-bar\" x=\"{:.1}\" y=\"{:.1}\" width=\"{bar_w:.1}\" height=\"{:.1}\"/>",
                x(i) - bar_w / 2.0,
                top.min(bottom),
                (bottom - top).abs().max(1.0)
            );
        }
    } else {
        let points: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
            .collect();
        let _ = write!(
            svg,
            "<polyline class=\"chart-line\" points=\"{}\"/>",
            points.join(" ")
        );
        if n <= 60 {
            for (i, v) in values.iter().enumerate() {
                let _ = write!(
                    svg,
                    "<circle class=\"chart-point\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\"/>",
                    x(i),
                    y(*v)
                );
            }
        }
    }
    if let Some(target) = target {
        let ty = y(target);
        let _ = write!(
            svg,
            "<line class=\"chart-target\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{ty:.1}\" y2=\"{ty:.1}\"/>\
             <text class=\"chart-label chart-target-label\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">Target {}</text>",
            WIDTH - RIGHT,
            WIDTH - RIGHT,
            ty - 6.0,
            escape(&entry.with_unit(target))
        );
    }
    // The newest value, in words beside its point.
    let last = n - 1;
    let (lx, ly) = (x(last), y(values[last]));
    let anchor = if n == 1 { "middle" } else { "end" };
    let _ = write!(
        svg,
        "<text class=\"chart-label chart-latest\" x=\"{lx:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{}</text>",
        (ly - 10.0).max(TOP - 6.0),
        escape(&entry.with_unit(values[last]))
    );
    let most_labels = ((plot_w / LABEL_ROOM).floor() as usize).max(1);
    for i in label_indexes(n, most_labels) {
        let _ = write!(
            svg,
            "<text class=\"chart-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x(i),
            HEIGHT - BOTTOM + 24.0,
            escape(&figures[i].period.short_label())
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Which periods get a label along the bottom, at most `most`: every one if they fit, else
/// every second, third, … counted back from the newest, which is always labelled.
fn label_indexes(n: usize, most: usize) -> Vec<usize> {
    let step = n.div_ceil(most.max(1)).max(1);
    let mut indexes: Vec<usize> = (0..n).rev().step_by(step).collect();
    indexes.reverse();
    indexes
}

/// The value axis: from zero (or below, for negative values) to a round number above the
/// highest value or target, with four or five round ticks.
fn scale(values: &[f64], target: Option<f64>) -> (f64, f64, Vec<f64>) {
    let all = values.iter().copied().chain(target);
    let max = all.clone().fold(f64::MIN, f64::max);
    let min = all.fold(f64::MAX, f64::min).min(0.0);
    let span = if max - min <= 0.0 {
        max.abs().max(1.0)
    } else {
        max - min
    };
    let rough = span / 4.0;
    let magnitude = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * magnitude);
    let low = (min / step).floor() * step;
    let mut high = (max / step).ceil() * step;
    if high <= max {
        high += step;
    }
    if high <= low {
        high = low + step;
    }
    let mut ticks = Vec::new();
    let mut tick = low;
    while tick <= high + step / 2.0 {
        ticks.push(tick);
        tick += step;
    }
    (low, high, ticks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_value_axis_starts_at_zero_and_ends_on_a_round_number() {
        let (low, high, ticks) = scale(&[412.0, 398.0, 450.0], Some(1200.0));
        assert_eq!((low, high), (0.0, 1500.0));
        assert_eq!(ticks, [0.0, 500.0, 1000.0, 1500.0]);
        let (low, high, _) = scale(&[-3.0, 5.0], None);
        assert!(low <= -3.0 && high > 5.0);
    }

    #[test]
    fn long_series_label_evenly_back_from_the_newest() {
        assert_eq!(label_indexes(3, 5), [0, 1, 2]);
        assert_eq!(label_indexes(7, 5), [0, 2, 4, 6]);
        assert_eq!(label_indexes(21, 5), [0, 5, 10, 15, 20]);
        assert_eq!(label_indexes(8, 5), [1, 3, 5, 7]);
    }
}
