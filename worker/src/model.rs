//! Reading the domain back from stored rows: catalogue items, answers, the calendar in
//! force. Shared by the api (to serve and validate) and the worker (to score).

use std::collections::BTreeSet;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use touming_domain::assessment::{Answer, AnswerStatus, InterpretationForm, PeriodRecord};
use touming_domain::catalogue::{Audience, Channel, DisclosureMode, Item, TimeLimit};
use touming_domain::{Calendar, YearSchedule};

use crate::entity::{answer, calendar_year, catalogue_item};

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("database: {0}")]
    Db(#[from] DbErr),
    /// A stored value no version of Touming writes: a bug or a hand edit.
    #[error("unreadable stored value: {0}")]
    Corrupt(String),
}

fn corrupt(e: impl std::fmt::Display) -> ModelError {
    ModelError::Corrupt(e.to_string())
}

fn split(s: &str) -> impl Iterator<Item = &str> {
    s.split(',').filter(|p| !p.is_empty())
}

/// The domain item a stored row holds. Rows are only ever written from valid items.
pub fn item_from_row(row: &catalogue_item::Model) -> Result<Item, ModelError> {
    let list = |s: &str| serde_json::from_str::<Vec<String>>(s).map_err(corrupt);
    Ok(Item {
        code: row.code.clone(),
        category: list(&row.category)?,
        title: row.title.clone(),
        content: list(&row.content)?,
        basis: row.basis.clone(),
        time_limit: TimeLimit::from_code(&row.time_limit).map_err(corrupt)?,
        time_limit_text: row.time_limit_text.clone(),
        body: row.body.clone(),
        audience: Audience::from_label(&row.audience).unwrap_or(Audience::Public),
        mode: DisclosureMode::from_label(&row.mode).unwrap_or(DisclosureMode::Proactive),
        levels: list(&row.levels)?,
        channels: split(&row.channels)
            .map(|c| c.parse::<Channel>().map_err(corrupt))
            .collect::<Result<_, _>>()?,
        needs_interpretation: row.needs_interpretation,
        evidence_required: row.evidence_required,
        weight_milli: row.weight_milli.max(0) as u32,
        veto: row.veto,
    })
}

/// A version's items in file order.
pub async fn version_items(
    db: &impl ConnectionTrait,
    version_id: i64,
) -> Result<Vec<Item>, ModelError> {
    catalogue_item::Entity::find()
        .filter(catalogue_item::Column::VersionId.eq(version_id))
        .order_by_asc(catalogue_item::Column::Position)
        .all(db)
        .await?
        .iter()
        .map(item_from_row)
        .collect()
}

pub fn answer_from_row(row: &answer::Model) -> Result<Answer, ModelError> {
    Ok(Answer {
        item_code: row.item_code.clone(),
        status: AnswerStatus::parse(&row.status).ok_or_else(|| corrupt(&row.status))?,
        na_reason: row.na_reason.clone(),
        formed_on: row.formed_on,
        published_on: row.published_on,
        channels: split(&row.channels)
            .map(|c| c.parse::<Channel>().map_err(corrupt))
            .collect::<Result<_, _>>()?,
        evidence_urls: serde_json::from_str(&row.evidence_urls).map_err(corrupt)?,
        interpretation_on: row.interpretation_on,
        interpretation_forms: split(&row.interpretation_forms)
            .map(|f| serde_json::from_value::<InterpretationForm>(json!(f)).map_err(corrupt))
            .collect::<Result<_, _>>()?,
        note: row.note.clone(),
        periods: serde_json::from_str::<Vec<PeriodRecord>>(&row.periods).map_err(corrupt)?,
    })
}

pub async fn answer_rows(
    db: &impl ConnectionTrait,
    assignment_id: i64,
) -> Result<Vec<answer::Model>, DbErr> {
    answer::Entity::find()
        .filter(answer::Column::AssignmentId.eq(assignment_id))
        .order_by_asc(answer::Column::ItemCode)
        .all(db)
        .await
}

pub async fn answers(
    db: &impl ConnectionTrait,
    assignment_id: i64,
) -> Result<Vec<Answer>, ModelError> {
    answer_rows(db, assignment_id)
        .await?
        .iter()
        .map(answer_from_row)
        .collect()
}

/// The calendar in force: the built-in years with the operator's years over them.
pub async fn calendar(db: &impl ConnectionTrait) -> Result<Calendar, ModelError> {
    let dates = |s: &str| serde_json::from_str::<BTreeSet<NaiveDate>>(s).map_err(corrupt);
    let mut calendar = Calendar::builtin();
    for row in calendar_year::Entity::find().all(db).await? {
        let schedule = YearSchedule {
            notice: row.notice,
            holidays: dates(&row.holidays)?,
            workdays: dates(&row.workdays)?,
        };
        calendar.set_year(row.year, schedule).map_err(corrupt)?;
    }
    Ok(calendar)
}
