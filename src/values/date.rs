//! Dates and times of day as editors write them (`2020-09-17`, `14:30`), over jiff's civil
//! types so the calendar arithmetic is jiff's, and shown the way GOV.UK writes them.

use std::fmt;
use std::str::FromStr;

use jiff::civil;
use serde::Serialize;

/// A calendar date (`YYYY-MM-DD`), checked to exist (no 30 February), in the years 0000 to
/// 9999 that `YYYY` can write. Only `parse` and the day arithmetic make one, so every `Date`
/// is real:
///
/// ```compile_fail
/// // The fields are private, so an impossible date cannot be written down.
/// let date = waymark::Date { year: 2020, month: 13, day: 40 };
/// ```
///
/// ```compile_fail
/// // Nor can a jiff date outside the years `YYYY` writes be wrapped.
/// let date = waymark::Date(jiff::civil::Date::MIN);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(civil::Date);

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

/// "Jan", "Feb", … with "Sept", as the GOV.UK style guide abbreviates months.
const SHORT_MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec",
];

const EPOCH: civil::Date = civil::date(1970, 1, 1);
const FIRST: civil::Date = civil::date(0, 1, 1);
const LAST: civil::Date = civil::date(9999, 12, 31);

impl Date {
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        let numbers = shape_ok
            .then(|| {
                Some((
                    number(&text[0..4])?,
                    number(&text[5..7])?,
                    number(&text[8..10])?,
                ))
            })
            .flatten();
        let text = text.to_string();
        let Some((year, month, day)) = numbers else {
            return Err(DateError::NotADate { text });
        };
        // Every year 0000-9999 exists, so only the month can make the first of it impossible.
        let Ok(first_of_month) = civil::Date::new(year, month, 1) else {
            return Err(DateError::NoSuchMonth { text, month });
        };
        civil::Date::new(year, month, day)
            .map(Date)
            .map_err(|_| DateError::NoSuchDay {
                text,
                month: MONTH_NAMES[month_index(month)],
                year,
                days_in_month: first_of_month.days_in_month(),
            })
    }

    pub fn year(self) -> u16 {
        // Never negative: FIRST bounds every Date.
        self.0.year().unsigned_abs()
    }

    /// 1 for January to 12 for December.
    pub fn month(self) -> u8 {
        self.0.month().unsigned_abs()
    }

    pub fn day(self) -> u8 {
        self.0.day().unsigned_abs()
    }

    /// Days since 1970-01-01 (negative before), for date arithmetic.
    pub fn days_since_epoch(self) -> i64 {
        self.0.duration_since(EPOCH).as_hours() / 24
    }

    /// The date `days` after 1970-01-01, held to the years 0000 to 9999.
    pub fn from_days_since_epoch(days: i64) -> Date {
        Date(EPOCH).add_days(days)
    }

    /// The date `days` later (earlier when negative), held to the years 0000 to 9999.
    pub fn add_days(self, days: i64) -> Date {
        let moved = jiff::Span::new()
            .try_days(days)
            .and_then(|span| self.0.checked_add(span));
        match moved {
            Ok(date) => Date(date.clamp(FIRST, LAST)),
            Err(_) if days < 0 => Date(FIRST),
            Err(_) => Date(LAST),
        }
    }

    pub fn weekday_name(self) -> &'static str {
        match self.0.weekday() {
            civil::Weekday::Monday => "Monday",
            civil::Weekday::Tuesday => "Tuesday",
            civil::Weekday::Wednesday => "Wednesday",
            civil::Weekday::Thursday => "Thursday",
            civil::Weekday::Friday => "Friday",
            civil::Weekday::Saturday => "Saturday",
            civil::Weekday::Sunday => "Sunday",
        }
    }

    /// "Jan", "Feb", … with "Sept", as the GOV.UK style guide abbreviates months.
    pub fn short_month_name(self) -> &'static str {
        SHORT_MONTH_NAMES[month_index(self.0.month())]
    }

    /// "21 March 2019": the form UK public-sector style guides ask for.
    pub fn long_form(self) -> String {
        format!(
            "{} {} {}",
            self.day(),
            MONTH_NAMES[month_index(self.0.month())],
            self.year()
        )
    }

    /// The date at `time`, for placing it in a time zone.
    pub(super) fn at(self, time: Time) -> civil::DateTime {
        self.0.to_datetime(time.0)
    }
}

/// Parses a run of ASCII digits that `Date::parse` has already checked.
fn number<T: FromStr>(digits: &str) -> Option<T> {
    digits.parse().ok()
}

