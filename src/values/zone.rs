//! The site's time zone: meeting times placed on the time line, and the offset changes a
//! calendar's VTIMEZONE lists. jiff sits behind this module, with its own copy of the time zone
//! database so the output never depends on the machine that builds it.

use std::fmt;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::values::{Date, Time};

/// Partnerships Waymark was written for meet in the UK.
pub const DEFAULT_ZONE: &str = "Europe/London";

/// An IANA time zone, e.g. `Europe/London`.
#[derive(Clone)]
pub struct Zone {
    name: String,
    tz: TimeZone,
}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Zone({})", self.name)
    }
}

impl PartialEq for Zone {
    fn eq(&self, other: &Zone) -> bool {
        self.name == other.name
    }
}

/// One stretch of a zone's history, as a VTIMEZONE STANDARD or DAYLIGHT block describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observance {
    /// The wall-clock time the change happens, before it: `19810329T010000`.
    pub local_start: String,
    pub offset_from: i32,
    pub offset_to: i32,
    pub abbreviation: String,
    pub daylight: bool,
}

impl Zone {
    /// Looks a name up in the bundled time zone database; the error lists close names.
    pub fn parse(name: &str) -> Result<Zone, ZoneError> {
        let name = name.trim();
        match jiff::tz::db().get(name) {
            Ok(tz) => Ok(Zone {
                name: tz.iana_name().unwrap_or(name).to_string(),
                tz,
            }),
            Err(_) => Err(ZoneError::Unknown {
                name: name.to_string(),
            }),
        }
    }

    /// Every name the database knows, sorted, for "did you mean" hints.
    pub fn known_names() -> Vec<String> {
        let mut names: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
        names.sort();
        names
    }

    pub fn london() -> Zone {
        Zone {
            name: DEFAULT_ZONE.to_string(),
            tz: jiff::tz::db().get(DEFAULT_ZONE).unwrap_or(TimeZone::UTC),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The offset from UTC, in seconds, of a wall-clock time here. A time the clocks skip or
    /// repeat is read as the clocks before the change would show it, as calendar apps do.
    pub fn offset_at(&self, date: Date, time: Time) -> Result<i32, ZoneError> {
        let instant = self
            .tz
            .to_ambiguous_timestamp(date.at(time))
            .compatible()
            .map_err(|source| ZoneError::Unplaceable {
                date,
                time,
                zone: self.name.clone(),
                source,
            })?;
        Ok(self.tz.to_offset(instant).seconds())
    }

    /// `2020-07-16T10:00:00+01:00`: RFC 3339, as Atom and schema.org want.
    pub fn rfc3339(&self, date: Date, time: Time) -> Result<String, ZoneError> {
        let offset = self.offset_at(date, time)?;
        Ok(format!("{date}T{time}:00{}", format_offset(offset, true)))
    }

    /// The changes of offset that a calendar covering `first` to `last` needs: the one in force
    /// on `first`, then every change up to a year after `last`, so events late in the range
    /// still fall inside a described period.
    pub fn observances(&self, first: Date, last: Date) -> Vec<Observance> {
        let start = midnight_utc(first);
        let end = midnight_utc(last.add_days(366));
        let mut observances = Vec::new();
        let in_force = self.tz.preceding(start).next();
        match in_force {
            Some(transition) => observances.push(self.observance(
                transition.timestamp(),
                transition.offset().seconds(),
                transition.abbreviation(),
                transition.dst().is_dst(),
            )),
            None => {
                // No change before `first`: describe the zone as it is then, from 1970.
                let info = self.tz.to_offset_info(start);
                let offset = info.offset().seconds();
                observances.push(Observance {
                    local_start: "19700101T000000".to_string(),
                    offset_from: offset,
                    offset_to: offset,
                    abbreviation: info.abbreviation().to_string(),
                    daylight: info.dst().is_dst(),
                });
            }
        }
        for transition in self.tz.following(start) {
            if transition.timestamp() > end {
                break;
            }
            observances.push(self.observance(
                transition.timestamp(),
                transition.offset().seconds(),
                transition.abbreviation(),
                transition.dst().is_dst(),
            ));
        }
        observances
    }

    fn observance(
        &self,
        at: Timestamp,
        offset_to: i32,
        abbreviation: &str,
        daylight: bool,
    ) -> Observance {
        let before = at
            .checked_sub(jiff::SignedDuration::from_secs(1))
            .unwrap_or(at);
        let offset_from = self.tz.to_offset(before);
        let local = offset_from.to_datetime(at);
        Observance {
            local_start: format!(
                "{:04}{:02}{:02}T{:02}{:02}{:02}",
                local.year(),
                local.month(),
                local.day(),
                local.hour(),
                local.minute(),
                local.second()
            ),
            offset_from: offset_from.seconds(),
            offset_to,
            abbreviation: abbreviation.to_string(),
            daylight,
        }
    }
}

/// A zone name the database does not know, or a wall-clock time jiff cannot place in a zone.
#[derive(Debug)]
pub enum ZoneError {
    Unknown {
        name: String,
    },
    Unplaceable {
        date: Date,
        time: Time,
        zone: String,
        source: jiff::Error,
    },
}

impl fmt::Display for ZoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ZoneError::Unknown { name } => write!(f, "\"{name}\" is not a time zone Waymark knows"),
            ZoneError::Unplaceable {
                date,
                time,
                zone,
                source,
            } => write!(f, "{date} {time} cannot be placed in {zone}: {source}"),
        }
    }
}

