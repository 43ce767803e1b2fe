//! The periods a periodic item must be published for, and their due dates.
//! The web application's checklist page asks for the same periods
//! (`web/src/lib/periods.ts`); a change to the rule belongs in both.

use chrono::{Datelike, Months, NaiveDate};

use crate::catalogue::{DueRule, Period};

fn first_of_month(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).expect("valid month")
}

/// (label, first day, last day) of the period containing `day`.
fn period_of(period: Period, day: NaiveDate) -> (String, NaiveDate, NaiveDate) {
    let (label, start, months) = match period {
        Period::Monthly => (
            format!("{}-{:02}", day.year(), day.month()),
            first_of_month(day.year(), day.month()),
            1,
        ),
        Period::Quarterly => {
            let q = (day.month() - 1) / 3;
            (
                format!("{}-Q{}", day.year(), q + 1),
                first_of_month(day.year(), q * 3 + 1),
                3,
            )
        }
        Period::Yearly => (day.year().to_string(), first_of_month(day.year(), 1), 12),
    };
    let end = start + Months::new(months) - chrono::Days::new(1);
    (label, start, end)
}

fn due(period: Period, rule: DueRule, end: NaiveDate) -> NaiveDate {
    let next_start = end + chrono::Days::new(1);
    let (_, _, next_end) = period_of(period, next_start);
    match rule {
        DueRule::EndOfFollowingPeriod => next_end,
        DueRule::DayOfFollowingPeriod(d) => {
            let last = next_start + Months::new(1) - chrono::Days::new(1);
            next_start.with_day(d.min(last.day())).unwrap_or(last)
        }
    }
}

/// Periods that lie wholly within `[from, to]` and are due by `as_of`: (label, due date).
pub fn expected_periods(
    period: Period,
    rule: DueRule,
    from: NaiveDate,
    to: NaiveDate,
    as_of: NaiveDate,
) -> Vec<(String, NaiveDate)> {
    let mut out = Vec::new();
    let (mut label, mut start, mut end) = period_of(period, from);
    while end <= to {
        let due_on = due(period, rule, end);
        if start >= from && due_on <= as_of {
            out.push((label.clone(), due_on));
        }
        (label, start, end) = period_of(period, end + chrono::Days::new(1));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn months_quarters_and_years() {
        let months = expected_periods(
            Period::Monthly,
            DueRule::EndOfFollowingPeriod,
            d("2025-01-01"),
            d("2025-12-31"),
            d("2025-06-30"),
        );
        // January is due by the end of February … May by the end of June.
        assert_eq!(
            months.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>(),
            ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05"]
        );
        assert_eq!(months[0].1, d("2025-02-28"));
        let tenth = expected_periods(
            Period::Monthly,
            DueRule::DayOfFollowingPeriod(10),
            d("2025-01-01"),
            d("2025-03-31"),
            d("2026-01-01"),
        );
        assert_eq!(tenth[1], ("2025-02".to_owned(), d("2025-03-10")));
        let quarters = expected_periods(
            Period::Quarterly,
            DueRule::EndOfFollowingPeriod,
            d("2025-01-01"),
            d("2025-12-31"),
            d("2026-12-31"),
        );
        assert_eq!(quarters.len(), 4);
        assert_eq!(quarters[3], ("2025-Q4".to_owned(), d("2026-03-31")));
        let years = expected_periods(
            Period::Yearly,
            DueRule::EndOfFollowingPeriod,
            d("2025-01-01"),
            d("2025-12-31"),
            d("2026-12-31"),
        );
        assert_eq!(years, [("2025".to_owned(), d("2026-12-31"))]);
        let partial = expected_periods(
            Period::Monthly,
            DueRule::EndOfFollowingPeriod,
            d("2025-01-15"),
            d("2025-03-31"),
            d("2025-12-31"),
        );
        assert_eq!(
            partial.len(),
            2,
            "a month cut by the period start is not expected"
        );
    }
}
