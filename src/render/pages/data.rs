//! The open data page, `/data/`: what each data file holds, in plain English, with its
//! licence. The files themselves are written by `publish::data`, from the same descriptions.

use crate::model::Site;
use crate::model::route_table::Route;
use crate::publish::data::DATASETS;
use crate::publish::data::schema::{Column, Kind};
use crate::render::pages::{Content, PageJob, section_index};
use crate::render::views::CommonView;
use crate::render::views::data::{
    DataColumnView, DataPageView, DataTableView, DatasetView, LicenceView,
};
use crate::routes;

pub fn job(route: &Route) -> PageJob<'_> {
    section_index(route, "data.html", "data", "Open data", Content::Data)
}

pub fn view<'a>(site: &'a Site, common: CommonView<'a>) -> DataPageView<'a> {
    let config = &site.config;
    let at = |path: &str| config.base_url.join(path);
    let datasets = DATASETS
        .iter()
        .map(|dataset| DatasetView {
            name: dataset.name,
            title: dataset.title,
            description: dataset.description,
            json_url: at(&routes::data_file(dataset.name, "json")),
            schema_url: at(&routes::data_schema(dataset.name)),
            tables: dataset
                .tables()
                .into_iter()
                .map(|table| DataTableView {
                    csv_url: at(&routes::data_file(table.name, "csv")),
                    name: table.name,
                    title: table.title,
                    description: table.description,
                    columns: table.columns.iter().map(column).collect(),
                })
                .collect(),
        })
        .collect();
    DataPageView {
        common,
        licence: LicenceView {
            name: config.licence.name.as_deref(),
            title: &config.licence.title,
            url: &config.licence.path,
        },
        package_url: at(routes::DATA_PACKAGE),
        datasets,
    }
}

fn column(column: &Column) -> DataColumnView {
    let kind = match &column.kind {
        Kind::Text => "text".to_string(),
        Kind::Integer => "whole number".to_string(),
        Kind::Number => "number".to_string(),
        Kind::Boolean => "true or false".to_string(),
        Kind::Date => "date (YYYY-MM-DD)".to_string(),
        Kind::Time => "time (HH:MM)".to_string(),
        Kind::Url => "web address".to_string(),
        Kind::Ref(table) => format!("web address of a row of {table}.csv"),
        Kind::Word(words) => format!("one of: {}", words.join(", ")),
        Kind::Tags => "tags, separated by spaces".to_string(),
        Kind::Texts | Kind::Refs { .. } | Kind::Rows { .. } => {
            unreachable!("lists are not columns")
        }
    };
    DataColumnView {
        name: column.name,
        kind,
        optional: column.optional,
        description: column.description,
    }
}
