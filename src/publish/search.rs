//! The site search index, written at build time for `search.js` to read on static hosting: a
//! manifest, term shards (by term prefix, split further when large) and document chunks, so a
//! query loads only the few files it needs however big the site is.
//!
//! Files, all under `search/`:
//! - `manifest.json`: `{"version","docs","chunk","min","stop":[…],"shards":[…]}`; `shards`
//!   lists every shard key, sorted.
//! - `terms/<hex of key>.json`: `{"term":[gap,weight,gap,weight,…],…}` for every term whose
//!   longest listed prefix is the key; document numbers are stored as gaps from the previous one.
//! - `docs/<n>.json`: documents `n*chunk … n*chunk+chunk-1`, each
//!   `{"t":title,"k":kind,"u":url,"d":date,"s":status,"x":excerpt}`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::html::scan::{Piece, text_pieces};
use crate::output::{Contents, OutputFile};

mod docs;
pub use docs::site_docs;

/// Where the index lives, relative to the site root.
pub const INDEX_DIR: &str = crate::routes::SEARCH_INDEX;
/// Documents per `docs/<n>.json` file.
const CHUNK: usize = 10;
/// A shard larger than this (in bytes of JSON) is split by the next character of its terms.
const SHARD_LIMIT: usize = 24 * 1024;
/// Shard keys never grow longer than this, whatever their size.
const MAX_KEY_CHARS: usize = 6;
/// Shorter tokens are not indexed: they match too much to be useful.
const MIN_TOKEN_CHARS: usize = 2;
/// Longer tokens are not indexed: they are identifiers or junk, not words people search for.
const MAX_TOKEN_CHARS: usize = 40;
/// How much of a document's text is kept for result snippets.
const EXCERPT_CHARS: usize = 360;
/// A word in the title counts this many times a word in the body.
const TITLE_WEIGHT: u32 = 12;
/// A word in the summary, tags or meeting facts counts this many times a word in the body.
const META_WEIGHT: u32 = 4;
/// Body repetitions stop counting here, so one long page cannot drown short ones.
const BODY_CAP: u32 = 20;

/// Words too common to narrow a search; left out of the index and, through the manifest, out
/// of queries.
const STOP_WORDS: &[&str] = &[
    "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "in", "into",
    "is", "it", "its", "of", "on", "or", "that", "the", "their", "this", "to", "was", "we", "were",
    "which", "will", "with",
];

/// Whether `word` is one of [`STOP_WORDS`]; a `match` is much faster than searching the list.
fn is_stop_word(word: &str) -> bool {
    matches!(
        word,
        "an" | "and"
            | "are"
            | "as"
            | "at"
            | "be"
            | "but"
            | "by"
            | "for"
            | "from"
            | "has"
            | "have"
            | "in"
            | "into"
            | "is"
            | "it"
            | "its"
            | "of"
            | "on"
            | "or"
            | "that"
            | "the"
            | "their"
            | "this"
            | "to"
            | "was"
            | "we"
            | "were"
            | "which"
            | "will"
            | "with"
    )
}

/// One page as the index sees it.
pub struct Doc<'a> {
    pub kind: &'static str,
    pub title: Cow<'a, str>,
    pub url: Cow<'a, str>,
    /// Long-form date shown in results, e.g. "16 April 2020".
    pub date: Option<String>,
    /// A status worth showing in results, e.g. "On track" or "Cancelled".
    pub status: Option<&'static str>,
    /// Shown in results before the body text, and weighted like `meta`.
    pub summary: Option<Cow<'a, str>>,
    /// Tags, venue, agenda and the like: weighted above the body.
    pub meta: Vec<&'a str>,
    /// Body HTML as rendered from Markdown.
    pub body_html: &'a str,
}

#[derive(Serialize)]
struct DocRecord<'a> {
    t: &'a str,
    k: &'static str,
    u: &'a str,
    d: Option<&'a str>,
    s: Option<&'static str>,
    x: String,
}

#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    docs: usize,
    chunk: usize,
    min: usize,
    stop: &'a [&'a str],
    shards: Vec<&'a str>,
}

