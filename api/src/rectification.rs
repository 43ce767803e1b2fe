//! Rectification (整改): publishing a round's results turns every item below full points
//! in an approved checklist into an entry for the checklist's org; the owner records
//! the fix with new evidence, a superior verifies it or reopens it. The rules of the
//! life cycle are `touming_domain::assessment::RectificationStatus`; this module reads
//! and writes the rows, each change in one transaction with its audit entry.

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, NotSet, PaginatorTrait, QueryFilter, QuerySelect, Set, TransactionTrait,
};
use serde_json::json;
use touming_domain::assessment::{AssignmentStatus, RectificationAction, RectificationStatus};
use touming_domain::scoring::AssignmentScore;
use touming_store::Stored;
use touming_store::entity::{answer, assignment, org, rectification, round, score};
use touming_store::stored;
use touming_worker::clock::today_in_china;

use crate::audit::{self, Entry};
use crate::error::{ApiError, ApiResult};
use crate::figures::Figure;
use crate::tenancy::Guard;

/// Days from publication to the default rectification deadline.
pub const DEFAULT_DAYS: u64 = 30;

/// Entries per INSERT: 20 columns each stays far below both databases' parameter
/// limits.
const INSERT_CHUNK: usize = 200;
const IN_CHUNK: usize = 900;

/// How far a region's rectification has got in a round.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: u32,
    pub verified: u32,
    /// Not verified and past the deadline.
    pub overdue: u32,
}

impl Counts {
    /// Verified of all, in thousandths of a percent; `None` with nothing to rectify.
    pub fn rate_milli(self) -> Option<u32> {
        touming_domain::scoring::Ratio {
            num: u64::from(self.verified),
            den: u64::from(self.total),
        }
        .percent_milli()
    }
}

