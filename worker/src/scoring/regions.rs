//! Regions' roll-ups. Both paths — the ancestors of changed checklists, and a whole
//! subtree — gather the same parts for a region and hand them to
//! `domain::scoring::rollup_region`, so an incremental update equals a full recompute.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use touming_domain::assessment::AssignmentStatus;
use touming_domain::scoring::{ChildResult, Indicators, Rollup, Tally, rollup_region};
use touming_domain::{OrgKind, OrgPath};

use super::RoundContext;
use touming_store::StoreError;
use touming_store::Stored;
use touming_store::entity::{assignment, org, rollup, score};
use touming_store::scores::{rollup_from_row, rollup_to_row, score_indicators, score_tally};

/// Ids per `IN (…)` list: well under SQLite's and PostgreSQL's parameter limits.
pub(super) const IN_CHUNK: usize = 900;

/// An org as the roll-up sees it.
#[derive(Debug, Clone, Copy)]
struct Node {
    id: i64,
    parent_id: Option<i64>,
    institution: bool,
    depth: i32,
}

impl Node {
    fn from_row((id, parent_id, kind, depth): NodeRow) -> Option<Self> {
        let kind = *kind;
        let institution = kind == OrgKind::Institution;
        // Only bureaus and institutions take part; the platform org never does.
        (institution || kind.is_bureau()).then_some(Node {
            id,
            parent_id,
            institution,
            depth,
        })
    }
}

type NodeRow = (i64, Option<i64>, Stored<OrgKind>, i32);

fn node_query() -> sea_orm::Select<org::Entity> {
    org::Entity::find().select_only().columns([
        org::Column::Id,
        org::Column::ParentId,
        org::Column::Kind,
        org::Column::Depth,
    ])
}

async fn nodes(
    db: &DatabaseConnection,
    query: sea_orm::Select<org::Entity>,
) -> Result<Vec<Node>, StoreError> {
    Ok(query
        .into_tuple::<NodeRow>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(Node::from_row)
        .collect())
}

type AssignmentRow = (i64, i64, Stored<AssignmentStatus>);
type ScoreRow = (i64, i32, String, String);

/// Checklists as the roll-up sees them, by org: status from the checklist, percent and
/// indicators from its stored score (none yet counts as 0). `None` means every org of
/// the round.
async fn child_results(
    db: &DatabaseConnection,
    round_id: i64,
    org_ids: Option<&[i64]>,
) -> Result<HashMap<i64, ChildResult>, StoreError> {
    let select_assignments = || {
        assignment::Entity::find()
            .select_only()
            .columns([
                assignment::Column::Id,
                assignment::Column::OrgId,
                assignment::Column::Status,
            ])
            .filter(assignment::Column::RoundId.eq(round_id))
    };
    let select_scores = || {
        score::Entity::find()
            .select_only()
            .columns([
                score::Column::AssignmentId,
                score::Column::PercentMilli,
                score::Column::Indicators,
                score::Column::Tally,
            ])
            .filter(score::Column::RoundId.eq(round_id))
    };
    let mut assignments: Vec<AssignmentRow> = Vec::new();
    let mut scores: HashMap<i64, ScoreRow> = HashMap::new();
    match org_ids {
        None => {
            assignments = select_assignments().into_tuple().all(db).await?;
            for s in select_scores().into_tuple::<ScoreRow>().all(db).await? {
                scores.insert(s.0, s);
            }
        }
        Some(org_ids) => {
            for chunk in org_ids.chunks(IN_CHUNK) {
                assignments.extend(
                    select_assignments()
                        .filter(assignment::Column::OrgId.is_in(chunk.to_vec()))
                        .into_tuple::<AssignmentRow>()
                        .all(db)
                        .await?,
                );
            }
            let ids: Vec<i64> = assignments.iter().map(|c| c.0).collect();
            for chunk in ids.chunks(IN_CHUNK) {
                for s in select_scores()
                    .filter(score::Column::AssignmentId.is_in(chunk.to_vec()))
                    .into_tuple::<ScoreRow>()
                    .all(db)
                    .await?
                {
                    scores.insert(s.0, s);
                }
            }
        }
    }
    let mut out = HashMap::with_capacity(assignments.len());
    for (id, org_id, status) in assignments {
        let (percent_milli, indicators, tally) = match scores.get(&id) {
            Some((_, percent, indicators, tally)) => (
                (*percent).max(0) as u32,
                score_indicators(id, indicators)?,
                score_tally(id, tally)?,
            ),
            None => (0, Indicators::default(), Tally::default()),
        };
        out.insert(
            org_id,
            ChildResult {
                percent_milli,
                submitted: status.is_submitted(),
                approved: status == AssignmentStatus::Approved,
                indicators,
                tally,
            },
        );
    }
    Ok(out)
}

