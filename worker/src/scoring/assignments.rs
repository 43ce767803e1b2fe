//! Checklists' scores: their answers read in bulk, scored by the pure function in
//! `domain`, written in batches together with the stale flag.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use touming_domain::assessment::Answer;
use touming_domain::catalogue::Item;
use touming_domain::scoring::{AssignmentScore, ScoringInput, Tally, score_assignment};

use super::RoundContext;
use super::regions::IN_CHUNK;
use touming_store::StoreError;
use touming_store::answers::answer_from_row;
use touming_store::entity::{answer, assignment, score};
use touming_store::scores::{ScoreOf, score_to_row};

/// A checklist's score and the checklist version it was computed from.
pub(super) struct Scored {
    pub assignment_id: i64,
    pub round_id: i64,
    pub org_id: i64,
    pub answers_version: i32,
    pub result: AssignmentScore,
    pub tally: Tally,
}

pub(super) fn score(
    ctx: &RoundContext,
    items: &[Item],
    a: &assignment::Model,
    answers: &[Answer],
) -> Scored {
    let result = score_assignment(&ScoringInput {
        items,
        answers,
        policy: &ctx.policy,
        calendar: &ctx.calendar,
        period_start: ctx.round.period_start,
        period_end: ctx.round.period_end,
        as_of: ctx.as_of,
    });
    let tally = Tally::of_assignment(&result, a.version_id);
    Scored {
        tally,
        assignment_id: a.id,
        round_id: a.round_id,
        org_id: a.org_id,
        answers_version: a.version,
        result,
    }
}

/// The answers of these checklists, by checklist, in item-code order.
pub(super) async fn load_answers(
    db: &DatabaseConnection,
    assignments: &[assignment::Model],
) -> Result<HashMap<i64, Vec<Answer>>, StoreError> {
    let ids: Vec<i64> = assignments.iter().map(|a| a.id).collect();
    let mut out: HashMap<i64, Vec<Answer>> = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(IN_CHUNK) {
        let rows = answer::Entity::find()
            .filter(answer::Column::AssignmentId.is_in(chunk.to_vec()))
            .all(db)
            .await?;
        for row in &rows {
            out.entry(row.assignment_id)
                .or_default()
                .push(answer_from_row(row)?);
        }
    }
    // Scoring does not depend on order, but the stored explanation should not change
    // with the database's whim.
    for answers in out.values_mut() {
        answers.sort_by(|x, y| x.item_code.cmp(&y.item_code));
    }
    Ok(out)
}

fn to_row(s: &Scored) -> score::ActiveModel {
    let of = ScoreOf {
        assignment_id: s.assignment_id,
        round_id: s.round_id,
        org_id: s.org_id,
        answers_version: s.answers_version,
    };
    score_to_row(of, &s.result, &s.tally)
}

/// Rows per statement: a score's explanation runs to tens of kilobytes, and short
/// writes keep SQLite's single writer available.
const WRITE_CHUNK: usize = 100;

/// Writes the scores, a chunk per statement. The checklists stay stale: only
/// [`settle`], once the roll-ups above them are written too, clears the mark — so a
/// crash in between leaves work the reconciler will redo, never a roll-up that
/// disagrees with its checklists.
pub(super) async fn store(db: &DatabaseConnection, scored: &[Scored]) -> Result<(), StoreError> {
    for chunk in scored.chunks(WRITE_CHUNK) {
        let rows: Vec<_> = chunk.iter().map(to_row).collect();
        score::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::column(score::Column::AssignmentId)
                    .update_columns([
                        score::Column::AnswersVersion,
                        score::Column::TotalMilli,
                        score::Column::MaxMilli,
                        score::Column::PercentMilli,
                        score::Column::Grade,
                        score::Column::VetoFailed,
                        score::Column::Detail,
                        score::Column::Indicators,
                        score::Column::Tally,
                        score::Column::ComputedAt,
                    ])
                    .to_owned(),
            )
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Clears the stale mark of these checklists where the stored score was computed from
/// the version in force; a checklist saved meanwhile stays stale and is scored again.
pub(super) async fn settle(db: &DatabaseConnection, ids: &[i64]) -> Result<(), StoreError> {
    for chunk in ids.chunks(IN_CHUNK) {
        assignment::Entity::update_many()
            .col_expr(assignment::Column::ScoreStale, Expr::value(false))
            .filter(assignment::Column::Id.is_in(chunk.to_vec()))
            .filter(assignment::Column::ScoreStale.eq(true))
            .filter(
                Expr::col((assignment::Entity, assignment::Column::Version)).in_subquery(
                    Query::select()
                        .column(score::Column::AnswersVersion)
                        .from(score::Entity)
                        .and_where(
                            Expr::col((score::Entity, score::Column::AssignmentId))
                                .equals((assignment::Entity, assignment::Column::Id)),
                        )
                        .to_owned(),
                ),
            )
            .exec(db)
            .await?;
    }
    Ok(())
}