/// What one document contributes: its words with weights, and its record for results.
struct Analysed<'a> {
    /// The document's distinct words, lower-cased, one after another.
    words: String,
    /// `(start, end, weight)` of each distinct word, as a byte range of `words`.
    terms: Vec<(u32, u32, u32)>,
    record: DocRecord<'a>,
}

impl Analysed<'_> {
    fn term(&self, &(start, end, _): &(u32, u32, u32)) -> &str {
        &self.words[start as usize..end as usize]
    }
}

/// The index files for `docs`, with paths under [`INDEX_DIR`].
pub fn index_files(docs: &[Doc<'_>]) -> Vec<OutputFile> {
    let (postings, records) = collect_postings(docs);
    let mut encoded: Vec<(&str, String)> = postings
        .par_iter()
        .map(|(term, list)| (term.as_str(), encode_postings(list)))
        .collect();
    encoded.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let shards = shard(&encoded);

    let mut files = Vec::with_capacity(shards.len() + docs.len() / CHUNK + 2);
    let manifest = Manifest {
        version: 1,
        docs: docs.len(),
        chunk: CHUNK,
        min: MIN_TOKEN_CHARS,
        stop: STOP_WORDS,
        shards: shards.iter().map(|s| s.key.as_str()).collect(),
    };
    files.push(json_file("manifest.json", to_json(&manifest)));
    for shard in &shards {
        let mut json = String::with_capacity(shard.bytes + 2);
        json.push('{');
        for (i, (term, list)) in shard.terms.iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            json.push_str(&to_json(*term));
            json.push(':');
            json.push_str(list);
        }
        json.push('}');
        files.push(json_file(&format!("terms/{}.json", hex(&shard.key)), json));
    }
    for (n, chunk) in records.chunks(CHUNK).enumerate() {
        files.push(json_file(&format!("docs/{n}.json"), to_json(chunk)));
    }
    files
}

/// Documents analysed at once: enough to keep both cores busy, few enough that their words
/// never all sit in memory together on a big site.
const BATCH: usize = 1024;

/// Each word's `(document number, weight)` pairs, by ascending document number. FxHash: words
/// are short and come from the site itself, so the fast hash is safe here.
type Postings = FxHashMap<String, Vec<(u32, u32)>>;

/// Every word's postings and each document's record.
fn collect_postings<'a>(docs: &'a [Doc<'a>]) -> (Postings, Vec<DocRecord<'a>>) {
    let mut postings = Postings::default();
    let mut records = Vec::with_capacity(docs.len());
    for (batch, part) in docs.chunks(BATCH).enumerate() {
        let first = (batch * BATCH) as u32;
        let analysed: Vec<Analysed<'_>> = part.par_iter().map(analyse).collect();
        for (offset, doc) in analysed.iter().enumerate() {
            for entry in &doc.terms {
                let posting = (first + offset as u32, entry.2);
                match postings.get_mut(doc.term(entry)) {
                    Some(list) => list.push(posting),
                    None => {
                        postings.insert(doc.term(entry).to_string(), vec![posting]);
                    }
                }
            }
        }
        // Documents are visited in order, so every list stays sorted by document number.
        records.extend(analysed.into_iter().map(|a| a.record));
    }
    (postings, records)
}

fn json_file(name: &str, json: String) -> OutputFile {
    OutputFile {
        path: format!("{INDEX_DIR}{name}"),
        contents: Contents::Bytes(json.into_bytes()),
    }
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    // Serialising plain strings, numbers and vectors of them cannot fail.
    serde_json::to_string(value).unwrap_or_default()
}

