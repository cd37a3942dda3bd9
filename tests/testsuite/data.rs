//! The open data under `/data/`: every published item in JSON and CSV, no draft, RFC 4180 CSV
//! that keeps text exactly, JSON and CSV holding the same records, a data package that
//! describes every CSV file, the licence from site.yaml, the page explaining it all, and the
//! data agreeing with the pages. The real validators (jsonschema, frictionless) run in
//! `scripts/validate_data.sh`, which `.ci/run` runs on this module's fixture.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::site_test::SiteTest;

const BASE: &str = "https://example.org/safer/";
const DATASETS: [&str; 5] = ["priorities", "meetings", "updates", "decisions", "actions"];

fn rich() -> SiteTest {
    SiteTest::new("data/rich").built()
}

/// RFC 4180, strictly: records end in CRLF (the last one too), a field with a comma, quote,
/// CR or LF is quoted, quotes are doubled. Panics on anything else.
fn read_csv(text: &str) -> Vec<Vec<String>> {
    assert!(text.ends_with("\r\n"), "the last record ends in CRLF");
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next().expect("a quoted field is closed") {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    '"' => break,
                    c => field.push(c),
                }
            }
            assert!(
                field.contains([',', '"', '\r', '\n']),
                "{field:?} is quoted only when it must be"
            );
        } else {
            while let Some(&c) = chars.peek() {
                if c == ',' || c == '\r' {
                    break;
                }
                assert!(
                    c != '"' && c != '\n',
                    "an unquoted field holds no quote or LF: {field:?}"
                );
                field.push(c);
                chars.next();
            }
        }
        row.push(field);
        match chars.next() {
            Some(',') => {}
            Some('\r') => {
                assert_eq!(chars.next(), Some('\n'), "CR is followed by LF");
                rows.push(std::mem::take(&mut row));
                if chars.peek().is_none() {
                    return rows;
                }
            }
            other => panic!("unexpected {other:?} after a field"),
        }
    }
}

/// A CSV file's rows, each by column name.
fn table(site: &SiteTest, name: &str) -> Vec<BTreeMap<String, String>> {
    let rows = read_csv(&site.read(&format!("data/{name}.csv")));
    let header = &rows[0];
    rows[1..]
        .iter()
        .map(|row| {
            assert_eq!(
                row.len(),
                header.len(),
                "{name}.csv: every row has every column"
            );
            header.iter().cloned().zip(row.iter().cloned()).collect()
        })
        .collect()
}

fn records(site: &SiteTest, name: &str) -> Vec<Value> {
    let file = site.json(&format!("data/{name}.json"));
    file[name]
        .as_array()
        .unwrap_or_else(|| panic!("{name}.json lists {name}"))
        .clone()
}

fn text(value: &Value) -> &str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("{value} is a string"))
}

/// The output page at an absolute address of the site (percent-encoded).
fn page_of(url: &str) -> String {
    let path = url
        .strip_prefix(BASE)
        .unwrap_or_else(|| panic!("{url} is on the site"));
    percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .expect("UTF-8")
        .into_owned()
}

fn ids(records: &[Value]) -> BTreeSet<String> {
    records.iter().map(|r| page_of(text(&r["id"]))).collect()
}

/// The item pages of the output under `folder` (`meetings/`), numbered list pages left out.
fn item_pages(site: &SiteTest, folder: &str) -> BTreeSet<String> {
    site.output_paths()
        .into_iter()
        .filter_map(|p| p.strip_prefix(folder).map(str::to_string))
        .filter_map(|rest| rest.strip_suffix("/index.html").map(str::to_string))
        .filter(|slug| !slug.contains('/') && !slug.is_empty() && slug != "page")
        .map(|slug| format!("{folder}{slug}/"))
        .collect()
}

#[test]
fn every_published_item_is_in_the_data_and_no_draft_is() {
    let site = rich();
    for (dataset, folder) in [
        ("priorities", "priorities/"),
        ("meetings", "meetings/"),
        ("updates", "updates/"),
        ("actions", "actions/"),
    ] {
        let records = records(&site, dataset);
        assert_eq!(
            ids(&records).len(),
            records.len(),
            "{dataset}: ids are unique"
        );
        assert_eq!(
            ids(&records),
            item_pages(&site, folder),
            "{dataset}: one record per page"
        );
    }
    assert!(ids(&records(&site, "priorities")).contains("priorities/ŵyl-y-gaeaf/"));
    assert_eq!(records(&site, "decisions").len(), 3);
    for (path, bytes) in site.output_files() {
        if path.starts_with("data/") {
            let text = String::from_utf8(bytes).expect("UTF-8");
            assert!(
                !text.to_lowercase().contains("secret"),
                "{path} leaks a draft"
            );
        }
    }
}

