//! Checklists counted per region subtree, straight from the `assignment` rows: what a
//! region's coverage is before (or while) the worker rolls it up, and whether anything
//! below it changed since.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, Statement};
use touming_domain::assessment::AssignmentStatus;

use crate::error::StoreResult;

/// One region's checklists in one round.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SubtreeCount {
    pub expected: u32,
    pub submitted: u32,
    pub approved: u32,
    /// Checklists changed since their score (and so the roll-ups above them) was written.
    pub stale: u32,
}

/// Counts for each `(round, region)`, in one statement whatever the numbers. A region
/// with nothing counted below it in a round has no entry. Regions in `whole` count
/// every checklist below them (they have no roll-up yet, so coverage comes from here);
/// the others count only stale ones — all their staleness needs — which keeps the join
/// small once a round is rolled up.
pub async fn subtree_counts(
    db: &impl ConnectionTrait,
    round_ids: &[i64],
    region_ids: &[i64],
    whole: &[i64],
) -> StoreResult<HashMap<(i64, i64), SubtreeCount>> {
    if round_ids.is_empty() || region_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let list = |ids: &[i64]| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let submitted = format!(
        "'{}','{}'",
        AssignmentStatus::Submitted.as_str(),
        AssignmentStatus::Approved.as_str()
    );
    let approved = format!("'{}'", AssignmentStatus::Approved.as_str());
    // The subtree is the path range [path, path with its last '/' replaced by '0'), as
    // everywhere (ARCHITECTURE.md, "The org path is the tree"). Ids and codes are
    // integers and the enum's own codes, so the statement is built as text.
    let sql = format!(
        "SELECT a.round_id AS round_id, o.id AS region_id, \
                COUNT(*) AS expected, \
                SUM(CASE WHEN a.status IN ({submitted}) THEN 1 ELSE 0 END) AS submitted, \
                SUM(CASE WHEN a.status = {approved} THEN 1 ELSE 0 END) AS approved, \
                SUM(CASE WHEN a.score_stale THEN 1 ELSE 0 END) AS stale \
         FROM org o \
         JOIN org c ON c.path >= o.path \
                   AND c.path < substr(o.path, 1, length(o.path) - 1) || '0' \
         JOIN assignment a ON a.org_id = c.id \
         WHERE o.id IN ({regions}) AND a.round_id IN ({rounds}) AND ({counted}) \
         GROUP BY a.round_id, o.id",
        regions = list(region_ids),
        counted = if whole.is_empty() {
            "a.score_stale".to_owned()
        } else {
            format!("a.score_stale OR o.id IN ({})", list(whole))
        },
        rounds = list(round_ids),
    );
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    let mut out = HashMap::with_capacity(rows.len());
    for row in rows {
        let count = |column: &str| -> StoreResult<u32> {
            let n: i64 = row.try_get("", column)?;
            Ok(u32::try_from(n).unwrap_or(u32::MAX))
        };
        out.insert(
            (row.try_get("", "round_id")?, row.try_get("", "region_id")?),
            SubtreeCount {
                expected: count("expected")?,
                submitted: count("submitted")?,
                approved: count("approved")?,
                stale: count("stale")?,
            },
        );
    }
    Ok(out)
}
