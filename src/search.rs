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
use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use crate::render::{Contents, OutputFile};
use crate::site::{Published, Site};

/// Where the index lives, relative to the site root.
pub const INDEX_DIR: &str = "search/";
/// Documents per `docs/<n>.json` file.
const CHUNK: usize = 50;
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
    "is", "it", "its", "of", "on", "or", "that", "the", "their", "this", "to", "was", "we",
    "were", "which", "will", "with",
];

/// One page as the index sees it.
pub struct Doc<'a> {
    pub kind: &'static str,
    pub title: &'a str,
    pub url: Cow<'a, str>,
    /// Long-form date shown in results, e.g. "16 April 2020".
    pub date: Option<String>,
    /// A status worth showing in results, e.g. "On track" or "Cancelled".
    pub status: Option<&'static str>,
    /// Shown in results before the body text, and weighted like `meta`.
    pub summary: Option<&'a str>,
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

/// Every page of `site` worth finding, in a stable order: priorities, meetings, updates, pages.
pub fn site_docs(site: &Site) -> Vec<Doc<'_>> {
    let mut docs = Vec::with_capacity(site.page_count() + 1);
    for entry in &site.priorities {
        let p = &entry.page.item;
        let mut meta: Vec<&str> = Vec::new();
        meta.extend(p.short_title.as_deref());
        meta.extend(p.lead.as_deref());
        meta.extend(p.common.tags.iter().map(|t| t.name.as_str()));
        docs.push(Doc {
            kind: "priority",
            title: &p.common.title,
            url: Cow::Borrowed(&entry.page.url),
            date: p.updated.map(|d| d.long_form()),
            status: Some(p.status.label()),
            summary: p.summary.as_deref(),
            meta,
            body_html: &entry.page.html,
        });
    }
    for entry in site.meetings.iter().rev() {
        let m = &entry.page.item;
        let mut meta: Vec<&str> = Vec::new();
        meta.extend(m.venue.as_deref());
        meta.extend(m.chair.as_deref());
        for item in &m.agenda {
            meta.push(&item.title);
            meta.extend(item.presenter.as_deref());
        }
        meta.extend(entry.documents.iter().map(|d| d.title.as_str()));
        meta.extend(m.common.tags.iter().map(|t| t.name.as_str()));
        docs.push(Doc {
            kind: "meeting",
            title: &m.common.title,
            url: Cow::Borrowed(&entry.page.url),
            date: Some(m.date.long_form()),
            status: Some(entry.status.label()),
            summary: None,
            meta,
            body_html: &entry.page.html,
        });
    }
    for update in &site.updates {
        let u = &update.item;
        docs.push(Doc {
            kind: "update",
            title: &u.common.title,
            url: Cow::Borrowed(&update.url),
            date: Some(u.date.long_form()),
            status: None,
            summary: None,
            meta: u.common.tags.iter().map(|t| t.name.as_str()).collect(),
            body_html: &update.html,
        });
    }
    for page in site.home.iter().chain(&site.pages) {
        docs.push(page_doc(page));
    }
    docs
}

fn page_doc(page: &Published<crate::content::Page>) -> Doc<'_> {
    Doc {
        kind: "page",
        title: &page.item.common.title,
        url: Cow::Borrowed(&page.url),
        date: None,
        status: None,
        summary: page.item.summary.as_deref(),
        meta: Vec::new(),
        body_html: &page.html,
    }
}

/// What one document contributes: its terms with weights, and its record for results.
struct Analysed<'a> {
    terms: Vec<(String, u32)>,
    record: DocRecord<'a>,
}

