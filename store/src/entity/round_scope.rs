use sea_orm::entity::prelude::*;

/// One org a pilot round (试点) covers: with `subtree`, the org and everything below
/// it; without, that org alone. A round without rows covers its whole province.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "round_scope")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub org_id: i64,
    pub subtree: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
