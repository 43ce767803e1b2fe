use sea_orm::entity::prelude::*;
use touming_domain::OrgKind;

use crate::Stored;

/// Which catalogue version a round applies to one org kind.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "round_catalogue")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub org_kind: Stored<OrgKind>,
    pub version_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
