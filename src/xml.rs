//! Writing XML text: escaping, and leaving out the control characters XML 1.0 forbids (a
//! stray one pasted into a Markdown file would make a whole feed unreadable).

/// Text or an attribute value, escaped for either place.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if is_forbidden(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Characters XML 1.0 does not allow anywhere, even escaped.
fn is_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            escape("<a href=\"x\">Fish & chips</a>\u{c}\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;Fish &amp; chips&lt;/a&gt;"
        );
    }
}
