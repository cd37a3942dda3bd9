//! The open data under `/data/`: every published priority, meeting, update, decision and
//! action as JSON (each file with its JSON Schema, draft 2020-12, under `/data/schema/`) and as
//! CSV tables (RFC 4180), described by a Frictionless Tabular Data Package
//! (`datapackage.json`) under the site's licence. The page that explains them to people,
//! `/data/`, is a page of the route table like any other (`RouteKind::Data`).
//!
//! Everything comes from the dataset descriptions in `datasets.rs` (see `schema.rs`), so the
//! files, their schemas and the page agree. The output depends only on the `Site`: the same
//! content, settings and day give the same bytes.

mod datasets;
pub mod schema;
pub mod write;

use rayon::prelude::*;
use serde_json::{Map, Value as Json, json};
use sha2::{Digest, Sha256};

use crate::model::Site;
use crate::output::{Contents, OutputFile};
use crate::parse::config::Licence;
use crate::routes;
pub use datasets::DATASETS;
use schema::{Dataset, Table, json_schema, table_schema};

/// The files a dataset gives: its JSON file, that file's schema, and its CSV tables with the
/// description of each for the data package.
struct DatasetFiles {
    files: Vec<OutputFile>,
    resources: Vec<Json>,
}

/// Every file under `/data/` but its page: the JSON files, their schemas, the CSV tables and
/// `datapackage.json`.
pub fn files(site: &Site) -> Vec<OutputFile> {
    let licence = licence_json(&site.config.licence).to_string();
    let built: Vec<DatasetFiles> = DATASETS
        .par_iter()
        .map(|dataset| dataset_files(site, dataset, &licence))
        .collect();
    let mut files = Vec::new();
    let mut resources = Vec::new();
    for dataset in built {
        files.extend(dataset.files);
        resources.extend(dataset.resources);
    }
    let package = package(site, resources);
    files.push(text_file(routes::DATA_PACKAGE, pretty(&package)));
    files
}

fn dataset_files(site: &Site, dataset: &'static Dataset, licence: &str) -> DatasetFiles {
    let records = (dataset.records)(site);
    let schema_path = routes::data_schema(dataset.name);
    let schema_url = site.config.base_url.absolute_url(&schema_path);
    let mut files = vec![
        text_file(
            &routes::data_file(dataset.name, "json"),
            write::json_file(dataset, &schema_url, licence, &records),
        ),
        text_file(&schema_path, pretty(&json_schema(dataset, &schema_url))),
    ];
    let tables = dataset.tables();
    let csvs = write::csv_files(dataset, &records);
    let mut resources = Vec::new();
    for (table, csv) in tables.iter().zip(csvs) {
        resources.push(resource(table, csv.as_bytes()));
        files.push(text_file(&routes::data_file(table.name, "csv"), csv));
    }
    DatasetFiles { files, resources }
}

/// A CSV table as a Tabular Data Resource: where it is, its size and hash, its dialect and
/// its Table Schema.
fn resource(table: &Table, bytes: &[u8]) -> Json {
    let hash: String = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    json!({
        "profile": "tabular-data-resource",
        "name": table.name,
        "path": format!("{}.csv", table.name),
        "title": table.title,
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": bytes.len(),
        "hash": format!("sha256:{hash}"),
        "dialect": {
            "delimiter": ",",
            "lineTerminator": "\r\n",
            "quoteChar": "\"",
            "doubleQuote": true,
            "header": true,
        },
        "schema": table_schema(table),
    })
}

fn licence_json(licence: &Licence) -> Json {
    json!({
        "name": licence.name,
        "path": licence.path,
        "title": licence.title,
    })
}

