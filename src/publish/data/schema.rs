//! What each open data file holds, written down once: a dataset's fields, their types and
//! their plain-English descriptions. The JSON file, its JSON Schema, the CSV tables, their
//! Table Schemas in `datapackage.json` and the explanations on `/data/` all come from these
//! descriptions, so they cannot drift apart.
//!
//! A dataset is one JSON file of records (`meetings.json`). Its scalar fields are the columns
//! of its CSV table (`meetings.csv`); a nested list of records becomes a CSV table of its own
//! (`agenda-items.csv`) whose first column names the record it belongs to, and so does a list
//! of references when it says so (`meeting-priorities.csv`). Lists the CSV carries elsewhere
//! (an agenda item's actions are `actions.csv` rows) are in the JSON only.

use serde_json::{Map, Value as Json, json};

use super::write::Record;
use crate::model::Site;

/// One field of a record, and of its CSV table when it is a scalar.
#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    /// May be empty (`null` in JSON, an empty cell in CSV).
    pub optional: bool,
    /// What it means, in plain English, for the data page, the schemas and the data package.
    pub description: &'static str,
}

/// A field's type.
#[derive(Debug, Clone)]
pub enum Kind {
    Text,
    Integer,
    /// A figure that may have decimals: an indicator's values and target.
    Number,
    Boolean,
    /// `YYYY-MM-DD`.
    Date,
    /// `HH:MM`, 24-hour clock, the site's time zone.
    Time,
    /// An absolute web address.
    Url,
    /// One of these words.
    Word(&'static [&'static str]),
    /// The `id` of a record of the dataset (or CSV table) named: a foreign key.
    Ref(&'static str),
    /// Tags: `[{slug, name}]` in JSON; in CSV the slugs, separated by spaces.
    Tags,
    /// A list of texts, in the JSON only.
    Texts,
    /// A list of `id`s of records of dataset `to`; in CSV the table `table`, if any, with the
    /// parent's column and `column`.
    Refs {
        to: &'static str,
        column: &'static str,
        table: Option<Child>,
    },
    /// Nested records; in CSV the table `table`, if any.
    Rows {
        fields: &'static [Field],
        table: Option<Child>,
    },
}

impl Kind {
    /// Whether the field is one column of its record's CSV table.
    pub fn is_column(&self) -> bool {
        !matches!(self, Kind::Texts | Kind::Refs { .. } | Kind::Rows { .. })
    }
}

/// A CSV table made from a list inside each record.
#[derive(Debug, Clone)]
pub struct Child {
    /// The table's name, and its file's without `.csv`: `agenda-items`.
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// The first column: the `id` of the record the row belongs to (`meeting`).
    pub parent: &'static str,
    /// The columns that, after `parent`, tell its rows apart; none when nothing does.
    pub key: &'static [&'static str],
    /// Foreign keys of several columns (single-column ones come from `Kind::Ref`).
    pub links: &'static [Link],
}

/// A foreign key over several columns: `fields` are the `reference` columns of `table`.
#[derive(Debug)]
pub struct Link {
    pub fields: &'static [&'static str],
    pub table: &'static str,
    pub reference: &'static [&'static str],
}

/// One JSON file and the CSV tables made from it.
#[derive(Debug)]
pub struct Dataset {
    /// The files' names without extension (`meetings.json`, `meetings.csv`), the JSON's list.
    pub name: &'static str,
    pub title: &'static str,
    /// What it holds, in a sentence or two, for people.
    pub description: &'static str,
    pub fields: &'static [Field],
    /// The fields that tell its records apart (`["id"]`).
    pub key: &'static [&'static str],
    pub links: &'static [Link],
    /// Its records, one for each published item, in the dataset's order.
    pub records: for<'a> fn(&'a Site) -> Vec<Record<'a>>,
}

/// A CSV table: a dataset's own, or one made from a list in its records.
#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub columns: Vec<Column>,
    pub key: Vec<&'static str>,
    pub links: Vec<ForeignKey>,
}

#[derive(Debug)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    pub optional: bool,
    pub description: &'static str,
}

#[derive(Debug)]
pub struct ForeignKey {
    pub fields: Vec<&'static str>,
    pub table: &'static str,
    pub reference: Vec<&'static str>,
}