/// Counts for each of `children` (by org id), over the entries owned in its subtree,
/// in one grouped statement.
pub async fn counts_by_child(
    db: &impl ConnectionTrait,
    round: &round::Model,
    parent: &org::Model,
    children: &[Figure],
) -> ApiResult<HashMap<i64, Counts>> {
    let mut out = HashMap::new();
    if round.published_at.is_none() || children.is_empty() {
        return Ok(out);
    }
    let (lo, hi) = parent.org_path().subtree_range();
    let rows: Vec<(String, String, i64)> = rectification::Entity::find()
        .select_only()
        .column(rectification::Column::OwnerPath)
        .column(rectification::Column::Status)
        .column_as(rectification::Column::Id.count(), "n")
        .filter(rectification::Column::RoundId.eq(round.id))
        .filter(rectification::Column::OwnerPath.gte(lo))
        .filter(rectification::Column::OwnerPath.lt(hi))
        .group_by(rectification::Column::OwnerPath)
        .group_by(rectification::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let overdue_after = round.rectification_deadline;
    let today = today_in_china();
    for (path, status, n) in rows {
        let Some(child) = crate::figures::child_of(children, &path) else {
            continue;
        };
        let status = RectificationStatus::parse(&status).unwrap_or(RectificationStatus::Open);
        let n = u32::try_from(n).unwrap_or(0);
        let c: &mut Counts = out.entry(child).or_default();
        c.total += n;
        if status.is_closed() {
            c.verified += n;
        } else if overdue_after.is_some_and(|d| status.is_overdue(d, today)) {
            c.overdue += n;
        }
    }
    Ok(out)
}

/// CLOSED → PUBLISHED: the results go out and rectification entries are made, due on
/// `deadline` (by default [`DEFAULT_DAYS`] from today). Refused while any checklist
/// still waits for its score, so no entry is made from a stale explanation.
pub async fn publish(
    db: &DatabaseConnection,
    guard: &Guard<'_>,
    round: round::Model,
    deadline: Option<NaiveDate>,
) -> ApiResult<(round::Model, usize)> {
    if !guard.is_province_reviewer(&round) || !guard.viewer().has_role(touming_domain::Role::Admin)
    {
        return Err(ApiError::Forbidden);
    }
    let next = round
        .status
        .publish()
        .map_err(|e| ApiError::field("id", e.to_string()))?;
    let today = today_in_china();
    let deadline = deadline.unwrap_or(today + Days::new(DEFAULT_DAYS));
    if deadline <= today {
        return Err(ApiError::field(
            "rectificationDeadline",
            "整改期限须晚于今天",
        ));
    }
    let pending = assignment::Entity::find()
        .filter(assignment::Column::RoundId.eq(round.id))
        .filter(assignment::Column::ScoreStale.eq(true))
        .count(db)
        .await?;
    if pending > 0 {
        return Err(ApiError::field(
            "id",
            format!("还有 {pending} 份填报表正在评分，请稍后再发布"),
        ));
    }

    let txn = db.begin().await?;
    let approved = assignment::Entity::find()
        .filter(assignment::Column::RoundId.eq(round.id))
        .filter(assignment::Column::Status.eq(stored(AssignmentStatus::Approved)))
        .all(&txn)
        .await?;
    let mut created = 0;
    let now = Utc::now();
    for chunk in approved.chunks(IN_CHUNK) {
        let org_ids: Vec<i64> = chunk.iter().map(|a| a.org_id).collect();
        let paths: HashMap<i64, String> = org::Entity::find()
            .select_only()
            .columns([org::Column::Id, org::Column::Path])
            .filter(org::Column::Id.is_in(org_ids))
            .into_tuple::<(i64, String)>()
            .all(&txn)
            .await?
            .into_iter()
            .collect();
        let ids: Vec<i64> = chunk.iter().map(|a| a.id).collect();
        let details: HashMap<i64, String> = score::Entity::find()
            .select_only()
            .columns([score::Column::AssignmentId, score::Column::Detail])
            .filter(score::Column::AssignmentId.is_in(ids))
            .into_tuple::<(i64, String)>()
            .all(&txn)
            .await?
            .into_iter()
            .collect();
        let mut rows = Vec::new();
        for a in chunk {
            let detail = details
                .get(&a.id)
                .ok_or_else(|| ApiError::field("id", "有已通过的填报表尚未评分，请稍后再发布"))?;
            let detail: AssignmentScore =
                serde_json::from_str(detail).map_err(ApiError::internal)?;
            for item in detail
                .items
                .iter()
                .filter(|i| i.applicable && (i.points_milli < i.weight_milli || i.veto_failed))
            {
                rows.push(rectification::ActiveModel {
                    id: NotSet,
                    round_id: Set(round.id),
                    assignment_id: Set(a.id),
                    owner_org_id: Set(a.org_id),
                    owner_path: Set(paths.get(&a.org_id).cloned().unwrap_or_default()),
                    version_id: Set(a.version_id),
                    item_code: Set(item.code.clone()),
                    item_title: Set(item.title.clone()),
                    category: Set(item.category.clone()),
                    points_milli: Set(i64::from(item.points_milli)),
                    max_milli: Set(i64::from(item.weight_milli)),
                    finding: Set(item.explanation.clone()),
                    deadline: Set(deadline),
                    status: Set(Stored(RectificationStatus::Open)),
                    fix_note: Set(None),
                    fix_evidence: Set(touming_store::rectification::evidence_text(&[])),
                    fixed_at: Set(None),
                    fixed_by: Set(None),
                    review_comment: Set(None),
                    reviewed_at: Set(None),
                    reviewed_by: Set(None),
                    version: Set(1),
                    created_at: Set(now),
                    updated_at: Set(now),
                });
            }
        }
        created += rows.len();
        for rows in rows.chunks(INSERT_CHUNK) {
            rectification::Entity::insert_many(rows.to_vec())
                .exec(&txn)
                .await?;
        }
    }
    let mut active = round.clone().into_active_model();
    active.status = Set(Stored(next));
    active.published_at = Set(Some(now));
    active.rectification_deadline = Set(Some(deadline));
    let published = active.update(&txn).await?;
    audit::record(
        &txn,
        &guard.viewer().actor(),
        Entry {
            action: "round.publish",
            entity: "round",
            entity_id: Some(round.id),
            org: Some(&guard.viewer().org),
            before: Some(json!({ "status": round.status })),
            after: Some(json!({
                "status": published.status,
                "rectificationDeadline": deadline,
                "rectificationsCreated": created,
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok((published, created))
}

/// What the owner or a superior does to an entry.
pub struct Update {
    pub action: RectificationAction,
    pub expected_version: i32,
    /// For a fix: what was done. For a review: the comment.
    pub note: Option<String>,
    /// For a fix: where the corrected disclosure can be seen.
    pub evidence_urls: Vec<String>,
}

fn is_url(u: &str) -> bool {
    u.starts_with("https://") || u.starts_with("http://") || u.starts_with("/evidence/")
}

/// Whether the viewer's role and place allow `action` on `entry`: a fix is for a
/// FILLER (or ADMIN) of the owner itself, verifying and reopening for a superior of the
/// owner. `update` refuses exactly what this refuses.
pub fn may_act(
    guard: &Guard<'_>,
    entry: &rectification::Model,
    action: RectificationAction,
) -> bool {
    match action {
        RectificationAction::Fix => guard.is_filler_of(entry.owner_org_id),
        RectificationAction::Verify | RectificationAction::Reopen => {
            guard.is_superior_of(&entry.owner_path)
        }
    }
}

/// What the page offers: allowed by role and place (`may_act`) and by the entry's status
/// now (a reopening's required note aside, which the dialog asks for).
pub fn can(guard: &Guard<'_>, entry: &rectification::Model, action: RectificationAction) -> bool {
    may_act(guard, entry, action) && entry.status.apply(action, Some("…")).is_ok()
}

/// Applies `update` to entry `id`. A fix must come from the owner's filler and bring
/// at least one piece of evidence the checklist did not already have; verifying and
/// reopening are for a reviewer above the owner.
pub async fn update(
    db: &DatabaseConnection,
    guard: &Guard<'_>,
    id: i64,
    update: Update,
) -> ApiResult<rectification::Model> {
    let entry = guard.rectification(db, id).await?;
    if !may_act(guard, &entry, update.action) {
        return Err(ApiError::Forbidden);
    }
    let owner = guard.org(db, entry.owner_org_id).await?;
    if entry.version != update.expected_version {
        return Err(ApiError::Conflict {
            current_version: i64::from(entry.version),
        });
    }
    let note = update
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    let status = *entry.status;
    let next = status
        .apply(update.action, note.as_deref())
        .map_err(|e| match update.action {
            RectificationAction::Reopen => ApiError::field("note", e.to_string()),
            _ => ApiError::field("action", e.to_string()),
        })?;

    let mut active = entry.clone().into_active_model();
    let now = Utc::now();
    // Validation reads only; the transaction opens once the input is known good.
    if update.action == RectificationAction::Fix {
        let mut errors = Vec::new();
        if note.is_none() {
            errors.push(crate::error::FieldError::new("note", "请说明整改情况"));
        }
        for (i, u) in update.evidence_urls.iter().enumerate() {
            if !is_url(u.trim()) {
                errors.push(crate::error::FieldError::new(
                    format!("evidenceUrls[{i}]"),
                    "佐证须为 http(s) 链接或已上传的佐证文件",
                ));
            }
        }
        let before: HashSet<String> = answer::Entity::find()
            .filter(answer::Column::AssignmentId.eq(entry.assignment_id))
            .filter(answer::Column::ItemCode.eq(&entry.item_code))
            .one(db)
            .await?
            .map(|a| serde_json::from_str::<Vec<String>>(&a.evidence_urls).unwrap_or_default())
            .unwrap_or_default()
            .into_iter()
            .collect();
        if !update
            .evidence_urls
            .iter()
            .any(|u| !before.contains(u.trim()))
        {
            errors.push(crate::error::FieldError::new(
                "evidenceUrls",
                "销号前须提供新的整改佐证（不能只沿用原填报的佐证）",
            ));
        }
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        let evidence: Vec<String> = update
            .evidence_urls
            .iter()
            .map(|u| u.trim().to_owned())
            .collect();
        active.fix_note = Set(note.clone());
        active.fix_evidence = Set(touming_store::rectification::evidence_text(&evidence));
        active.fixed_at = Set(Some(now));
        active.fixed_by = Set(Some(guard.viewer().user.id));
    } else {
        active.review_comment = Set(note.clone());
        active.reviewed_at = Set(Some(now));
        active.reviewed_by = Set(Some(guard.viewer().user.id));
    }
    let txn = db.begin().await?;
    active.status = Set(Stored(next));
    active.version = Set(entry.version + 1);
    active.updated_at = Set(now);
    // The version in the WHERE clause: a concurrent change makes this update miss.
    let changed = rectification::Entity::update_many()
        .set(active)
        .filter(rectification::Column::Id.eq(entry.id))
        .filter(rectification::Column::Version.eq(entry.version))
        .exec(&txn)
        .await?;
    if changed.rows_affected != 1 {
        return Err(ApiError::Conflict {
            current_version: i64::from(entry.version) + 1,
        });
    }
    let after = rectification::Entity::find_by_id(entry.id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("整改事项"))?;
    audit::record(
        &txn,
        &guard.viewer().actor(),
        Entry {
            action: match update.action {
                RectificationAction::Fix => "rectification.fix",
                RectificationAction::Verify => "rectification.verify",
                RectificationAction::Reopen => "rectification.reopen",
            },
            entity: "rectification",
            entity_id: Some(entry.id),
            org: Some(&owner),
            before: Some(json!({ "status": entry.status, "version": entry.version })),
            after: Some(json!({
                "status": after.status,
                "version": after.version,
                "note": note,
                "evidenceUrls": update.evidence_urls,
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}