/// `datapackage.json`: a Frictionless Tabular Data Package (v1) of every CSV table.
fn package(site: &Site, resources: Vec<Json>) -> Json {
    let config = &site.config;
    let mut licence = Map::new();
    if let Some(name) = &config.licence.name {
        licence.insert("name".into(), name.as_str().into());
    }
    licence.insert("path".into(), config.licence.path.as_str().into());
    licence.insert("title".into(), config.licence.title.as_str().into());
    let mut package = Map::new();
    package.insert("profile".into(), "tabular-data-package".into());
    package.insert("name".into(), package_name(&config.title).into());
    package.insert(
        "id".into(),
        config.base_url.absolute_url(routes::DATA_PACKAGE).into(),
    );
    package.insert("title".into(), config.title.as_str().into());
    package.insert(
        "description".into(),
        format!(
            "The priorities, meetings, updates, decisions and actions published on {}, as tables.",
            config.base_url.absolute
        )
        .into(),
    );
    package.insert(
        "homepage".into(),
        config.base_url.absolute_url(routes::DATA).into(),
    );
    package.insert("licenses".into(), json!([licence]));
    if let Some(organisation) = &config.organisation {
        package.insert(
            "contributors".into(),
            json!([{"title": organisation, "role": "publisher"}]),
        );
    }
    package.insert("resources".into(), Json::Array(resources));
    Json::Object(package)
}

/// A Data Package name: lower-case ASCII letters, digits and dashes, from the site's title.
fn package_name(title: &str) -> String {
    let mut name = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-');
    if name.is_empty() {
        "open-data".to_string()
    } else {
        name.to_string()
    }
}

fn pretty(json: &Json) -> String {
    let mut text = serde_json::to_string_pretty(json).expect("JSON values always serialise");
    text.push('\n');
    text
}

fn text_file(path: &str, text: String) -> OutputFile {
    OutputFile {
        path: path.to_string(),
        contents: Contents::Bytes(text.into_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::schema::Kind;
    use super::*;

    #[test]
    fn package_names_are_plain() {
        assert_eq!(
            package_name("Hull Community Safety Partnership"),
            "hull-community-safety-partnership"
        );
        assert_eq!(package_name("Café & Bar: 2026!"), "caf-bar-2026");
        assert_eq!(package_name("—"), "open-data");
    }

    #[test]
    fn every_table_has_its_own_name_and_every_reference_leads_to_a_table() {
        let tables: Vec<Table> = DATASETS.iter().flat_map(|d| d.tables()).collect();
        let names: HashSet<&str> = tables.iter().map(|t| t.name).collect();
        assert_eq!(names.len(), tables.len(), "CSV table names are unique");
        for table in &tables {
            let columns: HashSet<&str> = table.columns.iter().map(|c| c.name).collect();
            assert_eq!(
                columns.len(),
                table.columns.len(),
                "{}: columns are unique",
                table.name
            );
            for key in &table.key {
                assert!(
                    columns.contains(key),
                    "{}: key {key} is a column",
                    table.name
                );
            }
            for link in &table.links {
                let target = tables.iter().find(|t| t.name == link.table);
                let target =
                    target.unwrap_or_else(|| panic!("{}: no table {}", table.name, link.table));
                assert_eq!(
                    target.key, link.reference,
                    "{} refers to {}'s key",
                    table.name, target.name
                );
                for field in &link.fields {
                    assert!(
                        columns.contains(field),
                        "{}: {field} is a column",
                        table.name
                    );
                }
            }
        }
    }

    #[test]
    fn only_top_level_lists_become_tables() {
        fn nested_tables(fields: &[schema::Field]) -> bool {
            fields.iter().any(|f| match &f.kind {
                Kind::Rows { fields, table } => table.is_some() || nested_tables(fields),
                Kind::Refs { table, .. } => table.is_some(),
                _ => false,
            })
        }
        for dataset in DATASETS {
            for field in dataset.fields {
                if let Kind::Rows { fields, .. } = &field.kind {
                    assert!(
                        !nested_tables(fields),
                        "{}.{}: a list in a list has no CSV table",
                        dataset.name,
                        field.name
                    );
                }
            }
            let has_children = dataset.tables().len() > 1;
            assert!(
                !has_children || dataset.key == ["id"],
                "{}: a dataset with child tables is keyed by id",
                dataset.name
            );
        }
    }
}