/// The index files for `docs`, with paths under [`INDEX_DIR`].
pub fn index_files(docs: &[Doc<'_>]) -> Vec<OutputFile> {
    let analysed: Vec<Analysed<'_>> = docs.par_iter().map(analyse).collect();
    let mut postings: HashMap<String, Vec<(u32, u32)>> = HashMap::new();
    for (number, doc) in analysed.iter().enumerate() {
        for (term, weight) in &doc.terms {
            // Documents are visited in order, so every list stays sorted by document number.
            match postings.get_mut(term.as_str()) {
                Some(list) => list.push((number as u32, *weight)),
                None => {
                    postings.insert(term.clone(), vec![(number as u32, *weight)]);
                }
            }
        }
    }
    let mut encoded: Vec<(String, String)> = postings
        .into_par_iter()
        .map(|(term, list)| {
            let json = encode_postings(&list);
            (term, json)
        })
        .collect();
    encoded.sort_unstable_by(|a, b| a.0.cmp(&b.0));
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
            json.push_str(&to_json(term));
            json.push(':');
            json.push_str(list);
        }
        json.push('}');
        files.push(json_file(&format!("terms/{}.json", hex(&shard.key)), json));
    }
    for (n, chunk) in analysed.chunks(CHUNK).enumerate() {
        let records: Vec<&DocRecord<'_>> = chunk.iter().map(|a| &a.record).collect();
        files.push(json_file(&format!("docs/{n}.json"), to_json(&records)));
    }
    files
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
    let body = html_text(doc.body_html);
    let mut weights: HashMap<String, u32> = HashMap::new();
    let mut count = |text: &str, weight: u32| {
        let lower = text.to_lowercase();
        for token in tokens(&lower) {
            match weights.get_mut(token) {
                Some(w) => *w += weight,
                None => {
                    weights.insert(token.to_string(), weight);
                }
            }
        }
    };
    count(doc.title, TITLE_WEIGHT);
    for meta in doc.summary.iter().chain(&doc.meta) {
        count(meta, META_WEIGHT);
    }
    // Body words count once each up to the cap; title and meta weights come on top.
    let mut body_counts: HashMap<&str, u32> = HashMap::new();
    let lower_body = body.to_lowercase();
    for token in tokens(&lower_body) {
        *body_counts.entry(token).or_insert(0) += 1;
    }
    for (token, n) in body_counts {
        match weights.get_mut(token) {
            Some(w) => *w += n.min(BODY_CAP),
            None => {
                weights.insert(token.to_string(), n.min(BODY_CAP));
            }
        }
    }
    // Results show the summary first; a meeting with no notes yet shows its agenda and venue.
    let excerpt_source = match (doc.summary, body.is_empty()) {
        (Some(summary), false) => format!("{summary} {body}"),
        (Some(summary), true) => summary.to_string(),
        (None, false) => body,
        (None, true) => doc.meta.join(". "),
    };
    Analysed {
        terms: weights.into_iter().collect(),
        record: DocRecord {
            t: doc.title,
            k: doc.kind,
            u: &doc.url,
            d: doc.date.as_deref(),
            s: doc.status,
            x: excerpt(&excerpt_source),
        },
    }
}

/// The indexable words of already lower-cased `text`: runs of letters and digits, at least
/// [`MIN_TOKEN_CHARS`] long, stop words left out. `search.js` splits queries the same way.
pub fn tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|token| {
        let chars = token.chars().count();
        (MIN_TOKEN_CHARS..=MAX_TOKEN_CHARS).contains(&chars) && !STOP_WORDS.contains(token)
    })
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

/// The text of body HTML: tags become spaces, entities are decoded, runs of white space become
/// one space. The HTML is Waymark's own rendering, so tags are well formed and never contain
/// a bare `>` outside quotes.
pub fn html_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(['<', '&']) {
        text.push_str(&rest[..start]);
        rest = &rest[start..];
        if rest.starts_with('<') {
            let end = tag_end(rest);
            text.push(' ');
            rest = &rest[end..];
        } else {
            let (decoded, used) = entity(rest);
            text.push_str(decoded.as_deref().unwrap_or("&"));
            rest = &rest[used..];
        }
    }
    text.push_str(rest);
    collapse_spaces(&text)
}

/// The length of the tag (or comment) at the start of `html`, quotes respected.
fn tag_end(html: &str) -> usize {
    if html.starts_with("<!--") {
        return html.find("-->").map_or(html.len(), |i| i + 3);
    }
    let mut quote: Option<char> = None;
    for (i, c) in html.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    html.len()
}

