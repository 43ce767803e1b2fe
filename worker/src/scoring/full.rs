//! A whole round rescored: checklists in chunks through a three-stage pipeline — the
//! next chunk's answers are read while this one is scored and the last one written —
//! then every roll-up recomputed in memory from the stored scores, deepest first.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use tokio::sync::mpsc;
use touming_domain::assessment::Answer;

use super::{RoundContext, Scorer, ScoringError, assignments, regions};
use crate::events::RollupChanged;
use touming_store::StoreError;
use touming_store::entity::{assignment, org};

/// Checklists per chunk: big enough that round trips stop mattering, small enough that
/// a national round's answers never sit in memory at once.
const CHUNK: usize = 500;

type Loaded = Result<(Vec<assignment::Model>, HashMap<i64, Vec<Answer>>), StoreError>;

pub(super) async fn rescore(
    scorer: &Scorer,
    ctx: &RoundContext,
) -> Result<RollupChanged, ScoringError> {
    let db = &scorer.db;
    let all = assignment::Entity::find()
        .filter(assignment::Column::RoundId.eq(ctx.round.id))
        .order_by_asc(assignment::Column::Id)
        .all(db)
        .await?;
    let mut org_ids: Vec<i64> = all.iter().map(|a| a.org_id).collect();

    let (tx, mut rx) = mpsc::channel::<Loaded>(2);
    let chunks: Vec<Vec<assignment::Model>> = all.chunks(CHUNK).map(<[_]>::to_vec).collect();
    let reader = {
        let db = db.clone();
        tokio::spawn(async move {
            for chunk in chunks {
                let loaded = assignments::load_answers(&db, &chunk)
                    .await
                    .map(|answers| (chunk, answers));
                if tx.send(loaded).await.is_err() {
                    break;
                }
            }
        })
    };
    let mut writing: Option<tokio::task::JoinHandle<Result<(), StoreError>>> = None;
    while let Some(loaded) = rx.recv().await {
        let (chunk, answers) = loaded?;
        let mut items = HashMap::new();
        for a in &chunk {
            if let std::collections::hash_map::Entry::Vacant(e) = items.entry(a.version_id) {
                e.insert(scorer.items(a.version_id).await?);
            }
        }
        let ctx = ctx.clone();
        // Scoring is pure CPU: the chunk is split over the cores, each slice on a thread
        // of its own, and the results joined in order.
        let scored = tokio::task::spawn_blocking(move || {
            let score = |part: &[assignment::Model]| {
                part.iter()
                    .map(|a| {
                        let answers = answers.get(&a.id).map(Vec::as_slice).unwrap_or(&[]);
                        assignments::score(&ctx, &items[&a.version_id], a, answers)
                    })
                    .collect::<Vec<_>>()
            };
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            let per = chunk.len().div_ceil(cores).max(1);
            std::thread::scope(|scope| {
                let parts: Vec<_> = chunk
                    .chunks(per)
                    .map(|part| scope.spawn(move || score(part)))
                    .collect();
                parts
                    .into_iter()
                    .flat_map(|p| p.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                    .collect::<Vec<_>>()
            })
        })
        .await?;
        if let Some(previous) = writing.take() {
            previous.await??;
        }
        let db = db.clone();
        writing = Some(tokio::spawn(async move {
            assignments::store(&db, &scored).await
        }));
    }
    if let Some(last) = writing {
        last.await??;
    }
    reader.await?;

    let Some(owner) = org::Entity::find_by_id(ctx.round.owner_org_id)
        .one(db)
        .await?
    else {
        return Err(ScoringError::NoOwner(ctx.round.id));
    };
    let rollups = regions::recompute_subtree(db, ctx, &owner).await?;
    let ids: Vec<i64> = all.iter().map(|a| a.id).collect();
    assignments::settle(db, &ids).await?;
    org_ids.extend(rollups.keys());
    Ok(RollupChanged {
        round_id: ctx.round.id,
        org_ids,
    })
}
