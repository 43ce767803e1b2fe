//! The working-day calendar in force: the built-in schedules with the operator's years
//! (stored in `calendar_year`) over them.

use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, TransactionTrait};
use serde_json::json;
use touming_domain::{Calendar, YearSchedule};
use touming_store::entity::{calendar_year, org};

use crate::audit::{self, Actor, Entry};
use crate::error::{ApiError, ApiResult};

pub async fn effective(db: &impl ConnectionTrait) -> ApiResult<Calendar> {
    Ok(touming_store::calendar::calendar(db).await?)
}

/// Adds or replaces a year (platform operator). The schedule is checked first; the
/// audit line keeps the year as it was before.
pub async fn set_year(
    db: &sea_orm::DatabaseConnection,
    actor: &Actor,
    platform: &org::Model,
    year: i32,
    schedule: YearSchedule,
) -> ApiResult<()> {
    if !(2000..=2100).contains(&year) {
        return Err(ApiError::field("year", "年份应在 2000 到 2100 之间"));
    }
    schedule
        .check(year)
        .map_err(|e| ApiError::field("holidays", e.to_string()))?;
    let before = effective(db).await?.year(year).cloned();
    let txn = db.begin().await?;
    let row = touming_store::calendar::year_to_row(year, &schedule, actor.id);
    if calendar_year::Entity::find_by_id(year)
        .one(&txn)
        .await?
        .is_some()
    {
        row.update(&txn).await?;
    } else {
        row.insert(&txn).await?;
    }
    audit::record(
        &txn,
        actor,
        Entry {
            action: "calendar.set_year",
            entity: "calendar_year",
            entity_id: Some(year.into()),
            org: Some(platform),
            before: before.map(|b| json!(b)),
            after: Some(json!(schedule)),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
