//! Indicators: the headline in words, the chart drawn at build time, the figures as a table
//! and as CSV, the home page's trend, the timeline's dated figures, and the warnings.

use crate::site_test::{Page, SiteTest};

fn built() -> SiteTest {
    let site = SiteTest::new("indicators/measured");
    site.build();
    site
}

#[test]
fn the_headline_says_how_the_newest_figure_compares_and_whether_that_is_better() {
    let site = built();
    let page = site.page("priorities/knife-crime/");
    assert_eq!(
        page.texts(".indicator-headline"),
        [
            "414 offences in 2026 Q3: down 8% on 2025 Q3, better than a year before; target 1,200 offences (met)",
            "96 in 2026: down 20% on 2025, worse than a year before",
        ]
    );
    let spending = site.page("priorities/spending/");
    assert_eq!(spending.text(".indicator-headline"), "£2.5m in 2024");
}

#[test]
fn the_chart_is_an_svg_image_with_a_title_and_a_description_of_the_trend() {
    let site = built();
    let page = site.page("priorities/knife-crime/");
    let charts = page.select("svg.chart");
    assert_eq!(charts.len(), 2);
    let chart = Page::from_element(charts[0]);
    assert_eq!(chart.attr("svg", "role").as_deref(), Some("img"));
    assert_eq!(
        chart.attr("svg", "aria-labelledby").as_deref(),
        Some("chart-knife-crime-offences-title chart-knife-crime-offences-desc")
    );
    assert_eq!(
        chart.text("title"),
        "Knife crime offences recorded in Testshire, 2025 Q1 to 2026 Q3"
    );
    assert_eq!(
        chart.text("desc"),
        "Line chart of 7 figures. Lowest 380 offences in 2026 Q2; highest 450 offences in 2025 Q3. Latest: 414 offences in 2026 Q3: down 8% on 2025 Q3, better than a year before; target 1,200 offences (met)."
    );
    // A line from three figures up, every point marked; the target dashed and labelled in
    // words; the newest value written beside its point.
    assert_eq!(chart.select("polyline.chart-line").len(), 1);
    assert_eq!(chart.select("circle.chart-point").len(), 7);
    assert_eq!(chart.select("line.chart-target").len(), 1);
    assert_eq!(chart.text(".chart-target-label"), "Target 1,200 offences");
    assert_eq!(chart.text(".chart-latest"), "414 offences");
    // Two figures are bars.
    let bars = Page::from_element(charts[1]);
    assert_eq!(bars.select("rect.chart-bar").len(), 2);
    assert!(bars.select("polyline").is_empty());
    assert_eq!(
        page.texts(".chart-figure figcaption"),
        [
            "Lower is better. Source: Testshire Constabulary.",
            "Higher is better. Source: Testshire Youth Offending Team."
        ]
    );
}

#[test]
fn the_figures_are_a_table_and_a_csv_download_in_period_order() {
    let site = built();
    let page = site.page("priorities/knife-crime/");
    let first = Page::from_element(page.select("section.indicator")[0]);
    let cells = first.texts("tbody td");
    let rows: Vec<String> = first
        .texts("tbody th")
        .into_iter()
        .zip(cells.chunks(2))
        .map(|(period, cells)| format!("{period} | {}", cells.join(" | ")))
        .collect();
    assert_eq!(
        rows,
        [
            "2025 Q1 | 412 offences | ",
            "2025 Q2 | 398 offences | New recording rules from May, so figures are not comparable",
            "2025 Q3 | 450 offences | ",
            "2025 Q4 | 430 offences | ",
            "2026 Q1 | 405 offences | ",
            "2026 Q2 | 380 offences | ",
            "2026 Q3 | 414 offences | ",
        ]
    );
    assert_eq!(
        first.attrs(".indicator-download a", "href"),
        ["/priorities/knife-crime/knife-crime-offences.csv"]
    );
    assert_eq!(
        first.text(".indicator-download .file-meta"),
        "(CSV, 178 bytes)"
    );
    let csv = site.read("priorities/knife-crime/knife-crime-offences.csv");
    assert_eq!(
        csv,
        "period,value,note\r\n2025-Q1,412,\r\n2025-Q2,398,\"New recording rules from May, so figures are not comparable\"\r\n2025-Q3,450,\r\n2025-Q4,430,\r\n2026-Q1,405,\r\n2026-Q2,380,\r\n2026-Q3,414,\r\n"
    );
    assert_eq!(csv.len(), 178);
    assert_eq!(
        site.read("priorities/knife-crime/diversion-referrals.csv"),
        "period,value,note\r\n2025,120,\r\n2026,96,\"Provisional, to March\"\r\n"
    );
}

