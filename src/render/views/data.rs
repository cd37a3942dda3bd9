//! The view of `data.html`, the open data page.

use serde::Serialize;

use crate::render::views::CommonView;

/// `data.html`.
#[derive(Serialize)]
pub struct DataPageView<'a> {
    #[serde(flatten)]
    pub common: CommonView<'a>,
    /// What the data is published under (`licence` in site.yaml).
    pub licence: LicenceView<'a>,
    /// `datapackage.json`, describing every CSV file.
    pub package_url: String,
    pub datasets: Vec<DatasetView>,
}

#[derive(Serialize)]
pub struct LicenceView<'a> {
    pub name: Option<&'a str>,
    pub title: &'a str,
    pub url: &'a str,
}

/// One JSON file, its schema and the CSV files made from it.
#[derive(Serialize)]
pub struct DatasetView {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub json_url: String,
    pub schema_url: String,
    pub tables: Vec<DataTableView>,
}

#[derive(Serialize)]
pub struct DataTableView {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub csv_url: String,
    pub columns: Vec<DataColumnView>,
}

#[derive(Serialize)]
pub struct DataColumnView {
    pub name: &'static str,
    /// What it holds, for people: "date (YYYY-MM-DD)", "one of: open, done", …
    pub kind: String,
    /// May be empty.
    pub optional: bool,
    pub description: &'static str,
}
