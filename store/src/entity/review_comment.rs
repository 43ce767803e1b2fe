use sea_orm::entity::prelude::*;

/// A reviewer's comment on a checklist or one of its items.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review_comment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub assignment_id: i64,
    pub event_id: i64,
    pub item_code: Option<String>,
    pub comment: String,
    pub at: DateTimeUtc,
    pub author_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
