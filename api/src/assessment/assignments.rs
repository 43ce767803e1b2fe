//! Filling, submitting and reviewing a checklist. Saves use optimistic concurrency:
//! the caller names the version it started from, and a conditional update of that
//! version is the first write of the transaction — if someone else saved first, it
//! changes no row, and the whole save is refused with `CONFLICT` before anything else
//! is written.

use std::collections::HashSet;
use touming_store::catalogue::RoundItems;

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, NotSet,
    QueryFilter, Set, TransactionTrait,
};
use serde_json::json;
use touming_domain::assessment::{
    Answer, AnswerProblem, AssignmentStatus, ReviewDecision, RoundStatus, check_draft,
    check_submission,
};
use touming_store::Stored;
use touming_store::entity::{
    answer, assignment, assignment_event, assignment_snapshot, org, review_comment, round,
};
use touming_store::stored;

use super::{answers, rounds, today};
use crate::audit::{self, Entry};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::tenancy::Guard;

fn status(a: &assignment::Model) -> AssignmentStatus {
    *a.status
}

fn problems(list: Vec<AnswerProblem>) -> ApiError {
    ApiError::Validation(
        list.into_iter()
            .map(|p| FieldError::new(format!("answers[{}].{}", p.item_code, p.field), p.message))
            .collect(),
    )
}

/// The round must be open, and before its deadline unless the province reopened this
/// checklist.
async fn check_round_allows_filling(
    db: &DatabaseConnection,
    assignment: &assignment::Model,
) -> ApiResult<round::Model> {
    let round = round::Entity::find_by_id(assignment.round_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("考核轮次"))?;
    if rounds::status(&round) != RoundStatus::Open {
        return Err(ApiError::field("assignmentId", "本轮考核不在填报期内"));
    }
    if today() > round.deadline && !assignment.reopened {
        return Err(ApiError::field(
            "assignmentId",
            format!(
                "已过截止日期 {}，如需修改请联系省级重新打开",
                round.deadline
            ),
        ));
    }
    Ok(round)
}

