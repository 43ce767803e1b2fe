//! The working-day calendar: reading a year, computing deadlines, and the operator's
//! mutation to add a year.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use chrono::NaiveDate;
use touming_domain::YearSchedule;
use touming_domain::calendar::expand_dates;

use super::context::ContextExt;
use super::scalars::Date;
use crate::calendar;
use crate::error::ApiError;

#[derive(SimpleObject)]
pub struct CalendarYear {
    pub year: i32,
    /// The State Council notice it comes from.
    pub notice: String,
    /// Official days off.
    pub holidays: Vec<Date>,
    /// Weekend days that are working days (补班).
    pub workdays: Vec<Date>,
}

#[derive(InputObject)]
pub struct CalendarYearInput {
    pub year: i32,
    pub notice: String,
    /// Dates or ranges: `2027-01-01`, `2027-02-06..2027-02-12`.
    pub holidays: Vec<String>,
    pub workdays: Vec<String>,
}

#[derive(Default)]
pub struct CalendarQuery;

#[Object]
impl CalendarQuery {
    /// A year of the working-day calendar, or null when it has not been entered.
    async fn calendar_year(&self, ctx: &Context<'_>, year: i32) -> Result<Option<CalendarYear>> {
        ctx.viewer()?;
        let calendar = calendar::effective(&ctx.state().db).await?;
        Ok(calendar.year(year).map(|s| CalendarYear {
            year,
            notice: s.notice.clone(),
            holidays: s.holidays.iter().copied().map(Date).collect(),
            workdays: s.workdays.iter().copied().map(Date).collect(),
        }))
    }

    /// The `days`-th working day after `from` (the day itself not counted).
    async fn working_day_deadline(&self, ctx: &Context<'_>, from: Date, days: i32) -> Result<Date> {
        ctx.viewer()?;
        if !(0..=3650).contains(&days) {
            return Err(ApiError::field("days", "工作日数应在 0 到 3650 之间").into());
        }
        let calendar = calendar::effective(&ctx.state().db).await?;
        Ok(Date(
            calendar
                .add_working_days(from.0, days as u32)
                .map_err(|e| ApiError::field("from", e.to_string()))?,
        ))
    }
}

#[derive(Default)]
pub struct CalendarMutation;

#[Object]
impl CalendarMutation {
    /// Adds or replaces a year's holidays and make-up workdays (platform operator).
    async fn set_calendar_year(
        &self,
        ctx: &Context<'_>,
        input: CalendarYearInput,
    ) -> Result<CalendarYear> {
        let guard = ctx.guard()?;
        guard.require_operator()?;
        let expand = |entries: &[String],
                      field: &str|
         -> Result<std::collections::BTreeSet<NaiveDate>, ApiError> {
            let mut out = std::collections::BTreeSet::new();
            for entry in entries {
                out.extend(expand_dates(entry).map_err(|e| ApiError::field(field, e.to_string()))?);
            }
            Ok(out)
        };
        let notice = input.notice.trim().to_owned();
        if notice.is_empty() || notice.chars().count() > 200 {
            return Err(ApiError::field("notice", "请填写通知文号（不超过 200 个字符）").into());
        }
        let schedule = YearSchedule {
            notice,
            holidays: expand(&input.holidays, "holidays")?,
            workdays: expand(&input.workdays, "workdays")?,
        };
        let viewer = guard.viewer();
        calendar::set_year(
            &ctx.state().db,
            &viewer.actor(),
            &viewer.org,
            input.year,
            schedule.clone(),
        )
        .await?;
        Ok(CalendarYear {
            year: input.year,
            notice: schedule.notice,
            holidays: schedule.holidays.into_iter().map(Date).collect(),
            workdays: schedule.workdays.into_iter().map(Date).collect(),
        })
    }
}