/// One region's roll-up from its parts. Sub-regions that expect no checklist at all
/// are left out, so an empty district does not count as a zero.
fn compute(
    ctx: &RoundContext,
    own: Option<&ChildResult>,
    institutions: &[ChildResult],
    subregions: &[Rollup],
) -> Rollup {
    let subregions: Vec<Rollup> = subregions
        .iter()
        .filter(|r| r.coverage.expected > 0)
        .cloned()
        .collect();
    rollup_region(own, institutions, &subregions, &ctx.policy, ctx.closed())
}

/// Computes the roll-ups of `regions` (deepest first) from `children` of each, with the
/// checklists' `results` and the sub-regions' roll-ups in `rollups`, into which the new
/// ones are added as they are made.
fn compute_regions(
    ctx: &RoundContext,
    regions: &[Node],
    children: &HashMap<i64, Vec<Node>>,
    results: &HashMap<i64, ChildResult>,
    rollups: &mut HashMap<i64, Rollup>,
) -> Vec<(i64, Rollup)> {
    let mut out = Vec::with_capacity(regions.len());
    let none = Vec::new();
    for region in regions {
        let kids = children.get(&region.id).unwrap_or(&none);
        let institutions: Vec<ChildResult> = kids
            .iter()
            .filter(|c| c.institution)
            .filter_map(|c| results.get(&c.id).cloned())
            .collect();
        let subregions: Vec<Rollup> = kids
            .iter()
            .filter(|c| !c.institution)
            .filter_map(|c| rollups.get(&c.id).cloned())
            .collect();
        let r = compute(ctx, results.get(&region.id), &institutions, &subregions);
        rollups.insert(region.id, r.clone());
        out.push((region.id, r));
    }
    out
}

fn children_of(nodes: &[Node]) -> HashMap<i64, Vec<Node>> {
    let mut children: HashMap<i64, Vec<Node>> = HashMap::new();
    for n in nodes {
        if let Some(p) = n.parent_id {
            children.entry(p).or_default().push(*n);
        }
    }
    children
}

fn deepest_first(mut regions: Vec<Node>) -> Vec<Node> {
    regions.sort_by_key(|n| (std::cmp::Reverse(n.depth), n.id));
    regions
}

/// Recomputes every roll-up under and including `root`, from the stored scores;
/// returns the regions recomputed.
pub(super) async fn recompute_subtree(
    db: &DatabaseConnection,
    ctx: &RoundContext,
    root: &org::Model,
) -> Result<HashMap<i64, Rollup>, StoreError> {
    let (lo, hi) = root.org_path().subtree_range();
    let all = nodes(
        db,
        node_query()
            .filter(org::Column::Path.gte(lo))
            .filter(org::Column::Path.lt(hi)),
    )
    .await?;
    let results = if root.id == ctx.round.owner_org_id {
        child_results(db, ctx.round.id, None).await?
    } else {
        let ids: Vec<i64> = all.iter().map(|n| n.id).collect();
        child_results(db, ctx.round.id, Some(&ids)).await?
    };
    let regions = deepest_first(all.iter().filter(|n| !n.institution).copied().collect());
    let mut rollups = HashMap::new();
    let computed = compute_regions(ctx, &regions, &children_of(&all), &results, &mut rollups);
    save(db, ctx.round.id, &computed).await?;
    Ok(rollups)
}