/// Bumps the version if it is still `expected`; `CONFLICT` (with the version in force)
/// otherwise. The first write of every change to a checklist.
async fn claim_version(
    txn: &DatabaseTransaction,
    assignment: &assignment::Model,
    expected: i32,
    next: AssignmentStatus,
) -> ApiResult<assignment::Model> {
    let mut update = assignment::Entity::update_many()
        .col_expr(
            assignment::Column::Version,
            Expr::col(assignment::Column::Version).add(1),
        )
        .col_expr(assignment::Column::Status, Expr::value(stored(next)))
        .col_expr(assignment::Column::ScoreStale, Expr::value(true))
        .col_expr(assignment::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(assignment::Column::Id.eq(assignment.id))
        .filter(assignment::Column::Version.eq(expected));
    if next == AssignmentStatus::Submitted && status(assignment) != AssignmentStatus::Submitted {
        // A new submission is checked afresh.
        update = update
            .col_expr(
                assignment::Column::SubmittedAt,
                Expr::value(Some(Utc::now())),
            )
            .col_expr(
                assignment::Column::SelfCheckedAt,
                Expr::value(Option::<chrono::DateTime<Utc>>::None),
            );
    }
    // The row as updated comes back with the update: no read after the commit.
    let Some(claimed) = update.exec_with_returning(txn).await?.into_iter().next() else {
        let current = assignment::Entity::find_by_id(assignment.id)
            .one(txn)
            .await?
            .map_or(assignment.version, |a| a.version);
        return Err(ApiError::Conflict {
            current_version: current.into(),
        });
    };
    Ok(claimed)
}

#[allow(clippy::too_many_arguments)]
async fn record_event(
    txn: &DatabaseTransaction,
    guard: &Guard<'_>,
    assignment: &assignment::Model,
    action: &str,
    from: AssignmentStatus,
    to: AssignmentStatus,
    comment: Option<String>,
    snapshot_id: Option<i64>,
) -> ApiResult<assignment_event::Model> {
    let viewer = guard.viewer();
    Ok(assignment_event::ActiveModel {
        id: NotSet,
        assignment_id: Set(assignment.id),
        at: Set(Utc::now()),
        actor_id: Set(Some(viewer.user.id)),
        actor_name: Set(Some(viewer.user.username.clone())),
        action: Set(action.to_owned()),
        from_status: Set(Stored(from)),
        to_status: Set(Stored(to)),
        comment: Set(comment),
        snapshot_id: Set(snapshot_id),
    }
    .insert(txn)
    .await?)
}

/// Upserts a batch of answers (a draft save). Light checks only; nothing is written
/// unless every answer passes and the version matches.
pub async fn save_answers(
    db: &DatabaseConnection,
    round_items: &RoundItems,
    guard: &Guard<'_>,
    assignment: assignment::Model,
    org: &org::Model,
    expected_version: i32,
    batch: Vec<Answer>,
) -> ApiResult<assignment::Model> {
    guard.require_filler_of(org)?;
    check_round_allows_filling(db, &assignment).await?;
    let from = status(&assignment);
    let next = from
        .save()
        .map_err(|e| ApiError::field("assignmentId", e.to_string()))?;
    if batch.len() > 500 {
        return Err(ApiError::field("answers", "一次最多保存 500 项"));
    }
    let items = round_items.of(db, assignment.version_id).await?;
    let codes: HashSet<&str> = items.iter().map(|i| i.code.as_str()).collect();
    let mut found = Vec::new();
    let mut seen = HashSet::new();
    let day = today();
    for answer in &batch {
        if !codes.contains(answer.item_code.as_str()) {
            found.push(AnswerProblem {
                item_code: answer.item_code.clone(),
                field: "itemCode",
                message: format!("目录中没有事项 {}", answer.item_code),
            });
        } else if !seen.insert(answer.item_code.clone()) {
            found.push(AnswerProblem {
                item_code: answer.item_code.clone(),
                field: "itemCode",
                message: format!("事项 {} 在一次保存中出现两次", answer.item_code),
            });
        }
        found.extend(check_draft(answer, day));
    }
    if !found.is_empty() {
        return Err(problems(found));
    }

    let txn = db.begin().await?;
    let claimed = claim_version(&txn, &assignment, expected_version, next).await?;
    let version = claimed.version;
    let changed: Vec<&str> = batch.iter().map(|a| a.item_code.as_str()).collect();
    let before: Vec<Answer> = answer::Entity::find()
        .filter(answer::Column::AssignmentId.eq(assignment.id))
        .filter(answer::Column::ItemCode.is_in(changed.clone()))
        .all(&txn)
        .await?
        .iter()
        .map(answers::from_row)
        .collect::<ApiResult<_>>()?;
    if !batch.is_empty() {
        let rows: Vec<answer::ActiveModel> = batch
            .iter()
            .map(|a| answers::to_row(assignment.id, a, false, Some(guard.viewer().user.id)))
            .collect();
        let conflict =
            OnConflict::columns([answer::Column::AssignmentId, answer::Column::ItemCode])
                .update_columns([
                    answer::Column::Status,
                    answer::Column::NaReason,
                    answer::Column::FormedOn,
                    answer::Column::PublishedOn,
                    answer::Column::Channels,
                    answer::Column::EvidenceUrls,
                    answer::Column::InterpretationOn,
                    answer::Column::InterpretationForms,
                    answer::Column::Note,
                    answer::Column::Periods,
                    answer::Column::Prefilled,
                    answer::Column::UpdatedAt,
                    answer::Column::UpdatedBy,
                ])
                .to_owned();
        for chunk in rows.chunks(50) {
            answer::Entity::insert_many(chunk.to_vec())
                .on_conflict(conflict.clone())
                .exec(&txn)
                .await?;
        }
    }
    if from != next {
        record_event(&txn, guard, &assignment, "save", from, next, None, None).await?;
    }
    audit::record(
        &txn,
        &guard.viewer().actor(),
        Entry {
            action: "assignment.save_answers",
            entity: "assignment",
            entity_id: Some(assignment.id),
            org: Some(org),
            before: Some(json!({ "version": expected_version, "answers": before })),
            after: Some(json!({ "version": version, "answers": batch })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(claimed)
}

async fn reload(db: &DatabaseConnection, id: i64) -> ApiResult<assignment::Model> {
    assignment::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("填报表"))
}

/// Applies DOMAIN.md §4's submission rules, listing every problem item by item;
/// freezes a snapshot of the answers.
pub async fn submit(
    db: &DatabaseConnection,
    round_items: &RoundItems,
    guard: &Guard<'_>,
    assignment: assignment::Model,
    org: &org::Model,
    expected_version: i32,
) -> ApiResult<assignment::Model> {
    guard.require_filler_of(org)?;
    check_round_allows_filling(db, &assignment).await?;
    let from = status(&assignment);
    let next = from
        .submit()
        .map_err(|e| ApiError::field("id", e.to_string()))?;
    if assignment.version != expected_version {
        return Err(ApiError::Conflict {
            current_version: assignment.version.into(),
        });
    }
    let items = round_items.of(db, assignment.version_id).await?;
    let current = answers::load(db, assignment.id).await?;
    let files = answers::evidence_counts(db, assignment.id).await?;
    let found = check_submission(&items, &current, &files);
    if !found.is_empty() {
        return Err(problems(found));
    }
    let txn = db.begin().await?;
    claim_version(&txn, &assignment, expected_version, next).await?;
    let snapshot = assignment_snapshot::ActiveModel {
        id: NotSet,
        assignment_id: Set(assignment.id),
        at: Set(Utc::now()),
        answers: Set(serde_json::to_string(&current).map_err(ApiError::internal)?),
    }
    .insert(&txn)
    .await?;
    // Prefilled answers that were submitted have been confirmed by submitting.
    answer::Entity::update_many()
        .col_expr(answer::Column::Prefilled, Expr::value(false))
        .filter(answer::Column::AssignmentId.eq(assignment.id))
        .exec(&txn)
        .await?;
    record_event(
        &txn,
        guard,
        &assignment,
        "submit",
        from,
        next,
        None,
        Some(snapshot.id),
    )
    .await?;
    audit::record(
        &txn,
        &guard.viewer().actor(),
        Entry {
            action: "assignment.submit",
            entity: "assignment",
            entity_id: Some(assignment.id),
            org: Some(org),
            before: Some(json!({ "status": from.as_str() })),
            after: Some(json!({ "status": next.as_str(), "snapshotId": snapshot.id })),
        },
    )
    .await?;
    txn.commit().await?;
    reload(db, assignment.id).await
}

pub struct Review {
    pub decision: ReviewDecision,
    pub comment: Option<String>,
    /// (item code, comment)
    pub item_comments: Vec<(String, String)>,
    /// Items whose 不适用 the reviewer does not accept: they become 未公开.
    pub reject_not_applicable: Vec<String>,
}

/// Approve, return (with a comment), or reopen an approved checklist. Reviewers are
/// the parent region's; after the deadline only the province reopens.
pub async fn review(
    db: &DatabaseConnection,
    round_items: &RoundItems,
    guard: &Guard<'_>,
    assignment: assignment::Model,
    org: &org::Model,
    review: Review,
) -> ApiResult<assignment::Model> {
    let round = round::Entity::find_by_id(assignment.round_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("考核轮次"))?;
    let after_deadline = today() > round.deadline;
    let province = guard.is_province_reviewer(&round);
    let from = status(&assignment);
    // With a self-check step, a fresh submission is first for the org's own reviewers.
    let awaiting_self_check = round.self_check
        && from == AssignmentStatus::Submitted
        && assignment.self_checked_at.is_none();
    let self_check = awaiting_self_check
        && guard.is_self_checker_of(org)
        && review.decision != ReviewDecision::Reopen;
    let allowed = match review.decision {
        ReviewDecision::Reopen if after_deadline => province,
        ReviewDecision::Reopen => guard.is_reviewer_of(org) || province,
        _ => self_check || guard.is_reviewer_of(org),
    };
    if !allowed {
        return Err(ApiError::Forbidden);
    }
    if awaiting_self_check && !self_check && review.decision != ReviewDecision::Reopen {
        return Err(ApiError::field(
            "decision",
            "本轮要求先经本单位自查，自查通过后再由上级审核",
        ));
    }
    let next = from
        .review(review.decision, review.comment.as_deref())
        .map_err(|e| ApiError::field("comment", e.to_string()))?;
    // Passing the self-check keeps the checklist SUBMITTED, now for the level above.
    let (next, self_checked) = match (self_check, review.decision) {
        (true, ReviewDecision::Approve) => (AssignmentStatus::Submitted, true),
        _ => (next, false),
    };
    let items = round_items.of(db, assignment.version_id).await?;
    let codes: HashSet<&str> = items.iter().map(|i| i.code.as_str()).collect();
    let mut bad = Vec::new();
    for (code, text) in &review.item_comments {
        if !codes.contains(code.as_str()) {
            bad.push(FieldError::new(
                "itemComments",
                format!("目录中没有事项 {code}"),
            ));
        }
        if text.trim().is_empty() || text.chars().count() > 2000 {
            bad.push(FieldError::new(
                "itemComments",
                format!("事项 {code} 的意见不能为空，且不超过 2000 字"),
            ));
        }
    }
    let not_applicable: HashSet<String> = answer::Entity::find()
        .filter(answer::Column::AssignmentId.eq(assignment.id))
        .filter(
            answer::Column::Status
                .eq(touming_domain::assessment::AnswerStatus::NotApplicable.as_str()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.item_code)
        .collect();
    for code in &review.reject_not_applicable {
        if !not_applicable.contains(code) {
            bad.push(FieldError::new(
                "rejectNotApplicable",
                format!("事项 {code} 未填报为“不适用”"),
            ));
        }
    }
    if review
        .comment
        .as_deref()
        .is_some_and(|c| c.chars().count() > 2000)
    {
        bad.push(FieldError::new("comment", "意见不超过 2000 字"));
    }
    if !bad.is_empty() {
        return Err(ApiError::Validation(bad));
    }
    let txn = db.begin().await?;
    claim_version(&txn, &assignment, assignment.version, next).await?;
    if !review.reject_not_applicable.is_empty() {
        answer::Entity::update_many()
            .col_expr(
                answer::Column::Status,
                Expr::value(touming_domain::assessment::AnswerStatus::NotDisclosed.as_str()),
            )
            .filter(answer::Column::AssignmentId.eq(assignment.id))
            .filter(answer::Column::ItemCode.is_in(review.reject_not_applicable.clone()))
            .exec(&txn)
            .await?;
    }
    if self_checked {
        assignment::Entity::update_many()
            .col_expr(
                assignment::Column::SelfCheckedAt,
                Expr::value(Some(Utc::now())),
            )
            .filter(assignment::Column::Id.eq(assignment.id))
            .exec(&txn)
            .await?;
    }
    if review.decision == ReviewDecision::Reopen && after_deadline {
        assignment::Entity::update_many()
            .col_expr(assignment::Column::Reopened, Expr::value(true))
            .filter(assignment::Column::Id.eq(assignment.id))
            .exec(&txn)
            .await?;
    }
    let action = match review.decision {
        ReviewDecision::Approve if self_checked => "self_check",
        ReviewDecision::Approve => "approve",
        ReviewDecision::Return => "return",
        ReviewDecision::Reopen => "reopen",
    };
    let comment = review.comment.clone().filter(|c| !c.trim().is_empty());
    let event = record_event(
        &txn,
        guard,
        &assignment,
        action,
        from,
        next,
        comment.clone(),
        None,
    )
    .await?;
    let mut all: Vec<(Option<String>, String)> = comment.map(|c| (None, c)).into_iter().collect();
    all.extend(
        review
            .item_comments
            .iter()
            .map(|(code, text)| (Some(code.clone()), text.clone())),
    );
    for (item_code, text) in &all {
        review_comment::ActiveModel {
            id: NotSet,
            assignment_id: Set(assignment.id),
            event_id: Set(event.id),
            item_code: Set(item_code.clone()),
            comment: Set(text.clone()),
            at: Set(Utc::now()),
            author_id: Set(Some(guard.viewer().user.id)),
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        &guard.viewer().actor(),
        Entry {
            action: &format!("assignment.{action}"),
            entity: "assignment",
            entity_id: Some(assignment.id),
            org: Some(org),
            before: Some(json!({ "status": from.as_str() })),
            after: Some(json!({
                "status": next.as_str(),
                "comments": all.iter().map(|(code, text)| json!({ "itemCode": code, "comment": text })).collect::<Vec<_>>(),
                "rejectedNotApplicable": review.reject_not_applicable,
            })),
        },
    )
    .await?;
    txn.commit().await?;
    reload(db, assignment.id).await
}
