//! Incremental rebuilds equal full builds: one site changed step by step in every way an editor
//! can, each incremental rebuild compared file by file (and warning by warning) with a full build
//! of the same sources.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::site_test::SiteTest;
use crate::{BuildOptions, Changes, Contents, Date, Diagnostics, Output, Session, build_in_memory};

/// The files of a site as bytes (copied files by where they come from).
type Files = BTreeMap<String, Vec<u8>>;

fn bytes_of(contents: &Contents) -> Vec<u8> {
    match contents {
        Contents::Bytes(bytes) => bytes.clone(),
        Contents::Embedded(bytes) => bytes.to_vec(),
        Contents::CopyOf(path) => format!("copy of {}", path.display()).into_bytes(),
    }
}

fn apply(files: &mut Files, output: &Output) {
    if output.complete {
        files.clear();
    }
    for path in &output.removed {
        files.remove(path);
    }
    for file in &output.files {
        files.insert(file.path.clone(), bytes_of(&file.contents));
    }
}

/// A full build's files and warnings.
fn full_build(options: &BuildOptions) -> Result<(Files, Vec<String>), String> {
    let built = build_in_memory(options).map_err(|d| format!("{:?}", d.sorted()))?;
    let files = built
        .files
        .iter()
        .map(|f| (f.path.clone(), bytes_of(&f.contents)))
        .collect();
    Ok((files, shown(built.warnings)))
}

fn shown(problems: Diagnostics) -> Vec<String> {
    problems.into_iter().map(|d| d.to_string()).collect()
}

/// Applies `change` to the site, rebuilds incrementally and checks the result against a full
/// build: both succeed with identical files, or both fail.
fn check_step(
    name: &str,
    site: &SiteTest,
    session: &mut Session,
    files: &mut Files,
    options: &BuildOptions,
    change: impl FnOnce(&SiteTest) -> Vec<&'static str>,
) {
    let touched: BTreeSet<PathBuf> = change(site).into_iter().map(|p| site.path(p)).collect();
    let incremental = session.rebuild(&Changes::Paths(touched), options.today);
    match (incremental, full_build(options)) {
        (Ok(output), Ok((expected, warnings))) => {
            apply(files, &output);
            // The preview serves the pages first, then the search index.
            let index = session.search_index().expect("the search index builds");
            apply(
                files,
                &index.expect("a successful rebuild has its search index to write"),
            );
            assert!(
                session.search_index().unwrap().is_none(),
                "{name}: the index is written once"
            );
            assert_eq!(
                shown(session.warnings()),
                warnings,
                "{name}: warnings differ"
            );
            let differing: Vec<&String> = expected
                .keys()
                .chain(files.keys())
                .filter(|p| expected.get(*p) != files.get(*p))
                .collect();
            assert!(
                differing.is_empty(),
                "{name}: incremental output differs in {differing:?}"
            );
        }
        (Err(_), Err(_)) => {}
        (incremental, expected) => panic!(
            "{name}: incremental {:?} but full build {:?}",
            incremental
                .map(|o| o.pages_rendered)
                .map_err(|d| d.sorted()),
            expected.map(|(f, _)| f.len())
        ),
    }
}