impl Dataset {
    /// Its CSV tables: its own first, then one for each list the CSV carries, in field order.
    pub fn tables(&'static self) -> Vec<Table> {
        let columns = |fields: &'static [Field]| -> Vec<Column> {
            fields
                .iter()
                .filter(|f| f.kind.is_column())
                .map(|f| Column {
                    name: f.name,
                    kind: f.kind.clone(),
                    // A record without tags has an empty cell.
                    optional: f.optional || matches!(f.kind, Kind::Tags),
                    description: f.description,
                })
                .collect()
        };
        let mut own = Table {
            name: self.name,
            title: self.title,
            description: self.description,
            columns: columns(self.fields),
            key: self.key.to_vec(),
            links: links(self.links),
        };
        own.links.splice(0..0, ref_links(&own.columns));
        let mut tables = vec![own];
        for field in self.fields {
            let parent = |child: &'static Child| Column {
                name: child.parent,
                kind: Kind::Ref(self.name),
                optional: false,
                description: "The web address (id) of the record this row belongs to.",
            };
            let (child, mut rest) = match &field.kind {
                Kind::Rows {
                    fields,
                    table: Some(child),
                } => (child, columns(fields)),
                Kind::Refs {
                    to,
                    column,
                    table: Some(child),
                } => (
                    child,
                    vec![Column {
                        name: column,
                        kind: Kind::Ref(to),
                        optional: false,
                        description: field.description,
                    }],
                ),
                _ => continue,
            };
            rest.insert(0, parent(child));
            let mut table = Table {
                name: child.name,
                title: child.title,
                description: child.description,
                key: if child.key.is_empty() {
                    Vec::new()
                } else {
                    std::iter::once(child.parent)
                        .chain(child.key.iter().copied())
                        .collect()
                },
                links: ref_links(&rest),
                columns: rest,
            };
            table.links.extend(links(child.links));
            tables.push(table);
        }
        tables
    }
}

fn links(links: &'static [Link]) -> Vec<ForeignKey> {
    links
        .iter()
        .map(|l| ForeignKey {
            fields: l.fields.to_vec(),
            table: l.table,
            reference: l.reference.to_vec(),
        })
        .collect()
}

/// A foreign key for each column that refers to another record by its `id`.
fn ref_links(columns: &[Column]) -> Vec<ForeignKey> {
    columns
        .iter()
        .filter_map(|c| match &c.kind {
            Kind::Ref(table) => Some(ForeignKey {
                fields: vec![c.name],
                table,
                reference: vec!["id"],
            }),
            _ => None,
        })
        .collect()
}

/// The JSON Schema (draft 2020-12) of a dataset's JSON file, published at `id`.
pub fn json_schema(dataset: &Dataset, id: &str) -> Json {
    let mut licence = Map::new();
    licence.insert("name".into(), json!({"type": ["string", "null"]}));
    licence.insert("path".into(), json!({"type": "string", "format": "uri"}));
    licence.insert("title".into(), json!({"type": "string"}));
    let mut properties = Map::new();
    properties.insert(
        "$schema".into(),
        json!({"description": "The address of this schema.", "const": id}),
    );
    properties.insert(
        "licence".into(),
        json!({
            "description": "The licence the data is published under.",
            "type": "object",
            "required": ["name", "path", "title"],
            "additionalProperties": false,
            "properties": licence,
        }),
    );
    properties.insert(
        dataset.name.into(),
        json!({
            "description": dataset.description,
            "type": "array",
            "items": object_schema(dataset.fields),
        }),
    );
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": id,
        "title": dataset.title,
        "description": dataset.description,
        "type": "object",
        "required": ["$schema", "licence", dataset.name],
        "additionalProperties": false,
        "properties": properties,
    })
}

fn object_schema(fields: &[Field]) -> Json {
    let mut properties = Map::new();
    for field in fields {
        let mut schema = field_schema(&field.kind, field.optional);
        schema.insert("description".into(), field.description.into());
        properties.insert(field.name.into(), Json::Object(schema));
    }
    let required: Vec<&str> = fields.iter().map(|f| f.name).collect();
    json!({
        "type": "object",
        "required": required,
        "additionalProperties": false,
        "properties": properties,
    })
}

/// `^…$` patterns the JSON Schema and the Table Schema share.
pub const DATE_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
pub const TIME_PATTERN: &str = "^([01][0-9]|2[0-3]):[0-5][0-9]$";

