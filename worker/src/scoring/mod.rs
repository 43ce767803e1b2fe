//! Scoring checklists and rolling them up, against the database. The database is the
//! truth: saving a checklist marks its score stale in the same transaction; a score is
//! written with the checklist version it was computed from, and the mark is cleared
//! only after the roll-ups above it are written and only if the checklist did not
//! change meanwhile — so a reconciler that rescores whatever is stale always converges,
//! whenever a worker dies.
//!
//! Work is done in batches — one query for a batch's answers, one statement per chunk
//! of scores, one level of the hierarchy at a time — because round trips, not
//! arithmetic, are what a rescore costs (docs/benchmarks.md).

mod assignments;
mod full;
mod regions;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use touming_domain::Calendar;
use touming_domain::assessment::ScoringPolicy;
use touming_domain::catalogue::Item;

use crate::clock::today_in_china;
use crate::events::RollupChanged;
use touming_domain::assessment::RoundStatus;
use touming_store::catalogue::RoundItems;
use touming_store::entity::{assignment, round};
use touming_store::round::{is_closed, policy};
use touming_store::{StoreError, stored};

/// Why scoring a batch or a round failed. The job that asked for it fails with this
/// text in the log and the job stream, and is retried (see `runner`).
#[derive(Debug, thiserror::Error)]
pub enum ScoringError {
    /// Reading or writing the model failed, or a stored value was unreadable.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A scoring or writing task panicked or was cancelled.
    #[error("scoring task: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// The round's owner org is gone: a hand edit of the database.
    #[error("round {0} has no owner org")]
    NoOwner(i64),
}

impl From<sea_orm::DbErr> for ScoringError {
    fn from(e: sea_orm::DbErr) -> Self {
        ScoringError::Store(e.into())
    }
}

/// Everything a round's scoring needs besides the checklists themselves.
#[derive(Clone)]
struct RoundContext {
    round: round::Model,
    policy: ScoringPolicy,
    calendar: Arc<Calendar>,
    as_of: NaiveDate,
}

impl RoundContext {
    async fn load(db: &DatabaseConnection, round_id: i64) -> Result<Option<Self>, StoreError> {
        let Some(round) = round::Entity::find_by_id(round_id).one(db).await? else {
            return Ok(None);
        };
        Ok(Some(Self {
            policy: policy(&round)?,
            calendar: Arc::new(touming_store::calendar::calendar(db).await?),
            as_of: today_in_china(),
            round,
        }))
    }

    fn closed(&self) -> bool {
        is_closed(&self.round)
    }
}

/// Scores checklists and rolls them up, with the items of the catalogue versions it
/// has read (rounds only use published versions, which never change).
pub struct Scorer {
    db: DatabaseConnection,
    items: RoundItems,
}

impl Scorer {
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            db,
            items: RoundItems::default(),
        }
    }

    async fn items(&self, version_id: i64) -> Result<Arc<Vec<Item>>, StoreError> {
        self.items.of(&self.db, version_id).await
    }

    /// Scores these checklists and rolls the changes up their ancestors, each ancestor
    /// once however many of its checklists changed; one event per round.
    pub async fn score_assignments(&self, ids: &[i64]) -> Result<Vec<RollupChanged>, ScoringError> {
        let mut by_round: HashMap<i64, Vec<assignment::Model>> = HashMap::new();
        // The version is read before the answers: a save in between leaves the score
        // stale rather than labelling new answers with an old version.
        for chunk in ids.chunks(regions::IN_CHUNK) {
            for a in assignment::Entity::find()
                .filter(assignment::Column::Id.is_in(chunk.to_vec()))
                .all(&self.db)
                .await?
            {
                by_round.entry(a.round_id).or_default().push(a);
            }
        }
        let mut changes = Vec::new();
        for (round_id, batch) in by_round {
            let Some(ctx) = RoundContext::load(&self.db, round_id).await? else {
                continue;
            };
            let answers = assignments::load_answers(&self.db, &batch).await?;
            let mut scored = Vec::with_capacity(batch.len());
            for a in &batch {
                let items = self.items(a.version_id).await?;
                let empty = Vec::new();
                let answers = answers.get(&a.id).unwrap_or(&empty);
                scored.push(assignments::score(&ctx, &items, a, answers));
            }
            assignments::store(&self.db, &scored).await?;
            let changed: Vec<i64> = batch.iter().map(|a| a.org_id).collect();
            let mut org_ids = regions::recompute_ancestors(&self.db, &ctx, &changed).await?;
            let ids: Vec<i64> = batch.iter().map(|a| a.id).collect();
            assignments::settle(&self.db, &ids).await?;
            for id in changed {
                if !org_ids.contains(&id) {
                    org_ids.push(id);
                }
            }
            changes.push(RollupChanged { round_id, org_ids });
        }
        Ok(changes)
    }

    /// Rescores every checklist of a round and recomputes every roll-up, deepest
    /// first. For repair; gives exactly what the incremental path gives.
    pub async fn rescore_round(
        &self,
        round_id: i64,
    ) -> Result<Option<RollupChanged>, ScoringError> {
        let Some(ctx) = RoundContext::load(&self.db, round_id).await? else {
            return Ok(None);
        };
        full::rescore(self, &ctx).await.map(Some)
    }

    /// Scores up to `limit` stale checklists of open or closed rounds.
    pub async fn reconcile(&self, limit: u64) -> Result<Vec<RollupChanged>, ScoringError> {
        let stale: Vec<i64> = assignment::Entity::find()
            .select_only()
            .column(assignment::Column::Id)
            .filter(assignment::Column::ScoreStale.eq(true))
            .filter(
                assignment::Column::RoundId.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(round::Column::Id)
                        .from(round::Entity)
                        .and_where(
                            Expr::col(round::Column::Status)
                                .is_in([stored(RoundStatus::Open), stored(RoundStatus::Closed)]),
                        )
                        .to_owned(),
                ),
            )
            .order_by_asc(assignment::Column::UpdatedAt)
            .limit(limit)
            .into_tuple()
            .all(&self.db)
            .await?;
        if stale.is_empty() {
            return Ok(Vec::new());
        }
        self.score_assignments(&stale).await
    }
}
