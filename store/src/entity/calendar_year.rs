use sea_orm::entity::prelude::*;

/// A year of holidays entered by the platform operator; it overrides the built-in data.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calendar_year")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    pub notice: String,
    /// JSON array of ISO dates.
    pub holidays: String,
    /// JSON array of ISO dates.
    pub workdays: String,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
