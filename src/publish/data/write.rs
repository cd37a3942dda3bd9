//! Records, and writing them: a dataset's JSON file (one record a line, so a change shows as
//! a changed line) and its CSV tables (RFC 4180: UTF-8, CRLF line ends, a field in double
//! quotes when it holds a comma, a quote, CR or LF, quotes doubled).

use std::borrow::Cow;
use std::fmt::Write as _;

use super::schema::{Dataset, Field, Kind};
use crate::values::{Date, Tag, Time};

/// One value of a record. Which kinds of field take which values: see [`Kind`].
#[derive(Debug)]
pub enum Value<'a> {
    Null,
    Text(Cow<'a, str>),
    Integer(i64),
    Number(f64),
    Boolean(bool),
    Date(Date),
    Time(Time),
    Tags(&'a [Tag]),
    /// Texts or references.
    List(Vec<Cow<'a, str>>),
    Rows(Vec<Record<'a>>),
}

impl<'a> Value<'a> {
    pub fn text(text: impl Into<Cow<'a, str>>) -> Value<'a> {
        Value::Text(text.into())
    }

    /// `None` as null.
    pub fn optional_text(text: Option<&'a str>) -> Value<'a> {
        text.map_or(Value::Null, |t| Value::Text(Cow::Borrowed(t)))
    }

    pub fn optional_date(date: Option<Date>) -> Value<'a> {
        date.map_or(Value::Null, Value::Date)
    }

    pub fn count(n: usize) -> Value<'a> {
        Value::Integer(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// A record's values, each with its field's name, in the order of its fields.
#[derive(Debug, Default)]
pub struct Record<'a>(pub Vec<(&'static str, Value<'a>)>);

impl<'a> Record<'a> {
    pub fn new(values: Vec<(&'static str, Value<'a>)>) -> Record<'a> {
        Record(values)
    }

    /// The values in field order; a record written for other fields is a bug, found by the
    /// first build of any test site that has one.
    fn values<'r>(
        &'r self,
        fields: &'static [Field],
    ) -> impl Iterator<Item = (&'static Field, &'r Value<'a>)> {
        assert_eq!(
            self.0.len(),
            fields.len(),
            "a record has a value for each field: {:?}",
            self.0.iter().map(|(name, _)| name).collect::<Vec<_>>()
        );
        fields.iter().zip(&self.0).map(|(field, (name, value))| {
            assert_eq!(field.name, *name, "a record's values are in field order");
            (field, value)
        })
    }
}

/// A dataset's JSON file: its schema, its licence and its records, one a line.
pub fn json_file(
    dataset: &'static Dataset,
    schema_url: &str,
    licence: &str,
    records: &[Record<'_>],
) -> String {
    let mut out = String::with_capacity(records.len() * 400 + 400);
    out.push_str("{\"$schema\":");
    json_string(&mut out, schema_url);
    let _ = write!(out, ",\"licence\":{licence},");
    json_string(&mut out, dataset.name);
    out.push_str(":[");
    for (i, record) in records.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        json_record(&mut out, dataset.fields, record);
    }
    out.push_str("\n]}\n");
    out
}

fn json_record(out: &mut String, fields: &'static [Field], record: &Record<'_>) {
    out.push('{');
    for (i, (field, value)) in record.values(fields).enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_string(out, field.name);
        out.push(':');
        json_value(out, &field.kind, value);
    }
    out.push('}');
}

fn json_value(out: &mut String, kind: &Kind, value: &Value<'_>) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Text(text) => json_string(out, text),
        Value::Integer(n) => {
            let _ = write!(out, "{n}");
        }
        Value::Number(n) if n.is_finite() => {
            let _ = write!(out, "{n}");
        }
        Value::Number(_) => out.push_str("null"),
        Value::Boolean(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Date(date) => {
            let _ = write!(out, "\"{date}\"");
        }
        Value::Time(time) => {
            let _ = write!(out, "\"{time}\"");
        }
        Value::Tags(tags) => {
            out.push('[');
            for (i, tag) in tags.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str("{\"slug\":");
                json_string(out, &tag.slug);
                out.push_str(",\"name\":");
                json_string(out, &tag.name);
                out.push('}');
            }
            out.push(']');
        }
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_string(out, item);
            }
            out.push(']');
        }
        Value::Rows(rows) => {
            let Kind::Rows { fields, .. } = kind else {
                panic!("nested records in a field that is not `Kind::Rows`");
            };
            out.push('[');
            for (i, row) in rows.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_record(out, fields, row);
            }
            out.push(']');
        }
    }
}