fn analyse<'a>(doc: &'a Doc<'a>) -> Analysed<'a> {
    // Per word: its title and meta weight, and its body count. Words are read in place, the
    // body's between its tags, and copied only when they need lower-casing.
    let mut found: FxHashMap<Cow<'_, str>, (u32, u32)> =
        FxHashMap::with_capacity_and_hasher(512, Default::default());
    for token in tokens(&doc.title) {
        found.entry(token).or_insert((0, 0)).0 += TITLE_WEIGHT;
    }
    for meta in doc
        .summary
        .as_deref()
        .into_iter()
        .chain(doc.meta.iter().copied())
    {
        for token in tokens(meta) {
            found.entry(token).or_insert((0, 0)).0 += META_WEIGHT;
        }
    }
    for run in html_text_runs(doc.body_html) {
        for token in tokens(run) {
            found.entry(token).or_insert((0, 0)).1 += 1;
        }
    }
    // Keep each distinct word once, so the page's whole text need not stay in memory.
    let mut words = String::with_capacity(found.keys().map(|w| w.len()).sum());
    let terms: Vec<(u32, u32, u32)> = found
        .into_iter()
        .map(|(token, (weight, body_count))| {
            let start = words.len() as u32;
            words.push_str(&token);
            (start, words.len() as u32, weight + body_count.min(BODY_CAP))
        })
        .collect();

    // Results show the summary first; a meeting with no notes yet shows its agenda and venue.
    let (body, more) = html_text(doc.body_html, EXCERPT_CHARS * 3);
    let excerpt_source = match (doc.summary.as_deref(), body.is_empty()) {
        (Some(summary), false) => format!("{summary} {body}"),
        (Some(summary), true) => summary.to_string(),
        (None, false) => body,
        (None, true) => doc.meta.join(". "),
    };
    let mut excerpt = excerpt(&excerpt_source);
    if more && !excerpt.ends_with('…') {
        excerpt.push('…');
    }
    Analysed {
        words,
        terms,
        record: DocRecord {
            t: &doc.title,
            k: doc.kind,
            u: &doc.url,
            d: doc.date.as_deref(),
            s: doc.status,
            x: excerpt,
        },
    }
}

/// The indexable words of `text`, lower-cased: runs of letters and digits, at least
/// [`MIN_TOKEN_CHARS`] long, stop words left out. `search.js` splits queries the same way:
/// split first, then lower-case each word.
pub fn tokens(text: &str) -> impl Iterator<Item = Cow<'_, str>> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|token| {
            let chars = if token.is_ascii() {
                token.len()
            } else {
                token.chars().count()
            };
            (MIN_TOKEN_CHARS..=MAX_TOKEN_CHARS).contains(&chars)
        })
        .map(lower_case)
        .filter(|token| !is_stop_word(token))
}

/// `word` in lower case, copied only when it has capitals.
fn lower_case(word: &str) -> Cow<'_, str> {
    if word.is_ascii() {
        if word.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(word.to_ascii_lowercase())
        } else {
            Cow::Borrowed(word)
        }
    } else if word.chars().any(char::is_uppercase) {
        Cow::Owned(word.to_lowercase())
    } else {
        Cow::Borrowed(word)
    }
}

/// The first [`EXCERPT_CHARS`] characters of `text`, cut at a word boundary.
fn excerpt(text: &str) -> String {
    match text.char_indices().nth(EXCERPT_CHARS) {
        None => text.to_string(),
        Some((end, _)) => {
            let cut = text[..end].rfind(' ').unwrap_or(end);
            format!("{}…", text[..cut].trim_end())
        }
    }
}

/// The text of body HTML, up to about `max_bytes`: tags become spaces, entities are decoded,
/// runs of white space become one space. Also says whether text was left out.
pub fn html_text(html: &str, max_bytes: usize) -> (String, bool) {
    let mut text = String::with_capacity(html.len().min(max_bytes + 64));
    // The text since the last tag or reference: added whole unless it is the last.
    let mut pending = "";
    for piece in text_pieces(html) {
        if let Piece::Text(words) = piece {
            text.push_str(pending);
            pending = words;
            continue;
        }
        if text.len() > max_bytes {
            return (collapse_spaces(&text), true);
        }
        text.push_str(pending);
        pending = "";
        match piece {
            // A no-break space separates words like any other space.
            Piece::Reference(Some('\u{a0}')) | Piece::Markup => text.push(' '),
            Piece::Reference(c) => text.push(c.unwrap_or('&')),
            Piece::Text(_) => {}
        }
    }
    let more = text.len() + pending.len() > max_bytes;
    let room = floor_char_boundary(pending, max_bytes.saturating_sub(text.len()));
    text.push_str(&pending[..room]);
    (collapse_spaces(&text), more)
}