#[test]
fn records_carry_typed_fields_and_their_relations() {
    let site = rich();
    let meetings = records(&site, "meetings");
    let spring = &meetings[0];
    assert_eq!(spring["id"], format!("{BASE}meetings/2026-03-05-board/"));
    assert_eq!(spring["date"], "2026-03-05");
    assert_eq!(spring["time"], "14:30");
    assert_eq!(spring["timezone"], "Europe/London");
    assert_eq!(spring["status"], "held");
    assert_eq!(spring["minutes"], "approved");
    assert_eq!(
        spring["minutes_approved_at"],
        format!("{BASE}meetings/2026-06-04-board/")
    );
    assert_eq!(
        spring["priorities"],
        serde_json::json!([
            format!("{BASE}priorities/knife-crime/"),
            format!("{BASE}priorities/%C5%B5yl-y-gaeaf/")
        ])
    );
    assert_eq!(spring["agenda"][0]["item"], 1);
    assert_eq!(
        spring["agenda"][0]["actions"],
        serde_json::json!([format!("{BASE}actions/a-1/"), format!("{BASE}actions/a-2/")])
    );
    assert_eq!(
        spring["agenda"][0]["decisions"][1],
        "Noted the risks:\nfunding, staffing."
    );
    assert_eq!(spring["documents"][0]["bytes"], 17);
    assert_eq!(spring["documents"][0]["format"], "PDF");
    let statuses: Vec<&str> = meetings.iter().map(|m| text(&m["status"])).collect();
    assert_eq!(
        statuses,
        ["held", "held", "cancelled", "scheduled"],
        "oldest first"
    );
    let actions = records(&site, "actions");
    let references: Vec<&str> = actions.iter().map(|a| text(&a["reference"])).collect();
    assert_eq!(
        references,
        ["A-1", "A-2", "A-3", "A-4"],
        "in the order agreed"
    );
    let a1 = &actions[0];
    assert_eq!(a1["status"], "done");
    assert_eq!(a1["overdue"], false);
    assert_eq!(a1["due"], "2026-04-30");
    assert_eq!(a1["meeting"], spring["id"]);
    let history: Vec<(&str, &str)> = a1["history"]
        .as_array()
        .expect("a history")
        .iter()
        .map(|h| (text(&h["date"]), text(&h["status"])))
        .collect();
    assert_eq!(
        history,
        [("2026-06-04", "in-progress"), ("2026-07-01", "done")]
    );
    assert_eq!(a1["history"][0]["update"], Value::Null);
    assert_eq!(
        a1["history"][1]["update"],
        format!("{BASE}updates/2026-07-01-progress/")
    );
    assert_eq!(actions[3]["overdue"], true);
    let updates = records(&site, "updates");
    assert_eq!(updates[0]["status_changes"][0]["status"], "at-risk");
    assert_eq!(updates[0]["action_updates"][1]["status"], "dropped");
    let priorities = records(&site, "priorities");
    assert_eq!(
        priorities[0]["tags"][0],
        serde_json::json!({"slug": "young-people", "name": "Young People"})
    );
    assert_eq!(priorities[0]["status_history"][0]["status"], "on-track");
}

#[test]
fn csv_files_follow_rfc_4180_and_keep_text_exactly() {
    let site = rich();
    let raw = site.read("data/decisions.csv");
    assert!(
        raw.contains(",\"Agreed the plan, with \"\"amendments\"\".\","),
        "{raw}"
    );
    let decisions = table(&site, "decisions");
    let texts: Vec<&str> = decisions.iter().map(|d| d["decision"].as_str()).collect();
    assert_eq!(
        texts,
        [
            "Agreed the plan, with \"amendments\".",
            "Noted the risks:\nfunding, staffing.",
            "+1 noted"
        ]
    );
    let actions = table(&site, "actions");
    assert_eq!(
        actions[0]["action"], "=HYPERLINK(\"http://evil.example\") publish the plan",
        "published as written"
    );
    assert_eq!(actions[2]["owner"], "@Ops team");
    assert_eq!(actions[2]["due"], "", "no date is an empty cell");
    assert_eq!(actions[3]["overdue"], "true");
    let attendance = table(&site, "attendance");
    assert_eq!(attendance[0]["name"], "Cllr Siân Jones (chair)");
    assert_eq!(attendance[1]["name"], "Police, North Wales");
    assert_eq!(
        table(&site, "priorities")[0]["tags"],
        "young-people violence"
    );
    for path in site.output_paths() {
        if path.starts_with("data/") && path.ends_with(".csv") {
            let rows = read_csv(&site.read(&path));
            assert!(!rows[0].is_empty(), "{path} has a header");
        }
    }
}

