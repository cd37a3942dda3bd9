//! Any bytes, saved as a content file in each section, go through the path `waymark build`
//! takes: read and decode (UTF-8, byte-order mark, CRLF), split and parse the front matter,
//! render the Markdown body with its links resolved. Whatever the bytes, nothing may panic,
//! and each file gives either an item or diagnostics naming that file, so an editor is always
//! told which file to fix. Run by scripts/fuzz.sh; src/parse/properties.rs covers the same ground
//! in every `cargo test`.

#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use waymark::Diagnostic;
use waymark::fuzzing::{Item, LinkTargets, Section, parse, read_source, render_body};

/// Each section with the path, relative to `content/`, its file is given.
const SECTIONS: [(Section, &str); 5] = [
    (Section::Priorities, "priorities/fuzz.md"),
    (Section::Meetings, "meetings/fuzz.md"),
    (Section::Updates, "updates/fuzz.md"),
    (Section::Pages, "pages/fuzz.md"),
    (Section::Home, "_index.md"),
];

fuzz_target!(|bytes: &[u8]| {
    let path = scratch_file();
    std::fs::write(path, bytes).expect("the fuzzer's scratch file can be written");
    let mut rendered_one = false;
    for (section, rel_path) in SECTIONS {
        let display = Path::new("content").join(rel_path);
        let read = read_source(path, rel_path.to_string(), section, bytes.len() as u64);
        let file = match read {
            Ok(file) => file,
            Err(problem) => {
                assert_names(&[problem], &display);
                continue;
            }
        };
        match parse(&file) {
            Ok(item) => {
                assert_eq!(item.common().rel_path, rel_path);
                // The body is the same text whatever the section: rendering it once per
                // setting of `allow_raw_html` covers every way a build renders it.
                if !rendered_one {
                    render_both_ways(&item);
                    rendered_one = true;
                }
            }
            Err(problems) => assert_names(&problems, &display),
        }
    }
});

fn render_both_ways(item: &Item) {
    for allow_raw_html in [false, true] {
        let rendered = render_body(item, targets(), allow_raw_html);
        assert!(
            !rendered.html.to_ascii_lowercase().contains("<script"),
            "a script reached the page: {}",
            rendered.html
        );
    }
}

/// A file is refused only with at least one diagnostic, and each names the file.
fn assert_names(problems: &[Diagnostic], display: &Path) {
    assert!(
        !problems.is_empty(),
        "{} refused without a reason",
        display.display()
    );
    for problem in problems {
        assert_eq!(
            problem.file.as_deref(),
            Some(display),
            "diagnostic {} ({}) does not name the file",
            problem.code,
            problem.message
        );
    }
}

/// One file per fuzzing process (libFuzzer's `-jobs` runs several at once).
fn scratch_file() -> &'static Path {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let folder = std::env::temp_dir().join(format!("waymark-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&folder).expect("the fuzzer's scratch folder can be made");
        folder.join("input.md")
    })
}

/// Some pages and files to link to, so link resolution takes its found and not-found paths.
fn targets() -> &'static LinkTargets {
    static TARGETS: OnceLock<LinkTargets> = OnceLock::new();
    TARGETS.get_or_init(|| {
        let mut targets = LinkTargets {
            base_path: "/".into(),
            ..Default::default()
        };
        for (_, rel_path) in SECTIONS {
            let url = format!("/{}/", rel_path.trim_end_matches(".md"));
            targets.pages.insert(rel_path.into(), url);
        }
        targets.pages.insert(
            "priorities/county-lines.md".into(),
            "/priorities/county-lines/".into(),
        );
        targets.files.insert(
            "meetings/minutes.pdf".into(),
            "/meetings/minutes.pdf".into(),
        );
        targets.drafts.insert("pages/draft.md".into());
        targets.failed.insert("pages/broken.md".into());
        targets
    })
}