/// The largest index not above `at` that starts a character of `text`.
fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The runs of text of `html`: between tags and character references.
fn html_text_runs(html: &str) -> impl Iterator<Item = &str> {
    text_pieces(html).filter_map(|piece| match piece {
        Piece::Text(words) => Some(words),
        _ => None,
    })
}

fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `[gap,weight,gap,weight,…]`, gaps between ascending document numbers.
fn encode_postings(list: &[(u32, u32)]) -> String {
    let mut json = String::with_capacity(list.len() * 6 + 2);
    json.push('[');
    let mut previous = 0;
    for (i, (doc, weight)) in list.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        // Writing into a String cannot fail.
        let _ = write!(json, "{},{}", doc - previous, weight);
        previous = *doc;
    }
    json.push(']');
    json
}

/// A term and its postings as JSON.
type Encoded<'a> = (&'a str, String);

struct Shard<'a> {
    key: String,
    terms: Vec<&'a Encoded<'a>>,
    bytes: usize,
}

/// Groups sorted terms into shards by prefix: two characters to start with, one more each time
/// a shard is over [`SHARD_LIMIT`]. A term as long as its key stays in that key's shard.
fn shard<'a>(terms: &'a [Encoded<'a>]) -> Vec<Shard<'a>> {
    let mut shards = Vec::new();
    let refs: Vec<&Encoded<'a>> = terms.iter().collect();
    split_into(&refs, MIN_TOKEN_CHARS, &mut shards);
    shards.sort_by(|a, b| a.key.cmp(&b.key));
    shards
}

fn split_into<'a>(terms: &[&'a Encoded<'a>], key_chars: usize, out: &mut Vec<Shard<'a>>) {
    let mut groups: BTreeMap<&'a str, Vec<&'a Encoded<'a>>> = BTreeMap::new();
    for &entry in terms {
        groups
            .entry(prefix(entry.0, key_chars))
            .or_default()
            .push(entry);
    }
    for (key, group) in groups {
        let bytes: usize = group.iter().map(|(t, p)| t.len() + p.len() + 4).sum();
        if bytes <= SHARD_LIMIT || key_chars >= MAX_KEY_CHARS {
            out.push(Shard {
                key: key.to_string(),
                terms: group,
                bytes,
            });
            continue;
        }
        let (exact, longer): (Vec<_>, Vec<_>) = group.into_iter().partition(|(t, _)| *t == key);
        if !exact.is_empty() {
            let bytes = exact.iter().map(|(t, p)| t.len() + p.len() + 4).sum();
            out.push(Shard {
                key: key.to_string(),
                terms: exact,
                bytes,
            });
        }
        split_into(&longer, key_chars + 1, out);
    }
}

/// The first `chars` characters of `term` (all of it if shorter).
fn prefix(term: &str, chars: usize) -> &str {
    term.char_indices()
        .nth(chars)
        .map_or(term, |(end, _)| &term[..end])
}

