//! The period an indicator's value covers, as editors write it: a year (`2020`), a quarter
//! (`2020-Q3`), a month (`2020-07`) or a day (`2020-07-14`). Periods of one granularity order
//! by time; each ends on a date, which dates the value on timelines.

use std::fmt;

use super::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Granularity {
    Year,
    Quarter,
    Month,
    Day,
}

impl Granularity {
    /// How editors write a period of this kind, for messages.
    pub fn shape(self) -> &'static str {
        match self {
            Granularity::Year => "a year (YYYY, e.g. 2020)",
            Granularity::Quarter => "a quarter (YYYY-Qn, e.g. 2020-Q3)",
            Granularity::Month => "a month (YYYY-MM, e.g. 2020-07)",
            Granularity::Day => "a day (YYYY-MM-DD, e.g. 2020-07-14)",
        }
    }

    /// The same period a year before is this many periods back.
    pub fn per_year(self) -> Option<usize> {
        match self {
            Granularity::Year => Some(1),
            Granularity::Quarter => Some(4),
            Granularity::Month => Some(12),
            Granularity::Day => None,
        }
    }
}

/// A period, checked to exist. Ordered by granularity, then time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    granularity: Granularity,
    year: u16,
    /// The quarter (1–4) or month (1–12); 0 for a year; the month for a day.
    part: u8,
    /// The day of the month for a day; 0 otherwise.
    day: u8,
}

