//! Small value types that front matter is validated into once, then trusted: dates, times,
//! statuses, slugs, tags and time zones. Used by every stage; depends on none.

mod action_id;
pub mod colour;
mod date;
mod period;
pub mod zone;

use std::fmt;

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

pub use action_id::ActionId;
pub use date::{Date, Time, suggest_date, suggest_time};
pub use period::Period;

/// Defines a closed set of kebab-case words that editors type in front matter.
macro_rules! keyword_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $word:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const WORDS: &'static [&'static str] = &[$($word),+];

            pub fn parse(text: &str) -> Option<$name> {
                match text.trim() { $($word => Some($name::$variant),)+ _ => None }
            }

            /// The word editors write, also used as a CSS class.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            /// What residents read.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}

keyword_enum!(
    /// How a priority is progressing.
    Status {
        NotStarted => "not-started", "Not started";
        OnTrack => "on-track", "On track";
        AtRisk => "at-risk", "At risk";
        OffTrack => "off-track", "Off track";
        Complete => "complete", "Complete";
    }
);

keyword_enum!(
    /// Whether a meeting is still to come, has happened, or will not happen.
    MeetingStatus {
        Scheduled => "scheduled", "Scheduled";
        Held => "held", "Held";
        Cancelled => "cancelled", "Cancelled";
    }
);

keyword_enum!(
    /// Where an action promised at a meeting stands.
    ActionStatus {
        Open => "open", "Open";
        InProgress => "in-progress", "In progress";
        Done => "done", "Done";
        Dropped => "dropped", "Dropped";
    }
);

impl ActionStatus {
    /// Done and dropped actions need nothing more from anyone: never overdue, never carried
    /// forward as matters arising.
    pub fn is_closed(self) -> bool {
        matches!(self, ActionStatus::Done | ActionStatus::Dropped)
    }
}

keyword_enum!(
    /// Which way an indicator should move.
    Better {
        Lower => "lower", "Lower is better";
        Higher => "higher", "Higher is better";
    }
);

keyword_enum!(
    /// Whether a meeting's minutes have been agreed as a correct record.
    MinutesStatus {
        Draft => "draft", "Draft";
        Approved => "approved", "Approved";
    }
);

keyword_enum!(
    /// How far a site meets WCAG 2.2 AA, as its accessibility statement declares.
    Compliance {
        Full => "full", "fully compliant";
        Partial => "partial", "partially compliant";
        NotCompliant => "none", "not compliant";
    }
);

/// Lowercase kebab-case used in URLs: "Serious Violence" and "serious_violence" both become
/// "serious-violence". Letters outside ASCII are kept (lowercased) so Welsh or accented names
/// still read well; everything else separates words.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    // Composed first, so "café" gives the same slug however its accent is stored.
    for c in text.nfc() {
        if c.is_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.extend(c.to_lowercase());
        } else if c == '\'' || c == '\u{2019}' {
            // "Children's services" -> "childrens-services", not "children-s-services".
        } else {
            pending_dash = true;
        }
    }
    slug
}

/// A tag as an editor wrote it, with its URL form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Tag {
    pub slug: String,
    pub name: String,
}

impl Tag {
    pub fn parse(text: &str) -> Result<Tag, TagError> {
        let name = text.trim().to_string();
        let slug = slugify(&name);
        if slug.is_empty() {
            return Err(TagError {
                text: text.to_string(),
            });
        }
        Ok(Tag { slug, name })
    }
}

/// A tag with nothing to make a web address from; the message is written for editors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagError {
    text: String,
}

impl fmt::Display for TagError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = &self.text;
        write!(
            f,
            "tag \"{text}\" has no letters or digits, so it cannot have a web address"
        )
    }
}

impl std::error::Error for TagError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugifies_tags() {
        assert_eq!(
            Tag::parse("Serious Violence").unwrap().slug,
            "serious-violence"
        );
        assert_eq!(Tag::parse(" county_lines ").unwrap().slug, "county-lines");
        assert_eq!(slugify("Children's Services"), "childrens-services");
        assert_eq!(
            Tag::parse("!!!").unwrap_err().to_string(),
            "tag \"!!!\" has no letters or digits, so it cannot have a web address"
        );
    }

    #[test]
    fn parses_status_words() {
        assert_eq!(Status::parse("at-risk"), Some(Status::AtRisk));
        assert_eq!(Status::parse("At Risk"), None);
        assert_eq!(MeetingStatus::Cancelled.label(), "Cancelled");
    }
}
