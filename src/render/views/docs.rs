//! docs/themes.md must document every variable that templates receive. This test renders a
//! small site whose every optional part is filled in, turns each page's view into JSON and
//! walks it alongside the document: a template's variables are the rows of its section (and of
//! "Variables every template receives"), and a value that is an object is described by the
//! section of the type its row links to (`[`MeetingView`](#meetingview)`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::values::Date;

const DOC: &str = include_str!("../../../docs/themes.md");
const COMMON_SECTION: &str = "Variables every template receives";

/// A table row of the document: a variable or field, and its type cell.
type Rows = BTreeMap<String, String>;

/// Each heading of the document (without `#` and backticks) with the rows of its tables.
fn sections(doc: &str) -> BTreeMap<String, Rows> {
    let mut sections: BTreeMap<String, Rows> = BTreeMap::new();
    let mut current = String::new();
    for line in doc.lines() {
        if let Some(heading) = line.strip_prefix('#') {
            current = heading.trim_start_matches('#').trim().replace('`', "");
            sections.entry(current.clone()).or_default();
            continue;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if let [_, name, kind, ..] = cells.as_slice()
            && let Some(name) = name.strip_prefix('`').and_then(|n| n.strip_suffix('`'))
        {
            let rows = sections.entry(current.clone()).or_default();
            rows.insert(name.to_string(), kind.to_string());
        }
    }
    sections
}

/// The type a type cell links to: `Foo` in "list of [`Foo`](#foo)".
fn linked_type(cell: &str) -> Option<&str> {
    let start = cell.find("[`")? + 2;
    let end = start + cell[start..].find("`]")?;
    Some(&cell[start..end])
}

struct Checker<'a> {
    sections: &'a BTreeMap<String, Rows>,
    problems: Vec<String>,
    /// The fields seen in views, by documented type.
    seen: BTreeMap<String, BTreeSet<String>>,
}

impl Checker<'_> {
    fn check_template(&mut self, template: &str, view: &Value) {
        let mut rows = self.sections[COMMON_SECTION].clone();
        match self.sections.get(template) {
            Some(own) => rows.extend(own.clone()),
            None => self.problems.push(format!("no section `{template}`")),
        }
        self.check_object(template, template, &rows, view);
    }

    /// Every key of `object` must be a row of `rows`, and its value match the row's type.
    fn check_object(&mut self, type_name: &str, path: &str, rows: &Rows, object: &Value) {
        let Value::Object(fields) = object else {
            return;
        };
        for (key, value) in fields {
            let path = format!("{path}.{key}");
            self.seen
                .entry(type_name.to_string())
                .or_default()
                .insert(key.clone());
            match rows.get(key) {
                Some(cell) => self.check_value(&path, cell, value),
                None => self
                    .problems
                    .push(format!("`{path}` ({type_name}) is not documented")),
            }
        }
    }

    fn check_value(&mut self, path: &str, cell: &str, value: &Value) {
        match value {
            Value::Array(items) => {
                for item in items {
                    self.check_value(&format!("{path}[]"), cell, item);
                }
            }
            Value::Object(_) if cell.starts_with("map of") => {}
            Value::Object(_) => match linked_type(cell) {
                Some(name) => match self.sections.get(name) {
                    Some(rows) => self.check_object(name, path, &rows.clone(), value),
                    None => self.problems.push(format!("`{path}`: no section `{name}`")),
                },
                None => self
                    .problems
                    .push(format!("`{path}`: its type links to no section")),
            },
            _ => {}
        }
    }

    /// Every type the views use must have been seen with every documented field, so that the
    /// site below keeps exercising them and the document lists no field that is gone.
    fn check_coverage(&mut self, templates: &BTreeSet<&str>) {
        let mut linked: BTreeSet<&str> = templates.iter().copied().collect();
        for rows in self.sections.values() {
            linked.extend(rows.values().filter_map(|cell| linked_type(cell)));
        }
        for name in linked {
            let seen = self.seen.get(name).cloned().unwrap_or_default();
            let rows = &self.sections[name];
            for field in rows.keys().filter(|f| !seen.contains(*f)) {
                self.problems.push(format!(
                    "`{name}.{field}` is documented but no view of the test site has it"
                ));
            }
        }
    }
}