/// A shard key as a file name: the hex of its UTF-8 bytes, safe on every host.
fn hex(key: &str) -> String {
    key.bytes().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc<'a>(title: &'a str, body: &'a str) -> Doc<'a> {
        Doc {
            kind: "page",
            title: Cow::Borrowed(title),
            url: Cow::Borrowed("/x/"),
            date: None,
            status: None,
            summary: None,
            meta: Vec::new(),
            body_html: body,
        }
    }

    fn file(files: &[OutputFile], path: &str) -> serde_json::Value {
        let found = files.iter().find(|f| f.path == path);
        let Some(OutputFile {
            contents: Contents::Bytes(bytes),
            ..
        }) = found
        else {
            panic!("no {path}");
        };
        serde_json::from_slice(bytes).expect("valid JSON")
    }

    #[test]
    fn the_stop_word_list_and_test_agree() {
        assert!(STOP_WORDS.iter().all(|w| is_stop_word(w)));
        let matched = ["an", "and", "the", "with", "which", "into", "its"];
        assert!(matched.iter().all(|w| STOP_WORDS.contains(w)));
        assert!(!is_stop_word("then") && !is_stop_word("a") && !is_stop_word("county"));
        assert_eq!(STOP_WORDS.len(), 31);
    }

    #[test]
    fn html_text_drops_tags_and_decodes_entities() {
        let html = "<h2 id=\"a\">Knife &amp; gun crime</h2>\n<p>Up 5&#37; &lt;here&gt;<!-- raw HTML omitted --> in <a href=\"x?a=1&amp;b=2\" title=\"a>b\">Fareham</a>&nbsp;&#x2014;&bogus today</p>";
        assert_eq!(
            html_text(html, 1000),
            (
                "Knife & gun crime Up 5% <here> in Fareham —&bogus today".to_string(),
                false
            )
        );
        let (start, more) = html_text("<p>one two three four</p>", 8);
        assert!(
            more && "one two three four".starts_with(&start),
            "{start:?}"
        );
    }

    #[test]
    fn words_are_read_between_tags_and_references() {
        let html = "<p class=\"county\">knife&amp;gun <a href=\"/x\" title=\"a>b\">crime</a></p>";
        let words: Vec<Cow<'_, str>> = html_text_runs(html).flat_map(tokens).collect();
        assert_eq!(words, ["knife", "gun", "crime"]);
    }

    #[test]
    fn tokens_are_words_of_two_or_more_letters_without_stop_words() {
        let found: Vec<Cow<'_, str>> =
            tokens("The County's lines, in 2020: a Café—e-scooters IN").collect();
        assert_eq!(found, ["county", "lines", "2020", "café", "scooters"]);
    }

    #[test]
    fn excerpt_cuts_at_a_word() {
        let long = "word ".repeat(200);
        let cut = excerpt(long.trim());
        assert!(cut.ends_with("word…"), "{cut}");
        assert!(cut.chars().count() <= EXCERPT_CHARS + 1);
        assert_eq!(excerpt("short text"), "short text");
    }

    #[test]
    fn postings_are_gaps_and_weights_with_title_above_body() {
        let docs = [
            doc("Serious violence", "<p>violence violence</p>"),
            doc("Other", "<p>nothing</p>"),
            doc("Another", "<p>Violence once.</p>"),
        ];
        let files = index_files(&docs);
        let manifest = file(&files, "search/manifest.json");
        assert_eq!(manifest["docs"], 3);
        assert_eq!(
            manifest["shards"],
            serde_json::json!(["an", "no", "on", "ot", "se", "vi"])
        );
        let shard = file(&files, "search/terms/7669.json");
        // Document 0: title (12) + body twice (2); document 2: body once, gap 2.
        assert_eq!(shard["violence"], serde_json::json!([0, 14, 2, 1]));
        let docs = file(&files, "search/docs/0.json");
        assert_eq!(docs[2]["t"], "Another");
        assert_eq!(docs[2]["x"], "Violence once.");
    }

    #[test]
    fn large_shards_split_by_the_next_character() {
        let words: Vec<String> = (0..12_000)
            .map(|i| format!("co{}", ["a", "b", "c"][i % 3]) + &i.to_string())
            .chain(["co".to_string()])
            .collect();
        let mut sorted: Vec<(&str, String)> = words
            .iter()
            .map(|w| (w.as_str(), "[0,1]".to_string()))
            .collect();
        sorted.sort();
        let shards = shard(&sorted);
        let keys: Vec<&str> = shards.iter().map(|s| s.key.as_str()).collect();
        assert!(keys.contains(&"co"), "the term \"co\" keeps its own shard");
        assert!(keys.iter().all(|k| *k == "co" || k.len() == 4), "{keys:?}");
        let total: usize = shards.iter().map(|s| s.terms.len()).sum();
        assert_eq!(total, sorted.len(), "every term is in exactly one shard");
        assert!(shards.iter().all(|s| s.bytes <= SHARD_LIMIT));
    }
}