/// 0 for January: an index into the month-name tables.
fn month_index(month: i8) -> usize {
    usize::from(month.unsigned_abs()).saturating_sub(1)
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.year(),
            self.month(),
            self.day()
        )
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Date({self})")
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A time of day (`HH:MM`, 24-hour clock), to the minute.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(civil::Time);

impl Time {
    pub const MIDNIGHT: Time = Time(civil::Time::midnight());

    pub fn parse(text: &str) -> Result<Time, TimeError> {
        let invalid = || TimeError::NotATime {
            text: text.to_string(),
        };
        let (h, m) = text.split_once(':').ok_or_else(invalid)?;
        let digits = |s: &str| (1..=2).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(h) || m.len() != 2 || !digits(m) {
            return Err(invalid());
        }
        let (hour, minute): (i8, i8) = (
            h.parse().map_err(|_| invalid())?,
            m.parse().map_err(|_| invalid())?,
        );
        civil::Time::new(hour, minute, 0, 0)
            .map(Time)
            .map_err(|_| TimeError::NoSuchTime {
                text: text.to_string(),
            })
    }

    pub fn hour(self) -> u8 {
        self.0.hour().unsigned_abs()
    }

    pub fn minute(self) -> u8 {
        self.0.minute().unsigned_abs()
    }

    /// "2pm", "10:30am": the GOV.UK style for times.
    pub fn twelve_hour(self) -> String {
        let suffix = if self.hour() < 12 { "am" } else { "pm" };
        let hour = match self.hour() % 12 {
            0 => 12,
            h => h,
        };
        match (self.hour(), self.minute()) {
            (12, 0) => "midday".to_string(),
            (0, 0) => "midnight".to_string(),
            (_, 0) => format!("{hour}{suffix}"),
            (_, m) => format!("{hour}:{m:02}{suffix}"),
        }
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour(), self.minute())
    }
}

impl fmt::Debug for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Time({self})")
    }
}

impl Serialize for Time {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Why text is not a date; the message is written for editors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Not in the form `YYYY-MM-DD`.
    NotADate {
        text: String,
    },
    NoSuchMonth {
        text: String,
        month: i8,
    },
    NoSuchDay {
        text: String,
        month: &'static str,
        year: i16,
        days_in_month: i8,
    },
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::NotADate { text } => {
                write!(f, "\"{text}\" is not a date in the form YYYY-MM-DD")
            }
            DateError::NoSuchMonth { text, month } => {
                write!(f, "\"{text}\" has month {month}; months run from 01 to 12")
            }
            DateError::NoSuchDay {
                text,
                month,
                year,
                days_in_month,
            } => write!(
                f,
                "\"{text}\" is not a real date: {month} {year} has {days_in_month} days"
            ),
        }
    }
}

impl std::error::Error for DateError {}

/// Why text is not a time of day; the message is written for editors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeError {
    /// Not in the form `HH:MM`.
    NotATime {
        text: String,
    },
    NoSuchTime {
        text: String,
    },
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeError::NotATime { text } => write!(
                f,
                "\"{text}\" is not a time in the form HH:MM (24-hour clock, e.g. 14:30)"
            ),
            TimeError::NoSuchTime { text } => write!(
                f,
                "\"{text}\" is not a real time: hours run 00-23 and minutes 00-59"
            ),
        }
    }
}

impl std::error::Error for TimeError {}

/// The date an editor most likely meant by a date not written YYYY-MM-DD, read the British
/// way: `12/03/2026`, `12-3-2026`, `12.03.2026` (day first), `2026/03/12`, `12 March 2026`,
/// `12th March 2026`, `March 12, 2026`. `None` when the text is no such date.
pub fn suggest_date(text: &str) -> Option<Date> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, '/' | '-' | '.' | ','))
        .filter(|w| !w.is_empty())
        .collect();
    let [a, b, c] = words.as_slice() else {
        return None;
    };
    let number = |w: &str| -> Option<i16> {
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let suffix = &w[digits.len()..];
        let ordinal = ["", "st", "nd", "rd", "th"].contains(&suffix.to_ascii_lowercase().as_str());
        (ordinal && !digits.is_empty() && digits.len() <= 4).then(|| digits.parse().ok())?
    };
    let (year, month, day) = match (number(a), month_named(b), month_named(a)) {
        (Some(day), Some(month), _) => (number(c)?, month, day),
        (None, _, Some(month)) => (number(c)?, month, number(b)?),
        _ if a.len() == 4 => (number(a)?, number(b)?, number(c)?),
        _ => (number(c)?, number(b)?, number(a)?),
    };
    let year = if (0..100).contains(&year) && c.len() == 2 {
        2000 + year
    } else {
        year
    };
    civil::Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?)
        .ok()
        .map(Date)
}