/// Recomputes the roll-ups of the regions among `org_ids` and of every region above
/// them, a level at a time, deepest first: only the ancestors of a changed checklist
/// change. Returns the regions recomputed.
pub(super) async fn recompute_ancestors(
    db: &DatabaseConnection,
    ctx: &RoundContext,
    org_ids: &[i64],
) -> Result<Vec<i64>, StoreError> {
    let mut chain: HashSet<i64> = HashSet::new();
    for chunk in org_ids.chunks(IN_CHUNK) {
        let paths: Vec<String> = org::Entity::find()
            .select_only()
            .column(org::Column::Path)
            .filter(org::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        for path in paths {
            chain.extend(OrgPath::from_stored(path).ids());
        }
    }
    let chain: Vec<i64> = chain.into_iter().collect();
    let mut levels: BTreeMap<std::cmp::Reverse<i32>, Vec<Node>> = BTreeMap::new();
    for chunk in chain.chunks(IN_CHUNK) {
        for n in nodes(
            db,
            node_query().filter(org::Column::Id.is_in(chunk.to_vec())),
        )
        .await?
        {
            if !n.institution {
                levels
                    .entry(std::cmp::Reverse(n.depth))
                    .or_default()
                    .push(n);
            }
        }
    }
    let mut rollups: HashMap<i64, Rollup> = HashMap::new();
    let mut recomputed = Vec::new();
    for (_, regions) in levels {
        let region_ids: Vec<i64> = regions.iter().map(|n| n.id).collect();
        let mut kids = Vec::new();
        for chunk in region_ids.chunks(IN_CHUNK) {
            kids.extend(
                nodes(
                    db,
                    node_query().filter(org::Column::ParentId.is_in(chunk.to_vec())),
                )
                .await?,
            );
        }
        let mut wanted: Vec<i64> = region_ids.clone();
        wanted.extend(kids.iter().filter(|k| k.institution).map(|k| k.id));
        let results = child_results(db, ctx.round.id, Some(&wanted)).await?;
        let missing: Vec<i64> = kids
            .iter()
            .filter(|k| !k.institution && !rollups.contains_key(&k.id))
            .map(|k| k.id)
            .collect();
        load_rollups(db, ctx, &missing, &mut rollups).await?;
        let computed = compute_regions(
            ctx,
            &deepest_first(regions),
            &children_of(&kids),
            &results,
            &mut rollups,
        );
        save(db, ctx.round.id, &computed).await?;
        recomputed.extend(region_ids);
    }
    Ok(recomputed)
}

/// Adds the stored roll-ups of `ids` to `rollups`; a region never rolled up yet (its
/// checklists all untouched) is computed first, with its whole subtree.
async fn load_rollups(
    db: &DatabaseConnection,
    ctx: &RoundContext,
    ids: &[i64],
    rollups: &mut HashMap<i64, Rollup>,
) -> Result<(), StoreError> {
    for chunk in ids.chunks(IN_CHUNK) {
        for row in rollup::Entity::find()
            .filter(rollup::Column::RoundId.eq(ctx.round.id))
            .filter(rollup::Column::OrgId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            rollups.insert(row.org_id, rollup_from_row(&row)?);
        }
    }
    for id in ids {
        if rollups.contains_key(id) {
            continue;
        }
        if let Some(region) = org::Entity::find_by_id(*id).one(db).await? {
            rollups.extend(Box::pin(recompute_subtree(db, ctx, &region)).await?);
        }
    }
    Ok(())
}

async fn save(
    db: &DatabaseConnection,
    round_id: i64,
    rollups: &[(i64, Rollup)],
) -> Result<(), StoreError> {
    let now = Utc::now();
    for chunk in rollups.chunks(500) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(org_id, r)| rollup_to_row(round_id, *org_id, r, now))
            .collect();
        rollup::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([rollup::Column::RoundId, rollup::Column::OrgId])
                    .update_columns([
                        rollup::Column::CompositeMilli,
                        rollup::Column::StrictCompositeMilli,
                        rollup::Column::Expected,
                        rollup::Column::Submitted,
                        rollup::Column::Approved,
                        rollup::Column::Indicators,
                        rollup::Column::Spread,
                        rollup::Column::Tally,
                        rollup::Column::ComputedAt,
                    ])
                    .to_owned(),
            )
            .exec(db)
            .await?;
    }
    Ok(())
}