impl Period {
    /// The error is written for editors.
    pub fn parse(text: &str) -> Result<Period, String> {
        let text = text.trim();
        let bad = || {
            format!(
                "\"{}\" is not a period: write a year (2020), a quarter (2020-Q3), a month (2020-07) or a day (2020-07-14)",
                text.escape_debug()
            )
        };
        let year = |y: &str| -> Result<u16, String> {
            if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) {
                y.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let parts: Vec<&str> = text.split('-').collect();
        match parts.as_slice() {
            [y] => Ok(Period {
                granularity: Granularity::Year,
                year: year(y)?,
                part: 0,
                day: 0,
            }),
            [y, q] if q.len() == 2 && (q.starts_with('Q') || q.starts_with('q')) => {
                let quarter: u8 = q[1..].parse().map_err(|_| bad())?;
                if !(1..=4).contains(&quarter) {
                    return Err(format!(
                        "\"{text}\" is not a quarter: quarters are Q1 to Q4"
                    ));
                }
                Ok(Period {
                    granularity: Granularity::Quarter,
                    year: year(y)?,
                    part: quarter,
                    day: 0,
                })
            }
            [y, m] if m.len() == 2 && m.bytes().all(|b| b.is_ascii_digit()) => {
                let month: u8 = m.parse().map_err(|_| bad())?;
                if !(1..=12).contains(&month) {
                    return Err(format!("\"{text}\" is not a month: months are 01 to 12"));
                }
                Ok(Period {
                    granularity: Granularity::Month,
                    year: year(y)?,
                    part: month,
                    day: 0,
                })
            }
            [_, _, _] => {
                let date = Date::parse(text).map_err(|e| format!("\"{text}\": {e}"))?;
                Ok(Period {
                    granularity: Granularity::Day,
                    year: date.year(),
                    part: date.month(),
                    day: date.day(),
                })
            }
            _ => Err(bad()),
        }
    }

    pub fn granularity(self) -> Granularity {
        self.granularity
    }

    /// The same period a year earlier; `None` for days (a day a year earlier may not exist)
    /// and before the year 0000.
    pub fn year_before(self) -> Option<Period> {
        if self.granularity == Granularity::Day {
            return None;
        }
        Some(Period {
            year: self.year.checked_sub(1)?,
            ..self
        })
    }

    /// The last day of the period: what dates a value on a timeline.
    pub fn end(self) -> Date {
        let first_of = |year: u16, month: u8| {
            let (year, month) = if month > 12 {
                (year + 1, 1)
            } else {
                (year, month)
            };
            Date::parse(&format!("{year:04}-{month:02}-01")).expect("the first of a month exists")
        };
        let last_of_month = |year: u16, month: u8| {
            if year == 9999 && month == 12 {
                return Date::parse("9999-12-31").expect("a real date");
            }
            first_of(year, month + 1).add_days(-1)
        };
        match self.granularity {
            Granularity::Year => last_of_month(self.year, 12),
            Granularity::Quarter => last_of_month(self.year, self.part * 3),
            Granularity::Month => last_of_month(self.year, self.part),
            Granularity::Day => Date::parse(&format!(
                "{:04}-{:02}-{:02}",
                self.year, self.part, self.day
            ))
            .expect("checked when parsed"),
        }
    }

    /// How residents read it: "2020", "2020 Q3", "July 2020", "14 July 2020".
    pub fn label(self) -> String {
        match self.granularity {
            Granularity::Year => self.year.to_string(),
            Granularity::Quarter => format!("{} Q{}", self.year, self.part),
            Granularity::Month => {
                let long = self.end().long_form();
                // "31 July 2020" → "July 2020"
                long.split_once(' ')
                    .map_or(long.clone(), |(_, rest)| rest.to_string())
            }
            Granularity::Day => self.end().long_form(),
        }
    }

    /// A short label for a chart's axis: "2020", "2020 Q3", "Jul 2020", "14 Jul 2020".
    pub fn short_label(self) -> String {
        match self.granularity {
            Granularity::Year => self.year.to_string(),
            Granularity::Quarter => format!("{} Q{}", self.year, self.part),
            Granularity::Month => format!("{} {}", self.end().short_month_name(), self.year),
            Granularity::Day => {
                let end = self.end();
                format!("{} {} {}", end.day(), end.short_month_name(), self.year)
            }
        }
    }
}

/// As editors write it: `2020`, `2020-Q3`, `2020-07`, `2020-07-14`.
impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.granularity {
            Granularity::Year => write!(f, "{:04}", self.year),
            Granularity::Quarter => write!(f, "{:04}-Q{}", self.year, self.part),
            Granularity::Month => write!(f, "{:04}-{:02}", self.year, self.part),
            Granularity::Day => write!(f, "{:04}-{:02}-{:02}", self.year, self.part, self.day),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_granularity_and_ends_each_on_its_last_day() {
        let end = |text: &str| Period::parse(text).unwrap().end().to_string();
        assert_eq!(end("2020"), "2020-12-31");
        assert_eq!(end("2020-Q1"), "2020-03-31");
        assert_eq!(end("2020-q4"), "2020-12-31");
        assert_eq!(end("2020-02"), "2020-02-29");
        assert_eq!(end("2021-02"), "2021-02-28");
        assert_eq!(end("2020-07-14"), "2020-07-14");
        assert_eq!(Period::parse("2020-q3").unwrap().to_string(), "2020-Q3");
    }

    #[test]
    fn labels_periods_as_residents_read_them() {
        let label = |text: &str| Period::parse(text).unwrap().label();
        assert_eq!(label("2020"), "2020");
        assert_eq!(label("2020-Q3"), "2020 Q3");
        assert_eq!(label("2020-07"), "July 2020");
        assert_eq!(label("2020-07-14"), "14 July 2020");
    }

    #[test]
    fn refuses_what_is_not_a_period() {
        let refused = |text: &str| Period::parse(text).unwrap_err();
        assert_eq!(
            refused("Q3 2020"),
            "\"Q3 2020\" is not a period: write a year (2020), a quarter (2020-Q3), a month (2020-07) or a day (2020-07-14)"
        );
        assert_eq!(
            refused("2020-Q5"),
            "\"2020-Q5\" is not a quarter: quarters are Q1 to Q4"
        );
        assert_eq!(
            refused("2020-13"),
            "\"2020-13\" is not a month: months are 01 to 12"
        );
        assert!(refused("2020-02-30").starts_with("\"2020-02-30\": "));
        assert!(Period::parse("20-01").is_err());
    }
}
