//! Answers between their stored rows and the domain.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use touming_domain::assessment::Answer;
use touming_store::entity::{answer, evidence_file};

use crate::error::ApiResult;

pub use touming_store::answers::answer_to_row as to_row;

pub fn from_row(row: &answer::Model) -> ApiResult<Answer> {
    Ok(touming_store::answers::answer_from_row(row)?)
}

pub async fn rows(db: &impl ConnectionTrait, assignment_id: i64) -> ApiResult<Vec<answer::Model>> {
    Ok(touming_store::answers::answer_rows(db, assignment_id).await?)
}

pub async fn load(db: &impl ConnectionTrait, assignment_id: i64) -> ApiResult<Vec<Answer>> {
    Ok(touming_store::answers::answers(db, assignment_id).await?)
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
