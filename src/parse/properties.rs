//! Property tests beside the cargo-fuzz target (`scripts/fuzz.sh`), run by every `cargo test`:
//! front matter and Markdown built from editor-like fragments, and raw bytes, must never make
//! Waymark panic or hang. A long campaign: `PROPTEST_CASES=100000 cargo test --release --lib
//! properties`; docs/reliability.md records the results.

use proptest::prelude::*;

use crate::load::{self, Section, SourceFile};
use crate::parse::content;
use crate::parse::markdown::{self, Body, LinkTargets};

/// Pieces editors (and their mistakes) are made of.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("---\n".to_string()),
        Just("title: ".to_string()),
        Just("date: 2019-02-30\n".to_string()),
        Just("time: \"25:61\"\n".to_string()),
        Just("status: on-track\n".to_string()),
        Just("number: 3\n".to_string()),
        Just("priorities: [a, b]\n".to_string()),
        Just("agenda:\n  - title: x\n    priority: y\n".to_string()),
        Just("documents:\n  - title: d\n    file: ../../x.pdf\n".to_string()),
        Just("tags: [Young People, '', '!!!']\n".to_string()),
        Just("&a [*a, *a]\n".to_string()),
        Just("\t".to_string()),
        Just("\"unclosed".to_string()),
        Just("[link](@/priorities/x.md#a)".to_string()),
        Just("[rel](../meetings/y.md)".to_string()),
        Just("![](javascript:alert(1))".to_string()),
        Just("<script>".to_string()),
        Just("# ".to_string()),
        Just("#### ".to_string()),
        Just("- ".to_string()),
        Just("> ".to_string()),
        Just("| a | b |\n|---|---|\n".to_string()),
        Just("[^1]\n\n[^1]: note\n".to_string()),
        Just("```\ncode\n".to_string()),
        Just("\u{FEFF}".to_string()),
        Just("\r\n".to_string()),
        Just("\n".to_string()),
        "[a-zA-Z0-9 :#\\[\\]()!*&|>'\"{}%@./_-]{0,20}",
        any::<String>().prop_map(|s| s.chars().take(12).collect()),
    ]
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..40).prop_map(|parts| parts.concat())
}

fn section() -> impl Strategy<Value = Section> {
    prop_oneof![
        Just(Section::Home),
        Just(Section::Priorities),
        Just(Section::Meetings),
        Just(Section::Updates),
        Just(Section::Pages),
    ]
}

fn targets() -> LinkTargets {
    let mut targets = LinkTargets {
        base_path: "/".into(),
        ..Default::default()
    };
    targets
        .pages
        .insert("priorities/x.md".into(), "/priorities/x/".into());
    targets
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn parsing_any_front_matter_never_panics(text in document(), section in section()) {
        let file = SourceFile { rel_path: "meetings/fuzz.md".into(), section, text };
        let _ = content::parse(&file);
    }

    #[test]
    fn rendering_any_markdown_never_panics(text in document(), allow_html in any::<bool>()) {
        let body = Body { markdown: &text, first_line: 1, rel_path: "meetings/fuzz.md", file_text: &text, top_level: 2, allow_raw_html: allow_html };
        let rendered = markdown::render(&body, &targets());
        prop_assert!(!rendered.html.contains("<script"));
    }

    #[test]
    fn decoding_any_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(text) = load::decode(&bytes) {
            let file = SourceFile { rel_path: "pages/fuzz.md".into(), section: Section::Pages, text };
            let _ = content::parse(&file);
        }
    }
}
