//! China's official working days: Monday–Friday, less the State Council's holidays,
//! plus its make-up workdays (补班/调休). Every legal time limit counts these.
//!
//! A date in a year the calendar has no data for is an error, never a guess: the
//! holidays of a year are only known once the State Council publishes them.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

const BUILTIN: &str = include_str!("../data/calendar.yaml");

/// One year's schedule, as the State Council's notice gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearSchedule {
    /// The notice's number, e.g. 国办发明电〔2024〕12号.
    pub notice: String,
    /// Days off (weekend days inside a holiday span may be listed too).
    pub holidays: BTreeSet<NaiveDate>,
    /// Weekend days that are working days.
    pub workdays: BTreeSet<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("{0} 年的节假日安排尚未录入，无法计算工作日")]
    NoData(i32),
    #[error("日期“{0}”无法识别（应为 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD）")]
    BadDate(String),
    #[error("{date} 不属于 {year} 年")]
    WrongYear { year: i32, date: NaiveDate },
    #[error("调休上班日 {0} 不是周末")]
    WorkdayNotWeekend(NaiveDate),
    #[error("{0} 同时被列为放假日和上班日")]
    Both(NaiveDate),
    #[error("节假日数据格式错误：{0}")]
    Format(String),
    #[error("日期超出可计算范围")]
    OutOfRange,
}

#[derive(Deserialize)]
struct RawYear {
    notice: String,
    #[serde(default)]
    holidays: Vec<String>,
    #[serde(default)]
    workdays: Vec<String>,
}

