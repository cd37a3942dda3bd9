//! An action's reference (`A-2020-09-03`): how minutes, progress reports and the action
//! register name one promise. Checked once, then compared without regard to capitals, because
//! the register's anchor (`#a-2020-09-03`) is the same for `A-1` and `a-1`.

use std::fmt;

/// Long enough for any numbering scheme seen in minutes; short enough to read aloud.
const MAX_LENGTH: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ActionId {
    /// As the editor wrote it, shown to residents.
    written: String,
    /// Lower case: the identity, and the anchor in the register.
    key: String,
}

impl ActionId {
    /// An id of letters, digits and hyphens, starting with a letter or digit. The error is
    /// written for editors.
    pub fn parse(text: &str) -> Result<ActionId, String> {
        let written = text.trim();
        if written.is_empty() {
            return Err("the action id is empty".into());
        }
        if written.chars().count() > MAX_LENGTH {
            return Err(format!(
                "the action id \"{written}\" is longer than {MAX_LENGTH} characters"
            ));
        }
        if let Some(bad) = written
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            let shown = if bad == ' ' {
                "a space".to_string()
            } else {
                format!("\"{}\"", bad.escape_debug())
            };
            return Err(format!(
                "the action id \"{}\" contains {shown}",
                written.escape_debug()
            ));
        }
        if written.starts_with('-') || written.ends_with('-') {
            return Err(format!(
                "the action id \"{written}\" starts or ends with a hyphen"
            ));
        }
        Ok(ActionId {
            written: written.to_string(),
            key: written.to_ascii_lowercase(),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.written
    }

    /// Lower case: the same for every way of writing the id; used as its anchor.
    pub fn key(&self) -> &str {
        &self.key
    }
}

impl fmt::Display for ActionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_id_as_written_and_compares_without_capitals() {
        let id = ActionId::parse(" A-2020-09-03 ").unwrap();
        assert_eq!(id.as_str(), "A-2020-09-03");
        assert_eq!(id.key(), "a-2020-09-03");
        assert_eq!(id.key(), ActionId::parse("a-2020-09-03").unwrap().key());
    }

    #[test]
    fn refuses_what_cannot_be_an_anchor() {
        let refused = |text: &str| ActionId::parse(text).unwrap_err();
        assert_eq!(refused(""), "the action id is empty");
        assert_eq!(refused("A 1"), "the action id \"A 1\" contains a space");
        assert_eq!(refused("A/1"), "the action id \"A/1\" contains \"/\"");
        assert_eq!(
            refused("-A1"),
            "the action id \"-A1\" starts or ends with a hyphen"
        );
        assert_eq!(
            refused(&"A".repeat(41)),
            format!(
                "the action id \"{}\" is longer than 40 characters",
                "A".repeat(41)
            )
        );
        assert!(ActionId::parse("HCSSG-19-7b").is_ok());
    }
}
