use sea_orm::entity::prelude::*;
use touming_domain::catalogue::VersionStatus;

use crate::Stored;

/// One version of a catalogue: DRAFT, then PUBLISHED (its items never change again),
/// then RETIRED when a newer one is published.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "catalogue_version")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub catalogue_id: i64,
    pub label: String,
    pub status: Stored<VersionStatus>,
    /// xlsx, csv, yaml or builtin.
    pub source_format: String,
    pub source_name: Option<String>,
    pub item_count: i32,
    pub created_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub published_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
