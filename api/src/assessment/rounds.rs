//! Creating, opening and closing rounds. Opening creates one checklist per org in scope,
//! idempotently, and (回头看) prefills answers from the previous round on the same
//! catalogue.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, NotSet,
    QueryFilter, Set, TransactionTrait,
};
use serde_json::json;
use touming_domain::OrgKind;
use touming_domain::assessment::{AssignmentStatus, RoundStatus, ScoringPolicy};
use touming_domain::catalogue::VersionStatus;
use touming_store::Stored;
use touming_store::entity::{
    answer, assignment, catalogue_item, catalogue_version, org, round, round_catalogue, round_scope,
};

use crate::audit::{self, Entry};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::tenancy::Guard;

/// Which orgs of the round's kinds take part. Empty: the whole province.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// These orgs and everything below them (a pilot city, a pilot county).
    pub subtrees: Vec<i64>,
    /// These orgs alone (a list of pilot hospitals).
    pub orgs: Vec<i64>,
}

impl Scope {
    pub fn is_whole_province(&self) -> bool {
        self.subtrees.is_empty() && self.orgs.is_empty()
    }
}

/// A round's scope as stored: the rows and the path of each org they name.
pub struct StoredScope(Vec<(round_scope::Model, org::Model)>);

impl StoredScope {
    pub async fn of(db: &impl sea_orm::ConnectionTrait, round_id: i64) -> ApiResult<Self> {
        let rows = round_scope::Entity::find()
            .filter(round_scope::Column::RoundId.eq(round_id))
            .all(db)
            .await?;
        if rows.is_empty() {
            return Ok(StoredScope(Vec::new()));
        }
        let orgs: HashMap<i64, org::Model> = org::Entity::find()
            .filter(org::Column::Id.is_in(rows.iter().map(|r| r.org_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|o| (o.id, o))
            .collect();
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let org = orgs.get(&row.org_id).cloned().ok_or_else(|| {
                ApiError::internal(anyhow::anyhow!(
                    "round_scope {} names a missing org",
                    row.id
                ))
            })?;
            out.push((row, org));
        }
        Ok(StoredScope(out))
    }

    /// Whether `org` takes part: no rows means everyone of the round's kinds.
    pub fn covers(&self, org: &org::Model) -> bool {
        self.0.is_empty()
            || self.0.iter().any(|(row, named)| {
                named.id == org.id || (row.subtree && org.path.starts_with(&named.path))
            })
    }
}

pub struct NewRound {
    pub title: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub deadline: NaiveDate,
    /// Which catalogue version applies to which org kind.
    pub catalogues: Vec<(OrgKind, i64)>,
    /// Kinds given a catalogue that is not for them, deliberately (`allowOtherKind`);
    /// otherwise a catalogue is only used for the kinds it states.
    pub other_kind_allowed: Vec<OrgKind>,
    /// A pilot round's orgs; empty for the whole province.
    pub scope: Scope,
    pub policy: ScoringPolicy,
    pub reminder_days_before: i32,
    pub prefill_from: Option<i64>,
    /// Submitted checklists are first checked by the org's own reviewers.
    pub self_check: bool,
}

/// A province ADMIN creates a round of its province (DRAFT).
pub async fn create(
    db: &DatabaseConnection,
    guard: &Guard<'_>,
    new: NewRound,
) -> ApiResult<round::Model> {
    let viewer = guard.viewer();
    if viewer.org.kind() != OrgKind::Province || !viewer.has_role(touming_domain::Role::Admin) {
        return Err(ApiError::Forbidden);
    }
    let mut problems = Vec::new();
    let title = new.title.trim().to_owned();
    if title.is_empty() || title.chars().count() > 200 {
        problems.push(FieldError::new(
            "title",
            "轮次名称不能为空，且不超过 200 个字符",
        ));
    }
    if new.period_end < new.period_start {
        problems.push(FieldError::new("periodEnd", "考核期结束日期早于开始日期"));
    }
    if new.deadline < new.period_start {
        problems.push(FieldError::new("deadline", "截止日期早于考核期开始日期"));
    }
    if !(0..=60).contains(&new.reminder_days_before) {
        problems.push(FieldError::new(
            "reminderDaysBefore",
            "提醒天数应在 0 到 60 之间",
        ));
    }
    for (field, message) in new.policy.problems() {
        problems.push(FieldError::new(format!("policy.{field}"), message));
    }
    if new.catalogues.is_empty() {
        problems.push(FieldError::new("catalogues", "至少为一类机构指定目录版本"));
    }
    let mut kinds = HashSet::new();
    for (kind, version_id) in &new.catalogues {
        if !kinds.insert(*kind) {
            problems.push(FieldError::new(
                "catalogues",
                format!("{}重复指定了目录", kind.label()),
            ));
        }
        match guard.catalogue_version(db, *version_id).await {
            Ok((c, v)) if v.status == VersionStatus::Published => {
                let meant_for = crate::catalogue::store::applies_to(&c)?;
                if !meant_for.contains(kind) && !new.other_kind_allowed.contains(kind) {
                    let labels: Vec<&str> = meant_for.iter().map(|k| k.label()).collect();
                    problems.push(FieldError::new(
                        "catalogues",
                        format!(
                            "目录《{}》适用于{}，不能用于{}（确需使用时请选择“允许用于其他机构类型”）",
                            c.title,
                            labels.join("、"),
                            kind.label()
                        ),
                    ));
                }
            }
            Ok(_) => problems.push(FieldError::new("catalogues", "只能使用已发布的目录版本")),
            Err(_) => problems.push(FieldError::new("catalogues", "目录版本不存在")),
        }
    }
    let mut scope_orgs = Vec::new();
    for (ids, subtree, field) in [
        (&new.scope.subtrees, true, "scope.subtrees"),
        (&new.scope.orgs, false, "scope.orgs"),
    ] {
        for id in ids {
            match guard.org(db, *id).await {
                Ok(o) if !subtree && !kinds.contains(&o.kind()) => problems.push(FieldError::new(
                    field,
                    format!("{}不是本轮考核的机构类型（{}）", o.name, o.kind().label()),
                )),
                Ok(o) => scope_orgs.push((o, subtree)),
                Err(_) => problems.push(FieldError::new(field, "试点范围中的机构不存在")),
            }
        }
    }
    if let Some(prefill) = new.prefill_from
        && guard.round(db, prefill).await.is_err()
    {
        problems.push(FieldError::new("prefillFromRoundId", "上一轮考核不存在"));
    }
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let txn = db.begin().await?;
    let created = round::ActiveModel {
        id: NotSet,
        owner_org_id: Set(viewer.org.id),
        title: Set(title),
        period_start: Set(new.period_start),
        period_end: Set(new.period_end),
        deadline: Set(new.deadline),
        status: Set(Stored(RoundStatus::Draft)),
        policy: Set(touming_store::round::policy_text(&new.policy)),
        reminder_days_before: Set(new.reminder_days_before),
        prefill_from_round_id: Set(new.prefill_from),
        self_check: Set(new.self_check),
        created_at: Set(Utc::now()),
        created_by: Set(Some(viewer.user.id)),
        opened_at: Set(None),
        closed_at: Set(None),
        published_at: Set(None),
        rectification_deadline: Set(None),
    }
    .insert(&txn)
    .await?;
    for (kind, version_id) in &new.catalogues {
        round_catalogue::ActiveModel {
            id: NotSet,
            round_id: Set(created.id),
            org_kind: Set(Stored(*kind)),
            version_id: Set(*version_id),
        }
        .insert(&txn)
        .await?;
    }
    for (o, subtree) in &scope_orgs {
        round_scope::ActiveModel {
            id: NotSet,
            round_id: Set(created.id),
            org_id: Set(o.id),
            subtree: Set(*subtree),
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        &viewer.actor(),
        Entry {
            action: "round.create",
            entity: "round",
            entity_id: Some(created.id),
            org: Some(&viewer.org),
            before: None,
            after: Some(json!({
                "title": created.title,
                "deadline": created.deadline,
                "catalogues": new.catalogues.iter().map(|(k, v)| json!({
                    "orgKind": k.as_str(),
                    "versionId": v,
                    "otherKindAllowed": new.other_kind_allowed.contains(k),
                })).collect::<Vec<_>>(),
                "policy": new.policy,
                "scope": {
                    "subtrees": new.scope.subtrees,
                    "orgs": new.scope.orgs,
                },
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

fn require_owner(guard: &Guard<'_>, round: &round::Model) -> ApiResult<()> {
    let viewer = guard.viewer();
    if viewer.org.id == round.owner_org_id && viewer.has_role(touming_domain::Role::Admin) {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

pub fn status(round: &round::Model) -> RoundStatus {
    *round.status
}

/// DRAFT → OPEN, creating the checklists that do not exist yet (so opening twice, or
/// after orgs were added, is safe).
pub async fn open(
    db: &DatabaseConnection,
    guard: &Guard<'_>,
    round: round::Model,
) -> ApiResult<(round::Model, usize)> {
    require_owner(guard, &round)?;
    let next = status(&round)
        .open()
        .map_err(|e| ApiError::field("id", e.to_string()))?;
    let catalogues = round_catalogue::Entity::find()
        .filter(round_catalogue::Column::RoundId.eq(round.id))
        .all(db)
        .await?;
    let existing: HashSet<i64> = assignment::Entity::find()
        .filter(assignment::Column::RoundId.eq(round.id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.org_id)
        .collect();
    let now = Utc::now();
    let mut new_rows = Vec::new();
    let scope = StoredScope::of(db, round.id).await?;
    for rc in &catalogues {
        let orgs = guard
            .orgs()
            .filter(org::Column::Kind.eq(rc.org_kind))
            .all(db)
            .await?;
        for o in orgs
            .into_iter()
            .filter(|o| !existing.contains(&o.id) && scope.covers(o))
        {
            new_rows.push((o.id, rc.version_id));
        }
    }
    let txn = db.begin().await?;
    for chunk in new_rows.chunks(200) {
        let models: Vec<assignment::ActiveModel> = chunk
            .iter()
            .map(|(org_id, version_id)| assignment::ActiveModel {
                id: NotSet,
                round_id: Set(round.id),
                org_id: Set(*org_id),
                version_id: Set(*version_id),
                status: Set(Stored(AssignmentStatus::NotStarted)),
                version: Set(0),
                reopened: Set(false),
                self_checked_at: Set(None),
                score_stale: Set(true),
                submitted_at: Set(None),
                updated_at: Set(now),
            })
            .collect();
        assignment::Entity::insert_many(models).exec(&txn).await?;
    }
    let prefilled = match round.prefill_from_round_id {
        Some(previous) => prefill(&txn, round.id, previous, &new_rows).await?,
        None => 0,
    };
    let mut active = round.clone().into_active_model();
    active.status = Set(Stored(next));
    if round.opened_at.is_none() {
        active.opened_at = Set(Some(now));
    }
    let opened = active.update(&txn).await?;
    audit::record(
        &txn,
        &guard.viewer().actor(),
        Entry {
            action: "round.open",
            entity: "round",
            entity_id: Some(round.id),
            org: Some(&guard.viewer().org),
            before: Some(json!({ "status": round.status })),
            after: Some(json!({ "status": opened.status, "assignmentsCreated": new_rows.len(), "answersPrefilled": prefilled })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok((opened, new_rows.len()))
}

/// Copies each org's answers from the previous round when both rounds use the same
/// catalogue, matching items by code; copies are marked prefilled for the filler to
/// confirm. Returns the number of answers copied.
async fn prefill(
    txn: &sea_orm::DatabaseTransaction,
    round_id: i64,
    previous_round: i64,
    new_rows: &[(i64, i64)],
) -> ApiResult<usize> {
    if new_rows.is_empty() {
        return Ok(0);
    }
    let version_catalogue: HashMap<i64, i64> = catalogue_version::Entity::find()
        .all(txn)
        .await?
        .into_iter()
        .map(|v| (v.id, v.catalogue_id))
        .collect();
    let previous: HashMap<i64, assignment::Model> = assignment::Entity::find()
        .filter(assignment::Column::RoundId.eq(previous_round))
        .all(txn)
        .await?
        .into_iter()
        .map(|a| (a.org_id, a))
        .collect();
    let current: HashMap<i64, assignment::Model> = assignment::Entity::find()
        .filter(assignment::Column::RoundId.eq(round_id))
        .all(txn)
        .await?
        .into_iter()
        .map(|a| (a.org_id, a))
        .collect();
    let mut codes_of: HashMap<i64, HashSet<String>> = HashMap::new();
    let mut copied = 0;
    for (org_id, version_id) in new_rows {
        let (Some(prev), Some(now)) = (previous.get(org_id), current.get(org_id)) else {
            continue;
        };
        if version_catalogue.get(&prev.version_id) != version_catalogue.get(version_id) {
            continue;
        }
        if !codes_of.contains_key(version_id) {
            let codes = catalogue_item::Entity::find()
                .filter(catalogue_item::Column::VersionId.eq(*version_id))
                .all(txn)
                .await?
                .into_iter()
                .map(|i| i.code)
                .collect();
            codes_of.insert(*version_id, codes);
        }
        let codes = &codes_of[version_id];
        let rows: Vec<answer::ActiveModel> = answer::Entity::find()
            .filter(answer::Column::AssignmentId.eq(prev.id))
            .all(txn)
            .await?
            .into_iter()
            .filter(|a| codes.contains(&a.item_code))
            .map(|a| {
                let mut row = a.into_active_model();
                row.id = NotSet;
                row.assignment_id = Set(now.id);
                row.prefilled = Set(true);
                row.updated_at = Set(Utc::now());
                row
            })
            .collect();
        copied += rows.len();
        for chunk in rows.chunks(100) {
            answer::Entity::insert_many(chunk.to_vec())
                .exec(txn)
                .await?;
        }
    }
    Ok(copied)
}

/// OPEN → CLOSED.
pub async fn close(
    db: &DatabaseConnection,
    guard: &Guard<'_>,
    round: round::Model,
) -> ApiResult<round::Model> {
    require_owner(guard, &round)?;
    let next = status(&round)
        .close()
        .map_err(|e| ApiError::field("id", e.to_string()))?;
    let txn = db.begin().await?;
    let mut active = round.clone().into_active_model();
    active.status = Set(Stored(next));
    active.closed_at = Set(Some(Utc::now()));
    let closed = active.update(&txn).await?;
    audit::record(
        &txn,
        &guard.viewer().actor(),
        Entry {
            action: "round.close",
            entity: "round",
            entity_id: Some(round.id),
            org: Some(&guard.viewer().org),
            before: Some(json!({ "status": round.status })),
            after: Some(json!({ "status": closed.status })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(closed)
}
