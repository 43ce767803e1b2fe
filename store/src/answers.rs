//! Answers between their rows and the domain.

use chrono::Utc;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, NotSet, QueryFilter, QueryOrder, Set,
};
use touming_domain::assessment::{Answer, InterpretationForm};
use touming_domain::catalogue::Channel;

use crate::codec::{At, from_json, join_codes, split_codes, to_json};
use crate::entity::answer;
use crate::error::StoreResult;
use crate::stored::Stored;

/// The row that stores `answer` in a checklist; `prefilled` marks an answer copied
/// from the previous round (回头看) that the filler has not confirmed.
pub fn answer_to_row(
    assignment_id: i64,
    answer: &Answer,
    prefilled: bool,
    user: Option<i64>,
) -> answer::ActiveModel {
    answer::ActiveModel {
        id: NotSet,
        assignment_id: Set(assignment_id),
        item_code: Set(answer.item_code.clone()),
        status: Set(Stored(answer.status)),
        na_reason: Set(answer.na_reason.clone()),
        formed_on: Set(answer.formed_on),
        published_on: Set(answer.published_on),
        channels: Set(join_codes(answer.channels.iter().map(|c| c.as_str()))),
        evidence_urls: Set(to_json(&answer.evidence_urls)),
        interpretation_on: Set(answer.interpretation_on),
        interpretation_forms: Set(join_codes(
            answer.interpretation_forms.iter().map(|f| f.as_str()),
        )),
        note: Set(answer.note.clone()),
        periods: Set(to_json(&answer.periods)),
        prefilled: Set(prefilled),
        updated_at: Set(Utc::now()),
        updated_by: Set(user),
    }
}

pub fn answer_from_row(row: &answer::Model) -> StoreResult<Answer> {
    let at = |column| At::new("answer", column, row.id);
    Ok(Answer {
        item_code: row.item_code.clone(),
        status: *row.status,
        na_reason: row.na_reason.clone(),
        formed_on: row.formed_on,
        published_on: row.published_on,
        channels: split_codes(at("channels"), &row.channels, Channel::parse)?,
        evidence_urls: from_json(at("evidence_urls"), &row.evidence_urls)?,
        interpretation_on: row.interpretation_on,
        interpretation_forms: split_codes(
            at("interpretation_forms"),
            &row.interpretation_forms,
            InterpretationForm::parse,
        )?,
        note: row.note.clone(),
        periods: from_json(at("periods"), &row.periods)?,
    })
}

/// A checklist's answer rows in item-code order.
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

/// A checklist's answers in item-code order.
pub async fn answers(db: &impl ConnectionTrait, assignment_id: i64) -> StoreResult<Vec<Answer>> {
    answer_rows(db, assignment_id)
        .await?
        .iter()
        .map(answer_from_row)
        .collect()
}