/// Expands `2025-01-28..2025-02-04` (both included) or a single date.
pub fn expand_dates(entry: &str) -> Result<Vec<NaiveDate>, CalendarError> {
    let parse = |s: &str| {
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map_err(|_| CalendarError::BadDate(entry.to_owned()))
    };
    let (first, last) = match entry.split_once("..") {
        Some((a, b)) => (parse(a)?, parse(b)?),
        None => (parse(entry)?, parse(entry)?),
    };
    if last < first || (last - first).num_days() > 366 {
        return Err(CalendarError::BadDate(entry.to_owned()));
    }
    Ok(first.iter_days().take_while(|d| *d <= last).collect())
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

impl YearSchedule {
    /// Checks the schedule belongs to `year` and is consistent.
    pub fn check(&self, year: i32) -> Result<(), CalendarError> {
        for &date in self.holidays.iter().chain(&self.workdays) {
            if date.year() != year {
                return Err(CalendarError::WrongYear { year, date });
            }
        }
        if let Some(&date) = self.workdays.iter().find(|d| !is_weekend(**d)) {
            return Err(CalendarError::WorkdayNotWeekend(date));
        }
        if let Some(&date) = self.holidays.intersection(&self.workdays).next() {
            return Err(CalendarError::Both(date));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    years: BTreeMap<i32, YearSchedule>,
}

impl Calendar {
    /// The schedules shipped with Touming (2019 onward), parsed once per process.
    pub fn builtin() -> Calendar {
        static PARSED: std::sync::OnceLock<Calendar> = std::sync::OnceLock::new();
        PARSED
            .get_or_init(|| {
                Calendar::from_yaml(BUILTIN).expect("the built-in calendar is valid (tested)")
            })
            .clone()
    }

    pub fn from_yaml(text: &str) -> Result<Calendar, CalendarError> {
        let raw: BTreeMap<i32, RawYear> =
            serde_yaml_ng::from_str(text).map_err(|e| CalendarError::Format(e.to_string()))?;
        let mut calendar = Calendar::default();
        for (year, raw) in raw {
            let expand = |entries: &[String]| -> Result<BTreeSet<NaiveDate>, CalendarError> {
                let mut days = BTreeSet::new();
                for entry in entries {
                    days.extend(expand_dates(entry)?);
                }
                Ok(days)
            };
            let schedule = YearSchedule {
                notice: raw.notice,
                holidays: expand(&raw.holidays)?,
                workdays: expand(&raw.workdays)?,
            };
            calendar.set_year(year, schedule)?;
        }
        Ok(calendar)
    }

    /// Adds or replaces a year.
    pub fn set_year(&mut self, year: i32, schedule: YearSchedule) -> Result<(), CalendarError> {
        schedule.check(year)?;
        self.years.insert(year, schedule);
        Ok(())
    }

    pub fn year(&self, year: i32) -> Option<&YearSchedule> {
        self.years.get(&year)
    }

    pub fn years(&self) -> impl Iterator<Item = (i32, &YearSchedule)> {
        self.years.iter().map(|(y, s)| (*y, s))
    }

    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        let schedule = self
            .years
            .get(&date.year())
            .ok_or(CalendarError::NoData(date.year()))?;
        Ok(schedule.workdays.contains(&date)
            || (!is_weekend(date) && !schedule.holidays.contains(&date)))
    }

    /// The `n`th working day after `date` (the day itself is not counted): the deadline of
    /// "N 个工作日内" from a day of formation. `n = 0` gives `date` itself.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let mut day = date;
        let mut left = n;
        while left > 0 {
            day = day
                .checked_add_days(Days::new(1))
                .ok_or(CalendarError::OutOfRange)?;
            if self.is_working_day(day)? {
                left -= 1;
            }
        }
        Ok(day)
    }

    /// Working days in `(a, b]`: how many working days after `a` the day `b` is
    /// (negative when `b` is before `a`).
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> Result<i64, CalendarError> {
        let (from, to, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
        let mut count = 0;
        for day in from.iter_days().skip(1).take_while(|d| *d <= to) {
            if self.is_working_day(day)? {
                count += 1;
            }
        }
        Ok(sign * count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_builtin_calendar_covers_2019_to_2026() {
        let calendar = Calendar::builtin();
        let years: Vec<i32> = calendar.years().map(|(y, _)| y).collect();
        assert_eq!(years, (2019..=2026).collect::<Vec<_>>());
    }

    #[test]
    fn make_up_sundays_are_working_days() {
        let c = Calendar::builtin();
        assert_eq!(d("2025-01-26").weekday(), Weekday::Sun);
        assert!(c.is_working_day(d("2025-01-26")).unwrap());
        assert!(
            c.is_working_day(d("2025-09-28")).unwrap(),
            "Sunday before National Day 2025"
        );
        assert!(
            !c.is_working_day(d("2025-09-27")).unwrap(),
            "an ordinary Saturday"
        );
    }

    #[test]
    fn national_day_2025_is_eight_days_off() {
        let c = Calendar::builtin();
        for day in expand_dates("2025-10-01..2025-10-08").unwrap() {
            assert!(!c.is_working_day(day).unwrap(), "{day}");
        }
        assert!(c.is_working_day(d("2025-10-09")).unwrap());
        assert!(
            c.is_working_day(d("2025-10-11")).unwrap(),
            "make-up Saturday"
        );
        // Formed on 30 September: the 20th working day skips the whole holiday.
        assert_eq!(
            c.add_working_days(d("2025-09-30"), 1).unwrap(),
            d("2025-10-09")
        );
        assert_eq!(
            c.add_working_days(d("2025-09-30"), 20).unwrap(),
            d("2025-11-04")
        );
    }

    #[test]
    fn spring_festival_2026() {
        let c = Calendar::builtin();
        assert!(
            c.is_working_day(d("2026-02-14")).unwrap(),
            "make-up Saturday before it"
        );
        for day in expand_dates("2026-02-15..2026-02-23").unwrap() {
            assert!(!c.is_working_day(day).unwrap(), "{day}");
        }
        assert!(c.is_working_day(d("2026-02-24")).unwrap());
        assert!(
            c.is_working_day(d("2026-02-28")).unwrap(),
            "make-up Saturday after it"
        );
        // Formed on Friday 13 February, the working days that follow are 14 (a make-up
        // Saturday), 24, 25, 26, 27, 28 (a make-up Saturday) and 2 March.
        assert_eq!(
            c.add_working_days(d("2026-02-13"), 7).unwrap(),
            d("2026-03-02")
        );
        assert_eq!(
            c.working_days_between(d("2026-02-13"), d("2026-03-02"))
                .unwrap(),
            7
        );
    }

    #[test]
    fn the_day_of_formation_is_not_counted() {
        let c = Calendar::builtin();
        // Monday 2025-03-03 + 20 working days (no holidays in between) = Monday 2025-03-31.
        assert_eq!(
            c.add_working_days(d("2025-03-03"), 20).unwrap(),
            d("2025-03-31")
        );
        assert_eq!(
            c.add_working_days(d("2025-03-03"), 0).unwrap(),
            d("2025-03-03")
        );
        assert_eq!(
            c.working_days_between(d("2025-03-31"), d("2025-03-03"))
                .unwrap(),
            -20
        );
    }

    #[test]
    fn a_year_without_data_is_an_error() {
        let c = Calendar::builtin();
        assert_eq!(
            c.is_working_day(d("2027-03-01")),
            Err(CalendarError::NoData(2027))
        );
        assert_eq!(
            c.add_working_days(d("2026-12-30"), 5),
            Err(CalendarError::NoData(2027))
        );
        assert_eq!(
            c.is_working_day(d("2018-12-31")),
            Err(CalendarError::NoData(2018))
        );
    }

    #[test]
    fn inconsistent_years_are_refused() {
        let mut c = Calendar::default();
        let schedule = |holidays: &[&str], workdays: &[&str]| YearSchedule {
            notice: "test".into(),
            holidays: holidays.iter().map(|s| d(s)).collect(),
            workdays: workdays.iter().map(|s| d(s)).collect(),
        };
        assert_eq!(
            c.set_year(2027, schedule(&["2027-01-01"], &["2027-01-04"])),
            Err(CalendarError::WorkdayNotWeekend(d("2027-01-04")))
        );
        assert!(matches!(
            c.set_year(2027, schedule(&["2026-01-01"], &[])),
            Err(CalendarError::WrongYear { .. })
        ));
        assert!(
            c.set_year(2027, schedule(&["2027-01-01"], &["2027-01-02"]))
                .is_ok()
        );
        assert!(c.is_working_day(d("2027-01-02")).unwrap());
    }

    proptest! {
        #[test]
        fn adding_n_working_days_and_counting_back_gives_n(offset in 0i64..2800, n in 0u32..120) {
            let c = Calendar::builtin();
            let start = d("2019-01-01") + chrono::Duration::days(offset);
            if let Ok(end) = c.add_working_days(start, n) {
                prop_assert_eq!(c.working_days_between(start, end).unwrap(), n as i64);
                prop_assert!(n == 0 || c.is_working_day(end).unwrap());
            }
        }
    }
}
