//! Freshness: from the commit of a submission until the province's roll-up reflects
//! it, measured the way a province's screen sees it — the `rollupChanged` event that
//! names the province, after the checklist's score has caught up with the submission.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait};
use touming_domain::assessment::AnswerStatus;
use touming_store::entity::{answer, assignment, score};
use touming_store::stored;
use touming_worker::Job;

use super::generate::Province;
use super::percentile;
use touming_api::state::AppState;

#[derive(Debug)]
pub struct Freshness {
    pub submissions: usize,
    pub rate_per_second: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// Submissions whose figure had not reached the province a minute after the last.
    pub missing: usize,
}

/// A submission waiting for the province's figure: its checklist's new version and
/// when it was committed.
struct Pending {
    assignment_id: i64,
    version: i32,
    committed: Instant,
}

/// One filler's submission as the API writes it: the changed answer, and the
/// checklist's version bump with its score marked stale, in one transaction; then the
/// nudge to the worker.
async fn submit(state: &AppState, assignment_id: i64) -> anyhow::Result<(i32, Instant)> {
    let txn = state.db.begin().await?;
    answer::Entity::update_many()
        .col_expr(
            answer::Column::Status,
            Expr::case(
                answer::Column::Status.eq(stored(AnswerStatus::Disclosed)),
                stored(AnswerStatus::Partial),
            )
            .finally(stored(AnswerStatus::Disclosed))
            .into(),
        )
        .col_expr(answer::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(answer::Column::AssignmentId.eq(assignment_id))
        .filter(answer::Column::ItemCode.eq("0002"))
        .exec(&txn)
        .await?;
    assignment::Entity::update_many()
        .col_expr(
            assignment::Column::Version,
            Expr::col(assignment::Column::Version).add(1),
        )
        .col_expr(assignment::Column::ScoreStale, Expr::value(true))
        .col_expr(assignment::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(assignment::Column::Id.eq(assignment_id))
        .exec(&txn)
        .await?;
    let version: i32 = assignment::Entity::find_by_id(assignment_id)
        .select_only()
        .column(assignment::Column::Version)
        .into_tuple()
        .one(&txn)
        .await?
        .unwrap_or_default();
    txn.commit().await?;
    Ok((version, Instant::now()))
}

/// Submits `n` checklists of the province's round at `rate` per second, each from its
/// own task, with a worker running beside; returns the latency distribution.
pub async fn measure(
    state: &AppState,
    province: &Province,
    n: usize,
    rate: f64,
) -> anyhow::Result<Freshness> {
    let mut events = state.events.subscribe();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(touming_api::app::worker(state).run(stopped));

    let all: Vec<(i64, i64)> = assignment::Entity::find()
        .select_only()
        .columns([assignment::Column::Id, assignment::Column::OrgId])
        .filter(assignment::Column::RoundId.eq(province.round.id))
        .order_by_asc(assignment::Column::Id)
        .into_tuple()
        .all(&state.db)
        .await?;
    let step = (all.len() / n.max(1)).max(1);
    let chosen: Vec<(i64, i64)> = all.iter().step_by(step).take(n).copied().collect();

    let pending: Arc<Mutex<HashMap<i64, Pending>>> = Arc::default();
    let latencies: Arc<Mutex<Vec<f64>>> = Arc::default();
    let watcher = {
        let (pending, latencies, db) = (pending.clone(), latencies.clone(), state.db.clone());
        let (round_id, province_id) = (province.round.id, province.org.id);
        tokio::spawn(async move {
            while let Ok(event) = events.recv().await {
                let seen = Instant::now();
                if event.round_id != round_id || !event.org_ids.contains(&province_id) {
                    continue;
                }
                let candidates: Vec<(i64, i64, i32, Instant)> = {
                    let p = pending.lock().unwrap_or_else(|e| e.into_inner());
                    event
                        .org_ids
                        .iter()
                        .filter_map(|o| {
                            p.get(o)
                                .map(|w| (*o, w.assignment_id, w.version, w.committed))
                        })
                        .collect()
                };
                if candidates.is_empty() {
                    continue;
                }
                let ids: Vec<i64> = candidates.iter().map(|c| c.1).collect();
                let Ok(versions) = score::Entity::find()
                    .select_only()
                    .columns([score::Column::AssignmentId, score::Column::AnswersVersion])
                    .filter(score::Column::AssignmentId.is_in(ids))
                    .into_tuple::<(i64, i32)>()
                    .all(&db)
                    .await
                else {
                    continue;
                };
                let versions: HashMap<i64, i32> = versions.into_iter().collect();
                let mut p = pending.lock().unwrap_or_else(|e| e.into_inner());
                let mut l = latencies.lock().unwrap_or_else(|e| e.into_inner());
                for (org, id, version, committed) in candidates {
                    // An event from a batch that read the checklist before this
                    // submission does not count.
                    if versions.get(&id).is_some_and(|v| *v >= version) {
                        p.remove(&org);
                        l.push(seen.duration_since(committed).as_secs_f64() * 1000.0);
                    }
                }
            }
        })
    };

    let started = Instant::now();
    let mut submitters = Vec::new();
    for (i, (assignment_id, org_id)) in chosen.iter().copied().enumerate() {
        let at = started + Duration::from_secs_f64(i as f64 / rate);
        tokio::time::sleep_until(at.into()).await;
        let (state, pending) = (state.clone(), pending.clone());
        submitters.push(tokio::spawn(async move {
            let (version, committed) = submit(&state, assignment_id).await?;
            pending.lock().unwrap_or_else(|e| e.into_inner()).insert(
                org_id,
                Pending {
                    assignment_id,
                    version,
                    committed,
                },
            );
            touming_api::assessment::nudge(&state, Job::ScoreAssignment { assignment_id }).await;
            anyhow::Ok(())
        }));
    }
    for s in submitters {
        s.await??;
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline && !pending.lock().unwrap_or_else(|e| e.into_inner()).is_empty()
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let missing = pending.lock().unwrap_or_else(|e| e.into_inner()).len();
    let _ = stop.send(true);
    watcher.abort();
    let _ = worker.await;

    let mut sorted = latencies.lock().unwrap_or_else(|e| e.into_inner()).clone();
    sorted.sort_by(f64::total_cmp);
    Ok(Freshness {
        submissions: chosen.len(),
        rate_per_second: rate,
        p50_ms: percentile(&sorted, 50.0),
        p95_ms: percentile(&sorted, 95.0),
        p99_ms: percentile(&sorted, 99.0),
        max_ms: sorted.last().copied().unwrap_or(f64::NAN),
        missing,
    })
}