#[test]
fn incremental_rebuilds_equal_full_builds() {
    let site = SiteTest::new("serve/site");
    let options = BuildOptions {
        root: site.root.clone(),
        base_url: Some("http://127.0.0.1:1111/".into()),
        include_drafts: false,
        today: Date::parse("2024-04-01").unwrap(),
        minify: false,
        deny_warnings: false,
    };
    let mut session = Session::new(options.clone());
    let mut files = Files::new();
    apply(
        &mut files,
        &session
            .rebuild(&Changes::Everything, options.today)
            .unwrap(),
    );
    assert!(
        !files.keys().any(|path| path.starts_with("search/terms/")),
        "a rebuild leaves the search index to search_index()"
    );
    apply(&mut files, &session.search_index().unwrap().unwrap());
    assert_eq!(files, full_build(&options).unwrap().0);

    let mut step = |name: &str, change: &dyn Fn(&SiteTest) -> Vec<&'static str>| {
        check_step(name, &site, &mut session, &mut files, &options, change);
    };
    const JAN: &str = "content/meetings/board-2024-01-18.md";
    const APR: &str = "content/meetings/board-2024-04-18.md";
    const LINES: &str = "content/priorities/county-lines.md";
    const STREETS: &str = "content/priorities/safer-streets.md";
    const ABOUT: &str = "content/pages/about.md";
    step("body", &|s| {
        s.edit(JAN, "referral pathway.", "referral pathway, with a review.");
        vec![JAN]
    });
    step("title", &|s| {
        s.edit(JAN, "January 2024", "January 2024 (extra)");
        vec![JAN]
    });
    step("date reorders meetings", &|s| {
        s.edit(JAN, "date: 2024-01-18", "date: 2024-06-18");
        vec![JAN]
    });
    step("tags", &|s| {
        s.edit(
            APR,
            "tags: [night-time economy]",
            "tags: [lighting, young people]",
        );
        vec![APR]
    });
    step(
        "meeting chair: its page and its priorities' timelines",
        &|s| {
            s.edit(JAN, "chair: Cllr Amina Shah", "chair: Cllr Ben Okafor");
            vec![JAN]
        },
    );
    step("agenda item renamed", &|s| {
        s.edit(
            JAN,
            "title: County lines update",
            "title: County lines progress",
        );
        vec![JAN]
    });
    step("priority lead", &|s| {
        s.edit(
            LINES,
            "lead: Riverside Police",
            "lead: Riverside Police and Youth Service",
        );
        vec![LINES]
    });
    step("tag written differently", &|s| {
        s.edit(JAN, "tags: [young people]", "tags: [Young People]");
        vec![JAN]
    });
    step("priority status", &|s| {
        s.edit(LINES, "status: on-track", "status: off-track");
        vec![LINES]
    });
    step("priority numbers swap", &|s| {
        s.edit(LINES, "number: 1", "number: 3");
        s.edit(STREETS, "number: 2", "number: 1");
        vec![LINES, STREETS]
    });
    step("new meeting referring to a priority", &|s| {
        s.write(
            "content/meetings/extra.md",
            "---\ntitle: Extra board\ndate: 2024-02-02\npriorities: [safer-streets]\ntags: [new tag]\n---\nExtra.\n",
        );
        vec!["content/meetings/extra.md"]
    });
    step(
        "enough meetings to run the lists over several pages",
        &|s| {
            (1..=45)
            .map(|day| {
                let rel = format!("content/meetings/bulk-{day:02}.md");
                let text = format!(
                    "---\ntitle: Bulk board {day}\ndate: 2023-{:02}-{:02}\ntags: [young people]\n---\nBulk.\n",
                    1 + day % 12,
                    1 + day % 28
                );
                s.write(&rel, &text);
                &*Box::leak(rel.into_boxed_str())
            })
            .collect()
        },
    );
    step("a meeting on a later page is renamed", &|s| {
        s.edit(
            "content/meetings/bulk-07.md",
            "Bulk board 7",
            "Bulk board seven",
        );
        vec!["content/meetings/bulk-07.md"]
    });
    step("a meeting leaves, so the lists shift by one", &|s| {
        std::fs::remove_file(s.path("content/meetings/bulk-30.md")).unwrap();
        vec!["content/meetings/bulk-30.md"]
    });
    step(
        "a page of its own replaces the generated accessibility statement",
        &|s| {
            s.write(
                "content/pages/accessibility.md",
                "---\ntitle: Accessibility\n---\nWe aim for WCAG 2.2 AA.\n",
            );
            vec!["content/pages/accessibility.md"]
        },
    );
    step("and goes again", &|s| {
        std::fs::remove_file(s.path("content/pages/accessibility.md")).unwrap();
        vec!["content/pages/accessibility.md"]
    });
    step("link to a file that does not exist yet", &|s| {
        s.edit(
            ABOUT,
            "health partners.",
            "health partners. See [later](../meetings/later.md).",
        );
        vec![ABOUT]
    });
    step("the linked file appears", &|s| {
        s.write(
            "content/meetings/later.md",
            "---\ntitle: Later\ndate: 2025-01-01\n---\nLater.\n",
        );
        vec!["content/meetings/later.md"]
    });
    step("rename a meeting", &|s| {
        std::fs::rename(
            s.path("content/meetings/extra.md"),
            s.path("content/meetings/extra-2.md"),
        )
        .unwrap();
        vec!["content/meetings/extra.md", "content/meetings/extra-2.md"]
    });
    step("delete the linked file", &|s| {
        std::fs::remove_file(s.path("content/meetings/later.md")).unwrap();
        vec!["content/meetings/later.md"]
    });
    step("remove the link", &|s| {
        s.edit(ABOUT, " See [later](../meetings/later.md).", "");
        vec![ABOUT]
    });
    step("free page title is in every footer", &|s| {
        s.edit(ABOUT, "title: About the partnership", "title: About us");
        vec![ABOUT]
    });
    step("draft page published", &|s| {
        s.edit("content/pages/plans.md", "draft: true", "draft: false");
        vec!["content/pages/plans.md"]
    });
    step("page made a draft again", &|s| {
        s.edit("content/pages/plans.md", "draft: false", "draft: true");
        vec!["content/pages/plans.md"]
    });
    step("a draft meeting keeps its minutes unpublished", &|s| {
        s.write(
            "content/meetings/draft-board.md",
            "---\ntitle: Draft board\ndate: 2024-09-01\ndraft: true\ndocuments:\n  - title: Draft minutes\n    file: draft-minutes.pdf\n---\nDraft.\n",
        );
        s.write("content/meetings/draft-minutes.pdf", "%PDF draft");
        vec![
            "content/meetings/draft-board.md",
            "content/meetings/draft-minutes.pdf",
        ]
    });
    step("the draft meeting is published with its minutes", &|s| {
        s.edit(
            "content/meetings/draft-board.md",
            "draft: true",
            "draft: false",
        );
        vec!["content/meetings/draft-board.md"]
    });
    step("a static file takes a page's address", &|s| {
        s.write("static/about/index.html", "<p>clash</p>");
        vec!["static/about/index.html"]
    });
    step("the clash is removed", &|s| {
        std::fs::remove_dir_all(s.path("static/about")).unwrap();
        vec!["static/about"]
    });
    step("last update removed drops the Updates link", &|s| {
        std::fs::remove_file(s.path("content/updates/spring-2024.md")).unwrap();
        vec!["content/updates/spring-2024.md"]
    });
    step("missing document", &|s| {
        s.edit(
            APR,
            "---\nStreet",
            "documents:\n  - title: Survey\n    file: survey.pdf\n---\nStreet",
        );
        vec![APR]
    });
    step("document appears", &|s| {
        s.write("content/meetings/survey.pdf", "%PDF survey");
        vec!["content/meetings/survey.pdf"]
    });
    step("document grows", &|s| {
        s.write(
            "content/meetings/survey.pdf",
            "%PDF survey, longer\n".repeat(100),
        );
        vec!["content/meetings/survey.pdf"]
    });
    step("anchor to a heading that goes away", &|s| {
        s.edit(LINES, "## How we measure progress", "## How we count");
        vec![LINES]
    });
    step("heading restored", &|s| {
        s.edit(LINES, "## How we count", "## How we measure progress");
        vec![LINES]
    });
    step("broken front matter", &|s| {
        s.edit(STREETS, "status: at-risk", "status: nonsense");
        vec![STREETS]
    });
    step("an unrelated edit while broken", &|s| {
        s.edit(JAN, "with a review.", "with a review in May.");
        vec![JAN]
    });
    step("fixed", &|s| {
        s.edit(STREETS, "status: nonsense", "status: complete");
        vec![STREETS]
    });
    const EXTRA: &str = "content/meetings/extra-2.md";
    step("a held meeting agrees a decision and an action", &|s| {
        s.edit(
            EXTRA,
            "tags: [new tag]",
            "tags: [new tag]\nattendance: {present: [Chair]}\nagenda:\n  - title: Lighting\n    priority: safer-streets\n    decisions: [Agreed the lighting plan.]\n    actions:\n      - {id: G-1, action: Fit lights, owner: Council, due: 2024-03-01}",
        );
        vec![EXTRA]
    });
    step("a later meeting reports progress on it", &|s| {
        s.edit(
            APR,
            "tags: [lighting, young people]",
            "tags: [lighting, young people]\naction_updates:\n  - {id: G-1, status: in-progress, note: Half fitted.}",
        );
        vec![APR]
    });
    step("the action moves to another priority", &|s| {
        s.edit(
            EXTRA,
            "due: 2024-03-01}",
            "due: 2024-03-01, priority: county-lines}",
        );
        vec![EXTRA]
    });
    step(
        "the action is withdrawn, so its progress names nothing",
        &|s| {
            s.edit(
            EXTRA,
            "\n    actions:\n      - {id: G-1, action: Fit lights, owner: Council, due: 2024-03-01, priority: county-lines}",
            "",
        );
            vec![EXTRA]
        },
    );
    step("the progress report goes too", &|s| {
        s.edit(
            APR,
            "\naction_updates:\n  - {id: G-1, status: in-progress, note: Half fitted.}",
            "",
        );
        vec![APR]
    });
    step("a priority charts figures from a CSV file", &|s| {
        s.write(
            "content/priorities/lighting.csv",
            "period,value,note\n2023-Q3,40,\n2023-Q4,44,\n2024-Q1,51,\n",
        );
        s.edit(
            STREETS,
            "tags: [night-time economy]",
            "tags: [night-time economy]\nindicators:\n  - {id: lit-streets, title: Streets with new lighting, unit: \"%\", better: higher, source: Riverside Council, file: lighting.csv}",
        );
        vec!["content/priorities/lighting.csv", STREETS]
    });
    step(
        "a figure in the CSV file changes, the file's size does not",
        &|s| {
            s.write(
                "content/priorities/lighting.csv",
                "period,value,note\n2023-Q3,40,\n2023-Q4,44,\n2024-Q1,57,\n",
            );
            vec!["content/priorities/lighting.csv"]
        },
    );
    step("a figure in the CSV file goes wrong", &|s| {
        s.write(
            "content/priorities/lighting.csv",
            "period,value,note\n2023-Q3,40,\n2023-Q4,4x,\n2024-Q1,57,\n",
        );
        vec!["content/priorities/lighting.csv"]
    });
    step("and is put right", &|s| {
        s.write(
            "content/priorities/lighting.csv",
            "period,value,note\n2023-Q3,40,\n2023-Q4,45,\n2024-Q1,57,\n",
        );
        vec!["content/priorities/lighting.csv"]
    });
    step("template override", &|s| {
        s.write(
            "themes/default/templates/404.html",
            "{% extends \"base.html\" %}{% block content %}<h1>Lost?</h1>{% endblock content %}",
        );
        vec!["themes/default/templates/404.html"]
    });
    step("theme stylesheet override", &|s| {
        s.write("themes/default/static/style.css", "body { margin: 0; }");
        vec!["themes/default/static/style.css"]
    });
    step("site settings", &|s| {
        s.edit(
            "site.yaml",
            "organisation: Riverside Council",
            "organisation: Riverside Borough",
        );
        vec!["site.yaml"]
    });
    step("a new folder of pages", &|s| {
        std::fs::remove_dir_all(s.path("content/pages")).unwrap();
        s.write(
            "content/pages/contact.md",
            "---\ntitle: Contact\n---\nWrite to us.\n",
        );
        vec!["content/pages", "content/pages/contact.md"]
    });
    step("a folder moved away, seen as one change", &|s| {
        std::fs::rename(
            s.path("content/pages"),
            s.temp_dir().join("pages-elsewhere"),
        )
        .unwrap();
        vec!["content/pages"]
    });
}