#[test]
fn the_home_page_gives_each_headline_trend_in_words_and_the_timeline_dates_each_figure() {
    let site = built();
    assert_eq!(
        site.page("").texts(".card-indicator"),
        [
            "Knife crime offences recorded in Testshire: down 8% on a year before: better",
            "Spending on youth services: £2.5m in 2024"
        ]
    );
    let page = site.page("priorities/knife-crime/");
    let figures: Vec<String> = page
        .select(".timeline-figure")
        .into_iter()
        .map(|li| {
            Page::from_element(li)
                .texts("time, h3, p:not(.timeline-date)")
                .join(" | ")
        })
        .collect();
    assert_eq!(figures.len(), 9);
    assert_eq!(
        figures[..2],
        [
            "31 December 2026 | Young people referred to diversion schemes | 96 in 2026",
            "30 September 2026 | Knife crime offences recorded in Testshire | 414 offences in 2026 Q3",
        ]
    );
    assert_eq!(
        page.attrs(".timeline-figure h3 a", "href")[1],
        "/priorities/knife-crime/#indicator-knife-crime-offences"
    );
}

#[test]
fn figures_out_of_order_and_out_of_date_are_warned_about() {
    let site = SiteTest::new("indicators/measured");
    let run = site.command(&["check"]);
    let stderr = &run.stderr;
    assert!(
        stderr.contains("period 2025-Q2 comes after 2025-Q3: the figures are out of order"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/priorities/knife-crime.md:16:"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "the newest figure of indicator \"youth-spend\" is for 2024, more than a year ago"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("0 errors, 2 warnings"), "{stderr}");
}

/// The longest series allowed (400 figures: over 30 years of months) keeps its priority's page
/// within the 50 KB a page may weigh; one more is refused, naming the limit.
#[test]
fn the_longest_series_fits_the_page_budget_and_a_longer_one_is_refused() {
    let figures = |count: usize| -> String {
        (0..count)
            .map(|i| {
                format!(
                    "      - {{period: {}-{:02}, value: {}}}\n",
                    1990 + i / 12,
                    i % 12 + 1,
                    300 + (i * 37) % 200
                )
            })
            .collect()
    };
    let priority = |count: usize| {
        format!(
            "---\ntitle: Long series\nnumber: 1\nstatus: on-track\nupdated: 2026-10-01\nindicators:\n  - id: calls\n    title: Calls to the helpline\n    unit: calls\n    better: lower\n    target: 350\n    source: Helpline\n    values:\n{}---\nText.\n",
            figures(count)
        )
    };
    let site = SiteTest::new("indicators/measured")
        .file("content/priorities/knife-crime.md", priority(400));
    site.build();
    let size = site.read("priorities/knife-crime/").len();
    assert!(size < 50 * 1024, "the page weighs {size} bytes");

    let refused = SiteTest::new("indicators/measured")
        .file("content/priorities/knife-crime.md", priority(401));
    let run = refused.command(&["check"]);
    assert!(
        run.stderr
            .contains("indicator \"calls\" has 401 figures; at most 400 can be charted"),
        "{}",
        run.stderr
    );
}