/// Each CSV table, with the JSON list its rows come from: (table, dataset, list or "").
const TABLES: &[(&str, &str, &str)] = &[
    ("priorities", "priorities", ""),
    ("meetings", "meetings", ""),
    ("meeting-priorities", "meetings", "priorities"),
    ("agenda-items", "meetings", "agenda"),
    ("attendance", "meetings", "attendance"),
    ("declarations", "meetings", "declarations"),
    ("documents", "meetings", "documents"),
    ("updates", "updates", ""),
    ("update-priorities", "updates", "priorities"),
    ("status-changes", "updates", "status_changes"),
    ("decisions", "decisions", ""),
    ("actions", "actions", ""),
    ("action-updates", "actions", "history"),
    ("indicators", "indicators", ""),
    ("indicator-values", "indicators", "values"),
];

/// A JSON value as the CSV writes it.
fn as_cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(tags) => tags
            .iter()
            .map(|t| text(&t["slug"]))
            .collect::<Vec<_>>()
            .join(" "),
        other => other.to_string(),
    }
}

#[test]
fn json_and_csv_hold_the_same_records() {
    let site = rich();
    let package = site.json("data/datapackage.json");
    let names: Vec<&str> = package["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .map(|r| text(&r["name"]))
        .collect();
    let listed: Vec<&str> = TABLES.iter().map(|(t, _, _)| *t).collect();
    assert_eq!(names, listed);
    for (name, dataset, list) in TABLES {
        let rows = table(&site, name);
        let mut expected: Vec<BTreeMap<String, String>> = Vec::new();
        for record in records(&site, dataset) {
            let columns = rows.first().map(|r| r.keys().cloned().collect::<Vec<_>>());
            if list.is_empty() {
                let columns = columns.unwrap_or_default();
                expected.push(
                    columns
                        .iter()
                        .map(|c| (c.clone(), as_cell(&record[c])))
                        .collect(),
                );
                continue;
            }
            for item in record[*list].as_array().expect("a list") {
                let mut row = BTreeMap::new();
                for column in columns.clone().unwrap_or_default() {
                    let cell = match &item {
                        // A list of references: the parent's id, then the reference.
                        Value::String(reference) if column == "priority" => reference.clone(),
                        Value::String(_) => text(&record["id"]).to_string(),
                        _ => match item.get(&column) {
                            Some(value) => as_cell(value),
                            None => text(&record["id"]).to_string(),
                        },
                    };
                    row.insert(column, cell);
                }
                expected.push(row);
            }
        }
        assert_eq!(rows, expected, "{name}.csv holds what {dataset}.json does");
    }
    assert_eq!(table(&site, "action-updates").len(), 4);
    assert_eq!(table(&site, "meeting-priorities").len(), 3);
}

#[test]
fn the_data_package_describes_every_csv_file() {
    let site = rich();
    let package = site.json("data/datapackage.json");
    assert_eq!(package["profile"], "tabular-data-package");
    assert_eq!(package["name"], "cymdeithas-diogelwch-safer-ynys-m-n");
    assert_eq!(package["title"], "Cymdeithas Diogelwch – Safer Ynys Môn");
    assert_eq!(package["homepage"], format!("{BASE}data/"));
    assert_eq!(
        package["licenses"],
        serde_json::json!([{
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0 International"
        }])
    );
    let csvs: BTreeSet<String> = site
        .output_paths()
        .into_iter()
        .filter(|p| p.starts_with("data/") && p.ends_with(".csv"))
        .collect();
    let mut described = BTreeSet::new();
    let mut foreign_keys = BTreeSet::new();
    for resource in package["resources"].as_array().expect("resources") {
        let path = format!("data/{}", text(&resource["path"]));
        let bytes = site.output_files().remove(&path).expect("the file exists");
        assert_eq!(resource["profile"], "tabular-data-resource");
        assert_eq!(resource["bytes"], bytes.len());
        let hash: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(resource["hash"], format!("sha256:{hash}"));
        let header = &read_csv(std::str::from_utf8(&bytes).expect("UTF-8"))[0];
        let fields: Vec<&str> = resource["schema"]["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .map(|f| text(&f["name"]))
            .collect();
        assert_eq!(
            header, &fields,
            "{path}: the schema's fields are its columns"
        );
        for key in resource["schema"]["foreignKeys"]
            .as_array()
            .into_iter()
            .flatten()
        {
            foreign_keys.insert(format!(
                "{}.{} -> {}.{}",
                text(&resource["name"]),
                key["fields"]
                    .as_array()
                    .expect("fields")
                    .iter()
                    .map(text)
                    .collect::<Vec<_>>()
                    .join("+"),
                text(&key["reference"]["resource"]),
                key["reference"]["fields"]
                    .as_array()
                    .expect("fields")
                    .iter()
                    .map(text)
                    .collect::<Vec<_>>()
                    .join("+"),
            ));
        }
        described.insert(path);
    }
    assert_eq!(described, csvs, "every CSV file is described once");
    for expected in [
        "agenda-items.meeting -> meetings.id",
        "actions.meeting -> meetings.id",
        "actions.meeting+item -> agenda-items.meeting+item",
        "decisions.meeting -> meetings.id",
        "action-updates.action -> actions.id",
        "meetings.minutes_approved_at -> .id",
        "status-changes.priority -> priorities.id",
    ] {
        assert!(
            foreign_keys.contains(expected),
            "{expected} in {foreign_keys:#?}"
        );
    }
}

#[test]
fn each_json_file_names_its_schema_and_licence() {
    let site = rich();
    for dataset in DATASETS {
        let file = site.json(&format!("data/{dataset}.json"));
        let schema_path = format!("data/schema/{dataset}.schema.json");
        assert_eq!(file["$schema"], format!("{BASE}{schema_path}"));
        let schema = site.json(&schema_path);
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert_eq!(schema["$id"], file["$schema"]);
        assert_eq!(file["licence"]["name"], "CC-BY-4.0");
        let text = site.read(&format!("data/{dataset}.json"));
        let lines = text.lines().count();
        assert_eq!(
            lines,
            file[dataset].as_array().expect("records").len() + 2,
            "one record a line"
        );
    }
}

#[test]
fn the_open_government_licence_is_the_default() {
    let site = SiteTest::new("data/rich").file(
        "site.yaml",
        "title: Safer\nbase_url: https://example.org/safer/\n",
    );
    site.build();
    let package = site.json("data/datapackage.json");
    assert_eq!(package["licenses"][0]["name"], "OGL-UK-3.0");
    assert_eq!(
        package["licenses"][0]["path"],
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    );
    assert!(
        package.get("contributors").is_none(),
        "no organisation, no publisher"
    );
    let page = site.page("data/");
    assert_eq!(
        page.links("#licence + p a"),
        [(
            "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
                .to_string(),
            "Open Government Licence v3.0".to_string(),
        )]
    );
}

#[test]
fn a_licence_site_yaml_gets_wrong_is_reported_where_it_is() {
    let site = SiteTest::new("data/rich").file(
        "site.yaml",
        "title: Safer\nbase_url: https://example.org/safer/\nlicence: CC-BY-4\n",
    );
    let problem = site.build_failing().error("invalid-licence");
    assert_eq!(problem.location, "site.yaml:3:10");
    assert!(
        problem.hint.starts_with("did you mean \"CC-BY-4.0\"?"),
        "{}",
        problem.hint
    );
    let written_out = SiteTest::new("data/rich").file(
        "site.yaml",
        "title: Safer\nbase_url: https://example.org/safer/\nlicence:\n  name: Ours-1.0\n  path: www.example.org/licence\n",
    );
    let problem = written_out.build_failing().error("invalid-licence");
    assert_eq!(problem.location, "site.yaml:5:9");
}

#[test]
fn the_data_page_explains_every_file_and_every_page_links_to_it() {
    let site = rich();
    let page = site.page("data/");
    assert_eq!(page.text("h1"), "Open data");
    let links: BTreeSet<String> = page.attrs("main a", "href").into_iter().collect();
    for path in site.output_paths() {
        if path.starts_with("data/") && !path.ends_with(".html") {
            assert!(
                links.contains(&format!("/safer/{path}")),
                "the page links to {path}"
            );
        }
    }
    assert!(
        page.text("main")
            .contains("every time the site is published")
    );
    let headings = page.texts("main h2");
    assert_eq!(
        headings,
        [
            "Licence",
            "Priorities",
            "Meetings",
            "Updates",
            "Decisions",
            "Actions",
            "Indicators"
        ]
    );
    let columns = page.texts("#actions-csv ~ details th[scope=row]");
    assert!(
        columns.starts_with(&["id".to_string(), "reference".to_string()]),
        "{columns:?}"
    );
    for html in site.html_pages() {
        let footer = site.page(&html).links(".site-footer nav a");
        assert!(
            footer.contains(&("/safer/data/".to_string(), "Open data".to_string())),
            "{html}: {footer:?}"
        );
    }
}

/// What the pages say about each item is what the data says.
#[test]
fn the_data_and_the_pages_agree() {
    let site = rich();
    for action in records(&site, "actions") {
        let page = site.page(&page_of(text(&action["id"])));
        let classes = page.attrs(".summary-list dd .status", "class");
        let status = format!("status status-{}", text(&action["status"]));
        assert_eq!(classes.first(), Some(&status), "{}", action["id"]);
        let overdue = page
            .texts(".summary-list dd .status")
            .iter()
            .any(|t| t == "Overdue");
        assert_eq!(Value::Bool(overdue), action["overdue"], "{}", action["id"]);
        assert_eq!(
            page.text(".caption"),
            format!("Action {}", text(&action["reference"]))
        );
        assert_eq!(page.text("h1"), text(&action["action"]));
    }
    for meeting in records(&site, "meetings") {
        let page = site.page(&page_of(text(&meeting["id"])));
        let status = format!("status status-{}", text(&meeting["status"]));
        assert_eq!(page.attr(".summary-list .status", "class"), Some(status));
        let agenda: Vec<String> = meeting["agenda"]
            .as_array()
            .expect("an agenda")
            .iter()
            .map(|item| text(&item["title"]).to_string())
            .collect();
        assert_eq!(page.texts(".agenda .agenda-title"), agenda);
        let decisions: Vec<String> = meeting["agenda"]
            .as_array()
            .expect("an agenda")
            .iter()
            .flat_map(|item| item["decisions"].as_array().expect("decisions").clone())
            .map(|d| text(&d).split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(page.texts(".agenda .outcome-decisions li"), decisions);
    }
    for priority in records(&site, "priorities") {
        let page = site.page(&page_of(text(&priority["id"])));
        assert_eq!(page.text("h1"), text(&priority["title"]));
        let status = format!("status status-{}", text(&priority["status"]));
        assert!(
            page.attrs(".status", "class").contains(&status),
            "{}",
            priority["id"]
        );
    }
}

#[test]
fn the_data_is_the_same_at_every_build() {
    let site = rich();
    let data = |site: &SiteTest| -> BTreeMap<String, Vec<u8>> {
        site.output_files()
            .into_iter()
            .filter(|(p, _)| p.starts_with("data/"))
            .collect()
    };
    let first = data(&site);
    assert_eq!(
        first.len(),
        6 + 6 + 15 + 1 + 1,
        "JSON, schemas, CSV, package and page"
    );
    site.build();
    assert_eq!(data(&site), first);
}

/// Each indicator in the data is on its priority's page, with the same figures in the same
/// order, and its CSV download holds them too.
#[test]
fn the_indicators_in_the_data_are_those_the_pages_chart() {
    let site = rich();
    let indicators = records(&site, "indicators");
    assert_eq!(indicators.len(), 2);
    for indicator in &indicators {
        let id = text(&indicator["id"]);
        let (page_url, anchor) = id
            .split_once('#')
            .expect("an anchor on the priority's page");
        let page = site.page(&page_of(page_url));
        let section = crate::site_test::Page::from_element(
            page.select(&format!("section#{anchor}"))
                .into_iter()
                .next()
                .unwrap_or_else(|| panic!("{id} is on its page")),
        );
        assert_eq!(section.text("h3"), text(&indicator["title"]));
        let periods: Vec<String> = indicator["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| text(&v["period"]).to_string())
            .collect();
        assert_eq!(section.texts("tbody th").len(), periods.len(), "{id}");
        let csv = site.read(&page_of(text(&indicator["csv"])));
        let rows = read_csv(&csv);
        let csv_periods: Vec<String> = rows[1..].iter().map(|r| r[0].clone()).collect();
        assert_eq!(csv_periods, periods, "{id}");
        let values: Vec<f64> = indicator["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["value"].as_f64().unwrap())
            .collect();
        let csv_values: Vec<f64> = rows[1..].iter().map(|r| r[1].parse().unwrap()).collect();
        assert_eq!(csv_values, values, "{id}");
    }
}