fn field_schema(kind: &Kind, optional: bool) -> Map<String, Json> {
    let typed = |name: &str| -> Json {
        if optional {
            json!([name, "null"])
        } else {
            json!(name)
        }
    };
    let schema = match kind {
        Kind::Text => json!({"type": typed("string")}),
        Kind::Integer => json!({"type": typed("integer")}),
        Kind::Number => json!({"type": typed("number")}),
        Kind::Boolean => json!({"type": typed("boolean")}),
        Kind::Date => json!({"type": typed("string"), "format": "date", "pattern": DATE_PATTERN}),
        Kind::Time => json!({"type": typed("string"), "pattern": TIME_PATTERN}),
        Kind::Url | Kind::Ref(_) => json!({"type": typed("string"), "format": "uri"}),
        Kind::Word(words) => {
            let mut allowed: Vec<Json> = words.iter().map(|w| json!(w)).collect();
            if optional {
                allowed.push(Json::Null);
            }
            json!({"enum": allowed})
        }
        Kind::Tags => json!({
            "type": "array",
            "items": {
                "type": "object",
                "required": ["slug", "name"],
                "additionalProperties": false,
                "properties": {
                    "slug": {"type": "string", "description": "The tag as its page's address names it."},
                    "name": {"type": "string", "description": "The tag as editors wrote it."},
                },
            },
        }),
        Kind::Texts => json!({"type": "array", "items": {"type": "string"}}),
        Kind::Refs { .. } => json!({"type": "array", "items": {"type": "string", "format": "uri"}}),
        Kind::Rows { fields, .. } => json!({"type": "array", "items": object_schema(fields)}),
    };
    match schema {
        Json::Object(map) => map,
        _ => unreachable!("every schema above is an object"),
    }
}

/// A CSV table's Table Schema, for `datapackage.json`.
pub fn table_schema(table: &Table) -> Json {
    let fields: Vec<Json> = table.columns.iter().map(column_schema).collect();
    let mut schema = Map::new();
    schema.insert("fields".into(), Json::Array(fields));
    schema.insert("missingValues".into(), json!([""]));
    if !table.key.is_empty() {
        schema.insert("primaryKey".into(), json!(table.key));
    }
    if !table.links.is_empty() {
        let keys: Vec<Json> = table
            .links
            .iter()
            .map(|link| {
                // The Table Schema names its own table with "".
                let resource = if link.table == table.name {
                    ""
                } else {
                    link.table
                };
                json!({
                    "fields": link.fields,
                    "reference": {"resource": resource, "fields": link.reference},
                })
            })
            .collect();
        schema.insert("foreignKeys".into(), Json::Array(keys));
    }
    Json::Object(schema)
}

fn column_schema(column: &Column) -> Json {
    let (kind, format, mut constraints) = match &column.kind {
        Kind::Text | Kind::Tags => ("string", None, Map::new()),
        Kind::Integer => ("integer", None, Map::new()),
        Kind::Number => ("number", None, Map::new()),
        Kind::Boolean => ("boolean", None, Map::new()),
        Kind::Date => ("date", None, Map::new()),
        Kind::Time => {
            let mut constraints = Map::new();
            constraints.insert(
                "pattern".into(),
                TIME_PATTERN.trim_matches(['^', '$']).into(),
            );
            ("string", None, constraints)
        }
        Kind::Url | Kind::Ref(_) => ("string", Some("uri"), Map::new()),
        Kind::Word(words) => {
            let mut constraints = Map::new();
            constraints.insert("enum".into(), json!(words));
            ("string", None, constraints)
        }
        Kind::Texts | Kind::Refs { .. } | Kind::Rows { .. } => {
            unreachable!("lists are not columns")
        }
    };
    if !column.optional {
        constraints.insert("required".into(), Json::Bool(true));
    }
    let mut schema = Map::new();
    schema.insert("name".into(), column.name.into());
    schema.insert("type".into(), kind.into());
    if let Some(format) = format {
        schema.insert("format".into(), format.into());
    }
    schema.insert("description".into(), column.description.into());
    if !constraints.is_empty() {
        schema.insert("constraints".into(), Json::Object(constraints));
    }
    Json::Object(schema)
}
