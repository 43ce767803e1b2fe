//! Scoring checklists and rolling them up, against the database. The database is the
//! truth: saving a checklist marks its score stale in the same transaction; these
//! functions clear the mark only if the checklist did not change while it was scored,
//! so a reconciler that rescores whatever is stale always converges.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, NotSet, QueryFilter, QueryOrder, QuerySelect,
    Set, TransactionTrait,
};
use touming_domain::assessment::{AssignmentStatus, ScoringPolicy};
use touming_domain::scoring::{
    ChildResult, Indicators, Rollup, ScoringInput, rollup_region, score_checklist,
};
use touming_domain::{OrgKind, OrgPath};

use crate::clock::today_in_china;
use crate::entity::{assignment, org, rollup, round, score};
use crate::events::RollupChanged;
use crate::model::{self, ModelError};

/// A stored count or percent; negative values are never written.
fn count(v: i32) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

fn corrupt(e: impl std::fmt::Display) -> ModelError {
    ModelError::Corrupt(e.to_string())
}

pub fn policy(round: &round::Model) -> Result<ScoringPolicy, ModelError> {
    serde_json::from_str(&round.policy).map_err(corrupt)
}

/// Closed rounds count unsubmitted checklists as 0.
pub fn is_closed(round: &round::Model) -> bool {
    matches!(round.status.as_str(), "CLOSED" | "PUBLISHED")
}

/// Scores one checklist and rolls the change up its ancestors; says which orgs'
/// figures changed.
pub async fn score_assignment(
    db: &DatabaseConnection,
    assignment_id: i64,
) -> Result<Option<RollupChanged>, ModelError> {
    let Some(a) = assignment::Entity::find_by_id(assignment_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(round) = round::Entity::find_by_id(a.round_id).one(db).await? else {
        return Ok(None);
    };
    store_score(db, &a, &round).await?;
    let mut org_ids = rollup_up_from(db, &round, a.org_id).await?;
    if !org_ids.contains(&a.org_id) {
        org_ids.push(a.org_id);
    }
    Ok(Some(RollupChanged {
        round_id: round.id,
        org_ids,
    }))
}

async fn store_score(
    db: &DatabaseConnection,
    a: &assignment::Model,
    round: &round::Model,
) -> Result<(), ModelError> {
    let policy = policy(round)?;
    let items = model::version_items(db, a.version_id).await?;
    let answers = model::answers(db, a.id).await?;
    let calendar = model::calendar(db).await?;
    let result = score_checklist(&ScoringInput {
        items: &items,
        answers: &answers,
        policy: &policy,
        calendar: &calendar,
        period_start: round.period_start,
        period_end: round.period_end,
        as_of: today_in_china(),
    });
    let row = score::ActiveModel {
        assignment_id: Set(a.id),
        round_id: Set(a.round_id),
        org_id: Set(a.org_id),
        answers_version: Set(a.version),
        total_milli: Set(result.total_milli as i64),
        max_milli: Set(result.max_milli as i64),
        percent_milli: Set(result.percent_milli as i32),
        grade: Set(serde_json::to_value(result.grade)
            .map_err(corrupt)?
            .as_str()
            .unwrap_or("FAIL")
            .to_owned()),
        veto_failed: Set(result.veto_failed),
        detail: Set(serde_json::to_string(&result).map_err(corrupt)?),
        computed_at: Set(Utc::now()),
    };
    let txn = db.begin().await?;
    score::Entity::insert(row)
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
                    score::Column::ComputedAt,
                ])
                .to_owned(),
        )
        .exec(&txn)
        .await?;
    // Only if nothing changed meanwhile; otherwise it stays stale and is scored again.
    assignment::Entity::update_many()
        .col_expr(assignment::Column::ScoreStale, Expr::value(false))
        .filter(assignment::Column::Id.eq(a.id))
        .filter(assignment::Column::Version.eq(a.version))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// A checklist as the roll-up sees it.