/// 1 to 12 for a month's name or its first three letters, in any case.
fn month_named(word: &str) -> Option<i16> {
    let word = word.to_ascii_lowercase();
    let found = MONTH_NAMES.iter().position(|name| {
        let name = name.to_ascii_lowercase();
        word == name || (word.len() >= 3 && name.starts_with(&word))
    })?;
    i16::try_from(found + 1).ok()
}

/// The time an editor most likely meant by a time not written `HH:MM`: `2pm`, `2.30pm`,
/// `2:30 p.m.`, `14.00`, `1400`, `noon`. `None` when the text is no such time.
pub fn suggest_time(text: &str) -> Option<Time> {
    let lower = text.trim().to_ascii_lowercase().replace(['.', ' '], "");
    if lower == "noon" || lower == "midday" {
        return Time::parse("12:00").ok();
    }
    let (clock, afternoon) = match lower
        .strip_suffix("pm")
        .or_else(|| lower.strip_suffix("am"))
    {
        Some(clock) => (clock.to_string(), Some(lower.ends_with("pm"))),
        None => (lower.clone(), None),
    };
    let digits: String = clock.chars().filter(char::is_ascii_digit).collect();
    if digits.len() != clock.replace(':', "").len() || digits.is_empty() || digits.len() > 4 {
        return None;
    }
    let (hour, minute): (u8, u8) = if digits.len() <= 2 {
        (digits.parse().ok()?, 0)
    } else {
        let split = digits.len() - 2;
        (digits[..split].parse().ok()?, digits[split..].parse().ok()?)
    };
    let hour = match afternoon {
        Some(true) if hour < 12 => hour + 12,
        Some(false) if hour == 12 => 0,
        Some(_) if hour > 12 => return None,
        _ => hour,
    };
    Time::parse(&format!("{hour:02}:{minute:02}")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_date_an_editor_meant() {
        let suggested = |text: &str| suggest_date(text).map(|d| d.to_string());
        for (text, meant) in [
            ("12/03/2026", "2026-03-12"),
            ("12/3/26", "2026-03-12"),
            ("12-03-2026", "2026-03-12"),
            ("12.03.2026", "2026-03-12"),
            ("2026/03/12", "2026-03-12"),
            ("12 March 2026", "2026-03-12"),
            ("12th March 2026", "2026-03-12"),
            ("1st Sept 2026", "2026-09-01"),
            ("March 12, 2026", "2026-03-12"),
        ] {
            assert_eq!(suggested(text).as_deref(), Some(meant), "{text}");
        }
        for text in ["31/02/2026", "next Tuesday", "12/03", "2026-13-01", "x y z"] {
            assert_eq!(suggested(text), None, "{text}");
        }
    }

    #[test]
    fn suggests_the_time_an_editor_meant() {
        let suggested = |text: &str| suggest_time(text).map(|t| t.to_string());
        for (text, meant) in [
            ("2pm", "14:00"),
            ("2.30pm", "14:30"),
            ("2:30 p.m.", "14:30"),
            ("10am", "10:00"),
            ("12pm", "12:00"),
            ("12am", "00:00"),
            ("14.00", "14:00"),
            ("1400", "14:00"),
            ("noon", "12:00"),
        ] {
            assert_eq!(suggested(text).as_deref(), Some(meant), "{text}");
        }
        for text in ["13pm", "25:00", "teatime", "2:3pm:4"] {
            assert_eq!(suggested(text), None, "{text}");
        }
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(
            Date::parse("2019-02-30")
                .unwrap_err()
                .to_string()
                .contains("February 2019 has 28 days")
        );
        assert!(Date::parse("2019-13-01").is_err());
        assert!(Date::parse("2019-1-01").is_err());
        assert_eq!(Date::parse("2020-02-29").unwrap().to_string(), "2020-02-29");
    }

    #[test]
    fn explains_each_way_a_date_can_be_wrong() {
        assert_eq!(
            Date::parse("2020-13-40").unwrap_err().to_string(),
            "\"2020-13-40\" has month 13; months run from 01 to 12"
        );
        assert_eq!(
            Date::parse("2020-00-10").unwrap_err().to_string(),
            "\"2020-00-10\" has month 0; months run from 01 to 12"
        );
        assert_eq!(
            Date::parse("2019-04-31").unwrap_err().to_string(),
            "\"2019-04-31\" is not a real date: April 2019 has 30 days"
        );
        assert_eq!(
            Date::parse("2019-04-00").unwrap_err().to_string(),
            "\"2019-04-00\" is not a real date: April 2019 has 30 days"
        );
        assert_eq!(
            Date::parse("1900-02-29").unwrap_err().to_string(),
            "\"1900-02-29\" is not a real date: February 1900 has 28 days"
        );
        assert_eq!(
            Date::parse("2020-9-170").unwrap_err().to_string(),
            "\"2020-9-170\" is not a date in the form YYYY-MM-DD"
        );
        assert!(Date::parse("+020-09-17").is_err());
        assert!(Date::parse("2000-02-29").is_ok());
    }

    #[test]
    fn every_date_is_real_whichever_way_it_is_made() {
        // The fields are private, so a date can only come from these, and each keeps to
        // real dates in 0000-9999.
        assert_eq!(
            Date::from_days_since_epoch(i64::MAX).to_string(),
            "9999-12-31"
        );
        assert_eq!(
            Date::from_days_since_epoch(i64::MIN).to_string(),
            "0000-01-01"
        );
        let last = Date::parse("9999-12-31").unwrap();
        assert_eq!(last.add_days(1), last);
        let first = Date::parse("0000-01-01").unwrap();
        assert_eq!(first.add_days(-1), first);
        let leap = Date::parse("2020-02-28").unwrap().add_days(1);
        assert_eq!((leap.year(), leap.month(), leap.day()), (2020, 2, 29));
    }

    #[test]
    fn date_arithmetic_round_trips() {
        let date = Date::parse("2019-03-21").unwrap();
        assert_eq!(Date::from_days_since_epoch(date.days_since_epoch()), date);
        assert_eq!(Date::parse("1970-01-01").unwrap().days_since_epoch(), 0);
        assert_eq!(Date::parse("1969-12-31").unwrap().days_since_epoch(), -1);
        assert_eq!(
            Date::from_days_since_epoch(18_522).to_string(),
            "2020-09-17"
        );
        assert_eq!(date.weekday_name(), "Thursday");
        assert_eq!(date.long_form(), "21 March 2019");
    }

    #[test]
    fn writes_dates_the_gov_uk_way() {
        let date = Date::parse("2020-09-24").unwrap();
        assert_eq!(date.long_form(), "24 September 2020");
        assert_eq!(date.short_month_name(), "Sept");
        assert_eq!(date.weekday_name(), "Thursday");
        let date = Date::parse("0999-01-04").unwrap();
        assert_eq!(date.long_form(), "4 January 999");
        assert_eq!(date.to_string(), "0999-01-04");
        assert_eq!(date.short_month_name(), "Jan");
        assert_eq!(
            serde_json::to_string(&date).unwrap(),
            "\"0999-01-04\"",
            "templates see the ISO form"
        );
    }

    #[test]
    fn orders_dates_by_the_calendar() {
        let dates = ["2020-02-01", "2019-12-31", "2020-01-15"].map(|d| Date::parse(d).unwrap());
        let mut sorted = dates;
        sorted.sort();
        assert_eq!(
            sorted.map(|d| d.to_string()),
            ["2019-12-31", "2020-01-15", "2020-02-01"]
        );
    }

    #[test]
    fn rejects_impossible_times() {
        assert!(
            Time::parse("25:61")
                .unwrap_err()
                .to_string()
                .contains("not a real time")
        );
        assert!(Time::parse("24:00").is_err());
        assert!(Time::parse("23:60").is_err());
        assert!(Time::parse("9.30").is_err());
        assert!(Time::parse("930").is_err());
        assert_eq!(Time::parse("09:30").unwrap().twelve_hour(), "9:30am");
        assert_eq!(Time::parse("14:00").unwrap().twelve_hour(), "2pm");
    }

    #[test]
    fn writes_times_the_gov_uk_way() {
        let time = |t: &str| Time::parse(t).unwrap();
        assert_eq!(time("12:00").twelve_hour(), "midday");
        assert_eq!(time("00:00").twelve_hour(), "midnight");
        assert_eq!(time("00:30").twelve_hour(), "12:30am");
        assert_eq!(time("9:05").to_string(), "09:05");
        assert_eq!((time("23:59").hour(), time("23:59").minute()), (23, 59));
    }
}