/// Decodes the character reference at the start of `text` (which starts with `&`): the text
/// it stands for and how many bytes it used, or `None` and 1 for a lone ampersand.
fn entity(text: &str) -> (Option<String>, usize) {
    let Some(end) = text[1..].find(';').map(|i| i + 1).filter(|&i| i <= 10) else {
        return (None, 1);
    };
    let name = &text[1..end];
    let decoded = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let number = if let Some(hex) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok()
            } else {
                name.strip_prefix('#').and_then(|d| d.parse::<u32>().ok())
            };
            number.and_then(char::from_u32)
        }
    };
    match decoded {
        Some(c) => (Some(c.to_string()), end + 1),
        None => (None, 1),
    }
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
        json.push_str(&(doc - previous).to_string());
        json.push(',');
        json.push_str(&weight.to_string());
        previous = *doc;
    }
    json.push(']');
    json
}

struct Shard<'a> {
    key: String,
    terms: Vec<&'a (String, String)>,
    bytes: usize,
}

/// Groups sorted terms into shards by prefix: two characters to start with, one more each time
/// a shard is over [`SHARD_LIMIT`]. A term as long as its key stays in that key's shard.
fn shard(terms: &[(String, String)]) -> Vec<Shard<'_>> {
    let mut shards = Vec::new();
    let refs: Vec<&(String, String)> = terms.iter().collect();
    split_into(&refs, MIN_TOKEN_CHARS, &mut shards);
    shards.sort_by(|a, b| a.key.cmp(&b.key));
    shards
}

fn split_into<'a>(terms: &[&'a (String, String)], key_chars: usize, out: &mut Vec<Shard<'a>>) {
    let mut groups: BTreeMap<&'a str, Vec<&'a (String, String)>> = BTreeMap::new();
    for &entry in terms {
        groups.entry(prefix(&entry.0, key_chars)).or_default().push(entry);
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
        let (exact, longer): (Vec<_>, Vec<_>) =
            group.into_iter().partition(|(t, _)| t.as_str() == key);
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
            title,
            url: Cow::Borrowed("/x/"),
            date: None,
            status: None,
            summary: None,
            meta: Vec::new(),
            body_html: body,
        }
    }

    fn file<'a>(files: &'a [OutputFile], path: &str) -> serde_json::Value {
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
    fn html_text_drops_tags_and_decodes_entities() {
        let html = "<h2 id=\"a\">Knife &amp; gun crime</h2>\n<p>Up 5&#37; &lt;here&gt;<!-- raw HTML omitted --> in <a href=\"x?a=1&amp;b=2\" title=\"a>b\">Fareham</a>&nbsp;&#x2014;&bogus today</p>";
        assert_eq!(
            html_text(html),
            "Knife & gun crime Up 5% <here> in Fareham —&bogus today"
        );
    }

    #[test]
    fn tokens_are_words_of_two_or_more_letters_without_stop_words() {
        let found: Vec<&str> = tokens("the county's lines, in 2020: a café—e-scooters").collect();
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
        assert_eq!(manifest["shards"], serde_json::json!(["an", "no", "on", "ot", "se", "vi"]));
        let shard = file(&files, "search/terms/7669.json");
        // Document 0: title (12) + body twice (2); document 2: body once, gap 2.
        assert_eq!(shard["violence"], serde_json::json!([0, 14, 2, 1]));
        let docs = file(&files, "search/docs/0.json");
        assert_eq!(docs[2]["t"], "Another");
        assert_eq!(docs[2]["x"], "Violence once.");
    }

    #[test]
    fn large_shards_split_by_the_next_character() {
        let terms: Vec<(String, String)> = (0..12_000)
            .map(|i| (format!("co{}", ["a", "b", "c"][i % 3]) + &i.to_string(), "[0,1]".into()))
            .chain([("co".to_string(), "[0,1]".to_string())])
            .collect();
        let mut sorted = terms.clone();
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