// The message already ends with jiff's reason, so no `source()`: a printed cause chain would
// repeat it.
impl std::error::Error for ZoneError {}

/// `+0100` (iCalendar) or `+01:00` (RFC 3339); seconds are kept only when there are some.
pub fn format_offset(seconds: i32, with_colon: bool) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let total = seconds.unsigned_abs();
    let (hours, minutes, secs) = (total / 3600, total % 3600 / 60, total % 60);
    let colon = if with_colon { ":" } else { "" };
    let mut text = format!("{sign}{hours:02}{colon}{minutes:02}");
    if secs != 0 {
        text.push_str(&format!("{colon}{secs:02}"));
    }
    text
}

fn midnight_utc(date: Date) -> Timestamp {
    TimeZone::UTC
        .to_timestamp(date.at(Time::MIDNIGHT))
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn places_london_times_in_summer_and_winter() {
        let london = Zone::parse("Europe/London").unwrap();
        let ten = Time::parse("10:00").unwrap();
        assert_eq!(
            london.rfc3339(date("2020-07-16"), ten).unwrap(),
            "2020-07-16T10:00:00+01:00"
        );
        assert_eq!(
            london.rfc3339(date("2020-01-16"), ten).unwrap(),
            "2020-01-16T10:00:00+00:00"
        );
    }

    #[test]
    fn lists_the_changes_a_calendar_needs() {
        let london = Zone::parse("Europe/London").unwrap();
        let observances = london.observances(date("2020-07-16"), date("2020-07-16"));
        // In force on the day (from March 2020), then every change for a year after it.
        let starts: Vec<&str> = observances.iter().map(|o| o.local_start.as_str()).collect();
        assert_eq!(
            starts,
            vec!["20200329T010000", "20201025T020000", "20210328T010000"]
        );
        assert_eq!(
            (observances[0].offset_from, observances[0].offset_to),
            (0, 3600)
        );
        assert!(observances[0].daylight);
        assert_eq!(observances[1].abbreviation, "GMT");
    }

    #[test]
    fn describes_a_zone_without_changes() {
        let utc = Zone::parse("UTC").unwrap();
        let observances = utc.observances(date("2020-07-16"), date("2020-07-16"));
        assert_eq!(observances.len(), 1);
        assert_eq!(
            (observances[0].offset_from, observances[0].offset_to),
            (0, 0)
        );
    }

    #[test]
    fn rejects_unknown_zones() {
        assert_eq!(
            Zone::parse(" Europe/Lundon ").unwrap_err().to_string(),
            "\"Europe/Lundon\" is not a time zone Waymark knows"
        );
        assert!(Zone::known_names().iter().any(|n| n == "Europe/London"));
        assert_eq!(format_offset(-16_200, true), "-04:30");
        assert_eq!(format_offset(3600, false), "+0100");
    }
}
