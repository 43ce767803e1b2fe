use sea_orm::entity::prelude::*;

/// A catalogue: a line of versions owned by a province (or by the platform, for the
/// built-in ones every province may use).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "catalogue")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub owner_org_id: i64,
    pub code: String,
    pub title: String,
    /// Comma-separated org kinds.
    pub applies_to: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
