//! Answers between their stored rows and the domain.

use std::collections::{BTreeSet, HashMap};

use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QuerySelect, Set};
use serde_json::json;
use touming_domain::assessment::{Answer, InterpretationForm};
use touming_store::entity::{answer, evidence_file};

use crate::error::{ApiError, ApiResult};

fn forms_text(forms: &BTreeSet<InterpretationForm>) -> String {
    forms
        .iter()
        .map(|f| {
            serde_json::to_value(f)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(",")
}

pub fn to_row(
    assignment_id: i64,
    answer: &Answer,
    prefilled: bool,
    user: Option<i64>,
) -> answer::ActiveModel {
    answer::ActiveModel {
        id: NotSet,
        assignment_id: Set(assignment_id),
        item_code: Set(answer.item_code.clone()),
        status: Set(answer.status.as_str().to_owned()),
        na_reason: Set(answer.na_reason.clone()),
        formed_on: Set(answer.formed_on),
        published_on: Set(answer.published_on),
        channels: Set(answer
            .channels
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(",")),
        evidence_urls: Set(json!(answer.evidence_urls).to_string()),
        interpretation_on: Set(answer.interpretation_on),
        interpretation_forms: Set(forms_text(&answer.interpretation_forms)),
        note: Set(answer.note.clone()),
        periods: Set(json!(answer.periods).to_string()),
        prefilled: Set(prefilled),
        updated_at: Set(Utc::now()),
        updated_by: Set(user),
    }
}

pub fn from_row(row: &answer::Model) -> ApiResult<Answer> {
    touming_worker::model::answer_from_row(row).map_err(ApiError::internal)
}

pub async fn rows(db: &impl ConnectionTrait, assignment_id: i64) -> ApiResult<Vec<answer::Model>> {
    Ok(touming_worker::model::answer_rows(db, assignment_id).await?)
}

pub async fn load(db: &impl ConnectionTrait, assignment_id: i64) -> ApiResult<Vec<Answer>> {
    touming_worker::model::answers(db, assignment_id)
        .await
        .map_err(ApiError::internal)
}

/// Uploaded evidence files per item code.
pub async fn evidence_counts(
    db: &impl ConnectionTrait,
    assignment_id: i64,
) -> ApiResult<HashMap<String, usize>> {
    let codes: Vec<String> = evidence_file::Entity::find()
        .select_only()
        .column(evidence_file::Column::ItemCode)
        .filter(evidence_file::Column::AssignmentId.eq(assignment_id))
        .into_tuple()
        .all(db)
        .await?;
    let mut counts = HashMap::new();
    for code in codes {
        *counts.entry(code).or_insert(0) += 1;
    }
    Ok(counts)
}
