//! Catalogue versions in the database: creating one from parsed items, publishing,
//! reading items back, and keeping the built-in catalogues current.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, NotSet, QueryFilter, Set, TransactionTrait,
};
use serde_json::json;
use touming_domain::OrgKind;
use touming_domain::catalogue::{Item, VersionStatus};
use touming_store::Stored;
use touming_store::entity::{catalogue, catalogue_item, catalogue_version, org};
use touming_store::stored;

use super::builtin;
use super::import::Parsed;
use crate::audit::{self, Actor, Entry};
use crate::error::{ApiError, ApiResult};

/// The domain item a stored row holds.
pub fn from_row(row: &catalogue_item::Model) -> ApiResult<Item> {
    Ok(touming_store::catalogue::item_from_row(row)?)
}

pub async fn items(db: &impl ConnectionTrait, version_id: i64) -> ApiResult<Vec<Item>> {
    Ok(touming_store::catalogue::version_items(db, version_id).await?)
}

pub fn applies_to(catalogue: &catalogue::Model) -> ApiResult<Vec<OrgKind>> {
    Ok(touming_store::catalogue::applies_to(catalogue)?)
}

/// Which catalogue a new version belongs to.
pub enum Target {
    Existing(catalogue::Model),
    New {
        code: String,
        title: String,
        applies_to: Vec<OrgKind>,
    },
}

pub struct NewVersion {
    pub label: String,
    pub format: &'static str,
    pub source_name: Option<String>,
    pub status: VersionStatus,
}

/// Writes a version and its items in one transaction, with its audit line.
pub async fn create_version(
    db: &DatabaseConnection,
    actor: &Actor,
    owner: &org::Model,
    target: Target,
    new: NewVersion,
    items: &[Item],
) -> ApiResult<(catalogue::Model, catalogue_version::Model)> {
    let txn = db.begin().await?;
    let now = Utc::now();
    let catalogue = match target {
        Target::Existing(c) => c,
        Target::New {
            code,
            title,
            applies_to,
        } => {
            catalogue::ActiveModel {
                id: NotSet,
                owner_org_id: Set(owner.id),
                code: Set(code),
                title: Set(title),
                applies_to: Set(touming_store::catalogue::applies_to_text(&applies_to)),
                created_at: Set(now),
            }
            .insert(&txn)
            .await?
        }
    };
    let published = new.status == VersionStatus::Published;
    if published {
        retire_published(&txn, catalogue.id).await?;
    }
    let version = catalogue_version::ActiveModel {
        id: NotSet,
        catalogue_id: Set(catalogue.id),
        label: Set(new.label),
        status: Set(Stored(new.status)),
        source_format: Set(new.format.to_owned()),
        source_name: Set(new.source_name),
        item_count: Set(items.len() as i32),
        created_at: Set(now),
        created_by: Set(actor.id),
        published_at: Set(published.then_some(now)),
    }
    .insert(&txn)
    .await?;
    // Bounded batches keep each statement under SQLite's variable limit.
    let rows: Vec<_> = items
        .iter()
        .enumerate()
        .map(|(i, item)| touming_store::catalogue::item_to_row(version.id, i, item))
        .collect();
    for chunk in rows.chunks(50) {
        catalogue_item::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    audit::record(
        &txn,
        actor,
        Entry {
            action: "catalogue_version.create",
            entity: "catalogue_version",
            entity_id: Some(version.id),
            org: Some(owner),
            before: None,
            after: Some(json!({
                "catalogue": catalogue.code,
                "label": version.label,
                "status": version.status,
                "format": version.source_format,
                "items": version.item_count,
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok((catalogue, version))
}

async fn retire_published(conn: &impl ConnectionTrait, catalogue_id: i64) -> ApiResult<()> {
    use sea_orm::sea_query::Expr;
    catalogue_version::Entity::update_many()
        .col_expr(
            catalogue_version::Column::Status,
            Expr::value(VersionStatus::Retired.as_str()),
        )
        .filter(catalogue_version::Column::CatalogueId.eq(catalogue_id))
        .filter(catalogue_version::Column::Status.eq(stored(VersionStatus::Published)))
        .exec(conn)
        .await?;
    Ok(())
}

/// DRAFT → PUBLISHED; the catalogue's previously published version is retired.
pub async fn publish(
    db: &DatabaseConnection,
    actor: &Actor,
    owner: &org::Model,
    version: catalogue_version::Model,
) -> ApiResult<catalogue_version::Model> {
    if version.status != VersionStatus::Draft {
        return Err(ApiError::field(
            "id",
            "只有草稿状态的版本可以发布；已发布的版本不可更改",
        ));
    }
    let txn = db.begin().await?;
    retire_published(&txn, version.catalogue_id).await?;
    let mut active = version.clone().into_active_model();
    active.status = Set(Stored(VersionStatus::Published));
    active.published_at = Set(Some(Utc::now()));
    let published = active.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "catalogue_version.publish",
            entity: "catalogue_version",
            entity_id: Some(version.id),
            org: Some(owner),
            before: Some(json!({ "status": version.status })),
            after: Some(
                json!({ "status": published.status, "publishedAt": published.published_at }),
            ),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(published)
}

/// Makes sure every built-in catalogue exists under the platform org with its current
/// items published; a changed file becomes a new published version. Idempotent.
pub async fn ensure_builtins(db: &DatabaseConnection) -> ApiResult<()> {
    let platform = crate::orgs::ensure_platform(db).await?;
    let actor = Actor {
        name: Some("touming-builtin".into()),
        ..Actor::default()
    };
    for (
        file,
        Parsed {
            code,
            title,
            applies_to,
            items,
        },
    ) in builtin::parsed()
    {
        let code = code.unwrap_or_else(|| file.trim_end_matches(".yaml").to_owned());
        let title = title.unwrap_or_else(|| code.clone());
        let existing = catalogue::Entity::find()
            .filter(catalogue::Column::OwnerOrgId.eq(platform.id))
            .filter(catalogue::Column::Code.eq(&code))
            .one(db)
            .await?;
        let target = match existing {
            Some(catalogue) => {
                let current = catalogue_version::Entity::find()
                    .filter(catalogue_version::Column::CatalogueId.eq(catalogue.id))
                    .filter(catalogue_version::Column::Status.eq(stored(VersionStatus::Published)))
                    .one(db)
                    .await?;
                if let Some(current) = current
                    && self::items(db, current.id).await? == items
                {
                    continue;
                }
                Target::Existing(catalogue)
            }
            None => Target::New {
                code,
                title,
                applies_to,
            },
        };
        let new = NewVersion {
            label: format!("内置版 {}", Utc::now().format("%Y-%m-%d")),
            format: "builtin",
            source_name: Some(file.to_owned()),
            status: VersionStatus::Published,
        };
        create_version(db, &actor, &platform, target, new, &items).await?;
    }
    Ok(())
}
