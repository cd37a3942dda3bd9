//! Writing XML text: escaping, and leaving out the control characters XML 1.0 forbids (a
//! stray one pasted into a Markdown file would make a whole feed unreadable).

/// Text or a double-quoted attribute value, escaped for either place, in XML or HTML.
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

/// A CDATA section holding `text` as it is: no escaping, so a long HTML body stays the size it
/// is. The one sequence that would end the section early, `]]>`, is split across two sections.
pub fn cdata(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str("<![CDATA[");
    if has_forbidden(text) {
        let clean: String = text.chars().filter(|&c| !is_forbidden(c)).collect();
        out.push_str(&clean.replace("]]>", "]]]]><![CDATA[>"));
    } else if text.contains("]]>") {
        out.push_str(&text.replace("]]>", "]]]]><![CDATA[>"));
    } else {
        out.push_str(text);
    }
    out.push_str("]]>");
    out
}

/// A fast look for forbidden characters: the control characters are single bytes, and
/// U+FFFE and U+FFFF are the only ones encoded starting EF BF BE or EF BF BF.
fn has_forbidden(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes
        .iter()
        .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
        || memchr::memmem::find_iter(bytes, b"\xEF\xBF")
            .any(|i| matches!(bytes.get(i + 2), Some(0xBE | 0xBF)))
}

/// Characters XML 1.0 does not allow anywhere, even escaped.
fn is_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_cdata_sections_closed() {
        assert_eq!(
            cdata("<p>a]]>b\u{1}</p>"),
            "<![CDATA[<p>a]]]]><![CDATA[>b</p>]]>"
        );
    }

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            escape("<a href=\"x\">Fish & chips</a>\u{c}\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;Fish &amp; chips&lt;/a&gt;"
        );
    }
}
