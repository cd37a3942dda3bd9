//! Plain-English checks on running text, following public-sector writing guidance.

/// Sentences longer than this are hard to follow (GOV.UK guidance suggests 25 words on average;
/// 35 is the point where readers of all abilities start to lose the thread).
pub const MAX_SENTENCE_WORDS: usize = 35;

/// Link texts that say nothing about where the link goes, so screen-reader users navigating by
/// links cannot tell them apart.
const VAGUE_LINK_TEXTS: &[&str] = &[
    "click here",
    "click",
    "here",
    "read more",
    "more",
    "link",
    "this link",
    "this page",
    "learn more",
    "find out more",
    "more info",
    "more information",
    "go",
    "see here",
];

pub fn is_vague_link_text(text: &str) -> bool {
    let text = text.trim().trim_end_matches(['.', ':', '!']).to_lowercase();
    VAGUE_LINK_TEXTS.contains(&text.as_str())
}

/// The sentences in `text` with more than `MAX_SENTENCE_WORDS` words: (word count, the
/// sentence's first words).
pub fn long_sentences(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut words: Vec<&str> = Vec::new();
    for word in text.split_whitespace() {
        words.push(word);
        if ends_sentence(word) {
            flush(&mut words, &mut found);
        }
    }
    flush(&mut words, &mut found);
    found
}

fn flush(words: &mut Vec<&str>, found: &mut Vec<(usize, String)>) {
    let counted = words
        .iter()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count();
    if counted > MAX_SENTENCE_WORDS {
        found.push((counted, format!("{} …", words[..8].join(" "))));
    }
    words.clear();
}

/// A full stop ends a sentence unless it ends a common abbreviation or an initial.
fn ends_sentence(word: &str) -> bool {
    let trimmed = word.trim_end_matches(['"', '\'', ')', '\u{201D}', '\u{2019}']);
    if trimmed.ends_with(['!', '?', ';']) {
        return true;
    }
    let Some(stem) = trimmed.strip_suffix('.') else {
        return false;
    };
    let abbreviation = matches!(
        stem.to_lowercase().as_str(),
        "e.g" | "i.e" | "etc" | "cllr" | "dr" | "mr" | "mrs" | "ms" | "no" | "st" | "vs" | "approx"
    );
    let initial = stem.chars().count() == 1 && stem.chars().all(char::is_uppercase);
    !abbreviation && !initial
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_only_long_sentences() {
        let short = "The group met in March. It agreed a plan.";
        assert!(long_sentences(short).is_empty());
        let long = format!("{} end. Short one.", vec!["word"; 40].join(" "));
        let found = long_sentences(&long);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 41);
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let text = format!("Cllr. Perry, e.g. {} done.", vec!["w"; 34].join(" "));
        assert_eq!(long_sentences(&text)[0].0, 38);
    }

    #[test]
    fn recognises_vague_link_text() {
        assert!(is_vague_link_text("Click here"));
        assert!(is_vague_link_text("read more."));
        assert!(!is_vague_link_text("Serious violence plan"));
    }
}
