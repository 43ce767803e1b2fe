use sea_orm::entity::prelude::*;
use touming_domain::scoring::Grade;

use crate::Stored;

/// A checklist's latest score.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "score")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub assignment_id: i64,
    pub round_id: i64,
    pub org_id: i64,
    /// The checklist version the score was computed from.
    pub answers_version: i32,
    pub total_milli: i64,
    pub max_milli: i64,
    pub percent_milli: i32,
    pub grade: Stored<Grade>,
    pub veto_failed: bool,
    /// JSON of `touming_domain::scoring::ChecklistScore`.
    pub detail: String,
    /// JSON of `touming_domain::scoring::Indicators`.
    pub indicators: String,
    /// JSON of `touming_domain::scoring::Tally`.
    pub tally: String,
    pub computed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
