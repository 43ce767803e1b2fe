//! Creating orgs: placement rules from the domain, the materialized path, the audit line.
//! Callers find the parent through the tenancy guard (or, for a new province, are the
//! platform operator at the command line).

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, NotSet,
    QueryFilter, Set, SqlErr, TransactionTrait,
};
use serde_json::json;
use touming_domain::{OrgKind, OrgPath, check_placement};
use touming_store::Stored;
use touming_store::entity::org;

use crate::audit::{self, Actor, Entry};
use crate::error::{ApiError, ApiResult};

pub struct NewOrg {
    pub kind: OrgKind,
    pub code: String,
    pub name: String,
}

pub const MAX_NAME_CHARS: usize = 100;

pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    parent: Option<&org::Model>,
    new: NewOrg,
) -> ApiResult<org::Model> {
    let name = new.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(ApiError::field(
            "name",
            format!("机构名称不能为空，且不超过 {MAX_NAME_CHARS} 个字符"),
        ));
    }
    let code = check_placement(
        new.kind,
        &new.code,
        parent.map(|p| (p.kind(), p.code.as_str())),
    )
    .map_err(|e| ApiError::field(e.field(), e.to_string()))?;
    let taken = org::Entity::find()
        .filter(org::Column::Code.eq(&code))
        .one(db)
        .await?;
    if taken.is_some() {
        return Err(code_taken(&code));
    }

    let txn = db.begin().await?;
    // The path holds the row's own id, so it is written in a second step; the
    // placeholder is unique because the code is.
    let inserted = org::ActiveModel {
        id: NotSet,
        parent_id: Set(parent.map(|p| p.id)),
        kind: Set(Stored(new.kind)),
        code: Set(code.clone()),
        name: Set(name),
        path: Set(format!("pending:{code}")),
        depth: Set(parent.map_or(0, |p| p.depth + 1)),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await
    .map_err(|e| match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => code_taken(&code),
        _ => e.into(),
    })?;
    let path = match parent {
        Some(p) => p.org_path().child(inserted.id),
        None => OrgPath::root(inserted.id),
    };
    let mut active = inserted.into_active_model();
    active.path = Set(path.as_str().to_owned());
    let created = active.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "org.create",
            entity: "org",
            entity_id: Some(created.id),
            org: Some(&created),
            before: None,
            after: Some(json!(created)),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

fn code_taken(code: &str) -> ApiError {
    ApiError::field("code", format!("代码 {code} 已被使用"))
}

/// The platform operator's org, created on first use. It owns the built-in catalogues
/// and is where operator accounts live.
pub async fn ensure_platform(db: &DatabaseConnection) -> ApiResult<org::Model> {
    let kind = Stored(OrgKind::Platform);
    if let Some(platform) = org::Entity::find()
        .filter(org::Column::Kind.eq(kind))
        .one(db)
        .await?
    {
        return Ok(platform);
    }
    let txn = db.begin().await?;
    let inserted = org::ActiveModel {
        id: NotSet,
        parent_id: Set(None),
        kind: Set(kind),
        code: Set(PLATFORM_CODE.to_owned()),
        name: Set("透明平台".to_owned()),
        path: Set(format!("pending:{PLATFORM_CODE}")),
        depth: Set(0),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await?;
    let id = inserted.id;
    let mut active = inserted.into_active_model();
    active.path = Set(OrgPath::root(id).as_str().to_owned());
    let platform = active.update(&txn).await?;
    audit::record(
        &txn,
        &Actor {
            name: Some("touming".into()),
            ..Actor::default()
        },
        Entry {
            action: "org.create",
            entity: "org",
            entity_id: Some(platform.id),
            org: Some(&platform),
            before: None,
            after: Some(json!(platform)),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(platform)
}

pub const PLATFORM_CODE: &str = "PLATFORM";