/// A site with every optional part present: an intro, agendas, documents, status changes,
/// tags, an accessibility statement, a logo and brand colour and enough updates for a second
/// page.
fn write_site(root: &Path) {
    let files: &[(&str, &str)] = &[
        (
            "site.yaml",
            "title: Testshire Partnership\ndescription: Our work.\nbase_url: https://example.org/\n\
             organisation: Testshire Council\ncontact_email: hello@example.org\n\
             accessibility:\n  issues: [Old minutes are scanned.]\n  reviewed: 2026-10-05\n  \
             phone: 0300 555 0100\nlogo:\n  file: static/logo.svg\n  alt: Testshire Council\n\
             brand_colour: \"#00527a\"\n",
        ),
        (
            "static/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 1\"/>",
        ),
        (
            "content/_index.md",
            "---\ntitle: Welcome\nsummary: Hello.\n---\nOur *work*.\n",
        ),
        (
            "content/priorities/knives.md",
            "---\ntitle: Knife crime\nshort_title: Knives\nnumber: 1\nstatus: on-track\n\
             lead: Police\nsummary: Fewer knives.\nupdated: 2026-10-01\ntags: [Youth]\n\
             indicators:\n  - id: offences\n    title: Offences\n    unit: offences\n    \
             better: lower\n    target: 1200\n    source: Police\n    values:\n      \
             - {period: 2025-Q3, value: 450}\n      - {period: 2026-Q3, value: 414, note: New rules}\n\
             ---\nText.\n",
        ),
        (
            "content/meetings/2026-03-05-board.md",
            "---\ntitle: Board\ndate: 2026-03-05\ntime: \"14:00\"\nvenue: Hall\nchair: Jo\n\
             priorities: [knives]\nagenda:\n  - title: Report\n    presenter: Police\n    \
             priority: knives\n    decisions: [Agreed the plan.]\n    actions:\n      \
             - {id: A-1, action: Write the plan, owner: Police, due: 2026-04-01}\n      \
             - {id: A-2, action: Share the plan, owner: Council}\n\
             documents:\n  - title: Minutes\n    file: minutes.pdf\n\
             attendance: {present: [Jo], apologies: [Sam], in_attendance: [Clerk]}\n\
             declarations:\n  - {name: Cllr Lee, item: 1, interest: Trustee}\n\
             minutes: {status: approved, approved_at: 2026-04-10-board}\n\
             tags: [Youth]\n---\nMinutes.\n",
        ),
        (
            "content/meetings/2026-04-10-board.md",
            "---\ntitle: Board\ndate: 2026-04-10\nattendance: {present: [Jo]}\n\
             action_updates:\n  - {id: A-1, status: in-progress, note: Drafting.}\n---\nMinutes.\n",
        ),
        ("content/meetings/minutes.pdf", "%PDF-1.4"),
        (
            "content/meetings/2027-01-14-board.md",
            "---\ntitle: Board\ndate: 2027-01-14\ntime: \"10:00\"\nvenue: Hall\n---\nAgenda.\n",
        ),
        (
            "content/pages/about.md",
            "---\ntitle: About\nsummary: Who we are.\n---\nUs.\n",
        ),
    ];
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().expect("files are in a folder")).expect("mkdir");
        std::fs::write(path, text).expect("write a site file");
    }
    std::fs::create_dir_all(root.join("content/updates")).expect("mkdir");
    for day in 1..=21 {
        let path = root.join(format!("content/updates/2026-06-{day:02}-progress.md"));
        let text = format!(
            "---\ntitle: Progress {day}\ndate: 2026-06-{day:02}\npriorities: [knives]\n\
             status_changes:\n  - priority: knives\n    status: on-track\n\
             action_updates:\n  - {{id: A-2, status: done, note: Shared.}}\ntags: [Youth]\n---\nNews.\n"
        );
        std::fs::write(path, text).expect("write an update");
    }
}

#[test]
fn every_view_field_is_documented_in_themes_md() {
    let temp = tempfile::tempdir().expect("a temporary folder");
    write_site(temp.path());
    let options = crate::BuildOptions {
        root: temp.path().to_path_buf(),
        base_url: None,
        include_drafts: false,
        today: Date::parse("2026-12-01").expect("a date"),
        minify: false,
        deny_warnings: false,
    };
    let mut session = crate::incremental::Session::new(options.clone());
    let changes = crate::incremental::Changes::Everything;
    session
        .rebuild(&changes, options.today)
        .expect("the test site builds");
    let site = session.site().expect("the site is assembled");
    let theme = crate::load::theme::load(temp.path(), "default").expect("the default theme");
    let sections = sections(DOC);
    let mut checker = Checker {
        sections: &sections,
        problems: Vec::new(),
        seen: BTreeMap::new(),
    };
    let mut templates = BTreeSet::new();
    for (template, view) in crate::render::views_as_json(site, &theme) {
        templates.insert(template);
        checker.check_template(template, &view);
    }
    checker.check_coverage(&templates);
    let problems: BTreeSet<String> = checker.problems.into_iter().collect();
    assert!(
        problems.is_empty(),
        "docs/themes.md and the views differ:\n{}",
        problems.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn a_field_missing_from_the_document_is_reported() {
    let doc = "## Variables every template receives\n| `site` | [`SiteView`](#siteview) |\n\
               ### home.html\n| `intro` | string |\n### SiteView\n| `title` | string |\n";
    let sections = sections(doc);
    let mut checker = Checker {
        sections: &sections,
        problems: Vec::new(),
        seen: BTreeMap::new(),
    };
    let view = serde_json::json!({"site": {"title": "T", "urls": {}}, "intro": "x", "extra": 1});
    checker.check_template("home.html", &view);
    assert_eq!(
        checker.problems,
        [
            "`home.html.extra` (home.html) is not documented",
            "`home.html.site.urls` (SiteView) is not documented",
        ]
    );
}