async fn child_result(
    db: &DatabaseConnection,
    a: &assignment::Model,
) -> Result<ChildResult, ModelError> {
    let status = AssignmentStatus::parse(&a.status).unwrap_or(AssignmentStatus::NotStarted);
    let score = score::Entity::find_by_id(a.id).one(db).await?;
    let (percent, indicators) = match &score {
        Some(s) => {
            let detail: touming_domain::scoring::ChecklistScore =
                serde_json::from_str(&s.detail).map_err(corrupt)?;
            (count(s.percent_milli), detail.indicators)
        }
        None => (0, Indicators::default()),
    };
    Ok(ChildResult {
        percent_milli: percent,
        submitted: status.is_submitted(),
        approved: status == AssignmentStatus::Approved,
        indicators,
    })
}

fn stored(row: &rollup::Model) -> Result<Rollup, ModelError> {
    Ok(Rollup {
        composite_milli: row.composite_milli.map(count),
        coverage: touming_domain::scoring::Coverage {
            expected: count(row.expected),
            submitted: count(row.submitted),
            approved: count(row.approved),
        },
        indicators: serde_json::from_str(&row.indicators).map_err(corrupt)?,
        spread: row
            .spread
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(corrupt)?,
    })
}

/// Recomputes one region's roll-up from its own checklist, its institutions' checklists
/// and its sub-regions' stored roll-ups (computing any that are missing first).
fn region_rollup<'a>(
    db: &'a DatabaseConnection,
    round: &'a round::Model,
    region: &'a org::Model,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Rollup, ModelError>> + Send + 'a>> {
    Box::pin(async move {
        let policy = policy(round)?;
        let assignments: HashMap<i64, assignment::Model> = assignment::Entity::find()
            .filter(assignment::Column::RoundId.eq(round.id))
            .filter(
                assignment::Column::OrgId.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(org::Column::Id)
                        .from(org::Entity)
                        .cond_where(
                            sea_orm::Condition::any()
                                .add(Expr::col(org::Column::Id).eq(region.id))
                                .add(Expr::col(org::Column::ParentId).eq(region.id)),
                        )
                        .to_owned(),
                ),
            )
            .all(db)
            .await?
            .into_iter()
            .map(|a| (a.org_id, a))
            .collect();
        let own = match assignments.get(&region.id) {
            Some(a) => Some(child_result(db, a).await?),
            None => None,
        };
        let children = org::Entity::find()
            .filter(org::Column::ParentId.eq(region.id))
            .order_by_asc(org::Column::Id)
            .all(db)
            .await?;
        let mut institutions = Vec::new();
        let mut subregions = Vec::new();
        for child in &children {
            if child.kind() == OrgKind::Institution {
                if let Some(a) = assignments.get(&child.id) {
                    institutions.push(child_result(db, a).await?);
                }
            } else {
                let existing = rollup::Entity::find()
                    .filter(rollup::Column::RoundId.eq(round.id))
                    .filter(rollup::Column::OrgId.eq(child.id))
                    .one(db)
                    .await?;
                let r = match existing {
                    Some(row) => stored(&row)?,
                    None => region_rollup(db, round, child).await?,
                };
                if r.coverage.expected > 0 {
                    subregions.push(r);
                }
            }
        }
        let result = rollup_region(
            own.as_ref(),
            &institutions,
            &subregions,
            &policy,
            is_closed(round),
        );
        save_rollup(db, round.id, region.id, &result).await?;
        Ok(result)
    })
}

