//! Every limit on what an editor's file may hold, in one place. Each is far above what a real
//! page needs and low enough that a hostile or broken file cannot take the machine down: a
//! content file up to `MAX_FILE_BYTES` builds within seconds and well under 1 GiB of memory,
//! or is refused with a message naming the file and the limit. docs/content.md lists them for
//! editors ("Limits").

/// Bigger content files are refused (`file-too-large`): no real page is this long, and it
/// bounds the memory every later stage needs.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// The same, as editors read it in the message.
pub const MAX_FILE_SIZE_SHOWN: &str = "10 MB";

/// How deep block quotes (`> > >`) may be nested (`nesting-too-deep`). Real pages quote a
/// quote at most two or three deep; each level costs the Markdown parser memory on every line
/// it spans. (comrak itself stops nesting lists at 100.)
pub const MAX_NESTING_DEPTH: usize = 32;

/// How many Markdown marks (line breaks, the characters that can start an element:
/// `* _ \` [ ] < > | ! ~ \\ & @`, list markers and web addresses) a file may hold
/// (`too-much-markup`). Each can make an element the parser keeps in memory (a few hundred
/// bytes), so this bounds the parser's memory whatever the text: the densest files under it
/// peak near 500 MB. A 1 MB page of ordinary prose has about 30,000.
pub const MAX_MARKUP_MARKS: usize = 1_000_000;

/// How many problems of one kind (one code) a file reports; past it, one more problem says how
/// many were left out. A screenful is enough to see the pattern.
pub const MAX_PROBLEMS_PER_KIND: usize = 20;

/// Front matter is YAML: these bound the parser's work on it (`yaml-too-complex`), so
/// aliases ("billion laughs") or deep nesting cannot exhaust memory or time. A real page's
/// front matter has a dozen keys and a short agenda.
pub mod front_matter {
    /// Nesting of lists and maps.
    pub const MAX_DEPTH: usize = 32;
    pub const MAX_ALIASES: usize = 100;
    pub const MAX_ANCHORS: usize = 100;
    pub const MAX_EVENTS: usize = 100_000;
    pub const MAX_NODES: usize = 50_000;
    pub const MAX_TOTAL_SCALAR_BYTES: usize = 4 * 1024 * 1024;
    pub const MAX_RECORDED_ANCHOR_EVENTS: usize = 10_000;
}

/// The longest name (one part of a path) file systems and web hosts accept, in bytes; a page
/// whose address has a longer part is refused (`name-too-long`).
pub const MAX_NAME_BYTES: usize = 255;

/// An indicator's CSV file: figures for decades of days fit in far less.
pub const MAX_INDICATOR_CSV_BYTES: u64 = 1024 * 1024;
pub const MAX_INDICATOR_CSV_SHOWN: &str = "1 MB";
/// Figures one indicator may have, inline or in its file: a chart of more cannot be read.
pub const MAX_INDICATOR_FIGURES: usize = 400;
