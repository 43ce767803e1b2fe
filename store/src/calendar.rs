//! The calendar in force: the built-in years with the operator's years over them.

use std::collections::BTreeSet;

use chrono::{NaiveDate, Utc};
use sea_orm::{ConnectionTrait, EntityTrait, Set};
use touming_domain::{Calendar, YearSchedule};

use crate::codec::{At, from_json, to_json};
use crate::entity::calendar_year;
use crate::error::StoreResult;

pub async fn calendar(db: &impl ConnectionTrait) -> StoreResult<Calendar> {
    let mut calendar = Calendar::builtin();
    for row in calendar_year::Entity::find().all(db).await? {
        let at = |column| At::new("calendar_year", column, i64::from(row.year));
        let schedule = YearSchedule {
            notice: row.notice.clone(),
            holidays: from_json::<BTreeSet<NaiveDate>>(at("holidays"), &row.holidays)?,
            workdays: from_json::<BTreeSet<NaiveDate>>(at("workdays"), &row.workdays)?,
        };
        calendar
            .set_year(row.year, schedule)
            .map_err(|e| at("year").error(e))?;
    }
    Ok(calendar)
}

/// The row that stores an operator's year.
pub fn year_to_row(
    year: i32,
    schedule: &YearSchedule,
    user: Option<i64>,
) -> calendar_year::ActiveModel {
    calendar_year::ActiveModel {
        year: Set(year),
        notice: Set(schedule.notice.clone()),
        holidays: Set(to_json(&schedule.holidays)),
        workdays: Set(to_json(&schedule.workdays)),
        updated_at: Set(Utc::now()),
        updated_by: Set(user),
    }
}
