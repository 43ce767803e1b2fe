use sea_orm::entity::prelude::*;
use touming_domain::OrgKind;

use crate::Stored;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "org")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub parent_id: Option<i64>,
    pub kind: Stored<OrgKind>,
    /// GB/T 2260 division code for bureaus, unified social credit code for institutions.
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    /// Materialized path of ids, `/1/5/23/` (see `touming_domain::OrgPath`).
    #[sea_orm(unique)]
    pub path: String,
    pub depth: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    pub fn kind(&self) -> OrgKind {
        *self.kind
    }

    pub fn org_path(&self) -> touming_domain::OrgPath {
        touming_domain::OrgPath::from_stored(self.path.clone())
    }
}