async fn save_rollup(
    db: &DatabaseConnection,
    round_id: i64,
    org_id: i64,
    r: &Rollup,
) -> Result<(), ModelError> {
    let row = rollup::ActiveModel {
        id: NotSet,
        round_id: Set(round_id),
        org_id: Set(org_id),
        composite_milli: Set(r.composite_milli.map(|c| c as i32)),
        expected: Set(r.coverage.expected as i32),
        submitted: Set(r.coverage.submitted as i32),
        approved: Set(r.coverage.approved as i32),
        indicators: Set(serde_json::to_string(&r.indicators).map_err(corrupt)?),
        spread: Set(r
            .spread
            .map(|s| serde_json::to_string(&s))
            .transpose()
            .map_err(corrupt)?),
        computed_at: Set(Utc::now()),
    };
    rollup::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([rollup::Column::RoundId, rollup::Column::OrgId])
                .update_columns([
                    rollup::Column::CompositeMilli,
                    rollup::Column::Expected,
                    rollup::Column::Submitted,
                    rollup::Column::Approved,
                    rollup::Column::Indicators,
                    rollup::Column::Spread,
                    rollup::Column::ComputedAt,
                ])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// Recomputes the roll-ups of `org_id` (if it is a region) and of every region above
/// it, nearest first: only the ancestors of a changed checklist change.
pub async fn rollup_up_from(
    db: &DatabaseConnection,
    round: &round::Model,
    org_id: i64,
) -> Result<Vec<i64>, ModelError> {
    let Some(start) = org::Entity::find_by_id(org_id).one(db).await? else {
        return Ok(Vec::new());
    };
    let ids = OrgPath::from_stored(start.path.clone()).ids();
    let chain = org::Entity::find()
        .filter(org::Column::Id.is_in(ids))
        .all(db)
        .await?;
    let mut chain: Vec<org::Model> = chain.into_iter().filter(|o| o.kind().is_bureau()).collect();
    chain.sort_by_key(|o| std::cmp::Reverse(o.depth));
    for region in &chain {
        region_rollup(db, round, region).await?;
    }
    Ok(chain.iter().map(|o| o.id).collect())
}

/// Rescores every checklist of a round and recomputes every roll-up, deepest first.
/// For repair; gives exactly what the incremental path gives.
pub async fn rescore_round(
    db: &DatabaseConnection,
    round_id: i64,
) -> Result<Option<RollupChanged>, ModelError> {
    let Some(round) = round::Entity::find_by_id(round_id).one(db).await? else {
        return Ok(None);
    };
    let all = assignment::Entity::find()
        .filter(assignment::Column::RoundId.eq(round_id))
        .all(db)
        .await?;
    for a in &all {
        store_score(db, a, &round).await?;
    }
    let (lo, hi) = OrgPath::root(round.owner_org_id).subtree_range();
    let mut regions: Vec<org::Model> = org::Entity::find()
        .filter(org::Column::Path.gte(lo))
        .filter(org::Column::Path.lt(hi))
        .all(db)
        .await?
        .into_iter()
        .filter(|o| o.kind().is_bureau())
        .collect();
    regions.sort_by_key(|o| std::cmp::Reverse(o.depth));
    for region in &regions {
        region_rollup(db, &round, region).await?;
    }
    let mut org_ids: Vec<i64> = regions.iter().map(|o| o.id).collect();
    org_ids.extend(all.iter().map(|a| a.org_id));
    Ok(Some(RollupChanged { round_id, org_ids }))
}

/// Scores up to `limit` stale checklists of open or closed rounds; returns the changes.
pub async fn reconcile(
    db: &DatabaseConnection,
    limit: u64,
) -> Result<Vec<RollupChanged>, ModelError> {
    let stale: Vec<i64> = assignment::Entity::find()
        .select_only()
        .column(assignment::Column::Id)
        .filter(assignment::Column::ScoreStale.eq(true))
        .filter(
            assignment::Column::RoundId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(round::Column::Id)
                    .from(round::Entity)
                    .and_where(Expr::col(round::Column::Status).is_in(["OPEN", "CLOSED"]))
                    .to_owned(),
            ),
        )
        .order_by_asc(assignment::Column::UpdatedAt)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    let mut changes = Vec::new();
    for id in &stale {
        changes.extend(score_assignment(db, *id).await?);
    }
    Ok(changes)
}
