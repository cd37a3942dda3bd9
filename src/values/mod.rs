//! Small value types that front matter is validated into once, then trusted: dates, times,
//! statuses, slugs and tags.

pub mod zone;

use std::fmt;

use serde::Serialize;

/// A calendar date (`YYYY-MM-DD`), checked to exist (no 30 February).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Date {
    pub fn parse(text: &str) -> Result<Date, String> {
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape_ok {
            return Err(format!("\"{text}\" is not a date in the form YYYY-MM-DD"));
        }
        let number = |range: std::ops::Range<usize>| text[range].parse::<u16>().unwrap_or(0);
        let (year, month, day) = (number(0..4), number(5..7) as u8, number(8..10) as u8);
        if !(1..=12).contains(&month) {
            return Err(format!(
                "\"{text}\" has month {month}; months run from 01 to 12"
            ));
        }
        let last_day = days_in_month(year, month);
        if day == 0 || day > last_day {
            return Err(format!(
                "\"{text}\" is not a real date: {} {year} has {last_day} days",
                MONTH_NAMES[month as usize - 1]
            ));
        }
        Ok(Date { year, month, day })
    }

    /// Days since 1970-01-01 (negative before), for date arithmetic.
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (y, m, d) = (
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }

    pub fn weekday_name(self) -> &'static str {
        const NAMES: [&str; 7] = [
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
            "Monday",
            "Tuesday",
            "Wednesday",
        ];
        NAMES[self.days_since_epoch().rem_euclid(7) as usize]
    }

    /// "Jan", "Feb", … with "Sept", as the GOV.UK style guide abbreviates months.
    pub fn short_month_name(self) -> &'static str {
        const SHORT: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec",
        ];
        SHORT[self.month as usize - 1]
    }

    /// "21 March 2019": the form UK public-sector style guides ask for.
    pub fn long_form(self) -> String {
        format!(
            "{} {} {}",
            self.day,
            MONTH_NAMES[self.month as usize - 1],
            self.year
        )
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A time of day (`HH:MM`, 24-hour clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time {
    pub hour: u8,
    pub minute: u8,
}

impl Time {
    pub fn parse(text: &str) -> Result<Time, String> {
        let invalid =
            || format!("\"{text}\" is not a time in the form HH:MM (24-hour clock, e.g. 14:30)");
        let (h, m) = text.split_once(':').ok_or_else(invalid)?;
        let digits = |s: &str| (1..=2).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(h) || m.len() != 2 || !digits(m) {
            return Err(invalid());
        }
        let (hour, minute): (u8, u8) = (
            h.parse().map_err(|_| invalid())?,
            m.parse().map_err(|_| invalid())?,
        );
        if hour > 23 || minute > 59 {
            return Err(format!(
                "\"{text}\" is not a real time: hours run 00-23 and minutes 00-59"
            ));
        }
        Ok(Time { hour, minute })
    }

    /// "2pm", "10:30am": the GOV.UK style for times.
    pub fn twelve_hour(self) -> String {
        let suffix = if self.hour < 12 { "am" } else { "pm" };
        let hour = match self.hour % 12 {
            0 => 12,
            h => h,
        };
        match (self.hour, self.minute) {
            (12, 0) => "midday".to_string(),
            (0, 0) => "midnight".to_string(),
            (_, 0) => format!("{hour}{suffix}"),
            (_, m) => format!("{hour}:{m:02}{suffix}"),
        }
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

impl Serialize for Time {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

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
    for c in text.chars() {
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
    pub fn parse(text: &str) -> Result<Tag, String> {
        let name = text.trim().to_string();
        let slug = slugify(&name);
        if slug.is_empty() {
            return Err(format!(
                "tag \"{text}\" has no letters or digits, so it cannot have a web address"
            ));
        }
        Ok(Tag { slug, name })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_impossible_dates() {
        assert!(
            Date::parse("2019-02-30")
                .unwrap_err()
                .contains("February 2019 has 28 days")
        );
        assert!(Date::parse("2019-13-01").is_err());
        assert!(Date::parse("2019-1-01").is_err());
        assert_eq!(Date::parse("2020-02-29").unwrap().to_string(), "2020-02-29");
    }

    #[test]
    fn date_arithmetic_round_trips() {
        let date = Date::parse("2019-03-21").unwrap();
        assert_eq!(Date::from_days_since_epoch(date.days_since_epoch()), date);
        assert_eq!(Date::parse("1970-01-01").unwrap().days_since_epoch(), 0);
        assert_eq!(date.weekday_name(), "Thursday");
        assert_eq!(date.long_form(), "21 March 2019");
    }

    #[test]
    fn rejects_impossible_times() {
        assert!(
            Time::parse("25:61")
                .unwrap_err()
                .contains("not a real time")
        );
        assert!(Time::parse("9.30").is_err());
        assert_eq!(Time::parse("09:30").unwrap().twelve_hour(), "9:30am");
        assert_eq!(Time::parse("14:00").unwrap().twelve_hour(), "2pm");
    }

    #[test]
    fn slugifies_tags() {
        assert_eq!(
            Tag::parse("Serious Violence").unwrap().slug,
            "serious-violence"
        );
        assert_eq!(Tag::parse(" county_lines ").unwrap().slug, "county-lines");
        assert_eq!(slugify("Children's Services"), "childrens-services");
        assert!(Tag::parse("!!!").is_err());
    }

    #[test]
    fn parses_status_words() {
        assert_eq!(Status::parse("at-risk"), Some(Status::AtRisk));
        assert_eq!(Status::parse("At Risk"), None);
        assert_eq!(MeetingStatus::Cancelled.label(), "Cancelled");
    }
}