/// A JSON string, escaped as serde_json escapes it (RFC 8259: quotes, backslashes and control
/// characters; everything else as UTF-8).
pub fn json_string(out: &mut String, text: &str) {
    out.push('"');
    let mut rest = text;
    while let Some(at) = rest.find(|c: char| c == '"' || c == '\\' || c < ' ') {
        out.push_str(&rest[..at]);
        let c = rest[at..].chars().next().expect("found a character");
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
        }
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out.push('"');
}

/// Each of a dataset's CSV tables (in [`Dataset::tables`] order) as text.
pub fn csv_files(dataset: &'static Dataset, records: &[Record<'_>]) -> Vec<String> {
    let tables = dataset.tables();
    let mut files: Vec<String> = tables
        .iter()
        .map(|table| {
            let mut out = String::new();
            let names = table.columns.iter().map(|c| Cow::Borrowed(c.name));
            csv_line(&mut out, names);
            out
        })
        .collect();
    let id = dataset.fields.iter().position(|f| f.name == "id");
    for record in records {
        let values: Vec<(&'static Field, &Value<'_>)> = record.values(dataset.fields).collect();
        let cells = values
            .iter()
            .filter(|(field, _)| field.kind.is_column())
            .map(|(_, value)| cell(value));
        csv_line(&mut files[0], cells);
        let mut child = 0;
        for (field, value) in &values {
            let has_table = matches!(
                &field.kind,
                Kind::Rows { table: Some(_), .. } | Kind::Refs { table: Some(_), .. }
            );
            if !has_table {
                continue;
            }
            child += 1;
            let Some((_, Value::Text(parent))) = id.map(|i| values[i]) else {
                panic!("a dataset with child tables has an `id` text field");
            };
            let out = &mut files[child];
            match (&field.kind, value) {
                (Kind::Rows { fields, .. }, Value::Rows(rows)) => {
                    for row in rows {
                        let cells = row
                            .values(fields)
                            .filter(|(field, _)| field.kind.is_column())
                            .map(|(_, value)| cell(value));
                        csv_line(out, std::iter::once(Cow::Borrowed(&**parent)).chain(cells));
                    }
                }
                (Kind::Refs { .. }, Value::List(items)) => {
                    for item in items {
                        csv_line(
                            out,
                            [Cow::Borrowed(&**parent), Cow::Borrowed(&**item)].into_iter(),
                        );
                    }
                }
                _ => panic!("field {} has a value of another kind", field.name),
            }
        }
    }
    files
}

/// A value as a CSV cell: null is empty.
fn cell<'v>(value: &'v Value<'_>) -> Cow<'v, str> {
    match value {
        Value::Null => Cow::Borrowed(""),
        Value::Text(text) => Cow::Borrowed(text),
        Value::Integer(n) => Cow::Owned(n.to_string()),
        Value::Number(n) if n.is_finite() => Cow::Owned(n.to_string()),
        Value::Number(_) => Cow::Borrowed(""),
        Value::Boolean(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        Value::Date(date) => Cow::Owned(date.to_string()),
        Value::Time(time) => Cow::Owned(time.to_string()),
        Value::Tags(tags) => {
            let slugs: Vec<&str> = tags.iter().map(|t| t.slug.as_str()).collect();
            Cow::Owned(slugs.join(" "))
        }
        Value::List(_) | Value::Rows(_) => panic!("lists are not CSV cells"),
    }
}

/// One CSV record and its CRLF.
fn csv_line<'c>(out: &mut String, cells: impl Iterator<Item = Cow<'c, str>>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(out, &cell);
    }
    out.push_str("\r\n");
}

/// A field, quoted when it must be (RFC 4180 section 2, rules 5 to 7).
pub fn csv_field(out: &mut String, text: &str) {
    if text.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_csv_fields_only_when_they_must_be() {
        let mut out = String::new();
        for text in [
            "plain",
            "a, b",
            "say \"hi\"",
            "two\nlines",
            "cr\r",
            "=1+2",
            "café",
        ] {
            csv_field(&mut out, text);
            out.push('|');
        }
        assert_eq!(
            out,
            "plain|\"a, b\"|\"say \"\"hi\"\"\"|\"two\nlines\"|\"cr\r\"|=1+2|café|"
        );
    }

    #[test]
    fn escapes_json_strings() {
        let mut out = String::new();
        json_string(&mut out, "a \"b\"\n\u{1}é");
        assert_eq!(out, "\"a \\\"b\\\"\\n\\u0001é\"");
    }
}
